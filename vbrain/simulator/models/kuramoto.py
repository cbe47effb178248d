"""Kuramoto phase oscillator (Kuramoto 1975)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class Kuramoto(Model):
    r"""Phase oscillator rotating at its natural frequency, pulled by its inputs.

    .. math::

        \dot\theta = \omega + c_0 + \sin(lc_0)

    :math:`\theta` is the phase (rad) and :math:`\omega` the natural angular frequency.
    The phase interaction :math:`\sum_j w_{ij}\sin(\theta_j - \theta_i)` is computed by the
    *Kuramoto coupling function* and arrives as ``c_0``; ``lc_0`` is the local (surface)
    coupling of :math:`\theta`, entering through a sine as in TVB.

    References: Kuramoto 1975; Strogatz 2000; Cabral et al. 2011.
    """

    state_variables = {
        "theta": StateVariable(range=(0.0, 2.0 * np.pi), unit="rad", doc="phase angle"),
    }
    coupling_variables = ("theta",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("theta",), doc="Quantities recorded by monitors (e.g. 'theta', 'sin(theta)')."
    )

    omega: ParamValue = Parameter(
        1.0,
        range=(0.01, 200.0),
        unit="rad/ms",
        label="omega",
        doc="Natural angular frequency of the oscillator.",
    )

    @staticmethod
    def dfun(theta, c_0, lc_0, omega):
        dtheta = omega + c_0 + np.sin(lc_0)
        return (dtheta,)
