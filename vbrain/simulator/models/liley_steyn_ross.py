"""Liley's lumped cortical mean-field model as used by Steyn-Ross et al. (1999)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable

__all__ = ["LileySteynRoss"]


class LileySteynRoss(Model):
    r"""Mean soma potentials of an excitatory and an inhibitory cortical population.

    .. math::

        \tau_e \dot h_e &= h_e^{r} - h_e
            + \psi_{ee}\left((N^\alpha_{ee} + N^\beta_{ee}) S_e + p_{ee}\right)\frac{G_e}{\gamma_e}
            + \lambda\,\psi_{ie}\left(N^\beta_{ie} S_i + p_{ie}\right)\frac{G_i}{\gamma_i} \\
        \tau_i \dot h_i &= h_i^{r} - h_i
            + \psi_{ei}\left((N^\alpha_{ei} + N^\beta_{ei}) S_e + p_{ei}\right)\frac{G_e}{\gamma_e}
            + \lambda\,\psi_{ii}\left(N^\beta_{ii} S_i + p_{ii}\right)\frac{G_i}{\gamma_i} \\
        \psi_{jk} &= \frac{h_j^{rev} - h_k}{\left|h_j^{rev} - h_k^{r}\right|}, \qquad
        S_e = \frac{1}{1 + e^{-g_e (h_e + c_0 - \theta_e)}}, \qquad
        S_i = \frac{1}{1 + e^{-g_i (h_i + c_0 - \theta_i)}}

    where :math:`h^r` are the resting and :math:`h^{rev}` the reversal potentials.  The
    synaptic dynamics of Liley's full model are taken at steady state: each input is the
    firing rate :math:`S` of the presynaptic population times the number of synapses
    (:math:`N^\beta` local, :math:`N^\alpha` long-range) plus the subcortical drive
    :math:`p`, weighted by the time integral :math:`G/\gamma` of the postsynaptic potential
    and by the reversal-potential factor :math:`\psi`.  Anaesthetic action is represented, after
    Steyn-Ross et al. (1999), by the factor :math:`\lambda` on the inhibitory input (it stands
    for the prolonged IPSP, i.e. an inhibitory rate constant :math:`\gamma_i / \lambda`);
    :math:`\lambda = 1` means no anaesthetic.

    Long-range input ``c_0`` is the coupling of :math:`h_e` and shifts *both* sigmoids, as in
    the reference (tvb-contrib's ``LileySteynRoss``); the coupling of :math:`h_i` is computed
    but not used, and there is no local-coupling term.  ``A_ee`` and ``A_ei`` (the
    inverse length scales of the cortico-cortical fibres, used by the spatially extended
    model) are declared for completeness and do not enter these equations.

    References: Liley, Cadusch & Wright 1999 (Neurocomputing 26-27:795); Steyn-Ross,
    Steyn-Ross, Sleigh & Liley 1999 (Phys Rev E 60:7299), parameters from their Table 1;
    Liley et al. 2002 (Network 13:67); Bojak & Liley 2005 (Phys Rev E 71:041902).
    """

    state_variables = {
        "he": StateVariable(
            range=(-90.0, 70.0), unit="mV", doc="mean soma potential, excitatory population"
        ),
        "hi": StateVariable(
            range=(-90.0, 70.0), unit="mV", doc="mean soma potential, inhibitory population"
        ),
    }
    coupling_variables = ("he", "hi")

    variables_of_interest: tuple[str, ...] = Attr(
        ("he",), doc="Quantities recorded by monitors, e.g. 'he', 'hi'."
    )

    tau_e: ParamValue = Parameter(
        40.0,
        range=(5.0, 50.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Membrane time constant of the excitatory population.",
    )
    tau_i: ParamValue = Parameter(
        40.0,
        range=(5.0, 50.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Membrane time constant of the inhibitory population.",
    )
    h_e_rest: ParamValue = Parameter(
        -70.0, range=(-90.0, -50.0), unit="mV", doc="Resting potential, excitatory cells."
    )
    h_i_rest: ParamValue = Parameter(
        -70.0, range=(-90.0, -50.0), unit="mV", doc="Resting potential, inhibitory cells."
    )
    h_e_rev: ParamValue = Parameter(
        45.0, range=(0.0, 50.0), unit="mV", doc="Reversal potential of excitatory synapses."
    )
    h_i_rev: ParamValue = Parameter(
        -90.0, range=(-90.0, -50.0), unit="mV", doc="Reversal potential of inhibitory synapses."
    )
    p_ee: ParamValue = Parameter(
        1.1,
        range=(1.0, 1.8),
        unit="kHz",
        doc="Subcortical excitatory drive of the excitatory population (a mean spike rate; "
        "fluctuations can be added as noise).",
    )
    p_ie: ParamValue = Parameter(
        1.6,
        range=(1.0, 1.8),
        unit="kHz",
        doc="Subcortical drive of the excitatory population through inhibitory synapses.",
    )
    p_ei: ParamValue = Parameter(
        1.6,
        range=(1.0, 1.8),
        unit="kHz",
        doc="Subcortical excitatory drive of the inhibitory population.",
    )
    p_ii: ParamValue = Parameter(
        1.1,
        range=(1.0, 1.8),
        unit="kHz",
        doc="Subcortical drive of the inhibitory population through inhibitory synapses.",
    )
    A_ee: ParamValue = Parameter(
        0.04,
        range=(0.02, 0.06),
        unit="1/mm",
        doc="Inverse length scale of excitatory-to-excitatory cortico-cortical fibres "
        "(not used by the lumped equations).",
    )
    A_ei: ParamValue = Parameter(
        0.065,
        range=(0.02, 0.08),
        unit="1/mm",
        doc="Inverse length scale of excitatory-to-inhibitory cortico-cortical fibres "
        "(not used by the lumped equations).",
    )
    gamma_e: ParamValue = Parameter(
        0.3,
        range=(0.1, 0.4),
        valid=(0.0, None),
        exclusive=True,
        unit="1/ms",
        doc="Rate constant of the excitatory postsynaptic potential.",
    )
    gamma_i: ParamValue = Parameter(
        0.065,
        range=(0.005, 0.1),
        valid=(0.0, None),
        exclusive=True,
        unit="1/ms",
        doc="Rate constant of the inhibitory postsynaptic potential.",
    )
    G_e: ParamValue = Parameter(
        0.18, range=(0.1, 0.5), unit="mV", doc="Peak amplitude of the EPSP."
    )
    G_i: ParamValue = Parameter(
        0.37, range=(0.1, 0.5), unit="mV", doc="Peak amplitude of the IPSP."
    )
    N_b_ee: ParamValue = Parameter(
        3034.0, range=(3000.0, 3050.0), doc="Local excitatory synapses on excitatory cells."
    )
    N_b_ei: ParamValue = Parameter(
        3034.0, range=(3000.0, 3050.0), doc="Local excitatory synapses on inhibitory cells."
    )
    N_b_ie: ParamValue = Parameter(
        536.0, range=(500.0, 550.0), doc="Local inhibitory synapses on excitatory cells."
    )
    N_b_ii: ParamValue = Parameter(
        536.0, range=(500.0, 550.0), doc="Local inhibitory synapses on inhibitory cells."
    )
    N_a_ee: ParamValue = Parameter(
        4000.0,
        range=(3000.0, 5000.0),
        doc="Long-range (cortico-cortical) excitatory synapses on excitatory cells.",
    )
    N_a_ei: ParamValue = Parameter(
        2000.0,
        range=(1000.0, 3000.0),
        doc="Long-range (cortico-cortical) excitatory synapses on inhibitory cells.",
    )
    theta_e: ParamValue = Parameter(
        -60.0, range=(-90.0, -40.0), unit="mV", doc="Firing threshold (sigmoid midpoint), exc."
    )
    theta_i: ParamValue = Parameter(
        -60.0, range=(-90.0, -40.0), unit="mV", doc="Firing threshold (sigmoid midpoint), inh."
    )
    g_e: ParamValue = Parameter(
        0.28, range=(0.0, 2.0), unit="1/mV", doc="Sigmoid slope parameter, excitatory."
    )
    g_i: ParamValue = Parameter(
        0.14, range=(0.0, 2.0), unit="1/mV", doc="Sigmoid slope parameter, inhibitory."
    )
    lambd: ParamValue = Parameter(
        1.0,
        range=(0.0, 2.0),
        label="lambda",
        doc="Anaesthetic effect: scales the inhibitory input (1 = no anaesthetic).",
    )

    @staticmethod
    def dfun(
        he,
        hi,
        c_0,
        tau_e,
        tau_i,
        h_e_rest,
        h_i_rest,
        h_e_rev,
        h_i_rev,
        p_ee,
        p_ie,
        p_ei,
        p_ii,
        gamma_e,
        gamma_i,
        G_e,
        G_i,
        N_b_ee,
        N_b_ei,
        N_b_ie,
        N_b_ii,
        N_a_ee,
        N_a_ei,
        theta_e,
        theta_i,
        g_e,
        g_i,
        lambd,
    ):
        psi_ee = (h_e_rev - he) / np.abs(h_e_rev - h_e_rest)
        psi_ei = (h_e_rev - hi) / np.abs(h_e_rev - h_i_rest)
        psi_ie = (h_i_rev - he) / np.abs(h_i_rev - h_e_rest)
        psi_ii = (h_i_rev - hi) / np.abs(h_i_rev - h_i_rest)
        S_e = 1.0 / (1.0 + np.exp(-g_e * (he + c_0 - theta_e)))
        S_i = 1.0 / (1.0 + np.exp(-g_i * (hi + c_0 - theta_i)))
        epsp = G_e / gamma_e
        ipsp = G_i / gamma_i
        dhe = (
            (h_e_rest - he)
            + psi_ee * ((N_a_ee + N_b_ee) * S_e + p_ee) * epsp
            + lambd * psi_ie * (N_b_ie * S_i + p_ie) * ipsp
        ) / tau_e
        dhi = (
            (h_i_rest - hi)
            + psi_ei * ((N_a_ei + N_b_ei) * S_e + p_ei) * epsp
            + lambd * psi_ii * (N_b_ii * S_i + p_ii) * ipsp
        ) / tau_i
        return dhe, dhi
