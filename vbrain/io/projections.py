"""Read and write projection (gain, lead-field) matrices.

Accepted files:

- ``.npy``: a 2-D float array ``(n_sensors, n_sources)``
  (e.g. ``tvb_data/projectionMatrix/projection_eeg_65_surface_16k.npy``);
- ``.mat`` with a named variable (``variable=``; default the only 2-D numeric variable, else
  one called ``ProjectionMatrix`` as in ``projection_eeg_62_surface_16k.mat``); MATLAB v7.3
  (HDF5) files are read with h5py;
- Brainstorm ``.mat`` head models with ``Gain`` ``(n_sensors, 3 * n_sources)``, ``GridLoc``
  ``(n_sources, 3)`` and ``GridOrient`` ``(n_sources, 3)``: the gain of the oriented dipoles,
  ``(Gain.reshape(n_sensors, -1, 3) * GridOrient).sum(-1)``, is returned.

NaN/inf gains are set to 0 with a :class:`~vbrain.datatypes.projections.NonFiniteGainWarning`
naming the file and how many there were.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.projections import ProjectionMatrix, oriented_gain, zero_nonfinite
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.datatypes.sensors import Sensors
from vbrain.io._textfile import PathLike, TextFormatError
from vbrain.io.sensors import infer_modality

__all__ = ["ProjectionFormatError", "read_projection", "write_projection"]

_BRAINSTORM = ("Gain", "GridLoc", "GridOrient")


class ProjectionFormatError(TextFormatError):
    """A projection matrix file that cannot be read: names the file and what is wrong."""


def _load_bytes(path: PathLike | IO[bytes], name: str | None) -> tuple[bytes, str]:
    if hasattr(path, "read"):
        shown = name or getattr(path, "name", None) or "<stream>"
        return path.read(), Path(str(shown)).name  # type: ignore[union-attr]
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such projection matrix file")
    if p.is_dir():
        raise ProjectionFormatError(f"{p}: is a directory; expected a .npy or .mat file")
    return p.read_bytes(), p.name


def _mat_variables(data: bytes, shown: str) -> dict[str, Any]:
    """Variables of a MATLAB file (v4-v7 with scipy, v7.3 with h5py)."""
    import scipy.io

    try:
        mat = scipy.io.loadmat(io.BytesIO(data))
    except NotImplementedError:  # v7.3 files are HDF5
        return _mat73_variables(data, shown)
    except (ValueError, TypeError, OSError, scipy.io.matlab.MatReadError) as exc:
        raise ProjectionFormatError(f"{shown}: not a readable MATLAB file ({exc})") from None
    return {k: v for k, v in mat.items() if not k.startswith("__")}


def _mat73_variables(data: bytes, shown: str) -> dict[str, Any]:
    import h5py

    out: dict[str, Any] = {}
    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            for key, item in f.items():
                if isinstance(item, h5py.Dataset) and not key.startswith("#"):
                    # MATLAB writes column-major: the HDF5 array is the transpose
                    out[key] = np.asarray(item[()]).T
    except OSError as exc:
        raise ProjectionFormatError(f"{shown}: not a readable MATLAB file ({exc})") from None
    return out


def _describe(variables: dict[str, Any]) -> str:
    parts = []
    for key, value in variables.items():
        arr = np.asarray(value) if isinstance(value, np.ndarray) else None
        if arr is not None:
            parts.append(f"{key} {'x'.join(map(str, arr.shape))} {arr.dtype}")
        else:
            parts.append(f"{key} ({type(value).__name__})")
    return ", ".join(parts) or "none"


def _numeric_2d(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind in "fiu"


def _pick_variable(variables: dict[str, Any], variable: str | None, shown: str) -> np.ndarray:
    if variable is not None:
        if variable not in variables:
            raise ProjectionFormatError(
                f"{shown}: no variable {variable!r}; the file holds {_describe(variables)}"
            )
        value = variables[variable]
        if not _numeric_2d(value):
            raise ProjectionFormatError(
                f"{shown}: variable {variable!r} is not a 2-D numeric matrix; the file holds "
                f"{_describe(variables)}"
            )
        return value
    # MATLAB stores vectors as 1 x n matrices: prefer real matrices, then any 2-D array
    candidates = [k for k, v in variables.items() if _numeric_2d(v) and min(v.shape) > 1]
    if not candidates:
        candidates = [k for k, v in variables.items() if _numeric_2d(v)]
    if len(candidates) == 1:
        return variables[candidates[0]]
    if "ProjectionMatrix" in candidates:
        return variables["ProjectionMatrix"]
    raise ProjectionFormatError(
        f"{shown}: cannot tell which variable is the gain matrix "
        f"({len(candidates)} 2-D numeric variables); pass variable=... naming one of: "
        f"{_describe(variables)}"
    )


def _brainstorm_gain(variables: dict[str, Any], shown: str) -> np.ndarray:
    missing = [k for k in ("Gain", "GridOrient") if k not in variables]
    if missing:
        raise ProjectionFormatError(
            f"{shown}: a Brainstorm head model needs {', '.join(_BRAINSTORM)}; missing "
            f"{', '.join(missing)}; the file holds {_describe(variables)}"
        )
    gain = np.asarray(variables["Gain"], dtype=float)
    orient = np.asarray(variables["GridOrient"], dtype=float)
    if gain.ndim != 2 or gain.shape[1] % 3:
        raise ProjectionFormatError(
            f"{shown}: Gain is {'x'.join(map(str, gain.shape))}; expected n_sensors x "
            "(3 * n_sources) (x, y, z columns per source)"
        )
    n_src = gain.shape[1] // 3
    if orient.shape != (n_src, 3):
        raise ProjectionFormatError(
            f"{shown}: GridOrient is {'x'.join(map(str, orient.shape))} but Gain has "
            f"{gain.shape[1]} columns ({n_src} sources x 3); expected {n_src}x3"
        )
    if "GridLoc" in variables:
        loc = np.asarray(variables["GridLoc"])
        if loc.shape != (n_src, 3):
            raise ProjectionFormatError(
                f"{shown}: GridLoc is {'x'.join(map(str, loc.shape))} but Gain has {n_src} "
                f"sources; expected {n_src}x3"
            )
    return oriented_gain(gain, orient)


def read_projection(
    path: PathLike | IO[bytes],
    modality: str | None = None,
    *,
    variable: str | None = None,
    brainstorm: bool | None = None,
    sensors: Sensors | None = None,
    region_mapping: RegionMapping | None = None,
    name: str | None = None,
) -> ProjectionMatrix:
    """Read a gain matrix from ``.npy``, ``.mat`` or a Brainstorm ``.mat`` head model.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        The file (``.npy`` or ``.mat``; other suffixes are recognised by content).
    modality : {"EEG", "MEG", "SEEG"}, optional
        Default: inferred from the file name (``projection_eeg_...``), else None.
    variable : str, optional
        ``.mat`` only: the variable holding the matrix.  Default: the only 2-D numeric
        variable (vectors stored as 1 x n are passed over), else ``ProjectionMatrix``.
    brainstorm : bool, optional
        ``.mat`` only: read ``Gain``/``GridOrient`` (Brainstorm head model).  Default: when
        no ``variable`` is given and the file has ``Gain`` and ``GridOrient``.
    sensors : Sensors, optional
        Attached to the result (rows must match; unusable sensors get zero gain).
    region_mapping : RegionMapping, optional
        The mapping of the cortical surface the gain is for: a surface gain has one column
        per vertex it maps (checked here, where the file can still be named).
    name : str, optional
        File name for a stream (shown in errors, suffix selects the format).

    Returns
    -------
    ProjectionMatrix

    Raises
    ------
    ProjectionFormatError
        (a :class:`vbrain.config.ValidationError`) when the file cannot be parsed, the named
        variable is missing or is not a 2-D numeric matrix (the message lists the file's
        variables), or the Brainstorm fields are missing or inconsistent.
    FileNotFoundError
        When ``path`` does not exist.
    """
    data, shown = _load_bytes(path, name)
    if modality is None:
        modality = infer_modality(shown)
    is_npy = data[:6] == b"\x93NUMPY"
    if is_npy:
        if variable is not None or brainstorm:
            raise ProjectionFormatError(
                f"{shown}: a .npy file holds one array; variable/brainstorm apply to .mat files"
            )
        try:
            gain = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise ProjectionFormatError(f"{shown}: not a readable .npy array ({exc})") from None
        if gain.ndim != 2 or gain.dtype.kind not in "fiu":
            raise ProjectionFormatError(
                f"{shown}: holds a {gain.ndim}-D {gain.dtype} array of shape {gain.shape}; "
                "expected a 2-D numeric matrix (n_sensors, n_sources)"
            )
    else:
        if shown.endswith(".npy"):
            raise ProjectionFormatError(f"{shown}: not a .npy file (bad header)")
        variables = _mat_variables(data, shown)
        if brainstorm is None:
            brainstorm = variable is None and {"Gain", "GridOrient"} <= set(variables)
        gain = (
            _brainstorm_gain(variables, shown)
            if brainstorm
            else _pick_variable(variables, variable, shown)
        )
    if region_mapping is not None and gain.shape[1] != region_mapping.n_vertices:
        raise ProjectionFormatError(
            f"{shown}: the gain has {gain.shape[1]} columns (sources) but the region mapping "
            f"maps {region_mapping.n_vertices} vertices; a surface gain needs one column per "
            "vertex (is it the lead field of another surface, or a region-level gain?)"
        )
    gain = zero_nonfinite(np.array(gain, dtype=float), shown)
    try:
        return ProjectionMatrix(gain=gain, modality=modality, sensors=sensors)
    except ValidationError as exc:
        raise ProjectionFormatError(f"{shown}: {exc}") from None


def write_projection(projection: ProjectionMatrix, path: PathLike) -> Path:
    """Write the gain as ``.npy`` or, for a ``.mat`` path, as variable ``ProjectionMatrix``."""
    if not isinstance(projection, ProjectionMatrix):
        raise ValidationError(
            f"write_projection needs a ProjectionMatrix, got {type(projection).__name__}"
        )
    path = Path(path)
    if path.suffix == ".mat":
        import scipy.io

        scipy.io.savemat(path, {"ProjectionMatrix": projection.gain})
    elif path.suffix == ".npy":
        np.save(path, projection.gain)
    else:
        raise ValidationError(f"{path.name}: use a .npy or .mat suffix")
    return path
