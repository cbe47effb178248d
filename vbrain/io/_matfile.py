"""Reading one named (possibly nested) variable from a MATLAB ``.mat`` file.

Files up to format v7 are read with :func:`scipy.io.loadmat`; v7.3 files are HDF5 and are read
with h5py (MATLAB writes arrays column-major, so they are transposed back).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError

PathLike = str | os.PathLike[str]


class MatFormatError(ValidationError):
    """A ``.mat`` file or variable that cannot be read: names the file and the variable."""


def _public(names: Any) -> list[str]:
    return sorted(str(k) for k in names if not str(k).startswith("__"))


def read_mat_variable(path: PathLike, name: str, structure_path: str = "") -> np.ndarray:
    """The array stored under ``name`` (then ``structure_path``, fields separated by ``.``).

    Raises
    ------
    MatFormatError
        When the file is not a MATLAB file, or the variable or a field is missing (the
        message lists what the file holds), or the value is not numeric.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    fields = [f for f in structure_path.split(".") if f] if structure_path else []
    try:
        import scipy.io

        content: Any = scipy.io.loadmat(str(p), simplify_cells=True)
        value = _descend(p.name, content, [name, *fields])
    except NotImplementedError:  # v7.3: an HDF5 file
        value = _read_v73(p, [name, *fields])
    except MatFormatError:
        raise  # a ValueError too: keep its message (missing variable...)
    except (ValueError, TypeError, OSError) as exc:
        raise MatFormatError(f"{p.name}: not a readable MATLAB .mat file ({exc})") from None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise MatFormatError(
            f"{p.name}: variable {'.'.join([name, *fields])!r} holds "
            f"{type(value).__name__}, not a numeric array"
        ) from None
    return arr


def _descend(fname: str, content: Any, keys: list[str]) -> Any:
    where: list[str] = []
    for key in keys:
        if not isinstance(content, dict) or key not in content:
            have = _public(content) if isinstance(content, dict) else []
            at = ".".join(where) or "the file"
            raise MatFormatError(
                f"{fname}: no variable {key!r} in {at}; it holds {', '.join(have) or 'nothing'}"
            )
        content = content[key]
        where.append(key)
    return content


def _read_v73(p: Path, keys: list[str]) -> np.ndarray:
    import h5py

    try:
        with h5py.File(p, "r") as f:
            node: Any = f
            for k, key in enumerate(keys):
                if key not in node:
                    at = ".".join(keys[:k]) or "the file"
                    raise MatFormatError(
                        f"{p.name}: no variable {key!r} in {at}; it holds "
                        f"{', '.join(_public(node.keys())) or 'nothing'}"
                    )
                node = node[key]
            if not hasattr(node, "shape"):
                raise MatFormatError(f"{p.name}: {'.'.join(keys)!r} is a struct, not an array")
            return np.asarray(node[()]).T
    except OSError as exc:
        raise MatFormatError(f"{p.name}: not a readable MATLAB .mat file ({exc})") from None
