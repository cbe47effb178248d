"""Graph analysis of structural or functional connectivity (Brain Connectivity Toolbox).

Measures come from ``bctpy`` (import name ``bct``; Rubinov & Sporns 2010, NeuroImage
52:1059), in the analysis extra.  Every analyzer takes a
:class:`~vbrain.datatypes.connectivity.Connectivity` or a square matrix and returns
:class:`~vbrain.datatypes.connectivity_measure.GraphMeasures` labelled by region.

Conventions (common to all):

- vbrain matrices are ``weights[target, source]``; BCT's are ``CIJ[source, target]``, so the
  matrix is transposed before calling BCT: "in" means afferent (row sums of ``weights``),
  "out" efferent (column sums).
- Self-connections (the diagonal) are ignored; entries ``<= threshold`` are removed.
- Negative weights are rejected (take ``abs()`` or threshold first).
- ``weighted=False`` binarises the remaining edges.  ``directed=None`` detects direction from
  symmetry; ``directed=False`` on an asymmetric matrix symmetrises it as ``(W + W.T) / 2``.
- Weighted clustering, transitivity and efficiency use weights scaled by the largest weight
  (Onnela et al. 2005); weighted path lengths are ``1 / weight``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, require
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.connectivity_measure import GraphMeasures

__all__ = [
    "BetweennessCentrality",
    "ClusteringCoefficient",
    "Degree",
    "Density",
    "Distance",
    "Efficiency",
    "EigenvectorCentrality",
    "GraphSummary",
    "KCoreness",
    "Modularity",
    "ParticipationCoefficient",
    "RichClub",
    "Strength",
    "Transitivity",
    "prepare_graph",
]


def _bct() -> Any:
    return require("bct", "graph analysis")


def prepare_graph(
    w: np.ndarray, *, weighted: bool, directed: bool | None, threshold: float
) -> tuple[np.ndarray, bool]:
    """Clean a vbrain matrix into a BCT matrix (``CIJ[source, target]``) and its directedness.

    See the module docstring for the rules.
    """
    w = np.array(w, dtype=float)
    np.fill_diagonal(w, 0.0)
    if np.any(w < 0):
        i, j = np.argwhere(w < 0)[0]
        raise ValidationError(
            f"the connection matrix has negative weights (first {w[i, j]:g} at [{i}, {j}]); "
            "graph measures need weights >= 0: pass abs(matrix) or set a threshold"
        )
    w[w <= threshold] = 0.0
    symmetric = np.allclose(w, w.T)
    is_directed = (not symmetric) if directed is None else bool(directed)
    if not is_directed and not symmetric:
        w = (w + w.T) / 2.0
    a = np.ascontiguousarray(w.T)
    if not weighted:
        a = (a > 0).astype(float)
    return a, is_directed


def _normalised(a: np.ndarray) -> np.ndarray:
    top = a.max()
    return a / top if top > 0 else a


def _lengths(a: np.ndarray) -> np.ndarray:
    out = np.zeros_like(a)
    nz = a > 0
    out[nz] = 1.0 / a[nz]
    return out


class _Graph(Analyzer):
    """Shared inputs of the graph analyzers."""

    input_kind: ClassVar[str] = "matrix"
    output: ClassVar[type] = GraphMeasures
    #: whether the measure exists for directed graphs
    supports_directed: ClassVar[bool] = True

    weighted: bool = Attr(True, label="Weighted", doc="""Use weights (False: binarise).""")
    directed: bool | None = Attr(
        None,
        label="Directed",
        doc="""Treat as directed (None: detect from symmetry; False: symmetrise).""",
    )
    threshold: float = Attr(
        0.0, label="Threshold", valid=(0.0, None), doc="""Edges with weight <= this are removed."""
    )

    def _compute(self, data: tuple[np.ndarray, tuple[str, ...]]) -> GraphMeasures:
        w, labels = data
        a, directed = prepare_graph(
            w, weighted=self.weighted, directed=self.directed, threshold=self.threshold
        )
        if directed and not self.supports_directed:
            raise ValidationError(
                f"{type(self).__name__} is defined for undirected graphs but the matrix is "
                "asymmetric; pass directed=False to symmetrise it"
            )
        fields = self._measure(_bct(), a, directed)
        return GraphMeasures(
            region_labels=labels, weighted=self.weighted, directed=directed, **fields
        )

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        raise NotImplementedError


def _nodes(**columns: np.ndarray) -> dict[str, Any]:
    return {
        "node_names": tuple(columns),
        "node_values": np.column_stack([np.asarray(c, float).ravel() for c in columns.values()]),
    }


def _globals(**values: float) -> dict[str, Any]:
    return {"global_names": tuple(values), "global_values": [float(v) for v in values.values()]}


class Degree(_Graph):
    r"""Degree: number of connections per node; directed: in-degree (afferent),
    out-degree (efferent) and their sum.  Always counts edges (``weighted`` is ignored)."""

    function_name: ClassVar[str] = "compute_degree"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        b = (a > 0).astype(float)
        if directed:
            in_deg, out_deg, deg = bct.degrees_dir(b)
            return _nodes(in_degree=in_deg, out_degree=out_deg, degree=deg)
        return _nodes(degree=bct.degrees_und(b))


class Strength(_Graph):
    r"""Strength: sum of connection weights per node, :math:`s_i = \sum_j w_{ij}`; directed:
    in-strength (afferent), out-strength (efferent) and their sum."""

    function_name: ClassVar[str] = "compute_strength"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        if directed:
            # BCT orientation: column sums are afferent, row sums efferent
            in_s, out_s = a.sum(axis=0), a.sum(axis=1)
            return _nodes(in_strength=in_s, out_strength=out_s, strength=in_s + out_s)
        return _nodes(strength=bct.strengths_und(a))


class Density(_Graph):
    r"""Density: fraction of possible connections present, :math:`K / (N(N-1)/2)` undirected,
    :math:`K / (N(N-1))` directed; also the number of edges :math:`K`."""

    function_name: ClassVar[str] = "compute_density"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        b = (a > 0).astype(float)
        kden, _, k = bct.density_dir(b) if directed else bct.density_und(b)
        return _globals(density=kden, n_edges=k)


class ClusteringCoefficient(_Graph):
    r"""Clustering coefficient per node: the fraction of a node's neighbour pairs that are
    connected, :math:`C_i = 2t_i / (k_i(k_i-1))` (binary undirected); weighted: geometric mean
    of triangle weights (Onnela et al. 2005); directed: Fagiolo (2007).  BCT
    ``clustering_coef_bu/bd/wu/wd``; ``mean_clustering`` averages over nodes."""

    function_name: ClassVar[str] = "compute_clustering_coefficient"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        if self.weighted:
            fn = bct.clustering_coef_wd if directed else bct.clustering_coef_wu
            c = fn(_normalised(a))
        else:
            c = (bct.clustering_coef_bd if directed else bct.clustering_coef_bu)(a)
        c = np.nan_to_num(np.asarray(c, float).ravel())
        return {**_nodes(clustering=c), **_globals(mean_clustering=c.mean())}


class Transitivity(_Graph):
    r"""Transitivity: :math:`T = 3 \times \text{triangles} / \text{connected triples}`
    (binary undirected), with the weighted/directed variants of BCT
    ``transitivity_bu/bd/wu/wd``."""

    function_name: ClassVar[str] = "compute_transitivity"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        if self.weighted:
            fn = bct.transitivity_wd if directed else bct.transitivity_wu
            t = fn(_normalised(a))
        else:
            t = (bct.transitivity_bd if directed else bct.transitivity_bu)(a)
        return _globals(transitivity=np.nan_to_num(t))


class BetweennessCentrality(_Graph):
    r"""Node betweenness: the number of shortest paths between pairs of other nodes that pass
    through the node, :math:`b_i = \sum_{s \ne i \ne t} \sigma_{st}(i)/\sigma_{st}`, each
    unordered pair counted once for undirected graphs (BCT counts both orders; halved here).
    Weighted: paths over lengths 1/w (BCT ``betweenness_wei``); ``normalised`` divides by the
    number of pairs, (N-1)(N-2) directed or (N-1)(N-2)/2 undirected."""

    function_name: ClassVar[str] = "compute_betweenness"

    normalised: bool = Attr(False, label="Normalised", doc="""Divide by the number of pairs.""")

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        n = a.shape[0]
        bc = bct.betweenness_wei(_lengths(a)) if self.weighted else bct.betweenness_bin(a)
        bc = np.asarray(bc, float).ravel()
        if not directed:
            bc = bc / 2.0
        if self.normalised and n > 2:
            bc = bc / ((n - 1) * (n - 2) / (1 if directed else 2))
        return _nodes(betweenness=bc)


class EigenvectorCentrality(_Graph):
    r"""Eigenvector centrality: the entries of the leading eigenvector :math:`v` of the
    (symmetric) matrix, :math:`W v = \lambda_{max} v`, unit norm, non-negative (BCT
    ``eigenvector_centrality_und``).  Undirected graphs only (directed=False symmetrises)."""

    function_name: ClassVar[str] = "compute_eigenvector_centrality"
    supports_directed: ClassVar[bool] = False

    directed: bool | None = Attr(
        False,
        label="Directed",
        doc="""False (default): symmetrise asymmetric matrices; the measure is undirected.""",
    )

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        v = np.abs(np.asarray(bct.eigenvector_centrality_und(a), float).ravel())
        return _nodes(eigenvector_centrality=v / np.linalg.norm(v))


class KCoreness(_Graph):
    r"""k-coreness: the largest :math:`k` such that the node belongs to the k-core, the
    maximal subgraph whose nodes all have degree :math:`\ge k` (directed: in + out degree).
    Binary (BCT ``kcoreness_centrality_bu/bd``); ``max_coreness`` is the largest k."""

    function_name: ClassVar[str] = "compute_kcoreness"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        b = (a > 0).astype(float)
        fn = bct.kcoreness_centrality_bd if directed else bct.kcoreness_centrality_bu
        core, _ = fn(b)
        core = np.asarray(core, float).ravel()
        return {**_nodes(coreness=core), **_globals(max_coreness=core.max())}


def _communities(bct: Any, a: np.ndarray, gamma: float, seed: int) -> tuple[np.ndarray, float]:
    ci, q = bct.community_louvain(a, gamma=gamma, seed=seed)
    return np.asarray(ci, int).ravel(), float(q)


class Modularity(_Graph):
    r"""Community structure maximising the modularity
    :math:`Q = \frac{1}{2m}\sum_{ij}(w_{ij} - \gamma\frac{k_i k_j}{2m})\delta(c_i, c_j)`
    (Louvain algorithm, BCT ``community_louvain``; Blondel et al. 2008).  Per node: the module
    index (1-based); globals: Q and the number of modules."""

    function_name: ClassVar[str] = "compute_modularity"

    gamma: float = Attr(
        1.0,
        label="Resolution",
        valid=(0.0, None),
        exclusive=True,
        doc="""Resolution parameter (>1: smaller modules).""",
    )
    seed: int = Attr(0, label="Random seed", doc="""Seed of the Louvain node order.""")

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        ci, q = _communities(bct, a, self.gamma, self.seed)
        return {**_nodes(module=ci), **_globals(modularity=q, n_modules=len(np.unique(ci)))}


class ParticipationCoefficient(_Graph):
    r"""Participation coefficient: :math:`P_i = 1 - \sum_s (k_{is}/k_i)^2`, with
    :math:`k_{is}` the (weighted) degree of node ``i`` into module ``s``: 0 when all links stay
    in the node's module (BCT ``participation_coef``; Guimerà & Amaral 2005).  Modules from
    ``communities`` (one integer per node) or, if None, from :class:`Modularity` (Louvain)."""

    function_name: ClassVar[str] = "compute_participation_coefficient"

    communities: tuple[int, ...] | None = Attr(
        None, label="Communities", doc="""Module of each node (None: Louvain modules)."""
    )
    direction: str = Attr(
        "out",
        label="Direction",
        options=("out", "in"),
        doc="""Directed graphs: use efferent ('out') or afferent ('in') connections.""",
    )
    seed: int = Attr(0, label="Random seed", doc="""Seed of the Louvain partition.""")

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        if self.communities is None:
            ci, _ = _communities(bct, a, 1.0, self.seed)
        else:
            ci = np.asarray(self.communities, int)
            if ci.size != a.shape[0]:
                raise ValidationError(
                    f"ParticipationCoefficient.communities has {ci.size} entries for "
                    f"{a.shape[0]} nodes; give one module index per node"
                )
        degree = self.direction if directed else "undirected"
        with np.errstate(divide="ignore", invalid="ignore"):  # isolated nodes: 0 (below)
            p = bct.participation_coef(a, ci, degree=degree)
        return _nodes(participation=np.nan_to_num(p), module=ci)


class Distance(_Graph):
    r"""Shortest path lengths :math:`d_{ij}` (hops, or sums of 1/w when weighted; BCT
    ``distance_bin``/``distance_wei``) and what derives from them (BCT ``charpath``):
    characteristic path length (mean finite :math:`d_{ij}`, :math:`i \ne j`), global
    efficiency (mean :math:`1/d_{ij}`), eccentricity per node, radius, diameter.
    ``matrix`` holds :math:`d` (inf where unreachable)."""

    function_name: ClassVar[str] = "compute_distance"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        if self.weighted:
            d, _ = bct.distance_wei(_lengths(a))
        else:
            d = bct.distance_bin(a)
        d = np.asarray(d, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            lam, eff, ecc, radius, diameter = bct.charpath(d, include_infinite=False)
        return {
            **_nodes(eccentricity=ecc),
            **_globals(
                char_path_length=lam, global_efficiency=eff, radius=radius, diameter=diameter
            ),
            "matrix": d.T,  # back to vbrain's [target, source]
            "matrix_name": "distance",
        }


class Efficiency(_Graph):
    r"""Global efficiency :math:`E = \frac{1}{N(N-1)}\sum_{i\ne j} 1/d_{ij}` (Latora &
    Marchiori 2001) and, for undirected graphs, local efficiency per node (the efficiency of
    each node's neighbourhood; weighted: Rubinov & Sporns 2010).  BCT ``efficiency_bin/wei``."""

    function_name: ClassVar[str] = "compute_efficiency"

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        fn = bct.efficiency_wei if self.weighted else bct.efficiency_bin
        g = _normalised(a) if self.weighted else a
        out = _globals(global_efficiency=fn(g))
        if not directed:
            out.update(_nodes(local_efficiency=np.nan_to_num(fn(g, local=True))))
        return out


class RichClub(_Graph):
    r"""Rich-club coefficient per degree level ``k = 1 .. klevel``: for nodes of degree
    :math:`> k`, :math:`\phi(k) = 2E_{>k} / (N_{>k}(N_{>k}-1))` (binary undirected;
    Colizza et al. 2006), weighted per Opsahl et al. 2008 (BCT ``rich_club_bu/bd/wu/wd``).
    The curve is in ``levels`` / ``level_values`` (NaN where fewer than 2 nodes remain)."""

    function_name: ClassVar[str] = "compute_rich_club"

    klevel: int | None = Attr(
        None,
        label="Highest level",
        valid=(1, None),
        doc="""Largest degree level (None: the largest degree).""",
    )

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        b = (a > 0).astype(float)
        deg = b.sum(0) + b.sum(1) if directed else b.sum(0)
        klevel = self.klevel or max(int(deg.max()), 1)
        name = "rich_club_" + ("w" if self.weighted else "b") + ("d" if directed else "u")
        with np.errstate(divide="ignore", invalid="ignore"):
            res = getattr(bct, name)(a, klevel=klevel)
        r = np.asarray(res[0] if isinstance(res, tuple) else res, float).ravel()
        return {"levels": np.arange(1, r.size + 1, dtype=float), "level_values": r}


class GraphSummary(_Graph):
    """The usual graph measures in one call: degree, strength, clustering, betweenness,
    eigenvector centrality (undirected), coreness, module and participation per node; density,
    transitivity, characteristic path length, global efficiency and modularity globally.  See
    the individual analyzers for the definitions."""

    function_name: ClassVar[str] = "compute_graph_measures"

    seed: int = Attr(0, label="Random seed", doc="""Seed of the Louvain partition.""")

    def _measure(self, bct: Any, a: np.ndarray, directed: bool) -> dict[str, Any]:
        common = {"weighted": self.weighted}
        parts = [
            Degree(**common)._measure(bct, a, directed),
            Strength(**common)._measure(bct, a, directed),
            ClusteringCoefficient(**common)._measure(bct, a, directed),
            BetweennessCentrality(**common)._measure(bct, a, directed),
            KCoreness(**common)._measure(bct, a, directed),
            ParticipationCoefficient(seed=self.seed, **common)._measure(bct, a, directed),
            Density(**common)._measure(bct, a, directed),
            Transitivity(**common)._measure(bct, a, directed),
            Modularity(seed=self.seed, **common)._measure(bct, a, directed),
            Distance(**common)._measure(bct, a, directed),
        ]
        if not directed:
            parts.append(EigenvectorCentrality(**common)._measure(bct, a, directed))
        names: list[str] = []
        cols: list[np.ndarray] = []
        gnames: list[str] = []
        gvals: list[float] = []
        for p in parts:
            for i, n in enumerate(p.get("node_names", ())):
                if n not in names:
                    names.append(n)
                    cols.append(np.asarray(p["node_values"])[:, i])
            for n, v in zip(p.get("global_names", ()), p.get("global_values", ()), strict=True):
                if n not in gnames:
                    gnames.append(n)
                    gvals.append(v)
        return {
            "node_names": tuple(names),
            "node_values": np.column_stack(cols),
            "global_names": tuple(gnames),
            "global_values": gvals,
        }
