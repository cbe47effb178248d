"""DecoBalancedExcInh: excitatory-inhibitory mean field with a regional gain (Deco et al. 2021)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Parameter, ParamValue
from vbrain.simulator.models.reduced_wong_wang_exc_inh import ReducedWongWangExcInh


class DecoBalancedExcInh(ReducedWongWangExcInh):
    r"""Reduced Wong–Wang E-I model with an effective gain :math:`M_i` on both transfer functions.

    .. math::

        C &= G J_N (c_0 + lc_0) \\
        y_e &= M_i\,\bigl(a_e (W_e I_o + w_p J_N S_e + C - J_i S_i + I_{ext}) - b_e\bigr) \\
        y_i &= M_i\,\bigl(a_i (W_i I_o + J_N S_e - S_i + \lambda C) - b_i\bigr) \\
        H_k &= \frac{y_k}{1 - e^{-d_k y_k}}, \quad k \in \{e, i\} \\
        \dot S_e &= -\frac{S_e}{\tau_e} + (1 - S_e)\, H_e\, \gamma_e \\
        \dot S_i &= -\frac{S_i}{\tau_i} + H_i\, \gamma_i

    Deco et al. (2021) scale the input-output functions of each region by a gain
    :math:`M_i` derived from the regional expression of excitatory and inhibitory receptor
    genes (typically set per node); :math:`M_i = 1` gives back the balanced
    :class:`ReducedWongWangExcInh`.  All other parameters, state variables (bounded to
    [0, 1]), coupling and variables of interest are those of that model.

    References: Deco et al. 2021 (Sci Adv 7:eabf4752); Deco et al. 2014 (J Neurosci 34:7886).
    """

    M_i: ParamValue = Parameter(
        1.0, range=(1.0, 10.0), label="M_i", doc="Effective gain of the region's populations."
    )

    @staticmethod
    def dfun(
        S_e,
        S_i,
        c_0,
        lc_0,
        a_e,
        b_e,
        d_e,
        gamma_e,
        tau_e,
        w_p,
        J_N,
        W_e,
        a_i,
        b_i,
        d_i,
        gamma_i,
        tau_i,
        J_i,
        W_i,
        I_o,
        I_ext,
        G,
        lamda,
        M_i,
    ):
        net = G * J_N * (c_0 + lc_0)
        jn_se = J_N * S_e
        I_e = W_e * I_o + w_p * jn_se + net - J_i * S_i + I_ext
        y_e = (a_e * I_e - b_e) * M_i
        H_e = y_e / (1.0 - np.exp(-d_e * y_e))
        I_i = W_i * I_o + jn_se - S_i + lamda * net
        y_i = (a_i * I_i - b_i) * M_i
        H_i = y_i / (1.0 - np.exp(-d_i * y_i))
        dS_e = -(S_e / tau_e) + (1.0 - S_e) * H_e * gamma_e
        dS_i = -(S_i / tau_i) + H_i * gamma_i
        return dS_e, dS_i
