"""The simulator: one entry point composing model, coupling, integrator, noise and monitors.

Time and step conventions
-------------------------
Step 0 is the initial state at ``t = 0``; step ``n`` is ``t = n * dt``.  The state at step
``n`` is computed from step ``n - 1`` with the coupling

``c_i = post(sum_j w_ij pre(y_i(n-1), y_j(n - 1 - d_ij)))``,  ``d_ij = rint(L_ij / (v dt))``,

evaluated once per step (the reference system's semantics; see ``Heun.recompute_coupling``).
The history needs ``horizon = max(d) + 1`` past states; an initial history
``(n_time, n_var, n_node[, n_mode])`` has its most recent state (``t = 0``) last.

A stimulus (:mod:`vbrain.simulator.stimuli`) adds its value at the start of step ``n``,
``I((n - 1) dt)``, to the derivatives of the stimulus variables in every stage of step ``n``;
its time continues across continuations of a run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import integrators as integrators_mod
from vbrain.simulator import monitors as monitors_mod
from vbrain.simulator.models.base import Model
from vbrain.simulator.results import MonitorResult, SimulationResult
from vbrain.simulator.stimuli import Stimulus, StimulusPlan, as_stimulus

__all__ = ["Simulator", "simulate"]

BACKENDS = ("numba", "numpy")


@dataclass
class MonitorPlan:
    """A monitor reduced to what the backends execute."""

    monitor: monitors_mod.Monitor
    istep: int
    mean: bool
    source: str  # "voi" | "coupling"
    indices: np.ndarray  # into model VOIs or coupling terms
    spatial: np.ndarray | None
    labels: list[str]
    space: list[str]
    offset: float
    period: float  # of the output samples (ms)
    stage: monitors_mod.Stage | None = None
    n_mode_out: int = 1


@dataclass
class Plan:
    """Everything a backend needs, validated and in array form."""

    model: Model
    coupling: coupling_mod.Coupling
    integrator: integrators_mod.Integrator
    n_node: int
    n_mode: int
    n_var: int
    n_cvar: int
    n_term: int
    dt: float
    cvar: np.ndarray
    horizon: int
    # edges with non-zero weight, in CSR order by target
    targets: np.ndarray
    sources: np.ndarray
    weights: np.ndarray
    delays: np.ndarray
    indptr: np.ndarray
    model_params: np.ndarray
    coupling_params: np.ndarray
    bounds: np.ndarray | None
    clamp_idx: np.ndarray
    clamp_val: np.ndarray
    mode_consts: np.ndarray
    mode_layout: dict[str, tuple[int, bool]]
    noise_ga: np.ndarray | None
    noise_gb: np.ndarray | None
    ntau: float
    monitors: list[MonitorPlan]
    stimulus: StimulusPlan | None = None
    active_terms: tuple[int, ...] = ()
    """Coupling terms that must be computed: those the model's dfun takes, or all of them
    when a monitor records the coupling.  The others are neither gathered nor stored."""


class Simulator:
    """A configured simulation that can be run, continued and streamed.

    Parameters
    ----------
    connectivity
        The network (weights row = target, column = source; tract lengths mm; speed mm/ms).
    model, coupling, integrator, monitors
        Strategy objects (defaults: Generic2dOscillator, Linear, Heun with the reference
        dt, TemporalAverage with the reference period).
    initial_history
        None (random within the model's state ranges, seeded), a single state
        ``(n_var, n_node[, n_mode])`` held constant over the history, or a full history
        ``(n_time, n_var, n_node[, n_mode])`` with ``n_time >= horizon``, most recent last.
    seed
        Seed of the run's ``numpy.random.Generator`` (random history, then noise).
    backend
        ``"numba"`` (fused compiled kernel, default) or ``"numpy"`` (the reference path).
    chunk_steps
        Steps advanced per kernel call (memory vs Python overhead); None picks a size.
    compat
        ``"tvb"`` emulates the reference system's single-precision history and coupling sums
        (float32 ring buffer, float32 products summed in numpy's pairwise order) to reproduce
        its numbers; None (default) keeps everything in float64.
    stimulus
        An external input (:mod:`vbrain.simulator.stimuli`): a
        :class:`~vbrain.simulator.stimuli.StimulusRegion`,
        :class:`~vbrain.simulator.stimuli.StimulusArray`,
        :class:`~vbrain.simulator.stimuli.StimulusFunction` or a callable ``f(t_ms)``.  Step
        ``n`` adds ``I((n - 1) dt)`` (the value at the step's start) to the derivatives of the
        stimulus variables in every integrator stage; its time runs on across continuations.
    """

    def __init__(
        self,
        connectivity: Connectivity,
        *,
        model: Model | None = None,
        coupling: coupling_mod.Coupling | None = None,
        integrator: integrators_mod.Integrator | None = None,
        monitors: Sequence[monitors_mod.Monitor] | None = None,
        initial_history: np.ndarray | None = None,
        seed: int | None = None,
        backend: str = "numba",
        chunk_steps: int | None = None,
        compat: str | None = None,
        stimulus: Stimulus | Any | None = None,
    ) -> None:
        from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator

        if not isinstance(connectivity, Connectivity):
            raise ValidationError(
                f"connectivity must be a vbrain Connectivity, got {type(connectivity).__name__}; "
                "load one with vb.datasets.load_connectivity(76) or vb.io.read_connectivity(path)"
            )
        self.connectivity = connectivity
        self.model = model if model is not None else Generic2dOscillator()
        self.coupling = coupling if coupling is not None else coupling_mod.Linear()
        self.integrator = integrator if integrator is not None else integrators_mod.Heun()
        mons = [monitors_mod.TemporalAverage()] if monitors is None else list(monitors)
        for obj, base, what in (
            (self.model, Model, "model"),
            (self.coupling, coupling_mod.Coupling, "coupling"),
            (self.integrator, integrators_mod.Integrator, "integrator"),
        ):
            if not isinstance(obj, base):
                raise ValidationError(
                    f"{what} must be a vbrain {base.__name__} instance, got {obj!r}"
                )
        if not mons:
            raise ValidationError("give at least one monitor, e.g. [vb.monitors.Raw()]")
        for m in mons:
            if not isinstance(m, monitors_mod.Monitor):
                raise ValidationError(f"monitors must be Monitor instances, got {m!r}")
        self.monitors = mons
        if backend not in BACKENDS:
            raise ValidationError(f"backend {backend!r} is unknown; use one of {BACKENDS}")
        self.backend_name = backend
        if chunk_steps is not None and chunk_steps < 1:
            raise ValidationError(f"chunk_steps must be >= 1, got {chunk_steps}")
        self.chunk_steps = chunk_steps
        if compat not in (None, "tvb"):
            raise ValidationError(f"compat {compat!r} is unknown; use None or 'tvb'")
        self.compat = compat
        self.stimulus = as_stimulus(stimulus)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.plan = self._make_plan()
        history = self._initial_history(initial_history)
        self.step = 0
        self._backend = self._make_backend(history)

    # -- configuration ------------------------------------------------------------------------

    def _make_plan(self) -> Plan:
        conn, model, cpl, integ = self.connectivity, self.model, self.coupling, self.integrator
        n_node = conn.n_region
        dt = integ.dt
        n_cvar = len(model.coupling_variables)
        cpl.check_model(n_cvar, type(model).__name__)
        n_term = cpl.n_terms(n_cvar)
        used_terms = model.coupling_terms_used()
        if used_terms and max(used_terms) >= n_term:
            raise ValidationError(
                f"{type(model).__name__} uses coupling term c_{max(used_terms)} but "
                f"{type(cpl).__name__} produces {n_term} term(s)"
            )
        idelays = conn.idelays(dt)
        w = conn.weights
        targets, sources = np.nonzero(w)  # row-major: sorted by target, then source
        order = np.lexsort((sources, targets))
        targets, sources = targets[order], sources[order]
        indptr = np.zeros(n_node + 1, dtype=np.int64)
        np.cumsum(np.bincount(targets, minlength=n_node), out=indptr[1:])
        delays = idelays[targets, sources].astype(np.int64)
        horizon = int(delays.max()) + 1 if delays.size else 1
        bounds = model.state_bounds()
        mode_consts, mode_layout = model.mode_constant_matrix()
        clamp_idx, clamp_val = integ.clamp_indices(model.state_names())
        if integ.noise is not None:
            ga, gb = integ.noise.gfun_coefficients(model.n_var(), n_node)
            ntau = float(integ.noise.ntau)
        else:
            ga = gb = None
            ntau = 0.0
        context = {"connectivity": conn}
        voi_names = list(model.variables_of_interest)
        term_names = [f"c_{k}" for k in range(n_term)]
        plans = []
        for k, mon in enumerate(self.monitors):
            istep = mon.kernel_istep(dt)
            names = term_names if mon.source == "coupling" else voi_names
            idx = mon.voi_indices(len(names))
            spatial = mon.spatial_map(n_node, context)
            space = mon.space_labels(list(conn.region_labels), n_node, context)
            # a stage's random stream must not shift the simulation's noise draws
            stage_rng = np.random.default_rng(
                None if self.seed is None else [int(self.seed), 1 + k]
            )
            stage = mon.make_stage(
                monitors_mod.StageInfo(
                    dt=dt,
                    sample_period=istep * dt,
                    n_variable=len(idx),
                    n_space=len(space),
                    n_mode=model.n_mode,
                    rng=stage_rng,
                )
            )
            plans.append(
                MonitorPlan(
                    monitor=mon,
                    istep=istep,
                    mean=mon.temporal == "mean",
                    source=mon.source,
                    indices=idx,
                    spatial=spatial,
                    labels=[names[i] for i in idx],
                    space=space,
                    offset=mon.time_offset_steps(istep),
                    period=stage.period if stage is not None else istep * dt,
                    stage=stage,
                    n_mode_out=(
                        stage.n_mode_out
                        if stage is not None and stage.n_mode_out is not None
                        else model.n_mode
                    ),
                )
            )
        return Plan(
            model=model,
            coupling=cpl,
            integrator=integ,
            n_node=n_node,
            n_mode=model.n_mode,
            n_var=model.n_var(),
            n_cvar=n_cvar,
            n_term=n_term,
            dt=dt,
            cvar=model.cvar(),
            horizon=horizon,
            targets=targets.astype(np.int64),
            sources=sources.astype(np.int64),
            weights=w[targets, sources].astype(float),
            delays=delays,
            indptr=indptr,
            model_params=model.parameter_matrix(n_node),
            mode_consts=mode_consts,
            mode_layout=mode_layout,
            coupling_params=cpl.parameter_matrix(n_node),
            bounds=bounds,
            clamp_idx=clamp_idx,
            clamp_val=clamp_val,
            noise_ga=ga,
            noise_gb=gb,
            ntau=ntau,
            monitors=plans,
            active_terms=(
                tuple(range(n_term)) if any(mp.source == "coupling" for mp in plans) else used_terms
            ),
            stimulus=None if self.stimulus is None else self.stimulus.bind(model, conn, dt),
        )

    def _initial_history(self, given: np.ndarray | None) -> np.ndarray:
        p = self.plan
        shape = (p.horizon, p.n_var, p.n_node, p.n_mode)
        if given is None:
            return self.model.initial(self.rng, shape)
        arr = np.asarray(given, dtype=float)
        expect = f"({p.n_var}, {p.n_node}[, {p.n_mode}]) or (n_time >= {p.horizon}, {p.n_var}, "
        expect += f"{p.n_node}[, {p.n_mode}])"
        if arr.ndim in (2, 3) and arr.shape[:2] == (p.n_var, p.n_node):
            arr = arr.reshape(1, p.n_var, p.n_node, -1)
        elif arr.ndim == 3 and arr.shape[1:] == (p.n_var, p.n_node):
            arr = arr[..., None]
        if arr.ndim != 4 or arr.shape[1:] != (p.n_var, p.n_node, p.n_mode):
            raise ValidationError(
                f"initial_history has shape {np.shape(given)}; expected a state {expect}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValidationError("initial_history contains NaN or infinite values")
        if arr.shape[0] == 1:
            return np.repeat(arr, p.horizon, axis=0)
        if arr.shape[0] < p.horizon:
            raise ValidationError(
                f"initial_history has {arr.shape[0]} time points but the longest delay needs "
                f"{p.horizon} (horizon = max delay / dt + 1); give at least {p.horizon}, most "
                "recent last, or a single state"
            )
        return arr[-p.horizon :].copy()

    def _make_backend(self, history: np.ndarray) -> Any:
        if self.backend_name == "numpy":
            from vbrain.simulator.backends.numpy_backend import NumpyBackend

            return NumpyBackend(self.plan, history, self.rng, self.compat)
        from vbrain.simulator.backends.numba_backend import NumbaBackend

        return NumbaBackend(self.plan, history, self.rng, self.compat)

    # -- running ------------------------------------------------------------------------------

    @property
    def time(self) -> float:
        """Simulated time reached (ms)."""
        return self.step * self.plan.dt

    @property
    def current_state(self) -> np.ndarray:
        """The state ``(n_var, n_node, n_mode)`` at the current step."""
        return self._backend.current_state()

    def n_steps_for(self, duration: float) -> int:
        if not isinstance(duration, int | float) or not math.isfinite(duration) or duration < 0:
            raise ValidationError(f"duration = {duration!r} ms must be a finite number >= 0")
        return int(math.ceil(duration / self.plan.dt - 1e-9))

    def _chunk_size(self) -> int:
        if self.chunk_steps is not None:
            return self.chunk_steps
        # keep the kernel's monitor buffers of one chunk around 8 MB: the spatial maps and
        # stages make a few copies of them, and long streamed runs must stay small
        per_step = 0.0
        for mp in self.plan.monitors:
            per_step += len(mp.indices) * self.plan.n_node * self.plan.n_mode * 8 / mp.istep
        if self.plan.stimulus is not None:  # the chunk's stimulus values
            per_step += self.plan.stimulus.bytes_per_step()
        return int(max(1000, min(1_000_000, 8e6 / max(per_step, 1.0))))

    def iter_chunks(
        self, duration: float | None = None, *, n_steps: int | None = None, progress: bool = False
    ) -> Iterator[list[tuple[np.ndarray, np.ndarray]]]:
        """Advance by ``duration`` ms (or ``n_steps``), yielding per chunk a list with one
        ``(time, data)`` pair per monitor (data after the monitor's spatial map)."""
        if n_steps is None:
            if duration is None:
                raise ValidationError("give duration (ms) or n_steps")
            n_steps = self.n_steps_for(duration)
        elif n_steps < 0:
            raise ValidationError(f"n_steps = {n_steps} must be >= 0")
        stimulus = self.plan.stimulus
        if stimulus is not None:  # fail before running, not half-way through
            stimulus.check_steps(self.step + n_steps)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_steps, unit="step", unit_scale=True, desc="simulating")
        remaining = n_steps
        chunk = self._chunk_size()
        try:
            while remaining > 0:
                n = min(chunk, remaining)
                if stimulus is None:
                    raw = self._backend.advance(self.step, n)
                else:
                    raw = self._backend.advance(self.step, n, stimulus.chunk(self.step, n))
                out = []
                for mp, (steps, data) in zip(self.plan.monitors, raw, strict=True):
                    if mp.spatial is not None:
                        data = np.einsum("sn,tvnm->tvsm", mp.spatial, data)
                    t = (steps - mp.offset) * self.plan.dt
                    if mp.stage is not None:
                        t, data = mp.stage.process(t, data)
                    out.append((t, data))
                self.step += n
                remaining -= n
                if bar is not None:
                    bar.update(n)
                yield out
                # drop this chunk before computing the next, so that streaming holds one chunk
                del raw, out
        finally:
            if bar is not None:
                bar.close()

    def run(
        self, duration: float | None = None, *, n_steps: int | None = None, progress: bool = False
    ) -> SimulationResult:
        """Advance and collect every monitor's output in memory.

        Calling ``run`` again continues from where the previous call stopped.
        """
        times: list[list[np.ndarray]] = [[] for _ in self.plan.monitors]
        datas: list[list[np.ndarray]] = [[] for _ in self.plan.monitors]
        for chunk in self.iter_chunks(duration, n_steps=n_steps, progress=progress):
            for k, (t, d) in enumerate(chunk):
                times[k].append(t)
                datas[k].append(d)
        return SimulationResult(
            [self._result(k, times[k], datas[k]) for k in range(len(self.plan.monitors))]
        )

    def _result(self, k: int, times: list[np.ndarray], datas: list[np.ndarray]) -> MonitorResult:
        mp = self.plan.monitors[k]
        shape = (0, len(mp.indices), len(mp.space), mp.n_mode_out)
        return MonitorResult(
            name=mp.monitor.name,
            time=np.concatenate(times) if times else np.zeros(0),
            data=np.concatenate(datas) if datas else np.zeros(shape),
            variables=mp.labels,
            space=mp.space,
            period=mp.period,
        )

    def run_to_hdf5(self, path: Any, duration: float, *, progress: bool = False) -> list[str]:
        """Advance by ``duration`` ms, appending each chunk to expandable HDF5 datasets.

        Memory stays bounded by one chunk.  Returns the group names written (one per monitor,
        ``<index>_<monitor>``, each with ``time`` and ``data`` datasets).
        """
        import h5py

        from vbrain.simulator.results import _write_labels

        names = [f"{i}_{mp.monitor.name}" for i, mp in enumerate(self.plan.monitors)]
        with h5py.File(path, "a") as f:
            groups = []
            for name, mp in zip(names, self.plan.monitors, strict=True):
                if name in f:
                    g = f[name]
                else:
                    g = f.create_group(name)
                    shape = (0, len(mp.indices), len(mp.space), mp.n_mode_out)
                    g.create_dataset(
                        "time", shape=(0,), maxshape=(None,), dtype=float, chunks=(4096,)
                    )
                    g.create_dataset(
                        "data",
                        shape=shape,
                        maxshape=(None, *shape[1:]),
                        dtype=float,
                        chunks=(64, *shape[1:]),
                    )
                    _write_labels(g, self._result(len(groups), [], []))
                groups.append(g)
            for chunk in self.iter_chunks(duration, progress=progress):
                for g, (t, d) in zip(groups, chunk, strict=True):
                    n0 = g["time"].shape[0]
                    g["time"].resize((n0 + t.size,))
                    g["time"][n0:] = t
                    g["data"].resize((n0 + d.shape[0], *d.shape[1:]))
                    g["data"][n0:] = d
                del chunk, t, d
        return names


def simulate(
    connectivity: Connectivity,
    *,
    model: Model | None = None,
    coupling: coupling_mod.Coupling | None = None,
    integrator: integrators_mod.Integrator | None = None,
    monitors: Sequence[monitors_mod.Monitor] | None = None,
    duration: float = 1000.0,
    initial_history: np.ndarray | None = None,
    seed: int | None = None,
    backend: str = "numba",
    progress: bool = False,
    compat: str | None = None,
    stimulus: Stimulus | Any | None = None,
) -> SimulationResult:
    """Configure and run a simulation in one call; see :class:`Simulator` for the options.

    Returns one labelled result per monitor: ``res[0].time``, ``res[0].data``
    (``(n_time, n_voi, n_node, n_mode)``), ``res[0].to_xarray()``.
    """
    sim = Simulator(
        connectivity,
        model=model,
        coupling=coupling,
        integrator=integrator,
        monitors=monitors,
        initial_history=initial_history,
        seed=seed,
        backend=backend,
        compat=compat,
        stimulus=stimulus,
    )
    return sim.run(duration, progress=progress)
