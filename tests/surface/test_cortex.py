"""Cortex: pseudo-nodes for unmapped regions, region <-> node maps, local coupling matrix."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from vbrain.config.traits import ValidationError
from vbrain.datatypes.cortex import Cortex
from vbrain.datatypes.local_connectivity import LocalConnectivity
from vbrain.datatypes.region_mapping import RegionMapping


@pytest.fixture(scope="module")
def shipped():
    from vbrain.datasets import (
        load_connectivity,
        load_local_connectivity,
        load_region_mapping,
        load_surface,
    )

    return (
        load_surface("cortex_16k"),
        load_region_mapping("16k_76"),
        load_connectivity(76),
        load_local_connectivity("16k"),
    )


def test_76_region_connectome_with_the_16k_mapping(shipped) -> None:
    surface, rm, conn, lc = shipped
    cx = Cortex.for_connectivity(surface, rm, conn, local_connectivity=lc)
    # every one of the 76 regions has vertices on the shipped cortex: no pseudo-nodes
    assert cx.n_regions == 76
    assert cx.unmapped_regions.tolist() == []
    assert cx.n_nodes == 16384
    np.testing.assert_array_equal(cx.node_regions, rm.array)
    assert cx.local_coupling_matrix().shape == (16384, 16384)


def test_pseudo_nodes_for_regions_without_vertices(shipped) -> None:
    surface, rm, conn, lc = shipped
    # move the vertices of three regions to region 0: those three become "subcortical"
    gone = [10, 40, 75]
    array = rm.array.copy()
    array[np.isin(array, gone)] = 0
    cx = Cortex.for_connectivity(
        surface, RegionMapping(array=array), conn, local_connectivity=lc, coupling_strength=0.5
    )
    assert cx.unmapped_regions.tolist() == gone
    assert cx.n_unmapped == 3 and cx.n_nodes == 16384 + 3
    assert cx.node_regions[-3:].tolist() == gone
    # region values broadcast to the nodes and back (plain means recover them)
    values = np.arange(76.0) * 1.5
    nodes = cx.regions_to_nodes(values)
    assert nodes.shape == (cx.n_nodes,)
    np.testing.assert_array_equal(nodes[:16384], values[array])
    np.testing.assert_array_equal(nodes[16384:], values[gone])
    back = cx.nodes_to_regions(nodes)
    np.testing.assert_allclose(
        back[np.setdiff1d(np.arange(76), gone)], values[np.setdiff1d(np.arange(76), gone)]
    )
    np.testing.assert_allclose(back[gone], values[gone])
    # leading axes (time, state variable) are carried along
    stacked = cx.regions_to_nodes(np.stack([values, -values]))
    assert stacked.shape == (2, cx.n_nodes)
    np.testing.assert_allclose(cx.nodes_to_regions(stacked)[1, gone], -values[gone])
    # vertex-only values: unmapped regions have none
    vert = cx.nodes_to_regions(nodes[:16384])
    assert np.isnan(vert[gone]).all()
    # the padded local coupling: strength x matrix, zero rows/columns for pseudo-nodes
    lcm = cx.local_coupling_matrix()
    assert lcm.shape == (cx.n_nodes, cx.n_nodes)
    assert abs(lcm[:16384, :16384] - 0.5 * lc.matrix).max() == 0.0
    assert lcm[16384:].nnz == 0 and lcm[:, 16384:].nnz == 0


def test_means_per_region_plain_and_area_weighted() -> None:
    cx = Cortex.example()
    rng = np.random.default_rng(0)
    vals = rng.standard_normal(cx.n_nodes)
    regions = cx.node_regions
    plain = cx.nodes_to_regions(vals)
    for r in range(cx.n_regions):
        assert plain[r] == pytest.approx(vals[regions == r].mean())
    area = cx.nodes_to_regions(vals, weighting="area")
    w = np.append(cx.surface.vertex_areas, 1.0)
    for r in range(cx.n_regions):
        sel = regions == r
        assert area[r] == pytest.approx(np.sum(vals[sel] * w[sel]) / np.sum(w[sel]))
    with pytest.raises(ValidationError, match="weighting"):
        cx.nodes_to_regions(vals, weighting="median")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="expected"):
        cx.nodes_to_regions(vals[:5])
    with pytest.raises(ValidationError, match="region"):
        cx.regions_to_nodes(np.ones(3))


def test_per_vertex_coupling_strength_scales_rows() -> None:
    cx = Cortex.example()
    strength = np.linspace(0.0, 2.0, cx.n_vertices)
    cx2 = Cortex(
        surface=cx.surface,
        region_mapping=cx.region_mapping,
        local_connectivity=cx.local_connectivity,
        coupling_strength=strength,
    )
    m = cx2.local_coupling_matrix()
    expected = sp.diags(strength) @ cx.local_connectivity.matrix
    assert abs(m[: cx.n_vertices, : cx.n_vertices] - expected).max() < 1e-15
    assert m.shape == (cx.n_nodes, cx.n_nodes)
    no_lc = Cortex(surface=cx.surface, region_mapping=cx.region_mapping, n_region=4)
    assert no_lc.local_coupling_matrix().nnz == 0


def test_validation() -> None:
    cx = Cortex.example()
    with pytest.raises(ValidationError, match="region mapping"):
        Cortex(surface=cx.surface, region_mapping=RegionMapping(array=[0, 1, 2]))
    with pytest.raises(ValidationError, match="coupling_strength"):
        Cortex(surface=cx.surface, region_mapping=cx.region_mapping, coupling_strength=[1.0, 2.0])
    with pytest.raises(ValidationError, match="n_region"):
        Cortex(surface=cx.surface, region_mapping=cx.region_mapping, n_region=2)
    small = LocalConnectivity.from_matrix(sp.identity(3))
    with pytest.raises(ValidationError, match="local connectivity"):
        Cortex(surface=cx.surface, region_mapping=cx.region_mapping, local_connectivity=small)
