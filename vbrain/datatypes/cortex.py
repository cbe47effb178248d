"""Cortex: what a surface simulation needs besides the connectome.

A :class:`Cortex` gathers the cortical surface, the region mapping (region of each vertex),
the optional local connectivity and the local coupling strength.  As in the reference system,
the nodes of a surface simulation are the vertices followed by one *pseudo-vertex* per region
of the connectivity that no vertex maps to (typically subcortical regions):
``n_nodes = n_vertices + n_unmapped`` and ``node_regions = [region_mapping, unmapped]``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pydantic
import scipy.sparse as sp

from vbrain.config.traits import Attr, ParamValue, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.local_connectivity import LocalConnectivity
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.datatypes.surface import Surface

__all__ = ["Cortex"]


class Cortex(DataType):
    """Cortical surface + region mapping + local connectivity + local coupling strength.

    Parameters
    ----------
    surface : Surface
        The cortical surface (vertices in mm).
    region_mapping : RegionMapping
        Region (0-based) of every vertex.
    local_connectivity : LocalConnectivity, optional
        Sparse vertex-to-vertex coupling; None for no local coupling.
    coupling_strength : float or array_like, default 1.0
        Factor of the local connectivity: one value, or one per vertex (scales the rows,
        i.e. the coupling each vertex receives).
    n_region : int, optional
        Number of regions of the connectivity simulated with (default:
        ``region_mapping.n_region``, else the largest region index + 1).  Regions no vertex
        maps to become pseudo-vertices.

    Examples
    --------
    >>> cx = Cortex.example()
    >>> cx.n_vertices, cx.n_regions, cx.unmapped_regions.tolist(), cx.n_nodes
    (42, 4, [3], 43)
    """

    kind = "cortex"

    surface: Annotated[Surface, pydantic.SerializeAsAny()] = Attr(
        label="Cortical surface", doc="""The surface the neural masses live on."""
    )
    region_mapping: RegionMapping = Attr(
        label="Region mapping", doc="""Region of the connectivity each vertex belongs to."""
    )
    local_connectivity: LocalConnectivity | None = Attr(
        None,
        label="Local connectivity",
        doc="""Instantaneous vertex-to-vertex coupling (None: no local coupling).""",
    )
    coupling_strength: ParamValue = Attr(
        1.0,
        label="Local coupling strength",
        range=(0.0, 20.0),
        doc="""Factor of the local connectivity: a scalar or one value per vertex.""",
    )
    n_region: int | None = Attr(
        None,
        label="Number of regions",
        valid=(1, None),
        doc="""Regions of the connectivity (default: from the region mapping).""",
    )

    @pydantic.model_validator(mode="after")
    def _check(self) -> Cortex:
        nv = self.surface.n_vertices
        if self.region_mapping.n_vertices != nv:
            raise ValueError(
                f"the region mapping has {self.region_mapping.n_vertices} entries but the "
                f"surface has {nv} vertices; use the mapping made for this surface"
            )
        lc = self.local_connectivity
        if lc is not None and lc.n_vertices != nv:
            raise ValueError(
                f"the local connectivity has {lc.n_vertices} rows but the surface has {nv} "
                "vertices; compute it on this surface"
            )
        cs = self.coupling_strength
        if isinstance(cs, np.ndarray) and cs.size != nv:
            raise ValueError(
                f"coupling_strength has {cs.size} values but the surface has {nv} vertices; "
                "give one value or one per vertex"
            )
        if not np.all(np.isfinite(np.asarray(cs))):
            raise ValueError("coupling_strength must be finite (a number or one per vertex)")
        top = int(self.region_mapping.array.max())
        if self.n_region is not None and top >= self.n_region:
            raise ValueError(
                f"the region mapping refers to region {top} but n_region is {self.n_region}; "
                f"indices must be in 0..{self.n_region - 1}"
            )
        return self

    @classmethod
    def for_connectivity(
        cls,
        surface: Surface,
        region_mapping: RegionMapping,
        connectivity: Any,
        **kwargs: Any,
    ) -> Cortex:
        """A cortex whose region count is that of ``connectivity`` (its ``n_region``)."""
        return cls(
            surface=surface,
            region_mapping=region_mapping,
            n_region=int(connectivity.n_region),
            **kwargs,
        )

    # -- nodes ---------------------------------------------------------------------------

    @property
    def n_vertices(self) -> int:
        """Number of vertices of the surface."""
        return self.surface.n_vertices

    @property
    def n_regions(self) -> int:
        """Number of regions of the connectivity (``n_region`` or the mapping's)."""
        if self.n_region is not None:
            return int(self.n_region)
        if self.region_mapping.n_region is not None:
            return int(self.region_mapping.n_region)
        return int(self.region_mapping.array.max()) + 1

    @property
    def unmapped_regions(self) -> np.ndarray:
        """Regions no vertex maps to (ascending): each gets one pseudo-vertex node."""
        return self.region_mapping.unmapped_regions(self.n_regions)

    @property
    def n_unmapped(self) -> int:
        """Number of unmapped regions (pseudo-vertices)."""
        return int(self.unmapped_regions.size)

    @property
    def n_nodes(self) -> int:
        """Nodes of a surface simulation: ``n_vertices + n_unmapped``."""
        return self.n_vertices + self.n_unmapped

    @property
    def node_regions(self) -> np.ndarray:
        """Region of every node ``(n_nodes,)``: the mapping, then the unmapped regions."""
        return np.concatenate([self.region_mapping.array, self.unmapped_regions]).astype(np.int64)

    def regions_to_nodes(self, values: Any) -> np.ndarray:
        """Broadcast region values to the nodes (each vertex gets its region's value).

        Parameters
        ----------
        values : array_like, shape (..., n_region)

        Returns
        -------
        numpy.ndarray, shape (..., n_nodes)
        """
        vals = np.asarray(values)
        if vals.shape[-1] != self.n_regions:
            raise ValidationError(
                f"values have {vals.shape[-1]} entries along the last axis but there are "
                f"{self.n_regions} regions; one per region is needed"
            )
        return np.take(vals, self.node_regions, axis=-1)

    def nodes_to_regions(
        self, values: Any, weighting: Literal["mean", "area"] = "mean"
    ) -> np.ndarray:
        """Average node (or vertex) values per region.

        Parameters
        ----------
        values : array_like, shape (..., n_nodes) or (..., n_vertices)
            Values of every node; with one per vertex only, unmapped regions get NaN.
        weighting : {"mean", "area"}
            ``"mean"``: the plain mean over the region's nodes, which is what the reference
            system uses for the region-level history of surface simulations (sum per region
            divided by the node count); ``"area"``: weighted by the vertex areas (a
            pseudo-vertex is its region's only node, so its weight does not matter).

        Returns
        -------
        numpy.ndarray, shape (..., n_region)
        """
        vals = np.asarray(values, dtype=float)
        n = vals.shape[-1]
        regions = self.node_regions
        if n == self.n_vertices and n != self.n_nodes:
            regions = regions[: self.n_vertices]
        elif n != self.n_nodes:
            raise ValidationError(
                f"values have {n} entries along the last axis; expected {self.n_nodes} (nodes) "
                f"or {self.n_vertices} (vertices)"
            )
        if weighting == "mean":
            weights = np.ones(regions.size)
        elif weighting == "area":
            weights = np.ones(regions.size)
            weights[: self.n_vertices] = self.surface.vertex_areas
        else:
            raise ValidationError(f"weighting {weighting!r} is unknown; use 'mean' or 'area'")
        nr = self.n_regions
        total = np.bincount(regions, weights, minlength=nr)
        out = np.zeros((*vals.shape[:-1], nr))
        # add.at accumulates repeated region indices along the last axis
        np.add.at(np.moveaxis(out, -1, 0), regions, np.moveaxis(vals * weights, -1, 0))
        with np.errstate(invalid="ignore", divide="ignore"):
            return out / np.where(total > 0, total, np.nan)

    def local_coupling_matrix(self) -> sp.csr_matrix:
        """The local coupling a simulation applies: ``coupling_strength * matrix``, padded.

        Returns
        -------
        scipy.sparse.csr_matrix, shape (n_nodes, n_nodes)
            Rows scaled by the (per-vertex) coupling strength, zero rows and columns for the
            pseudo-vertices (as the reference pads it); all zero without a local
            connectivity.
        """
        nn, nv = self.n_nodes, self.n_vertices
        if self.local_connectivity is None:
            return sp.csr_matrix((nn, nn))
        m = self.local_connectivity.matrix
        cs = self.coupling_strength
        scale = np.broadcast_to(np.asarray(cs, dtype=float), (nv,))
        rows = np.repeat(np.arange(nv), np.diff(m.indptr))
        data = m.data * scale[rows]
        indptr = np.concatenate([m.indptr, np.full(nn - nv, m.indptr[-1])])
        return sp.csr_matrix((data, m.indices.copy(), indptr), shape=(nn, nn))

    def summary(self) -> dict[str, Any]:
        """Key figures: vertices, regions, unmapped regions, nodes, local connectivity."""
        cs = self.coupling_strength
        return {
            "type": self.type_name,
            "n_vertices": self.n_vertices,
            "n_region": self.n_regions,
            "n_unmapped": self.n_unmapped,
            "n_nodes": self.n_nodes,
            "local_connectivity_nnz": (
                None if self.local_connectivity is None else self.local_connectivity.nnz
            ),
            "coupling_strength": cs if isinstance(cs, float) else "per vertex",
        }

    @classmethod
    def example(cls) -> Cortex:
        """A 42-vertex sphere over regions 0-2 of 4 (region 3 unmapped) with local coupling."""
        computed = LocalConnectivity.example()
        surface = computed.surface
        # the matrix alone (its surface is the cortex's): a surface stored once per cortex
        lc = LocalConnectivity.from_matrix(
            computed.matrix, equation=computed.equation, cutoff=computed.cutoff
        )
        z = surface.vertices[:, 2]
        # three bands of latitude: regions 0, 1, 2; region 3 has no vertex (subcortical)
        array = np.digitize(z, [-3.0, 3.0])
        return cls(
            surface=surface,
            region_mapping=RegionMapping(array=array, n_region=4),
            local_connectivity=lc,
            coupling_strength=2.0,
        )
