"""Derivatives checked against the published / reference equations written out independently.

Each test evaluates ``model.derivative(state, coupling)`` at several seeded random states
within the model's state ranges (with random long-range coupling) and compares it with the
model's equations spelled out here in plain numpy from the papers and the reference source
(not by calling the model's ``dfun`` or its helper functions).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import erfc

import vbrain as vb

RTOL = 1e-10
N_NODE = 4
N_STATES = 4


def _states(cls, rng, n_mode=1, n_states=N_STATES, accept=None):
    """Random states ``(n_var, N_NODE, n_mode)`` uniform within ``cls.state_ranges()``."""
    ranges = cls.state_ranges()
    out = []
    while len(out) < n_states:
        lo, hi = ranges[:, 0], ranges[:, 1]
        u = rng.uniform(size=(len(ranges), N_NODE, n_mode))
        state = lo[:, None, None] + (hi - lo)[:, None, None] * u
        if accept is None or accept(state):
            out.append(state)
    return out


def _coupling(model, rng, n_mode=1, scale=1.0):
    n_term = len(model.coupling_variables)
    return scale * rng.uniform(-1.0, 1.0, size=(n_term, N_NODE, n_mode))


def _check(model, state, coupling, expected):
    got = model.derivative(state, coupling)
    expected = np.array([np.broadcast_to(e, state.shape[1:]) for e in expected])
    assert got.shape == state.shape
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-14)


# --------------------------------------------------------------------------------------------
# Epileptor codimension 3 (Saggio et al. 2017, Eqs. 4 and 7)


def _unit_arc(p, q):
    """E = p/|p| and F = ((p x q) x p)/|(p x q) x p| (the great arc from p towards q)."""
    e = p / np.linalg.norm(p)
    f = np.cross(np.cross(p, q), p)
    return e, f / np.linalg.norm(f)


def _saggio_z_and_fast(x, y, z, c0, e, f, R, b, c, dstar, Ks, modification, N):
    mu2 = R * (e[0] * np.cos(z) + f[0] * np.sin(z))
    mu1 = -R * (e[1] * np.cos(z) + f[1] * np.sin(z))
    nu = R * (e[2] * np.cos(z) + f[2] * np.sin(z))
    # Cardano with principal complex roots (as the reference), real part
    sq = np.sqrt(mu1**2 / 4.0 - mu2**3 / 27.0 + 0j)
    cu = (mu1 / 2.0 + sq) ** (1.0 / 3.0)
    cv = (mu1 / 2.0 - sq) ** (1.0 / 3.0)
    if N == 1:
        xs = cu + cv
    elif N == 2:
        xs = -0.5 * (1.0 - 1j * np.sqrt(3.0)) * cu - 0.5 * (1.0 + 1j * np.sqrt(3.0)) * cv
    else:
        xs = -0.5 * (1.0 + 1j * np.sqrt(3.0)) * cu - 0.5 * (1.0 - 1j * np.sqrt(3.0)) * cv
    xs = xs.real
    dx = -y
    dy = x**3 - mu2 * x - mu1 - y * (nu + b * x + x**2)
    dz = -c * (
        np.sqrt((x - xs) ** 2 + y**2) - dstar + modification * 0.1 * (z - 0.5) ** 7 + Ks * c0
    )
    return dx, dy, dz


@pytest.mark.parametrize("N", [1, 2, 3])
def test_epileptor_codim3(N):
    rng = np.random.default_rng(301 + N)
    m = vb.models.EpileptorCodim3(Ks=0.7, N=float(N))
    A = np.array([m.mu2_start, -m.mu1_start, m.nu_start])
    B = np.array([m.mu2_stop, -m.mu1_stop, m.nu_stop])
    e, f = _unit_arc(A, B)
    for state in _states(type(m), rng):
        cpl = _coupling(m, rng)
        x, y, z = state
        expected = _saggio_z_and_fast(
            x, y, z, cpl[0], e, f, m.R, m.b, m.c, m.dstar, m.Ks, m.modification, N
        )
        _check(m, state, cpl, expected)


def test_epileptor_codim3_slow_mod():
    rng = np.random.default_rng(311)
    m = vb.models.EpileptorCodim3SlowMod(Ks=0.4)
    Ain = np.array([m.mu2_Ain, -m.mu1_Ain, m.nu_Ain])
    Aend = np.array([m.mu2_Aend, -m.mu1_Aend, m.nu_Aend])
    Bin = np.array([m.mu2_Bin, -m.mu1_Bin, m.nu_Bin])
    Bend = np.array([m.mu2_Bend, -m.mu1_Bend, m.nu_Bend])
    G, H = _unit_arc(Ain, Aend)
    L, M = _unit_arc(Bin, Bend)
    for k, state in enumerate(_states(type(m), rng)):
        if k:  # let the end points drift well away from their initial positions too
            state[3] = rng.uniform(0.0, 1.0, size=state[3].shape)
            state[4] = rng.uniform(0.0, 1.0, size=state[4].shape)
        cpl = _coupling(m, rng)
        x, y, z, uA, uB = state
        expected = [np.empty_like(x) for _ in range(5)]
        for n in range(N_NODE):
            a = m.R * (G * np.cos(uA[n, 0]) + H * np.sin(uA[n, 0]))
            b = m.R * (L * np.cos(uB[n, 0]) + M * np.sin(uB[n, 0]))
            e, f = _unit_arc(a, b)
            dx, dy, dz = _saggio_z_and_fast(
                x[n], y[n], z[n], cpl[0, n], e, f, m.R, m.b, m.c, m.dstar, m.Ks,
                m.modification, 1,
            )  # fmt: skip
            expected[0][n], expected[1][n], expected[2][n] = dx, dy, dz
            expected[3][n], expected[4][n] = m.cA, m.cB
        _check(m, state, cpl, expected)


# --------------------------------------------------------------------------------------------
# KIonEx (Bandyopadhyay, Rabuffo et al. 2023; Depannemaecker et al. 2022)


def test_kionex():
    rng = np.random.default_rng(321)
    m = vb.models.KIonEx(E=-10.0, eta=0.5)

    def positive_ko(s):
        return np.all(4.8 - 3.0 * s[3] + s[4] > 0.0)

    for state in _states(type(m), rng, accept=positive_ko):
        cpl = _coupling(m, rng)
        x, V, n, DKi, Kg = state
        beta = 2160.0 / 720.0
        K_i = 130.0 + DKi
        Na_i = 16.0 - DKi
        Na_o = 138.0 + beta * DKi
        K_o = 4.8 - beta * DKi + Kg
        m_inf = 1.0 / (1.0 + np.exp((-24.0 - V) / 12.0))
        n_inf = 1.0 / (1.0 + np.exp((-19.0 - V) / 18.0))
        h = 1.1 - 1.0 / (1.0 + np.exp(-8.0 * (n - 0.4)))
        I_K = (0.12 + 22.0 * n) * (V - 26.64 * np.log(K_o / K_i))
        I_Na = (0.02 + 40.0 * m_inf * h) * (V - 26.64 * np.log(Na_o / Na_i))
        I_Cl = 7.5 * (V + 26.64 * np.log(112.0 / 5.0))
        I_pump = 250.0 / (1.0 + np.exp((21.0 - Na_i) / 2.0)) / (1.0 + np.exp((5.5 - K_o) / 1.0))
        r = m.R_minus * x / np.pi
        Vdot = -(I_Na + I_K + I_Cl + I_pump) / m.Cm
        input_ = (m.R_minus / np.pi) * cpl[0] * (m.E - V)
        left = V <= m.Vstar
        dx = np.where(
            left,
            m.Delta + 2 * m.R_minus * (V - m.c_minus) * x - m.J * r * x,
            m.Delta + 2 * m.R_plus * (V - m.c_plus) * x - m.J * r * x,
        )
        dV = np.where(
            left,
            Vdot - m.R_minus * x**2 + m.eta + input_,
            Vdot - m.R_plus * x**2 + m.eta + input_,
        )
        dn = (n_inf - n) / m.tau_n
        dDKi = -(m.gamma / 2160.0) * (I_K - 2.0 * I_pump)
        dKg = m.epsilon * (m.K_bath - K_o)
        _check(m, state, cpl, [dx, dV, dn, dDKi, dKg])


# --------------------------------------------------------------------------------------------
# Larter-Breakspear (Breakspear et al. 2003)


def test_larter_breakspear():
    rng = np.random.default_rng(331)
    m = vb.models.LarterBreakspear()
    for state in _states(type(m), rng):
        cpl = _coupling(m, rng)
        V, W, Z = state
        c0 = cpl[0]
        m_Ca = 0.5 * (1.0 + np.tanh((V - m.TCa) / m.d_Ca))
        m_Na = 0.5 * (1.0 + np.tanh((V - m.TNa) / m.d_Na))
        m_K = 0.5 * (1.0 + np.tanh((V - m.TK) / m.d_K))
        QV = 0.5 * m.QV_max * (1.0 + np.tanh((V - m.VT) / m.d_V))
        QZ = 0.5 * m.QZ_max * (1.0 + np.tanh((Z - m.ZT) / m.d_Z))
        dV = m.t_scale * (
            -(m.gCa + (1.0 - m.C) * m.rNMDA * m.aee * QV + m.C * m.rNMDA * m.aee * c0)
            * m_Ca
            * (V - m.VCa)
            - m.gK * W * (V - m.VK)
            - m.gL * (V - m.VL)
            - (m.gNa * m_Na + (1.0 - m.C) * m.aee * QV + m.C * m.aee * c0) * (V - m.VNa)
            - m.aie * Z * QZ
            + m.ane * m.Iext
        )
        dW = m.t_scale * m.phi * (m_K - W) / m.tau_K
        dZ = m.t_scale * m.b * (m.ani * m.Iext + m.aei * V * QV)
        _check(m, state, cpl, [dV, dW, dZ])


# --------------------------------------------------------------------------------------------
# Liley / Steyn-Ross (Steyn-Ross et al. 1999, Phys Rev E 60:7299)


@pytest.mark.parametrize("lambd", [1.0, 1.4])
def test_liley_steyn_ross(lambd):
    rng = np.random.default_rng(341)
    m = vb.models.LileySteynRoss(lambd=lambd)
    for state in _states(type(m), rng):
        cpl = _coupling(m, rng, scale=5.0)
        he, hi = state
        c0 = cpl[0]
        S_e = 1.0 / (1.0 + np.exp(-m.g_e * (he + c0 - m.theta_e)))
        S_i = 1.0 / (1.0 + np.exp(-m.g_i * (hi + c0 - m.theta_i)))
        psi_ee = (m.h_e_rev - he) / abs(m.h_e_rev - m.h_e_rest)
        psi_ie = (m.h_i_rev - he) / abs(m.h_i_rev - m.h_e_rest)
        psi_ei = (m.h_e_rev - hi) / abs(m.h_e_rev - m.h_i_rest)
        psi_ii = (m.h_i_rev - hi) / abs(m.h_i_rev - m.h_i_rest)
        I_ee = psi_ee * ((m.N_a_ee + m.N_b_ee) * S_e + m.p_ee) * m.G_e / m.gamma_e
        I_ie = m.lambd * psi_ie * (m.N_b_ie * S_i + m.p_ie) * m.G_i / m.gamma_i
        I_ei = psi_ei * ((m.N_a_ei + m.N_b_ei) * S_e + m.p_ei) * m.G_e / m.gamma_e
        I_ii = m.lambd * psi_ii * (m.N_b_ii * S_i + m.p_ii) * m.G_i / m.gamma_i
        dhe = (m.h_e_rest - he + I_ee + I_ie) / m.tau_e
        dhi = (m.h_i_rest - hi + I_ei + I_ii) / m.tau_i
        _check(m, state, cpl, [dhe, dhi])


# --------------------------------------------------------------------------------------------
# Zerlaut / di Volo AdEx mean field (Zerlaut et al. 2018, di Volo et al. 2019)


def _zerlaut_fluct(m, Fe, Fi, Fe_ext, Fi_ext, W, E_L):
    fe = (Fe + 1e-6) * (1.0 - m.g) * m.p_connect_e * m.N_tot + Fe_ext * m.K_ext_e
    fi = (Fi + 1e-6) * m.g * m.p_connect_i * m.N_tot + Fi_ext * m.K_ext_i
    mu_Ge, mu_Gi = m.Q_e * m.tau_e * fe, m.Q_i * m.tau_i * fi  # Eq. 5
    mu_G = m.g_L + mu_Ge + mu_Gi  # Eq. 6
    T_m = m.C_m / mu_G
    mu_V = (mu_Ge * m.E_e + mu_Gi * m.E_i + m.g_L * E_L - W) / mu_G  # Eq. 7
    U_e = m.Q_e / mu_G * (m.E_e - mu_V)
    U_i = m.Q_i / mu_G * (m.E_i - mu_V)
    a_e = fe * (U_e * m.tau_e) ** 2
    a_i = fi * (U_i * m.tau_i) ** 2
    sigma_V = np.sqrt(a_e / (2.0 * (m.tau_e + T_m)) + a_i / (2.0 * (m.tau_i + T_m)))  # Eq. 8
    T_V = (a_e + a_i) / (a_e / (m.tau_e + T_m) + a_i / (m.tau_i + T_m))  # Eq. 9
    return mu_V, sigma_V, T_V


def _zerlaut_tf(m, Fe, Fi, Fe_ext, Fi_ext, W, P, E_L):
    mu_V, sigma_V, T_V = _zerlaut_fluct(m, Fe, Fi, Fe_ext, Fi_ext, W, E_L)
    v = (mu_V - (-60.0)) / 10.0
    s = (sigma_V - 4.0) / 6.0
    t = (T_V * m.g_L / m.C_m - 0.5) / 1.0
    p = np.asarray(P, dtype=float)
    V_thr = 1e3 * (
        p[0] + p[1] * v + p[2] * s + p[3] * t + p[4] * v**2 + p[5] * s**2 + p[6] * t**2
        + p[7] * v * s + p[8] * v * t + p[9] * s * t
    )  # fmt: skip
    return erfc((V_thr - mu_V) / (np.sqrt(2.0) * sigma_V)) / (2.0 * T_V)  # Eq. 10


def test_zerlaut_adaptation_first_order():
    rng = np.random.default_rng(351)
    m = vb.models.ZerlautAdaptationFirstOrder(
        a_i=2.0, b_i=10.0, K_ext_i=100.0, external_input_ex_ex=0.002,
        external_input_ex_in=0.001, external_input_in_ex=0.003, external_input_in_in=0.004,
    )  # fmt: skip
    for state in _states(type(m), rng):
        state[3] = rng.uniform(0.0, 50.0, size=state[3].shape)  # W_i away from 0
        state[4] = rng.uniform(-1e-3, 1e-3, size=state[4].shape)  # ou_drift
        cpl = _coupling(m, rng, scale=0.02)  # some negative: clipped external rate
        E, I, W_e, W_i, ou = state
        Fe_ext = cpl[0] + m.weight_noise * ou
        Fe_ext = np.where(Fe_ext * m.K_ext_e < 0.0, 0.0, Fe_ext)
        ee, ei = Fe_ext + m.external_input_ex_ex, m.external_input_ex_in
        ie, ii = Fe_ext + m.external_input_in_ex, m.external_input_in_in
        dE = (_zerlaut_tf(m, E, I, ee, ei, W_e, m.P_e, m.E_L_e) - E) / m.T
        dI = (_zerlaut_tf(m, E, I, ie, ii, W_i, m.P_i, m.E_L_i) - I) / m.T
        mu_e = _zerlaut_fluct(m, E, I, ee, ei, W_e, m.E_L_e)[0]
        mu_i = _zerlaut_fluct(m, E, I, ie, ii, W_i, m.E_L_i)[0]
        dW_e = -W_e / m.tau_w_e + m.b_e * E + m.a_e * (mu_e - m.E_L_e) / m.tau_w_e
        dW_i = -W_i / m.tau_w_i + m.b_i * I + m.a_i * (mu_i - m.E_L_i) / m.tau_w_i
        dou = -ou / m.tau_OU
        _check(m, state, cpl, [dE, dI, dW_e, dW_i, dou])


# Second order (El Boustani & Destexhe 2009; di Volo et al. 2019, Eq. 4): the rates are driven
# by the transfer functions plus half the (co)variances times their curvature, and the
# (co)variances by the finite-size noise, the squared rate mismatch and the linearised flow.
# The reference takes the derivatives of F numerically: central differences of step
# 1e-7 kHz in the rate, divided by the step *times 1e3* (its derivatives are "per Hz").

ZERLAUT_DF = 1e-7  # kHz, the reference's step
ZERLAUT_H = ZERLAUT_DF * 1e3  # the reference's divisor per step
# Relative difference allowed between F evaluated here and in the model: both follow the
# published formula operation by operation in float64, so they agree to a few ulps (observed:
# under one); 8 ulps.  The finite differences then amplify it by 1/H or 1/H**2 (H = 1e-4),
# which is what the tolerances below propagate (and why no fixed rtol would fit).
ZERLAUT_F_RTOL = 8 * np.finfo(float).eps


def _zerlaut_curvature(m, E, I, fe_ext, fi_ext, W, P, E_L):
    """F and its finite-difference slopes and curvatures in (E, I), per the reference's step.

    A nine-point stencil: the second derivatives are ``(F(x+h) - 2F(x) + F(x-h)) / H**2``
    and the mixed one the four-corner formula ``(F++ - F+- - F-+ + F--) / (2H)**2``, the
    symmetric form of the reference's nested differences (same value up to rounding).
    """
    d = ZERLAUT_DF

    def tf(fe, fi):
        return _zerlaut_tf(m, fe, fi, fe_ext, fi_ext, W, P, E_L)

    F = tf(E, I)
    Fe_p, Fe_m, Fi_p, Fi_m = tf(E + d, I), tf(E - d, I), tf(E, I + d), tf(E, I - d)
    corners = tf(E + d, I + d) - tf(E + d, I - d) - tf(E - d, I + d) + tf(E - d, I - d)
    slope_e = (Fe_p - Fe_m) / (2.0 * ZERLAUT_H)
    slope_i = (Fi_p - Fi_m) / (2.0 * ZERLAUT_H)
    curv_ee = (Fe_p - 2.0 * F + Fe_m) / ZERLAUT_H**2
    curv_ii = (Fi_p - 2.0 * F + Fi_m) / ZERLAUT_H**2
    curv_ei = corners / (2.0 * ZERLAUT_H) ** 2
    f_max = np.max(np.abs([F, Fe_p, Fe_m, Fi_p, Fi_m]), axis=0)
    return F, slope_e, slope_i, curv_ee, curv_ei, curv_ii, f_max


def test_zerlaut_adaptation_second_order():
    rng = np.random.default_rng(352)
    m = vb.models.ZerlautAdaptationSecondOrder(
        a_i=2.0, b_i=10.0, K_ext_i=100.0, S_i=0.6, external_input_ex_ex=0.002,
        external_input_ex_in=0.001, external_input_in_ex=0.003, external_input_in_in=0.004,
    )  # fmt: skip
    N_e, N_i = m.N_tot * (1.0 - m.g), m.N_tot * m.g
    for state in _states(type(m), rng):
        state[6] = rng.uniform(0.0, 50.0, size=state[6].shape)  # W_i away from 0
        state[7] = rng.uniform(-1e-3, 1e-3, size=state[7].shape)  # ou_drift
        cpl = _coupling(m, rng, scale=0.02)  # some inputs go negative and are clipped
        E, I, C_ee, C_ei, C_ii, W_e, W_i, ou = state
        # excitatory drive of each population (remote input scaled by S_i for the
        # inhibitory one), clipped at 0 after the constant external rates are added
        drive_e = np.maximum(cpl[0] + m.external_input_ex_ex + m.weight_noise * ou, 0.0)
        drive_i = np.maximum(m.S_i * cpl[0] + m.external_input_in_ex + m.weight_noise * ou, 0.0)
        Fe, ge_e, ge_i, he_ee, he_ei, he_ii, fmax_e = _zerlaut_curvature(
            m, E, I, drive_e, m.external_input_ex_in, W_e, m.P_e, m.E_L_e
        )
        Fi, gi_e, gi_i, hi_ee, hi_ei, hi_ii, fmax_i = _zerlaut_curvature(
            m, E, I, drive_i, m.external_input_in_in, W_i, m.P_i, m.E_L_i
        )
        # the mixed curvature appears twice (c_ei = c_ie), hence C_ei * curv_ei
        dE = (Fe - E + 0.5 * C_ee * he_ee + C_ei * he_ei + 0.5 * C_ii * he_ii) / m.T
        dI = (Fi - I + 0.5 * C_ee * hi_ee + C_ei * hi_ei + 0.5 * C_ii * hi_ii) / m.T
        # T dC = A + (F - nu)(F - nu)^T + J C + C J^T - 2C with J = dF/dnu for the two
        # variances; A_ll = F_l (1/T - F_l) / N_l is the finite-size (Poisson) term.
        dC_ee = (
            Fe * (1.0 / m.T - Fe) / N_e + (Fe - E) ** 2
            + 2.0 * C_ee * ge_e + 2.0 * C_ei * ge_i - 2.0 * C_ee
        ) / m.T  # fmt: skip
        dC_ii = (
            Fi * (1.0 / m.T - Fi) / N_i + (Fi - I) ** 2
            + 2.0 * C_ii * gi_i + 2.0 * C_ei * gi_e - 2.0 * C_ii
        ) / m.T  # fmt: skip
        # The reference's covariance pairs each (co)variance with a different slope than
        # (J C + C J^T)_ei = C_ee dFi/dE + C_ei (dFe/dE + dFi/dI) + C_ii dFe/dI: it uses
        # C_ee dFe/dE + C_ei (dFi/dE + dFe/dI) + C_ii dFi/dI.  Written as the reference has it
        # (the model reproduces the reference's numbers).
        dC_ei = (
            (Fe - E) * (Fi - I)
            + C_ee * ge_e + C_ei * gi_e + C_ei * ge_i + C_ii * gi_i - 2.0 * C_ei
        ) / m.T  # fmt: skip
        mu_e = _zerlaut_fluct(m, E, I, drive_e, m.external_input_ex_in, W_e, m.E_L_e)[0]
        mu_i = _zerlaut_fluct(m, E, I, drive_i, m.external_input_in_in, W_i, m.E_L_i)[0]
        dW_e = -W_e / m.tau_w_e + m.b_e * E + m.a_e * (mu_e - m.E_L_e) / m.tau_w_e
        dW_i = -W_i / m.tau_w_i + m.b_i * I + m.a_i * (mu_i - m.E_L_i) / m.tau_w_i
        dou = -ou / m.tau_OU
        expected = np.array([dE, dI, dC_ee, dC_ei, dC_ii, dW_e, dW_i, dou])

        # Tolerance from finite-difference rounding: if F is known to a relative
        # ZERLAUT_F_RTOL, a second difference (weights 1, -2, 1 or four corners of 1/4) is
        # off by at most 4 * ZERLAUT_F_RTOL * max|F| / H**2 and a first difference by
        # ZERLAUT_F_RTOL * max|F| / H; each (co)variance multiplies one such error.
        fmax = np.stack([fmax_e, fmax_i])
        err2 = 4.0 * ZERLAUT_F_RTOL * fmax / ZERLAUT_H**2
        err1 = ZERLAUT_F_RTOL * fmax / ZERLAUT_H
        c_abs = np.abs(C_ee) + 2.0 * np.abs(C_ei) + np.abs(C_ii)
        atol = np.zeros_like(expected)
        atol[0:2] = (ZERLAUT_F_RTOL * fmax + 0.5 * c_abs * err2) / m.T
        f_top = fmax.max(axis=0)
        atol[2:5] = (ZERLAUT_F_RTOL * f_top + 2.0 * c_abs * err1.max(axis=0)) / m.T
        atol[5:] = 1e-14
        got = m.derivative(state, cpl)
        assert got.shape == state.shape
        diff = np.abs(got - expected)
        assert np.all(diff <= atol + RTOL * np.abs(expected)), (diff / (atol + 1e-300)).max()
        # The excitatory curvature term stands well above the tolerance, so the test does check
        # it (the inhibitory transfer function is flatter: its term is near rounding level).
        curv_e = (0.5 * C_ee * he_ee + C_ei * he_ei + 0.5 * C_ii * he_ii) / m.T
        assert np.abs(curv_e).max() > 10 * atol[0].max()


# --------------------------------------------------------------------------------------------
# Stefanescu & Jirsa 2008 reduced sets (three modes)


def test_reduced_set_fitzhugh_nagumo():
    rng = np.random.default_rng(361)
    m = vb.models.ReducedSetFitzHughNagumo()
    k = m.derived_coefficients()
    for state in _states(type(m), rng, n_mode=3):
        cpl = _coupling(m, rng, n_mode=3)
        xi, eta, alpha, beta = state
        c0 = cpl[0].sum(axis=1)[:, None]
        dxi = (
            m.tau * (xi - k["e_i"] * xi**3 / 3.0 - eta)
            + m.K11 * (np.dot(xi, k["Aik"]) - xi)
            - m.K12 * (np.dot(alpha, k["Bik"]) - xi)
            + m.tau * (k["IE_i"] + c0)
        )
        deta = (xi - m.b * eta + k["m_i"]) / m.tau
        dalpha = (
            m.tau * (alpha - k["f_i"] * alpha**3 / 3.0 - beta)
            + m.K21 * (np.dot(xi, k["Cik"]) - alpha)
            + m.tau * (k["II_i"] + c0)
        )
        dbeta = (alpha - m.b * beta + k["n_i"]) / m.tau
        _check(m, state, cpl, [dxi, deta, dalpha, dbeta])


@pytest.mark.parametrize("corrected", [1.0, 0.0])
def test_reduced_set_hindmarsh_rose(corrected):
    rng = np.random.default_rng(371)
    m = vb.models.ReducedSetHindmarshRose(corrected_d_p=corrected)
    k = m.derived_coefficients()
    for state in _states(type(m), rng, n_mode=3):
        cpl = _coupling(m, rng, n_mode=3)
        xi, eta, tau, alpha, beta, gamma = state
        c0 = cpl[0].sum(axis=1)[:, None]
        dxi = (
            eta - k["a_i"] * xi**3 + k["b_i"] * xi**2 - tau
            + m.K11 * (np.dot(xi, k["A_ik"]) - xi)
            - m.K12 * (np.dot(alpha, k["B_ik"]) - xi)
            + k["IE_i"] + c0
        )  # fmt: skip
        deta = k["c_i"] - k["d_i"] * xi**2 - eta
        dtau = m.r * m.s * xi - m.r * tau - k["m_i"]
        dalpha = (
            beta - k["e_i"] * alpha**3 + k["f_i"] * alpha**2 - gamma
            + m.K21 * (np.dot(xi, k["C_ik"]) - alpha)
            + k["II_i"] + c0
        )  # fmt: skip
        dbeta = k["h_i"] - k["p_i"] * alpha**2 - beta
        dgamma = m.r * m.s * alpha - m.r * gamma - k["n_i"]
        _check(m, state, cpl, [dxi, deta, dtau, dalpha, dbeta, dgamma])
