"""Reading region mappings from .txt, .bz2 and .zip files; the shipped mappings."""

from __future__ import annotations

import bz2
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vbrain.datatypes import RegionMapping
from vbrain.io import RegionMappingFormatError, read_region_mapping, write_region_mapping

tvb_data = pytest.importorskip("tvb_data")
RM_DIR = Path(tvb_data.__file__).parent / "regionMapping"


@pytest.mark.parametrize(
    ("name", "n_vertices", "n_region"),
    [("regionMapping_16k_76.txt", 16384, 76), ("regionMapping_16k_192.txt", 16500, 192)],
)
def test_shipped_files(name, n_vertices, n_region):
    rm = read_region_mapping(RM_DIR / name)
    raw = np.loadtxt(RM_DIR / name).astype(int)
    np.testing.assert_array_equal(rm.array, raw)
    assert rm.n_vertices == n_vertices
    assert rm.region_vertex_counts().size == n_region
    assert rm.region_vertex_counts(n_region).sum() == n_vertices


def test_formats_round_trip(tmp_path):
    rm = RegionMapping(array=[3, 0, 0, 1, 2, 2, 2], n_region=5)
    for suffix in (".txt", ".txt.bz2"):
        back = read_region_mapping(write_region_mapping(rm, tmp_path / f"rm{suffix}"), 5)
        assert back == rm
    (tmp_path / "column.txt").write_text("3\n0\n0\n1\n\n2 2\n2\n")
    np.testing.assert_array_equal(read_region_mapping(tmp_path / "column.txt").array, rm.array)
    with zipfile.ZipFile(tmp_path / "rm.zip", "w") as z:
        z.writestr("readme.md", "not data")
        z.writestr("sub/region_mapping.txt.bz2", bz2.compress(b"3 0 0 1 2 2 2"))
        z.writestr("__MACOSX/._region_mapping.txt", b"junk")
    np.testing.assert_array_equal(read_region_mapping(tmp_path / "rm.zip").array, rm.array)
    (tmp_path / "floats.txt").write_text("0.0 1.0 2.0\n")
    assert read_region_mapping(tmp_path / "floats.txt").array.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("text", "n_region", "message"),
    [
        ("", None, "is empty"),
        ("0 1 2\n3 x 5\n", None, "line 2, value 2: cannot read 'x' as a region index"),
        ("0 1.5\n", None, "line 1, value 2: cannot read '1.5'"),
        ("0 -1\n", None, "line 1, value 2: -1; region indices must be >= 0"),
        ("0 1 7\n", 5, "vertex 2 to region 7 but n_region is 5"),
    ],
)
def test_bad_files(tmp_path, text, n_region, message):
    path = tmp_path / "rm_bad.txt"
    path.write_text(text)
    with pytest.raises(RegionMappingFormatError, match=message) as err:
        read_region_mapping(path, n_region)
    assert "rm_bad.txt" in str(err.value)


def test_zip_with_several_candidates(tmp_path):
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as z:
        z.writestr("a.txt", "0 1")
        z.writestr("b.txt", "1 0")
    with pytest.raises(RegionMappingFormatError, match="exactly one data file.*a.txt, b.txt"):
        read_region_mapping(tmp_path / "two.zip")
