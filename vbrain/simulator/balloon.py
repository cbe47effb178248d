r"""The Balloon–Windkessel haemodynamic model: neural activity to BOLD signal.

Friston et al. 2000 (Balloon model with flow inducing signal) with the BOLD observation
equation and revised coefficients of Stephan et al. 2007, as in the reference system's
``BalloonModel`` analyzer.  Time is in **seconds** here (the simulator's is in ms).  For every
node, with neural input :math:`x(t)`:

.. math::

    \dot s &= x - s/\tau_s - (f - 1)/\tau_f          && \text{vasodilatory signal} \\
    \dot f &= s                                      && \text{blood inflow} \\
    \tau_o\,\dot v &= f - v^{1/\alpha}               && \text{venous volume} \\
    \tau_o\,\dot q &= f\,\frac{1 - (1 - E_0)^{1/f}}{E_0} - v^{1/\alpha}\,\frac{q}{v}
                                                     && \text{deoxyhaemoglobin} \\
    y &= V_0\,\bigl[k_1 (1 - q) + k_2 (1 - q/v) + k_3 (1 - v)\bigr]   && \text{BOLD}

with (Stephan 2007, eq. 12, "revised") :math:`k_1 = 4.3\,\nu_0 E_0\,TE`,
:math:`k_2 = \varepsilon\,r_0 E_0\,TE`, :math:`k_3 = 1 - \varepsilon`, or the classical
coefficients (Obata 2004; Stephan 2007 eq. 3) :math:`k_1 = 7 E_0`, :math:`k_2 = 2`,
:math:`k_3 = 2 E_0 - 0.2`.  The linearised observation equation is
:math:`y = V_0\,[(k_1 + k_2)(1 - q) + (k_3 - k_2)(1 - v)]`.  :math:`V_0 = 4` gives :math:`y`
in percent signal change.  The resting state is :math:`s = 0,\ f = v = q = 1,\ y = 0`.

The neural input is :math:`x = \mathrm{input\_scale}\,(T(u) - \mathrm{input\_offset})` where
:math:`u` is the recorded activity and :math:`T` the ``input_transform`` (``"none"``,
``"abs"`` or ``"abs_diff"`` = :math:`|du/dt|` in units per second).

Integration: each input sample is held constant over its interval and integrated with the
classical 4th-order Runge–Kutta scheme in sub-steps no longer than ``max_step`` (the reference
analyzer uses one Heun step per sample).  The loop is compiled with numba.

The model needs :math:`f > 0` and :math:`v > 0`.  A sustained input :math:`x` settles at
:math:`f = 1 + \tau_f x`, so inputs below :math:`-1/\tau_f` (-0.69 with the defaults) drive
the flow negative and the BOLD to NaN: scale and offset the activity so that it stays above.

References: Friston, Mechelli, Turner & Price 2000, NeuroImage 12: 466-477; Stephan,
Weiskopf, Drysdale, Robinson & Friston 2007, NeuroImage 38: 387-401; Obata et al. 2004,
NeuroImage 21: 144-153.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pydantic
from numpy.typing import ArrayLike

from vbrain.config.traits import Attr, Declared, ValidationError

__all__ = [
    "BalloonParameters",
    "balloon_bold_signal",
    "balloon_dfun",
    "balloon_steady_state",
    "compute_balloon_bold",
    "integrate_balloon",
]

N_STATE = 4
"""Balloon state variables, in this order: s, f, v, q."""
STATE_NAMES = ("s", "f", "v", "q")


class BalloonParameters(Declared):
    """Parameters of the Balloon–Windkessel model and of its neural input (see the module).

    Defaults are the reference system's (Stephan 2007 revised model for 1.5 T).
    """

    kind: ClassVar[str] = "balloon"

    tau_s: float = Attr(
        1.54,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_s",
        doc="Time constant of the decay of the vasodilatory signal.",
    )
    tau_f: float = Attr(
        1.44,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_f",
        doc="Time constant of the flow-dependent feedback (autoregulation).",
    )
    tau_o: float = Attr(
        0.98,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_o",
        doc="Haemodynamic transit time through the venous balloon (V0 / F0).",
    )
    alpha: float = Attr(
        0.32,
        valid=(0.0, None),
        exclusive=True,
        label="alpha",
        doc="Grubb's exponent (vessel stiffness): outflow = v^(1/alpha).",
    )
    TE: float = Attr(
        0.04, unit="s", valid=(0.0, None), exclusive=True, label="TE", doc="Echo time."
    )
    V0: float = Attr(
        4.0,
        valid=(0.0, None),
        exclusive=True,
        label="V_0",
        doc="Resting venous blood volume fraction, in percent (4 gives BOLD in percent).",
    )
    E0: float = Attr(
        0.4,
        valid=(0.0, 1.0),
        exclusive=True,
        label="E_0",
        doc="Resting oxygen extraction fraction.",
    )
    epsilon: float = Attr(
        0.5,
        valid=(0.0, None),
        exclusive=True,
        label="epsilon",
        doc="Ratio of intra- to extravascular signal.",
    )
    nu_0: float = Attr(
        40.3,
        unit="Hz",
        valid=(0.0, None),
        label="nu_0",
        doc="Frequency offset at the outer surface of magnetised vessels (revised model).",
    )
    r_0: float = Attr(
        25.0,
        unit="Hz",
        valid=(0.0, None),
        label="r_0",
        doc="Slope of the intravascular relaxation rate against oxygen saturation (revised).",
    )
    coefficients: str = Attr(
        "revised",
        options=["revised", "classical"],
        doc="BOLD coefficients k1, k2, k3: Stephan 2007 'revised' or Obata 2004 'classical'.",
    )
    bold_model: str = Attr(
        "nonlinear",
        options=["nonlinear", "linear"],
        doc="Observation equation: the nonlinear one or its linearisation around rest.",
    )
    input_transform: str = Attr(
        "none",
        options=["none", "abs", "abs_diff"],
        doc="Transform T of the recorded activity u before scaling: u itself, |u|, or "
        "|du/dt| (units per second, from successive samples).",
    )
    input_scale: float = Attr(
        1.0,
        label="input scale",
        doc="Gain from the transformed activity to the neural input x (1/s per unit).",
    )
    input_offset: float = Attr(
        0.0,
        label="input offset",
        doc="Baseline subtracted from the transformed activity before scaling: the activity "
        "level that leaves the haemodynamics at rest.",
    )
    max_step: float = Attr(
        4.0,
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        label="max integration step",
        doc="Longest RK4 step; each input sample is integrated in ceil(interval / max_step) steps.",
    )

    @pydantic.model_validator(mode="after")
    def _check_finite(self) -> BalloonParameters:
        for name in ("input_scale", "input_offset"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} = {getattr(self, name)} must be finite")
        return self

    # -- derived quantities ---------------------------------------------------------------

    def bold_coefficients(self) -> tuple[float, float, float]:
        """``(k1, k2, k3)`` of the observation equation."""
        if self.coefficients == "classical":
            return 7.0 * self.E0, 2.0, 2.0 * self.E0 - 0.2
        k1 = 4.3 * self.nu_0 * self.E0 * self.TE
        k2 = self.epsilon * self.r_0 * self.E0 * self.TE
        return k1, k2, 1.0 - self.epsilon

    def n_substeps(self, interval_ms: float) -> int:
        """RK4 steps per input sample of length ``interval_ms``."""
        return max(1, int(math.ceil(interval_ms / self.max_step - 1e-9)))

    def transform_input(
        self, u: np.ndarray, dt_ms: float, previous: np.ndarray | None = None
    ) -> np.ndarray:
        r"""Neural input :math:`x = \mathrm{input\_scale}\,(T(u) - \mathrm{input\_offset})`.

        ``u`` has time first; ``previous`` is the sample before ``u[0]`` (``"abs_diff"``;
        by default ``u[0]`` itself, i.e. a zero first derivative).
        """
        u = np.asarray(u, dtype=float)
        if self.input_transform == "abs":
            t = np.abs(u)
        elif self.input_transform == "abs_diff":
            before = u[:1] if previous is None else np.asarray(previous, dtype=float)[None]
            t = np.abs(np.diff(u, axis=0, prepend=before)) / (dt_ms * 1e-3)
        else:
            t = u
        if self.input_offset == 0.0 and self.input_scale == 1.0:
            return t
        return self.input_scale * (t - self.input_offset)


# --------------------------------------------------------------------------------------------
# the model


def balloon_dfun(state: ArrayLike, x: ArrayLike, params: BalloonParameters) -> np.ndarray:
    """Time derivative (per second) of the state ``(4, ...)`` = (s, f, v, q) under input x."""
    s, f, v, q = np.asarray(state, dtype=float)
    p = params
    outflow = v ** (1.0 / p.alpha)
    extraction = 1.0 - (1.0 - p.E0) ** (1.0 / f)
    return np.array(
        [
            x - s / p.tau_s - (f - 1.0) / p.tau_f,
            s,
            (f - outflow) / p.tau_o,
            (f * extraction / p.E0 - outflow * q / v) / p.tau_o,
        ]
    )


def balloon_steady_state(x: ArrayLike, params: BalloonParameters) -> np.ndarray:
    r"""The fixed point ``(4, ...)`` under a constant neural input ``x``.

    Setting every derivative to zero:

    - :math:`\dot f = s = 0`;
    - :math:`\dot s = x - (f - 1)/\tau_f = 0 \Rightarrow f = 1 + \tau_f\,x`;
    - :math:`\dot v = 0 \Rightarrow v^{1/\alpha} = f \Rightarrow v = f^{\alpha}`;
    - :math:`\dot q = 0 \Rightarrow f\,E(f)/E_0 = v^{1/\alpha}\,q/v = f\,q/v
      \Rightarrow q = v\,E(f)/E_0` with :math:`E(f) = 1 - (1 - E_0)^{1/f}`.

    At :math:`x = 0` this is the resting state (0, 1, 1, 1).  Requires :math:`f > 0`,
    i.e. :math:`x > -1/\tau_f`.
    """
    x = np.asarray(x, dtype=float)
    f = 1.0 + params.tau_f * x
    if np.any(f <= 0):
        raise ValidationError(
            f"no steady state for neural input below -1/tau_f = {-1.0 / params.tau_f:g}: the "
            "blood flow would be negative"
        )
    v = f**params.alpha
    q = v * (1.0 - (1.0 - params.E0) ** (1.0 / f)) / params.E0
    return np.array([np.zeros_like(f), f, v, q])


def balloon_bold_signal(state: ArrayLike, params: BalloonParameters) -> np.ndarray:
    """BOLD signal of states with the (s, f, v, q) axis first (nonlinear or linear model)."""
    state = np.asarray(state, dtype=float)
    v, q = state[2], state[3]
    k1, k2, k3 = params.bold_coefficients()
    if params.bold_model == "linear":
        return params.V0 * ((k1 + k2) * (1.0 - q) + (k3 - k2) * (1.0 - v))
    return params.V0 * (k1 * (1.0 - q) + k2 * (1.0 - q / v) + k3 * (1.0 - v))


def _kernel_params(params: BalloonParameters) -> np.ndarray:
    return np.array(
        [1.0 / params.tau_s, 1.0 / params.tau_f, 1.0 / params.tau_o, 1.0 / params.alpha, params.E0]
    )


def integrate_balloon(
    x: np.ndarray,
    state: np.ndarray,
    dt_ms: float,
    params: BalloonParameters,
    *,
    first: int = 0,
    every: int = 1,
) -> np.ndarray:
    """Advance ``state (4, F)`` in place through the inputs ``x (n, F)`` (neural input, after
    :meth:`BalloonParameters.transform_input`), one sample of ``dt_ms`` each.

    Returns the states after the samples ``first, first + every, ...`` as ``(n_rec, 4, F)``.
    """
    from vbrain.simulator._balloon_kernel import integrate_series

    x = np.ascontiguousarray(x, dtype=float)
    n = x.shape[0]
    n_rec = 0 if n <= first else (n - 1 - first) // every + 1
    out = np.empty((n_rec, N_STATE, x.shape[1]))
    integrate_series(
        x,
        state,
        dt_ms * 1e-3,
        params.n_substeps(dt_ms),
        _kernel_params(params),
        int(first),
        int(every),
        out,
    )
    return out


def compute_balloon_bold(
    neural: ArrayLike,
    dt_ms: float,
    params: BalloonParameters | None = None,
    *,
    initial_state: ArrayLike | None = None,
    return_state: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """BOLD signal of a neural activity series, offline.

    Parameters
    ----------
    neural
        Activity ``(n_time, ...)`` sampled every ``dt_ms`` (e.g. a TemporalAverage
        recording ``(n_time, n_var, n_node, n_mode)``); every trailing entry gets its own
        Balloon model.  Sample ``i`` is the mean activity over ``(t_i - dt, t_i]``.
    dt_ms
        Sample spacing (ms).
    params
        Model and input parameters (default: :class:`BalloonParameters` defaults).
    initial_state
        ``(4, ...)`` state before the first sample (default: rest, 0, 1, 1, 1).
    return_state
        Also return the final state ``(4, ...)`` (to continue with the next series).

    Returns
    -------
    bold
        ``(n_time, ...)``: the BOLD signal after each sample (at :math:`t_i`).  The reference
        analyzer instead starts at rest at the first sample and integrates from the second.
    """
    params = BalloonParameters() if params is None else params
    u = np.asarray(neural, dtype=float)
    if u.ndim < 1 or u.shape[0] == 0:
        raise ValidationError(f"neural must have a time axis first, got shape {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValidationError("neural activity contains NaN or infinite values")
    if not (isinstance(dt_ms, int | float) and math.isfinite(dt_ms) and dt_ms > 0):
        raise ValidationError(f"dt_ms = {dt_ms!r} must be a finite number > 0 (ms)")
    trailing = u.shape[1:]
    flat = int(np.prod(trailing, dtype=np.int64))
    x = params.transform_input(u, dt_ms).reshape(u.shape[0], flat)
    if initial_state is None:
        state = np.zeros((N_STATE, flat))
        state[1:] = 1.0
    else:
        init = np.asarray(initial_state, dtype=float)
        if init.shape != (N_STATE, *trailing):
            raise ValidationError(
                f"initial_state has shape {init.shape}; expected {(N_STATE, *trailing)}"
            )
        state = init.reshape(N_STATE, flat).copy()
    states = integrate_balloon(x, state, dt_ms, params)
    bold = balloon_bold_signal(states.transpose(1, 0, 2), params).reshape(u.shape)
    if return_state:
        return bold, state.reshape(N_STATE, *trailing)
    return bold
