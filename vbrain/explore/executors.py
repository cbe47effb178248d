"""Executors: where chunks of sweep points run.

Every executor has one method, :meth:`Executor.map_chunks`, which runs
:func:`~vbrain.explore.runner.execute_chunk` on each chunk and yields the
:class:`~vbrain.explore.runner.ChunkResult` objects as they complete (any order).  Workers
compute; only the driver (the caller of ``map_chunks``) writes the results store.

* :class:`SerialExecutor` - in this process, one chunk after the other;
* :class:`ProcessExecutor` - local processes (``concurrent.futures.ProcessPoolExecutor``);
  when a worker process dies the pool is broken for every pending chunk: the executor starts
  a new pool and resubmits the chunks that had not completed (``max_retries`` times each);
* :class:`DaskExecutor` - a ``dask.distributed`` cluster: a ``LocalCluster`` of worker
  processes by default, or a scheduler address / ``Cluster`` / ``Client`` (how a lab runs on
  SLURM/PBS through dask-jobqueue).  The scheduler reschedules the tasks of a worker that
  dies; a chunk that still fails with ``KilledWorker`` is resubmitted (``max_retries``).

A chunk's result depends only on its points (per-point seeds), so a retried chunk gives the
same numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from vbrain.explore.runner import Chunk, ChunkResult, SweepJob, execute_chunk

__all__ = ["DaskExecutor", "Executor", "ProcessExecutor", "SerialExecutor", "make_executor"]

_EXTRA_HINT = 'pip install "vbrain[explore]"'


class Executor:
    """Base class: runs chunks and yields their results as they complete."""

    max_retries: int = 3

    def map_chunks(self, job: SweepJob, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        raise NotImplementedError

    def close(self) -> None:
        """Release workers started by this executor."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs every chunk in the calling process, in order."""

    def map_chunks(self, job: SweepJob, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield execute_chunk(job, chunk)

    def __repr__(self) -> str:
        return "SerialExecutor()"


def _worker_init() -> None:
    # one compute thread per worker process: the cores are shared by the workers
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


class ProcessExecutor(Executor):
    """Local worker processes across cores.

    Parameters
    ----------
    n_workers
        Number of processes (default: the number of CPUs).
    mp_context
        ``"spawn"`` (default: a clean interpreter, safe with HDF5 files and threads open in
        the driver), ``"forkserver"`` or ``"fork"``.
    max_retries
        How many times a chunk is resubmitted after its worker process died.
    """

    def __init__(
        self, n_workers: int | None = None, *, mp_context: str = "spawn", max_retries: int = 3
    ) -> None:
        self.n_workers = int(n_workers or os.cpu_count() or 1)
        if self.n_workers < 1:
            raise ValueError(f"n_workers = {n_workers} must be >= 1")
        self.mp_context = mp_context
        self.max_retries = max_retries
        self._pool: Any = None
        self.n_restarts = 0

    def _new_pool(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.n_workers,
            mp_context=multiprocessing.get_context(self.mp_context),
            initializer=_worker_init,
        )

    def map_chunks(self, job: SweepJob, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        if self._pool is None:
            self._pool = self._new_pool()
        attempts = {c.index: 0 for c in chunks}
        todo = list(chunks)
        while todo:
            futures = {self._pool.submit(execute_chunk, job, c): c for c in todo}
            todo = []
            broken = False
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk = futures.pop(fut)
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[chunk.index] += 1
                        if attempts[chunk.index] > self.max_retries:
                            raise RuntimeError(
                                f"sweep chunk {chunk.index} lost its worker process "
                                f"{attempts[chunk.index]} times; giving up"
                            ) from None
                        todo.append(chunk)
                        continue
                    yield result
            if broken:
                # a dead worker breaks the whole pool: start a fresh one for the rest
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                self.n_restarts += 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return f"ProcessExecutor(n_workers={self.n_workers})"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ImportError(
            "running a sweep on Dask needs the optional package 'dask[distributed]', which is "
            f"not installed; install the explore extra: {_EXTRA_HINT}"
        ) from None
    return distributed


class DaskExecutor(Executor):
    """Chunks as tasks on a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler
        None: start a ``LocalCluster(n_workers, processes=True, threads_per_worker=1)`` (closed
        with the executor); a scheduler address (``"tcp://host:8786"``); a ``Cluster`` object
        (``LocalCluster``, dask-jobqueue's ``SLURMCluster``...); or a ``Client``.
    n_workers
        Workers of the LocalCluster started when ``scheduler`` is None.
    max_retries
        Resubmissions of a chunk whose workers kept dying (``KilledWorker``) and task
        ``retries`` for other worker-side failures.
    """

    def __init__(
        self, scheduler: Any = None, *, n_workers: int | None = None, max_retries: int = 3
    ) -> None:
        distributed = _import_distributed()
        self.max_retries = max_retries
        self._own: list[Any] = []
        if scheduler is None:
            cluster = distributed.LocalCluster(
                n_workers=int(n_workers or os.cpu_count() or 1),
                processes=True,
                threads_per_worker=1,
                dashboard_address=None,
            )
            self._own.append(cluster)
            self.client = distributed.Client(cluster)
            self._own.insert(0, self.client)
        elif isinstance(scheduler, distributed.Client):
            self.client = scheduler
        else:
            # a Cluster object or an address string
            self.client = distributed.Client(scheduler)
            self._own.append(self.client)

    def map_chunks(self, job: SweepJob, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        distributed = _import_distributed()
        attempts = {c.index: 0 for c in chunks}

        def submit(chunk: Chunk) -> Any:
            # pure=False: a resubmitted chunk is a new task, never a cached failure
            return self.client.submit(
                execute_chunk, job, chunk, pure=False, retries=self.max_retries
            )

        futures = {submit(c): c for c in chunks}
        pending = distributed.as_completed(list(futures))
        for fut in pending:
            chunk = futures.pop(fut)
            try:
                result = fut.result()
            except distributed.KilledWorker:
                attempts[chunk.index] += 1
                if attempts[chunk.index] > self.max_retries:
                    raise
                new = submit(chunk)
                futures[new] = chunk
                pending.add(new)
                continue
            fut.release()
            yield result

    def close(self) -> None:
        for obj in self._own:
            try:
                obj.close()
            except Exception:  # noqa: BLE001 - closing a dead cluster must not mask results
                pass
        self._own = []

    def __repr__(self) -> str:
        return f"DaskExecutor({self.client.scheduler.address})"


def make_executor(workers: int | None = None, scheduler: Any = None) -> Executor:
    """The executor for ``workers`` / ``scheduler``: Dask when a scheduler is given
    (``"local"`` starts a LocalCluster of ``workers`` processes), local processes when
    ``workers > 1``, else serial."""
    if scheduler is not None:
        return DaskExecutor(None if scheduler == "local" else scheduler, n_workers=workers)
    if workers is not None and workers > 1:
        return ProcessExecutor(workers)
    return SerialExecutor()
