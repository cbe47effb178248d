"""Neural mass models. Every model is one class in one file; importing registers it."""

from vbrain.simulator.models.base import (
    Model,
    StateVariable,
    erfc,
    get,
    list_models,
    parse_expression,
    where,
)
from vbrain.simulator.models.coombes_byrne import CoombesByrne
from vbrain.simulator.models.coombes_byrne_2d import CoombesByrne2D
from vbrain.simulator.models.deco_balanced_exc_inh import DecoBalancedExcInh
from vbrain.simulator.models.dumont_gutkin import DumontGutkin
from vbrain.simulator.models.epileptor import Epileptor
from vbrain.simulator.models.epileptor_2d import Epileptor2D
from vbrain.simulator.models.epileptor_codim3 import EpileptorCodim3, EpileptorCodim3SlowMod
from vbrain.simulator.models.epileptor_resting_state import EpileptorRestingState
from vbrain.simulator.models.gast_schmidt_knosche import (
    GastSchmidtKnosche_SD,
    GastSchmidtKnosche_SF,
)
from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator
from vbrain.simulator.models.hopfield import Hopfield
from vbrain.simulator.models.jansen_rit import JansenRit
from vbrain.simulator.models.k_ion_exchange import KIonEx
from vbrain.simulator.models.kuramoto import Kuramoto
from vbrain.simulator.models.larter_breakspear import LarterBreakspear
from vbrain.simulator.models.liley_steyn_ross import LileySteynRoss
from vbrain.simulator.models.linear import Linear
from vbrain.simulator.models.montbrio_pazo_roxin import MontbrioPazoRoxin
from vbrain.simulator.models.reduced_wong_wang import ReducedWongWang
from vbrain.simulator.models.reduced_wong_wang_exc_inh import ReducedWongWangExcInh
from vbrain.simulator.models.stefanescu_jirsa import (
    ReducedSetFitzHughNagumo,
    ReducedSetHindmarshRose,
)
from vbrain.simulator.models.sup_hopf import SupHopf
from vbrain.simulator.models.wilson_cowan import WilsonCowan
from vbrain.simulator.models.zerlaut import (
    ZerlautAdaptationFirstOrder,
    ZerlautAdaptationSecondOrder,
)
from vbrain.simulator.models.zetterberg_jansen import ZetterbergJansen

list = list_models  # noqa: A001 - ``vb.models.list()`` reads naturally

__all__ = [
    "CoombesByrne",
    "CoombesByrne2D",
    "DecoBalancedExcInh",
    "DumontGutkin",
    "Epileptor",
    "Epileptor2D",
    "EpileptorCodim3",
    "EpileptorCodim3SlowMod",
    "EpileptorRestingState",
    "GastSchmidtKnosche_SD",
    "GastSchmidtKnosche_SF",
    "Generic2dOscillator",
    "Hopfield",
    "JansenRit",
    "KIonEx",
    "Kuramoto",
    "LarterBreakspear",
    "LileySteynRoss",
    "Linear",
    "MontbrioPazoRoxin",
    "Model",
    "ReducedSetFitzHughNagumo",
    "ReducedSetHindmarshRose",
    "ReducedWongWang",
    "ReducedWongWangExcInh",
    "StateVariable",
    "SupHopf",
    "WilsonCowan",
    "ZerlautAdaptationFirstOrder",
    "ZerlautAdaptationSecondOrder",
    "ZetterbergJansen",
    "erfc",
    "get",
    "list_models",
    "parse_expression",
    "where",
]
