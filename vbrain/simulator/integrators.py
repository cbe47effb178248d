r"""Integration schemes: Euler, Heun, RK4 and Identity (maps), deterministic or stochastic.

Passing a :mod:`noise <vbrain.simulator.noise>` object makes any scheme stochastic; the noise
increment :math:`\xi` of a step is shared by all its stages.  With the coupling :math:`c`
evaluated once per step (the reference system's semantics):

- Euler: :math:`x_{n+1} = x_n + \Delta t\, f(x_n, c) + \xi`
- Heun: :math:`\tilde x = x_n + \Delta t\, f(x_n, c) + \xi`,
  :math:`x_{n+1} = x_n + \tfrac{\Delta t}{2}(f(x_n, c) + f(\tilde x, c)) + \xi`.
  With ``recompute_coupling=True`` the corrector uses the coupling at :math:`t_{n+1}`
  (delayed states from the history, zero-delay terms from :math:`\tilde x`): a proper
  second-order Heun step for coupled networks (reference issue #547).
- RK4: classic four stages with :math:`\Delta t/2, \Delta t/2, \Delta t`, plus :math:`\xi`.
- Identity: :math:`x_{n+1} = f(x_n, c) + \xi` (maps, MVAR processes).

After every stage states are clipped to the model's bounds and clamped variables are reset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
import pydantic

from vbrain.config.registry import Registry
from vbrain.config.traits import Attr, Declared, ValidationError
from vbrain.simulator.noise import Noise

__all__ = ["RK4", "Euler", "Heun", "Identity", "Integrator", "get", "list_integrators"]

DEFAULT_DT = 0.01220703125
"""Reference default time step (ms): 2**-6 * 0.78125, so 2**-n ms monitor periods divide it."""

_ALIASES = {
    "heundeterministic": "Heun",
    "heunstochastic": "Heun",
    "eulerdeterministic": "Euler",
    "eulerstochastic": "Euler",
    "rungekutta4thorderdeterministic": "RK4",
    "identitystochastic": "Identity",
}
"""The reference system's class names (noise makes any scheme stochastic here)."""

_REGISTRY: Registry[Integrator] = Registry("integrator", aliases=_ALIASES)


class Integrator(Declared):
    """Base class of integration schemes."""

    kind: ClassVar[str] = "integrator"
    scheme: ClassVar[str] = ""
    order: ClassVar[int] = 1
    n_dfun_per_step: ClassVar[int] = 1

    dt: float = Attr(
        DEFAULT_DT,
        label="dt",
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="Integration time step.",
    )
    noise: Noise | None = Attr(None, doc="Noise process; None gives a deterministic scheme.")
    clamped_variables: tuple[str, ...] = Attr(
        (), doc="State variables held at fixed values (see clamped_values)."
    )
    clamped_values: tuple[float, ...] = Attr((), doc="Values of the clamped variables.")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.scheme:
            _REGISTRY.add(cls)

    @pydantic.model_validator(mode="after")
    def _check(self) -> Integrator:
        if not self.dt > 0:
            raise ValueError(f"dt = {self.dt} ms must be > 0 (e.g. 0.1)")
        if len(self.clamped_variables) != len(self.clamped_values):
            raise ValueError(
                f"clamped_variables {self.clamped_variables} and clamped_values "
                f"{self.clamped_values} must have the same length"
            )
        return self

    @property
    def stochastic(self) -> bool:
        return self.noise is not None

    def clamp_indices(self, state_names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and values of clamped state variables for a model."""
        idx = []
        for name in self.clamped_variables:
            if name not in state_names:
                raise ValidationError(
                    f"clamped variable {name!r} is not a state variable of the model "
                    f"{list(state_names)}"
                )
            idx.append(state_names.index(name))
        return np.array(idx, dtype=np.intp), np.array(self.clamped_values, dtype=float)

    # -- numpy reference ------------------------------------------------------------------

    def step(
        self,
        x: np.ndarray,
        f: Callable[[np.ndarray, np.ndarray], np.ndarray],
        c: np.ndarray,
        xi: np.ndarray | float,
        constrain: Callable[[np.ndarray], np.ndarray],
        c_end: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> np.ndarray:
        """Advance ``x`` by one step (reference path).

        ``f(x, c)`` is the model derivative, ``xi`` the noise increment, ``constrain`` applies
        bounds and clamping, ``c_end(x_pred)`` the coupling at the end of the step (Heun with
        ``recompute_coupling``).
        """
        raise NotImplementedError


class Euler(Integrator):
    r"""Forward Euler: :math:`x_{n+1} = x_n + \Delta t\,f(x_n) + \xi`."""

    scheme: ClassVar[str] = "euler"

    def step(self, x, f, c, xi, constrain, c_end=None):
        return constrain(x + self.dt * f(x, c) + xi)


class Heun(Integrator):
    r"""Heun's predictor–corrector (second order); the reference system's default scheme."""

    scheme: ClassVar[str] = "heun"
    order: ClassVar[int] = 2
    n_dfun_per_step: ClassVar[int] = 2

    recompute_coupling: bool = Attr(
        False,
        doc="Re-evaluate the long-range coupling at the corrector stage (proper Heun for "
        "networks); False reproduces the reference system, which holds it for the whole step.",
    )

    def step(self, x, f, c, xi, constrain, c_end=None):
        k1 = f(x, c)
        xp = constrain(x + self.dt * k1 + xi)
        c2 = c_end(xp) if (self.recompute_coupling and c_end is not None) else c
        k2 = f(xp, c2)
        return constrain(x + (self.dt / 2.0) * (k1 + k2) + xi)


class RK4(Integrator):
    r"""Classic fourth-order Runge–Kutta (coupling held over the step)."""

    scheme: ClassVar[str] = "rk4"
    order: ClassVar[int] = 4
    n_dfun_per_step: ClassVar[int] = 4

    def step(self, x, f, c, xi, constrain, c_end=None):
        dt = self.dt
        dt2 = dt / 2.0
        dt6 = dt / 6.0
        k1 = f(x, c)
        k2 = f(constrain(x + dt2 * k1), c)
        k3 = f(constrain(x + dt2 * k2), c)
        k4 = f(constrain(x + dt * k3), c)
        return constrain(x + dt6 * (k1 + 2.0 * k2 + 2.0 * k3 + k4) + xi)


class Identity(Integrator):
    r"""Map :math:`x_{n+1} = f(x_n, c) + \xi` (difference equations, MVAR models)."""

    scheme: ClassVar[str] = "identity"

    def step(self, x, f, c, xi, constrain, c_end=None):
        return constrain(f(x, c) + xi)


def get(name: str) -> type[Integrator]:
    """Integrator class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_integrators() -> list[str]:
    """Names of all registered integrators."""
    return _REGISTRY.names()
