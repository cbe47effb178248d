"""Graph measures against hand computations on small graphs."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain as vb
import vbrain.analyzers as an
from vbrain.config.traits import ValidationError


def _edges(n, pairs, weights=None):
    a = np.zeros((n, n))
    for k, (i, j) in enumerate(pairs):
        a[i, j] = a[j, i] = 1.0 if weights is None else weights[k]
    return a


# triangle 0-1-2 with a pendant node 3 attached to 2
PAW = _edges(4, [(0, 1), (1, 2), (0, 2), (2, 3)])
LABELS = ("A", "B", "C", "D")


def test_degree_strength_density_on_the_paw_graph():
    conn = vb.Connectivity(weights=PAW * 2.0, tract_lengths=PAW, region_labels=LABELS)
    deg = an.Degree()(conn)
    assert deg.region_labels == LABELS
    np.testing.assert_array_equal(deg["degree"], [2, 2, 3, 1])
    np.testing.assert_array_equal(an.compute_strength(conn)["strength"], [4, 4, 6, 2])
    dens = an.Density()(PAW)
    # 4 edges of 4 * 3 / 2 = 6 possible
    assert dens["density"] == pytest.approx(4 / 6) and dens["n_edges"] == 4
    assert deg.node_measure("degree").as_mapping() == {"A": 2, "B": 2, "C": 3, "D": 1}


def test_directed_in_and_out_degree_follow_the_row_target_convention():
    # weights[target, source]: 0 -> 1, 0 -> 2, 1 -> 2
    w = np.zeros((3, 3))
    w[1, 0] = w[2, 0] = w[2, 1] = 1.0
    deg = an.Degree()(w)
    assert deg.directed
    np.testing.assert_array_equal(deg["in_degree"], [0, 1, 2])
    np.testing.assert_array_equal(deg["out_degree"], [2, 1, 0])
    np.testing.assert_array_equal(deg["degree"], [2, 2, 2])
    st = an.Strength()(w * 3.0)
    np.testing.assert_array_equal(st["in_strength"], [0, 3, 6])
    np.testing.assert_array_equal(st["out_strength"], [6, 3, 0])
    # 3 edges of 3 * 2 possible directed
    assert an.Density()(w)["density"] == pytest.approx(0.5)
    # undirected view symmetrises
    assert not an.Degree(directed=False)(w).directed


def test_clustering_and_transitivity_by_hand():
    # C: nodes 0, 1 have their 2 neighbours linked -> 1; node 2 has neighbours 0, 1, 3 with one
    # link among 3 pairs -> 1/3; node 3 has one neighbour -> 0
    cc = an.ClusteringCoefficient(weighted=False)(PAW)
    np.testing.assert_allclose(cc["clustering"], [1, 1, 1 / 3, 0])
    assert cc["mean_clustering"] == pytest.approx((1 + 1 + 1 / 3) / 4)
    # transitivity = 3 triangles-per-node / connected triples = 3 * 1 / (1 + 1 + 3 + 0)
    assert an.Transitivity(weighted=False)(PAW)["transitivity"] == pytest.approx(3 / 5)
    # weighted (Onnela): with all weights equal the binary values are recovered
    np.testing.assert_allclose(
        an.ClusteringCoefficient()(PAW * 0.7)["clustering"], [1, 1, 1 / 3, 0]
    )
    # a triangle with weights 1, 1, 0.125 (max 1): C = (1 * 1 * 0.125)^(1/3) = 0.5 everywhere
    tri = _edges(3, [(0, 1), (1, 2), (0, 2)], [1.0, 1.0, 0.125])
    np.testing.assert_allclose(an.ClusteringCoefficient()(tri)["clustering"], 0.5)


def test_betweenness_by_hand():
    # only node 2 lies between others: on the shortest paths 0-3 and 1-3
    bc = an.BetweennessCentrality(weighted=False)(PAW)
    np.testing.assert_allclose(bc["betweenness"], [0, 0, 2, 0])
    # normalised by (n - 1)(n - 2) / 2 = 3 pairs
    norm = an.BetweennessCentrality(weighted=False, normalised=True)(PAW)
    np.testing.assert_allclose(norm["betweenness"], [0, 0, 2 / 3, 0])
    # path graph 0-1-2-3-4: node k sits between k * (4 - k) pairs
    path = _edges(5, [(0, 1), (1, 2), (2, 3), (3, 4)])
    np.testing.assert_allclose(an.compute_betweenness(path)["betweenness"], [0, 3, 4, 3, 0])
    # weighted: a strong detour 0-2-1 (lengths 1/10 + 1/10) beats the weak direct edge 0-1 (1)
    w = _edges(3, [(0, 1), (0, 2), (1, 2)], [1.0, 10.0, 10.0])
    np.testing.assert_allclose(an.BetweennessCentrality()(w)["betweenness"], [0, 0, 1])


def test_distance_and_efficiency_by_hand():
    d = an.Distance(weighted=False)(PAW)
    expected = np.array([[0, 1, 1, 2], [1, 0, 1, 2], [1, 1, 0, 1], [2, 2, 1, 0]])
    np.testing.assert_array_equal(d.matrix, expected)
    # 6 pairs with distances 1, 1, 2, 1, 2, 1
    assert d["char_path_length"] == pytest.approx(8 / 6)
    assert d["global_efficiency"] == pytest.approx((1 + 1 + 0.5 + 1 + 0.5 + 1) / 6)
    np.testing.assert_array_equal(d["eccentricity"], [2, 2, 1, 2])
    assert (d["radius"], d["diameter"]) == (1.0, 2.0)
    eff = an.Efficiency(weighted=False)(PAW)
    assert eff["global_efficiency"] == pytest.approx(5 / 6)
    # local efficiency: node 2's neighbours {0, 1, 3}: only 0-1 linked (directly) among the
    # 6 ordered pairs -> 2 / 6; nodes 0, 1: neighbours linked -> 1; node 3: one neighbour -> 0
    np.testing.assert_allclose(eff["local_efficiency"], [1, 1, 1 / 3, 0])
    # weighted lengths are 1 / w
    w = _edges(3, [(0, 1), (1, 2)], [2.0, 4.0])
    dw = an.compute_distance(w)
    assert dw.matrix[0, 2] == pytest.approx(0.5 + 0.25)


def test_eigenvector_centrality_of_a_regular_graph_is_uniform():
    ring = _edges(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    ev = an.EigenvectorCentrality()(ring)
    np.testing.assert_allclose(ev["eigenvector_centrality"], 0.5)
    # star: centre / leaf = sqrt(n_leaves) (leading eigenvector of the star's adjacency)
    star = _edges(5, [(0, k) for k in range(1, 5)])
    v = an.EigenvectorCentrality()(star)["eigenvector_centrality"]
    assert v[0] / v[1] == pytest.approx(2.0)
    asym = np.array([[0, 1.0], [0, 0]])
    with pytest.raises(ValidationError, match="directed=False to symmetrise"):
        an.EigenvectorCentrality(directed=True)(asym)


def test_kcoreness_by_hand():
    # the triangle is the 2-core; the pendant node only reaches the 1-core
    kc = an.KCoreness()(PAW)
    np.testing.assert_array_equal(kc["coreness"], [2, 2, 2, 1])
    assert kc["max_coreness"] == 2


def test_modularity_of_two_disjoint_triangles_by_hand():
    two = _edges(6, [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
    mod = an.Modularity()(two)
    ci = mod["module"]
    assert len(set(ci[:3])) == 1 and len(set(ci[3:])) == 1 and ci[0] != ci[3]
    # Q = sum_c [L_c / m - (d_c / 2m)^2] = 2 * (3/6 - (6/12)^2) = 0.5
    assert mod["modularity"] == pytest.approx(0.5)
    assert mod["n_modules"] == 2


def test_participation_coefficient_by_hand():
    # modules {0, 1, 2} and {3}: P_i = 1 - sum_s (k_is / k_i)^2
    pc = an.ParticipationCoefficient(communities=(1, 1, 1, 2), weighted=False)(PAW)
    # node 2: k = 3, 2 links into module 1 and 1 into module 2 -> 1 - (4/9 + 1/9) = 4/9
    # node 3: its single link goes to module 1 -> 1 - 1 = 0
    np.testing.assert_allclose(pc["participation"], [0, 0, 4 / 9, 0])
    with pytest.raises(ValidationError, match="one module index per node"):
        an.ParticipationCoefficient(communities=(1, 2))(PAW)


def test_rich_club_by_hand():
    # k = 1: nodes of degree > 1 are {0, 1, 2} with 3 links: 2 * 3 / (3 * 2) = 1
    # k = 2: only node 2 (degree 3) remains: undefined (NaN)
    rc = an.RichClub(weighted=False)(PAW)
    np.testing.assert_array_equal(rc.levels, [1, 2, 3])
    assert rc.level_values[0] == pytest.approx(1.0)
    assert np.isnan(rc.level_values[1])


def test_graph_summary_collects_the_measures():
    conn = vb.datasets.load_connectivity(76)
    gs = an.compute_graph_measures(conn)
    assert len(gs.region_labels) == 76
    assert gs.region_labels == conn.region_labels
    for name in (
        "degree",
        "strength",
        "clustering",
        "betweenness",
        "coreness",
        "participation",
        "module",
    ):
        assert gs[name].shape == (76,)
    for name in ("density", "transitivity", "modularity", "char_path_length"):
        assert np.isfinite(gs[name])
    table = gs.to_table()
    assert set(table["degree"]) == set(conn.region_labels)


def test_graph_bad_inputs():
    with pytest.raises(ValidationError, match="negative weights"):
        an.Degree()(np.array([[0, -1.0], [-1.0, 0]]))
    with pytest.raises(ValidationError, match="square"):
        an.Degree()(np.zeros((2, 3)))
    with pytest.raises(ValidationError, match="threshold = -1 must be >= 0"):
        an.Degree(threshold=-1.0)
    with pytest.raises(KeyError, match="no measure 'nope'"):
        an.Degree()(PAW)["nope"]
