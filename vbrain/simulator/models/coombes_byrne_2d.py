"""Two-dimensional Coombes–Byrne next-generation neural mass (instantaneous synapse, 2019)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class CoombesByrne2D(Model):
    r"""Ott–Antonsen mean field of theta (QIF) neurons with a conductance slaved to the rate.

    .. math::

        \dot r &= \frac{\Delta}{\pi} + 2 V r - k \pi r^2 \\
        \dot V &= V^2 - \pi^2 r^2 + \eta + (v_{syn} - V)\, k \pi r + c_0

    This is :class:`CoombesByrne` with an instantaneous synapse: the conductance is not a
    state variable but :math:`g = k \pi r`.  :math:`r` is the population firing rate (kept
    :math:`\ge 0`) and :math:`V` the mean membrane potential.  Both are coupling variables (as
    in TVB), but only the long-range coupling of the rate, ``c_0``, acts on the node (it adds
    to :math:`\dot V`); local coupling is not used.

    References: Coombes & Byrne 2019, *Next generation neural mass models*, in Nonlinear
    Dynamics in Computational Neuroscience (Springer), pp. 1–16.
    """

    state_variables = {
        "r": StateVariable(range=(0.0, 2.0), bounds=(0.0, None), doc="mean firing rate"),
        "V": StateVariable(range=(-2.0, 1.5), doc="mean membrane potential"),
    }
    coupling_variables = ("r", "V")

    variables_of_interest: tuple[str, ...] = Attr(
        ("r", "V"), doc="Quantities recorded by monitors, e.g. 'r', 'V'."
    )

    Delta: ParamValue = Parameter(
        1.0, range=(0.0, 10.0), doc="Half-width of the distribution of excitabilities."
    )
    v_syn: ParamValue = Parameter(
        -4.0, range=(-20.0, 0.0), label="v_syn", doc="Synaptic reversal potential."
    )
    k: ParamValue = Parameter(
        1.0, range=(0.0, 5.0), doc="Strength of the recurrent (within-node) coupling."
    )
    eta: ParamValue = Parameter(
        2.0, range=(-10.0, 10.0), doc="Centre of the distribution of excitabilities."
    )

    @staticmethod
    def dfun(r, V, c_0, Delta, v_syn, k, eta):
        dr = Delta / np.pi + 2.0 * V * r - k * np.pi * (r * r)
        dV = V * V - np.pi * np.pi * (r * r) + eta + (v_syn - V) * k * np.pi * r + c_0
        return dr, dV
