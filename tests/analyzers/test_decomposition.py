"""PCA and ICA: known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import hadamard

import vbrain.analyzers as an
from vbrain.config.traits import ValidationError


def _known_components(n_time=20000, seed=0):
    """Data = sum_k s_k(t) u_k with orthonormal Hadamard patterns u_k (every entry +-1/sqrt(8),
    so all nodes have the same variance) and uncorrelated time courses of variance lam_k."""
    rng = np.random.default_rng(seed)
    u = hadamard(8)[:4].astype(float) / np.sqrt(8)  # 4 components over 8 nodes
    lam = np.array([8.0, 4.0, 2.0, 1.0])
    s = rng.standard_normal((n_time, 4))
    s -= s.mean(axis=0)
    # exactly uncorrelated sources with exactly the wanted variances (whitening)
    s = s @ np.linalg.inv(np.linalg.cholesky(np.cov(s, rowvar=False, bias=True))).T
    s *= np.sqrt(lam)
    return s @ u, u, lam


@pytest.mark.parametrize("standardise", [False, True])
def test_pca_recovers_components_and_variance_fractions(standardise):
    x, u, lam = _known_components()
    pca = an.PCA(standardise=standardise)(x, sample_period=1.0)
    assert pca.weights.shape == (8, 8, 1, 1)
    w = pca.weights[:4, :, 0, 0]
    # each recovered weight vector equals a true pattern up to sign
    np.testing.assert_allclose(np.abs(w @ u.T), np.eye(4), atol=1e-8)
    np.testing.assert_allclose(pca.fractions[:4, 0, 0], lam / lam.sum(), atol=1e-10)
    np.testing.assert_allclose(pca.fractions[4:, 0, 0], 0.0, atol=1e-10)
    assert pca.fractions[:, 0, 0].sum() == pytest.approx(1.0)


def test_pca_component_time_series_reconstruct_the_data():
    x, _, _ = _known_components(2000)
    pca = an.compute_pca(x, sample_period=1.0, standardise=False)
    comps = pca.component_time_series[:, :, 0, 0]
    w = pca.weights[:, :, 0, 0]
    np.testing.assert_allclose(comps @ w, x - x.mean(axis=0), atol=1e-9)
    # components are uncorrelated
    c = np.cov(comps[:, :4], rowvar=False)
    np.testing.assert_allclose(c - np.diag(np.diag(c)), 0.0, atol=1e-8)


def test_pca_n_components_and_errors():
    x = np.random.default_rng(0).standard_normal((100, 5))
    pca = an.PCA(n_components=2)(x, sample_period=1.0)
    assert pca.weights.shape == (2, 5, 1, 1) and pca.component_time_series.shape == (100, 2, 1, 1)
    with pytest.raises(ValidationError, match="exceeds the 5 nodes"):
        an.PCA(n_components=6)(x, sample_period=1.0)
    with pytest.raises(ValidationError, match="at least as many time points"):
        an.PCA()(x[:3], sample_period=1.0)


def test_ica_recovers_mixed_independent_sources():
    rng = np.random.default_rng(42)
    t = np.arange(20000) / 1000.0
    sources = np.column_stack(
        [
            np.sign(np.sin(2 * np.pi * 3.0 * t)),  # square wave
            ((t * 5.0) % 1.0) - 0.5,  # sawtooth
            rng.laplace(size=t.size),  # super-Gaussian noise
        ]
    )
    mixing = rng.standard_normal((5, 3))  # 3 sources into 5 nodes
    x = sources @ mixing.T
    ica = an.ICA(n_components=3)(x, sample_period=1.0)
    est = ica.component_time_series[:, :, 0, 0]
    corr = np.abs(np.corrcoef(est.T, sources.T)[:3, 3:])
    # every true source is matched by one estimated source
    assert np.all(corr.max(axis=0) > 0.95)
    assert sorted(np.argmax(corr, axis=0).tolist()) == [0, 1, 2]
    # x = A s + mean
    a = ica.mixing_matrix[:, :, 0, 0]
    np.testing.assert_allclose(est @ a.T + ica.mean[:, 0, 0], x, atol=1e-8)
    w = ica.unmixing_matrix[:, :, 0, 0]
    np.testing.assert_allclose((x - ica.mean[:, 0, 0]) @ w.T, est, atol=1e-8)
