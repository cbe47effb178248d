"""Neural mass models. Every model is one class in one file; importing registers it."""

from vbrain.simulator.models.base import (
    Model,
    StateVariable,
    get,
    list_models,
    parse_expression,
    where,
)
from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator

list = list_models  # noqa: A001 - ``vb.models.list()`` reads naturally

__all__ = [
    "Generic2dOscillator",
    "Model",
    "StateVariable",
    "get",
    "list_models",
    "parse_expression",
    "where",
]
