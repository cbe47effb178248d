"""Defensive reading of zip members and ``.bz2``/``.gz`` payloads.

Every reader of an archive in :mod:`vbrain.io` goes through these helpers, so that a hostile
or damaged file gives a clear error instead of exhausting memory or writing outside a folder:

* member names that are absolute (``/etc/x``, ``C:\\x``) or climb out of the archive (a
  ``..`` component: "zip slip") make the whole archive refused, even when the readers would
  never write the member to disk (an archive built that way is not one we want to trust);
* a member, or a compressed payload, is refused when it decompresses to more than
  :data:`MAX_MEMBER_BYTES`.  The size the archive declares is checked first (no work done),
  then the decompressed stream is read with a bound, so an archive lying about sizes cannot
  get past the limit either ("zip bomb").

:data:`MAX_MEMBER_BYTES` is read at call time: a program that must read bigger text members
sets ``vbrain.io.safezip.MAX_MEMBER_BYTES`` (or passes ``limit=``).
"""

from __future__ import annotations

import bz2
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "MAX_MEMBER_BYTES",
    "check_member_names",
    "copy_member",
    "decompress",
    "read_member",
    "unsafe_member_name",
]

MAX_MEMBER_BYTES = 1024**3
"""Most bytes one zip member (or one ``.bz2``/``.gz`` payload) may decompress to (1 GiB).

The largest text members of the reference data (998-region weights, 262k-vertex region
mappings) are tens of MB, so this only stops absurd inputs."""

Fail = Callable[[str], Exception]
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# what zipfile raises for damaged members: bad CRC / truncated data, a deflate stream that does
# not decode, an encrypted member (RuntimeError), an unsupported compression method
_DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError)


def _limit(limit: int | None) -> int:
    # looked up at call time so that setting the module constant takes effect
    return MAX_MEMBER_BYTES if limit is None else int(limit)


def unsafe_member_name(name: str) -> bool:
    """Whether a member name is absolute or has a ``..`` component (either separator)."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return ".." in re.split(r"[/\\]", name)


def check_member_names(archive: zipfile.ZipFile, shown: str, fail: Fail) -> None:
    """Refuse the archive when any member has an absolute or parent-relative path.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open archive.
    shown : str
        The archive's name in messages.
    fail : callable
        Builds the module's format error from a message.
    """
    for info in archive.infolist():
        if unsafe_member_name(info.filename):
            raise fail(
                f"{shown}: member {info.filename!r} has an absolute or parent-relative ('..') "
                "path; refusing the archive (members must be relative paths inside it)"
            )


_SETTING = "vbrain.io.safezip.MAX_MEMBER_BYTES"


def _too_big(shown: str, member: str, size: int | str, limit: int, setting: str) -> str:
    return (
        f"{shown}: member {member} decompresses to {size} bytes, more than the limit of "
        f"{limit} bytes ({setting}); refusing it as a possible zip bomb (raise the limit if "
        "the file is genuine)"
    )


def _unreadable(shown: str, member: str, exc: BaseException) -> str:
    return (
        f"{shown}: member {member} cannot be read ({exc}); the archive is damaged or its "
        "headers do not match its data"
    )


def _info(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> zipfile.ZipInfo:
    return member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)


def read_member(
    archive: zipfile.ZipFile,
    member: str | zipfile.ZipInfo,
    shown: str,
    fail: Fail,
    limit: int | None = None,
    setting: str = _SETTING,
) -> bytes:
    """The bytes of one member, refused beyond ``limit`` (default :data:`MAX_MEMBER_BYTES`).

    Damaged data (bad CRC, truncated stream, unsupported compression) is reported through
    ``fail`` naming the archive and the member.
    """
    cap = _limit(limit)
    info = _info(archive, member)
    if info.file_size > cap:
        raise fail(_too_big(shown, info.filename, info.file_size, cap, setting))
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as f:
            # small reads: zipfile inflates up to the size asked for in one go, whatever the
            # member declares, so one big read could take as much memory as the limit
            while size <= cap and (chunk := f.read(_CHUNK)):
                size += len(chunk)
                parts.append(chunk)
    except _DAMAGED as exc:
        raise fail(_unreadable(shown, info.filename, exc)) from None
    if size > cap:
        raise fail(_too_big(shown, info.filename, f"more than {cap}", cap, setting))
    return b"".join(parts)


def copy_member(
    archive: zipfile.ZipFile,
    member: str | zipfile.ZipInfo,
    target: Path,
    shown: str,
    fail: Fail,
    limit: int | None = None,
    setting: str = _SETTING,
) -> None:
    """Stream one member into ``target`` (never whole in memory), refused beyond ``limit``.

    On any failure the partly written ``target`` is removed.
    """
    cap = _limit(limit)
    info = _info(archive, member)
    if info.file_size > cap:
        raise fail(_too_big(shown, info.filename, info.file_size, cap, setting))
    written = 0
    try:
        with archive.open(info) as src, open(target, "wb") as dst:
            while written <= cap and (chunk := src.read(_CHUNK)):
                written += len(chunk)
                dst.write(chunk)
        if written > cap:
            raise fail(_too_big(shown, info.filename, f"more than {cap}", cap, setting))
    except _DAMAGED as exc:
        target.unlink(missing_ok=True)
        raise fail(_unreadable(shown, info.filename, exc)) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def decompress(name: str, data: bytes, fail: Fail, limit: int | None = None) -> bytes:
    """``data`` decompressed when ``name`` ends in ``.bz2`` or ``.gz``, else unchanged.

    The output is bounded by ``limit`` (default :data:`MAX_MEMBER_BYTES`): a few hundred
    bytes of bz2 can expand to gigabytes.
    """
    lower = name.lower()
    stream: io.BufferedIOBase
    if lower.endswith(".bz2"):
        stream = bz2.BZ2File(io.BytesIO(data))
    elif lower.endswith(".gz"):
        stream = gzip.GzipFile(fileobj=io.BytesIO(data))
    else:
        return data
    cap = _limit(limit)
    parts: list[bytes] = []
    size = 0
    try:
        with stream as f:
            while size <= cap and (chunk := f.read(_CHUNK)):
                size += len(chunk)
                parts.append(chunk)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise fail(f"{name}: cannot be decompressed ({exc})") from None
    if size > cap:
        raise fail(
            f"{name}: decompresses to more than {cap} bytes (vbrain.io.safezip."
            "MAX_MEMBER_BYTES); refusing it as a possible compression bomb (raise the limit if "
            "the file is genuine)"
        )
    return b"".join(parts)
