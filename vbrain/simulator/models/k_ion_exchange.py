"""KIonEx: mean field of Hodgkin–Huxley-type neurons with slow potassium dynamics (2023)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class KIonEx(Model):
    r"""Potassium ion-exchange mean field (Bandyopadhyay, Rabuffo et al. 2023).

    The firing-rate-like variable :math:`x` and the mean membrane potential :math:`V` follow an
    Ott–Antonsen-type reduction in which the neurons' quadratic nullcline is approximated by
    two parabolas that meet at :math:`V^\star` (curvature :math:`R_\mp`, vertex
    :math:`c_\mp` left/right of it).  :math:`n` is the potassium gating variable,
    :math:`\Delta K_i` the change of intracellular potassium and :math:`K_g` the extracellular
    potassium exchanged with the bath:

    .. math::

        \dot x &= \Delta + 2 R (V - c)\, x - J r x, \qquad r = \frac{R_- x}{\pi} \\
        \dot V &= -\frac{1}{C_m}(I_{Na} + I_K + I_{Cl} + I_{pump}) - R x^2 + \eta
                  + \frac{R_-}{\pi}\, c_0\, (E - V) \\
        \dot n &= \frac{n_\infty(V) - n}{\tau_n} \\
        \dot{\Delta K_i} &= -\frac{\gamma}{w_i}\,(I_K - 2 I_{pump}) \\
        \dot K_g &= \epsilon\,(K_{bath} - K_o)

    with :math:`(R, c) = (R_-, c_-)` for :math:`V \le V^\star` and :math:`(R_+, c_+)`
    otherwise.  The ion concentrations follow from mass conservation
    (:math:`\beta = w_i / w_o = 3`):

    .. math::

        K_i = K_{i0} + \Delta K_i, \quad Na_i = Na_{i0} - \Delta K_i, \quad
        Na_o = Na_{o0} + \beta\,\Delta K_i, \quad K_o = K_{o0} - \beta\,\Delta K_i + K_g

    and the currents are (Nernst factor 26.64 mV)

    .. math::

        I_K &= (g_{Kl} + g_K n)\,\bigl(V - 26.64 \ln(K_o / K_i)\bigr) \\
        I_{Na} &= \bigl(g_{Nal} + g_{Na}\, m_\infty(V)\, h(n)\bigr)
                  \bigl(V - 26.64 \ln(Na_o / Na_i)\bigr) \\
        I_{Cl} &= g_{Cl}\,\bigl(V + 26.64 \ln(Cl_{o0} / Cl_{i0})\bigr) \\
        I_{pump} &= \rho \,\Bigl(1 + e^{(C_{nap} - Na_i)/\Delta C_{nap}}\Bigr)^{-1}
                    \Bigl(1 + e^{(C_{kp} - K_o)/\Delta C_{kp}}\Bigr)^{-1} \\
        m_\infty(V) &= \bigl(1 + e^{(C_{mna} - V)/\Delta C_{mna}}\bigr)^{-1}, \quad
        n_\infty(V) = \bigl(1 + e^{(C_{nk} - V)/\Delta C_{nk}}\bigr)^{-1}, \quad
        h(n) = 1.1 - \bigl(1 + e^{-8 (n - 0.4)}\bigr)^{-1}

    The single-neuron constants are fixed (not parameters), as in TVB: :math:`C_{nap} = 21`,
    :math:`\Delta C_{nap} = 2`, :math:`C_{kp} = 5.5`, :math:`\Delta C_{kp} = 1` (mM);
    :math:`C_{mna} = -24`, :math:`\Delta C_{mna} = 12`, :math:`C_{nk} = -19`,
    :math:`\Delta C_{nk} = 18` (mV); :math:`g_{Cl} = 7.5`, :math:`g_{Na} = 40`,
    :math:`g_K = 22`, :math:`g_{Nal} = 0.02`, :math:`g_{Kl} = 0.12` (nS); :math:`\rho = 250`
    pA; :math:`w_i = 2160`, :math:`w_o = 720` µm³; :math:`Na_{i0} = 16`, :math:`Na_{o0} = 138`,
    :math:`K_{i0} = 130`, :math:`K_{o0} = 4.8`, :math:`Cl_{i0} = 5`, :math:`Cl_{o0} = 112` mM.

    The long-range coupling ``c_0`` of ``x`` enters :math:`\dot V` as a conductance-like
    input with reversal potential :math:`E` (weighted by :math:`R_-/\pi` on both sides of
    :math:`V^\star`, as in TVB); local coupling is not used.  Stimuli are applied to ``V``.

    The equations need :math:`K_o > 0`; parts of the declared (reference) state ranges violate
    this (e.g. :math:`\Delta K_i = 0,\ K_g = -10` gives :math:`K_o < 0`), so random initial
    states are redrawn where they do (see :meth:`initial`).

    References: Bandyopadhyay, Rabuffo et al. 2023 (bioRxiv 2023.03.22.533737);
    Depannemaecker et al. 2022 (J Math Neurosci).
    """

    state_variables = {
        "x": StateVariable(range=(0.0, 1.0), bounds=(0.0, None), doc="firing-rate variable"),
        "V": StateVariable(
            range=(-90.0, 10.0), bounds=(-500.0, None), unit="mV", doc="mean membrane potential"
        ),
        "n": StateVariable(range=(0.0, 1.0), bounds=(0.0, None), doc="potassium gating variable"),
        "DKi": StateVariable(
            range=(-10.0, 0.0),
            bounds=(-100.0, None),
            unit="mM",
            doc="change of the intracellular potassium concentration",
        ),
        "Kg": StateVariable(
            range=(-20.0, -5.0),
            bounds=(-100.0, None),
            unit="mM",
            doc="extracellular potassium exchanged with the bath",
        ),
    }
    coupling_variables = ("x",)
    stimulus_variables = ("V",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x", "V", "n", "DKi", "Kg"),
        doc="Quantities recorded by monitors (any of the five state variables).",
    )

    E: ParamValue = Parameter(
        0.0, range=(-80.0, 0.0), unit="mV", doc="Reversal potential of the network input."
    )
    K_bath: ParamValue = Parameter(
        5.5, range=(3.0, 40.0), unit="mM", doc="Potassium concentration of the bath."
    )
    J: ParamValue = Parameter(0.1, range=(0.001, 40.0), doc="Mean synaptic weight.")
    eta: ParamValue = Parameter(
        0.0, range=(-10.0, 10.0), doc="Centre of the distribution of input currents."
    )
    Delta: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), doc="Half-width of the distribution of input currents."
    )
    c_minus: ParamValue = Parameter(
        -40.0, range=(-100.0, -10.0), unit="mV", doc="Vertex (V) of the left parabola."
    )
    R_minus: ParamValue = Parameter(0.5, range=(0.0001, 5.0), doc="Curvature of the left parabola.")
    c_plus: ParamValue = Parameter(
        -20.0, range=(-80.0, 0.0), unit="mV", doc="Vertex (V) of the right parabola."
    )
    R_plus: ParamValue = Parameter(
        -0.5, range=(-5.0, -0.0001), doc="Curvature of the right parabola."
    )
    Vstar: ParamValue = Parameter(
        -31.0, range=(-55.0, -15.0), unit="mV", doc="Potential where the two parabolas meet."
    )
    Cm: ParamValue = Parameter(
        1.0,
        range=(0.5, 1.5),
        valid=(0.0, None),
        exclusive=True,
        unit="nF",
        doc="Membrane capacitance.",
    )
    tau_n: ParamValue = Parameter(
        4.0,
        range=(2.0, 6.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Time constant of the gating variable n.",
    )
    gamma: ParamValue = Parameter(
        0.04, range=(0.02, 0.06), unit="mol/C", doc="Conversion factor from current to flux."
    )
    epsilon: ParamValue = Parameter(
        0.001, range=(0.0005, 0.0015), unit="1/ms", doc="Rate of diffusion to the bath."
    )

    def initial(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        r"""Random states uniform within the state ranges where :math:`K_o > 0`.

        Drawn as in :meth:`Model.initial` (uniform within each range, clipped to the bounds);
        states whose extracellular potassium :math:`K_o = 4.8 - 3\,\Delta K_i + K_g` is not
        positive (about a quarter of the declared ranges, where the logarithms of the Nernst
        potentials are undefined) are redrawn, so the result is uniform over the valid part.
        """
        x = super().initial(rng, shape)
        names = self.state_names()
        i_dki, i_kg = names.index("DKi"), names.index("Kg")
        for _ in range(1000):
            bad = 4.8 - 3.0 * x[:, i_dki] + x[:, i_kg] <= 0.0  # (n_time, n_node, n_mode)
            if not bad.any():
                return x
            fresh = super().initial(rng, shape)
            x = np.where(bad[:, None], fresh, x)
        raise RuntimeError("KIonEx.initial: could not draw states with positive K_o")

    @staticmethod
    def dfun(
        x,
        V,
        n,
        DKi,
        Kg,
        c_0,
        E,
        K_bath,
        J,
        eta,
        Delta,
        c_minus,
        R_minus,
        c_plus,
        R_plus,
        Vstar,
        Cm,
        tau_n,
        gamma,
        epsilon,
    ):
        # volumes (µm^3) and their ratio
        w_i = 2160.0
        w_o = 720.0
        beta = w_i / w_o
        # concentrations (mM) from the resting values and mass conservation
        K_i = 130.0 + DKi
        Na_i = 16.0 - DKi
        Na_o = 138.0 + beta * DKi
        K_o = 4.8 - beta * DKi + Kg
        # gates
        m_inf = 1.0 / (1.0 + np.exp((-24.0 - V) / 12.0))
        n_inf = 1.0 / (1.0 + np.exp((-19.0 - V) / 18.0))
        h = 1.1 - 1.0 / (1.0 + np.exp(-8.0 * (n - 0.4)))
        # currents (conductances in nS, pump maximum 250 pA)
        I_K = (0.12 + 22.0 * n) * (V - 26.64 * np.log(K_o / K_i))
        I_Na = (0.02 + 40.0 * m_inf * h) * (V - 26.64 * np.log(Na_o / Na_i))
        I_Cl = 7.5 * (V + 26.64 * np.log(112.0 / 5.0))
        I_pump = 250.0 * (
            1.0 / (1.0 + np.exp((21.0 - Na_i) / 2.0)) * (1.0 / (1.0 + np.exp((5.5 - K_o) / 1.0)))
        )
        r = R_minus * x / np.pi
        Vdot = (-1.0 / Cm) * (I_Na + I_K + I_Cl + I_pump)
        # left (V <= V*) or right parabola
        left = V <= Vstar
        R = where(left, R_minus, R_plus)
        c = where(left, c_minus, c_plus)
        dx = Delta + 2.0 * R * (V - c) * x - J * r * x
        dV = Vdot - R * (x * x) + eta + (R_minus / np.pi) * c_0 * (E - V)
        dn = (n_inf - n) / tau_n
        dDKi = -(gamma / w_i) * (I_K - 2.0 * I_pump)
        dKg = epsilon * (K_bath - K_o)
        return dx, dV, dn, dDKi, dKg
