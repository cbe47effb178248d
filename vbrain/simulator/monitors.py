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

Every monitor reduces to a temporal rule (``"sample"`` or ``"mean"`` every ``istep`` steps)
applied by the compiled kernel, followed by an optional linear spatial map applied per sample.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.registry import Registry
from vbrain.config.traits import Array, Attr, Declared, ValidationError

__all__ = [
    "AfferentCoupling",
    "GlobalAverage",
    "Monitor",
    "Raw",
    "SpatialAverage",
    "SubSample",
    "TemporalAverage",
    "get",
    "list_monitors",
]

DEFAULT_PERIOD = 0.9765625
"""Reference default monitor period (ms), i.e. 1024 Hz."""

_REGISTRY: Registry[Monitor] = Registry("monitor")


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


class Raw(Monitor):
    """Every integration step, all variables of interest (the period is ignored: dt)."""

    period: float = Attr(0.0, unit="ms", doc="Ignored: Raw records every step.")

    @pydantic.model_validator(mode="after")
    def _check_period(self) -> Raw:
        return self

    def istep(self, dt: float) -> int:
        return 1


class SubSample(Monitor):
    """The instantaneous state every ``period``."""


class TemporalAverage(Monitor):
    """The average over each period, stamped at the middle of its window."""

    temporal: ClassVar[str] = "mean"


class GlobalAverage(Monitor):
    """The average over all nodes, sampled every ``period``."""

    def spatial_map(self, n_node: int, context: dict[str, Any]) -> np.ndarray:
        return np.full((1, n_node), 1.0 / n_node)

    def space_labels(
        self, node_labels: list[str], n_node: int, context: dict[str, Any] | None = None
    ) -> list[str]:
        return ["global"]


class SpatialAverage(Monitor):
    """Averages over groups of nodes, sampled every ``period``.

    ``spatial_mask`` gives a group index per node (e.g. a region mapping); alternatively
    ``default_mask`` ``"hemispheres"`` or ``"cortical"`` derives it from the connectivity.
    """

    spatial_mask: Array(int, 1) | None = Attr(None, doc="Group index (0..n_group-1) of every node.")
    default_mask: str | None = Attr(
        None,
        options=[None, "hemispheres", "cortical"],
        doc="Derive groups from the connectivity when no spatial_mask is given.",
    )

    @pydantic.model_validator(mode="after")
    def _check_mask(self) -> SpatialAverage:
        if (self.spatial_mask is None) == (self.default_mask is None):
            raise ValueError("give exactly one of spatial_mask or default_mask")
        if self.spatial_mask is not None and self.spatial_mask.size and self.spatial_mask.min() < 0:
            raise ValueError("spatial_mask entries must be group indices >= 0")
        return self

    def _mask(self, n_node: int, context: dict[str, Any]) -> np.ndarray:
        if self.spatial_mask is not None:
            mask = self.spatial_mask
        else:
            conn = context.get("connectivity")
            attr = {"hemispheres": "hemispheres", "cortical": "cortical"}[self.default_mask]
            mask = np.asarray(getattr(conn, attr)).astype(int)
        if mask.size != n_node:
            raise ValidationError(
                f"SpatialAverage mask has {mask.size} entries but the network has {n_node} nodes"
            )
        return mask

    def spatial_map(self, n_node: int, context: dict[str, Any]) -> np.ndarray:
        mask = self._mask(n_node, context)
        groups = np.unique(mask)
        out = np.zeros((groups.size, n_node))
        for g_i, g in enumerate(groups):
            members = mask == g
            out[g_i, members] = 1.0 / members.sum()
        return out

    def space_labels(
        self, node_labels: list[str], n_node: int, context: dict[str, Any] | None = None
    ) -> list[str]:
        if self.spatial_mask is not None:
            return [f"group {g}" for g in np.unique(self.spatial_mask)]
        names = (
            ["left", "right"]
            if self.default_mask == "hemispheres"
            else ["non-cortical", "cortical"]
        )
        if context is None:
            return names
        # one label per group present (a network may lie in one hemisphere only)
        return [names[g] for g in np.unique(self._mask(n_node, context))]


class AfferentCoupling(Monitor):
    """The long-range coupling terms received by every node, sampled every ``period``.

    ``period=0`` (the default) records every step.
    """

    source: ClassVar[str] = "coupling"
    period: float = Attr(
        0.0, unit="ms", valid=(0.0, None), doc="Sampling period; 0 records every step."
    )

    @pydantic.model_validator(mode="after")
    def _check_period(self) -> AfferentCoupling:
        return self

    def istep(self, dt: float) -> int:
        return 1 if self.period == 0 else super().istep(dt)


def get(name: str) -> type[Monitor]:
    """Monitor class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_monitors() -> list[str]:
    """Names of all registered monitors."""
    return _REGISTRY.names()
