"""Fourier spectra, power spectral densities (Welch) and band power.

Frequencies are in Hz and times in ms: a series sampled every ``dt`` ms has a sampling rate
``fs = 1000 / dt`` Hz; a segment of ``L`` ms resolves ``1000 / L`` Hz.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pydantic

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.spectral import BandPowers, FourierSpectrum, PowerSpectrum

__all__ = ["FFT", "BandPower", "PowerSpectralDensity", "WINDOW_FUNCTIONS", "DEFAULT_BANDS"]

#: window names accepted (scipy.signal.get_window names; "hanning" is an alias of "hann")
WINDOW_FUNCTIONS = (None, "hamming", "hann", "hanning", "bartlett", "blackman", "boxcar")

#: conventional EEG bands (Hz)
DEFAULT_BANDS: dict[str, tuple[float, float]] = {
    "delta": (1.0, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
    "gamma": (30.0, 80.0),
}


def get_window(name: str | None, n: int) -> np.ndarray | None:
    """Symmetric window of ``n`` samples (as numpy.hamming etc.), or None for no window."""
    if name is None:
        return None
    import scipy.signal

    name = "hann" if name == "hanning" else name
    return scipy.signal.get_window(name, n, fftbins=False)


def segment_starts(n_time: int, n_seg_samples: int) -> np.ndarray:
    """Start indices of ``ceil(n_time / n_seg_samples)`` segments covering the whole series,
    evenly spread (so they overlap when the length is not a multiple of the segment)."""
    n_seg = int(np.ceil(n_time / n_seg_samples))
    if n_seg <= 1:
        return np.zeros(1, dtype=int)
    return np.rint(np.linspace(0, n_time - n_seg_samples, n_seg)).astype(int)


def _segment_samples(sig: Signal, segment_length: float, owner: str) -> int:
    n = int(round(segment_length / sig.sample_period))
    if n < 2:
        raise ValidationError(
            f"{owner}.segment_length = {segment_length} ms is shorter than 2 samples of "
            f"{sig.sample_period} ms; use at least {2 * sig.sample_period:g} ms"
        )
    return min(n, sig.n_time)


class FFT(Analyzer):
    r"""Fourier spectrum of segmented, optionally detrended and windowed time series.

    The series is cut into segments of ``segment_length`` ms (``ceil(T / L)`` segments, evenly
    spread and overlapping when ``T`` is not a multiple of ``L``; one segment if ``L >= T``);
    each segment is linearly detrended (``detrend``), multiplied by the window :math:`w` and
    transformed: :math:`X_s(f_k) = \sum_{t} w_t x_s(t) e^{-2\pi i k t / N}`,
    :math:`f_k = k\,f_s / N` for ``k = 1 .. N // 2`` (DC dropped, as in the reference
    ``tvb.analyzers.fft``).  :attr:`FourierSpectrum.average_power` is the Welch average of
    :math:`|X_s|^2` over segments.
    """

    output: ClassVar[type] = FourierSpectrum
    function_name: ClassVar[str] = "compute_fourier_spectrum"

    segment_length: float = Attr(
        1000.0,
        label="Segment length",
        unit="ms",
        range=(100.0, 10000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="""Length of the segments; sets the frequency resolution (1000 / L Hz). Longer
        than the series = one segment.""",
    )
    window_function: str | None = Attr(
        None,
        label="Window function",
        options=WINDOW_FUNCTIONS,
        doc="""Window applied to each segment before the FFT (None = rectangular).""",
    )
    detrend: bool = Attr(True, label="Detrend", doc="""Remove the linear trend per segment.""")

    def _compute(self, sig: Signal) -> FourierSpectrum:
        import scipy.fft
        import scipy.signal

        n_seg = _segment_samples(sig, self.segment_length, type(self).__name__)
        starts = segment_starts(sig.n_time, n_seg)
        # (segment, time, var, node, mode) -> (time, var, node, mode, segment)
        segs = np.stack([sig.data[s : s + n_seg] for s in starts], axis=-1)
        if self.detrend:
            segs = scipy.signal.detrend(segs, axis=0, type="linear")
        win = get_window(self.window_function, n_seg)
        if win is not None:
            segs = segs * win[:, None, None, None, None]
        spec = scipy.fft.rfft(segs, axis=0, workers=-1)[1 : n_seg // 2 + 1]
        freq = np.arange(1, n_seg // 2 + 1) * sig.sample_rate / n_seg
        return FourierSpectrum(
            array_data=spec,
            frequency=freq,
            segment_length=n_seg * sig.sample_period,
            window_function=self.window_function,
            detrend=self.detrend,
            **sig.labels(),
        )


class _WelchParams(Analyzer):
    """Shared parameters of Welch-based analyzers."""

    segment_length: float = Attr(
        1000.0,
        label="Segment length",
        unit="ms",
        range=(100.0, 10000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="""Welch segment length (resolution 1000 / L Hz); clipped to the series length.""",
    )
    overlap: float = Attr(
        0.5,
        label="Overlap",
        range=(0.0, 0.9),
        valid=(0.0, 1.0),
        doc="""Fraction of a segment shared with the next one, in [0, 1).""",
    )
    window_function: str = Attr(
        "hann",
        label="Window function",
        options=tuple(w for w in WINDOW_FUNCTIONS if w),
        doc="""Window applied to each segment.""",
    )
    detrend: str = Attr(
        "constant",
        label="Detrend",
        options=("constant", "linear", "none"),
        doc="""Per-segment detrending: remove the mean, a linear fit, or nothing.""",
    )

    def _welch(self, sig: Signal) -> tuple[np.ndarray, np.ndarray, int]:
        import scipy.signal

        if self.overlap >= 1.0:
            raise ValidationError(f"{type(self).__name__}.overlap = {self.overlap} must be < 1")
        nper = _segment_samples(sig, self.segment_length, type(self).__name__)
        win = "hann" if self.window_function == "hanning" else self.window_function
        freq, psd = scipy.signal.welch(
            sig.data,
            fs=sig.sample_rate,
            window=win,
            nperseg=nper,
            noverlap=min(int(round(self.overlap * nper)), nper - 1),
            detrend=False if self.detrend == "none" else self.detrend,
            scaling="density",
            axis=0,
        )
        return freq, psd, nper


class PowerSpectralDensity(_WelchParams):
    r"""Power spectral density per node by Welch's method (``scipy.signal.welch``).

    :math:`P(f) = \frac{c}{K f_s \sum_t w_t^2}\sum_{s=1}^K |\sum_t w_t x_s(t)
    e^{-2\pi i f t/f_s}|^2` over ``K`` overlapping segments, ``c = 2`` except at 0 and Nyquist
    (one-sided), in (signal unit)²/Hz; its integral over frequency is the variance.  White
    noise of variance :math:`\sigma^2` has the flat PSD :math:`2\sigma^2 / f_s`.
    (Welch 1967, IEEE Trans Audio Electroacoust 15:70.)
    """

    output: ClassVar[type] = PowerSpectrum
    function_name: ClassVar[str] = "compute_psd"

    def _compute(self, sig: Signal) -> PowerSpectrum:
        freq, psd, nper = self._welch(sig)
        return PowerSpectrum(
            power=np.maximum(psd, 0.0),
            frequency=freq,
            segment_length=nper * sig.sample_period,
            window_function=self.window_function,
            **sig.labels(),
        )


class BandPower(_WelchParams):
    r"""Power in frequency bands: the Welch PSD integrated (trapezoid rule) over each band,
    :math:`P_b = \int_{f_{lo}}^{f_{hi}} P(f)\,df`; with ``relative`` divided by the power
    between the lowest and the highest band edge.  Bands above Nyquist are clipped to it.
    """

    output: ClassVar[type] = BandPowers
    function_name: ClassVar[str] = "compute_band_power"

    bands: dict[str, tuple[float, float]] = Attr(
        default_factory=lambda: dict(DEFAULT_BANDS),
        label="Bands",
        doc="""Band name -> (low, high) in Hz; default delta, theta, alpha, beta, gamma.""",
    )
    relative: bool = Attr(False, label="Relative", doc="""Fractions of the total band power.""")

    @pydantic.model_validator(mode="after")
    def _check_bands(self) -> BandPower:
        for name, (lo, hi) in self.bands.items():
            if not (0 <= lo < hi):
                raise ValueError(
                    f"BandPower.bands[{name!r}] = ({lo}, {hi}) Hz; need 0 <= low < high"
                )
        if not self.bands:
            raise ValueError("BandPower.bands is empty; give at least one (low, high) band")
        return self

    def _compute(self, sig: Signal) -> BandPowers:
        from scipy.integrate import trapezoid

        freq, psd, _ = self._welch(sig)
        nyq = sig.sample_rate / 2
        out, edges = [], []
        for name, (lo, hi) in self.bands.items():
            hi_c = min(hi, nyq)
            sel = (freq >= lo) & (freq <= hi_c)
            if lo >= nyq or np.count_nonzero(sel) < 2:
                raise ValidationError(
                    f"band {name!r} ({lo}, {hi}) Hz holds {np.count_nonzero(sel)} frequency bins "
                    f"(Nyquist {nyq:g} Hz, resolution {freq[1] - freq[0]:g} Hz); use a longer "
                    "segment_length or drop the band"
                )
            out.append(trapezoid(psd[sel], freq[sel], axis=0))
            edges.append((lo, hi_c))
        power = np.maximum(np.stack(out), 0.0)
        if self.relative:
            lo_all = min(e[0] for e in edges)
            hi_all = max(e[1] for e in edges)
            sel = (freq >= lo_all) & (freq <= hi_all)
            total = trapezoid(psd[sel], freq[sel], axis=0)
            power = power / np.where(total > 0, total, 1.0)
        return BandPowers(
            power=power,
            bands=tuple(self.bands),
            edges=np.array(edges),
            relative=self.relative,
            **sig.labels(),
        )
