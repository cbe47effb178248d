r"""Monitors: what a simulation records.

Steps are counted from 0 (the initial state, :math:`t = 0`); step :math:`n` is the state at
:math:`t = n\,\Delta t`.  A monitor with period :math:`T` uses ``istep = T / dt`` (which must
be an integer) and emits at steps :math:`n \equiv 0 \pmod{istep}`:

- :class:`Raw`: every step, all variables of interest, :math:`t = n\,\Delta t`;
- :class:`SubSample`: the instantaneous value at :math:`t = n\,\Delta t`;
- :class:`TemporalAverage`: the mean of the ``istep`` steps :math:`n-istep+1 \dots n`, stamped
  at the middle of the window :math:`t = (n - istep/2)\,\Delta t`; only full windows are
  emitted (the reference system emits a first, partial window padded with zeros);
- :class:`GlobalAverage`: the mean over all nodes, sampled like :class:`SubSample`;
- :class:`SpatialAverage`: means over groups of nodes (a mask), sampled like SubSample;
- :class:`AfferentCoupling`: the long-range coupling terms a node receives, sampled.

Every monitor reduces to a temporal rule (``"sample"`` or ``"mean"`` every ``kernel_istep``
steps) applied by the compiled kernel, followed by an optional linear spatial map applied per
sample (e.g. a lead field), followed by an optional stateful :class:`Stage` applied per chunk
of samples (e.g. observation noise, or an HRF convolution that turns 4 ms interim averages into
BOLD every 2 s).  Stages keep their state between chunks, so streaming and continued runs give
the same samples as one long run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.registry import Registry
from vbrain.config.traits import Attr, Declared, ValidationError

__all__ = ["DEFAULT_PERIOD", "Monitor", "Stage", "StageInfo", "get", "list_monitors"]

DEFAULT_PERIOD = 0.9765625
"""Reference default monitor period (ms), i.e. 1024 Hz."""

_REGISTRY: Registry[Monitor] = Registry("monitor")


@dataclass
class StageInfo:
    """What a :class:`Stage` is told about the samples it will receive."""

    dt: float
    """Integration step (ms)."""
    sample_period: float
    """Period of the samples the stage receives (ms): ``kernel_istep * dt``."""
    n_variable: int
    n_space: int
    """Rows after the spatial map (nodes, sensors, groups)."""
    n_mode: int
    rng: np.random.Generator
    """Random numbers for the stage, independent of the simulation's noise stream."""


class Stage:
    """A stateful transform of one monitor's samples, applied chunk by chunk.

    Subclasses set :attr:`period` (the output sample period, ms) and implement
    :meth:`process`; they may set :attr:`n_mode_out` when they change the mode axis.
    """

    period: float
    n_mode_out: int | None = None

    def process(self, time: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Map one chunk ``(time (n,), data (n, n_variable, n_space, n_mode))`` to output
        samples; may return fewer (or zero) samples and keep the rest as state."""
        raise NotImplementedError


class Monitor(Declared):
    """Base class of monitors."""

    kind: ClassVar[str] = "monitor"
    temporal: ClassVar[str] = "sample"
    """``"sample"`` (instantaneous value) or ``"mean"`` (average over the period)."""
    source: ClassVar[str] = "voi"
    """``"voi"`` (variables of interest) or ``"coupling"`` (coupling terms)."""

    period: float = Attr(
        DEFAULT_PERIOD,
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="Sampling period; must be an integer multiple of dt.",
    )
    variables_of_interest: tuple[int, ...] | None = Attr(
        None, doc="Indices into the model's variables of interest; None records all of them."
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _REGISTRY.add(cls)

    @pydantic.model_validator(mode="after")
    def _check_period(self) -> Monitor:
        if not self.period > 0:
            raise ValueError(f"period = {self.period} ms must be > 0")
        return self

    @property
    def name(self) -> str:
        return type(self).__name__

    def istep(self, dt: float) -> int:
        """Steps per sample; raises if ``period`` is not an integer multiple of ``dt``."""
        ratio = self.period / dt
        n = int(round(ratio))
        if n < 1 or abs(ratio - n) > 1e-6 * max(1.0, ratio):
            lo = max(n, 1) * dt
            raise ValidationError(
                f"{self.name} period {self.period} ms is not an integer multiple of dt = {dt} ms "
                f"({ratio:.6g} steps); use e.g. period={lo:g} or {lo + dt:g}"
            )
        return n

    def kernel_istep(self, dt: float) -> int:
        """Steps per sample computed by the kernel (before any :class:`Stage`)."""
        return self.istep(dt)

    def make_stage(self, info: StageInfo) -> Stage | None:
        """The per-chunk stage applied after the spatial map, or None."""
        return None

    def voi_indices(self, n_available: int) -> np.ndarray:
        if self.variables_of_interest is None:
            return np.arange(n_available)
        idx = np.asarray(self.variables_of_interest, dtype=np.intp)
        if idx.size == 0 or idx.min() < 0 or idx.max() >= n_available:
            raise ValidationError(
                f"{self.name}.variables_of_interest {list(self.variables_of_interest)} must be "
                f"indices in 0..{n_available - 1} of the available variables"
            )
        return idx

    def spatial_map(self, n_node: int, context: dict[str, Any]) -> np.ndarray | None:
        """Matrix ``(n_out, n_node)`` applied to every sample, or None (node level)."""
        return None

    def space_labels(
        self, node_labels: list[str], n_node: int, context: dict[str, Any] | None = None
    ) -> list[str]:
        """Labels of the rows of :meth:`spatial_map` (the nodes when there is no map)."""
        return list(node_labels)

    def time_offset_steps(self, istep: int) -> float:
        """Sample time = (step - offset) * dt."""
        return istep / 2.0 if self.temporal == "mean" else 0.0


def get(name: str) -> type[Monitor]:
    """Monitor class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_monitors() -> list[str]:
    """Names of all registered monitors."""
    return _REGISTRY.names()
