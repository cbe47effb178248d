"""Functional connectivity dynamics (FCD)."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes._axes import _LabelledArrays

__all__ = ["Fcd"]


class Fcd(_LabelledArrays):
    r"""Functional connectivity dynamics matrix and the leading FC eigenvectors per epoch.

    The time series is cut into windows of ``window_length`` ms every ``window_step`` ms;
    :math:`FC(w)` is the Pearson correlation matrix of window ``w``, and
    :math:`FCD(w_1, w_2)` the Pearson correlation between the upper triangles (diagonal
    excluded) of :math:`FC(w_1)` and :math:`FC(w_2)` (Hansen et al. 2015, NeuroImage 105:525).
    ``eigenvectors[e, k]`` is the ``k``-th leading eigenvector (largest eigenvalue first, sign
    fixed so that its largest-magnitude entry is positive) of the mean FC of epoch ``e``, the
    windows ``epoch_windows[e, 0] .. epoch_windows[e, 1] - 1``.
    """

    kind = "fcd"

    array_data: Array(float, 4, finite=False) = Attr(
        label="FCD matrix", doc="""(window, window, variable, mode)"""
    )
    window_length: float = Attr(label="Window length", unit="ms", valid=(0, None), exclusive=True)
    window_step: float = Attr(label="Window step", unit="ms", valid=(0, None), exclusive=True)
    window_times: Array(float, 1) = Attr(label="Window start times", unit="ms")
    eigenvalues: Array(float, 4, finite=False) = Attr(
        label="Eigenvalues", doc="""(epoch, eigenvector, variable, mode)"""
    )
    eigenvectors: Array(float, 5, finite=False) = Attr(
        label="Eigenvectors", doc="""(epoch, eigenvector, space, variable, mode)"""
    )
    epoch_windows: Array(int, 2, (None, 2)) = Attr(
        label="Epoch windows", doc="""First and one-past-last window of each epoch."""
    )
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"variables": ("array_data", 2, "v"), "space": ("eigenvectors", 2, "n")}
    coordinate_axes = {"window_times": ("array_data", 0, "window start time (ms)")}

    @pydantic.model_validator(mode="after")
    def _check_windows(self) -> Self:
        name = type(self).__name__
        n_w = self.array_data.shape[0]
        if self.array_data.shape[1] != n_w:
            raise ValueError(
                f"{name}.array_data has shape {self.array_data.shape}; the first two "
                "axes (windows) must have the same size"
            )
        n_e, n_k = self.eigenvectors.shape[:2]
        if self.eigenvalues.shape[:2] != (n_e, n_k) or self.epoch_windows.shape[0] != n_e:
            raise ValueError(
                f"{name}: eigenvalues {self.eigenvalues.shape}, eigenvectors "
                f"{self.eigenvectors.shape} and epoch_windows {self.epoch_windows.shape} must "
                "agree on the number of epochs and eigenvectors"
            )
        return self

    @property
    def n_windows(self) -> int:
        return int(self.array_data.shape[0])

    def summary(self) -> dict[str, Any]:
        m = self.array_data[:, :, 0, 0]
        off = m[np.triu_indices(m.shape[0], 1)]
        return {
            "type": self.type_name,
            "n_windows": self.n_windows,
            "n_epochs": int(self.epoch_windows.shape[0]),
            "window_length_ms": self.window_length,
            "window_step_ms": self.window_step,
            "fcd_mean": float(np.nanmean(off)) if off.size else None,
            "fcd_std": float(np.nanstd(off)) if off.size else None,
        }

    @classmethod
    def example(cls) -> Self:
        fcd = np.array([[1.0, 0.8, 0.7], [0.8, 1.0, 0.9], [0.7, 0.9, 1.0]])[:, :, None, None]
        vec = np.array([[0.6, 0.8], [0.8, -0.6]])[None, :, :, None, None]
        return cls(
            array_data=fcd,
            window_length=1000.0,
            window_step=500.0,
            window_times=[0.0, 500.0, 1000.0],
            eigenvalues=np.array([[1.5, 0.5]])[:, :, None, None],
            eigenvectors=vec,
            epoch_windows=[[0, 3]],
        )
