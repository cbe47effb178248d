"""Pearson correlation, covariance and cross-correlation."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.config.traits import ValidationError


def test_pearson_and_covariance_match_numpy():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 2, 4, 1))
    corr = an.PearsonCorrelation()(x, sample_period=1.0)
    cov = an.NodeCovariance()(x, sample_period=1.0)
    assert corr.array_data.shape == (4, 4, 2, 1)
    for v in range(2):
        np.testing.assert_allclose(corr.array_data[:, :, v, 0], np.corrcoef(x[:, v, :, 0].T))
        np.testing.assert_allclose(cov.array_data[:, :, v, 0], np.cov(x[:, v, :, 0].T))
    np.testing.assert_allclose(np.diag(corr.matrix), 1.0)


def test_pearson_hand_values_and_time_window():
    t = np.arange(100.0)
    x = np.column_stack([t, 2 * t + 1, -t, (t % 2)])
    corr = an.compute_correlation(x, sample_period=1.0).matrix
    assert corr[0, 1] == pytest.approx(1.0) and corr[0, 2] == pytest.approx(-1.0)
    # window [10, 20) ms: 10 samples
    win = an.PearsonCorrelation(t_start=10.0, t_end=20.0)(x, sample_period=1.0)
    assert win.matrix[0, 1] == pytest.approx(1.0)
    with pytest.raises(ValidationError, match="holds 0 samples"):
        an.PearsonCorrelation(t_start=500.0)(x, sample_period=1.0)


def test_constant_node_gives_nan_correlation_not_an_error():
    x = np.column_stack([np.arange(10.0), np.ones(10)])
    corr = an.compute_correlation(x, sample_period=1.0)
    assert np.isnan(corr.matrix[0, 1])


def test_cross_correlation_finds_the_lag():
    rng = np.random.default_rng(1)
    src = rng.standard_normal(5000)
    lag = 7  # samples of 2 ms = 14 ms
    x = np.column_stack([src, np.roll(src, lag)])  # node 1 follows node 0
    cc = an.CrossCorrelate(max_lag=40.0)(x, sample_period=2.0)
    assert cc.array_data.shape == (41, 2, 2, 1, 1)
    np.testing.assert_allclose(cc.time[[0, 20, 40]], [-40.0, 0.0, 40.0])
    # zero-lag autocorrelation is 1
    assert cc.array_data[20, 0, 0, 0, 0] == pytest.approx(1.0)
    # rho_10(tau) peaks at +14 ms: x1(t + tau) ~ x0(t) ... x1(t) = x0(t - 14 ms)
    assert cc.peak_lag()[1, 0, 0, 0] == 14.0
    assert cc.peak_lag()[0, 1, 0, 0] == -14.0
    assert cc.array_data[27, 1, 0, 0, 0] == pytest.approx(1.0, abs=0.01)


def test_cross_correlation_matches_direct_sum():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((300, 3))
    cc = an.compute_cross_correlation(x, sample_period=1.0, max_lag=5.0)
    z = x - x.mean(axis=0)
    sd = z.std(axis=0)
    n = len(z)
    for k, tau in enumerate(range(-5, 6)):
        for i in range(3):
            for j in range(3):
                if tau >= 0:
                    direct = np.sum(z[tau:, i] * z[: n - tau, j])
                else:
                    direct = np.sum(z[: n + tau, i] * z[-tau:, j])
                assert cc.array_data[k, i, j, 0, 0] == pytest.approx(direct / (n * sd[i] * sd[j]))


def test_cross_correlation_lag_too_long():
    with pytest.raises(ValidationError, match="max_lag"):
        an.CrossCorrelate(max_lag=100.0)(np.zeros((50, 2)), sample_period=1.0)
