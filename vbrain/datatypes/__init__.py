"""Datatypes: pure data plus the science methods that belong to it."""

from vbrain.datatypes.connectivity import Connectivity

__all__ = ["Connectivity"]
