"""Batched fused kernel: B simulations of one configuration advance in one compiled loop.

The simulations share everything that shapes the generated code (model, coupling, scheme,
noise kind, bounds, clamping, monitors, the connectome's non-zero pattern) and differ in
*values*: model and coupling parameters (per node), noise coefficients, edge weights (a
weight scaling), delays (a conduction speed), initial history and random stream.  The
simulation index is the innermost dimension of every array, so one pass over the CSR edges
serves all B simulations with contiguous, vectorisable loads (DESIGN.md, performance notes):

* history ``hist[term, mode, node * L + slot, sim]`` (the linear buffer of the single kernel,
  one buffer sized by the largest horizon of the batch),
* state ``(n_var, n_node, n_mode, B)``, parameters ``mp (n_param, n_node, B)``,
  ``cp (n_cparam, n_node, B)``, edge weights ``eweight (n_edge, B)``,
* delays shared by all simulations (``eoff (n_edge,)``) or per simulation
  (``eoff (n_edge, B)``: a speed sweep; the read becomes a gather).

Bit-identity with single runs
-----------------------------
Every simulation performs exactly the floating-point operations of the single kernel
(:mod:`~vbrain.simulator.backends.numba_backend`) in the same order: the same inlined
``dfun``/coupling functions, the coupling sum split into the same four partial sums by edge
position, the same integrator stage expressions (:func:`numba_backend._gen_fused_step` is
shared), the same bounds and clamping.  Noise uses one ``numpy.random.Generator`` per
simulation: the single kernel draws one ``standard_normal()`` per node, mode and variable
(in that order) each step; here each simulation's normals for a sub-chunk of steps are drawn
beforehand as ``rng.standard_normal((n_steps, n_node, n_mode, n_var))``, which is the same
stream (numba implements numpy's ziggurat; a test checks it), and the generator ends in the
same state.  White and coloured noise are both supported.  Monitor output is identical to
the single kernel's per simulation, and is then mapped and staged in Python per simulation
with that simulation's own stage objects (BOLD etc.), chunk by chunk exactly as
:meth:`~vbrain.simulator.Simulator.iter_chunks` does.

The batch size is a constant of the generated code (known trip counts vectorise without
runtime alias checks), so each batch size compiles its own kernel (cached on disk).

Not supported (callers fall back to one simulation at a time): stimuli, ``compat="tvb"``,
the numpy backend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from vbrain.simulator.backends._codegen import PRELUDE
from vbrain.simulator.backends.numba_backend import (
    CODEGEN_VERSION,
    _Code,
    _gen_fused_step,
    _gen_step_start,
    _KernelCalls,
    generate_source,
    load_kernel_module,
)
from vbrain.simulator.simulator import Simulator

if TYPE_CHECKING:
    from vbrain.simulator.simulator import Plan

__all__ = [
    "BatchedBackend",
    "BatchedSimulation",
    "PlannedSimulator",
    "batch_key",
    "generate_batched_source",
    "unsupported_reason",
]

BATCHED_CODEGEN_VERSION = "2"

# bytes of pre-drawn normals per kernel call (all simulations): bounds the sub-chunk length
_NOISE_BYTES = 16_000_000


def unsupported_reason(sim: Simulator) -> str | None:
    """Why ``sim`` cannot run in a batch (None when it can)."""
    if getattr(sim, "backend_name", "numba") != "numba":
        return f"the configuration asks for the {sim.backend_name!r} backend"
    if getattr(sim, "compat", None) is not None:
        return f"compat={sim.compat!r} is only implemented by the single kernel"
    if sim.plan.stimulus is not None:
        return "stimuli are only implemented by the single kernel"
    return None


def batch_key(sim: Simulator) -> str:
    """Simulations with equal keys can share one batched kernel.

    The key hashes the single kernel's generated source (which fixes model, coupling, scheme,
    noise kind, bounds, clamped variables, monitors and their periods in steps), the time
    step, the chunk length and the connectome's non-zero pattern (CSR structure).
    """
    p = sim.plan
    h = hashlib.sha256()
    h.update(generate_source(p, None)[0].encode())
    h.update(repr((float(p.dt), int(sim._chunk_size()), p.n_node, p.n_mode)).encode())
    h.update(np.ascontiguousarray(p.indptr, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(p.sources, dtype=np.int64).tobytes())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# code generation


def generate_batched_source(
    plan: Plan, per_sim_delays: bool, n_sim: int | None = None
) -> tuple[str, dict[str, Any]]:
    """Python source of the batched kernel module for ``plan``'s configuration.

    Parameters
    ----------
    plan
        The plan of any simulation of the batch (only its structure is used).
    per_sim_delays
        Generate per-simulation edge offsets ``eoff[e, b]`` (simulations with different
        speeds) instead of shared ``eoff[e]``.
    n_sim
        The batch size written into the code as a constant (known trip counts let LLVM
        unroll and vectorise the loops over simulations without runtime checks), or None to
        read it from the arrays.

    Returns
    -------
    source, externals
        As :func:`~vbrain.simulator.backends.numba_backend.generate_source`.
    """
    integ = plan.integrator
    mcls = type(plan.model)
    nv, nt, nm = plan.n_var, plan.n_term, plan.n_mode
    # as in the single kernel: terms nobody reads are neither gathered nor stored
    active = [int(k) for k in plan.active_terms]
    snames = mcls.state_names()
    scheme = integ.scheme
    recompute = scheme == "heun" and bool(getattr(integ, "recompute_coupling", False))
    stochastic = plan.noise_ga is not None
    coloured = stochastic and plan.ntau > 0
    bounds = plan.bounds
    clamp = [int(i) for i in plan.clamp_idx]
    if plan.stimulus is not None:
        raise ValueError("the batched kernel does not support stimuli")

    externals: dict[str, Any] = {}
    parts = [
        f"# generated by vbrain (batched codegen {BATCHED_CODEGEN_VERSION}, "
        f"codegen {CODEGEN_VERSION}); do not edit",
        PRELUDE,
    ]
    # the same inlined functions and calls as the single kernel (identical arithmetic), with
    # the simulation index b appended to every parameter index
    calls = _KernelCalls(plan, lane=", b")
    parts.extend(calls.functions(externals))
    ccall = calls.ccall
    coupled_modes = calls.coupled_modes
    modes = calls.modes

    def stage(c: _Code, out: str, inp: str, cpre: str) -> None:
        calls.derivatives(c, out, inp, cpre)

    def noise(v: int, sfx: str, me: str) -> str:
        if not stochastic:
            return ""
        return f" + (ga[{v}, i, b] * x{v}{sfx} + gb[{v}, i, b]) * zbuf[{v}, i, {me}, b]"

    def constrain(c: _Code, names: list[str]) -> None:
        if bounds is not None:
            for v in range(nv):
                lo, hi = bounds[v]
                if np.isfinite(lo):
                    c(f"{names[v]} = max({names[v]}, {lo!r})")
                if np.isfinite(hi):
                    c(f"{names[v]} = min({names[v]}, {hi!r})")
        for q, v in enumerate(clamp):
            c(f"{names[v]} = clamp_val[{q}, b]")

    def update(c: _Code, target: str, expr: str) -> None:
        for sfx, me in modes:
            for v in range(nv):
                c(f"{target}{v}{sfx} = {expr.format(v=v, s=sfx, n=noise(v, sfx, me))}")
            constrain(c, [f"{target}{v}{sfx}" for v in range(nv)])

    def integration_loop(c: _Code) -> int:
        """Open ``for i`` [``for m``] ``for b``; returns the number of levels opened."""
        c("for i in range(n_node):")
        c.level += 1
        depth = 1
        if not coupled_modes:
            c(f"for m in range({nm}):")
            c.level += 1
            depth += 1
        c("for b in range(B):")
        c.level += 1
        return depth + 1

    mons = plan.monitors
    mon_args = []
    for j, mp_ in enumerate(mons):
        mon_args += [f"out_{j}"] + ([f"acc_{j}"] if mp_.mean else [])
    c = _Code()
    sig = (
        "n_steps, step0, dt, state, hist, L, H, shiftbuf, indptr, eoff, esrc, elag, eweight, "
        "mp, cp, mc, clamp_val, ga, gb, znoise, eta, noise_e, noise_s, noise_scale, cbuf, zbuf, "
        "xbuf, kbuf, ybuf, counts" + "".join(", " + a for a in mon_args)
    )
    c("@njit(cache=True, nogil=True, boundscheck=False, error_model='numpy')")
    c(f"def kernel({sig}):")
    with c.indent():
        c("n_node = state.shape[1]")
        c("B = state.shape[3]" if n_sim is None else f"B = {int(n_sim)}")
        c("# per-call scratch: fresh arrays that alias no argument")
        c("yib = np.zeros(B)")
        c("gacc = np.zeros((4, B))")
        c("hdt = dt / 2.0")
        if scheme == "rk4":
            c("dt2 = dt / 2.0")
            c("dt6 = dt / 6.0")
        for j, mp_ in enumerate(mons):
            c(f"istep_{j} = {mp_.istep}")
        c("shift = shiftbuf[0]")
        c("one = np.uint64(1)")
        c("for t in range(n_steps):")
        with c.indent():
            _gen_step_start(c, active, nm, len(mons), batched=True)
            c("# coupling of every node, all simulations per edge")
            _node_mode_loop(c, nm)
            with c.indent(), c.indent():
                _gen_coupling_batched(c, active, nt, ccall, per_sim_delays)
            if stochastic:
                c("# noise increments: each simulation's pre-drawn normals, single-kernel order")
                _node_mode_loop(c, nm)
                with c.indent(), c.indent():
                    for v in range(nv):
                        c("for b in range(B):")
                        with c.indent():
                            c(f"z = znoise[t, i, m, {v}, b]")
                            if coloured:
                                c(
                                    f"eta[{v}, i, m, b] = eta[{v}, i, m, b] * noise_e[b] "
                                    "+ noise_s[b] * z"
                                )
                                c(f"zbuf[{v}, i, m, b] = noise_scale[b] * eta[{v}, i, m, b]")
                            else:
                                c(f"zbuf[{v}, i, m, b] = noise_scale[b] * z")
            c("# integration")
            depth = integration_loop(c)
            for sfx, me in modes:
                for v in range(nv):
                    c(f"x{v}{sfx} = state[{v}, i, {me}, b]")
                for k in range(nt):
                    c(f"c{k}{sfx} = cbuf[{k}, i, {me}, b]")
            if recompute:
                stage(c, "k", "x", "c")
                update(c, "p", "x{v}{s} + dt * k{v}{s}{n}")
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"xbuf[{v}, i, {me}, b] = p{v}{sfx}")
                        c(f"kbuf[{v}, i, {me}, b] = k{v}{sfx}")
            else:
                _gen_fused_step(c, scheme, stage, update)
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"state[{v}, i, {me}, b] = x{v}{sfx}")
            c.level -= depth
            if recompute:
                c("# Heun corrector with the coupling at the end of the step")
                _node_mode_loop(c, nm)
                with c.indent(), c.indent():
                    c("for b in range(B):")
                    with c.indent():
                        cv_p = ", ".join(f"xbuf[{cv}, i, m, b]" for cv in plan.cvar)
                        if not active:
                            c("pass")
                        for k in active:
                            tr = ccall("transform", "i", x=f"({cv_p},)", k=str(k))
                            c(f"ybuf[{k}, i, m, b] = {tr}")
                _node_mode_loop(c, nm)
                with c.indent(), c.indent():
                    _gen_coupling_batched(c, active, nt, ccall, per_sim_delays, pred=True)
                depth = integration_loop(c)
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"x{v}{sfx} = state[{v}, i, {me}, b]")
                        c(f"p{v}{sfx} = xbuf[{v}, i, {me}, b]")
                        c(f"k{v}{sfx} = kbuf[{v}, i, {me}, b]")
                    for k in range(nt):
                        c(f"d{k}{sfx} = cbuf[{nt + k}, i, {me}, b]")
                stage(c, "l", "p", "d")
                update(c, "x", "x{v}{s} + hdt * (k{v}{s} + l{v}{s}){n}")
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"state[{v}, i, {me}, b] = x{v}{sfx}")
                c.level -= depth
            c("# history and monitors")
            _node_mode_loop(c, nm)
            with c.indent(), c.indent():
                c("for b in range(B):")
                with c.indent():
                    for v in range(nv):
                        c(f"x{v} = state[{v}, i, m, b]")
                    cv = ", ".join(f"x{i}" for i in plan.cvar)
                    for k in active:
                        val = ccall("transform", "i", x=f"({cv},)", k=str(k))
                        c(f"hist[{k}, m, i * L + q, b] = {val}")
                    if any(mp_.source == "coupling" for mp_ in mons):
                        for k in range(nt):
                            c(f"c{k} = cbuf[{k}, i, m, b]")
                    _gen_monitors_batched(c, mons, snames)
            for j in range(len(mons)):
                c(f"if emit_{j}:")
                with c.indent():
                    c(f"counts[{j}] += 1")
        c("shiftbuf[0] = shift")
    parts.append(c.text())
    return "\n\n".join(parts), externals


def _node_mode_loop(c: _Code, nm: int) -> None:
    c("for i in range(n_node):")
    with c.indent():
        c(f"for m in range({nm}):")


def _gen_coupling_batched(
    c: _Code, terms: list[int], nt: int, ccall: Any, per_sim_delays: bool, pred: bool = False
) -> None:
    """Coupling terms ``terms`` of node i, mode m for every simulation, into ``cbuf``.

    The same four partial sums by edge position (0, 1, 2, 3 mod 4 within the row) as the
    single kernel, kept per simulation in ``gacc[r, b]``; with ``pred`` (Heun corrector with
    ``recompute_coupling``) sources are read one step later and zero-delay sources come from
    the predicted terms ``ybuf`` (results go to ``cbuf[nt + k]``).
    """
    row = nt if pred else 0
    if not terms:
        c("pass")
    for k in terms:
        c("for b in range(B):")
        with c.indent():
            if pred:
                c(f"yib[b] = ybuf[{k}, i, m, b]")
            else:
                c(f"yib[b] = hist[{k}, m, i * L + q - 1, b]")
            for r in range(4):
                c(f"gacc[{r}, b] = 0.0")
        c("e = indptr[i]")
        c("e1 = indptr[i + 1]")
        c("while e + 3 < e1:")
        with c.indent():
            if per_sim_delays or pred:
                for r in range(4):
                    c(f"er = e + {r}")
                    _gen_edge_batched(c, k, r, ccall, per_sim_delays, pred)
            else:
                # four edges per pass over the simulations: one loop, four partial sums
                for r in range(4):
                    c(f"o{r} = eoff[e + {r}] + qq")
                c("for b in range(B):")
                with c.indent():
                    for r in range(4):
                        pre = ccall("pre", "i", x_i="yib[b]", x_j=f"hist[{k}, m, o{r}, b]")
                        c(f"gacc[{r}, b] += eweight[e + {r}, b] * {pre}")
            c("e += 4")
        for r in range(3):
            c(f"if e + {r} < e1:")
            with c.indent():
                c(f"er = e + {r}")
                _gen_edge_batched(c, k, r, ccall, per_sim_delays, pred)
        c("for b in range(B):")
        with c.indent():
            c("gx = (gacc[0, b] + gacc[1, b]) + (gacc[2, b] + gacc[3, b])")
            post = ccall("post", "i", gx="gx", x_i="yib[b]", k=str(k), n_node="n_node")
            c(f"cbuf[{row + k}, i, m, b] = {post}")


def _gen_edge_batched(
    c: _Code, k: int, r: int, ccall: Any, per_sim_delays: bool, pred: bool
) -> None:
    """Add edge ``er``'s weighted ``pre`` of term k to partial sum ``r`` of every simulation."""
    acc = f"gacc[{r}, b] += eweight[er, b] * {ccall('pre', 'i', x_i='yib[b]', x_j='yj')}"
    if per_sim_delays:
        c("for b in range(B):")
        with c.indent():
            if pred:
                c("if elag[er, b] == 1:")
                with c.indent():
                    c(f"yj = ybuf[{k}, esrc[er], m, b]")
                c("else:")
                with c.indent():
                    c(f"yj = hist[{k}, m, eoff[er, b] + qq + one, b]")
            else:
                c(f"yj = hist[{k}, m, eoff[er, b] + qq, b]")
            c(acc)
        return
    if pred:
        c("if elag[er] == 1:")
        with c.indent():
            c("src = esrc[er]")
            c("for b in range(B):")
            with c.indent():
                c(f"yj = ybuf[{k}, src, m, b]")
                c(acc)
        c("else:")
        with c.indent():
            c("o = eoff[er] + qq + one")
            c("for b in range(B):")
            with c.indent():
                c(f"yj = hist[{k}, m, o, b]")
                c(acc)
    else:
        # one offset per edge: the B delayed values are contiguous
        c("o = eoff[er] + qq")
        c("for b in range(B):")
        with c.indent():
            c(f"yj = hist[{k}, m, o, b]")
            c(acc)


def _gen_monitors_batched(c: _Code, mons: Sequence[Any], snames: Sequence[str]) -> None:
    """Monitor accumulation of node i, mode m, simulation b (the single kernel's formulas)."""
    if not mons:
        return
    voi_needed = sorted({int(q) for mp in mons if mp.source == "voi" for q in mp.indices})
    any_mean = any(mp.mean for mp in mons)
    emits = " or ".join(f"emit_{j}" for j in range(len(mons)))
    c(f"if {'True' if any_mean else emits}:")
    with c.indent():
        xs = ", ".join(f"x{v}" for v in range(len(snames)))
        for q in voi_needed:
            c(f"v{q} = voi_{q}({xs})")
        for j, mp in enumerate(mons):
            vals = [f"c{int(q)}" if mp.source == "coupling" else f"v{int(q)}" for q in mp.indices]
            if mp.mean:
                for r, val in enumerate(vals):
                    c(f"acc_{j}[{r}, i, m, b] += {val}")
                c(f"if emit_{j}:")
                with c.indent():
                    for r in range(len(vals)):
                        c(f"out_{j}[counts[{j}], {r}, i, m, b] = acc_{j}[{r}, i, m, b] / istep_{j}")
                        c(f"acc_{j}[{r}, i, m, b] = 0.0")
            else:
                c(f"if emit_{j}:")
                with c.indent():
                    for r, val in enumerate(vals):
                        c(f"out_{j}[counts[{j}], {r}, i, m, b] = {val}")


# --------------------------------------------------------------------------------------------
# backend


class BatchedBackend:
    """Runs B plans of one configuration through the generated batched kernel.

    Parameters
    ----------
    plans
        One :class:`~vbrain.simulator.simulator.Plan` per simulation; all must have the same
        :func:`batch_key` structure (checked loosely here: sizes and edge pattern).
    histories
        Initial histories ``(horizon_b, n_var, n_node, n_mode)``, most recent last, as the
        single backends receive them.
    rngs
        Each simulation's generator, in the state the single kernel would start from.
    """

    def __init__(
        self,
        plans: Sequence[Plan],
        histories: Sequence[np.ndarray],
        rngs: Sequence[np.random.Generator],
    ) -> None:
        if not plans or not (len(plans) == len(histories) == len(rngs)):
            raise ValueError("give one history and one generator per plan (at least one plan)")
        p0 = plans[0]
        for p in plans[1:]:
            if (
                type(p.model) is not type(p0.model)
                or type(p.coupling) is not type(p0.coupling)
                or p.n_node != p0.n_node
                or not np.array_equal(p.indptr, p0.indptr)
                or not np.array_equal(p.sources, p0.sources)
            ):
                raise ValueError("batched plans must share model, coupling and edge pattern")
        self.plans = list(plans)
        self.rngs = list(rngs)
        n_b = len(plans)
        self.n_sim = n_b
        horizons = np.array([p.horizon for p in plans])
        delays = np.stack([p.delays for p in plans], axis=1)  # (n_edge, B)
        self.per_sim_delays = bool(delays.size) and not np.all(delays == delays[:, :1])
        self.source, externals = generate_batched_source(p0, self.per_sim_delays, n_b)
        self.module = load_kernel_module(self.source, externals)
        h = int(horizons.max())
        self.H = h
        self.L = h + max(h, 256)
        self.shiftbuf = np.array([-(h - 1)], dtype=np.int64)
        nn, nm, nv, nt = p0.n_node, p0.n_mode, p0.n_var, p0.n_term
        self.hist = np.zeros((nt, nm, nn * self.L, n_b))
        nodes = np.arange(nn) * self.L
        for b, (p, hist_b) in enumerate(zip(plans, histories, strict=True)):
            hb = p.horizon
            # all slots of this simulation's history at once: terms are elementwise per
            # (node, time, mode), so this equals the single backend's slot-by-slot transform
            x = np.moveaxis(np.asarray(hist_b, dtype=float)[:, p.cvar], 0, 2)  # (cvar,n,h,m)
            y = p.coupling.terms(x.reshape(x.shape[0], nn, hb * nm), p.coupling_params)
            y = y.reshape(nt, nn, hb, nm)
            # the single buffer has step 0 at slot hb - 1, this one at slot H - 1
            slots = nodes[:, None] + (h - hb) + np.arange(hb)[None, :]
            for mode in range(nm):
                self.hist[:, mode, slots, b] = y[:, :, :, mode]
        self.state = np.ascontiguousarray(
            np.stack([np.asarray(hs[-1], dtype=float) for hs in histories], axis=-1)
        )
        shape4 = (nv, nn, nm, n_b)
        self.stochastic = p0.noise_ga is not None
        self.coloured = self.stochastic and p0.ntau > 0
        self.eta = np.zeros(shape4)
        if self.coloured:
            # the single backend's initial coloured-noise state, drawn first from each rng
            for b, rng in enumerate(self.rngs):
                self.eta[..., b] = np.moveaxis(rng.standard_normal((nn, nm, nv)), -1, 0)
        if self.stochastic:
            self.ga = np.ascontiguousarray(np.stack([p.noise_ga for p in plans], axis=-1))
            self.gb = np.ascontiguousarray(np.stack([p.noise_gb for p in plans], axis=-1))
        else:
            self.ga = self.gb = np.zeros((nv, nn, n_b))
        self.noise_e = np.zeros(n_b)
        self.noise_s = np.zeros(n_b)
        self.noise_scale = np.zeros(n_b)
        for b, p in enumerate(plans):
            if p.ntau > 0:
                e = np.exp(-p.dt / p.ntau)
                self.noise_e[b], self.noise_s[b] = float(e), float(np.sqrt(1.0 - e * e))
                self.noise_scale[b] = float(p.dt * np.sqrt(1.0 / p.ntau))
            else:
                self.noise_scale[b] = float(np.sqrt(p.dt))
        eoff = np.stack([p.sources * self.L - (p.delays + 1) + h for p in plans], axis=1)
        elag = delays + 1
        if self.per_sim_delays:
            self.eoff = np.ascontiguousarray(eoff.astype(np.uint64))
            self.elag = np.ascontiguousarray(elag.astype(np.int64))
        else:
            self.eoff = np.ascontiguousarray(eoff[:, 0].astype(np.uint64))
            self.elag = np.ascontiguousarray(elag[:, 0].astype(np.int64))
        self.eweight = np.ascontiguousarray(
            np.stack([p.weights.astype(np.float64) for p in plans], axis=1)
        )
        if self.eweight.size == 0:
            self.eweight = np.zeros((1, n_b))
            self.eoff = np.zeros((1, n_b) if self.per_sim_delays else 1, dtype=np.uint64)
            self.elag = np.ones((1, n_b) if self.per_sim_delays else 1, dtype=np.int64)
        self.esrc = p0.sources if p0.sources.size else np.zeros(1, dtype=np.int64)

        def stacked(name: str) -> np.ndarray:
            return np.ascontiguousarray(
                np.stack([np.asarray(getattr(p, name), dtype=float) for p in plans], axis=-1)
            )

        self.mp = stacked("model_params")
        self.cp = stacked("coupling_params")
        self.mc = stacked("mode_consts")
        if p0.clamp_val.size:
            self.clamp_val = stacked("clamp_val")
        else:
            self.clamp_val = np.zeros((1, n_b))
        n_t = max(nt, 1)
        self.cbuf = np.zeros((2 * n_t, nn, nm, n_b))
        self.zbuf = np.zeros(shape4)
        self.xbuf = np.zeros(shape4)
        self.kbuf = np.zeros(shape4)
        self.ybuf = np.zeros((n_t, nn, nm, n_b))
        self.acc = [
            np.zeros((len(mp.indices), nn, nm, n_b)) if mp.mean else None for mp in p0.monitors
        ]
        self._no_noise = np.zeros((1, 1, 1, 1, n_b))

    def current_state(self, b: int) -> np.ndarray:
        """The state ``(n_var, n_node, n_mode)`` of simulation ``b``."""
        return self.state[..., b].copy()

    def _sub_steps(self) -> int:
        p = self.plans[0]
        per_step = p.n_node * p.n_mode * p.n_var * self.n_sim * 8 * 2  # draws + stacked copy
        return int(max(1, _NOISE_BYTES // max(per_step, 1)))

    def advance(self, step0: int, n_steps: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Steps ``step0 + 1 .. step0 + n_steps`` of every simulation.

        Returns per monitor ``(steps, out)`` with ``out`` of shape
        ``(n_samples, n_voi, n_node, n_mode, B)`` (the single kernel's output per simulation
        along the last axis).
        """
        p = self.plans[0]
        n_b = self.n_sim
        outs = []
        first, last = step0 + 1, step0 + n_steps
        for mp in p.monitors:
            n_samples = last // mp.istep - (first - 1) // mp.istep
            outs.append(np.empty((n_samples, len(mp.indices), p.n_node, p.n_mode, n_b)))
        filled = [0] * len(outs)
        sub = self._sub_steps() if self.stochastic else n_steps
        done = 0
        while done < n_steps:
            n = min(sub, n_steps - done)
            if self.stochastic:
                # each simulation's normals in the single kernel's order (step, node, mode, var)
                znoise = np.stack(
                    [rng.standard_normal((n, p.n_node, p.n_mode, p.n_var)) for rng in self.rngs],
                    axis=-1,
                )
            else:
                znoise = self._no_noise
            counts = np.zeros(max(len(outs), 1), dtype=np.int64)
            mon_args: list[Any] = []
            for k, mp in enumerate(p.monitors):
                mon_args.append(outs[k][filled[k] :])
                if mp.mean:
                    mon_args.append(self.acc[k])
            self.module.kernel(
                n, step0 + done, p.dt, self.state, self.hist, self.L, self.H, self.shiftbuf,
                p.indptr, self.eoff, self.esrc, self.elag, self.eweight, self.mp, self.cp,
                self.mc, self.clamp_val, self.ga, self.gb, znoise, self.eta, self.noise_e,
                self.noise_s, self.noise_scale, self.cbuf, self.zbuf, self.xbuf, self.kbuf,
                self.ybuf, counts, *mon_args,
            )  # fmt: skip
            for k in range(len(outs)):
                filled[k] += int(counts[k])
            done += n
        result = []
        for k, mp in enumerate(p.monitors):
            steps = np.arange((first + mp.istep - 1) // mp.istep, last // mp.istep + 1) * mp.istep
            assert filled[k] == outs[k].shape[0] == steps.size
            result.append((steps.astype(float), outs[k]))
        return result


class BatchedSimulation:
    """B configured simulations advanced together, streamed like single simulators.

    Parameters
    ----------
    sims
        Simulators built with :class:`PlannedSimulator` (plan, initial history and seeded
        generator, no backend of their own); all must have the same :func:`batch_key`.
    """

    def __init__(self, sims: Sequence[Simulator]) -> None:
        if not sims:
            raise ValueError("give at least one simulation")
        self.sims = list(sims)
        for sim in self.sims:
            reason = unsupported_reason(sim)
            if reason is not None:
                raise ValueError(f"cannot batch this simulation: {reason}")
        histories = []
        for sim in self.sims:
            hist = getattr(sim, "history", None)
            if hist is None:
                raise ValueError("batched simulations must be PlannedSimulator instances")
            histories.append(hist)
        self.backend = BatchedBackend([s.plan for s in self.sims], histories, [s.rng for s in sims])
        for sim in self.sims:  # the batch holds the history now
            sim.history = None
        self.step = 0
        # the single simulator's chunking, so that stages and reductions see the same chunks
        self.chunk = self.sims[0]._chunk_size()

    def iter_chunks(self, duration: float) -> Iterator[list[list[tuple[np.ndarray, np.ndarray]]]]:
        """Advance by ``duration`` ms, yielding per chunk, per simulation, one ``(time, data)``
        pair per monitor, exactly as each simulation's ``Simulator.iter_chunks`` would."""
        remaining = self.sims[0].n_steps_for(duration)
        dt = self.sims[0].plan.dt
        while remaining > 0:
            n = min(self.chunk, remaining)
            raw = self.backend.advance(self.step, n)
            out: list[list[tuple[np.ndarray, np.ndarray]]] = []
            for b, sim in enumerate(self.sims):
                per_sim = []
                for mp, (steps, data) in zip(sim.plan.monitors, raw, strict=True):
                    # a contiguous copy: numpy reductions of strided data may sum in another order
                    d = np.ascontiguousarray(data[..., b])
                    if mp.spatial is not None:
                        d = np.einsum("sn,tvnm->tvsm", mp.spatial, d)
                    t = (steps - mp.offset) * dt
                    if mp.stage is not None:
                        t, d = mp.stage.process(t, d)
                    per_sim.append((t, d))
                out.append(per_sim)
            self.step += n
            for sim in self.sims:
                sim.step = self.step
            remaining -= n
            yield out
            del raw, out


class PlannedSimulator(Simulator):
    """A :class:`~vbrain.simulator.Simulator` that stops after planning.

    It keeps its initial history (``self.history``) and its seeded generator (``self.rng``, in
    the state a single backend would start from) for :class:`BatchedSimulation` instead of
    building a backend of its own; it cannot run by itself.
    """

    history: np.ndarray | None

    def _make_backend(self, history: np.ndarray) -> Any:
        self.history = history
        return None
