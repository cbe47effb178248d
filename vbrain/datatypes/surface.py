"""Triangulated surfaces: cortex, skull and skin (BEM) boundaries, EEG caps, faces.

A surface is ``n`` vertices (mm) and ``m`` triangles (0-based vertex indices).  Vertex normals
are computed (area-weighted) when not given.  The kinds of the reference system are
subclasses: :class:`CorticalSurface`, :class:`WhiteMatterSurface`, :class:`BrainSkull` (inner
skull), :class:`SkullSkin` (outer skull), :class:`SkinAir` (outer skin / scalp),
:class:`EEGCap` and :class:`FaceSurface`; :func:`surface_class` picks one by name.

:meth:`Surface.check_topology` finds what makes a mesh unusable for geodesic distances,
Laplacians or boundary elements (non-manifold edges, pinched vertices, holes, disconnected
pieces, inconsistent orientation, zero-area triangles) and reports it in a
:class:`TopologyReport`.  Out-of-range indices are rejected at construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError, integral_array
from vbrain.datatypes.base import DataType

__all__ = [
    "SURFACE_TYPES",
    "BrainSkull",
    "CorticalSurface",
    "EEGCap",
    "FaceSurface",
    "SkinAir",
    "SkullSkin",
    "Surface",
    "TopologyReport",
    "WhiteMatterSurface",
    "icosphere",
    "surface_class",
]


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; zero rows (e.g. unused vertices) stay zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _area_weighted_normals(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    # the cross product of two triangle edges is twice the area times the unit normal, so
    # summing raw cross products weights each triangle by its area
    v = vertices[triangles]
    cross = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    acc = np.zeros_like(vertices)
    for k in range(3):
        np.add.at(acc, triangles[:, k], cross)
    return _unit_rows(acc)


# --------------------------------------------------------------------------------------
# Topology report


def _edges_text(edges: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(f"({a}, {b})" for a, b in edges[:limit].tolist())
    return shown + (", ..." if len(edges) > limit else "")


def _items_text(items: np.ndarray, limit: int = 8) -> str:
    shown = ", ".join(str(i) for i in items[:limit].tolist())
    return shown + (", ..." if len(items) > limit else "")


@dataclass
class TopologyReport:
    """What :meth:`Surface.check_topology` found.

    Attributes
    ----------
    n_vertices, n_triangles, n_edges : int
        Counts (edges are undirected and unique).
    non_manifold_edges : numpy.ndarray, shape (k, 2)
        Edges shared by more than two triangles.
    boundary_edges : numpy.ndarray, shape (k, 2)
        Edges of a single triangle (the rims of holes or of an open sheet).
    n_holes : int
        Number of boundary loops (connected pieces of the boundary edges).
    pinched_vertices : numpy.ndarray
        Vertices whose triangles form more than one fan (two sheets touching at a point).
    inconsistent_edges : numpy.ndarray, shape (k, 2)
        Edges whose two triangles traverse them in the same direction (one of them is flipped).
    degenerate_triangles : numpy.ndarray
        Triangles with a repeated vertex or (numerically) zero area.
    unused_vertices : numpy.ndarray
        Vertices no triangle uses.
    component_sizes : numpy.ndarray
        Number of triangles of each connected piece, largest first.
    signed_volume : float
        Volume enclosed (mm^3), positive when the triangles wind counter-clockwise seen from
        outside (normals point outward).  Meaningful for closed, consistently oriented meshes.
    """

    n_vertices: int
    n_triangles: int
    n_edges: int
    non_manifold_edges: np.ndarray
    boundary_edges: np.ndarray
    n_holes: int
    pinched_vertices: np.ndarray
    inconsistent_edges: np.ndarray
    degenerate_triangles: np.ndarray
    unused_vertices: np.ndarray
    component_sizes: np.ndarray
    signed_volume: float
    name: str = field(default="surface")

    @property
    def n_components(self) -> int:
        """Number of connected pieces (through shared vertices)."""
        return int(self.component_sizes.size)

    @property
    def euler_characteristic(self) -> int:
        """``V - E + F`` over the used vertices (2 per closed sphere-like piece)."""
        return self.n_vertices - self.unused_vertices.size - self.n_edges + self.n_triangles

    @property
    def is_manifold(self) -> bool:
        """No edge of more than two triangles and no pinched vertex."""
        return self.non_manifold_edges.size == 0 and self.pinched_vertices.size == 0

    @property
    def is_closed(self) -> bool:
        """No boundary edge (no hole)."""
        return self.boundary_edges.size == 0

    @property
    def is_oriented(self) -> bool:
        """Neighbouring triangles are oriented consistently."""
        return self.inconsistent_edges.size == 0

    @property
    def is_valid(self) -> bool:
        """Manifold, consistently oriented, without degenerate triangles.

        This is what geodesic distances, Laplacians and surface simulations need.  Holes
        (an open sheet such as a face) and several pieces (two hemispheres) are allowed; a
        boundary-element model needs more (:meth:`problems` with ``closed=True``).
        """
        return self.is_manifold and self.is_oriented and self.degenerate_triangles.size == 0

    def problems(self, *, closed: bool = False, single_piece: bool = False) -> list[str]:
        """One sentence per defect (empty when there is none).

        Parameters
        ----------
        closed : bool
            Also report holes (a closed surface is required, e.g. for boundary elements).
        single_piece : bool
            Also report a surface of several disconnected pieces.
        """
        out = []
        nm = self.non_manifold_edges
        if nm.size:
            out.append(
                f"{len(nm)} non-manifold edges (shared by more than 2 triangles), e.g. "
                f"{_edges_text(nm)}; every edge must belong to at most 2 triangles"
            )
        if self.pinched_vertices.size:
            out.append(
                f"{self.pinched_vertices.size} pinched vertices (where separate sheets touch), "
                f"e.g. {_items_text(self.pinched_vertices)}; the triangles around a vertex must "
                "form a single fan"
            )
        if self.inconsistent_edges.size:
            out.append(
                f"{len(self.inconsistent_edges)} edges between inconsistently oriented "
                f"triangles, e.g. {_edges_text(self.inconsistent_edges)}; neighbouring "
                "triangles must traverse their shared edge in opposite directions (flip the "
                "wrongly wound triangles)"
            )
        if self.degenerate_triangles.size:
            out.append(
                f"{self.degenerate_triangles.size} degenerate (zero-area) triangles, e.g. "
                f"{_items_text(self.degenerate_triangles)}; remove them or merge their vertices"
            )
        if closed and self.boundary_edges.size:
            out.append(
                f"{self.n_holes} holes ({len(self.boundary_edges)} boundary edges, e.g. "
                f"{_edges_text(self.boundary_edges)}); a closed surface is needed"
            )
        if single_piece and self.n_components > 1:
            out.append(
                f"{self.n_components} disconnected pieces (triangles per piece: "
                f"{_items_text(self.component_sizes)}); a single connected surface is needed"
            )
        return out

    def raise_if_invalid(
        self, *, closed: bool = False, single_piece: bool = False, purpose: str = ""
    ) -> None:
        """Raise :class:`ValidationError` listing :meth:`problems` when there are any."""
        found = self.problems(closed=closed, single_piece=single_piece)
        if found:
            why = f" for {purpose}" if purpose else ""
            raise ValidationError(f"{self.name} cannot be used{why}: " + "; ".join(found))

    def summary(self) -> dict[str, Any]:
        """Counts of every defect (JSON-able)."""
        return {
            "n_vertices": self.n_vertices,
            "n_triangles": self.n_triangles,
            "n_edges": self.n_edges,
            "n_components": self.n_components,
            "euler_characteristic": self.euler_characteristic,
            "n_non_manifold_edges": int(len(self.non_manifold_edges)),
            "n_pinched_vertices": int(self.pinched_vertices.size),
            "n_boundary_edges": int(len(self.boundary_edges)),
            "n_holes": self.n_holes,
            "n_inconsistent_edges": int(len(self.inconsistent_edges)),
            "n_degenerate_triangles": int(self.degenerate_triangles.size),
            "n_unused_vertices": int(self.unused_vertices.size),
            "is_valid": self.is_valid,
            "is_closed": self.is_closed,
        }

    def __str__(self) -> str:
        found = self.problems(closed=True, single_piece=True)
        head = (
            f"{self.name}: {self.n_vertices} vertices, {self.n_triangles} triangles, "
            f"{self.n_components} pieces"
        )
        return head + (": " + "; ".join(found) if found else ": no defects")


def _check_topology(
    vertices: np.ndarray, triangles: np.ndarray, name: str, area_tol: float
) -> TopologyReport:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n, m = len(vertices), len(triangles)
    tri = triangles.astype(np.int64)
    # directed half-edges (a->b) of every triangle, in winding order
    heads = tri.reshape(-1)
    tails = tri[:, [1, 2, 0]].reshape(-1)
    owner = np.repeat(np.arange(m), 3)
    lo, hi = np.minimum(heads, tails), np.maximum(heads, tails)
    keys = lo * n + hi
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    edges = np.stack([uniq // n, uniq % n], axis=1)
    non_manifold = edges[counts > 2]
    boundary = edges[counts == 1]

    # two triangles traversing an edge in the same direction: one of them is flipped
    directed, dcount = np.unique(heads * n + tails, return_counts=True)
    same_way = directed[dcount > 1]
    same_way_keys = np.unique(
        np.minimum(same_way // n, same_way % n) * n + np.maximum(same_way // n, same_way % n)
    )
    inconsistent_keys = np.intersect1d(same_way_keys, uniq[counts == 2])
    inconsistent = np.stack([inconsistent_keys // n, inconsistent_keys % n], axis=1)

    # degenerate triangles: a repeated index, or an area tiny next to the mean edge length
    v = vertices[tri]
    cross = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    area = 0.5 * np.linalg.norm(cross, axis=1)
    lengths = np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1)
    scale = float(lengths.mean()) ** 2 if lengths.size else 1.0
    repeated = (tri[:, 0] == tri[:, 1]) | (tri[:, 1] == tri[:, 2]) | (tri[:, 0] == tri[:, 2])
    degenerate = np.flatnonzero(repeated | (area <= area_tol * scale))

    used = np.zeros(n, bool)
    used[tri.reshape(-1)] = True
    unused = np.flatnonzero(~used)

    # connected pieces through shared vertices, counted in triangles
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    piece_of_triangle = label[tri[:, 0]]
    _, sizes = np.unique(piece_of_triangle, return_counts=True)
    sizes = np.sort(sizes)[::-1]

    # holes: connected loops of boundary edges
    n_holes = 0
    if boundary.size:
        bverts, local = np.unique(boundary, return_inverse=True)
        local = local.reshape(-1, 2)
        bgraph = coo_matrix(
            (np.ones(len(local)), (local[:, 0], local[:, 1])), shape=(len(bverts),) * 2
        )
        n_holes = int(connected_components(bgraph, directed=False)[0])

    # pinched vertices: the corners (vertex, triangle) around a vertex are linked when the
    # two triangles share an edge through it; more than one group of corners = several fans
    order = np.argsort(inverse, kind="stable")
    sorted_edge = inverse[order]
    first = np.ones(order.size, bool)
    first[1:] = sorted_edge[1:] != sorted_edge[:-1]
    # pair each half-edge with the next one of the same edge (chains the triangles of an edge)
    nxt = np.flatnonzero(~first)
    prev = nxt - 1
    he_a, he_b = order[prev], order[nxt]
    ta, tb = owner[he_a], owner[he_b]

    def corner_id(t: np.ndarray, vert: np.ndarray) -> np.ndarray:
        # corner id = 3 * triangle + position of the vertex in the triangle
        pos = np.argmax(tri[t] == vert[:, None], axis=1)
        return 3 * t + pos

    ea, eb = lo[he_a], hi[he_a]
    rows = np.concatenate([corner_id(ta, ea), corner_id(ta, eb)])
    cols = np.concatenate([corner_id(tb, ea), corner_id(tb, eb)])
    cgraph = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(3 * m, 3 * m))
    _, fan = connected_components(cgraph, directed=False)
    corner_vertex = tri.reshape(-1)
    pairs = np.unique(np.stack([corner_vertex, fan], axis=1), axis=0)
    fans_per_vertex = np.bincount(pairs[:, 0], minlength=n)
    pinched = np.flatnonzero(fans_per_vertex > 1)

    # divergence theorem: volume = sum over triangles of v0 . (v1 x v2) / 6
    volume = float(np.einsum("ij,ij->", v[:, 0], np.cross(v[:, 1], v[:, 2])) / 6.0)
    return TopologyReport(
        n_vertices=n,
        n_triangles=m,
        n_edges=int(len(edges)),
        non_manifold_edges=non_manifold,
        boundary_edges=boundary,
        n_holes=n_holes,
        pinched_vertices=pinched,
        inconsistent_edges=inconsistent,
        degenerate_triangles=degenerate,
        unused_vertices=unused,
        component_sizes=sizes,
        signed_volume=volume,
        name=name,
    )


# --------------------------------------------------------------------------------------
# The datatype


SURFACE_TYPES = (
    "cortical",
    "white_matter",
    "inner_skull",
    "outer_skull",
    "outer_skin",
    "eeg_cap",
    "face",
)
"""Kinds of surfaces (``Surface.surface_type`` of the subclasses; None for a plain surface)."""


class Surface(DataType):
    """A triangulated surface.

    Parameters
    ----------
    vertices : array_like, shape (n, 3)
        Vertex positions in mm.
    triangles : array_like of int, shape (m, 3)
        Vertex indices (0-based) of each triangle; every index must be in ``0..n-1``.  The
        winding (counter-clockwise seen from outside for closed surfaces) sets the direction
        of the normals.
    vertex_normals : array_like, shape (n, 3), optional
        Unit normal of each vertex.  Default: the area-weighted mean of the normals of the
        triangles around the vertex (zero for vertices no triangle uses).

    Examples
    --------
    >>> s = Surface(vertices=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], triangles=[[0, 1, 2]])
    >>> s.n_vertices, s.n_triangles, s.vertex_normals[0].tolist()
    (3, 1, [0.0, 0.0, 1.0])
    """

    kind = "surface"
    surface_type: ClassVar[str | None] = None
    """Kind of surface, one of :data:`SURFACE_TYPES` (None for a plain surface)."""

    vertices: Array(float, 2, (None, 3)) = Attr(
        label="Vertices", unit="mm", doc="""Position of each vertex (n x 3)."""
    )
    triangles: Array(np.int64, 2, (None, 3)) = Attr(
        label="Triangles", doc="""Vertex indices (0-based) of each triangle (m x 3)."""
    )
    vertex_normals: Array(float, 2, (None, 3)) | None = Attr(
        None,
        label="Vertex normals",
        doc="""Unit normal at each vertex (n x 3); computed (area-weighted) when absent.""",
    )

    @pydantic.field_validator("triangles", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        return integral_array(value, "entry", "triangle vertex indices must be integers")

    @pydantic.model_validator(mode="after")
    def _check(self) -> Surface:
        name = type(self).__name__
        n = self.vertices.shape[0]
        if n < 3 or self.triangles.shape[0] == 0:
            raise ValueError(
                f"{name} has {n} vertices and {self.triangles.shape[0]} triangles; at least "
                "3 vertices and 1 triangle are needed"
            )
        tri = self.triangles
        bad = (tri < 0) | (tri >= n)
        if bad.any():
            t, k = (int(i) for i in np.argwhere(bad)[0])
            hint = " (1-based indices? subtract 1)" if tri.min() >= 1 and tri.max() == n else ""
            raise ValueError(
                f"{name}.triangles[{t}] refers to vertex {int(tri[t, k])} but there are {n} "
                f"vertices; indices must be in 0..{n - 1}{hint}"
            )
        if self.vertex_normals is None:
            # assigned through __dict__: validate_assignment would re-run this validator
            self.__dict__["vertex_normals"] = _area_weighted_normals(self.vertices, tri)
        elif self.vertex_normals.shape[0] != n:
            raise ValueError(
                f"{name}.vertex_normals has {self.vertex_normals.shape[0]} rows but there are "
                f"{n} vertices; one normal per vertex is needed (or none, to compute them)"
            )
        return self

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return int(self.vertices.shape[0])

    @property
    def n_triangles(self) -> int:
        """Number of triangles."""
        return int(self.triangles.shape[0])

    def _cross(self) -> np.ndarray:
        v = self.vertices[self.triangles]
        return np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])

    @property
    def triangle_normals(self) -> np.ndarray:
        """Unit normal of each triangle ``(m, 3)`` (right-hand rule on the winding)."""
        return _unit_rows(self._cross())

    @property
    def triangle_areas(self) -> np.ndarray:
        """Area of each triangle ``(m,)`` in mm^2."""
        return 0.5 * np.linalg.norm(self._cross(), axis=1)

    @property
    def triangle_centres(self) -> np.ndarray:
        """Centroid of each triangle ``(m, 3)`` in mm."""
        return self.vertices[self.triangles].mean(axis=1)

    @property
    def vertex_areas(self) -> np.ndarray:
        """Area attributed to each vertex ``(n,)``: a third of each triangle around it (mm^2).

        They sum to :attr:`area`.
        """
        third = np.repeat(self.triangle_areas / 3.0, 3)
        return np.bincount(self.triangles.reshape(-1), third, minlength=self.n_vertices)

    @property
    def area(self) -> float:
        """Total area (mm^2)."""
        return float(self.triangle_areas.sum())

    @property
    def edges(self) -> np.ndarray:
        """Unique undirected edges ``(k, 2)``, each as (smaller index, larger index), sorted."""
        tri = self.triangles
        pairs = np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]])
        return np.unique(np.sort(pairs, axis=1), axis=0)

    @property
    def edge_lengths(self) -> np.ndarray:
        """Length of each edge of :attr:`edges` (mm)."""
        e = self.edges
        return np.linalg.norm(self.vertices[e[:, 0]] - self.vertices[e[:, 1]], axis=1)

    @property
    def bounding_box(self) -> np.ndarray:
        """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` in mm."""
        return np.stack([self.vertices.min(axis=0), self.vertices.max(axis=0)])

    @property
    def centre(self) -> np.ndarray:
        """Mean of the vertices (mm)."""
        return self.vertices.mean(axis=0)

    def compute_vertex_normals(self) -> np.ndarray:
        """Area-weighted vertex normals from the triangles (ignores stored normals)."""
        return _area_weighted_normals(self.vertices, self.triangles)

    def check_topology(self, area_tol: float = 1e-12) -> TopologyReport:
        """Find the defects of the mesh.

        Parameters
        ----------
        area_tol : float
            A triangle whose area is at most ``area_tol * mean_edge_length**2`` is degenerate.

        Returns
        -------
        TopologyReport
            Non-manifold edges, pinched vertices, boundary edges and holes, disconnected
            pieces, inconsistently oriented neighbours, degenerate triangles, unused vertices,
            the enclosed volume; ``report.is_valid`` and ``report.problems()``.

        Examples
        --------
        >>> icosphere(1).check_topology().is_valid
        True
        """
        return _check_topology(self.vertices, self.triangles, type(self).__name__, area_tol)

    def flipped(self) -> Surface:
        """The same surface with every triangle's winding (and every normal) reversed."""
        return type(self)(
            vertices=self.vertices,
            triangles=self.triangles[:, ::-1],
            vertex_normals=-self.vertex_normals,
        )

    def summary(self) -> dict[str, Any]:
        """Key figures: type, counts, area, edge lengths, bounding box."""
        lengths = self.edge_lengths
        box = self.bounding_box
        return {
            "type": self.type_name,
            "surface_type": self.surface_type,
            "n_vertices": self.n_vertices,
            "n_triangles": self.n_triangles,
            "n_edges": int(lengths.size),
            "area_mm2": self.area,
            "edge_length_min": float(lengths.min()),
            "edge_length_mean": float(lengths.mean()),
            "edge_length_max": float(lengths.max()),
            "bounding_box_min": box[0].tolist(),
            "bounding_box_max": box[1].tolist(),
        }

    @classmethod
    def example(cls) -> Surface:
        """An icosahedron of radius 10 mm (12 vertices, 20 triangles, outward normals)."""
        ico = icosphere(0, radius=10.0)
        return cls(vertices=ico.vertices, triangles=ico.triangles)


class CorticalSurface(Surface):
    """The cortical (pial or mid-thickness) surface neural masses live on."""

    surface_type: ClassVar[str | None] = "cortical"


class WhiteMatterSurface(Surface):
    """The white-matter / grey-matter boundary."""

    surface_type: ClassVar[str | None] = "white_matter"


class BrainSkull(Surface):
    """Inner skull surface: brain / skull boundary (innermost BEM layer)."""

    surface_type: ClassVar[str | None] = "inner_skull"


class SkullSkin(Surface):
    """Outer skull surface: skull / scalp boundary (middle BEM layer)."""

    surface_type: ClassVar[str | None] = "outer_skull"


class SkinAir(Surface):
    """Outer skin (scalp) surface: head / air boundary (outermost BEM layer)."""

    surface_type: ClassVar[str | None] = "outer_skin"


class EEGCap(Surface):
    """A scalp-shaped surface electrodes are placed on (for display)."""

    surface_type: ClassVar[str | None] = "eeg_cap"


class FaceSurface(Surface):
    """A face surface (for display); an open sheet."""

    surface_type: ClassVar[str | None] = "face"


_BY_TYPE: dict[str, type[Surface]] = {
    "cortical": CorticalSurface,
    "cortex": CorticalSurface,
    "pial": CorticalSurface,
    "white_matter": WhiteMatterSurface,
    "inner_skull": BrainSkull,
    "brain_skull": BrainSkull,
    "outer_skull": SkullSkin,
    "skull_skin": SkullSkin,
    "outer_skin": SkinAir,
    "skin_air": SkinAir,
    "scalp": SkinAir,
    "eeg_cap": EEGCap,
    "face": FaceSurface,
}


def surface_class(surface_type: str | None) -> type[Surface]:
    """The surface class of a kind (``"cortical"``, ``"inner_skull"``, ``"outer_skull"``,
    ``"outer_skin"``/``"scalp"``, ``"eeg_cap"``, ``"face"``, ``"white_matter"``; None: plain).

    Raises
    ------
    ValidationError
        For an unknown kind; the message lists the known ones.
    """
    if surface_type is None:
        return Surface
    key = str(surface_type).strip().lower().replace(" ", "_").replace("-", "_")
    cls = _BY_TYPE.get(key)
    if cls is None:
        for klass in _BY_TYPE.values():  # class names too: "SkinAir", "CorticalSurface"
            if klass.__name__.lower() == key.replace("_", ""):
                return klass
        raise ValidationError(
            f"unknown surface type {surface_type!r}; use one of {', '.join(sorted(_BY_TYPE))} "
            "(or None)"
        )
    return cls


def icosphere(
    n_subdivisions: int = 2,
    radius: float = 1.0,
    centre: Any = (0.0, 0.0, 0.0),
    cls: type[Surface] | None = None,
) -> Surface:
    """A sphere meshed by subdividing an icosahedron (outward-wound triangles).

    Parameters
    ----------
    n_subdivisions : int
        Each subdivision splits every triangle in four: ``10 * 4**k + 2`` vertices
        (12, 42, 162, 642, 2562, ...), ``20 * 4**k`` triangles.
    radius : float
        Radius in mm (every vertex lies on the sphere).
    centre : array_like, shape (3,)
        Centre in mm.
    cls : type, optional
        Surface class of the result (default :class:`Surface`).

    Returns
    -------
    Surface
        With the exact sphere normals (radial unit vectors) as vertex normals.
    """
    if n_subdivisions < 0:
        raise ValidationError(f"n_subdivisions is {n_subdivisions}; it must be >= 0")
    t = (1.0 + 5.0**0.5) / 2.0
    verts = np.array(
        [
            [-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0],
            [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t],
            [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1],
        ],
        dtype=float,
    )  # fmt: skip
    faces = np.array(
        [
            [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11],
            [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
            [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9],
            [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
        ],
        dtype=np.int64,
    )  # fmt: skip
    for _ in range(n_subdivisions):
        # midpoints of the unique edges become new vertices (shared by both triangles)
        pairs = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
        key_pairs = np.sort(pairs, axis=1)
        uniq, inverse = np.unique(key_pairs, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        mid = len(verts) + inverse.reshape(3, -1)  # [ab, bc, ca] per face
        verts = np.concatenate([verts, 0.5 * (verts[uniq[:, 0]] + verts[uniq[:, 1]])])
        a, b, c = faces.T
        ab, bc, ca = mid
        faces = np.concatenate(
            [
                np.stack([a, ab, ca], axis=1),
                np.stack([b, bc, ab], axis=1),
                np.stack([c, ca, bc], axis=1),
                np.stack([ab, bc, ca], axis=1),
            ]
        )
    unit = _unit_rows(verts)
    klass = Surface if cls is None else cls
    return klass(
        vertices=radius * unit + np.asarray(centre, dtype=float),
        triangles=faces,
        vertex_normals=unit,
    )
