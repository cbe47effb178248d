"""Voxel volumes: the grid (:class:`Volume`), structural images and region volume mappings.

Arrays are indexed ``[x, y, z]`` as in NIfTI files.  A :class:`Volume` records the grid's
voxel size and origin (and the full voxel-to-world affine, when known, so that a volume can be
written back to NIfTI unchanged); :class:`StructuralMRI` holds intensities and
:class:`RegionVolumeMapping` the 0-based connectivity region of every voxel (-1 = background).
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, integral_array
from vbrain.datatypes.base import DataType
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.time_series import _check_link

__all__ = ["RegionVolumeMapping", "StructuralMRI", "Volume"]


class Volume(DataType):
    """A voxel grid: voxel size, origin and the voxel-to-world affine.

    Parameters
    ----------
    voxel_size : array_like, shape (3,)
        Size of a voxel along x, y, z (> 0), in ``voxel_unit``.
    origin : array_like, shape (3,)
        World position of voxel (0, 0, 0) (default zeros).
    affine : array_like, shape (4, 4), optional
        Voxel-to-world transform; default ``diag(voxel_size, 1)`` shifted by ``origin``.
    voxel_unit : str
        Unit of sizes and positions (``"mm"`` by default).
    """

    kind = "volume"

    voxel_size: Array(float, 1, (3,)) = Attr(label="Voxel size", doc="""Voxel size (x, y, z).""")
    origin: Array(float, 1, (3,)) = Attr(None, label="Origin", doc="""Position of voxel 0.""")
    affine: Array(float, 2, (4, 4)) = Attr(
        None, label="Affine", doc="""Voxel-to-world transform (4 x 4)."""
    )
    voxel_unit: str = Attr("mm", label="Voxel unit", doc="""Unit of sizes and positions.""")

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("origin") is None:
            data["origin"] = np.zeros(3)
        if data.get("affine") is None and data.get("voxel_size") is not None:
            try:
                affine = np.diag([*np.asarray(data["voxel_size"], dtype=float).tolist(), 1.0])
                affine[:3, 3] = np.asarray(data["origin"], dtype=float)
                data["affine"] = affine
            except (TypeError, ValueError):
                pass  # the field checks report the problem
        return data

    @pydantic.field_validator("voxel_size", mode="after")
    @classmethod
    def _positive(cls, value: np.ndarray) -> np.ndarray:
        if np.any(value <= 0):
            raise ValueError(f"voxel sizes must be > 0, got {value.tolist()}")
        return value

    @classmethod
    def example(cls) -> Self:
        """A 2 x 2 x 3 mm grid."""
        return cls(voxel_size=[2.0, 2.0, 3.0], origin=[-90.0, -126.0, -72.0])


class _VolumeData(DataType):
    """A 3-D array on a :class:`Volume` (not registered: the name starts with ``_``)."""

    kind = "volume"

    volume: Volume | str | None = Attr(
        None, label="Volume", doc="""The grid of the voxels (object or gid)."""
    )
    title: str = Attr("", label="Title", doc="""Free description.""")

    @pydantic.field_validator("volume", mode="before")
    @classmethod
    def _check_volume(cls, value: Any) -> Any:
        return _check_link(value)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape (nx, ny, nz)."""
        return tuple(self.array_data.shape)  # type: ignore[attr-defined]


class StructuralMRI(_VolumeData):
    """A structural image (e.g. T1): one intensity per voxel, ``array_data[x, y, z]``."""

    array_data: Array(float, 3) = Attr(label="Intensities", doc="""Voxel values (x, y, z).""")
    weighting: str = Attr("T1", label="Weighting", doc="""MRI weighting (T1, T2...).""")

    @classmethod
    def example(cls) -> Self:
        return cls(array_data=np.arange(24.0).reshape(2, 3, 4), volume=Volume.example())


class RegionVolumeMapping(_VolumeData):
    """The connectivity region (0-based) of every voxel, -1 for background.

    Parameters
    ----------
    array_data : array_like of int, shape (nx, ny, nz)
        Region index of each voxel, in ``-1 .. n_region - 1``.
    connectivity : Connectivity or gid, optional
        The connectivity the indices refer to; when given as an object, indices must be
        below its number of regions.
    """

    kind = "region_mapping"

    array_data: Array(int, 3) = Attr(label="Region of each voxel", doc="""-1 = background.""")
    connectivity: Connectivity | str | None = Attr(
        None, label="Connectivity", doc="""Connectivity of the regions (object or gid)."""
    )

    @pydantic.field_validator("connectivity", mode="before")
    @classmethod
    def _check_conn(cls, value: Any) -> Any:
        return _check_link(value)

    @pydantic.field_validator("array_data", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        return integral_array(value, "voxel", "region indices must be integers >= -1")

    @pydantic.model_validator(mode="after")
    def _check(self) -> Self:
        low = self.array_data < -1
        if low.any():
            idx = tuple(int(i) for i in np.argwhere(low)[0])
            raise ValueError(
                f"RegionVolumeMapping voxel {idx} is {int(self.array_data[idx])}; indices must "
                "be >= -1 (-1 = background)"
            )
        if isinstance(self.connectivity, Connectivity):
            n = self.connectivity.n_region
            high = self.array_data >= n
            if high.any():
                idx = tuple(int(i) for i in np.argwhere(high)[0])
                raise ValueError(
                    f"RegionVolumeMapping voxel {idx} maps to region {int(self.array_data[idx])} "
                    f"but the connectivity has {n} regions; indices must be in -1..{n - 1}"
                )
        return self

    def region_voxel_counts(self, n_region: int | None = None) -> np.ndarray:
        """Number of voxels of each region (background excluded)."""
        if n_region is None:
            n_region = (
                self.connectivity.n_region
                if isinstance(self.connectivity, Connectivity)
                else int(self.array_data.max()) + 1
            )
        mapped = self.array_data[self.array_data >= 0]
        return np.bincount(mapped.ravel(), minlength=max(int(n_region), 0))

    @classmethod
    def example(cls) -> Self:
        """Four regions of :meth:`Connectivity.example` on a 3 x 3 x 2 grid."""
        data = np.full((3, 3, 2), -1, dtype=int)
        data[0, :, 0] = 0
        data[1, :, 0] = 1
        data[2, :, 1] = 2
        data[0, 0, 1] = 3
        return cls(array_data=data, connectivity=Connectivity.example(), volume=Volume.example())
