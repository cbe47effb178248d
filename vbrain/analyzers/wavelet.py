"""Continuous wavelet transform (Morlet)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pydantic

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.spectral import WaveletCoefficients

__all__ = ["ContinuousWaveletTransform", "morlet_wavelet"]


def morlet_wavelet(
    frequency: float, sample_rate: float, q_ratio: float = 5.0, normalisation: str = "energy"
) -> np.ndarray:
    r"""Complex Morlet wavelet sampled at ``sample_rate`` Hz, centred on sample ``len // 2``.

    :math:`\psi(x) = A\, e^{-x^2 / (2\sigma_t^2)}\, e^{2\pi i f x}` for
    :math:`|x| < 4\sigma_t` (seconds), :math:`\sigma_f = f / q`,
    :math:`\sigma_t = 1 / (2\pi\sigma_f)`; ``"energy"``:
    :math:`A = (f_s \sqrt{\pi}\,\sigma_t)^{-1/2}` (unit energy), ``"gabor"``:
    :math:`A = \sqrt{2/\pi} / (f_s \sigma_t)` (a unit-amplitude sine at :math:`f` gives
    :math:`|W| \approx 1`).  As in the reference (Tallon-Baudry et al. 1996).
    """
    sigma_t = q_ratio / (2.0 * np.pi * frequency)
    if normalisation == "energy":
        amp = 1.0 / np.sqrt(sample_rate * np.sqrt(np.pi) * sigma_t)
    elif normalisation == "gabor":
        amp = np.sqrt(2.0 / np.pi) / sample_rate / sigma_t
    else:
        raise ValidationError(f"normalisation = {normalisation!r}; use 'energy' or 'gabor'")
    x = np.arange(0.0, 4.0 * sigma_t * sample_rate) / sample_rate
    half = amp * np.exp(-(x**2) / (2.0 * sigma_t**2)) * np.exp(2j * np.pi * frequency * x)
    return np.concatenate([np.conj(half[:0:-1]), half])


class ContinuousWaveletTransform(Analyzer):
    r"""Continuous wavelet transform with a Morlet mother wavelet.

    For each frequency :math:`f` the signal is convolved with :func:`morlet_wavelet`
    (``"same"`` length, by FFT), then every ``output_period / dt``-th sample is kept:
    :math:`W(f, t) = \sum_x x(t - x)\,\psi_f(x)`.  The spectral width is
    :math:`\sigma_f = f / q` and the temporal width :math:`\sigma_t = q / (2\pi f)`.
    Frequencies default to 8, 10, ..., 58 Hz (the reference's 0.008-0.060 kHz range, step
    0.002 kHz).  Reference: ``tvb.analyzers.wavelet``; Tallon-Baudry et al. 1996,
    J Neurosci 16:4240.
    """

    output: ClassVar[type] = WaveletCoefficients
    function_name: ClassVar[str] = "compute_wavelet_transform"

    frequencies: tuple[float, ...] | None = Attr(
        None,
        label="Frequencies",
        unit="Hz",
        doc="""Explicit centre frequencies; if None, freq_min to freq_max (exclusive) by
        freq_step.""",
    )
    freq_min: float = Attr(
        8.0, label="Lowest frequency", unit="Hz", valid=(0, None), exclusive=True
    )
    freq_max: float = Attr(
        60.0, label="Highest frequency (exclusive)", unit="Hz", valid=(0, None), exclusive=True
    )
    freq_step: float = Attr(2.0, label="Frequency step", unit="Hz", valid=(0, None), exclusive=True)
    q_ratio: float = Attr(
        5.0,
        label="Q-ratio",
        range=(5.0, 20.0),
        valid=(5.0, None),
        doc="""Ratio of centre frequency to spectral width (>= 5).""",
    )
    normalisation: str = Attr(
        "energy",
        label="Normalisation",
        options=("energy", "gabor"),
        doc="""'energy': unit-energy wavelets; 'gabor': unit amplitude response to a sine.""",
    )
    mother: str = Attr("morlet", label="Mother wavelet", options=("morlet",))
    output_period: float | None = Attr(
        None,
        label="Output sample period",
        unit="ms",
        doc="""Time between output columns, rounded to a multiple of the input's sample
        period (the reference's ``sample_period``); None = the input's.""",
    )

    @pydantic.model_validator(mode="after")
    def _check_freqs(self) -> ContinuousWaveletTransform:
        f = self.frequency_array()
        if f.size == 0 or np.any(f <= 0) or not np.all(np.isfinite(f)):
            raise ValueError(
                "ContinuousWaveletTransform frequencies must be a non-empty set of finite "
                f"values > 0 Hz; got {f.tolist()[:5]} (freq_min < freq_max?)"
            )
        if self.output_period is not None and not self.output_period > 0:
            raise ValueError(
                f"ContinuousWaveletTransform.output_period = {self.output_period} ms must be > 0"
            )
        return self

    def frequency_array(self) -> np.ndarray:
        """The centre frequencies (Hz)."""
        if self.frequencies is not None:
            return np.asarray(self.frequencies, float)
        return np.arange(self.freq_min, self.freq_max, self.freq_step)

    def _compute(self, sig: Signal) -> WaveletCoefficients:
        import scipy.fft

        freqs = self.frequency_array()
        nyq = sig.sample_rate / 2.0
        if freqs.max() > nyq:
            raise ValidationError(
                f"wavelet frequency {freqs.max():g} Hz is above the Nyquist frequency {nyq:g} Hz "
                f"of the input (sample period {sig.sample_period} ms); lower the frequencies"
            )
        period = sig.sample_period if self.output_period is None else self.output_period
        step = max(1, int(round(period / sig.sample_period)))
        n_t = sig.n_time
        n_out = -(-n_t // step)
        flat = sig.data.reshape(n_t, -1)
        kernels = [
            morlet_wavelet(f, sig.sample_rate, self.q_ratio, self.normalisation) for f in freqs
        ]
        # FFT length: room for the linear convolution, and a multiple of the decimation step
        need = n_t + max(len(k) for k in kernels) - 1
        n_fft = step * scipy.fft.next_fast_len(-(-need // step))
        # one FFT of the data serves every frequency: convolution = product of spectra
        data_f = scipy.fft.fft(flat, n=n_fft, axis=0, workers=-1)
        k_idx = np.arange(n_fft)
        out = np.empty((freqs.size, n_out, flat.shape[1]), dtype=complex)
        for i, k in enumerate(kernels):
            start = (len(k) - 1) // 2  # "same" output begins at the kernel's centre
            # shift by `start` samples in the frequency domain, then keep every step-th
            # sample by folding the spectrum (aliasing) into n_fft / step bins: one short
            # inverse FFT instead of a full-length one
            k_f = scipy.fft.fft(k, n=n_fft) * np.exp(2j * np.pi * k_idx * start / n_fft)
            prod = data_f * k_f[:, None]
            if step > 1:
                prod = prod.reshape(step, n_fft // step, -1).sum(axis=0) / step
            out[i] = scipy.fft.ifft(prod, axis=0, workers=-1)[:n_out]
        shape = (freqs.size, out.shape[1]) + sig.data.shape[1:]
        return WaveletCoefficients(
            array_data=out.reshape(shape),
            frequencies=freqs,
            sample_period=step * sig.sample_period,
            q_ratio=self.q_ratio,
            normalisation=self.normalisation,
            mother=self.mother,
            start_time=float(sig.time[0]),
            **sig.labels(),
        )
