"""Read and write connectivities in TheVirtualBrain's ZIP format (also as a plain directory).

The archive holds whitespace-separated text files; a member is found by a substring of its
file name (so ``weights.txt``, ``weights.txt.bz2`` and ``connectivity_192/weights.txt`` all
match ``weights``):

==========================  ==============================  ==============================
member                      content                         required
==========================  ==============================  ==============================
``weights``                 n x n floats (row = target)     yes
``tract_lengths``/``tract`` n x n floats, mm, >= 0          no if centres are given
``centres``/``centers``     ``label x y z`` per line (mm)   no (labels r0.., zeros)
``average_orientations``    n x 3 floats                    no (zeros)
``areas``                   n floats, mm²                   no (zeros)
``cortical``                n flags 0/1                     no (all 1)
``hemispheres``             n flags 0/1 (1 = right)         no (inferred from labels)
``info``                    ``key = value`` lines           no (``speed`` is read if there)
==========================  ==============================  ==============================

Members ending in ``.bz2`` (or ``.gz``) are decompressed.  Archives with absolute or ``..``
member paths are refused, and so is any member decompressing to more than
:data:`vbrain.io.safezip.MAX_MEMBER_BYTES` (zip bombs).  Members whose file name starts with
``.`` or ``_``, and anything under ``__MACOSX``, are ignored.  Every problem is reported as a
:class:`ConnectivityFormatError` naming the file, the member and, where it applies, the line.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.io import safezip

__all__ = ["ConnectivityFormatError", "read_connectivity", "write_connectivity"]

PathLike = str | os.PathLike[str]

# field -> substrings searched for in member file names, in order of preference
_MEMBER_KEYS: dict[str, tuple[str, ...]] = {
    "weights": ("weights",),
    "tract_lengths": ("tract_lengths", "tract"),
    "centres": ("centres", "centers"),
    "orientations": ("average_orientations",),
    "areas": ("areas",),
    "cortical": ("cortical",),
    "hemispheres": ("hemispheres",),
    "info": ("info",),
}

_COMPRESSED = (".bz2", ".gz")


class ConnectivityFormatError(ValidationError):
    """A connectivity file or archive that cannot be read: names the file, member and line."""


# --------------------------------------------------------------------------------------
# Sources: a zip archive or a directory, listing members and reading their bytes


class _Source:
    """Members of a zip archive or a directory tree, by relative POSIX path."""

    def __init__(self, name: str, members: list[str], read: Callable[[str], bytes]) -> None:
        self.name = name
        self.members = [m for m in members if not _ignored(m)]
        self._read = read

    def fail(self, message: str) -> ConnectivityFormatError:
        return ConnectivityFormatError(f"{self.name}: {message}")

    def find(self, field: str) -> str | None:
        """First member matching ``field``; an exact file stem wins over a mere substring."""
        for key in _MEMBER_KEYS[field]:
            hits = [m for m in self.members if key in _basename(m).lower()]
            if hits:
                exact = [m for m in hits if _stem(m) == key]
                return (exact or hits)[0]
        return None

    def read_text(self, member: str) -> str:
        try:
            raw = self._read(member)
        except ConnectivityFormatError:
            raise
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise self.fail(f"{member}: cannot be read ({exc})") from None
        # bounded: a few hundred bytes of bz2 can expand to gigabytes
        raw = safezip.decompress(member, raw, self.fail)
        if b"\x00" in raw:
            raise self.fail(f"{member}: is a binary file; expected whitespace-separated text")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _basename(member: str) -> str:
    return member.rstrip("/").rsplit("/", 1)[-1]


def _stem(member: str) -> str:
    name = _basename(member).lower()
    for ext in _COMPRESSED:
        if name.endswith(ext):
            name = name[: -len(ext)]
    return name.rsplit(".", 1)[0] if "." in name else name


def _ignored(member: str) -> bool:
    parts = member.split("/")
    if "__MACOSX" in parts:
        return True
    base = _basename(member)
    return not base or base.startswith((".", "_"))


def _open_source(path: PathLike | IO[bytes]) -> tuple[_Source, zipfile.ZipFile | None]:
    if hasattr(path, "read"):
        name = getattr(path, "name", None) or "<stream>"
        name = os.path.basename(str(name))
        try:
            archive = zipfile.ZipFile(path)  # type: ignore[arg-type]
        except (zipfile.BadZipFile, OSError) as exc:
            raise ConnectivityFormatError(f"{name}: not a zip archive ({exc})") from None
        return _zip_source(name, archive), archive
    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        root = p
        members = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__MACOSX")))
            for fname in sorted(filenames):
                rel = Path(dirpath, fname).relative_to(root).as_posix()
                members.append(rel)
        return _Source(name, members, lambda m: (root / m).read_bytes()), None
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such connectivity file or directory")
    try:
        archive = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise ConnectivityFormatError(
            f"{name}: not a zip archive; expected a TVB connectivity .zip (or a directory) "
            "holding weights.txt, tract_lengths.txt, centres.txt, ..."
        ) from None
    except OSError as exc:
        raise ConnectivityFormatError(f"{name}: cannot be opened ({exc})") from None
    return _zip_source(name, archive), archive


def _zip_source(name: str, archive: zipfile.ZipFile) -> _Source:
    def fail(message: str) -> ConnectivityFormatError:
        return ConnectivityFormatError(message)

    try:
        # nothing is extracted to disk, but an archive with such names is not trusted at all
        safezip.check_member_names(archive, name, fail)
    except ConnectivityFormatError:
        archive.close()
        raise
    members = [info.filename for info in archive.infolist() if not info.is_dir()]
    # members are read with a size limit (zip bombs); errors name the archive and member
    return _Source(name, members, lambda m: safezip.read_member(archive, m, name, fail))


# --------------------------------------------------------------------------------------
# Text parsing with line numbers


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers, ``#`` comments removed."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((number, line))
    return out


def _parse_float(token: str) -> float:
    if "_" in token:  # float() accepts 1_000; a data file should not
        raise ValueError(token)
    return float(token)


def _parse_table(src: _Source, member: str, text: str) -> tuple[np.ndarray, list[int]]:
    """Rectangular table of floats and the file line number of each row."""
    rows: list[list[float]] = []
    numbers: list[int] = []
    width = None
    first_line = 0
    for number, line in _lines(text):
        tokens = line.replace(",", " ").split()
        if width is None:
            width, first_line = len(tokens), number
        elif len(tokens) != width:
            raise src.fail(
                f"{member} line {number}: {len(tokens)} values but line {first_line} has "
                f"{width}; every row must have the same number of values"
            )
        try:
            rows.append([_parse_float(t) for t in tokens])
        except ValueError:
            for col, token in enumerate(tokens, start=1):
                try:
                    _parse_float(token)
                except ValueError:
                    raise src.fail(
                        f"{member} line {number}, column {col}: cannot read {_show(token)} "
                        "as a number"
                    ) from None
        numbers.append(number)
    if not rows:
        raise src.fail(f"{member}: is empty; expected whitespace-separated numbers")
    return np.array(rows, dtype=float), numbers


def _show(token: str) -> str:
    return repr(token if len(token) <= 30 else token[:27] + "...")


def _check_values(
    src: _Source, member: str, arr: np.ndarray, lines: list[int], what: str, nonnegative: bool
) -> None:
    """Reject NaN/inf (and negatives when asked), naming line and column of the first one."""
    table = arr.reshape(len(lines), -1)
    bad = ~np.isfinite(table)
    problem = "all values must be finite numbers"
    if not bad.any() and nonnegative:
        bad = table < 0
        problem = f"{what} must be >= 0"
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        value = float(table[row, col])
        raise src.fail(f"{member} line {lines[row]}, column {col + 1}: {value!r}; {problem}")


def _shape(arr: np.ndarray) -> str:
    return "x".join(str(s) for s in arr.shape)


def _read_matrix(src: _Source, member: str, what: str, nonnegative: bool) -> np.ndarray:
    arr, lines = _parse_table(src, member, src.read_text(member))
    _check_values(src, member, arr, lines, what, nonnegative)
    return arr


def _read_vector(
    src: _Source, member: str, n: int, what: str, nonnegative: bool = False, text: str = ""
) -> tuple[np.ndarray, list[int]]:
    """One value per region, one per line or all on one line; with each value's line."""
    arr, lines = _parse_table(src, member, text or src.read_text(member))
    if arr.shape[0] != 1 and arr.shape[1] != 1:
        raise src.fail(f"{member} is {_shape(arr)}; expected one {what} value per region ({n})")
    _check_values(src, member, arr, lines, what, nonnegative)
    if arr.shape[0] == 1:  # all values on one line
        lines = lines * arr.shape[1]
    return arr.ravel(), lines


def _read_flags(src: _Source, member: str, n: int, what: str) -> np.ndarray:
    text = src.read_text(member)
    text = re.sub(r"\btrue\b", "1", text, flags=re.IGNORECASE)
    text = re.sub(r"\bfalse\b", "0", text, flags=re.IGNORECASE)
    values, lines = _read_vector(src, member, n, what, text=text)
    bad = (values != 0) & (values != 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise src.fail(
            f"{member} line {lines[i]}: {float(values[i])!r}; {what} flags must be 0 or 1 "
            "(one per region)"
        )
    return values.astype(bool)


def _read_centres(src: _Source, member: str) -> tuple[np.ndarray, list[str]]:
    labels: list[str] = []
    xyz: list[list[float]] = []
    for number, line in _lines(src.read_text(member)):
        tokens = line.split()
        if len(tokens) < 4:
            raise src.fail(
                f"{member} line {number}: {len(tokens)} columns; expected 4, 'label x y z'"
            )
        coords = []
        for col, token in enumerate(tokens[1:4], start=2):
            try:
                value = _parse_float(token)
            except ValueError:
                raise src.fail(
                    f"{member} line {number}, column {col}: cannot read {_show(token)} as a "
                    "coordinate; expected 'label x y z'"
                ) from None
            if not math.isfinite(value):
                raise src.fail(
                    f"{member} line {number}, column {col}: {value!r}; coordinates must be finite"
                )
            coords.append(value)
        labels.append(tokens[0])
        xyz.append(coords)
    if not labels:
        raise src.fail(f"{member}: is empty; expected one 'label x y z' line per region")
    return np.array(xyz, dtype=float), labels


_SPEED_LINE = re.compile(r"^\s*speed\s*=\s*\"?([^\"\s]*)\"?\s*$", re.IGNORECASE)


def _read_info_speed(src: _Source, member: str) -> float | None:
    for number, line in enumerate(src.read_text(member).splitlines(), start=1):
        match = _SPEED_LINE.match(line)
        if match:
            try:
                return float(match.group(1))
            except ValueError:
                raise src.fail(
                    f"{member} line {number}: cannot read speed {_show(match.group(1))} as a "
                    "number (mm/ms)"
                ) from None
    return None


# --------------------------------------------------------------------------------------
# Public API


def read_connectivity(path: PathLike | IO[bytes], speed: float | None = None) -> Connectivity:
    """Read a connectivity from a TVB connectivity ZIP archive or a directory of its files.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        A ``.zip`` archive (e.g. ``tvb_data/connectivity/connectivity_76.zip``), an open binary
        stream of one, or a directory holding the same text files (subfolders allowed).
    speed : float, optional
        Conduction speed in mm/ms.  Default: the ``speed`` entry of ``info.txt`` when there is
        one (as written by :func:`write_connectivity`), else 3.0.

    Returns
    -------
    Connectivity
        The validated connectivity.

    Raises
    ------
    ConnectivityFormatError
        (a :class:`vbrain.config.ValidationError`) when the file is not a zip archive, the
        weights member is missing, a member cannot be parsed (with its line number), shapes
        are not square or do not agree, or values are NaN/inf or negative lengths.
    FileNotFoundError
        When ``path`` does not exist.
    """
    src, archive = _open_source(path)
    try:
        return _read(src, speed)
    finally:
        if archive is not None:
            archive.close()


def _read(src: _Source, speed: float | None) -> Connectivity:
    members = {field: src.find(field) for field in _MEMBER_KEYS}
    w_member = members["weights"]
    if w_member is None:
        listed = ", ".join(src.members[:10]) or "nothing"
        raise src.fail(f"no weights member (e.g. weights.txt) found; it holds {listed}")
    weights = _read_matrix(src, w_member, "weights", nonnegative=False)
    if weights.shape[0] != weights.shape[1]:
        raise src.fail(f"{w_member} is {_shape(weights)}; weights must be square")
    n = weights.shape[0]
    fields: dict[str, Any] = {"weights": weights}

    def need(member: str, arr: np.ndarray, rows: int, cols: int | None, what: str) -> None:
        if arr.shape[0] != rows or (cols is not None and arr.shape[1] != cols):
            want = f"{rows}x{cols}" if cols is not None else f"{rows} rows"
            raise src.fail(
                f"{member} is {_shape(arr)} but {w_member} is {n}x{n}; {what} must be {want}"
            )

    if (m := members["tract_lengths"]) is not None:
        tracts = _read_matrix(src, m, "tract lengths", nonnegative=True)
        need(m, tracts, n, n, "tract lengths")
        fields["tract_lengths"] = tracts
    if (m := members["centres"]) is not None:
        centres, labels = _read_centres(src, m)
        if len(labels) != n:
            raise src.fail(
                f"{m} has {len(labels)} regions (lines) but {w_member} is {n}x{n}; "
                "one 'label x y z' line per region is needed"
            )
        fields["centres"], fields["region_labels"] = centres, labels
    elif "tract_lengths" not in fields:
        raise src.fail(
            f"neither tract_lengths nor centres found next to {w_member}; tract lengths are "
            "needed, or centres to derive them from"
        )
    if (m := members["orientations"]) is not None:
        orientations = _read_matrix(src, m, "orientations", nonnegative=False)
        need(m, orientations, n, 3, "orientations (one x y z row per region)")
        fields["orientations"] = orientations
    if (m := members["areas"]) is not None:
        areas, _ = _read_vector(src, m, n, "area", nonnegative=True)
        if areas.size != n:
            raise src.fail(
                f"{m} has {areas.size} values but {w_member} is {n}x{n}; one area per region "
                "is needed"
            )
        fields["areas"] = areas
    for field, what in (("cortical", "cortical"), ("hemispheres", "hemisphere")):
        if (m := members[field]) is not None:
            flags = _read_flags(src, m, n, what)
            if flags.size != n:
                raise src.fail(
                    f"{m} has {flags.size} values but {w_member} is {n}x{n}; one {what} flag "
                    "per region is needed"
                )
            fields[field] = flags
    if speed is None and (m := members["info"]) is not None:
        speed = _read_info_speed(src, m)
    fields["speed"] = 3.0 if speed is None else speed
    try:
        return Connectivity(**fields)
    except ValidationError as exc:
        raise src.fail(str(exc)) from None


def _fmt(values: np.ndarray) -> str:
    """One line of shortest round-trip float reprs."""
    return " ".join(repr(float(v)) for v in values.tolist())


def _check_label(label: str) -> None:
    if not label or any(c.isspace() for c in label) or "#" in label:
        raise ValidationError(
            f"region label {label!r} cannot be written to centres.txt: labels must be "
            "non-empty, without whitespace or '#'"
        )


def write_connectivity(conn: Connectivity, path: PathLike) -> Path:
    """Write a connectivity as a TVB connectivity ZIP archive.

    Members: ``weights.txt``, ``tract_lengths.txt``, ``centres.txt`` (``label x y z``),
    ``average_orientations.txt``, ``areas.txt``, ``cortical.txt``, ``hemispheres.txt`` and
    ``info.txt`` (units and the conduction speed).  Floats are written as their shortest
    round-trip representation, so :func:`read_connectivity` gives back identical arrays.

    Parameters
    ----------
    conn : Connectivity
        The connectivity to write.
    path : str or os.PathLike
        Destination ``.zip`` file (overwritten if present; its folder must exist).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValidationError
        When a region label contains whitespace or ``#`` (it could not be read back).
    """
    if not isinstance(conn, Connectivity):
        raise ValidationError(f"write_connectivity needs a Connectivity, got {type(conn).__name__}")
    for label in conn.region_labels:
        _check_label(label)
    path = Path(path)
    members = {
        "weights.txt": "\n".join(_fmt(row) for row in conn.weights),
        "tract_lengths.txt": "\n".join(_fmt(row) for row in conn.tract_lengths),
        "centres.txt": "\n".join(
            f"{label} {_fmt(xyz)}"
            for label, xyz in zip(conn.region_labels, conn.centres, strict=True)
        ),
        "average_orientations.txt": "\n".join(_fmt(row) for row in conn.orientations),
        "areas.txt": "\n".join(repr(float(a)) for a in conn.areas.tolist()),
        "cortical.txt": "\n".join(str(int(c)) for c in conn.cortical.tolist()),
        "hemispheres.txt": "\n".join(str(int(h)) for h in conn.hemispheres.tolist()),
        "info.txt": "\n".join(
            [
                'weights_unit = "au"',
                'length_unit = "mm"',
                'area_unit = "mm^2"',
                f"speed = {conn.speed!r}",
                'speed_unit = "mm/ms"',
                f"n_regions = {conn.n_region}",
            ]
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text + "\n")
    path.write_bytes(buffer.getvalue())
    return path
