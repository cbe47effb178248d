"""Small helpers for the whitespace-separated text formats of sensors and region mappings.

Files may be plain, ``.bz2``/``.gz`` compressed, or (for region mappings) a ``.zip`` holding
one such file (read with the size limits and path checks of :mod:`vbrain.io.safezip`).  Lines
are numbered from 1 for error messages; ``#`` starts a comment.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import IO

from vbrain.config.traits import ValidationError
from vbrain.io import safezip

PathLike = str | os.PathLike[str]


class TextFormatError(ValidationError):
    """A text data file that cannot be read: names the file and, where it applies, the line."""


def _decompress(name: str, data: bytes) -> bytes:
    # bounded by safezip.MAX_MEMBER_BYTES: a small .bz2/.gz may expand to gigabytes
    return safezip.decompress(name, data, TextFormatError)


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data:
        # NUL bytes never occur in these text formats: a binary (or wrongly named) file
        raise TextFormatError(f"{name}: is a binary file; expected whitespace-separated text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # older files (e.g. sEEG labels with accents) may be Latin-1: every byte decodes
        return data.decode("latin-1")


def read_text(
    path: PathLike | IO[bytes], name: str | None = None, zip_key: str | None = None
) -> tuple[str, str]:
    """Text of a (possibly compressed or zipped) file and the name to show in errors.

    Parameters
    ----------
    path
        A path or a binary stream.
    name
        The file name to use for streams (its suffix selects the decompression).
    zip_key
        For ``.zip`` archives: a substring that picks the member when there are several.
    """
    if hasattr(path, "read"):
        shown = name or getattr(path, "name", None) or "<stream>"
        data = path.read()  # type: ignore[union-attr]
        shown = Path(str(shown)).name
    else:
        p = Path(path)
        shown = p.name
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file")
        if p.is_dir():
            raise TextFormatError(f"{p}: is a directory; expected a text file")
        data = p.read_bytes()
    if shown.endswith(".zip") or data[:4] == b"PK\x03\x04":
        return _read_zip_member(shown, data, zip_key)
    return _decode(shown, _decompress(shown, data)), shown


def _read_zip_member(shown: str, data: bytes, zip_key: str | None) -> tuple[str, str]:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TextFormatError(f"{shown}: not a valid zip archive") from None
    with archive:
        # never extracted, but an archive with absolute or '..' member paths is not trusted
        safezip.check_member_names(archive, shown, TextFormatError)
        members = [
            m.filename
            for m in archive.infolist()
            if not m.is_dir()
            and not m.filename.rsplit("/", 1)[-1].startswith((".", "_"))
            and "__MACOSX" not in m.filename
        ]
        picked = members
        if len(members) > 1 and zip_key:
            picked = [m for m in members if zip_key.lower() in m.lower()]
        if len(picked) != 1:
            listed = ", ".join(members) or "nothing"
            raise TextFormatError(
                f"{shown}: expected exactly one data file in the archive"
                + (f" (matching {zip_key!r})" if zip_key else "")
                + f"; it holds {listed}"
            )
        member = picked[0]
        data = safezip.read_member(archive, member, shown, TextFormatError)
        raw = _decompress(f"{shown}/{member}", data)
    return _decode(member, raw), f"{shown}/{member}"


def numbered_lines(text: str) -> list[tuple[int, list[str]]]:
    """Whitespace-split tokens of every non-empty line, with its 1-based line number."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((number, line.split()))
    return out


def parse_float(token: str) -> float:
    """``float(token)`` without Python's literal extras (``1_000``) that data files lack."""
    if "_" in token:
        raise ValueError(token)
    return float(token)


def show(token: str) -> str:
    """A token quoted for an error message, shortened when long."""
    return repr(token if len(token) <= 30 else token[:27] + "...")
