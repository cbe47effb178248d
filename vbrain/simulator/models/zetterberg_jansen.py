"""Zetterberg–Jansen cortical population model (Zetterberg et al. 1978; Jansen & Rit 1995)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class ZetterbergJansen(Model):
    r"""Pyramidal cells, stellate cells and inhibitory interneurons linked by linear synapses.

    Each synaptic pathway is a second-order linear filter of a sigmoidal firing rate
    (gains :math:`H_e, H_i`, rate constants :math:`\kappa_e, \kappa_i`):

    .. math::

        \dot v_k &= y_k \quad (k = 1..5) \\
        \dot y_1 &= H_e\kappa_e\bigl(\gamma_1 S(v_2 - v_3) + \gamma_{1T}(U + u)\bigr)
                    - 2\kappa_e y_1 - \kappa_e^2 v_1 \\
        \dot y_2 &= H_e\kappa_e\bigl(\gamma_2 S(v_1) + \gamma_{2T}(P + u)\bigr)
                    - 2\kappa_e y_2 - \kappa_e^2 v_2 \\
        \dot y_3 &= H_i\kappa_i\,\gamma_4 S(v_4 - v_5) - 2\kappa_i y_3 - \kappa_i^2 v_3 \\
        \dot y_4 &= H_e\kappa_e\bigl(\gamma_3 S(v_2 - v_3) + \gamma_{3T}(Q + u)\bigr)
                    - 2\kappa_e y_4 - \kappa_e^2 v_4 \\
        \dot y_5 &= H_i\kappa_i\,\gamma_5 S(v_4 - v_5) - 2\kappa_i y_5 - \kappa_e^2 v_5 \\
        \dot v_6 &= y_2 - y_3 \qquad \dot v_7 = y_4 - y_5 \\
        u &= S(c_0 + lc_0) \qquad S(v) = \frac{2 e_0}{1 + e^{\rho_1 (\rho_2 - v)}}

    :math:`v_1` is the excitatory potential of the stellate cells, :math:`v_2` / :math:`v_3`
    the excitatory / inhibitory potentials of the pyramidal cells and :math:`v_4` /
    :math:`v_5` those of the inhibitory interneurons; :math:`v_6 = \int (y_2 - y_3)` is the
    pyramidal membrane potential (the EEG-like signal, and the coupling variable) and
    :math:`v_7` the interneurons' potential.  :math:`P, U, Q` are constant extrinsic rates to
    the pyramidal, stellate and inhibitory populations; the long-range coupling ``c_0`` of
    ``v6`` plus the local coupling ``lc_0`` pass through the sigmoid and add to all three.
    When :math:`\rho_1 (\rho_2 - v) > 709` the sigmoid is set to exactly 0 (as in TVB) so that
    ``exp`` does not overflow.

    As in the reference implementation, the last term of :math:`\dot y_5` uses
    :math:`\kappa_e^2` (not :math:`\kappa_i^2`); it is kept for agreement with TVB.

    References: Zetterberg, Kristiansson & Mossberg 1978 (Biol Cybern 31:15); Jansen & Rit
    1995 (Biol Cybern 73:357); Spiegler et al. 2010.
    """

    state_variables = {
        "v1": StateVariable(range=(-100.0, 100.0), unit="mV", doc="stellate excitatory PSP"),
        "y1": StateVariable(range=(-500.0, 500.0), unit="mV/ms", doc="derivative of v1"),
        "v2": StateVariable(range=(-100.0, 50.0), unit="mV", doc="pyramidal excitatory PSP"),
        "y2": StateVariable(range=(-100.0, 6.0), unit="mV/ms", doc="derivative of v2"),
        "v3": StateVariable(range=(-100.0, 6.0), unit="mV", doc="pyramidal inhibitory PSP"),
        "y3": StateVariable(range=(-100.0, 6.0), unit="mV/ms", doc="derivative of v3"),
        "v4": StateVariable(range=(-100.0, 20.0), unit="mV", doc="interneuron excitatory PSP"),
        "y4": StateVariable(range=(-100.0, 20.0), unit="mV/ms", doc="derivative of v4"),
        "v5": StateVariable(range=(-100.0, 20.0), unit="mV", doc="interneuron inhibitory PSP"),
        "y5": StateVariable(range=(-500.0, 500.0), unit="mV/ms", doc="derivative of v5"),
        "v6": StateVariable(range=(-100.0, 20.0), unit="mV", doc="pyramidal potential v2 - v3"),
        "v7": StateVariable(range=(-100.0, 20.0), unit="mV", doc="interneuron potential v4 - v5"),
    }
    coupling_variables = ("v6",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("v6", "v7", "v2", "v3", "v4", "v5"),
        doc="Quantities recorded by monitors; 'v6' is the pyramidal (EEG-like) potential.",
    )

    He: ParamValue = Parameter(
        3.25, range=(2.6, 9.75), unit="mV", label="H_e", doc="Maximum EPSP (excitatory gain)."
    )
    Hi: ParamValue = Parameter(
        22.0, range=(17.6, 110.0), unit="mV", label="H_i", doc="Maximum IPSP (inhibitory gain)."
    )
    ke: ParamValue = Parameter(
        0.1,
        range=(0.05, 0.15),
        valid=(0.0, None),
        unit="1/ms",
        label="kappa_e",
        doc="Inverse time constant of the excitatory synapses and dendrites.",
    )
    ki: ParamValue = Parameter(
        0.05,
        range=(0.025, 0.075),
        valid=(0.0, None),
        unit="1/ms",
        label="kappa_i",
        doc="Inverse time constant of the inhibitory synapses and dendrites.",
    )
    e0: ParamValue = Parameter(
        0.0025,
        range=(0.00125, 0.00375),
        unit="1/ms",
        label="e_0",
        doc="Half the maximum firing rate (the sigmoid saturates at 2 e0).",
    )
    rho_2: ParamValue = Parameter(
        6.0, range=(3.12, 10.0), unit="mV", doc="Potential of half-maximal firing (threshold)."
    )
    rho_1: ParamValue = Parameter(
        0.56, range=(0.28, 0.84), unit="1/mV", doc="Steepness of the sigmoid."
    )
    gamma_1: ParamValue = Parameter(
        135.0, range=(65.0, 1350.0), doc="Connectivity constant pyramidal -> stellate cells."
    )
    gamma_2: ParamValue = Parameter(
        108.0, range=(0.0, 200.0), doc="Connectivity constant stellate -> pyramidal cells."
    )
    gamma_3: ParamValue = Parameter(
        33.75, range=(0.0, 200.0), doc="Connectivity constant pyramidal -> interneurons."
    )
    gamma_4: ParamValue = Parameter(
        33.75, range=(0.0, 200.0), doc="Connectivity constant interneurons -> pyramidal cells."
    )
    gamma_5: ParamValue = Parameter(
        15.0, range=(0.0, 100.0), doc="Connectivity constant interneurons -> interneurons."
    )
    gamma_1T: ParamValue = Parameter(
        1.0, range=(0.0, 1000.0), doc="Gain of the extrinsic input to the stellate cells."
    )
    gamma_2T: ParamValue = Parameter(
        1.0, range=(0.0, 1000.0), doc="Gain of the extrinsic input to the pyramidal cells."
    )
    gamma_3T: ParamValue = Parameter(
        1.0, range=(0.0, 1000.0), doc="Gain of the extrinsic input to the interneurons."
    )
    P: ParamValue = Parameter(
        0.12, range=(0.0, 0.35), unit="1/ms", doc="Extrinsic rate to the pyramidal cells."
    )
    U: ParamValue = Parameter(
        0.12, range=(0.0, 0.35), unit="1/ms", doc="Extrinsic rate to the stellate cells."
    )
    Q: ParamValue = Parameter(
        0.12, range=(0.0, 0.35), unit="1/ms", doc="Extrinsic rate to the inhibitory interneurons."
    )

    @staticmethod
    def dfun(
        v1,
        y1,
        v2,
        y2,
        v3,
        y3,
        v4,
        y4,
        v5,
        y5,
        c_0,
        lc_0,
        He,
        Hi,
        ke,
        ki,
        e0,
        rho_2,
        rho_1,
        gamma_1,
        gamma_2,
        gamma_3,
        gamma_4,
        gamma_5,
        gamma_1T,
        gamma_2T,
        gamma_3T,
        P,
        U,
        Q,
    ):
        # sigmoid S(v) = 2 e0 / (1 + exp(rho_1 (rho_2 - v))); an exponent above 709 (where
        # exp overflows) is replaced by inf, which gives S = 0 exactly without an overflow
        t_in = rho_1 * (rho_2 - (c_0 + lc_0))
        t_23 = rho_1 * (rho_2 - (v2 - v3))
        t_1 = rho_1 * (rho_2 - v1)
        t_45 = rho_1 * (rho_2 - (v4 - v5))
        u = 2.0 * e0 / (1.0 + np.exp(where(t_in > 709.0, np.inf, t_in)))
        s_23 = 2.0 * e0 / (1.0 + np.exp(where(t_23 > 709.0, np.inf, t_23)))
        s_1 = 2.0 * e0 / (1.0 + np.exp(where(t_1 > 709.0, np.inf, t_1)))
        s_45 = 2.0 * e0 / (1.0 + np.exp(where(t_45 > 709.0, np.inf, t_45)))
        Heke = He * ke
        Hiki = Hi * ki
        ke_2 = 2.0 * ke
        ki_2 = 2.0 * ki
        keke = ke * ke
        kiki = ki * ki
        dy1 = Heke * (gamma_1 * s_23 + gamma_1T * (U + u)) - ke_2 * y1 - keke * v1
        dy2 = Heke * (gamma_2 * s_1 + gamma_2T * (P + u)) - ke_2 * y2 - keke * v2
        dy3 = Hiki * (gamma_4 * s_45) - ki_2 * y3 - kiki * v3
        dy4 = Heke * (gamma_3 * s_23 + gamma_3T * (Q + u)) - ke_2 * y4 - keke * v4
        dy5 = Hiki * (gamma_5 * s_45) - ki_2 * y5 - keke * v5
        dv6 = y2 - y3
        dv7 = y4 - y5
        return y1, dy1, y2, dy2, y3, dy3, y4, dy4, y5, dy5, dv6, dv7
