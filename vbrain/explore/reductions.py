"""Reductions: per-point summaries computed chunk by chunk while a simulation runs.

A reduction is a small declared object: its fields are options (which monitor it reads, the
transient to discard...), :meth:`Reduction.reset` prepares it for one simulation,
:meth:`Reduction.update` consumes one chunk ``(time, data)`` of its monitor's output
(``data`` is ``(n_time, n_variable, n_space, n_mode)``) and :meth:`Reduction.result` returns
named arrays of fixed shape.  Nothing keeps the whole time series except where a formula
needs it (the Hilbert phase of :class:`KuramotoOrder`, the series kept by :class:`Series`).

The formulas are those of :mod:`vbrain.analyzers` (the tests check each streaming reduction
against the analyzer applied to the stored series); moments are merged chunk by chunk with
Chan et al.'s pairwise update, so accuracy does not degrade with the length of the run.
Like the metrics, ``start_point`` (ms) drops the samples with index
``< int(start_point / sample_period)``; unlike them, a start point beyond the end of the run is
an error rather than a silent switch to the last quarter of the series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Attr, Declared, ValidationError

__all__ = [
    "FC",
    "FCD",
    "BoldSeries",
    "GlobalVariance",
    "KuramotoOrder",
    "ProxyMetastability",
    "Reduction",
    "Series",
    "StreamInfo",
    "TimeAverage",
    "VarianceNodeVariance",
    "list_reductions",
    "reduction_from_spec",
]


@dataclass
class StreamInfo:
    """What a reduction is told about the monitor output it will receive."""

    sample_period: float
    """Time between samples (ms)."""
    n_variable: int
    n_space: int
    n_mode: int
    monitor: Any = None
    """The monitor object (a reduction may check its type)."""
    variables: list[str] = field(default_factory=list)
    space: list[str] = field(default_factory=list)


class _Moments:
    """Per-channel count, mean and sum of squared deviations, merged chunk by chunk."""

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | float = 0.0
        self.m2: np.ndarray | float = 0.0

    def add(self, x: np.ndarray) -> None:
        nb = x.shape[0]
        if nb == 0:
            return
        mb = x.mean(axis=0)
        m2b = ((x - mb) ** 2).sum(axis=0)
        if self.n == 0:
            self.n, self.mean, self.m2 = nb, mb, m2b
            return
        n = self.n + nb
        delta = mb - self.mean
        self.mean = self.mean + delta * (nb / n)
        self.m2 = self.m2 + m2b + delta**2 * (self.n * nb / n)
        self.n = n

    @property
    def var(self) -> np.ndarray | float:
        return self.m2 / self.n


class Reduction(Declared):
    """Base class of reductions (see the module docstring).

    Subclasses implement ``_reset``, ``_update`` (on the samples after the transient) and
    ``result``; they set ``default_label`` and list their outputs in ``outputs``.
    """

    kind: ClassVar[str] = "reduction"
    default_label: ClassVar[str] = "reduction"
    outputs: ClassVar[tuple[str, ...]] = ("",)

    monitor: int = Attr(
        0, valid=(0, None), doc="Index of the monitor (in the configuration) this reads."
    )
    start_point: float = Attr(
        0.0, unit="ms", valid=(0.0, None), doc="Samples before this time are discarded."
    )
    label: str | None = Attr(
        None, doc="Prefix of the output names (default: the reduction's own name)."
    )

    _info: StreamInfo | None = pydantic.PrivateAttr(None)
    _skip: int = pydantic.PrivateAttr(0)
    _seen: int = pydantic.PrivateAttr(0)

    # -- naming -----------------------------------------------------------------------

    def output_names(self) -> list[str]:
        """Names of the arrays :meth:`result` returns (the store's dataset names)."""
        base = self.label or self.default_label
        return [base if not suffix else f"{base}_{suffix}" for suffix in self.outputs]

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        """Dimension names of each output (besides the point axes)."""
        return {name: () for name in self.output_names()}

    # -- streaming --------------------------------------------------------------------

    def check(self, info: StreamInfo) -> None:
        """Raise :class:`ValidationError` when this reduction cannot read such a stream."""

    def reset(self, info: StreamInfo) -> None:
        """Prepare for a new simulation whose monitor output is described by ``info``."""
        self.check(info)
        self._info = info
        self._skip = int(self.start_point / info.sample_period)
        self._seen = 0
        self._reset(info)

    def update(self, time: np.ndarray, data: np.ndarray) -> None:
        """Consume one chunk of the monitor output (``data``: time first)."""
        if self._info is None:
            raise ValidationError(f"{type(self).__name__}.update called before reset(info)")
        n = data.shape[0]
        first = max(0, self._skip - self._seen)
        self._seen += n
        if first < n:
            self._update(np.asarray(time)[first:], np.asarray(data, dtype=float)[first:])

    def result(self) -> dict[str, np.ndarray]:
        """Named results of the run (fixed shapes)."""
        raise NotImplementedError

    def apply(self, time: np.ndarray, data: np.ndarray, info: StreamInfo) -> dict[str, np.ndarray]:
        """Reset, consume a whole stored series in one chunk, and return the result."""
        self.reset(info)
        self.update(time, data)
        return self.result()

    def _reset(self, info: StreamInfo) -> None:
        raise NotImplementedError

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        raise NotImplementedError

    def _too_short(self, n: int, need: int = 2) -> None:
        if n < need:
            raise ValidationError(
                f"{type(self).__name__}: {n} sample(s) after start_point = {self.start_point} ms "
                f"(need {need}); lower start_point or lengthen the run"
            )


def _squeeze_modes(values: np.ndarray) -> np.ndarray:
    """Per-mode values as a scalar when there is one mode (the usual case)."""
    return values.reshape(()) if values.size == 1 else values


class TimeAverage(Reduction):
    """Time average of every variable, node and mode: ``(n_variable, n_space, n_mode)``."""

    default_label: ClassVar[str] = "time_average"

    _sum: Any = pydantic.PrivateAttr(None)
    _n: int = pydantic.PrivateAttr(0)

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        return {self.output_names()[0]: ("variable", "space", "mode")}

    def _reset(self, info: StreamInfo) -> None:
        self._sum = np.zeros((info.n_variable, info.n_space, info.n_mode))
        self._n = 0

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        self._sum += data.sum(axis=0)
        self._n += data.shape[0]

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._n, 1)
        return {self.output_names()[0]: self._sum / self._n}


class GlobalVariance(Reduction):
    """Variance of all zero-centred data (as :class:`vbrain.analyzers.GlobalVariance`)."""

    default_label: ClassVar[str] = "global_variance"

    _mom: Any = pydantic.PrivateAttr(None)

    def _reset(self, info: StreamInfo) -> None:
        self._mom = _Moments()

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        self._mom.add(data)

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._mom.n)
        return {self.output_names()[0]: np.asarray(np.mean(self._mom.var))}


class VarianceNodeVariance(GlobalVariance):
    """Variance across nodes of the node variances (as
    :class:`vbrain.analyzers.VarianceNodeVariance`)."""

    default_label: ClassVar[str] = "variance_of_node_variance"

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._mom.n)
        node_var = np.asarray(self._mom.var).mean(axis=(0, 2))  # (var, node, mode) -> node
        return {self.output_names()[0]: np.asarray(node_var.var())}


class ProxyMetastability(Reduction):
    r"""Proxy metastability (std of :math:`V(t)`) and synchrony (1 / mean of :math:`V(t)`),
    :math:`V(t) = \frac1N\sum_i |x_i(t) - \langle x(t)\rangle_i|` (as
    :class:`vbrain.analyzers.ProxyMetastabilitySynchrony`)."""

    default_label: ClassVar[str] = "proxy"
    outputs: ClassVar[tuple[str, ...]] = ("metastability", "synchrony")

    _mom: Any = pydantic.PrivateAttr(None)

    def _reset(self, info: StreamInfo) -> None:
        self._mom = _Moments()

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        v = np.abs(data - data.mean(axis=2, keepdims=True)).mean(axis=2)  # (time, var, mode)
        self._mom.add(v.reshape(-1))

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._mom.n)
        meta, sync = self.output_names()
        with np.errstate(divide="ignore"):
            inv = 1.0 / np.float64(self._mom.mean)
        return {meta: np.asarray(np.sqrt(self._mom.var)), sync: np.asarray(inv)}


class KuramotoOrder(Reduction):
    r"""Kuramoto order parameter :math:`R(t)`: its time mean (``<label>_mean``, the Kuramoto
    index) and standard deviation (``<label>_std``, metastability), per mode.

    ``phase_method``: ``"state_variables"`` - angle of :math:`x_0 + i x_1` (the first two
    monitored variables; for a phase model record ``("cos(theta)", "sin(theta)")``);
    ``"phase"`` - variable ``variable`` is itself a phase; ``"hilbert"`` - the angle of the
    analytic signal of variable ``variable``.  The first two stream; the Hilbert transform is
    non-causal, so that method keeps variable ``variable`` of the run (one series, not all)
    and applies :class:`vbrain.analyzers.KuramotoIndex` at the end.
    """

    default_label: ClassVar[str] = "kuramoto"
    outputs: ClassVar[tuple[str, ...]] = ("mean", "std")

    phase_method: str = Attr(
        "state_variables", options=("state_variables", "phase", "hilbert"), doc="See above."
    )
    variable: int = Attr(0, valid=(0, None), doc="Variable used by 'phase' and 'hilbert'.")

    _mom: Any = pydantic.PrivateAttr(None)
    _kept: Any = pydantic.PrivateAttr(None)

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        dims = ("mode",) if info.n_mode > 1 else ()
        return {name: dims for name in self.output_names()}

    def check(self, info: StreamInfo) -> None:
        if self.phase_method == "state_variables" and info.n_variable < 2:
            raise ValidationError(
                f"{type(self).__name__}(phase_method='state_variables') needs 2 monitored "
                f"variables (x0 + i x1); monitor {self.monitor} has {info.n_variable}; record "
                "two variables or use phase_method='phase' or 'hilbert'"
            )
        if self.phase_method != "state_variables" and self.variable >= info.n_variable:
            raise ValidationError(
                f"{type(self).__name__}.variable = {self.variable} but monitor {self.monitor} "
                f"records {info.n_variable} variable(s)"
            )

    def _reset(self, info: StreamInfo) -> None:
        self._mom = _Moments()
        self._kept = []

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        from vbrain.analyzers.metrics import kuramoto_order

        if self.phase_method == "hilbert":
            self._kept.append(data[:, self.variable].copy())
            return
        if self.phase_method == "state_variables":
            phases = np.angle(data[:, 0] + 1j * data[:, 1])
        else:
            phases = data[:, self.variable]
        r = np.stack([kuramoto_order(phases[:, :, m]) for m in range(data.shape[3])], axis=1)
        self._mom.add(r)

    def result(self) -> dict[str, np.ndarray]:
        mean_name, std_name = self.output_names()
        if self.phase_method == "hilbert":
            from vbrain.analyzers.metrics import KuramotoIndex

            x = np.concatenate(self._kept) if self._kept else np.zeros((0, 1, 1))
            self._too_short(x.shape[0])
            info = self._info
            assert info is not None
            metric = KuramotoIndex(start_point=0.0, phase_method="hilbert", variable=0)
            out = metric(x[:, None], sample_period=info.sample_period)
            n_m = x.shape[2]
            values = np.asarray(out.values, dtype=float)
            return {
                mean_name: _squeeze_modes(values[:n_m]),
                std_name: _squeeze_modes(values[n_m:]),
            }
        self._too_short(self._mom.n)
        return {
            mean_name: _squeeze_modes(np.asarray(self._mom.mean)),
            std_name: _squeeze_modes(np.sqrt(np.asarray(self._mom.var))),
        }


class FC(Reduction):
    r"""Functional connectivity: the Pearson correlation matrix of every variable and mode,
    ``(n_space, n_space, n_variable, n_mode)`` (as :class:`vbrain.analyzers.PearsonCorrelation`),
    accumulated from running means and co-moments (NaN for a constant node)."""

    default_label: ClassVar[str] = "fc"

    _n: int = pydantic.PrivateAttr(0)
    _mean: Any = pydantic.PrivateAttr(None)
    _com: Any = pydantic.PrivateAttr(None)

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        return {self.output_names()[0]: ("space", "space_to", "variable", "mode")}

    def _reset(self, info: StreamInfo) -> None:
        self._n = 0
        self._mean = np.zeros((info.n_variable, info.n_mode, info.n_space))
        self._com = np.zeros((info.n_variable, info.n_mode, info.n_space, info.n_space))

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        x = data.transpose(1, 3, 0, 2)  # (var, mode, time, node)
        nb = x.shape[2]
        mb = x.mean(axis=2)
        d = x - mb[:, :, None, :]
        cb = d.transpose(0, 1, 3, 2) @ d
        if self._n == 0:
            self._mean, self._com = mb, cb
        else:
            n = self._n + nb
            delta = mb - self._mean
            self._mean = self._mean + delta * (nb / n)
            self._com = (
                self._com + cb + delta[..., :, None] * delta[..., None, :] * (self._n * nb / n)
            )
        self._n += nb

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._n)
        sd = np.sqrt(np.diagonal(self._com, axis1=-2, axis2=-1))
        with np.errstate(invalid="ignore", divide="ignore"):
            r = self._com / (sd[..., :, None] * sd[..., None, :])
        r = np.clip(r, -1.0, 1.0)  # as numpy's corrcoef
        return {self.output_names()[0]: r.transpose(2, 3, 0, 1)}


class FCD(Reduction):
    r"""Functional connectivity dynamics: Pearson FC of sliding windows of
    ``window_length`` ms every ``window_step`` ms, and the correlation between the windows'
    upper triangles, ``(n_window, n_window, n_variable, n_mode)`` (the ``array_data`` of
    :class:`vbrain.analyzers.FunctionalConnectivityDynamics`).

    Keeps at most one window of samples plus one chunk, and the upper triangle of each
    window's FC (``n_window * n_space (n_space - 1) / 2`` values).
    """

    default_label: ClassVar[str] = "fcd"

    window_length: float = Attr(
        1000.0, unit="ms", valid=(0.0, None), exclusive=True, doc="Length of a window."
    )
    window_step: float = Attr(
        100.0, unit="ms", valid=(0.0, None), exclusive=True, doc="Time between window starts."
    )

    _buf: Any = pydantic.PrivateAttr(None)
    _buf_start: int = pydantic.PrivateAttr(0)
    _next: int = pydantic.PrivateAttr(0)
    _tri: Any = pydantic.PrivateAttr(None)
    _n_win: int = pydantic.PrivateAttr(0)
    _step: int = pydantic.PrivateAttr(1)

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        return {self.output_names()[0]: ("window", "window_to", "variable", "mode")}

    def check(self, info: StreamInfo) -> None:
        n_win = int(round(self.window_length / info.sample_period))
        if n_win < 3:
            raise ValidationError(
                f"FCD.window_length = {self.window_length} ms holds {n_win} samples of monitor "
                f"{self.monitor} (period {info.sample_period:g} ms); a correlation needs 3 samples"
            )
        if info.n_space < 3:
            raise ValidationError(f"FCD needs at least 3 nodes; monitor has {info.n_space}")

    def _reset(self, info: StreamInfo) -> None:
        self._n_win = int(round(self.window_length / info.sample_period))
        self._step = max(1, int(round(self.window_step / info.sample_period)))
        self._buf = np.zeros((0, info.n_variable, info.n_space, info.n_mode))
        self._buf_start = 0  # sample index (after the transient) of _buf[0]
        self._next = 0  # first sample of the next window
        self._tri = []

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        from vbrain.analyzers.fcd import sliding_window_fc

        self._buf = np.concatenate([self._buf, data])
        end = self._buf_start + self._buf.shape[0]
        n_v, n_n, n_m = self._buf.shape[1:]
        iu = np.triu_indices(n_n, 1)
        while self._next + self._n_win <= end:
            a = self._next - self._buf_start
            win = self._buf[a : a + self._n_win]
            tri = np.empty((n_v, n_m, iu[0].size))
            for v in range(n_v):
                for m in range(n_m):
                    fc = sliding_window_fc(win[:, v, :, m], self._n_win, self._n_win)[0]
                    tri[v, m] = fc[iu]
            self._tri.append(tri)
            self._next += self._step
        # drop what no future window needs
        keep_from = min(self._next, end) - self._buf_start
        self._buf = self._buf[keep_from:].copy()
        self._buf_start += keep_from

    def result(self) -> dict[str, np.ndarray]:
        if not self._tri:
            raise ValidationError(
                f"FCD: the run after start_point is shorter than one window "
                f"({self.window_length} ms); shorten window_length or lengthen the run"
            )
        tri = np.stack(self._tri)  # (window, var, mode, pair)
        n_w, n_v, n_m, _ = tri.shape
        out = np.empty((n_w, n_w, n_v, n_m))
        for v in range(n_v):
            for m in range(n_m):
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[:, :, v, m] = np.atleast_2d(np.corrcoef(tri[:, v, m]))
        return {self.output_names()[0]: out}


class Series(Reduction):
    """The monitor's output itself, ``(n_time, n_variable, n_space, n_mode)``: for sparse
    monitors (BOLD, slow averages); refuses more than ``max_samples`` samples."""

    default_label: ClassVar[str] = "series"

    max_samples: int = Attr(100_000, valid=(1, None), doc="Guard against storing a long run.")

    _parts: Any = pydantic.PrivateAttr(None)
    _count: int = pydantic.PrivateAttr(0)

    def output_dims(self, info: StreamInfo) -> dict[str, tuple[str, ...]]:
        return {self.output_names()[0]: ("time", "variable", "space", "mode")}

    def _reset(self, info: StreamInfo) -> None:
        self._parts = []
        self._count = 0

    def _update(self, time: np.ndarray, data: np.ndarray) -> None:
        self._count += data.shape[0]
        if self._count > self.max_samples:
            raise ValidationError(
                f"{type(self).__name__}: monitor {self.monitor} produced more than "
                f"max_samples = {self.max_samples} samples; use a reduction, a slower "
                "monitor or raise max_samples"
            )
        self._parts.append(data.copy())

    def result(self) -> dict[str, np.ndarray]:
        self._too_short(self._count, 1)
        return {self.output_names()[0]: np.concatenate(self._parts)}


class BoldSeries(Series):
    """The BOLD signal of a :class:`~vbrain.simulator.monitors.Bold` (or ``BalloonBold``)
    monitor: one sample per BOLD period."""

    default_label: ClassVar[str] = "bold"

    def check(self, info: StreamInfo) -> None:
        name = type(info.monitor).__name__
        if info.monitor is not None and "Bold" not in name:
            raise ValidationError(
                f"BoldSeries reads monitor {self.monitor}, a {name}; point it at a Bold or "
                "BalloonBold monitor (add one to the configuration's monitors)"
            )


_REDUCTIONS: dict[str, type[Reduction]] = {
    "time_average": TimeAverage,
    "global_variance": GlobalVariance,
    "variance_of_node_variance": VarianceNodeVariance,
    "kuramoto": KuramotoOrder,
    "proxy_metastability": ProxyMetastability,
    "fc": FC,
    "fcd": FCD,
    "series": Series,
    "bold": BoldSeries,
}


def list_reductions() -> list[str]:
    """Names accepted in ``sweep.reductions`` (also the class names)."""
    return list(_REDUCTIONS)


def reduction_from_spec(spec: Any) -> Reduction:
    """A reduction from a name (``"fc"``), a mapping ``{type: fc, monitor: 1}`` or an object."""
    if isinstance(spec, Reduction):
        return spec.model_copy(deep=True)
    if isinstance(spec, str):
        name, params = spec, {}
    elif isinstance(spec, Mapping) and "type" in spec:
        params = dict(spec)
        name = params.pop("type")
    else:
        raise ValidationError(
            f"sweep.reductions: expected a name or {{type: <name>, <option>: <value>}}, got "
            f"{spec!r}; names: {', '.join(_REDUCTIONS)}"
        )
    key = str(name).lower()
    by_class = {cls.__name__.lower(): cls for cls in _REDUCTIONS.values()}
    cls = _REDUCTIONS.get(key) or by_class.get(key)
    if cls is None:
        raise ValidationError(
            f"sweep.reductions: unknown reduction {name!r}; known: {', '.join(_REDUCTIONS)}"
        )
    try:
        return cls(**params)
    except ValidationError as exc:
        raise ValidationError(f"sweep.reductions: {exc}") from None


def reduction_to_spec(red: Reduction) -> dict[str, Any]:
    """The mapping form of a reduction (inverse of :func:`reduction_from_spec`)."""
    name = next(k for k, cls in _REDUCTIONS.items() if cls is type(red))
    return {"type": name, **red.to_dict()}


def check_unique_outputs(reductions: Sequence[Reduction]) -> None:
    """Two reductions must not write the same output name."""
    seen: dict[str, int] = {}
    for i, red in enumerate(reductions):
        for name in red.output_names():
            if name in seen:
                raise ValidationError(
                    f"sweep.reductions[{i}] writes {name!r} like reductions[{seen[name]}]; give "
                    "one of them a label, e.g. {type: fc, monitor: 1, label: fc_bold}"
                )
            seen[name] = i
