"""Continuous wavelet transform: known answers."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain.analyzers as an
from vbrain.analyzers.wavelet import morlet_wavelet
from vbrain.config.traits import ValidationError


def _sines(freqs, amps, n=8000):
    t = np.arange(n) / 1000.0
    return sum(a * np.sin(2 * np.pi * f * t) for f, a in zip(freqs, amps, strict=True))[:, None]


def _mean_amp(w):
    edge = w.array_data.shape[1] // 4  # away from the edges, where the wavelet hangs over
    return np.abs(w.array_data[:, edge:-edge, 0, 0, 0]).mean(axis=1)


def test_gabor_peaks_exactly_at_the_sine_frequencies_with_unit_amplitude():
    x = _sines([12.0, 40.0], [1.0, 0.5])
    cwt = an.ContinuousWaveletTransform(frequencies=tuple(range(4, 60)), normalisation="gabor")
    w = cwt(x, sample_period=1.0)
    amp = _mean_amp(w)
    f = w.frequencies
    # local maxima of the mean amplitude over frequency (ignoring the ~1e-5 ripples of the
    # wavelet truncated at 4 sigma_t)
    is_peak = (amp[1:-1] > amp[:-2]) & (amp[1:-1] > amp[2:]) & (amp[1:-1] > 0.01 * amp.max())
    peaks = f[1:-1][is_peak]
    np.testing.assert_array_equal(peaks, [12.0, 40.0])
    # Gabor normalisation: |W| equals the sine amplitude at its frequency
    assert amp[f == 12.0][0] == pytest.approx(1.0, abs=0.02)
    assert amp[f == 40.0][0] == pytest.approx(0.5, abs=0.02)


def test_energy_normalisation_peak_within_one_bin():
    # unit-energy wavelets weigh low frequencies by sqrt(sigma_t), which shifts the maximum
    # by about f/50 (0.8 Hz at 40 Hz): within one 1-Hz bin
    for f0 in (10.0, 40.0):
        w = an.compute_wavelet_transform(
            _sines([f0], [1.0]), sample_period=1.0, frequencies=tuple(range(4, 60))
        )
        assert abs(w.frequencies[np.argmax(_mean_amp(w))] - f0) <= 1.0


def test_morlet_wavelet_has_unit_energy():
    fs = 1000.0
    for f in (8.0, 30.0):
        psi = morlet_wavelet(f, fs, 5.0, "energy")
        assert np.sum(np.abs(psi) ** 2) == pytest.approx(1.0, rel=1e-3)
        assert len(psi) % 2 == 1  # symmetric about its centre sample
        np.testing.assert_allclose(psi[::-1], np.conj(psi))


def test_default_frequencies_and_decimation():
    x = np.random.default_rng(0).standard_normal((1000, 3))
    w = an.ContinuousWaveletTransform(output_period=4.0)(x, sample_period=1.0)
    np.testing.assert_allclose(w.frequencies, np.arange(8.0, 60.0, 2.0))  # reference range
    assert w.array_data.shape == (26, 250, 1, 3, 1)
    assert w.sample_period == 4.0
    np.testing.assert_allclose(w.time[:3], [0.0, 4.0, 8.0])
    full = an.ContinuousWaveletTransform()(x, sample_period=1.0)
    np.testing.assert_allclose(w.array_data, full.array_data[:, ::4])


def test_q_ratio_sets_the_spectral_width():
    x = _sines([20.0], [1.0])
    narrow = _mean_amp(
        an.compute_wavelet_transform(
            x, sample_period=1.0, q_ratio=15.0, normalisation="gabor", frequencies=(20.0, 24.0)
        )
    )
    wide = _mean_amp(
        an.compute_wavelet_transform(
            x, sample_period=1.0, q_ratio=5.0, normalisation="gabor", frequencies=(20.0, 24.0)
        )
    )
    # off-peak response falls faster for larger q (narrower band)
    assert narrow[1] / narrow[0] < wide[1] / wide[0]


def test_wavelet_bad_inputs():
    with pytest.raises(ValidationError, match=r"q_ratio = 2 must be >= 5"):
        an.ContinuousWaveletTransform(q_ratio=2.0)
    with pytest.raises(ValidationError, match="non-empty set"):
        an.ContinuousWaveletTransform(freq_min=50.0, freq_max=10.0)
    with pytest.raises(ValidationError, match="above the Nyquist frequency 50 Hz"):
        an.ContinuousWaveletTransform()(np.zeros((500, 2)), sample_period=10.0)
    with pytest.raises(ValidationError, match="not one of the options"):
        an.ContinuousWaveletTransform(normalisation="l2")
