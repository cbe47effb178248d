"""Scalar time-series metrics: variances, Kuramoto order parameter, metastability, synchrony.

These are the reference system's ``TimeseriesMetricsAdapter`` metrics
(``tvb.analyzers.metric_*``), all computed on the samples from ``start_point`` ms on.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.metrics import TimeSeriesMetric

__all__ = [
    "GlobalVariance",
    "KuramotoIndex",
    "ProxyMetastabilitySynchrony",
    "VarianceNodeVariance",
    "kuramoto_order",
]


class _Metric(Analyzer):
    """Shared inputs: the transient to discard."""

    output: ClassVar[type] = TimeSeriesMetric

    start_point: float = Attr(
        500.0,
        label="Start point",
        unit="ms",
        range=(0.0, 10000.0),
        valid=(0.0, None),
        doc="""Samples before this time (from the first sample) are discarded as transient.""",
    )
    segment: int = Attr(
        4,
        label="Segment",
        valid=(1, None),
        doc="""If the series is shorter than start_point, it is cut into this many equal parts
        and the last one is used (as the reference does).""",
    )

    def _trim(self, sig: Signal) -> np.ndarray:
        start = int(self.start_point / sig.sample_period)
        if start >= sig.n_time:
            start = (self.segment - 1) * (sig.n_time // self.segment)
        data = sig.data[start:]
        if data.shape[0] < 2:
            raise ValidationError(
                f"{type(self).__name__}: fewer than 2 samples left after start_point = "
                f"{self.start_point} ms; lower start_point"
            )
        return data


class GlobalVariance(_Metric):
    r"""Variance of all zero-centred data: each channel's temporal mean is removed, then
    :math:`\mathrm{var}` over time, variables, nodes and modes together.  A crude indicator of
    oscillation amplitude (reference ``metric_variance_global``)."""

    function_name: ClassVar[str] = "compute_global_variance"

    def _compute(self, sig: Signal) -> TimeSeriesMetric:
        x = self._trim(sig)
        return TimeSeriesMetric(names=("global_variance",), values=[(x - x.mean(axis=0)).var()])


class VarianceNodeVariance(_Metric):
    r"""Variance across nodes of the node variances: for each node the variance of its
    zero-centred samples over time, variables and modes, then the variance of those values
    (reference ``metric_variance_of_node_variance``)."""

    function_name: ClassVar[str] = "compute_variance_of_node_variance"

    def _compute(self, sig: Signal) -> TimeSeriesMetric:
        x = self._trim(sig)
        x = x - x.mean(axis=0)
        node_var = x.transpose(2, 0, 1, 3).reshape(x.shape[2], -1).var(axis=1)
        return TimeSeriesMetric(names=("variance_of_node_variance",), values=[node_var.var()])


def kuramoto_order(phases: np.ndarray) -> np.ndarray:
    r"""Kuramoto order parameter :math:`R(t) = |\frac1N\sum_k e^{i\theta_k(t)}|`;
    ``phases`` is (time, node)."""
    return np.abs(np.exp(1j * phases).mean(axis=1))


class KuramotoIndex(_Metric):
    r"""Kuramoto order parameter of the node phases.

    :math:`R(t)\,e^{i\psi(t)} = \frac1N \sum_{k=1}^N e^{i\theta_k(t)}`; the index is the time
    average :math:`\langle R\rangle` (1: all phases equal, ~0: phases spread uniformly) and
    ``metastability`` the standard deviation of :math:`R(t)` (Shanahan 2010, Chaos 20:013108).
    Phases: ``"hilbert"`` - the angle of the analytic signal of each zero-mean node signal
    (``scipy.signal.hilbert``) of variable ``variable``; ``"state_variables"`` - the angle of
    :math:`x_0 + i x_1` from the first two variables (the reference's choice).  One value per
    mode; ``series`` holds :math:`R(t)`.
    """

    function_name: ClassVar[str] = "compute_kuramoto_index"

    phase_method: str = Attr(
        "hilbert",
        label="Phase method",
        options=("hilbert", "state_variables"),
        doc="""How phases are obtained (see the class docs).""",
    )
    variable: int = Attr(
        0, label="Variable index", valid=(0, None), doc="""Variable used with the Hilbert method."""
    )

    def _compute(self, sig: Signal) -> TimeSeriesMetric:
        import scipy.signal

        x = self._trim(sig)
        n_m = x.shape[3]
        if self.phase_method == "state_variables":
            if x.shape[1] < 2:
                raise ValidationError(
                    "KuramotoIndex(phase_method='state_variables') needs at least 2 variables "
                    f"(x0 + i x1); the input has {x.shape[1]}; use phase_method='hilbert'"
                )
            phases = np.angle(x[:, 0] + 1j * x[:, 1])  # (time, node, mode)
        else:
            if self.variable >= x.shape[1]:
                raise ValidationError(
                    f"KuramotoIndex.variable = {self.variable} but the input has "
                    f"{x.shape[1]} variables"
                )
            y = x[:, self.variable]
            phases = np.angle(scipy.signal.hilbert(y - y.mean(axis=0), axis=0))
        r = np.stack([kuramoto_order(phases[:, :, m]) for m in range(n_m)], axis=1)
        suffix = [""] if n_m == 1 else [f"[mode {m}]" for m in range(n_m)]
        names = tuple(f"kuramoto_index{s}" for s in suffix) + tuple(
            f"metastability{s}" for s in suffix
        )
        t = sig.time[sig.n_time - x.shape[0] :]
        return TimeSeriesMetric(
            names=names,
            values=np.concatenate([r.mean(axis=0), r.std(axis=0)]),
            time=t,
            series=r,
            series_names=tuple(f"R{s}" for s in suffix),
        )


class ProxyMetastabilitySynchrony(_Metric):
    r"""Proxy metastability and synchrony (reference ``metric_proxy_metastability``).

    :math:`V(t) = \frac1N\sum_i |x_i(t) - \langle x(t)\rangle_i|` (spread around the
    instantaneous network mean); metastability :math:`= \mathrm{std}_t V(t)` and synchrony
    :math:`= 1 / \mathrm{mean}_t V(t)`, with the time courses of all variables and modes
    concatenated.
    """

    function_name: ClassVar[str] = "compute_proxy_metastability"

    def _compute(self, sig: Signal) -> TimeSeriesMetric:
        x = self._trim(sig)
        v = np.abs(x - x.mean(axis=2, keepdims=True)).mean(axis=2)  # (time, var, mode)
        v = v.reshape(-1, order="F")
        with np.errstate(divide="ignore"):
            sync = 1.0 / v.mean()
        return TimeSeriesMetric(names=("metastability", "synchrony"), values=[v.std(), sync])
