"""Fourier spectrum, Welch PSD and band power: known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import trapezoid

import vbrain.analyzers as an
from vbrain.config.traits import ValidationError

FS = 1000.0  # Hz, i.e. a sample period of 1 ms


def _sines(freqs, amps, duration_ms=10000.0, n_node=2):
    t = np.arange(int(duration_ms)) / FS
    x = sum(a * np.sin(2 * np.pi * f * t) for f, a in zip(freqs, amps, strict=True))
    return np.repeat(x[:, None], n_node, axis=1)


@pytest.mark.parametrize("window", [None, "hann", "hamming", "blackman", "bartlett"])
def test_sum_of_sines_peaks_at_those_frequencies(window):
    x = _sines([7.0, 23.0, 61.0], [1.0, 0.6, 0.3])
    spec = an.FFT(segment_length=1000.0, window_function=window)(x, sample_period=1.0)
    p = spec.average_power[:, 0, 0, 0]
    # local maxima standing out of the window sidelobes (Bartlett: about -27 dB)
    is_peak = (p[1:-1] > p[:-2]) & (p[1:-1] > p[2:]) & (p[1:-1] > 1e-2 * p.max())
    np.testing.assert_array_equal(spec.frequency[1:-1][is_peak], [7.0, 23.0, 61.0])
    # strongest peak first, as the amplitudes
    assert spec.frequency[np.argmax(p)] == 7.0


def test_fft_frequency_axis_and_segments():
    x = np.random.default_rng(0).standard_normal((2500, 3))
    spec = an.FFT(segment_length=1000.0)(x, sample_period=1.0)
    # ceil(2500 / 1000) = 3 overlapping segments of 1000 samples; DC dropped
    assert spec.array_data.shape == (500, 1, 3, 1, 3)
    np.testing.assert_allclose(spec.frequency, np.arange(1, 501) * 1.0)
    assert spec.freq_step == 1.0
    # longer than the series: one segment, the whole series
    one = an.FFT(segment_length=1e6)(x, sample_period=1.0)
    assert one.array_data.shape[-1] == 1 and one.segment_length == 2500.0


def test_fft_amplitude_of_a_sine_without_window():
    # |X(f0)| = A N / 2 for a sine of amplitude A completing whole cycles in N samples
    x = _sines([10.0], [2.0], duration_ms=1000.0, n_node=1)
    spec = an.FFT(segment_length=1000.0, detrend=False)(x, sample_period=1.0)
    assert spec.amplitude[9, 0, 0, 0, 0] == pytest.approx(2.0 * 1000 / 2)


def test_detrend_removes_a_linear_ramp():
    ramp = np.linspace(0, 100, 2000)[:, None]
    kept = an.FFT(segment_length=2000.0, detrend=False)(ramp, sample_period=1.0)
    removed = an.FFT(segment_length=2000.0, detrend=True)(ramp, sample_period=1.0)
    assert removed.average_power.max() < 1e-12 * kept.average_power.max()


def test_white_noise_has_a_flat_psd():
    sigma = 1.5
    x = sigma * np.random.default_rng(3).standard_normal((120000, 2))
    psd = an.PowerSpectralDensity(segment_length=500.0)(x, sample_period=1.0)
    inner = psd.power[1:-1, 0, :, 0]  # DC and Nyquist bins are one-sided halves
    # one-sided density of white noise: 2 sigma^2 / fs
    np.testing.assert_allclose(inner.mean(axis=0), 2 * sigma**2 / FS, rtol=0.02)
    # flat within tolerance: ~480 averaged periodograms -> ~5 % scatter per bin
    assert inner.std(axis=0).max() / inner.mean() < 0.1
    # Parseval: the integral of the PSD is the variance
    total = trapezoid(psd.power[:, 0, 0, 0], psd.frequency)
    assert total == pytest.approx(sigma**2, rel=0.02)


def test_white_noise_fourier_average_power_is_flat():
    x = np.random.default_rng(4).standard_normal((100000, 1))
    spec = an.FFT(segment_length=250.0, window_function="hann")(x, sample_period=1.0)
    p = spec.average_power[:, 0, 0, 0]
    assert p.std() / p.mean() < 0.1


def test_psd_peak_and_sample_period_conversion():
    # 2 ms sampling = 500 Hz; a 40 Hz sine stays at 40 Hz
    t = np.arange(5000) * 2.0 / 1000.0
    x = np.sin(2 * np.pi * 40.0 * t)[:, None]
    psd = an.compute_psd(x, sample_period=2.0, segment_length=1000.0)
    assert psd.frequency[-1] == 250.0
    assert psd.frequency[np.argmax(psd.power[:, 0, 0, 0])] == 40.0
    assert psd.summary()["peak_frequency_hz"] == 40.0


def test_band_power_of_sines():
    x = _sines([10.0, 20.0], [1.0, 2.0], n_node=3)
    bp = an.BandPower(bands={"alpha": (8.0, 13.0), "beta": (13.0, 30.0)})(x, sample_period=1.0)
    assert bp.power.shape == (2, 1, 3, 1)
    # power of a sine of amplitude A is A^2 / 2
    np.testing.assert_allclose(bp["alpha"], 0.5, rtol=0.02)
    np.testing.assert_allclose(bp["beta"], 2.0, rtol=0.02)
    rel = an.compute_band_power(
        x, sample_period=1.0, bands={"a": (8.0, 13.0), "b": (13.0, 30.0)}, relative=True
    )
    np.testing.assert_allclose(rel.power.sum(axis=0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(rel["a"], 0.2, rtol=0.02)


def test_power_spectrum_band_power_method():
    x = _sines([10.0], [1.0], n_node=1)
    psd = an.compute_psd(x, sample_period=1.0)
    assert psd.band_power(8.0, 12.0)[0, 0, 0] == pytest.approx(0.5, rel=0.02)
    with pytest.raises(ValueError, match="at least 2"):
        psd.band_power(10.2, 10.4)


def test_spectral_bad_inputs():
    x = np.zeros((100, 2))
    with pytest.raises(ValidationError, match="shorter than 2 samples"):
        an.FFT(segment_length=0.5)(x, sample_period=1.0)
    with pytest.raises(ValidationError, match="need 0 <= low < high"):
        an.BandPower(bands={"bad": (10.0, 5.0)})
    with pytest.raises(ValidationError, match="Nyquist"):
        an.BandPower(bands={"high": (600.0, 700.0)})(np.ones((2000, 1)), sample_period=1.0)
    with pytest.raises(ValidationError, match=r"overlap = 1\.5 must be in \[0, 1\]"):
        an.PowerSpectralDensity(overlap=1.5)
