"""Neural mass models. Every model is one class in one file; importing registers it."""

from vbrain.simulator.models.base import (
    Model,
    StateVariable,
    get,
    list_models,
    parse_expression,
    where,
)
from vbrain.simulator.models.epileptor import Epileptor
from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator
from vbrain.simulator.models.jansen_rit import JansenRit
from vbrain.simulator.models.kuramoto import Kuramoto
from vbrain.simulator.models.linear import Linear
from vbrain.simulator.models.montbrio_pazo_roxin import MontbrioPazoRoxin
from vbrain.simulator.models.reduced_wong_wang import ReducedWongWang
from vbrain.simulator.models.reduced_wong_wang_exc_inh import ReducedWongWangExcInh
from vbrain.simulator.models.sup_hopf import SupHopf
from vbrain.simulator.models.wilson_cowan import WilsonCowan

list = list_models  # noqa: A001 - ``vb.models.list()`` reads naturally

__all__ = [
    "Epileptor",
    "Generic2dOscillator",
    "JansenRit",
    "Kuramoto",
    "Linear",
    "MontbrioPazoRoxin",
    "Model",
    "ReducedWongWang",
    "ReducedWongWangExcInh",
    "StateVariable",
    "SupHopf",
    "WilsonCowan",
    "get",
    "list_models",
    "parse_expression",
    "where",
]
