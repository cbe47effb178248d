"""Wilson–Cowan excitatory/inhibitory population model (Wilson & Cowan 1972)."""

from __future__ import annotations

import numpy as np

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class WilsonCowan(Model):
    r"""Mean activity of coupled excitatory (E) and inhibitory (I) populations.

    .. math::

        \tau_e \dot E &= -E + (k_e - r_e E)\, S_e(x_e) \\
        \tau_i \dot I &= -I + (k_i - r_i I)\, S_i(x_i) \\
        x_e &= \alpha_e (c_{ee} E - c_{ei} I + P - \theta_e + c_0 + lc_0 + lc_1) \\
        x_i &= \alpha_i (c_{ie} E - c_{ii} I + Q - \theta_i + lc_0 + lc_1) \\
        S_k(x) &= c_k \left(\frac{1}{1 + e^{-a_k (x - b_k)}}
                  - \sigma \frac{1}{1 + e^{a_k b_k}}\right), \quad k \in \{e, i\}

    with :math:`\sigma = 1` when ``shift_sigmoid`` is on (the response function is lowered so
    that :math:`S(0) = 0` and the rest state is :math:`E = I = 0`) and :math:`\sigma = 0`
    otherwise.  Long-range input ``c_0`` (the coupling of ``E``) drives only the excitatory
    population, as in TVB; the coupling of ``I`` is computed but not used.  ``lc_0``/``lc_1``
    are the local (surface) coupling of ``E``/``I`` and reach both populations.
    ``shift_sigmoid`` is numeric: 1 (on) or 0 (off).

    References: Wilson & Cowan 1972 (eqs. 11-12); Wilson & Cowan 1973;
    Daffertshofer & van Wijk 2011; Sanz-Leon et al. 2015.
    """

    state_variables = {
        "E": StateVariable(range=(0.0, 1.0), doc="proportion of active excitatory cells"),
        "I": StateVariable(range=(0.0, 1.0), doc="proportion of active inhibitory cells"),
    }
    coupling_variables = ("E", "I")

    variables_of_interest: tuple[str, ...] = Attr(
        ("E",), doc="Quantities recorded by monitors, e.g. 'E', 'I', 'E + I', 'E - I'."
    )

    c_ee: ParamValue = Parameter(
        12.0, range=(11.0, 16.0), doc="Excitatory to excitatory coupling coefficient."
    )
    c_ei: ParamValue = Parameter(
        4.0, range=(2.0, 15.0), doc="Inhibitory to excitatory coupling coefficient."
    )
    c_ie: ParamValue = Parameter(
        13.0, range=(2.0, 22.0), doc="Excitatory to inhibitory coupling coefficient."
    )
    c_ii: ParamValue = Parameter(
        11.0, range=(2.0, 15.0), doc="Inhibitory to inhibitory coupling coefficient."
    )
    tau_e: ParamValue = Parameter(
        10.0,
        range=(0.0, 150.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Membrane time constant of the excitatory population.",
    )
    tau_i: ParamValue = Parameter(
        10.0,
        range=(0.0, 150.0),
        valid=(0.0, None),
        exclusive=True,
        unit="ms",
        doc="Membrane time constant of the inhibitory population.",
    )
    a_e: ParamValue = Parameter(
        1.2, range=(0.0, 1.4), doc="Slope of the excitatory response function."
    )
    b_e: ParamValue = Parameter(
        2.8, range=(1.4, 6.0), doc="Position of the steepest point of the excitatory sigmoid."
    )
    c_e: ParamValue = Parameter(
        1.0, range=(1.0, 20.0), doc="Amplitude of the excitatory response function."
    )
    theta_e: ParamValue = Parameter(0.0, range=(0.0, 60.0), doc="Excitatory threshold.")
    a_i: ParamValue = Parameter(
        1.0, range=(0.0, 2.0), doc="Slope of the inhibitory response function."
    )
    b_i: ParamValue = Parameter(
        4.0, range=(2.0, 6.0), doc="Position of the steepest point of the inhibitory sigmoid."
    )
    theta_i: ParamValue = Parameter(0.0, range=(0.0, 60.0), doc="Inhibitory threshold.")
    c_i: ParamValue = Parameter(
        1.0, range=(1.0, 20.0), doc="Amplitude of the inhibitory response function."
    )
    r_e: ParamValue = Parameter(1.0, range=(0.5, 2.0), doc="Excitatory refractory period.")
    r_i: ParamValue = Parameter(1.0, range=(0.5, 2.0), doc="Inhibitory refractory period.")
    k_e: ParamValue = Parameter(
        1.0, range=(0.5, 2.0), doc="Maximum value of the excitatory response function."
    )
    k_i: ParamValue = Parameter(
        1.0, range=(0.0, 2.0), doc="Maximum value of the inhibitory response function."
    )
    P: ParamValue = Parameter(
        0.0, range=(0.0, 20.0), doc="Constant external input to the excitatory population."
    )
    Q: ParamValue = Parameter(
        0.0, range=(0.0, 20.0), doc="Constant external input to the inhibitory population."
    )
    alpha_e: ParamValue = Parameter(
        1.0, range=(0.0, 20.0), doc="Gain applied to the total excitatory input."
    )
    alpha_i: ParamValue = Parameter(
        1.0, range=(0.0, 20.0), doc="Gain applied to the total inhibitory input."
    )
    shift_sigmoid: ParamValue = Parameter(
        1.0,
        valid=(0.0, 1.0),
        doc="1: shift the response functions down so that S(0) = 0 (rest at E = I = 0); "
        "0: plain logistic response functions.",
    )

    @staticmethod
    def dfun(
        E,
        I,
        c_0,
        lc_0,
        lc_1,
        c_ee,
        c_ei,
        c_ie,
        c_ii,
        tau_e,
        tau_i,
        a_e,
        b_e,
        c_e,
        theta_e,
        a_i,
        b_i,
        theta_i,
        c_i,
        r_e,
        r_i,
        k_e,
        k_i,
        P,
        Q,
        alpha_e,
        alpha_i,
        shift_sigmoid,
    ):
        x_e = alpha_e * (c_ee * E - c_ei * I + P - theta_e + c_0 + lc_0 + lc_1)
        x_i = alpha_i * (c_ie * E - c_ii * I + Q - theta_i + lc_0 + lc_1)
        shift = where(shift_sigmoid > 0.5, 1.0, 0.0)
        s_e = c_e * (1.0 / (1.0 + np.exp(-a_e * (x_e - b_e))) - shift / (1.0 + np.exp(-a_e * -b_e)))
        s_i = c_i * (1.0 / (1.0 + np.exp(-a_i * (x_i - b_i))) - shift / (1.0 + np.exp(-a_i * -b_i)))
        dE = (-E + (k_e - r_e * E) * s_e) / tau_e
        dI = (-I + (k_i - r_i * I) * s_i) / tau_i
        return dE, dI
