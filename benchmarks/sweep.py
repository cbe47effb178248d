"""Sweep throughput: simulations per second and simulated seconds per wall second.

G2D (Generic2dOscillator) on the 76-region connectome, Heun dt = 0.1 ms, TemporalAverage at
1 ms, reductions global variance + Kuramoto order + FC; points of a grid over
``model.a`` x ``coupling.a``, ``--duration`` ms each.

Runners (in-process, one core): the per-point runner (one simulation at a time through the
single compiled kernel) on ``--baseline-points`` points, and the batched runner (the points of
a chunk advance together, simulations innermost) for each batch size B of ``--batch-sizes``
on ``max(B, 8)`` points, chunk size B; the median of ``--repeat`` runs of each.  Then the
executors with the default (batched) runner on ``--points`` points: in-process serial, local
process pool (``--workers``), and optionally Dask (``--dask``).  Kernels are compiled (or
loaded from the cache) before timing; process pools and clusters are started before timing
too (their start-up is reported separately).  ``--skip-executors`` times the runners only.

Usage::

    python benchmarks/sweep.py [--points 64] [--duration 1000] [--workers 2] [--dask]
        [--batch-sizes 1,8,32,64] [--repeat 3] [--baseline-points 8] [--skip-executors]
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numpy as np


def make_sweep(
    n_points: int, duration: float, runner: Any = None, chunk_size: int | None = None
) -> Any:
    from vbrain.explore import Grid, Sweep

    n_a = max(1, int(math.sqrt(n_points)))
    n_c = max(1, math.ceil(n_points / n_a))
    cfg = {
        "connectivity": 76,
        "model": {"type": "Generic2dOscillator"},
        "integrator": {"type": "Heun", "dt": 0.1},
        "monitors": [{"type": "TemporalAverage", "period": 1.0}],
    }
    space = Grid(
        {
            "model.a": np.linspace(-2.0, 2.0, n_a).tolist(),
            "coupling.a": np.linspace(0.0, 0.03, n_c).tolist(),
        }
    )
    reductions = [
        {"type": "global_variance", "start_point": 0.0},
        {"type": "kuramoto", "phase_method": "hilbert"},
        "fc",
    ]
    space_pts = [dict(zip(space.names, v, strict=True)) for v in _grid_points(space)][:n_points]
    from vbrain.explore import Explicit

    return Sweep(
        cfg,
        Explicit(space_pts),
        reductions,
        duration=duration,
        seed=0,
        runner=runner,
        chunk_size=chunk_size,
    )


def _grid_points(space: Any) -> list[tuple[float, ...]]:
    return [tuple(space.point(i)[n] for n in space.names) for i in range(len(space))]


def timed(label: str, sweep: Any, executor: Any, repeat: int = 1) -> dict[str, float]:
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = sweep.run(executor)
        walls.append(time.perf_counter() - t0)
        assert res.complete
    wall = float(np.median(walls))
    n = len(sweep)
    row = {
        "wall_s": wall,
        "sims_per_s": n / wall,
        "sim_s_per_wall_s": n * sweep.duration / 1000.0 / wall,
    }
    print(
        f"{label:<28} {n:>6} pts {wall:>8.2f} s {row['sims_per_s']:>9.2f} sims/s "
        f"{row['sim_s_per_wall_s']:>9.2f} sim-s/s"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=64)
    parser.add_argument("--duration", type=float, default=1000.0, help="ms per point")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster")
    parser.add_argument("--batch-sizes", default="1,8,32,64", help="comma-separated B values")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row (median)")
    parser.add_argument("--baseline-points", type=int, default=8)
    parser.add_argument("--skip-executors", action="store_true")
    args = parser.parse_args()

    from vbrain.explore import BatchedRunner, DaskExecutor, ProcessExecutor, SerialExecutor

    print(
        f"G2D, 76 regions, Heun dt 0.1 ms, {args.duration:g} ms per point, "
        f"median of {args.repeat} runs; in-process, one core"
    )
    serial = SerialExecutor()
    base = make_sweep(args.baseline_points, args.duration, runner="per_point")
    make_sweep(1, 20.0, runner="per_point").run(serial)  # compile before timing
    ref = timed("per-point serial", base, serial, args.repeat)
    for b in (int(x) for x in args.batch_sizes.split(",")):
        runner = BatchedRunner(max_batch=b)
        make_sweep(b, 20.0, runner=runner, chunk_size=b).run(serial)  # compile
        sw = make_sweep(max(b, 8), args.duration, runner=runner, chunk_size=b)
        row = timed(f"batched B={b}", sw, serial, args.repeat)
        print(f"{'':<28} speed-up vs per-point: {row['sims_per_s'] / ref['sims_per_s']:.2f}x")
    if args.skip_executors:
        return

    sweep = make_sweep(args.points, args.duration)  # default runner: batched
    print(f"executors: {len(sweep)} points, default (batched) runner")
    timed("serial (in-process)", sweep, SerialExecutor())

    t0 = time.perf_counter()
    with ProcessExecutor(args.workers) as ex:
        # start the workers (spawn, import, kernel load) before timing
        make_sweep(args.workers, 20.0).run(ex)
        print(f"  process pool start-up: {time.perf_counter() - t0:.2f} s")
        timed(f"process pool ({args.workers} workers)", sweep, ex)

    if args.dask:
        t0 = time.perf_counter()
        ex = DaskExecutor(n_workers=args.workers)
        try:
            make_sweep(args.workers, 20.0).run(ex)
            print(f"  dask LocalCluster start-up: {time.perf_counter() - t0:.2f} s")
            timed(f"dask ({args.workers} workers)", sweep, ex)
        finally:
            ex.close()


if __name__ == "__main__":
    main()
