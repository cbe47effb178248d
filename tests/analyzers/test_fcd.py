"""Functional connectivity dynamics: known answers."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.analyzers.fcd import sliding_window_fc
from vbrain.config.traits import ValidationError


def _correlated_noise(n_time, mix, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_time, mix.shape[0])) @ mix


def test_fcd_of_a_stationary_process_is_near_uniform():
    rng = np.random.default_rng(0)
    mix = rng.standard_normal((6, 6))
    x = _correlated_noise(60000, mix, 1)  # one fixed correlation structure throughout
    fcd = an.FunctionalConnectivityDynamics(window_length=5000.0, window_step=1000.0)(
        x, sample_period=1.0
    )
    m = fcd.array_data[:, :, 0, 0]
    assert m.shape == (56, 56)
    off = m[np.triu_indices_from(m, 1)]
    assert off.mean() > 0.95 and off.std() < 0.03
    np.testing.assert_allclose(np.diag(m), 1.0)
    np.testing.assert_allclose(m, m.T)


def test_fcd_shows_a_switch_between_two_states():
    rng = np.random.default_rng(2)
    a = _correlated_noise(20000, rng.standard_normal((6, 6)), 3)
    b = _correlated_noise(20000, rng.standard_normal((6, 6)), 4)
    fcd = an.compute_fcd(
        np.vstack([a, b]), sample_period=1.0, window_length=2000.0, window_step=2000.0, n_epochs=2
    )
    m = fcd.array_data[:, :, 0, 0]
    within = m[:10, :10][np.triu_indices(10, 1)].mean()
    across = m[:10, 10:].mean()
    assert within > 0.9 and across < within - 0.3
    # the two epochs' leading eigenvectors are those of each state's FC
    fc_a = np.corrcoef(a.T)
    w, v = np.linalg.eigh(fc_a)
    lead = v[:, -1] * np.sign(v[np.argmax(np.abs(v[:, -1])), -1])
    assert abs(fcd.eigenvectors[0, 0, :, 0, 0] @ lead) > 0.99
    np.testing.assert_array_equal(fcd.epoch_windows, [[0, 10], [10, 20]])


def test_window_fc_equals_corrcoef():
    x = np.random.default_rng(5).standard_normal((300, 4))
    fc = sliding_window_fc(x, 100, 50)
    assert fc.shape == (5, 4, 4)
    for w in range(5):
        np.testing.assert_allclose(fc[w], np.corrcoef(x[50 * w : 50 * w + 100].T), atol=1e-12)


def test_fcd_reference_defaults_and_window_times():
    fcd = an.FunctionalConnectivityDynamics()
    assert (fcd.window_length, fcd.window_step, fcd.n_eigenvectors) == (120000.0, 2000.0, 3)
    out = fcd(fcd.example_input())
    # 400 samples of 500 ms = 200 s; 120 s windows every 2 s -> 41 windows
    assert out.n_windows == 41
    np.testing.assert_allclose(out.window_times[:2], [0.0, 2000.0])
    assert out.eigenvectors.shape == (1, 3, 5, 1, 1)
    assert np.all(np.diff(out.eigenvalues[0, :, 0, 0]) <= 0)


def test_fcd_bad_inputs():
    with pytest.raises(ValidationError, match="longer than the series"):
        an.FunctionalConnectivityDynamics()(np.zeros((100, 4)), sample_period=1.0)
    with pytest.raises(ValidationError, match="at least 3 nodes"):
        an.compute_fcd(
            np.random.default_rng(0).standard_normal((100, 2)),
            sample_period=1.0,
            window_length=10.0,
            window_step=5.0,
        )
    with pytest.raises(ValidationError, match="window_step = 0 must be > 0 ms"):
        an.FunctionalConnectivityDynamics(window_step=0.0)
