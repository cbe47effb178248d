"""Larter–Breakspear: conductance-based neural mass with inhibitory feedback (Breakspear 2003)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class LarterBreakspear(Model):
    r"""Morris–Lecar-like pyramidal population with an inhibitory interneuron population.

    .. math::

        \dot V &= t_s\,\Bigl(-\bigl(g_{Ca} + (1 - C)\, r_{NMDA} a_{ee} (Q_V + lc_0)
                    + C\, r_{NMDA} a_{ee}\, c_0\bigr)\, m_{Ca}\,(V - V_{Ca})
                    - g_K\, W\,(V - V_K) - g_L\,(V - V_L) \\
               &\qquad - \bigl(g_{Na} m_{Na} + (1 - C)\, a_{ee} (Q_V + lc_0)
                    + C\, a_{ee}\, c_0\bigr)(V - V_{Na})
                    - a_{ie}\, Z\, Q_Z + a_{ne}\, I_{ext}\Bigr) \\
        \dot W &= t_s\,\phi\,\frac{m_K - W}{\tau_K} \\
        \dot Z &= t_s\, b\,(a_{ni}\, I_{ext} + a_{ei}\, V\, Q_V) \\[4pt]
        m_{ion} &= \tfrac12\bigl(1 + \tanh\tfrac{V - T_{ion}}{\delta_{ion}}\bigr),\quad
        Q_V = \tfrac12 Q_{V,max}\bigl(1 + \tanh\tfrac{V - V_T}{\delta_V}\bigr),\quad
        Q_Z = \tfrac12 Q_{Z,max}\bigl(1 + \tanh\tfrac{Z - Z_T}{\delta_Z}\bigr)

    :math:`V` is the mean membrane potential of the pyramidal cells, :math:`W` the fraction of
    open potassium channels and :math:`Z` the mean potential of the inhibitory interneurons;
    all quantities are dimensionless.  The voltage-gated Ca, Na and K channels open with the
    sigmoids :math:`m_{ion}`, and the populations fire at rates :math:`Q_V`, :math:`Q_Z`.
    The long-range input ``c_0`` (the coupling of ``V``, meant to be the mean firing rate
    :math:`\langle Q_V\rangle` of the afferent nodes) replaces a fraction :math:`C` of the
    local excitatory drive, through AMPA (:math:`a_{ee}`) and NMDA
    (:math:`r_{NMDA} a_{ee}`) receptors.  For :math:`\delta_V < 0.55` a single node settles
    on a fixed point, for :math:`0.55 < \delta_V < 0.59` on a limit cycle and above that on
    a chaotic attractor.  :math:`t_s` rescales time.  The half-tanh sigmoids are evaluated in
    the identical logistic form :math:`\tfrac12 (1 + \tanh u) = 1 / (1 + e^{-2u})`.

    Local coupling: the reference adds the local (surface) coupling applied to the firing rate
    :math:`Q_V` to :math:`Q_V`.  The local-coupling term available here, ``lc_0``, is the local
    coupling applied to the coupling variable ``V``, so ``lc_0`` enters where the reference's
    local term does; region simulations (no local coupling) are unaffected, surface
    simulations differ from the reference until local coupling of an expression is supported.

    References: Larter et al. 1999 (Chaos 9:795); Breakspear et al. 2003 (Network 14:703);
    Honey et al. 2007 (PNAS 104:10240); Alstott et al. 2009 (PLoS Comput Biol 5:e1000408).
    """

    state_variables = {
        "V": StateVariable(range=(-1.5, 1.5), doc="mean membrane potential of pyramidal cells"),
        "W": StateVariable(range=(-1.5, 1.5), doc="fraction of open K channels"),
        "Z": StateVariable(range=(-1.5, 1.5), doc="mean membrane potential of interneurons"),
    }
    coupling_variables = ("V",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("V",), doc="Quantities recorded by monitors, e.g. 'V', 'W', 'Z'."
    )

    gCa: ParamValue = Parameter(
        1.1, range=(0.9, 1.5), label="g_Ca", doc="Conductance of the Ca channels."
    )
    gK: ParamValue = Parameter(
        2.0, range=(1.95, 2.05), label="g_K", doc="Conductance of the K channels."
    )
    gL: ParamValue = Parameter(
        0.5, range=(0.45, 0.55), label="g_L", doc="Conductance of the leak channels."
    )
    phi: ParamValue = Parameter(0.7, range=(0.3, 0.9), doc="Temperature scaling factor of W.")
    gNa: ParamValue = Parameter(
        6.7, range=(0.0, 10.0), label="g_Na", doc="Conductance of the Na channels."
    )
    TK: ParamValue = Parameter(
        0.0, range=(0.0, 0.0001), label="T_K", doc="Threshold of the K channels."
    )
    TCa: ParamValue = Parameter(
        -0.01, range=(-0.02, -0.01), label="T_Ca", doc="Threshold of the Ca channels."
    )
    TNa: ParamValue = Parameter(
        0.3, range=(0.25, 0.3), label="T_Na", doc="Threshold of the Na channels."
    )
    VCa: ParamValue = Parameter(1.0, range=(0.9, 1.1), label="V_Ca", doc="Ca Nernst potential.")
    VK: ParamValue = Parameter(-0.7, range=(-0.8, 1.0), label="V_K", doc="K Nernst potential.")
    VL: ParamValue = Parameter(
        -0.5, range=(-0.7, -0.4), label="V_L", doc="Nernst potential of the leak channels."
    )
    VNa: ParamValue = Parameter(0.53, range=(0.51, 0.55), label="V_Na", doc="Na Nernst potential.")
    d_K: ParamValue = Parameter(
        0.3,
        range=(0.1, 0.4),
        valid=(0.0, None),
        exclusive=True,
        label="delta_K",
        doc="Spread of the K channel thresholds.",
    )
    tau_K: ParamValue = Parameter(
        1.0,
        range=(1.0, 10.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_K",
        doc="Relaxation time constant of the K channels.",
    )
    d_Na: ParamValue = Parameter(
        0.15,
        range=(0.1, 0.2),
        valid=(0.0, None),
        exclusive=True,
        label="delta_Na",
        doc="Spread of the Na channel thresholds.",
    )
    d_Ca: ParamValue = Parameter(
        0.15,
        range=(0.1, 0.2),
        valid=(0.0, None),
        exclusive=True,
        label="delta_Ca",
        doc="Spread of the Ca channel thresholds.",
    )
    aei: ParamValue = Parameter(
        2.0, range=(0.1, 2.0), label="a_ei", doc="Excitatory-to-inhibitory synaptic strength."
    )
    aie: ParamValue = Parameter(
        2.0, range=(0.5, 2.0), label="a_ie", doc="Inhibitory-to-excitatory synaptic strength."
    )
    b: ParamValue = Parameter(
        0.1, range=(0.0001, 1.0), doc="Time-scale factor of the inhibitory population."
    )
    C: ParamValue = Parameter(
        0.1,
        range=(0.0, 1.0),
        doc="Fraction of the excitatory drive that comes from other nodes (0: none, 1: all).",
    )
    ane: ParamValue = Parameter(
        1.0, range=(0.4, 1.0), label="a_ne", doc="Non-specific-to-excitatory synaptic strength."
    )
    ani: ParamValue = Parameter(
        0.4, range=(0.3, 0.5), label="a_ni", doc="Non-specific-to-inhibitory synaptic strength."
    )
    aee: ParamValue = Parameter(
        0.4, range=(0.0, 0.6), label="a_ee", doc="Excitatory-to-excitatory synaptic strength."
    )
    Iext: ParamValue = Parameter(
        0.3,
        range=(0.165, 0.3),
        label="I_ext",
        doc="Non-specific (subcortical, thalamic) excitatory input.",
    )
    rNMDA: ParamValue = Parameter(
        0.25, range=(0.2, 0.3), label="r_NMDA", doc="Ratio of NMDA to AMPA receptors."
    )
    VT: ParamValue = Parameter(
        0.0, range=(0.0, 0.7), label="V_T", doc="Mean firing threshold of the pyramidal cells."
    )
    d_V: ParamValue = Parameter(
        0.65,
        range=(0.49, 0.7),
        valid=(0.0, None),
        exclusive=True,
        label="delta_V",
        doc="Spread of the pyramidal firing thresholds (main bifurcation parameter).",
    )
    ZT: ParamValue = Parameter(
        0.0, range=(0.0, 0.1), label="Z_T", doc="Mean firing threshold of the interneurons."
    )
    d_Z: ParamValue = Parameter(
        0.7,
        range=(0.001, 0.75),
        valid=(0.0, None),
        exclusive=True,
        label="delta_Z",
        doc="Spread of the interneuron firing thresholds.",
    )
    QV_max: ParamValue = Parameter(
        1.0, range=(0.1, 1.0), label="QV_max", doc="Maximal firing rate of the pyramidal cells."
    )
    QZ_max: ParamValue = Parameter(
        1.0, range=(0.1, 1.0), label="QZ_max", doc="Maximal firing rate of the interneurons."
    )
    t_scale: ParamValue = Parameter(
        1.0, range=(0.1, 1.0), label="t_scale", doc="Time scaling of the whole system."
    )

    @staticmethod
    def dfun(
        V,
        W,
        Z,
        c_0,
        lc_0,
        gCa,
        gK,
        gL,
        phi,
        gNa,
        TK,
        TCa,
        TNa,
        VCa,
        VK,
        VL,
        VNa,
        d_K,
        tau_K,
        d_Na,
        d_Ca,
        aei,
        aie,
        b,
        C,
        ane,
        ani,
        aee,
        Iext,
        rNMDA,
        VT,
        d_V,
        ZT,
        d_Z,
        QV_max,
        QZ_max,
        t_scale,
    ):
        # (1 + tanh(u)) / 2 written as 1 / (1 + exp(-2 u)): the same function, and np.exp
        # rounds alike in numpy and numba, while numpy's vectorised tanh may differ by an ulp
        m_Ca = 1.0 / (1.0 + np.exp(-2.0 * (V - TCa) / d_Ca))
        m_Na = 1.0 / (1.0 + np.exp(-2.0 * (V - TNa) / d_Na))
        m_K = 1.0 / (1.0 + np.exp(-2.0 * (V - TK) / d_K))
        QV = QV_max / (1.0 + np.exp(-2.0 * (V - VT) / d_V))
        QZ = QZ_max / (1.0 + np.exp(-2.0 * (Z - ZT) / d_Z))
        local = QV + lc_0
        dV = t_scale * (
            -((gCa + (1.0 - C) * (rNMDA * aee) * local + C * rNMDA * aee * c_0) * m_Ca * (V - VCa))
            - gK * W * (V - VK)
            - gL * (V - VL)
            - (gNa * m_Na + (1.0 - C) * aee * local + C * aee * c_0) * (V - VNa)
            - aie * Z * QZ
            + ane * Iext
        )
        dW = t_scale * phi * (m_K - W) / tau_K
        dZ = t_scale * b * (ani * Iext + aei * V * QV)
        return dV, dW, dZ
