"""A datatype store for scripts: one HDF5 file per datatype plus an SQL index.

>>> store = vb.Store("my_project")                       # doctest: +SKIP
>>> gid = store.add(conn, name="patient 1", tags=["dti"])  # doctest: +SKIP
>>> store.find(type="Connectivity", tag="dti")[0].load()   # doctest: +SKIP
>>> store.import_file("connectivity_76.zip")               # doctest: +SKIP

:meth:`Store.import_file` picks an importer (by name or by the file's extension and content,
see :mod:`vbrain.io.importing`), reads the whole file, then stores every datatype it holds in
one transaction with the provenance ``{"operation": "import", "importer", "source",
"options"}``; a file that fails to import leaves the index and the data folder untouched.

Layout of the store folder::

    <store>/index.sqlite             the index (default; any SQLAlchemy URL may be given)
    <store>/data/<gid[:2]>/<gid>.h5  one file per datatype (vbrain.io.hdf5 format)

The index has one row per datatype (type, gid, name, tags, created time, JSON summary,
provenance, file path) and one row per link (datatype -> datatype it refers to, by field).
Nested datatypes (a time series' connectivity) are stored once, as datatypes of their own,
and referenced by gid from the files that use them; loading resolves them through the store.

Lazy loading: :meth:`Store.get` and :meth:`Store.find` read only index rows and return
:class:`StoredDataType` handles; arrays are read when :meth:`StoredDataType.load` (the whole
datatype) or :meth:`StoredDataType.read` (one field) is called.

Consistency: a datatype's file is written first (atomically, see :func:`vbrain.io.hdf5.save`)
and its row committed after.  When anything fails before the commit, the transaction is rolled
back and the files written are removed, so a failing ``add`` never leaves a half-registered
datatype.  A process killed between the file and the commit leaves at most an unindexed file
(never a row without its file, never a half-written visible file); :meth:`Store.check` reports
such files and :meth:`Store.cleanup` removes them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.base import DataType, get_datatype, list_datatypes
from vbrain.io import hdf5

__all__ = ["Links", "Store", "StoreError", "StoredDataType"]

INDEX_FILE = "index.sqlite"
DATA_DIR = "data"


class StoreError(ValidationError):
    """A store operation was refused or the store is inconsistent; the message says why."""


@dataclass(frozen=True)
class Links:
    """The links of one datatype: what it refers to, and what refers to it.

    Attributes
    ----------
    outgoing
        Field name -> gid of the datatype referred to.
    incoming
        ``(source gid, field name)`` of every datatype referring to this one.
    """

    outgoing: dict[str, str]
    incoming: list[tuple[str, str]]


@dataclass(frozen=True)
class StoredDataType:
    """Index row of a stored datatype; nothing is read from its file until asked.

    Attributes
    ----------
    gid, type, name, tags, created
        Identity and description (``created`` is a timezone-aware UTC datetime).
    summary
        ``summary()`` of the datatype at storing time.
    provenance
        What produced it (JSON dict given to :meth:`Store.add`, plus ``history`` of
        datatypes that record their own operations), or None.
    links
        Field name -> gid of the datatypes it refers to.
    path
        Absolute path of its HDF5 file.
    """

    gid: str
    type: str
    name: str
    tags: tuple[str, ...]
    created: _dt.datetime
    summary: dict[str, Any] = field(repr=False)
    provenance: dict[str, Any] | None = field(repr=False)
    links: dict[str, str]
    path: Path = field(repr=False)
    store: Store = field(repr=False, compare=False)

    def load(self) -> DataType:
        """Read the whole datatype (arrays included), with linked datatypes resolved."""
        return self.store.load(self.gid)

    def read(self, name: str) -> Any:
        """Read one field (e.g. ``"weights"``) from the file without the others."""
        return hdf5.read_field(self.path, name, resolve=self.store._resolve)

    def header(self) -> hdf5.Header:
        """The file's header (type, gid, format version, summary, links)."""
        return hdf5.read_header(self.path)


class Store:
    """A folder of datatypes with an SQL index.

    Parameters
    ----------
    path : path-like
        Store folder (created if missing).
    url : str, optional
        SQLAlchemy database URL of the index; default ``sqlite:///<path>/index.sqlite``.
        A PostgreSQL URL (``postgresql+psycopg://user@host/db``) works too: the SQL is
        portable.  Several stores may not share one database.
    echo : bool
        Log the SQL statements (debugging).

    Notes
    -----
    Needs SQLAlchemy 2 (``pip install 'vbrain[store]'``).  A datatype is stored once per
    gid: to store a modified version, build a new object (``obj.replace(...)``), which gets a
    new gid.
    """

    def __init__(self, path: str | os.PathLike[str], *, url: str | None = None, echo: bool = False):
        sa, db = _sqlalchemy()
        self.path = Path(path).resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / DATA_DIR).mkdir(exist_ok=True)
        self.url = url or f"sqlite:///{self.path / INDEX_FILE}"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.url.startswith("sqlite"):
            # wait for other writers instead of failing at once (SQLite locks the whole file)
            kwargs["connect_args"] = {"timeout": 30}
        self._engine = sa.create_engine(self.url, **kwargs)
        if self._engine.dialect.name == "sqlite":
            db.enable_sqlite_foreign_keys(self._engine)
        self._sa = sa
        self._db = db
        from sqlalchemy.orm import sessionmaker

        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        db.Base.metadata.create_all(self._engine)
        self._check_schema()

    # -- context / repr ------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, {len(self)} datatypes)"

    def __len__(self) -> int:
        sa = self._sa
        with self._sessions() as s:
            return int(s.scalar(sa.select(sa.func.count()).select_from(self._db.DataTypeRow)))

    def __contains__(self, gid: object) -> bool:
        if not isinstance(gid, str):
            return False
        with self._sessions() as s:
            return s.get(self._db.DataTypeRow, gid) is not None

    def __iter__(self) -> Iterator[StoredDataType]:
        return iter(self.find())

    # -- adding --------------------------------------------------------------------------

    def add(
        self,
        obj: DataType,
        *,
        name: str = "",
        tags: Iterable[str] = (),
        provenance: Mapping[str, Any] | None = None,
    ) -> str:
        """Store a datatype; returns its gid.

        Nested datatypes it holds (a time series' connectivity...) that are not in the store
        yet are stored with it, as datatypes of their own, and linked.  Links given as gids
        must name datatypes already in the store.

        Parameters
        ----------
        obj : DataType
            The datatype.
        name : str
            A name for listings and :meth:`find`.
        tags : iterable of str
            Labels for :meth:`find`.
        provenance : mapping, optional
            JSON-able description of what produced it (operation, configuration...).  When
            the datatype records its own ``history`` (e.g. connectivity operations), that is
            kept under ``provenance["history"]``.

        Returns
        -------
        str
            The gid.
        """
        if not isinstance(obj, DataType):
            raise StoreError(f"Store.add stores datatypes; got {type(obj).__name__}")
        if not isinstance(name, str):
            raise StoreError(f"Store.add: name must be a string, got {name!r}")
        tag_list = _check_tags(tags)
        prov = _check_provenance(provenance)
        history = getattr(obj, "history", None)
        if history:
            prov = dict(prov or {})
            prov.setdefault("history", _json_safe(list(history)))
        self._add_many([(obj, name, tag_list, prov)])
        return obj.gid

    def import_file(
        self,
        path: str | os.PathLike[str],
        importer: str | None = None,
        *,
        name: str | None = None,
        tags: Iterable[str] = (),
        **options: Any,
    ) -> list[str]:
        """Import a file (or folder) and store what it holds, all or nothing.

        Parameters
        ----------
        path : path-like
            The file or folder.
        importer : str, optional
            A key of :data:`vbrain.io.IMPORTERS` (the reference's importer names, e.g.
            ``"ZIPConnectivityImporter"``); default: chosen by extension and content (see
            :mod:`vbrain.io.importing`).
        name : str, optional
            Store name of the imported datatypes; default the file name without extensions.
        tags : iterable of str
            Tags of the imported datatypes.
        **options
            Passed to the importer (``sample_period=``, ``connectivity=``, ``variable=``...).

        Returns
        -------
        list of str
            Gids of the imported datatypes (datatypes they hold, like a time series'
            connectivity, are stored and linked too).  Each has the provenance
            ``{"operation": "import", "importer", "source", "options"}``.

        Raises
        ------
        ValidationError
            The importer's format error (naming the file, member, line...), an unknown
            importer or option, or a datatype already in the store.  The whole file is read
            before anything is written, and the datatypes are committed in one transaction:
            on any error the index and the data folder are as they were.
        """
        from vbrain.io.importing import read_file

        source = Path(path)
        tag_list = _check_tags(tags)
        importer_used, objects = read_file(source, importer, **options)
        prov = _check_provenance(
            {
                "operation": "import",
                "importer": importer_used,
                "source": source.name,
                "options": {k: _option_json(v) for k, v in options.items()},
            }
        )
        label = _stem(source.name) if name is None else name
        if not isinstance(label, str):
            raise StoreError(f"Store.import_file: name must be a string, got {label!r}")
        items = []
        for obj in objects:
            item_prov = dict(prov or {})
            history = getattr(obj, "history", None)
            if history:
                item_prov.setdefault("history", _json_safe(list(history)))
            items.append((obj, label, tag_list, item_prov))
        self._add_many(items)
        return [obj.gid for obj in objects]

    def _add_many(
        self, items: list[tuple[DataType, str, list[str], dict[str, Any] | None]]
    ) -> None:
        """Store datatypes (and the nested ones they hold) in one transaction.

        Files are written first (each atomically), then every row is committed at once; on
        any error the rows are rolled back and the files written are removed.
        """
        seen: set[str] = set()
        plans = []
        for obj, name, tags, prov in items:
            if obj.gid in seen:
                continue  # already stored with an earlier item of this batch
            if obj.gid in self:
                raise StoreError(
                    f"{obj.type_name} {obj.gid} is already in the store; datatypes are stored "
                    "once per gid (build a new object to store a changed version)"
                )
            plans.append((obj, name, tags, prov, self._plan(obj, seen)))
        rows = []
        written: list[Path] = []
        try:
            for obj, name, tag_list, prov, plan in plans:
                for item, links in plan:
                    path = self._file_for(item.gid)
                    path.parent.mkdir(exist_ok=True)
                    hdf5.save(item, path, embed=False)
                    written.append(path)
                    header = hdf5.read_header(path)
                    is_top = item is obj
                    rows.append(
                        (
                            self._db.DataTypeRow(
                                gid=item.gid,
                                type=header.type,
                                module=header.module,
                                name=name if is_top else "",
                                created=_dt.datetime.fromisoformat(header.created),
                                path=str(path.relative_to(self.path)),
                                format_version=header.format_version,
                                vbrain_version=header.vbrain_version,
                                summary=_json_safe(header.summary),
                                provenance=prov if is_top else {"stored_with": obj.gid},
                            ),
                            tag_list if is_top else [],
                            links,
                        )
                    )
            self._commit_rows(rows)
        except BaseException:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise

    def _plan(self, obj: DataType, seen: set[str]) -> list[tuple[DataType, dict[str, str]]]:
        """Datatypes to write (children before parents) with their links; checks gid links.

        ``seen`` holds the gids planned already (by earlier items of a batch); it is updated.
        """
        plan: list[tuple[DataType, dict[str, str]]] = []

        def visit(item: DataType) -> None:
            seen.add(item.gid)
            links = {}
            for key, value, is_link_field in _children(item):
                if isinstance(value, DataType):
                    links[key] = value.gid
                    if value.gid not in seen and value.gid not in self:
                        visit(value)
                elif is_link_field and isinstance(value, str):
                    if value not in seen and value not in self:
                        raise StoreError(
                            f"{item.type_name}.{key} links to gid {value}, which is not in the "
                            "store; add that datatype first (or give the object itself)"
                        )
                    links[key] = value
            plan.append((item, links))

        visit(obj)
        return plan

    def _commit_rows(self, rows: list[tuple[Any, list[str], dict[str, str]]]) -> None:
        db = self._db
        with self._sessions() as s:
            try:
                # rows first and flushed, so the links' foreign keys find their targets
                for row, _, _ in rows:
                    s.add(row)
                s.flush()
                for row, tags, links in rows:
                    for tag in tags:
                        s.add(db.TagRow(gid=row.gid, tag=tag))
                    for key, target in links.items():
                        s.add(db.LinkRow(source_gid=row.gid, field=key, target_gid=target))
                s.commit()
            except BaseException:
                s.rollback()
                raise

    # -- reading -------------------------------------------------------------------------

    def get(self, gid: str) -> StoredDataType:
        """The index entry of a datatype (nothing read from its file); see :meth:`load`."""
        with self._sessions() as s:
            row = s.get(self._db.DataTypeRow, gid)
            if row is None:
                raise KeyError(self._missing(gid))
            return self._handle(row)

    def load(self, gid: str) -> DataType:
        """Read a datatype in full, with the same gid and its linked datatypes resolved."""
        entry = self.get(gid)
        if not entry.path.exists():
            raise StoreError(
                f"{entry.type} {gid} is indexed but its file {entry.path} is missing; the "
                "store folder was changed outside vbrain"
            )
        return hdf5.load(entry.path, resolve=self._resolve)

    def _resolve(self, gid: str, type_name: str) -> DataType:
        try:
            return self.load(gid)
        except KeyError:
            raise StoreError(
                f"a stored datatype refers to {type_name} {gid}, which is not in the store"
            ) from None

    def find(
        self,
        type: str | type | None = None,  # noqa: A002 - the natural name
        *,
        name: str | None = None,
        tag: str | Iterable[str] | None = None,
        subtypes: bool = True,
        limit: int | None = None,
    ) -> list[StoredDataType]:
        """Query the index; results are ordered by creation time.

        Parameters
        ----------
        type : str or DataType subclass, optional
            Datatype class (or its name); with ``subtypes`` its registered subclasses
            match too (``"TimeSeries"`` finds ``TimeSeriesRegion`` entries).
        name : str, optional
            Exact name, or a pattern with ``*`` and ``?`` wildcards.
        tag : str or iterable of str, optional
            Tag(s) every result must carry.
        subtypes : bool
            Whether subclasses of ``type`` match.
        limit : int, optional
            At most this many results.
        """
        sa, db = self._sa, self._db
        stmt = sa.select(db.DataTypeRow)
        if type is not None:
            stmt = stmt.where(db.DataTypeRow.type.in_(_type_names(type, subtypes)))
        if name is not None:
            if any(c in name for c in "*?"):
                stmt = stmt.where(db.DataTypeRow.name.like(_glob_to_like(name), escape="\\"))
            else:
                stmt = stmt.where(db.DataTypeRow.name == name)
        if tag is not None:
            for t in [tag] if isinstance(tag, str) else list(tag):
                stmt = stmt.where(
                    sa.exists().where(db.TagRow.gid == db.DataTypeRow.gid, db.TagRow.tag == t)
                )
        stmt = stmt.order_by(db.DataTypeRow.created, db.DataTypeRow.gid)
        if limit is not None:
            stmt = stmt.limit(int(limit))
        with self._sessions() as s:
            return [self._handle(row) for row in s.scalars(stmt)]

    def links(self, gid: str) -> Links:
        """What datatype ``gid`` refers to, and which datatypes refer to it."""
        sa, db = self._sa, self._db
        with self._sessions() as s:
            row = s.get(db.DataTypeRow, gid)
            if row is None:
                raise KeyError(self._missing(gid))
            incoming = s.execute(
                sa.select(db.LinkRow.source_gid, db.LinkRow.field)
                .where(db.LinkRow.target_gid == gid)
                .order_by(db.LinkRow.source_gid, db.LinkRow.field)
            ).all()
            return Links(
                outgoing={link.field: link.target_gid for link in row.links_out},
                incoming=[(src, fld) for src, fld in incoming],
            )

    # -- removing ------------------------------------------------------------------------

    def remove(self, gid: str) -> None:
        """Remove a datatype (row and file); refused while other datatypes link to it."""
        sa, db = self._sa, self._db
        with self._sessions() as s:
            row = s.get(db.DataTypeRow, gid)
            if row is None:
                raise KeyError(self._missing(gid))
            users = s.execute(
                sa.select(db.LinkRow.source_gid, db.LinkRow.field, db.DataTypeRow.type)
                .join(db.DataTypeRow, db.DataTypeRow.gid == db.LinkRow.source_gid)
                .where(db.LinkRow.target_gid == gid)
            ).all()
            if users:
                listed = ", ".join(f"{typ} {src} (field {fld})" for src, fld, typ in users)
                raise StoreError(
                    f"cannot remove {row.type} {gid}: linked from {listed}; remove those first"
                )
            path = self.path / row.path
            s.delete(row)
            s.commit()
        # the row goes first: a crash now leaves an unindexed file (see cleanup), never a row
        # pointing to nothing
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    # -- maintenance ---------------------------------------------------------------------

    def check(self) -> dict[str, list[Path]]:
        """Compare the index with the folder.

        Returns
        -------
        dict
            ``missing_files``: indexed datatypes whose file is gone; ``unindexed_files``:
            datatype files without a row (left by a crash between write and commit);
            ``temp_files``: unfinished temporary files (left by a crash while writing).
        """
        sa, db = self._sa, self._db
        with self._sessions() as s:
            indexed = {self.path / p for p in s.scalars(sa.select(db.DataTypeRow.path))}
        files = set((self.path / DATA_DIR).glob("*/*.h5"))
        temps = sorted((self.path / DATA_DIR).glob("*/.*.tmp"))
        return {
            "missing_files": sorted(indexed - files),
            "unindexed_files": sorted(files - indexed),
            "temp_files": temps,
        }

    def cleanup(self, older_than_s: float = 3600.0) -> list[Path]:
        """Delete unindexed and temporary files older than ``older_than_s`` seconds.

        The age limit protects files another process is adding right now; use 0 only when
        no other process writes to the store.  Returns the paths removed.
        """
        found = self.check()
        now = time.time()
        removed = []
        for path in [*found["unindexed_files"], *found["temp_files"]]:
            try:
                if now - path.stat().st_mtime >= older_than_s:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
        return removed

    # -- helpers -------------------------------------------------------------------------

    def _file_for(self, gid: str) -> Path:
        return self.path / DATA_DIR / gid[:2] / f"{gid}.h5"

    def _handle(self, row: Any) -> StoredDataType:
        created = row.created
        if created.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
            created = created.replace(tzinfo=_dt.UTC)
        return StoredDataType(
            gid=row.gid,
            type=row.type,
            name=row.name,
            tags=tuple(sorted(t.tag for t in row.tags)),
            created=created,
            summary=row.summary,
            provenance=row.provenance,
            links={link.field: link.target_gid for link in row.links_out},
            path=self.path / row.path,
            store=self,
        )

    def _missing(self, gid: str) -> str:
        return f"no datatype with gid {gid!r} in the store at {self.path}"

    def _check_schema(self) -> None:
        db = self._db
        with self._sessions() as s:
            meta = s.get(db.MetaRow, "schema_version")
            if meta is None:
                s.add(db.MetaRow(key="schema_version", value=str(db.SCHEMA_VERSION)))
                s.commit()
                return
            if int(meta.value) > db.SCHEMA_VERSION:
                raise StoreError(
                    f"the index at {self.url} has schema version {meta.value}, newer than this "
                    f"vbrain supports ({db.SCHEMA_VERSION}); upgrade vbrain"
                )


def _sqlalchemy() -> tuple[Any, Any]:
    try:
        import sqlalchemy
    except ImportError:
        raise ImportError(
            "vb.Store needs SQLAlchemy 2 for its index; install it with pip install 'vbrain[store]'"
        ) from None
    if int(sqlalchemy.__version__.split(".")[0]) < 2:
        raise ImportError(
            f"vb.Store needs SQLAlchemy >= 2.0, found {sqlalchemy.__version__}; upgrade it with "
            "pip install 'vbrain[store]'"
        )
    from vbrain import _store_db

    return sqlalchemy, _store_db


def _children(obj: DataType) -> Iterator[tuple[str, Any, bool]]:
    """``(key, value, declared_as_link)`` for the fields (and mapping entries) of ``obj``
    that may hold datatypes."""
    for fname, info in type(obj).model_fields.items():
        value = getattr(obj, fname)
        is_link = hdf5._declares_datatype(info.annotation)
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, DataType):
                    yield f"{fname}.{key}", item, False
        else:
            yield fname, value, is_link


def _type_names(type_: str | type, subtypes: bool) -> list[str]:
    if isinstance(type_, str):
        try:
            cls: type | None = get_datatype(type_)
        except ValidationError:
            return [type_]  # a type this installation does not define may still be stored
    else:
        cls = type_
    assert cls is not None
    if not subtypes:
        return [cls.__name__]
    names = [n for n in list_datatypes() if issubclass(get_datatype(n), cls)]
    return sorted(names) or [cls.__name__]


def _glob_to_like(pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch in "%_\\":
            out.append("\\" + ch)
        elif ch == "*":
            out.append("%")
        elif ch == "?":
            out.append("_")
        else:
            out.append(ch)
    return "".join(out)


def _check_tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, str):
        tags = [tags]
    out = []
    for tag in tags:
        if not isinstance(tag, str) or not tag:
            raise StoreError(f"tags must be non-empty strings, got {tag!r}")
        if tag not in out:
            out.append(tag)
    return out


def _check_provenance(provenance: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if provenance is None:
        return None
    if not isinstance(provenance, Mapping):
        raise StoreError(
            f"provenance must be a mapping (JSON object), got {type(provenance).__name__}"
        )
    try:
        return _json_safe(json.loads(json.dumps(dict(provenance), default=_np_default)))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"provenance must be JSON-able: {exc}") from None


def _np_default(o: Any) -> Any:
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, tuple | set):
        return list(o)
    raise TypeError(f"{type(o).__name__} is not JSON-able")


def _json_safe(value: Any) -> Any:
    """Non-finite floats as strings: strict JSON (PostgreSQL) has no NaN or Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _stem(file_name: str) -> str:
    """``connectivity_76`` for ``connectivity_76.zip``, ``rm`` for ``rm.txt.bz2``."""
    stem = file_name
    for ext in (".bz2", ".gz"):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
    return stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem


def _option_json(value: Any) -> Any:
    """An importer option as recorded in provenance: datatypes by type and gid, paths by
    name, anything else as JSON (its repr when not JSON-able)."""
    if isinstance(value, DataType):
        return {"type": value.type_name, "gid": value.gid}
    if isinstance(value, os.PathLike):
        return Path(value).name
    if isinstance(value, Mapping):
        return {str(k): _option_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_option_json(v) for v in value]
    try:
        json.dumps(value, default=_np_default)
    except (TypeError, ValueError):
        return repr(value)
    return value
