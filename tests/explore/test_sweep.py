"""Sweeps: equality with independent single runs, kernel reuse, executors, resume, results, CLI."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain import analyzers as an
from vbrain.config.traits import ValidationError
from vbrain.explore import (
    Explicit,
    Grid,
    LatinHypercube,
    ProcessExecutor,
    SerialExecutor,
    Sweep,
    SweepResult,
)
from vbrain.simulator import coupling, integrators, monitors, noise
from vbrain.simulator.backends.numba_backend import generate_source
from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator
from vbrain.simulator.simulator import Simulator

SPACE = {"model.a": [1.0, 2.5], "coupling.a": [0.0, 0.1], "connectivity.speed": [2.0, 6.0]}
REDUCTIONS = [
    {"type": "global_variance", "start_point": 100.0},
    {"type": "fc", "start_point": 100.0},
    {"type": "kuramoto", "start_point": 100.0},
]


def single_run(conn, point, seed, nsig=None, duration=400.0):
    """The same point simulated by hand, independently of vbrain.explore."""
    integ = integrators.Heun(dt=0.1, noise=None if nsig is None else noise.Additive(nsig=nsig))
    sim = Simulator(
        conn.with_speed(point["connectivity.speed"]),
        model=Generic2dOscillator(a=point["model.a"], d=0.2, variables_of_interest=("V", "W")),
        coupling=coupling.Linear(a=point["coupling.a"]),
        integrator=integ,
        monitors=[monitors.TemporalAverage(period=1.0)],
        seed=seed,
    )
    return sim.run(duration)[0]


def test_points_share_one_compiled_kernel(conn4, g2d):
    g2d["integrator"]["noise"] = {"type": "Additive", "nsig": 0.01}
    sw = Sweep(
        g2d,
        Grid({**SPACE, "integrator.noise.nsig": [0.001, 0.01], "model.b[2]": [-10.0, -9.0]}),
        connectivity=conn4,
    )
    sources, horizons = set(), set()
    for i in range(len(sw)):
        sim = sw.build_point(i)
        sources.add(generate_source(sim.plan, None)[0])
        horizons.add(sim.plan.horizon)
    # parameter values are kernel arguments; the speed changes only the delay horizon
    assert len(sources) == 1 and len(horizons) == 2


def test_deterministic_sweep_equals_single_runs(conn4, g2d):
    sw = Sweep(g2d, Grid(SPACE), REDUCTIONS, duration=400.0, seed=11, connectivity=conn4)
    res = sw.run()
    gv, fc = res.values("global_variance"), res.values("fc")
    km = res.values("kuramoto_mean")
    for i in range(len(sw)):
        ref = single_run(conn4, sw.point(i), sw.point_seed(i))
        np.testing.assert_allclose(
            gv[i], an.GlobalVariance(start_point=100.0)(ref).values[0], rtol=1e-12
        )
        np.testing.assert_allclose(
            fc[i], an.PearsonCorrelation(t_start=100.0)(ref).array_data, rtol=1e-12, atol=1e-14
        )
        k = an.KuramotoIndex(start_point=100.0, phase_method="state_variables")(ref)
        np.testing.assert_allclose(km[i], k.values[0], rtol=1e-12)
    assert res.complete


def test_stochastic_sweep_identical_bits(conn4, g2d_noisy):
    space = Explicit([{"model.a": 2.0, "coupling.a": 0.1, "connectivity.speed": 3.0}] * 3)
    sw = Sweep(g2d_noisy, space, [{"type": "series", "label": "raw"}], seed=5, connectivity=conn4)
    raw = sw.run().values("raw")
    seeds = {sw.point_seed(i) for i in range(3)}
    assert len(seeds) == 3  # same parameters, different per-point noise
    for i in range(3):
        ref = single_run(conn4, sw.point(i), sw.point_seed(i), nsig=0.01)
        np.testing.assert_array_equal(raw[i], ref.data)
    assert not np.array_equal(raw[0], raw[1])


def _noisy_sweep(conn4, g2d_noisy, chunk_size):
    return Sweep(
        g2d_noisy,
        LatinHypercube({"model.a": [0.0, 3.0], "coupling.a": [0.0, 0.2]}, 8, seed=2),
        ["global_variance", "fc", {"type": "series", "label": "raw"}],
        duration=200.0,
        chunk_size=chunk_size,
        connectivity=conn4,
    )


def _assert_same(a: SweepResult, b: SweepResult) -> None:
    assert a.metrics == b.metrics
    for m in a.metrics:
        np.testing.assert_array_equal(a.values(m), b.values(m))


def test_serial_process_pool_and_dask_agree(conn4, g2d_noisy):
    serial = _noisy_sweep(conn4, g2d_noisy, 3).run(SerialExecutor())
    # chunking differs too: results must not depend on it
    with ProcessExecutor(2) as ex:
        pooled = _noisy_sweep(conn4, g2d_noisy, 2).run(ex)
    _assert_same(serial, pooled)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        dask = _noisy_sweep(conn4, g2d_noisy, 1).run(scheduler=cluster)
    _assert_same(serial, dask)
    assert serial.complete and dask.complete


class CountingExecutor(SerialExecutor):
    """Serial, recording which points it was asked to compute."""

    def __init__(self) -> None:
        self.computed: list[int] = []

    def map_chunks(self, job, chunks):
        for c in chunks:
            self.computed.extend(c.points)
        yield from super().map_chunks(job, chunks)


def test_interrupted_sweep_resumes_missing_chunks_only(tmp_path, conn4, g2d_noisy):
    store = tmp_path / "sweep.h5"
    sw = _noisy_sweep(conn4, g2d_noisy, 2)

    class StopSweepError(Exception):
        pass

    def stop_after_two(chunk, n_done, n_total):
        if n_done >= 4:
            raise StopSweepError

    first = CountingExecutor()
    with pytest.raises(StopSweepError):
        sw.run(first, store=store, on_chunk=stop_after_two)
    partial = SweepResult.load(store)
    assert int(partial["done"].sum()) == 4 and not partial.complete
    assert np.isnan(partial.values("global_variance")[~partial.values("done")]).all()
    # a finished or partial store is never replaced by accident
    with pytest.raises(ValidationError, match="resume"):
        sw.run(store=store)
    second = CountingExecutor()
    resumed = sw.run(second, store=store, resume=True)
    assert sorted(second.computed) == sorted(set(range(8)) - set(first.computed[:4]))
    assert len(second.computed) == 4  # 2 chunks of 2
    assert resumed.complete
    _assert_same(resumed, _noisy_sweep(conn4, g2d_noisy, 8).run())
    # resuming a complete store computes nothing
    third = CountingExecutor()
    sw.run(third, store=store, resume=True)
    assert third.computed == []
    # another sweep cannot resume this store
    other = _noisy_sweep(conn4, {**g2d_noisy, "duration": 123.0}, 2)
    other.duration = 150.0
    with pytest.raises(ValidationError, match="different sweep"):
        other.run(store=store, resume=True)


def test_result_api(tmp_path, conn4, g2d):
    import matplotlib

    matplotlib.use("Agg")
    sw = Sweep(g2d, Grid({"model.a": [1.0, 2.0, 3.0], "coupling.a": [0.0, 0.1]}), REDUCTIONS,
               connectivity=conn4)  # fmt: skip
    res = sw.run(store=tmp_path / "s.h5")
    ds = res.dataset
    assert ds["global_variance"].dims == ("model.a", "coupling.a")
    np.testing.assert_array_equal(ds["model.a"].values, [1.0, 2.0, 3.0])
    assert ds["fc"].shape == (3, 2, 4, 4, 2, 1)
    assert float(ds["global_variance"].sel({"model.a": 3.0, "coupling.a": 0.1})) == pytest.approx(
        res.values("global_variance")[5]
    )
    ax = res.plot("global_variance", x="model.a", y="coupling.a")
    assert ax.get_xlabel() == "model.a"
    res.plot("kuramoto_mean", x="model.a", **{"coupling.a": 0.1})
    with pytest.raises(ValidationError, match="select them"):
        res.plot("global_variance", x="model.a")
    with pytest.raises(ValidationError, match="no result"):
        res.plot("nope")
    csv = res.to_csv(tmp_path / "s.csv").read_text().splitlines()
    assert csv[0].startswith("point,model.a,coupling.a,done,global_variance")
    assert len(csv) == 7
    import h5py

    with h5py.File(res.to_hdf5(tmp_path / "x.h5")) as f:
        np.testing.assert_array_equal(f["global_variance"][()], ds["global_variance"].values)
    assert SweepResult.load(tmp_path / "s.h5").dataset.identical(ds)
    # point spaces: one `point` dimension with parameter coordinates
    lhs = Sweep(g2d, LatinHypercube({"model.a": [0.0, 3.0]}, 4), connectivity=conn4).run()
    assert lhs["global_variance"].dims == ("point",)
    assert lhs["model.a"].dims == ("point",)
    lhs.plot("global_variance", x="model.a")


def test_cli_sweep_end_to_end(tmp_path, conn4, capsys):
    import yaml

    from vbrain.cli import main
    from vbrain.io.connectivity import write_connectivity

    write_connectivity(conn4, tmp_path / "conn.zip")
    cfg = {
        "connectivity": "conn.zip",
        "model": {"type": "Generic2dOscillator", "d": 0.2},
        "monitors": [{"type": "TemporalAverage", "period": 1.0}],
        "sweep": {
            "space": {"grid": {"model.a": {"linspace": [0.0, 3.0, 3]}, "speed": [3.0, 9.0]}},
            "reductions": ["global_variance", {"type": "time_average", "start_point": 50}],
            "duration": 200.0,
            "seed": 1,
            "chunk_size": 2,
        },
    }
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(cfg))
    out = tmp_path / "out.h5"
    assert main(["sweep", str(path), "-o", str(out), "--workers", "1"]) == 0
    assert "swept 6 points" in capsys.readouterr().out
    res = SweepResult.load(out)
    assert res.complete and res["global_variance"].dims == ("model.a", "connectivity.speed")
    assert res["time_average"].shape == (3, 2, 1, 4, 1)
    assert main(["sweep", str(path), "-o", str(out), "-q"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["sweep", str(path), "-o", str(out), "-q", "--resume"]) == 0
    del cfg["sweep"]
    path.write_text(yaml.safe_dump(cfg))
    assert main(["sweep", str(path), "-o", str(tmp_path / "o2.h5")]) == 2
    assert "sweep:" in capsys.readouterr().err


def test_process_pool_worker_killed_chunks_retried(conn4, g2d_noisy):
    import os
    import signal

    serial = _noisy_sweep(conn4, g2d_noisy, 1).run(SerialExecutor())
    with ProcessExecutor(2) as ex:
        killed = []

        def kill_one(chunk, n_done, n_total):
            if not killed:
                pid = next(iter(ex._pool._processes))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        pooled = _noisy_sweep(conn4, g2d_noisy, 1).run(ex, on_chunk=kill_one)
        assert killed and ex.n_restarts >= 1
    _assert_same(serial, pooled)


def test_stimulus_parameter_sweep(conn4, g2d):
    from vbrain.simulator.config import SimulationConfig

    if "stimulus" not in SimulationConfig.model_fields:
        pytest.skip("this configuration has no stimulus section")
    g2d["stimulus"] = {"temporal": {"type": "Linear", "a": 1.0, "b": 0.0}, "weight": [1, 0, 0, 0]}
    res = Sweep(
        g2d, Grid({"stimulus.temporal.a": [0.0, 0.001]}), ["time_average"], connectivity=conn4
    ).run()
    avg = res.values("time_average")
    assert not np.allclose(avg[0], avg[1])
