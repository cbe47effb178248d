"""One-call matplotlib figures of analysis results (spectra, wavelet power, matrices, FCD).

Every function takes an optional ``ax`` and returns ``(figure, axes)``; matplotlib is in the
analysis extra and imported only when a plot is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from vbrain.analyzers.base import as_signal, require

__all__ = [
    "plot_band_power",
    "plot_fcd",
    "plot_matrix",
    "plot_spectrogram",
    "plot_spectrum",
    "plot_wavelet_power",
]


def _axes(ax: Any, figsize: tuple[float, float] = (6.0, 4.0)) -> tuple[Any, Any]:
    plt = require("matplotlib.pyplot", "plotting")
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def _pick(labels: Sequence[str], nodes: Sequence[int] | None, limit: int = 8) -> list[int]:
    if nodes is None:
        return list(range(min(len(labels), limit)))
    return list(nodes)


def plot_spectrum(
    spectrum: Any,
    nodes: Sequence[int] | None = None,
    *,
    variable: int = 0,
    mode: int = 0,
    log: bool = True,
    mean: bool = True,
    ax: Any = None,
) -> tuple[Any, Any]:
    """Power against frequency (Hz) for a FourierSpectrum (segment-averaged power) or a
    PowerSpectrum; one line per node (first 8 by default) plus the node mean."""
    power = spectrum.average_power if hasattr(spectrum, "average_power") else spectrum.power
    freq = spectrum.frequency
    fig, ax = _axes(ax)
    p = power[:, variable, :, mode]
    for n in _pick(spectrum.space, nodes):
        ax.plot(freq, p[:, n], lw=0.8, alpha=0.7, label=spectrum.space[n])
    if mean:
        ax.plot(freq, p.mean(axis=1), color="k", lw=2, label="mean")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel("Power")
    ax.set_title(type(spectrum).__name__)
    ax.legend(fontsize="small", ncol=2)
    return fig, ax


def plot_wavelet_power(
    wavelet: Any, node: int = 0, *, variable: int = 0, mode: int = 0, ax: Any = None
) -> tuple[Any, Any]:
    """Time-frequency map of |W|² of one node of WaveletCoefficients (time in ms)."""
    fig, ax = _axes(ax, (8.0, 4.0))
    p = wavelet.power[:, :, variable, node, mode]
    t = wavelet.time
    mesh = ax.pcolormesh(t, wavelet.frequencies, p, shading="auto")
    fig.colorbar(mesh, ax=ax, label="|W|²")
    ax.set_xlabel("Time (ms)")
    ax.set_ylabel("Frequency (Hz)")
    ax.set_title(f"Wavelet power, {wavelet.space[node]}")
    return fig, ax


def plot_spectrogram(
    time_series: Any,
    node: int = 0,
    *,
    sample_period: float | None = None,
    segment_length: float = 1000.0,
    variable: int = 0,
    mode: int = 0,
    max_freq: float | None = None,
    ax: Any = None,
) -> tuple[Any, Any]:
    """Short-time Fourier spectrogram (``scipy.signal.spectrogram``) of one node of a time
    series, in dB; segments of ``segment_length`` ms."""
    import scipy.signal

    sig = as_signal(time_series, sample_period)
    nper = max(8, min(sig.n_time, int(round(segment_length / sig.sample_period))))
    f, t, s = scipy.signal.spectrogram(
        sig.data[:, variable, node, mode], fs=sig.sample_rate, nperseg=nper
    )
    keep = f <= (max_freq or f[-1])
    fig, ax = _axes(ax, (8.0, 4.0))
    mesh = ax.pcolormesh(
        sig.time[0] + t * 1000.0, f[keep], 10 * np.log10(s[keep] + 1e-30), shading="auto"
    )
    fig.colorbar(mesh, ax=ax, label="Power (dB)")
    ax.set_xlabel("Time (ms)")
    ax.set_ylabel("Frequency (Hz)")
    ax.set_title(f"Spectrogram, {sig.space[node]}")
    return fig, ax


def plot_matrix(
    matrix: Any,
    labels: Sequence[str] | None = None,
    *,
    title: str | None = None,
    cmap: str = "viridis",
    symmetric: bool | None = None,
    ax: Any = None,
) -> tuple[Any, Any]:
    """Heat map of a node x node matrix: a numpy array, a Connectivity (weights), or a
    correlation / covariance / coherence-like datatype (first variable and mode).  Signed
    matrices get a diverging colour map centred on 0."""
    if hasattr(matrix, "weights") and hasattr(matrix, "region_labels"):
        m, labels, title = (
            np.asarray(matrix.weights),
            labels or matrix.region_labels,
            title or ("Connectivity weights"),
        )
    elif hasattr(matrix, "array_data"):
        m = np.asarray(matrix.array_data)
        m = m[:, :, 0, 0] if m.ndim == 4 else m
        labels = labels or getattr(matrix, "space", None)
        title = title or type(matrix).__name__
    else:
        m = np.asarray(matrix)
    if m.ndim != 2:
        raise ValueError(f"plot_matrix needs a 2-D matrix, got shape {m.shape}")
    fig, ax = _axes(ax, (6.0, 5.0))
    signed = np.nanmin(m) < 0 if symmetric is None else symmetric
    kw: dict[str, Any] = {"cmap": "RdBu_r" if signed else cmap}
    if signed:
        lim = np.nanmax(np.abs(m))
        kw.update(vmin=-lim, vmax=lim)
    im = ax.imshow(m, interpolation="nearest", **kw)
    fig.colorbar(im, ax=ax)
    if labels is not None and len(labels) <= 40:
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize="x-small")
        ax.set_yticks(range(len(labels)), labels, fontsize="x-small")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_fcd(fcd: Any, *, variable: int = 0, mode: int = 0, ax: Any = None) -> tuple[Any, Any]:
    """The FCD matrix of an Fcd result, axes in window start times (s)."""
    fig, ax = _axes(ax, (6.0, 5.0))
    t = fcd.window_times / 1000.0
    extent = (t[0], t[-1], t[-1], t[0]) if t.size > 1 else None
    im = ax.imshow(
        fcd.array_data[:, :, variable, mode],
        extent=extent,
        vmin=-1,
        vmax=1,
        cmap="RdBu_r",
        interpolation="nearest",
    )
    fig.colorbar(im, ax=ax, label="corr(FC(t1), FC(t2))")
    ax.set_xlabel("Window start (s)")
    ax.set_ylabel("Window start (s)")
    ax.set_title(f"FCD (window {fcd.window_length / 1000:g} s, step {fcd.window_step / 1000:g} s)")
    return fig, ax


def plot_band_power(
    band_power: Any, *, variable: int = 0, mode: int = 0, ax: Any = None
) -> tuple[Any, Any]:
    """Bar chart of BandPowers: mean over nodes per band with the node spread (std)."""
    fig, ax = _axes(ax)
    p = band_power.power[:, variable, :, mode]
    ax.bar(band_power.bands, p.mean(axis=1), yerr=p.std(axis=1), capsize=3)
    ax.set_ylabel("Relative power" if band_power.relative else "Power")
    ax.set_title("Band power")
    return fig, ax
