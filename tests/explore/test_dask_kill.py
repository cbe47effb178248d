"""A real dask.distributed LocalCluster: a worker process killed mid-sweep, results complete."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from vbrain.explore import DaskExecutor, Grid, SerialExecutor, Sweep

distributed = pytest.importorskip("distributed")


def test_worker_killed_mid_sweep(conn4, g2d_noisy):
    def make():
        return Sweep(
            g2d_noisy,
            Grid({"model.a": np.linspace(0.0, 3.0, 6), "coupling.a": [0.0, 0.1]}),
            ["global_variance", {"type": "series", "label": "raw"}],
            duration=1500.0,
            chunk_size=1,
            connectivity=conn4,
        )

    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        pids_before = set(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(chunk, n_done, n_total):
            if not killed:
                # SIGKILL: no clean-up, the chunk it was running is lost with it
                pid = sorted(pids_before)[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        res = make().run(DaskExecutor(client), on_chunk=kill_one)
        assert killed and res.complete
        client.wait_for_workers(2, timeout=60)
        pids_after = set(client.run(os.getpid).values())
        assert killed[0] not in pids_after  # the nanny started a new worker process
    expected = make().run(SerialExecutor())
    for m in ("global_variance", "raw"):
        np.testing.assert_array_equal(res.values(m), expected.values(m))
