"""Normal form of a supercritical Hopf bifurcation (Deco et al. 2017)."""

from __future__ import annotations

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class SupHopf(Model):
    r"""Stuart–Landau oscillator: the Hopf normal form in Cartesian coordinates.

    .. math::

        \dot x &= (a - x^2 - y^2)\,x - \omega\, y + c_0 + lc_0 \\
        \dot y &= (a - x^2 - y^2)\,y + \omega\, x + c_1

    The bifurcation parameter :math:`a` switches the node from a damped focus (:math:`a < 0`)
    to a stable limit cycle of radius :math:`\sqrt a` (:math:`a > 0`); :math:`\omega` is the
    angular frequency.  ``c_0``/``c_1`` are the long-range coupling of ``x``/``y`` and
    ``lc_0`` the local (surface) coupling of ``x``.

    References: Kuznetsov 2013; Deco et al. 2017.
    """

    state_variables = {
        "x": StateVariable(range=(-5.0, 5.0), doc="real part of the oscillator"),
        "y": StateVariable(range=(-5.0, 5.0), doc="imaginary part of the oscillator"),
    }
    coupling_variables = ("x", "y")

    variables_of_interest: tuple[str, ...] = Attr(
        ("x",), doc="Quantities recorded by monitors, e.g. 'x', 'y', 'sqrt(x**2 + y**2)'."
    )

    a: ParamValue = Parameter(
        -0.5, range=(-10.0, 10.0), label="a", doc="Local bifurcation parameter."
    )
    omega: ParamValue = Parameter(
        1.0, range=(0.05, 630.0), unit="rad/ms", label="omega", doc="Angular frequency."
    )

    @staticmethod
    def dfun(x, y, c_0, c_1, lc_0, a, omega):
        radial = a - x**2 - y**2
        dx = radial * x - omega * y + c_0 + lc_0
        dy = radial * y + omega * x + c_1
        return dx, dy
