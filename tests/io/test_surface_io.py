"""Surface readers and writers: TVB zip, Wavefront OBJ, GIfTI; shipped surfaces by name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from vbrain import datasets
from vbrain.config.traits import ValidationError
from vbrain.datatypes.surface import BrainSkull, CorticalSurface, EEGCap, FaceSurface, icosphere
from vbrain.io.surface import (
    SurfaceFormatError,
    read_obj,
    read_surface,
    read_surface_zip,
    write_obj,
    write_surface,
    write_surface_zip,
)

pytest.importorskip("tvb_data")


def _zip(path: Path, **members: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name.replace("__", "."), text)
    return path


# -- shipped data ------------------------------------------------------------------------


def test_shipped_cortex():
    cortex = datasets.load_surface("cortex_16k")
    assert isinstance(cortex, CorticalSurface)
    assert (cortex.n_vertices, cortex.n_triangles) == (16384, 32760)
    assert cortex.triangles.min() == 0 and cortex.triangles.max() == 16383
    report = cortex.check_topology()
    assert report.is_valid and report.is_closed
    assert report.n_components == 2  # the two hemispheres
    # the file's normals are unit vectors pointing outward, but its triangles are wound
    # clockwise seen from outside (negative volume): the computed normals are their opposite
    assert np.allclose(np.linalg.norm(cortex.vertex_normals, axis=1), 1.0, atol=1e-3)
    assert report.signed_volume < 0
    agree = np.sum(cortex.vertex_normals * cortex.compute_vertex_normals(), axis=1)
    assert np.median(agree) < -0.99
    assert np.median(np.sum(cortex.vertex_normals * (cortex.vertices - cortex.centre), 1)) > 0


def test_shipped_surfaces_by_name():
    names = datasets.list_surfaces()
    assert {"cortex_16k", "inner_skull", "outer_skull", "outer_skin", "scalp", "face"} <= set(names)
    skull = datasets.load_surface("inner_skull")
    assert isinstance(skull, BrainSkull) and skull.n_vertices == 4096
    assert datasets.load_surface("inner_skull_4096.zip") == skull  # file names work too
    assert isinstance(datasets.load_surface("scalp"), EEGCap)
    face = datasets.load_surface("face")  # an empty normals file: normals are computed
    assert isinstance(face, FaceSurface) and np.isfinite(face.vertex_normals).all()
    cap = datasets.load_surface("eeg_cap")  # the OBJ file
    assert cap.n_vertices == 1202
    with pytest.raises(ValidationError, match=r"no surface 'brain' in tvb-data; available: "):
        datasets.load_surface("brain")


def test_shipped_gifti():
    pytest.importorskip("nibabel")
    surf = datasets.load_surface("cortex_gifti")
    assert surf.n_vertices == 131342 and surf.check_topology().is_valid


# -- round trips ---------------------------------------------------------------------------


def test_zip_round_trip_is_exact(tmp_path):
    cortex = datasets.load_surface("cortex_16k")
    path = write_surface_zip(cortex, tmp_path / "cortex.zip")
    back = read_surface_zip(path, "cortical")
    assert back == cortex
    assert np.array_equal(back.vertices, cortex.vertices)


def test_obj_round_trip_is_exact(tmp_path):
    cortex = datasets.load_surface("cortex_16k")
    back = read_obj(write_obj(cortex, tmp_path / "cortex.obj"), "cortical")
    assert np.array_equal(back.vertices, cortex.vertices)
    assert np.array_equal(back.triangles, cortex.triangles)
    with_normals = read_surface(write_obj(cortex, tmp_path / "n.obj", normals=True))
    assert np.array_equal(with_normals.triangles, cortex.triangles)


def test_gifti_round_trip(tmp_path):
    pytest.importorskip("nibabel")
    sphere = icosphere(2, radius=80.0)
    back = read_surface(write_surface(sphere, tmp_path / "s.gii"))
    assert np.array_equal(back.triangles, sphere.triangles)
    assert np.allclose(back.vertices, sphere.vertices, rtol=1e-6)  # stored as float32


def test_gifti_pair(tmp_path):
    nib = pytest.importorskip("nibabel")
    sphere = icosphere(1, radius=10.0)
    g = nib.gifti
    points = g.GiftiImage(
        darrays=[g.GiftiDataArray(sphere.vertices.astype(np.float32), "NIFTI_INTENT_POINTSET")]
    )
    tris = g.GiftiImage(
        darrays=[g.GiftiDataArray(sphere.triangles.astype(np.int32), "NIFTI_INTENT_TRIANGLE")]
    )
    nib.save(points, str(tmp_path / "p.gii"))
    nib.save(tris, str(tmp_path / "t.gii"))
    back = read_surface(tmp_path / "t.gii", triangles_path=tmp_path / "p.gii")
    assert np.array_equal(back.triangles, sphere.triangles)
    with pytest.raises(SurfaceFormatError, match=r"p.gii: no NIFTI_INTENT_TRIANGLE"):
        read_surface(tmp_path / "p.gii")


def test_obj_corner_forms_polygons_and_negative_indices(tmp_path):
    text = """# a unit square as one quad and a triangle using other corner forms
o square
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
vt 0 0
vn 0 0 1
s off
f 1/1/1 2/1/1 3/1/1 4/1/1
v 0 0 1
f -1//1 1 2/1
"""
    path = tmp_path / "square.obj"
    path.write_text(text)
    s = read_obj(path)
    assert s.triangles.tolist() == [[0, 1, 2], [0, 2, 3], [4, 0, 1]]
    assert s.n_vertices == 5


def test_zip_one_based_and_normals_named_normals(tmp_path):
    path = _zip(
        tmp_path / "tri.zip",
        vertices__txt="0 0 0\n1 0 0\n0 1 0\n",
        triangles__txt="1 2 3\n",
        normals__txt="0 0 1\n0 0 1\n0 0 1\n",
    )
    with pytest.raises(SurfaceFormatError, match="1-based indices"):
        read_surface_zip(path)
    s = read_surface_zip(path, zero_based=False)
    assert s.triangles.tolist() == [[0, 1, 2]]
    assert np.array_equal(s.vertex_normals, np.tile([0.0, 0, 1], (3, 1)))


# -- bad files -----------------------------------------------------------------------------


def test_bad_zip_files_name_the_file_and_line(tmp_path):
    missing = _zip(tmp_path / "m.zip", vertices__txt="0 0 0\n", info__txt="x")
    with pytest.raises(SurfaceFormatError, match=r"m.zip: no triangles.txt .*info.txt"):
        read_surface_zip(missing)
    bad_value = _zip(
        tmp_path / "b.zip", vertices__txt="0 0 0\n1 zero 0\n0 1 0\n", triangles__txt="0 1 2\n"
    )
    with pytest.raises(SurfaceFormatError, match=r"b.zip/vertices.txt line 2, column 2: .*'zero'"):
        read_surface_zip(bad_value)
    bad_width = _zip(
        tmp_path / "w.zip", vertices__txt="0 0 0\n1 0 0\n0 1 0\n", triangles__txt="0 1 2\n0 1\n"
    )
    with pytest.raises(SurfaceFormatError, match=r"w.zip/triangles.txt line 2: 2 values"):
        read_surface_zip(bad_width)
    fractional = _zip(
        tmp_path / "f.zip", vertices__txt="0 0 0\n1 0 0\n0 1 0\n", triangles__txt="0 1 2.5\n"
    )
    with pytest.raises(SurfaceFormatError, match=r"line 1, column 3: '2.5' is not an integer"):
        read_surface_zip(fractional)
    out_of_range = _zip(
        tmp_path / "o.zip", vertices__txt="0 0 0\n1 0 0\n0 1 0\n", triangles__txt="0 1 7\n"
    )
    with pytest.raises(SurfaceFormatError, match=r"o.zip: .*refers to vertex 7"):
        read_surface_zip(out_of_range)
    (tmp_path / "not.zip").write_text("hello")
    with pytest.raises(SurfaceFormatError, match="not a valid zip archive"):
        read_surface_zip(tmp_path / "not.zip")
    with pytest.raises(FileNotFoundError):
        read_surface(tmp_path / "absent.zip")


def test_bad_obj_files_name_the_file_and_line(tmp_path):
    cases = {
        "v 0 0\n": r"bad.obj line 1: 'v' with 2 values",
        "v 0 0 0\nv 1 x 0\n": r"bad.obj line 2: cannot read 'x'",
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\n": r"bad.obj line 4: a face with 2 corners",
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n": r"line 4: face corner '4' refers to vertex 4",
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 a/1\n": r"line 4: cannot read face corner 'a/1'",
        "v 0 0 0\n": r"bad.obj: 1 vertices and 0 faces",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.obj"
        path.write_text(text)
        with pytest.raises(SurfaceFormatError, match=message):
            read_obj(path)


def test_unknown_suffix(tmp_path):
    with pytest.raises(SurfaceFormatError, match="unknown surface format"):
        read_surface(tmp_path / "x.stl")
    with pytest.raises(ValidationError, match="unknown surface format"):
        write_surface(icosphere(0), tmp_path / "x.stl")


def test_zip_slip_and_zip_bomb_are_refused(tmp_path, monkeypatch):
    from vbrain.io import safezip

    slip = tmp_path / "slip.zip"
    with zipfile.ZipFile(slip, "w") as z:
        z.writestr("vertices.txt", "0 0 0\n1 0 0\n0 1 0\n")
        z.writestr("triangles.txt", "0 1 2\n")
        z.writestr("../evil.txt", "x")
    with pytest.raises(SurfaceFormatError, match="parent-relative"):
        read_surface_zip(slip)
    assert not (tmp_path.parent / "evil.txt").exists()

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("vertices.txt", "0 0 0\n" * 200_000)  # 1.2 MB, compresses to a few KB
        z.writestr("triangles.txt", "0 1 2\n")
    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", 100_000)
    with pytest.raises(SurfaceFormatError, match="vertices.txt"):
        read_surface_zip(bomb)
