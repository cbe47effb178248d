"""Known science: a Hopf bifurcation in a G2D sweep; Kuramoto synchronisation with coupling."""

from __future__ import annotations

import numpy as np

from vbrain.explore import Grid, Sweep


def test_g2d_variance_changes_across_hopf(conn4, g2d):
    # uncoupled G2D (b=-10, e=3, f=1): the fixed point loses stability where
    # 3V^2 - 6V + 1 = 0, i.e. at a = V^3 - 3V^2 + 10V ~ 1.74
    res = Sweep(
        g2d,
        Grid(
            {
                "model.a": [0.0, 1.0, 1.6, 2.0, 3.0],
                "coupling.a": [0.0, 0.15],
                "connectivity.speed": [3.0, 10.0],
            }
        ),
        [{"type": "global_variance", "start_point": 600.0}],
        duration=1000.0,
        connectivity=conn4,
    ).run()
    gv = res["global_variance"]
    below = gv.sel({"model.a": [0.0, 1.0]}).values
    above = gv.sel({"model.a": [2.0, 3.0]}).values
    assert below.max() < 1e-8  # damped to the fixed point
    assert above.min() > 0.05  # limit cycle
    # amplitude grows past the bifurcation, and coupling moves the transition
    assert np.all(gv.sel({"model.a": 3.0}) > gv.sel({"model.a": 2.0}))
    near = gv.sel({"model.a": 1.6})
    assert np.all(near.sel({"coupling.a": 0.15}) > 100 * near.sel({"coupling.a": 0.0}))


def test_kuramoto_order_rises_with_coupling(conn8_nodelay):
    n = 8
    conn = conn8_nodelay
    omega = 1.0 + 0.1 * np.random.default_rng(0).standard_normal(n)
    cfg = {
        "model": {
            "type": "Kuramoto",
            "omega": omega.tolist(),
            "variables_of_interest": ["cos(theta)", "sin(theta)"],
        },
        "coupling": {"type": "Kuramoto", "a": 0.0},
        "integrator": {"type": "Heun", "dt": 0.1},
        "monitors": [{"type": "TemporalAverage", "period": 1.0}],
    }
    res = Sweep(
        cfg,
        Grid({"coupling.a": [0.0, 0.1, 0.2, 0.5, 1.0]}),
        [{"type": "kuramoto", "start_point": 300.0}],
        duration=600.0,
        connectivity=conn,
    ).run()
    r = res["kuramoto_mean"].values
    assert r[0] < 0.5
    assert r[-1] > 0.9
    assert np.all(np.diff(r) > -0.05) and r[-1] - r[0] > 0.5
