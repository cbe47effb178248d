"""Fibre tracts (streamlines) from tractography, stored as one array of points plus offsets."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes.base import DataType
from vbrain.datatypes.time_series import _check_link

__all__ = ["Tracts"]


class Tracts(DataType):
    """Streamlines: concatenated points, where each tract starts, and optionally its regions.

    Parameters
    ----------
    vertices : array_like, shape (n_points, 3)
        Points of all tracts one after the other (world coordinates, mm).
    offsets : array_like of int, shape (n_tracts + 1,)
        Tract ``k`` is ``vertices[offsets[k]:offsets[k + 1]]``; starts at 0, non-decreasing,
        ends at ``n_points``.
    region_ids : array_like of int, shape (n_tracts, 2), optional
        0-based regions of the two ends of each tract (-1 = outside every region).
    region_volume_map : RegionVolumeMapping or gid, optional
        The mapping the region ids come from.

    Examples
    --------
    >>> t = Tracts(vertices=np.zeros((5, 3)), offsets=[0, 2, 5])
    >>> t.n_tracts, [len(p) for p in t]
    (2, [2, 3])
    """

    kind = "tracts"

    vertices: Array(float, 2, (None, 3)) = Attr(
        label="Points", unit="mm", doc="""All tract points, concatenated (n_points x 3)."""
    )
    offsets: Array(int, 1, nonnegative=True) = Attr(
        label="Offsets", doc="""Start of each tract in vertices, plus n_points at the end."""
    )
    region_ids: Array(int, 2, (None, 2)) = Attr(
        None, label="Regions", doc="""Regions of the two ends of each tract (-1 = none)."""
    )
    region_volume_map: DataType | str | None = Attr(
        None, label="Region volume mapping", doc="""Where the region ids come from."""
    )

    @pydantic.field_validator("region_volume_map", mode="before")
    @classmethod
    def _check_map(cls, value: Any) -> Any:
        return _check_link(value)

    @pydantic.model_validator(mode="after")
    def _check(self) -> Self:
        off = self.offsets
        n_points = self.vertices.shape[0]
        if off.size < 1 or off[0] != 0 or off[-1] != n_points:
            raise ValueError(
                f"Tracts.offsets must start at 0 and end at the number of points ({n_points}); "
                f"got {off[:1].tolist()}...{off[-1:].tolist()}"
            )
        if np.any(np.diff(off) < 0):
            k = int(np.argmax(np.diff(off) < 0))
            raise ValueError(
                f"Tracts.offsets decrease at tract {k} ({int(off[k])} -> {int(off[k + 1])}); "
                "offsets must be non-decreasing"
            )
        if self.region_ids is not None:
            if self.region_ids.shape[0] != self.n_tracts:
                raise ValueError(
                    f"Tracts.region_ids has {self.region_ids.shape[0]} rows but there are "
                    f"{self.n_tracts} tracts; give one (start, end) pair per tract"
                )
            if np.any(self.region_ids < -1):
                raise ValueError("Tracts.region_ids must be >= -1 (-1 = outside every region)")
        return self

    @property
    def n_tracts(self) -> int:
        """Number of tracts."""
        return int(self.offsets.size - 1)

    def tract(self, k: int) -> np.ndarray:
        """Points of tract ``k`` (n_k x 3)."""
        if not -self.n_tracts <= k < self.n_tracts:
            raise IndexError(f"tract {k} out of range; there are {self.n_tracts} tracts")
        k %= self.n_tracts
        return self.vertices[self.offsets[k] : self.offsets[k + 1]]

    def __iter__(self):  # type: ignore[override]
        return (self.tract(k) for k in range(self.n_tracts))

    def lengths(self) -> np.ndarray:
        """Length of each tract (sum of its segment lengths, mm)."""
        seg = np.linalg.norm(np.diff(self.vertices, axis=0), axis=1)
        # segments joining the end of one tract to the start of the next do not count
        inner = np.ones(seg.size, dtype=bool)
        ends = self.offsets[1:-1] - 1
        inner[ends[(ends >= 0) & (ends < seg.size)]] = False
        csum = np.concatenate([[0.0], np.cumsum(np.where(inner, seg, 0.0))])
        last = np.maximum(self.offsets[1:] - 1, self.offsets[:-1])
        return csum[last] - csum[self.offsets[:-1]]

    def summary(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "n_tracts": self.n_tracts,
            "n_points": int(self.vertices.shape[0]),
            "has_regions": self.region_ids is not None,
        }

    @classmethod
    def example(cls) -> Self:
        """Two straight tracts of 3 and 2 points."""
        pts = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [0, 3, 0]], dtype=float)
        return cls(vertices=pts, offsets=[0, 3, 5], region_ids=[[0, 1], [2, -1]])
