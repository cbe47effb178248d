"""SQL index of a :class:`vbrain.store.Store`: SQLAlchemy 2 typed ORM models.

Imported only when a store is opened, because SQLAlchemy is an optional dependency (the
``store`` extra).  The column types are portable (strings, integers, timestamps with time
zone, JSON), so the same models serve SQLite (the default) and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["SCHEMA_VERSION", "Base", "DataTypeRow", "LinkRow", "MetaRow", "TagRow"]

SCHEMA_VERSION = 1
"""Version of the index tables; a store refuses an index written by a newer one."""

GID_LENGTH = 32


class Base(DeclarativeBase):
    """Declarative base of the store tables."""

    type_annotation_map = {dict[str, Any]: JSON}


class DataTypeRow(Base):
    """One stored datatype: what listings and queries need, without opening its file."""

    __tablename__ = "vbrain_datatype"

    gid: Mapped[str] = mapped_column(String(GID_LENGTH), primary_key=True)
    type: Mapped[str] = mapped_column(String(128), index=True)
    module: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), index=True, default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    path: Mapped[str] = mapped_column(String(512))  # relative to the store folder
    format_version: Mapped[int] = mapped_column(Integer)
    vbrain_version: Mapped[str] = mapped_column(String(32))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    tags: Mapped[list[TagRow]] = relationship(
        back_populates="datatype", cascade="all, delete-orphan", lazy="selectin"
    )
    links_out: Mapped[list[LinkRow]] = relationship(
        back_populates="source",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="LinkRow.source_gid",
    )


class TagRow(Base):
    """A tag of a datatype (one row per tag, so queries by tag stay portable SQL)."""

    __tablename__ = "vbrain_tag"

    gid: Mapped[str] = mapped_column(
        String(GID_LENGTH), ForeignKey("vbrain_datatype.gid", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)

    datatype: Mapped[DataTypeRow] = relationship(back_populates="tags")


class LinkRow(Base):
    """``source`` refers to ``target`` through its field ``field`` (e.g. a time series to its
    connectivity).  The target must be in the store; it cannot be removed while linked."""

    __tablename__ = "vbrain_link"

    source_gid: Mapped[str] = mapped_column(
        String(GID_LENGTH), ForeignKey("vbrain_datatype.gid", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(255), primary_key=True)
    target_gid: Mapped[str] = mapped_column(
        String(GID_LENGTH), ForeignKey("vbrain_datatype.gid"), index=True
    )

    source: Mapped[DataTypeRow] = relationship(
        back_populates="links_out", foreign_keys=[source_gid]
    )


class MetaRow(Base):
    """Key/value facts about the index itself (its schema version)."""

    __tablename__ = "vbrain_store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """SQLite checks foreign keys only when asked, per connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
