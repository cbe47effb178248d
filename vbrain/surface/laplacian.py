"""The discrete Laplace-Beltrami operator of a triangulated surface (cotangent formula).

For a function ``f`` given by its vertex values, the cotangent Laplacian is

.. math::

    (L f)_i = \\sum_{j \\sim i} w_{ij} (f_j - f_i), \\qquad
    w_{ij} = \\tfrac12 (\\cot \\alpha_{ij} + \\cot \\beta_{ij}),

with :math:`\\alpha_{ij}, \\beta_{ij}` the angles opposite the edge ``ij`` in its two triangles
(one on a boundary edge, which gives the natural Neumann condition on holes).  ``L`` is
symmetric and negative semi-definite; it integrates the Laplacian over the area around each
vertex, so the pointwise operator is :math:`\\Delta \\approx M^{-1} L` with the *mass matrix*
``M``: a diagonal of vertex areas, either *lumped* (a third of each triangle around the vertex)
or *mixed Voronoi* (Meyer, Desbrun, Schroeder & Barr 2003: the Voronoi cell inside non-obtuse
triangles, half / a quarter of obtuse ones).  The eigenpairs of the generalised problem
:math:`-L \\phi = \\lambda M \\phi` approximate those of :math:`-\\Delta` (on a sphere of radius
``R``: :math:`l(l+1)/R^2` with multiplicity :math:`2l + 1`).

Units: vertex positions in mm, so ``M`` is in mm^2 and :math:`M^{-1} L` in 1/mm^2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp

from vbrain.config.traits import ValidationError
from vbrain.surface.geodesic import _mesh_arrays

if TYPE_CHECKING:
    from vbrain.datatypes.surface import Surface

__all__ = [
    "compute_cotangent_laplacian",
    "compute_laplace_beltrami",
    "compute_mass_matrix",
]

MassKind = Literal["lumped", "voronoi"]


def _corner_cotangents(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Cotangent of the angle at each corner ``(m, 3)`` (0 for degenerate triangles)."""
    v = vertices[triangles]
    cots = np.zeros(triangles.shape)
    for k in range(3):
        e1 = v[:, (k + 1) % 3] - v[:, k]
        e2 = v[:, (k + 2) % 3] - v[:, k]
        cross = np.linalg.norm(np.cross(e1, e2), axis=1)
        dot = np.einsum("ij,ij->i", e1, e2)
        # a zero-area triangle has no angle to speak of: leave its weights out
        cots[:, k] = np.divide(dot, cross, out=np.zeros_like(dot), where=cross > 0)
    return cots


def compute_cotangent_laplacian(surface: Surface | tuple[Any, Any]) -> sp.csr_matrix:
    """The cotangent Laplacian ``L`` (symmetric, negative semi-definite, rows summing to 0).

    Parameters
    ----------
    surface : Surface or (vertices, triangles)
        The mesh (vertices in mm).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_vertices, n_vertices)
        ``L[i, j] = (cot a_ij + cot b_ij) / 2`` on edges, ``L[i, i] = -sum_j L[i, j]``
        (dimensionless: it integrates the Laplacian over each vertex's area).

    Examples
    --------
    >>> from vbrain.datatypes.surface import icosphere
    >>> L = compute_cotangent_laplacian(icosphere(2))
    >>> bool(abs(L - L.T).max() < 1e-12), bool(abs(L.sum(axis=1)).max() < 1e-12)
    (True, True)
    """
    vertices, triangles = _mesh_arrays(surface)
    n = len(vertices)
    cots = _corner_cotangents(vertices, triangles)
    rows, cols, vals = [], [], []
    for k in range(3):
        # the angle at corner k faces the edge between the two other corners
        i = triangles[:, (k + 1) % 3]
        j = triangles[:, (k + 2) % 3]
        w = 0.5 * cots[:, k]
        rows += [i, j]
        cols += [j, i]
        vals += [w, w]
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    w = np.concatenate(vals)
    off = sp.coo_matrix((w, (r, c)), shape=(n, n)).tocsr()  # duplicates (two triangles) add up
    diag = -np.asarray(off.sum(axis=1)).ravel()
    out = (off + sp.diags(diag)).tocsr()
    out.sort_indices()
    return out


def compute_mass_matrix(
    surface: Surface | tuple[Any, Any], kind: MassKind = "voronoi"
) -> sp.dia_matrix:
    """Diagonal mass matrix: the area (mm^2) attributed to each vertex.

    Parameters
    ----------
    surface : Surface or (vertices, triangles)
        The mesh (vertices in mm).
    kind : {"voronoi", "lumped"}
        ``"lumped"``: a third of each triangle around the vertex (barycentric cells);
        ``"voronoi"``: the mixed Voronoi cells of Meyer et al. (2003), which are the exact
        Voronoi areas for non-obtuse triangles.  Both sum to the surface's area.

    Returns
    -------
    scipy.sparse.dia_matrix, shape (n_vertices, n_vertices)
    """
    vertices, triangles = _mesh_arrays(surface)
    n = len(vertices)
    v = vertices[triangles]
    area = 0.5 * np.linalg.norm(np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0]), axis=1)
    if kind == "lumped":
        per_corner = np.repeat(area[:, None] / 3.0, 3, axis=1)
    elif kind == "voronoi":
        cots = _corner_cotangents(vertices, triangles)
        sq = np.stack(
            [np.sum((v[:, (k + 2) % 3] - v[:, (k + 1) % 3]) ** 2, axis=1) for k in range(3)],
            axis=1,
        )  # squared length of the edge opposite each corner
        per_corner = np.empty_like(sq)
        for k in range(3):
            a, b = (k + 1) % 3, (k + 2) % 3
            # Voronoi part of corner k: the edges k-a and k-b, weighted by the opposite cots
            per_corner[:, k] = (sq[:, b] * cots[:, b] + sq[:, a] * cots[:, a]) / 8.0
        obtuse = cots < 0  # a negative cotangent is an obtuse angle
        any_obtuse = obtuse.any(axis=1)
        # obtuse triangles: half of the area to the obtuse corner, a quarter to the others
        per_corner[any_obtuse] = np.where(
            obtuse[any_obtuse], area[any_obtuse, None] / 2.0, area[any_obtuse, None] / 4.0
        )
    else:
        raise ValidationError(f"mass matrix kind {kind!r} is unknown; use 'voronoi' or 'lumped'")
    diag = np.bincount(triangles.reshape(-1), per_corner.reshape(-1), minlength=n)
    return sp.dia_matrix((diag[None, :], [0]), shape=(n, n))


def compute_laplace_beltrami(
    surface: Surface | tuple[Any, Any], mass: MassKind = "voronoi"
) -> sp.csr_matrix:
    """The pointwise Laplace-Beltrami operator ``M^-1 L`` (1/mm^2), a sparse matrix.

    Applied to vertex values ``f`` (``op @ f``) it approximates :math:`\\Delta f` at every
    vertex, so it can serve as the local coupling of neural-field models with a second
    spatial derivative (a diffusion term :math:`D \\Delta u` is ``D * op @ u``).  Constant
    functions are mapped to zero (each row sums to 0).

    Parameters
    ----------
    surface : Surface or (vertices, triangles)
        The mesh (vertices in mm).
    mass : {"voronoi", "lumped"}
        Vertex areas used (:func:`compute_mass_matrix`).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_vertices, n_vertices)
        Not symmetric (rows are scaled by the inverse vertex areas); vertices of no triangle
        get an empty row.

    Examples
    --------
    >>> from vbrain.datatypes.surface import icosphere
    >>> s = icosphere(4, radius=10.0)
    >>> z = s.vertices[:, 2]  # an l = 1 harmonic: Delta z = -2 z / R^2
    >>> lap = compute_laplace_beltrami(s) @ z
    >>> bool(np.allclose(lap, -2 * z / 100, atol=2e-3))
    True
    """
    L = compute_cotangent_laplacian(surface)
    areas = compute_mass_matrix(surface, mass).diagonal()
    inv = np.divide(1.0, areas, out=np.zeros_like(areas), where=areas > 0)
    out = (sp.diags(inv) @ L).tocsr()
    out.sort_indices()
    return out
