"""Conformance suite over every registered analyzer: construction, output, summary, storage."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.config.traits import Declared
from vbrain.datatypes.base import DataType
from vbrain.datatypes.metrics import TimeSeriesMetric
from vbrain.io.hdf5 import load, save

NAMES = an.list()


def test_registry_lists_every_exported_analyzer():
    exported = {n for n in an.__all__ if isinstance(getattr(an, n), type)}
    exported &= {c.__name__ for c in map(an.get, NAMES)}
    assert exported == set(NAMES)
    assert len(NAMES) >= 30


@pytest.fixture(scope="module")
def outputs():
    cache: dict[str, DataType] = {}

    def run(name: str) -> DataType:
        if name not in cache:
            cls = an.get(name)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # FastICA convergence on the generic input
                cache[name] = cls()(cls.example_input())
        return cache[name]

    return run


@pytest.mark.parametrize("name", NAMES)
def test_construction_with_defaults(name):
    cls = an.get(name)
    obj = cls()
    assert isinstance(obj, Declared)
    assert obj == cls(**{k: getattr(obj, k) for k in cls.model_fields})
    assert cls.json_schema()["title"] == name
    assert cls.__doc__ and len(cls.__doc__.split()) > 10, "docstring with formula/reference"
    for row in cls.field_table():
        assert row["doc"] or row["label"], f"{name}.{row['name']} undocumented"


@pytest.mark.parametrize("name", NAMES)
def test_output_type_shape_and_labels(name, outputs):
    cls = an.get(name)
    out = outputs(name)
    assert isinstance(out, cls.output)
    inp = cls.example_input()
    if cls.input_kind == "matrix":
        n = inp.shape[0]
        assert len(out.region_labels) == n
        assert out.node_values.shape[0] == n
    elif isinstance(out, TimeSeriesMetric):  # network-wide scalars: named values
        assert len(out.names) == out.values.size > 0
    else:
        space = getattr(out, "space", None) or getattr(out, "space_labels", None)
        assert tuple(space) == inp.space
    for value in out.model_dump().values():
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and value.size:
            assert np.isfinite(value).any()


@pytest.mark.parametrize("name", NAMES)
def test_output_summary_and_example(name, outputs):
    cls = an.get(name)
    summary = outputs(name).summary()
    assert summary["type"] == cls.output.__name__
    example = cls.output.example()
    assert isinstance(example, cls.output)
    assert example.summary()["type"] == cls.output.__name__


@pytest.mark.parametrize("name", NAMES)
def test_function_form(name):
    cls = an.get(name)
    fn = getattr(an, cls.function_name)
    assert fn.__name__ == cls.function_name
    assert cls.__name__ in fn.__doc__


@pytest.mark.parametrize("name", NAMES)
def test_save_load_round_trip(name, outputs, tmp_path):
    out = outputs(name)
    path = save(out, tmp_path / f"{name}.h5")
    back = load(path)
    assert type(back) is type(out)
    for field in type(out).model_fields:  # field by field: NaN entries count as equal
        a, b = getattr(out, field), getattr(back, field)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)
        elif isinstance(a, DataType | Declared):
            assert type(a) is type(b)
        else:
            assert a == b, field
    assert back.gid == out.gid


@pytest.mark.parametrize("name", NAMES)
def test_unknown_parameter_is_rejected(name):
    with pytest.raises(ValueError, match="no field"):
        an.get(name)(no_such_parameter=1)
