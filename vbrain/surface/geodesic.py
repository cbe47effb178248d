"""Geodesic distances on triangulated surfaces, up to a cutoff, from every vertex.

Method
------
A label-setting (Dijkstra-ordered) front is marched from each source over the triangles, as in
the fast-marching method, but with the *point-source* ("virtual source") triangle update of
Novotni & Klein (2002) instead of the planar-wavefront update of Kimmel & Sethian (1998):

* a vertex ``c`` of a triangle ``(a, b, c)`` whose other two vertices are settled (frozen) with
  distances ``d_a`` and ``d_b`` is reached by a straight ray from the virtual source ``S``: the
  point, in the plane of the triangle unfolded across the edge ``ab``, that lies ``d_a`` from
  ``a`` and ``d_b`` from ``b``.  When the segment ``S -> c`` crosses the edge ``ab`` the
  candidate distance is ``|S c|``; this is exact on a flat patch.
* otherwise (the ray misses the edge, typically at obtuse triangles) the candidate is the
  Dijkstra edge relaxation ``min(d_a + |ac|, d_b + |bc|)``.

A front stops as soon as the next vertex to settle is farther than the cutoff, so the work per
source is proportional to the number of vertices within the cutoff.  The queue is a bucket
(Dial) queue of about 32 buckets per mean edge length, with the smallest distance taken within
the current bucket, so the order is exactly Dijkstra's (as with a binary heap, which took
about twice as long on the 16k cortex).  The march is compiled with numba (``nogil``) and the
sources are split over threads.  Distances of both directions are
merged by taking the smaller one (approximate distances are not exactly symmetric), so the
returned matrix is symmetric.

The march never loops: every vertex is settled at most once per source.  Surfaces that are
non-manifold (edges of more than two triangles) or pinched (vertices where two sheets touch)
are refused, since distances through such points are meaningless (the reference's exact
method, tvb-gdist, may hang on them); holes and several disconnected pieces are allowed
(distances do not cross between pieces; a warning is issued for holes).

Accuracy (``tests/surface/test_geodesic.py``, ``benchmarks/surface.py --accuracy 20``): on an
icosphere of radius 50 mm with 3.8 mm edges every distance up to 40 mm is within 0.2 % of the
great-circle distance (median 0.09 %); on the shipped 16 384-vertex cortex, against the exact
MMP method of ``tvb-gdist``, the median relative error up to 40 mm is about 0.5-0.6 %, the 95th
percentile 2-3 %.  The errors are largest at obtuse triangles, where the ray misses the edge
and the update falls back to the edge path (an overestimate), and the method slightly
underestimates long distances on convex surfaces (unfolding values of different strips).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numba
import numpy as np
import scipy.sparse as sp

from vbrain.config.traits import ValidationError

if TYPE_CHECKING:
    from vbrain.datatypes.surface import Surface

__all__ = [
    "SurfaceHolesWarning",
    "compute_geodesic_distances",
    "compute_geodesic_distances_from",
]


class SurfaceHolesWarning(UserWarning):
    """The surface has holes: geodesic distances run around them, along their rims."""


# --------------------------------------------------------------------------------------
# compiled kernels


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _two_point_update(lab: float, cx: float, cy: float, da: float, db: float) -> float:
    """Distance to corner ``c`` of triangle ``(a, b, c)`` from the virtual source seen by
    ``a`` and ``b`` (inf when there is none or its ray misses the edge ``ab``).

    The triangle is laid in the plane with ``a`` at the origin, ``b`` at ``(lab, 0)`` and
    ``c`` at ``(cx, cy)``, ``cy > 0``; ``da`` and ``db`` are the distances of ``a`` and ``b``.
    """
    if lab == np.inf:
        return np.inf  # a degenerate triangle (see _corner_tables)
    # the virtual source lies d_a from a and d_b from b, below the edge (y < 0)
    sx = (da * da - db * db + lab * lab) / (2.0 * lab)
    sy2 = da * da - sx * sx
    if sy2 < 0.0:
        return np.inf  # d_a, d_b, |ab| violate the triangle inequality: no such point
    sy = -np.sqrt(sy2)
    # the straight ray S -> c must cross the edge ab between a and b: it does so at
    # x = (sx * cy - cx * sy) / (cy - sy), with cy - sy > 0 (no division needed)
    ey = cy - sy
    xs = sx * cy - cx * sy
    if xs < 0.0 or xs > lab * ey:
        return np.inf
    ex = cx - sx
    return np.sqrt(ex * ex + ey * ey)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _unlink(head: np.ndarray, nxt: np.ndarray, prv: np.ndarray, b: int, v: int) -> None:
    """Take vertex ``v`` out of the (doubly linked) list of bucket ``b``."""
    pv = prv[v]
    nv = nxt[v]
    if pv >= 0:
        nxt[pv] = nv
    else:
        head[b] = nv
    if nv >= 0:
        prv[nv] = pv


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _link(head: np.ndarray, nxt: np.ndarray, prv: np.ndarray, b: int, v: int) -> None:
    """Put vertex ``v`` at the head of the list of bucket ``b``."""
    h = head[b]
    nxt[v] = h
    prv[v] = -1
    if h >= 0:
        prv[h] = v
    head[b] = v


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _march(
    sources: np.ndarray,
    cutoff: float,
    vt_ptr: np.ndarray,
    vt_other: np.ndarray,
    vt_geom: np.ndarray,
    width: float,
    n_buckets: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances ``<= cutoff`` from each source: (counts per source, columns, distances).

    ``vt_ptr`` indexes, for each vertex, its corners (one per triangle around it);
    ``vt_other[p]`` are the two other vertices of corner ``p``'s triangle and ``vt_geom[p]``
    the plane layout of each of them as seen from the vertex and the other one (see
    :func:`_corner_tables`).  Columns come in the order vertices settle (unsorted); the
    source itself is not listed (distance 0).

    The queue is a circular bucket queue (Dial): a tentative distance ``d`` sits in bucket
    ``floor(d / width) % n_buckets``, each bucket a doubly linked list threaded through the
    vertices (so a shorter distance moves the vertex in O(1): no stale entries).  The buckets
    are scanned in order and the smallest distance of the current bucket is taken, so the
    vertices settle in exactly increasing order, as with a binary heap, at a cost of a few
    entries per bucket.  ``n_buckets * width`` must exceed the longest edge (no candidate is
    farther than that beyond the vertex being settled).  A candidate below the current bucket
    (the unfolding update can give a vertex a distance smaller than the one being settled)
    joins the current bucket.  All work arrays are allocated once per call and only the
    touched vertices are reset between sources.
    """
    n = vt_ptr.size - 1
    dist = np.full(n, np.inf)
    frozen = np.zeros(n, np.bool_)
    touched = np.empty(n, np.int32)
    head = np.full(n_buckets, -1, np.int32)
    nxt = np.empty(n, np.int32)
    prv = np.empty(n, np.int32)
    bucket = np.full(n, -1, np.int64)  # bucket of each queued vertex, -1 when not queued
    inv_width = 1.0 / width
    counts = np.zeros(sources.size, np.int64)
    cap_out = 1024
    out_c = np.empty(cap_out, np.int32)
    out_d = np.empty(cap_out)
    n_out = 0
    for k in range(sources.size):
        s = sources[k]
        dist[s] = 0.0
        touched[0] = s
        n_touched = 1
        cur = 0  # the current bucket (absolute: its slot is cur % n_buckets)
        _link(head, nxt, prv, 0, s)
        bucket[s] = 0
        queued = 1
        start = n_out
        while queued > 0:
            b = cur % n_buckets
            while head[b] < 0:
                cur += 1
                b = cur % n_buckets
            v = head[b]  # the smallest distance of the bucket
            u = nxt[v]
            while u >= 0:
                if dist[u] < dist[v]:
                    v = u
                u = nxt[u]
            _unlink(head, nxt, prv, b, v)
            bucket[v] = -1
            queued -= 1
            d = dist[v]
            frozen[v] = True
            if v != s:
                if n_out == cap_out:
                    cap_out *= 2
                    grown_c = np.empty(cap_out, np.int32)
                    grown_c[:n_out] = out_c[:n_out]
                    out_c = grown_c
                    grown_d = np.empty(cap_out)
                    grown_d[:n_out] = out_d[:n_out]
                    out_d = grown_d
                out_c[n_out] = v
                out_d[n_out] = d
                n_out += 1
            # offer every unsettled corner of the triangles around v a shorter distance
            for p in range(vt_ptr[v], vt_ptr[v + 1]):
                for side in range(2):
                    c = vt_other[p, side]
                    if frozen[c]:
                        continue
                    o = vt_other[p, 1 - side]
                    g = 4 * side
                    cand = d + vt_geom[p, g]  # along the edge v-c
                    if frozen[o]:
                        # o settled earlier and offered d_o + |oc| then; try the unfolding
                        alt = _two_point_update(
                            vt_geom[p, g + 1], vt_geom[p, g + 2], vt_geom[p, g + 3], d, dist[o]
                        )
                        if alt < cand:
                            cand = alt
                    dc = dist[c]
                    # beyond the cutoff nothing is kept: no need to queue it (so the march
                    # stops once the queue runs dry)
                    if cand < dc and cand <= cutoff:
                        if dc == np.inf:
                            touched[n_touched] = c
                            n_touched += 1
                        dist[c] = cand
                        q = int(cand * inv_width)
                        if q < cur:
                            q = cur
                        nb = q % n_buckets
                        ob = bucket[c]
                        if ob == nb:
                            continue
                        if ob >= 0:
                            _unlink(head, nxt, prv, ob, c)
                        else:
                            queued += 1
                        _link(head, nxt, prv, nb, c)
                        bucket[c] = nb
        counts[k] = n_out - start
        for i in range(n_touched):
            u = touched[i]
            dist[u] = np.inf
            frozen[u] = False
    return counts, out_c[:n_out].copy(), out_d[:n_out].copy()


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _transpose(
    n_cols: int, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR of the transpose, by counting sort: its rows come out with sorted columns."""
    n_rows = indptr.size - 1
    nnz = indptr[n_rows]
    t_ptr = np.zeros(n_cols + 1, np.int64)
    for p in range(nnz):
        t_ptr[indices[p] + 1] += 1
    for i in range(n_cols):
        t_ptr[i + 1] += t_ptr[i]
    fill = t_ptr[:-1].copy()
    t_idx = np.empty(nnz, np.int32)
    t_dat = np.empty(nnz)
    for i in range(n_rows):
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            q = fill[j]
            t_idx[q] = i
            t_dat[q] = data[p]
            fill[j] = q + 1
    return t_ptr, t_idx, t_dat


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _symmetric_min(
    n: int, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``min(D, D.T)`` over the union of the two patterns (a missing entry counts as +inf).

    ``D`` is square CSR (rows in any order); the result has sorted rows.
    """
    t_ptr, t_idx, t_dat = _transpose(n, indptr, indices, data)
    # the transpose of the transpose is D again, now with sorted rows
    s_ptr, s_idx, s_dat = _transpose(n, t_ptr, t_idx, t_dat)
    # merge row i of D with row i of D.T: first count, then fill
    out_ptr = np.zeros(n + 1, np.int64)
    for i in range(n):
        p, pe = s_ptr[i], s_ptr[i + 1]
        q, qe = t_ptr[i], t_ptr[i + 1]
        m = 0
        while p < pe and q < qe:
            if s_idx[p] < t_idx[q]:
                p += 1
            elif t_idx[q] < s_idx[p]:
                q += 1
            else:
                p += 1
                q += 1
            m += 1
        out_ptr[i + 1] = out_ptr[i] + m + (pe - p) + (qe - q)
    out_idx = np.empty(out_ptr[n], np.int32)
    out_dat = np.empty(out_ptr[n])
    for i in range(n):
        p, pe = s_ptr[i], s_ptr[i + 1]
        q, qe = t_ptr[i], t_ptr[i + 1]
        r = out_ptr[i]
        while p < pe or q < qe:
            if q >= qe or (p < pe and s_idx[p] < t_idx[q]):
                out_idx[r] = s_idx[p]
                out_dat[r] = s_dat[p]
                p += 1
            elif p >= pe or t_idx[q] < s_idx[p]:
                out_idx[r] = t_idx[q]
                out_dat[r] = t_dat[q]
                q += 1
            else:
                out_idx[r] = s_idx[p]
                out_dat[r] = min(s_dat[p], t_dat[q])
                p += 1
                q += 1
            r += 1
    return out_ptr, out_idx, out_dat


# --------------------------------------------------------------------------------------
# mesh preparation and checks


def _mesh_arrays(surface: Any) -> tuple[np.ndarray, np.ndarray]:
    """(vertices float64 C-contiguous, triangles int64) of a Surface or a (v, t) pair."""
    if hasattr(surface, "vertices") and hasattr(surface, "triangles"):
        vertices, triangles = surface.vertices, surface.triangles
    else:
        vertices, triangles = surface
    v = np.ascontiguousarray(vertices, dtype=np.float64)
    t = np.ascontiguousarray(triangles, dtype=np.int64)
    if v.ndim != 2 or v.shape[1] != 3 or t.ndim != 2 or t.shape[1] != 3:
        raise ValidationError(
            f"vertices have shape {v.shape} and triangles {t.shape}; (n, 3) and (m, 3) are needed"
        )
    if not np.isfinite(v).all():
        raise ValidationError("vertices contain NaN or inf; all coordinates must be finite")
    if t.size and (t.min() < 0 or t.max() >= len(v)):
        raise ValidationError(
            f"triangles refer to vertices {int(t.min())}..{int(t.max())} but there are "
            f"{len(v)} vertices"
        )
    return v, t


def _check_mesh(vertices: np.ndarray, triangles: np.ndarray, name: str) -> None:
    """Refuse non-manifold or pinched meshes; warn about holes."""
    from vbrain.datatypes.surface import _check_topology

    report = _check_topology(vertices, triangles, name, 1e-12)
    found = []
    if report.non_manifold_edges.size or report.pinched_vertices.size:
        found = [p for p in report.problems() if "non-manifold" in p or "pinched" in p]
    if found:
        raise ValidationError(
            f"{name} cannot be used for geodesic distances: " + "; ".join(found) + " (repair "
            "the mesh, e.g. split the shared vertices/edges so that each sheet has its own)"
        )
    if report.n_holes:
        warnings.warn(
            f"{name} has {report.n_holes} holes ({len(report.boundary_edges)} boundary edges); "
            "geodesic distances run around them, along their rims",
            SurfaceHolesWarning,
            stacklevel=3,
        )


def _corner_tables(
    vertices: np.ndarray, triangles: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-vertex lists of triangle corners with everything the march reads, contiguous.

    Returns ``(ptr, other, geom)``: the corners of vertex ``v`` are ``ptr[v]:ptr[v + 1]``;
    for corner ``p`` (vertex ``v`` in a triangle ``(v, b0, b1)``) ``other[p] = (b0, b1)`` and
    ``geom[p, 4 * k : 4 * k + 4] = (|v c|, |v o|, cx, cy)`` with ``c = b_k`` and
    ``o = b_(1-k)``: the edge to ``c``, and ``c``'s position ``(cx, cy)`` in the plane where
    ``v`` is the origin and ``o`` lies on the positive x axis.  Corners of degenerate
    triangles (no such plane) get ``|v o| = inf``, which disables their unfolding update.
    """
    n = len(vertices)
    m = len(triangles)
    flat = triangles.reshape(-1)
    order = np.argsort(flat, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(flat, minlength=n), out=ptr[1:])
    tri = order // 3
    corner = order % 3
    b0 = triangles[tri, (corner + 1) % 3]
    b1 = triangles[tri, (corner + 2) % 3]
    v = vertices[triangles[tri, corner]]
    p0, p1 = vertices[b0], vertices[b1]
    l0 = np.linalg.norm(p0 - v, axis=1)  # |v b0|
    l1 = np.linalg.norm(p1 - v, axis=1)  # |v b1|
    l01 = np.linalg.norm(p1 - p0, axis=1)
    area2 = np.linalg.norm(np.cross(p0 - v, p1 - v), axis=1)
    geom = np.empty((3 * m, 8))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, (lc, lo) in enumerate(((l0, l1), (l1, l0))):
            ok = (lo > 0) & (area2 > 1e-12 * np.maximum(lo * lo, 1e-300))
            geom[:, 4 * k] = lc
            geom[:, 4 * k + 1] = np.where(ok, lo, np.inf)
            geom[:, 4 * k + 2] = np.where(ok, (lc * lc - l01 * l01 + lo * lo) / (2.0 * lo), 0.0)
            geom[:, 4 * k + 3] = np.where(ok, area2 / lo, 1.0)
    other = np.ascontiguousarray(np.stack([b0, b1], axis=1).astype(np.int32))
    return ptr, other, geom


def _bucket_layout(vt_geom: np.ndarray) -> tuple[float, int]:
    """(width, count) of the buckets of the march's queue.

    About 32 buckets per mean edge keep a few vertices per bucket (the front spans about
    one edge length of distances); the buckets cover the longest edge (a candidate is never
    farther than that beyond the vertex being settled), with at most 2**16 of them.
    """
    edges = vt_geom[:, 0::4].ravel()
    longest = float(edges.max()) if edges.size else 0.0
    if not longest > 0.0:
        return 1.0, 2
    width = max(float(edges.mean()) / 32.0, longest / 65536.0)
    return width, int(longest / width) + 3


def _n_workers(n_threads: int | None) -> int:
    if n_threads is not None:
        if n_threads < 1:
            raise ValidationError(f"n_threads is {n_threads}; it must be >= 1")
        return int(n_threads)
    try:
        return max(1, numba.get_num_threads())
    except Exception:  # noqa: BLE001 - numba's threading layer may be unavailable
        return max(1, os.cpu_count() or 1)


def _march_all(
    vertices: np.ndarray,
    triangles: np.ndarray,
    sources: np.ndarray,
    cutoff: float,
    n_threads: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR (indptr, indices, data) of the rows of ``sources`` (unsorted, not symmetrised)."""
    vt_ptr, vt_other, vt_geom = _corner_tables(vertices, triangles)
    width, n_buckets = _bucket_layout(vt_geom)
    workers = _n_workers(n_threads)
    # more blocks than threads, so that a block of dense (or far-reaching) rows does not
    # leave the other threads idle at the end
    n_blocks = min(len(sources), workers * 8) if workers > 1 else 1
    blocks = [b for b in np.array_split(sources, max(n_blocks, 1)) if b.size]

    def run(block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _march(block, cutoff, vt_ptr, vt_other, vt_geom, width, n_buckets)

    if workers > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, blocks))
    else:
        parts = [run(b) for b in blocks]
    counts = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    indptr = np.zeros(len(sources) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    data = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    return indptr, indices, data


def _as_sources(sources: Any, n: int) -> np.ndarray:
    src = np.atleast_1d(np.asarray(sources))
    if src.ndim != 1 or (src.size and src.dtype.kind not in "iu"):
        raise ValidationError(f"sources must be vertex indices (integers), got {src!r}")
    src = src.astype(np.int64)
    if src.size and (src.min() < 0 or src.max() >= n):
        raise ValidationError(
            f"sources refer to vertices {int(src.min())}..{int(src.max())} but the surface has "
            f"{n} vertices (0..{n - 1})"
        )
    return src


def _check_cutoff(cutoff: float) -> float:
    cut = float(cutoff)
    if not cut > 0.0:  # also rejects NaN
        raise ValidationError(f"cutoff is {cutoff!r} mm; it must be > 0 (inf for no cutoff)")
    return cut


# --------------------------------------------------------------------------------------
# public functions


def compute_geodesic_distances(
    surface: Surface | tuple[Any, Any],
    cutoff: float = 40.0,
    *,
    symmetric: bool = True,
    check: bool = True,
    n_threads: int | None = None,
) -> sp.csr_matrix:
    """Geodesic distances between all pairs of vertices closer than ``cutoff``.

    Parameters
    ----------
    surface : Surface or (vertices, triangles)
        The mesh (vertices in mm, 0-based triangles).
    cutoff : float, default 40.0
        Largest distance kept (mm); ``numpy.inf`` for all (memory grows as ``n**2``).
    symmetric : bool, default True
        Merge the two directions of every pair by taking the smaller distance, so that the
        result is exactly symmetric (the approximation differs slightly between directions).
    check : bool, default True
        Refuse non-manifold or pinched meshes (and warn about holes) first.
    n_threads : int, optional
        Threads to use (default: numba's thread count).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_vertices, n_vertices)
        ``D[i, j]`` is the distance (mm) for every pair with ``0 < D[i, j] <= cutoff``;
        the diagonal and pairs farther apart (or in different pieces) are not stored.
        Columns are sorted within each row.

    Raises
    ------
    ValidationError
        For a non-positive cutoff, and (``check``) for a non-manifold or pinched mesh.

    Examples
    --------
    >>> from vbrain.datatypes.surface import icosphere
    >>> d = compute_geodesic_distances(icosphere(2, radius=10.0), cutoff=5.0)
    >>> d.shape, bool(abs(d - d.T).max() == 0), bool(d.data.max() <= 5.0)
    ((162, 162), True, True)
    """
    cut = _check_cutoff(cutoff)
    vertices, triangles = _mesh_arrays(surface)
    if check:
        _check_mesh(vertices, triangles, _name(surface))
    n = len(vertices)
    indptr, indices, data = _march_all(
        vertices, triangles, np.arange(n, dtype=np.int64), cut, n_threads
    )
    if symmetric:
        indptr, indices, data = _symmetric_min(n, indptr, indices, data)
    else:  # sort the rows: the transpose of the transpose, each by counting sort
        indptr, indices, data = _transpose(n, *_transpose(n, indptr, indices, data))
    out = sp.csr_matrix((data, indices, indptr), shape=(n, n))
    out.has_sorted_indices = True
    return out


def compute_geodesic_distances_from(
    surface: Surface | tuple[Any, Any],
    sources: int | Sequence[int] | np.ndarray,
    cutoff: float = np.inf,
    *,
    check: bool = True,
    n_threads: int | None = None,
) -> np.ndarray:
    """Geodesic distances from a few source vertices to every vertex (dense).

    Parameters
    ----------
    surface : Surface or (vertices, triangles)
        The mesh (vertices in mm).
    sources : int or sequence of int
        Source vertex indices.
    cutoff : float, default inf
        Distances beyond it (mm) are reported as ``inf``; a finite cutoff saves time.
    check : bool, default True
        Refuse non-manifold or pinched meshes (and warn about holes) first.
    n_threads : int, optional
        Threads to use (default: numba's thread count).

    Returns
    -------
    numpy.ndarray, shape (n_sources, n_vertices)
        Distance (mm) from each source (row) to each vertex; 0 at the source itself, ``inf``
        beyond the cutoff or in another piece of the surface.  Use ``.min(axis=0)`` for the
        distance to the nearest of several focal points.

    Examples
    --------
    >>> from vbrain.datatypes.surface import icosphere
    >>> d = compute_geodesic_distances_from(icosphere(4, radius=10.0), [0], cutoff=5.0)
    >>> d.shape, float(d[0, 0]), bool(d.max() == np.inf)
    ((1, 2562), 0.0, True)
    """
    cut = _check_cutoff(cutoff)
    vertices, triangles = _mesh_arrays(surface)
    if check:
        _check_mesh(vertices, triangles, _name(surface))
    src = _as_sources(sources, len(vertices))
    indptr, indices, data = _march_all(vertices, triangles, src, cut, n_threads)
    out = np.full((src.size, len(vertices)), np.inf)
    rows = np.repeat(np.arange(src.size), np.diff(indptr))
    out[rows, indices] = data
    out[np.arange(src.size), src] = 0.0
    return out


def _name(surface: Any) -> str:
    return type(surface).__name__ if hasattr(surface, "vertices") else "surface"
