"""Read and write region mappings in TheVirtualBrain's text format.

A region mapping file holds one 0-based region index per surface vertex, whitespace
separated (one line, or one index per line), as ``.txt``, ``.txt.bz2`` or a ``.zip`` holding
one such file (e.g. ``tvb_data/regionMapping/regionMapping_16k_76.txt``).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.io._textfile import PathLike, TextFormatError, numbered_lines, read_text, show

__all__ = ["RegionMappingFormatError", "read_region_mapping", "write_region_mapping"]


class RegionMappingFormatError(TextFormatError):
    """A region mapping file that cannot be read: names the file and the line."""


def _parse_index(token: str) -> int:
    try:
        return int(token)
    except ValueError:
        value = float(token)  # "36.0" as written by numpy.savetxt
        if not value.is_integer():
            raise ValueError(token) from None
        return int(value)


def read_region_mapping(
    path: PathLike | IO[bytes],
    n_region: int | None = None,
    *,
    name: str | None = None,
    connectivity: Connectivity | None = None,
) -> RegionMapping:
    """Read a region mapping (one region index per vertex).

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        A ``.txt``, ``.txt.bz2``/``.gz`` file or a ``.zip`` archive holding one such file.
    n_region : int, optional
        Number of regions of the connectivity the mapping is for; indices must be below it.
    name : str, optional
        File name to use for a stream (selects decompression, shown in errors).
    connectivity : Connectivity, optional
        The connectivity the mapping is for (as the reference importer takes it): gives
        ``n_region`` when that is not given.

    Returns
    -------
    RegionMapping

    Raises
    ------
    RegionMappingFormatError
        (a :class:`vbrain.config.ValidationError`) for an empty file, a token that is not a
        non-negative integer (with its line and position), or an index >= ``n_region``.
    FileNotFoundError
        When ``path`` does not exist.
    """
    if connectivity is not None:
        if n_region is not None and n_region != connectivity.n_region:
            raise ValidationError(
                f"n_region={n_region} but the connectivity has {connectivity.n_region} regions; "
                "give one of them"
            )
        n_region = connectivity.n_region
    try:
        text, shown = read_text(path, name, zip_key="region")
    except RegionMappingFormatError:
        raise
    except TextFormatError as exc:
        raise RegionMappingFormatError(str(exc)) from None
    indices: list[int] = []
    for number, tokens in numbered_lines(text):
        for col, token in enumerate(tokens, start=1):
            try:
                value = _parse_index(token)
            except (ValueError, OverflowError):
                raise RegionMappingFormatError(
                    f"{shown} line {number}, value {col}: cannot read {show(token)} as a "
                    "region index; expected whitespace-separated integers >= 0"
                ) from None
            if value < 0:
                raise RegionMappingFormatError(
                    f"{shown} line {number}, value {col}: {value}; region indices must be >= 0"
                )
            indices.append(value)
    if not indices:
        raise RegionMappingFormatError(
            f"{shown}: is empty; expected one region index (integer >= 0) per vertex"
        )
    try:
        return RegionMapping(array=np.array(indices, dtype=np.int64), n_region=n_region)
    except ValidationError as exc:
        raise RegionMappingFormatError(f"{shown}: {exc}") from None


def write_region_mapping(mapping: RegionMapping, path: PathLike) -> Path:
    """Write a region mapping as one line of integers (``.bz2`` suffix: compressed)."""
    if not isinstance(mapping, RegionMapping):
        raise ValidationError(
            f"write_region_mapping needs a RegionMapping, got {type(mapping).__name__}"
        )
    data = (" ".join(str(int(i)) for i in mapping.array.tolist()) + "\n").encode()
    path = Path(path)
    if path.name.endswith(".bz2"):
        import bz2

        data = bz2.compress(data)
    path.write_bytes(data)
    return path
