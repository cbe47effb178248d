"""A corpus of malformed inputs (issue 8): each a clear error, nothing partial in the store.

Every input is built by the test in ``tmp_path`` (no binary fixtures).  Each case is checked
twice:

* read with its importer: the error is the module's format error (a ``ValidationError``),
  its message names the file (and member / line / variable where it applies) and says what
  was expected;
* imported through :meth:`vbrain.Store.import_file` (importer chosen by extension/content
  unless the case names one): the same error, and afterwards the index tables and the data
  folder (hidden and temporary files included) are exactly as before.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
import scipy.io

import vbrain.io as vio
from vbrain.config.traits import ValidationError
from vbrain.datatypes import Connectivity, RegionMapping, TimeSeriesRegion
from vbrain.io import archive, hdf5, safezip
from vbrain.io.importing import detect_importer
from vbrain.store import Store, StoreError

Build = Callable[[Path], tuple[Path, str | None, dict[str, Any]]]

_BOMB_BYTES = 200 * 1024**2  # what the zip bomb expands to
_TEST_LIMIT = 64 * 1024**2  # member limit in these tests: below the bomb, far above the rest


@dataclass(frozen=True)
class Case:
    """One malformed input.

    Attributes
    ----------
    id
        Test id.
    build
        Writes the input under the given folder; returns ``(path, importer or None, options)``.
    error
        The exception type expected (a ``ValidationError`` subclass).
    match
        Regexes that must all be found in the message (what was wrong, what was expected).
    names
        Text the message must contain to name the file; default the input's file name.
    """

    id: str
    build: Build
    error: type[Exception]
    match: tuple[str, ...]
    names: tuple[str, ...] = field(default=())


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # the limits are module constants read at call time: lowering them keeps the bomb cheap
    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", _TEST_LIMIT)


# --------------------------------------------------------------------------------------
# builders of inputs

W4 = "0 1 2 3\n1 0 1 2\n2 1 0 1\n3 2 1 0\n"
T4 = "0 10 20 30\n10 0 10 20\n20 10 0 10\n30 20 10 0\n"
C4 = "r0 0 0 0\nr1 1 0 0\nr2 0 1 0\nr3 0 0 1\n"


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            # a ZipInfo keeps the name verbatim (write() would strip '/' and '..')
            z.writestr(zipfile.ZipInfo(name), content)
    return path


def _conn_zip(folder: Path, **override: str | None) -> Path:
    """A TVB connectivity zip of 4 regions; ``member=None`` removes a member."""
    members = {"weights.txt": W4, "tract_lengths.txt": T4, "centres.txt": C4}
    for key, text in override.items():
        name = f"{key}.txt"
        if text is None:
            members.pop(name, None)
        else:
            members[name] = text
    return _zip(folder / "conn.zip", members)  # type: ignore[arg-type]


def _conn_case(**override: str | None) -> Build:
    return lambda folder: (_conn_zip(folder, **override), None, {})


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@functools.cache
def _bomb_zip() -> bytes:
    """A zip whose weights.txt is 200 MB of zeros deflated to ~200 KB (built once)."""
    buffer = io.BytesIO()
    zeros = b"\0" * (1024**2)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("weights.txt", "w") as member:
            for _ in range(_BOMB_BYTES // len(zeros)):
                member.write(zeros)
        z.writestr("centres.txt", C4)
    data = buffer.getvalue()
    assert len(data) < 1024**2  # highly compressible: the archive itself is small
    return data


def _patch_sizes(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``member`` (local and central)."""
    out = bytearray(data)
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := out.find(sig, start)) >= 0:
            start = at + 4
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[at + offset : at + offset + 4] = struct.pack("<I", size)
    return bytes(out)


def _bomb(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    return _write(folder / "bomb.zip", _bomb_zip()), None, {}


def _bomb_lying(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    # the headers claim 1000 bytes; reading must stop there, never inflate the 200 MB
    return _write(folder / "liar.zip", _patch_sizes(_bomb_zip(), "weights.txt", 1000)), None, {}


def _claims_huge(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = _conn_zip(folder)
    data = _patch_sizes(path.read_bytes(), "weights.txt", 0xFFFFFFF0)
    return _write(path, data), None, {}


def _gz_bomb(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    import zlib

    comp = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip container, fastest level
    zeros = b"\0" * (1024**2)
    parts = [comp.compress(zeros) for _ in range(_BOMB_BYTES // len(zeros))] + [comp.flush()]
    return _write(folder / "rm_regionmapping.txt.gz", b"".join(parts)), None, {}


def _corrupt_bz2(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    members: dict[str, str | bytes] = {"weights.txt.bz2": b"BZh9 garbage", "tract.txt": T4}
    return _zip(folder / "conn.zip", members), None, {}


def _truncated_zip(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = _conn_zip(folder)
    data = path.read_bytes()
    return _write(path, data[: len(data) // 2]), None, {}


def _zip_slip(member: str) -> Build:
    def build(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
        members = {"weights.txt": W4, "tract_lengths.txt": T4, member: "pwned\n"}
        return _zip(folder / "conn.zip", members), None, {}  # type: ignore[arg-type]

    return build


def _rm_zip_slip(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = _zip(folder / "rm.zip", {"../regionMapping.txt": "0 1 2 3\n"})
    return path, "RegionMappingImporter", {}


def _archive_slip(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = archive.export_zip(Connectivity.example(), _mkdir(folder) / "export.zip")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(zipfile.ZipInfo("../evil.txt"), "pwned\n")
    return path, None, {}


def _archive_oversized(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    # a manifest whose datatype member expands beyond the archive limit (lowered by the case)
    members: dict[str, str | bytes] = {
        "manifest.json": json.dumps(
            {
                "format": "vbrain-datatypes-zip",
                "version": 1,
                "root": "a" * 32,
                "datatypes": [{"gid": "a" * 32, "type": "Connectivity", "file": "big.h5"}],
            }
        ),
        "big.h5": b"\0" * (2 * 1024**2),
    }
    return _zip(folder / "export.zip", members), None, {}


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _h5(folder: Path, mutate: Callable[[Path], None], name: str = "conn.h5") -> Path:
    path = hdf5.save(Connectivity.example(), _mkdir(folder) / name)
    mutate(path)
    return path


def _h5_truncated(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    def cut(p: Path) -> None:
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2])

    return _h5(folder, cut), None, {}


def _h5_random(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    data = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    return _write(folder / "random.h5", data), None, {}


def _h5_attr(key: str, value: Any) -> Build:
    def build(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
        def mutate(p: Path) -> None:
            with h5py.File(p, "r+") as f:
                f.attrs[key] = value
                if key == "vbrain_type":
                    f.attrs["vbrain_module"] = "elsewhere.models"

        return _h5(folder, mutate), None, {}

    return build


def _csv_pair(weights: str) -> Build:
    def build(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
        good = _write(folder / "t.csv", "0,1,2\n1,0,1\n2,1,0\n")
        return _write(folder / "w.csv", weights), None, {"tract_lengths": good}

    return build


def _text(name: str, content: str | bytes, importer: str | None = None, **opts: Any) -> Build:
    return lambda folder: (_write(folder / name, content), importer, opts)


def _mat(name: str, variables: dict[str, Any], importer: str | None = None, **opts: Any) -> Build:
    def build(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
        path = _mkdir(folder) / name
        scipy.io.savemat(path, variables)
        return path, importer, opts

    return build


def _gain_npy(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = _mkdir(folder) / "gain_eeg.npy"
    np.save(path, np.ones((3, 5)))
    return path, None, {"region_mapping": RegionMapping(array=[0, 1, 2, 3, 0, 1], n_region=4)}


def _bids_missing_tsv(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    root = _mkdir(folder) / "bids"
    sub = vio.write_bids_connectivity(Connectivity.example(), root)
    (sub / "coord" / "sub-01_desc-vbrain_labels.tsv").unlink()
    return root, None, {}


def _trk_truncated(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    pytest.importorskip("nibabel", reason="nibabel (the io extra) is not installed")
    from vbrain.datatypes import Tracts

    path = vio.write_tracts(Tracts.example(), _mkdir(folder) / "tracts.trk")
    data = path.read_bytes()
    return _write(path, data[: len(data) - 20]), None, {}


def _tck_truncated(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    pytest.importorskip("nibabel", reason="nibabel (the io extra) is not installed")
    from vbrain.datatypes import Tracts

    path = vio.write_tracts(Tracts.example(), _mkdir(folder) / "tracts.tck")
    data = path.read_bytes()
    return _write(path, data[: len(data) - 20]), None, {}


def _bids_binary_weights(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    root = _mkdir(folder) / "bids"
    sub = vio.write_bids_connectivity(Connectivity.example(), root)
    (sub / "net" / "sub-01_desc-vbrain_weights.tsv").write_bytes(b"\xff\xfe\x00\x01garbage")
    return root, None, {}


def _bids_bad_sampling(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    root = _mkdir(folder) / "bids"
    path = vio.write_bids_time_series(TimeSeriesRegion.example(), root)
    path.with_name("sub-01_desc-vbrain_times.tsv").unlink()
    sidecar = path.with_suffix(".json")
    meta = json.loads(sidecar.read_text())
    meta.pop("CoordsRows")
    meta["SamplingPeriod"] = "fast"
    sidecar.write_text(json.dumps(meta))
    return root, None, {}


def _h5_invalid_content(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    def mutate(p: Path) -> None:
        with h5py.File(p, "r+") as f:
            del f["weights"]
            f["weights"] = np.ones((4, 3))  # not square, and not the size of the rest

    return _h5(folder, mutate), None, {}


def _npy_truncated(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    path = _mkdir(folder) / "gain_eeg.npy"
    np.save(path, np.ones((30, 40)))
    return _write(path, path.read_bytes()[:500]), None, {}


def _not_nifti(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    pytest.importorskip("nibabel", reason="nibabel (the io extra) is not installed")
    return _write(folder / "brain.nii", "this is not an image\n" * 40), None, {}


# --------------------------------------------------------------------------------------
# the corpus

CE = vio.ConnectivityFormatError
CASES = [
    # archives
    Case("truncated-zip", _truncated_zip, CE, ("not a zip archive", "expected a TVB connectivity")),
    Case("zip-slip-parent", _zip_slip("../evil.txt"), CE, (r"'\.\./evil\.txt'", "parent-relative")),
    Case("zip-slip-absolute", _zip_slip("/tmp/evil.txt"), CE, (r"'/tmp/evil\.txt'", "absolute")),
    Case("zip-slip-backslash", _zip_slip("..\\evil.txt"), CE, (r"evil\.txt", "relative paths")),
    Case("zip-bomb", _bomb, CE, ("weights.txt decompresses to 209715200 bytes", "limit", "bomb")),
    Case("zip-bomb-lying-size", _bomb_lying, CE, ("weights.txt cannot be read", "CRC", "damaged")),
    Case("zip-claims-huge-member", _claims_huge, CE, ("weights.txt decompresses to 4294967280",)),
    Case(
        "gz-bomb",
        _gz_bomb,
        vio.RegionMappingFormatError,
        ("decompresses to more than 67108864 bytes", "bomb"),
    ),
    Case(
        "region-mapping-zip-slip",
        _rm_zip_slip,
        vio.RegionMappingFormatError,
        (r"'\.\./regionMapping\.txt'", "parent-relative"),
    ),
    Case("archive-zip-slip", _archive_slip, vio.ArchiveFormatError, (r"'\.\./evil\.txt'",)),
    Case(
        "archive-member-over-limit",
        _archive_oversized,
        vio.ArchiveFormatError,
        ("big.h5 decompresses to 2097152 bytes", "vbrain.io.archive.MAX_MEMBER_BYTES"),
    ),
    Case("zip-missing-weights", _conn_case(weights=None), CE, ("no weights member", "weights.txt")),
    Case(
        "zip-corrupt-bz2-member",
        _corrupt_bz2,
        CE,
        ("weights.txt.bz2: cannot be decompressed",),
    ),
    # shapes and values of a TVB connectivity
    Case("weights-not-square", _conn_case(weights="1 2 3\n" * 4), CE, ("4x3", "must be square")),
    Case(
        "tract-lengths-other-size",
        _conn_case(tract_lengths="0 1 2\n1 0 1\n2 1 0\n"),
        CE,
        ("tract_lengths.txt is 3x3 but weights.txt is 4x4", "must be 4x4"),
    ),
    Case(
        "centres-two-columns",
        _conn_case(centres="1.0 2.0\n" * 4),
        CE,
        ("centres.txt line 1: 2 columns", "expected 4, 'label x y z'"),
    ),
    Case(
        "weights-nan",
        _conn_case(weights=W4.replace("0 1 2\n", "0 nan 2\n", 1)),
        CE,
        ("weights.txt line 2, column 3: nan", "must be finite"),
    ),
    Case(
        "weights-inf",
        _conn_case(weights=W4.replace("3\n", "inf\n", 1)),
        CE,
        ("weights.txt line 1, column 4: inf", "must be finite"),
    ),
    Case(
        "tract-lengths-negative",
        _conn_case(tract_lengths=T4.replace("0 10", "0 -10", 1)),
        CE,
        (r"tract_lengths.txt line 1, column 2: -10\.0", ">= 0"),
    ),
    Case(
        "weights-non-numeric",
        _conn_case(weights=W4.replace("2 1 0 1", "2 abc 0 1")),
        CE,
        ("weights.txt line 3, column 2: cannot read 'abc' as a number",),
    ),
    Case(
        "centres-fewer-regions",
        _conn_case(centres="r0 0 0 0\nr1 1 0 0\nr2 0 1 0\n"),
        CE,
        ("centres.txt has 3 regions", "weights.txt is 4x4", "one 'label x y z' line per region"),
    ),
    Case(
        "areas-other-count",
        _conn_case(areas="1\n2\n3\n4\n5\n"),
        CE,
        ("areas.txt has 5 values but weights.txt is 4x4", "one area per region"),
    ),
    Case("weights-empty", _conn_case(weights=""), CE, ("weights.txt: is empty", "expected")),
    # CSV, text and MAT readers
    Case(
        "csv-ragged",
        _csv_pair("0,1,2\n1,0,1\n2,1\n"),
        vio.CSVFormatError,
        ("w.csv line 3: 2 values", "every row needs 3"),
    ),
    Case(
        "csv-non-numeric",
        _csv_pair("0,1,2\n1,zero,1\n2,1,0\n"),
        vio.CSVFormatError,
        ("w.csv line 2, column 2: cannot read 'zero' as a number",),
    ),
    Case(
        "csv-inf",
        _csv_pair("0,1,2\n1,inf,1\n2,1,0\n"),
        vio.CSVFormatError,
        ("w.csv line 2, column 2: inf", "must be finite"),
    ),
    Case("csv-empty", _csv_pair(""), vio.CSVFormatError, ("w.csv: is empty", "square matrix")),
    Case(
        "region-mapping-beyond-connectivity",
        _text("rm_regionmapping.txt", "0 1 2 7 3\n", connectivity=Connectivity.example()),
        vio.RegionMappingFormatError,
        ("vertex 3 to region 7", r"0\.\.3"),
    ),
    Case(
        "region-mapping-empty",
        _text("rm_regionmapping.txt", "\n# nothing\n"),
        vio.RegionMappingFormatError,
        ("is empty", "one region index"),
    ),
    Case(
        "region-mapping-not-integer",
        _text("rm_regionmapping.txt", "0 1\n2 x\n"),
        vio.RegionMappingFormatError,
        ("line 2, value 2: cannot read 'x' as a region index",),
    ),
    Case(
        "sensors-duplicate-labels",
        _text("eeg_sensors.txt", "Fz 0 0 1\nCz 0 1 0\nFz 1 0 0\n"),
        vio.SensorsFormatError,
        ("Fz", "unique"),
    ),
    Case(
        "sensors-missing-column",
        _text("eeg_sensors.txt", "Fz 0 0 1\nCz 0 1\n"),
        vio.SensorsFormatError,
        ("line 2: 3 columns but line 1 has 4",),
    ),
    Case("sensors-empty", _text("eeg_sensors.txt", ""), vio.SensorsFormatError, ("is empty",)),
    Case(
        "gain-columns-vs-region-mapping",
        _gain_npy,
        vio.ProjectionFormatError,
        ("5 columns", "maps 6 vertices", "one column per vertex"),
    ),
    Case(
        "gain-mat-missing-variable",
        _mat("gain.mat", {"G": np.ones((3, 4))}, variable="Gain"),
        vio.ProjectionFormatError,
        ("no variable 'Gain'", "G 3x4"),
    ),
    Case(
        "time-series-mat-missing-variable",
        _mat("ts.mat", {"x": np.ones((10, 4))}, variable="data", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("ts.mat: no variable 'data'", "it holds x"),
    ),
    Case(
        "time-series-txt-ragged",
        _text("ts.txt", "1 2 3\n4 5\n", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("ts.txt line 2: 2 values but line 1 has 3", "one value per region"),
    ),
    Case(
        "time-series-txt-non-numeric",
        _text("ts.txt", "1 2 3\n4 five 6\n", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("ts.txt line 2, column 2: cannot read 'five' as a number",),
    ),
    Case(
        "time-series-txt-empty",
        _text("ts.txt", b"", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("ts.txt: is empty",),
    ),
    Case(
        "time-series-txt-inf",
        _text("ts.txt", "1 2 3\n4 inf 6\n", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("ts.txt line 2, column 2: inf", "must be finite"),
    ),
    Case(
        "time-series-txt-bad-gzip",
        _text("ts.txt.gz", b"\x1f\x8b" + b"\x07" * 40, sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("cannot be decompressed",),
    ),
    Case(
        "sensors-binary",
        _text("eeg_sensors.txt", b"\x00\x01\x02 1 2 3\n"),
        vio.SensorsFormatError,
        ("is a binary file", "expected whitespace-separated text"),
    ),
    Case(
        "mat-not-a-mat",
        _text("ts.mat", b"\x07" * 300, variable="x", sample_period=1.0),
        vio.TimeSeriesFormatError,
        ("not a readable MATLAB .mat file",),
    ),
    Case(
        "npy-truncated",
        _npy_truncated,
        vio.ProjectionFormatError,
        ("not a readable .npy array", "expected 9600 bytes"),
    ),
    Case(
        "bids-binary-tsv",
        _bids_binary_weights,
        vio.BIDSFormatError,
        ("is not UTF-8 text", "UTF-8"),
        names=("sub-01_desc-vbrain_weights.tsv",),
    ),
    Case(
        "bids-bad-sampling-period",
        _bids_bad_sampling,
        vio.BIDSFormatError,
        ("SamplingPeriod is 'fast'", "expected a positive number"),
        names=("sub-01_desc-vbrain_ts.json",),
    ),
    # HDF5
    Case("hdf5-truncated", _h5_truncated, hdf5.HDF5FormatError, ("truncated or corrupt",)),
    Case("hdf5-random-bytes", _h5_random, hdf5.HDF5FormatError, ("not a readable HDF5 file",)),
    Case(
        "hdf5-newer-version",
        _h5_attr("vbrain_format_version", hdf5.FORMAT_VERSION + 1),
        hdf5.HDF5FormatError,
        (f"format version {hdf5.FORMAT_VERSION + 1}", "newer than this vbrain", "reads versions"),
    ),
    Case(
        "hdf5-unknown-version",
        _h5_attr("vbrain_format_version", "1.x"),
        hdf5.HDF5FormatError,
        ("format version '1.x'", "reads versions"),
    ),
    Case(
        "hdf5-unknown-datatype",
        _h5_attr("vbrain_type", "NoSuchType"),
        hdf5.HDF5FormatError,
        ("'NoSuchType'", "does not know", "known types"),
    ),
    Case(
        "hdf5-invalid-content",
        _h5_invalid_content,
        hdf5.HDF5FormatError,
        ("holds an invalid Connectivity", "weights"),
    ),
    # other formats
    Case("tck-truncated", _tck_truncated, vio.TractsFormatError, ("MRtrix .tck", "truncated")),
    Case("nifti-not-nifti", _not_nifti, vio.NiftiFormatError, ("not a readable NIfTI",)),
    Case("trk-truncated", _trk_truncated, vio.TractsFormatError, ("TrackVis .trk", "truncated")),
    Case(
        "bids-missing-tsv",
        _bids_missing_tsv,
        vio.BIDSFormatError,
        ("referred to but missing",),
        names=("sub-01_desc-vbrain_labels.tsv",),
    ),
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(issubclass(c.error, ValidationError) for c in CASES)


def _check_message(case: Case, exc: BaseException, path: Path) -> None:
    import re

    message = str(exc)
    for name in case.names or (path.name,):
        assert name in message, f"{case.id}: {message!r} does not name {name!r}"
    for pattern in case.match:
        assert re.search(pattern, message), f"{case.id}: {pattern!r} not in {message!r}"
    # a clear error, not a chained low-level traceback
    assert exc.__cause__ is None, f"{case.id}: caused by {exc.__cause__!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reader_gives_a_clear_error(case: Case, tmp_path: Path) -> None:
    path, importer, options = case.build(tmp_path / "in")
    name = importer or detect_importer(path, options)
    with pytest.raises(case.error) as info:
        vio.IMPORTERS[name](path, **options)
    _check_message(case, info.value, path)


# --------------------------------------------------------------------------------------
# through the store: nothing left behind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store") as s:
        s.add(TimeSeriesRegion.example(), name="already there", tags=["x"])
        yield s


def _snapshot(store: Store) -> tuple[dict[str, list[tuple[Any, ...]]], list[str]]:
    """Every row of every index table, and every path under the data folder."""
    import sqlalchemy as sa

    tables = {}
    with store._engine.connect() as c:
        for table in store._db.Base.metadata.sorted_tables:
            tables[table.name] = sorted(map(tuple, c.execute(sa.select(table)).all()), key=repr)
    listing = sorted(str(p.relative_to(store.path)) for p in store.path.rglob("*"))
    return tables, listing


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_store_import_leaves_nothing(case: Case, tmp_path: Path, store: Store) -> None:
    path, importer, options = case.build(tmp_path / "in")
    before = _snapshot(store)
    with pytest.raises(case.error) as info:
        store.import_file(path, importer, **options)
    _check_message(case, info.value, path)
    assert _snapshot(store) == before
    assert len(store) == 2 and store.check()["temp_files"] == []


def test_zip_slip_writes_nothing_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = _mkdir(tmp_path / "deep" / "work")
    monkeypatch.chdir(work)
    inputs = [
        _zip_slip("../evil.txt")(work)[0],
        _archive_slip(work / "a")[0],
        _rm_zip_slip(work / "b")[0],
    ]
    with Store(work / "store") as store:
        for path in inputs:
            with pytest.raises(ValidationError, match="parent-relative"):
                store.import_file(path)
        assert len(store) == 0
    assert not list(tmp_path.rglob("evil.txt"))
    assert not (work.parent / "regionMapping.txt").exists()


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    """The limit is checked against the declared size, and reading is bounded by it."""
    import tracemalloc

    path, _, _ = _bomb(tmp_path)
    liar, _, _ = _bomb_lying(tmp_path)
    tracemalloc.start()
    try:
        for p in (path, liar):
            with pytest.raises(vio.ConnectivityFormatError):
                vio.read_connectivity(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024**2  # far below the 200 MB the member expands to


def test_limit_is_a_module_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _conn_zip(tmp_path)
    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", 10)
    with pytest.raises(vio.ConnectivityFormatError, match="more than the limit of 10 bytes"):
        vio.read_connectivity(path)
    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", 1024)
    assert vio.read_connectivity(path).n_region == 4


def test_duplicate_gid_import_leaves_nothing(tmp_path: Path, store: Store) -> None:
    """An export whose datatype is already stored is refused before anything is written."""
    gid = store.find(name="already there")[0].gid
    path = archive.export_zip(store.load(gid), tmp_path / "again.zip")
    before = _snapshot(store)
    with pytest.raises(StoreError, match="already in the store"):
        store.import_file(path)
    assert _snapshot(store) == before


@pytest.fixture(autouse=True)
def _small_archive_limit(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "archive-member-over-limit" in request.node.name:
        monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1024**2)
