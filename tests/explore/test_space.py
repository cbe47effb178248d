"""Parameter spaces: construction, validation against a configuration, bad input, LHS."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from vbrain.config.traits import ValidationError
from vbrain.explore import Explicit, Grid, LatinHypercube, Random, Sweep, SweepWarning
from vbrain.explore.space import resolve_target, space_from_dict
from vbrain.simulator.config import load_config


def test_grid_order_shape_and_linspace():
    g = Grid({"model.a": [0.0, 1.0], "coupling.a": {"linspace": [0.0, 0.1, 3]}})
    assert len(g) == 6 and g.shape == (2, 3)
    assert g.point(0) == {"model.a": 0.0, "coupling.a": 0.0}
    assert g.point(5) == {"model.a": 1.0, "coupling.a": pytest.approx(0.1)}
    assert space_from_dict(g.to_dict()).to_dict() == g.to_dict()


def test_random_and_lhs_reproducible_within_bounds():
    bounds = {"model.a": [-1.0, 2.0], "coupling.a": [0.0, 0.1]}
    for cls in (Random, LatinHypercube):
        s1, s2 = cls(bounds, 20, seed=3), cls(bounds, 20, seed=3)
        np.testing.assert_array_equal(s1.samples, s2.samples)
        assert not np.array_equal(s1.samples, cls(bounds, 20, seed=4).samples)
        assert np.all(s1.samples >= [-1.0, 0.0]) and np.all(s1.samples <= [2.0, 0.1])
        assert space_from_dict(s1.to_dict()).to_dict() == s1.to_dict()


def test_lhs_stratification():
    n = 25
    s = LatinHypercube({"a": [0.0, 5.0], "b": [-1.0, 1.0], "c": [10.0, 20.0]}, n, seed=1)
    unit = (s.samples - s.low) / (s.high - s.low)
    for k in range(3):
        strata = np.floor(unit[:, k] * n).astype(int)
        # exactly one point in each of the n equal strata of every parameter
        assert sorted(strata) == list(range(n))


def test_explicit_points():
    e = Explicit([{"model.a": 0.0, "coupling.a": 0.1}, {"model.a": 1.0, "coupling.a": 0.0}])
    assert len(e) == 2 and e.point(1) == {"model.a": 1.0, "coupling.a": 0.0}
    with pytest.raises(ValidationError, match="same ones as point 0"):
        Explicit([{"model.a": 0.0}, {"coupling.a": 0.1}])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Grid({}), "at least one parameter"),
        (lambda: Grid({"model.a": []}), "no values"),
        (lambda: Grid([1, 2]), "mapping"),
        (lambda: Grid({"model.a": {"linspace": [0, 1]}}), r"\[start, stop, num\]"),
        (lambda: Random({"model.a": [1.0, 0.0]}, 5), "low < high"),
        (lambda: Random({"model.a": [0.0, 1.0]}, 0), "number of points"),
        (lambda: LatinHypercube({"model.a": "x"}, 5), r"\[low, high\]"),
        (lambda: Explicit([]), "non-empty list"),
        (lambda: space_from_dict({"cube": {}}), "unknown space"),
        (lambda: space_from_dict({"lhs": {"n": 3}}), "bounds"),
    ],
)
def test_bad_space_input(make, match):
    with pytest.raises(ValidationError, match=match):
        make()


def test_resolve_names_and_limits(conn4):
    cfg = load_config({"integrator": {"type": "Heun", "noise": {"nsig": 0.01}}})
    t = resolve_target("model.d", cfg, 4)
    assert t.valid == (0.0, None) and t.per_node
    assert resolve_target("speed", cfg, 4).name == "connectivity.speed"
    assert resolve_target("integrator.noise.nsig", cfg, 4).path == ("integrator", "noise", "nsig")
    assert resolve_target("model.a[2]", cfg, 4).nodes == (2,)
    assert resolve_target("monitors.0.period", cfg, 4).path == ("monitors", "0", "period")
    bad = {
        "model.nope": "no parameter 'nope'",
        "modle.a": "no section 'modle'",
        "model.a[9]": "out of range",
        "connectivity.weights": "connectivity.speed",
        "model.variables_of_interest": "not a numeric parameter",
        "a b": "not understood",
        "monitors.3.period": "list of 1",
    }
    for name, match in bad.items():
        with pytest.raises(ValidationError, match=match):
            resolve_target(name, cfg, 4)
    with pytest.raises(ValidationError, match="not set in the configuration"):
        resolve_target("integrator.noise.nsig", load_config({}), 4)


def test_sweep_validation_before_running(conn4, g2d):
    # hard limit (d must be > 0): an error naming the parameter, value and limit
    with pytest.raises(
        ValidationError, match=r"model.d = -1 is outside its valid range \[0, inf\]"
    ):
        Sweep(g2d, Grid({"model.d": [0.1, -1.0]}), connectivity=conn4)
    with pytest.raises(ValidationError, match="valid range"):
        Sweep(g2d, Grid({"connectivity.speed": [0.0]}), connectivity=conn4)
    with pytest.raises(ValidationError, match="4 nodes"):
        Sweep(g2d, Grid({"model.a": [np.zeros(3)]}), connectivity=conn4)
    with pytest.raises(ValidationError, match="appears twice"):
        Sweep(g2d, Grid({"speed": [3.0], "connectivity.speed": [4.0]}), connectivity=conn4)
    with pytest.raises(ValidationError, match="both swept"):
        Sweep(g2d, Grid({"model.a": [0.0], "model.a[1]": [1.0]}), connectivity=conn4)
    with pytest.raises(ValidationError, match="monitor"):
        Sweep(g2d, Grid({"model.a": [0.0]}), [{"type": "fc", "monitor": 2}], connectivity=conn4)
    with pytest.raises(ValidationError, match="unknown reduction"):
        Sweep(g2d, Grid({"model.a": [0.0]}), ["variance"], connectivity=conn4)
    with pytest.raises(ValidationError, match="label"):
        Sweep(g2d, Grid({"model.a": [0.0]}), ["fc", "fc"], connectivity=conn4)
    # outside the typical range: allowed, with a warning
    with pytest.warns(SweepWarning, match="typical range"):
        Sweep(g2d, Grid({"model.a": [0.0, 7.0]}), connectivity=conn4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Sweep(g2d, Grid({"model.a": [0.0, 2.0]}), connectivity=conn4)


def test_per_node_values_apply(conn4, g2d):
    sw = Sweep(
        g2d,
        Grid({"model.a[1,3]": [0.5, 1.5], "model.I": [np.arange(4.0), np.ones(4)]}),
        connectivity=conn4,
    )
    sim = sw.build_point(3)  # a[1,3] = 1.5, I = ones
    model = sim.model
    np.testing.assert_array_equal(model.a, [-2.0, 1.5, -2.0, 1.5])
    np.testing.assert_array_equal(model.I, np.ones(4))
    params = sw.parameter_arrays()
    assert params["model.a[1,3]"].shape == (4,) and params["model.I"].shape == (4, 4)
