"""Readers and writers of connectome, surface, sensor and time-series file formats."""

from vbrain.io.connectivity import ConnectivityFormatError, read_connectivity, write_connectivity

__all__ = ["ConnectivityFormatError", "read_connectivity", "write_connectivity"]
