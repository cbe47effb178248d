"""Generic HDF5 storage of datatypes, driven by their field declarations.

One file holds one datatype.  There is no per-type storage code: every declared field is
written according to its value, and read back through the class's own validation.

File layout
-----------
Root group attributes (all names start with ``vbrain_`` so they never clash with fields):

``vbrain_type``
    Class name of the datatype (``"Connectivity"``), looked up in the datatype registry.
``vbrain_module``
    Module defining the class, imported on load when the class is not registered yet.
``vbrain_gid``
    The datatype's gid; restored on load.
``vbrain_format_version``
    :data:`FORMAT_VERSION` of the writer (an integer, see *Version policy*).
``vbrain_created``
    UTC time of writing, ISO 8601.
``vbrain_version``
    Version of vbrain that wrote the file.
``vbrain_summary``
    JSON of ``obj.summary()`` (for listings without reading arrays).
``vbrain_layout``
    JSON mapping each field name to how it is stored (below).

Fields, by value:

* ``numpy.ndarray`` -> dataset named after the field; chunked and gzip-compressed (with the
  shuffle filter) when larger than :data:`COMPRESS_MIN_BYTES` and a sample shows that it pays
  (noisy float data barely compresses); resizable along axis 0 when the field is declared with
  ``Attr(expandable=True)``.  Unicode arrays become UTF-8 string datasets.
* ``bool``/``int``/``float``/``complex``/``str`` -> attribute named after the field (long
  strings go to a scalar string dataset instead, since attributes are limited to 64 KiB).
* ``None`` -> nothing but the layout entry.
* tuple/list of ``str`` -> UTF-8 string dataset.
* nested :class:`~vbrain.datatypes.base.DataType` -> sub-group named after the field, with its
  own ``vbrain_type``/``vbrain_gid``/layout; the layout records the gid as a link.  With
  ``embed=False`` the sub-group holds only the type and gid (a reference, resolved on load by
  a ``resolve`` callback, which is how :class:`vbrain.store.Store` avoids copies).
* a gid string in a field declared to hold a datatype -> attribute, recorded as a link.
* dict with ``str`` keys holding arrays or datatypes -> sub-group, encoded recursively.
* other :class:`~vbrain.config.traits.Declared` objects (and lists of them) -> JSON attribute
  tagged with the class (``module:QualName``), rebuilt by that class on load.
* any other JSON-able value -> JSON attribute.

Version policy
--------------
:data:`FORMAT_VERSION` is an integer that grows whenever the layout changes incompatibly.  A
reader accepts every version from 1 up to its own (old layouts are migrated on read) and
refuses newer or unknown ones with an error naming the version found and the versions it
supports.  Adding a field with a default to a datatype does not change the format: files
written before simply lack it and the default is used.

Atomicity
---------
:func:`save` writes into a hidden temporary file in the target's directory, flushes it to
disk and renames it over the target (:func:`os.replace`, atomic on POSIX and Windows), so a
crash or an error at any point leaves the target either absent or as it was before.
:func:`append` writes in place (it is meant for data streamed while running).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import json
import os
import tempfile
import types
import typing
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import Declared, ValidationError

__all__ = [
    "COMPRESS_MIN_BYTES",
    "FORMAT_VERSION",
    "HDF5FormatError",
    "Header",
    "append",
    "load",
    "read_field",
    "read_header",
    "refresh_summary",
    "save",
]

FORMAT_VERSION = 1
"""Version of the file layout written by this module (see *Version policy*)."""

SUPPORTED_VERSIONS = range(1, FORMAT_VERSION + 1)

COMPRESS_MIN_BYTES = 64 * 1024
"""Arrays larger than this are chunked and gzip-compressed; smaller ones are contiguous."""

_GZIP_LEVEL = 1  # level 1 gets most of gzip's gain on float data at a fraction of the cost
_PROBE_BYTES = 1024 * 1024  # sample compressed to decide whether compression pays
_CHUNK_BYTES = 256 * 1024  # target chunk size of expandable datasets (HDF5 sweet spot)
_MAX_ATTR_TEXT = 32 * 1024  # attributes are limited to 64 KiB; keep a margin
_PREFIX = "vbrain_"

Resolver = Callable[[str, str], Any]
"""``resolve(gid, type_name) -> DataType`` for references written with ``embed=False``."""


class HDF5FormatError(ValidationError):
    """A file is not a vbrain datatype file, is damaged, or comes from an unsupported version."""


@dataclass(frozen=True)
class Header:
    """What :func:`read_header` reads: the root attributes, never the arrays.

    Attributes
    ----------
    type, module
        Class name of the datatype and the module that defines it.
    gid
        The stored datatype's gid.
    format_version
        Layout version the file was written with.
    created
        UTC time of writing (ISO 8601).
    vbrain_version
        Version of vbrain that wrote the file.
    summary
        ``summary()`` of the datatype when it was written.
    links
        Field name -> gid of every datatype the stored one refers to (nested or by gid).
    fields
        Field name -> storage kind (``"array"``, ``"scalar"``, ``"datatype"``...).
    summary_stale
        True after :func:`append` until :func:`refresh_summary`: the statistics in
        ``summary`` describe the data as it was saved.
    """

    type: str
    module: str
    gid: str
    format_version: int
    created: str
    vbrain_version: str
    summary: dict[str, Any]
    links: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    summary_stale: bool = False


# --------------------------------------------------------------------------------------
# public API


def save(
    obj: Any,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    embed: bool = True,
) -> Path:
    """Write a datatype to an HDF5 file, atomically.

    Parameters
    ----------
    obj : DataType
        The datatype to store.
    path : path-like
        Target file; its directory must exist.
    overwrite : bool
        Replace an existing file (atomically); otherwise an existing file is an error.
    embed : bool
        Store nested datatypes in full (default, a self-contained file) or as references
        (type and gid only) that :func:`load` resolves through its ``resolve`` callback.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from vbrain.datatypes.base import DataType

    if not isinstance(obj, DataType):
        raise ValidationError(
            f"save() stores datatypes (vbrain.datatypes.DataType); got {type(obj).__name__}"
        )
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {path.parent} does not exist")
    with atomic_path(path) as tmp:
        _write_file(tmp, obj, embed=embed)
    return path


def load(
    path: str | os.PathLike[str],
    *,
    expected_type: type | str | None = None,
    resolve: Resolver | None = None,
) -> Any:
    """Read a datatype written by :func:`save`.

    Parameters
    ----------
    path : path-like
        The file.
    expected_type : type or str, optional
        Refuse files holding anything but this datatype class (or a subclass of it).
    resolve : callable, optional
        ``resolve(gid, type_name)`` returning the datatype for references written with
        ``embed=False``.  Without it such a reference is returned as its gid string when the
        field accepts one, and is an error otherwise.

    Returns
    -------
    DataType
        A validated object with the gid it had when saved.
    """
    h5py = _h5py()
    path = Path(path)
    with _open_read(h5py, path) as f:
        version = _check_version(f, path)
        cls = _datatype_class(f, path)
        if expected_type is not None:
            want = _expected_class(expected_type)
            if not issubclass(cls, want):
                raise HDF5FormatError(
                    f"{path} holds a {cls.__name__}, not the expected {want.__name__}"
                )
        return _read_datatype(f, cls, path, version, resolve)


def read_header(path: str | os.PathLike[str]) -> Header:
    """Read the type, gid, version, summary and links of a stored datatype without its arrays.

    Unknown types are reported in the header rather than refused, so listings can show files
    of datatypes this installation does not define; newer format versions are refused.
    """
    h5py = _h5py()
    path = Path(path)
    with _open_read(h5py, path) as f:
        version = _check_version(f, path)
        layout = _read_json_attr(f, "vbrain_layout", path)
        return Header(
            type=_attr_str(f, "vbrain_type", path),
            module=_attr_str(f, "vbrain_module", path, default=""),
            gid=_attr_str(f, "vbrain_gid", path),
            format_version=version,
            created=_attr_str(f, "vbrain_created", path, default=""),
            vbrain_version=_attr_str(f, "vbrain_version", path, default=""),
            summary=_read_json_attr(f, "vbrain_summary", path),
            links=_links(layout),
            fields={name: entry.get("k", "?") for name, entry in layout.items()},
            summary_stale=bool(f.attrs.get("vbrain_summary_stale", False)),
        )


def read_field(path: str | os.PathLike[str], name: str, *, resolve: Resolver | None = None) -> Any:
    """Read one field of a stored datatype (e.g. one array) without reading the others.

    The value is returned as stored, without the class's validation; nested datatypes are
    read in full (or through ``resolve`` when stored as references).
    """
    h5py = _h5py()
    path = Path(path)
    with _open_read(h5py, path) as f:
        version = _check_version(f, path)
        layout = _read_json_attr(f, "vbrain_layout", path)
        if name not in layout:
            raise ValidationError(
                f"{path.name} ({_attr_str(f, 'vbrain_type', path)}) has no field {name!r}; "
                f"fields: {sorted(layout)}"
            )
        return _read_value(
            f, name, layout[name], path=path, version=version, resolve=resolve, accepts_str=True
        )


def append(
    path: str | os.PathLike[str],
    field: str | Mapping[str, Any],
    values: Any = None,
) -> dict[str, tuple[int, ...]]:
    """Append rows along axis 0 to expandable array fields of a stored datatype, in place.

    Parameters
    ----------
    path : path-like
        File written by :func:`save`.
    field : str or mapping
        Name of a field declared with ``Attr(expandable=True)``, or a mapping
        ``{field: values}`` to grow several fields together (e.g. ``data`` and ``time`` of a
        time series) in one opening of the file.
    values : array_like
        Rows to append; all axes but the first must match the stored dataset.

    Returns
    -------
    dict
        The new shape of every field appended to.

    Notes
    -----
    The stored summary is not recomputed (its statistics would need all the data): the file
    is marked ``summary_stale`` until :func:`refresh_summary` is called, typically once when
    the writing is done.
    """
    h5py = _h5py()
    path = Path(path)
    updates = dict(field) if isinstance(field, Mapping) else {field: values}
    if not isinstance(field, Mapping) and values is None:
        raise ValidationError("append() needs the values to append")
    shapes: dict[str, tuple[int, ...]] = {}
    try:
        f = h5py.File(path, "r+")
    except OSError as exc:
        raise HDF5FormatError(f"cannot open {path} for appending: {exc}") from None
    with f:
        _check_version(f, path)
        layout = _read_json_attr(f, "vbrain_layout", path)
        type_name = _attr_str(f, "vbrain_type", path)
        prepared = {}
        for name, new in updates.items():
            entry = layout.get(name)
            if entry is None or entry.get("k") != "array" or not entry.get("expandable"):
                expandable = sorted(n for n, e in layout.items() if e.get("expandable"))
                raise ValidationError(
                    f"{type_name}.{name} is not an expandable array field of {path.name}; "
                    f"expandable fields: {expandable or 'none'}"
                )
            dset = f[name]
            arr = np.asarray(new, dtype=dset.dtype)
            if arr.ndim == dset.ndim - 1:
                arr = arr[np.newaxis]  # one row
            if arr.shape[1:] != dset.shape[1:]:
                raise ValidationError(
                    f"cannot append values of shape {arr.shape} to {type_name}.{name} of shape "
                    f"{dset.shape}; rows must have shape {dset.shape[1:]}"
                )
            prepared[name] = arr
        # check everything before writing anything, so a bad field leaves the file unchanged
        for name, arr in prepared.items():
            dset = f[name]
            start = dset.shape[0]
            dset.resize(start + arr.shape[0], axis=0)
            dset[start:] = arr
            shapes[name] = tuple(dset.shape)
        f.attrs["vbrain_summary_stale"] = True
    return shapes


def refresh_summary(path: str | os.PathLike[str], *, resolve: Resolver | None = None) -> dict:
    """Recompute the stored summary from the data (after :func:`append`); returns it.

    Reads and validates the whole datatype, so it also checks that appended fields agree.
    """
    h5py = _h5py()
    obj = load(path, resolve=resolve)
    summary = _jsonable(obj.summary(), f"{type(obj).__name__}.summary()")
    with h5py.File(path, "r+") as f:
        _put_json(f, "vbrain_summary", summary)
        f.attrs["vbrain_summary_stale"] = False
    return summary


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> typing.Iterator[Path]:
    """Context giving a temporary path next to ``path`` that replaces ``path`` on success.

    The temporary file is hidden (``.<name>.<random>.tmp``), fsynced before the rename, and
    removed when the block raises, so ``path`` is never seen half-written.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


# --------------------------------------------------------------------------------------
# writing


def _write_file(path: Path, obj: Any, *, embed: bool) -> None:
    h5py = _h5py()
    with h5py.File(path, "w", track_order=True) as f:
        _write_datatype(f, obj, embed=embed)


def _write_datatype(group: Any, obj: Any, *, embed: bool) -> None:
    """Write header attributes and every field of ``obj`` into ``group``."""
    import vbrain

    cls = type(obj)
    group.attrs["vbrain_type"] = cls.__name__
    group.attrs["vbrain_module"] = cls.__module__
    group.attrs["vbrain_gid"] = obj.gid
    group.attrs["vbrain_format_version"] = FORMAT_VERSION
    group.attrs["vbrain_created"] = _dt.datetime.now(_dt.UTC).isoformat()
    group.attrs["vbrain_version"] = vbrain.__version__
    _put_json(group, "vbrain_summary", _jsonable(obj.summary(), f"{cls.__name__}.summary()"))
    layout = {}
    for name, info in cls.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        layout[name] = _write_value(
            group,
            name,
            getattr(obj, name),
            where=f"{cls.__name__}.{name}",
            expandable=bool(extra.get("expandable")),
            link_field=_declares_datatype(info.annotation),
            embed=embed,
        )
    _put_json(group, "vbrain_layout", layout)


def _write_value(
    group: Any,
    name: str,
    value: Any,
    *,
    where: str,
    expandable: bool = False,
    link_field: bool = False,
    embed: bool = True,
) -> dict[str, Any]:
    """Write one value under ``name``; return its layout entry."""
    from vbrain.datatypes.base import DataType

    if value is None:
        return {"k": "none"}
    if isinstance(value, DataType):
        sub = group.create_group(name, track_order=True)
        if embed:
            _write_datatype(sub, value, embed=embed)
        else:
            sub.attrs["vbrain_type"] = type(value).__name__
            sub.attrs["vbrain_module"] = type(value).__module__
            sub.attrs["vbrain_gid"] = value.gid
            sub.attrs["vbrain_reference"] = True
        return {"k": "datatype", "type": type(value).__name__, "gid": value.gid, "embed": embed}
    if isinstance(value, np.ndarray):
        return _write_array(group, name, value, where=where, expandable=expandable)
    if isinstance(value, bool | np.bool_):
        group.attrs[name] = bool(value)
        return {"k": "scalar", "py": "bool"}
    if isinstance(value, int | np.integer) and -(2**63) <= int(value) < 2**63:
        group.attrs[name] = np.int64(value)
        return {"k": "scalar", "py": "int"}
    if isinstance(value, float | np.floating):
        group.attrs[name] = np.float64(value)
        return {"k": "scalar", "py": "float"}
    if isinstance(value, complex | np.complexfloating):
        group.attrs[name] = np.complex128(value)
        return {"k": "scalar", "py": "complex"}
    if isinstance(value, str):
        entry: dict[str, Any] = {"k": "ref" if link_field else "scalar", "py": "str"}
        if link_field:
            entry["gid"] = value
        entry.update(_put_text(group, name, value))
        return entry
    if isinstance(value, tuple | list) and value and all(isinstance(v, str) for v in value):
        h5py = _h5py()
        group.create_dataset(name, data=list(value), dtype=h5py.string_dtype("utf-8"))
        return {"k": "strings", "seq": type(value).__name__}
    if isinstance(value, Mapping) and _needs_group(value):
        sub = group.create_group(name, track_order=True)
        layout = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key or "/" in key or key.startswith(_PREFIX):
                raise ValidationError(
                    f"{where} has key {key!r}; stored mappings of arrays need non-empty string "
                    f"keys without '/' and not starting with {_PREFIX!r}"
                )
            layout[key] = _write_value(sub, key, item, where=f"{where}[{key!r}]", embed=embed)
        _put_json(sub, "vbrain_layout", layout)
        return {"k": "dict"}
    if isinstance(value, tuple | list) and value and all(isinstance(v, Declared) for v in value):
        # e.g. a simulation's monitors: each item tagged with its class, like a declared field
        items = [
            {
                "type": f"{type(v).__module__}:{type(v).__qualname__}",
                "value": v.model_dump(mode="json"),
            }
            for v in value
        ]
        entry = {"k": "declared_seq", "seq": type(value).__name__}
        entry.update(_put_text(group, name, json.dumps(items, allow_nan=True)))
        return entry
    if isinstance(value, Declared):
        cls = type(value)
        entry = {"k": "declared", "type": f"{cls.__module__}:{cls.__qualname__}"}
        entry.update(_put_text(group, name, value.model_dump_json()))
        return entry
    seq = type(value).__name__ if isinstance(value, tuple | list) else None
    entry = {"k": "json", "seq": seq}
    entry.update(_put_text(group, name, json.dumps(_jsonable(value, where), allow_nan=True)))
    return entry


def _write_array(
    group: Any, name: str, value: np.ndarray, *, where: str, expandable: bool
) -> dict[str, Any]:
    h5py = _h5py()
    entry: dict[str, Any] = {"k": "array"}
    data: Any = value
    dtype: Any = value.dtype
    if value.dtype.kind == "U":
        data = value.astype(object)
        dtype = h5py.string_dtype("utf-8")
        entry["str"] = True
    elif value.dtype.kind in "OV" or value.dtype.hasobject:
        raise ValidationError(
            f"{where} is an array of dtype {value.dtype}; only numeric, bool and unicode "
            "arrays can be stored"
        )
    kwargs: dict[str, Any] = {}
    compress = value.dtype.kind != "U" and (
        _pays_to_compress(value) or (expandable and value.nbytes <= COMPRESS_MIN_BYTES)
    )
    if expandable:
        if value.ndim == 0:
            raise ValidationError(f"{where} is declared expandable but holds a 0-d array")
        entry["expandable"] = True
        kwargs["maxshape"] = (None, *value.shape[1:])
        kwargs["chunks"] = _row_chunks(value)
    elif compress:
        kwargs["chunks"] = True
    if compress:
        kwargs.update(compression="gzip", compression_opts=_GZIP_LEVEL, shuffle=True)
    group.create_dataset(name, data=data, dtype=dtype, **kwargs)
    return entry


def _pays_to_compress(value: np.ndarray) -> bool:
    """Whether gzip is worth its time: large arrays that shrink by a fifth on a sample.

    Small arrays stay contiguous (chunk overhead exceeds any gain).  Noisy float data
    (simulation output) often barely compresses while gzip runs at some 20 MB/s, so a 1 MiB
    sample is compressed first, byte-shuffled like the HDF5 shuffle filter does.
    Expandable datasets that start small are compressed: their content is not known yet.
    """
    if value.nbytes <= COMPRESS_MIN_BYTES:
        return False
    flat = np.ascontiguousarray(value).reshape(-1)
    sample = flat[: max(1, _PROBE_BYTES // max(1, value.dtype.itemsize))]
    raw = sample.view(np.uint8).reshape(-1, value.dtype.itemsize).T.tobytes()
    return len(zlib.compress(raw, _GZIP_LEVEL)) < 0.8 * len(raw)


def _row_chunks(value: np.ndarray) -> tuple[int, ...]:
    """Chunks of whole rows of about :data:`_CHUNK_BYTES` for a dataset growing along axis 0."""
    row_bytes = max(1, int(np.prod(value.shape[1:], dtype=np.int64)) * value.dtype.itemsize)
    rows = max(1, _CHUNK_BYTES // row_bytes)
    return (rows, *(max(1, s) for s in value.shape[1:]))


def _needs_group(value: Mapping[Any, Any]) -> bool:
    from vbrain.datatypes.base import DataType

    return any(isinstance(v, np.ndarray | DataType) for v in value.values())


def _put_text(group: Any, name: str, text: str) -> dict[str, Any]:
    """Store text as an attribute, or as a scalar string dataset when too long for one."""
    if len(text.encode("utf-8")) <= _MAX_ATTR_TEXT:
        group.attrs[name] = text
        return {}
    h5py = _h5py()
    group.create_dataset(name, data=text, dtype=h5py.string_dtype("utf-8"))
    return {"in": "dataset"}


def _put_json(group: Any, name: str, value: Any) -> None:
    text = json.dumps(value, allow_nan=True)
    if len(text.encode("utf-8")) > _MAX_ATTR_TEXT:
        # the header must stay readable as attributes: large JSON goes to a hidden dataset
        h5py = _h5py()
        key = f"{name}_json"
        if key in group:
            del group[key]
        group.create_dataset(key, data=text, dtype=h5py.string_dtype("utf-8"))
        group.attrs[name] = json.dumps({"$dataset": key})
    else:
        group.attrs[name] = text


def _jsonable(value: Any, where: str) -> Any:
    """``value`` with numpy scalars/arrays turned into Python values; refuses the rest."""

    def default(o: Any) -> Any:
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, tuple | set | frozenset):
            return list(o)
        raise TypeError(type(o).__name__)

    try:
        return json.loads(json.dumps(value, default=default, allow_nan=True))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"{where} holds a value that cannot be stored ({exc}); storable values are arrays, "
            "numbers, strings, datatypes, declared objects and JSON-able containers"
        ) from None


# --------------------------------------------------------------------------------------
# reading


def _read_datatype(
    group: Any, cls: type, path: Path, version: int, resolve: Resolver | None
) -> Any:
    layout = _read_json_attr(group, "vbrain_layout", path)
    declared = cls.model_fields  # type: ignore[attr-defined]
    unknown = sorted(set(layout) - set(declared))
    if unknown:
        raise HDF5FormatError(
            f"{path} stores fields {unknown} that {cls.__name__} of this vbrain does not "
            f"declare (it has {sorted(declared)}); the file was written by another version"
        )
    values = {}
    for name, entry in layout.items():
        values[name] = _read_value(
            group,
            name,
            entry,
            path=path,
            version=version,
            resolve=resolve,
            accepts_str=_accepts_str(declared[name].annotation),
        )
    try:
        obj = cls(**values)
    except ValidationError as exc:
        raise HDF5FormatError(f"{path} holds an invalid {cls.__name__}: {exc}") from None
    obj._gid = _attr_str(group, "vbrain_gid", path)
    return obj


def _read_value(
    group: Any,
    name: str,
    entry: Mapping[str, Any],
    *,
    path: Path,
    version: int,
    resolve: Resolver | None,
    accepts_str: bool = False,
) -> Any:
    kind = entry.get("k")
    try:
        if kind == "none":
            return None
        if kind == "array":
            dset = group[name]
            if entry.get("str"):
                return np.array(dset.asstr()[()], dtype=str)
            return dset[()]
        if kind == "scalar":
            if entry.get("py") == "str":
                return _get_text(group, name, entry)
            value = group.attrs[name]
            return {"bool": bool, "int": int, "float": float, "complex": complex}[entry["py"]](
                value
            )
        if kind == "ref":
            return _get_text(group, name, entry)
        if kind == "strings":
            items = [str(s) for s in group[name].asstr()[()]]
            return tuple(items) if entry.get("seq") == "tuple" else items
        if kind == "datatype":
            return _read_nested(group[name], path, version, resolve, accepts_str)
        if kind == "dict":
            sub = group[name]
            sub_layout = _read_json_attr(sub, "vbrain_layout", path)
            return {
                key: _read_value(
                    sub, key, item, path=path, version=version, resolve=resolve, accepts_str=True
                )
                for key, item in sub_layout.items()
            }
        if kind == "declared":
            return _declared_class(entry["type"], path)(**json.loads(_get_text(group, name, entry)))
        if kind == "declared_seq":
            items = [
                _declared_class(item["type"], path)(**item["value"])
                for item in json.loads(_get_text(group, name, entry))
            ]
            return tuple(items) if entry.get("seq") == "tuple" else items
        if kind == "json":
            value = json.loads(_get_text(group, name, entry))
            return tuple(value) if entry.get("seq") == "tuple" else value
    except KeyError as exc:
        raise HDF5FormatError(f"{path} is damaged: field {name!r} is missing ({exc})") from None
    raise HDF5FormatError(
        f"{path}: field {name!r} has storage kind {kind!r}, unknown to this vbrain "
        f"(format versions {_supported()})"
    )


def _read_nested(
    sub: Any, path: Path, version: int, resolve: Resolver | None, accepts_str: bool
) -> Any:
    gid = _attr_str(sub, "vbrain_gid", path)
    type_name = _attr_str(sub, "vbrain_type", path)
    if bool(sub.attrs.get("vbrain_reference", False)):
        if resolve is not None:
            return resolve(gid, type_name)
        if accepts_str:
            return gid
        raise HDF5FormatError(
            f"{path} refers to {type_name} {gid} without holding it; load it through the "
            "store that wrote it (or pass resolve=...)"
        )
    return _read_datatype(sub, _datatype_class(sub, path), path, version, resolve)


def _get_text(group: Any, name: str, entry: Mapping[str, Any]) -> str:
    if entry.get("in") == "dataset":
        return group[name].asstr()[()]
    value = group.attrs[name]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# --------------------------------------------------------------------------------------
# header helpers


def _open_read(h5py: Any, path: Path) -> Any:
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        raise HDF5FormatError(
            f"{path} is not a readable HDF5 file ({exc}); it may be truncated or corrupt"
        ) from None


def _check_version(f: Any, path: Path) -> int:
    if "vbrain_format_version" not in f.attrs or "vbrain_type" not in f.attrs:
        raise HDF5FormatError(
            f"{path} is an HDF5 file but not a vbrain datatype file (no vbrain_type / "
            "vbrain_format_version attributes)"
        )
    raw = f.attrs["vbrain_format_version"]
    if isinstance(raw, np.generic):
        raw = raw.item()
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    try:
        version = int(raw)
    except (TypeError, ValueError):
        version = -1
    if version not in SUPPORTED_VERSIONS:
        newer = " (newer than this vbrain; upgrade vbrain)" if version > FORMAT_VERSION else ""
        raise HDF5FormatError(
            f"{path} has format version {raw!r}{newer}; this vbrain reads versions {_supported()}"
        )
    return version


def _supported() -> str:
    return ", ".join(str(v) for v in SUPPORTED_VERSIONS)


def _datatype_class(group: Any, path: Path) -> type:
    from vbrain.datatypes.base import get_datatype, list_datatypes

    name = _attr_str(group, "vbrain_type", path)
    module = _attr_str(group, "vbrain_module", path, default="")
    try:
        return get_datatype(name)
    except ValidationError:
        pass
    if module.startswith("vbrain.") or module == "vbrain":
        # the class lives in a module not imported yet; only vbrain's own modules are
        # imported on behalf of a file (never arbitrary code named by it)
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    try:
        return get_datatype(name)
    except ValidationError:
        raise HDF5FormatError(
            f"{path} holds a datatype of type {name!r} (module {module or '?'}) that this "
            f"vbrain does not know; known types: {list_datatypes()}"
        ) from None


def _declared_class(spec: str, path: Path) -> type:
    module_name, _, qualname = spec.partition(":")
    if not module_name.startswith("vbrain") and module_name not in _loaded_modules():
        raise HDF5FormatError(
            f"{path} stores an object of class {spec}, outside vbrain and not imported; "
            "import its module before loading"
        )
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise HDF5FormatError(
            f"{path} stores an object of class {spec}, which this vbrain cannot find"
        ) from None
    if not (isinstance(obj, type) and issubclass(obj, Declared)):
        raise HDF5FormatError(f"{path} names {spec} as a declared class, but it is not one")
    return obj


def _loaded_modules() -> set[str]:
    import sys

    return set(sys.modules)


def _expected_class(expected: type | str) -> type:
    from vbrain.datatypes.base import get_datatype

    return get_datatype(expected) if isinstance(expected, str) else expected


def _attr_str(group: Any, key: str, path: Path, default: str | None = None) -> str:
    if key not in group.attrs:
        if default is not None:
            return default
        raise HDF5FormatError(f"{path} is damaged: attribute {key!r} is missing")
    value = group.attrs[key]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _read_json_attr(group: Any, key: str, path: Path) -> dict[str, Any]:
    text = _attr_str(group, key, path)
    try:
        value = json.loads(text)
        if isinstance(value, dict) and set(value) == {"$dataset"}:
            value = json.loads(group[value["$dataset"]].asstr()[()])
    except (ValueError, KeyError) as exc:
        raise HDF5FormatError(f"{path} is damaged: attribute {key!r} is not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise HDF5FormatError(f"{path} is damaged: attribute {key!r} is not a JSON object")
    return value


def _links(layout: Mapping[str, Any]) -> dict[str, str]:
    return {
        name: entry["gid"]
        for name, entry in layout.items()
        if entry.get("k") in ("datatype", "ref") and "gid" in entry
    }


# --------------------------------------------------------------------------------------
# declarations


def _type_args(annotation: Any) -> list[Any]:
    """All types named in an annotation (unions, Optional, Annotated unwrapped)."""
    out = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = typing.get_origin(item)
        if origin is typing.Annotated:
            stack.append(typing.get_args(item)[0])
        elif origin in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(item))
        else:
            out.append(item)
    return out


def _declares_datatype(annotation: Any) -> bool:
    """True when a field is declared to hold a datatype (so a string in it is a gid)."""
    from vbrain.datatypes.base import DataType

    return any(isinstance(t, type) and issubclass(t, DataType) for t in _type_args(annotation))


def _accepts_str(annotation: Any) -> bool:
    return any(t is str or t is Any for t in _type_args(annotation))


# --------------------------------------------------------------------------------------
# misc


def _h5py() -> Any:
    import h5py

    return h5py


def _fsync(path: Path) -> None:
    # flush the finished file to disk before the rename makes it visible: otherwise a power
    # loss could leave the renamed file empty
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is still atomic
    finally:
        os.close(fd)
