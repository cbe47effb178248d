"""Epileptor codimension-3 bursters (Saggio et al. 2017): fixed path and ultra-slow modulation.

Both classes share the fast subsystem, the unfolding of a degenerate Takens–Bogdanov
singularity of codimension 3, whose unfolding parameters :math:`(\\mu_2, -\\mu_1, \\nu)` are
moved along a great-circle arc of a sphere of radius :math:`R` by the slow variable :math:`z`.

The resting-state position :math:`x_s` entering :math:`\\dot z` is a root of
:math:`x^3 - \\mu_2 x - \\mu_1 = 0` from Cardano's formula, evaluated as the reference does: in
complex arithmetic with principal square and cube roots, taking the real part of the result.
Branch ``N`` (1, 2 or 3) picks the root.  Where the discriminant
:math:`\\mu_1^2/4 - \\mu_2^3/27` is negative (three real roots; the default paths) this is the
exact root; where it is positive the principal cube root of a negative number is not real, so
:math:`x_s` is then not a root of the cubic: the reference behaves so, and so do these models.
The complex arithmetic is written out in real terms, so ``dfun`` compiles for scalars.
"""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


def great_circle(p0, p1, p2, q0, q1, q2, R, angle):
    """Point at ``angle`` on the great circle of radius ``R`` from direction p towards q."""
    norm_p = np.sqrt(p0 * p0 + p1 * p1 + p2 * p2)
    w0 = p1 * q2 - p2 * q1
    w1 = p2 * q0 - p0 * q2
    w2 = p0 * q1 - p1 * q0
    h0 = w1 * p2 - w2 * p1
    h1 = w2 * p0 - w0 * p2
    h2 = w0 * p1 - w1 * p0
    norm_h = np.sqrt(h0 * h0 + h1 * h1 + h2 * h2)
    ca = np.cos(angle)
    sa = np.sin(angle)
    return (
        R * (p0 / norm_p * ca + h0 / norm_h * sa),
        R * (p1 / norm_p * ca + h1 / norm_h * sa),
        R * (p2 / norm_p * ca + h2 / norm_h * sa),
    )


def resting_state(mu1, mu2, N):
    """Root ``N`` of x^3 - mu2 x - mu1 by Cardano with principal roots, real part."""
    half = mu1 / 2.0
    disc = mu1 * mu1 / 4.0 - mu2 * mu2 * mu2 / 27.0
    root = np.sqrt(np.abs(disc))
    real = disc >= 0.0
    # disc >= 0: u = half + root and v = half - root are real; the principal cube root of a
    # negative real number w is |w|^(1/3) e^(i pi/3)
    u_real = half + root
    v_real = half - root
    cbrt_u = np.cbrt(np.abs(u_real))
    cbrt_v = np.cbrt(np.abs(v_real))
    # disc < 0: v = conj(u), u = half + i root, so cbrt(v) = conj(cbrt(u))
    z_mod = np.cbrt(np.hypot(half, root))
    z_arg = np.arctan2(root, half) / 3.0
    z_re = z_mod * np.cos(z_arg)
    z_im = z_mod * np.sin(z_arg)
    cu_re = where(real, where(u_real >= 0.0, cbrt_u, 0.5 * cbrt_u), z_re)
    cu_im = where(real, where(u_real >= 0.0, 0.0, 0.8660254037844386 * cbrt_u), z_im)
    cv_re = where(real, where(v_real >= 0.0, cbrt_v, 0.5 * cbrt_v), z_re)
    cv_im = where(real, where(v_real >= 0.0, 0.0, 0.8660254037844386 * cbrt_v), 0.0 - z_im)
    xs1 = cu_re + cv_re
    xs2 = -0.5 * (cu_re + 1.7320508075688772 * cu_im) - 0.5 * (cv_re - 1.7320508075688772 * cv_im)
    xs3 = -0.5 * (cu_re - 1.7320508075688772 * cu_im) - 0.5 * (cv_re + 1.7320508075688772 * cv_im)
    return where(N < 1.5, xs1, where(N < 2.5, xs2, xs3))


def burster(x, y, z, a0, a1, a2, b0, b1, b2, b, R, c, dstar, Ks, N, modification, c_0):
    """Fast subsystem steered by z along the arc from A towards B, and the slow z equation."""
    mu2, m1, nu = great_circle(a0, a1, a2, b0, b1, b2, R, z)
    mu1 = -m1
    xs = resting_state(mu1, mu2, N)
    dx = -y
    dy = x * x * x - mu2 * x - mu1 - y * (nu + b * x + x * x)
    zh = z - 0.5
    zh2 = zh * zh
    mod = where(modification > 0.5, 0.1 * (zh2 * zh2 * zh2 * zh), 0.0)
    xd = x - xs
    dz = -c * (np.sqrt(xd * xd + y * y) - dstar + mod + Ks * c_0)
    return dx, dy, dz


class EpileptorCodim3(Model):
    r"""Planar fast burster steered along a fixed path of its unfolding by a slow variable.

    .. math::

        \dot x &= -y \\
        \dot y &= x^3 - \mu_2 x - \mu_1 - y\,(\nu + b x + x^2) \\
        \dot z &= -c\,\bigl(\sqrt{(x - x_s)^2 + y^2} - d^* + 0.1 (z - 0.5)^7 [\text{mod.}]
                  + K_s\, c_0\bigr) \\[4pt]
        (\mu_2, -\mu_1, \nu) &= R\,(E \cos z + F \sin z), \qquad
        E = \frac{A}{\lVert A\rVert}, \quad
        F = \frac{(A \times B) \times A}{\lVert (A \times B) \times A\rVert}

    with :math:`A = (\mu_{2,start}, -\mu_{1,start}, \nu_{start})` and
    :math:`B = (\mu_{2,stop}, -\mu_{1,stop}, \nu_{stop})` the points of the bursting offset
    and onset.  The slow variable :math:`z` moves the fast subsystem :math:`(x, y)` along the
    arc from :math:`A` towards :math:`B` while the node rests (its distance to the resting
    state :math:`x_s` is below :math:`d^*`) and back while it oscillates: hysteresis-loop
    bursting.  The default path gives class c2s (saddle-node onset, saddle-homoclinic
    offset).  ``modification`` (1 on, default; 0 off) adds the term that keeps :math:`z`
    bounded for negative :math:`d^*`.  ``c_0`` is the long-range coupling of ``x``, acting on
    :math:`z` with strength :math:`K_s`; local coupling is not used.  See the module
    docstring for how :math:`x_s` is computed (branch ``N``).

    :math:`E` and :math:`F` are computed from the per-node parameters inside the derivative
    (the reference precomputes them from the first node's values only).

    References: Saggio et al. 2017 (J Math Neurosci 7:7).
    """

    state_variables = {
        "x": StateVariable(range=(0.4, 0.6), doc="fast variable"),
        "y": StateVariable(range=(-0.1, 0.1), doc="fast variable (velocity-like)"),
        "z": StateVariable(range=(0.0, 0.15), doc="slow variable: position along the path"),
    }
    coupling_variables = ("x",)
    helpers = (great_circle, resting_state, burster)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x", "z"), doc="Quantities recorded by monitors, e.g. 'x', 'y', 'z'."
    )

    mu1_start: ParamValue = Parameter(
        -0.02285, range=(-1.0, 1.0), doc="mu1 at the bursting offset point A (class c2s)."
    )
    mu2_start: ParamValue = Parameter(
        0.3448, range=(-1.0, 1.0), doc="mu2 at the bursting offset point A (class c2s)."
    )
    nu_start: ParamValue = Parameter(
        0.2014, range=(-1.0, 1.0), doc="nu at the bursting offset point A (class c2s)."
    )
    mu1_stop: ParamValue = Parameter(
        -0.07465, range=(-1.0, 1.0), doc="mu1 at the bursting onset point B (class c2s)."
    )
    mu2_stop: ParamValue = Parameter(
        0.3351, range=(-1.0, 1.0), doc="mu2 at the bursting onset point B (class c2s)."
    )
    nu_stop: ParamValue = Parameter(
        0.2053, range=(-1.0, 1.0), doc="nu at the bursting onset point B (class c2s)."
    )
    b: ParamValue = Parameter(
        1.0, doc="Unfolding type of the Takens-Bogdanov singularity (1: focus, default)."
    )
    R: ParamValue = Parameter(0.4, range=(0.0, 2.5), doc="Radius of the unfolding sphere.")
    c: ParamValue = Parameter(0.001, range=(0.0, 0.01), doc="Speed of the slow variable z.")
    dstar: ParamValue = Parameter(
        0.3,
        range=(-0.1, 0.5),
        label="d*",
        doc="Distance from the resting state at which z reverses its direction.",
    )
    Ks: ParamValue = Parameter(0.0, label="K_s", doc="Slow permittivity coupling strength.")
    N: ParamValue = Parameter(
        1.0,
        valid=(1.0, 3.0),
        doc="Branch (1, 2 or 3) of the resting-state root x_s; values are rounded to a branch.",
    )
    modification: ParamValue = Parameter(
        1.0,
        valid=(0.0, 1.0),
        doc="1 (default): add 0.1 (z - 0.5)^7 to keep z bounded for negative d*; 0: do not.",
    )

    @staticmethod
    def dfun(
        x,
        y,
        z,
        c_0,
        mu1_start,
        mu2_start,
        nu_start,
        mu1_stop,
        mu2_stop,
        nu_stop,
        b,
        R,
        c,
        dstar,
        Ks,
        N,
        modification,
    ):
        return burster(
            x, y, z, mu2_start, -mu1_start, nu_start, mu2_stop, -mu1_stop, nu_stop,
            b, R, c, dstar, Ks, N, modification, c_0,
        )  # fmt: skip


class EpileptorCodim3SlowMod(Model):
    r""":class:`EpileptorCodim3` whose path end points drift ultra-slowly (class transitions).

    .. math::

        \dot x &= -y \\
        \dot y &= x^3 - \mu_2 x - \mu_1 - y\,(\nu + b x + x^2) \\
        \dot z &= -c\,\bigl(\sqrt{(x - x_s)^2 + y^2} - d^* + 0.1 (z - 0.5)^7 [\text{mod.}]
                  + K_s\, c_0\bigr) \\
        \dot u_A &= c_A \qquad \dot u_B = c_B \\[4pt]
        (\mu_2, -\mu_1, \nu) &= R\,(E \cos z + F \sin z), \quad
        E = \frac{A}{\lVert A\rVert}, \quad
        F = \frac{(A \times B) \times A}{\lVert (A \times B) \times A\rVert} \\
        A &= R\,(G \cos u_A + H \sin u_A), \qquad B = R\,(L \cos u_B + M \sin u_B)

    The offset point :math:`A` of the burster path travels on the sphere along the great arc
    from :math:`A_{in}` towards :math:`A_{end}` (unit vectors :math:`G, H` built from them as
    :math:`E, F` are from :math:`A, B`), and the onset point :math:`B` from :math:`B_{in}`
    towards :math:`B_{end}` (:math:`L, M`), at the constant ultra-slow rates :math:`c_A`,
    :math:`c_B`; each end point is given as :math:`(\mu_2, -\mu_1, \nu)`.  The node thereby
    moves through different bursting classes over time.  Coupling, ``modification`` and the
    branch ``N`` of :math:`x_s` are as in :class:`EpileptorCodim3` (see the module docstring).

    Deviation: the reference's typical range of ``uA`` and ``uB`` is the single point
    [0, 0] (random initial states start both drifts at 0), which a state-variable range here
    cannot express (it needs lo < hi); it is [0, 1e-9] instead, i.e. practically 0.

    References: Saggio et al. 2017 (J Math Neurosci 7:7).
    """

    state_variables = {
        "x": StateVariable(range=(0.4, 0.6), doc="fast variable"),
        "y": StateVariable(range=(-0.1, 0.1), doc="fast variable (velocity-like)"),
        "z": StateVariable(range=(0.0, 0.1), doc="slow variable: position along the path"),
        "uA": StateVariable(range=(0.0, 1e-9), doc="ultra-slow position of the offset point"),
        "uB": StateVariable(range=(0.0, 1e-9), doc="ultra-slow position of the onset point"),
    }
    coupling_variables = ("x",)
    helpers = (great_circle, resting_state, burster)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x", "z"), doc="Quantities recorded by monitors, e.g. 'x', 'y', 'z', 'uA', 'uB'."
    )

    mu1_Ain: ParamValue = Parameter(
        0.05494, range=(-1.0, 1.0), doc="mu1 of the initial offset point A_in."
    )
    mu2_Ain: ParamValue = Parameter(
        0.2731, range=(-1.0, 1.0), doc="mu2 of the initial offset point A_in."
    )
    nu_Ain: ParamValue = Parameter(
        0.287, range=(-1.0, 1.0), doc="nu of the initial offset point A_in."
    )
    mu1_Bin: ParamValue = Parameter(
        -0.0461, range=(-1.0, 1.0), doc="mu1 of the initial onset point B_in."
    )
    mu2_Bin: ParamValue = Parameter(
        0.243, range=(-1.0, 1.0), doc="mu2 of the initial onset point B_in."
    )
    nu_Bin: ParamValue = Parameter(
        0.3144, range=(-1.0, 1.0), doc="nu of the initial onset point B_in."
    )
    mu1_Aend: ParamValue = Parameter(
        0.06485, range=(-1.0, 1.0), doc="mu1 of the point A_end the offset point drifts to."
    )
    mu2_Aend: ParamValue = Parameter(
        0.07337, range=(-1.0, 1.0), doc="mu2 of the point A_end the offset point drifts to."
    )
    nu_Aend: ParamValue = Parameter(
        -0.3878, range=(-1.0, 1.0), doc="nu of the point A_end the offset point drifts to."
    )
    mu1_Bend: ParamValue = Parameter(
        0.03676, range=(-1.0, 1.0), doc="mu1 of the point B_end the onset point drifts to."
    )
    mu2_Bend: ParamValue = Parameter(
        -0.02792, range=(-1.0, 1.0), doc="mu2 of the point B_end the onset point drifts to."
    )
    nu_Bend: ParamValue = Parameter(
        -0.3973, range=(-1.0, 1.0), doc="nu of the point B_end the onset point drifts to."
    )
    b: ParamValue = Parameter(
        1.0, doc="Unfolding type of the Takens-Bogdanov singularity (1: focus, default)."
    )
    R: ParamValue = Parameter(0.4, range=(0.0, 2.5), doc="Radius of the unfolding sphere.")
    c: ParamValue = Parameter(0.002, range=(0.0, 0.01), doc="Speed of the slow variable z.")
    cA: ParamValue = Parameter(
        0.0001, range=(0.0, 0.001), label="c_A", doc="Speed of the drift of the offset point."
    )
    cB: ParamValue = Parameter(
        0.00012, range=(0.0, 0.001), label="c_B", doc="Speed of the drift of the onset point."
    )
    dstar: ParamValue = Parameter(
        0.3,
        range=(-0.1, 0.5),
        label="d*",
        doc="Distance from the resting state at which z reverses its direction.",
    )
    Ks: ParamValue = Parameter(0.0, label="K_s", doc="Slow permittivity coupling strength.")
    N: ParamValue = Parameter(
        1.0,
        valid=(1.0, 3.0),
        doc="Branch (1, 2 or 3) of the resting-state root x_s; values are rounded to a branch.",
    )
    modification: ParamValue = Parameter(
        1.0,
        valid=(0.0, 1.0),
        doc="1 (default): add 0.1 (z - 0.5)^7 to keep z bounded for negative d*; 0: do not.",
    )

    @staticmethod
    def dfun(
        x,
        y,
        z,
        uA,
        uB,
        c_0,
        mu1_Ain,
        mu2_Ain,
        nu_Ain,
        mu1_Bin,
        mu2_Bin,
        nu_Bin,
        mu1_Aend,
        mu2_Aend,
        nu_Aend,
        mu1_Bend,
        mu2_Bend,
        nu_Bend,
        b,
        R,
        c,
        cA,
        cB,
        dstar,
        Ks,
        N,
        modification,
    ):
        # end points of the burster's path drift on their own arcs (offset A, onset B)
        a0, a1, a2 = great_circle(mu2_Ain, -mu1_Ain, nu_Ain, mu2_Aend, -mu1_Aend, nu_Aend, R, uA)
        b0, b1, b2 = great_circle(mu2_Bin, -mu1_Bin, nu_Bin, mu2_Bend, -mu1_Bend, nu_Bend, R, uB)
        dx, dy, dz = burster(
            x, y, z, a0, a1, a2, b0, b1, b2, b, R, c, dstar, Ks, N, modification, c_0
        )
        return dx, dy, dz, cA, cB
