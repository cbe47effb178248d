"""NIfTI volumes (via nibabel, the ``io`` extra): structural images, 4-D time series and
region volume mappings, as the reference's "NIFTI" importer reads them, and writing back.

``nibabel`` is imported only when a NIfTI file is read or written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.time_series import TimeSeriesVolume
from vbrain.datatypes.volumes import RegionVolumeMapping, StructuralMRI, Volume

__all__ = [
    "NiftiFormatError",
    "read_nifti",
    "read_region_volume_mapping",
    "read_structural_mri",
    "read_time_series_volume",
    "write_nifti",
]

PathLike = str | os.PathLike[str]

# NIfTI time units -> ms
_TIME_TO_MS = {"sec": 1000.0, "msec": 1.0, "usec": 1e-3}


class NiftiFormatError(ValidationError):
    """A NIfTI file that cannot be read as asked: names the file and what was expected."""


def _nibabel() -> Any:
    try:
        import nibabel
    except ImportError:
        raise ImportError(
            "reading and writing NIfTI needs nibabel; install it with "
            "`pip install 'vbrain[io]'` (or `pip install nibabel`)"
        ) from None
    return nibabel


def _load(path: PathLike) -> tuple[Any, str]:
    nib = _nibabel()
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    try:
        img = nib.load(str(p))
    except Exception as exc:  # noqa: BLE001 - nibabel raises many kinds for bad files
        raise NiftiFormatError(
            f"{p.name}: not a readable NIfTI-1/2 file (.nii or .nii.gz): {exc}"
        ) from None
    if not hasattr(img, "get_fdata") or not hasattr(img.header, "get_xyzt_units"):
        raise NiftiFormatError(f"{p.name}: is a {type(img).__name__}, not a NIfTI image")
    return img, p.name


def _volume(img: Any) -> Volume:
    zooms = img.header.get_zooms()
    space_unit = img.header.get_xyzt_units()[0]
    affine = np.asarray(img.affine, dtype=float)
    return Volume(
        voxel_size=np.asarray(zooms[:3], dtype=float),
        origin=affine[:3, 3],
        affine=affine,
        voxel_unit="mm" if space_unit in (None, "unknown", "mm") else str(space_unit),
    )


def read_structural_mri(path: PathLike, *, weighting: str = "T1") -> StructuralMRI:
    """A 3-D NIfTI image as a :class:`StructuralMRI` (with its :class:`Volume`)."""
    img, name = _load(path)
    if len(img.shape) != 3:
        raise NiftiFormatError(
            f"{name}: image has shape {img.shape}; a structural MRI needs 3 axes (x, y, z)"
        )
    data = np.asarray(img.get_fdata(), dtype=float)
    if not np.all(np.isfinite(data)):
        raise NiftiFormatError(f"{name}: holds NaN or infinite voxels; intensities must be finite")
    return StructuralMRI(
        array_data=data, volume=_volume(img), weighting=weighting, title=f"NIfTI {name}"
    )


def read_time_series_volume(
    path: PathLike, *, sample_period: float | None = None
) -> TimeSeriesVolume:
    """A 4-D NIfTI image ``(x, y, z, t)`` as a :class:`TimeSeriesVolume` ``(t, x, y, z)``.

    The sample period is the header's 4th zoom converted to ms from its time unit (seconds
    when the unit is unknown, as fMRI files usually are); ``sample_period`` (ms) overrides it.
    """
    img, name = _load(path)
    if len(img.shape) != 4:
        raise NiftiFormatError(
            f"{name}: image has shape {img.shape}; a time series needs 4 axes (x, y, z, time)"
        )
    if sample_period is None:
        zooms = img.header.get_zooms()
        unit = img.header.get_xyzt_units()[1]
        step = float(zooms[3]) if len(zooms) > 3 else 0.0
        sample_period = step * _TIME_TO_MS.get(str(unit), 1000.0) if step > 0 else 1000.0
    volume = _volume(img)
    data = np.moveaxis(np.asarray(img.get_fdata(), dtype=float), 3, 0)
    return TimeSeriesVolume(
        data=data,
        sample_period=sample_period,
        voxel_size=volume.voxel_size,
        volume=volume,
        title=f"NIfTI {name}",
    )


def _read_label_map(path: PathLike) -> dict[int, int]:
    """``label name region`` lines (the reference's 3-column mapping file) -> {label: region}."""
    p = Path(path)
    out: dict[int, int] = {}
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NiftiFormatError(
            f"{p.name}: is not a text file ({exc}); expected 'label name region' lines"
        ) from None
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = line.split("#", 1)[0].split()
        if not tokens:
            continue
        if len(tokens) < 3:
            raise NiftiFormatError(
                f"{p.name} line {number}: {len(tokens)} columns; expected 'label name region'"
            )
        try:
            out[int(tokens[0])] = int(tokens[-1])
        except ValueError:
            raise NiftiFormatError(
                f"{p.name} line {number}: expected integers in the first and last columns "
                "('label name region')"
            ) from None
    return out


def read_region_volume_mapping(
    path: PathLike,
    connectivity: Connectivity,
    *,
    label_map: PathLike | dict[int, int] | None = None,
    one_based: bool = False,
    apply_corrections: bool = False,
) -> RegionVolumeMapping:
    """A 3-D label image as the region (0-based, -1 = background) of every voxel.

    Parameters
    ----------
    path : path-like
        NIfTI file of integer labels.
    connectivity : Connectivity
        The regions the labels refer to.
    label_map : path-like or dict, optional
        Maps label values to region indices (a text file with ``label name region`` lines, as
        the reference reads); unmapped labels become -1 (an error unless
        ``apply_corrections``).
    one_based : bool
        Subtract 1 after mapping (labels 1..n for the regions, 0 for background).
    apply_corrections : bool
        Set indices outside ``-1 .. n_region - 1`` to -1 instead of refusing them.
    """
    img, name = _load(path)
    if len(img.shape) != 3:
        raise NiftiFormatError(
            f"{name}: image has shape {img.shape}; a region volume mapping needs 3 axes"
        )
    raw = np.asarray(img.get_fdata())
    if not np.all(np.isfinite(raw)) or np.any(raw != np.round(raw)):
        raise NiftiFormatError(f"{name}: holds non-integer voxels; expected integer labels")
    data = raw.astype(np.int64)
    if label_map is not None:
        mapping = label_map if isinstance(label_map, dict) else _read_label_map(label_map)
        values = np.unique(data)
        unmatched = sorted(int(v) for v in values if int(v) not in mapping)
        if unmatched and not apply_corrections:
            raise NiftiFormatError(
                f"{name}: labels {unmatched[:10]} are not in the label map; add them or pass "
                "apply_corrections=True to treat them as background"
            )
        lut = {int(v): mapping.get(int(v), -1) for v in values}
        data = np.vectorize(lut.__getitem__, otypes=[np.int64])(data) if data.size else data
    if one_based:
        data = data - 1
    n = connectivity.n_region
    if apply_corrections:
        data[(data >= n) | (data < -1)] = -1
    bad = (data >= n) | (data < -1)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise NiftiFormatError(
            f"{name}: voxel {idx} maps to region {int(data[idx])} but the connectivity has {n} "
            f"regions; indices must be in -1..{n - 1} (try one_based=True, a label map, or "
            "apply_corrections=True)"
        )
    return RegionVolumeMapping(
        array_data=data, connectivity=connectivity, volume=_volume(img), title=f"NIfTI {name}"
    )


def read_nifti(
    path: PathLike, *, connectivity: Connectivity | None = None, **kwargs: Any
) -> StructuralMRI | TimeSeriesVolume | RegionVolumeMapping:
    """What the reference's NIFTI importer makes of a file: a region volume mapping when a
    connectivity is given, a time series for a 4-D image, else a structural MRI."""
    if connectivity is not None:
        return read_region_volume_mapping(path, connectivity, **kwargs)
    img, _ = _load(path)
    if len(img.shape) == 4:
        return read_time_series_volume(path, **kwargs)
    return read_structural_mri(path, **kwargs)


def write_nifti(
    obj: StructuralMRI | RegionVolumeMapping | TimeSeriesVolume, path: PathLike
) -> Path:
    """Write a volume datatype as NIfTI-1 (``.nii`` or ``.nii.gz``), keeping its affine.

    Time series are written ``(x, y, z, t)`` with the sample period in ms as the 4th zoom.
    """
    nib = _nibabel()
    volume = getattr(obj, "volume", None)
    if isinstance(obj, TimeSeriesVolume):
        data = np.moveaxis(obj.data, 0, 3)
        voxel = obj.voxel_size
    elif isinstance(obj, StructuralMRI | RegionVolumeMapping):
        data = obj.array_data
        voxel = volume.voxel_size if isinstance(volume, Volume) else np.ones(3)
    else:
        raise ValidationError(
            f"write_nifti writes StructuralMRI, RegionVolumeMapping or TimeSeriesVolume, got "
            f"{type(obj).__name__}"
        )
    affine = volume.affine if isinstance(volume, Volume) else np.diag([*voxel.tolist(), 1.0])
    if isinstance(obj, RegionVolumeMapping):
        data = data.astype(np.int32)
    img = nib.Nifti1Image(data, affine)
    if isinstance(obj, TimeSeriesVolume):
        img.header.set_zooms((*voxel.tolist(), float(obj.sample_period)))
        img.header.set_xyzt_units("mm", "msec")
    else:
        img.header.set_zooms(tuple(voxel.tolist()))
        img.header.set_xyzt_units("mm")
    path = Path(path)
    nib.save(img, str(path))
    return path
