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
- temporal (stimulus) equations take simulation time in **ms**, spatial ones a distance in
  **mm**.

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
    "DoubleExponential",
    "Equation",
    "FirstOrderVolterra",
    "Gamma",
    "HRFKernelEquation",
    "MixtureOfGammas",
    "equation_field",
    "get",
    "list_equations",
]

_REGISTRY: Registry[Equation] = Registry("equation")


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
