"""Reduced Wong–Wang model with excitatory and inhibitory pools (Deco et al. 2014)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class ReducedWongWangExcInh(Model):
    r"""Dynamic mean field of coupled excitatory and inhibitory pools (NMDA/GABA gating).

    .. math::

        C &= G J_N (c_0 + lc_0) \\
        x_e &= w_p J_N S_e - J_i S_i + W_e I_o + C + I_{ext} \\
        x_i &= J_N S_e - S_i + W_i I_o + \lambda C \\
        H_k &= \frac{a_k x_k - b_k}{1 - e^{-d_k (a_k x_k - b_k)}}, \quad k \in \{e, i\} \\
        \dot S_e &= -\frac{S_e}{\tau_e} + (1 - S_e)\, H_e\, \gamma_e \\
        \dot S_i &= -\frac{S_i}{\tau_i} + H_i\, \gamma_i

    :math:`S_e`, :math:`S_i` are the synaptic gating variables (kept within [0, 1]) and
    :math:`H_e`, :math:`H_i` the population rates (Hz).  Long-range input ``c_0`` (the coupling
    of ``S_e``) and the local coupling ``lc_0`` are scaled by the global coupling :math:`G`; they
    reach the inhibitory pool only with weight :math:`\lambda` (0 by default).  :math:`J_i` is the
    feedback-inhibition weight (tuned per region in Deco et al. 2014 to keep the excitatory rate
    near 3 Hz).

    References: Wong & Wang 2006; Deco et al. 2014 (J Neurosci 34:7886).
    """

    state_variables = {
        "S_e": StateVariable(
            range=(0.0, 1.0), bounds=(0.0, 1.0), doc="excitatory (NMDA) gating variable"
        ),
        "S_i": StateVariable(
            range=(0.0, 1.0), bounds=(0.0, 1.0), doc="inhibitory (GABA) gating variable"
        ),
    }
    coupling_variables = ("S_e",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("S_e", "S_i"), doc="Quantities recorded by monitors, e.g. 'S_e', 'S_i'."
    )

    a_e: ParamValue = Parameter(
        310.0, range=(0.0, 500.0), unit="n/C", doc="Input gain of the excitatory pool."
    )
    b_e: ParamValue = Parameter(
        125.0, range=(0.0, 200.0), unit="Hz", doc="Input shift of the excitatory pool."
    )
    d_e: ParamValue = Parameter(
        0.160, range=(0.0, 0.2), unit="s", doc="Curvature of the excitatory transfer function."
    )
    gamma_e: ParamValue = Parameter(
        0.641 / 1000, range=(0.0, 1.0 / 1000), doc="Kinetic parameter of the excitatory pool."
    )
    tau_e: ParamValue = Parameter(
        100.0,
        range=(50.0, 150.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="NMDA decay time constant of the excitatory pool.",
    )
    w_p: ParamValue = Parameter(
        1.4, range=(0.0, 2.0), doc="Recurrent excitation weight of the excitatory pool."
    )
    J_N: ParamValue = Parameter(0.15, range=(0.001, 0.5), unit="nA", doc="NMDA synaptic coupling.")
    W_e: ParamValue = Parameter(
        1.0, range=(0.0, 2.0), doc="Scaling of the external input to the excitatory pool."
    )
    a_i: ParamValue = Parameter(
        615.0, range=(0.0, 1000.0), unit="n/C", doc="Input gain of the inhibitory pool."
    )
    b_i: ParamValue = Parameter(
        177.0, range=(0.0, 200.0), unit="Hz", doc="Input shift of the inhibitory pool."
    )
    d_i: ParamValue = Parameter(
        0.087, range=(0.0, 0.2), unit="s", doc="Curvature of the inhibitory transfer function."
    )
    gamma_i: ParamValue = Parameter(
        1.0 / 1000, range=(0.0, 2.0 / 1000), doc="Kinetic parameter of the inhibitory pool."
    )
    tau_i: ParamValue = Parameter(
        10.0,
        range=(5.0, 100.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Decay time constant of the inhibitory pool.",
    )
    J_i: ParamValue = Parameter(
        1.0, range=(0.001, 2.0), unit="nA", doc="Local feedback inhibition weight."
    )
    W_i: ParamValue = Parameter(
        0.7, range=(0.0, 1.0), doc="Scaling of the external input to the inhibitory pool."
    )
    I_o: ParamValue = Parameter(
        0.382, range=(0.0, 1.0), unit="nA", doc="Effective external input current."
    )
    I_ext: ParamValue = Parameter(
        0.0, range=(0.0, 1.0), unit="nA", doc="External stimulus current to the excitatory pool."
    )
    G: ParamValue = Parameter(2.0, range=(0.0, 10.0), doc="Global coupling scaling.")
    lamda: ParamValue = Parameter(
        0.0,
        range=(0.0, 1.0),
        label="lambda",
        doc="Fraction of the long-range input that also reaches the inhibitory pool.",
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
    ):
        net = G * J_N * (c_0 + lc_0)
        jn_se = J_N * S_e
        y_e = a_e * (w_p * jn_se - J_i * S_i + W_e * I_o + net + I_ext) - b_e
        H_e = y_e / (1.0 - np.exp(-d_e * y_e))
        y_i = a_i * (jn_se - S_i + W_i * I_o + lamda * net) - b_i
        H_i = y_i / (1.0 - np.exp(-d_i * y_i))
        dS_e = -(S_e / tau_e) + (1.0 - S_e) * H_e * gamma_e
        dS_i = -(S_i / tau_i) + H_i * gamma_i
        return dS_e, dS_i
