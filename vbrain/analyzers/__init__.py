"""Analyzers: spectra, wavelets, decompositions, functional connectivity, FCD, metrics and
graph measures of simulated or recorded data.

Each analyzer is a declared class (typed, ranged, documented inputs) returning a datatype,
registered by name, with a function form::

    import vbrain as vb
    spec = vb.analyzers.compute_fourier_spectrum(result, segment_length=2000.0)
    fc = vb.analyzers.get("PearsonCorrelation")()(x, sample_period=1.0)
    vb.analyzers.list()

Inputs are :class:`~vbrain.simulator.results.MonitorResult`, ``xarray.DataArray``,
:class:`~vbrain.datatypes.time_series.TimeSeries` or numpy arrays with ``sample_period``
(ms); graph analyzers take a :class:`~vbrain.datatypes.connectivity.Connectivity` or a matrix.
Time is in ms and frequency in Hz throughout (fs = 1000 / sample_period).  scikit-learn
(ICA), bctpy (graph) and matplotlib (plots) come with ``pip install "vbrain[analysis]"`` and
are imported only when used.
"""

from __future__ import annotations

import functools
from typing import Any

from vbrain.analyzers.base import (
    Analyzer,
    Signal,
    as_matrix,
    as_signal,
    get,
    list_analyzers,
)
from vbrain.analyzers.coherence import NodeCoherence, NodeComplexCoherence
from vbrain.analyzers.correlation import CrossCorrelate, NodeCovariance, PearsonCorrelation
from vbrain.analyzers.decomposition import ICA, PCA
from vbrain.analyzers.entropy import SampleEntropy, sample_entropy
from vbrain.analyzers.fcd import FunctionalConnectivityDynamics
from vbrain.analyzers.graph import (
    BetweennessCentrality,
    ClusteringCoefficient,
    Degree,
    Density,
    Distance,
    Efficiency,
    EigenvectorCentrality,
    GraphSummary,
    KCoreness,
    Modularity,
    ParticipationCoefficient,
    RichClub,
    Strength,
    Transitivity,
)
from vbrain.analyzers.metrics import (
    GlobalVariance,
    KuramotoIndex,
    ProxyMetastabilitySynchrony,
    VarianceNodeVariance,
)
from vbrain.analyzers.spectral import FFT, BandPower, PowerSpectralDensity
from vbrain.analyzers.wavelet import ContinuousWaveletTransform

try:  # the offline BOLD analyzer wraps the simulator's Balloon model
    from vbrain.analyzers.balloon import BalloonWindkessel
except ImportError:  # pragma: no cover - only without vbrain.simulator.balloon
    BalloonWindkessel = None  # type: ignore[assignment,misc]

list = list_analyzers  # noqa: A001 - ``vb.analyzers.list()`` reads naturally


def _function_form(cls: type[Analyzer]) -> Any:
    """``compute_x(data, sample_period=None, **params)`` = ``cls(**params)(data, ...)``."""

    @functools.wraps(cls, assigned=("__module__",), updated=())
    def compute(data: Any, sample_period: float | None = None, **params: Any) -> Any:
        return cls(**params)(data, sample_period=sample_period)

    compute.__name__ = compute.__qualname__ = cls.function_name
    fields = ", ".join(cls.model_fields)
    compute.__doc__ = (
        f"Function form of :class:`{cls.__name__}`: ``{cls.__name__}(**params)(data, "
        f"sample_period)``, returning a :class:`{cls.output.__name__}`.\n\n"
        f"Parameters: {fields or '(none)'}; see :class:`{cls.__name__}`.\n\n" + (cls.__doc__ or "")
    )
    return compute


_ANALYZERS = [
    FFT,
    PowerSpectralDensity,
    BandPower,
    ContinuousWaveletTransform,
    PCA,
    ICA,
    PearsonCorrelation,
    NodeCovariance,
    CrossCorrelate,
    NodeCoherence,
    NodeComplexCoherence,
    FunctionalConnectivityDynamics,
    GlobalVariance,
    VarianceNodeVariance,
    KuramotoIndex,
    ProxyMetastabilitySynchrony,
    SampleEntropy,
    Degree,
    Strength,
    Density,
    ClusteringCoefficient,
    Transitivity,
    BetweennessCentrality,
    EigenvectorCentrality,
    KCoreness,
    Modularity,
    ParticipationCoefficient,
    Distance,
    Efficiency,
    RichClub,
    GraphSummary,
] + ([BalloonWindkessel] if BalloonWindkessel is not None else [])

compute_fourier_spectrum = _function_form(FFT)
compute_psd = _function_form(PowerSpectralDensity)
compute_band_power = _function_form(BandPower)
compute_wavelet_transform = _function_form(ContinuousWaveletTransform)
compute_continuous_wavelet_transform = compute_wavelet_transform
compute_pca = _function_form(PCA)
compute_ica = _function_form(ICA)
compute_correlation = _function_form(PearsonCorrelation)
compute_covariance = _function_form(NodeCovariance)
compute_cross_correlation = _function_form(CrossCorrelate)
compute_coherence = _function_form(NodeCoherence)
compute_complex_coherence = _function_form(NodeComplexCoherence)
compute_fcd = _function_form(FunctionalConnectivityDynamics)
compute_global_variance = _function_form(GlobalVariance)
compute_variance_of_node_variance = _function_form(VarianceNodeVariance)
compute_kuramoto_index = _function_form(KuramotoIndex)
compute_proxy_metastability = _function_form(ProxyMetastabilitySynchrony)
compute_sample_entropy = _function_form(SampleEntropy)
compute_degree = _function_form(Degree)
compute_strength = _function_form(Strength)
compute_density = _function_form(Density)
compute_clustering_coefficient = _function_form(ClusteringCoefficient)
compute_transitivity = _function_form(Transitivity)
compute_betweenness = _function_form(BetweennessCentrality)
compute_eigenvector_centrality = _function_form(EigenvectorCentrality)
compute_kcoreness = _function_form(KCoreness)
compute_modularity = _function_form(Modularity)
compute_participation_coefficient = _function_form(ParticipationCoefficient)
compute_distance = _function_form(Distance)
compute_efficiency = _function_form(Efficiency)
compute_rich_club = _function_form(RichClub)
compute_graph_measures = _function_form(GraphSummary)
if BalloonWindkessel is not None:
    compute_balloon_bold_series = _function_form(BalloonWindkessel)


def plot_spectrum(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_spectrum`."""
    from vbrain.analyzers.plot import plot_spectrum as fn

    return fn(*args, **kwargs)


def plot_wavelet_power(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_wavelet_power`."""
    from vbrain.analyzers.plot import plot_wavelet_power as fn

    return fn(*args, **kwargs)


def plot_spectrogram(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_spectrogram`."""
    from vbrain.analyzers.plot import plot_spectrogram as fn

    return fn(*args, **kwargs)


def plot_matrix(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_matrix`."""
    from vbrain.analyzers.plot import plot_matrix as fn

    return fn(*args, **kwargs)


def plot_fcd(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_fcd`."""
    from vbrain.analyzers.plot import plot_fcd as fn

    return fn(*args, **kwargs)


def plot_band_power(*args: Any, **kwargs: Any) -> Any:
    """See :func:`vbrain.analyzers.plot.plot_band_power`."""
    from vbrain.analyzers.plot import plot_band_power as fn

    return fn(*args, **kwargs)


__all__ = (
    [
        "FFT",
        "ICA",
        "PCA",
        "Analyzer",
        "BalloonWindkessel",
        "BandPower",
        "BetweennessCentrality",
        "ClusteringCoefficient",
        "ContinuousWaveletTransform",
        "CrossCorrelate",
        "Degree",
        "Density",
        "Distance",
        "Efficiency",
        "EigenvectorCentrality",
        "FunctionalConnectivityDynamics",
        "GlobalVariance",
        "GraphSummary",
        "KCoreness",
        "KuramotoIndex",
        "Modularity",
        "NodeCoherence",
        "NodeComplexCoherence",
        "NodeCovariance",
        "ParticipationCoefficient",
        "PearsonCorrelation",
        "PowerSpectralDensity",
        "ProxyMetastabilitySynchrony",
        "RichClub",
        "SampleEntropy",
        "Signal",
        "Strength",
        "Transitivity",
        "VarianceNodeVariance",
        "as_matrix",
        "as_signal",
        "get",
        "list",
        "list_analyzers",
        "plot_band_power",
        "plot_fcd",
        "plot_matrix",
        "plot_spectrogram",
        "plot_spectrum",
        "plot_wavelet_power",
        "sample_entropy",
    ]
    + [cls.function_name for cls in _ANALYZERS]
    + ["compute_continuous_wavelet_transform"]
)
