"""The sweep: a configuration, a parameter space, reductions; validated, chunked, run, stored.

Configuration files hold the simulation configuration plus a ``sweep:`` section::

    connectivity: 76
    model: {type: Generic2dOscillator, d: 0.2}
    coupling: {type: Linear, a: 0.0}
    integrator: {type: Heun, dt: 0.1}
    monitors: [{type: TemporalAverage, period: 1.0}]
    sweep:
      space:
        grid:
          model.a: {linspace: [0.0, 3.0, 7]}
          coupling.a: [0.0, 0.05, 0.1]
      reductions:
        - {type: global_variance, start_point: 500}
        - {type: kuramoto, phase_method: hilbert, start_point: 500}
        - fc
      duration: 1000.0      # ms (default: the configuration's duration)
      seed: 0               # sweep seed (default: the configuration's seed)
      chunk_size: 8         # points per chunk (default: a few chunks per worker)

Spaces: ``grid``, ``explicit`` (list of points), ``random`` / ``lhs``
(``{bounds: {name: [lo, hi]}, n:, seed:}``); see :mod:`vbrain.explore.space`.
Reductions: see :mod:`vbrain.explore.reductions`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.explore.executors import Executor, SerialExecutor, make_executor
from vbrain.explore.reductions import (
    Reduction,
    check_unique_outputs,
    reduction_from_spec,
    reduction_to_spec,
)
from vbrain.explore.runner import (
    Chunk,
    SweepJob,
    base_connectivity,
    build_point,
    make_runner,
    point_seed,
    stream_info,
)
from vbrain.explore.space import ParameterSpace, space_from_dict
from vbrain.explore.store import SweepStore

__all__ = ["Sweep", "load_sweep", "run_sweep"]

_SWEEP_KEYS = ("space", "reductions", "duration", "seed", "chunk_size")


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


class Sweep:
    """A parameter sweep over a simulation configuration.

    Parameters
    ----------
    config
        A :class:`~vbrain.simulator.config.SimulationConfig`, a mapping or a config file path.
    space
        A :class:`~vbrain.explore.space.ParameterSpace` or its dict form.
    reductions
        Reductions (objects, names or ``{type: ..., ...}`` mappings); default: global variance.
    duration
        Simulated time per point (ms); default: the configuration's.
    seed
        Sweep seed; point ``i`` runs with :func:`~vbrain.explore.runner.point_seed`
        ``(seed, i)``; default: the configuration's seed (0 when it is None).
    chunk_size
        Points per chunk (default: chosen by :meth:`run` from the number of workers).
    connectivity
        A :class:`~vbrain.datatypes.Connectivity` object to use instead of the configuration's
        ``connectivity`` entry (Python API only).
    chunk_steps
        Kernel steps per chunk of each simulation (passed to the Simulator).
    runner
        How a chunk of points is computed: ``"batched"`` (default: the chunk's points advance
        together in one compiled loop; points it cannot run - stimuli, the numpy backend -
        run one by one), ``"per_point"`` (one simulation at a time) or an object with
        ``run_chunk`` (:mod:`vbrain.explore.runner`).  Results are the same bits either way.

    The space is validated on construction (names, hard limits; :class:`SweepWarning` outside
    typical ranges), and so is every reduction against the configured monitors.
    """

    def __init__(
        self,
        config: Any,
        space: Any,
        reductions: Sequence[Any] | None = None,
        *,
        duration: float | None = None,
        seed: int | None = None,
        chunk_size: int | None = None,
        connectivity: Any = None,
        chunk_steps: int | None = None,
        runner: Any = None,
    ) -> None:
        from vbrain.datatypes.connectivity import Connectivity
        from vbrain.simulator.config import load_config

        self.config = load_config(config)
        self.space: ParameterSpace = space_from_dict(space)
        if reductions is None:
            reductions = ["global_variance"]
        if isinstance(reductions, str | Mapping | Reduction):
            reductions = [reductions]
        self.reductions = [reduction_from_spec(r) for r in reductions]
        if not self.reductions:
            raise ValidationError("sweep.reductions: give at least one, e.g. [global_variance]")
        check_unique_outputs(self.reductions)
        if duration is None:
            duration = self.config.duration
        if isinstance(duration, bool) or not isinstance(duration, int | float):
            raise ValidationError(f"sweep.duration = {duration!r}: expected a number of ms")
        if not math.isfinite(duration) or duration <= 0:
            raise ValidationError(f"sweep.duration = {duration!r}: must be a finite number > 0")
        self.duration = float(duration)
        if seed is None:
            seed = self.config.seed if self.config.seed is not None else 0
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValidationError(f"sweep.seed = {seed!r}: expected an integer >= 0")
        self.seed = int(seed)
        if chunk_size is not None and (
            isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
        ):
            raise ValidationError(f"sweep.chunk_size = {chunk_size!r}: expected an integer >= 1")
        self.chunk_size = chunk_size
        if connectivity is not None and not isinstance(connectivity, Connectivity):
            raise ValidationError(
                f"connectivity must be a vbrain Connectivity, got {type(connectivity).__name__}"
            )
        self.connectivity = connectivity
        self.chunk_steps = chunk_steps
        self.job = SweepJob(
            config=self.config.to_dict(),
            reductions=self.reductions,
            duration=self.duration,
            targets={},
            connectivity=connectivity,
            chunk_steps=chunk_steps,
            runner=make_runner(runner),
        )
        self.n_node = base_connectivity(self.job).n_region
        self.targets = self.space.check(self.config, self.n_node)
        self.job.targets = dict(zip(self.space.names, self.targets.values(), strict=True))
        self.names = list(self.targets)  # canonical names, in space order
        self._check_point_and_reductions()

    # -- construction from files ----------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **overrides: Any) -> Sweep:
        """From a configuration mapping with a ``sweep:`` section (see the module docstring)."""
        if not isinstance(data, Mapping):
            raise ValidationError(f"a sweep configuration must be a mapping, got {data!r}")
        data = dict(data)
        section = data.pop("sweep", None)
        if not isinstance(section, Mapping):
            raise ValidationError(
                "the configuration has no 'sweep:' section; add one with space: and "
                "reductions: (see vbrain.explore.sweep)"
            )
        unknown = set(section) - set(_SWEEP_KEYS)
        if unknown:
            raise ValidationError(
                f"sweep: unknown key(s) {sorted(unknown)}; known: {', '.join(_SWEEP_KEYS)}"
            )
        if "space" not in section:
            raise ValidationError("sweep: give a space, e.g. space: {grid: {model.a: [0, 1]}}")
        kwargs = {k: section[k] for k in ("duration", "seed", "chunk_size") if k in section}
        kwargs.update({k: v for k, v in overrides.items() if v is not None})
        return cls(data, section["space"], section.get("reductions"), **kwargs)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], **overrides: Any) -> Sweep:
        """From a YAML/JSON file holding a configuration and a ``sweep:`` section."""
        from vbrain.simulator.config import read_config_file

        return cls.from_dict(read_config_file(path), **overrides)

    # -- description ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.space)

    def __repr__(self) -> str:
        return f"Sweep({self.space!r}, {len(self.reductions)} reduction(s), {self.duration:g} ms)"

    def point(self, index: int) -> dict[str, Any]:
        """Parameter values of point ``index`` (canonical names)."""
        values = self.space.point(index)
        return {t: values[n] for n, t in zip(self.space.names, self.names, strict=True)}

    def point_seed(self, index: int) -> int:
        """The seed point ``index`` runs with."""
        return point_seed(self.seed, index)

    def build_point(self, index: int) -> Any:
        """The :class:`~vbrain.simulator.Simulator` of point ``index`` (as the sweep runs it)."""
        return build_point(self.job, self.space.point(index), self.point_seed(index))

    def spec(self) -> dict[str, Any]:
        """A JSON-compatible description (stored with the results, compared on resume)."""
        conn = None
        if self.connectivity is not None:
            h = hashlib.sha256()
            for arr in (self.connectivity.weights, self.connectivity.tract_lengths):
                h.update(np.ascontiguousarray(arr, dtype=float).tobytes())
            conn = {"sha256": h.hexdigest(), "speed": self.connectivity.speed}
        return {
            "config": self.config.to_dict(),
            "connectivity_object": conn,
            "space": self.space.to_dict(),
            "reductions": [reduction_to_spec(r) for r in self.reductions],
            "duration": self.duration,
            "seed": self.seed,
        }

    def spec_hash(self) -> str:
        text = json.dumps(self.spec(), sort_keys=True, default=_json_default)
        return hashlib.sha256(text.encode()).hexdigest()

    def parameter_arrays(self) -> dict[str, np.ndarray]:
        """Per-parameter values of every point: ``(n_point,)`` or ``(n_point, n_node)``."""
        cols: dict[str, list[Any]] = {n: [] for n in self.names}
        for i in range(len(self)):
            for n, v in self.point(i).items():
                cols[n].append(v)
        out = {}
        for n, vals in cols.items():
            if any(np.ndim(v) for v in vals):
                vals = [np.broadcast_to(np.asarray(v, float), (self.n_node,)) for v in vals]
            out[n] = np.asarray(vals, dtype=float)
        return out

    def _check_point_and_reductions(self) -> None:
        """Apply the first point fully and check each reduction against its monitor."""
        sim = self.build_point(0)
        for r in self.reductions:
            r.check(stream_info(sim, r.monitor))

    def output_dims(self) -> dict[str, tuple[str, ...]]:
        sim = self.build_point(0)
        dims: dict[str, tuple[str, ...]] = {}
        for r in self.reductions:
            dims.update(r.output_dims(stream_info(sim, r.monitor)))
        return dims

    # -- running --------------------------------------------------------------------------

    def chunks(self, indices: Sequence[int], chunk_size: int) -> list[Chunk]:
        """Group point indices into chunks of ``chunk_size`` (numbered by first point)."""
        out = []
        for a in range(0, len(indices), chunk_size):
            pts = [int(i) for i in indices[a : a + chunk_size]]
            out.append(
                Chunk(
                    index=pts[0] // chunk_size if chunk_size else 0,
                    points=pts,
                    values=[self.space.point(i) for i in pts],
                    seeds=[self.point_seed(i) for i in pts],
                )
            )
        for k, c in enumerate(out):  # unique, stable chunk ids within one run
            c.index = k
        return out

    def run(
        self,
        executor: Executor | None = None,
        *,
        workers: int | None = None,
        scheduler: Any = None,
        store: str | os.PathLike[str] | None = None,
        resume: bool = False,
        overwrite: bool = False,
        progress: bool = False,
        on_chunk: Callable[[int, int, int], None] | None = None,
    ) -> Any:
        """Run the sweep and return a :class:`~vbrain.explore.results.SweepResult`.

        Parameters
        ----------
        executor
            An :class:`~vbrain.explore.executors.Executor`; default from ``workers`` /
            ``scheduler`` (see :func:`~vbrain.explore.executors.make_executor`).  An
            executor passed in is not closed.
        store
            HDF5 results file (default: a temporary file, removed once the results are read).
        resume
            Continue the sweep in ``store``: points already done are not recomputed (the store
            must have been written by the same sweep).
        overwrite
            Replace an existing ``store`` that is not resumed (otherwise that is an error,
            so that a finished sweep is never lost by accident).
        progress
            Show a progress bar (points, with ETA).
        on_chunk
            Called in the driver after each chunk is stored, with ``(chunk index, points
            done, points total)``; raising from it interrupts the sweep (the store keeps
            what is done).
        """
        from vbrain.explore.results import SweepResult

        own_executor = executor is None
        if executor is None:
            executor = make_executor(workers, scheduler)
        tmp = None
        if store is None:
            import tempfile

            fd, tmp = tempfile.mkstemp(suffix=".h5", prefix="vbrain_sweep_")
            os.close(fd)
            store, overwrite = tmp, True
        path = Path(store)
        try:
            st = self._open_store(path, resume=resume, overwrite=overwrite)
            try:
                self._run_into(st, executor, progress=progress, on_chunk=on_chunk)
            finally:
                st.close()
            return SweepResult.load(path, in_memory=tmp is not None)
        finally:
            if own_executor:
                executor.close()
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def _open_store(self, path: Path, *, resume: bool, overwrite: bool) -> SweepStore:
        if path.exists() and resume:
            st = SweepStore.open(path)
            if st.spec_hash != self.spec_hash():
                st.close()
                raise ValidationError(
                    f"{path} holds a different sweep (configuration, space, reductions, duration "
                    "or seed differ); resume it with the same sweep, or write to another file"
                )
            return st
        if path.exists() and not overwrite and path.stat().st_size > 0:
            raise ValidationError(
                f"{path} exists; resume it (resume=True / --resume), overwrite it "
                "(overwrite=True / --overwrite) or choose another file"
            )
        kind = self.space.kind
        return SweepStore.create(
            path,
            spec=json.loads(json.dumps(self.spec(), default=_json_default)),
            spec_hash=self.spec_hash(),
            names=self.names,
            params=self.parameter_arrays(),
            seeds=np.array([self.point_seed(i) for i in range(len(self))], dtype=np.uint64),
            grid_shape=self.space.shape,
            space_kind=kind,
        )

    def _run_into(
        self,
        st: SweepStore,
        executor: Executor,
        *,
        progress: bool,
        on_chunk: Callable[[int, int, int], None] | None,
    ) -> None:
        done = st.done()
        pending = np.flatnonzero(~done)
        n_total = len(self)
        if pending.size == 0:
            return
        chunk_size = self.chunk_size or self._auto_chunk_size(pending.size, executor)
        chunks = self.chunks(pending, chunk_size)
        dims = self.output_dims()
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(
                total=n_total, initial=int(done.sum()), unit="pt", desc="sweep", smoothing=0.1
            )
        n_done = int(done.sum())
        t0 = time.perf_counter()
        try:
            for res in executor.map_chunks(self.job, chunks):
                st.write(res.points, res.results, dims)
                n_done += len(res.points)
                if bar is not None:
                    bar.update(len(res.points))
                if on_chunk is not None:
                    on_chunk(res.chunk, n_done, n_total)
        finally:
            if bar is not None:
                bar.close()
        self.last_wall_s = time.perf_counter() - t0

    @staticmethod
    def _auto_chunk_size(n_pending: int, executor: Executor) -> int:
        # a few chunks per worker balances the load; bounded so a lost chunk costs little
        workers = getattr(executor, "n_workers", None)
        if workers is None:
            client = getattr(executor, "client", None)
            try:
                workers = len(client.scheduler_info()["workers"]) if client is not None else 1
            except Exception:  # noqa: BLE001 - any client that cannot say: assume one
                workers = 1
        if isinstance(executor, SerialExecutor):
            workers = 1
        return int(max(1, min(64, math.ceil(n_pending / (4 * max(workers, 1))))))


def load_sweep(path_or_dict: Any, **overrides: Any) -> Sweep:
    """A :class:`Sweep` from a config file or mapping with a ``sweep:`` section."""
    if isinstance(path_or_dict, Mapping):
        return Sweep.from_dict(copy.deepcopy(dict(path_or_dict)), **overrides)
    return Sweep.from_file(path_or_dict, **overrides)


def run_sweep(
    config: Any,
    space: Any,
    reductions: Sequence[Any] | None = None,
    *,
    duration: float | None = None,
    seed: int | None = None,
    chunk_size: int | None = None,
    connectivity: Any = None,
    runner: Any = None,
    **run_options: Any,
) -> Any:
    """Build a :class:`Sweep` and run it in one call; ``run_options`` go to :meth:`Sweep.run`."""
    sweep = Sweep(
        config,
        space,
        reductions,
        duration=duration,
        seed=seed,
        chunk_size=chunk_size,
        connectivity=connectivity,
        runner=runner,
    )
    return sweep.run(**run_options)
