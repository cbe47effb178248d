"""Geodesic distances: accuracy (sphere, flat grid, cortex vs exact), shape of the result,
refusal of non-manifold / pinched meshes, holes and disconnected pieces."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from vbrain.config.traits import ValidationError
from vbrain.datatypes.surface import Surface, icosphere
from vbrain.surface import (
    SurfaceHolesWarning,
    compute_geodesic_distances,
    compute_geodesic_distances_from,
)


def _great_circle(vertices: np.ndarray, i: np.ndarray, j: np.ndarray, radius: float) -> np.ndarray:
    u = vertices / radius
    return radius * np.arccos(np.clip(np.einsum("ij,ij->i", u[i], u[j]), -1.0, 1.0))


def _grid(n: int = 21, spacing: float = 1.0) -> Surface:
    """A flat square sheet of n x n vertices, each square split in two triangles."""
    x, y = np.meshgrid(np.arange(n) * spacing, np.arange(n) * spacing, indexing="ij")
    vertices = np.stack([x.ravel(), y.ravel(), np.zeros(n * n)], axis=1)
    idx = np.arange(n * n).reshape(n, n)
    a, b, c, d = idx[:-1, :-1], idx[1:, :-1], idx[1:, 1:], idx[:-1, 1:]
    triangles = np.concatenate(
        [np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)]
    )
    return Surface(vertices=vertices, triangles=triangles)


@pytest.fixture(scope="module")
def sphere() -> Surface:
    # 2562 vertices, mean edge 3.8 mm: the spacing of the shipped 16k cortex
    return icosphere(4, radius=50.0)


def test_sphere_within_one_percent_of_great_circles(sphere: Surface) -> None:
    cutoff = 40.0
    d = compute_geodesic_distances(sphere, cutoff).tocoo()
    exact = _great_circle(sphere.vertices, d.row, d.col, 50.0)
    rel = np.abs(d.data - exact) / exact
    assert rel.max() < 0.01
    assert np.median(rel) < 0.002
    # every pair closer than the cutoff (with a margin for the approximation) is there
    n = sphere.n_vertices
    i, j = np.triu_indices(n, 1)
    close = _great_circle(sphere.vertices, i, j, 50.0) < cutoff * 0.99
    present = np.asarray(d.tocsr()[i[close], j[close]]).ravel() > 0
    assert present.all()


def test_result_is_symmetric_sparse_and_within_cutoff(sphere: Surface) -> None:
    cutoff = 12.0
    d = compute_geodesic_distances(sphere, cutoff)
    assert d.shape == (sphere.n_vertices, sphere.n_vertices)
    assert d.format == "csr" and d.has_sorted_indices
    assert abs(d - d.T).max() == 0.0
    assert d.data.max() <= cutoff and d.data.min() > 0.0
    assert d.diagonal().max() == 0.0  # the diagonal is not stored
    # mesh neighbours are at least as far as their straight (chord) distance
    e = sphere.edges
    along = np.asarray(d[e[:, 0], e[:, 1]]).ravel()
    assert np.all(along >= sphere.edge_lengths * (1 - 1e-12))
    # without symmetrising, the two directions differ only slightly
    raw = compute_geodesic_distances(sphere, cutoff, symmetric=False)
    assert raw.has_sorted_indices and raw.nnz >= d.nnz * 0.99
    assert abs(raw - raw.T).max() < 0.05 * cutoff


def test_single_thread_gives_the_same(sphere: Surface) -> None:
    a = compute_geodesic_distances(sphere, 10.0, n_threads=1)
    b = compute_geodesic_distances(sphere, 10.0, n_threads=2)
    assert abs(a - b).max() == 0.0


def test_distances_from_sources(sphere: Surface) -> None:
    d = compute_geodesic_distances_from(sphere, [0, 7])
    assert d.shape == (2, sphere.n_vertices)
    assert d[0, 0] == 0.0 and d[1, 7] == 0.0
    cols = np.arange(sphere.n_vertices)
    for row, src in enumerate([0, 7]):
        exact = _great_circle(sphere.vertices, np.full(cols.size, src), cols, 50.0)
        far = exact > 1.0
        assert np.max(np.abs(d[row, far] - exact[far]) / exact[far]) < 0.025
    # the antipode of the sphere is half a circumference away
    assert d[0].max() == pytest.approx(np.pi * 50.0, rel=0.02)
    cut = compute_geodesic_distances_from(sphere, 0, cutoff=10.0)
    assert np.isinf(cut).any() and cut[np.isfinite(cut)].max() <= 10.0


def test_flat_grid_matches_euclidean_distances() -> None:
    grid = _grid(21)
    with pytest.warns(SurfaceHolesWarning):  # an open sheet: its rim is a boundary
        d = compute_geodesic_distances_from(grid, [0, 220])  # a corner and the centre
    for row, src in enumerate([0, 220]):
        exact = np.linalg.norm(grid.vertices - grid.vertices[src], axis=1)
        ok = exact > 0
        rel = np.abs(d[row, ok] - exact[ok]) / exact[ok]
        assert rel.max() < 0.01


def test_cortex_against_exact_method() -> None:
    """Median relative error <= 1 % against the exact MMP method (tvb-gdist) on a sample."""
    gdist = pytest.importorskip("gdist", reason="tvb-gdist gives the exact reference")
    from vbrain.datasets import load_surface

    cortex = load_surface("cortex_16k")
    rng = np.random.default_rng(0)
    sources = rng.choice(cortex.n_vertices, 12, replace=False)
    mine = compute_geodesic_distances_from(cortex, sources, cutoff=40.0)
    verts = cortex.vertices.astype(np.float64)
    tris = cortex.triangles.astype(np.int32)
    rel = []
    for row, src in enumerate(sources):
        exact = gdist.compute_gdist(verts, tris, np.array([src], np.int32), max_distance=45.0)
        both = (exact > 0) & (exact <= 40.0) & np.isfinite(mine[row])
        rel.append(np.abs(mine[row, both] - exact[both]) / exact[both])
        # (almost) nothing within the cutoff is missed
        missed = (exact > 0) & (exact <= 39.0) & ~np.isfinite(mine[row])
        assert missed.sum() <= 0.01 * both.sum()
    rel = np.concatenate(rel)
    assert np.median(rel) <= 0.01
    assert np.percentile(rel, 95) <= 0.05


@pytest.mark.slow
def test_cortex_full_matrix_against_exact_method() -> None:
    """The symmetric 40 mm matrix of the whole 16k cortex, rows checked against tvb-gdist."""
    gdist = pytest.importorskip("gdist", reason="tvb-gdist gives the exact reference")
    from vbrain.datasets import load_surface

    cortex = load_surface("cortex_16k")
    d = compute_geodesic_distances(cortex, 40.0)
    assert abs(d - d.T).max() == 0.0 and d.data.max() <= 40.0
    verts = cortex.vertices.astype(np.float64)
    tris = cortex.triangles.astype(np.int32)
    rel = []
    for src in np.random.default_rng(1).choice(cortex.n_vertices, 8, replace=False):
        row = d.getrow(src)
        exact = gdist.compute_gdist(
            verts, tris, np.array([src], np.int32), target_indices=row.indices.astype(np.int32)
        )
        rel.append(np.abs(row.data - exact) / exact)
    assert np.median(np.concatenate(rel)) <= 0.01


def _pinched() -> Surface:
    """Two tetrahedra sharing one vertex (0): a pinched vertex."""
    v = np.array(
        [[0, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1], [1, 0, -1], [0, 1, -1], [1, 1, -1]],
        dtype=float,
    )
    t = [[0, 1, 2], [0, 2, 3], [0, 3, 1], [1, 3, 2], [0, 5, 4], [0, 6, 5], [0, 4, 6], [4, 5, 6]]
    return Surface(vertices=v, triangles=t)


def _non_manifold() -> Surface:
    """Three triangles sharing the edge (0, 1)."""
    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1]], dtype=float)
    return Surface(vertices=v, triangles=[[0, 1, 2], [1, 0, 3], [0, 1, 4]])


@pytest.mark.parametrize(("mesh", "word"), [(_pinched, "pinched"), (_non_manifold, "non-manifold")])
def test_bad_meshes_are_refused(mesh, word: str) -> None:
    with pytest.raises(ValidationError, match=word) as info:
        compute_geodesic_distances(mesh(), 5.0)
    assert "geodesic" in str(info.value)
    with pytest.raises(ValidationError, match=word):
        compute_geodesic_distances_from(mesh(), [0])
    # without the check the march still terminates (it cannot loop)
    d = compute_geodesic_distances(mesh(), 5.0, check=False)
    assert np.isfinite(d.data).all()


def test_mesh_with_holes_warns_and_finishes(sphere: Surface) -> None:
    keep = np.ones(sphere.n_triangles, bool)
    keep[[0, 1, 2, 500, 501, 2000]] = False  # punch a few holes
    holed = Surface(vertices=sphere.vertices, triangles=sphere.triangles[keep])
    with pytest.warns(SurfaceHolesWarning, match="holes"):
        d = compute_geodesic_distances(holed, 30.0)
    assert np.isfinite(d.data).all() and d.data.max() <= 30.0
    # going around a hole is never shorter than across the closed sphere
    full = compute_geodesic_distances(sphere, 30.0)
    both = d.multiply(full > 0).tocoo()
    ref = np.asarray(full[both.row, both.col]).ravel()
    assert np.all(both.data >= ref - 1e-9)


def test_disconnected_pieces_do_not_reach_each_other() -> None:
    a = icosphere(2, radius=10.0)
    b = icosphere(2, radius=10.0, centre=(21.0, 0.0, 0.0))  # 1 mm apart
    both = Surface(
        vertices=np.concatenate([a.vertices, b.vertices]),
        triangles=np.concatenate([a.triangles, b.triangles + a.n_vertices]),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no hole warning: two closed pieces
        d = compute_geodesic_distances(both, 100.0)
    n = a.n_vertices
    assert d[:n, n:].nnz == 0 and d[n:, :n].nnz == 0
    assert d[:n, :n].nnz == n * (n - 1)  # all pairs of one sphere are within 100 mm


def test_bad_arguments_are_refused(sphere: Surface) -> None:
    with pytest.raises(ValidationError, match="cutoff"):
        compute_geodesic_distances(sphere, 0.0)
    with pytest.raises(ValidationError, match="cutoff"):
        compute_geodesic_distances(sphere, float("nan"))
    with pytest.raises(ValidationError, match="sources"):
        compute_geodesic_distances_from(sphere, [sphere.n_vertices])
    with pytest.raises(ValidationError, match="n_threads"):
        compute_geodesic_distances(sphere, 5.0, n_threads=0)
    # a (vertices, triangles) pair works like a Surface
    d = compute_geodesic_distances((sphere.vertices, sphere.triangles), 5.0)
    assert abs(d - compute_geodesic_distances(sphere, 5.0)).max() == 0.0
