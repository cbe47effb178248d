"""Montbrió–Pazó–Roxin mean field of quadratic integrate-and-fire neurons (2015)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class MontbrioPazoRoxin(Model):
    r"""Exact (Ott–Antonsen) firing-rate description of an infinite QIF population.

    .. math::

        \dot r &= \frac{1}{\tau}\left(\frac{\Delta}{\pi \tau} + 2 V r\right) \\
        \dot V &= \frac{1}{\tau}\left(V^2 - \pi^2 \tau^2 r^2 + \eta + J \tau r + I
                  + c_r\, c_0 + c_v\, c_1\right)

    :math:`r` is the population firing rate (kept :math:`\ge 0`) and :math:`V` the mean
    membrane potential; :math:`\eta` and :math:`\Delta` are the centre and half-width of the
    Lorentzian distribution of excitabilities.  Network input arrives in :math:`V` through the
    rate coupling ``c_0`` (weight :math:`c_r`) and/or the potential coupling ``c_1`` (weight
    :math:`c_v`).  Stimuli are applied to ``V``.  :math:`\Gamma` (half-width of the synaptic
    weight distribution) is kept for compatibility but does not enter these equations.

    References: Montbrió, Pazó & Roxin 2015 (Phys Rev X 5:021028); Rabuffo et al. 2021.
    """

    state_variables = {
        "r": StateVariable(range=(0.0, 2.0), bounds=(0.0, None), doc="mean firing rate"),
        "V": StateVariable(range=(-2.0, 1.5), doc="mean membrane potential"),
    }
    coupling_variables = ("r", "V")
    stimulus_variables = ("V",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("r", "V"), doc="Quantities recorded by monitors, e.g. 'r', 'V'."
    )

    tau: ParamValue = Parameter(
        1.0,
        range=(0.001, 15.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Characteristic time scale.",
    )
    I: ParamValue = Parameter(0.0, range=(-10.0, 10.0), label="I_ext", doc="External current.")
    Delta: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), doc="Half-width of the distribution of excitabilities."
    )
    J: ParamValue = Parameter(15.0, range=(-25.0, 25.0), doc="Mean synaptic weight.")
    eta: ParamValue = Parameter(
        -5.0, range=(-10.0, 10.0), doc="Centre of the distribution of excitabilities."
    )
    Gamma: ParamValue = Parameter(
        0.0,
        range=(0.0, 10.0),
        doc="Half-width of the synaptic weight distribution (not used by the equations).",
    )
    cr: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Weight of the coupling through r.")
    cv: ParamValue = Parameter(0.0, range=(0.0, 1.0), doc="Weight of the coupling through V.")

    @staticmethod
    def dfun(r, V, c_0, c_1, tau, I, Delta, J, eta, cr, cv):
        dr = 1.0 / tau * (Delta / (np.pi * tau) + 2.0 * V * r)
        drive = V**2 - np.pi**2 * tau**2 * r**2 + eta + J * tau * r + I + cr * c_0 + cv * c_1
        dV = 1.0 / tau * drive
        return dr, dV
