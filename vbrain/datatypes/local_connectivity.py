"""Local connectivity: a sparse vertex-to-vertex coupling along a cortical surface.

The reference system (TVB's ``LocalConnectivity``) builds it from the geodesic distances
between vertices up to a cutoff (40 mm by default), maps them through a spatial kernel
(:class:`~vbrain.datatypes.equations.Gaussian` by default, also
:class:`~vbrain.datatypes.equations.DoubleGaussian` (Mexican hat),
:class:`~vbrain.datatypes.equations.Sigmoid` and
:class:`~vbrain.datatypes.equations.Discrete`) and *homogenises* the rows (see
:func:`homogenise_rows`) so that a coarse or irregular mesh does not make some vertices
couple more strongly than others.  A vertex is not coupled to itself (distance 0 is not
stored, as in the reference).  Simulations multiply it by the cortex's coupling strength and
apply it to the vertex states without delay.

The matrix is stored as its CSR arrays (``data``, ``indices``, ``indptr``) so that the
generic HDF5 storage needs no sparse support; :attr:`LocalConnectivity.matrix` rebuilds the
scipy matrix without copying.
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import numpy as np
import pydantic
import scipy.sparse as sp

from vbrain.config.traits import Array, Attr, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.equations import Gaussian, SpatialEquation, equation_field
from vbrain.datatypes.surface import Surface

__all__ = ["CoarseMeshWarning", "LocalConnectivity", "homogenise_rows"]


class CoarseMeshWarning(UserWarning):
    """The mesh is too coarse for the requested local connectivity kernel."""


def homogenise_rows(matrix: Any) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rescale each row so that every vertex receives the same total coupling.

    As the reference system does: the positive and the negative entries are treated
    separately; the positive part of row ``i`` is multiplied by ``mean_pos / pos_i``, where
    ``pos_i`` is the sum of the positive entries of row ``i`` and ``mean_pos`` the mean of
    ``pos_i`` over *all* rows, and likewise the negative part.  Rows whose part sums to zero
    stay zero.

    Parameters
    ----------
    matrix : scipy.sparse matrix or array_like, shape (n, n)

    Returns
    -------
    homogenised : scipy.sparse.csr_matrix
        Same pattern; every row's positive (negative) entries sum to the mean positive
        (negative) row sum, except rows that had none.
    bad_rows : numpy.ndarray of int
        Rows that have no positive entry although the mean is positive (or no negative entry
        although the mean is negative): vertices the kernel does not reach, a sign that the
        mesh is too coarse for it.

    Examples
    --------
    >>> m, bad = homogenise_rows(sp.csr_matrix([[0, 1, 1], [2, 0, 0], [0, 3, 0]]))
    >>> np.round(m.toarray().sum(axis=1), 3).tolist(), bad.tolist()  # the mean: 7/3
    ([2.333, 2.333, 2.333], [])
    """
    m = sp.csr_matrix(matrix, dtype=float, copy=True)
    m.sum_duplicates()
    n = m.shape[0]
    rows = np.repeat(np.arange(n), np.diff(m.indptr))
    pos = m.data > 0
    neg = m.data < 0
    pos_sum = np.bincount(rows[pos], m.data[pos], minlength=n)
    neg_sum = np.bincount(rows[neg], m.data[neg], minlength=n)
    bad = np.zeros(n, bool)
    factor = np.zeros(m.data.size)
    for mask, sums in ((pos, pos_sum), (neg, neg_sum)):
        mean = sums.mean() if n else 0.0
        if mean != 0.0:
            bad |= sums == 0.0
        scale = np.divide(mean, sums, out=np.zeros(n), where=sums != 0.0)
        factor[mask] = scale[rows[mask]]
    m.data *= factor
    return m, np.flatnonzero(bad)


def _kernel_mass_near_zero(equation: SpatialEquation, radius: float, cutoff: float) -> float:
    """Fraction of the kernel's planar mass (of ``|f|``) within ``radius`` of its centre."""
    r = np.linspace(0.0, cutoff, 4001)
    density = 2.0 * np.pi * r * np.abs(equation.evaluate(r))
    # trapezoid rule by hand (numpy renamed trapz to trapezoid in 2.0)
    parts = 0.5 * (density[1:] + density[:-1]) * np.diff(r)
    total = parts.sum()
    if not total > 0.0:
        return 0.0
    return float(parts[r[1:] <= radius].sum() / total)


class LocalConnectivity(DataType):
    """Sparse local coupling between the vertices of a cortical surface.

    Build it from a surface with :meth:`from_surface` (geodesic distances up to ``cutoff``
    mapped through ``equation``, rows homogenised), from a matrix with :meth:`from_matrix`,
    or load the shipped one with :func:`vbrain.datasets.load_local_connectivity`.

    Parameters
    ----------
    data, indices, indptr : array_like
        The CSR arrays of the ``(n, n)`` matrix (row ``i``: columns
        ``indices[indptr[i]:indptr[i + 1]]``, values ``data[...]``).
    surface : Surface, optional
        The surface it was computed on (``n`` must be its number of vertices).
    equation : SpatialEquation, optional
        Kernel the distances were mapped through (None for a matrix from a file).
    cutoff : float, optional
        Largest geodesic distance coupled (mm).

    Examples
    --------
    >>> lc = LocalConnectivity.from_matrix(sp.identity(3, format="csr"))
    >>> lc.n_vertices, lc.nnz
    (3, 3)
    """

    kind = "local_connectivity"

    data: Array(float, 1) = Attr(label="Values", doc="""Non-zero values of the matrix (CSR).""")
    indices: Array(np.int32, 1, nonnegative=True) = Attr(
        label="Column indices", doc="""Column of each value (CSR)."""
    )
    indptr: Array(np.int64, 1, nonnegative=True) = Attr(
        label="Row pointers", doc="""Start of each row in data/indices, plus the end (CSR)."""
    )
    surface: Annotated[Surface | None, pydantic.SerializeAsAny()] = Attr(
        None, label="Surface", doc="""The cortical surface the matrix couples (optional)."""
    )
    equation: equation_field(SpatialEquation) | None = Attr(
        None,
        label="Spatial kernel",
        doc="""Equation of the geodesic distance (mm) giving the coupling weights.""",
    )
    cutoff: float | None = Attr(
        None,
        label="Cutoff distance",
        unit="mm",
        valid=(0.0, None),
        exclusive=True,
        doc="""Largest geodesic distance coupled (the reference's default is 40 mm).""",
    )

    @pydantic.model_validator(mode="after")
    def _check(self) -> LocalConnectivity:
        ptr, idx = self.indptr, self.indices
        if ptr.size < 2 or ptr[0] != 0:
            raise ValueError(
                f"LocalConnectivity.indptr has {ptr.size} entries starting at "
                f"{int(ptr[0]) if ptr.size else None}; n + 1 entries starting at 0 are needed"
            )
        if np.any(np.diff(ptr) < 0):
            raise ValueError("LocalConnectivity.indptr must be non-decreasing")
        nnz = int(ptr[-1])
        if idx.size != nnz or self.data.size != nnz:
            raise ValueError(
                f"LocalConnectivity.indptr ends at {nnz} but there are {idx.size} indices and "
                f"{self.data.size} values; all three must agree"
            )
        n = ptr.size - 1
        if idx.size and int(idx.max()) >= n:
            raise ValueError(
                f"LocalConnectivity.indices refer to column {int(idx.max())} but the matrix "
                f"has {n} rows; it must be square (columns 0..{n - 1})"
            )
        if self.surface is not None and self.surface.n_vertices != n:
            raise ValueError(
                f"LocalConnectivity has {n} rows but its surface has "
                f"{self.surface.n_vertices} vertices; one row per vertex is needed"
            )
        return self

    # -- construction ------------------------------------------------------------------

    @classmethod
    def from_matrix(
        cls,
        matrix: Any,
        *,
        surface: Surface | None = None,
        equation: SpatialEquation | None = None,
        cutoff: float | None = None,
    ) -> LocalConnectivity:
        """Wrap a square (sparse or dense) matrix; explicit zeros are dropped."""
        m = sp.csr_matrix(matrix, dtype=float)
        if m.shape[0] != m.shape[1]:
            raise ValidationError(
                f"a local connectivity matrix must be square (vertex x vertex), got {m.shape}"
            )
        m.sum_duplicates()
        m.eliminate_zeros()
        m.sort_indices()
        return cls(
            data=m.data,
            indices=m.indices.astype(np.int32, copy=False),
            indptr=m.indptr.astype(np.int64, copy=False),
            surface=surface,
            equation=equation,
            cutoff=cutoff,
        )

    @classmethod
    def from_surface(
        cls,
        surface: Surface,
        equation: SpatialEquation | str | dict[str, Any] | None = None,
        cutoff: float = 40.0,
        *,
        homogenise: bool = True,
        n_threads: int | None = None,
    ) -> LocalConnectivity:
        """Compute the local connectivity of a surface (the reference's ``compute``).

        Parameters
        ----------
        surface : Surface
            A manifold mesh (vertices in mm); see
            :func:`~vbrain.surface.compute_geodesic_distances`.
        equation : SpatialEquation, str or dict, optional
            Kernel of the geodesic distance (default: the reference's ``Gaussian()``,
            amp 1, sigma 1 mm); a name (``"DoubleGaussian"``/``"MexicanHat"``,
            ``"Sigmoid"``, ``"Discrete"``) or a dict with a ``"type"`` key is accepted.
        cutoff : float, default 40.0
            Largest geodesic distance coupled (mm).
        homogenise : bool, default True
            Rescale the rows as the reference does (:func:`homogenise_rows`).
        n_threads : int, optional
            Threads for the geodesic distances.

        Returns
        -------
        LocalConnectivity

        Warns
        -----
        CoarseMeshWarning
            When some vertices get no coupling although others do (the reference's
            "Cortical mesh is too coarse" warning), or when most of the kernel's mass lies
            within half a mean edge length of its centre (the mesh cannot resolve it).
        """
        from vbrain.surface.geodesic import compute_geodesic_distances

        eq = cls._coerce_equation(equation)
        distances = compute_geodesic_distances(surface, cutoff, n_threads=n_threads)
        _warn_if_coarse(surface, eq, float(cutoff))
        weights = distances  # reuse the arrays: the distances are not needed afterwards
        weights.data = eq.evaluate(distances.data)
        if homogenise:
            weights, bad = homogenise_rows(weights)
            if bad.size:
                warnings.warn(
                    f"the cortical mesh is too coarse for the requested local connectivity: "
                    f"{bad.size} of {surface.n_vertices} vertices (e.g. "
                    f"{bad[:5].tolist()}) get no coupling of one sign although the others do; "
                    "use a finer mesh, a wider kernel or a larger cutoff",
                    CoarseMeshWarning,
                    stacklevel=2,
                )
        return cls.from_matrix(weights, surface=surface, equation=eq, cutoff=float(cutoff))

    @staticmethod
    def _coerce_equation(equation: Any) -> SpatialEquation:
        if equation is None:
            return Gaussian()
        from vbrain.datatypes.equations import _coerce, get

        try:
            if isinstance(equation, str):
                # a name or an alias of the registry ("MexicanHat"), with its defaults
                equation = get(equation)()
            return _coerce(equation, SpatialEquation)
        except ValueError as exc:
            raise ValidationError(f"equation: {exc}") from None

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_vertices(self) -> int:
        """Number of rows (= columns = vertices)."""
        return int(self.indptr.size - 1)

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        return int(self.data.size)

    @property
    def matrix(self) -> sp.csr_matrix:
        """The ``(n_vertices, n_vertices)`` sparse matrix (shares the arrays, no copy)."""
        n = self.n_vertices
        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=(n, n), copy=False)

    @property
    def nbytes(self) -> int:
        """Memory held by the CSR arrays (bytes)."""
        return int(self.data.nbytes + self.indices.nbytes + self.indptr.nbytes)

    def summary(self) -> dict[str, Any]:
        """Key figures: size, non-zeros, value range, kernel and cutoff."""
        out: dict[str, Any] = {
            "type": self.type_name,
            "n_vertices": self.n_vertices,
            "nnz": self.nnz,
            "nnz_per_row_mean": self.nnz / max(self.n_vertices, 1),
            "megabytes": self.nbytes / 1e6,
            "equation": None if self.equation is None else type(self.equation).__name__,
            "cutoff_mm": self.cutoff,
        }
        if self.nnz:
            out.update(data_min=float(self.data.min()), data_max=float(self.data.max()))
        return out

    @classmethod
    def example(cls) -> LocalConnectivity:
        """A Gaussian (sigma 3 mm) kernel up to 8 mm on a 42-vertex sphere of radius 10 mm."""
        from vbrain.datatypes.surface import icosphere

        surface = icosphere(1, radius=10.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CoarseMeshWarning)
            return cls.from_surface(surface, Gaussian(sigma=3.0), cutoff=8.0)


def _warn_if_coarse(surface: Surface, equation: SpatialEquation, cutoff: float) -> None:
    """Warn when the mesh spacing cannot resolve the kernel."""
    mean_edge = float(surface.edge_lengths.mean())
    if cutoff < mean_edge:
        warnings.warn(
            f"the cutoff ({cutoff:g} mm) is shorter than the mean edge length "
            f"({mean_edge:.3g} mm): most vertices get no local coupling",
            CoarseMeshWarning,
            stacklevel=3,
        )
        return
    inner = _kernel_mass_near_zero(equation, 0.5 * mean_edge, cutoff)
    if inner > 0.5:
        warnings.warn(
            f"the cortical mesh is too coarse for the {type(equation).__name__} kernel: "
            f"{100 * inner:.0f}% of its mass lies within half the mean edge length "
            f"({0.5 * mean_edge:.3g} mm) of each vertex, where there are no neighbours to "
            "couple; widen the kernel or refine the mesh",
            CoarseMeshWarning,
            stacklevel=3,
        )
