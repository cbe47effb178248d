"""Per-step time of every registered model on the 76-region connectome (numba kernel).

Each model runs with its default parameters, Linear coupling (SigmoidalJansenRit for
JansenRit-like models with two coupling variables y1, y2), Heun, delays at 3 mm/ms and a
TemporalAverage monitor.  After warm-up, runs of the model alternate with runs of
Generic2dOscillator, so that both see the same machine load; the fastest of several runs of
each is kept, and the table reports the model's time per step and its time per step and state
variable relative to Generic2dOscillator's from the same rounds.

Usage::

    python benchmarks/models.py [--steps 5000] [--repeats 5] [--model NAME ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings


def make_simulator(name: str):  # noqa: ANN201 - vb.Simulator, imported lazily
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
    return sim


def time_step(sim, steps: int) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    sim.run(n_steps=steps)
    return (time.perf_counter() - t0) / steps


def time_against_baseline(
    name: str,
    baseline,
    steps: int,
    repeats: int,  # noqa: ANN001
) -> tuple[float, float]:
    """Fastest time per step of the model and of the baseline, measured in alternation."""
    sim = make_simulator(name)
    model_t, base_t = [], []
    for _ in range(repeats):
        model_t.append(time_step(sim, steps))
        base_t.append(time_step(baseline, steps))
    return min(model_t), min(base_t)


def main(argv: list[str] | None = None) -> int:
    import vbrain as vb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", nargs="*", help="models to time (default: all)")
    args = parser.parse_args(argv)
    names = args.model or vb.models.list()
    warnings.simplefilter("ignore")
    baseline = make_simulator("Generic2dOscillator")
    n_base = vb.models.Generic2dOscillator.n_var()
    print(f"76 regions, Heun dt=0.01 ms, delays; fastest of {args.repeats} x {args.steps} steps")
    print(
        f"{'model':<30} {'vars':>4} {'modes':>5} {'us/step':>9} {'G2D us/step':>12} "
        f"{'per var vs G2D':>15}"
    )
    statistics_rows = []
    for name in names:
        cls = vb.models.get(name)
        per_step, base = time_against_baseline(name, baseline, args.steps, args.repeats)
        ratio = per_step / (cls.n_var() * cls.n_mode) / (base / n_base)
        statistics_rows.append(ratio)
        print(
            f"{name:<30} {cls.n_var():>4} {cls.n_mode:>5} {per_step * 1e6:>9.2f} "
            f"{base * 1e6:>12.2f} {ratio:>14.2f}x"
        )
    med, worst = statistics.median(statistics_rows), max(statistics_rows)
    print(f"median ratio {med:.2f}x, max {worst:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
