r"""Stimuli: external inputs added to the derivatives of a model's stimulus variables.

A stimulus gives, for every integration step, a value :math:`I_q(t)` per node for each driven
state variable :math:`q` (by default the model's ``stimulus_variables``, which default to its
coupling variables).  The value enters the derivative of that variable in every stage of the
integration scheme, held over the step:

.. math::

    \dot x_q = f_q(x, c) + I_q(t_{n-1}) \qquad \text{for } t \in [t_{n-1}, t_n]

so Euler computes :math:`x_n = x_{n-1} + \Delta t\,(f(x_{n-1}) + I)` and Heun
:math:`\tilde x = x + \Delta t (f(x) + I)`, :math:`x_n = x + \tfrac{\Delta t}{2}(f(x) + I +
f(\tilde x) + I)`, exactly as the reference system's integrators do.  (The reference's RK4
adds :math:`\Delta t\,I` after its four stages only, which makes it first order in the input;
here every RK4 stage sees :math:`I`, so a piecewise-constant input is integrated to fourth
order.)

Time convention
---------------
Step :math:`n` (computing the state at :math:`t_n = n\,\Delta t` from :math:`t_{n-1}`) uses
the stimulus evaluated at the **start of the step**, :math:`t_{n-1} = (n-1)\,\Delta t`: an
explicit scheme only knows the present, the first step of a run sees :math:`I(0)` (as in the
reference system, whose step ``n`` of a first run reads pattern index ``n - 1`` of the time
grid ``0, dt, 2 dt, ...``), and an input switching on at :math:`t_0` first changes the state
at :math:`t_0 + \Delta t`.  Times count from the start of the simulation, **across
continuations**: ``sim.run(500); sim.run(500)`` gives exactly what ``sim.run(1000)`` gives
(the reference system restarts the stimulus time at every call, a known bug).

Kinds of stimulus
-----------------
- :class:`StimulusRegion`: a temporal equation (:mod:`vbrain.datatypes.equations`, time in
  ms) times a weight per region, :math:`I_q(t)_i = w_i\,f(t)`, the reference's
  ``StimuliRegion``.
- :class:`StimulusArray`: values given as an array ``(n_time, n_node)`` (or
  ``(n_time, n_var_driven, n_node)``) sampled at the integration step: row ``k`` is the input
  of step ``k + 1``, i.e. at :math:`t = k\,\Delta t`.  A run may not go beyond the last row.
- :class:`StimulusFunction`: a Python callable of the times (ms) evaluated once per chunk of
  steps into such an array, for inputs computed on the fly (long runs, closed loops between
  chunks).  Not storable (it holds code).

Separable stimuli (:class:`StimulusRegion`) reach the compiled kernel as a temporal vector
``(n_step,)`` and a spatial pattern ``(n_var_driven, n_node)``; the others as a full array
``(n_step, n_var_driven, n_node)`` per chunk.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.equations import PulseTrain, TemporalEquation, equation_field

if TYPE_CHECKING:
    from vbrain.datatypes.connectivity import Connectivity
    from vbrain.simulator.models.base import Model

__all__ = [
    "StimulusArray",
    "StimulusFunction",
    "StimulusPlan",
    "StimulusRegion",
    "as_stimulus",
    "step_times",
]


def step_times(step0: int, n_steps: int, dt: float) -> np.ndarray:
    """Times (ms) at which the stimulus of steps ``step0 + 1 .. step0 + n_steps`` is evaluated.

    Step ``s`` uses :math:`t = (s - 1)\\,\\Delta t`, the start of the step.  Computed from the
    integer step index, so that the same step gives the same time bits however the run is cut
    into chunks and continuations.
    """
    return (step0 + np.arange(n_steps, dtype=np.int64)) * float(dt)


def _driven_variables(variables: Sequence[str] | None, model: Model, what: str) -> np.ndarray:
    """Indices of the state variables a stimulus drives (the model's default when None)."""
    if variables is None:
        return np.asarray(model.stvar(), dtype=np.intp)
    names = model.state_names()
    out = []
    for name in variables:
        if name not in names:
            raise ValidationError(
                f"{what}: stimulus variable {name!r} is not a state variable of "
                f"{type(model).__name__} {list(names)}"
            )
        out.append(names.index(name))
    if len(set(out)) != len(out):
        raise ValidationError(f"{what}: stimulus variables {list(variables)} repeat a name")
    if not out:
        raise ValidationError(f"{what}: give at least one stimulus variable, or None (default)")
    return np.array(out, dtype=np.intp)


def _check_variables(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass
class StimulusPlan:
    """A stimulus bound to a simulation: what the backends need, per chunk of steps.

    Attributes
    ----------
    stvar
        Indices of the driven state variables, ``(n_sv,)``.
    separable
        True when the values are ``temporal(t) * weights`` (kernel arguments
        ``(temporal (n,), weights (n_sv, n_node))``); False for a full array per chunk
        (``(values (n, n_sv, n_node),)``).
    weights
        The spatial pattern ``(n_sv, n_node)`` of a separable stimulus.
    temporal
        ``times (n,) -> (n,)`` of a separable stimulus.
    full
        ``(step0, n) -> (n, n_sv, n_node)`` of a non-separable stimulus.
    max_steps
        Last step the stimulus covers (arrays); None when unlimited.
    """

    stvar: np.ndarray
    n_node: int
    dt: float
    separable: bool
    weights: np.ndarray | None = None
    temporal: Callable[[np.ndarray], np.ndarray] | None = None
    full: Callable[[int, int], np.ndarray] | None = None
    max_steps: int | None = None
    name: str = "stimulus"

    @property
    def n_sv(self) -> int:
        return int(self.stvar.size)

    def bytes_per_step(self) -> int:
        """Memory of one step of the chunk arrays (sizes the chunks)."""
        return 8 if self.separable else 8 * self.n_sv * self.n_node

    def check_steps(self, last_step: int) -> None:
        """Raise before running when the stimulus does not reach ``last_step``."""
        if self.max_steps is not None and last_step > self.max_steps:
            raise ValidationError(
                f"{self.name} has {self.max_steps} time points (up to t = "
                f"{(self.max_steps - 1) * self.dt:g} ms at dt = {self.dt:g} ms) but the run "
                f"needs {last_step} (up to step {last_step}, whose input is at t = "
                f"{(last_step - 1) * self.dt:g} ms); give a longer array or run shorter"
            )

    def chunk(self, step0: int, n_steps: int) -> tuple[np.ndarray, ...]:
        """Kernel arguments for steps ``step0 + 1 .. step0 + n_steps`` (contiguous float64)."""
        if self.separable:
            assert self.temporal is not None and self.weights is not None
            times = step_times(step0, n_steps, self.dt)
            values = np.asarray(self.temporal(times), dtype=float)
            if values.shape != (n_steps,) or not np.all(np.isfinite(values)):
                raise ValidationError(
                    f"{self.name}: the temporal equation gave non-finite values or shape "
                    f"{values.shape} for {n_steps} times (t = {times[0]:g}..{times[-1]:g} ms)"
                )
            return (np.ascontiguousarray(values), self.weights)
        assert self.full is not None
        return (np.ascontiguousarray(self.full(step0, n_steps), dtype=float),)

    def values(self, step0: int, n_steps: int) -> np.ndarray:
        """The inputs ``(n_steps, n_sv, n_node)`` of a chunk (the numpy backend's form).

        Separable stimuli multiply in the same order as the compiled kernel
        (``temporal[t] * weights[q, i]``), so both backends add the same bits.
        """
        parts = self.chunk(step0, n_steps)
        if self.separable:
            return parts[0][:, None, None] * parts[1][None, :, :]
        return parts[0]


# --------------------------------------------------------------------------------------------
# region stimulus


class StimulusRegion(DataType):
    r"""A temporal equation times a weight per region: :math:`I_i(t) = w_i\,f(t)`.

    The reference system's ``StimuliRegion`` (whose spatial part is the identity
    ``DiscreteEquation`` of the weights).  The same value drives every stimulus variable (and
    every mode) of a region.

    Parameters
    ----------
    temporal
        Time course :math:`f(t)`, a :class:`~vbrain.datatypes.equations.TemporalEquation`
        (time in ms), given as an object, a name or a ``{"type": name, ...}`` mapping.
    weight
        One weight per region of the connectivity it is used with (zeros for unstimulated
        regions); see :meth:`from_labels` to give them by region label.
    variables
        Names of the state variables driven; None (default) uses the model's
        ``stimulus_variables`` (its coupling variables unless it declares others).

    Examples
    --------
    >>> from vbrain.datatypes.equations import PulseTrain
    >>> stim = StimulusRegion(temporal=PulseTrain(T=100.0, tau=5.0, onset=20.0),
    ...                       weight=[0.0, 1.0, 0.0, 0.5])
    >>> stim.evaluate([0.0, 21.0])[:, 1]
    array([0., 1.])
    """

    temporal: equation_field(TemporalEquation) = Attr(  # type: ignore[valid-type]
        default_factory=PulseTrain, doc="Time course f(t) of the stimulus (t in ms)."
    )
    weight: Array(float, 1) = Attr(doc="Weight of the stimulus in each region (spatial pattern).")
    variables: tuple[str, ...] | None = Attr(
        None, doc="State variables driven; None uses the model's stimulus_variables."
    )

    @pydantic.field_validator("variables", mode="before")
    @classmethod
    def _check_variable_names(cls, value: Any) -> tuple[str, ...] | None:
        return _check_variables(value)

    @classmethod
    def example(cls) -> StimulusRegion:
        """A pulse train on regions 1 and 3 of four."""
        return cls(
            temporal=PulseTrain(T=20.0, tau=5.0, amp=1.0, onset=2.0), weight=[0.0, 1.0, 0.0, 0.5]
        )

    @classmethod
    def from_labels(
        cls,
        connectivity: Connectivity,
        weights: Mapping[str, float],
        temporal: Any = None,
        variables: Sequence[str] | None = None,
    ) -> StimulusRegion:
        """Build from ``{region_label: weight}`` (other regions get 0).

        Raises when a label is not one of the connectivity's ``region_labels``.
        """
        weight = weights_from_labels(connectivity, weights)
        kwargs: dict[str, Any] = {"weight": weight, "variables": variables}
        if temporal is not None:
            kwargs["temporal"] = temporal
        return cls(**kwargs)

    def summary(self) -> dict[str, Any]:
        out = super().summary()
        out["temporal"] = self.temporal.type
        out["n_region"] = int(self.weight.size)
        out["n_stimulated"] = int(np.count_nonzero(self.weight))
        out["variables"] = None if self.variables is None else list(self.variables)
        return out

    def evaluate(self, times: Any) -> np.ndarray:
        """The stimulus ``(n_time, n_region)`` at ``times`` (ms)."""
        return self.temporal.evaluate(np.atleast_1d(times))[:, None] * self.weight[None, :]

    def bind(self, model: Model, connectivity: Connectivity, dt: float) -> StimulusPlan:
        """Check against a simulation and return its :class:`StimulusPlan`."""
        n_node = connectivity.n_region
        if self.weight.shape != (n_node,):
            raise ValidationError(
                f"StimulusRegion has {self.weight.size} weights but the connectivity has "
                f"{n_node} regions; give one weight per region (0 where not stimulated) or "
                "build it with StimulusRegion.from_labels(connectivity, {label: weight})"
            )
        stvar = _driven_variables(self.variables, model, "StimulusRegion")
        weights = np.ascontiguousarray(np.broadcast_to(self.weight, (stvar.size, n_node)))
        return StimulusPlan(
            stvar=stvar,
            n_node=n_node,
            dt=float(dt),
            separable=True,
            weights=weights.astype(float),
            temporal=self.temporal.evaluate,
            name="StimulusRegion",
        )


def weights_from_labels(connectivity: Connectivity, weights: Mapping[str, float]) -> np.ndarray:
    """Weight vector ``(n_region,)`` from ``{region_label: weight}`` (others 0)."""
    labels = list(connectivity.region_labels)
    out = np.zeros(len(labels))
    for label, value in weights.items():
        if label not in labels:
            lowered = {lab.lower(): lab for lab in labels}
            hits = difflib.get_close_matches(str(label).lower(), list(lowered), n=3)
            hint = f"; did you mean {', '.join(repr(lowered[h]) for h in hits)}?" if hits else ""
            shown = ", ".join(labels[:8]) + (", ..." if len(labels) > 8 else "")
            raise ValidationError(
                f"stimulus weight for unknown region label {label!r}{hint} (the connectivity "
                f"has {len(labels)} regions: {shown})"
            )
        value = float(value)
        if not np.isfinite(value):
            raise ValidationError(f"stimulus weight of region {label!r} is {value}, not finite")
        out[labels.index(label)] = value
    return out


# --------------------------------------------------------------------------------------------
# arrays and functions


def _check_array_shape(values: np.ndarray, n_sv: int, n_node: int, what: str) -> np.ndarray:
    """``(n, n_node)`` or ``(n, n_sv, n_node)`` -> ``(n, n_sv, n_node)``."""
    if values.ndim == 2 and values.shape[1] == n_node:
        return np.broadcast_to(values[:, None, :], (values.shape[0], n_sv, n_node))
    if values.ndim == 3 and values.shape[1:] == (n_sv, n_node):
        return values
    raise ValidationError(
        f"{what} has shape {values.shape}; expected (n_time, {n_node}) (one column per node) "
        f"or (n_time, {n_sv}, {n_node}) (per driven variable)"
    )


class StimulusArray(DataType):
    r"""A stimulus given sample by sample: row ``k`` is the input of step ``k + 1``.

    Row ``k`` holds the values at :math:`t = k\,\Delta t` (the start of step ``k + 1``, see the
    module's time convention), so ``n_time`` rows cover ``n_time`` steps: a run (with its
    continuations) may not go further.  ``dt`` must be the integration step (resample the
    input otherwise).  For an input computed while the simulation runs, use
    :class:`StimulusFunction` instead.

    Parameters
    ----------
    values
        ``(n_time, n_node)`` (the same input to every driven variable) or
        ``(n_time, n_var_driven, n_node)``.
    dt
        Sampling step of the rows (ms); must equal the integrator's ``dt``.
    variables
        Names of the state variables driven; None uses the model's ``stimulus_variables``.
    """

    values: Array(float) = Attr(doc="Samples (n_time, n_node) or (n_time, n_var_driven, n_node).")
    dt: float = Attr(
        ..., unit="ms", valid=(0.0, None), exclusive=True, doc="Sampling step of the rows."
    )
    variables: tuple[str, ...] | None = Attr(
        None, doc="State variables driven; None uses the model's stimulus_variables."
    )

    @pydantic.field_validator("variables", mode="before")
    @classmethod
    def _check_variable_names(cls, value: Any) -> tuple[str, ...] | None:
        return _check_variables(value)

    @pydantic.model_validator(mode="after")
    def _check_values(self) -> StimulusArray:
        if self.values.ndim not in (2, 3) or self.values.shape[0] == 0:
            raise ValueError(
                f"StimulusArray values have shape {self.values.shape}; expected (n_time, n_node) "
                "or (n_time, n_var_driven, n_node) with n_time >= 1"
            )
        return self

    @classmethod
    def example(cls) -> StimulusArray:
        """Ten samples of a ramp on two of four nodes (dt = 0.1 ms)."""
        values = np.zeros((10, 4))
        values[:, 1] = np.linspace(0.0, 1.0, 10)
        values[:, 2] = 0.5
        return cls(values=values, dt=0.1)

    def bind(self, model: Model, connectivity: Connectivity, dt: float) -> StimulusPlan:
        """Check against a simulation and return its :class:`StimulusPlan`."""
        if not np.isclose(self.dt, dt, rtol=1e-9, atol=0.0):
            raise ValidationError(
                f"StimulusArray is sampled at dt = {self.dt:g} ms but the integrator's dt is "
                f"{dt:g} ms; resample the values at the integration step"
            )
        n_node = connectivity.n_region
        stvar = _driven_variables(self.variables, model, "StimulusArray")
        values = _check_array_shape(self.values, stvar.size, n_node, "StimulusArray values")

        def full(step0: int, n_steps: int) -> np.ndarray:
            return values[step0 : step0 + n_steps]

        return StimulusPlan(
            stvar=stvar,
            n_node=n_node,
            dt=float(dt),
            separable=False,
            full=full,
            max_steps=int(values.shape[0]),
            name="StimulusArray",
        )


class StimulusFunction:
    r"""A stimulus computed by a Python callable, once per chunk of steps.

    ``function(t)`` receives the times ``t`` (ms, shape ``(n,)``; the start of each step, see
    the module's time convention) of a chunk and returns the inputs ``(n, n_node)`` or
    ``(n, n_var_driven, n_node)``.  It is called in time order, once per chunk (chunks follow
    ``Simulator(chunk_steps=...)``), so it may also read the state reached so far
    (``sim.current_state``) to close a loop at the chunk's granularity.

    Parameters
    ----------
    function
        The callable.
    variables
        Names of the state variables driven; None uses the model's ``stimulus_variables``.
    """

    def __init__(
        self,
        function: Callable[[np.ndarray], Any],
        variables: Sequence[str] | str | None = None,
    ) -> None:
        if not callable(function):
            raise ValidationError(f"StimulusFunction needs a callable, got {function!r}")
        self.function = function
        self.variables = _check_variables(variables)

    def __repr__(self) -> str:
        return f"StimulusFunction({self.function!r}, variables={self.variables!r})"

    def bind(self, model: Model, connectivity: Connectivity, dt: float) -> StimulusPlan:
        """Check against a simulation and return its :class:`StimulusPlan`."""
        n_node = connectivity.n_region
        stvar = _driven_variables(self.variables, model, "StimulusFunction")

        def full(step0: int, n_steps: int) -> np.ndarray:
            times = step_times(step0, n_steps, dt)
            values = np.asarray(self.function(times), dtype=float)
            if values.ndim in (2, 3) and values.shape[0] != n_steps:
                raise ValidationError(
                    f"StimulusFunction returned {values.shape[0]} time points for {n_steps} times"
                )
            values = _check_array_shape(values, stvar.size, n_node, "StimulusFunction output")
            if not np.all(np.isfinite(values)):
                raise ValidationError("StimulusFunction returned NaN or infinite values")
            return values

        return StimulusPlan(
            stvar=stvar,
            n_node=n_node,
            dt=float(dt),
            separable=False,
            full=full,
            name="StimulusFunction",
        )


Stimulus = StimulusRegion | StimulusArray | StimulusFunction
"""What ``Simulator(stimulus=...)`` accepts (a bare callable is wrapped in a
:class:`StimulusFunction`)."""


def as_stimulus(value: Any) -> StimulusRegion | StimulusArray | StimulusFunction | None:
    """Validate a ``stimulus=`` argument (None, a stimulus object or a callable)."""
    if value is None or isinstance(value, StimulusRegion | StimulusArray | StimulusFunction):
        return value
    if callable(value):
        return StimulusFunction(value)
    raise ValidationError(
        f"stimulus must be a StimulusRegion, StimulusArray, StimulusFunction or a callable "
        f"f(t_ms) -> (n_time, n_node), got {type(value).__name__}"
    )
