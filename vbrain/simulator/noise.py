r"""Noise processes added by stochastic integrators.

White noise gives the increment :math:`\xi = g(x)\,\sqrt{\Delta t}\,N(0,1)` per step and state
variable; with :class:`Additive` noise :math:`g = \sqrt{2 D}` (``D = nsig``), so the increment
variance is :math:`2 D \Delta t`.  Coloured noise (``ntau > 0``, Fox & Vemuri 1988) keeps an
Ornstein–Uhlenbeck variable :math:`\eta \leftarrow \eta E + \sqrt{1-E^2}\,N(0,1)`,
:math:`E = e^{-\Delta t/\tau_n}`, and gives :math:`\xi = g(x)\,\Delta t\,\eta/\sqrt{\tau_n}`.
The same increment is used by every stage of a step (as in the reference system).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import numpy as np
import pydantic
from pydantic_core import PydanticCustomError

from vbrain.config.traits import Attr, Declared, ValidationError

__all__ = ["Additive", "Multiplicative", "Noise"]


def _validate_nsig(value: Any) -> float | np.ndarray:
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise PydanticCustomError(
            "nsig_type",
            "expected a number or an array of numbers, got {typ}",
            {"typ": type(value).__name__},
        ) from None
    if arr.ndim > 2 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise PydanticCustomError(
            "nsig_value",
            "noise intensity must be finite and >= 0, as a number, (n_var,) or (n_var, n_node)",
            {},
        )
    return float(arr) if arr.ndim == 0 else arr


NoiseIntensity = Annotated[
    Any,
    pydantic.PlainValidator(_validate_nsig),
    pydantic.PlainSerializer(
        lambda v: np.asarray(v).tolist() if isinstance(v, np.ndarray) else v, when_used="json"
    ),
    pydantic.WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "array"}]}),
]


class Noise(Declared):
    """Base class of noise processes."""

    kind: ClassVar[str] = "noise"

    nsig: NoiseIntensity = Attr(
        1.0,
        label="D",
        doc="Noise intensity D: a number, one per state variable, or an array "
        "(n_var, n_node) (or (n_node,) only when the model has one state variable).",
    )
    ntau: float = Attr(
        0.0,
        label="tau_n",
        unit="ms",
        valid=(0.0, None),
        doc="Correlation time of coloured noise; 0 gives white noise.",
    )

    def nsig_matrix(self, n_var: int, n_node: int) -> np.ndarray:
        """``nsig`` broadcast to ``(n_var, n_node)`` with a clear error for other shapes."""
        value = np.asarray(self.nsig, dtype=float)
        if value.ndim == 0 or value.size == 1:
            return np.full((n_var, n_node), float(value.ravel()[0]))
        if value.ndim == 1 and value.size == n_var:
            return np.repeat(value[:, None], n_node, axis=1)
        if value.ndim == 1 and value.size == n_node and n_var == 1:
            return value[None, :].copy()
        if value.ndim == 2 and value.shape == (n_var, n_node):
            return value.copy()
        raise ValidationError(
            f"{type(self).__name__}.nsig has shape {value.shape}; expected a number, "
            f"({n_var},) (one per state variable) or ({n_var}, {n_node})"
        )

    def gfun_coefficients(self, n_var: int, n_node: int) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients ``(g_a, g_b)`` of ``g(x) = g_a * x + g_b`` per (var, node)."""
        raise NotImplementedError


class Additive(Noise):
    r"""Additive noise: :math:`g(x) = \sqrt{2 D}`."""

    def gfun_coefficients(self, n_var: int, n_node: int) -> tuple[np.ndarray, np.ndarray]:
        g = np.sqrt(2.0 * self.nsig_matrix(n_var, n_node))
        return np.zeros_like(g), g


class Multiplicative(Noise):
    r"""Multiplicative noise: :math:`g(x) = \sqrt{2 D}\,(a\,x + b)` (reference default a=1, b=0)."""

    a: float = Attr(1.0, doc="Slope of the linear function of the state scaling the noise.")
    b: float = Attr(0.0, doc="Offset of the linear function of the state scaling the noise.")

    def gfun_coefficients(self, n_var: int, n_node: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.sqrt(2.0 * self.nsig_matrix(n_var, n_node))
        return s * self.a, s * self.b
