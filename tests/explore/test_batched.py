"""The batched kernel: B simulations in one compiled loop give the bits of B single runs.

Every comparison here is ``np.array_equal`` (bit-identical), deterministic and stochastic:
the batched kernel performs each simulation's floating-point operations in the single
kernel's order and draws each simulation's normals from its own generator in the single
kernel's order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pytest

import vbrain as vb
from vbrain.config.traits import ValidationError
from vbrain.explore import BatchedRunner, Grid, PerPointRunner, Sweep
from vbrain.explore.runner import make_runner
from vbrain.simulator import coupling, integrators, monitors, noise
from vbrain.simulator.backends.batched import (
    BatchedSimulation,
    PlannedSimulator,
    batch_key,
    generate_batched_source,
)
from vbrain.simulator.simulator import Simulator


def MONITORS() -> list:  # noqa: N802 - a constant-like factory of fresh monitor objects
    """The monitors of most cases: a mean, every step, and a sub-sample."""
    return [monitors.TemporalAverage(period=0.5), monitors.Raw(), monitors.SubSample(period=1.0)]


def check_batch_equals_singles(
    make: Callable[[type, dict], Simulator], points: list[dict], duration: float
) -> BatchedSimulation:
    """Run ``points`` one by one and batched; every monitor's time and data must be equal."""
    singles = [make(Simulator, p).run(duration) for p in points]
    batch = BatchedSimulation([make(PlannedSimulator, p) for p in points])
    chunks = list(batch.iter_chunks(duration))
    for b, ref in enumerate(singles):
        for k, mon in enumerate(ref):
            t = np.concatenate([c[b][k][0] for c in chunks])
            d = np.concatenate([c[b][k][1] for c in chunks])
            assert d.shape == mon.data.shape
            assert np.all(np.isfinite(d))
            np.testing.assert_array_equal(t, mon.time)
            np.testing.assert_array_equal(d, mon.data, err_msg=f"sim {b}, monitor {k}")
    return batch


def test_scalar_normals_in_numba_equal_vectorised_draws():
    """The premise of pre-drawn noise: numba's ``rng.standard_normal()`` repeated n times is
    numpy's ``standard_normal(n)``, and leaves the generator in the same state."""
    from numba import njit

    @njit
    def draw(rng, n):
        out = np.empty(n)
        for i in range(n):
            out[i] = rng.standard_normal()
        return out

    r1, r2 = np.random.default_rng(42), np.random.default_rng(42)
    a = draw(r1, 5000)
    b = r2.standard_normal((10, 25, 2, 10)).ravel()
    np.testing.assert_array_equal(a, b)
    assert r1.random() == r2.random()


def g2d_maker(conn, integ_factory, mons=MONITORS):
    def make(cls, p):
        return cls(
            conn.with_speed(p.get("speed", conn.speed)),
            model=vb.models.Generic2dOscillator(
                a=p["a"], b=p.get("b", -10.0), d=0.2, variables_of_interest=("V", "W")
            ),
            coupling=coupling.Linear(a=p.get("ca", 0.1)),
            integrator=integ_factory(p),
            monitors=mons(),
            seed=p.get("seed"),
        )

    return make


G2D_POINTS = [
    {"a": 1.0, "speed": 2.0, "seed": 1, "nsig": 0.01, "ca": 0.05},
    {"a": 2.5, "speed": 6.0, "seed": 2, "nsig": 0.001, "ca": 0.1},
    # a per-node parameter, and an infinite speed (no delays) in the same batch
    {"a": -0.5, "b": np.linspace(-11, -9, 6), "speed": np.inf, "seed": 3, "nsig": 0.02},
    {"a": 1.5, "speed": 4.0, "seed": 4, "nsig": 0.0, "ca": 0.0},
]


@pytest.mark.parametrize("scheme", ["euler", "heun", "rk4"])
@pytest.mark.parametrize("stochastic", [False, True])
def test_g2d_per_sim_speeds(conn6, scheme, stochastic):
    cls = {"euler": integrators.Euler, "heun": integrators.Heun, "rk4": integrators.RK4}[scheme]

    def integ(p):
        nz = noise.Additive(nsig=p["nsig"]) if stochastic else None
        return cls(dt=0.1, noise=nz)

    make = g2d_maker(conn6, integ)
    batch = check_batch_equals_singles(make, G2D_POINTS, 120.0)
    assert batch.backend.per_sim_delays


def test_g2d_shared_delays_multiplicative_noise(conn6):
    points = [{**p, "speed": 3.0} for p in G2D_POINTS]

    def integ(p):
        return integrators.Heun(dt=0.1, noise=noise.Multiplicative(nsig=p["nsig"], a=0.5, b=1.0))

    batch = check_batch_equals_singles(g2d_maker(conn6, integ), points, 120.0)
    assert not batch.backend.per_sim_delays  # one offset per edge, contiguous loads


@pytest.mark.parametrize("speeds", [(2.0, 5.0, 3.0), (3.0, 3.0, 3.0)])
def test_heun_recompute_coupling(conn6, speeds):
    """The corrector's coupling (zero-delay sources from the predictor) per simulation."""
    points = [{**p, "speed": s} for p, s in zip(G2D_POINTS, speeds, strict=False)]

    def integ(p):
        return integrators.Heun(
            dt=0.1, recompute_coupling=True, noise=noise.Additive(nsig=p["nsig"])
        )

    check_batch_equals_singles(g2d_maker(conn6, integ), points, 100.0)


def test_coloured_noise(conn6):
    def integ(p):
        return integrators.Heun(dt=0.1, noise=noise.Additive(nsig=p["nsig"], ntau=p["ntau"]))

    points = [{**p, "ntau": t} for p, t in zip(G2D_POINTS, (1.0, 5.0, 2.0, 1.0), strict=True)]
    check_batch_equals_singles(g2d_maker(conn6, integ), points, 100.0)


def test_jansen_rit_sigmoidal_coupling(conn6):
    """Two coupling variables (y1 - y2 through SigmoidalJansenRit), stochastic."""

    def make(cls, p):
        return cls(
            conn6.with_speed(p["speed"]),
            model=vb.models.JansenRit(A=p["A"], variables_of_interest=("y0", "y1", "y2")),
            coupling=coupling.SigmoidalJansenRit(a=p["ca"]),
            integrator=integrators.Heun(dt=0.05, noise=noise.Additive(nsig=1e-4)),
            monitors=MONITORS(),
            seed=p["seed"],
        )

    points = [
        {"A": 3.25, "ca": 1.0, "speed": 3.0, "seed": 10},
        {"A": 3.5, "ca": 0.5, "speed": 8.0, "seed": 11},
        {"A": 3.0, "ca": 2.0, "speed": 3.0, "seed": 12},
    ]
    check_batch_equals_singles(make, points, 60.0)


def test_multi_mode_reduced_set_fhn(conn6):
    """Three coupled modes; mode constants (from sigma) differ per simulation."""

    def make(cls, p):
        return cls(
            conn6.with_speed(p["speed"]),
            model=vb.models.ReducedSetFitzHughNagumo(sigma=p["sigma"]),
            coupling=coupling.Linear(a=p["ca"]),
            integrator=integrators.Heun(dt=0.005),
            # the coupling monitor also checks the per-mode coupling terms themselves
            monitors=[*MONITORS(), monitors.AfferentCoupling()],
            seed=p["seed"],
        )

    points = [
        {"sigma": 0.35, "ca": 0.01, "speed": 3.0, "seed": 1},
        {"sigma": 0.6, "ca": 0.02, "speed": 6.0, "seed": 2},
    ]
    check_batch_equals_singles(make, points, 10.0)


def test_kuramoto_sweep_points(conn6):
    def make(cls, p):
        return cls(
            conn6.with_speed(p["speed"]),
            model=vb.models.Kuramoto(omega=p["omega"]),
            coupling=coupling.Kuramoto(a=p["ca"]),
            integrator=integrators.Euler(dt=0.1, noise=noise.Additive(nsig=1e-3)),
            monitors=MONITORS(),
            seed=p["seed"],
        )

    points = [
        {"omega": 1.0, "ca": k, "speed": s, "seed": i}
        for i, (k, s) in enumerate([(0.0, 3.0), (0.5, 3.0), (2.0, 10.0), (5.0, 3.0)])
    ]
    check_batch_equals_singles(make, points, 150.0)


def test_bold_and_coupling_monitors(conn6):
    """Stages (BOLD) run per simulation on its own kernel output; coupling monitors too."""

    def integ(p):
        return integrators.Heun(dt=0.5, noise=noise.Additive(nsig=p["nsig"]))

    def mons():
        return [
            monitors.Bold(period=100.0),
            monitors.AfferentCoupling(),
            monitors.GlobalAverage(period=1.0),
        ]

    check_batch_equals_singles(g2d_maker(conn6, integ, mons), G2D_POINTS, 600.0)


def test_batched_source_and_key(conn6):
    def integ(p):
        return integrators.Heun(dt=0.1)

    make = g2d_maker(conn6, integ)
    a = make(PlannedSimulator, G2D_POINTS[0])
    b = make(PlannedSimulator, G2D_POINTS[1])
    # values (parameters, speed) do not change the structure
    assert batch_key(a) == batch_key(b)
    other = g2d_maker(conn6, lambda p: integrators.Euler(dt=0.1))(PlannedSimulator, {"a": 1.0})
    assert batch_key(other) != batch_key(a)
    shared, _ = generate_batched_source(a.plan, per_sim_delays=False)
    per_sim, _ = generate_batched_source(a.plan, per_sim_delays=True)
    assert "eoff[er, b]" in per_sim and "eoff[er, b]" not in shared


# --------------------------------------------------------------------------------------------
# through vbrain.explore

REDUCTIONS = [
    {"type": "global_variance", "start_point": 50.0},
    {"type": "fc", "start_point": 50.0},
    {"type": "kuramoto", "start_point": 50.0},
    "time_average",
]


def _values(res):
    return {m: res.values(m) for m in res.metrics}


@pytest.mark.parametrize("stochastic", [False, True])
def test_batched_sweep_equals_per_point_sweep(conn4, g2d, stochastic):
    if stochastic:
        g2d["integrator"]["noise"] = {"type": "Additive", "nsig": 0.01}
    space = Grid(
        {
            "model.a": [-0.5, 1.0, 2.5],
            "connectivity.speed": [2.0, 6.0],
            "connectivity.weights_scale": [0.5, 1.5],
        }
    )
    kw = dict(duration=200.0, seed=5, connectivity=conn4, chunk_size=5)
    batched = Sweep(g2d, space, REDUCTIONS, runner="batched", **kw).run()
    per_point = Sweep(g2d, space, REDUCTIONS, runner="per_point", **kw).run()
    small = Sweep(g2d, space, REDUCTIONS, runner=BatchedRunner(max_batch=2), **kw).run()
    ref = _values(per_point)
    for res in (batched, small):
        got = _values(res)
        assert got.keys() == ref.keys()
        for m in ref:
            np.testing.assert_array_equal(got[m], ref[m], err_msg=m)


def test_unsupported_points_fall_back_with_a_reason(conn4, g2d, caplog):
    g2d["backend"] = "numpy"
    sw = Sweep(g2d, Grid({"model.a": [1.0, 2.0]}), ["time_average"], connectivity=conn4)
    with caplog.at_level(logging.DEBUG, logger="vbrain.explore.runner"):
        got = sw.run().values("time_average")
    assert "runs alone" in caplog.text and "numpy" in caplog.text
    ref = Sweep(
        g2d,
        Grid({"model.a": [1.0, 2.0]}),
        ["time_average"],
        connectivity=conn4,
        runner=PerPointRunner(),
    ).run()
    np.testing.assert_array_equal(got, ref.values("time_average"))


def test_runner_names():
    assert isinstance(make_runner(None), BatchedRunner)
    assert isinstance(make_runner("batched"), BatchedRunner)
    assert isinstance(make_runner("per_point"), PerPointRunner)
    with pytest.raises(ValidationError, match="unknown"):
        make_runner("fast")
    with pytest.raises(ValidationError, match="max_batch"):
        BatchedRunner(max_batch=0)
