"""Peak memory of long simulations streamed to HDF5 (issue 4: memory stays flat).

Runs the 76-region connectome (Generic2dOscillator, Heun, dt = 0.1 ms) with TemporalAverage
(1 ms), Bold (TR 2 s), BalloonBold (TR 2 s) and, when available, EEG (1 ms, analytic lead
field for the shipped 65 electrodes), streamed with ``Simulator.run_to_hdf5``, for each
requested simulated duration in a fresh process, and reports the peak resident set size
(``ru_maxrss``), the wall time and the size of the file written.  The difference of the peaks
between 60 s and 600 s should be well under 20 MB: nothing grows with the run but the file.

``--chunk-steps`` sets the steps advanced per kernel call (default: the simulator's own
choice, ~8 MB of monitor buffers per chunk; each chunk is released before the next one is
computed).

Usage::

    python benchmarks/streaming.py [--durations 60 600] [--dt 0.1] [--chunk-steps 0]
                                   [--out /tmp]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def run_one(duration_s: float, dt: float, out_dir: str, chunk_steps: int) -> dict:
    """One streamed run in this process; returns peak RSS (MB), wall time (s), file size."""
    import resource

    import vbrain as vb

    monitors = [
        vb.monitors.TemporalAverage(period=1.0),
        vb.monitors.Bold(),
        vb.monitors.BalloonBold(input_scale=0.1),
    ]
    if hasattr(vb.monitors, "EEG"):
        monitors.append(vb.monitors.EEG(sensors="eeg_65", reference="average", period=1.0))
    sim = vb.Simulator(
        vb.datasets.load_connectivity(76),
        integrator=vb.integrators.Heun(dt=dt),
        monitors=monitors,
        seed=1,
        chunk_steps=chunk_steps or None,
    )
    path = os.path.join(out_dir, f"streaming_{duration_s:g}s.h5")
    if os.path.exists(path):
        os.remove(path)
    t0 = time.perf_counter()
    sim.run_to_hdf5(path, duration_s * 1000.0)
    wall = time.perf_counter() - t0
    size = os.path.getsize(path)
    os.remove(path)
    return {
        "duration_s": duration_s,
        "monitors": [m.name for m in monitors],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "wall_s": wall,
        "file_mb": size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--durations", type=float, nargs="+", default=[60.0, 600.0])
    parser.add_argument("--dt", type=float, default=0.1)
    parser.add_argument("--out", default=tempfile.gettempdir())
    parser.add_argument(
        "--chunk-steps", type=int, default=0, help="steps per chunk (0: the simulator's default)"
    )
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.dt, args.out, args.chunk_steps)))
        return
    # warm the kernel cache so that compilation does not count in the first run's peak
    common = ["--dt", str(args.dt), "--out", args.out, "--chunk-steps", str(args.chunk_steps)]
    subprocess.run(
        [sys.executable, __file__, "--child", "0.01", *common],
        check=True,
        capture_output=True,
    )
    rows = []
    for duration in args.durations:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(duration), *common],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{row['duration_s']:8.0f} s simulated: peak RSS {row['peak_rss_mb']:7.1f} MB, "
            f"{row['wall_s']:6.1f} s wall, {row['file_mb']:7.1f} MB written "
            f"({', '.join(row['monitors'])})",
            flush=True,
        )
    if len(rows) > 1:
        growth = rows[-1]["peak_rss_mb"] - rows[0]["peak_rss_mb"]
        print(
            f"peak RSS difference {rows[-1]['duration_s']:g} s vs {rows[0]['duration_s']:g} s: "
            f"{growth:+.1f} MB"
        )


if __name__ == "__main__":
    main()
