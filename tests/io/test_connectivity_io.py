"""Tests of reading/writing TVB connectivity archives and directories."""

from __future__ import annotations

import bz2
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import Connectivity
from vbrain.io import ConnectivityFormatError, read_connectivity, write_connectivity

W3 = "0 1 2\n1 0 0.5\n2 0.5 0\n"
T3 = "0 10 20\n10 0 15\n20 15 0\n"
C3 = "rA 0 0 0\nlB 10 0 0\nrC 0 20 0\n"


def make_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def good_members() -> dict[str, str | bytes]:
    return {"weights.txt": W3, "tract_lengths.txt": T3, "centres.txt": C3}


def random_connectivity(n: int = 7) -> Connectivity:
    rng = np.random.default_rng(42)
    orient = rng.normal(size=(n, 3))
    return Connectivity(
        weights=rng.normal(size=(n, n)) * (rng.uniform(size=(n, n)) > 0.5),
        tract_lengths=rng.uniform(0, 200, (n, n)),
        centres=rng.normal(scale=50, size=(n, 3)),
        region_labels=[f"{'rl'[i % 2]}Region-{i}_x" for i in range(n)],
        orientations=orient / np.linalg.norm(orient, axis=1, keepdims=True),
        areas=rng.uniform(0, 1e4, n),
        cortical=rng.uniform(size=n) > 0.3,
        hemispheres=rng.uniform(size=n) > 0.5,
        speed=2.5,
    )


# --------------------------------------------------------------------------------------
# Reading good input


def test_read_minimal_zip(tmp_path: Path) -> None:
    conn = read_connectivity(make_zip(tmp_path / "c.zip", good_members()))
    assert conn.n_region == 3
    np.testing.assert_array_equal(conn.weights, np.loadtxt(io.StringIO(W3)))
    np.testing.assert_array_equal(conn.tract_lengths, np.loadtxt(io.StringIO(T3)))
    assert conn.region_labels == ("rA", "lB", "rC")
    assert conn.hemispheres.tolist() == [True, False, True]
    assert conn.cortical.all() and not conn.areas.any() and not conn.orientations.any()
    assert conn.speed == 3.0


def test_read_subfolder_bz2_and_ignored_members(tmp_path: Path) -> None:
    members = {
        "conn/weights.txt.bz2": bz2.compress(W3.encode()),
        "conn/tract_lengths.txt": T3,
        "conn/centers.txt": C3,
        "conn/.weights.txt": "garbage",
        "conn/_weights.txt": "garbage",
        "__MACOSX/conn/weights.txt": "garbage",
        "conn/info.txt": 'weights_unit = "au"\n',
    }
    conn = read_connectivity(make_zip(tmp_path / "c.zip", members))
    np.testing.assert_array_equal(conn.weights, np.loadtxt(io.StringIO(W3)))
    assert conn.region_labels == ("rA", "lB", "rC")


def test_tract_lengths_derived_from_centres(tmp_path: Path) -> None:
    conn = read_connectivity(make_zip(tmp_path / "c.zip", {"weights.txt": W3, "centres.txt": C3}))
    xyz = np.array([[0, 0, 0], [10, 0, 0], [0, 20, 0]], dtype=float)
    expected = np.sqrt(((xyz[:, None] - xyz[None]) ** 2).sum(-1))
    np.testing.assert_allclose(conn.tract_lengths, expected)
    assert conn.tract_lengths[1, 2] == pytest.approx(math.hypot(10, 20))


def test_optional_members_and_flags(tmp_path: Path) -> None:
    members = good_members() | {
        "areas.txt": "1.5 2.5 3.5\n",  # one line is fine too
        "cortical.txt": "1\n0\n1\n",
        "hemispheres.txt": "false\ntrue\nFalse\n",
        "average_orientations.txt": "1 0 0\n0 1 0\n0 0 1\n",
        "info.txt": "speed = 4.5\n",
    }
    conn = read_connectivity(make_zip(tmp_path / "c.zip", members))
    assert conn.areas.tolist() == [1.5, 2.5, 3.5]
    assert conn.cortical.tolist() == [True, False, True]
    assert conn.hemispheres.tolist() == [False, True, False]
    np.testing.assert_array_equal(conn.orientations, np.eye(3))
    assert conn.speed == 4.5
    assert read_connectivity(tmp_path / "c.zip", speed=7.0).speed == 7.0


def test_read_directory(tmp_path: Path) -> None:
    folder = tmp_path / "my_conn"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "weights.txt").write_text(W3)
    (folder / "tract_lengths.txt").write_text(T3)
    (folder / "centres.txt").write_text(C3)
    (folder / ".hidden_weights.txt").write_text("garbage")
    conn = read_connectivity(folder)
    assert conn == read_connectivity(make_zip(tmp_path / "c.zip", good_members()))


def test_read_stream(tmp_path: Path) -> None:
    data = make_zip(tmp_path / "c.zip", good_members()).read_bytes()
    assert read_connectivity(io.BytesIO(data)).n_region == 3


# --------------------------------------------------------------------------------------
# Writing


def test_write_read_roundtrip_is_exact(tmp_path: Path) -> None:
    conn = random_connectivity()
    path = write_connectivity(conn, tmp_path / "out.zip")
    again = read_connectivity(path)
    for name in ("weights", "tract_lengths", "centres", "orientations", "areas"):
        np.testing.assert_array_equal(getattr(again, name), getattr(conn, name), err_msg=name)
    np.testing.assert_array_equal(again.cortical, conn.cortical)
    np.testing.assert_array_equal(again.hemispheres, conn.hemispheres)
    assert again.region_labels == conn.region_labels
    assert again.speed == conn.speed
    assert again == conn
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {
            "weights.txt",
            "tract_lengths.txt",
            "centres.txt",
            "average_orientations.txt",
            "areas.txt",
            "cortical.txt",
            "hemispheres.txt",
            "info.txt",
        }
        # the written files are plain numpy-readable text
        w = np.loadtxt(io.BytesIO(archive.read("weights.txt")))
    np.testing.assert_array_equal(w, conn.weights)


def test_roundtrip_infinite_speed_and_directory(tmp_path: Path) -> None:
    conn = random_connectivity(4).with_speed(math.inf)
    path = write_connectivity(conn, tmp_path / "out.zip")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    assert read_connectivity(folder) == conn


def test_write_rejects_unwritable_labels(tmp_path: Path) -> None:
    conn = random_connectivity(2).replace(region_labels=["left A", "B"])
    with pytest.raises(ValidationError, match="'left A'.*whitespace"):
        write_connectivity(conn, tmp_path / "x.zip")


# --------------------------------------------------------------------------------------
# Malformed input: every error names the file, the member and the problem

BAD_CASES = {
    "no_weights": ({"tract_lengths.txt": T3, "centres.txt": C3}, r"c\.zip: no weights member"),
    "non_square": (
        {"weights.txt": "0 1 2\n1 0 0.5\n", "tract_lengths.txt": T3},
        r"c\.zip: weights\.txt is 2x3; weights must be square",
    ),
    "tract_shape": (
        {"weights.txt": W3, "tract_lengths.txt": "0 1\n1 0\n"},
        r"c\.zip: tract_lengths\.txt is 2x2 but weights\.txt is 3x3",
    ),
    "nan_weights": (
        {"weights.txt": "0 1 2\n1 nan 0.5\n2 0.5 0\n", "tract_lengths.txt": T3},
        r"c\.zip: weights\.txt line 2, column 2: nan; all values must be finite",
    ),
    "inf_tracts": (
        {"weights.txt": W3, "tract_lengths.txt": "0 10 20\n10 0 inf\n20 15 0\n"},
        r"c\.zip: tract_lengths\.txt line 2, column 3: inf",
    ),
    "negative_tract": (
        {"weights.txt": W3, "tract_lengths.txt": "0 10 20\n10 0 15\n20 -15 0\n"},
        r"c\.zip: tract_lengths\.txt line 3, column 2: -15\.0; tract lengths must be >= 0",
    ),
    "garbage": (
        {"weights.txt": "0 1 2\n# comment\n1 0 x7\n2 0.5 0\n", "tract_lengths.txt": T3},
        r"c\.zip: weights\.txt line 3, column 3: cannot read 'x7' as a number",
    ),
    "ragged": (
        {"weights.txt": "0 1 2\n1 0\n2 0.5 0\n", "tract_lengths.txt": T3},
        r"c\.zip: weights\.txt line 2: 2 values but line 1 has 3",
    ),
    "empty_weights": ({"weights.txt": "\n\n", "tract_lengths.txt": T3}, r"weights\.txt: is empty"),
    "centres_columns": (
        {"weights.txt": W3, "tract_lengths.txt": T3, "centres.txt": "rA 0 0\nlB 1 0\nrC 0 2\n"},
        r"c\.zip: centres\.txt line 1: 3 columns; expected 4, 'label x y z'",
    ),
    "centres_bad_coordinate": (
        {"weights.txt": W3, "tract_lengths.txt": T3, "centres.txt": "rA 0 0 0\nlB 1 y 0\n"},
        r"centres\.txt line 2, column 3: cannot read 'y' as a coordinate",
    ),
    "centres_count": (
        {"weights.txt": W3, "tract_lengths.txt": T3, "centres.txt": "rA 0 0 0\nlB 1 0 0\n"},
        r"c\.zip: centres\.txt has 2 regions \(lines\) but weights\.txt is 3x3",
    ),
    "orientations_shape": (
        good_members() | {"average_orientations.txt": "1 0\n0 1\n0 0\n"},
        r"average_orientations\.txt is 3x2 but weights\.txt is 3x3",
    ),
    "areas_count": (
        good_members() | {"areas.txt": "1\n2\n"},
        r"areas\.txt has 2 values but weights\.txt is 3x3",
    ),
    "negative_area": (
        good_members() | {"areas.txt": "1\n-2\n3\n"},
        r"areas\.txt line 2, column 1: -2\.0; area must be >= 0",
    ),
    "cortical_not_flag": (
        good_members() | {"cortical.txt": "1\n2\n1\n"},
        r"cortical\.txt line 2: 2\.0; cortical flags must be 0 or 1",
    ),
    "hemispheres_count": (
        good_members() | {"hemispheres.txt": "1 0 1 0\n"},
        r"hemispheres\.txt has 4 values but weights\.txt is 3x3",
    ),
    "no_lengths_no_centres": (
        {"weights.txt": W3},
        r"c\.zip: neither tract_lengths nor centres found next to weights\.txt",
    ),
    "bad_bz2": (
        {"weights.txt.bz2": b"not bzip2 data", "tract_lengths.txt": T3},
        r"c\.zip: weights\.txt\.bz2: cannot be decompressed",
    ),
    "binary": (
        {"weights.txt": b"\x00\x01\x02", "tract_lengths.txt": T3},
        r"weights\.txt: is a binary file",
    ),
    "bad_speed_info": (good_members() | {"info.txt": "speed = fast\n"}, r"info\.txt line 1"),
    "zero_speed_info": (good_members() | {"info.txt": "speed = 0\n"}, r"c\.zip: .*speed"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_malformed_archives(tmp_path: Path, case: str) -> None:
    members, pattern = BAD_CASES[case]
    path = make_zip(tmp_path / "c.zip", members)
    with pytest.raises(ValidationError, match=pattern) as info:
        read_connectivity(path)
    assert isinstance(info.value, ConnectivityFormatError)
    assert str(info.value).startswith("c.zip: ")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "connectivity_76.zip"
    path.write_text("this is not a zip archive")
    with pytest.raises(ValidationError, match=r"connectivity_76\.zip: not a zip archive"):
        read_connectivity(path)


def test_not_a_zip_stream() -> None:
    with pytest.raises(ValidationError, match="not a zip archive"):
        read_connectivity(io.BytesIO(b"nope"))


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nothing.zip"):
        read_connectivity(tmp_path / "nothing.zip")


def test_directory_errors_name_the_member(tmp_path: Path) -> None:
    folder = tmp_path / "conn_dir"
    folder.mkdir()
    (folder / "weights.txt").write_text("0 1\n1 0 3\n")
    (folder / "tract_lengths.txt").write_text("0 1\n1 0\n")
    with pytest.raises(ValidationError, match=r"conn_dir: weights\.txt line 2: 3 values"):
        read_connectivity(folder)
