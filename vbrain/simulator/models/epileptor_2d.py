"""Epileptor2D: the two-dimensional slow reduction of the Epileptor (Proix et al. 2014)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class Epileptor2D(Model):
    r"""Fast discharge variable :math:`x_1` driven by the slow permittivity variable :math:`z`.

    .. math::

        \dot x_1 &= t_t\,\bigl(c - z + I_{ext} + lc_0 + K_{vf}\, c_0 - f_1(x_1, z)\, x_1\bigr) \\
        \dot z &= t_t\, r\,\bigl(h(x_1, z) - z + K_s\, c_0\bigr) \\[4pt]
        f_1 &= \begin{cases} a x_1^2 + (d - b)\, x_1 & x_1 < 0 \\
                             -\mathrm{slope} - 0.6 (z - 4)^2 + d\, x_1 & x_1 \ge 0 \end{cases} \\
        h &= \begin{cases} x_0 + \dfrac{3}{1 + e^{-(x_1 + 0.5)/0.1}} & \text{modification} \\
                           4 (x_1 - x_0) - 0.1\, z^7\, [z < 0] & \text{otherwise} \end{cases}

    Separating the time scales of the full :class:`Epileptor` and keeping only the slow one
    leaves this planar system: the fast recovery variable :math:`y_1` is slaved to
    :math:`x_1` (:math:`y_1 = c - d x_1^2`, which puts :math:`c` and :math:`d` into the
    :math:`x_1` equation), and the spike-and-wave subsystem is dropped.  :math:`x_0` sets the
    epileptogenicity and :math:`r` the speed of :math:`z`.

    ``c_0`` is the long-range coupling of ``x1``; it acts on the fast time scale through
    :math:`K_{vf}` and as permittivity coupling on :math:`z` through :math:`K_s`.  ``lc_0``
    (local coupling of ``x1``) adds to :math:`I_{ext}`.  :math:`t_t` rescales time for the
    whole system.  ``modification`` (1 on, 0 off) selects the sigmoidal influence of
    :math:`x_1` on :math:`z`.

    References: Proix et al. 2014 (J Neurosci 34:15009); Proix et al. 2017 (Brain 140:641).
    """

    state_variables = {
        "x1": StateVariable(range=(-2.0, 1.0), doc="fast discharge variable"),
        "z": StateVariable(range=(2.0, 5.0), doc="slow permittivity variable"),
    }
    coupling_variables = ("x1",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x1",), doc="Quantities recorded by monitors, e.g. 'x1', 'z'."
    )

    a: ParamValue = Parameter(1.0, doc="Coefficient of the cubic term of x1.")
    b: ParamValue = Parameter(3.0, doc="Coefficient of the quadratic term of x1.")
    c: ParamValue = Parameter(
        1.0, doc="Additive constant of the (eliminated) recovery variable (y_0 in Jirsa 2014)."
    )
    d: ParamValue = Parameter(
        5.0, doc="Quadratic coefficient of the (eliminated) recovery variable."
    )
    r: ParamValue = Parameter(
        0.00035,
        range=(0.0, 0.001),
        valid=(0.0, None),
        doc="Rate of the slow variable z (1/tau_0 in Jirsa et al. 2014).",
    )
    x0: ParamValue = Parameter(
        -1.6, range=(-3.0, -1.0), label="x_0", doc="Epileptogenicity (excitability threshold)."
    )
    Iext: ParamValue = Parameter(
        3.1, range=(1.5, 5.0), label="I_ext", doc="External input current to x1."
    )
    slope: ParamValue = Parameter(
        0.0, range=(-16.0, 6.0), doc="Linear coefficient of f_1 for x1 >= 0."
    )
    Kvf: ParamValue = Parameter(
        0.0, range=(0.0, 4.0), label="K_vf", doc="Coupling strength on the very fast time scale."
    )
    Ks: ParamValue = Parameter(
        0.0,
        range=(-4.0, 4.0),
        label="K_s",
        doc="Permittivity coupling: from the fast time scale of other nodes to z.",
    )
    tt: ParamValue = Parameter(
        1.0, range=(0.001, 1.0), valid=(0.0, None), doc="Time scaling of the whole system."
    )
    modification: ParamValue = Parameter(
        0.0,
        valid=(0.0, 1.0),
        doc="1: sigmoidal (nonlinear) influence of x1 on z; 0: linear influence (default).",
    )

    @staticmethod
    def dfun(x1, z, c_0, lc_0, a, b, c, d, r, x0, Iext, slope, Kvf, Ks, tt, modification):
        zm4 = z - 4.0
        f1 = where(x1 < 0.0, a * x1 * x1 + (d - b) * x1, -slope - 0.6 * zm4 * zm4 + d * x1)
        dx1 = tt * (c - z + (Iext + lc_0) + Kvf * c_0 - f1 * x1)
        # integer powers as products: numba and numpy then round identically
        z2 = z * z
        h_lin = 4.0 * (x1 - x0) + where(z < 0.0, -0.1 * (z2 * z2 * z2 * z), 0.0)
        h_sig = x0 + 3.0 / (1.0 + np.exp(-(x1 + 0.5) / 0.1))
        h = where(modification > 0.5, h_sig, h_lin)
        dz = tt * (r * (h - z + Ks * c_0))
        return dx1, dz
