"""Phase-plane analysis of a single (uncoupled or constantly driven) node.

For a model with at least two state variables: the vector field on a grid of two chosen
variables (the others held at fixed values), its nullclines as polylines, the fixed points of
the full single-node system with their stability (eigenvalues of the Jacobian), and
trajectories from chosen initial states.  Everything works on the model's own ``dfun`` through
the numpy path, so user-defined models get it for free.

>>> import vbrain as vb
>>> pp = vb.simulator.phase_plane.compute_phase_plane(vb.models.Generic2dOscillator())
>>> [fp.stability for fp in pp.fixed_points]
['stable focus']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.simulator.integrators import Heun, Integrator
from vbrain.simulator.models.base import Model

__all__ = [
    "FixedPoint",
    "PhasePlane",
    "classify",
    "compute_fixed_points",
    "compute_jacobian",
    "compute_phase_plane",
    "compute_trajectory",
    "compute_zero_contours",
]


@dataclass
class FixedPoint:
    """A fixed point of the single-node system.

    Attributes
    ----------
    state
        State ``(n_var,)`` at the fixed point.
    eigenvalues
        Eigenvalues of the Jacobian there.
    stability
        ``"stable node"``, ``"stable focus"``, ``"unstable node"``, ``"unstable focus"``,
        ``"saddle"`` or ``"non-hyperbolic"``.
    """

    state: np.ndarray
    eigenvalues: np.ndarray
    stability: str


@dataclass
class PhasePlane:
    """Vector field, nullclines and fixed points in the plane of two state variables."""

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    dx: np.ndarray  # (n_y, n_x): derivative of x on the grid
    dy: np.ndarray  # (n_y, n_x): derivative of y on the grid
    x_nullcline: list[np.ndarray] = field(default_factory=list)  # polylines (k, 2) of dx = 0
    y_nullcline: list[np.ndarray] = field(default_factory=list)  # polylines (k, 2) of dy = 0
    fixed_points: list[FixedPoint] = field(default_factory=list)
    state: np.ndarray | None = None  # values of the other state variables


def _single_node_f(
    model: Model, coupling: Sequence[float] | None
) -> tuple[callable, np.ndarray, np.ndarray]:
    n_var = model.n_var()
    params = model.parameter_matrix(1)
    n_c = max(len(model.coupling_variables), 1) + 1
    c = np.zeros((n_c, 1, 1))
    if coupling is not None:
        values = np.asarray(coupling, dtype=float)
        if values.ndim != 1 or values.size > n_c:
            raise ValidationError(
                f"coupling must be a sequence of at most {n_c} constant coupling terms"
            )
        c[: values.size, 0, 0] = values

    def f(states: np.ndarray) -> np.ndarray:
        """Derivatives of states ``(n_var, n_points)``."""
        n_points = states.shape[1]
        s = states.reshape(n_var, n_points, 1)
        p = np.repeat(params, n_points, axis=1)
        cc = np.repeat(c, n_points, axis=1)
        return model.derivative(s, cc, 0.0, p)[:, :, 0]

    return f, params, c


def compute_jacobian(
    model: Model, state: Sequence[float], *, coupling: Sequence[float] | None = None
) -> np.ndarray:
    """Jacobian ``(n_var, n_var)`` of the single-node vector field (central differences)."""
    f, _, _ = _single_node_f(model, coupling)
    x0 = np.asarray(state, dtype=float)
    n = x0.size
    h = 1e-6 * np.maximum(1.0, np.abs(x0))
    pts = np.repeat(x0[:, None], 2 * n, axis=1)
    for k in range(n):
        pts[k, 2 * k] += h[k]
        pts[k, 2 * k + 1] -= h[k]
    vals = f(pts)
    return np.stack([(vals[:, 2 * k] - vals[:, 2 * k + 1]) / (2 * h[k]) for k in range(n)], 1)


def classify(eigenvalues: np.ndarray, tol: float = 1e-9) -> str:
    """Name the stability type of a fixed point from its Jacobian eigenvalues."""
    re = eigenvalues.real
    if np.any(np.abs(re) <= tol):
        return "non-hyperbolic"
    if np.all(re < 0):
        kind = "stable"
    elif np.all(re > 0):
        kind = "unstable"
    else:
        return "saddle"
    focus = np.any(np.abs(eigenvalues.imag) > tol)
    return f"{kind} {'focus' if focus else 'node'}"


def compute_fixed_points(
    model: Model,
    *,
    coupling: Sequence[float] | None = None,
    n_seeds: int = 7,
    tol: float = 1e-9,
) -> list[FixedPoint]:
    """Fixed points of the single-node system inside the state-variable ranges.

    Newton iterations (:func:`scipy.optimize.root`) start from a grid of ``n_seeds`` points
    per variable (subsampled randomly, seeded, when that grid is large); distinct converged
    roots within the ranges are returned with their eigenvalues and stability.
    """
    from scipy.optimize import root

    f, _, _ = _single_node_f(model, coupling)
    ranges = model.state_ranges()
    n_var = ranges.shape[0]
    axes = [np.linspace(lo, hi, n_seeds) for lo, hi in ranges]
    grid = np.stack(np.meshgrid(*axes, indexing="ij")).reshape(n_var, -1)
    if grid.shape[1] > 400:
        rng = np.random.default_rng(0)
        grid = grid[:, rng.choice(grid.shape[1], 400, replace=False)]
    scale = np.maximum(ranges[:, 1] - ranges[:, 0], 1e-12)
    found: list[np.ndarray] = []
    for seed in grid.T:
        sol = root(lambda x: f(x[:, None])[:, 0], seed, method="hybr", tol=tol)
        if not sol.success or np.max(np.abs(f(sol.x[:, None]))) > 1e-7:
            continue
        x = sol.x
        inside = np.all(x >= ranges[:, 0] - 1e-9 * scale) and np.all(
            x <= ranges[:, 1] + 1e-9 * scale
        )
        if not inside:
            continue
        if any(np.max(np.abs(x - y) / scale) < 1e-6 for y in found):
            continue
        found.append(x)
    points = []
    for x in sorted(found, key=lambda v: tuple(v)):
        eig = np.linalg.eigvals(compute_jacobian(model, x, coupling=coupling))
        points.append(FixedPoint(state=x, eigenvalues=eig, stability=classify(eig)))
    return points


def compute_zero_contours(x: np.ndarray, y: np.ndarray, values: np.ndarray) -> list[np.ndarray]:
    """Zero level set of ``values`` (n_y, n_x) on the grid as polylines (marching squares).

    Each returned array is ``(k, 2)`` of (x, y) points; segments are chained into lines.
    """
    segments = []
    ny, nx = values.shape
    for j in range(ny - 1):
        for i in range(nx - 1):
            corners = [
                (x[i], y[j], values[j, i]),
                (x[i + 1], y[j], values[j, i + 1]),
                (x[i + 1], y[j + 1], values[j + 1, i + 1]),
                (x[i], y[j + 1], values[j + 1, i]),
            ]
            crossings = []
            for k in range(4):
                # each edge is interpolated in one orientation, so the two cells sharing it
                # produce the same point and the segments chain
                (x0, y0, v0), (x1, y1, v1) = sorted((corners[k], corners[(k + 1) % 4]))
                if (v0 < 0) != (v1 < 0):
                    t = v0 / (v0 - v1)
                    crossings.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
            for k in range(0, len(crossings) - 1, 2):
                a, b = crossings[k], crossings[k + 1]
                if abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1e-12:  # the level set touches a vertex
                    segments.append((a, b))
    return _chain(segments)


def _chain(segments: list[tuple[tuple[float, float], tuple[float, float]]]) -> list[np.ndarray]:
    def key(p: tuple[float, float]) -> tuple[float, float]:
        return (round(p[0], 12), round(p[1], 12))

    ends: dict[tuple[float, float], list[int]] = {}
    for idx, (a, b) in enumerate(segments):
        ends.setdefault(key(a), []).append(idx)
        ends.setdefault(key(b), []).append(idx)
    used = [False] * len(segments)
    lines = []
    for start in range(len(segments)):
        if used[start]:
            continue
        used[start] = True
        line = [segments[start][0], segments[start][1]]
        for forward in (True, False):
            while True:
                tip = line[-1] if forward else line[0]
                nxt = next((s for s in ends.get(key(tip), []) if not used[s]), None)
                if nxt is None:
                    break
                used[nxt] = True
                a, b = segments[nxt]
                other = b if key(a) == key(tip) else a
                if forward:
                    line.append(other)
                else:
                    line.insert(0, other)
        lines.append(np.array(line))
    return lines


def compute_phase_plane(
    model: Model,
    x: str | None = None,
    y: str | None = None,
    *,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    n_grid: int = 41,
    state: dict[str, float] | None = None,
    coupling: Sequence[float] | None = None,
) -> PhasePlane:
    """Vector field, nullclines and fixed points in the plane of ``x`` and ``y``.

    Parameters
    ----------
    model
        Any model with at least two state variables.
    x, y
        State variables spanning the plane (default: the first two).
    x_range, y_range
        Axis limits (default: the variables' declared ranges).
    n_grid
        Grid points per axis.
    state
        Values of the other state variables (default: the middle of their ranges).
    coupling
        Constant long-range coupling terms ``c_0, c_1, ...`` (default 0).
    """
    names = model.state_names()
    if len(names) < 2:
        raise ValidationError(f"{type(model).__name__} has one state variable; a plane needs two")
    x = names[0] if x is None else x
    y = names[1] if y is None else y
    for v in (x, y):
        if v not in names:
            raise ValidationError(
                f"{v!r} is not a state variable of {type(model).__name__}: {names}"
            )
    if x == y:
        raise ValidationError("x and y must be different state variables")
    if n_grid < 3:
        raise ValidationError(f"n_grid must be >= 3, got {n_grid}")
    ranges = model.state_ranges()
    ix, iy = names.index(x), names.index(y)
    xs = np.linspace(*(x_range or ranges[ix]), n_grid)
    ys = np.linspace(*(y_range or ranges[iy]), n_grid)
    base = ranges.mean(axis=1)
    for name, value in (state or {}).items():
        if name not in names:
            raise ValidationError(f"{name!r} is not a state variable of {type(model).__name__}")
        base[names.index(name)] = value
    gx, gy = np.meshgrid(xs, ys)
    pts = np.repeat(base[:, None], gx.size, axis=1)
    pts[ix] = gx.ravel()
    pts[iy] = gy.ravel()
    f, _, _ = _single_node_f(model, coupling)
    d = f(pts)
    dx = d[ix].reshape(gx.shape)
    dy = d[iy].reshape(gx.shape)
    fixed = compute_fixed_points(model, coupling=coupling) if len(names) == 2 else []
    return PhasePlane(
        x_name=x,
        y_name=y,
        x=xs,
        y=ys,
        dx=dx,
        dy=dy,
        x_nullcline=compute_zero_contours(xs, ys, dx),
        y_nullcline=compute_zero_contours(xs, ys, dy),
        fixed_points=fixed,
        state=base,
    )


def compute_trajectory(
    model: Model,
    initial_state: Sequence[float],
    *,
    duration: float = 100.0,
    integrator: Integrator | None = None,
    coupling: Sequence[float] | None = None,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate one node from ``initial_state`` at constant coupling.

    Returns ``time`` (n_steps + 1,) and ``states`` (n_steps + 1, n_var), starting at t = 0.
    The integrator's noise, bounds and clamping apply as in a network simulation.
    """
    integ = integrator if integrator is not None else Heun(dt=0.1)
    x0 = np.asarray(initial_state, dtype=float)
    n_var = model.n_var()
    if x0.shape != (n_var,):
        raise ValidationError(f"initial_state must have {n_var} values {model.state_names()}")
    if not duration >= 0:
        raise ValidationError(f"duration = {duration} ms must be >= 0")
    f, params, c = _single_node_f(model, coupling)
    bounds = model.state_bounds()
    clamp_idx, clamp_val = integ.clamp_indices(model.state_names())
    rng = np.random.default_rng(seed)

    def constrain(x: np.ndarray) -> np.ndarray:
        if bounds is not None:
            x = np.clip(x, bounds[:, 0][:, None, None], bounds[:, 1][:, None, None])
        if clamp_idx.size:
            x = x.copy()
            x[clamp_idx] = clamp_val[:, None, None]
        return x

    def deriv(x: np.ndarray, cc: np.ndarray) -> np.ndarray:
        return model.derivative(x, cc, 0.0, params)

    n_steps = int(np.ceil(duration / integ.dt - 1e-9))
    out = np.empty((n_steps + 1, n_var))
    x = x0.reshape(n_var, 1, 1)
    out[0] = x0
    if integ.noise is not None:
        ga, gb = integ.noise.gfun_coefficients(n_var, 1)
    for k in range(1, n_steps + 1):
        xi = 0.0
        if integ.noise is not None:
            dw = np.sqrt(integ.dt) * rng.standard_normal(x.shape)
            xi = (ga[:, :, None] * x + gb[:, :, None]) * dw
        x = integ.step(x, deriv, c, xi, constrain)
        out[k] = x[:, 0, 0]
    return np.arange(n_steps + 1) * integ.dt, out
