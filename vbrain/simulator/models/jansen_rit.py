"""Jansen–Rit cortical column (Jansen & Rit 1995)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class JansenRit(Model):
    r"""Three interacting populations (pyramidal cells, excitatory and inhibitory interneurons).

    .. math::

        \dot y_0 &= y_3 \qquad \dot y_1 = y_4 \qquad \dot y_2 = y_5 \\
        \dot y_3 &= A a\, S(y_1 - y_2) - 2 a\, y_3 - a^2 y_0 \\
        \dot y_4 &= A a\,\bigl(\mu + a_2 J\, S(a_1 J\, y_0) + c_0 + lc_0 - lc_1\bigr)
                    - 2 a\, y_4 - a^2 y_1 \\
        \dot y_5 &= B b\, a_4 J\, S(a_3 J\, y_0) - 2 b\, y_5 - b^2 y_2 \\
        S(v) &= \frac{2 \nu_{max}}{1 + e^{r (v_0 - v)}}

    Each population turns its mean membrane potential into a firing rate with the sigmoid
    :math:`S` and every synapse is a second-order linear filter (rate constants :math:`a`,
    :math:`b`, gains :math:`A`, :math:`B`).  :math:`y_1 - y_2` is the pyramidal membrane
    potential (the EEG-like signal).  The coupling variables are ``y1`` and ``y2``; the intended
    pairing is the *SigmoidalJansenRit* coupling, which sums :math:`S(y_1 - y_2)` of the
    afferent nodes into a single term ``c_0`` (only ``c_0`` is used, as in TVB).
    ``lc_0 - lc_1`` is the local (surface) coupling of :math:`y_1 - y_2`.  The input
    :math:`p(t)` of the original paper is the constant mean rate :math:`\mu`; ``p_min`` and
    ``p_max`` only document its physiological range and do not enter the equations.

    References: Jansen & Rit 1995; Jansen, Zouridakis & Brandt 1993; David & Friston 2003.
    """

    state_variables = {
        "y0": StateVariable(range=(-1.0, 1.0), unit="mV", doc="pyramidal cells' PSP"),
        "y1": StateVariable(range=(-500.0, 500.0), unit="mV", doc="excitatory PSP on pyramids"),
        "y2": StateVariable(range=(-50.0, 50.0), unit="mV", doc="inhibitory PSP on pyramids"),
        "y3": StateVariable(range=(-6.0, 6.0), unit="mV/ms", doc="derivative of y0"),
        "y4": StateVariable(range=(-20.0, 20.0), unit="mV/ms", doc="derivative of y1"),
        "y5": StateVariable(range=(-500.0, 500.0), unit="mV/ms", doc="derivative of y2"),
    }
    coupling_variables = ("y1", "y2")

    variables_of_interest: tuple[str, ...] = Attr(
        ("y0", "y1", "y2", "y3"),
        doc="Quantities recorded by monitors; 'y1 - y2' is the pyramidal membrane potential.",
    )

    A: ParamValue = Parameter(
        3.25, range=(2.6, 9.75), unit="mV", doc="Maximum amplitude of the EPSP (synaptic gain)."
    )
    B: ParamValue = Parameter(
        22.0, range=(17.6, 110.0), unit="mV", doc="Maximum amplitude of the IPSP (synaptic gain)."
    )
    a: ParamValue = Parameter(
        0.1,
        range=(0.05, 0.15),
        valid=(0.0, None),
        unit="1/ms",
        doc="Inverse time constant of the excitatory synapses and dendrites.",
    )
    b: ParamValue = Parameter(
        0.05,
        range=(0.025, 0.075),
        valid=(0.0, None),
        unit="1/ms",
        doc="Inverse time constant of the inhibitory synapses and dendrites.",
    )
    v0: ParamValue = Parameter(
        5.52,
        range=(3.12, 6.0),
        unit="mV",
        doc="Potential at which the sigmoid reaches half its maximum rate (often 6 mV).",
    )
    nu_max: ParamValue = Parameter(
        0.0025,
        range=(0.00125, 0.00375),
        unit="1/ms",
        label="nu_max",
        doc="Half the maximum firing rate of the sigmoid (the sigmoid saturates at 2 nu_max).",
    )
    r: ParamValue = Parameter(
        0.56, range=(0.28, 0.84), unit="1/mV", doc="Steepness of the sigmoid."
    )
    J: ParamValue = Parameter(
        135.0, range=(65.0, 1350.0), doc="Average number of synapses between the populations."
    )
    a_1: ParamValue = Parameter(
        1.0,
        range=(0.5, 1.5),
        label="alpha_1",
        doc="Fraction of contacts pyramidal -> excitatory interneurons.",
    )
    a_2: ParamValue = Parameter(
        0.8,
        range=(0.4, 1.2),
        label="alpha_2",
        doc="Fraction of contacts excitatory interneurons -> pyramidal cells.",
    )
    a_3: ParamValue = Parameter(
        0.25,
        range=(0.125, 0.375),
        label="alpha_3",
        doc="Fraction of contacts pyramidal -> inhibitory interneurons.",
    )
    a_4: ParamValue = Parameter(
        0.25,
        range=(0.125, 0.375),
        label="alpha_4",
        doc="Fraction of contacts inhibitory interneurons -> pyramidal cells.",
    )
    p_min: ParamValue = Parameter(
        0.12,
        range=(0.0, 0.12),
        unit="1/ms",
        doc="Lower end of the physiological input rate (informational; unused in the equations).",
    )
    p_max: ParamValue = Parameter(
        0.32,
        range=(0.0, 0.32),
        unit="1/ms",
        doc="Upper end of the physiological input rate (informational; unused in the equations).",
    )
    mu: ParamValue = Parameter(
        0.22, range=(0.0, 0.22), unit="1/ms", doc="Mean external input rate p(t)."
    )

    @staticmethod
    def dfun(
        y0,
        y1,
        y2,
        y3,
        y4,
        y5,
        c_0,
        lc_0,
        lc_1,
        A,
        B,
        a,
        b,
        v0,
        nu_max,
        r,
        J,
        a_1,
        a_2,
        a_3,
        a_4,
        mu,
    ):
        s_pyr = 2.0 * nu_max / (1.0 + np.exp(r * (v0 - (y1 - y2))))
        s_exc = 2.0 * nu_max / (1.0 + np.exp(r * (v0 - a_1 * J * y0)))
        s_inh = 2.0 * nu_max / (1.0 + np.exp(r * (v0 - a_3 * J * y0)))
        dy3 = A * a * s_pyr - 2.0 * a * y3 - a**2 * y0
        dy4 = A * a * (mu + a_2 * J * s_exc + c_0 + lc_0 - lc_1) - 2.0 * a * y4 - a**2 * y1
        dy5 = B * b * (a_4 * J * s_inh) - 2.0 * b * y5 - b**2 * y2
        return y3, y4, y5, dy3, dy4, dy5
