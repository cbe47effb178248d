"""Connectivities from CSV matrices (as written by DTI pipelines) and matrices to CSV.

The format is that of the reference system's "Connectivity CSV" importer: a weights file and a
tract-lengths file, each a square matrix of numbers separated by a delimiter (``,`` by
default), optionally preceded by a header row of integer ordinals (e.g. atlas label values).
With a header, rows and columns are reordered so that the ordinals increase.  Negative entries
(``-1`` marks "no connection" in these files) become 0.  Centres, labels and the other
per-region fields come from an optional reference connectivity with the same regions.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity

__all__ = [
    "CSVFormatError",
    "read_connectivity_csv",
    "read_matrix_csv",
    "write_connectivity_csv",
    "write_matrix_csv",
]

PathLike = str | os.PathLike[str]


class CSVFormatError(ValidationError):
    """A CSV matrix that cannot be read: names the file, the line and the column."""


def _cell(name: str, line: int, col: int, token: str, what: str) -> float:
    try:
        if "_" in token:
            raise ValueError(token)
        return float(token)
    except ValueError:
        raise CSVFormatError(
            f"{name} line {line}, column {col}: cannot read {token.strip()[:30]!r} as {what}"
        ) from None


def read_matrix_csv(
    path: PathLike, delimiter: str = ",", *, clip_negative: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """A square matrix from a CSV file and the ordinals of its optional header row.

    Parameters
    ----------
    path : path-like
        The CSV file.
    delimiter : str
        Field separator (``","``, ``";"``, ``"\\t"``, ``" "``...).
    clip_negative : bool
        Replace negative values by 0 (the reference's convention: -1 = no connection).

    Returns
    -------
    matrix : ndarray, shape (n, n)
        Reordered so that the header ordinals increase, when there is a header.
    ordinals : ndarray of int or None
        The header, sorted; None without a header.

    Raises
    ------
    CSVFormatError
        Wrong number of rows or columns, a non-numeric or non-integer header, a non-numeric
        or non-finite cell; the message names the line and column.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    text = p.read_bytes().decode("utf-8-sig", errors="replace")
    rows = [
        (number, line.split(delimiter) if delimiter != " " else line.split())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if not rows:
        raise CSVFormatError(f"{p.name}: is empty; expected a square matrix of numbers")
    n = len(rows[0][1])
    if len(rows) not in (n, n + 1):
        raise CSVFormatError(
            f"{p.name}: {len(rows)} rows and {n} columns (line {rows[0][0]}); expected a square "
            f"matrix, optionally after one header row of ordinals (check the delimiter "
            f"{delimiter!r})"
        )
    order = None
    ordinals = None
    if len(rows) == n + 1:
        number, header = rows.pop(0)
        values = [
            _cell(p.name, number, c, t, "an integer ordinal") for c, t in enumerate(header, 1)
        ]
        for c, v in enumerate(values, 1):
            if not math.isfinite(v) or v != round(v):
                raise CSVFormatError(
                    f"{p.name} line {number}, column {c}: header ordinal {v!r} is not an integer"
                )
        ints = np.array(values, dtype=int)
        if len(set(ints.tolist())) != n:
            raise CSVFormatError(f"{p.name} line {number}: header ordinals must be distinct")
        order = np.argsort(ints, kind="stable")
        ordinals = ints[order]
    matrix = np.empty((n, n))
    for i, (number, tokens) in enumerate(rows):
        if len(tokens) != n:
            raise CSVFormatError(
                f"{p.name} line {number}: {len(tokens)} values; every row needs {n} (the width "
                "of the first row)"
            )
        for c, token in enumerate(tokens, 1):
            v = _cell(p.name, number, c, token, "a number")
            if not math.isfinite(v):
                raise CSVFormatError(f"{p.name} line {number}, column {c}: {v!r}; must be finite")
            matrix[i, c - 1] = v
    if clip_negative:
        matrix = np.maximum(matrix, 0.0)
    if order is not None:
        # entry (r, c) moves to (rank of r's ordinal, rank of c's ordinal)
        matrix = matrix[np.ix_(order, order)]
    return matrix, ordinals


def read_connectivity_csv(
    weights: PathLike,
    tract_lengths: PathLike,
    *,
    reference: Connectivity | None = None,
    delimiter: str = ",",
    tracts_delimiter: str | None = None,
    speed: float | None = None,
) -> Connectivity:
    """A connectivity from a weights CSV and a tract-lengths CSV (reference "Connectivity CSV").

    Parameters
    ----------
    weights, tract_lengths : path-like
        The two matrices (see :func:`read_matrix_csv`); negatives become 0.
    reference : Connectivity, optional
        Supplies centres, labels, orientations, areas, cortical and hemisphere flags (and the
        speed); must have the same number of regions.  Without it the labels are the header
        ordinals (when present) and the other fields their defaults.
    delimiter, tracts_delimiter : str
        Separators of the two files (``tracts_delimiter`` defaults to ``delimiter``).
    speed : float, optional
        Conduction speed in mm/ms (default: the reference's, else 3.0).

    Raises
    ------
    CSVFormatError
        Unreadable files, the two matrices or the reference disagreeing in size.
    """
    w, w_ord = read_matrix_csv(weights, delimiter)
    t, _ = read_matrix_csv(tract_lengths, tracts_delimiter or delimiter)
    wn, tn = Path(weights).name, Path(tract_lengths).name
    if t.shape != w.shape:
        raise CSVFormatError(
            f"{tn} is {t.shape[0]}x{t.shape[1]} but {wn} is {w.shape[0]}x{w.shape[1]}; "
            "the two matrices must have the same regions"
        )
    fields: dict[str, object] = {"weights": w, "tract_lengths": t}
    if reference is not None:
        if reference.n_region != w.shape[0]:
            raise CSVFormatError(
                f"{wn} defines {w.shape[0]} regions but the reference connectivity has "
                f"{reference.n_region}; give a reference with the same regions"
            )
        for name in ("centres", "region_labels", "orientations", "areas", "cortical"):
            fields[name] = getattr(reference, name)
        fields["hemispheres"] = reference.hemispheres
        fields["speed"] = reference.speed
    elif w_ord is not None:
        fields["region_labels"] = tuple(str(o) for o in w_ord.tolist())
    if speed is not None:
        fields["speed"] = speed
    try:
        return Connectivity(**fields)
    except ValidationError as exc:
        raise CSVFormatError(f"{wn}: {exc}") from None


def write_matrix_csv(
    matrix: np.ndarray,
    path: PathLike,
    *,
    delimiter: str = ",",
    header: Sequence[int] | None = None,
) -> Path:
    """Write a 2-D matrix as CSV (shortest round-trip floats), optionally under a header row.

    Parameters
    ----------
    matrix : array_like, shape (n, m)
        The values (e.g. ``conn.weights`` or ``measure.array_data``).
    path : path-like
        Destination file (overwritten).
    delimiter : str
        Field separator.
    header : sequence of int, optional
        One integer ordinal per column, written as the first row (as the CSV importer reads).
    """
    arr = np.asarray(matrix, dtype=float)
    if arr.ndim != 2:
        raise ValidationError(f"write_matrix_csv needs a 2-D matrix, got shape {arr.shape}")
    lines = []
    if header is not None:
        if len(header) != arr.shape[1]:
            raise ValidationError(
                f"write_matrix_csv: header has {len(header)} ordinals for {arr.shape[1]} columns"
            )
        lines.append(delimiter.join(str(int(h)) for h in header))
    lines += [delimiter.join(repr(float(v)) for v in row) for row in arr.tolist()]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_connectivity_csv(
    conn: Connectivity, folder: PathLike, *, delimiter: str = ","
) -> tuple[Path, Path]:
    """Write ``weights.csv`` and ``tract_lengths.csv`` of a connectivity into ``folder``.

    Returns the two paths; :func:`read_connectivity_csv` with ``reference=conn`` reads them back.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return (
        write_matrix_csv(conn.weights, folder / "weights.csv", delimiter=delimiter),
        write_matrix_csv(conn.tract_lengths, folder / "tract_lengths.csv", delimiter=delimiter),
    )
