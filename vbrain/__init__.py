"""vbrain: whole-brain network simulation and analysis.

>>> import vbrain as vb
>>> conn = vb.datasets.load_connectivity(76)
>>> res = vb.simulate(conn, model=vb.models.Generic2dOscillator(), duration=100.0)

Submodules and names are loaded on first use so that ``import vbrain`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = {
    "analyzers": "vbrain.analyzers",
    "config": "vbrain.config",
    "datasets": "vbrain.datasets",
    "datatypes": "vbrain.datatypes",
    "forward": "vbrain.forward",
    "io": "vbrain.io",
    "simulator": "vbrain.simulator",
    "models": "vbrain.simulator.models",
    "coupling": "vbrain.simulator.coupling",
    "integrators": "vbrain.simulator.integrators",
    "noise": "vbrain.simulator.noise",
    "monitors": "vbrain.simulator.monitors",
    "stimuli": "vbrain.simulator.stimuli",
    "surface": "vbrain.surface",
}
_NAMES = {
    "simulate": "vbrain.simulator.simulator",
    "Simulator": "vbrain.simulator.simulator",
    "SimulationResult": "vbrain.simulator.results",
    "MonitorResult": "vbrain.simulator.results",
    "Connectivity": "vbrain.datatypes.connectivity",
    "TimeSeries": "vbrain.datatypes.time_series",
    "TimeSeriesRegion": "vbrain.datatypes.time_series",
    "Store": "vbrain.store",
    "ValidationError": "vbrain.config.traits",
    "load_config": "vbrain.simulator.config",
}

__all__ = [
    "Connectivity",
    "MonitorResult",
    "SimulationResult",
    "Simulator",
    "Store",
    "TimeSeries",
    "TimeSeriesRegion",
    "ValidationError",
    "analyzers",
    "config",
    "coupling",
    "datasets",
    "datatypes",
    "forward",
    "integrators",
    "io",
    "load_config",
    "models",
    "monitors",
    "noise",
    "simulate",
    "simulator",
    "stimuli",
    "surface",
]

if TYPE_CHECKING:  # pragma: no cover
    from vbrain import analyzers, config, datasets, datatypes, forward, io, simulator, surface
    from vbrain.config.traits import ValidationError
    from vbrain.datatypes.connectivity import Connectivity
    from vbrain.datatypes.time_series import TimeSeries, TimeSeriesRegion
    from vbrain.simulator import coupling, integrators, models, monitors, noise, stimuli
    from vbrain.simulator.config import load_config
    from vbrain.simulator.results import MonitorResult, SimulationResult
    from vbrain.simulator.simulator import Simulator, simulate
    from vbrain.store import Store


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(_SUBMODULES[name])
        globals()[name] = module
        return module
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'vbrain' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
