"""Acceptance test: reproduce a trajectory recorded with the reference system.

``shared/reference/g2d_76_heun_det.npz`` (beside the repository) holds a deterministic run of
TheVirtualBrain 2.10.0: Generic2dOscillator (defaults) on the 76-region connectome, speed
3 mm/ms, Linear coupling a=0.0152, Heun dt=0.1 ms, 1000 ms, TemporalAverage every 20 steps of V,
from a constant initial history ``(513, 2, 76, 1)``.  The ``.json`` beside it states the
conventions; the ones that matter here:

- the reference counts steps from ``horizon - 1 = 512`` (the initial state), so its absolute
  step ``s`` is our step ``n = s - 512``;
- its TemporalAverage emits at ``s % 20 == 0`` the mean of steps ``s-19..s`` stamped at
  ``(s - 10) * dt``; the first sample (``s = 520``) averages only the 8 steps since the start
  plus 12 zero slots.

We therefore compare the reference samples from the second one on with means of our Raw
samples over the same steps (our Raw sample ``n - 1`` is step ``n``), and the first one with the
partial sum over 20.

With ``compat="tvb"`` (float32 history, coupling products summed in float32 in numpy's
pairwise order, as the reference does) the numbers agree exactly.  In the default float64 mode
they are not bit-identical: the reference rounds every stored coupling-variable value to float32
(relative error ~6e-8) and sums the coupling in float32, and these perturbations propagate
through 10000 Heun steps.  The resulting deviation is ~2e-8 of the signal amplitude (elementwise
relative errors reach ~1e-5 only where V crosses zero), far below any physical relevance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import vbrain as vb

BACKENDS = ["numpy", "numba"]
REPO = Path(__file__).resolve().parents[2]
CANDIDATES = [REPO.parent / "shared" / "reference", REPO / "shared" / "reference"]
NAME = "g2d_76_heun_det.npz"
OFFSET = 512  # reference step of the initial state (horizon - 1)
ISTEP = 20


def _reference_file() -> Path | None:
    for folder in CANDIDATES:
        if (folder / NAME).is_file():
            return folder / NAME
    return None


@pytest.fixture(scope="module")
def ref() -> dict[str, np.ndarray]:
    path = _reference_file()
    if path is None:
        pytest.skip(
            f"reference trajectory {NAME} not found in {[str(c) for c in CANDIDATES]} "
            "(the shared/ folder beside the repository is absent)"
        )
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


@pytest.fixture(scope="module")
def conn() -> vb.Connectivity:
    return vb.datasets.load_connectivity(76)


def _run(conn, ref, backend, compat):
    return vb.simulate(
        conn,
        model=vb.models.Generic2dOscillator(),
        coupling=vb.coupling.Linear(a=0.0152),
        integrator=vb.integrators.Heun(dt=0.1),
        monitors=[vb.monitors.Raw(), vb.monitors.TemporalAverage(period=2.0)],
        initial_history=ref["initial_conditions"],
        duration=1000.0,
        backend=backend,
        compat=compat,
    )


def _reference_windows(raw: np.ndarray, n_samples: int) -> np.ndarray:
    """Means of our Raw samples over the reference's windows 2..n_samples."""
    s = OFFSET + 8 + ISTEP * np.arange(1, n_samples)  # absolute steps 540, 560, ...
    n = s - OFFSET  # our steps; Raw index n-1 is step n
    return np.stack([raw[k - ISTEP : k].mean(axis=0) for k in n])


def test_connectivity_matches_reference(conn, ref):
    np.testing.assert_array_equal(conn.weights, ref["weights"])
    np.testing.assert_array_equal(conn.tract_lengths, ref["tract_lengths"])
    assert conn.speed == 3.0
    np.testing.assert_array_equal(conn.idelays(0.1), ref["idelays"])
    assert int(ref["idelays"].max()) + 1 == ref["initial_conditions"].shape[0] == 513
    assert ref["data"].shape == (500, 1, 76, 1)
    # reference time stamps: (s - istep/2) * dt with s = 520, 540, ...
    np.testing.assert_allclose(ref["time"], (OFFSET + 8 + ISTEP * np.arange(500) - 10) * 0.1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reference_reproduced_exactly_in_tvb_compat(conn, ref, backend):
    res = _run(conn, ref, backend, compat="tvb")
    raw = res["Raw"].data
    assert raw.shape == (10000, 1, 76, 1)
    expected = ref["data"]
    ours = _reference_windows(raw, expected.shape[0])
    rel = np.abs(ours - expected[1:]) / np.maximum(np.abs(expected[1:]), 1e-300)
    assert rel.max() <= 1e-9, f"max relative error {rel.max():.3g}"
    # the reference's first, partial window: steps 1..8 plus 12 zero slots, over 20
    first = raw[:8].sum(axis=0) / ISTEP
    np.testing.assert_allclose(first, expected[0], rtol=1e-12, atol=0)

    # our own TemporalAverage: full windows of steps 1..20, 21..40, ... at their middle
    tavg = res["TemporalAverage"]
    assert tavg.time[0] == pytest.approx(1.0)
    np.testing.assert_allclose(np.diff(tavg.time), 2.0, rtol=1e-12)
    assert tavg.time.size == 500
    windows = raw.reshape(500, ISTEP, 1, 76, 1).mean(axis=1)
    np.testing.assert_allclose(tavg.data, windows, rtol=1e-12, atol=1e-14)


def test_reference_float64_mode_close(conn, ref):
    # float64 throughout (the default): not bit-identical, see the module docstring
    res = _run(conn, ref, "numba", compat=None)
    expected = ref["data"]
    ours = _reference_windows(res["Raw"].data, expected.shape[0])
    rel = np.abs(ours - expected[1:]).max() / np.abs(expected[1:]).max()
    assert rel <= 1e-6, f"max error relative to the signal amplitude {rel:.3g}"


# -- the float32 emulation itself (no reference file needed) --------------------------------


def _dense(n: int, seed: int = 0) -> vb.Connectivity:
    rng = np.random.default_rng(seed)
    return vb.Connectivity(
        weights=rng.random((n, n)), tract_lengths=rng.random((n, n)) * 2.0, speed=1.0
    )


def test_tvb_compat_numba_equals_numpy_with_long_rows():
    # 149 incoming edges per node: numpy's pairwise summation splits blocks of > 128 values,
    # which the kernel must reproduce (float32 sums are order-sensitive)
    conn = _dense(150)
    runs = [
        vb.simulate(
            conn,
            integrator=vb.integrators.Heun(dt=0.1),
            monitors=[vb.monitors.Raw()],
            duration=2.0,
            seed=3,
            backend=backend,
            compat="tvb",
        )
        for backend in BACKENDS
    ]
    np.testing.assert_array_equal(runs[0][0].data, runs[1][0].data)


def test_tvb_compat_kernel_loads_from_the_disk_cache(tmp_path):
    # regression: a recursive njit function in the kernel crashed (segfault) when numba loaded
    # it from its on-disk cache in a second process (numba issue #6061)
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np, vbrain as vb\n"
        "rng = np.random.default_rng(0)\n"
        "conn = vb.Connectivity(weights=rng.random((140, 140)),"
        " tract_lengths=rng.random((140, 140)), speed=1.0)\n"
        "res = vb.simulate(conn, integrator=vb.integrators.Heun(dt=0.1), duration=1.0,"
        " monitors=[vb.monitors.Raw()], seed=1, compat='tvb')\n"
        "print(float(np.abs(res[0].data).sum()).hex())\n"
    )
    env = {**os.environ, "VBRAIN_CACHE_DIR": str(tmp_path)}
    outs = []
    for _ in range(2):  # compile and cache, then load from the cache
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        outs.append(proc.stdout.strip())
    assert outs[0] == outs[1]
    assert any(p.suffix == ".nbi" for p in tmp_path.rglob("*"))  # numba's cache index exists
