"""Reading local connectivity matrices: MATLAB ``.mat`` (a sparse variable) or scipy ``.npz``.

The reference system ships ``local_connectivity_16384.mat`` holding a sparse ``LocalCoupling``
(16384 x 16384, 98 280 non-zeros: each vertex averages its mesh neighbours, weight 1/degree).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from vbrain.config.traits import ValidationError
from vbrain.datatypes.local_connectivity import LocalConnectivity
from vbrain.datatypes.surface import Surface

__all__ = ["LocalConnectivityFormatError", "read_local_connectivity"]


class LocalConnectivityFormatError(ValidationError):
    """A local connectivity file that cannot be read (names the file and what was wrong)."""


def read_local_connectivity(
    path: str | os.PathLike[str],
    variable: str = "LocalCoupling",
    *,
    surface: Surface | None = None,
) -> LocalConnectivity:
    """Read a local connectivity matrix.

    Parameters
    ----------
    path : str or path-like
        A MATLAB ``.mat`` file (format up to v7) holding a square matrix (sparse or dense)
        named ``variable``, or a scipy ``.npz`` written by :func:`scipy.sparse.save_npz`.
    variable : str, default "LocalCoupling"
        Name of the MATLAB variable (the reference's name).  When the file holds a single
        variable, that one is used whatever its name.
    surface : Surface, optional
        The surface the matrix belongs to (its vertex count must match).

    Returns
    -------
    LocalConnectivity
        Without an equation or cutoff (they are not stored in these files).

    Raises
    ------
    LocalConnectivityFormatError
        When the file cannot be read, lacks the variable (the message lists what it holds)
        or the matrix is not square.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.suffix.lower() == ".npz":
        try:
            matrix = sp.load_npz(p)
        except Exception as exc:  # noqa: BLE001 - any failure is a format problem
            raise LocalConnectivityFormatError(
                f"{p}: not a scipy sparse .npz file ({exc})"
            ) from None
    else:
        from scipy.io import loadmat

        try:
            content = loadmat(p)
        except Exception as exc:  # noqa: BLE001 - any failure is a format problem
            raise LocalConnectivityFormatError(
                f"{p}: cannot be read as a MATLAB file up to v7 ({exc})"
            ) from None
        names = sorted(k for k in content if not k.startswith("__"))
        if variable in content:
            matrix = content[variable]
        elif len(names) == 1:
            matrix = content[names[0]]
        else:
            raise LocalConnectivityFormatError(
                f"{p} has no variable {variable!r}; it holds {names}"
            )
    if not sp.issparse(matrix):
        matrix = np.asarray(matrix)
        if matrix.dtype.kind not in "fiub":
            raise LocalConnectivityFormatError(f"{p}: the matrix is not numeric")
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise LocalConnectivityFormatError(
            f"{p}: the matrix has shape {matrix.shape}; a square (vertex x vertex) one is needed"
        )
    try:
        return LocalConnectivity.from_matrix(matrix, surface=surface)
    except ValidationError as exc:
        raise LocalConnectivityFormatError(f"{p}: {exc}") from None
