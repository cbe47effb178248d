"""Model derivatives against the published equations, written out independently.

Each reference function below transcribes a model's equations (the papers, and the reference
implementation in ``tvb/simulator/models/*.py`` for the exact forms) as plain numpy
expressions of the model's parameter values; the tests compare them with
``model.derivative`` at several seeded random states within ``state_ranges()`` and random
coupling, for the default parameters and one non-default set.
"""

from __future__ import annotations

import numpy as np
import pytest

import vbrain as vb

PI = np.pi
N_NODE = 4
SEEDS = (0, 1, 2, 3)


def _check(model, reference):
    """Compare ``model.derivative`` with ``reference(model, y, c)`` at seeded random points."""
    ranges = type(model).state_ranges()
    n_term = len(model.coupling_variables)
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        lo, hi = ranges[:, 0][:, None, None], ranges[:, 1][:, None, None]
        state = lo + (hi - lo) * rng.random((len(ranges), N_NODE, 1))
        coupling = rng.normal(0.0, 1.0, (n_term, N_NODE, 1))
        got = model.derivative(state, coupling)
        expected = np.stack(
            [np.broadcast_to(e, (N_NODE, 1)) for e in reference(model, state, coupling)]
        )
        assert got.shape == state.shape
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


# -- reference equations -------------------------------------------------------------------


def _mpr(m, y, c):
    # Montbrió, Pazó & Roxin 2015, eq. (12), with time constant tau and coupling on V
    r, v = y
    dr = (m.Delta / (PI * m.tau) + 2 * r * v) / m.tau
    dv = (
        v**2 + m.eta + m.J * m.tau * r + m.I - (PI * m.tau * r) ** 2 + m.cr * c[0] + m.cv * c[1]
    ) / m.tau
    return dr, dv


def _coombes_byrne(m, y, c):
    # Coombes & Byrne 2019: theta-neuron mean field with alpha-function conductance
    r, v, g, q = y
    dr = m.Delta / PI + 2 * r * v - g * r
    dv = v**2 - (PI * r) ** 2 + m.eta + g * (m.v_syn - v) + c[0]
    dg = m.alpha * q
    dq = m.alpha * (m.k * PI * r - g - 2 * q)
    return dr, dv, dg, dq


def _coombes_byrne_2d(m, y, c):
    # as above with an instantaneous synapse g = k pi r
    r, v = y
    g = m.k * PI * r
    dr = m.Delta / PI + 2 * r * v - g * r
    dv = v**2 - (PI * r) ** 2 + m.eta + g * (m.v_syn - v) + c[0]
    return dr, dv


def _gsk_sd(m, y, c):
    # Gast, Schmidt & Knösche 2020: synaptic depression scales the recurrent input by (1 - A)
    r, v, a, b = y
    dr = (m.Delta / (PI * m.tau) + 2 * r * v) / m.tau
    dv = (
        v**2
        - (PI * m.tau * r) ** 2
        + m.eta
        + m.J * m.tau * r * (1 - a)
        + m.I
        + m.cr * c[0]
        + m.cv * c[1]
    ) / m.tau
    da = b / m.tau_A
    db = (m.alpha * r - a - 2 * b) / m.tau_A
    return dr, dv, da, db


def _gsk_sf(m, y, c):
    # Gast, Schmidt & Knösche 2020: spike-frequency adaptation current -A
    r, v, a, b = y
    dr = (m.Delta / (PI * m.tau) + 2 * r * v) / m.tau
    dv = (
        v**2 - (PI * m.tau * r) ** 2 + m.eta + m.J * m.tau * r + m.I - a + m.cr * c[0] + m.cv * c[1]
    ) / m.tau
    da = b / m.tau_A
    db = (m.alpha * r - a - 2 * b) / m.tau_A
    return dr, dv, da, db


def _dumont_gutkin(m, y, c):
    # Dumont & Gutkin 2019: E and I QIF populations with first-order synapses
    r_e, v_e, s_ee, s_ei, r_i, v_i, s_ie, s_ii = y
    dr_e = (m.Delta_e / (PI * m.tau_e) + 2 * v_e * r_e) / m.tau_e
    dv_e = (
        v_e**2 + m.eta_e - (m.tau_e * PI * r_e) ** 2 + m.tau_e * (s_ee - s_ei) + m.I_e
    ) / m.tau_e
    ds_ee = (-s_ee + m.J_ee * r_e + c[0]) / m.tau_s
    ds_ei = (-s_ei + m.J_ei * r_i) / m.tau_s
    dr_i = (m.Delta_i / (PI * m.tau_i) + 2 * v_i * r_i) / m.tau_i
    dv_i = (
        v_i**2 + m.eta_i - (m.tau_i * PI * r_i) ** 2 + m.tau_i * (s_ie - s_ii) + m.I_i
    ) / m.tau_i
    ds_ie = (-s_ie + m.J_ie * r_e + m.Gamma * c[0]) / m.tau_s
    ds_ii = (-s_ii + m.J_ii * r_i) / m.tau_s
    return dr_e, dv_e, ds_ee, ds_ei, dr_i, dv_i, ds_ie, ds_ii


def _epileptor_h(m, x1, z, modification):
    if modification:
        return m.x0 + 3.0 / (1.0 + np.exp(-(x1 + 0.5) / 0.1))
    return 4.0 * (x1 - m.x0) - np.where(z < 0, 0.1 * z**7, 0.0)


def _epileptor6(m, modification, x1, y1, z, x2, y2, g, c0, c1):
    # Jirsa et al. 2014 (Brain), with Proix et al. 2014 coupling Kvf, Ks (x1) and Kf (x2)
    f1 = np.where(x1 < 0, -m.a * x1**2 + m.b * x1, m.slope - x2 + 0.6 * (z - 4) ** 2)
    dx1 = m.tt * (y1 - z + m.Iext + m.Kvf * c0 + f1 * x1)
    dy1 = m.tt * (m.c - m.d * x1**2 - y1)
    dz = m.tt * m.r * (_epileptor_h(m, x1, z, modification) - z + m.Ks * c0)
    dx2 = m.tt * (-y2 + x2 - x2**3 + m.Iext2 + m.bb * g - 0.3 * (z - 3.5) + m.Kf * c1)
    f2 = np.where(x2 < -0.25, 0.0, m.aa * (x2 + 0.25))
    dy2 = m.tt * (-y2 + f2) / m.tau
    dg = -0.01 * m.tt * (g - 0.1 * x1)
    return dx1, dy1, dz, dx2, dy2, dg


def _epileptor(m, y, c):
    return _epileptor6(m, m.modification, *y, c[0], c[1])


def _epileptor_2d(m, y, c):
    # Proix et al. 2014: y1 slaved to c - d x1^2, subsystem 2 dropped
    x1, z = y
    f1 = np.where(x1 < 0, m.a * x1**2 + (m.d - m.b) * x1, -m.slope - 0.6 * (z - 4) ** 2 + m.d * x1)
    dx1 = m.tt * (m.c - z + m.Iext + m.Kvf * c[0] - f1 * x1)
    dz = m.tt * m.r * (_epileptor_h(m, x1, z, m.modification) - z + m.Ks * c[0])
    return dx1, dz


def _epileptor_rs(m, y, c):
    # Courtiol et al. 2020: Epileptor (linear z) plus a generic 2-D oscillator
    x1, y1, z, x2, y2, g, x_rs, y_rs = y
    ep = _epileptor6(m, False, x1, y1, z, x2, y2, g, c[0], c[1])
    dx_rs = (
        m.d_rs
        * m.tau_rs
        * (
            m.alpha_rs * y_rs
            - m.f_rs * x_rs**3
            + m.e_rs * x_rs**2
            + m.gamma_rs * m.I_rs
            + m.gamma_rs * m.K_rs * c[2]
        )
    )
    dy_rs = m.d_rs * (m.a_rs + m.b_rs * x_rs - m.beta_rs * y_rs) / m.tau_rs
    return (*ep, dx_rs, dy_rs)


def _hopfield(m, y, c):
    # Hopfield 1984: dx = (-x + c0) / taux; dynamic threshold relaxes to the node's own output
    x, theta = y
    dx = (-x + c[0]) / m.taux
    dtheta = (-theta + c[1]) / m.tauT if m.dynamic else dx
    return dx, dtheta


# -- tests -----------------------------------------------------------------------------------

NON_DEFAULT = {
    "MontbrioPazoRoxin": dict(tau=2.5, I=0.7, Delta=0.6, J=10.0, eta=-3.5, cr=0.4, cv=0.8),
    "CoombesByrne": dict(Delta=1.3, alpha=2.1, v_syn=-7.0, k=2.2, eta=3.5),
    "CoombesByrne2D": dict(Delta=0.4, v_syn=-9.0, k=1.7, eta=-1.5),
    "GastSchmidtKnosche_SD": dict(
        tau=1.7, tau_A=4.0, alpha=0.8, I=0.3, Delta=1.2, J=12.0, eta=-4.0, cr=0.6, cv=0.5
    ),
    "GastSchmidtKnosche_SF": dict(
        tau=0.8, tau_A=6.0, alpha=3.0, I=-0.4, Delta=0.9, J=14.0, eta=-2.0, cr=0.3, cv=0.9
    ),
    "DumontGutkin": dict(
        I_e=0.5,
        Delta_e=0.8,
        eta_e=-4.0,
        tau_e=8.0,
        I_i=-0.3,
        Delta_i=1.4,
        eta_i=-6.0,
        tau_i=12.0,
        tau_s=2.0,
        J_ee=3.0,
        J_ei=8.0,
        J_ie=4.0,
        J_ii=11.0,
        Gamma=2.5,
    ),
    "Epileptor": dict(
        modification=1.0,
        a=1.2,
        b=2.8,
        c=0.9,
        d=4.5,
        r=0.002,
        x0=-2.1,
        Iext=2.9,
        slope=0.3,
        Iext2=0.5,
        tau=8.0,
        aa=5.5,
        bb=1.5,
        Kvf=0.3,
        Kf=0.2,
        Ks=-0.4,
        tt=1.3,
    ),
    "Epileptor2D": dict(
        modification=1.0,
        a=0.9,
        b=3.2,
        c=1.1,
        d=4.8,
        r=0.003,
        x0=-2.0,
        Iext=3.0,
        slope=0.2,
        Kvf=0.5,
        Ks=-0.3,
        tt=0.7,
    ),
    "EpileptorRestingState": dict(
        a=1.1,
        b=3.1,
        c=1.2,
        d=4.7,
        r=0.001,
        x0=-2.2,
        Iext=3.2,
        slope=0.1,
        Iext2=0.4,
        tau=9.0,
        aa=6.5,
        bb=2.2,
        Kvf=0.4,
        Kf=0.25,
        Ks=-0.2,
        tt=1.1,
        tau_rs=1.5,
        I_rs=0.3,
        a_rs=-1.5,
        b_rs=-8.0,
        d_rs=0.05,
        e_rs=2.5,
        f_rs=1.2,
        alpha_rs=0.9,
        beta_rs=1.3,
        gamma_rs=0.8,
        K_rs=0.6,
    ),
    "Hopfield": dict(taux=2.0, tauT=3.0, dynamic=1.0),
}


def _run(name, reference):
    cls = getattr(vb.models, name)
    _check(cls(), reference)
    _check(cls(**NON_DEFAULT[name]), reference)


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_non_default_parameters_differ_from_defaults(name):
    cls = getattr(vb.models, name)
    default, other = cls(), cls(**NON_DEFAULT[name])
    for key, value in NON_DEFAULT[name].items():
        assert getattr(other, key) == value != getattr(default, key)


def test_montbrio_pazo_roxin():
    _run("MontbrioPazoRoxin", _mpr)


def test_coombes_byrne():
    _run("CoombesByrne", _coombes_byrne)


def test_coombes_byrne_2d():
    _run("CoombesByrne2D", _coombes_byrne_2d)


def test_gast_schmidt_knosche_sd():
    _run("GastSchmidtKnosche_SD", _gsk_sd)


def test_gast_schmidt_knosche_sf():
    _run("GastSchmidtKnosche_SF", _gsk_sf)


def test_dumont_gutkin():
    _run("DumontGutkin", _dumont_gutkin)


def test_epileptor():
    _run("Epileptor", _epileptor)


def test_epileptor_2d():
    _run("Epileptor2D", _epileptor_2d)


def test_epileptor_resting_state():
    _run("EpileptorRestingState", _epileptor_rs)


def test_hopfield():
    _run("Hopfield", _hopfield)
