"""Gast–Schmidt–Knösche QIF mean fields with short-term adaptation (2020).

Two variants share the form of the equations: synaptic depression (:class:`GastSchmidtKnosche_SD`)
and spike-frequency adaptation (:class:`GastSchmidtKnosche_SF`).
"""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class GastSchmidtKnosche_SD(Model):  # noqa: N801 - the reference system's name
    r"""Montbrió–Pazó–Roxin population whose recurrent synapses depress with activity.

    .. math::

        \dot r &= \frac{1}{\tau}\left(\frac{\Delta}{\pi \tau} + 2 V r\right) \\
        \dot V &= \frac{1}{\tau}\left(V^2 - \pi^2 \tau^2 r^2 + \eta + J \tau r\,(1 - A) + I
                  + c_r\, c_0 + c_v\, c_1\right) \\
        \dot A &= \frac{B}{\tau_A} \\
        \dot B &= \frac{1}{\tau_A}\,(-2 B - A + \alpha r)

    :math:`r` is the firing rate (kept :math:`\ge 0`), :math:`V` the mean membrane potential,
    and the depression :math:`A` follows the rate through a second-order (alpha-kernel) filter
    with time constant :math:`\tau_A` (:math:`B` is its derivative-like auxiliary variable).
    Depression scales down the recurrent input :math:`J \tau r` by :math:`1 - A`, which can
    produce bursting.  All four state variables are coupling variables (as in TVB); the rate
    coupling ``c_0`` (weight :math:`c_r`) and potential coupling ``c_1`` (weight
    :math:`c_v`) act on :math:`V`, the couplings of ``A`` and ``B`` are unused, and local
    coupling is not used.

    References: Gast, Schmidt & Knösche 2020 (Neural Computation 32:1615).
    """

    state_variables = {
        "r": StateVariable(range=(0.0, 4.0), bounds=(0.0, None), doc="mean firing rate"),
        "V": StateVariable(range=(-3.0, 0.3), doc="mean membrane potential"),
        "A": StateVariable(range=(0.0, 0.4), doc="synaptic depression"),
        "B": StateVariable(range=(-0.2, 0.3), doc="auxiliary variable of the depression"),
    }
    coupling_variables = ("r", "V", "A", "B")

    variables_of_interest: tuple[str, ...] = Attr(
        ("r", "V"), doc="Quantities recorded by monitors, e.g. 'r', 'V', 'A', 'B'."
    )

    tau: ParamValue = Parameter(
        1.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Characteristic (membrane) time scale.",
    )
    tau_A: ParamValue = Parameter(
        10.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_A",
        doc="Time scale of the adaptation.",
    )
    alpha: ParamValue = Parameter(0.5, range=(0.0, 1.0), doc="Strength of the adaptation.")
    I: ParamValue = Parameter(0.0, range=(-10.0, 10.0), label="I_ext", doc="External current.")
    Delta: ParamValue = Parameter(
        2.0, range=(0.0, 10.0), doc="Half-width of the distribution of excitabilities."
    )
    J: ParamValue = Parameter(21.2132, range=(-25.0, 25.0), doc="Mean synaptic weight.")
    eta: ParamValue = Parameter(
        -6.0, range=(-10.0, 10.0), doc="Centre of the distribution of excitabilities."
    )
    cr: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Weight of the coupling through r.")
    cv: ParamValue = Parameter(0.0, range=(0.0, 1.0), doc="Weight of the coupling through V.")

    @staticmethod
    def dfun(r, V, A, B, c_0, c_1, tau, tau_A, alpha, I, Delta, J, eta, cr, cv):
        dr = 1.0 / tau * (Delta / (np.pi * tau) + 2.0 * V * r)
        drive = (
            V * V
            - np.pi * np.pi * (tau * tau) * (r * r)
            + eta
            + J * tau * r * (1.0 - A)
            + I
            + cr * c_0
            + cv * c_1
        )
        dV = 1.0 / tau * drive
        dA = 1.0 / tau_A * B
        dB = 1.0 / tau_A * (-2.0 * B - A + alpha * r)
        return dr, dV, dA, dB


class GastSchmidtKnosche_SF(Model):  # noqa: N801 - the reference system's name
    r"""Montbrió–Pazó–Roxin population with spike-frequency adaptation.

    .. math::

        \dot r &= \frac{1}{\tau}\left(\frac{\Delta}{\pi \tau} + 2 V r\right) \\
        \dot V &= \frac{1}{\tau}\left(V^2 - \pi^2 \tau^2 r^2 + \eta + J \tau r + I - A
                  + c_r\, c_0 + c_v\, c_1\right) \\
        \dot A &= \frac{B}{\tau_A} \\
        \dot B &= \frac{1}{\tau_A}\,(-2 B - A + \alpha r)

    As :class:`GastSchmidtKnosche_SD`, but the adaptation :math:`A` is a hyperpolarising
    current subtracted from the input of every neuron instead of a depression of the
    recurrent synapses.  :math:`r` is kept :math:`\ge 0`.  All four state variables are
    coupling variables (as in TVB); the rate coupling ``c_0`` (weight :math:`c_r`) and
    potential coupling ``c_1`` (weight :math:`c_v`) act on :math:`V`, the couplings of ``A``
    and ``B`` are unused, and local coupling is not used.  The default :math:`\alpha = 10`
    lies above the reference's slider range [0, 1]; both are kept as in TVB.

    References: Gast, Schmidt & Knösche 2020 (Neural Computation 32:1615).
    """

    state_variables = {
        "r": StateVariable(range=(0.0, 2.0), bounds=(0.0, None), doc="mean firing rate"),
        "V": StateVariable(range=(-2.0, 1.5), doc="mean membrane potential"),
        "A": StateVariable(range=(-1.0, 1.0), doc="adaptation current"),
        "B": StateVariable(range=(-1.0, 1.0), doc="auxiliary variable of the adaptation"),
    }
    coupling_variables = ("r", "V", "A", "B")

    variables_of_interest: tuple[str, ...] = Attr(
        ("r", "V"), doc="Quantities recorded by monitors, e.g. 'r', 'V', 'A', 'B'."
    )

    tau: ParamValue = Parameter(
        1.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Characteristic (membrane) time scale.",
    )
    tau_A: ParamValue = Parameter(
        10.0,
        range=(0.0, 15.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_A",
        doc="Time scale of the adaptation.",
    )
    alpha: ParamValue = Parameter(10.0, range=(0.0, 1.0), doc="Strength of the adaptation.")
    I: ParamValue = Parameter(0.0, range=(-10.0, 10.0), label="I_ext", doc="External current.")
    Delta: ParamValue = Parameter(
        2.0, range=(0.0, 10.0), doc="Half-width of the distribution of excitabilities."
    )
    J: ParamValue = Parameter(21.2132, range=(-25.0, 25.0), doc="Mean synaptic weight.")
    eta: ParamValue = Parameter(
        1.0, range=(-10.0, 10.0), doc="Centre of the distribution of excitabilities."
    )
    cr: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Weight of the coupling through r.")
    cv: ParamValue = Parameter(0.0, range=(0.0, 1.0), doc="Weight of the coupling through V.")

    @staticmethod
    def dfun(r, V, A, B, c_0, c_1, tau, tau_A, alpha, I, Delta, J, eta, cr, cv):
        dr = 1.0 / tau * (Delta / (np.pi * tau) + 2.0 * V * r)
        drive = (
            V * V
            - np.pi * np.pi * (tau * tau) * (r * r)
            + eta
            + J * tau * r
            + I
            - A
            + cr * c_0
            + cv * c_1
        )
        dV = 1.0 / tau * drive
        dA = 1.0 / tau_A * B
        dB = 1.0 / tau_A * (-2.0 * B - A + alpha * r)
        return dr, dV, dA, dB
