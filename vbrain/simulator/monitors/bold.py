r"""fMRI BOLD monitors: HRF convolution (:class:`Bold`) and Balloon model (:class:`BalloonBold`).

Both reduce the activity in two stages so that memory never grows with the run:

1. the compiled kernel averages the variables of interest over **interim** windows of
   ``m = kernel_istep`` steps, :math:`\approx 4` ms (250 Hz, the reference system's rate):
   interim sample :math:`k` is the mean over steps :math:`(k-1)m+1 \dots km`, stamped
   :math:`t_k = k\,m\,\Delta t` (the end of its window);
2. a :class:`~vbrain.simulator.monitors.base.Stage` turns the interim samples into BOLD and
   emits one sample every ``period``, at :math:`t = n\,\Delta t` for the steps :math:`n` that
   are multiples of ``period / dt`` (the reference system's time stamps, e.g. Bold(500 ms)
   over 1000 ms gives t = 500, 1000).

``m`` is the divisor of ``period / dt`` closest to ``4 ms / dt`` (ties: the larger), so that
every BOLD sample falls on the end of an interim window.  Whenever ``dt`` divides 4 ms and
``period`` is a multiple of 4 ms (the usual case: dt = 0.1, 0.05, 0.01, 0.5...; period a
multiple of 500 ms) this is exactly ``4 ms / dt``; otherwise the interim period is
:math:`m\,\Delta t` (e.g. dt = 0.3 ms, period = 1800 ms: m = 12, 3.6 ms) and the HRF is sampled
at that true spacing.

The stages keep their state between chunks, so streamed, chunked and continued runs give the
same samples as one long run.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.equations import FirstOrderVolterra, HRFKernelEquation, equation_field
from vbrain.simulator.balloon import (
    N_STATE,
    BalloonParameters,
    balloon_bold_signal,
    integrate_balloon,
)
from vbrain.simulator.monitors.base import Monitor, Stage, StageInfo

__all__ = ["BalloonBold", "Bold", "interim_steps"]

INTERIM_PERIOD = 4.0
"""Target period (ms) of the interim averages (the reference's stock sample rate, 250 Hz)."""


def interim_steps(istep: int, dt: float, target: float = INTERIM_PERIOD) -> int:
    """Steps per interim average: the divisor of ``istep`` closest to ``target / dt``.

    Ties go to the larger divisor (less memory).
    """
    want = target / dt
    best = 1
    d = 1
    while d * d <= istep:
        if istep % d == 0:
            for cand in (d, istep // d):
                if abs(cand - want) < abs(best - want) or (
                    abs(cand - want) == abs(best - want) and cand > best
                ):
                    best = cand
        d += 1
    return best


class _InterimMixin:
    """What Bold and BalloonBold share: interim averages of ~4 ms, end-of-window stamps."""

    def kernel_istep(self, dt: float) -> int:
        return interim_steps(self.istep(dt), dt)  # type: ignore[attr-defined]

    def time_offset_steps(self, istep: int) -> float:
        # the stage receives interim samples stamped at the end of their window, t = k m dt,
        # and emits BOLD at the reference's t = step * dt
        return 0.0

    def _emit_every(self, info: StageInfo) -> int:
        m = int(round(info.sample_period / info.dt))
        return self.istep(info.dt) // m  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# HRF convolution


class Bold(_InterimMixin, Monitor):
    r"""BOLD signal as the convolution of the neural activity with a haemodynamic response
    function (the reference system's ``Bold`` monitor).

    Every ``period`` (the repetition time, TR) the last ``hrf_length`` of interim averages
    :math:`x_k` (spacing :math:`\Delta`, :math:`\approx 4` ms) is weighted by the kernel
    :math:`h` sampled in seconds:

    .. math::

        y_k = \sum_{j=0}^{N-1} w_j\, x_{k-j}, \qquad
        w_j = h(j\,\Delta)\,\frac{\Delta}{4\ \mathrm{ms}}, \qquad
        N = \lceil \mathrm{hrf\_length} / \Delta \rceil

    and the BOLD sample is ``hrf_kernel.bold_from_convolution(y)``: :math:`y` itself, or for
    the default :class:`~vbrain.datatypes.equations.FirstOrderVolterra` kernel
    :math:`(y - 1)\,k_1 V_0`.  Interim samples before the start of the run count as zero (the
    reference's zero-filled stock), so the first ``hrf_length`` of output is a transient.

    Memory (two buffers: the kernel's interim sums, then the stage's ring of the last
    :math:`N` interim samples per recorded variable and node, 20 s at 250 Hz = 5000 samples,
    3 MB for 76 regions) does not depend on ``dt`` or on the length of the run.

    Differences from the reference system (deliberate):

    - the newest interim sample gets weight :math:`h(0)`, the one before :math:`h(\Delta)`...
      The reference rolls its reversed kernel one slot short, so its newest sample gets
      :math:`h((N-1)\Delta)` (about 0) and sample :math:`x_{k-1-j}` gets :math:`h(j\Delta)`:
      its BOLD lags this one by one interim sample (4 ms).  Since :math:`x_k` averages
      :math:`(t_k - \Delta, t_k]`, the lag-0 alignment here is the closer discretisation of
      :math:`\int h(\tau)\,x(t - \tau)\,d\tau`.
    - the weights are scaled by :math:`\Delta / 4` ms, which is 1 at the reference's 4 ms
      spacing (identical numbers) and keeps the output independent of the spacing otherwise.
    - Gamma and DoubleExponential are normalised by their analytic/numerical peak rather
      than the maximum over the sampled points (see those classes).
    """

    temporal: ClassVar[str] = "mean"

    period: float = Attr(
        2000.0,
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="Sampling period (the repetition time TR); an integer multiple of dt.",
    )
    hrf_kernel: equation_field(HRFKernelEquation) = Attr(
        default_factory=FirstOrderVolterra,
        label="haemodynamic response function",
        doc="HRF kernel h(t), t in seconds: FirstOrderVolterra, Gamma, DoubleExponential or "
        "MixtureOfGammas (or its name).",
    )
    hrf_length: float = Attr(
        20000.0,
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="Duration of the kernel: how much past activity each BOLD sample weights.",
    )

    def hrf_weights(self, interim_ms: float) -> np.ndarray:
        """The weights :math:`w_j` (lag 0 first) for interim samples ``interim_ms`` apart."""
        n = max(1, int(math.ceil(self.hrf_length / interim_ms - 1e-9)))
        t_s = np.arange(n) * (interim_ms * 1e-3)
        w = self.hrf_kernel.evaluate(t_s) * (interim_ms / INTERIM_PERIOD)
        if not np.all(np.isfinite(w)):
            raise ValidationError(
                f"Bold.hrf_kernel {self.hrf_kernel!r} is not finite on [0, {self.hrf_length} ms]"
            )
        return w

    def make_stage(self, info: StageInfo) -> Stage:
        return HrfStage(
            self.hrf_weights(info.sample_period),
            every=self._emit_every(info),
            sample_period=info.sample_period,
            shape=(info.n_variable, info.n_space, info.n_mode),
            transform=self.hrf_kernel.bold_from_convolution,
        )


class HrfStage(Stage):
    """Convolve interim samples with HRF weights; emit every ``every``-th sample.

    The last ``N`` samples live in a ring of ``N`` rows (the reference's "stock"); the
    samples are written up to the next emission, and each output is the weighted sum of the
    ring's two contiguous segments (oldest part after the newest sample, then the start).
    """

    def __init__(
        self,
        weights: np.ndarray,
        *,
        every: int,
        sample_period: float,
        shape: tuple[int, ...],
        transform: Any = None,
    ) -> None:
        self.period = every * sample_period
        self._n = int(weights.size)
        self._w_oldest_first = np.ascontiguousarray(weights[::-1])
        self._every = int(every)
        self._shape = tuple(shape)
        self._transform = transform
        width = int(np.prod(shape, dtype=np.int64))
        self._ring = np.zeros((self._n, width))  # zeros: no activity before the run starts
        self._head = 0  # the slot the next sample goes to (the oldest sample's)
        self._count = 0  # interim samples received so far

    def process(self, time: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n_in = time.shape[0]
        flat = data.reshape(n_in, self._ring.shape[1])  # chunks may hold no sample at all
        ring, n, every, w = self._ring, self._n, self._every, self._w_oldest_first
        rows: list[np.ndarray] = []
        stamps: list[float] = []
        i = 0
        while i < n_in:
            # write up to the next emission (later samples would overwrite its window)
            b = min(n_in - i, n - self._head, every - self._count % every)
            ring[self._head : self._head + b] = flat[i : i + b]
            self._head += b
            self._count += b
            i += b
            if self._count % every == 0:
                r = self._head - 1  # the newest sample's slot; slots r+1.. hold the oldest
                rows.append(w[: n - 1 - r] @ ring[r + 1 :] + w[n - 1 - r :] @ ring[: r + 1])
                stamps.append(time[i - 1])
            if self._head == n:
                self._head = 0
        out = np.array(rows).reshape(len(rows), *self._shape)
        if self._transform is not None and len(rows):
            out = self._transform(out)
        return np.array(stamps, dtype=float), out


# --------------------------------------------------------------------------------------------
# Balloon–Windkessel model integrated online


class BalloonBold(_InterimMixin, Monitor, BalloonParameters):
    r"""BOLD signal from the Balloon–Windkessel model integrated while the simulation runs.

    The interim averages (:math:`\approx 4` ms) of each recorded variable and node drive one
    Balloon–Windkessel model (Friston 2000, Stephan 2007 revised coefficients; equations in
    :mod:`vbrain.simulator.balloon`), integrated with RK4 (time in seconds, each interim
    sample held over its window); every ``period`` the BOLD signal :math:`y` of the current
    state is emitted.  The models start at rest (s = 0, f = v = q = 1) at t = 0.

    The neural input is :math:`x = \mathrm{input\_scale}\,(T(u) - \mathrm{input\_offset})`
    with :math:`u` the recorded activity; choose them so that :math:`x > -1/\tau_f` (the flow
    must stay positive).  Running :func:`~vbrain.simulator.balloon.compute_balloon_bold` on
    the same interim averages offline gives the same numbers.

    The reference system only has this model as an offline analyzer (``BalloonModel``),
    integrated with one Heun step per sample of the input time series and with a
    ``normalize_neural_input`` option (subtract the time mean) that needs the whole run; here
    ``input_offset`` plays that role.
    """

    temporal: ClassVar[str] = "mean"

    period: float = Attr(
        2000.0,
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="Sampling period (the repetition time TR); an integer multiple of dt.",
    )

    def balloon_parameters(self) -> BalloonParameters:
        """The model and input parameters as a :class:`BalloonParameters` (for offline use)."""
        return BalloonParameters(
            **{name: getattr(self, name) for name in BalloonParameters.model_fields}
        )

    def make_stage(self, info: StageInfo) -> Stage:
        return BalloonStage(
            self.balloon_parameters(),
            every=self._emit_every(info),
            sample_period=info.sample_period,
            shape=(info.n_variable, info.n_space, info.n_mode),
        )


class BalloonStage(Stage):
    """Integrate Balloon models through interim samples; emit BOLD every ``every`` samples."""

    def __init__(
        self,
        params: BalloonParameters,
        *,
        every: int,
        sample_period: float,
        shape: tuple[int, ...],
    ) -> None:
        self.period = every * sample_period
        self._params = params
        self._every = int(every)
        self._dt_ms = float(sample_period)
        self._shape = tuple(shape)
        width = int(np.prod(shape, dtype=np.int64))
        self.state = np.zeros((N_STATE, width))
        self.state[1:] = 1.0  # rest: s = 0, f = v = q = 1
        self._previous: np.ndarray | None = None  # last raw sample, for abs_diff
        self._count = 0

    def process(self, time: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n_in = time.shape[0]
        if n_in == 0:
            return np.zeros(0), np.zeros((0, *self._shape))
        flat = data.reshape(n_in, -1)
        x = self._params.transform_input(flat, self._dt_ms, previous=self._previous)
        self._previous = flat[-1].copy()
        # 0-based index in this chunk of the first sample whose 1-based number is a multiple
        first = (-(self._count + 1)) % self._every
        states = integrate_balloon(
            x, self.state, self._dt_ms, self._params, first=first, every=self._every
        )
        self._count += n_in
        bold = balloon_bold_signal(states.transpose(1, 0, 2), self._params)
        return time[first :: self._every].astype(float), bold.reshape(-1, *self._shape)
