"""Sweep throughput: simulations per second and simulated seconds per wall second.

G2D (Generic2dOscillator) on the 76-region connectome, Heun dt = 0.1 ms, TemporalAverage at
1 ms, reductions global variance + Kuramoto order + FC; ``--points`` points of a grid over
``model.a`` x ``coupling.a``, ``--duration`` ms each.  Executors: in-process serial, local
process pool (``--workers``), and optionally Dask (``--dask``: a LocalCluster of ``--workers``
processes).  The kernel is compiled (or loaded from the cache) before timing; process pools
and clusters are started before timing too (their start-up is reported separately).

Usage::

    python benchmarks/sweep.py [--points 40] [--duration 1000] [--workers 2] [--dask]
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numpy as np


def make_sweep(n_points: int, duration: float) -> Any:
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
    return Sweep(cfg, space, reductions, duration=duration, seed=0)


def timed(label: str, sweep: Any, executor: Any) -> dict[str, float]:
    t0 = time.perf_counter()
    res = sweep.run(executor)
    wall = time.perf_counter() - t0
    assert res.complete
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
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--duration", type=float, default=1000.0, help="ms per point")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster")
    args = parser.parse_args()

    from vbrain.explore import DaskExecutor, ProcessExecutor, SerialExecutor

    sweep = make_sweep(args.points, args.duration)  # compiles/loads the kernel
    print(f"{len(sweep)} points x {args.duration:g} ms, 76 regions, G2D, Heun dt 0.1 ms")
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
