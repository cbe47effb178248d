"""Surface geometry on the shipped 16 384-vertex cortex: geodesic distances, local connectivity.

Times (median of ``--repeats`` runs, after one warm-up run that compiles the numba kernels):

* the geodesic distances up to the cutoff (40 mm) from every vertex, symmetric CSR;
* a Gaussian local connectivity (the distances, the kernel, the reference's row
  homogenisation), i.e. what the reference computes with tvb-gdist in about 45 s;
* loading the shipped ``local_connectivity_16384.mat``;
* the cotangent Laplace-Beltrami operator (an alternative local coupling).

Memory is the CSR size (values float64, columns int32, row pointers int64).  With
``--accuracy N`` the geodesic distances of ``N`` random rows are compared with the exact MMP
method of tvb-gdist (``pip install tvb-gdist``).

Usage::

    python benchmarks/surface.py [--repeats 3] [--cutoff 40] [--sigma 5] [--threads N]
                                 [--accuracy 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np


def time_it(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """Median wall and CPU (all threads of the process) times in s of ``repeats`` calls after
    a warm-up call, and the last result.  On a shared machine the CPU time shows the work
    done independently of the other load."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def accuracy(surface: Any, distances: Any, n_rows: int, seed: int = 0) -> dict[str, float]:
    """Relative error of ``n_rows`` random rows of ``distances`` against tvb-gdist."""
    import gdist

    verts = surface.vertices.astype(np.float64)
    tris = surface.triangles.astype(np.int32)
    rel = []
    for src in np.random.default_rng(seed).choice(surface.n_vertices, n_rows, replace=False):
        row = distances.getrow(int(src))
        exact = gdist.compute_gdist(
            verts, tris, np.array([src], np.int32), target_indices=row.indices.astype(np.int32)
        )
        rel.append(np.abs(row.data - exact) / exact)
    err = np.concatenate(rel)
    return {
        "median": float(np.median(err)),
        "mean": float(err.mean()),
        "p95": float(np.percentile(err, 95)),
        "max": float(err.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cutoff", type=float, default=40.0, help="mm")
    parser.add_argument("--sigma", type=float, default=5.0, help="Gaussian width (mm)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--accuracy", type=int, default=0, help="rows checked vs tvb-gdist")
    args = parser.parse_args()

    import numba

    from vbrain.datasets import _tvb_data_dir, load_surface
    from vbrain.datatypes.equations import Gaussian
    from vbrain.datatypes.local_connectivity import LocalConnectivity
    from vbrain.io.local_connectivity import read_local_connectivity
    from vbrain.surface import compute_geodesic_distances, compute_laplace_beltrami

    if args.threads is not None:
        numba.set_num_threads(args.threads)
    cortex = load_surface("cortex_16k")
    threads = args.threads or numba.get_num_threads()
    print(
        f"cortex_16k: {cortex.n_vertices} vertices, {cortex.n_triangles} triangles, mean edge "
        f"{cortex.edge_lengths.mean():.2f} mm; {threads} threads, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    rows: list[tuple[str, float, float, int, float]] = []

    def csr_mb(m: Any) -> float:
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 1e6

    t, c, dist = time_it(
        lambda: compute_geodesic_distances(cortex, args.cutoff, n_threads=args.threads),
        args.repeats,
    )
    rows.append((f"geodesic distances <= {args.cutoff:g} mm", t, c, dist.nnz, csr_mb(dist)))

    eq = Gaussian(sigma=args.sigma)

    def build() -> LocalConnectivity:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return LocalConnectivity.from_surface(cortex, eq, args.cutoff, n_threads=args.threads)

    t, c, lc = time_it(build, args.repeats)
    name = f"Gaussian (sigma {args.sigma:g} mm) local connectivity"
    rows.append((name, t, c, lc.nnz, lc.nbytes / 1e6))

    # read the file each time (load_local_connectivity caches the parsed matrix)
    path = _tvb_data_dir("local_connectivity")
    t, c, shipped = time_it(
        lambda: read_local_connectivity(path / "local_connectivity_16384.mat"), args.repeats
    )
    rows.append(
        ("load shipped local_connectivity_16384.mat", t, c, shipped.nnz, shipped.nbytes / 1e6)
    )

    t, c, lb = time_it(lambda: compute_laplace_beltrami(cortex), args.repeats)
    rows.append(("Laplace-Beltrami operator (cotangent)", t, c, lb.nnz, csr_mb(lb)))

    print(f"\n{'step':<48} {'wall s':>8} {'cpu s':>8} {'nnz':>11} {'MB':>8}")
    for name, t, c, nnz, mb in rows:
        print(f"{name:<48} {t:>8.3f} {c:>8.3f} {nnz:>11,d} {mb:>8.1f}")
    print(
        f"\nnon-zeros per row: {dist.nnz / cortex.n_vertices:.0f} (distances); "
        "reference: ~45 s for the 40 mm local connectivity with tvb-gdist"
    )

    if args.accuracy:
        err = accuracy(cortex, dist, args.accuracy)
        print(
            f"accuracy vs tvb-gdist on {args.accuracy} rows: median {100 * err['median']:.2f} %, "
            f"mean {100 * err['mean']:.2f} %, 95th percentile {100 * err['p95']:.2f} %, "
            f"max {100 * err['max']:.1f} %"
        )


if __name__ == "__main__":
    main()
