"""Coombes–Byrne next-generation neural mass with second-order synaptic conductance (2019)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class CoombesByrne(Model):
    r"""Ott–Antonsen mean field of theta (QIF) neurons driven by an alpha-function conductance.

    .. math::

        \dot r &= \frac{\Delta}{\pi} + 2 V r - g\, r \\
        \dot V &= V^2 - \pi^2 r^2 + \eta + (v_{syn} - V)\, g + c_0 \\
        \dot g &= \alpha\, q \\
        \dot q &= \alpha\, (k \pi r - g - 2 q)

    The complex Kuramoto order parameter of the theta-neuron network is mapped (conformal
    transform :math:`W = \pi r + i V`) onto the population firing rate :math:`r` (kept
    :math:`\ge 0`) and mean membrane potential :math:`V`.  The synaptic conductance :math:`g`
    is the rate :math:`k \pi r` filtered by a second-order (alpha-function) synapse of rate
    :math:`\alpha`; :math:`q` is its auxiliary variable.  Conductance shunting enters the rate
    equation as :math:`-g r` (the form the reference implementation integrates).

    All four state variables are declared as coupling variables (as in TVB), but only the
    long-range coupling of the rate, ``c_0``, acts on the node (it adds to :math:`\dot V`);
    local coupling is not used.

    References: Coombes & Byrne 2019, *Next generation neural mass models*, in Nonlinear
    Dynamics in Computational Neuroscience (Springer), pp. 1–16.
    """

    state_variables = {
        "r": StateVariable(range=(0.0, 6.0), bounds=(0.0, None), doc="mean firing rate"),
        "V": StateVariable(range=(-10.0, 10.0), doc="mean membrane potential"),
        "g": StateVariable(range=(1.0, 2.0), doc="synaptic conductance"),
        "q": StateVariable(range=(-0.5, 0.7), doc="auxiliary variable of the conductance"),
    }
    coupling_variables = ("r", "V", "g", "q")

    variables_of_interest: tuple[str, ...] = Attr(
        ("r", "V"), doc="Quantities recorded by monitors, e.g. 'r', 'V', 'g', 'q'."
    )

    Delta: ParamValue = Parameter(
        0.5, range=(0.0, 10.0), doc="Half-width of the distribution of excitabilities."
    )
    alpha: ParamValue = Parameter(
        0.95, range=(0.0, 10.0), doc="Rate constant of the alpha-function synapse."
    )
    v_syn: ParamValue = Parameter(
        -10.0, range=(-20.0, 0.0), label="v_syn", doc="Synaptic reversal potential."
    )
    k: ParamValue = Parameter(
        1.0, range=(0.0, 5.0), doc="Strength of the recurrent (within-node) coupling."
    )
    eta: ParamValue = Parameter(
        20.0, range=(-10.0, 10.0), doc="Centre of the distribution of excitabilities."
    )

    @staticmethod
    def dfun(r, V, g, q, c_0, Delta, alpha, v_syn, k, eta):
        dr = Delta / np.pi + 2.0 * V * r - g * r
        dV = V * V - np.pi * np.pi * (r * r) + eta + (v_syn - V) * g + c_0
        dg = alpha * q
        dq = alpha * (k * np.pi * r - g - 2.0 * q)
        return dr, dV, dg, dq
