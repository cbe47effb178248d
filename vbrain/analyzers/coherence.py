"""Cross coherence and complex coherence spectra between nodes."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.analyzers.spectral import WINDOW_FUNCTIONS, get_window
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.spectral import CoherenceSpectrum, ComplexCoherenceSpectrum

__all__ = ["NodeCoherence", "NodeComplexCoherence", "cross_spectra", "segment_spectra"]


def segment_spectra(
    x: np.ndarray,
    n_seg: int,
    shift: int,
    window: np.ndarray | None,
    detrend: str | None,
    n_epoch_samples: int | None = None,
) -> np.ndarray:
    """Fourier transforms of overlapping segments, shape (segment, frequency, channel).

    ``x`` is (time, channel).  Segments of ``n_seg`` samples start every ``shift`` samples
    (inside each epoch of ``n_epoch_samples`` samples when given, epochs not overlapping).
    Positive frequencies only (``rfft``).
    """
    import scipy.fft
    import scipy.signal

    epochs = (
        [x]
        if not n_epoch_samples
        else [
            x[s : s + n_epoch_samples]
            for s in range(0, x.shape[0] - n_epoch_samples + 1, n_epoch_samples)
        ]
    )
    segs = []
    for ep in epochs:
        starts = range(0, ep.shape[0] - n_seg + 1, shift)
        segs.extend(ep[s : s + n_seg] for s in starts)
    if not segs:
        raise ValidationError(f"no segment of {n_seg} samples fits the data")
    arr = np.stack(segs)  # (segment, time, channel)
    if detrend:
        arr = scipy.signal.detrend(arr, axis=1, type=detrend)
    if window is not None:
        arr = arr * window[None, :, None]
    return scipy.fft.rfft(arr, axis=1, workers=-1)


def cross_spectra(spec: np.ndarray) -> np.ndarray:
    """Segment-averaged cross spectra :math:`S_{ij}(f) = <X_i X_j^*>`, shape (freq, ch, ch)."""
    f_first = np.ascontiguousarray(spec.transpose(1, 2, 0))  # (freq, channel, segment)
    return (f_first @ f_first.conj().transpose(0, 2, 1)) / spec.shape[0]


def _samples(value: float, sig: Signal, name: str) -> int:
    n = int(round(value / sig.sample_period))
    if n < 2:
        raise ValidationError(
            f"{name} = {value} ms is shorter than 2 samples of {sig.sample_period} ms"
        )
    return n


class NodeCoherence(Analyzer):
    r"""Magnitude-squared coherence between every pair of nodes (Welch estimate).

    :math:`C_{ij}(f) = |S_{ij}(f)|^2 / (S_{ii}(f) S_{jj}(f))` with cross spectra
    :math:`S_{ij} = \langle X_i X_j^*\rangle` averaged over windowed segments of ``nfft``
    samples overlapping by ``overlap`` (as ``scipy.signal.coherence``, here for all pairs at
    once).  Identical signals give 1; independent ones about 1 / (number of segments).
    The reference (``tvb.analyzers.node_coherence``, nfft=256, Hamming) averages per-segment
    ratios, which are identically 1; the Welch form here is the textbook definition.
    """

    output: ClassVar[type] = CoherenceSpectrum
    function_name: ClassVar[str] = "compute_coherence"

    nfft: int = Attr(
        256,
        label="Segment samples",
        range=(16, 4096),
        valid=(4, None),
        doc="""Samples per segment (a power of 2 is fastest); resolution fs / nfft Hz.""",
    )
    overlap: float = Attr(0.5, label="Overlap", valid=(0.0, 0.95))
    window_function: str = Attr(
        "hamming", label="Window function", options=tuple(w for w in WINDOW_FUNCTIONS if w)
    )

    def _compute(self, sig: Signal) -> CoherenceSpectrum:
        if sig.n_time < self.nfft:
            raise ValidationError(
                f"NodeCoherence.nfft = {self.nfft} samples exceeds the series ({sig.n_time} "
                "samples); use a smaller nfft or a longer series"
            )
        shift = max(1, int(round(self.nfft * (1 - self.overlap))))
        win = get_window(self.window_function, self.nfft)
        n_t, n_v, n_n, n_m = sig.data.shape
        freq = np.fft.rfftfreq(self.nfft, 1.0 / sig.sample_rate)
        keep = freq > 0
        out = np.empty((int(keep.sum()), n_n, n_n, n_v, n_m))
        n_seg = 1
        for v in range(n_v):
            for m in range(n_m):
                spec = segment_spectra(sig.data[:, v, :, m], self.nfft, shift, win, "constant")
                n_seg = spec.shape[0]
                s = cross_spectra(spec[:, keep])
                power = np.real(np.einsum("fii->fi", s))
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[..., v, m] = np.abs(s) ** 2 / (power[:, :, None] * power[:, None, :])
        return CoherenceSpectrum(
            array_data=out, frequency=freq[keep], nfft=self.nfft, n_segment=n_seg, **sig.labels()
        )


class NodeComplexCoherence(Analyzer):
    r"""Complex coherency and cross spectrum between every pair of nodes.

    The series is divided into epochs of ``epoch_length`` ms (0 = one epoch), each into
    segments of ``segment_length`` ms every ``segment_shift`` ms, detrended and windowed;
    :math:`S_{ij}(f) = \langle X_i X_j^*\rangle` averaged over all segments (after subtracting
    the mean Fourier coefficient across segments when ``subtract_epoch_average``), and
    :math:`K_{ij}(f) = S_{ij} / \sqrt{S_{ii} S_{jj}}`; :math:`\mathrm{Im}\,K` is the
    imaginary coherence (Nolte et al. 2004).  Reference:
    ``tvb.analyzers.node_complex_coherence`` (which averages variables and modes first; here
    each variable and mode is kept).
    """

    output: ClassVar[type] = ComplexCoherenceSpectrum
    function_name: ClassVar[str] = "compute_complex_coherence"

    epoch_length: float = Attr(
        0.0,
        label="Epoch length",
        unit="ms",
        valid=(0.0, None),
        doc="""Length of non-overlapping epochs (0 = whole series).""",
    )
    segment_length: float = Attr(
        500.0,
        label="Segment length",
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="""FFT segment length; resolution 1000 / L Hz.""",
    )
    segment_shift: float = Attr(
        250.0,
        label="Segment shift",
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="""Time between the starts of consecutive segments (L/2 = 50% overlap).""",
    )
    window_function: str | None = Attr("hann", label="Window function", options=WINDOW_FUNCTIONS)
    detrend: bool = Attr(True, label="Detrend", doc="""Remove the linear trend per segment.""")
    subtract_epoch_average: bool = Attr(
        True, label="Subtract average", doc="""Remove the mean Fourier coefficient first."""
    )
    max_freq: float | None = Attr(
        None,
        label="Maximum frequency",
        unit="Hz",
        doc="""Highest frequency kept (None = Nyquist).""",
    )

    def _compute(self, sig: Signal) -> ComplexCoherenceSpectrum:
        n_seg = _samples(self.segment_length, sig, "NodeComplexCoherence.segment_length")
        shift = max(1, int(round(self.segment_shift / sig.sample_period)))
        n_ep = int(round(self.epoch_length / sig.sample_period)) if self.epoch_length else None
        usable = n_ep or sig.n_time
        if n_seg > usable:
            raise ValidationError(
                f"NodeComplexCoherence.segment_length = {self.segment_length} ms is longer than "
                f"the {'epoch' if n_ep else 'series'} ({usable * sig.sample_period:g} ms)"
            )
        if n_ep and n_ep > sig.n_time:
            raise ValidationError(
                f"NodeComplexCoherence.epoch_length = {self.epoch_length} ms is longer than the "
                f"series ({sig.duration:g} ms)"
            )
        win = get_window(self.window_function, n_seg)
        freq = np.fft.rfftfreq(n_seg, 1.0 / sig.sample_rate)
        keep = freq > 0
        if self.max_freq is not None:
            keep &= freq <= self.max_freq
        n_t, n_v, n_n, n_m = sig.data.shape
        k_out = np.empty((int(keep.sum()), n_n, n_n, n_v, n_m), dtype=complex)
        s_out = np.empty_like(k_out)
        for v in range(n_v):
            for m in range(n_m):
                spec = segment_spectra(
                    sig.data[:, v, :, m],
                    n_seg,
                    shift,
                    win,
                    "linear" if self.detrend else None,
                    n_ep,
                )[:, keep]
                if self.subtract_epoch_average and spec.shape[0] > 1:
                    spec = spec - spec.mean(axis=0, keepdims=True)
                s = cross_spectra(spec)
                power = np.real(np.einsum("fii->fi", s))
                with np.errstate(invalid="ignore", divide="ignore"):
                    k = s / np.sqrt(power[:, :, None] * power[:, None, :])
                k_out[..., v, m] = k
                s_out[..., v, m] = s
        return ComplexCoherenceSpectrum(
            array_data=k_out,
            cross_spectrum=s_out,
            frequency=freq[keep],
            epoch_length=self.epoch_length,
            segment_length=n_seg * sig.sample_period,
            window_function=self.window_function,
            **sig.labels(),
        )
