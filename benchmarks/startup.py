"""Start-up costs in fresh processes: ``import vbrain`` and time to the first simulated step.

Each figure is the median over ``--repeats`` fresh interpreter processes:

- ``import vbrain``;
- ``import vbrain`` + loading models, the 76-region connectome and configuring a Simulator;
- the first step with the kernel already in the on-disk cache (a warm-up process compiles it
  first);
- numba's own start-up floor (``import numba`` and a first compiled call, which loads its type
  registries and scipy.linalg), and the cost of reusing the cached kernel once numba is up
  (Simulator construction, kernel module load, first step).

Usage::

    python benchmarks/startup.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

SNIPPET = r"""
import json, time
t0 = time.perf_counter()
import vbrain as vb
t1 = time.perf_counter()
conn = vb.datasets.load_connectivity(76)
sim = vb.Simulator(conn, model=vb.models.Generic2dOscillator(),
                   integrator=vb.integrators.Heun(dt=0.1),
                   monitors=[vb.monitors.TemporalAverage(period=1.0)], seed=1)
t2 = time.perf_counter()
sim.run(n_steps=1)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "configure": t2 - t1, "first_step": t3 - t2,
                  "total": t3 - t0}))
"""

WARM_NUMBA_SNIPPET = r"""
import json, time
import numba
@numba.njit(cache=False)
def _warm(x):
    return x + 1.0
_warm(1.0)  # numba's own start-up: import and type registries (which import scipy.linalg)
import vbrain as vb
conn = vb.datasets.load_connectivity(76)
model = vb.models.Generic2dOscillator()
t0 = time.perf_counter()
sim = vb.Simulator(conn, model=model, integrator=vb.integrators.Heun(dt=0.1),
                   monitors=[vb.monitors.TemporalAverage(period=1.0)], seed=1)
sim.run(n_steps=1)
print(json.dumps({"reuse": time.perf_counter() - t0}))
"""

NUMBA_SNIPPET = r"""
import json, time
t0 = time.perf_counter()
import numba
@numba.njit(cache=False)
def f(x):
    return x + 1.0
f(1.0)
print(json.dumps({"numba_import_and_first_call": time.perf_counter() - t0}))
"""


def run(snippet: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    run(SNIPPET)  # compile and cache the kernel
    rows = [run(SNIPPET) for _ in range(args.repeats)]
    numba_rows = [run(NUMBA_SNIPPET) for _ in range(args.repeats)]
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    nb = statistics.median(r["numba_import_and_first_call"] for r in numba_rows)
    reuse = statistics.median(run(WARM_NUMBA_SNIPPET)["reuse"] for _ in range(args.repeats))
    print(f"median of {args.repeats} fresh processes (kernel cached on disk)")
    print(f"  import vbrain                          {med['import'] * 1e3:8.1f} ms")
    print(f"  models + connectome + Simulator(...)   {med['configure'] * 1e3:8.1f} ms")
    print(f"  first step (cached kernel)             {med['first_step'] * 1e3:8.1f} ms")
    print(f"  total, process start to first step     {med['total'] * 1e3:8.1f} ms")
    print(f"  numba alone: import + first compiled call (floor)  {nb * 1e3:8.1f} ms")
    print(f"  Simulator(...) + first step, numba already loaded  {reuse * 1e3:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
