"""Fused numba kernel: the whole step loop compiled, Python only per chunk.

For a configuration (model, coupling, integrator scheme, noise kind, monitors, bounds...) a
module is generated as Python source: the model's ``dfun`` and the coupling's functions are
pasted in and compiled inline, and one ``kernel`` function advances ``n_steps`` steps doing the
delayed sparse gather, coupling, integrator stages, noise and monitor accumulation.  The source
is written to the kernel cache (``$VBRAIN_CACHE_DIR`` or ``~/.cache/vbrain/kernels``) under the
hash of its text, so numba's on-disk cache serves later processes.

Layout: the history holds the coupling *terms* (the coupling's ``transform`` of the coupling
variables, computed once per node and step) in a linear buffer of ``L`` slots per node,
``hist[term, mode, node * L + slot]`` with ``slot = step - shift``; when it is full the last
``horizon`` slots are moved to the front (amortised over ``L - horizon`` steps), so a delayed
read is one unsigned add: ``hist[eoff[e] + slot - H]`` with
``eoff = source * L - (delay + 1) + H``.  Edges are
in CSR order by target.  Each step runs separate loops over the nodes: coupling, noise draws,
integration (all stages of a node at once, vectorisable), history writes and monitors.

A stimulus arrives per chunk, evaluated in numpy: separable ones as ``stim_t[t] * stim_w[q, i]``
(temporal values times the spatial pattern), others as ``stim_a[t, q, i]``; the integration
loop adds the step's value to the derivative of each stimulus variable after every ``dfun``
call.  Without a stimulus the generated source is unchanged (same kernels, same cache).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from vbrain.simulator.backends._codegen import PRELUDE

if TYPE_CHECKING:
    from vbrain.simulator.simulator import Plan

CODEGEN_VERSION = "1"
_MODULES: dict[str, ModuleType] = {}
_LOCK = threading.Lock()

PAIRWISE_LEAF_F32 = '''

@njit(cache=True)
def pairwise_leaf_f32(a, lo, n):
    """numpy's pairwise summation of a[lo:lo+n], n <= 128, in float32 (8 accumulators)."""
    if n < 8:
        res = np.float32(0.0)
        for i in range(lo, lo + n):
            res = np.float32(res + a[i])
        return res
    r0 = a[lo]
    r1 = a[lo + 1]
    r2 = a[lo + 2]
    r3 = a[lo + 3]
    r4 = a[lo + 4]
    r5 = a[lo + 5]
    r6 = a[lo + 6]
    r7 = a[lo + 7]
    i = 8
    stop = n - (n % 8)
    while i < stop:
        r0 = np.float32(r0 + a[lo + i])
        r1 = np.float32(r1 + a[lo + i + 1])
        r2 = np.float32(r2 + a[lo + i + 2])
        r3 = np.float32(r3 + a[lo + i + 3])
        r4 = np.float32(r4 + a[lo + i + 4])
        r5 = np.float32(r5 + a[lo + i + 5])
        r6 = np.float32(r6 + a[lo + i + 6])
        r7 = np.float32(r7 + a[lo + i + 7])
        i += 8
    res = np.float32(np.float32(np.float32(r0 + r1) + np.float32(r2 + r3))
                     + np.float32(np.float32(r4 + r5) + np.float32(r6 + r7)))
    while i < n:
        res = np.float32(res + a[lo + i])
        i += 1
    return res
'''

PAIRWISE_LEVEL_F32 = """

@njit(cache=True)
def pairwise_{k}_f32(a, lo, n):
    if n <= 128:
        return pairwise_leaf_f32(a, lo, n)
    n2 = n // 2
    n2 -= n2 % 8
    return np.float32(pairwise_{k1}_f32(a, lo, n2) + pairwise_{k1}_f32(a, lo + n2, n - n2))
"""

REDUCEAT_F32 = '''

@njit(inline="always", cache=True)
def reduceat_f32(a, n):
    """numpy.add.reduceat of one segment a[:n] in float32: first element + pairwise rest."""
    if n == 0:
        return np.float32(0.0)
    if n == 1:
        return a[0]
    return np.float32(a[0] + pairwise_0_f32(a, 1, n - 1))
'''


def pairwise_f32_source(max_n: int) -> str:
    """Float32 pairwise summation (numpy's order) of up to ``max_n`` values, as source.

    numpy splits blocks of more than 128 values in two halves (the first a multiple of 8)
    recursively.  numba cannot load recursive functions from its on-disk cache (numba issue
    #6061: the cached kernel segfaults in the next process), so the recursion is unrolled
    into one function per level, as many levels as ``max_n`` values need.
    """
    levels = 0
    bound = max(int(max_n), 0)
    while bound > 128:  # a half of n values has at most n // 2 + 8
        bound = bound // 2 + 8
        levels += 1
    parts = [PAIRWISE_LEAF_F32]
    for k in range(levels - 1, -1, -1):
        parts.append(PAIRWISE_LEVEL_F32.format(k=k, k1=k + 1))
    parts.append(f"\npairwise_{levels}_f32 = pairwise_leaf_f32\n")
    parts.append(REDUCEAT_F32)
    return "".join(parts)


def cache_dir() -> Path:
    """Directory of generated kernel modules (and numba's cache of them)."""
    env = os.environ.get("VBRAIN_CACHE_DIR")
    base = Path(env) if env else Path.home() / ".cache" / "vbrain"
    return base / "kernels"


# --------------------------------------------------------------------------------------------
# code generation


class _Code:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.level = 0

    def __call__(self, line: str = "") -> None:
        self.lines.append("    " * self.level + line if line else "")

    def indent(self) -> _Indent:
        return _Indent(self)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Indent:
    def __init__(self, code: _Code) -> None:
        self.code = code

    def __enter__(self) -> None:
        self.code.level += 1

    def __exit__(self, *exc: object) -> None:
        self.code.level -= 1


def _rename(source: str, new_name: str) -> str:
    head, rest = source.split("(", 1)
    assert head.startswith("def ")
    return f"def {new_name}({rest}"


# numpy's error model (inf/nan instead of raising on division by zero) everywhere: the
# kernel uses it, and functions compiled with Python's model carry a zero test per division
_JIT_OPTIONS = "cache=True, error_model='numpy'"


def _inline(source: str) -> str:
    return f'@njit(inline="always", {_JIT_OPTIONS})\n' + source


def _function_code(func: Any, name: str, externals: dict[str, Any]) -> str:
    """Source defining ``name`` as an inlined njit copy of ``func``.

    Functions whose source cannot be read (defined in a plain interactive interpreter) are
    referenced as external objects instead; such kernels are compiled in memory, uncached.
    """
    from vbrain.simulator.models.base import _function_source

    try:
        source = _rename(_function_source(func), name)
        if len(inspect.signature(func).parameters) > 30:
            # Python packs calls with more than 30 arguments into *args, which numba's IR
            # inliner rejects; LLVM still inlines the compiled call
            return f"@njit({_JIT_OPTIONS})\n" + source
        return _inline(source)
    except (OSError, TypeError):
        key = f"_external_{len(externals)}"
        externals[key] = func
        return f'{name} = njit(inline="always", error_model="numpy")({key})'


class _KernelCalls:
    """What the single and the batched kernel generators share: the inlined model and coupling
    functions, and the source of calls into them.

    ``lane`` is appended to every per-node parameter index: ``""`` in the single kernel,
    ``", b"`` (simulation ``b``) in the batched one, whose parameter arrays have a trailing
    simulation axis.
    """

    def __init__(self, plan: Plan, lane: str = "") -> None:
        self.mcls, self.ccls = type(plan.model), type(plan.coupling)
        self.snames = self.mcls.state_names()
        self.layout = self.mcls.parameter_layout()
        self.cpnames = self.ccls.parameter_names()
        self.mode_layout = plan.mode_layout
        self.n_mode, self.n_var = plan.n_mode, plan.n_var
        self.lane = lane
        self.voi_exprs = plan.model.voi_expressions()
        self.coupled_modes = bool(self.mcls.mode_sums)
        self.modes = (
            [(f"_{m}", str(m)) for m in range(self.n_mode)] if self.coupled_modes else [("", "m")]
        )

    def functions(self, externals: dict[str, Any]) -> list[str]:
        """Sources of the model's helpers and ``dfun``, the coupling's functions (``c_<role>``)
        and one ``voi_<q>`` per variable of interest."""
        parts = [_function_code(h, h.__name__, externals) for h in self.mcls.helpers]
        parts.append(_function_code(self.mcls.dfun, "dfun", externals))
        for role in ("transform", "pre", "post"):
            parts.append(_function_code(getattr(self.ccls, role), "c_" + role, externals))
        for q, expr in enumerate(self.voi_exprs):
            parts.append(_inline(f"def voi_{q}({', '.join(self.snames)}):\n    return {expr}"))
        return parts

    def ccall(self, role: str, node: str, **given: str) -> str:
        """A call of coupling function ``role``; arguments not given are its parameters."""
        args = []
        for a in self.ccls.arguments(role):
            if a in given:
                args.append(given[a])
            else:
                args.append(f"cp[{self.cpnames.index(a)}, {node}{self.lane}]")
        return f"c_{role}({', '.join(args)})"

    def dfun_call(self, inp: str, cpre: str, sfx: str, me: str) -> str:
        """A call of ``dfun`` on states ``<inp>{v}{sfx}`` and coupling terms ``<cpre>{k}{sfx}``."""
        lane, layout, mode_layout = self.lane, self.layout, self.mode_layout
        args = []
        for a in self.mcls.dfun_arguments():
            if a in self.snames:
                args.append(f"{inp}{self.snames.index(a)}{sfx}")
            elif a in layout:
                start, length = layout[a]
                if length:
                    items = ", ".join(f"mp[{start + j}, i{lane}]" for j in range(length))
                    args.append(f"({items},)")
                else:
                    args.append(f"mp[{start}, i{lane}]")
            elif a in self.mcls.mode_sums:
                args.append(f"ms_{a}{sfx}")
            elif a in mode_layout:
                args.append(f"mc[{mode_layout[a][0]}, {me}{lane}]")
            elif a.startswith("lc_"):
                args.append("0.0")
            else:
                args.append(f"{cpre}{int(a[2:])}{sfx}")
        return f"dfun({', '.join(args)})"

    def derivatives(self, c: _Code, out: str, inp: str, cpre: str, after: Any = None) -> None:
        """Emit the mode sums, then ``<out>{v}{sfx} = dfun(...)`` for every mode;
        ``after(sfx)`` may add lines after each mode's call."""
        mode_layout, snames = self.mode_layout, self.snames
        for name, (source, matrix) in self.mcls.mode_sums.items():
            for sfx, me in self.modes:
                terms = []
                for k in range(self.n_mode):
                    if source in snames:
                        src = f"{inp}{snames.index(source)}_{k}"
                    else:
                        src = f"{cpre}{int(source[2:])}_{k}"
                    if matrix is not None:
                        src += f" * mc[{mode_layout[matrix][0] + k}, {me}{self.lane}]"
                    terms.append(src)
                c(f"ms_{name}{sfx} = {' + '.join(terms)}")
        for sfx, me in self.modes:
            outs = ", ".join(f"{out}{v}{sfx}" for v in range(self.n_var))
            c(f"{outs}, = {self.dfun_call(inp, cpre, sfx, me)}")
            if after is not None:
                after(sfx)


def generate_source(plan: Plan, compat: str | None) -> tuple[str, dict[str, Any]]:
    """Python source of the kernel module for ``plan``, and external objects it needs."""
    integ = plan.integrator
    mcls = type(plan.model)
    nv, nt = plan.n_var, plan.n_term
    # terms nobody reads are neither gathered nor stored (their buffers stay zero)
    active = list(plan.active_terms)
    snames = mcls.state_names()
    scheme = integ.scheme
    recompute = scheme == "heun" and bool(getattr(integ, "recompute_coupling", False))
    stochastic = plan.noise_ga is not None
    coloured = stochastic and plan.ntau > 0
    f32 = compat == "tvb"
    bounds = plan.bounds
    clamp = [int(i) for i in plan.clamp_idx]
    nm = plan.n_mode
    stim = plan.stimulus
    stvar = [] if stim is None else [int(v) for v in stim.stvar]

    externals: dict[str, Any] = {}
    parts = [f"# generated by vbrain (codegen {CODEGEN_VERSION}); do not edit", PRELUDE]
    if f32:
        row_lengths = np.diff(plan.indptr)
        parts.append(pairwise_f32_source(int(row_lengths.max()) if row_lengths.size else 0))
    calls = _KernelCalls(plan)
    parts.extend(calls.functions(externals))
    voi_exprs = calls.voi_exprs
    ccall = calls.ccall
    coupled_modes = calls.coupled_modes
    # mode-coupled models integrate all modes of a node together (unrolled, suffix _m);
    # others loop over modes with one set of scalar names
    modes = calls.modes

    def stage(c: _Code, out: str, inp: str, cpre: str) -> None:
        """Derivatives ``<out>{v}{sfx}`` of every mode from states ``<inp>{v}{sfx}``."""

        def add_stimulus(sfx: str) -> None:
            # the step's stimulus, held over its stages (loaded by load_stimulus)
            for q, v in enumerate(stvar):
                c(f"{out}{v}{sfx} = {out}{v}{sfx} + st{q}")

        calls.derivatives(c, out, inp, cpre, after=add_stimulus)

    def load_stimulus(c: _Code) -> None:
        """``st{q}``: the input of stimulus variable q at node i for step t of the chunk."""
        for q in range(len(stvar)):
            if stim.separable:
                c(f"st{q} = stim_t[t] * stim_w[{q}, i]")
            else:
                c(f"st{q} = stim_a[t, {q}, i]")

    def noise(v: int, sfx: str, me: str) -> str:
        if not stochastic:
            return ""
        return f" + (ga[{v}, i] * x{v}{sfx} + gb[{v}, i]) * zbuf[{v}, i, {me}]"

    def constrain(c: _Code, names: list[str]) -> None:
        # min/max rather than branches keep the node loop vectorisable
        if bounds is not None:
            for v in range(nv):
                lo, hi = bounds[v]
                if np.isfinite(lo):
                    c(f"{names[v]} = max({names[v]}, {lo!r})")
                if np.isfinite(hi):
                    c(f"{names[v]} = min({names[v]}, {hi!r})")
        for q, v in enumerate(clamp):
            c(f"{names[v]} = clamp_val[{q}]")

    def update(c: _Code, target: str, expr: str) -> None:
        """``target{v}{sfx} = expr`` for every variable and mode, then bounds; ``expr`` has the
        fields ``{v}`` (variable), ``{s}`` (mode suffix) and ``{n}`` (the noise increment)."""
        for sfx, me in modes:
            for v in range(nv):
                c(f"{target}{v}{sfx} = {expr.format(v=v, s=sfx, n=noise(v, sfx, me))}")
            constrain(c, [f"{target}{v}{sfx}" for v in range(nv)])

    def integration_loop(c: _Code) -> int:
        c("for i in range(n_node):")
        if coupled_modes:
            return 1
        with c.indent():
            c(f"for m in range({nm}):")
        return 2

    mons = plan.monitors
    mon_args = []
    for j, mp_ in enumerate(mons):
        mon_args += [f"out_{j}"] + ([f"acc_{j}"] if mp_.mean else [])
    c = _Code()
    sig = (
        "n_steps, step0, dt, state, hist, L, H, shiftbuf, indptr, eoff, esrc, elag, eweight, "
        "mp, cp, mc, clamp_val, ga, gb, rng, eta, noise_e, noise_s, noise_scale, cbuf, zbuf, xbuf, "
        "kbuf, ybuf, prodbuf, counts" + "".join(", " + a for a in mon_args)
    )
    if stim is not None:
        sig += ", stim_t, stim_w" if stim.separable else ", stim_a"
    c("@njit(cache=True, nogil=True, boundscheck=False, error_model='numpy')")
    c(f"def kernel({sig}):")
    with c.indent():
        c("n_node = state.shape[1]")
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
            _gen_step_start(c, active, nm, len(mons))
            if active:
                c("# coupling of every node")
                _node_loop(c, nm)
                with c.indent(), c.indent():
                    _gen_coupling(c, active, "c", ccall, f32)
                    for k in active:
                        c(f"cbuf[{k}, i, m] = c{k}")
            if stochastic:
                c("# noise increments, drawn node by node, mode by mode, variable by variable")
                _node_loop(c, nm)
                with c.indent(), c.indent():
                    for v in range(nv):
                        c("z = rng.standard_normal()")
                        if coloured:
                            c(f"eta[{v}, i, m] = eta[{v}, i, m] * noise_e + noise_s * z")
                            c(f"zbuf[{v}, i, m] = noise_scale * eta[{v}, i, m]")
                        else:
                            c(f"zbuf[{v}, i, m] = noise_scale * z")
            c("# integration")
            depth = integration_loop(c)
            c.level += depth
            for sfx, me in modes:
                for v in range(nv):
                    c(f"x{v}{sfx} = state[{v}, i, {me}]")
                for k in range(nt):
                    c(f"c{k}{sfx} = cbuf[{k}, i, {me}]")
            load_stimulus(c)
            if recompute:
                stage(c, "k", "x", "c")
                update(c, "p", "x{v}{s} + dt * k{v}{s}{n}")
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"xbuf[{v}, i, {me}] = p{v}{sfx}")
                        c(f"kbuf[{v}, i, {me}] = k{v}{sfx}")
            else:
                _gen_fused_step(c, scheme, stage, update)
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"state[{v}, i, {me}] = x{v}{sfx}")
            c.level -= depth
            if recompute:
                c("# Heun corrector with the coupling at the end of the step")
                if active:
                    _node_loop(c, nm)
                    with c.indent(), c.indent():
                        cv_p = ", ".join(f"xbuf[{cv}, i, m]" for cv in plan.cvar)
                        for k in active:
                            tr = ccall("transform", "i", x=f"({cv_p},)", k=str(k))
                            c(f"ybuf[{k}, i, m] = {tr}")
                    _node_loop(c, nm)
                    with c.indent(), c.indent():
                        _gen_coupling(c, active, "d", ccall, f32, pred=True)
                        for k in active:
                            c(f"cbuf[{nt + k}, i, m] = d{k}")
                depth = integration_loop(c)
                c.level += depth
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"x{v}{sfx} = state[{v}, i, {me}]")
                        c(f"p{v}{sfx} = xbuf[{v}, i, {me}]")
                        c(f"k{v}{sfx} = kbuf[{v}, i, {me}]")
                    for k in range(nt):
                        c(f"d{k}{sfx} = cbuf[{nt + k}, i, {me}]")
                load_stimulus(c)
                stage(c, "l", "p", "d")
                update(c, "x", "x{v}{s} + hdt * (k{v}{s} + l{v}{s}){n}")
                for sfx, me in modes:
                    for v in range(nv):
                        c(f"state[{v}, i, {me}] = x{v}{sfx}")
                c.level -= depth
            c("# history and monitors")
            _node_loop(c, nm)
            with c.indent(), c.indent():
                for v in range(nv):
                    c(f"x{v} = state[{v}, i, m]")
                _gen_store(c, active, plan, ccall, f32)
                if any(mp_.source == "coupling" for mp_ in mons):
                    for k in range(nt):
                        c(f"c{k} = cbuf[{k}, i, m]")
                _gen_monitors(c, mons, voi_exprs, snames, "x", "c")
            for j in range(len(mons)):
                c(f"if emit_{j}:")
                with c.indent():
                    c(f"counts[{j}] += 1")
        c("shiftbuf[0] = shift")
    parts.append(c.text())
    return "\n\n".join(parts), externals


def _gen_step_start(
    c: _Code, active: list[int], nm: int, n_mon: int, batched: bool = False
) -> None:
    """Start of step ``s``: its row ``q`` in the linear history (shifting the last ``H`` rows
    of the terms that are read to the front when the buffer is full), the unsigned gather
    offset ``qq`` and the monitors' emit flags.  ``batched``: histories have a trailing
    simulation axis ``b``."""
    c("s = step0 + t + 1")
    c("q = s - shift")
    c("if q == L:")
    with c.indent():
        c("# linear history full: keep the last H steps at the front")
        if active:
            c(f"for k in {tuple(active)!r}:")
            with c.indent():
                c(f"for m in range({nm}):")
                with c.indent():
                    c("for j in range(n_node):")
                    with c.indent():
                        c("for r in range(H):")
                        with c.indent():
                            if batched:
                                c("for b in range(B):")
                                with c.indent():
                                    c("hist[k, m, j * L + r, b] = hist[k, m, j * L + L - H + r, b]")
                            else:
                                c("hist[k, m, j * L + r] = hist[k, m, j * L + L - H + r]")
        c("shift += L - H")
        c("q = H")
    c("# unsigned offsets: no negative-index wraparound test in the gather")
    c("qq = np.uint64(q - H)")
    for j in range(n_mon):
        c(f"emit_{j} = (s % istep_{j}) == 0")


def _gen_coupling(c, terms, out, ccall, f32, pred=False):
    """Coupling terms ``<out>k`` of node i, mode m.

    The source of edge ``e`` is read at step ``s - elag[e]`` (``elag`` = delay + 1), i.e. at
    ``eoff[e] + q - H`` (``eoff`` unsigned, offset by ``H``); with ``pred`` (Heun corrector)
    at ``s - delay``, zero-delay sources coming from the predicted terms ``ybuf``.  Only
    ``terms`` are computed (see ``Plan.active_terms``).
    """
    for k in terms:
        if pred:
            c(f"yi = ybuf[{k}, i, m]")
        else:
            c(f"yi = hist[{k}, m, i * L + q - 1]")
        if f32:
            c("n_e = 0")
            c("for e in range(indptr[i], indptr[i + 1]):")
            with c.indent():
                _gen_read(c, k, pred)
                pre = ccall("pre", "i", x_i="yi", x_j="yj")
                c(f"prodbuf[n_e] = np.float32(eweight[e] * np.float32({pre}))")
                c("n_e += 1")
            c("gx = np.float64(reduceat_f32(prodbuf, n_e))")
        else:
            # four partial sums (edge positions 0,1,2,3 mod 4 within the row) break the
            # add-latency chain; the numpy reference sums in the same order
            for r in range(4):
                c(f"g{r} = 0.0")
            c("e = indptr[i]")
            c("e1 = indptr[i + 1]")
            c("while e + 3 < e1:")
            with c.indent():
                for r in range(4):
                    c(f"er = e + {r}")
                    _gen_read(c, k, pred, "er")
                    c(f"g{r} += eweight[er] * {ccall('pre', 'i', x_i='yi', x_j='yj')}")
                c("e += 4")
            for r in range(3):
                c(f"if e + {r} < e1:")
                with c.indent():
                    c(f"er = e + {r}")
                    _gen_read(c, k, pred, "er")
                    c(f"g{r} += eweight[er] * {ccall('pre', 'i', x_i='yi', x_j='yj')}")
            c("gx = (g0 + g1) + (g2 + g3)")
        c(f"{out}{k} = {ccall('post', 'i', gx='gx', x_i='yi', k=str(k), n_node='n_node')}")


def _gen_read(c, k, pred, e="e"):
    """``yj`` = delayed term k of the source of edge ``e``."""
    if pred:
        c(f"if elag[{e}] == 1:")
        with c.indent():
            c(f"yj = ybuf[{k}, esrc[{e}], m]")
        c("else:")
        with c.indent():
            c(f"yj = hist[{k}, m, eoff[{e}] + qq + one]")
    else:
        c(f"yj = hist[{k}, m, eoff[{e}] + qq]")


def _node_loop(c, nm):
    c("for i in range(n_node):")
    with c.indent():
        c(f"for m in range({nm}):")


def _gen_fused_step(c, scheme, stage, update):
    """All stages of one node (all modes): coupling ``c`` held over the step."""
    if scheme == "euler":
        stage(c, "k", "x", "c")
        update(c, "x", "x{v}{s} + dt * k{v}{s}{n}")
    elif scheme == "identity":
        stage(c, "k", "x", "c")
        update(c, "x", "k{v}{s}{n}")
    elif scheme == "heun":
        stage(c, "k", "x", "c")
        update(c, "p", "x{v}{s} + dt * k{v}{s}{n}")
        stage(c, "l", "p", "c")
        update(c, "x", "x{v}{s} + hdt * (k{v}{s} + l{v}{s}){n}")
    elif scheme == "rk4":
        stage(c, "a", "x", "c")
        for src, dst, h in (("a", "b", "dt2"), ("b", "g", "dt2"), ("g", "h", "dt")):
            update(c, "p", f"x{{v}}{{s}} + {h} * {src}{{v}}{{s}}")
            stage(c, dst, "p", "c")
        update(c, "x", "x{v}{s} + dt6 * (a{v}{s} + 2.0 * b{v}{s} + 2.0 * g{v}{s} + h{v}{s}){n}")
    else:  # pragma: no cover - registry guards this
        raise ValueError(f"unknown scheme {scheme}")


def _gen_store(c, terms, plan, ccall, f32):
    cv = ", ".join(f"x{i}" for i in plan.cvar)
    for k in terms:
        val = ccall("transform", "i", x=f"({cv},)", k=str(k))
        if f32:
            val = f"np.float32({val})"
        c(f"hist[{k}, m, i * L + q] = {val}")


def _gen_monitors(c, mons, voi_exprs, snames, xp, cp_):
    if not mons:
        return
    voi_needed = sorted({int(q) for mp in mons if mp.source == "voi" for q in mp.indices})
    any_mean = any(mp.mean for mp in mons)
    emits = " or ".join(f"emit_{j}" for j in range(len(mons)))
    cond = "True" if any_mean else emits
    c(f"if {cond}:")
    with c.indent():
        xs = ", ".join(f"{xp}{v}" for v in range(len(snames)))
        for q in voi_needed:
            c(f"v{q} = voi_{q}({xs})")
        for j, mp in enumerate(mons):
            vals = [
                f"{cp_}{int(q)}" if mp.source == "coupling" else f"v{int(q)}" for q in mp.indices
            ]
            if mp.mean:
                for r, val in enumerate(vals):
                    c(f"acc_{j}[{r}, i, m] += {val}")
                c(f"if emit_{j}:")
                with c.indent():
                    for r in range(len(vals)):
                        c(f"out_{j}[counts[{j}], {r}, i, m] = acc_{j}[{r}, i, m] / istep_{j}")
                        c(f"acc_{j}[{r}, i, m] = 0.0")
            else:
                c(f"if emit_{j}:")
                with c.indent():
                    for r, val in enumerate(vals):
                        c(f"out_{j}[counts[{j}], {r}, i, m] = {val}")


# --------------------------------------------------------------------------------------------
# module cache


def load_kernel_module(source: str, externals: dict[str, Any] | None = None) -> ModuleType:
    """Import the generated module (written once per source hash into the cache dir).

    With ``externals`` (functions without readable source) the module is executed in memory
    with numba's on-disk cache off.
    """
    if externals:
        module = ModuleType("vbrain_kernel_uncached")
        module.__dict__.update(externals)
        _register_where_overload()
        code = source.replace("cache=True", "cache=False")
        exec(compile(code, "<vbrain kernel>", "exec"), module.__dict__)  # noqa: S102 - codegen
        return module
    digest = hashlib.sha256(source.encode()).hexdigest()[:24]
    with _LOCK:
        if digest in _MODULES:
            return _MODULES[digest]
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        name = f"vbrain_kernel_{digest}"
        path = directory / f"{name}.py"
        if not path.exists() or path.read_text() != source:
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                fh.write(source)
            os.replace(tmp, path)
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _MODULES[digest] = module
        return module


_WHERE_REGISTERED = False


def _register_where_overload() -> None:
    """Teach numba :func:`vbrain.simulator.models.where` (for dfuns compiled from objects)."""
    global _WHERE_REGISTERED
    if _WHERE_REGISTERED:
        return
    from numba.extending import overload

    from vbrain.simulator.models.base import where

    @overload(where)
    def _where_scalar(condition, if_true, if_false):  # pragma: no cover - numba typing
        def impl(condition, if_true, if_false):
            return if_true if condition else if_false

        return impl

    _WHERE_REGISTERED = True


# --------------------------------------------------------------------------------------------
# backend


class NumbaBackend:
    """Runs a :class:`~vbrain.simulator.simulator.Plan` through the generated fused kernel."""

    def __init__(
        self,
        plan: Plan,
        history: np.ndarray,
        rng: np.random.Generator,
        compat: str | None = None,
    ) -> None:
        self.plan = plan
        self.rng = rng
        self.compat = compat
        self.source, externals = generate_source(plan, compat)
        self.module = load_kernel_module(self.source, externals)
        p = plan
        h = p.horizon
        # linear history of L slots per node; when full, the last H slots move to the front
        self.L = h + max(h, 256)
        self.shiftbuf = np.array([-(h - 1)], dtype=np.int64)  # slot of step s = s - shift
        hdtype = np.float32 if compat == "tvb" else np.float64
        self.hist = np.zeros((p.n_term, p.n_mode, p.n_node * self.L), dtype=hdtype)
        nodes = np.arange(p.n_node) * self.L
        for slot in range(h):
            y = p.coupling.terms(history[slot][p.cvar], p.coupling_params)  # steps -(h-1)..0
            for mode in range(p.n_mode):
                self.hist[:, mode, nodes + slot] = y[:, :, mode]
        self.state = np.ascontiguousarray(history[-1], dtype=float)
        shape3 = (p.n_var, p.n_node, p.n_mode)
        self.eta = np.zeros(shape3)
        if p.noise_ga is not None and p.ntau > 0:
            self.eta = np.moveaxis(rng.standard_normal((p.n_node, p.n_mode, p.n_var)), -1, 0).copy()
        if p.noise_ga is not None:
            self.ga, self.gb = p.noise_ga, p.noise_gb
        else:
            self.ga = self.gb = np.zeros((p.n_var, p.n_node))
        if p.ntau > 0:
            e = np.exp(-p.dt / p.ntau)
            self.noise_e, self.noise_s = float(e), float(np.sqrt(1.0 - e * e))
            self.noise_scale = float(p.dt * np.sqrt(1.0 / p.ntau))
        else:
            self.noise_e = self.noise_s = 0.0
            self.noise_scale = float(np.sqrt(p.dt))
        self.eoff = (p.sources * self.L - (p.delays + 1) + h).astype(np.uint64)
        self.elag = (p.delays + 1).astype(np.int64)
        self.eweight = p.weights.astype(np.float32 if compat == "tvb" else np.float64)
        n_t = max(p.n_term, 1)
        self.cbuf = np.zeros((2 * n_t, p.n_node, p.n_mode))
        self.zbuf = np.zeros(shape3)
        self.xbuf = np.zeros(shape3)
        self.kbuf = np.zeros(shape3)
        self.ybuf = np.zeros((n_t, p.n_node, p.n_mode))
        self.prodbuf = np.zeros(max(p.n_node, 1), dtype=np.float32)
        self.acc = [
            np.zeros((len(mp.indices), p.n_node, p.n_mode)) if mp.mean else None
            for mp in p.monitors
        ]
        self.clamp_val = p.clamp_val.astype(float) if p.clamp_val.size else np.zeros(1)

    def current_state(self) -> np.ndarray:
        return self.state.copy()

    def advance(
        self, step0: int, n_steps: int, stimulus: tuple[np.ndarray, ...] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Steps ``step0 + 1 .. step0 + n_steps``; ``stimulus`` is the chunk's
        :meth:`~vbrain.simulator.stimuli.StimulusPlan.chunk` (None without a stimulus)."""
        p = self.plan
        if (stimulus is None) != (p.stimulus is None):
            has = "without" if p.stimulus is None else "with"
            raise ValueError(f"this kernel was generated {has} a stimulus; advance() must match")
        outs = []
        mon_args: list[Any] = []
        for k, mp in enumerate(p.monitors):
            first = step0 + 1
            last = step0 + n_steps
            n_samples = last // mp.istep - (first - 1) // mp.istep
            out = np.empty((n_samples, len(mp.indices), p.n_node, p.n_mode))
            outs.append((out, first, last))
            mon_args.append(out)
            if mp.mean:
                mon_args.append(self.acc[k])
        counts = np.zeros(max(len(p.monitors), 1), dtype=np.int64)
        self.module.kernel(
            n_steps, step0, p.dt, self.state, self.hist, self.L, p.horizon, self.shiftbuf,
            p.indptr, self.eoff, p.sources, self.elag, self.eweight, p.model_params,
            p.coupling_params, p.mode_consts, self.clamp_val, self.ga, self.gb, self.rng,
            self.eta, self.noise_e, self.noise_s, self.noise_scale, self.cbuf, self.zbuf,
            self.xbuf, self.kbuf, self.ybuf, self.prodbuf, counts, *mon_args, *(stimulus or ()),
        )  # fmt: skip
        result = []
        for k, (mp, (out, first, last)) in enumerate(zip(p.monitors, outs, strict=True)):
            steps = np.arange((first + mp.istep - 1) // mp.istep, last // mp.istep + 1) * mp.istep
            assert counts[k] == out.shape[0] == steps.size
            result.append((steps.astype(float), out))
        return result
