"""Sample entropy against a direct O(N^2) count."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.analyzers.entropy import sample_entropy


def _sampen_direct(x, m, r):
    """Richman & Moorman's definition, written out: the first N - m templates of lengths m
    and m + 1, pairs i < j, Chebyshev distance < r."""
    n = len(x) - m
    b = a = 0
    for i in range(n):
        for j in range(i + 1, n):
            if np.max(np.abs(x[i : i + m] - x[j : j + m])) < r:
                b += 1
                if abs(x[i + m] - x[j + m]) < r:
                    a += 1
    return -np.log(a / b)


@pytest.mark.parametrize(("m", "seed"), [(1, 0), (2, 1), (3, 2)])
def test_sample_entropy_equals_direct_count(m, seed):
    x = np.random.default_rng(seed).standard_normal(400)
    r = 0.2 * x.std()
    assert sample_entropy(x, m=m, r=r) == pytest.approx(_sampen_direct(x, m, r))


def test_regular_signal_has_lower_entropy_than_noise():
    t = np.arange(3000) / 1000.0
    x = np.column_stack(
        [np.sin(2 * np.pi * 5 * t), np.random.default_rng(0).standard_normal(t.size)]
    )
    se = an.SampleEntropy()(x, sample_period=1.0)
    assert se.array_data.shape == (1, 1, 2, 1)
    assert se.array_data[0, 0, 0, 0] < 0.3 < 1.5 < se.array_data[0, 0, 1, 0]
    np.testing.assert_allclose(se.r[0, :, 0], 0.15 * x.std(axis=0))


def test_white_noise_sample_entropy_matches_theory_and_multiscale_decreases():
    # white Gaussian noise: SampEn ~ -ln P(|x - y| < r) for independent x, y
    from scipy.stats import norm

    x = np.random.default_rng(1).standard_normal(20000)[:, None]
    se = an.compute_sample_entropy(x, sample_period=1.0, scales=(1, 2, 4, 8))
    e = se.array_data[:, 0, 0, 0]
    p = 2 * norm.cdf(0.15 / np.sqrt(2)) - 1
    assert e[0] == pytest.approx(-np.log(p), rel=0.05)
    # coarse-grained white noise loses variance at fixed r: entropy falls (Costa 2002, fig 1)
    assert np.all(np.diff(e) < 0)


def test_quadratic_sample_entropy_adds_log_2r():
    x = np.random.default_rng(2).standard_normal(500)
    r = 0.3
    assert sample_entropy(x, r=r, quadratic=True) == pytest.approx(
        sample_entropy(x, r=r) + np.log(2 * r)
    )


def test_sample_entropy_bad_scales():
    with pytest.raises(ValueError, match="scales"):
        an.SampleEntropy(scales=(0,))(np.zeros((50, 1)) + np.arange(50)[:, None], sample_period=1.0)
