"""Readers and writers of connectome, surface, sensor and time-series file formats."""

from vbrain.io import hdf5
from vbrain.io.connectivity import ConnectivityFormatError, read_connectivity, write_connectivity
from vbrain.io.hdf5 import HDF5FormatError
from vbrain.io.projections import ProjectionFormatError, read_projection, write_projection
from vbrain.io.region_mapping import (
    RegionMappingFormatError,
    read_region_mapping,
    write_region_mapping,
)
from vbrain.io.sensors import SensorsFormatError, read_sensors, write_sensors

__all__ = [
    "ConnectivityFormatError",
    "HDF5FormatError",
    "ProjectionFormatError",
    "RegionMappingFormatError",
    "SensorsFormatError",
    "hdf5",
    "read_connectivity",
    "read_projection",
    "read_region_mapping",
    "read_sensors",
    "write_connectivity",
    "write_projection",
    "write_region_mapping",
    "write_sensors",
]
