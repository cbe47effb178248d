"""Choosing and running an importer for a file: by name, or by extension and content.

:func:`read_file` is what :meth:`vbrain.Store.import_file` uses; it reads everything before
anything is stored, so a file that fails to import leaves no trace in a store.

Detection (when no importer is named), first match wins:

=====================================  =============================================
input                                  importer
=====================================  =============================================
a folder with ``sub-*`` folders         ``BIDSImporter``
any other folder                       ``ZIPConnectivityImporter`` (unzipped files)
zip with ``manifest.json``             ``TVBImporter`` (vbrain datatype zip)
zip with a ``weights`` member          ``ZIPConnectivityImporter``
zip holding one region-mapping file    ``RegionMappingImporter``
other or unreadable ``.zip``           ``ZIPConnectivityImporter`` (its error explains)
HDF5 (``.h5``, magic bytes)            ``TVBImporter`` (vbrain HDF5 file)
``.npy``                               ``ProjectionMatrixImporter``
``.mat`` with ``sample_period`` /      ``RegionTimeSeriesImporter`` (``EEGRegion...``
``sampling_rate`` given                when ``sensors`` is given)
other ``.mat``                         ``ProjectionMatrixImporter``
``.nii``, ``.nii.gz``                  ``NIFTIImporter``
``.trk``, ``.tck``                     ``TrackImporter``
``.csv``                               ``CSVConnectivityImporter``
text named like a region mapping       ``RegionMappingImporter``
text named like sensors                ``SensorsImporter``
other text (``.txt``, ``.tsv``...)     ``TxtTimeseriesImporter``
=====================================  =============================================
"""

from __future__ import annotations

import inspect
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from vbrain.config.traits import ValidationError
from vbrain.datatypes.base import DataType

__all__ = ["UnknownFormatError", "detect_importer", "importer_name", "read_file"]

PathLike = str | os.PathLike[str]

_TEXT_SUFFIXES = (".txt", ".tsv", ".dat", ".asc")
_COMPRESSED = (".bz2", ".gz")


class UnknownFormatError(ValidationError):
    """No importer is known for a file (or the importer named does not exist)."""


def _importers() -> dict[str, Callable[..., Any]]:
    from vbrain.io import IMPORTERS

    return IMPORTERS


def importer_name(name: str) -> str:
    """The key of :data:`vbrain.io.IMPORTERS` meant by ``name`` (case-insensitive; the
    ``Importer`` suffix may be left out)."""
    table = _importers()
    wanted = name.lower()
    for key in table:
        if key.lower() in (wanted, wanted + "importer"):
            return key
    raise UnknownFormatError(
        f"no importer called {name!r}; known importers: {', '.join(sorted(table))}"
    )


def _suffixes(name: str) -> str:
    """The extension that selects the format: ``.txt`` for ``a.txt.bz2``, ``.nii`` for
    ``a.nii.gz``."""
    lower = name.lower()
    for ext in _COMPRESSED:
        if lower.endswith(ext):
            lower = lower[: -len(ext)]
    return os.path.splitext(lower)[1]


def _words(name: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", name.lower()))


def _looks_like_region_mapping(name: str) -> bool:
    flat = re.sub(r"[^a-z]", "", name.lower())
    return "regionmapping" in flat or "regionmap" in flat


def _looks_like_sensors(name: str) -> bool:
    from vbrain.io.sensors import infer_modality

    return infer_modality(name) is not None or bool(_words(name) & {"sensors", "sensor"})


def _zip_importer(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        # let the connectivity reader explain what is wrong with the archive
        return "ZIPConnectivityImporter"
    bases = [n.rsplit("/", 1)[-1].lower() for n in names]
    if "manifest.json" in bases:
        return "TVBImporter"
    if any("weights" in b for b in bases):
        return "ZIPConnectivityImporter"
    data = [b for b in bases if b and not b.startswith((".", "_"))]
    if len(data) == 1 and (
        _looks_like_region_mapping(data[0]) or _looks_like_region_mapping(path.name)
    ):
        return "RegionMappingImporter"
    if "ZIPSurfaceImporter" in _importers() and any(
        "vertices" in b or "triangles" in b for b in bases
    ):
        return "ZIPSurfaceImporter"
    return "ZIPConnectivityImporter"


def detect_importer(path: PathLike, options: Mapping[str, Any] | None = None) -> str:
    """The importer (a key of :data:`vbrain.io.IMPORTERS`) for ``path``; see the module notes.

    Parameters
    ----------
    path : path-like
        File or folder to import.
    options : mapping, optional
        The options that will be passed; some choose between importers of one extension
        (``sample_period`` makes a ``.mat`` a time series).

    Raises
    ------
    UnknownFormatError
        When no importer fits; the message lists the importers to name instead.
    FileNotFoundError
        When ``path`` does not exist.
    """
    opts = dict(options or {})
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder")
    if p.is_dir():
        if any(c.is_dir() and c.name.startswith("sub-") for c in [p, *p.iterdir()]):
            return "BIDSImporter"
        return "ZIPConnectivityImporter"
    with open(p, "rb") as f:
        head = f.read(352)
    name = p.name
    ext = _suffixes(name)
    if head.startswith(b"PK\x03\x04") or ext == ".zip" or name.lower().endswith(".zip"):
        return _zip_importer(p)
    if head.startswith(b"MATLAB") or ext == ".mat":
        if "sample_period" in opts or "sampling_rate" in opts:
            return (
                "EEGRegionTimeSeriesImporter" if "sensors" in opts else "RegionTimeSeriesImporter"
            )
        return "ProjectionMatrixImporter"
    if head.startswith(b"\x89HDF\r\n\x1a\n") or ext in (".h5", ".hdf5"):
        return "TVBImporter"
    if head.startswith(b"\x93NUMPY") or ext == ".npy":
        return "ProjectionMatrixImporter"
    if ext in (".nii", ".img", ".hdr") or head[344:348] in (b"n+1\x00", b"ni1\x00"):
        return "NIFTIImporter"
    if ext in (".trk", ".tck") or head.startswith((b"TRACK", b"mrtrix tracks")):
        return "TrackImporter"
    if ext == ".gii" and "GIFTISurfaceImporter" in _importers():
        return "GIFTISurfaceImporter"
    if ext == ".obj" and "ObjSurfaceImporter" in _importers():
        return "ObjSurfaceImporter"
    if ext == ".csv":
        return "CSVConnectivityImporter"
    if ext in _TEXT_SUFFIXES:
        if _looks_like_region_mapping(name):
            return "RegionMappingImporter"
        if _looks_like_sensors(name):
            return "SensorsImporter"
        return "TxtTimeseriesImporter"
    raise UnknownFormatError(
        f"{name}: cannot tell which importer reads this file (extension {ext or 'none'!r}); "
        f"pass importer= one of {', '.join(sorted(_importers()))}"
    )


def _check_options(name: str, func: Callable[..., Any], options: Mapping[str, Any]) -> None:
    """Refuse options the importer does not take, naming those it does (not a TypeError)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    accepted = [
        k
        for k, p in list(params.items())[1:]
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ValidationError(
            f"{name} does not take option(s) {', '.join(unknown)}; it takes: "
            f"{', '.join(accepted) or 'none'}"
        )


def _flatten(result: Any, out: list[DataType], where: str) -> None:
    """Datatypes of an importer's result (one, a list, or BIDS' nested dicts), in order."""
    if isinstance(result, DataType):
        if all(item is not result for item in out):
            out.append(result)
    elif isinstance(result, Mapping):
        for value in result.values():
            _flatten(value, out, where)
    elif isinstance(result, list | tuple):
        for value in result:
            _flatten(value, out, where)
    elif result is not None:
        raise ValidationError(f"{where} returned a {type(result).__name__}, not datatypes")


def read_file(
    path: PathLike, importer: str | None = None, **options: Any
) -> tuple[str, list[DataType]]:
    """Import a file without storing anything.

    Parameters
    ----------
    path : path-like
        File or folder.
    importer : str, optional
        A key of :data:`vbrain.io.IMPORTERS` (the reference system's importer names, e.g.
        ``"ZIPConnectivityImporter"``); default: :func:`detect_importer`.
    **options
        Passed to the importer (e.g. ``sample_period=``, ``connectivity=``).

    Returns
    -------
    name : str
        The importer used.
    datatypes : list of DataType
        What the file holds, in storing order (BIDS: connectivities before the time series
        that link to them).

    Raises
    ------
    ValidationError
        The importer's format error (a subclass, naming the file), an unknown importer or
        option, or a file that holds no datatype.
    """
    name = importer_name(importer) if importer else detect_importer(path, options)
    func = _importers()[name]
    _check_options(name, func, options)
    result = func(path, **options)
    out: list[DataType] = []
    _flatten(result, out, name)
    if not out:
        raise ValidationError(f"{Path(path).name}: {name} found no datatype to import")
    return name, out
