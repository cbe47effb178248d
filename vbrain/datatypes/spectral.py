"""Spectral analysis results: Fourier spectra, wavelet coefficients, PSDs, band power, coherence.

Conventions: time in ms, frequency in Hz.  A signal sampled every ``sample_period`` ms has a
sampling rate of ``1000 / sample_period`` Hz and a Nyquist frequency of
``500 / sample_period`` Hz.  Axes after the frequency (and, for wavelets, time) axis follow the
time series layout ``(variable, space, mode)``.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes._axes import _LabelledArrays, check_labels

__all__ = [
    "BandPowers",
    "CoherenceSpectrum",
    "ComplexCoherenceSpectrum",
    "FourierSpectrum",
    "PowerSpectrum",
    "WaveletCoefficients",
]

# (frequency, space, space, variable, mode) arrays
_PAIR_SPECTRUM_LABELS = {"space": ("array_data", 1, "n"), "variables": ("array_data", 3, "v")}


def _example_signal(n_time: int = 256, n_node: int = 2, period: float = 1.0) -> np.ndarray:
    t = np.arange(n_time) * period / 1000.0
    return np.stack([np.sin(2 * np.pi * (10 + 5 * i) * t) for i in range(n_node)], axis=1)


class FourierSpectrum(_LabelledArrays):
    r"""Complex Fourier spectrum of a segmented time series.

    ``array_data[k, v, n, m, s]`` is the discrete Fourier transform
    :math:`X_s(f_k) = \sum_t w(t)\,x_s(t)\,e^{-2\pi i f_k t}` of segment ``s`` (after optional
    detrending and windowing by :math:`w`), for the positive frequencies
    :math:`f_k = k / T_{seg}`, ``k = 1 .. n_seg_samples // 2`` (the DC term is dropped, as in
    the reference system).  :attr:`average_power` averages :math:`|X_s|^2` over segments
    (Welch's method with the given window).
    """

    kind = "spectrum"

    array_data: Array(complex, 5) = Attr(
        label="Fourier coefficients",
        doc="""Complex coefficients (frequency, variable, space, mode, segment).""",
    )
    frequency: Array(float, 1) = Attr(
        label="Frequency", unit="Hz", doc="""Frequency of each row."""
    )
    segment_length: float = Attr(
        label="Segment length",
        unit="ms",
        valid=(0, None),
        exclusive=True,
        doc="""Length of each segment; the frequency resolution is 1000 / segment_length Hz.""",
    )
    window_function: str | None = Attr(
        None, label="Window function", doc="""Window applied to each segment (None = none)."""
    )
    detrend: bool = Attr(True, label="Detrend", doc="""Linear trend removed per segment.""")
    variables: tuple[str, ...] = Attr(None, label="Variables", doc="""Variable labels.""")
    space: tuple[str, ...] = Attr(None, label="Space", doc="""Node (region/sensor) labels.""")

    label_axes = {"variables": ("array_data", 1, "v"), "space": ("array_data", 2, "n")}
    coordinate_axes = {"frequency": ("array_data", 0, "frequency (Hz)")}

    @property
    def amplitude(self) -> np.ndarray:
        """|X| per segment."""
        return np.abs(self.array_data)

    @property
    def phase(self) -> np.ndarray:
        """Phase angle of X (radians) per segment."""
        return np.angle(self.array_data)

    @property
    def power(self) -> np.ndarray:
        """|X|² per segment."""
        return np.abs(self.array_data) ** 2

    @property
    def average_power(self) -> np.ndarray:
        """|X|² averaged over segments, shape (frequency, variable, space, mode)."""
        return np.mean(self.power, axis=-1)

    @property
    def normalised_average_power(self) -> np.ndarray:
        """:attr:`average_power` divided by its sum over frequencies."""
        p = self.average_power
        return p / np.sum(p, axis=0, keepdims=True)

    @property
    def freq_step(self) -> float:
        """Frequency resolution (Hz)."""
        return 1000.0 / self.segment_length

    def summary(self) -> dict[str, Any]:
        n_f, n_v, n_n, n_m, n_s = self.array_data.shape
        return {
            "type": self.type_name,
            "n_frequency": n_f,
            "n_segment": n_s,
            "n_node": n_n,
            "segment_length_ms": self.segment_length,
            "frequency_step_hz": self.freq_step,
            "max_frequency_hz": float(self.frequency[-1]) if n_f else None,
            "window_function": self.window_function,
            "peak_frequency_hz": float(
                self.frequency[np.argmax(self.average_power.mean(axis=(1, 2, 3)))]
            )
            if n_f
            else None,
        }

    @classmethod
    def example(cls) -> Self:
        x = _example_signal()
        spec = np.fft.rfft(x, axis=0)[1:129]
        return cls(
            array_data=spec[:, None, :, None, None],
            frequency=np.arange(1, 129) * 1000.0 / 256,
            segment_length=256.0,
        )


class WaveletCoefficients(_LabelledArrays):
    r"""Continuous wavelet transform (Morlet) of a time series.

    ``array_data[k, t, v, n, m]`` is the convolution of the signal with a Morlet wavelet of
    centre frequency :math:`f_k`: :math:`\psi_k(x) = A_k e^{-x^2/(2\sigma_t^2)}
    e^{2\pi i f_k x}`, with :math:`\sigma_f = f_k / q`, :math:`\sigma_t = 1/(2\pi\sigma_f)` and
    :math:`A_k` set by the normalisation (Tallon-Baudry et al. 1996, J Neurosci 16:4240).
    """

    kind = "spectrum"

    array_data: Array(complex, 5) = Attr(
        label="Wavelet coefficients",
        doc="""Complex coefficients (frequency, time, variable, space, mode).""",
    )
    frequencies: Array(float, 1) = Attr(label="Frequencies", unit="Hz")
    sample_period: float = Attr(
        label="Sample period",
        unit="ms",
        valid=(0, None),
        exclusive=True,
        doc="""Time between two columns of the result.""",
    )
    q_ratio: float = Attr(5.0, label="Q-ratio", doc="""Centre frequency / bandwidth.""")
    normalisation: str = Attr("energy", label="Normalisation", options=("energy", "gabor"))
    mother: str = Attr("morlet", label="Mother wavelet", options=("morlet",))
    start_time: float = Attr(0.0, label="Start time", unit="ms", doc="""Time of column 0.""")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"variables": ("array_data", 2, "v"), "space": ("array_data", 3, "n")}
    coordinate_axes = {"frequencies": ("array_data", 0, "frequency (Hz)")}

    @property
    def time(self) -> np.ndarray:
        """Time of each column (ms)."""
        return self.start_time + np.arange(self.array_data.shape[1]) * self.sample_period

    @property
    def amplitude(self) -> np.ndarray:
        return np.abs(self.array_data)

    @property
    def phase(self) -> np.ndarray:
        return np.angle(self.array_data)

    @property
    def power(self) -> np.ndarray:
        """|W|², shape (frequency, time, variable, space, mode)."""
        return np.abs(self.array_data) ** 2

    def summary(self) -> dict[str, Any]:
        n_f, n_t, n_v, n_n, n_m = self.array_data.shape
        return {
            "type": self.type_name,
            "n_frequency": n_f,
            "n_time": n_t,
            "n_node": n_n,
            "frequency_range_hz": [float(self.frequencies.min()), float(self.frequencies.max())]
            if n_f
            else None,
            "sample_period_ms": self.sample_period,
            "q_ratio": self.q_ratio,
            "normalisation": self.normalisation,
        }

    @classmethod
    def example(cls) -> Self:
        rng = np.random.default_rng(0)
        data = rng.standard_normal((3, 16, 1, 2, 1)) + 1j * rng.standard_normal((3, 16, 1, 2, 1))
        return cls(array_data=data, frequencies=[10.0, 20.0, 30.0], sample_period=1.0)


class PowerSpectrum(_LabelledArrays):
    r"""Power spectral density per node (Welch's method).

    ``power[k, v, n, m]`` is the one-sided PSD at ``frequency[k]`` in (signal unit)²/Hz, the
    average of the windowed periodograms of overlapping segments (Welch 1967): its integral
    over frequency equals the signal variance.
    """

    kind = "spectrum"

    power: Array(float, 4, nonnegative=True) = Attr(
        label="Power spectral density", unit="x^2/Hz", doc="""(frequency, variable, space, mode)"""
    )
    frequency: Array(float, 1) = Attr(label="Frequency", unit="Hz")
    segment_length: float = Attr(label="Segment length", unit="ms", valid=(0, None), exclusive=True)
    window_function: str | None = Attr("hann", label="Window function")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"variables": ("power", 1, "v"), "space": ("power", 2, "n")}
    coordinate_axes = {"frequency": ("power", 0, "frequency (Hz)")}

    def band_power(self, low: float, high: float) -> np.ndarray:
        """Power in ``[low, high]`` Hz (trapezoid rule), shape (variable, space, mode)."""
        sel = (self.frequency >= low) & (self.frequency <= high)
        if np.count_nonzero(sel) < 2:
            raise ValueError(
                f"band [{low}, {high}] Hz holds {np.count_nonzero(sel)} frequency bins; it needs "
                f"at least 2 (resolution {self.frequency[1] - self.frequency[0]:g} Hz)"
            )
        from scipy.integrate import trapezoid

        return trapezoid(self.power[sel], self.frequency[sel], axis=0)

    def summary(self) -> dict[str, Any]:
        mean = self.power.mean(axis=(1, 2, 3))
        return {
            "type": self.type_name,
            "n_frequency": int(self.frequency.size),
            "n_node": int(self.power.shape[2]),
            "frequency_step_hz": float(self.frequency[1] - self.frequency[0])
            if self.frequency.size > 1
            else None,
            "max_frequency_hz": float(self.frequency[-1]) if self.frequency.size else None,
            "peak_frequency_hz": float(self.frequency[np.argmax(mean)]) if mean.size else None,
            "segment_length_ms": self.segment_length,
        }

    @classmethod
    def example(cls) -> Self:
        f = np.linspace(0, 50, 51)
        p = np.exp(-((f - 10) ** 2) / 8.0)[:, None, None, None] * np.ones((1, 1, 2, 1))
        return cls(power=p, frequency=f, segment_length=1000.0)


class BandPowers(_LabelledArrays):
    """Power of a signal in named frequency bands (integral of its PSD over each band).

    ``power[b, v, n, m]`` is in (signal unit)² (absolute) or a fraction of the power between
    the lowest and highest band edge (``relative=True``).
    """

    kind = "spectrum"

    power: Array(float, 4, nonnegative=True) = Attr(
        label="Band power", doc="""(band, variable, space, mode)"""
    )
    bands: tuple[str, ...] = Attr(label="Bands", doc="""Band names.""")
    edges: Array(float, 2, (None, 2)) = Attr(label="Band edges", unit="Hz")
    relative: bool = Attr(False, label="Relative", doc="""Fractions of the total power.""")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"variables": ("power", 1, "v"), "space": ("power", 2, "n")}

    @pydantic.model_validator(mode="after")
    def _check_bands(self) -> Self:
        check_labels(type(self).__name__, "power", self.power, {"bands": (0, self.bands)})
        if self.edges.shape[0] != len(self.bands):
            raise ValueError(
                f"{type(self).__name__}.edges has {self.edges.shape[0]} rows for "
                f"{len(self.bands)} bands; give one (low, high) pair in Hz per band"
            )
        return self

    def __getitem__(self, band: str) -> np.ndarray:
        """Power in one band, shape (variable, space, mode)."""
        if band not in self.bands:
            raise KeyError(f"no band {band!r}; bands are {list(self.bands)}")
        return self.power[self.bands.index(band)]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type_name, "relative": self.relative}
        for i, b in enumerate(self.bands):
            out[f"{b}_mean"] = float(self.power[i].mean())
        return out

    @classmethod
    def example(cls) -> Self:
        return cls(
            power=np.ones((2, 1, 3, 1)),
            bands=("alpha", "beta"),
            edges=[[8.0, 13.0], [13.0, 30.0]],
        )


class CoherenceSpectrum(_LabelledArrays):
    r"""Magnitude-squared coherence between every pair of nodes.

    :math:`C_{ij}(f) = |\langle X_i X_j^*\rangle|^2 / (\langle|X_i|^2\rangle
    \langle|X_j|^2\rangle)`, averages over windowed segments; 1 for linearly related signals,
    about ``1 / n_segment`` for independent ones.
    """

    kind = "spectrum"

    array_data: Array(float, 5, finite=False) = Attr(
        label="Coherence",
        doc="""(frequency, space, space, variable, mode), in [0, 1]; NaN
        for a constant node""",
    )
    frequency: Array(float, 1) = Attr(label="Frequency", unit="Hz")
    nfft: int = Attr(256, label="Segment samples", valid=(2, None))
    n_segment: int = Attr(1, label="Number of segments averaged", valid=(1, None))
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = _PAIR_SPECTRUM_LABELS
    coordinate_axes = {"frequency": ("array_data", 0, "frequency (Hz)")}

    def summary(self) -> dict[str, Any]:
        n = self.array_data.shape[1]
        off = ~np.eye(n, dtype=bool)
        return {
            "type": self.type_name,
            "n_frequency": int(self.frequency.size),
            "n_node": n,
            "nfft": self.nfft,
            "n_segment": self.n_segment,
            "mean_offdiagonal_coherence": float(self.array_data[:, off].mean()) if n > 1 else None,
        }

    @classmethod
    def example(cls) -> Self:
        coh = np.full((4, 2, 2, 1, 1), 0.3)
        coh[:, 0, 0] = coh[:, 1, 1] = 1.0
        return cls(array_data=coh, frequency=[1.0, 2.0, 3.0, 4.0], nfft=8)


class ComplexCoherenceSpectrum(_LabelledArrays):
    r"""Complex coherency between every pair of nodes, and the cross spectrum.

    :math:`K_{ij}(f) = S_{ij}(f) / \sqrt{S_{ii}(f) S_{jj}(f)}` with the cross spectrum
    :math:`S_{ij} = \langle X_i X_j^*\rangle` averaged over segments (and epochs).  Its
    imaginary part (:attr:`imaginary`) is insensitive to zero-lag (volume-conducted) coupling
    (Nolte et al. 2004, Clin Neurophysiol 115:2292).
    """

    kind = "spectrum"

    array_data: Array(complex, 5) = Attr(
        label="Complex coherence", doc="""(frequency, space, space, variable, mode)"""
    )
    cross_spectrum: Array(complex, 5) = Attr(
        label="Cross spectrum", doc="""(frequency, space, space, variable, mode)"""
    )
    frequency: Array(float, 1) = Attr(label="Frequency", unit="Hz")
    epoch_length: float = Attr(0.0, label="Epoch length", unit="ms", valid=(0, None))
    segment_length: float = Attr(label="Segment length", unit="ms", valid=(0, None), exclusive=True)
    window_function: str | None = Attr("hann", label="Window function")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = _PAIR_SPECTRUM_LABELS
    coordinate_axes = {"frequency": ("array_data", 0, "frequency (Hz)")}

    @pydantic.model_validator(mode="after")
    def _check_cross_spectrum(self) -> Self:
        if self.cross_spectrum.shape != self.array_data.shape:
            raise ValueError(
                f"{type(self).__name__}.cross_spectrum has shape {self.cross_spectrum.shape} "
                f"but array_data has {self.array_data.shape}; they must match"
            )
        return self

    @property
    def imaginary(self) -> np.ndarray:
        """Imaginary part of the coherency (imaginary coherence)."""
        return self.array_data.imag

    @property
    def absolute(self) -> np.ndarray:
        """|coherency| (the square root of the magnitude-squared coherence)."""
        return np.abs(self.array_data)

    def summary(self) -> dict[str, Any]:
        n = self.array_data.shape[1]
        return {
            "type": self.type_name,
            "n_frequency": int(self.frequency.size),
            "n_node": n,
            "segment_length_ms": self.segment_length,
            "epoch_length_ms": self.epoch_length,
            "max_abs_imaginary": float(np.abs(self.imaginary).max()) if n else None,
        }

    @classmethod
    def example(cls) -> Self:
        k = np.full((3, 2, 2, 1, 1), 0.5 + 0.2j)
        k[:, 0, 0] = k[:, 1, 1] = 1.0
        return cls(
            array_data=k, cross_spectrum=k * 2.0, frequency=[1.0, 2.0, 3.0], segment_length=1000.0
        )
