"""The basic monitors: raw, sub-sampled, averaged in time or in space, afferent coupling."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError
from vbrain.simulator.monitors.base import Monitor

__all__ = [
    "AfferentCoupling",
    "GlobalAverage",
    "Raw",
    "SpatialAverage",
    "SubSample",
    "TemporalAverage",
]


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
