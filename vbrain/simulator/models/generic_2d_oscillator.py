"""Generic 2-D oscillator (Stefanescu & Jirsa 2008; TVB's default model)."""

from __future__ import annotations

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class Generic2dOscillator(Model):
    r"""Generic planar oscillator with a cubic and a configurable nullcline.

    .. math::

        \dot V &= d\,\tau\,(\alpha W - f V^3 + e V^2 + g V + \gamma I + \gamma c_0 + lc_0) \\
        \dot W &= \frac{d}{\tau}\,(a + b V + c V^2 - \beta W)

    ``c_0`` is the long-range coupling of ``V`` and ``lc_0`` the local (surface) coupling.
    With the defaults the node shows FitzHugh–Nagumo-like limit-cycle dynamics.

    References: Stefanescu & Jirsa 2008; FitzHugh 1961; Nagumo et al. 1962.
    """

    state_variables = {
        "V": StateVariable(range=(-2.0, 4.0), doc="fast (membrane-potential-like) variable"),
        "W": StateVariable(range=(-6.0, 6.0), doc="slow recovery variable"),
    }
    coupling_variables = ("V",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("V",), doc="Quantities recorded by monitors, e.g. 'V', 'W', 'V + W', 'V - W'."
    )

    tau: ParamValue = Parameter(
        1.0,
        range=(1.0, 5.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau",
        doc="Time-scale hierarchy between V and W (1: none).",
    )
    I: ParamValue = Parameter(
        0.0, range=(-5.0, 5.0), label="I_ext", doc="Baseline shift of the cubic nullcline."
    )
    a: ParamValue = Parameter(
        -2.0, range=(-5.0, 5.0), doc="Vertical shift of the configurable nullcline."
    )
    b: ParamValue = Parameter(
        -10.0, range=(-20.0, 15.0), doc="Linear slope of the configurable nullcline."
    )
    c: ParamValue = Parameter(
        0.0, range=(-10.0, 10.0), doc="Parabolic term of the configurable nullcline."
    )
    d: ParamValue = Parameter(
        0.02, range=(0.0001, 1.0), valid=(0.0, None), unit="1/ms", doc="Temporal scale factor."
    )
    e: ParamValue = Parameter(
        3.0, range=(-5.0, 5.0), doc="Quadratic coefficient of the cubic nullcline."
    )
    f: ParamValue = Parameter(
        1.0, range=(-5.0, 5.0), doc="Cubic coefficient of the cubic nullcline."
    )
    g: ParamValue = Parameter(
        0.0, range=(-5.0, 5.0), doc="Linear coefficient of the cubic nullcline."
    )
    alpha: ParamValue = Parameter(
        1.0, range=(-5.0, 5.0), doc="Rate of feedback from the slow to the fast variable."
    )
    beta: ParamValue = Parameter(
        1.0, range=(-5.0, 5.0), doc="Rate of feedback from the slow variable to itself."
    )
    gamma: ParamValue = Parameter(
        1.0, range=(-1.0, 1.0), doc="Scales I and the long-range coupling term."
    )

    @staticmethod
    def dfun(V, W, c_0, lc_0, tau, I, a, b, c, d, e, f, g, alpha, beta, gamma):
        # operation order as in the reference implementation, for bit-level agreement
        V2 = V * V
        dV = d * tau * (alpha * W - f * V2 * V + e * V2 + g * V + gamma * I + gamma * c_0 + lc_0)
        dW = d * (a + b * V + c * V2 - beta * W) / tau
        return dV, dW
