"""Readers and writers of connectome, surface, sensor and time-series file formats."""

from vbrain.io import hdf5
from vbrain.io.archive import ArchiveFormatError, export_zip, import_zip, read_datatype_file
from vbrain.io.bids import (
    BIDSFormatError,
    read_bids,
    write_bids_connectivity,
    write_bids_time_series,
)
from vbrain.io.connectivity import ConnectivityFormatError, read_connectivity, write_connectivity
from vbrain.io.csv_connectivity import (
    CSVFormatError,
    read_connectivity_csv,
    read_matrix_csv,
    write_connectivity_csv,
    write_matrix_csv,
)
from vbrain.io.hdf5 import HDF5FormatError
from vbrain.io.nifti import (
    NiftiFormatError,
    read_nifti,
    read_region_volume_mapping,
    read_structural_mri,
    read_time_series_volume,
    write_nifti,
)
from vbrain.io.projections import ProjectionFormatError, read_projection, write_projection
from vbrain.io.region_mapping import (
    RegionMappingFormatError,
    read_region_mapping,
    write_region_mapping,
)
from vbrain.io.sensors import SensorsFormatError, read_sensors, write_sensors
from vbrain.io.surface import (
    SurfaceFormatError,
    read_gifti,
    read_obj,
    read_surface,
    read_surface_zip,
    write_gifti,
    write_obj,
    write_surface,
    write_surface_zip,
)
from vbrain.io.time_series import (
    TimeSeriesFormatError,
    read_connectivity_measure_mat,
    read_eeg_time_series_mat,
    read_time_series_mat,
    read_time_series_txt,
    to_mne_raw,
)
from vbrain.io.tracts import TractsFormatError, read_tracts, write_tracts

# the reference system's importer / exporter names (REFERENCE.md 1.10, 1.11)
IMPORTERS = {
    "ZIPConnectivityImporter": read_connectivity,
    "CSVConnectivityImporter": read_connectivity_csv,
    "RegionTimeSeriesImporter": read_time_series_mat,
    "EEGRegionTimeSeriesImporter": read_eeg_time_series_mat,
    "TxtTimeseriesImporter": read_time_series_txt,
    "ConnectivityMeasureImporter": read_connectivity_measure_mat,
    "NIFTIImporter": read_nifti,
    "TrackvizTractsImporter": read_tracts,
    "TrackImporter": read_tracts,
    "BIDSImporter": read_bids,
    "TVBImporter": read_datatype_file,
    "SensorsImporter": read_sensors,
    "RegionMappingImporter": read_region_mapping,
    "ProjectionMatrixImporter": read_projection,
    "BrainstormGainMatrixImporter": read_projection,
}
EXPORTERS = {
    "TVBExporter": hdf5.save,
    "TVBLinkedExporter": export_zip,
    "CSVExporter": write_matrix_csv,
    "MNEExporter": to_mne_raw,
    "BIDSConnectivityExporter": write_bids_connectivity,
    "BIDSTimeSeriesExporter": write_bids_time_series,
    "NIFTIExporter": write_nifti,
}

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ArchiveFormatError",
    "BIDSFormatError",
    "CSVFormatError",
    "NiftiFormatError",
    "TimeSeriesFormatError",
    "TractsFormatError",
    "export_zip",
    "import_zip",
    "read_bids",
    "read_connectivity_csv",
    "read_connectivity_measure_mat",
    "read_datatype_file",
    "read_eeg_time_series_mat",
    "read_matrix_csv",
    "read_nifti",
    "read_region_volume_mapping",
    "read_structural_mri",
    "read_time_series_mat",
    "read_time_series_txt",
    "read_time_series_volume",
    "read_tracts",
    "to_mne_raw",
    "write_bids_connectivity",
    "write_bids_time_series",
    "write_connectivity_csv",
    "write_matrix_csv",
    "write_nifti",
    "write_tracts",
    "ConnectivityFormatError",
    "HDF5FormatError",
    "ProjectionFormatError",
    "RegionMappingFormatError",
    "SensorsFormatError",
    "SurfaceFormatError",
    "read_gifti",
    "read_obj",
    "read_surface",
    "read_surface_zip",
    "write_gifti",
    "write_obj",
    "write_surface",
    "write_surface_zip",
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
