"""Time every registered analyzer on a 76-node, 60 s signal sampled at 1 kHz.

The signal is either synthetic (default: noisy 10 Hz oscillators sharing a common drive,
60 000 x 76 samples) or a simulation of the 76-region connectome (``--simulate``:
Generic2dOscillator, Heun dt = 0.0625 ms, TemporalAverage at 1 ms).  Each analyzer runs once
to warm up (numba compilation, FFT plans), then ``--repeats`` times; the median is reported.
Graph analyzers run on the connectome's weights.  Analyzers whose cost grows quadratically
with the series length are given the settings stated in the table (sample entropy on the first
10 s, FCD with 10 s windows every 1 s since the reference's 120 s window exceeds 60 s, the
wavelet transform decimated to 10 ms).

Usage::

    python benchmarks/analyzers.py [--repeats 3] [--simulate] [--analyzer NAME ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from typing import Any

import numpy as np

# settings for a 60 s signal where the defaults do not fit or would not be representative
OVERRIDES: dict[str, dict[str, Any]] = {
    "FunctionalConnectivityDynamics": {"window_length": 10000.0, "window_step": 1000.0},
    "ContinuousWaveletTransform": {"output_period": 10.0},
    "SampleEntropy": {"t_end": 10000.0},
    "ICA": {"n_components": 10},
}


def synthetic_signal(n_node: int = 76, n_time: int = 60000, seed: int = 0) -> np.ndarray:
    """Noisy oscillators (8-12 Hz) with a shared slow drive, shape (n_time, n_node)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_time) / 1000.0
    freqs = rng.uniform(8.0, 12.0, n_node)
    phases = rng.uniform(0, 2 * np.pi, n_node)
    drive = np.sin(2 * np.pi * 0.1 * t)[:, None]
    x = np.sin(2 * np.pi * freqs * t[:, None] + phases) * (1 + 0.5 * drive)
    return x + 0.5 * rng.standard_normal((n_time, n_node))


def simulated_signal() -> Any:
    import vbrain as vb

    os.environ.setdefault("VBRAIN_CACHE_DIR", "/tmp/vbc_an")
    res = vb.simulate(
        vb.datasets.load_connectivity(76),
        duration=60000,
        # dt must divide the 1 ms monitor period (the default 0.0122 ms does not)
        integrator=vb.integrators.Heun(dt=0.0625),
        monitors=[vb.monitors.TemporalAverage(period=1.0)],
    )
    return res[0]


def main(argv: list[str] | None = None) -> int:
    import vbrain as vb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--simulate", action="store_true", help="use a 76-region simulation")
    parser.add_argument("--analyzer", nargs="*", help="analyzers to time (default: all)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    if args.simulate:
        t0 = time.perf_counter()
        data: Any = simulated_signal()
        print(f"simulation: {time.perf_counter() - t0:.1f} s, shape {data.data.shape}")
        period = None
    else:
        data, period = synthetic_signal(), 1.0
        print(f"synthetic signal: shape {data.shape}, 1 kHz")
    conn = vb.datasets.load_connectivity(76)
    names = args.analyzer or vb.analyzers.list()
    print(f"{'analyzer':34s} {'median (s)':>10s}  {'output':24s} settings")
    total = 0.0
    for name in names:
        cls = vb.analyzers.get(name)
        settings = OVERRIDES.get(name, {})
        analyzer = cls(**settings)

        def call(analyzer=analyzer, cls=cls) -> Any:
            if cls.input_kind == "matrix":
                return analyzer(conn)
            return analyzer(data, sample_period=period)

        out = call()  # warm-up
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        total += med
        shown = ", ".join(f"{k}={v:g}" for k, v in settings.items())
        print(f"{name:34s} {med:10.3f}  {type(out).__name__:24s} {shown}")
    print(f"{'total':34s} {total:10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
