"""Read and write sensors in TheVirtualBrain's text format.

One sensor per line, whitespace (or tab) separated::

    label x y z                 # EEG, sEEG (positions in mm, or unit directions for EEG)
    label x y z ox oy oz        # MEG: position and coil orientation

Files may be ``.txt``, ``.txt.bz2`` or ``.txt.gz``.  Every line must have the same number of
columns, 4 or 7 (label + 3 or 6 numbers).  Problems are reported as
:class:`SensorsFormatError` naming the file and line.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.sensors import Sensors, sensors_class
from vbrain.io._textfile import (
    PathLike,
    TextFormatError,
    numbered_lines,
    parse_float,
    read_text,
    show,
)

__all__ = ["SensorsFormatError", "infer_modality", "read_sensors", "write_sensors"]


class SensorsFormatError(TextFormatError):
    """A sensors file that cannot be read: names the file and the line."""


def infer_modality(name: str) -> str | None:
    """Modality from a file name: ``seeg``/``ieeg``/``internal`` -> SEEG, ``meg`` -> MEG,
    ``eeg`` -> EEG (as a ``_``/``-``/``.``-separated word); None when none appears."""
    words = Path(name).name.lower().replace("-", "_").replace(".", "_").split("_")
    for word, modality in (
        ("seeg", "SEEG"),
        ("ieeg", "SEEG"),
        ("internal", "SEEG"),
        ("meg", "MEG"),
        ("eeg", "EEG"),
    ):
        if word in words:
            return modality
    return None


def read_sensors(
    path: PathLike | IO[bytes], modality: str | None = None, *, name: str | None = None
) -> Sensors:
    """Read sensors from a TVB sensors text file.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        E.g. ``tvb_data/sensors/eeg_brainstorm_65.txt`` or ``meg_151.txt.bz2``.
    modality : {"EEG", "MEG", "SEEG"}, optional
        Class of the result (:class:`SensorsEEG`, :class:`SensorsMEG`,
        :class:`SensorsInternal`).  Default: inferred from the file name (``eeg_...``,
        ``meg_...``, ``seeg_...``), else MEG for 7-column files and generic :class:`Sensors`
        for 4-column files.
    name : str, optional
        File name to use for a stream (selects decompression, shown in errors).

    Returns
    -------
    Sensors
        Every sensor usable.

    Raises
    ------
    SensorsFormatError
        (a :class:`vbrain.config.ValidationError`) for an empty file, a line with the wrong
        number of columns or a value that is not a finite number (with file and line),
        duplicate labels, or MEG sensors without orientation columns.
    FileNotFoundError
        When ``path`` does not exist.
    """
    try:
        text, shown = read_text(path, name)
    except SensorsFormatError:
        raise
    except TextFormatError as exc:
        raise SensorsFormatError(str(exc)) from None
    if modality is None:
        modality = infer_modality(shown)
    rows = numbered_lines(text)
    if not rows:
        raise SensorsFormatError(
            f"{shown}: is empty; expected one 'label x y z [ox oy oz]' line per sensor"
        )
    width = len(rows[0][1])
    first = rows[0][0]
    if width not in (4, 7):
        raise SensorsFormatError(
            f"{shown} line {first}: {width} columns; expected 4 ('label x y z') or 7 "
            "('label x y z ox oy oz')"
        )
    labels: list[str] = []
    values: list[list[float]] = []
    for number, tokens in rows:
        if len(tokens) != width:
            raise SensorsFormatError(
                f"{shown} line {number}: {len(tokens)} columns but line {first} has {width}; "
                "every line must be 'label x y z' (or 'label x y z ox oy oz' for all lines)"
            )
        row = []
        for col, token in enumerate(tokens[1:], start=2):
            try:
                value = parse_float(token)
            except ValueError:
                raise SensorsFormatError(
                    f"{shown} line {number}, column {col}: cannot read {show(token)} as a "
                    "number; expected 'label x y z [ox oy oz]'"
                ) from None
            if not math.isfinite(value):
                raise SensorsFormatError(
                    f"{shown} line {number}, column {col}: {value!r}; values must be finite"
                )
            row.append(value)
        labels.append(tokens[0])
        values.append(row)
    table = np.array(values, dtype=float)
    cls = Sensors if modality is None and width == 4 else sensors_class(modality or "MEG")
    if cls.modality == "MEG" and width != 7:
        raise SensorsFormatError(
            f"{shown}: MEG sensors need orientations, but the lines have {width} columns; "
            "expected 7 ('label x y z ox oy oz')"
        )
    fields = {"labels": labels, "locations": table[:, :3]}
    if width == 7:
        fields["orientations"] = table[:, 3:]
    try:
        return cls(**fields)
    except ValidationError as exc:
        raise SensorsFormatError(f"{shown}: {exc}") from None


def _fmt(values: np.ndarray) -> str:
    return " ".join(repr(float(v)) for v in values.tolist())


def write_sensors(sensors: Sensors, path: PathLike) -> Path:
    """Write sensors as a text file that :func:`read_sensors` reads back identically.

    Lines are ``label x y z`` (plus ``ox oy oz`` when the sensors have orientations), floats
    in their shortest round-trip form.  A ``.bz2`` suffix compresses the file.  The ``usable``
    flags are not part of the format and are not written.

    Raises
    ------
    ValidationError
        When a label contains whitespace or ``#`` (it could not be read back).
    """
    if not isinstance(sensors, Sensors):
        raise ValidationError(f"write_sensors needs Sensors, got {type(sensors).__name__}")
    for label in sensors.labels:
        if any(c.isspace() for c in label) or "#" in label:
            raise ValidationError(
                f"sensor label {label!r} cannot be written: labels must not contain "
                "whitespace or '#'"
            )
    lines = []
    for i, label in enumerate(sensors.labels):
        line = f"{label} {_fmt(sensors.locations[i])}"
        if sensors.orientations is not None:
            line += f" {_fmt(sensors.orientations[i])}"
        lines.append(line)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path = Path(path)
    if path.name.endswith(".bz2"):
        import bz2

        data = bz2.compress(data)
    path.write_bytes(data)
    return path
