"""Functional connectivity (correlation, covariance, cross-correlation) and graph measures."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes._axes import _LabelledArrays
from vbrain.datatypes.base import DataType

__all__ = [
    "ConnectivityMeasure",
    "CorrelationCoefficients",
    "Covariance",
    "CrossCorrelation",
    "GraphMeasures",
]


class _NodePairMatrix(_LabelledArrays):
    """A node x node matrix per variable and mode, shape (space, space, variable, mode)."""

    kind = "connectivity_measure"

    array_data: Array(float, 4, finite=False) = Attr(
        label="Matrix", doc="""(space, space, variable, mode)"""
    )
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"space": ("array_data", 0, "n"), "variables": ("array_data", 2, "v")}

    @pydantic.model_validator(mode="after")
    def _check_square(self) -> Self:
        shape = self.array_data.shape
        if shape[0] != shape[1]:
            raise ValueError(
                f"{type(self).__name__}.array_data has shape {shape}; the first two axes "
                "(nodes) must have the same size"
            )
        return self

    @property
    def matrix(self) -> np.ndarray:
        """The matrix of the first variable and mode (space x space)."""
        return self.array_data[:, :, 0, 0]

    def summary(self) -> dict[str, Any]:
        m = self.matrix
        off = m[~np.eye(m.shape[0], dtype=bool)]
        return {
            "type": self.type_name,
            "n_node": int(m.shape[0]),
            "n_variable": int(self.array_data.shape[2]),
            "offdiagonal_mean": float(np.nanmean(off)) if off.size else None,
            "offdiagonal_min": float(np.nanmin(off)) if off.size else None,
            "offdiagonal_max": float(np.nanmax(off)) if off.size else None,
        }


class CorrelationCoefficients(_NodePairMatrix):
    r"""Pearson correlation between nodes: :math:`r_{ij} = \mathrm{cov}(x_i, x_j) /
    (\sigma_i \sigma_j)`, in [-1, 1]; NaN where a node is constant."""

    @classmethod
    def example(cls) -> Self:
        return cls(array_data=np.array([[1.0, 0.5], [0.5, 1.0]])[:, :, None, None])


class Covariance(_NodePairMatrix):
    r"""Temporal covariance between nodes:
    :math:`C_{ij} = \frac{1}{T-1}\sum_t (x_i(t)-\bar x_i)(x_j(t)-\bar x_j)`."""

    @classmethod
    def example(cls) -> Self:
        return cls(array_data=np.array([[2.0, 0.5], [0.5, 1.0]])[:, :, None, None])


class CrossCorrelation(_LabelledArrays):
    r"""Normalised cross-correlation between every pair of nodes at a range of lags.

    ``array_data[k, i, j, v, m]`` is :math:`\rho_{ij}(\tau_k) = \frac{1}{T\sigma_i\sigma_j}
    \sum_t \tilde x_i(t+\tau_k)\,\tilde x_j(t)` (zero-mean signals, biased estimator), so a
    peak at a positive lag means node ``i`` follows node ``j``.  ``time`` holds the lags (ms).
    """

    kind = "connectivity_measure"

    array_data: Array(float, 5, finite=False) = Attr(
        label="Cross-correlation", doc="""(lag, space, space, variable, mode)"""
    )
    time: Array(float, 1) = Attr(label="Lags", unit="ms")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"space": ("array_data", 1, "n"), "variables": ("array_data", 3, "v")}
    coordinate_axes = {"time": ("array_data", 0, "lag (ms)")}

    def peak_lag(self) -> np.ndarray:
        """Lag (ms) of the largest |correlation| for each pair, shape (space, space, var, mode)."""
        return self.time[np.argmax(np.abs(np.nan_to_num(self.array_data)), axis=0)]

    def summary(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "n_lag": int(self.time.size),
            "max_lag_ms": float(np.abs(self.time).max()) if self.time.size else None,
            "n_node": int(self.array_data.shape[1]),
        }

    @classmethod
    def example(cls) -> Self:
        lags = np.array([-1.0, 0.0, 1.0])
        data = np.ones((3, 2, 2, 1, 1)) * np.array([0.2, 1.0, 0.2])[:, None, None, None, None]
        return cls(array_data=data, time=lags)


class ConnectivityMeasure(_LabelledArrays):
    """One labelled measure per region (vector) or per pair of regions (matrix).

    ``array_data`` is ``(n_node,)`` or ``(n_node, n_node)``; ``region_labels`` name the nodes.
    """

    kind = "connectivity_measure"

    array_data: Array(float, None, finite=False) = Attr(label="Values")
    region_labels: tuple[str, ...] = Attr(None, label="Region labels")
    title: str = Attr("", label="Title", doc="""What the values are (e.g. 'degree').""")
    unit: str = Attr("", label="Unit")

    label_axes = {"region_labels": ("array_data", 0, "r")}

    @pydantic.model_validator(mode="after")
    def _check_ndim(self) -> Self:
        if self.array_data.ndim not in (1, 2):
            raise ValueError(
                f"{type(self).__name__}.array_data has shape {self.array_data.shape}; expected "
                "(n_node,) or (n_node, n_node)"
            )
        return self

    def as_mapping(self) -> dict[str, Any]:
        """``{label: value}`` for a vector measure, ``{label: row}`` for a matrix."""
        return dict(zip(self.region_labels, self.array_data.tolist(), strict=True))

    def summary(self) -> dict[str, Any]:
        out = super().summary()
        out["title"] = self.title
        return out

    @classmethod
    def example(cls) -> Self:
        return cls(array_data=[1.0, 2.0, 3.0], region_labels=("a", "b", "c"), title="degree")


class GraphMeasures(DataType):
    """Graph-theoretical measures of one network, labelled by region.

    ``node_values[:, k]`` is the per-node measure ``node_names[k]`` (one row per region of
    ``region_labels``), ``global_values[k]`` the whole-network measure ``global_names[k]``.
    Optional extras: a node x node ``matrix`` (e.g. distances, ``matrix_name``) and a curve
    ``level_values`` over ``levels`` (e.g. the rich-club coefficient per degree level).
    Index by name: ``gm["degree"]`` gives a vector over regions, ``gm["density"]`` a float.
    """

    kind = "connectivity_measure"

    region_labels: tuple[str, ...] = Attr(label="Region labels")
    node_names: tuple[str, ...] = Attr((), label="Node measure names")
    node_values: Array(float, 2, finite=False) = Attr(
        None, label="Node measures", doc="""(region, measure)"""
    )
    global_names: tuple[str, ...] = Attr((), label="Global measure names")
    global_values: Array(float, 1, finite=False) = Attr(None, label="Global measures")
    matrix: Array(float, 2, finite=False) | None = Attr(None, label="Node x node matrix")
    matrix_name: str = Attr("", label="Matrix name")
    levels: Array(float, 1) | None = Attr(None, label="Levels")
    level_values: Array(float, 1, finite=False) | None = Attr(None, label="Curve values")
    weighted: bool = Attr(True, label="Weighted")
    directed: bool = Attr(False, label="Directed")

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            n = len(data.get("region_labels") or ())
            if data.get("node_values") is None:
                data["node_values"] = np.zeros((n, len(data.get("node_names") or ())))
            if data.get("global_values") is None:
                data["global_values"] = np.zeros(len(data.get("global_names") or ()))
        return data

    @pydantic.model_validator(mode="after")
    def _check(self) -> Self:
        name = type(self).__name__
        n = len(self.region_labels)
        if self.node_values.shape != (n, len(self.node_names)):
            raise ValueError(
                f"{name}.node_values has shape {self.node_values.shape}; with {n} regions and "
                f"{len(self.node_names)} node measures it must be {(n, len(self.node_names))}"
            )
        if self.global_values.shape != (len(self.global_names),):
            raise ValueError(
                f"{name}.global_values has {self.global_values.size} values for "
                f"{len(self.global_names)} global_names; give one value per name"
            )
        if self.matrix is not None and self.matrix.shape != (n, n):
            raise ValueError(f"{name}.matrix has shape {self.matrix.shape}; it must be {(n, n)}")
        if (self.levels is None) != (self.level_values is None) or (
            self.levels is not None and self.levels.shape != self.level_values.shape
        ):
            raise ValueError(f"{name}.levels and level_values must be given together, same size")
        return self

    def __getitem__(self, key: str) -> Any:
        if key in self.node_names:
            return self.node_values[:, self.node_names.index(key)]
        if key in self.global_names:
            return float(self.global_values[self.global_names.index(key)])
        if key and key == self.matrix_name:
            return self.matrix
        raise KeyError(
            f"no measure {key!r}; node measures {list(self.node_names)}, global measures "
            f"{list(self.global_names)}"
        )

    def __contains__(self, key: object) -> bool:
        return key in self.node_names or key in self.global_names

    def node_measure(self, key: str) -> ConnectivityMeasure:
        """One per-node measure as a labelled :class:`ConnectivityMeasure`."""
        return ConnectivityMeasure(
            array_data=self[key], region_labels=self.region_labels, title=key
        )

    def to_table(self) -> dict[str, dict[str, float]]:
        """``{measure: {region label: value}}`` for the per-node measures."""
        return {
            k: dict(zip(self.region_labels, self.node_values[:, i].tolist(), strict=True))
            for i, k in enumerate(self.node_names)
        }

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type_name,
            "n_node": len(self.region_labels),
            "weighted": self.weighted,
            "directed": self.directed,
        }
        for k, v in zip(self.global_names, self.global_values, strict=True):
            out[k] = float(v)
        for i, k in enumerate(self.node_names):
            col = self.node_values[:, i]
            out[f"{k}_mean"] = float(np.nanmean(col)) if col.size else None
        return out

    @classmethod
    def example(cls) -> Self:
        return cls(
            region_labels=("a", "b", "c"),
            node_names=("degree",),
            node_values=[[2.0], [2.0], [2.0]],
            global_names=("density",),
            global_values=[1.0],
            weighted=False,
        )
