r"""Equations: named functions of one variable with declared parameters.

An :class:`Equation` declares its parameters as fields (default, unit, doc) and evaluates its
formula vectorised over a numpy array with :meth:`Equation.evaluate`.  Every concrete equation
is registered by class name (:func:`get`, :func:`list_equations`), and dumps with its class
name under ``"type"`` so that a field holding "any equation of this family" survives a
``to_dict`` / JSON round trip (:func:`equation_field`).

Units of the variable
---------------------
Each family states the unit of the variable it is evaluated on in
:attr:`Equation.variable_unit`:

- haemodynamic response kernels (:class:`HRFKernelEquation`: :class:`Gamma`,
  :class:`DoubleExponential`, :class:`FirstOrderVolterra`, :class:`MixtureOfGammas`) take the
  time since the neural event **in seconds** (as in the reference system, whose BOLD monitor
  evaluates them on seconds although simulation time is in ms);
- temporal (stimulus) equations (:class:`TemporalEquation`: :class:`Linear`,
  :class:`Gaussian`, :class:`DoubleGaussian`, :class:`Sigmoid`, :class:`GeneralizedSigmoid`,
  :class:`Sinusoid`, :class:`Cosine`, :class:`Alpha`, :class:`PulseTrain`) take simulation
  time in **ms**;
- spatial equations (:class:`SpatialEquation`: :class:`Gaussian`, :class:`DoubleGaussian`,
  :class:`Sigmoid`, :class:`Discrete`) take a distance in **mm**.  The three shapes that
  belong to both families (as in the reference system) state ``variable_unit = "ms|mm"``.

Equations are parameters of other objects (monitors, stimuli, local connectivity), not stored
datasets, so they are :class:`~vbrain.config.traits.Declared` objects rather than datatypes.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar

import numpy as np
import pydantic
from numpy.typing import ArrayLike
from scipy import optimize, special

from vbrain.config.registry import Registry
from vbrain.config.traits import Attr, Declared, ValidationError

__all__ = [
    "Alpha",
    "Cosine",
    "Discrete",
    "DoubleExponential",
    "DoubleGaussian",
    "Equation",
    "FirstOrderVolterra",
    "Gamma",
    "Gaussian",
    "GeneralizedSigmoid",
    "HRFKernelEquation",
    "Linear",
    "MixtureOfGammas",
    "PulseTrain",
    "Sigmoid",
    "Sinusoid",
    "SpatialEquation",
    "TemporalEquation",
    "equation_field",
    "get",
    "list_equations",
]

_REGISTRY: Registry[Equation] = Registry(
    "equation",
    # the reference system's class and user-interface names
    aliases={"discreteequation": "Discrete", "mexicanhat": "DoubleGaussian"},
)


class Equation(Declared):
    r"""Base class of equations :math:`y = f(\mathrm{var}; \theta)`.

    Subclasses declare their parameters :math:`\theta` as fields, write the formula in their
    docstring and implement :meth:`_formula`.  Families of equations (HRF kernels, temporal
    and spatial equations) are intermediate classes marked ``abstract = True`` in their class
    body; they are not registered.
    """

    kind: ClassVar[str] = "equation"
    abstract: ClassVar[bool] = True
    variable_unit: ClassVar[str] = ""
    """Unit of the variable the equation is evaluated on ("s", "ms", "mm"...)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract", False):
            _REGISTRY.add(cls)

    @pydantic.model_validator(mode="before")
    @classmethod
    def _accept_type_tag(cls, data: Any) -> Any:
        # dumps carry the class name (see `type`); accept it back when it names this class
        if isinstance(data, dict) and "type" in data:
            data = dict(data)
            name = data.pop("type")
            if str(name).lower() != cls.__name__.lower():
                raise ValueError(
                    f"{cls.__name__} cannot be built from a {name!r} equation; use "
                    f"vbrain.datatypes.equations.get({name!r})"
                )
        return data

    @pydantic.computed_field  # type: ignore[prop-decorator]
    @property
    def type(self) -> str:
        """Class name, written in dumps so that the equation can be rebuilt from them."""
        return type(self).__name__

    @property
    def parameters(self) -> dict[str, float]:
        """The parameter values by name (the reference system's ``parameters`` dict)."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    def evaluate(self, var: ArrayLike) -> np.ndarray:
        """The equation at every point of ``var`` (in :attr:`variable_unit`), same shape."""
        x = np.asarray(var, dtype=float)
        return np.asarray(self._formula(x), dtype=float)

    def __call__(self, var: ArrayLike) -> np.ndarray:
        return self.evaluate(var)

    def _formula(self, var: np.ndarray) -> np.ndarray:
        raise NotImplementedError


# --------------------------------------------------------------------------------------------
# haemodynamic response function kernels


class HRFKernelEquation(Equation):
    r"""Base class of haemodynamic response function (HRF) kernels :math:`h(t)`.

    The variable is the time since the neural event in **seconds**.  Kernels are causal:
    :math:`h(t) = 0` for :math:`t < 0`.  The :class:`~vbrain.simulator.monitors.Bold` monitor
    convolves interim averages of the neural activity with :math:`h` and passes the result
    through :meth:`bold_from_convolution` (identity here).
    """

    abstract: ClassVar[bool] = True
    variable_unit: ClassVar[str] = "s"

    def evaluate(self, var: ArrayLike) -> np.ndarray:
        t = np.asarray(var, dtype=float)
        # evaluate on t >= 0 only: the formulas are not meant for negative times
        # (powers of negative numbers, growing exponentials)
        past = t >= 0
        out = np.zeros(t.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            out[past] = self._formula(t[past])
        return out

    def bold_from_convolution(self, conv: np.ndarray) -> np.ndarray:
        """Map the kernel convolution to the BOLD signal (identity; Volterra rescales)."""
        return conv


class Gamma(HRFKernelEquation):
    r"""Gamma-shaped HRF (Boynton et al. 1996), normalised to a peak of ``a``.

    .. math::

        g(t) = \frac{(t/\tau)^{n-1}\, e^{-t/\tau}}{\tau\,(n-1)!}, \qquad
        h(t) = a\,\frac{g(t)}{\max_{t \ge 0} g}
             = a \left(\frac{t}{(n-1)\tau}\right)^{n-1} e^{(n-1) - t/\tau}

    (the peak is at :math:`t = (n-1)\tau`; for :math:`n = 1`, :math:`h = a\,e^{-t/\tau}`).

    The reference system divides by the maximum over the points it is evaluated on; the
    analytic maximum used here is the same whenever those points include the peak (the BOLD
    monitor's 4 ms grid does, to within 1e-6) and makes :meth:`evaluate` pointwise.
    Reference: Boynton, Engel, Glover & Heeger 1996, J Neurosci 16: 4207-4221.
    """

    tau: float = Attr(
        1.08,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau",
        doc="Time constant of the gamma function.",
    )
    n: float = Attr(
        3.0,
        valid=(1.0, None),
        label="n",
        doc="Shape (phase delay) of the gamma function; the peak is at (n - 1) * tau.",
    )
    a: float = Attr(0.1, label="a", doc="Amplitude (peak value) after normalisation.")

    def _formula(self, t: np.ndarray) -> np.ndarray:
        k = self.n - 1.0
        # xlogy(0, 0) = 0 keeps n = 1 (a pure exponential) and t = 0 well defined
        log_h = special.xlogy(k, t / self.tau) - special.xlogy(k, k) + k - t / self.tau
        return self.a * np.exp(log_h)


class DoubleExponential(HRFKernelEquation):
    r"""Difference of two damped sines (Polonsky et al. 2000), normalised to a peak of ``a``.

    .. math::

        g(t) = A_1 e^{-t/\tau_1}\sin(2\pi f_1 t) - A_2 e^{-t/\tau_2}\sin(2\pi f_2 t),
        \qquad h(t) = a\,\frac{g(t)}{\max_{t \ge 0} g}

    The maximum is found numerically over :math:`t \ge 0` (the reference system takes it over
    the points evaluated; the same to ~1e-6 on the BOLD monitor's 4 ms grid of 20 s, whose
    maximum with the defaults is at 5.94 s).
    Reference: Polonsky, Blake, Braun & Heeger 2000, Nat Neurosci 3: 1153-1159.
    """

    tau_1: float = Attr(
        7.22,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_1",
        doc="Decay time of the first damped sine.",
    )
    f_1: float = Attr(0.03, unit="Hz", label="f_1", doc="Frequency of the first sine.")
    amp_1: float = Attr(0.1, label="amp_1", doc="Amplitude of the first damped sine.")
    tau_2: float = Attr(
        7.4,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_2",
        doc="Decay time of the second damped sine.",
    )
    f_2: float = Attr(0.12, unit="Hz", label="f_2", doc="Frequency of the second sine.")
    amp_2: float = Attr(0.1, label="amp_2", doc="Amplitude of the second damped sine.")
    a: float = Attr(0.1, label="a", doc="Amplitude (peak value) after normalisation.")

    def _raw(self, t: np.ndarray | float) -> np.ndarray:
        return self.amp_1 * np.exp(-t / self.tau_1) * np.sin(
            2.0 * np.pi * self.f_1 * t
        ) - self.amp_2 * np.exp(-t / self.tau_2) * np.sin(2.0 * np.pi * self.f_2 * t)

    def peak(self) -> tuple[float, float]:
        """``(t_max, g_max)``: where the unnormalised kernel is largest for t >= 0 (s)."""
        # both terms have decayed by e^-12 after 12 time constants; sample finely enough to
        # resolve the faster sine, then polish the best grid point
        t_end = 12.0 * max(self.tau_1, self.tau_2)
        n = int(min(2_000_000, max(10_000, 50 * t_end * max(abs(self.f_1), abs(self.f_2), 1e-3))))
        grid = np.linspace(0.0, t_end, n)
        values = self._raw(grid)
        i = int(np.argmax(values))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, n - 1)]
        res = optimize.minimize_scalar(
            lambda x: -float(self._raw(x)),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-10},
        )
        t_max, g_max = (
            (float(res.x), -float(res.fun)) if -res.fun > values[i] else (grid[i], values[i])
        )
        if not g_max > 0:
            raise ValidationError(
                "DoubleExponential kernel is never positive for t >= 0, so it cannot be "
                "normalised to a peak of a; check amp_1, amp_2, f_1, f_2"
            )
        return float(t_max), float(g_max)

    def _formula(self, t: np.ndarray) -> np.ndarray:
        return self.a * self._raw(t) / self.peak()[1]


class FirstOrderVolterra(HRFKernelEquation):
    r"""First-order Volterra kernel of the Balloon model (Friston et al. 2000): a damped
    oscillator.

    .. math::

        h(t) = \frac{1}{3}\, e^{-t/(2\tau_s)}\, \frac{\sin(\omega t)}{\omega}, \qquad
        \omega = \sqrt{\frac{1}{\tau_f} - \frac{1}{4\tau_s^2}}

    It is the response of the linearised flow equation
    :math:`\ddot f + \dot f/\tau_s + (f - 1)/\tau_f = x` to a unit impulse (times 1/3), so
    :math:`\tau_s` is a time (s) and :math:`1/\tau_f` a squared angular frequency
    (:math:`\tau_f` in s²).  The kernel must oscillate: :math:`4\tau_s^2 > \tau_f`.
    With the defaults it peaks at 0.80 s and crosses zero at 2.16 s.

    The BOLD monitor turns the convolution :math:`y = h * x` into
    :math:`\mathrm{BOLD} = (y - 1)\,k_1 V_0` (:meth:`bold_from_convolution`), as the reference
    system does.
    Reference: Friston, Mechelli, Turner & Price 2000, NeuroImage 12: 466-477.
    """

    tau_s: float = Attr(
        0.8,
        unit="s",
        valid=(0.0, None),
        exclusive=True,
        label="tau_s",
        doc="Signal decay time (the envelope decays as exp(-t / (2 tau_s))).",
    )
    tau_f: float = Attr(
        0.4,
        unit="s^2",
        valid=(0.0, None),
        exclusive=True,
        label="tau_f",
        doc="Feedback (autoregulation) constant: 1 / tau_f is the squared angular frequency "
        "of the undamped oscillator.",
    )
    k_1: float = Attr(5.6, label="k_1", doc="First Volterra kernel coefficient.")
    V_0: float = Attr(0.02, label="V_0", doc="Resting blood volume fraction.")

    @pydantic.model_validator(mode="after")
    def _check_oscillating(self) -> FirstOrderVolterra:
        if not 4.0 * self.tau_s**2 > self.tau_f:
            raise ValueError(
                f"FirstOrderVolterra needs 4 tau_s^2 > tau_f (an oscillating kernel); got "
                f"tau_s = {self.tau_s} s, tau_f = {self.tau_f} s^2: raise tau_s or lower tau_f"
            )
        return self

    @property
    def omega(self) -> float:
        """Angular frequency (rad/s) of the damped oscillation."""
        return math.sqrt(1.0 / self.tau_f - 1.0 / (4.0 * self.tau_s**2))

    def _formula(self, t: np.ndarray) -> np.ndarray:
        w = self.omega
        return np.exp(-0.5 * t / self.tau_s) * np.sin(w * t) / (3.0 * w)

    def bold_from_convolution(self, conv: np.ndarray) -> np.ndarray:
        r""":math:`(y - 1)\,k_1 V_0`, the reference system's BOLD from the Volterra kernel."""
        return (conv - 1.0) * (self.k_1 * self.V_0)


class MixtureOfGammas(HRFKernelEquation):
    r"""Difference of two gamma densities, an SPM-like HRF with an undershoot (Glover 1999).

    .. math::

        h(t) = \frac{(\lambda t)^{a_1 - 1} e^{-\lambda t}}{\Gamma(a_1)}
             - c\,\frac{(\lambda t)^{a_2 - 1} e^{-\lambda t}}{\Gamma(a_2)}

    (as in the reference system: gamma densities in :math:`\lambda t` without the factor
    :math:`\lambda`).  With the defaults the response peaks near 5 s and undershoots near
    12 s.  Reference: Glover 1999, NeuroImage 9: 416-429.
    """

    a_1: float = Attr(
        6.0, valid=(0.0, None), exclusive=True, label="a_1", doc="Shape of the first gamma."
    )
    a_2: float = Attr(
        13.0, valid=(0.0, None), exclusive=True, label="a_2", doc="Shape of the second gamma."
    )
    l: float = Attr(  # noqa: E741 - the reference's name
        1.0,
        unit="1/s",
        valid=(0.0, None),
        exclusive=True,
        label="lambda",
        doc="Rate (inverse scale) of both gammas.",
    )
    c: float = Attr(0.4, label="c", doc="Weight of the second (undershoot) gamma.")

    def _formula(self, t: np.ndarray) -> np.ndarray:
        lt = self.l * t
        # in logs, with xlogy(0, 0) = 0, so that shapes <= 1 and t = 0 are well defined
        first = np.exp(special.xlogy(self.a_1 - 1.0, lt) - lt - special.gammaln(self.a_1))
        second = np.exp(special.xlogy(self.a_2 - 1.0, lt) - lt - special.gammaln(self.a_2))
        return first - self.c * second


# --------------------------------------------------------------------------------------------
# temporal (stimulus) and spatial (local connectivity, surface stimulus) equations

_PI_OVER_SQRT3 = 1.8137993642342178
"""pi / sqrt(3): scales the sigmoids' slope so that ``sigma`` is the standard deviation of the
logistic distribution whose cumulative distribution they are (the reference's constant)."""


class TemporalEquation(Equation):
    r"""Base class of temporal equations :math:`f(t)`: the time course of a stimulus.

    The variable is the simulation time in **ms** (parameters with a time unit are in ms,
    frequencies in 1/ms = kHz).  Stimuli evaluate them at the start of every integration step,
    :math:`t = (n - 1)\,\Delta t` for step :math:`n` (see :mod:`vbrain.simulator.stimuli`).
    """

    abstract: ClassVar[bool] = True
    variable_unit: ClassVar[str] = "ms"


class SpatialEquation(Equation):
    r"""Base class of spatial equations :math:`f(d)`: a profile over a distance in **mm**.

    Used for the kernels of local connectivity and for the spatial patterns of surface stimuli
    (evaluated on geodesic distances from focal points).
    """

    abstract: ClassVar[bool] = True
    variable_unit: ClassVar[str] = "mm"


_BOTH = "ms|mm"
"""Unit of the variable (and of parameters on its axis) of the equations that belong to both
families: ms as a temporal equation, mm as a spatial one."""


def _positive(default: float, unit: str | None, label: str, doc: str) -> Any:
    return Attr(default, unit=unit, label=label, doc=doc, valid=(0.0, None), exclusive=True)


class Linear(TemporalEquation):
    r"""A straight line: :math:`f(t) = a\,t + b` (a ramp input)."""

    a: float = Attr(1.0, unit="1/ms", label="a", doc="Slope (stimulus units per ms).")
    b: float = Attr(0.0, label="b", doc="Value at t = 0.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        return self.a * var + self.b


class Gaussian(TemporalEquation, SpatialEquation):
    r"""A Gaussian bump:

    .. math::

        f(x) = A \exp\!\left(-\frac{(x - \mu)^2}{2\sigma^2}\right) + c

    with amplitude :math:`A` (``amp``), centre :math:`\mu` (``midpoint``), width
    :math:`\sigma` (``sigma``) and ``offset`` :math:`c`.  Temporal (x = t in ms) or spatial
    (x = distance in mm).
    """

    variable_unit: ClassVar[str] = _BOTH

    amp: float = Attr(1.0, label="amp", doc="Amplitude of the bump.")
    sigma: float = _positive(1.0, _BOTH, "sigma", "Width (standard deviation) of the bump.")
    midpoint: float = Attr(0.0, unit=_BOTH, label="midpoint", doc="Centre of the bump.")
    offset: float = Attr(0.0, label="offset", doc="Constant added everywhere.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        return self.amp * np.exp(-((var - self.midpoint) ** 2) / (2.0 * self.sigma**2)) + (
            self.offset
        )


class DoubleGaussian(TemporalEquation, SpatialEquation):
    r"""A Mexican hat: the difference of two Gaussians,

    .. math::

        f(x) = A_1 \exp\!\left(-\frac{(x - \mu_1)^2}{2\sigma_1^2}\right)
             - A_2 \exp\!\left(-\frac{(x - \mu_2)^2}{2\sigma_2^2}\right)

    With the defaults (:math:`A_1 = 0.5, \sigma_1 = 20, A_2 = 1, \sigma_2 = 10`) the narrow
    Gaussian is subtracted from the wide one: inhibition near the centre, excitation further
    out.  Temporal (x = t in ms) or spatial (x = distance in mm); also known as
    ``MexicanHat``.
    """

    variable_unit: ClassVar[str] = _BOTH

    amp_1: float = Attr(0.5, label="amp_1", doc="Amplitude of the first Gaussian.")
    sigma_1: float = _positive(20.0, _BOTH, "sigma_1", "Width of the first Gaussian.")
    midpoint_1: float = Attr(0.0, unit=_BOTH, label="midpoint_1", doc="Centre of the first.")
    amp_2: float = Attr(1.0, label="amp_2", doc="Amplitude of the second (subtracted) Gaussian.")
    sigma_2: float = _positive(10.0, _BOTH, "sigma_2", "Width of the second Gaussian.")
    midpoint_2: float = Attr(0.0, unit=_BOTH, label="midpoint_2", doc="Centre of the second.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        first = self.amp_1 * np.exp(-((var - self.midpoint_1) ** 2) / (2.0 * self.sigma_1**2))
        second = self.amp_2 * np.exp(-((var - self.midpoint_2) ** 2) / (2.0 * self.sigma_2**2))
        return first - second


class Sigmoid(TemporalEquation, SpatialEquation):
    r"""A decreasing sigmoid (a soft disc of the given radius):

    .. math::

        f(x) = \frac{A}{1 + \exp\!\left(-\frac{\pi}{\sqrt 3}\,\frac{r - x}{\sigma}\right)} + c

    :math:`f(r) = A/2 + c`; :math:`\sigma` sets the width of the edge.  Temporal (x = t in ms:
    on until about :math:`t = r`) or spatial (x = distance in mm).
    """

    variable_unit: ClassVar[str] = _BOTH

    amp: float = Attr(1.0, label="amp", doc="Amplitude (value far inside the radius).")
    radius: float = Attr(5.0, unit=_BOTH, label="radius", doc="Where f is half the amplitude.")
    sigma: float = _positive(1.0, _BOTH, "sigma", "Width of the edge.")
    offset: float = Attr(0.0, label="offset", doc="Constant added everywhere.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # exp -> inf far outside gives the exact limit 0
            edge = np.exp(-_PI_OVER_SQRT3 * (self.radius - var) / self.sigma)
        return self.amp / (1.0 + edge) + self.offset


class GeneralizedSigmoid(TemporalEquation):
    r"""An increasing sigmoid from ``low`` to ``high`` (a smooth switch-on):

    .. math::

        f(t) = l + \frac{h - l}{1 + \exp\!\left(-\frac{\pi}{\sqrt 3}\,
               \frac{t - t_m}{\sigma}\right)}
    """

    low: float = Attr(0.0, label="low", doc="Value long before the midpoint.")
    high: float = Attr(1.0, label="high", doc="Value long after the midpoint.")
    midpoint: float = Attr(1.0, unit="ms", label="midpoint", doc="Time of the half-way value.")
    sigma: float = _positive(0.3, "ms", "sigma", "Duration of the rise.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            edge = np.exp(-_PI_OVER_SQRT3 * (var - self.midpoint) / self.sigma)
        return self.low + (self.high - self.low) / (1.0 + edge)


class Sinusoid(TemporalEquation):
    r"""A sine wave: :math:`f(t) = A \sin(2\pi \nu t)` (:math:`\nu` in 1/ms = kHz)."""

    amp: float = Attr(1.0, label="amp", doc="Amplitude.")
    frequency: float = Attr(
        0.01, unit="1/ms", label="frequency", doc="Frequency in kHz (0.01 = 10 Hz)."
    )

    def _formula(self, var: np.ndarray) -> np.ndarray:
        return self.amp * np.sin(2.0 * np.pi * self.frequency * var)


class Cosine(TemporalEquation):
    r"""A cosine wave: :math:`f(t) = A \cos(2\pi \nu t)` (:math:`\nu` in 1/ms = kHz)."""

    amp: float = Attr(1.0, label="amp", doc="Amplitude.")
    frequency: float = Attr(
        0.01, unit="1/ms", label="frequency", doc="Frequency in kHz (0.01 = 10 Hz)."
    )

    def _formula(self, var: np.ndarray) -> np.ndarray:
        return self.amp * np.cos(2.0 * np.pi * self.frequency * var)


class Alpha(TemporalEquation):
    r"""A bi-exponential (alpha) pulse starting at ``onset``:

    .. math::

        f(t) = \frac{\alpha\beta}{\beta - \alpha}
               \left(e^{-\alpha (t - t_0)} - e^{-\beta (t - t_0)}\right)
        \quad (t > t_0), \qquad f(t) = 0 \quad (t \le t_0)

    Its integral over :math:`t > t_0` is 1.  For :math:`\alpha = \beta` the formula's limit
    :math:`\alpha^2 (t - t_0)\, e^{-\alpha (t - t_0)}` is used (the reference divides by
    zero there).
    """

    onset: float = Attr(0.5, unit="ms", label="onset", doc="Start of the pulse.")
    alpha: float = _positive(13.0, "1/ms", "alpha", "First rate constant.")
    beta: float = _positive(42.0, "1/ms", "beta", "Second rate constant.")

    def _formula(self, var: np.ndarray) -> np.ndarray:
        s = var - self.onset
        out = np.zeros(var.shape)
        on = s > 0  # evaluated only after the onset: no overflow of exp before it
        so = s[on]
        a, b = self.alpha, self.beta
        if a == b:
            out[on] = a * a * so * np.exp(-a * so)
        else:
            out[on] = (a * b) / (b - a) * (np.exp(-a * so) - np.exp(-b * so))
        return out


class PulseTrain(TemporalEquation):
    r"""Rectangular pulses of width :math:`\tau` repeated every :math:`T`, from ``onset`` on:

    .. math::

        f(t) = A \quad \text{if } t > t_0 \text{ and } ((t - t_0) \bmod T) < \tau,
        \qquad 0 \text{ otherwise.}
    """

    T: float = _positive(42.0, "ms", "T", "Pulse repetition period.")
    tau: float = Attr(
        13.0, unit="ms", label="tau", valid=(0.0, None), doc="Pulse width (0 <= tau <= T)."
    )
    amp: float = Attr(1.0, label="amp", doc="Pulse amplitude.")
    onset: float = Attr(30.0, unit="ms", label="onset", doc="Start of the first pulse.")

    @pydantic.model_validator(mode="after")
    def _check_width(self) -> PulseTrain:
        if self.tau > self.T:
            raise ValueError(
                f"PulseTrain pulse width tau = {self.tau} ms exceeds the period T = {self.T} ms; "
                "use tau <= T (tau = T gives a constant input after the onset)"
            )
        return self

    def _formula(self, var: np.ndarray) -> np.ndarray:
        s = var - self.onset
        return np.where((s > 0) & (np.mod(s, self.T) < self.tau), self.amp, 0.0)


class Discrete(SpatialEquation):
    r"""The identity, :math:`f(x) = x`: values given point by point (e.g. one per region).

    The reference system's ``DiscreteEquation``, the spatial pattern of region stimuli.
    """

    def _formula(self, var: np.ndarray) -> np.ndarray:
        return var.copy()


# --------------------------------------------------------------------------------------------
# registry and fields holding "any equation of a family"


def get(name: str) -> type[Equation]:
    """Equation class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_equations(family: type[Equation] | None = None) -> list[str]:
    """Names of the registered equations, optionally only those of one family."""
    names = _REGISTRY.names()
    if family is None:
        return names
    return [n for n in names if issubclass(_REGISTRY.get(n), family)]


def _coerce(value: Any, family: type[Equation]) -> Any:
    """Build an equation of ``family`` from an instance, a class name or a tagged dict."""
    if isinstance(value, str):
        value = {"type": value}
    if isinstance(value, dict):
        if "type" not in value:
            raise ValueError(
                f"a {family.__name__} given as a dict needs a 'type' key naming one of "
                f"{list_equations(family)}"
            )
        cls = get(str(value["type"]))
        if not issubclass(cls, family):
            raise ValueError(
                f"{cls.__name__} is not a {family.__name__}; use one of {list_equations(family)}"
            )
        return cls(**value)
    if not isinstance(value, family):
        raise ValueError(
            f"expected a {family.__name__} (one of {list_equations(family)}), got "
            f"{type(value).__name__}"
        )
    return value


def equation_field(family: type[Equation]) -> Any:
    """Field type holding any equation of ``family``.

    Accepts an instance, a class name (defaults) or a dict with a ``"type"`` key (what
    ``to_dict`` writes), and dumps the actual class's parameters with its name::

        hrf_kernel: equation_field(HRFKernelEquation) = Attr(default_factory=FirstOrderVolterra)
    """

    def validate(value: Any) -> Any:
        return _coerce(value, family)

    return Annotated[
        pydantic.SerializeAsAny[family],
        pydantic.BeforeValidator(validate),
        _FamilySchema(family),
    ]


class _FamilySchema:
    """JSON schema of an :func:`equation_field`: one of the family's registered equations,
    each with its parameters and a constant ``type`` (built when the schema is asked for, so
    equations registered later are listed too)."""

    def __init__(self, family: type[Equation]) -> None:
        self.family = family

    def __get_pydantic_json_schema__(
        self, schema: Any, handler: pydantic.GetJsonSchemaHandler
    ) -> dict[str, Any]:
        options = []
        for name in list_equations(self.family):
            sub = get(name).model_json_schema()
            sub.setdefault("properties", {})["type"] = {"const": name, "default": name}
            sub["required"] = sorted({*sub.get("required", []), "type"})
            options.append(sub)
        return {"oneOf": options, "x-family": self.family.__name__}
