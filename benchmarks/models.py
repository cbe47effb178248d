"""Per-step time of every registered model on the 76-region connectome (numba kernel).

Each model runs with its default parameters, Linear coupling (SigmoidalJansenRit for
JansenRit-like models with two coupling variables y1, y2), Heun, delays at 3 mm/ms and a
TemporalAverage monitor; after warm-up the median time per step of several runs is reported,
together with the time per step and state variable relative to Generic2dOscillator measured
in the same invocation.

Usage::

    python benchmarks/models.py [--steps 5000] [--repeats 5] [--model NAME ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings


def time_model(name: str, steps: int, repeats: int) -> float:
    import vbrain as vb

    model = vb.models.get(name)()
    coupling = (
        vb.coupling.SigmoidalJansenRit()
        if type(model).coupling_variables == ("y1", "y2")
        else vb.coupling.Linear(a=0.001)
    )
    sim = vb.Simulator(
        vb.datasets.load_connectivity(76),
        model=model,
        coupling=coupling,
        integrator=vb.integrators.Heun(dt=0.01),
        monitors=[vb.monitors.TemporalAverage(period=1.0)],
        seed=1,
    )
    sim.run(n_steps=200)  # compile / warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sim.run(n_steps=steps)
        times.append((time.perf_counter() - t0) / steps)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    import vbrain as vb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", nargs="*", help="models to time (default: all)")
    args = parser.parse_args(argv)
    names = args.model or vb.models.list()
    warnings.simplefilter("ignore")
    base = time_model("Generic2dOscillator", args.steps, args.repeats)
    base_per_var = base / vb.models.Generic2dOscillator.n_var()
    print(f"76 regions, Heun dt=0.01 ms, delays; median of {args.repeats} x {args.steps} steps")
    print(f"{'model':<30} {'vars':>4} {'modes':>5} {'us/step':>9} {'per var vs G2D':>15}")
    for name in names:
        cls = vb.models.get(name)
        per_step = time_model(name, args.steps, args.repeats)
        ratio = per_step / (cls.n_var() * cls.n_mode) / base_per_var
        print(f"{name:<30} {cls.n_var():>4} {cls.n_mode:>5} {per_step * 1e6:>9.2f} {ratio:>14.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
