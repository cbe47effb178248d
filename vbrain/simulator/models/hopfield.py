"""Hopfield: continuous (graded-response) Hopfield network node (Hopfield 1984)."""

from __future__ import annotations

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where


class Hopfield(Model):
    r"""Leaky relaxation of a node's potential towards its input, with an optional threshold.

    .. math::

        \dot x &= \frac{-x + c_0}{\tau_x} \\
        \dot\theta &= \begin{cases} \dfrac{-\theta + c_1}{\tau_\theta} & \text{dynamic} \\
                                    \dot x & \text{otherwise} \end{cases}

    The continuous Hopfield network (Hopfield 1984): every node relaxes to its afferent
    input, so the sigmoidal transfer lives in the coupling.  The intended pairing is the
    *PreSigmoidal* coupling, :math:`A_j = H (Q + \tanh(G (P x_j - \theta_j)))`.  With
    ``dynamic = 1`` the threshold :math:`\theta` is itself a state variable: PreSigmoidal
    (``dynamic=True``) then returns the summed input :math:`c_0 = \sum_j w_{ij} A_j` and the
    node's own output :math:`c_1 = A_i`, towards which :math:`\theta` relaxes with time
    constant :math:`\tau_\theta`.  With ``dynamic = 0`` (default) the threshold is the static
    parameter of the coupling, and — as in the reference, which returns :math:`\dot x` twice
    in that mode — :math:`\theta` just follows :math:`x`'s derivative and has no influence.

    Deviation from the reference's declarations: the reference couples only ``x`` and adds
    ``theta`` to its coupling variables when ``dynamic`` is switched on.  Coupling variables
    are fixed per class here, so both are always declared (``x``, ``theta``); in static mode
    the second coupling term is simply not used, so the dynamics are the same.  Stimuli go
    to ``x`` only, as in the reference in both modes.

    References: Hopfield 1982 (PNAS 79:2554); Hopfield 1984 (PNAS 81:3088).
    """

    state_variables = {
        "x": StateVariable(range=(-1.0, 2.0), doc="node potential"),
        "theta": StateVariable(range=(0.0, 1.0), doc="threshold (dynamic mode)"),
    }
    coupling_variables = ("x", "theta")
    stimulus_variables = ("x",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x",), doc="Quantities recorded by monitors, e.g. 'x', 'theta'."
    )

    taux: ParamValue = Parameter(
        1.0,
        range=(0.01, 100.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_x",
        doc="Fast time constant of the potential x.",
    )
    tauT: ParamValue = Parameter(
        5.0,
        range=(0.01, 100.0),
        valid=(0.0, None),
        exclusive=True,
        label="tau_theta",
        doc="Slow time constant of the threshold theta (dynamic mode).",
    )
    dynamic: ParamValue = Parameter(
        0.0,
        range=(0.0, 1.0),
        valid=(0.0, 1.0),
        doc="1: dynamic threshold theta driven by the second coupling term; 0: static (default).",
    )

    @staticmethod
    def dfun(x, theta, c_0, c_1, taux, tauT, dynamic):
        dx = (-x + c_0) / taux
        dtheta = where(dynamic > 0.5, (-theta + c_1) / tauT, dx)
        return dx, dtheta
