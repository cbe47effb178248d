"""RegionMapping: validation, vertex counts, unmapped regions, per-region sums."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import RegionMapping, get_datatype


def test_example_and_summary():
    rm = RegionMapping.example()
    assert rm.n_vertices == 10
    assert rm.region_vertex_counts().tolist() == [3, 4, 3, 0]
    assert rm.unmapped_regions().tolist() == [3]
    assert rm.summary()["n_unmapped"] == 1
    assert RegionMapping(**rm.to_dict()) == rm
    assert get_datatype("RegionMapping") is RegionMapping


def test_counts_and_unmapped_for_a_bigger_connectivity():
    rm = RegionMapping(array=[0, 0, 2, 2, 2])
    assert rm.region_vertex_counts().tolist() == [2, 0, 3]  # default n_region = max + 1
    assert rm.unmapped_regions(6).tolist() == [1, 3, 4, 5]
    with pytest.raises(ValidationError, match="region 2 but the connectivity has 2 regions"):
        rm.unmapped_regions(2)


def test_sum_per_region_equals_loop():
    rng = np.random.default_rng(1)
    mapping = rng.integers(0, 5, size=40)
    mapping[mapping == 3] = 4  # region 3 unmapped
    rm = RegionMapping(array=mapping)
    values = rng.normal(size=(7, 40))
    out = rm.sum_per_region(values, 6)
    assert out.shape == (7, 6)
    for r in range(6):
        np.testing.assert_allclose(out[:, r], values[:, mapping == r].sum(axis=1), atol=1e-14)
    with pytest.raises(ValidationError, match="39 columns but the region mapping has 40"):
        rm.sum_per_region(values[:, 1:])


def test_float_indices_must_be_integral():
    assert RegionMapping(array=np.array([0.0, 1.0, 2.0])).array.dtype.kind == "i"
    with pytest.raises(ValidationError, match="entry 1 is 1.5"):
        RegionMapping(array=[0.0, 1.5])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"array": []}, "empty"),
        ({"array": [0, -1]}, "negative"),
        ({"array": [[0, 1]]}, "1-D array"),
        ({"array": [0, 4], "n_region": 3}, "vertex 1 to region 4 but n_region is 3"),
        ({"array": [0], "n_region": 0}, "n_region"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        RegionMapping(**kwargs)
