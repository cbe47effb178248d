"""Per-step time of region simulations on the 76-region connectome with delays.

Measures, after warm-up (kernel compiled), the median wall time per integration step of
single runs of

- Generic2dOscillator + Linear coupling (a=0.0152), Heun, dt = 0.1 ms, speed 3 mm/ms;
- JansenRit + SigmoidalJansenRit coupling, Heun, dt = 0.1 ms;

with a TemporalAverage monitor (1 ms), for vbrain's numba kernel (and, with ``--numpy``, its
numpy reference path).  When TheVirtualBrain's ``tvb-library`` is importable (or a Python
with it is given by ``--tvb-python``) the same configurations are timed there and the
speed-up is reported (ratio of medians measured in the same invocation).

Usage::

    python benchmarks/region.py [--steps 20000] [--repeats 5] [--tvb-python /path/to/python]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np

CASES = {
    "G2D": ("Generic2dOscillator", "Linear", {"a": 0.0152}),
    "JansenRit": ("JansenRit", "SigmoidalJansenRit", {}),
}


def time_vbrain(case: str, steps: int, repeats: int, backend: str) -> float:
    import vbrain as vb

    model, coupling, cparams = CASES[case]
    sim = vb.Simulator(
        vb.datasets.load_connectivity(76),
        model=vb.models.get(model)(),
        coupling=vb.coupling.get(coupling)(**cparams),
        integrator=vb.integrators.Heun(dt=0.1),
        monitors=[vb.monitors.TemporalAverage(period=1.0)],
        seed=1,
        backend=backend,
    )
    sim.run(n_steps=min(steps, 1000))  # compile / warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sim.run(n_steps=steps)
        times.append((time.perf_counter() - t0) / steps)
    return statistics.median(times)


TVB_SNIPPET = r"""
import json, sys, time, statistics, warnings
import numpy as np
warnings.filterwarnings("ignore")
from tvb.simulator.lab import simulator, models, coupling, integrators, monitors, connectivity
case, steps, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conn = connectivity.Connectivity.from_file("connectivity_76.zip")
conn.speed = np.array([3.0])
if case == "G2D":
    model, cpl = models.Generic2dOscillator(), coupling.Linear(a=np.array([0.0152]))
else:
    model, cpl = models.JansenRit(), coupling.SigmoidalJansenRit()
sim = simulator.Simulator(connectivity=conn, model=model, coupling=cpl,
                          integrator=integrators.HeunDeterministic(dt=0.1),
                          monitors=(monitors.TemporalAverage(period=1.0),),
                          simulation_length=steps * 0.1).configure()
sim.run(simulation_length=10.0)
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    sim.run(simulation_length=steps * 0.1)
    times.append((time.perf_counter() - t0) / steps)
print(json.dumps(statistics.median(times)))
"""


def time_tvb(case: str, steps: int, repeats: int, python: str) -> float | None:
    try:
        out = subprocess.run(
            [python, "-c", TVB_SNIPPET, case, str(steps), str(repeats)],
            capture_output=True,
            text=True,
            check=True,
            timeout=3600,
        )
    except subprocess.CalledProcessError as exc:
        tail = (exc.stderr or "").strip().splitlines()[-1:]
        print(f"  reference system not measured ({case}): {' '.join(tail)}", file=sys.stderr)
        return None
    except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
        print(f"  reference system not measured ({case}): {exc}", file=sys.stderr)
        return None
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def tvb_available(python: str) -> bool:
    probe = subprocess.run([python, "-c", "import tvb.simulator"], capture_output=True)
    return probe.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20000, help="steps per timed run")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (median)")
    parser.add_argument("--numpy", action="store_true", help="also time the numpy backend")
    parser.add_argument(
        "--tvb-python",
        default=sys.executable,
        help="Python interpreter with tvb-library installed (default: this one)",
    )
    parser.add_argument("--tvb-steps", type=int, default=2000, help="steps per reference run")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args(argv)

    have_tvb = tvb_available(args.tvb_python)
    results = {}
    for case in CASES:
        row = {"vbrain_numba_us": time_vbrain(case, args.steps, args.repeats, "numba") * 1e6}
        if args.numpy:
            row["vbrain_numpy_us"] = (
                time_vbrain(case, max(args.steps // 20, 200), args.repeats, "numpy") * 1e6
            )
        if have_tvb:
            ref = time_tvb(case, args.tvb_steps, max(3, args.repeats // 2), args.tvb_python)
            if ref is not None:
                row["tvb_us"] = ref * 1e6
                row["speedup_vs_tvb"] = row["tvb_us"] / row["vbrain_numba_us"]
        results[case] = row
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"76 regions, delays (speed 3 mm/ms), Heun dt=0.1 ms; median of {args.repeats}")
        for case, row in results.items():
            line = f"{case:<10} vbrain numba {row['vbrain_numba_us']:7.2f} us/step"
            if "vbrain_numpy_us" in row:
                line += f" | numpy {row['vbrain_numpy_us']:8.1f} us/step"
            if "tvb_us" in row:
                line += (
                    f" | reference {row['tvb_us']:8.1f} us/step"
                    f" | speed-up x{row['speedup_vs_tvb']:.0f}"
                )
            print(line)
        if not have_tvb:
            print("(tvb-library not found: pass --tvb-python to compare with the reference)")
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
