"""Offline Balloon-Windkessel analyzer: neural time series -> BOLD.

A thin registered wrapper around :func:`vbrain.simulator.balloon.compute_balloon_bold`, where
the model, its equations and its parameters are documented.
"""

from __future__ import annotations

from typing import ClassVar

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr
from vbrain.datatypes.time_series import TimeSeries
from vbrain.simulator.balloon import BalloonParameters, compute_balloon_bold

__all__ = ["BalloonWindkessel"]


class BalloonWindkessel(Analyzer):
    r"""BOLD signal of a neural time series through the Balloon-Windkessel model
    (Friston et al. 2000; revised coefficients of Stephan et al. 2007), every variable, node
    and mode with its own haemodynamics, starting at rest.  See
    :mod:`vbrain.simulator.balloon` for the equations; reference ``fmri_balloon.BalloonModel``.
    The output has the input's times and labels and is in percent signal change (V0 = 4).
    """

    output: ClassVar[type] = TimeSeries
    function_name: ClassVar[str] = "compute_balloon_bold_series"

    parameters: BalloonParameters = Attr(
        default_factory=BalloonParameters,
        label="Balloon parameters",
        doc="""Haemodynamic and neural-input parameters (BalloonParameters).""",
    )

    def _compute(self, sig: Signal) -> TimeSeries:
        bold = compute_balloon_bold(sig.data, sig.sample_period, self.parameters)
        return TimeSeries(
            data=bold,
            time=sig.time,
            sample_period=sig.sample_period,
            variable_labels=tuple(f"bold_{v}" for v in sig.variables),
            space_labels=sig.space,
            units="%",
            title="Balloon-Windkessel BOLD",
        )
