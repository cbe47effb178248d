r"""Long-range coupling functions.

The coupling of target node :math:`i` for coupling term :math:`k` is

.. math::

    c_{k,i} = \mathrm{post}\Big(\sum_j w_{ij}\, \mathrm{pre}\big(y_{k,i}(t),\,
              y_{k,j}(t-\tau_{ij})\big)\Big),
    \qquad y_{k,j} = \mathrm{transform}_k(x_j)

with weights :math:`w_{ij}` (row = target, column = source), delays :math:`\tau_{ij}` and
:math:`x_j` the coupling variables of node :math:`j`.  ``transform`` depends on the source node
only, so the compiled kernel stores :math:`y` in the history once per node and step instead of
transforming every delayed read (76 sigmoids instead of 1560 for the 76-region connectome).
A coupling may produce fewer terms than there are coupling variables (SigmoidalJansenRit maps
``(y1, y2)`` to one term).

Like model ``dfun``\ s, ``transform``, ``pre`` and ``post`` are static methods that receive
their inputs by argument name and run both on numpy arrays and, compiled, on scalars:

- ``transform(x, k, <params>)``: ``x`` is the tuple of a source node's coupling variables,
  ``k`` the term index;
- ``pre(x_i, x_j, <params>)``: the target's current and the source's delayed term value;
- ``post(gx, x_i, k, n_node, <params>)``: the weighted sum and the target's current value.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from vbrain.config.registry import Registry
from vbrain.config.traits import (
    Attr,
    Declared,
    Parameter,
    ParamValue,
    ValidationError,
    parameter_matrix,
)
from vbrain.simulator.models.base import _function_source, where

__all__ = [
    "Coupling",
    "Difference",
    "HyperbolicTangent",
    "Kuramoto",
    "Linear",
    "PreSigmoidal",
    "Scaling",
    "Sigmoidal",
    "SigmoidalJansenRit",
    "get",
    "list_couplings",
]

_REGISTRY: Registry[Coupling] = Registry("coupling")
_ROLE_ARGS = {
    "transform": {"x", "k"},
    "pre": {"x_i", "x_j"},
    "post": {"gx", "x_i", "k", "n_node"},
}


class Coupling(Declared):
    """Base class: identity transform, ``pre = x_j``, ``post = gx``."""

    kind: ClassVar[str] = "coupling"

    @staticmethod
    def transform(x, k):
        return x[k]

    @staticmethod
    def pre(x_i, x_j):
        return x_j

    @staticmethod
    def post(gx):
        return gx

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        params = set(cls.parameter_names())
        for role, allowed in _ROLE_ARGS.items():
            args = inspect.signature(getattr(cls, role)).parameters
            unknown = [a for a in args if a not in allowed | params]
            if unknown:
                raise ValidationError(
                    f"{cls.__name__}.{role} has unknown arguments {unknown}; allowed are "
                    f"{sorted(allowed)} and the parameters {sorted(params)}"
                )
        _REGISTRY.add(cls)

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)

    def n_terms(self, n_cvar: int) -> int:
        """Number of coupling terms produced from ``n_cvar`` coupling variables."""
        return n_cvar

    def check_model(self, n_cvar: int, model_name: str) -> None:
        """Raise if this coupling cannot serve a model with ``n_cvar`` coupling variables."""
        if n_cvar < 1:
            raise ValidationError(f"{model_name} has no coupling variables to couple")

    def parameter_matrix(self, n_node: int) -> np.ndarray:
        """Parameters as ``(n_param, n_node)`` (scalars broadcast, booleans as 0/1)."""
        return parameter_matrix(self, self.parameter_names(), n_node)

    @classmethod
    def function_source(cls, role: str) -> str:
        """Source of ``transform``/``pre``/``post`` as a module-level function named ``role``."""
        return _function_source(getattr(cls, role))

    @classmethod
    def arguments(cls, role: str) -> tuple[str, ...]:
        return tuple(inspect.signature(getattr(cls, role)).parameters)

    # -- numpy reference evaluation ----------------------------------------------------------

    def _call(self, role: str, params: np.ndarray, **available: Any) -> Any:
        fn: Callable[..., Any] = getattr(type(self), role)
        names = self.parameter_names()
        kwargs = {}
        for arg in self.arguments(role):
            kwargs[arg] = available[arg] if arg in available else params[names.index(arg)]
        return fn(**kwargs)

    def terms(self, x: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """Transform coupling variables ``(n_cvar, n, n_mode)`` into terms ``(n_term, n, n_mode)``.

        ``params`` is ``(n_param, n)`` (source-node parameters) or None for defaults.
        """
        n_cvar, n = x.shape[:2]
        if params is None:
            params = self.parameter_matrix(n)
        xs = tuple(x[c] for c in range(n_cvar))
        p = params[:, :, None]
        return np.stack(
            [
                np.broadcast_to(self._call("transform", p, x=xs, k=k), x.shape[1:])
                for k in range(self.n_terms(n_cvar))
            ]
        ).astype(float)

    def evaluate(
        self,
        y_current: np.ndarray,
        y_delayed: np.ndarray,
        weights: np.ndarray,
        targets: np.ndarray,
        sources: np.ndarray,
        params: np.ndarray,
        float32_sums: bool = False,
    ) -> np.ndarray:
        """Coupling ``(n_term, n_node, n_mode)`` from sparse edges (reference path).

        Parameters
        ----------
        y_current
            Current terms of every node ``(n_term, n_node, n_mode)``.
        y_delayed
            Delayed source terms per edge ``(n_term, n_edge, n_mode)``.
        weights, targets, sources
            Edge weights and node indices, edges sorted by target (CSR order).
        params
            ``(n_param, n_node)``.
        float32_sums
            Emulate the reference system: float32 products summed with
            ``numpy.add.reduceat`` in float32 (its history buffer is single precision).
        """
        n_term, n_node, n_mode = y_current.shape
        out = np.empty_like(y_current)
        p_edge = params[:, targets][:, :, None]
        p_node = params[:, :, None]
        for k in range(n_term):
            x_i = y_current[k][targets]
            pre = np.broadcast_to(
                self._call("pre", p_edge, x_i=x_i, x_j=y_delayed[k]), y_delayed[k].shape
            )
            if float32_sums:
                contrib32 = weights.astype(np.float32)[:, None] * pre.astype(np.float32)
                gx = np.zeros((n_node, n_mode))
                if targets.size:
                    starts = np.r_[0, np.nonzero(np.diff(targets))[0] + 1]
                    gx[targets[starts]] = np.add.reduceat(contrib32, starts, axis=0)
            else:
                gx = _sum_by_target(weights[:, None] * pre, targets, n_node)
            out[k] = self._call("post", p_node, gx=gx, x_i=y_current[k], k=k, n_node=n_node)
        return out


def _sum_by_target(contrib: np.ndarray, targets: np.ndarray, n_node: int) -> np.ndarray:
    """Sum edge contributions ``(n_edge, n_mode)`` per target, in the compiled kernel's order.

    Edges at positions 0, 1, 2, 3 (mod 4) within their target's row go to four partial sums
    (each accumulated sequentially), combined as ``(g0 + g1) + (g2 + g3)``.
    """
    n_edge, n_mode = contrib.shape
    pos = np.arange(n_edge) - np.searchsorted(targets, targets, side="left")
    partial = []
    for r in range(4):
        sel = pos % 4 == r
        partial.append(
            np.stack(
                [
                    np.bincount(targets[sel], contrib[sel, m], minlength=n_node)
                    for m in range(n_mode)
                ],
                axis=-1,
            )
        )
    return (partial[0] + partial[1]) + (partial[2] + partial[3])


def get(name: str) -> type[Coupling]:
    """Coupling class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_couplings() -> list[str]:
    """Names of all registered couplings."""
    return _REGISTRY.names()


class Linear(Coupling):
    r"""Linear coupling :math:`c_i = a \sum_j w_{ij} x_j(t-\tau_{ij}) + b`."""

    a: ParamValue = Parameter(0.00390625, range=(0.0, 1.0), doc="Rescales the connection strength.")
    b: ParamValue = Parameter(0.0, range=(-1.0, 1.0), doc="Shifts the base of the connection.")

    @staticmethod
    def post(gx, a, b):
        return a * gx + b


class Scaling(Coupling):
    r"""Scaling coupling :math:`c_i = a \sum_j w_{ij} x_j(t-\tau_{ij})`."""

    a: ParamValue = Parameter(0.00390625, range=(0.0, 1.0), doc="Rescales the connection strength.")

    @staticmethod
    def post(gx, a):
        return a * gx


class HyperbolicTangent(Coupling):
    r"""Hyperbolic-tangent coupling
    :math:`c_i = \sum_j w_{ij}\, a\,(1 + \tanh((b\,x_j - \mathrm{midpoint})/\sigma))`.

    The tanh depends on the source only, so it is applied once per node (``transform``).
    """

    a: ParamValue = Parameter(1.0, range=(-1000.0, 1000.0), doc="Minimum of the sigmoid.")
    b: ParamValue = Parameter(1.0, range=(-1.0, 1.0), doc="Scaling factor for the variable.")
    midpoint: ParamValue = Parameter(0.0, range=(-1000.0, 1000.0), doc="Midpoint of the slope.")
    sigma: ParamValue = Parameter(
        1.0,
        range=(0.01, 1000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Standard deviation of the sigmoid.",
    )

    @staticmethod
    def transform(x, k, a, b, midpoint, sigma):
        return a * (1.0 + np.tanh((b * x[k] - midpoint) / sigma))


class Sigmoidal(Coupling):
    r"""Sigmoidal coupling applied after summation:
    :math:`c_i = c_{min} + (c_{max}-c_{min}) / (1 + \exp(-a\,(g_i - \mathrm{midpoint})/\sigma))`
    with :math:`g_i = \sum_j w_{ij} x_j(t-\tau_{ij})`.
    """

    cmin: ParamValue = Parameter(-1.0, range=(-1000.0, 1000.0), doc="Minimum of the sigmoid.")
    cmax: ParamValue = Parameter(1.0, range=(-1000.0, 1000.0), doc="Maximum of the sigmoid.")
    midpoint: ParamValue = Parameter(0.0, range=(-1000.0, 1000.0), doc="Midpoint of the slope.")
    a: ParamValue = Parameter(1.0, range=(-1000.0, 1000.0), doc="Scaling of the slope.")
    sigma: ParamValue = Parameter(
        230.0,
        range=(0.01, 1000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Standard deviation of the sigmoid.",
    )

    @staticmethod
    def post(gx, cmin, cmax, midpoint, a, sigma):
        return cmin + (cmax - cmin) / (1.0 + np.exp(-a * ((gx - midpoint) / sigma)))


class SigmoidalJansenRit(Coupling):
    r"""Jansen–Rit sigmoidal coupling of the two coupling variables :math:`(y_1, y_2)`:

    .. math::

        c_i = a \sum_j w_{ij} \left[c_{min} + \frac{c_{max} - c_{min}}
              {1 + \exp(r\,(\mathrm{midpoint} - (y_{1,j} - y_{2,j})))}\right]

    Produces one coupling term.  Requires exactly two coupling variables.
    """

    cmin: ParamValue = Parameter(0.0, range=(-1000.0, 1000.0), doc="Minimum of the sigmoid.")
    cmax: ParamValue = Parameter(
        0.005, range=(-1000.0, 1000.0), doc="Maximum of the sigmoid (2 nu_max)."
    )
    midpoint: ParamValue = Parameter(
        6.0,
        range=(-1000.0, 1000.0),
        unit="mV",
        doc="Midpoint of the linear portion of the sigmoid.",
    )
    r: ParamValue = Parameter(
        0.56, range=(0.01, 1000.0), unit="1/mV", doc="Steepness of the sigmoid."
    )
    a: ParamValue = Parameter(1.0, range=(-1000.0, 1000.0), doc="Global coupling scaling.")

    @staticmethod
    def transform(x, k, cmin, cmax, midpoint, r):
        return cmin + (cmax - cmin) / (1.0 + np.exp(r * (midpoint - (x[0] - x[1]))))

    @staticmethod
    def post(gx, a):
        return a * gx

    def n_terms(self, n_cvar: int) -> int:
        return 1

    def check_model(self, n_cvar: int, model_name: str) -> None:
        if n_cvar != 2:
            raise ValidationError(
                f"SigmoidalJansenRit couples the difference of two coupling variables, but "
                f"{model_name} has {n_cvar}; use it with JansenRit-like models (cvar y1, y2)"
            )


class PreSigmoidal(Coupling):
    r"""Sigmoid applied before summation, with a static or dynamic threshold:

    .. math::

        A_j = H\,(Q + \tanh(G\,(P\,x_{0,j} - \theta_j))),\qquad c_{0,i} = \sum_j w_{ij} A_j

    With ``dynamic`` the threshold :math:`\theta_j` is the node's second coupling variable and a
    second term :math:`c_{1,i} = A_i` (the node's own current output) is returned, as the
    reference does; otherwise :math:`\theta` is the static parameter and every coupling
    variable is transformed alike.  The reference's ``globalT`` option is not offered.
    """

    H: ParamValue = Parameter(0.5, range=(-100.0, 100.0), doc="Global factor.")
    Q: ParamValue = Parameter(1.0, range=(-100.0, 100.0), doc="Average.")
    G: ParamValue = Parameter(60.0, range=(-1000.0, 1000.0), doc="Gain.")
    P: ParamValue = Parameter(1.0, range=(-100.0, 100.0), doc="Excitation-inhibition ratio.")
    theta: ParamValue = Parameter(0.5, range=(-100.0, 100.0), doc="Static threshold.")
    dynamic: bool = Attr(True, doc="Use the second coupling variable as a dynamic threshold.")

    @staticmethod
    def transform(x, k, H, Q, G, P, theta, dynamic):
        return where(
            dynamic > 0.5,
            H * (Q + np.tanh(G * (P * x[0] - x[min(1, len(x) - 1)]))),
            H * (Q + np.tanh(G * (P * x[k] - theta))),
        )

    @staticmethod
    def post(gx, x_i, k, dynamic):
        return where((dynamic > 0.5) & (k == 1), x_i, gx)

    def check_model(self, n_cvar: int, model_name: str) -> None:
        if self.dynamic and n_cvar != 2:
            raise ValidationError(
                f"PreSigmoidal(dynamic=True) needs two coupling variables (value, threshold); "
                f"{model_name} has {n_cvar}. Use dynamic=False for a static threshold."
            )


class Difference(Coupling):
    r"""Difference coupling :math:`c_i = a \sum_j w_{ij}\,(x_j(t-\tau_{ij}) - x_i(t))`."""

    a: ParamValue = Parameter(0.1, range=(0.0, 10.0), doc="Rescales the connection strength.")

    @staticmethod
    def pre(x_i, x_j):
        return x_j - x_i

    @staticmethod
    def post(gx, a):
        return a * gx


class Kuramoto(Coupling):
    r"""Kuramoto coupling :math:`c_i = \frac{a}{N} \sum_j w_{ij} \sin(x_j(t-\tau_{ij}) - x_i(t))`.

    :math:`N` is the number of nodes, as in Kuramoto's model.  The reference system divides by
    ``gx.shape[0]`` of its sparse path, which is the number of coupling variables (1), i.e. it
    does not normalise at all; to reproduce it use ``a_vbrain = a_reference * n_node``.
    """

    a: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Rescales the connection strength.")

    @staticmethod
    def pre(x_i, x_j):
        return np.sin(x_j - x_i)

    @staticmethod
    def post(gx, n_node, a):
        return a / n_node * gx
