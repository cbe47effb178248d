"""LocalConnectivity: kernel values, homogenisation as the reference, coarse-mesh warnings,
the shipped 16k matrix, file reading and validation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from vbrain.config.traits import ValidationError
from vbrain.datatypes.equations import Discrete, DoubleGaussian, Gaussian, Sigmoid
from vbrain.datatypes.local_connectivity import (
    CoarseMeshWarning,
    LocalConnectivity,
    homogenise_rows,
)
from vbrain.datatypes.surface import icosphere
from vbrain.surface import compute_geodesic_distances


@pytest.fixture(scope="module")
def sphere():
    return icosphere(3, radius=50.0)  # 642 vertices, mean edge 7.5 mm


@pytest.mark.parametrize(
    "equation",
    [
        Gaussian(sigma=8.0),
        DoubleGaussian(sigma_1=12.0, sigma_2=6.0),
        Sigmoid(radius=15.0),
        Discrete(),
    ],
)
def test_values_are_the_equation_at_the_geodesic_distances(sphere, equation) -> None:
    lc = LocalConnectivity.from_surface(sphere, equation, cutoff=25.0, homogenise=False)
    d = compute_geodesic_distances(sphere, 25.0)
    m = lc.matrix
    assert m.shape == d.shape
    np.testing.assert_array_equal(m.indptr, d.indptr)
    np.testing.assert_array_equal(m.indices, d.indices)
    np.testing.assert_allclose(m.data, equation.evaluate(d.data), rtol=1e-12)
    assert lc.equation == equation and lc.cutoff == 25.0 and lc.surface is sphere
    assert m.diagonal().max() == 0.0  # no self-coupling (distance 0 is not stored)


def test_rows_are_homogenised_as_the_reference(sphere) -> None:
    eq = DoubleGaussian(sigma_1=12.0, sigma_2=6.0)
    raw = LocalConnectivity.from_surface(sphere, eq, cutoff=30.0, homogenise=False).matrix
    lc = LocalConnectivity.from_surface(sphere, eq, cutoff=30.0)
    m = lc.matrix
    pos_raw = np.asarray(raw.multiply(raw > 0).sum(axis=1)).ravel()
    neg_raw = np.asarray(raw.multiply(raw < 0).sum(axis=1)).ravel()
    pos = np.asarray(m.multiply(m > 0).sum(axis=1)).ravel()
    neg = np.asarray(m.multiply(m < 0).sum(axis=1)).ravel()
    # each part of every row sums to the mean of that part over the rows
    np.testing.assert_allclose(pos, pos_raw.mean(), rtol=1e-10)
    np.testing.assert_allclose(neg, neg_raw.mean(), rtol=1e-10)
    # the signs and the pattern are kept; within a row a part is scaled by one factor
    assert (np.sign(m.data) == np.sign(raw.data)).all()
    row = 5
    r_raw, r_new = raw.getrow(row), m.getrow(row)
    ratio = r_new.data / r_raw.data
    np.testing.assert_allclose(ratio[r_raw.data > 0], pos_raw.mean() / pos_raw[row])
    np.testing.assert_allclose(ratio[r_raw.data < 0], neg_raw.mean() / neg_raw[row])


def test_homogenise_rows_by_hand() -> None:
    m = sp.csr_matrix(
        [[0.0, 1.0, 3.0, -2.0], [4.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.0], [0, 0, 0, 0]]
    )
    out, bad = homogenise_rows(m)
    # positive row sums 4, 4, 0, 0 -> mean 2; negative -2, 0, -1, 0 -> mean -0.75
    expected = [[0.0, 0.5, 1.5, -0.75], [2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -0.75], [0, 0, 0, 0]]
    np.testing.assert_allclose(out.toarray(), expected)
    assert bad.tolist() == [1, 2, 3]  # rows without a positive or a negative part


def test_coarse_mesh_warnings(sphere) -> None:
    # sigma 1 mm on a 7.5 mm mesh: almost all of the kernel falls between vertices
    with pytest.warns(CoarseMeshWarning, match="too coarse"):
        LocalConnectivity.from_surface(sphere, Gaussian(sigma=1.0), cutoff=20.0)
    with pytest.warns(CoarseMeshWarning, match="cutoff"):
        LocalConnectivity.from_surface(sphere, Gaussian(sigma=8.0), cutoff=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoarseMeshWarning)
        LocalConnectivity.from_surface(sphere, Gaussian(sigma=10.0), cutoff=30.0)


def test_equation_by_name_and_default(sphere) -> None:
    lc = LocalConnectivity.from_surface(sphere, "MexicanHat", cutoff=15.0, homogenise=False)
    assert isinstance(lc.equation, DoubleGaussian)
    with pytest.warns(CoarseMeshWarning):
        default = LocalConnectivity.from_surface(sphere)  # the reference's Gaussian(), 40 mm
    assert default.equation == Gaussian() and default.cutoff == 40.0
    with pytest.raises(ValidationError, match="SpatialEquation"):
        LocalConnectivity.from_surface(sphere, "Sinusoid")


def test_shipped_local_connectivity() -> None:
    from vbrain.datasets import list_local_connectivities, load_local_connectivity

    assert "16k" in list_local_connectivities()
    lc = load_local_connectivity("16k")
    assert lc.matrix.shape == (16384, 16384)
    assert lc.nnz == 98280
    # each vertex averages its mesh neighbours: rows sum to 1, no self-coupling
    np.testing.assert_allclose(np.asarray(lc.matrix.sum(axis=1)).ravel(), 1.0)
    assert lc.matrix.diagonal().max() == 0.0
    assert load_local_connectivity("local_connectivity_16384.mat").nnz == 98280
    with_surface = load_local_connectivity("16384", with_surface=True)
    assert with_surface.surface.n_vertices == 16384
    with pytest.raises(ValidationError, match="available"):
        load_local_connectivity("80k")


def test_read_npz_and_mat(tmp_path) -> None:
    from scipy.io import savemat

    from vbrain.io.local_connectivity import (
        LocalConnectivityFormatError,
        read_local_connectivity,
    )

    m = sp.random(20, 20, density=0.2, random_state=0, format="csr")
    sp.save_npz(tmp_path / "lc.npz", m)
    back = read_local_connectivity(tmp_path / "lc.npz")
    assert abs(back.matrix - m).max() == 0.0
    savemat(tmp_path / "lc.mat", {"Other": m.tocsc()})
    assert abs(read_local_connectivity(tmp_path / "lc.mat").matrix - m).max() == 0.0
    savemat(tmp_path / "two.mat", {"A": np.eye(3), "B": np.eye(3)})
    with pytest.raises(LocalConnectivityFormatError, match="holds"):
        read_local_connectivity(tmp_path / "two.mat")
    savemat(tmp_path / "rect.mat", {"LocalCoupling": np.ones((2, 3))})
    with pytest.raises(LocalConnectivityFormatError, match="square"):
        read_local_connectivity(tmp_path / "rect.mat")


def test_validation() -> None:
    ok = dict(data=[1.0, 2.0], indices=[1, 0], indptr=[0, 1, 2])
    assert LocalConnectivity(**ok).n_vertices == 2
    with pytest.raises(ValidationError, match="indptr"):
        LocalConnectivity(**{**ok, "indptr": [1, 1, 2]})
    with pytest.raises(ValidationError, match="agree"):
        LocalConnectivity(**{**ok, "indptr": [0, 1, 3]})
    with pytest.raises(ValidationError, match="square"):
        LocalConnectivity(**{**ok, "indices": [1, 5]})
    with pytest.raises(ValidationError, match="vertices"):
        LocalConnectivity(**ok, surface=icosphere(0))
    with pytest.raises(ValidationError, match="square"):
        LocalConnectivity.from_matrix(np.ones((2, 3)))
