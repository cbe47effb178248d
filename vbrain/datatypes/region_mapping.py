"""Region mapping: the region of the connectivity each vertex of a surface belongs to.

A region mapping of ``n_vertices`` integers links a cortical surface to a connectivity: vertex
``v`` lies in region ``array[v]`` (0-based).  Regions no vertex maps to (typically subcortical
ones) are *unmapped*; surface simulations give each of them one extra node and forward models
give them an analytic dipole.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError, integral_array
from vbrain.datatypes.base import DataType

__all__ = ["RegionMapping"]


class RegionMapping(DataType):
    """Region index (0-based) of every vertex of a surface.

    Parameters
    ----------
    array : array_like of int, shape (n_vertices,)
        Region of each vertex, >= 0.
    n_region : int, optional
        Number of regions of the connectivity the mapping refers to (regions ``array`` never
        names are unmapped).  Default: ``array.max() + 1``.

    Examples
    --------
    >>> rm = RegionMapping(array=[0, 0, 2, 2, 2], n_region=4)
    >>> rm.region_vertex_counts().tolist(), rm.unmapped_regions().tolist()
    ([2, 0, 3, 0], [1, 3])
    """

    kind = "region_mapping"

    array: Array(int, 1, nonnegative=True) = Attr(
        label="Region of each vertex", doc="""0-based region index of every vertex."""
    )
    n_region: int | None = Attr(
        None,
        label="Number of regions",
        valid=(1, None),
        doc="""Regions of the connectivity mapped to; default max(array) + 1.""",
    )

    @pydantic.field_validator("array", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        return integral_array(value, "entry", "region indices must be integers >= 0")

    @pydantic.model_validator(mode="after")
    def _check(self) -> RegionMapping:
        if self.array.size == 0:
            raise ValueError("RegionMapping.array is empty; one region index per vertex is needed")
        top = int(self.array.max())
        if self.n_region is not None and top >= self.n_region:
            v = int(np.argmax(self.array >= self.n_region))
            raise ValueError(
                f"RegionMapping maps vertex {v} to region {int(self.array[v])} but n_region is "
                f"{self.n_region}; indices must be in 0..{self.n_region - 1}"
            )
        return self

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_vertices(self) -> int:
        """Number of vertices mapped."""
        return int(self.array.size)

    def _n(self, n_region: int | None) -> int:
        n = self.n_region if n_region is None else int(n_region)
        if n is None:
            return int(self.array.max()) + 1
        top = int(self.array.max())
        if top >= n:
            raise ValidationError(
                f"the region mapping refers to region {top} but the connectivity has {n} "
                f"regions (0..{n - 1}); use the mapping made for this connectivity"
            )
        return n

    def region_vertex_counts(self, n_region: int | None = None) -> np.ndarray:
        """Number of vertices of each region.

        Parameters
        ----------
        n_region : int, optional
            Number of regions (default :attr:`n_region`, else ``max + 1``).

        Returns
        -------
        numpy.ndarray of int64, shape (n_region,)
        """
        return np.bincount(self.array, minlength=self._n(n_region)).astype(np.int64)

    def unmapped_regions(self, n_region: int | None = None) -> np.ndarray:
        """Indices of the regions no vertex maps to (e.g. subcortical regions), ascending."""
        return np.flatnonzero(self.region_vertex_counts(n_region) == 0)

    def sum_per_region(self, values: Any, n_region: int | None = None) -> np.ndarray:
        """Sum vertex values per region along the last axis.

        Parameters
        ----------
        values : array_like, shape (..., n_vertices)
            E.g. a vertex gain matrix ``(n_sensors, n_vertices)``.
        n_region : int, optional
            Number of regions (columns of the result).

        Returns
        -------
        numpy.ndarray, shape (..., n_region)
            Column ``r`` is the sum of the columns of the vertices of region ``r`` (zero for
            unmapped regions).
        """
        vals = np.asarray(values, dtype=float)
        if vals.shape[-1] != self.n_vertices:
            raise ValidationError(
                f"values have {vals.shape[-1]} columns but the region mapping has "
                f"{self.n_vertices} vertices; one column per vertex is needed"
            )
        n = self._n(n_region)
        out = np.zeros((*vals.shape[:-1], n))
        # add.at accumulates repeated indices (plain fancy-index += would keep only one)
        np.add.at(np.moveaxis(out, -1, 0), self.array, np.moveaxis(vals, -1, 0))
        return out

    def summary(self) -> dict[str, Any]:
        """Key figures: vertices, regions, unmapped regions, vertices per region."""
        counts = self.region_vertex_counts()
        return {
            "type": self.type_name,
            "n_vertices": self.n_vertices,
            "n_region": int(counts.size),
            "n_unmapped": int((counts == 0).sum()),
            "vertices_per_region_min": int(counts.min()),
            "vertices_per_region_max": int(counts.max()),
        }

    @classmethod
    def example(cls) -> RegionMapping:
        """Ten vertices over four regions; region 3 is unmapped (like a subcortical one)."""
        return cls(array=[0, 0, 0, 1, 1, 1, 1, 2, 2, 2], n_region=4)
