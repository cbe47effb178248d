"""Dumont–Gutkin excitatory–inhibitory QIF mean field with synaptic dynamics (2019)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class DumontGutkin(Model):
    r"""Coupled excitatory (E) and inhibitory (I) Montbrió–Pazó–Roxin populations.

    For each population :math:`p \in \{e, i\}` (rate :math:`r_p`, mean potential
    :math:`V_p`) receiving the synaptic activations :math:`s_{pe}` (from E) and
    :math:`s_{pi}` (from I):

    .. math::

        \dot r_p &= \frac{1}{\tau_p}\left(\frac{\Delta_p}{\pi \tau_p} + 2 V_p r_p\right) \\
        \dot V_p &= \frac{1}{\tau_p}\left(V_p^2 + \eta_p - \tau_p^2 \pi^2 r_p^2
                    + \tau_p s_{pe} - \tau_p s_{pi} + I_p\right) \\
        \dot s_{ee} &= \frac{1}{\tau_s}(-s_{ee} + J_{ee} r_e + c_0) \qquad
        \dot s_{ei} = \frac{1}{\tau_s}(-s_{ei} + J_{ei} r_i) \\
        \dot s_{ie} &= \frac{1}{\tau_s}(-s_{ie} + J_{ie} r_e + \Gamma c_0) \qquad
        \dot s_{ii} = \frac{1}{\tau_s}(-s_{ii} + J_{ii} r_i)

    The synapses are first-order filters with time constant :math:`\tau_s`; inhibitory
    synapses enter the potentials with a minus sign (the weights :math:`J` are magnitudes).
    Nodes interact through the excitatory rate: the long-range coupling ``c_0`` of ``r_e``
    drives the E→E synapse directly and the E→I synapse with the relative gain
    :math:`\Gamma`.  The coupling variables are ``r_e, V_e, r_i, V_i`` (as in TVB) but only
    ``c_0`` is used; local coupling is not used.  Both rates are kept :math:`\ge 0`.

    References: Dumont & Gutkin 2019 (PLoS Comput Biol 15:e1007019).
    """

    state_variables = {
        "r_e": StateVariable(range=(0.0, 2.0), bounds=(0.0, None), doc="E firing rate"),
        "V_e": StateVariable(range=(-2.0, 1.5), doc="E mean membrane potential"),
        "s_ee": StateVariable(range=(-1.0, 1.0), doc="synaptic activation E -> E"),
        "s_ei": StateVariable(range=(-1.0, 1.0), doc="synaptic activation I -> E"),
        "r_i": StateVariable(range=(0.0, 2.0), bounds=(0.0, None), doc="I firing rate"),
        "V_i": StateVariable(range=(-2.0, 1.5), doc="I mean membrane potential"),
        "s_ie": StateVariable(range=(-1.0, 1.0), doc="synaptic activation E -> I"),
        "s_ii": StateVariable(range=(-1.0, 1.0), doc="synaptic activation I -> I"),
    }
    coupling_variables = ("r_e", "V_e", "r_i", "V_i")

    variables_of_interest: tuple[str, ...] = Attr(
        ("r_e", "V_e", "s_ee", "s_ei", "r_i", "V_i", "s_ie", "s_ii"),
        doc="Quantities recorded by monitors (any of the eight state variables).",
    )

    I_e: ParamValue = Parameter(
        0.0, range=(-10.0, 10.0), label="I_ext_e", doc="External current to the E population."
    )
    Delta_e: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), doc="Half-width of the excitability distribution of E."
    )
    eta_e: ParamValue = Parameter(
        -5.0, range=(-10.0, 10.0), doc="Centre of the excitability distribution of E."
    )
    tau_e: ParamValue = Parameter(
        10.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Membrane time constant of E.",
    )
    I_i: ParamValue = Parameter(
        0.0, range=(-10.0, 10.0), label="I_ext_i", doc="External current to the I population."
    )
    Delta_i: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), doc="Half-width of the excitability distribution of I."
    )
    eta_i: ParamValue = Parameter(
        -5.0, range=(-10.0, 10.0), doc="Centre of the excitability distribution of I."
    )
    tau_i: ParamValue = Parameter(
        10.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Membrane time constant of I.",
    )
    tau_s: ParamValue = Parameter(
        1.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Synaptic time constant.",
    )
    J_ee: ParamValue = Parameter(0.0, range=(-25.0, 25.0), doc="Synaptic weight E -> E.")
    J_ei: ParamValue = Parameter(10.0, range=(-25.0, 25.0), doc="Synaptic weight I -> E.")
    J_ie: ParamValue = Parameter(0.0, range=(-25.0, 25.0), doc="Synaptic weight E -> I.")
    J_ii: ParamValue = Parameter(15.0, range=(-25.0, 25.0), doc="Synaptic weight I -> I.")
    Gamma: ParamValue = Parameter(
        5.0,
        range=(0.0, 10.0),
        doc="Gain of the long-range input onto I relative to E (G_ie / G_ee).",
    )

    @staticmethod
    def dfun(
        r_e,
        V_e,
        s_ee,
        s_ei,
        r_i,
        V_i,
        s_ie,
        s_ii,
        c_0,
        I_e,
        Delta_e,
        eta_e,
        tau_e,
        I_i,
        Delta_i,
        eta_i,
        tau_i,
        tau_s,
        J_ee,
        J_ei,
        J_ie,
        J_ii,
        Gamma,
    ):
        pi2 = np.pi * np.pi
        dr_e = 1.0 / tau_e * (Delta_e / (np.pi * tau_e) + 2.0 * V_e * r_e)
        dV_e = (
            1.0
            / tau_e
            * (
                V_e * V_e
                + eta_e
                - (tau_e * tau_e) * pi2 * (r_e * r_e)
                + tau_e * s_ee
                - tau_e * s_ei
                + I_e
            )
        )
        ds_ee = 1.0 / tau_s * (-s_ee + J_ee * r_e + c_0)
        ds_ei = 1.0 / tau_s * (-s_ei + J_ei * r_i)
        dr_i = 1.0 / tau_i * (Delta_i / (np.pi * tau_i) + 2.0 * V_i * r_i)
        dV_i = (
            1.0
            / tau_i
            * (
                V_i * V_i
                + eta_i
                - (tau_i * tau_i) * pi2 * (r_i * r_i)
                + tau_i * s_ie
                - tau_i * s_ii
                + I_i
            )
        )
        ds_ie = 1.0 / tau_s * (-s_ie + J_ie * r_e + Gamma * c_0)
        ds_ii = 1.0 / tau_s * (-s_ii + J_ii * r_i)
        return dr_e, dV_e, ds_ee, ds_ei, dr_i, dV_i, ds_ie, ds_ii
