"""Tests of the generic HDF5 writer/reader: every kind of field, atomicity, versions, append."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest

from vbrain.config.traits import Array, Attr, Declared, ValidationError
from vbrain.datatypes import Connectivity, DataType, TimeSeries, TimeSeriesRegion
from vbrain.io import hdf5
from vbrain.io.hdf5 import HDF5FormatError


class HDF5TestSettings(Declared):
    """A declared (non-datatype) value held by a datatype field."""

    gain: float = Attr(1.5)
    taps: tuple[float, ...] = Attr((1.0, 2.0))
    weights: Array(float, 1) = Attr(default_factory=lambda: np.array([0.5, 0.25]))


class HDF5TestRecord(DataType):
    """One field of every kind the generic writer handles."""

    big: Array(float, 2) = Attr(default_factory=lambda: np.arange(200 * 100.0).reshape(200, 100))
    small: Array(int, 1) = Attr(default_factory=lambda: np.arange(5))
    flags: Array(bool, 1) = Attr(default_factory=lambda: np.array([True, False, True]))
    names: Array(str, 1) = Attr(default_factory=lambda: np.array(["α", "beta"]))
    grows: Array(float, 2) = Attr(
        default_factory=lambda: np.zeros((2, 3)), expandable=True, doc="grows along axis 0"
    )
    count: int = Attr(7)
    big_int: int = Attr(2**70)
    ratio: float = Attr(float("inf"))
    phase: complex = Attr(1 + 2j)
    on: bool = Attr(True)
    text: str = Attr("héllo")
    long_text: str = Attr(default_factory=lambda: "x" * 100_000)
    nothing: float | None = Attr(None)
    labels: tuple[str, ...] = Attr(("a", "b"))
    label_list: list[str] = Attr(default_factory=lambda: ["c"])
    empty: tuple[str, ...] = Attr(())
    coeffs: tuple[float, ...] = Attr((0.1, 0.2))
    meta: dict[str, Any] = Attr(default_factory=lambda: {"k": [1, 2], "s": "v", "n": None})
    arrays: dict[str, Any] = Attr(
        default_factory=lambda: {"a": np.eye(2), "conn": Connectivity.example(), "x": 3}
    )
    settings: HDF5TestSettings = Attr(default_factory=HDF5TestSettings)
    connectivity: Connectivity | str | None = Attr(default_factory=Connectivity.example)

    @classmethod
    def example(cls) -> HDF5TestRecord:
        return cls()


def test_every_kind_of_field_round_trips(tmp_path: Path) -> None:
    rec = HDF5TestRecord(settings=HDF5TestSettings(gain=2.0, taps=(3.0,)))
    path = hdf5.save(rec, tmp_path / "rec.h5")
    back = hdf5.load(path)
    # Declared.__eq__ cannot compare dicts of arrays: compare the mapping by hand
    for name in type(rec).model_fields:
        if name != "arrays":
            a, b = getattr(rec, name), getattr(back, name)
            assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b, name
    assert back.arrays.keys() == rec.arrays.keys()
    assert back.arrays["conn"] == rec.arrays["conn"]
    assert back.gid == rec.gid
    assert back.connectivity.gid == rec.connectivity.gid
    assert back.arrays["conn"].gid == rec.arrays["conn"].gid
    assert isinstance(back.labels, tuple) and isinstance(back.label_list, list)
    assert back.names.dtype.kind == "U" and back.names.tolist() == ["α", "beta"]
    assert back.flags.dtype == bool and back.small.dtype.kind == "i"
    assert back.big_int == 2**70 and back.ratio == float("inf") and back.phase == 1 + 2j
    assert back.settings == HDF5TestSettings(gain=2.0, taps=(3.0,))
    np.testing.assert_array_equal(back.arrays["a"], np.eye(2))
    assert back.arrays["x"] == 3


def test_layout_in_the_file(tmp_path: Path) -> None:
    rec = HDF5TestRecord()
    path = hdf5.save(rec, tmp_path / "rec.h5")
    with h5py.File(path, "r") as f:
        assert f.attrs["vbrain_type"] == "HDF5TestRecord"
        assert f.attrs["vbrain_gid"] == rec.gid
        assert int(f.attrs["vbrain_format_version"]) == hdf5.FORMAT_VERSION
        # arrays as datasets; large ones compressed, small ones contiguous
        assert f["big"].compression == "gzip" and f["big"].chunks is not None
        assert f["small"].compression is None and f["small"].chunks is None
        # expandable: resizable along axis 0, chunked by whole rows
        assert f["grows"].maxshape == (None, 3)
        # scalars as attributes, string tuples as datasets, nested datatypes as groups
        assert f.attrs["count"] == 7 and f.attrs["text"] == "héllo"
        assert list(f["labels"].asstr()[()]) == ["a", "b"]
        assert f["connectivity"].attrs["vbrain_type"] == "Connectivity"
        assert f["connectivity"].attrs["vbrain_gid"] == rec.connectivity.gid
        assert "weights" in f["connectivity"]
    header = hdf5.read_header(path)
    assert header.links == {"connectivity": rec.connectivity.gid}
    assert header.fields["big"] == "array" and header.fields["connectivity"] == "datatype"


def test_read_header_reads_no_arrays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ts = TimeSeriesRegion.example()
    path = hdf5.save(ts, tmp_path / "ts.h5")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read_header read a dataset")

    monkeypatch.setattr(h5py.Dataset, "__getitem__", refuse)
    header = hdf5.read_header(path)
    assert header.type == "TimeSeriesRegion" and header.gid == ts.gid
    assert header.summary["shape"] == list(ts.shape)
    assert header.links == {"connectivity": ts.connectivity.gid}


def test_read_field_reads_one_field(tmp_path: Path) -> None:
    conn = Connectivity.example()
    path = hdf5.save(conn, tmp_path / "c.h5")
    np.testing.assert_array_equal(hdf5.read_field(path, "weights"), conn.weights)
    assert hdf5.read_field(path, "region_labels") == conn.region_labels
    with pytest.raises(ValidationError, match="no field 'bogus'"):
        hdf5.read_field(path, "bogus")


def test_gid_links_and_references(tmp_path: Path) -> None:
    conn = Connectivity.example()
    ts = TimeSeriesRegion.example().model_copy(update={"connectivity": conn})
    by_gid = TimeSeriesRegion(data=ts.data, time=ts.time, connectivity=conn.gid)
    back = hdf5.load(hdf5.save(by_gid, tmp_path / "gid.h5"))
    assert back.connectivity == conn.gid
    assert hdf5.read_header(tmp_path / "gid.h5").links == {"connectivity": conn.gid}
    # embed=False: the nested datatype is a reference resolved on load
    path = hdf5.save(ts, tmp_path / "ref.h5", embed=False)
    with h5py.File(path, "r") as f:
        assert "weights" not in f["connectivity"]
    seen = []

    def resolve(gid: str, type_name: str) -> Connectivity:
        seen.append((gid, type_name))
        return conn

    assert hdf5.load(path, resolve=resolve).connectivity is conn
    assert seen == [(conn.gid, "Connectivity")]
    # without a resolver the gid is given back (the field accepts one)
    assert hdf5.load(path).connectivity == conn.gid


def test_overwrite_and_errors(tmp_path: Path) -> None:
    conn = Connectivity.example()
    path = hdf5.save(conn, tmp_path / "c.h5")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        hdf5.save(conn, path)
    other = conn.scaled()
    hdf5.save(other, path, overwrite=True)
    assert hdf5.load(path).gid == other.gid
    with pytest.raises(ValidationError, match="stores datatypes"):
        hdf5.save(HDF5TestSettings(), tmp_path / "x.h5")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        hdf5.save(conn, tmp_path / "nope" / "c.h5")
    with pytest.raises(FileNotFoundError):
        hdf5.load(tmp_path / "missing.h5")
    with pytest.raises(HDF5FormatError, match="not the expected TimeSeries"):
        hdf5.load(path, expected_type=TimeSeries)
    assert isinstance(hdf5.load(path, expected_type="Connectivity"), Connectivity)


def test_object_arrays_are_refused(tmp_path: Path) -> None:
    rec = HDF5TestRecord()
    rec.__dict__["small"] = np.array([object()], dtype=object)  # bypass validation
    with pytest.raises(ValidationError, match="dtype object"):
        hdf5.save(rec, tmp_path / "bad.h5")
    assert os.listdir(tmp_path) == []


# -- atomic writes -------------------------------------------------------------------------


def test_failed_write_leaves_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Connectivity.example()
    path = hdf5.save(first, tmp_path / "c.h5")
    before = path.read_bytes()
    real = hdf5._write_array
    calls = []

    def crash_on_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(hdf5, "_write_array", crash_on_second)
    with pytest.raises(OSError, match="simulated"):
        hdf5.save(Connectivity.example(), path, overwrite=True)
    assert path.read_bytes() == before  # the old file is intact
    assert os.listdir(tmp_path) == ["c.h5"]  # no temporary file left
    calls.clear()
    with pytest.raises(OSError, match="simulated"):
        hdf5.save(Connectivity.example(), tmp_path / "new.h5")
    assert os.listdir(tmp_path) == ["c.h5"]  # a new target never appears half-written
    assert hdf5.load(path).gid == first.gid


def test_killed_writer_leaves_only_a_hidden_temp_file(tmp_path: Path) -> None:
    """A process dying mid-write (os._exit: no cleanup runs) never leaves a visible file."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import os
        from vbrain.datatypes import Connectivity
        from vbrain.io import hdf5
        real = hdf5._write_array
        calls = []
        def die(*a, **k):
            calls.append(1)
            if len(calls) == 3:
                os._exit(9)
            return real(*a, **k)
        hdf5._write_array = die
        hdf5.save(Connectivity.example(), {str(tmp_path / "c.h5")!r})
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    names = os.listdir(tmp_path)
    assert "c.h5" not in names
    assert all(n.startswith(".c.h5.") and n.endswith(".tmp") for n in names)


# -- versions and damaged files ------------------------------------------------------------


def _saved(tmp_path: Path) -> Path:
    return hdf5.save(Connectivity.example(), tmp_path / "c.h5")


def test_newer_format_version_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with h5py.File(path, "r+") as f:
        f.attrs["vbrain_format_version"] = hdf5.FORMAT_VERSION + 1
    msg = f"format version {hdf5.FORMAT_VERSION + 1}.*newer.*reads versions 1"
    with pytest.raises(HDF5FormatError, match=msg):
        hdf5.load(path)
    with pytest.raises(HDF5FormatError, match="newer"):
        hdf5.read_header(path)


@pytest.mark.parametrize("bad", [0, "two", -3])
def test_unknown_format_version_is_refused(tmp_path: Path, bad: object) -> None:
    path = _saved(tmp_path)
    with h5py.File(path, "r+") as f:
        f.attrs["vbrain_format_version"] = bad
    with pytest.raises(HDF5FormatError, match="format version .* this vbrain reads versions"):
        hdf5.load(path)


def test_unknown_type_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with h5py.File(path, "r+") as f:
        f.attrs["vbrain_type"] = "NoSuchThing"
        f.attrs["vbrain_module"] = "somewhere.else"
    with pytest.raises(HDF5FormatError, match="'NoSuchThing'.*does not know; known types"):
        hdf5.load(path)
    assert hdf5.read_header(path).type == "NoSuchThing"  # listings still work


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with h5py.File(path, "r+") as f:
        f.attrs["vbrain_layout"] = f.attrs["vbrain_layout"].replace(
            '"speed"', '"colour": {"k": "none"}, "speed"'
        )
    with pytest.raises(HDF5FormatError, match=r"stores fields \['colour'\]"):
        hdf5.load(path)


def test_not_a_vbrain_file_and_corrupt_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain.h5"
    with h5py.File(plain, "w") as f:
        f["x"] = [1, 2]
    with pytest.raises(HDF5FormatError, match="not a vbrain datatype file"):
        hdf5.load(plain)
    path = _saved(tmp_path)
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(HDF5FormatError, match="not a readable HDF5 file"):
        hdf5.load(truncated)
    text = tmp_path / "text.h5"
    text.write_text("weights 1 2 3")
    with pytest.raises(HDF5FormatError, match="not a readable HDF5 file"):
        hdf5.read_header(text)


def test_invalid_content_is_reported(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with h5py.File(path, "r+") as f:
        del f["tract_lengths"]
        f["tract_lengths"] = -np.ones((4, 4))
    with pytest.raises(HDF5FormatError, match="invalid Connectivity.*tract_lengths"):
        hdf5.load(path)


# -- expandable datasets -------------------------------------------------------------------


def test_attr_expandable_is_recorded_in_the_field_extras() -> None:
    extra = TimeSeries.model_fields["data"].json_schema_extra
    assert isinstance(extra, dict) and extra["expandable"] is True
    assert "expandable" not in (Connectivity.model_fields["weights"].json_schema_extra or {})


def test_append_grows_a_time_series(tmp_path: Path) -> None:
    ts = TimeSeries(data=np.ones((3, 1, 2, 1)), sample_period=0.5)
    path = hdf5.save(ts, tmp_path / "ts.h5")
    rows = np.full((2, 1, 2, 1), 2.0)
    shapes = hdf5.append(path, {"data": rows, "time": [1.5, 2.0]})
    assert shapes == {"data": (5, 1, 2, 1), "time": (5,)}
    hdf5.append(path, "data", np.full((1, 2, 1), 3.0))  # a single row
    hdf5.append(path, "time", 2.5)
    back = hdf5.load(path)
    assert back.gid == ts.gid
    np.testing.assert_array_equal(back.data[:, 0, 0, 0], [1, 1, 1, 2, 2, 3])
    np.testing.assert_array_equal(back.time, [0, 0.5, 1.0, 1.5, 2.0, 2.5])
    # the stored summary is marked stale until refreshed (statistics need all the data)
    assert hdf5.read_header(path).summary_stale
    hdf5.refresh_summary(path)
    header = hdf5.read_header(path)
    assert not header.summary_stale
    assert header.summary["shape"] == [6, 1, 2, 1] and header.summary["data_max"] == 3.0


def test_append_errors_leave_the_file_unchanged(tmp_path: Path) -> None:
    ts = TimeSeries(data=np.ones((3, 1, 2, 1)))
    path = hdf5.save(ts, tmp_path / "ts.h5")
    with pytest.raises(ValidationError, match="not an expandable array field.*'data', 'time'"):
        hdf5.append(path, {"data": np.ones((1, 1, 2, 1)), "units": "mV"})
    with pytest.raises(ValidationError, match=r"rows must have shape \(1, 2, 1\)"):
        hdf5.append(path, {"time": [5.0], "data": np.ones((1, 1, 3, 1))})
    with pytest.raises(ValidationError, match="needs the values"):
        hdf5.append(path, "data")
    assert hdf5.load(path) == ts
    conn = hdf5.save(Connectivity.example(), tmp_path / "c.h5")
    with pytest.raises(ValidationError, match="expandable fields: none"):
        hdf5.append(conn, "weights", np.ones((1, 4)))


def test_compression_only_where_it_pays(tmp_path: Path) -> None:
    noisy = np.random.default_rng(0).standard_normal((400, 1, 50, 1))  # 160 KB, incompressible
    smooth = np.repeat(np.linspace(0, 1, 400)[:, None, None, None], 50, axis=2)
    for name, data, expected in (("noisy", noisy, None), ("smooth", smooth, "gzip")):
        path = hdf5.save(TimeSeries(data=data), tmp_path / f"{name}.h5")
        with h5py.File(path, "r") as f:
            assert f["data"].compression == expected, name
            assert f["data"].maxshape[0] is None  # expandable either way
    small = hdf5.save(TimeSeries(data=np.zeros((3, 1))), tmp_path / "small.h5")
    with h5py.File(small, "r") as f:
        assert f["data"].compression == "gzip"  # small expandable data: content yet unknown
