"""Simulator semantics: delays, time stamps, monitors, continuation, streaming, parameters,
labels and import layering.

Conventions under test (see ``vbrain/simulator/simulator.py``): step 0 is the initial state at
``t = 0``; step ``n`` is ``t = n * dt``; the coupling used to compute step ``n`` reads the
sources at step ``n - 1 - d_ij``; Raw sample ``k`` is step ``k + 1``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import vbrain as vb
from vbrain.config.traits import Attr
from vbrain.simulator.models import Model, StateVariable

BACKENDS = ["numpy", "numba"]
DT = 0.1


def small_connectivity(n: int = 6, seed: int = 0) -> vb.Connectivity:
    """A random sparse network with short delays (0..5 steps at dt = 0.1, speed 1)."""
    rng = np.random.default_rng(seed)
    w = rng.random((n, n))
    w[rng.random((n, n)) < 0.3] = 0.0
    lengths = rng.random((n, n)) * 0.5
    labels = [f"node{i}" for i in range(n)]
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=1.0, region_labels=labels)


def g2d_history(conn: vb.Connectivity, seed: int = 1, extra: int = 0) -> np.ndarray:
    """A random G2D history ``(horizon + extra, 2, n, 1)``."""
    horizon = int(conn.idelays(DT)[conn.weights != 0].max()) + 1
    return vb.models.Generic2dOscillator().initial(
        np.random.default_rng(seed), (horizon + extra, 2, conn.n_region, 1)
    )


def make_sim(conn, backend, *, monitors=None, noise=None, **kw) -> vb.Simulator:
    kw.setdefault("coupling", vb.coupling.Linear(a=0.1, b=0.05))
    return vb.Simulator(
        conn,
        integrator=vb.integrators.Heun(dt=DT, noise=noise),
        monitors=monitors or [vb.monitors.Raw(), vb.monitors.TemporalAverage(period=0.7)],
        backend=backend,
        **kw,
    )


def assert_results_equal(a: vb.SimulationResult, b: vb.SimulationResult) -> None:
    assert len(a) == len(b)
    for ra, rb in zip(a, b, strict=True):
        np.testing.assert_array_equal(ra.time, rb.time)
        np.testing.assert_array_equal(ra.data, rb.data)


def concat(*results: vb.SimulationResult) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for k in range(len(results[0])):
        out.append(
            (
                np.concatenate([r[k].time for r in results]),
                np.concatenate([r[k].data for r in results]),
            )
        )
    return out


# -- 2. golden delay propagation (history_test.py of the reference system) ------------------


class Sum(Model):
    """x(n+1) = x(n) + c(n): with the Identity integrator a pure delayed-sum map."""

    state_variables = {"x": StateVariable(range=(0.0, 100.0))}
    coupling_variables = ("x",)
    variables_of_interest: tuple[str, ...] = Attr(("x",), doc="recorded")

    @staticmethod
    def dfun(x, c_0):
        return (x + c_0,)


# tvb/tests/library/simulator/history_test.py (TestsExactPropagation.test_propagation)
GOLDEN = np.array(
    [
        [2.0, 2.0, 2.0, 1.0],
        [3.0, 3.0, 3.0, 1.0],
        [5.0, 4.0, 4.0, 1.0],
        [8.0, 5.0, 5.0, 1.0],
        [12.0, 6.0, 6.0, 1.0],
        [17.0, 7.0, 7.0, 1.0],
        [23.0, 8.0, 8.0, 1.0],
        [30.0, 10.0, 9.0, 1.0],
        [38.0, 13.0, 10.0, 1.0],
        [48.0, 17.0, 11.0, 1.0],
    ]
)


def chain(n: int = 4) -> vb.Connectivity:
    """Node i receives node i+1 (weights[target, source]); tract lengths 0..n*n-1, speed 1."""
    w = np.zeros((n, n))
    for i in range(n - 1):
        w[i, i + 1] = 1.0
    lengths = np.arange(n * n, dtype=float).reshape(n, n)
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=1.0)


def hand_chain(w: np.ndarray, d: np.ndarray, n_steps: int, x0: float = 1.0) -> np.ndarray:
    """Pure-python x_i(s) = x_i(s-1) + sum_j w_ij x_j(s-1-d_ij), x = x0 for s <= 0."""
    n = w.shape[0]
    past = int(d.max()) + 1
    xs = [[x0] * n for _ in range(past)]  # xs[past - 1] is step 0
    for s in range(1, n_steps + 1):
        prev = xs[past - 1 + s - 1]
        new = []
        for i in range(n):
            total = 0.0
            for j in range(n):
                if w[i][j] != 0.0:
                    total += w[i][j] * xs[past - 1 + s - 1 - int(d[i][j])][j]
            new.append(prev[i] + total)
        xs.append(new)
    return np.array(xs[past:])


def sum_sim(backend: str, **kw) -> vb.Simulator:
    return vb.Simulator(
        chain(),
        model=Sum(),
        coupling=vb.coupling.Linear(a=1.0, b=0.0),
        integrator=vb.integrators.Identity(dt=1.0),
        monitors=[vb.monitors.Raw()],
        backend=backend,
        **kw,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_golden_delay_propagation(backend):
    sim = sum_sim(backend, initial_history=np.ones((16, 1, 4, 1)))
    assert sim.plan.horizon == 12  # longest delay among non-zero weights: 11 steps
    res = sim.run(10.0)
    assert res[0].data.shape == (10, 1, 4, 1)
    np.testing.assert_array_equal(res[0].time, np.arange(1.0, 11.0))
    np.testing.assert_array_equal(res[0].data[:, 0, :, 0], GOLDEN)


def test_golden_table_matches_hand_computation():
    conn = chain()
    expected = hand_chain(conn.weights, conn.idelays(1.0), 10)
    np.testing.assert_array_equal(expected, GOLDEN)


@pytest.mark.parametrize("backend", BACKENDS)
def test_delay_propagation_long_run_matches_hand_computation(backend):
    # 600 steps wrap the history several times (the compiled kernel moves its linear buffer
    # every ~256 steps); chunks of 97 steps cross those moves at odd places.  All values are
    # integers < 2**53, so the comparison is exact.
    conn = chain()
    expected = hand_chain(conn.weights, conn.idelays(1.0), 600)
    res = sum_sim(backend, initial_history=np.ones((1, 4)), chunk_steps=97).run(n_steps=600)
    np.testing.assert_array_equal(res[0].data[:, 0, :, 0], expected)


# -- 3. time stamps and monitors -----------------------------------------------------------

MASK = np.array([0, 0, 1, 2, 2, 1])


def monitor_zoo():
    return [
        vb.monitors.Raw(),
        vb.monitors.SubSample(period=0.5),
        vb.monitors.TemporalAverage(period=0.5),
        vb.monitors.GlobalAverage(period=0.5),
        vb.monitors.SpatialAverage(period=0.5, spatial_mask=MASK),
        vb.monitors.AfferentCoupling(),
    ]


@pytest.fixture(scope="module")
def zoo_runs():
    conn = small_connectivity()
    hist = g2d_history(conn)
    out = {}
    for backend in BACKENDS:
        sim = make_sim(conn, backend, monitors=monitor_zoo(), initial_history=hist)
        out[backend] = sim.run(10.0)
    return conn, hist, out


@pytest.mark.parametrize("backend", BACKENDS)
def test_monitor_time_stamps(zoo_runs, backend):
    _, _, runs = zoo_runs
    raw, sub, tavg, glob, spat, aff = runs[backend]
    n = np.arange(1, 101)
    np.testing.assert_allclose(raw.time, n * DT, rtol=1e-12)
    k = np.arange(1, 21)
    np.testing.assert_allclose(sub.time, k * 0.5, rtol=1e-12)
    np.testing.assert_allclose(tavg.time, (k * 5 - 2.5) * DT, rtol=1e-12)
    np.testing.assert_allclose(glob.time, k * 0.5, rtol=1e-12)
    np.testing.assert_allclose(spat.time, k * 0.5, rtol=1e-12)
    np.testing.assert_allclose(aff.time, n * DT, rtol=1e-12)
    assert [r.period for r in runs[backend]] == pytest.approx([DT, 0.5, 0.5, 0.5, 0.5, DT])


@pytest.mark.parametrize("backend", BACKENDS)
def test_monitor_values(zoo_runs, backend):
    _, _, runs = zoo_runs
    raw, sub, tavg, glob, spat, _ = runs[backend]
    x = raw.data  # (100, 1, 6, 1); index n-1 is step n
    np.testing.assert_array_equal(sub.data, x[4::5])
    np.testing.assert_allclose(tavg.data, x.reshape(20, 5, 1, 6, 1).mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(glob.data, sub.data.mean(axis=2, keepdims=True), rtol=1e-12)
    groups = np.stack([sub.data[:, :, MASK == g].mean(axis=2) for g in range(3)], axis=2)
    np.testing.assert_allclose(spat.data, groups, rtol=1e-12)
    assert glob.data.shape == (20, 1, 1, 1) and spat.data.shape == (20, 1, 3, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_afferent_coupling_is_the_coupling_of_its_step(zoo_runs, backend):
    conn, hist, runs = zoo_runs
    raw, aff = runs[backend][0], runs[backend][5]
    h = hist.shape[0]
    # V at steps -(h-1)..100: index s + h - 1 is step s
    v = np.concatenate([hist[:, 0, :, 0], raw.data[:, 0, :, 0]])
    w, d = conn.weights, conn.idelays(DT)
    assert d[w != 0].min() == 0 and d.max() >= 4  # zero and non-zero delays both occur
    expected = np.empty((100, conn.n_region))
    for s in range(1, 101):
        for i in range(conn.n_region):
            src = np.nonzero(w[i])[0]
            delayed = v[s - 1 - d[i, src] + h - 1, src]
            expected[s - 1, i] = 0.1 * np.sum(w[i, src] * delayed) + 0.05
    np.testing.assert_allclose(aff.data[:, 0, :, 0], expected, rtol=1e-12, atol=1e-14)
    assert aff.variables == ["c_0"]


def test_monitors_numpy_equals_numba(zoo_runs):
    _, _, runs = zoo_runs
    assert_results_equal(runs["numpy"], runs["numba"])


# -- 4. continuation, chunking, streaming, seeds, initial history --------------------------

NOISE = vb.noise.Additive(nsig=0.01)


@pytest.fixture(scope="module")
def conn6():
    return small_connectivity()


@pytest.mark.parametrize("noise", [None, NOISE], ids=["deterministic", "stochastic"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_continuation_equals_one_run(conn6, backend, noise):
    # TemporalAverage(0.7 ms) = 7 steps: the window of steps 50..56 spans the two calls
    one = make_sim(conn6, backend, noise=noise, seed=3).run(n_steps=100)
    sim = make_sim(conn6, backend, noise=noise, seed=3)
    first = sim.run(n_steps=50)
    assert sim.step == 50 and sim.time == pytest.approx(5.0)
    second = sim.run(n_steps=50)
    assert sim.step == 100
    for (t, d), r in zip(concat(first, second), one, strict=True):
        np.testing.assert_array_equal(t, r.time)
        np.testing.assert_array_equal(d, r.data)
    assert first[1].time.size == 7 and second[1].time.size == 7
    assert second[1].time[0] == pytest.approx((56 - 3.5) * DT)


@pytest.mark.parametrize(
    ("chunk_steps", "stochastic"),
    # 7-step chunks cut the 5-step windows of the monitor zoo; 3-step chunks the 7-step ones
    [(7, False), (3, True)],
    ids=["chunk7-zoo", "chunk3-stochastic"],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_chunking_does_not_change_numbers(conn6, backend, chunk_steps, stochastic):
    kw = {"noise": NOISE} if stochastic else {"monitors": monitor_zoo()}
    one = make_sim(conn6, backend, seed=4, **kw).run(n_steps=100)
    chunked = make_sim(conn6, backend, seed=4, chunk_steps=chunk_steps, **kw)
    assert_results_equal(chunked.run(n_steps=100), one)


@pytest.mark.parametrize("backend", BACKENDS)
def test_iter_chunks_yields_per_chunk(conn6, backend):
    sim = make_sim(conn6, backend, seed=2, chunk_steps=30)
    chunks = list(sim.iter_chunks(n_steps=100))
    assert [c[0][0].size for c in chunks] == [30, 30, 30, 10]
    # TemporalAverage windows end at steps 7, 14, ..., 98: 4, 4, 4, 2 of them per chunk
    assert [c[1][0].size for c in chunks] == [4, 4, 4, 2]
    whole = make_sim(conn6, backend, seed=2).run(n_steps=100)
    for k in range(2):
        np.testing.assert_array_equal(np.concatenate([c[k][1] for c in chunks]), whole[k].data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_to_hdf5_streams_and_appends(conn6, backend, tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "run.h5"
    sim = make_sim(conn6, backend, noise=NOISE, seed=5, chunk_steps=7)
    names = sim.run_to_hdf5(path, 5.0)
    assert names == ["0_Raw", "1_TemporalAverage"]
    ref = make_sim(conn6, backend, noise=NOISE, seed=5)
    first = ref.run(5.0)
    with h5py.File(path, "r") as f:
        for name, r in zip(names, first, strict=True):
            assert f[name]["data"].maxshape[0] is None and f[name]["time"].maxshape == (None,)
            np.testing.assert_array_equal(f[name]["time"][()], r.time)
            np.testing.assert_array_equal(f[name]["data"][()], r.data)
    assert sim.run_to_hdf5(path, 5.0) == names  # appends, continuing the run
    second = ref.run(5.0)
    with h5py.File(path, "r") as f:
        for name, (t, d) in zip(names, concat(first, second), strict=True):
            np.testing.assert_array_equal(f[name]["time"][()], t)
            np.testing.assert_array_equal(f[name]["data"][()], d)
    back = vb.SimulationResult.from_hdf5(path)
    assert back[0].variables == ["V"] and back[0].space == list(conn6.region_labels)
    assert back[1].period == pytest.approx(0.7)


@pytest.mark.parametrize("backend", BACKENDS)
def test_seeds(conn6, backend):
    a = make_sim(conn6, backend, noise=NOISE, seed=11).run(n_steps=60)
    b = make_sim(conn6, backend, noise=NOISE, seed=11).run(n_steps=60)
    assert_results_equal(a, b)
    c = make_sim(conn6, backend, noise=NOISE, seed=12).run(n_steps=60)
    assert not np.array_equal(a[0].data, c[0].data)
    # the same explicit history with different seeds: only the noise differs
    hist = g2d_history(conn6)
    d = make_sim(conn6, backend, noise=NOISE, seed=11, initial_history=hist).run(n_steps=60)
    e = make_sim(conn6, backend, noise=NOISE, seed=12, initial_history=hist).run(n_steps=60)
    assert not np.array_equal(d[0].data, e[0].data)


@pytest.mark.parametrize("ntau", [0.0, 1.0], ids=["white", "coloured"])
def test_stochastic_numpy_equals_numba_bitwise(conn6, ntau):
    noise = vb.noise.Additive(nsig=np.array([0.01, 0.02]), ntau=ntau)
    runs = [make_sim(conn6, b, noise=noise, seed=21).run(n_steps=80) for b in BACKENDS]
    assert_results_equal(runs[0], runs[1])


@pytest.mark.parametrize(
    "model",
    [vb.models.Generic2dOscillator(), vb.models.ReducedWongWang()],
    ids=lambda m: type(m).__name__,
)
def test_random_initial_history_within_state_ranges(conn6, model):
    sim = vb.Simulator(conn6, model=model, monitors=[vb.monitors.Raw()], seed=7, backend="numpy")
    ranges = model.state_ranges()
    state = sim.current_state
    assert state.shape == (model.n_var(), conn6.n_region, 1)
    assert np.all(state >= ranges[:, 0, None, None]) and np.all(state <= ranges[:, 1, None, None])


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_initial_history_is_model_initial_from_the_seed(conn6, backend):
    # None -> model.initial(default_rng(seed), (horizon, n_var, n_node, n_mode)): random at
    # every time point (like the reference), within the state ranges
    model = vb.models.Generic2dOscillator()
    sim = make_sim(conn6, backend, seed=8)
    h = sim.plan.horizon
    hist = model.initial(np.random.default_rng(8), (h, 2, conn6.n_region, 1))
    ranges = model.state_ranges()
    assert np.all(hist >= ranges[None, :, 0, None, None])
    assert np.all(hist <= ranges[None, :, 1, None, None])
    assert np.ptp(hist[:, 0], axis=0).min() > 0  # not constant over time
    np.testing.assert_array_equal(sim.current_state, hist[-1])
    explicit = make_sim(conn6, backend, initial_history=hist).run(n_steps=60)
    assert_results_equal(sim.run(n_steps=60), explicit)


@pytest.mark.parametrize("backend", BACKENDS)
def test_single_state_initial_history_is_held_constant(conn6, backend):
    state = g2d_history(conn6)[-1]  # (2, n, 1)
    h = make_sim(conn6, backend).plan.horizon
    full = make_sim(conn6, backend, initial_history=np.repeat(state[None], h, axis=0))
    expected = full.run(n_steps=60)
    for given in (state, state[..., 0]):  # (n_var, n_node, n_mode) and (n_var, n_node)
        sim = make_sim(conn6, backend, initial_history=given)
        np.testing.assert_array_equal(sim.current_state, state)
        assert_results_equal(sim.run(n_steps=60), expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_long_initial_history_uses_its_last_horizon_points(conn6, backend):
    h = make_sim(conn6, backend).plan.horizon
    good = g2d_history(conn6, seed=1)
    junk = g2d_history(conn6, seed=2, extra=10)[:10]
    long = np.concatenate([junk, good])
    assert long.shape[0] == h + 10
    expected = make_sim(conn6, backend, initial_history=good).run(n_steps=40)
    assert_results_equal(make_sim(conn6, backend, initial_history=long).run(n_steps=40), expected)
    # using the oldest points instead would have changed the result
    oldest = make_sim(conn6, backend, initial_history=long[:h]).run(n_steps=40)
    assert not np.array_equal(oldest[0].data, expected[0].data)
    # a 3-D history (n_time, n_var, n_node) is read with one mode
    assert_results_equal(
        make_sim(conn6, backend, initial_history=long[..., 0]).run(n_steps=40), expected
    )


# -- 5. per-node (spatially varying) parameters --------------------------------------------


@pytest.fixture(scope="module")
def per_node_runs(conn6):
    n = conn6.n_region
    hist = g2d_history(conn6)
    a_var = np.full(n, -2.0)
    a_var[2] = -1.5
    cases = {
        "scalar": vb.models.Generic2dOscillator(a=-2.0),
        "per_node_equal": vb.models.Generic2dOscillator(a=np.full(n, -2.0)),
        "per_node_varied": vb.models.Generic2dOscillator(a=a_var),
    }
    out = {}
    for backend in BACKENDS:
        for key, model in cases.items():
            for coupled in (True, False):
                cpl = vb.coupling.Linear(a=0.1 if coupled else 0.0)
                sim = make_sim(conn6, backend, model=model, coupling=cpl, initial_history=hist)
                out[backend, key, coupled] = sim.run(n_steps=100)[0].data
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_node_parameters(per_node_runs, backend):
    r = {(k, c): v for (b, k, c), v in per_node_runs.items() if b == backend}
    for coupled in (True, False):
        np.testing.assert_array_equal(r["per_node_equal", coupled], r["scalar", coupled])
    # uncoupled: only node 2 changes
    diff = np.abs(r["per_node_varied", False] - r["scalar", False]).max(axis=(0, 1, 3))
    assert diff[2] > 1e-6 and np.all(np.delete(diff, 2) == 0.0)
    # coupled: the change spreads to the nodes node 2 projects to
    diff = np.abs(r["per_node_varied", True] - r["scalar", True]).max(axis=(0, 1, 3))
    assert np.count_nonzero(diff) > 1


def test_per_node_parameters_numpy_equals_numba(per_node_runs):
    for (backend, key, coupled), data in per_node_runs.items():
        if backend == "numpy":
            np.testing.assert_array_equal(data, per_node_runs["numba", key, coupled])


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_node_coupling_parameter(conn6, backend):
    n = conn6.n_region
    hist = g2d_history(conn6)
    scalar = make_sim(conn6, backend, coupling=vb.coupling.Linear(a=0.1), initial_history=hist)
    per_node = make_sim(
        conn6, backend, coupling=vb.coupling.Linear(a=np.full(n, 0.1)), initial_history=hist
    )
    assert_results_equal(per_node.run(n_steps=50), scalar.run(n_steps=50))


# -- 6. labels ---------------------------------------------------------------------------------


def test_labels_and_xarray(conn6):
    pytest.importorskip("xarray")
    model = vb.models.Generic2dOscillator(variables_of_interest=("V", "W", "V + W"))
    sim = make_sim(
        conn6,
        "numpy",
        model=model,
        monitors=[
            vb.monitors.Raw(),
            vb.monitors.TemporalAverage(period=0.5, variables_of_interest=(2,)),
            vb.monitors.GlobalAverage(period=0.5),
            vb.monitors.SpatialAverage(period=0.5, spatial_mask=MASK),
        ],
        seed=1,
    )
    res = sim.run(2.0)
    raw = res[0]
    assert res["Raw"] is raw and res["TemporalAverage"] is res[1]
    with pytest.raises(KeyError, match="Raw"):
        res["SubSample"]
    assert raw.name == "Raw"
    assert raw.variables == ["V", "W", "V + W"]
    assert raw.space == list(conn6.region_labels) == [f"node{i}" for i in range(6)]
    assert raw.modes == [0]
    assert raw.shape == (20, 3, 6, 1)
    t, y = raw  # unpacks like the reference's (time, data) pairs
    assert t is raw.time and y is raw.data
    np.testing.assert_allclose(raw.data[:, 2], raw.data[:, 0] + raw.data[:, 1], rtol=1e-12)
    assert res[1].variables == ["V + W"] and res[1].data.shape == (4, 1, 6, 1)
    assert res[2].space == ["global"]
    assert res[3].space == ["group 0", "group 1", "group 2"]

    xr = raw.to_xarray()
    assert xr.dims == ("time", "variable", "space", "mode")
    assert xr.name == "Raw"
    assert list(xr.coords["variable"].values) == ["V", "W", "V + W"]
    assert list(xr.coords["space"].values) == list(conn6.region_labels)
    np.testing.assert_array_equal(xr.coords["time"].values, raw.time)
    assert xr.coords["time"].attrs["units"] == "ms"
    assert xr.attrs["period_ms"] == pytest.approx(DT)
    np.testing.assert_array_equal(xr.sel(variable="W", space="node3").values, raw.data[:, 1, 3])


# -- 7. layering -----------------------------------------------------------------------------

HEAVY = ("numba", "h5py", "xarray", "scipy", "tvb_data")


def _python(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return proc.stdout.strip()


def test_import_vbrain_is_light_and_fast():
    out = _python(
        f"""
        import sys, time
        t0 = time.perf_counter()
        import vbrain
        dt = time.perf_counter() - t0
        print(dt)
        print(",".join(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    lines = out.splitlines()
    seconds, loaded = lines[0], (lines[1] if len(lines) > 1 else "")
    assert loaded == "", f"import vbrain imported {loaded}"
    assert float(seconds) < 1.0, f"import vbrain took {float(seconds):.2f} s"


def test_numpy_backend_needs_no_compiler_or_io():
    # configuring and running the numpy reference path imports none of the heavy layers
    out = _python(
        """
        import sys
        import numpy as np
        import vbrain as vb
        conn = vb.Connectivity(weights=np.ones((3, 3)), tract_lengths=np.ones((3, 3)))
        res = vb.simulate(conn, duration=1.0, backend="numpy", seed=0,
                          integrator=vb.integrators.Heun(dt=0.1),
                          monitors=[vb.monitors.TemporalAverage(period=1.0)])
        assert res[0].data.shape == (1, 1, 3, 1), res
        print(",".join(m for m in ("numba", "h5py", "xarray", "tvb_data") if m in sys.modules))
        """
    )
    assert out.splitlines()[-1:] in ([], [""]), f"the numpy backend imported {out}"
