"""Conformance of every registered datatype: example, summary, HDF5 round trip, header.

Every module under ``vbrain/datatypes/`` and ``vbrain/analyzers/`` is imported (found with
pkgutil), so datatypes added later are covered without touching this file.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import vbrain
from vbrain.datatypes.base import DataType, get_datatype, list_datatypes
from vbrain.io import hdf5

_PACKAGES = ("vbrain.datatypes", "vbrain.analyzers", "vbrain.surface")
# datatypes that live next to the code that uses them
_MODULES = ("vbrain.simulator.stimuli", "vbrain.simulator.config")


def _module_names() -> list[str]:
    names = []
    for package in _PACKAGES:
        try:
            pkg = importlib.import_module(package)
        except ImportError:
            continue  # the package does not exist (yet)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
            names.append(info.name)
    return sorted(names + list(_MODULES))


MODULES = _module_names()
_IMPORT_ERRORS: dict[str, str] = {}
for _name in MODULES:
    try:
        importlib.import_module(_name)
    except Exception as exc:  # noqa: BLE001 - reported by test_module_imports
        _IMPORT_ERRORS[_name] = f"{type(exc).__name__}: {exc}"

# only vbrain's own datatypes: test modules may register helper classes of their own
DATATYPES = sorted(
    name for name in list_datatypes() if get_datatype(name).__module__.startswith("vbrain.")
)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports(module: str) -> None:
    assert module not in _IMPORT_ERRORS, _IMPORT_ERRORS.get(module)


def test_known_datatypes_are_covered() -> None:
    for name in ("Connectivity", "TimeSeries", "TimeSeriesRegion", "TimeSeriesVolume"):
        assert name in DATATYPES


def _assert_same(a: Any, b: Any) -> None:
    """Equal objects, same gids, also for nested datatypes."""
    assert type(a) is type(b)
    assert a == b
    assert a.gid == b.gid
    for name in type(a).model_fields:
        va, vb_ = getattr(a, name), getattr(b, name)
        if isinstance(va, DataType):
            _assert_same(va, vb_)
        elif isinstance(va, np.ndarray):
            assert va.dtype.kind == vb_.dtype.kind, name
            assert va.shape == vb_.shape, name


@pytest.mark.parametrize("name", DATATYPES)
def test_example_constructs(name: str) -> None:
    cls = get_datatype(name)
    obj = cls.example()
    assert type(obj) is cls
    assert isinstance(obj.gid, str) and len(obj.gid) == 32
    assert cls.example().gid != obj.gid  # every object gets its own gid


@pytest.mark.parametrize("name", DATATYPES)
def test_summary_is_json(name: str) -> None:
    summary = get_datatype(name).example().summary()
    assert isinstance(summary, dict) and summary
    json.loads(json.dumps(summary))


@pytest.mark.parametrize("name", DATATYPES)
def test_hdf5_round_trip(name: str, tmp_path: Path) -> None:
    obj = get_datatype(name).example()
    path = hdf5.save(obj, tmp_path / f"{name}.h5")
    back = hdf5.load(path, expected_type=type(obj))
    _assert_same(obj, back)
    # a second round trip gives the same again (nothing drifts through the file)
    again = hdf5.load(hdf5.save(back, tmp_path / f"{name}_2.h5"))
    _assert_same(obj, again)


@pytest.mark.parametrize("name", DATATYPES)
def test_read_header(name: str, tmp_path: Path) -> None:
    obj = get_datatype(name).example()
    path = hdf5.save(obj, tmp_path / f"{name}.h5")
    header = hdf5.read_header(path)
    assert header.type == name
    assert header.gid == obj.gid
    assert header.format_version == hdf5.FORMAT_VERSION
    assert header.vbrain_version == vbrain.__version__
    assert header.module == type(obj).__module__
    assert header.created.endswith("+00:00")
    assert set(header.fields) == set(type(obj).model_fields)
    assert header.summary == json.loads(json.dumps(obj.summary()))
    for fname, gid in header.links.items():
        value = getattr(obj, fname)
        assert gid == (value if isinstance(value, str) else value.gid)


@pytest.mark.parametrize("name", DATATYPES)
def test_store_round_trip(name: str, tmp_path: Path) -> None:
    """Through a store (nested datatypes stored separately): same object, same gids, and
    the links of the index name the nested datatypes."""
    pytest.importorskip("sqlalchemy", reason="the store needs SQLAlchemy (the store extra)")
    from vbrain.store import Store

    obj = get_datatype(name).example()
    with Store(tmp_path / "store") as store:
        gid = store.add(obj)
        back = store.load(gid)
        _assert_same(obj, back)
        expected = {}
        for fname in type(obj).model_fields:
            value = getattr(obj, fname)
            if isinstance(value, DataType):
                expected[fname] = value.gid
                assert store.links(value.gid).incoming == [(gid, fname)]
            elif isinstance(value, str) and hdf5._declares_datatype(
                type(obj).model_fields[fname].annotation
            ):
                expected[fname] = value
        assert store.get(gid).links == expected
        assert store.links(gid).outgoing == expected
