"""Epileptor: six-dimensional phenomenological model of seizure dynamics (Jirsa et al. 2014)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class Epileptor(Model):
    r"""Two oscillatory subsystems slowly driven in and out of seizures by a permittivity variable.

    .. math::

        \dot x_1 &= t_t\,\bigl(y_1 - z + I_{ext} + lc_0 + K_{vf}\, c_0 + f_1\, x_1\bigr) \\
        \dot y_1 &= t_t\,(c - d\, x_1^2 - y_1) \\
        \dot z &= t_t\, r\,\bigl(h(x_1, z) - z + K_s\, c_0\bigr) \\
        \dot x_2 &= t_t\,\bigl(-y_2 + x_2 - x_2^3 + I_{ext2} + b_b\, g - 0.3 (z - 3.5)
                    + K_f\, c_1\bigr) \\
        \dot y_2 &= \frac{t_t}{\tau}\,\bigl(-y_2 + f_2(x_2)\bigr) \\
        \dot g &= -0.01\, t_t\,(g - 0.1\, x_1) \\[4pt]
        f_1 &= \begin{cases} -a x_1^2 + b x_1 & x_1 < 0 \\
                             \mathrm{slope} - x_2 + 0.6 (z - 4)^2 & x_1 \ge 0 \end{cases} \qquad
        f_2 = \begin{cases} 0 & x_2 < -0.25 \\ a_a (x_2 + 0.25) & x_2 \ge -0.25 \end{cases} \\
        h &= \begin{cases} x_0 + \dfrac{3}{1 + e^{-(x_1 + 0.5)/0.1}} & \text{modification} \\
                           4 (x_1 - x_0) - 0.1\, z^7\, [z < 0] & \text{otherwise} \end{cases}

    Subsystem 1 (:math:`x_1, y_1`) generates the fast discharges, subsystem 2
    (:math:`x_2, y_2`) the spike-and-wave events, :math:`g` low-pass filters :math:`x_1`, and the
    slow permittivity :math:`z` (rate :math:`r`) moves the node between interictal and ictal
    states; :math:`x_0` sets the epileptogenicity.  ``c_0`` is the long-range coupling of
    ``x1``: it acts on a very fast time scale through :math:`K_{vf}` and as slow permittivity
    coupling through :math:`K_s` (Proix et al. 2014).  ``c_1`` is the coupling of ``x2``
    (fast time scale, :math:`K_f`).  ``lc_0`` (local coupling of ``x1``) adds to
    :math:`I_{ext}`.  :math:`t_t` rescales time for the whole system.  ``modification`` (1 on,
    0 off) selects the sigmoidal, nonlinear influence of :math:`x_1` on :math:`z`.

    As in TVB, the slow variable's linear coefficient is fixed at 4 (the parameter ``s`` is
    kept but unused), and :math:`g` enters :math:`\dot x_2` with weight :math:`b_b = 2`
    (the 0.002 of the paper corresponds to a differently scaled :math:`g`).
    The monitored signal ``x2 - x1`` mimics the LFP.

    References: Jirsa et al. 2014 (Brain 137:2210); Proix et al. 2014 (J Neurosci 34:15009).
    """

    state_variables = {
        "x1": StateVariable(range=(-2.0, 1.0), doc="fast variable of subsystem 1"),
        "y1": StateVariable(range=(-20.0, 2.0), doc="recovery variable of subsystem 1"),
        "z": StateVariable(range=(2.0, 5.0), doc="slow permittivity variable"),
        "x2": StateVariable(range=(-2.0, 0.0), doc="fast variable of subsystem 2"),
        "y2": StateVariable(range=(0.0, 2.0), doc="recovery variable of subsystem 2"),
        "g": StateVariable(range=(-1.0, 1.0), doc="low-pass filter of x1"),
    }
    coupling_variables = ("x1", "x2")

    variables_of_interest: tuple[str, ...] = Attr(
        ("x2 - x1", "z"),
        doc="Quantities recorded by monitors; 'x2 - x1' is the LFP-like signal.",
    )

    a: ParamValue = Parameter(1.0, doc="Coefficient of the cubic term of x1.")
    b: ParamValue = Parameter(3.0, doc="Coefficient of the quadratic term of x1.")
    c: ParamValue = Parameter(1.0, doc="Additive constant of y1 (y_0 in Jirsa et al. 2014).")
    d: ParamValue = Parameter(5.0, doc="Coefficient of the quadratic term in y1.")
    r: ParamValue = Parameter(
        0.00035,
        range=(0.0, 0.001),
        valid=(0.0, None),
        doc="Rate of the slow variable z (1/tau_0 in Jirsa et al. 2014).",
    )
    s: ParamValue = Parameter(
        4.0, doc="Linear coefficient of the z equation (fixed at 4 in the equations; unused)."
    )
    x0: ParamValue = Parameter(
        -1.6, range=(-3.0, -1.0), label="x_0", doc="Epileptogenicity (excitability threshold)."
    )
    Iext: ParamValue = Parameter(
        3.1, range=(1.5, 5.0), label="I_ext", doc="External input current to subsystem 1."
    )
    slope: ParamValue = Parameter(
        0.0, range=(-16.0, 6.0), doc="Linear coefficient of f_1 for x1 >= 0."
    )
    Iext2: ParamValue = Parameter(
        0.45, range=(0.0, 1.0), label="I_ext2", doc="External input current to subsystem 2."
    )
    tau: ParamValue = Parameter(
        10.0, valid=(0.0, None), exclusive=True, doc="Time-scale factor of y2 relative to x2."
    )
    aa: ParamValue = Parameter(6.0, doc="Slope of f_2 (drive of y2 by x2).")
    bb: ParamValue = Parameter(2.0, doc="Weight of the low-pass filter g in the x2 equation.")
    Kvf: ParamValue = Parameter(
        0.0, range=(0.0, 4.0), label="K_vf", doc="Coupling strength on the very fast time scale."
    )
    Kf: ParamValue = Parameter(
        0.0, range=(0.0, 4.0), label="K_f", doc="Coupling strength on the fast time scale."
    )
    Ks: ParamValue = Parameter(
        0.0,
        range=(-4.0, 4.0),
        label="K_s",
        doc="Permittivity coupling: from the fast time scale of other nodes to z.",
    )
    tt: ParamValue = Parameter(
        1.0, range=(0.001, 10.0), valid=(0.0, None), doc="Time scaling of the whole system."
    )
    modification: ParamValue = Parameter(
        0.0,
        valid=(0.0, 1.0),
        doc="1: sigmoidal (nonlinear) influence of x1 on z; 0: linear influence (default).",
    )

    @staticmethod
    def dfun(
        x1,
        y1,
        z,
        x2,
        y2,
        g,
        c_0,
        c_1,
        lc_0,
        a,
        b,
        c,
        d,
        r,
        x0,
        Iext,
        slope,
        Iext2,
        tau,
        aa,
        bb,
        Kvf,
        Kf,
        Ks,
        tt,
        modification,
    ):
        f1 = where(x1 < 0.0, -a * x1**2 + b * x1, slope - x2 + 0.6 * (z - 4.0) ** 2)
        dx1 = tt * (y1 - z + Iext + lc_0 + Kvf * c_0 + f1 * x1)
        dy1 = tt * (c - d * x1**2 - y1)
        # integer powers as products: numba and numpy then round identically
        z2 = z * z
        h_lin = 4.0 * (x1 - x0) + where(z < 0.0, -0.1 * (z2 * z2 * z2 * z), 0.0)
        h_sig = x0 + 3.0 / (1.0 + np.exp(-(x1 + 0.5) / 0.1))
        h = where(modification > 0.5, h_sig, h_lin)
        dz = tt * (r * (h - z + Ks * c_0))
        dx2 = tt * (-y2 + x2 - x2 * x2 * x2 + Iext2 + bb * g - 0.3 * (z - 3.5) + Kf * c_1)
        f2 = where(x2 < -0.25, 0.0, aa * (x2 + 0.25))
        dy2 = tt * ((-y2 + f2) / tau)
        dg = tt * (-0.01 * (g - 0.1 * x1))
        return dx1, dy1, dz, dx2, dy2, dg
