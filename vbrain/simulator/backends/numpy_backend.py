"""The numpy reference backend: readable, slow, the oracle of the tests.

It keeps a circular history of the raw coupling variables, shape
``(horizon, n_cvar, n_node, n_mode)``, gathers delayed values per edge, applies the
coupling's ``transform``/``pre``/``post`` and steps the integrator with the model's
``derivative``.  The compiled kernel must give the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from vbrain.simulator.simulator import Plan


class NumpyBackend:
    """Step-by-step numpy implementation of a :class:`~vbrain.simulator.simulator.Plan`."""

    def __init__(
        self,
        plan: Plan,
        history: np.ndarray,
        rng: np.random.Generator,
        compat: str | None = None,
    ) -> None:
        self.plan = plan
        self.rng = rng
        self.f32 = compat == "tvb"
        h = plan.horizon
        # ring slot of step s is s % h; history[-1] is step 0
        dtype = np.float32 if self.f32 else np.float64
        self.hist = np.empty((h, plan.n_cvar, plan.n_node, plan.n_mode), dtype=dtype)
        for back in range(h):
            self.hist[(-back) % h] = history[h - 1 - back][plan.cvar]
        self.state = history[-1].copy()
        self.eta = None
        if plan.noise_ga is not None and plan.ntau > 0:
            self.eta = self._normal()
        self.acc = [
            np.zeros((len(mp.indices), plan.n_node, plan.n_mode)) if mp.mean else None
            for mp in plan.monitors
        ]

    def current_state(self) -> np.ndarray:
        return self.state.copy()

    # -- pieces -------------------------------------------------------------------------------

    def _terms(self, x_cvar: np.ndarray, nodes: np.ndarray | None = None) -> np.ndarray:
        params = self.plan.coupling_params
        if nodes is not None:
            params = params[:, nodes]
        return self.plan.coupling.terms(x_cvar, params)

    def _coupling(self, s: int, x_pred: np.ndarray | None = None) -> np.ndarray:
        """Coupling for computing step ``s``: sources at ``s - 1 - d`` (or, for the Heun
        corrector with ``x_pred``, at ``s - d`` with zero delays read from ``x_pred``)."""
        p = self.plan
        h = p.horizon
        if x_pred is None:
            lag = p.delays + 1
            current = self.hist[(s - 1) % h]
        else:
            lag = p.delays
            current = x_pred[p.cvar]
        slots = (s - lag) % h
        delayed = self.hist[slots, :, p.sources, :]  # (n_edge, n_cvar, n_mode)
        delayed = np.moveaxis(delayed, 1, 0)
        if x_pred is not None:
            zero = p.delays == 0
            delayed[:, zero] = x_pred[p.cvar][:, p.sources[zero]]
        y_delayed = self._terms(delayed, p.sources)
        y_current = self._terms(current)
        return p.coupling.evaluate(
            y_current,
            y_delayed,
            p.weights,
            p.targets,
            p.sources,
            p.coupling_params,
            float32_sums=self.f32,
        )

    def _constrain(self, x: np.ndarray) -> np.ndarray:
        p = self.plan
        if p.bounds is not None:
            x = np.clip(x, p.bounds[:, 0][:, None, None], p.bounds[:, 1][:, None, None])
        if p.clamp_idx.size:
            x = x.copy()
            x[p.clamp_idx] = p.clamp_val[:, None, None]
        return x

    def _normal(self) -> np.ndarray:
        """Standard normals drawn node by node, mode by mode, variable by variable (the
        order of the compiled kernel), returned as ``(n_var, n_node, n_mode)``."""
        p = self.plan
        return np.moveaxis(self.rng.standard_normal((p.n_node, p.n_mode, p.n_var)), -1, 0)

    def _noise(self, x: np.ndarray) -> np.ndarray | float:
        p = self.plan
        if p.noise_ga is None:
            return 0.0
        z = self._normal()
        if self.eta is None:
            dw = np.sqrt(p.dt) * z
        else:
            e = np.exp(-p.dt / p.ntau)
            self.eta = self.eta * e + np.sqrt(1.0 - e * e) * z
            dw = (p.dt * np.sqrt(1.0 / p.ntau)) * self.eta
        g = p.noise_ga[:, :, None] * x + p.noise_gb[:, :, None]
        return g * dw

    # -- stepping -----------------------------------------------------------------------------

    def advance(
        self, step0: int, n_steps: int, stimulus: tuple[np.ndarray, ...] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Steps ``step0 + 1 .. step0 + n_steps``; ``stimulus`` is the chunk's
        :meth:`~vbrain.simulator.stimuli.StimulusPlan.chunk` (None without a stimulus)."""
        p = self.plan
        model = p.model
        params = p.model_params
        recompute = bool(getattr(p.integrator, "recompute_coupling", False))
        outputs: list[tuple[list[int], list[np.ndarray]]] = [([], []) for _ in p.monitors]
        inputs = None
        if stimulus is not None:
            assert p.stimulus is not None
            if len(stimulus) == 2:  # separable: temporal[t] * weights[q, i], as the kernel
                inputs = stimulus[0][:, None, None] * stimulus[1][None, :, :]
            else:
                inputs = stimulus[0]
        stvar = p.stimulus.stvar if p.stimulus is not None else None
        current: list[np.ndarray] = []  # this step's input (n_sv, n_node), held over its stages

        def f(x: np.ndarray, c: np.ndarray) -> np.ndarray:
            d = model.derivative(x, c, 0.0, params)
            if current:
                d[stvar] = d[stvar] + current[0][:, :, None]
            return d

        for s in range(step0 + 1, step0 + n_steps + 1):
            if inputs is not None:
                current[:] = [inputs[s - step0 - 1]]
            c = self._coupling(s)
            xi = self._noise(self.state)
            self.state = p.integrator.step(
                self.state,
                f,
                c,
                xi,
                self._constrain,
                (lambda xp, s=s: self._coupling(s, xp)) if recompute else None,
            )
            self.hist[s % p.horizon] = self.state[p.cvar]
            voi = None
            for k, mp in enumerate(p.monitors):
                emit = s % mp.istep == 0
                if not (emit or mp.mean):
                    continue
                if mp.source == "coupling":
                    values = c[mp.indices]
                else:
                    if voi is None:
                        voi = model.observe(self.state)
                    values = voi[mp.indices]
                if mp.mean:
                    self.acc[k] += values
                    if emit:
                        outputs[k][0].append(s)
                        outputs[k][1].append(self.acc[k] / mp.istep)
                        self.acc[k] = np.zeros_like(self.acc[k])
                elif emit:
                    outputs[k][0].append(s)
                    outputs[k][1].append(np.array(values))
        result = []
        for k, mp in enumerate(p.monitors):
            steps, data = outputs[k]
            shape = (len(steps), len(mp.indices), p.n_node, p.n_mode)
            result.append((np.array(steps, dtype=float), np.array(data).reshape(shape)))
        return result
