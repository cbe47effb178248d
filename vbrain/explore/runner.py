"""Running chunks of sweep points: the work unit every executor ships to a worker.

A :class:`SweepJob` (the base configuration, the reductions, duration and runner: everything
but the points) and a :class:`Chunk` (point indices, their parameter values and seeds) are
plain picklable objects; :func:`execute_chunk` is the top-level function that workers call.
It hands the chunk to the job's *runner*, any object with
``run_chunk(job, chunk) -> ChunkResult``:

* :class:`BatchedRunner` (the default) advances the chunk's points together in one compiled
  loop, the simulations innermost (:mod:`vbrain.simulator.backends.batched`), and runs alone
  the points that loop cannot run (stimuli, the numpy backend); results are bit-identical to
  single runs;
* :class:`PerPointRunner` simulates each point with its own
  :class:`~vbrain.simulator.Simulator` through the single compiled kernel (points that differ
  only in parameter values share one compiled kernel: parameters are arrays passed to it, and
  a speed changes only the delay horizon).
"""

from __future__ import annotations

import copy
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.explore.reductions import Reduction, StreamInfo

__all__ = [
    "BatchedRunner",
    "Chunk",
    "ChunkResult",
    "ChunkRunner",
    "PerPointRunner",
    "SweepJob",
    "apply_point",
    "execute_chunk",
    "make_runner",
    "point_seed",
    "reduce_batch",
]

_log = logging.getLogger(__name__)


def point_seed(sweep_seed: int, index: int) -> int:
    """The seed of point ``index``: a function of the sweep seed and the index only, so results
    do not depend on chunking, order or executor.  (``numpy.random.SeedSequence`` of
    ``[sweep_seed, index]``, 63 bits.)"""
    state = np.random.SeedSequence([int(sweep_seed), int(index)]).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


@dataclass
class Chunk:
    """Points run together: indices into the space, their values and seeds."""

    index: int
    points: list[int]
    values: list[dict[str, Any]]
    seeds: list[int]


@dataclass
class ChunkResult:
    """Per-point reductions of a chunk: ``results[k]`` belongs to ``chunk.points[k]``."""

    chunk: int
    points: list[int]
    results: list[dict[str, np.ndarray]]
    wall_s: float = 0.0


class ChunkRunner(Protocol):
    """How a chunk of points is computed (per point now; batched later)."""

    def run_chunk(self, job: SweepJob, chunk: Chunk) -> ChunkResult: ...


@dataclass
class SweepJob:
    """Everything a worker needs besides the points (small and picklable)."""

    config: dict[str, Any]
    """The base configuration in dict form (``SimulationConfig.to_dict()``)."""
    reductions: list[Reduction]
    duration: float
    targets: dict[str, Any]
    """Resolved parameter targets by name (:class:`~vbrain.explore.space.Target`)."""
    connectivity: Any = None
    """An explicit :class:`~vbrain.datatypes.Connectivity` overriding ``config``'s."""
    runner: Any = field(default=None)
    """``"batched"`` (default when None), ``"per_point"`` or a runner object."""
    chunk_steps: int | None = None

    def get_runner(self) -> ChunkRunner:
        """The runner object (default: :class:`BatchedRunner`, which runs points the batched
        kernel cannot run one by one)."""
        return make_runner(self.runner)


# connectivities loaded in this process, by configuration entry (workers run many chunks)
_CONN_CACHE: dict[Any, Any] = {}
_CONN_LOCK = threading.Lock()


def base_connectivity(job: SweepJob) -> Any:
    """The job's connectivity (explicit, or loaded once per process), with its ``speed``."""
    if job.connectivity is not None:
        return job.connectivity
    key = (repr(job.config.get("connectivity")), job.config.get("speed"))
    with _CONN_LOCK:
        if key not in _CONN_CACHE:
            from vbrain.simulator.config import load_config

            cfg = load_config({"connectivity": job.config.get("connectivity"), "speed": None})
            conn = cfg.load_connectivity()
            if job.config.get("speed") is not None:
                conn = conn.with_speed(job.config["speed"])
            _CONN_CACHE[key] = conn
        return _CONN_CACHE[key]


def _set_path(data: Any, path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
            continue
        child = node.get(part)
        if isinstance(child, str):  # a section given as a bare type name
            child = {"type": child}
        elif child is None:
            child = {}
        node[part] = child
        node = child
    node[path[-1]] = value


def _get_path(data: Any, path: tuple[str, ...]) -> Any:
    node = data
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def apply_point(job: SweepJob, values: dict[str, Any], n_node: int) -> tuple[Any, dict[str, float]]:
    """The validated configuration of one point, and its connectivity changes.

    Model/coupling/integrator/monitor entries are set by dotted path in the configuration's
    dict form and re-validated by :class:`~vbrain.simulator.config.SimulationConfig` (so a
    point is checked exactly like a configuration file); ``name[i]`` entries set node ``i``
    of the configuration's value broadcast to one value per node.  Connectivity entries
    (``speed``, ``weights_scale``) are returned separately.
    """
    from vbrain.simulator.config import load_config

    data = copy.deepcopy(job.config)
    conn_changes: dict[str, float] = {}
    for name, value in values.items():
        t = job.targets[name]
        if t.is_connectivity:
            conn_changes[t.path[1]] = float(value)
            continue
        if t.nodes is not None:
            base = np.asarray(_get_path(data, t.path), dtype=float)
            arr = np.broadcast_to(base, (n_node,)).copy()
            arr[list(t.nodes)] = float(value)
            value = arr
        elif isinstance(value, np.ndarray):
            value = value.copy()
        _set_path(data, t.path, value)
    data["connectivity"] = job.config.get("connectivity")
    try:
        cfg = load_config(data)
    except ValidationError as exc:
        shown = ", ".join(f"{k} = {_short(v)}" for k, v in values.items())
        raise ValidationError(f"sweep point ({shown}): {exc}") from None
    return cfg, conn_changes


def _short(v: Any) -> str:
    return f"<{np.size(v)} values>" if np.ndim(v) else f"{float(v):g}"


def point_connectivity(job: SweepJob, changes: dict[str, float]) -> Any:
    """The base connectivity with a point's speed / weight scaling applied."""
    conn = base_connectivity(job)
    if "speed" in changes:
        conn = conn.with_speed(changes["speed"])
    if "weights_scale" in changes and changes["weights_scale"] != 1.0:
        conn = conn.replace(weights=conn.weights * changes["weights_scale"])
    return conn


def build_point(
    job: SweepJob, values: dict[str, Any], seed: int, simulator_cls: type | None = None
) -> Any:
    """A ready :class:`~vbrain.simulator.Simulator` for one point (seeded with ``seed``).

    ``simulator_cls`` replaces :class:`~vbrain.simulator.Simulator` (the batched runner
    passes :class:`~vbrain.simulator.backends.batched.PlannedSimulator`).
    """
    from vbrain.simulator.simulator import Simulator

    if simulator_cls is None:
        simulator_cls = Simulator
    n_node = base_connectivity(job).n_region
    cfg, changes = apply_point(job, values, n_node)
    kwargs: dict[str, Any] = {}
    if job.chunk_steps is not None:
        kwargs["chunk_steps"] = job.chunk_steps
    conn = point_connectivity(job, changes)
    # a configured stimulus (swept as ``stimulus.<...>``) is built for this point's network
    stimulus = getattr(cfg, "stimulus", None)
    if stimulus is not None:
        kwargs["stimulus"] = stimulus.build(conn) if hasattr(stimulus, "build") else stimulus
    return simulator_cls(
        conn,
        model=cfg.model,
        coupling=cfg.coupling,
        integrator=cfg.integrator,
        monitors=cfg.monitors,
        initial_history=cfg.load_initial_history(),
        seed=seed,
        backend=cfg.backend,
        **kwargs,
    )


def stream_info(sim: Any, monitor: int) -> StreamInfo:
    """What monitor ``monitor`` of a simulator produces."""
    plans = sim.plan.monitors
    if monitor >= len(plans):
        raise ValidationError(
            f"a reduction reads monitor {monitor} but the configuration has {len(plans)} "
            f"monitor(s) (indices 0..{len(plans) - 1})"
        )
    mp = plans[monitor]
    return StreamInfo(
        sample_period=float(mp.period),
        n_variable=len(mp.indices),
        n_space=len(mp.space),
        n_mode=int(mp.n_mode_out),
        monitor=mp.monitor,
        variables=list(mp.labels),
        space=list(mp.space),
    )


def reduce_run(sim: Any, reductions: list[Reduction], duration: float) -> dict[str, np.ndarray]:
    """Run ``sim`` for ``duration`` ms feeding every chunk to fresh copies of ``reductions``."""
    reds = [r.model_copy(deep=True) for r in reductions]
    for r in reds:
        r.reset(stream_info(sim, r.monitor))
    for chunk in sim.iter_chunks(duration):
        for r in reds:
            t, d = chunk[r.monitor]
            r.update(t, d)
        del chunk
    out: dict[str, np.ndarray] = {}
    for r in reds:
        out.update({k: np.asarray(v, dtype=float) for k, v in r.result().items()})
    return out


class PerPointRunner:
    """Runs every point of a chunk as its own simulation through the compiled kernel."""

    def run_chunk(self, job: SweepJob, chunk: Chunk) -> ChunkResult:
        import time

        t0 = time.perf_counter()
        results = []
        for values, seed in zip(chunk.values, chunk.seeds, strict=True):
            sim = build_point(job, values, seed)
            results.append(reduce_run(sim, job.reductions, job.duration))
        return ChunkResult(chunk.index, list(chunk.points), results, time.perf_counter() - t0)


class BatchedRunner:
    """Runs the points of a chunk together through the batched compiled kernel.

    Points whose simulations have the same structure (the same generated kernel: they differ
    only in parameter values, noise amplitudes, conduction speed or weight scaling - see
    :func:`~vbrain.simulator.backends.batched.batch_key`) advance together, the simulations
    innermost (:mod:`vbrain.simulator.backends.batched`), at most ``max_batch`` at a time.
    Each point's monitor output is identical to its single run, so the results equal
    :class:`PerPointRunner`'s bit for bit.  Points the batched kernel cannot run (a stimulus,
    the numpy backend) are run one by one; the reason is logged at debug level.

    Parameters
    ----------
    max_batch
        Most simulations per kernel.
    max_bytes
        Memory budget of one batch (history buffers and one chunk of monitor output); larger
        groups are split.
    """

    def __init__(self, max_batch: int = 64, max_bytes: float = 1e9) -> None:
        if max_batch < 1:
            raise ValidationError(f"max_batch = {max_batch} must be >= 1")
        self.max_batch = int(max_batch)
        self.max_bytes = float(max_bytes)

    def __repr__(self) -> str:
        return f"BatchedRunner(max_batch={self.max_batch})"

    def _batch_limit(self, sim: Any, horizon: int) -> int:
        """Most simulations like ``sim`` (batch horizon ``horizon``) in one batch."""
        p = sim.plan
        length = horizon + max(horizon, 256)
        per_sim = 8.0 * p.n_term * p.n_mode * p.n_node * length  # history buffer
        per_sim += 8.0 * horizon * p.n_var * p.n_node * p.n_mode  # initial history
        chunk = sim._chunk_size()
        for mp in p.monitors:  # one chunk of raw monitor output, twice (kernel + per sim)
            per_sim += 2 * 8.0 * len(mp.indices) * p.n_node * p.n_mode * chunk / mp.istep
        return int(max(1, min(self.max_batch, self.max_bytes // max(per_sim, 1.0))))

    def run_chunk(self, job: SweepJob, chunk: Chunk) -> ChunkResult:
        import time

        from vbrain.simulator.backends.batched import (
            PlannedSimulator,
            batch_key,
            unsupported_reason,
        )

        t0 = time.perf_counter()
        n = len(chunk.points)
        results: list[dict[str, np.ndarray] | None] = [None] * n
        groups: dict[str, list[tuple[int, Any]]] = {}
        single: list[int] = []
        for k, (values, seed) in enumerate(zip(chunk.values, chunk.seeds, strict=True)):
            sim = build_point(job, values, seed, simulator_cls=PlannedSimulator)
            reason = unsupported_reason(sim)
            if reason is not None:
                _log.debug("sweep point %d runs alone: %s", chunk.points[k], reason)
                single.append(k)
                continue
            groups.setdefault(batch_key(sim), []).append((k, sim))
        for members in groups.values():
            horizon = max(sim.plan.horizon for _, sim in members)
            limit = self._batch_limit(members[0][1], horizon)
            n_batch = -(-len(members) // limit)
            size = -(-len(members) // n_batch)  # even batches
            for a in range(0, len(members), size):
                part = members[a : a + size]
                outs = reduce_batch([sim for _, sim in part], job.reductions, job.duration)
                for (k, _), out in zip(part, outs, strict=True):
                    results[k] = out
            members.clear()  # free the members' plans before the next group
        for k in single:
            sim = build_point(job, chunk.values[k], chunk.seeds[k])
            results[k] = reduce_run(sim, job.reductions, job.duration)
        assert all(r is not None for r in results)
        return ChunkResult(chunk.index, list(chunk.points), results, time.perf_counter() - t0)


def reduce_batch(
    sims: list[Any], reductions: list[Reduction], duration: float
) -> list[dict[str, np.ndarray]]:
    """Run planned simulators together for ``duration`` ms, each feeding fresh copies of
    ``reductions`` exactly as :func:`reduce_run` does for one simulator."""
    from vbrain.simulator.backends.batched import BatchedSimulation

    reds = []
    for sim in sims:
        own = [r.model_copy(deep=True) for r in reductions]
        for r in own:
            r.reset(stream_info(sim, r.monitor))
        reds.append(own)
    batch = BatchedSimulation(sims)
    for chunk in batch.iter_chunks(duration):
        for own, per_sim in zip(reds, chunk, strict=True):
            for r in own:
                t, d = per_sim[r.monitor]
                r.update(t, d)
        del chunk
    outs = []
    for own in reds:
        out: dict[str, np.ndarray] = {}
        for r in own:
            out.update({k: np.asarray(v, dtype=float) for k, v in r.result().items()})
        outs.append(out)
    return outs


RUNNERS = ("batched", "per_point")


def make_runner(runner: Any = None) -> ChunkRunner:
    """A chunk runner from a name (``"batched"``, the default, or ``"per_point"``), None
    (the default) or an object with ``run_chunk``."""
    if runner is None or runner == "batched":
        return BatchedRunner()
    if runner in ("per_point", "per-point", "perpoint"):
        return PerPointRunner()
    if isinstance(runner, str) or not hasattr(runner, "run_chunk"):
        raise ValidationError(
            f"runner = {runner!r} is unknown; use one of {RUNNERS} or an object with run_chunk"
        )
    return runner


def execute_chunk(job: SweepJob, chunk: Chunk) -> ChunkResult:
    """Compute one chunk (the function executors send to workers)."""
    return job.get_runner().run_chunk(job, chunk)
