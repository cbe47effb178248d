"""Plot helpers: one call each, returning (figure, axes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import vbrain as vb  # noqa: E402
import vbrain.analyzers as an  # noqa: E402

X = np.sin(
    2 * np.pi * 10 * np.arange(3000)[:, None] / 1000.0 + np.arange(4)
) + 0.1 * np.random.default_rng(0).standard_normal((3000, 4))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _check(fig_ax):
    fig, ax = fig_ax
    assert isinstance(fig, matplotlib.figure.Figure)
    assert ax.figure is fig
    fig.canvas.draw()


def test_plot_spectrum_fourier_and_psd():
    _check(an.plot_spectrum(an.compute_fourier_spectrum(X, sample_period=1.0)))
    _check(an.plot_spectrum(an.compute_psd(X, sample_period=1.0), nodes=[0, 2], log=False))


def test_plot_wavelet_power_and_spectrogram():
    w = an.compute_wavelet_transform(X, sample_period=1.0, output_period=5.0)
    _check(an.plot_wavelet_power(w, node=1))
    _check(an.plot_spectrogram(X, node=0, sample_period=1.0, segment_length=250.0))


def test_plot_matrix_variants():
    _check(an.plot_matrix(an.compute_correlation(X, sample_period=1.0)))
    _check(an.plot_matrix(vb.datasets.load_connectivity(76)))
    fig, ax = plt.subplots()
    out = an.plot_matrix(np.eye(3), labels=["a", "b", "c"], ax=ax)
    assert out == (fig, ax)


def test_plot_fcd_and_band_power():
    fcd = an.compute_fcd(X, sample_period=1.0, window_length=500.0, window_step=250.0)
    _check(an.plot_fcd(fcd))
    _check(an.plot_band_power(an.compute_band_power(X, sample_period=1.0)))
