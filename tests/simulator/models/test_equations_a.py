"""Model equations written out independently, batch A.

For each model the numpy ``derivative`` is compared with the published equations (as given in
the reference documentation and the reference implementation), typed out here as plain numpy
expressions on the model's parameter values -- the model's own ``dfun`` is never called.
Each model is checked at several seeded random states (within ``state_ranges()``, 4 nodes)
with random long-range and local coupling, for the default and one non-default parameter set.
"""

from __future__ import annotations

import numpy as np
import pytest

import vbrain as vb

N_NODE = 4
N_STATES = 4
RTOL = 1e-12


def _check(model, reference, seed, c_scale=0.5, lc_scale=0.2):
    """Compare ``model.derivative`` with ``reference(state, c, lc)`` at random points."""
    rng = np.random.default_rng(seed)
    lo_hi = model.state_ranges()
    n_cvar = len(model.coupling_variables)
    for _ in range(N_STATES):
        state = rng.uniform(
            lo_hi[:, 0, None, None], lo_hi[:, 1, None, None], (model.n_var(), N_NODE, 1)
        )
        coupling = rng.uniform(-c_scale, c_scale, (n_cvar, N_NODE, 1))
        local = rng.uniform(-lc_scale, lc_scale, (n_cvar, N_NODE, 1))
        got = np.asarray(model.derivative(state, coupling, local))
        expected = np.stack(
            [np.broadcast_to(d, state[0].shape) for d in reference(state, coupling, local)]
        )
        assert got.shape == state.shape
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0.0)
        # without local coupling
        got0 = np.asarray(model.derivative(state, coupling))
        exp0 = np.stack(
            [np.broadcast_to(d, state[0].shape) for d in reference(state, coupling, 0.0 * local)]
        )
        np.testing.assert_allclose(got0, exp0, rtol=RTOL, atol=0.0)


def _sigmoid_logistic(v, vmax2, r, v0):
    # 2 nu_max / (1 + exp(r (v0 - v)))
    return vmax2 / (1.0 + np.exp(r * (v0 - v)))


# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "tau": 2.5,
            "I": 0.7,
            "a": 1.3,
            "b": -3.0,
            "c": 0.4,
            "d": 0.1,
            "e": -1.5,
            "f": 2.0,
            "g": 0.3,
            "alpha": 0.8,
            "beta": 1.7,
            "gamma": -0.6,
        },
    ],
    ids=["default", "custom"],
)
def test_generic_2d_oscillator(params):
    m = vb.models.Generic2dOscillator(**params)

    def ref(s, c, lc):
        V, W = s[0], s[1]
        dV = (
            m.d
            * m.tau
            * (
                m.alpha * W
                - m.f * V**3
                + m.e * V**2
                + m.g * V
                + m.gamma * m.I
                + m.gamma * c[0]
                + lc[0]
            )
        )
        dW = (m.d / m.tau) * (m.a + m.b * V + m.c * V**2 - m.beta * W)
        return dV, dW

    _check(m, ref, seed=101)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "A": 5.0,
            "B": 30.0,
            "a": 0.12,
            "b": 0.04,
            "v0": 6.0,
            "nu_max": 0.003,
            "r": 0.6,
            "J": 200.0,
            "a_1": 1.2,
            "a_2": 0.6,
            "a_3": 0.3,
            "a_4": 0.2,
            "mu": 0.15,
        },
    ],
    ids=["default", "custom"],
)
def test_jansen_rit(params):
    m = vb.models.JansenRit(**params)

    def S(v):
        return 2.0 * m.nu_max / (1.0 + np.exp(m.r * (m.v0 - v)))

    def ref(s, c, lc):
        y0, y1, y2, y3, y4, y5 = s
        # local coupling of y1 - y2: lc_0 = lc * y1, lc_1 = lc * y2
        dy3 = m.A * m.a * S(y1 - y2) - 2 * m.a * y3 - m.a**2 * y0
        dy4 = (
            m.A * m.a * (m.mu + m.a_2 * m.J * S(m.a_1 * m.J * y0) + c[0] + (lc[0] - lc[1]))
            - 2 * m.a * y4
            - m.a**2 * y1
        )
        dy5 = m.B * m.b * (m.a_4 * m.J * S(m.a_3 * m.J * y0)) - 2 * m.b * y5 - m.b**2 * y2
        return y3, y4, y5, dy3, dy4, dy5

    _check(m, ref, seed=102, c_scale=0.005)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "He": 4.0,
            "Hi": 30.0,
            "ke": 0.12,
            "ki": 0.06,
            "e0": 0.003,
            "rho_2": 5.0,
            "rho_1": 0.5,
            "gamma_1": 120.0,
            "gamma_2": 90.0,
            "gamma_3": 40.0,
            "gamma_4": 25.0,
            "gamma_5": 10.0,
            "gamma_1T": 2.0,
            "gamma_2T": 0.5,
            "gamma_3T": 1.5,
            "P": 0.2,
            "U": 0.1,
            "Q": 0.3,
        },
    ],
    ids=["default", "custom"],
)
def test_zetterberg_jansen(params):
    m = vb.models.ZetterbergJansen(**params)

    def S(v):
        return 2.0 * m.e0 / (1.0 + np.exp(m.rho_1 * (m.rho_2 - v)))

    def ref(s, c, lc):
        v1, y1, v2, y2, v3, y3, v4, y4, v5, y5, v6, v7 = s
        u = S(c[0] + lc[0])
        ke, ki = m.ke, m.ki
        dy1 = (
            m.He * ke * (m.gamma_1 * S(v2 - v3) + m.gamma_1T * (m.U + u)) - 2 * ke * y1 - ke**2 * v1
        )
        dy2 = m.He * ke * (m.gamma_2 * S(v1) + m.gamma_2T * (m.P + u)) - 2 * ke * y2 - ke**2 * v2
        dy3 = m.Hi * ki * (m.gamma_4 * S(v4 - v5)) - 2 * ki * y3 - ki**2 * v3
        dy4 = (
            m.He * ke * (m.gamma_3 * S(v2 - v3) + m.gamma_3T * (m.Q + u)) - 2 * ke * y4 - ke**2 * v4
        )
        # the reference implementation uses ke**2 (not ki**2) in the last term
        dy5 = m.Hi * ki * (m.gamma_5 * S(v4 - v5)) - 2 * ki * y5 - ke**2 * v5
        return y1, dy1, y2, dy2, y3, dy3, y4, dy4, y5, dy5, y2 - y3, y4 - y5

    _check(m, ref, seed=103, c_scale=10.0, lc_scale=2.0)


@pytest.mark.parametrize("params", [{}, {"omega": 37.5}], ids=["default", "custom"])
def test_kuramoto(params):
    m = vb.models.Kuramoto(**params)

    def ref(s, c, lc):
        # dtheta = omega + sum_j w_ij sin(theta_j - theta_i) (= c_0) + sin(lc * theta)
        return (m.omega + c[0] + np.sin(lc[0]),)

    _check(m, ref, seed=104, lc_scale=3.0)


@pytest.mark.parametrize("params", [{}, {"a": 0.8, "omega": 2.3}], ids=["default", "custom"])
def test_sup_hopf(params):
    m = vb.models.SupHopf(**params)

    def ref(s, c, lc):
        x, y = s
        dx = (m.a - x**2 - y**2) * x - m.omega * y + c[0] + lc[0]
        dy = (m.a - x**2 - y**2) * y + m.omega * x + c[1]
        return dx, dy

    _check(m, ref, seed=105)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "c_ee": 14.0,
            "c_ei": 6.0,
            "c_ie": 10.0,
            "c_ii": 3.0,
            "tau_e": 8.0,
            "tau_i": 20.0,
            "a_e": 1.3,
            "b_e": 4.0,
            "c_e": 2.0,
            "theta_e": 1.5,
            "a_i": 1.7,
            "b_i": 3.7,
            "theta_i": 0.5,
            "c_i": 3.0,
            "r_e": 1.5,
            "r_i": 0.7,
            "k_e": 0.9,
            "k_i": 1.4,
            "P": 1.25,
            "Q": 0.5,
            "alpha_e": 1.2,
            "alpha_i": 0.8,
            "shift_sigmoid": 0.0,
        },
    ],
    ids=["default", "custom"],
)
def test_wilson_cowan(params):
    m = vb.models.WilsonCowan(**params)

    def resp(x, a, b, amp):
        # Wilson & Cowan 1972: S(x) = 1/(1+exp(-a(x-b))) - 1/(1+exp(a b)) (shifted form)
        shifted = 1.0 / (1.0 + np.exp(-a * (x - b))) - 1.0 / (1.0 + np.exp(a * b))
        plain = 1.0 / (1.0 + np.exp(-a * (x - b)))
        return amp * (shifted if m.shift_sigmoid else plain)

    def ref(s, c, lc):
        E, I = s
        x_e = m.alpha_e * (m.c_ee * E - m.c_ei * I + m.P - m.theta_e + c[0] + lc[0] + lc[1])
        x_i = m.alpha_i * (m.c_ie * E - m.c_ii * I + m.Q - m.theta_i + lc[0] + lc[1])
        dE = (-E + (m.k_e - m.r_e * E) * resp(x_e, m.a_e, m.b_e, m.c_e)) / m.tau_e
        dI = (-I + (m.k_i - m.r_i * I) * resp(x_i, m.a_i, m.b_i, m.c_i)) / m.tau_i
        return dE, dI

    _check(m, ref, seed=106)


def _rate(x, a, b, d):
    # Abbott & Chance transfer function H(x) = (a x - b) / (1 - exp(-d (a x - b)))
    return (a * x - b) / (1.0 - np.exp(-d * (a * x - b)))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "a": 0.2,
            "b": 0.09,
            "d": 120.0,
            "gamma": 0.5,
            "tau_s": 80.0,
            "w": 0.9,
            "J_N": 0.35,
            "I_o": 0.4,
        },
    ],
    ids=["default", "custom"],
)
def test_reduced_wong_wang(params):
    m = vb.models.ReducedWongWang(**params)

    def ref(s, c, lc):
        S = s[0]
        x = m.w * m.J_N * S + m.I_o + m.J_N * c[0] + m.J_N * lc[0]
        return (-S / m.tau_s + (1.0 - S) * _rate(x, m.a, m.b, m.d) * m.gamma,)

    _check(m, ref, seed=107)


def _exc_inh_reference(m, gain):
    def ref(s, c, lc):
        S_e, S_i = s
        C = m.G * m.J_N * (c[0] + lc[0])
        x_e = m.w_p * m.J_N * S_e - m.J_i * S_i + m.W_e * m.I_o + C + m.I_ext
        x_i = m.J_N * S_e - S_i + m.W_i * m.I_o + m.lamda * C
        y_e = gain * (m.a_e * x_e - m.b_e)
        y_i = gain * (m.a_i * x_i - m.b_i)
        H_e = y_e / (1.0 - np.exp(-m.d_e * y_e))
        H_i = y_i / (1.0 - np.exp(-m.d_i * y_i))
        dS_e = -S_e / m.tau_e + (1.0 - S_e) * H_e * m.gamma_e
        dS_i = -S_i / m.tau_i + H_i * m.gamma_i
        return dS_e, dS_i

    return ref


EXC_INH_CUSTOM = {
    "a_e": 270.0, "b_e": 108.0, "d_e": 0.154, "gamma_e": 0.0005, "tau_e": 120.0, "w_p": 1.1,
    "J_N": 0.2, "W_e": 1.2, "a_i": 500.0, "b_i": 150.0, "d_i": 0.1, "gamma_i": 0.0015,
    "tau_i": 20.0, "J_i": 0.8, "W_i": 0.5, "I_o": 0.3, "I_ext": 0.05, "G": 3.5, "lamda": 0.4,
}  # fmt: skip


@pytest.mark.parametrize("params", [{}, EXC_INH_CUSTOM], ids=["default", "custom"])
def test_reduced_wong_wang_exc_inh(params):
    m = vb.models.ReducedWongWangExcInh(**params)
    _check(m, _exc_inh_reference(m, 1.0), seed=108)


@pytest.mark.parametrize("params", [{}, {**EXC_INH_CUSTOM, "M_i": 2.5}], ids=["default", "custom"])
def test_deco_balanced_exc_inh(params):
    m = vb.models.DecoBalancedExcInh(**params)
    # Deco et al. 2021: H(M_i (a I - b)) -- the gain multiplies the argument of the transfer
    _check(m, _exc_inh_reference(m, m.M_i), seed=109)


@pytest.mark.parametrize("params", [{}, {"gamma": -2.75}], ids=["default", "custom"])
def test_linear(params):
    m = vb.models.Linear(**params)

    def ref(s, c, lc):
        return (m.gamma * s[0] + c[0] + lc[0],)

    _check(m, ref, seed=110)
