r"""Mean-field models of adaptive exponential integrate-and-fire (AdEx) networks.

Zerlaut et al. 2018 derived a master equation for the firing rates of sparsely, randomly
connected excitatory and inhibitory conductance-based neurons; di Volo et al. 2019 added
spike-frequency adaptation.  Both models here share one semi-analytic transfer function:

1. the presynaptic rates (recurrent, plus external inputs weighted by ``K_ext``) give the
   mean synaptic conductances :math:`\mu_{G_e} = Q_e \tau_e f_e`,
   :math:`\mu_{G_i} = Q_i \tau_i f_i` (a spontaneous rate of 1e-6 kHz is added to the
   recurrent rates), the total conductance :math:`\mu_G` and the effective membrane time
   constant :math:`T_m = C_m / \mu_G`;
2. from them the mean :math:`\mu_V` (shifted by the adaptation current :math:`W`), standard
   deviation :math:`\sigma_V` and autocorrelation time :math:`\tau_V` of the membrane
   potential fluctuations (:func:`zerlaut_fluctuations`);
3. a phenomenological threshold :math:`V^{eff}_{thr}`, a second-order polynomial with
   coefficients ``P`` in the normalised :math:`(\mu_V, \sigma_V, \tau_V g_L / C_m)`
   (:func:`zerlaut_threshold`);
4. the output rate :math:`\operatorname{erfc}((V^{eff}_{thr} - \mu_V) /
   (\sqrt 2 \sigma_V)) / (2 \tau_V)` (:func:`zerlaut_transfer`).

Rates are in kHz, potentials in mV, conductances in nS, times in ms, currents in pA.
"""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue, VectorParameter
from vbrain.simulator.models.base import Model, StateVariable, erfc, where

__all__ = ["ZerlautAdaptationFirstOrder", "ZerlautAdaptationSecondOrder"]


def zerlaut_fluctuations(
    Fe,
    Fi,
    Fe_ext,
    Fi_ext,
    W,
    Q_e,
    tau_e,
    E_e,
    Q_i,
    tau_i,
    E_i,
    g_L,
    C_m,
    E_L,
    N_tot,
    p_connect_e,
    p_connect_i,
    g,
    K_ext_e,
    K_ext_i,
):
    """Mean, standard deviation and autocorrelation time of the membrane potential."""
    # total presynaptic rates: recurrent (plus a small spontaneous release) and external
    fe = (Fe + 1.0e-6) * (1.0 - g) * p_connect_e * N_tot + Fe_ext * K_ext_e
    fi = (Fi + 1.0e-6) * g * p_connect_i * N_tot + Fi_ext * K_ext_i
    mu_Ge = Q_e * tau_e * fe
    mu_Gi = Q_i * tau_i * fi
    # divisions dominate the cost of the second-order model (9 transfer functions per
    # population and stage): reciprocals are taken once and multiplied
    inv_mu_G = 1.0 / (g_L + mu_Ge + mu_Gi)
    T_m = C_m * inv_mu_G
    mu_V = (mu_Ge * E_e + mu_Gi * E_i + g_L * E_L - W) * inv_mu_G
    # amplitudes of the postsynaptic potentials around mu_V
    Ue_tau = Q_e * inv_mu_G * (E_e - mu_V) * tau_e
    Ui_tau = Q_i * inv_mu_G * (E_i - mu_V) * tau_i
    se = fe * (Ue_tau * Ue_tau)
    si = fi * (Ui_tau * Ui_tau)
    re = 1.0 / (tau_e + T_m)
    ri = 1.0 / (tau_i + T_m)
    rate = se * re + si * ri
    sigma_V = np.sqrt(0.5 * rate)
    T_V = (se + si) / rate
    return mu_V, sigma_V, T_V


def zerlaut_threshold(mu_V, sigma_V, TvN, P):
    """Phenomenological threshold (in V) from the normalised fluctuation statistics."""
    # normalisation (Zerlaut et al. 2018): (x - x0) / dx; x + 60 == x - (-60) exactly, and
    # the division by dx = 1 of the time constant is exact, so it is left out
    V = (mu_V + 60.0) / 10.0
    S = (sigma_V - 4.0) / 6.0
    T = TvN - 0.5
    return (
        P[0]
        + P[1] * V
        + P[2] * S
        + P[3] * T
        + P[4] * (V * V)
        + P[5] * (S * S)
        + P[6] * (T * T)
        + P[7] * V * S
        + P[8] * V * T
        + P[9] * S * T
    )


def zerlaut_transfer(
    fe,
    fi,
    fe_ext,
    fi_ext,
    W,
    P,
    E_L,
    Q_e,
    tau_e,
    E_e,
    Q_i,
    tau_i,
    E_i,
    g_L,
    C_m,
    N_tot,
    p_connect_e,
    p_connect_i,
    g,
    K_ext_e,
    K_ext_i,
):
    """Output rate (kHz) of a population with threshold polynomial ``P`` and leak ``E_L``."""
    mu_V, sigma_V, T_V = zerlaut_fluctuations(
        fe,
        fi,
        fe_ext,
        fi_ext,
        W,
        Q_e,
        tau_e,
        E_e,
        Q_i,
        tau_i,
        E_i,
        g_L,
        C_m,
        E_L,
        N_tot,
        p_connect_e,
        p_connect_i,
        g,
        K_ext_e,
        K_ext_i,
    )
    V_thre = zerlaut_threshold(mu_V, sigma_V, T_V * g_L / C_m, P) * 1e3  # V -> mV
    return erfc((V_thre - mu_V) / (1.4142135623730951 * sigma_V)) / (2.0 * T_V)


def zerlaut_transfer_derivatives(
    fe,
    fi,
    fe_ext,
    fi_ext,
    W,
    P,
    E_L,
    Q_e,
    tau_e,
    E_e,
    Q_i,
    tau_i,
    E_i,
    g_L,
    C_m,
    N_tot,
    p_connect_e,
    p_connect_i,
    g,
    K_ext_e,
    K_ext_i,
):
    """Transfer function and its finite-difference derivatives in ``fe`` and ``fi``.

    Returns ``(F, dF/dfe, dF/dfi, d2F/dfe2, d2F/(dfi dfe), d2F/(dfe dfi), d2F/dfi2)`` from a
    nine-point stencil of step ``df = 1e-7`` kHz; derivatives are per ``df * 1e3`` as in the
    reference (central differences; the two mixed derivatives differ only in the order of
    the nested differences, i.e. in rounding).
    """
    df = 1e-7
    h = df * 1e3
    h2 = h * h
    h_2 = 2.0 * df * 1e3
    fe_p = fe + df
    fe_m = fe - df
    fi_p = fi + df
    fi_m = fi - df
    # (numba cannot inline a call with *args: the arguments are spelled out)
    F = zerlaut_transfer(
        fe, fi, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_ep = zerlaut_transfer(
        fe_p, fi, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_em = zerlaut_transfer(
        fe_m, fi, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_ip = zerlaut_transfer(
        fe, fi_p, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_im = zerlaut_transfer(
        fe, fi_m, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_pp = zerlaut_transfer(
        fe_p, fi_p, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_pm = zerlaut_transfer(
        fe_p, fi_m, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_mp = zerlaut_transfer(
        fe_m, fi_p, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    F_mm = zerlaut_transfer(
        fe_m, fi_m, fe_ext, fi_ext, W, P, E_L, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
        N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
    )  # fmt: skip
    d_fe = (F_ep - F_em) / h_2
    d_fi = (F_ip - F_im) / h_2
    d2_fefe = (F_ep - 2.0 * F + F_em) / h2
    # d/dfi of dF/dfe, and d/dfe of dF/dfi
    d2_fefi = ((F_pp - F_mp) / h_2 - (F_pm - F_mm) / h_2) / h_2
    d2_fife = ((F_pp - F_pm) / h_2 - (F_mp - F_mm) / h_2) / h_2
    d2_fifi = (F_ip - 2.0 * F + F_im) / h2
    return F, d_fe, d_fi, d2_fefe, d2_fefi, d2_fife, d2_fifi


class ZerlautAdaptationFirstOrder(Model):
    r"""First-order AdEx mean field with adaptation (Zerlaut et al. 2018, di Volo et al. 2019).

    .. math::

        T\,\dot E &= F_e(E, I, \nu^{e}_{e}, \nu^{e}_{i}, W_e) - E \\
        T\,\dot I &= F_i(E, I, \nu^{i}_{e}, \nu^{i}_{i}, W_i) - I \\
        \dot W_e &= -\frac{W_e}{\tau_{we}} + b_e E + \frac{a_e (\mu_V^{e} - E_{Le})}{\tau_{we}} \\
        \dot W_i &= -\frac{W_i}{\tau_{wi}} + b_i I + \frac{a_i (\mu_V^{i} - E_{Li})}{\tau_{wi}} \\
        \dot{ou}_{drift} &= -\frac{ou_{drift}}{\tau_{OU}}

    :math:`F_e, F_i` are the transfer functions of the module docstring (threshold polynomials
    ``P_e``, ``P_i``; leaks ``E_L_e``, ``E_L_i``) and :math:`\mu_V^{e,i}` the corresponding
    mean membrane potentials.  The external excitatory rate is
    :math:`\nu_{ext} = c_0 + lc_0 + w_{noise}\, ou_{drift}`, set to 0 where
    :math:`\nu_{ext} K_{ext,e} < 0`; the excitatory population receives
    :math:`\nu^{e}_{e} = \nu_{ext} + \nu^{ext}_{ee}`, :math:`\nu^{e}_{i} = \nu^{ext}_{ei}`,
    the inhibitory one :math:`\nu^{i}_{e} = \nu_{ext} + \nu^{ext}_{ie}`,
    :math:`\nu^{i}_{i} = \nu^{ext}_{ii}` (parameters ``external_input_*``; the external
    inhibitory rates are weighted by ``K_ext_i``, 0 by default).  ``c_0`` is the long-range
    coupling of ``E``.  ``ou_drift`` only relaxes to 0: with noise on it, it is an
    Ornstein-Uhlenbeck process whose excursions drive the excitatory input through
    ``weight_noise``.  ``S_i`` is declared (as in the reference) but unused by this model.

    Differences from the reference: its local coupling also adds ``local_coupling * I`` to the
    external inhibitory rate; here only the coupling variable ``E`` has a local-coupling term
    (``lc_0``), so that inhibitory term is left out.  It only matters for surface simulations
    with ``K_ext_i != 0``.  The reference's typical range of ``W_i`` and ``ou_drift`` is the
    single point 0, which a state-variable range cannot express (it needs lo < hi); it is
    [0, 1e-9] here.

    References: Zerlaut et al. 2018 (J Comput Neurosci 44:45); di Volo et al. 2019 (Neural
    Comput 31:653).
    """

    state_variables = {
        "E": StateVariable(
            range=(1e-3, 250e-3),
            bounds=(0.0, None),
            unit="kHz",
            doc="firing rate of the excitatory population",
        ),
        "I": StateVariable(
            range=(1e-3, 250e-3),
            bounds=(0.0, None),
            unit="kHz",
            doc="firing rate of the inhibitory population",
        ),
        "W_e": StateVariable(
            range=(0.0, 200.0), unit="pA", doc="adaptation current of the excitatory population"
        ),
        "W_i": StateVariable(
            range=(0.0, 1e-9), unit="pA", doc="adaptation current of the inhibitory population"
        ),
        "ou_drift": StateVariable(
            range=(0.0, 1e-9), doc="Ornstein-Uhlenbeck drive (noise enters through it)"
        ),
    }
    coupling_variables = ("E",)
    helpers = (zerlaut_fluctuations, zerlaut_threshold, zerlaut_transfer)

    variables_of_interest: tuple[str, ...] = Attr(
        ("E",), doc="Quantities recorded by monitors, e.g. 'E', 'I', 'W_e', 'W_i', 'ou_drift'."
    )

    g_L: ParamValue = Parameter(
        10.0, range=(0.1, 100.0), valid=(0.0, None), unit="nS", doc="Leak conductance."
    )
    E_L_e: ParamValue = Parameter(
        -65.0, range=(-90.0, -60.0), unit="mV", doc="Leak reversal potential, excitatory cells."
    )
    E_L_i: ParamValue = Parameter(
        -65.0, range=(-90.0, -60.0), unit="mV", doc="Leak reversal potential, inhibitory cells."
    )
    C_m: ParamValue = Parameter(
        200.0,
        range=(10.0, 500.0),
        valid=(0.0, None),
        exclusive=True,
        unit="pF",
        doc="Membrane capacitance.",
    )
    b_e: ParamValue = Parameter(
        60.0, range=(0.0, 150.0), unit="pA", doc="Adaptation increment, excitatory cells."
    )
    a_e: ParamValue = Parameter(
        4.0, range=(0.0, 20.0), unit="nS", doc="Adaptation conductance, excitatory cells."
    )
    b_i: ParamValue = Parameter(
        0.0, range=(0.0, 100.0), unit="pA", doc="Adaptation increment, inhibitory cells."
    )
    a_i: ParamValue = Parameter(
        0.0, range=(0.0, 20.0), unit="nS", doc="Adaptation conductance, inhibitory cells."
    )
    tau_w_e: ParamValue = Parameter(
        500.0,
        range=(1.0, 1000.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Adaptation time constant, excitatory cells.",
    )
    tau_w_i: ParamValue = Parameter(
        1.0,
        range=(1.0, 1000.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Adaptation time constant, inhibitory cells.",
    )
    E_e: ParamValue = Parameter(
        0.0, range=(-20.0, 20.0), unit="mV", doc="Excitatory synaptic reversal potential."
    )
    E_i: ParamValue = Parameter(
        -80.0, range=(-100.0, -60.0), unit="mV", doc="Inhibitory synaptic reversal potential."
    )
    Q_e: ParamValue = Parameter(
        1.5, range=(0.0, 5.0), unit="nS", doc="Excitatory quantal conductance."
    )
    Q_i: ParamValue = Parameter(
        5.0, range=(0.0, 10.0), unit="nS", doc="Inhibitory quantal conductance."
    )
    tau_e: ParamValue = Parameter(
        5.0,
        range=(1.0, 10.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Decay time of excitatory synaptic conductances.",
    )
    tau_i: ParamValue = Parameter(
        5.0,
        range=(0.5, 10.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Decay time of inhibitory synaptic conductances.",
    )
    N_tot: ParamValue = Parameter(
        10000.0,
        range=(1000.0, 50000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Number of cells of the network a node stands for (an integer).",
    )
    p_connect_e: ParamValue = Parameter(
        0.05, range=(0.001, 0.2), doc="Connection probability from excitatory cells."
    )
    p_connect_i: ParamValue = Parameter(
        0.05, range=(0.001, 0.2), doc="Connection probability from inhibitory cells."
    )
    g: ParamValue = Parameter(
        0.2, range=(0.01, 0.4), valid=(0.0, 1.0), doc="Fraction of inhibitory cells."
    )
    K_ext_e: ParamValue = Parameter(
        400.0,
        range=(0.0, 10000.0),
        doc="Number of excitatory synapses from the external population (an integer).",
    )
    K_ext_i: ParamValue = Parameter(
        0.0,
        range=(0.0, 10000.0),
        doc="Number of inhibitory synapses from the external population (an integer).",
    )
    T: ParamValue = Parameter(
        20.0,
        range=(1.0, 20.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Time scale of the population-rate dynamics.",
    )
    P_e: tuple[float, ...] = VectorParameter(
        (
            -0.04983106,
            0.005063550882777035,
            -0.023470121807314552,
            0.0022951513725067503,
            -0.0004105302652029825,
            0.010547051343547399,
            -0.03659252821136933,
            0.007437487505797858,
            0.001265064721846073,
            -0.04072161294490446,
        ),
        doc="Coefficients of the excitatory threshold polynomial (10 values, V).",
    )
    P_i: tuple[float, ...] = VectorParameter(
        (
            -0.05149122024209484,
            0.004003689190271077,
            -0.008352013668528155,
            0.0002414237992765705,
            -0.0005070645080016026,
            0.0014345394104282397,
            -0.014686689498949967,
            0.004502706285435741,
            0.0028472190352532454,
            -0.015357804594594548,
        ),
        doc="Coefficients of the inhibitory threshold polynomial (10 values, V).",
    )
    external_input_ex_ex: ParamValue = Parameter(
        0.0, range=(0.0, 0.1), unit="kHz", doc="External excitatory rate onto excitatory cells."
    )
    external_input_ex_in: ParamValue = Parameter(
        0.0, range=(0.0, 0.1), unit="kHz", doc="External inhibitory rate onto excitatory cells."
    )
    external_input_in_ex: ParamValue = Parameter(
        0.0, range=(0.0, 0.1), unit="kHz", doc="External excitatory rate onto inhibitory cells."
    )
    external_input_in_in: ParamValue = Parameter(
        0.0, range=(0.0, 0.1), unit="kHz", doc="External inhibitory rate onto inhibitory cells."
    )
    tau_OU: ParamValue = Parameter(
        5.0,
        range=(0.1, 10.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Relaxation time of the Ornstein-Uhlenbeck drive ou_drift.",
    )
    weight_noise: ParamValue = Parameter(
        10.5, range=(0.0, 50.0), doc="Weight of ou_drift in the external excitatory rate."
    )
    S_i: ParamValue = Parameter(
        1.0,
        range=(0.0, 2.0),
        doc="Scaling of the long-range input to inhibitory cells (second-order model only).",
    )

    @staticmethod
    def dfun(
        E,
        I,
        W_e,
        W_i,
        ou_drift,
        c_0,
        lc_0,
        g_L,
        E_L_e,
        E_L_i,
        C_m,
        b_e,
        a_e,
        b_i,
        a_i,
        tau_w_e,
        tau_w_i,
        E_e,
        E_i,
        Q_e,
        Q_i,
        tau_e,
        tau_i,
        N_tot,
        p_connect_e,
        p_connect_i,
        g,
        K_ext_e,
        K_ext_i,
        T,
        P_e,
        P_i,
        external_input_ex_ex,
        external_input_ex_in,
        external_input_in_ex,
        external_input_in_in,
        tau_OU,
        weight_noise,
    ):
        Fe_ext = c_0 + lc_0 + weight_noise * ou_drift
        Fe_ext = where(Fe_ext * K_ext_e < 0.0, 0.0, Fe_ext)
        # inputs of the excitatory (e) and inhibitory (i) populations; no local coupling of I
        fe_e = Fe_ext + external_input_ex_ex
        fi_e = 0.0 + external_input_ex_in
        fe_i = Fe_ext + external_input_in_ex
        fi_i = 0.0 + external_input_in_in
        F_e = zerlaut_transfer(
            E, I, fe_e, fi_e, W_e, P_e, E_L_e, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )  # fmt: skip
        F_i = zerlaut_transfer(
            E, I, fe_i, fi_i, W_i, P_i, E_L_i, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )  # fmt: skip
        mu_V_e = zerlaut_fluctuations(
            E, I, fe_e, fi_e, W_e, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m, E_L_e,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )[0]  # fmt: skip
        mu_V_i = zerlaut_fluctuations(
            E, I, fe_i, fi_i, W_i, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m, E_L_i,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )[0]  # fmt: skip
        dE = (F_e - E) / T
        dI = (F_i - I) / T
        dW_e = -W_e / tau_w_e + b_e * E + a_e * (mu_V_e - E_L_e) / tau_w_e
        dW_i = -W_i / tau_w_i + b_i * I + a_i * (mu_V_i - E_L_i) / tau_w_i
        d_ou = -ou_drift / tau_OU
        return dE, dI, dW_e, dW_i, d_ou


class ZerlautAdaptationSecondOrder(ZerlautAdaptationFirstOrder):
    r"""Second-order AdEx mean field with adaptation: rates plus their (co)variances.

    With :math:`\mu, \lambda, \eta \in \{e, i\}`, rates :math:`\nu_e = E, \nu_i = I` and
    (co)variances :math:`c_{ee} = C_{ee}`, :math:`c_{ei} = c_{ie} = C_{ei}`,
    :math:`c_{ii} = C_{ii}` (summation over repeated :math:`\lambda, \eta`):

    .. math::

        T\,\dot\nu_\mu &= F_\mu - \nu_\mu + \tfrac12\, c_{\lambda\eta}\,
            \frac{\partial^2 F_\mu}{\partial\nu_\lambda \partial\nu_\eta} \\
        T\,\dot c_{\lambda\eta} &= \delta_{\lambda\eta}\,
            \frac{F_\lambda (1/T - F_\lambda)}{N_\lambda}
            + (F_\lambda - \nu_\lambda)(F_\eta - \nu_\eta)
            + c_{\lambda\mu} \frac{\partial F_\mu}{\partial\nu_\lambda}
            + c_{\mu\eta} \frac{\partial F_\mu}{\partial\nu_\eta} - 2 c_{\lambda\eta}

    with :math:`N_e = N_{tot}(1 - g)`, :math:`N_i = N_{tot}\, g`; the adaptation currents
    :math:`W_e, W_i` and ``ou_drift`` evolve as in :class:`ZerlautAdaptationFirstOrder`.

    The derivatives of the transfer functions are central finite differences with step
    1e-7 kHz (divided by the step times 1e3, as in the reference, whose numbers this model
    reproduces); both mixed derivatives are evaluated (they differ only by rounding).

    Inputs differ from the first-order model: the excitatory input of the excitatory
    population is :math:`c_0 + lc_0 + \nu^{ext}_{ee} + w_{noise}\, ou_{drift}`, that of the
    inhibitory population :math:`S_i c_0 + lc_0 + \nu^{ext}_{ie} + w_{noise}\, ou_{drift}`,
    each set to 0 where negative; the inhibitory inputs are :math:`\nu^{ext}_{ei}` and
    :math:`\nu^{ext}_{ii}`.  As in the first-order model, the reference's local coupling of
    ``I`` (added to the inhibitory inputs) is left out, and the single-point ranges of ``W_i``
    and ``ou_drift`` are [0, 1e-9].

    References: Zerlaut et al. 2018 (J Comput Neurosci 44:45); di Volo et al. 2019 (Neural
    Comput 31:653); El Boustani & Destexhe 2009 (Neural Comput 21:46).
    """

    state_variables = {
        "E": ZerlautAdaptationFirstOrder.state_variables["E"],
        "I": ZerlautAdaptationFirstOrder.state_variables["I"],
        "C_ee": StateVariable(
            range=(0.0, 0.5e-3), unit="kHz^2", doc="variance of the excitatory rate"
        ),
        "C_ei": StateVariable(
            range=(-0.5e-3, 0.5e-3),
            unit="kHz^2",
            doc="covariance of the excitatory and inhibitory rates",
        ),
        "C_ii": StateVariable(
            range=(0.0, 0.5e-3), unit="kHz^2", doc="variance of the inhibitory rate"
        ),
        "W_e": ZerlautAdaptationFirstOrder.state_variables["W_e"],
        "W_i": ZerlautAdaptationFirstOrder.state_variables["W_i"],
        "ou_drift": ZerlautAdaptationFirstOrder.state_variables["ou_drift"],
    }
    coupling_variables = ("E",)
    helpers = (
        zerlaut_fluctuations,
        zerlaut_threshold,
        zerlaut_transfer,
        zerlaut_transfer_derivatives,
    )

    variables_of_interest: tuple[str, ...] = Attr(
        ("E",),
        doc="Quantities recorded by monitors, e.g. 'E', 'I', 'C_ee', 'C_ei', 'C_ii', 'W_e'.",
    )

    @staticmethod
    def dfun(
        E,
        I,
        C_ee,
        C_ei,
        C_ii,
        W_e,
        W_i,
        ou_drift,
        c_0,
        lc_0,
        g_L,
        E_L_e,
        E_L_i,
        C_m,
        b_e,
        a_e,
        b_i,
        a_i,
        tau_w_e,
        tau_w_i,
        E_e,
        E_i,
        Q_e,
        Q_i,
        tau_e,
        tau_i,
        N_tot,
        p_connect_e,
        p_connect_i,
        g,
        K_ext_e,
        K_ext_i,
        T,
        P_e,
        P_i,
        external_input_ex_ex,
        external_input_ex_in,
        external_input_in_ex,
        external_input_in_in,
        tau_OU,
        weight_noise,
        S_i,
    ):
        N_e = N_tot * (1.0 - g)
        N_i = N_tot * g
        fe_e = c_0 + lc_0 + external_input_ex_ex + weight_noise * ou_drift
        fe_e = where(fe_e < 0.0, 0.0, fe_e)
        fe_i = S_i * c_0 + lc_0 + external_input_in_ex + weight_noise * ou_drift
        fe_i = where(fe_i < 0.0, 0.0, fe_i)
        # no local coupling of I (see the class docstring)
        fi_e = 0.0 + external_input_ex_in
        fi_i = 0.0 + external_input_in_in
        F_e, de_e, di_e, dee_e, dei_e, die_e, dii_e = zerlaut_transfer_derivatives(
            E, I, fe_e, fi_e, W_e, P_e, E_L_e, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )  # fmt: skip
        F_i, de_i, di_i, dee_i, dei_i, die_i, dii_i = zerlaut_transfer_derivatives(
            E, I, fe_i, fi_i, W_i, P_i, E_L_i, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )  # fmt: skip
        dE = (
            F_e
            - E
            + 0.5 * C_ee * dee_e
            + 0.5 * C_ei * dei_e
            + 0.5 * C_ei * die_e
            + 0.5 * C_ii * dii_e
        ) / T
        dI = (
            F_i
            - I
            + 0.5 * C_ee * dee_i
            + 0.5 * C_ei * dei_i
            + 0.5 * C_ei * die_i
            + 0.5 * C_ii * dii_i
        ) / T
        Fe_E = F_e - E
        Fi_I = F_i - I
        dC_ee = (
            F_e * (1.0 / T - F_e) / N_e
            + Fe_E * Fe_E
            + 2.0 * C_ee * de_e
            + 2.0 * C_ei * di_e
            - 2.0 * C_ee
        ) / T
        dC_ei = (
            Fe_E * Fi_I + C_ee * de_e + C_ei * de_i + C_ei * di_e + C_ii * di_i - 2.0 * C_ei
        ) / T
        dC_ii = (
            F_i * (1.0 / T - F_i) / N_i
            + Fi_I * Fi_I
            + 2.0 * C_ii * di_i
            + 2.0 * C_ei * de_i
            - 2.0 * C_ii
        ) / T
        mu_V_e = zerlaut_fluctuations(
            E, I, fe_e, fi_e, W_e, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m, E_L_e,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )[0]  # fmt: skip
        mu_V_i = zerlaut_fluctuations(
            E, I, fe_i, fi_i, W_i, Q_e, tau_e, E_e, Q_i, tau_i, E_i, g_L, C_m, E_L_i,
            N_tot, p_connect_e, p_connect_i, g, K_ext_e, K_ext_i,
        )[0]  # fmt: skip
        dW_e = -W_e / tau_w_e + b_e * E + a_e * (mu_V_e - E_L_e) / tau_w_e
        dW_i = -W_i / tau_w_i + b_i * I + a_i * (mu_V_i - E_L_i) / tau_w_i
        d_ou = -ou_drift / tau_OU
        return dE, dI, dC_ee, dC_ei, dC_ii, dW_e, dW_i, d_ou
