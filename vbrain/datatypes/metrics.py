"""Scalar time-series metrics (variance, synchrony, metastability) and entropies."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes._axes import _LabelledArrays
from vbrain.datatypes.base import DataType

__all__ = ["EntropyMeasure", "TimeSeriesMetric"]


class TimeSeriesMetric(DataType):
    """Named scalar metrics of a time series, optionally with the time courses behind them.

    ``values[k]`` is the metric ``names[k]``; ``series[:, j]`` (at ``time``, ms) is the time
    course ``series_names[j]`` (e.g. the Kuramoto order parameter R(t)).  Index by name:
    ``metric["kuramoto_index"]``.
    """

    kind = "metric"

    names: tuple[str, ...] = Attr(label="Names")
    values: Array(float, 1, finite=False) = Attr(label="Values")
    time: Array(float, 1) | None = Attr(None, label="Time", unit="ms")
    series: Array(float, 2, finite=False) | None = Attr(None, label="Time courses")
    series_names: tuple[str, ...] | None = Attr(None, label="Time course names")

    @pydantic.model_validator(mode="after")
    def _check(self) -> Self:
        name = type(self).__name__
        if len(self.names) != self.values.size:
            raise ValueError(
                f"{name}.values has {self.values.size} entries for "
                f"{len(self.names)} names; give one value per name"
            )
        if self.series is not None:
            if self.time is None or self.time.size != self.series.shape[0]:
                raise ValueError(f"{name}.series needs a time vector (ms) with one entry per row")
            names = self.series_names or ()
            if len(names) != self.series.shape[1]:
                raise ValueError(
                    f"{name}.series_names must name each of the "
                    f"{self.series.shape[1]} columns of series"
                )
        return self

    def __getitem__(self, key: str) -> float:
        if key not in self.names:
            raise KeyError(f"no metric {key!r}; metrics are {list(self.names)}")
        return float(self.values[self.names.index(key)])

    def as_mapping(self) -> dict[str, float]:
        """``{name: value}``."""
        return dict(zip(self.names, self.values.tolist(), strict=True))

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type_name}
        out.update(self.as_mapping())
        return out

    @classmethod
    def example(cls) -> Self:
        return cls(
            names=("kuramoto_index",),
            values=[0.5],
            time=[0.0, 1.0, 2.0],
            series=[[0.4], [0.5], [0.6]],
            series_names=("R",),
        )


class EntropyMeasure(_LabelledArrays):
    r"""Sample entropy per node and scale (Richman & Moorman 2000; multiscale: Costa et al.
    2002, Phys Rev Lett 89:068102).

    ``array_data[s, v, n, m]`` is :math:`-\ln(A/B)` for the signal coarse-grained by
    ``scales[s]`` (means of non-overlapping blocks), with :math:`B` (:math:`A`) the number of
    pairs of templates of length ``m`` (``m + 1``) within Chebyshev distance ``< r``.
    """

    kind = "metric"

    array_data: Array(float, 4, finite=False) = Attr(
        label="Sample entropy", doc="""(scale, variable, space, mode); inf where no match"""
    )
    scales: Array(int, 1) = Attr(label="Scales", doc="""Coarse-graining factors.""")
    m: int = Attr(2, label="Embedding dimension", valid=(1, None))
    r: Array(float, 3) = Attr(label="Tolerance", doc="""Absolute r per (variable, space, mode)""")
    quadratic: bool = Attr(False, label="Quadratic", doc="""ln(2r) added (QSE).""")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"variables": ("array_data", 1, "v"), "space": ("array_data", 2, "n")}
    coordinate_axes = {"scales": ("array_data", 0, "scale")}

    @pydantic.model_validator(mode="after")
    def _check_tolerance(self) -> Self:
        name = type(self).__name__
        if self.r.shape != self.array_data.shape[1:]:
            raise ValueError(
                f"{name}.r has shape {self.r.shape}; it must be "
                f"{self.array_data.shape[1:]} (variable, space, mode)"
            )
        return self

    def summary(self) -> dict[str, Any]:
        finite = self.array_data[np.isfinite(self.array_data)]
        return {
            "type": self.type_name,
            "scales": self.scales.tolist(),
            "m": self.m,
            "n_node": int(self.array_data.shape[2]),
            "mean_entropy": float(finite.mean()) if finite.size else None,
        }

    @classmethod
    def example(cls) -> Self:
        return cls(
            array_data=np.array([2.2, 2.0])[:, None, None, None],
            scales=[1, 2],
            r=np.full((1, 1, 1), 0.15),
        )
