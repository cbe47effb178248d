"""Surface datatype: geometry (normals, areas, edges) and topology checks on hand-built meshes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from vbrain.config.traits import ValidationError
from vbrain.datatypes.surface import (
    BrainSkull,
    CorticalSurface,
    SkinAir,
    Surface,
    icosphere,
    surface_class,
)


def _cube(drop_face: bool = False) -> Surface:
    """Unit cube [0, 1]^3, 12 outward-wound triangles (optionally without the top face)."""
    verts = np.array([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], float)
    quads = [[0, 1, 3, 2], [4, 5, 7, 6], [0, 1, 5, 4], [2, 3, 7, 6], [0, 2, 6, 4], [1, 3, 7, 5]]
    if drop_face:
        quads = [q for q in quads if q != [4, 5, 7, 6]]  # z = 1
    tris = []
    for a, b, c, d in quads:
        for t in ([a, b, c], [a, c, d]):
            p = verts[t]
            normal = np.cross(p[1] - p[0], p[2] - p[0])
            # wind every triangle so its normal points away from the cube's centre
            tris.append(t if normal @ (p.mean(0) - 0.5) > 0 else t[::-1])
    return Surface(vertices=verts, triangles=tris)


def _tetrahedron(offset: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    verts = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float) + offset
    tris = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])  # outward
    return verts, tris


# -- geometry ---------------------------------------------------------------------------


def test_sphere_normals_point_outward_and_match_the_analytic_normal():
    sphere = icosphere(3, radius=80.0)
    computed = sphere.compute_vertex_normals()
    exact = sphere.vertices / 80.0
    assert np.allclose(np.linalg.norm(computed, axis=1), 1.0)
    cosines = np.sum(computed * exact, axis=1)
    assert cosines.min() > np.cos(np.radians(1.0))  # within 1 degree everywhere
    # computed when not given: the constructor fills them in the same way
    plain = Surface(vertices=sphere.vertices, triangles=sphere.triangles)
    assert np.allclose(plain.vertex_normals, computed)
    # triangle normals point away from the centre too
    assert np.all(np.sum(plain.triangle_normals * plain.triangle_centres, axis=1) > 0)


def test_area_of_unit_icosphere_approaches_four_pi():
    areas = [icosphere(k).area for k in range(6)]
    assert all(a < b for a, b in zip(areas, areas[1:], strict=False))  # inscribed: grows
    assert abs(areas[-1] - 4 * np.pi) / (4 * np.pi) < 1e-3
    s = icosphere(2)
    assert np.isclose(s.vertex_areas.sum(), s.area)
    assert s.vertex_areas.shape == (s.n_vertices,)


def test_counts_edges_and_bounding_box():
    ico = icosphere(0, radius=2.0)
    assert (ico.n_vertices, ico.n_triangles, len(ico.edges)) == (12, 20, 30)
    assert np.allclose(ico.edge_lengths, ico.edge_lengths[0])  # regular icosahedron
    assert np.allclose(ico.bounding_box[1], -ico.bounding_box[0])
    cube = _cube()
    assert np.allclose(cube.triangle_areas, 0.5)
    assert np.isclose(cube.area, 6.0)
    assert np.allclose(cube.bounding_box, [[0, 0, 0], [1, 1, 1]])


def test_summary_is_json_and_example_is_valid():
    s = CorticalSurface.example()
    summary = s.summary()
    json.dumps(summary)
    assert summary["surface_type"] == "cortical"
    assert summary["n_vertices"] == 12
    assert s.check_topology().is_valid


# -- validation at construction -----------------------------------------------------------


def test_out_of_range_index_is_rejected_with_a_hint():
    with pytest.raises(ValidationError, match=r"refers to vertex 3 but there are 3 vertices"):
        Surface(vertices=np.eye(3), triangles=[[0, 1, 3]])
    with pytest.raises(ValidationError, match="1-based"):
        Surface(vertices=np.eye(3), triangles=[[1, 2, 3]])
    with pytest.raises(ValidationError, match="refers to vertex -1"):
        Surface(vertices=np.eye(3), triangles=[[0, 1, -1]])


def test_bad_shapes_and_values_are_rejected():
    with pytest.raises(ValidationError, match="integers"):
        Surface(vertices=np.eye(3), triangles=[[0, 1, 1.5]])
    with pytest.raises(ValidationError, match="finite"):
        Surface(vertices=[[0, 0, np.nan], [1, 0, 0], [0, 1, 0]], triangles=[[0, 1, 2]])
    with pytest.raises(ValidationError, match="shape"):
        Surface(vertices=np.eye(3)[:, :2], triangles=[[0, 1, 2]])
    with pytest.raises(ValidationError, match="one normal per vertex"):
        Surface(vertices=np.eye(3), triangles=[[0, 1, 2]], vertex_normals=np.eye(3)[:2])
    with pytest.raises(ValidationError, match="at least 3 vertices and 1 triangle"):
        Surface(vertices=np.eye(3), triangles=np.zeros((0, 3), int))


def test_surface_class_lookup():
    assert surface_class("scalp") is SkinAir
    assert surface_class("inner skull") is BrainSkull
    assert surface_class("CorticalSurface") is CorticalSurface
    assert surface_class(None) is Surface
    with pytest.raises(ValidationError, match="unknown surface type 'brainz'; use one of"):
        surface_class("brainz")


# -- topology -----------------------------------------------------------------------------


def test_closed_meshes_have_no_defects():
    for surface in (icosphere(2), _cube()):
        report = surface.check_topology()
        assert report.is_valid and report.is_closed and report.n_components == 1
        assert report.euler_characteristic == 2
        assert report.problems(closed=True, single_piece=True) == []
        assert report.signed_volume > 0  # outward wound
    assert np.isclose(_cube().check_topology().signed_volume, 1.0)
    assert np.isclose(_cube().flipped().check_topology().signed_volume, -1.0)


def test_non_manifold_edge():
    # three triangles hinged on the edge (0, 1)
    verts = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1]]
    s = Surface(vertices=verts, triangles=[[0, 1, 2], [1, 0, 3], [0, 1, 4]])
    report = s.check_topology()
    assert report.non_manifold_edges.tolist() == [[0, 1]]
    assert not report.is_valid
    assert "1 non-manifold edges" in report.problems()[0]


def test_cube_with_a_missing_face_has_one_hole():
    report = _cube(drop_face=True).check_topology()
    assert report.n_holes == 1
    assert len(report.boundary_edges) == 4
    assert not report.is_closed
    assert report.is_valid  # an open sheet is still fine for geodesics
    assert any("1 holes" in p for p in report.problems(closed=True))
    with pytest.raises(ValidationError, match="holes"):
        report.raise_if_invalid(closed=True, purpose="a BEM layer")


def test_flipped_triangle_is_inconsistent():
    sphere = icosphere(1)
    tris = sphere.triangles.copy()
    tris[5] = tris[5, ::-1]
    report = Surface(vertices=sphere.vertices, triangles=tris).check_topology()
    assert len(report.inconsistent_edges) == 3  # all three edges of the flipped triangle
    assert set(np.unique(report.inconsistent_edges)) == set(tris[5])
    assert not report.is_oriented and not report.is_valid
    assert "inconsistently oriented" in " ".join(report.problems())


def test_two_separate_tetrahedra_are_two_components():
    v1, t1 = _tetrahedron()
    v2, t2 = _tetrahedron(offset=5.0)
    s = Surface(vertices=np.concatenate([v1, v2]), triangles=np.concatenate([t1, t2 + 4]))
    report = s.check_topology()
    assert report.n_components == 2
    assert report.component_sizes.tolist() == [4, 4]
    assert report.is_valid  # each piece is fine
    assert "2 disconnected pieces" in report.problems(single_piece=True)[0]


def test_tetrahedra_touching_at_a_vertex_are_pinched():
    v1, t1 = _tetrahedron()
    # a second tetrahedron, mirrored through the origin, whose apex is vertex 0 of the first
    v2 = -v1[1:] - 0.0
    t2 = np.array([[0, 1, 2], [0, 3, 1], [0, 2, 3], [1, 3, 2]])  # 0 = shared apex
    t2 = np.where(t2 == 0, 0, t2 + 3)  # local 1..3 -> global 4..6
    verts = np.concatenate([v1, v2])
    report = Surface(vertices=verts, triangles=np.concatenate([t1, t2])).check_topology()
    assert report.pinched_vertices.tolist() == [0]
    assert report.non_manifold_edges.size == 0
    assert report.n_components == 1
    assert not report.is_valid
    assert "pinched" in report.problems()[0]


def test_degenerate_triangle_and_unused_vertex():
    verts = [[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [9, 9, 9]]
    s = Surface(vertices=verts, triangles=[[0, 1, 3], [0, 1, 2]])
    report = s.check_topology()
    assert report.degenerate_triangles.tolist() == [1]
    assert report.unused_vertices.tolist() == [4]
    assert not report.is_valid
    assert np.allclose(s.vertex_normals[4], 0.0)  # no triangle: zero normal, still finite
    json.dumps(report.summary())
    assert "degenerate" in str(report)
