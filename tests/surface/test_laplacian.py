"""Laplace-Beltrami operator: spherical-harmonic eigenvalues, symmetry, null space."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse.linalg as sla

from vbrain.config.traits import ValidationError
from vbrain.datatypes.surface import icosphere
from vbrain.surface import (
    compute_cotangent_laplacian,
    compute_laplace_beltrami,
    compute_mass_matrix,
)

RADIUS = 10.0


@pytest.fixture(scope="module")
def sphere():
    return icosphere(4, radius=RADIUS)  # 2562 vertices


@pytest.mark.parametrize("mass", ["voronoi", "lumped"])
def test_sphere_eigenvalues_are_l_l_plus_1_over_r2(sphere, mass: str) -> None:
    L = compute_cotangent_laplacian(sphere)
    M = compute_mass_matrix(sphere, mass).tocsc()
    # shift-invert just below 0: the 16 smallest eigenvalues of -L phi = lambda M phi
    values = np.sort(sla.eigsh(-L, k=16, M=M, sigma=-1e-3, return_eigenvectors=False))
    assert abs(values[0]) < 1e-8  # constants
    expected = np.repeat([2.0, 6.0, 12.0], [3, 5, 7]) / RADIUS**2  # l(l+1)/R^2, 2l+1 times
    np.testing.assert_allclose(values[1:], expected, rtol=0.02)


def test_cotangent_laplacian_is_symmetric_with_zero_row_sums(sphere) -> None:
    L = compute_cotangent_laplacian(sphere)
    assert abs(L - L.T).max() < 1e-12
    assert np.abs(np.asarray(L.sum(axis=1))).max() < 1e-12
    assert (L.diagonal() < 0).all()
    # negative semi-definite: the energy of any field is <= 0
    f = np.random.default_rng(0).standard_normal(sphere.n_vertices)
    assert f @ (L @ f) <= 0


def test_mass_matrices_sum_to_the_area(sphere) -> None:
    for kind in ("voronoi", "lumped"):
        areas = compute_mass_matrix(sphere, kind).diagonal()
        assert areas.sum() == pytest.approx(sphere.area, rel=1e-12)
        assert (areas > 0).all()
    lumped = compute_mass_matrix(sphere, "lumped").diagonal()
    np.testing.assert_allclose(lumped, sphere.vertex_areas, rtol=1e-12)
    with pytest.raises(ValidationError, match="voronoi"):
        compute_mass_matrix(sphere, "bogus")  # type: ignore[arg-type]


def test_operator_acts_on_vertex_values_like_the_laplacian(sphere) -> None:
    op = compute_laplace_beltrami(sphere)
    assert op.shape == (sphere.n_vertices,) * 2
    np.testing.assert_allclose(op @ np.ones(sphere.n_vertices), 0.0, atol=1e-12)
    x, y, z = sphere.vertices.T
    # l = 1 and l = 2 harmonics: Delta f = -l(l+1) f / R^2
    # within 1 % of the amplitude 2 / R of -2 z / R^2
    np.testing.assert_allclose(op @ z, -2.0 * z / RADIUS**2, atol=0.01 * 2.0 / RADIUS)
    f = x * y / RADIUS**2
    np.testing.assert_allclose(op @ f, -6.0 * f / RADIUS**2, atol=0.05 * 6 / RADIUS**2)
