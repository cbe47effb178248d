"""Neural mass models: every model is one class in one file, registered on import.

Model modules are imported on first use (``vb.models.JansenRit`` imports only its file);
:func:`list_models` and :func:`get` import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from vbrain.simulator.models.base import (
    Model,
    StateVariable,
    erfc,
    get,
    list_models,
    parse_expression,
    where,
)
from vbrain.simulator.models.heterogeneous import Heterogeneous, heterogeneous

_MODEL_MODULES = {
    "CoombesByrne": "coombes_byrne",
    "CoombesByrne2D": "coombes_byrne_2d",
    "DecoBalancedExcInh": "deco_balanced_exc_inh",
    "DumontGutkin": "dumont_gutkin",
    "Epileptor": "epileptor",
    "Epileptor2D": "epileptor_2d",
    "EpileptorCodim3": "epileptor_codim3",
    "EpileptorCodim3SlowMod": "epileptor_codim3",
    "EpileptorRestingState": "epileptor_resting_state",
    "GastSchmidtKnosche_SD": "gast_schmidt_knosche",
    "GastSchmidtKnosche_SF": "gast_schmidt_knosche",
    "Generic2dOscillator": "generic_2d_oscillator",
    "Hopfield": "hopfield",
    "JansenRit": "jansen_rit",
    "KIonEx": "k_ion_exchange",
    "Kuramoto": "kuramoto",
    "LarterBreakspear": "larter_breakspear",
    "LileySteynRoss": "liley_steyn_ross",
    "Linear": "linear",
    "MontbrioPazoRoxin": "montbrio_pazo_roxin",
    "ReducedSetFitzHughNagumo": "stefanescu_jirsa",
    "ReducedSetHindmarshRose": "stefanescu_jirsa",
    "ReducedWongWang": "reduced_wong_wang",
    "ReducedWongWangExcInh": "reduced_wong_wang_exc_inh",
    "SupHopf": "sup_hopf",
    "WilsonCowan": "wilson_cowan",
    "ZerlautAdaptationFirstOrder": "zerlaut",
    "ZerlautAdaptationSecondOrder": "zerlaut",
    "ZetterbergJansen": "zetterberg_jansen",
}
"""Model class name -> module under ``vbrain.simulator.models``."""

list = list_models  # noqa: A001 - ``vb.models.list()`` reads naturally

if TYPE_CHECKING:  # pragma: no cover
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


def __getattr__(name: str) -> Any:
    if name in _MODEL_MODULES:
        module = importlib.import_module(f"vbrain.simulator.models.{_MODEL_MODULES[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_all() -> None:
    """Import every library model module (registering the models)."""
    for name in _MODEL_MODULES:
        __getattr__(name)


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
    "heterogeneous",
    "Heterogeneous",
    "list_models",
    "load_all",
    "parse_expression",
    "where",
]
