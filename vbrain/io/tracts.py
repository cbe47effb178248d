"""Tractography streamlines from TrackVis ``.trk`` and MRtrix ``.tck`` files (via nibabel).

Points are read in world coordinates (mm, RAS+ as nibabel gives them).  With a
:class:`~vbrain.datatypes.volumes.RegionVolumeMapping`, the region of both ends of every tract
is looked up in it (the reference's "Tracts TRK or TCK" importer does the same).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.tracts import Tracts
from vbrain.datatypes.volumes import RegionVolumeMapping, Volume

__all__ = ["TractsFormatError", "read_tracts", "write_tracts"]

PathLike = str | os.PathLike[str]


class TractsFormatError(ValidationError):
    """A streamline file that cannot be read: names the file and what was expected."""


def _nibabel() -> Any:
    try:
        import nibabel
    except ImportError:
        raise ImportError(
            "reading tracts needs nibabel; install it with `pip install 'vbrain[io]'`"
        ) from None
    return nibabel


def read_tracts(path: PathLike, *, region_volume_map: RegionVolumeMapping | None = None) -> Tracts:
    """Streamlines of a ``.trk`` or ``.tck`` file as :class:`Tracts`.

    Parameters
    ----------
    path : path-like
        TrackVis (``.trk``) or MRtrix (``.tck``) file.
    region_volume_map : RegionVolumeMapping, optional
        Gives ``region_ids``: the region of the voxel under each tract's first and last point
        (-1 outside the grid or in the background).  Its volume's affine maps world to voxels.

    Raises
    ------
    TractsFormatError
        Unknown extension, a file nibabel cannot parse, non-finite points.
    """
    nib = _nibabel()
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.suffix.lower() not in (".trk", ".tck"):
        raise TractsFormatError(
            f"{p.name}: unknown tract format {p.suffix!r}; expected TrackVis .trk or MRtrix .tck"
        )
    try:
        streamlines = nib.streamlines.load(str(p)).streamlines
    except Exception as exc:  # noqa: BLE001 - nibabel raises many kinds for bad files
        kind = "TrackVis .trk" if p.suffix.lower() == ".trk" else "MRtrix .tck"
        raise TractsFormatError(
            f"{p.name}: not a readable {kind} file ({exc}); it may be truncated or corrupt"
        ) from None
    lengths = np.asarray(streamlines._lengths, dtype=np.int64)
    points = np.asarray(streamlines.get_data(), dtype=float).reshape(-1, 3)
    if not np.all(np.isfinite(points)):
        raise TractsFormatError(f"{p.name}: holds NaN or infinite points")
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    extra: dict[str, Any] = {}
    if region_volume_map is not None:
        extra["region_ids"] = _end_regions(points, offsets, region_volume_map)
        extra["region_volume_map"] = region_volume_map
    return Tracts(vertices=points, offsets=offsets, **extra)


def _end_regions(points: np.ndarray, offsets: np.ndarray, rvm: RegionVolumeMapping) -> np.ndarray:
    n = offsets.size - 1
    if n == 0:
        return np.zeros((0, 2), dtype=np.int64)
    volume = rvm.volume
    affine = volume.affine if isinstance(volume, Volume) else np.eye(4)
    ends = np.concatenate([points[offsets[:-1]], points[np.maximum(offsets[1:] - 1, 0)]])
    homog = np.c_[ends, np.ones(len(ends))]
    vox = np.rint((np.linalg.inv(affine) @ homog.T).T[:, :3]).astype(np.int64)
    shape = np.array(rvm.array_data.shape)
    inside = np.all((vox >= 0) & (vox < shape), axis=1)
    regions = np.full(len(ends), -1, dtype=np.int64)
    v = vox[inside]
    regions[inside] = rvm.array_data[v[:, 0], v[:, 1], v[:, 2]]
    return np.stack([regions[:n], regions[n:]], axis=1)


def write_tracts(tracts: Tracts, path: PathLike, *, affine: np.ndarray | None = None) -> Path:
    """Write :class:`Tracts` as ``.trk`` or ``.tck`` (by the extension), points in mm."""
    nib = _nibabel()
    p = Path(path)
    if p.suffix.lower() not in (".trk", ".tck"):
        raise TractsFormatError(f"{p.name}: write .trk or .tck, not {p.suffix!r}")
    sl = nib.streamlines.ArraySequence([tracts.tract(k) for k in range(tracts.n_tracts)])
    tractogram = nib.streamlines.Tractogram(sl, affine_to_rasmm=np.eye(4))
    nib.streamlines.save(tractogram, str(p))
    return p
