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
from vbrain.simulator.monitors.bold import BalloonBold, Bold
from vbrain.simulator.monitors.projection import EEG, MEG, iEEG

__all__ = [
    "DEFAULT_PERIOD",
    "EEG",
    "MEG",
    "AfferentCoupling",
    "BalloonBold",
    "Bold",
    "GlobalAverage",
    "Monitor",
    "Raw",
    "SpatialAverage",
    "Stage",
    "StageInfo",
    "SubSample",
    "TemporalAverage",
    "get",
    "iEEG",
    "list_monitors",
]
