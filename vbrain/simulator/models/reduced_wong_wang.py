"""Reduced Wong–Wang NMDA-gating model (Wong & Wang 2006; Deco et al. 2013)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class ReducedWongWang(Model):
    r"""Dynamic mean field of one excitatory pool, reduced to its NMDA gating variable.

    .. math::

        x &= w J_N S + I_o + J_N c_0 + J_N\, lc_0 \\
        H(x) &= \frac{a x - b}{1 - e^{-d (a x - b)}} \\
        \dot S &= -\frac{S}{\tau_s} + (1 - S)\, H(x)\, \gamma

    :math:`S` is the fraction of open NMDA channels (kept within [0, 1]), :math:`H` the
    population firing rate as a function of the input current :math:`x`.  ``c_0`` is the
    long-range coupling of ``S`` and ``lc_0`` the local (surface) coupling.
    ``sigma_noise`` only documents a suitable noise amplitude; it does not enter the equations.

    References: Wong & Wang 2006; Deco et al. 2013 (J Neurosci 32:11239, p. 11242).
    """

    state_variables = {
        "S": StateVariable(range=(0.0, 1.0), bounds=(0.0, 1.0), doc="NMDA gating variable"),
    }
    coupling_variables = ("S",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("S",), doc="Quantities recorded by monitors (only 'S' is available)."
    )

    a: ParamValue = Parameter(
        0.270, range=(0.0, 0.270), unit="n/C", doc="Input gain of the transfer function."
    )
    b: ParamValue = Parameter(
        0.108, range=(0.0, 1.0), unit="kHz", doc="Input shift of the transfer function."
    )
    d: ParamValue = Parameter(
        154.0, range=(0.0, 200.0), unit="ms", doc="Curvature of the transfer function."
    )
    gamma: ParamValue = Parameter(0.641, range=(0.0, 1.0), doc="Kinetic parameter.")
    tau_s: ParamValue = Parameter(
        100.0,
        range=(50.0, 150.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="NMDA decay time constant.",
    )
    w: ParamValue = Parameter(0.6, range=(0.0, 1.0), doc="Excitatory recurrence weight.")
    J_N: ParamValue = Parameter(
        0.2609, range=(0.2609, 0.5), unit="nA", doc="NMDA synaptic coupling."
    )
    I_o: ParamValue = Parameter(
        0.33, range=(0.0, 1.0), unit="nA", doc="Effective external input current."
    )
    sigma_noise: ParamValue = Parameter(
        1e-9,
        range=(0.0, 0.005),
        unit="nA",
        doc="Suggested noise amplitude for stochastic integration (not used by the equations).",
    )

    @staticmethod
    def dfun(S, c_0, lc_0, a, b, d, gamma, tau_s, w, J_N, I_o):
        x = w * J_N * S + I_o + J_N * c_0 + J_N * lc_0
        ax_b = a * x - b
        H = ax_b / (1.0 - np.exp(-d * ax_b))
        dS = -(S / tau_s) + (1.0 - S) * H * gamma
        return (dS,)
