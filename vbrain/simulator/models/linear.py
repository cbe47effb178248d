"""Linear (damped) node dynamics: the simplest neural mass, useful for tests and linear analysis."""

from __future__ import annotations

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable


class Linear(Model):
    r"""A single linear state variable relaxing towards zero, driven by its input.

    .. math::

        \dot x = \gamma\, x + c_0 + lc_0

    ``c_0`` is the long-range coupling of ``x`` and ``lc_0`` the local (surface) coupling.
    For a network with coupling weights :math:`w` and linear coupling of gain :math:`a` the node
    stays stable as long as :math:`-\gamma` exceeds :math:`a` times the node's in-strength;
    the whole network is then a linear (Ornstein–Uhlenbeck) system when driven by noise.

    References: Sanz-Leon et al. 2015 (TVB model catalogue); Galán 2008 (linear network
    models of resting-state fluctuations).
    """

    state_variables = {
        "x": StateVariable(range=(-1.0, 1.0), doc="node activity"),
    }
    coupling_variables = ("x",)

    variables_of_interest: tuple[str, ...] = Attr(
        ("x",), doc="Quantities recorded by monitors (only 'x' is available)."
    )

    gamma: ParamValue = Parameter(
        -10.0,
        range=(-100.0, 0.0),
        unit="1/ms",
        label="gamma",
        doc="Damping rate; must be more negative than the node's weighted in-degree times the "
        "coupling gain for the network to stay stable.",
    )

    @staticmethod
    def dfun(x, c_0, lc_0, gamma):
        dx = gamma * x + c_0 + lc_0
        return (dx,)
