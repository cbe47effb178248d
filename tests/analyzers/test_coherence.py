"""Cross coherence and complex coherence: known answers."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.config.traits import ValidationError


def test_coherence_of_identical_signals_is_one_and_of_independent_noise_near_zero():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(60000)
    x = np.column_stack([a, a, 3.0 * a + 1.0, rng.standard_normal(60000)])
    coh = an.NodeCoherence(nfft=256)(x, sample_period=1.0)
    c = coh.array_data[..., 0, 0]
    assert c.shape == (128, 4, 4)
    np.testing.assert_allclose(c[:, 0, 1], 1.0, atol=1e-10)  # identical
    np.testing.assert_allclose(c[:, 0, 2], 1.0, atol=1e-10)  # linearly related
    # independent: bias ~ 1 / number of segments (~470)
    assert c[:, 0, 3].mean() < 0.01
    np.testing.assert_allclose(c[:, 3, 0], c[:, 0, 3])
    np.testing.assert_allclose(coh.frequency[[0, -1]], [1000 / 256, 500.0])


def test_coherence_of_a_shared_sine_in_noise_is_band_limited():
    rng = np.random.default_rng(1)
    t = np.arange(30000) / 1000.0
    s = np.sin(2 * np.pi * 62.5 * t)  # exactly on a bin of nfft = 256 at 1 kHz
    x = np.column_stack([s + rng.standard_normal(t.size), s + rng.standard_normal(t.size)])
    coh = an.compute_coherence(x, sample_period=1.0)
    c = coh.array_data[:, 0, 1, 0, 0]
    assert coh.frequency[np.argmax(c)] == 62.5
    assert c.max() > 0.9 and np.median(c) < 0.05


def test_complex_coherence_of_identical_signals_and_imaginary_part_of_a_delay():
    rng = np.random.default_rng(2)
    a = rng.standard_normal(40000)
    x = np.column_stack([a, a, np.roll(a, 5), rng.standard_normal(40000)])
    cc = an.NodeComplexCoherence(segment_length=500.0, segment_shift=250.0)(x, sample_period=1.0)
    k = cc.array_data[..., 0, 0]
    np.testing.assert_allclose(k[:, 0, 1], 1.0, atol=1e-10)  # identical: real 1
    np.testing.assert_allclose(cc.imaginary[:, 0, 1, 0, 0], 0.0, atol=1e-10)
    # a 5 ms delay gives |K| ~ 1 with phase 2 pi f 5 ms (sign per X_i X_j^*)
    f = cc.frequency
    sel = f < 50
    np.testing.assert_allclose(np.abs(k[sel, 0, 2]), 1.0, atol=0.05)
    np.testing.assert_allclose(np.angle(k[sel, 0, 2]), 2 * np.pi * f[sel] * 0.005, atol=0.1)
    assert np.abs(cc.imaginary[sel, 0, 2, 0, 0]).max() > 0.5
    # independent noise: near 0
    assert np.abs(k[:, 0, 3]).mean() < 0.1
    assert cc.cross_spectrum.shape == cc.array_data.shape


def test_complex_coherence_epochs_and_max_freq():
    x = np.random.default_rng(3).standard_normal((8000, 3))
    cc = an.compute_complex_coherence(
        x,
        sample_period=1.0,
        epoch_length=2000.0,
        segment_length=500.0,
        segment_shift=500.0,
        max_freq=100.0,
    )
    assert cc.frequency[-1] == 100.0 and cc.frequency[0] == 2.0
    np.testing.assert_allclose(np.abs(np.einsum("fii->fi", cc.array_data[..., 0, 0])), 1.0)


def test_coherence_bad_inputs():
    with pytest.raises(ValidationError, match="nfft = 256 samples exceeds the series"):
        an.NodeCoherence()(np.zeros((100, 2)), sample_period=1.0)
    with pytest.raises(ValidationError, match="longer than the series"):
        an.NodeComplexCoherence(segment_length=5000.0)(np.zeros((100, 2)), sample_period=1.0)
    with pytest.raises(ValidationError, match=r"nfft = 2 must be >= 4"):
        an.NodeCoherence(nfft=2)
