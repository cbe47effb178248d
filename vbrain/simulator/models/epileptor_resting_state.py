"""EpileptorRestingState: Epileptor plus a resting-state oscillator (Courtiol et al. 2020)."""

from __future__ import annotations

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class EpileptorRestingState(Model):
    r"""The six-dimensional Epileptor extended by a generic 2-D oscillator for resting activity.

    .. math::

        \dot x_1 &= t_t\,\bigl(y_1 - z + I_{ext} + lc_0 + K_{vf}\, c_0 + f_1\, x_1\bigr) \\
        \dot y_1 &= t_t\,(c - d\, x_1^2 - y_1) \\
        \dot z &= t_t\, r\,\bigl(4 (x_1 - x_0) - z - 0.1\, z^7 [z < 0] + K_s\, c_0\bigr) \\
        \dot x_2 &= t_t\,\bigl(-y_2 + x_2 - x_2^3 + I_{ext2} + b_b\, g - 0.3 (z - 3.5)
                    + K_f\, c_1\bigr) \\
        \dot y_2 &= \frac{t_t}{\tau}\,\bigl(-y_2 + f_2(x_2)\bigr) \\
        \dot g &= -0.01\, t_t\,(g - 0.1\, x_1) \\
        \dot x_{rs} &= d_{rs}\,\tau_{rs}\,\bigl(\alpha_{rs}\, y_{rs} - f_{rs}\, x_{rs}^3
                       + e_{rs}\, x_{rs}^2 + \gamma_{rs} I_{rs} + \gamma_{rs} K_{rs}\, c_2
                       + lc_2\bigr) \\
        \dot y_{rs} &= \frac{d_{rs}}{\tau_{rs}}\,(a_{rs} + b_{rs}\, x_{rs} - \beta_{rs}\, y_{rs})
        \\[4pt]
        f_1 &= \begin{cases} -a x_1^2 + b x_1 & x_1 < 0 \\
                             \mathrm{slope} - x_2 + 0.6 (z - 4)^2 & x_1 \ge 0 \end{cases} \qquad
        f_2 = \begin{cases} 0 & x_2 < -0.25 \\ a_a (x_2 + 0.25) & x_2 \ge -0.25 \end{cases}

    The first six equations are the :class:`Epileptor` (linear influence of :math:`x_1` on
    :math:`z`); the pair :math:`(x_{rs}, y_{rs})` is a :class:`Generic2dOscillator` tuned near
    a supercritical Hopf bifurcation that produces the physiological, LFP-like resting-state
    oscillation of each region.  The two parts are not coupled within a node.

    Coupling: ``c_0`` (of ``x1``) acts through :math:`K_{vf}` and, as permittivity coupling,
    through :math:`K_s`; ``c_1`` (of ``x2``) through :math:`K_f`; ``c_2`` (of ``x_rs``) through
    :math:`\gamma_{rs} K_{rs}`.  The local coupling of ``x1`` (``lc_0``) adds to
    :math:`I_{ext}` and that of ``x_rs`` (``lc_2``) to the oscillator's input.

    As in the reference, ``s`` is kept but unused (the slope of :math:`z` is fixed at 4), and
    ``p`` only weights the reference's LFP output
    :math:`p\,(x_2 - x_1) + (1 - p)\, x_{rs}`, which does not enter the equations; to record it,
    use a variable of interest with the number written in, e.g.
    ``"0.2 * (x2 - x1) + 0.8 * x_rs"``.

    References: Courtiol et al. 2020 (J Neurosci 40:5572); Jirsa et al. 2014 (Brain 137:2210);
    Sanz Leon et al. 2013 (Front Neuroinform 7:10).
    """

    state_variables = {
        "x1": StateVariable(range=(-1.8, -1.4), doc="fast variable of subsystem 1"),
        "y1": StateVariable(range=(-15.0, -10.0), doc="recovery variable of subsystem 1"),
        "z": StateVariable(range=(3.6, 4.0), doc="slow permittivity variable"),
        "x2": StateVariable(range=(-1.1, -0.9), doc="fast variable of subsystem 2"),
        "y2": StateVariable(range=(0.001, 0.01), doc="recovery variable of subsystem 2"),
        "g": StateVariable(range=(-1.0, 1.0), doc="low-pass filter of x1"),
        "x_rs": StateVariable(range=(-2.0, 4.0), doc="fast variable of the resting-state pair"),
        "y_rs": StateVariable(range=(-6.0, 6.0), doc="slow variable of the resting-state pair"),
    }
    coupling_variables = ("x1", "x2", "x_rs")

    variables_of_interest: tuple[str, ...] = Attr(
        ("x2 - x1", "z", "x_rs"),
        doc="Quantities recorded by monitors; 'x2 - x1' is the epileptic LFP-like signal.",
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
        1.0, range=(0.001, 10.0), valid=(0.0, None), doc="Time scaling of the Epileptor part."
    )
    tau_rs: ParamValue = Parameter(
        1.0,
        range=(1.0, 5.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_rs",
        doc="Time-scale hierarchy of the resting-state pair (1: none).",
    )
    I_rs: ParamValue = Parameter(
        0.0, range=(-5.0, 5.0), label="I_rs", doc="External input to the resting-state pair."
    )
    a_rs: ParamValue = Parameter(
        -2.0, range=(-5.0, 5.0), doc="Vertical shift of the y_rs nullcline."
    )
    b_rs: ParamValue = Parameter(-10.0, range=(-20.0, 15.0), doc="Linear coefficient of y_rs.")
    d_rs: ParamValue = Parameter(
        0.02,
        range=(0.0001, 1.0),
        valid=(0.0, None),
        doc="Temporal scale factor of the resting-state pair.",
    )
    e_rs: ParamValue = Parameter(3.0, range=(-5.0, 5.0), doc="Quadratic coefficient of x_rs.")
    f_rs: ParamValue = Parameter(1.0, range=(-5.0, 5.0), doc="Cubic coefficient of x_rs.")
    alpha_rs: ParamValue = Parameter(
        1.0, range=(-5.0, 5.0), doc="Rate of feedback from y_rs to x_rs."
    )
    beta_rs: ParamValue = Parameter(
        1.0, range=(-5.0, 5.0), doc="Rate of feedback from y_rs to itself."
    )
    gamma_rs: ParamValue = Parameter(
        1.0, range=(-1.0, 1.0), doc="Scales I_rs and the long-range coupling of x_rs."
    )
    K_rs: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), label="K_rs", doc="Coupling strength of the resting-state pair."
    )
    p: ParamValue = Parameter(
        0.0,
        range=(-1.0, 1.0),
        doc="Weight of the epileptic part in the reference's LFP output (unused in the equations).",
    )

    @staticmethod
    def dfun(
        x1,
        y1,
        z,
        x2,
        y2,
        g,
        x_rs,
        y_rs,
        c_0,
        c_1,
        c_2,
        lc_0,
        lc_2,
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
        tau_rs,
        I_rs,
        a_rs,
        b_rs,
        d_rs,
        e_rs,
        f_rs,
        alpha_rs,
        beta_rs,
        gamma_rs,
        K_rs,
    ):
        # integer powers as products: numba and numpy then round identically
        zm4 = z - 4.0
        f1 = where(x1 < 0.0, -a * x1 * x1 + b * x1, slope - x2 + 0.6 * zm4 * zm4)
        dx1 = tt * (y1 - z + (Iext + lc_0) + Kvf * c_0 + f1 * x1)
        dy1 = tt * (c - d * x1 * x1 - y1)
        z2 = z * z
        z7 = where(z < 0.0, -0.1 * (z2 * z2 * z2 * z), 0.0)
        dz = tt * (r * (4.0 * (x1 - x0) - z + z7 + Ks * c_0))
        dx2 = tt * (-y2 + x2 - x2 * x2 * x2 + Iext2 + bb * g - 0.3 * (z - 3.5) + Kf * c_1)
        f2 = where(x2 < -0.25, 0.0, aa * (x2 + 0.25))
        dy2 = tt * ((-y2 + f2) / tau)
        dg = tt * (-0.01 * (g - 0.1 * x1))
        x_rs2 = x_rs * x_rs
        dx_rs = (
            d_rs
            * tau_rs
            * (
                alpha_rs * y_rs
                - f_rs * x_rs2 * x_rs
                + e_rs * x_rs2
                + gamma_rs * I_rs
                + gamma_rs * K_rs * c_2
                + lc_2
            )
        )
        dy_rs = d_rs * (a_rs + b_rs * x_rs - beta_rs * y_rs) / tau_rs
        return dx1, dy1, dz, dx2, dy2, dg, dx_rs, dy_rs
