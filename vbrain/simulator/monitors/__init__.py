"""Monitors: what a simulation records (see :mod:`vbrain.simulator.monitors.base`)."""

from vbrain.simulator.monitors.base import (
    DEFAULT_PERIOD,
    Monitor,
    Stage,
    StageInfo,
    get,
    list_monitors,
)
from vbrain.simulator.monitors.basic import (
    AfferentCoupling,
    GlobalAverage,
    Raw,
    SpatialAverage,
    SubSample,
    TemporalAverage,
)

__all__ = [
    "DEFAULT_PERIOD",
    "AfferentCoupling",
    "GlobalAverage",
    "Monitor",
    "Raw",
    "SpatialAverage",
    "Stage",
    "StageInfo",
    "SubSample",
    "TemporalAverage",
    "get",
    "list_monitors",
]
