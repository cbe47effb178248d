"""Connectivity operations: lesion, normalise, threshold, symmetrise, subset — hand-checked."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import Connectivity

W = np.array(
    [
        [0.0, 2.0, 0.0, 1.0],
        [4.0, 0.0, 3.0, 0.0],
        [0.0, 1.0, 5.0, 2.0],
        [6.0, 0.0, 0.5, 0.0],
    ]
)
L = np.array(
    [
        [0.0, 10.0, 0.0, 40.0],
        [10.0, 0.0, 30.0, 0.0],
        [20.0, 30.0, 0.0, 50.0],
        [40.0, 0.0, 50.0, 0.0],
    ]
)


def make() -> Connectivity:
    return Connectivity(
        weights=W,
        tract_lengths=L,
        centres=np.arange(12.0).reshape(4, 3),
        region_labels=["lA", "lB", "rA", "rB"],
        areas=[1.0, 2.0, 3.0, 4.0],
        cortical=[True, False, True, False],
    )


def test_lesion_zero_regions() -> None:
    conn = make()
    out = conn.lesion(["lB", 3])
    expected = W.copy()
    expected[[1, 3], :] = 0
    expected[:, [1, 3]] = 0
    np.testing.assert_array_equal(out.weights, expected)
    np.testing.assert_array_equal(out.tract_lengths, L)  # lengths kept
    assert out.n_region == 4 and out.gid != conn.gid
    np.testing.assert_array_equal(conn.weights, W)  # the input is unchanged
    (entry,) = out.history
    assert entry == {
        "operation": "lesion",
        "arguments": {"regions": [1, 3], "edges": [], "mode": "zero", "symmetric": False},
        "parent": conn.gid,
    }


def test_lesion_edges() -> None:
    conn = make()
    out = conn.lesion(edges=[(1, 0), ("rA", "rB")])
    expected = W.copy()
    expected[1, 0] = 0  # from 0 onto 1
    expected[2, 3] = 0
    np.testing.assert_array_equal(out.weights, expected)
    both = conn.lesion(edges=[(1, 0)], symmetric=True)
    assert both.weights[1, 0] == 0 and both.weights[0, 1] == 0
    assert both.weights[2, 1] == 1.0
    assert out.history[0]["arguments"]["edges"] == [[1, 0], [2, 3]]


def test_lesion_remove_regions() -> None:
    conn = make()
    out = conn.lesion([0, "rA"], mode="remove")
    np.testing.assert_array_equal(out.weights, [[0.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(out.tract_lengths, [[0.0, 0.0], [0.0, 0.0]])
    assert out.region_labels == ("lB", "rB")
    np.testing.assert_array_equal(out.areas, [2.0, 4.0])
    np.testing.assert_array_equal(out.centres, [[3, 4, 5], [9, 10, 11]])
    assert out.cortical.tolist() == [False, False]
    assert out.hemispheres.tolist() == [False, True]
    assert out.history[0]["arguments"] == {"regions": [0, 2], "mode": "remove"}


def test_lesion_errors() -> None:
    conn = make()
    with pytest.raises(ValidationError, match="needs regions and/or edges"):
        conn.lesion()
    with pytest.raises(ValidationError, match="no region labelled 'X'; labels are lA, lB"):
        conn.lesion("X")
    with pytest.raises(ValidationError, match="index 4 is out of range; indices go from 0 to 3"):
        conn.lesion([4])
    with pytest.raises(ValidationError, match="cut edges with mode='zero'"):
        conn.lesion(edges=[(0, 1)], mode="remove")
    with pytest.raises(ValidationError, match="remove every region"):
        conn.lesion([0, 1, 2, 3], mode="remove")
    with pytest.raises(ValidationError, match="unknown mode 'cut'"):
        conn.lesion([0], mode="cut")
    with pytest.raises(ValidationError, match=r"\(target, source\) pair"):
        conn.lesion(edges=[(0, 1, 2)])
    dup = Connectivity(
        weights=np.ones((2, 2)), tract_lengths=np.ones((2, 2)), region_labels=["a", "a"]
    )
    with pytest.raises(ValidationError, match=r"label 'a' names regions \[0, 1\]; give indices"):
        dup.lesion("a")


def test_normalise_weights() -> None:
    conn = make()
    tract = conn.normalise_weights("tract")
    np.testing.assert_allclose(tract.weights, W / 6.0)  # largest |w| = 6
    region = conn.normalise_weights("region")
    np.testing.assert_allclose(region.weights, W / 8.0)  # row sums 3, 7, 8, 6.5
    assert region.history[0]["arguments"] == {"mode": "region", "factor": 8.0}
    # the reference system's name and behaviour are kept
    np.testing.assert_allclose(conn.scaled("region").weights, W / 8.0)
    with pytest.raises(ValidationError, match="unknown mode 'max'"):
        conn.normalise_weights("max")


def test_threshold_absolute() -> None:
    conn = make()
    out = conn.threshold(2.0)
    expected = np.where(np.abs(W) < 2.0, 0.0, W)
    np.testing.assert_array_equal(out.weights, expected)
    assert out.n_nonzero == 6
    neg = Connectivity(weights=[[0.0, -3.0], [1.0, 0.0]], tract_lengths=np.ones((2, 2)))
    np.testing.assert_array_equal(neg.threshold(2.0).weights, [[0, -3.0], [0, 0]])  # by |w|
    with pytest.raises(ValidationError, match="finite number >= 0"):
        conn.threshold(-1.0)
    with pytest.raises(ValidationError, match="unknown mode 'relative'"):
        conn.threshold(0.5, mode="relative")


def test_threshold_proportional() -> None:
    conn = make()
    # 12 off-diagonal entries; keep round(0.25 * 12) = 3 strongest: 6, 4, 3
    out = conn.threshold(0.25, mode="proportional")
    expected = np.zeros((4, 4))
    expected[3, 0], expected[1, 0], expected[1, 2] = 6.0, 4.0, 3.0
    expected[2, 2] = 5.0  # the diagonal is left as it is
    np.testing.assert_array_equal(out.weights, expected)
    args = out.history[0]["arguments"]
    assert args["n_kept_target"] == 3 and args["cutoff"] == 3.0
    # ties at the cut are kept, so symmetric matrices stay symmetric
    sym = Connectivity(weights=[[0, 1, 2], [1, 0, 2], [2, 2, 0.0]], tract_lengths=np.ones((3, 3)))
    kept = sym.threshold(1 / 6, mode="proportional")  # k = 1, but the 2 is there twice
    assert kept.is_symmetric and kept.n_nonzero == 4
    assert conn.threshold(0.0, mode="proportional").n_nonzero == 1  # only the diagonal 5
    with pytest.raises(ValidationError, match=r"in \[0, 1\]; got 1.5"):
        conn.threshold(1.5, mode="proportional")


def test_symmetrise() -> None:
    conn = make()
    mean = conn.symmetrise("mean")
    np.testing.assert_allclose(mean.weights, (W + W.T) / 2)
    assert mean.is_symmetric
    mx = conn.symmetrised("max")
    np.testing.assert_array_equal(mx.weights, np.maximum(W, W.T))
    assert mx.weights[0, 3] == 6.0 and mx.weights[3, 0] == 6.0
    np.testing.assert_array_equal(conn.symmetrised("min").weights, np.minimum(W, W.T))
    # lengths: mean where both known (20 vs 0 -> 20, the known one)
    assert mean.tract_lengths[0, 2] == 20.0 and mean.tract_lengths[2, 0] == 20.0
    assert mean.tract_lengths[0, 1] == 10.0
    np.testing.assert_array_equal(mean.tract_lengths, mean.tract_lengths.T)
    assert mx.history[0] == {
        "operation": "symmetrise",
        "arguments": {"mode": "max"},
        "parent": conn.gid,
    }
    with pytest.raises(ValidationError, match="unknown mode 'sum'"):
        conn.symmetrise("sum")


def test_subset() -> None:
    conn = make()
    out = conn.subset(["rB", 0])  # order given is kept
    np.testing.assert_array_equal(out.weights, [[0.0, 6.0], [1.0, 0.0]])
    np.testing.assert_array_equal(out.tract_lengths, [[0.0, 40.0], [40.0, 0.0]])
    assert out.region_labels == ("rB", "lA")
    np.testing.assert_array_equal(out.areas, [4.0, 1.0])
    mask = conn.subset(np.array([True, True, False, False]))
    assert mask.region_labels == ("lA", "lB")
    assert out.history[0]["arguments"] == {"regions": [3, 0]}
    with pytest.raises(ValidationError, match="contain repeats"):
        conn.subset([0, 0])
    with pytest.raises(ValidationError, match="at least one region"):
        conn.subset([])
    with pytest.raises(ValidationError, match="mask needs 4 flags"):
        conn.subset(np.array([True, False]))


def test_history_chains_and_is_kept_out_of_equality() -> None:
    conn = make()
    a = conn.lesion([0])
    b = a.threshold(1.0).subset([1, 2, 3])
    assert [h["operation"] for h in b.history] == ["lesion", "threshold", "subset"]
    assert b.history[0]["parent"] == conn.gid and b.history[1]["parent"] == a.gid
    assert conn.normalise_weights("none") == conn  # same network, different provenance
    with pytest.raises(ValidationError, match="JSON-able"):
        conn.replace(history=({"x": object()},))
