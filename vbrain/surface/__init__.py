"""Algorithms on triangulated surfaces: geodesic distances and the Laplace-Beltrami operator.

They act on a :class:`~vbrain.datatypes.surface.Surface` (or a ``(vertices, triangles)`` pair)
and return numpy arrays or scipy sparse matrices; the datatypes built on them
(:class:`~vbrain.datatypes.local_connectivity.LocalConnectivity`,
:class:`~vbrain.datatypes.cortex.Cortex`) live in :mod:`vbrain.datatypes`.
"""

from vbrain.surface.geodesic import (
    SurfaceHolesWarning,
    compute_geodesic_distances,
    compute_geodesic_distances_from,
)
from vbrain.surface.laplacian import (
    compute_cotangent_laplacian,
    compute_laplace_beltrami,
    compute_mass_matrix,
)

__all__ = [
    "SurfaceHolesWarning",
    "compute_cotangent_laplacian",
    "compute_geodesic_distances",
    "compute_geodesic_distances_from",
    "compute_laplace_beltrami",
    "compute_mass_matrix",
]
