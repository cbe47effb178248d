"""Functional connectivity from time series: Pearson correlation, covariance,
cross-correlation."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.connectivity_measure import (
    CorrelationCoefficients,
    Covariance,
    CrossCorrelation,
)

__all__ = ["CrossCorrelate", "NodeCovariance", "PearsonCorrelation"]


class _Windowed(Analyzer):
    t_start: float | None = Attr(
        None, label="Start time", unit="ms", doc="""Use samples from this time on (None = all)."""
    )
    t_end: float | None = Attr(
        None, label="End time", unit="ms", doc="""Use samples before this time (None = all)."""
    )


def _pairwise(sig: Signal, fn) -> np.ndarray:
    n_t, n_v, n_n, n_m = sig.data.shape
    out = np.empty((n_n, n_n, n_v, n_m))
    for v in range(n_v):
        for m in range(n_m):
            out[:, :, v, m] = fn(sig.data[:, v, :, m])
    return out


def _corrcoef(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.corrcoef(x, rowvar=False)
    return np.atleast_2d(c)


class PearsonCorrelation(_Windowed):
    r"""Pearson correlation coefficient between every pair of nodes,
    :math:`r_{ij} = \frac{\sum_t (x_i - \bar x_i)(x_j - \bar x_j)}
    {\sqrt{\sum_t (x_i - \bar x_i)^2 \sum_t (x_j - \bar x_j)^2}}`, over the samples in
    ``[t_start, t_end)``; NaN for constant nodes.  (The reference computes it in its
    PearsonCorrelationCoefficientAdapter.)
    """

    output: ClassVar[type] = CorrelationCoefficients
    function_name: ClassVar[str] = "compute_correlation"

    def _compute(self, sig: Signal) -> CorrelationCoefficients:
        sig = sig.window(self.t_start, self.t_end)
        return CorrelationCoefficients(array_data=_pairwise(sig, _corrcoef), **sig.labels())


class NodeCovariance(_Windowed):
    r"""Temporal covariance between every pair of nodes,
    :math:`C_{ij} = \frac{1}{T-1}\sum_t (x_i(t)-\bar x_i)(x_j(t)-\bar x_j)`."""

    output: ClassVar[type] = Covariance
    function_name: ClassVar[str] = "compute_covariance"

    def _compute(self, sig: Signal) -> Covariance:
        sig = sig.window(self.t_start, self.t_end)
        fn = lambda x: np.atleast_2d(np.cov(x, rowvar=False))  # noqa: E731
        return Covariance(array_data=_pairwise(sig, fn), **sig.labels())


def _lagged_products(x: np.ndarray, lag: int) -> np.ndarray:
    r""":math:`\sum_t x_i(t+\tau) x_j(t)` for :math:`|\tau| \le` ``lag``, shape
    (2 lag + 1, n, n); ``x`` is (time, n), zero outside the series.

    Block-wise FFT correlation: the series is cut into blocks of ``B`` samples; for each
    block the signal stretched by ``lag`` samples on both sides is correlated with the block
    (FFTs of ``B + 2 lag`` points, no wrap-around for the lags kept), and the cross spectra
    are summed over blocks before one inverse FFT per pair.  Cost O(T n² + n² B log B)
    instead of O(n² T log T) for whole-series FFTs.
    """
    import scipy.fft

    n_t, n = x.shape
    block = min(max(256, 8 * lag), n_t)
    n_fft = scipy.fft.next_fast_len(block + 2 * lag)
    n_blocks = -(-n_t // block)
    padded = np.zeros((n_blocks * block + 2 * lag, n))
    padded[lag : lag + n_t] = x
    starts = np.arange(n_blocks) * block
    # (block, time, node): the stretched segments and the plain blocks (zero-padded)
    seg = np.stack([padded[s : s + block + 2 * lag] for s in starts])
    blk = np.stack([padded[s + lag : s + lag + block] for s in starts])
    f_seg = scipy.fft.rfft(seg, n=n_fft, axis=1, workers=-1).transpose(1, 2, 0)
    f_blk = scipy.fft.rfft(blk, n=n_fft, axis=1, workers=-1).transpose(1, 0, 2).conj()
    out = np.empty((2 * lag + 1, n, n))
    # rows in chunks so that the (frequency, rows, n) cross spectra stay near 100 MB
    rows = max(1, int(6e6 // (f_seg.shape[0] * n)))
    for a in range(0, n, rows):
        cross = f_seg[:, a : a + rows] @ f_blk  # sum over blocks
        corr = scipy.fft.irfft(cross, n=n_fft, axis=0, workers=-1)
        out[:, a : a + rows] = corr[: 2 * lag + 1]  # circular index m = tau + lag
    return out


class CrossCorrelate(Analyzer):
    r"""Normalised cross-correlation of every pair of nodes for lags up to ``max_lag`` ms.

    :math:`\rho_{ij}(\tau) = \frac{1}{T\sigma_i\sigma_j}\sum_t \tilde x_i(t+\tau)\tilde x_j(t)`
    with zero-mean signals :math:`\tilde x` (biased estimator: :math:`\rho_{ii}(0) = 1` and
    :math:`|\rho| \le 1`), computed by FFT.  A peak at :math:`\tau > 0` means node ``i`` lags
    node ``j`` by :math:`\tau`.
    """

    output: ClassVar[type] = CrossCorrelation
    function_name: ClassVar[str] = "compute_cross_correlation"

    max_lag: float = Attr(
        100.0,
        label="Maximum lag",
        unit="ms",
        range=(0.0, 1000.0),
        valid=(0.0, None),
        doc="""Largest |lag| computed.""",
    )

    def _compute(self, sig: Signal) -> CrossCorrelation:
        n_t, n_v, n_n, n_m = sig.data.shape
        lag = int(round(self.max_lag / sig.sample_period))
        if lag >= n_t:
            raise ValidationError(
                f"CrossCorrelate.max_lag = {self.max_lag} ms is not shorter than the series "
                f"({sig.duration:g} ms); use a smaller max_lag"
            )
        lags = np.arange(-lag, lag + 1)
        out = np.empty((lags.size, n_n, n_n, n_v, n_m))
        for v in range(n_v):
            for m in range(n_m):
                x = sig.data[:, v, :, m]
                x = x - x.mean(axis=0)
                sd = x.std(axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[..., v, m] = _lagged_products(x, lag) / (n_t * np.outer(sd, sd))
        return CrossCorrelation(array_data=out, time=lags * sig.sample_period, **sig.labels())
