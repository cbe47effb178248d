"""Read and write triangulated surfaces: TVB surface zip, Wavefront OBJ, GIfTI.

TVB surface zip (``tvb_data/surfaceData/cortex_16384.zip``)
    ``vertices.txt`` (one ``x y z`` line per vertex, mm), ``triangles.txt`` (one ``i j k``
    line per triangle, 0-based unless ``zero_based=False``) and optionally
    ``vertex_normals.txt`` or ``normals.txt`` (``nx ny nz`` per vertex; an empty file counts
    as absent and the normals are computed).  Other members (``info.txt``) are ignored.
Wavefront OBJ
    ``v x y z`` and ``f`` lines; face corners may be ``i``, ``i/t``, ``i//n`` or ``i/t/n``,
    1-based, negative = relative to the end; polygons are split into triangle fans.  Other
    records (``vt``, ``vn``, ``g``, ``o``, ``s``, ``usemtl``, ...) are ignored.
GIfTI (``.gii``, needs nibabel: ``pip install vbrain[io]``)
    One file with a ``NIFTI_INTENT_POINTSET`` and a ``NIFTI_INTENT_TRIANGLE`` array, or a
    pair of files holding one each.

Problems are reported as :class:`SurfaceFormatError` naming the file (and the zip member)
and the line.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.surface import Surface, surface_class
from vbrain.io import safezip
from vbrain.io._textfile import PathLike, TextFormatError, numbered_lines, parse_float, show

__all__ = [
    "SurfaceFormatError",
    "read_gifti",
    "read_obj",
    "read_surface",
    "read_surface_zip",
    "write_gifti",
    "write_obj",
    "write_surface",
    "write_surface_zip",
]


class SurfaceFormatError(TextFormatError):
    """A surface file that cannot be read: names the file and, where it applies, the line."""


def _read_bytes(path: PathLike | IO[bytes], name: str | None) -> tuple[bytes, str]:
    if hasattr(path, "read"):
        shown = name or getattr(path, "name", None) or "<stream>"
        return path.read(), Path(str(shown)).name  # type: ignore[union-attr]
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.is_dir():
        raise SurfaceFormatError(f"{p}: is a directory; expected a surface file")
    return p.read_bytes(), p.name


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _parse_table(text: str, shown: str, width: int, what: str, kind: type) -> np.ndarray:
    """Rows of ``width`` numbers; errors name the file, line and column."""
    rows = numbered_lines(text)
    if not rows:
        return np.zeros((0, width), dtype=kind)
    for number, tokens in rows:
        if len(tokens) != width:
            raise SurfaceFormatError(
                f"{shown} line {number}: {len(tokens)} values; expected {width} ({what})"
            )
    flat = [t for _, tokens in rows for t in tokens]
    try:
        # fast path: numpy parses the whole table at once
        values = np.array(flat, dtype=float)
    except ValueError:
        values = None
    if values is None or not np.all(np.isfinite(values)):
        for number, tokens in rows:  # slow path, only to locate the bad token
            for col, token in enumerate(tokens, start=1):
                try:
                    value = parse_float(token)
                except ValueError:
                    raise SurfaceFormatError(
                        f"{shown} line {number}, column {col}: cannot read {show(token)} as a "
                        f"number; expected {what}"
                    ) from None
                if not math.isfinite(value):
                    raise SurfaceFormatError(
                        f"{shown} line {number}, column {col}: {value!r}; values must be finite"
                    )
    table = values.reshape(-1, width)
    if kind is int:
        frac = table != np.round(table)
        if frac.any():
            r, c = (int(i) for i in np.argwhere(frac)[0])
            raise SurfaceFormatError(
                f"{shown} line {rows[r][0]}, column {c + 1}: {rows[r][1][c]!r} is not an "
                f"integer; expected {what}"
            )
        return table.astype(np.int64)
    return table


def _build(
    cls: type[Surface],
    shown: str,
    vertices: np.ndarray,
    triangles: np.ndarray,
    normals: np.ndarray | None = None,
) -> Surface:
    try:
        return cls(vertices=vertices, triangles=triangles, vertex_normals=normals)
    except ValidationError as exc:
        raise SurfaceFormatError(f"{shown}: {exc}") from None


# --------------------------------------------------------------------------------------
# TVB surface zip


_NORMAL_NAMES = ("vertex_normals", "normals")


def _zip_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member path by lower-case stem (``vertices``, ``triangles``, ``vertex_normals``...)."""
    out: dict[str, str] = {}
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or base.startswith((".", "_")) or "__MACOSX" in info.filename:
            continue
        stem = base.lower()
        for suffix in (".bz2", ".gz", ".txt"):
            stem = stem[: -len(suffix)] if stem.endswith(suffix) else stem
        out.setdefault(stem, info.filename)
    return out


def read_surface_zip(
    path: PathLike | IO[bytes],
    surface_type: str | None = None,
    *,
    zero_based: bool = True,
    name: str | None = None,
) -> Surface:
    """Read a TVB surface zip (``vertices.txt``, ``triangles.txt``, optional normals).

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        E.g. ``tvb_data/surfaceData/cortex_16384.zip``.
    surface_type : str, optional
        Kind of the result (:func:`~vbrain.datatypes.surface.surface_class`), e.g.
        ``"cortical"`` or ``"outer_skin"``.  Default: a plain :class:`Surface`.
    zero_based : bool, default True
        False when ``triangles.txt`` counts vertices from 1.
    name : str, optional
        File name for a stream (shown in errors).

    Returns
    -------
    Surface

    Raises
    ------
    SurfaceFormatError
        Not a zip, a missing member (the message lists the members), a line with the wrong
        number of values or a non-number (file/member and line), out-of-range indices, or
        normals not matching the vertices.
    """
    data, shown = _read_bytes(path, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SurfaceFormatError(
            f"{shown}: not a valid zip archive; expected a TVB surface zip holding "
            "vertices.txt and triangles.txt"
        ) from None
    cls = surface_class(surface_type)
    with archive:
        # zip-slip paths and zip bombs are refused like in every other archive reader
        safezip.check_member_names(archive, shown, SurfaceFormatError)
        members = _zip_members(archive)

        def member_text(key: str) -> tuple[str, str]:
            member = members[key]
            raw = safezip.read_member(archive, member, shown, SurfaceFormatError)
            if member.endswith((".bz2", ".gz")):
                raw = safezip.decompress(f"{shown}/{member}", raw, SurfaceFormatError)
            return _decode(raw), f"{shown}/{member}"

        for need in ("vertices", "triangles"):
            if need not in members:
                raise SurfaceFormatError(
                    f"{shown}: no {need}.txt in the archive (it holds "
                    f"{', '.join(sorted(members.values())) or 'nothing'}); a TVB surface zip "
                    "needs vertices.txt and triangles.txt"
                )
        text, where = member_text("vertices")
        vertices = _parse_table(text, where, 3, "'x y z' per vertex", float)
        if len(vertices) == 0:
            raise SurfaceFormatError(f"{where}: is empty; expected one 'x y z' line per vertex")
        text, where = member_text("triangles")
        triangles = _parse_table(text, where, 3, "'i j k' vertex indices per triangle", int)
        if len(triangles) == 0:
            raise SurfaceFormatError(f"{where}: is empty; expected one 'i j k' line per triangle")
        if not zero_based:
            triangles = triangles - 1
        normals = None
        for key in _NORMAL_NAMES:
            if key in members:
                text, where = member_text(key)
                table = _parse_table(text, where, 3, "'nx ny nz' per vertex", float)
                if len(table):  # the shipped face has an empty normals file
                    if len(table) != len(vertices):
                        raise SurfaceFormatError(
                            f"{where}: {len(table)} normals but {len(vertices)} vertices; "
                            "one normal per vertex is needed (or an empty file)"
                        )
                    normals = table
                break
    return _build(cls, shown, vertices, triangles, normals)


def _table_text(table: np.ndarray, integer: bool = False) -> str:
    if integer:
        return "\n".join(" ".join(str(int(x)) for x in row) for row in table.tolist()) + "\n"
    return "\n".join(" ".join(repr(float(x)) for x in row) for row in table.tolist()) + "\n"


def write_surface_zip(surface: Surface, path: PathLike, *, normals: bool = True) -> Path:
    """Write a TVB surface zip that :func:`read_surface_zip` reads back identically.

    Members: ``vertices.txt``, ``triangles.txt`` (0-based) and, with ``normals``,
    ``vertex_normals.txt``; floats in their shortest round-trip form.
    """
    if not isinstance(surface, Surface):
        raise ValidationError(f"write_surface_zip needs a Surface, got {type(surface).__name__}")
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("vertices.txt", _table_text(surface.vertices))
        archive.writestr("triangles.txt", _table_text(surface.triangles, integer=True))
        if normals:
            archive.writestr("vertex_normals.txt", _table_text(surface.vertex_normals))
    return path


# --------------------------------------------------------------------------------------
# Wavefront OBJ


def _obj_index(token: str, n_vertices: int) -> int:
    """0-based vertex index of an OBJ face corner (``i``, ``i/t``, ``i//n``, ``i/t/n``)."""
    index = int(token.split("/", 1)[0])
    if index > 0:
        return index - 1
    if index < 0:  # relative to the vertices read so far
        return n_vertices + index
    raise ValueError(token)


def read_obj(
    path: PathLike | IO[bytes], surface_type: str | None = None, *, name: str | None = None
) -> Surface:
    """Read a Wavefront OBJ mesh.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        E.g. ``tvb_data/obj/face_surface.obj``.
    surface_type : str, optional
        Kind of the result (default a plain :class:`Surface`).
    name : str, optional
        File name for a stream (shown in errors).

    Returns
    -------
    Surface
        Polygons split into fans ``(0, k, k + 1)``; normals computed from the triangles
        (``vn`` records are not per vertex in general and are ignored).

    Raises
    ------
    SurfaceFormatError
        A ``v`` line without three numbers, a face with fewer than three corners, a corner
        that is not an index or refers to a vertex that does not exist (file and line), or a
        file without vertices or faces.
    """
    data, shown = _read_bytes(path, name)
    text = _decode(data)
    vertices: list[tuple[float, float, float]] = []
    triangles: list[tuple[int, int, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        tokens = line.split()
        tag = tokens[0]
        if tag == "v":
            # 'v x y z [w]' or 'v x y z r g b' (vertex colours): the first three count
            if len(tokens) < 4:
                raise SurfaceFormatError(
                    f"{shown} line {number}: 'v' with {len(tokens) - 1} values; expected 'v x y z'"
                )
            try:
                xyz = tuple(parse_float(t) for t in tokens[1:4])
            except ValueError:
                bad = next(t for t in tokens[1:4] if not _is_float(t))
                raise SurfaceFormatError(
                    f"{shown} line {number}: cannot read {show(bad)} as a number; expected "
                    "'v x y z'"
                ) from None
            if not all(math.isfinite(x) for x in xyz):
                raise SurfaceFormatError(f"{shown} line {number}: vertex values must be finite")
            vertices.append(xyz)  # type: ignore[arg-type]
        elif tag == "f":
            corners = tokens[1:]
            if len(corners) < 3:
                raise SurfaceFormatError(
                    f"{shown} line {number}: a face with {len(corners)} corners; at least 3 "
                    "are needed"
                )
            idx = []
            for token in corners:
                try:
                    k = _obj_index(token, len(vertices))
                except ValueError:
                    raise SurfaceFormatError(
                        f"{shown} line {number}: cannot read face corner {show(token)}; "
                        "expected a vertex number (1-based) as 'i', 'i/t', 'i//n' or 'i/t/n'"
                    ) from None
                if not 0 <= k < len(vertices):
                    raise SurfaceFormatError(
                        f"{shown} line {number}: face corner {show(token)} refers to vertex "
                        f"{k + 1} but only {len(vertices)} vertices are defined before it"
                    )
                idx.append(k)
            # fan triangulation keeps the polygon's winding
            for k in range(1, len(idx) - 1):
                triangles.append((idx[0], idx[k], idx[k + 1]))
    if not vertices or not triangles:
        raise SurfaceFormatError(
            f"{shown}: {len(vertices)} vertices and {len(triangles)} faces; an OBJ surface "
            "needs 'v x y z' and 'f i j k' lines"
        )
    return _build(
        surface_class(surface_type),
        shown,
        np.array(vertices, dtype=float),
        np.array(triangles, dtype=np.int64),
    )


def _is_float(token: str) -> bool:
    try:
        parse_float(token)
    except ValueError:
        return False
    return True


def write_obj(surface: Surface, path: PathLike, *, normals: bool = False) -> Path:
    """Write a Wavefront OBJ file (``v`` and ``f`` lines, 1-based; optionally ``vn``).

    Floats are written in their shortest round-trip form, so :func:`read_obj` gives back the
    same vertices and triangles.
    """
    if not isinstance(surface, Surface):
        raise ValidationError(f"write_obj needs a Surface, got {type(surface).__name__}")
    lines = [f"# {surface.n_vertices} vertices, {surface.n_triangles} triangles (vbrain)"]
    lines += ["v " + " ".join(repr(float(x)) for x in row) for row in surface.vertices.tolist()]
    if normals:
        lines += [
            "vn " + " ".join(repr(float(x)) for x in row) for row in surface.vertex_normals.tolist()
        ]
        lines += [
            "f " + " ".join(f"{i + 1}//{i + 1}" for i in row) for row in surface.triangles.tolist()
        ]
    else:
        lines += ["f " + " ".join(str(i + 1) for i in row) for row in surface.triangles.tolist()]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# GIfTI


def _nibabel() -> Any:
    try:
        import nibabel
    except ImportError:
        raise ImportError(
            "reading and writing GIfTI files needs nibabel; install it with "
            "`pip install vbrain[io]` (or `pip install nibabel`)"
        ) from None
    return nibabel


def _gifti_arrays(path: PathLike) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    nib = _nibabel()
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    try:
        img = nib.load(str(p))
    except Exception as exc:  # noqa: BLE001 - nibabel raises many kinds
        raise SurfaceFormatError(f"{p.name}: cannot be read as GIfTI ({exc})") from None
    if not isinstance(img, nib.gifti.GiftiImage):
        raise SurfaceFormatError(f"{p.name}: is a {type(img).__name__}, not a GIfTI surface (.gii)")
    points = triangles = None
    pointset = nib.nifti1.intent_codes["NIFTI_INTENT_POINTSET"]
    triangle = nib.nifti1.intent_codes["NIFTI_INTENT_TRIANGLE"]
    for darray in img.darrays:
        if darray.intent == pointset and points is None:
            points = np.asarray(darray.data, dtype=float)
        elif darray.intent == triangle and triangles is None:
            triangles = np.asarray(darray.data, dtype=np.int64)
    return points, triangles, p.name


def read_gifti(
    path: PathLike, triangles_path: PathLike | None = None, surface_type: str | None = None
) -> Surface:
    """Read a GIfTI surface (one file, or a vertices file and a triangles file).

    Parameters
    ----------
    path : str or os.PathLike
        A ``.gii`` file with a ``NIFTI_INTENT_POINTSET`` array (and, when
        ``triangles_path`` is not given, a ``NIFTI_INTENT_TRIANGLE`` array).
    triangles_path : str or os.PathLike, optional
        A second ``.gii`` file holding the triangles (the two may be given in either order).
    surface_type : str, optional
        Kind of the result (default a plain :class:`Surface`).

    Raises
    ------
    ImportError
        When nibabel is not installed.
    SurfaceFormatError
        When the files are not GIfTI or lack the point set or the triangles.
    """
    points, triangles, shown = _gifti_arrays(path)
    if triangles_path is not None:
        p2, t2, shown2 = _gifti_arrays(triangles_path)
        points = points if points is not None else p2
        triangles = triangles if triangles is not None else t2
        shown = f"{shown} + {shown2}"
    if points is None or triangles is None:
        missing = "NIFTI_INTENT_POINTSET (vertices)" if points is None else ""
        if triangles is None:
            missing += (" and " if missing else "") + "NIFTI_INTENT_TRIANGLE (triangles)"
        raise SurfaceFormatError(
            f"{shown}: no {missing} data array; a GIfTI surface needs both (in one file or "
            "a pair of files)"
        )
    return _build(surface_class(surface_type), shown, points, triangles)


def write_gifti(surface: Surface, path: PathLike) -> Path:
    """Write a single GIfTI file with the point set (float32) and triangles (int32).

    GIfTI stores coordinates as float32, so a round trip keeps about 7 significant digits.
    """
    nib = _nibabel()
    if not isinstance(surface, Surface):
        raise ValidationError(f"write_gifti needs a Surface, got {type(surface).__name__}")
    gifti = nib.gifti
    img = gifti.GiftiImage(
        darrays=[
            gifti.GiftiDataArray(
                surface.vertices.astype(np.float32), intent="NIFTI_INTENT_POINTSET"
            ),
            gifti.GiftiDataArray(
                surface.triangles.astype(np.int32), intent="NIFTI_INTENT_TRIANGLE"
            ),
        ]
    )
    path = Path(path)
    nib.save(img, str(path))
    return path


# --------------------------------------------------------------------------------------
# By suffix


def read_surface(
    path: PathLike,
    surface_type: str | None = None,
    *,
    zero_based: bool = True,
    triangles_path: PathLike | None = None,
) -> Surface:
    """Read a surface, choosing the reader by suffix (``.zip``, ``.obj``, ``.gii``).

    See :func:`read_surface_zip`, :func:`read_obj` and :func:`read_gifti`.
    """
    suffix = Path(path).name.lower()
    if suffix.endswith(".zip"):
        return read_surface_zip(path, surface_type, zero_based=zero_based)
    if suffix.endswith(".obj"):
        return read_obj(path, surface_type)
    if suffix.endswith(".gii"):
        return read_gifti(path, triangles_path, surface_type)
    raise SurfaceFormatError(
        f"{Path(path).name}: unknown surface format; expected a TVB surface .zip, a "
        "Wavefront .obj or a GIfTI .gii"
    )


def write_surface(surface: Surface, path: PathLike) -> Path:
    """Write a surface, choosing the writer by suffix (``.zip``, ``.obj``, ``.gii``)."""
    suffix = Path(path).name.lower()
    if suffix.endswith(".zip"):
        return write_surface_zip(surface, path)
    if suffix.endswith(".obj"):
        return write_obj(surface, path)
    if suffix.endswith(".gii"):
        return write_gifti(surface, path)
    raise ValidationError(
        f"{Path(path).name}: unknown surface format; use a .zip (TVB), .obj or .gii suffix"
    )
