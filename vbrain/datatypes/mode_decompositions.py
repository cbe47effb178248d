"""Mode decompositions of time series: principal and independent components."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr
from vbrain.datatypes._axes import _LabelledArrays

__all__ = ["IndependentComponents", "PrincipalComponents"]


class PrincipalComponents(_LabelledArrays):
    r"""Principal components of a time series (time points = observations, nodes = variables).

    With the (optionally z-scored) data :math:`X` (time x node) and its SVD
    :math:`X = U S V^T`, ``weights[c]`` is row ``c`` of :math:`V^T` (a unit vector over nodes),
    ``fractions[c]`` is :math:`s_c^2 / \sum s^2` (fraction of the variance explained) and
    ``component_time_series[:, c] = X V[:, c]``.  One decomposition per variable and mode.
    """

    kind = "decomposition"

    weights: Array(float, 4) = Attr(
        label="Weights", doc="""Component loadings (component, space, variable, mode)."""
    )
    fractions: Array(float, 3, nonnegative=True) = Attr(
        label="Fractions of variance", doc="""(component, variable, mode); each column sums to 1"""
    )
    component_time_series: Array(float, 4) = Attr(
        label="Component time series", doc="""(time, component, variable, mode)"""
    )
    sample_period: float = Attr(
        1.0, label="Sample period", unit="ms", valid=(0, None), exclusive=True
    )
    standardised: bool = Attr(True, label="Standardised", doc="""Nodes z-scored first.""")
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"space": ("weights", 1, "n"), "variables": ("weights", 2, "v")}

    @pydantic.model_validator(mode="after")
    def _check_shapes(self) -> Self:
        name = type(self).__name__
        n_c, n_n, n_v, n_m = self.weights.shape
        if self.fractions.shape != (n_c, n_v, n_m):
            raise ValueError(
                f"{name}.fractions has shape {self.fractions.shape}; with weights of shape "
                f"{self.weights.shape} it must be {(n_c, n_v, n_m)}"
            )
        if self.component_time_series.shape[1:] != (n_c, n_v, n_m):
            raise ValueError(
                f"{name}.component_time_series has shape {self.component_time_series.shape}; "
                f"it must be (n_time, {n_c}, {n_v}, {n_m})"
            )
        return self

    @property
    def n_components(self) -> int:
        return int(self.weights.shape[0])

    def summary(self) -> dict[str, Any]:
        fr = self.fractions[:, 0, 0]
        return {
            "type": self.type_name,
            "n_components": self.n_components,
            "n_node": int(self.weights.shape[1]),
            "n_time": int(self.component_time_series.shape[0]),
            "fraction_first": float(fr[0]) if fr.size else None,
            "n_components_90pct": int(np.searchsorted(np.cumsum(fr), 0.9) + 1) if fr.size else 0,
        }

    @classmethod
    def example(cls) -> Self:
        w = np.eye(2)[:, :, None, None]
        return cls(
            weights=w,
            fractions=np.array([0.8, 0.2])[:, None, None],
            component_time_series=np.zeros((5, 2, 1, 1)),
        )


class IndependentComponents(_LabelledArrays):
    r"""Independent components (FastICA; Hyvärinen & Oja 2000, Neural Networks 13:411).

    The data :math:`x` (node x time) is modelled as :math:`x = A s + \mu` with statistically
    independent sources :math:`s` (component x time): ``mixing_matrix`` is :math:`A`
    (node x component), ``unmixing_matrix`` :math:`W` (component x node) with
    :math:`s = W (x - \mu)`, and ``component_time_series`` holds :math:`s^T`.
    One decomposition per variable and mode.
    """

    kind = "decomposition"

    mixing_matrix: Array(float, 4) = Attr(
        label="Mixing matrix", doc="""(space, component, variable, mode)"""
    )
    unmixing_matrix: Array(float, 4) = Attr(
        label="Unmixing matrix", doc="""(component, space, variable, mode)"""
    )
    component_time_series: Array(float, 4) = Attr(
        label="Sources", doc="""(time, component, variable, mode)"""
    )
    mean: Array(float, 3) = Attr(
        label="Mean", doc="""Mean removed per node (space, variable, mode)"""
    )
    sample_period: float = Attr(
        1.0, label="Sample period", unit="ms", valid=(0, None), exclusive=True
    )
    variables: tuple[str, ...] = Attr(None, label="Variables")
    space: tuple[str, ...] = Attr(None, label="Space")

    label_axes = {"space": ("mixing_matrix", 0, "n"), "variables": ("mixing_matrix", 2, "v")}

    @pydantic.model_validator(mode="after")
    def _check_shapes(self) -> Self:
        name = type(self).__name__
        n_n, n_c, n_v, n_m = self.mixing_matrix.shape
        want = {
            "unmixing_matrix": ((n_c, n_n, n_v, n_m), self.unmixing_matrix.shape),
            "mean": ((n_n, n_v, n_m), self.mean.shape),
            "component_time_series": ((n_c, n_v, n_m), self.component_time_series.shape[1:]),
        }
        for field, (need, got) in want.items():
            if need != got:
                raise ValueError(
                    f"{name}.{field} has shape {getattr(self, field).shape}; with a mixing "
                    f"matrix of shape {self.mixing_matrix.shape} it must end in {need}"
                )
        return self

    @property
    def n_components(self) -> int:
        return int(self.mixing_matrix.shape[1])

    def summary(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "n_components": self.n_components,
            "n_node": int(self.mixing_matrix.shape[0]),
            "n_time": int(self.component_time_series.shape[0]),
        }

    @classmethod
    def example(cls) -> Self:
        a = np.array([[1.0, 0.5], [0.5, 1.0]])
        return cls(
            mixing_matrix=a[:, :, None, None],
            unmixing_matrix=np.linalg.inv(a)[:, :, None, None],
            component_time_series=np.zeros((4, 2, 1, 1)),
            mean=np.zeros((2, 1, 1)),
        )
