"""Region-level simulator: models, couplings, integrators, noise, monitors, stimuli and
backends."""

from vbrain.simulator import coupling, integrators, models, monitors, noise, phase_plane, stimuli
from vbrain.simulator.results import MonitorResult, SimulationResult
from vbrain.simulator.simulator import Simulator, simulate

__all__ = [
    "MonitorResult",
    "SimulationResult",
    "Simulator",
    "coupling",
    "integrators",
    "models",
    "monitors",
    "noise",
    "phase_plane",
    "simulate",
    "stimuli",
]
