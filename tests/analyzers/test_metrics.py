"""Time-series metrics: Kuramoto order parameter, variances, metastability."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.config.traits import ValidationError

T = np.arange(5000) / 1000.0  # 5 s at 1 kHz


def test_kuramoto_index_of_identical_phases_is_one():
    x = np.repeat(np.sin(2 * np.pi * 10 * T)[:, None], 8, axis=1) * np.linspace(1, 3, 8)
    k = an.KuramotoIndex()(x, sample_period=1.0)
    assert k["kuramoto_index"] == pytest.approx(1.0, abs=1e-12)
    assert k["metastability"] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(k.series[:, 0], 1.0)
    assert k.time[0] == 500.0  # default start_point discards 500 ms


def test_kuramoto_index_of_uniformly_spread_phases_is_near_zero():
    n = 12
    offsets = 2 * np.pi * np.arange(n) / n
    x = np.sin(2 * np.pi * 10 * T[:, None] + offsets)
    k = an.compute_kuramoto_index(x, sample_period=1.0)
    assert k["kuramoto_index"] < 0.02


def test_kuramoto_state_variable_phases_match_reference_definition():
    # phases from x0 + i x1 (the reference's method)
    theta = np.random.default_rng(0).uniform(-np.pi, np.pi, (100, 5))
    data = np.stack([np.cos(theta), np.sin(theta)], axis=1)[..., None]
    k = an.KuramotoIndex(phase_method="state_variables", start_point=0.0)(data, sample_period=1.0)
    expected = np.abs(np.exp(1j * theta).mean(axis=1)).mean()
    assert k["kuramoto_index"] == pytest.approx(expected)
    with pytest.raises(ValidationError, match="at least 2 variables"):
        an.KuramotoIndex(phase_method="state_variables")(np.zeros((10, 3)), sample_period=1.0)


def test_global_variance_and_variance_of_node_variance_by_hand():
    # node k: +-a_k alternating -> zero mean, variance a_k^2
    amps = np.array([1.0, 2.0, 3.0])
    x = np.outer(np.tile([1.0, -1.0], 50), amps) + np.array([5.0, -2.0, 0.0])
    gv = an.GlobalVariance(start_point=0.0)(x, sample_period=1.0)
    assert gv["global_variance"] == pytest.approx(np.mean(amps**2))
    vnv = an.VarianceNodeVariance(start_point=0.0)(x, sample_period=1.0)
    assert vnv["variance_of_node_variance"] == pytest.approx(np.var(amps**2))


def test_start_point_discards_the_transient():
    x = np.concatenate([np.full(500, 100.0), np.tile([1.0, -1.0], 250)])[:, None]
    assert an.compute_global_variance(x, sample_period=1.0)["global_variance"] == pytest.approx(1.0)
    # shorter than start_point: the last of `segment` parts is used
    short = np.arange(100.0)[:, None]
    out = an.GlobalVariance(start_point=1000.0, segment=4)(short, sample_period=1.0)
    assert out["global_variance"] == pytest.approx(np.var(np.arange(75.0, 100.0)))


def test_proxy_metastability_and_synchrony_by_hand():
    # two nodes: V(t) = mean_i |x_i - mean x| = |x_0 - x_1| / 2
    d = np.array([2.0, 4.0, 2.0, 4.0])
    x = np.column_stack([d / 2, -d / 2])
    out = an.ProxyMetastabilitySynchrony(start_point=0.0)(x, sample_period=1.0)
    v = d / 2
    assert out["metastability"] == pytest.approx(v.std())
    assert out["synchrony"] == pytest.approx(1.0 / v.mean())
    assert out.as_mapping() == {
        "metastability": pytest.approx(v.std()),
        "synchrony": pytest.approx(1 / v.mean()),
    }
