"""Datatypes: pure data plus the science methods that belong to it."""

from vbrain.datatypes import equations
from vbrain.datatypes.base import DataType, get_datatype, list_datatypes
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.connectivity_measure import (
    ConnectivityMeasure,
    CorrelationCoefficients,
    Covariance,
    CrossCorrelation,
    GraphMeasures,
)
from vbrain.datatypes.cortex import Cortex
from vbrain.datatypes.fcd import Fcd
from vbrain.datatypes.local_connectivity import CoarseMeshWarning, LocalConnectivity
from vbrain.datatypes.metrics import EntropyMeasure, TimeSeriesMetric
from vbrain.datatypes.mode_decompositions import IndependentComponents, PrincipalComponents
from vbrain.datatypes.projections import NonFiniteGainWarning, ProjectionMatrix
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.datatypes.sensors import Sensors, SensorsEEG, SensorsInternal, SensorsMEG
from vbrain.datatypes.spectral import (
    BandPowers,
    CoherenceSpectrum,
    ComplexCoherenceSpectrum,
    FourierSpectrum,
    PowerSpectrum,
    WaveletCoefficients,
)
from vbrain.datatypes.surface import (
    BrainSkull,
    CorticalSurface,
    EEGCap,
    FaceSurface,
    SkinAir,
    SkullSkin,
    Surface,
    TopologyReport,
    WhiteMatterSurface,
)
from vbrain.datatypes.time_series import (
    TimeSeries,
    TimeSeriesEEG,
    TimeSeriesMEG,
    TimeSeriesRegion,
    TimeSeriesSEEG,
    TimeSeriesSurface,
    TimeSeriesVolume,
)
from vbrain.datatypes.tracts import Tracts
from vbrain.datatypes.volumes import RegionVolumeMapping, StructuralMRI, Volume

__all__ = [
    "BandPowers",
    "CoherenceSpectrum",
    "ComplexCoherenceSpectrum",
    "ConnectivityMeasure",
    "CorrelationCoefficients",
    "Covariance",
    "CrossCorrelation",
    "EntropyMeasure",
    "Fcd",
    "FourierSpectrum",
    "GraphMeasures",
    "IndependentComponents",
    "PowerSpectrum",
    "PrincipalComponents",
    "TimeSeriesMetric",
    "WaveletCoefficients",
    "Connectivity",
    "CoarseMeshWarning",
    "Cortex",
    "DataType",
    "LocalConnectivity",
    "NonFiniteGainWarning",
    "ProjectionMatrix",
    "RegionMapping",
    "Sensors",
    "SensorsEEG",
    "SensorsInternal",
    "SensorsMEG",
    "BrainSkull",
    "CorticalSurface",
    "EEGCap",
    "FaceSurface",
    "SkinAir",
    "SkullSkin",
    "Surface",
    "TopologyReport",
    "WhiteMatterSurface",
    "TimeSeries",
    "TimeSeriesEEG",
    "TimeSeriesMEG",
    "TimeSeriesRegion",
    "TimeSeriesSEEG",
    "TimeSeriesSurface",
    "TimeSeriesVolume",
    "equations",
    "RegionVolumeMapping",
    "StructuralMRI",
    "Tracts",
    "Volume",
    "get_datatype",
    "list_datatypes",
]
