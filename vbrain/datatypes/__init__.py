"""Datatypes: pure data plus the science methods that belong to it."""

from vbrain.datatypes.base import DataType, get_datatype, list_datatypes
from vbrain.datatypes.connectivity import Connectivity

__all__ = ["Connectivity", "DataType", "get_datatype", "list_datatypes"]
