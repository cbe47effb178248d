"""Zip export of a datatype with the datatypes it links to, and the matching import.

The archive holds one HDF5 file per datatype (:mod:`vbrain.io.hdf5`, nested datatypes stored
as references) named ``<gid>.h5``, and ``manifest.json``::

    {"format": "vbrain-datatypes-zip", "version": 1, "root": "<gid>",
     "datatypes": [{"gid": ..., "type": ..., "file": "<gid>.h5", "links": {field: gid}}]}

This is the counterpart of the reference's "TVB Format with links" exporter.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from vbrain.config.traits import ValidationError
from vbrain.datatypes.base import DataType
from vbrain.io import hdf5, safezip

__all__ = [
    "MAX_MEMBER_BYTES",
    "ArchiveFormatError",
    "export_zip",
    "import_zip",
    "read_datatype_file",
]

PathLike = str | os.PathLike[str]
FORMAT = "vbrain-datatypes-zip"
VERSION = 1
MAX_MEMBER_BYTES = 4 * 1024**3
"""Most bytes one datatype file of an archive may decompress to (4 GiB; zip bombs).

Separate from :data:`vbrain.io.safezip.MAX_MEMBER_BYTES` because these members are streamed
to a temporary file, not read into memory, and hold whole simulations.  Read at call time."""
_MAX_MANIFEST_BYTES = 64 * 1024**2  # a manifest lists gids and file names; never this big


class ArchiveFormatError(ValidationError):
    """A datatype zip that cannot be imported: names the archive and the member."""


def _linked(obj: DataType) -> list[DataType]:
    """``obj`` and every datatype reachable through its fields, children first."""
    from vbrain.store import _children

    order: list[DataType] = []
    seen: set[str] = set()

    def visit(item: DataType) -> None:
        seen.add(item.gid)
        for _, value, _ in _children(item):
            if isinstance(value, DataType) and value.gid not in seen:
                visit(value)
        order.append(item)

    visit(obj)
    return order


def export_zip(obj: DataType, path: PathLike) -> Path:
    """Write ``obj`` and its linked datatypes (HDF5 files) plus a manifest into a zip."""
    if not isinstance(obj, DataType):
        raise ValidationError(f"export_zip exports datatypes, got {type(obj).__name__}")
    path = Path(path)
    entries = []
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path, "w") as archive:
        for item in _linked(obj):
            name = f"{item.gid}.h5"
            hdf5.save(item, Path(tmp) / name, embed=False)
            archive.write(Path(tmp) / name, name)
            entries.append(
                {
                    "gid": item.gid,
                    "type": item.type_name,
                    "file": name,
                    "links": hdf5.read_header(Path(tmp) / name).links,
                }
            )
        manifest = {"format": FORMAT, "version": VERSION, "root": obj.gid, "datatypes": entries}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return path


def _manifest(name: str, archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo("manifest.json")
    except KeyError:
        raise ArchiveFormatError(f"{name}: no manifest.json; not a vbrain datatype zip") from None
    raw = safezip.read_member(archive, info, name, ArchiveFormatError, _MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArchiveFormatError(f"{name}: manifest.json is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveFormatError(f"{name}: manifest.json is not a {FORMAT} manifest")
    version = manifest.get("version")
    if not isinstance(version, int) or not 1 <= version <= VERSION:
        raise ArchiveFormatError(
            f"{name}: manifest version {version!r}; this vbrain reads versions 1..{VERSION}"
        )
    return manifest


def import_zip(path: PathLike, store: Any = None) -> DataType:
    """Read a zip written by :func:`export_zip`.

    Parameters
    ----------
    path : path-like
        The archive.
    store : vbrain.Store, optional
        Also add the root datatype (and its links) to this store.

    Returns
    -------
    DataType
        The root datatype, with its linked datatypes resolved and every gid preserved.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveFormatError(
            f"{p.name}: not a zip archive, or a damaged one ({exc}); expected a vbrain "
            "datatype zip (manifest.json and <gid>.h5 files) as written by export_zip"
        ) from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        # the whole archive is refused when any member could escape a folder (zip slip)
        safezip.check_member_names(archive, p.name, ArchiveFormatError)
        manifest = _manifest(p.name, archive)
        entries = manifest.get("datatypes", [])
        if not isinstance(entries, list):
            raise ArchiveFormatError(f"{p.name}: manifest.json 'datatypes' must be a list")
        files: dict[str, Path] = {}
        for entry in entries:
            if not isinstance(entry, dict):
                raise ArchiveFormatError(
                    f"{p.name}: manifest.json lists {entry!r}; expected objects with gid and file"
                )
            gid, member = str(entry.get("gid", "")), str(entry.get("file", ""))
            # only plain member names are extracted (no zip-slip through ../ or absolute paths)
            if not member or "/" in member or "\\" in member or member.startswith("."):
                raise ArchiveFormatError(f"{p.name}: manifest names an unsafe file {member!r}")
            try:
                info = archive.getinfo(member)
            except KeyError:
                raise ArchiveFormatError(
                    f"{p.name}: manifest lists {member} but the archive lacks it"
                ) from None
            target = Path(tmp) / member
            # streamed with a size limit: never whole in memory, and no zip bomb fills the disk
            safezip.copy_member(
                archive, info, target, p.name, ArchiveFormatError, MAX_MEMBER_BYTES,
                "vbrain.io.archive.MAX_MEMBER_BYTES",
            )  # fmt: skip
            files[gid] = target
        root = str(manifest.get("root", ""))
        if root not in files:
            raise ArchiveFormatError(f"{p.name}: root datatype {root!r} is not in the archive")
        loaded: dict[str, DataType] = {}

        def resolve(gid: str, type_name: str) -> DataType:
            if gid not in files:
                raise ArchiveFormatError(
                    f"{p.name}: a datatype links to {type_name} {gid}, which is not in the archive"
                )
            if gid not in loaded:
                try:
                    loaded[gid] = hdf5.load(files[gid], resolve=resolve)
                except hdf5.HDF5FormatError as exc:
                    # name the member of the archive, not the temporary copy read
                    where = f"{p.name}/{files[gid].name}"
                    raise ArchiveFormatError(str(exc).replace(str(files[gid]), where)) from None
            return loaded[gid]

        obj = resolve(root, "root")
    if store is not None:
        store.add(obj, name=Path(p).stem, provenance={"imported_from": p.name})
    return obj


def read_datatype_file(path: PathLike) -> DataType:
    """Read a vbrain export: a datatype zip (:func:`import_zip`) or one HDF5 file.

    Parameters
    ----------
    path : path-like
        A ``.zip`` written by :func:`export_zip`, or an ``.h5`` file written by
        :func:`vbrain.io.hdf5.save` (self-contained: written with ``embed=True``).

    Returns
    -------
    DataType
        The datatype with the gid it was written with.

    Raises
    ------
    ArchiveFormatError, HDF5FormatError
        Damaged, unsafe, oversized or unsupported files (the message names the file).
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    with open(p, "rb") as f:
        magic = f.read(4)
    if magic == b"PK\x03\x04" or p.suffix.lower() == ".zip":
        return import_zip(p)
    return hdf5.load(p)
