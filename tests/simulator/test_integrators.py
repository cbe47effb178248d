"""Integration schemes and noise: convergence orders, maps, noise statistics, bounds, clamping.

Deterministic orders are measured on a damped rotation with a closed-form solution; noise
statistics on a model whose derivative is zero, so every state increment is the noise term
alone.  Statistical checks use the numpy backend on many uncoupled nodes (the compiled
kernel draws the same numbers, as the conformance suite and the last tests here check).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

import vbrain as vb
from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator import coupling, integrators, monitors, noise
from vbrain.simulator.models import Model, StateVariable


class IntegratorTestRotation(Model):
    """Damped rotation: x' = -g x - w y, y' = w x - g y (solution e^{-g t} R(w t) x0)."""

    state_variables = {
        "x": StateVariable(range=(-1.0, 1.0)),
        "y": StateVariable(range=(-1.0, 1.0)),
    }
    coupling_variables = ("x",)
    variables_of_interest: tuple[str, ...] = Attr(("x", "y"))
    g: ParamValue = Parameter(0.3)
    w: ParamValue = Parameter(2.0)

    @staticmethod
    def dfun(x, y, g, w):
        return -g * x - w * y, w * x - g * y


class IntegratorTestNull(Model):
    """Zero derivative: a stochastic step adds exactly the noise increment."""

    state_variables = {
        "p": StateVariable(range=(1.0, 2.0)),
        "q": StateVariable(range=(1.0, 2.0)),
    }
    coupling_variables = ("p",)
    variables_of_interest: tuple[str, ...] = Attr(("p", "q"))

    @staticmethod
    def dfun(p, q):
        return 0.0 * p, 0.0 * q


def _isolated(n: int) -> vb.Connectivity:
    return vb.Connectivity(weights=np.zeros((n, n)), tract_lengths=np.zeros((n, n)))


def _slope(dts, errors) -> float:
    return float(np.polyfit(np.log(dts), np.log(errors), 1)[0])


# --------------------------------------------------------------------------------------------
# deterministic accuracy

DTS = np.array([0.1, 0.05, 0.025, 0.0125])
T_END = 2.0


@pytest.mark.parametrize(("name", "order"), [("Euler", 1), ("Heun", 2), ("RK4", 4)])
def test_order_of_convergence(name, order):
    x0 = np.array([1.0, 0.5])
    model = IntegratorTestRotation()
    g, w = model.g, model.w
    c, s = math.cos(w * T_END), math.sin(w * T_END)
    exact = math.exp(-g * T_END) * np.array([c * x0[0] - s * x0[1], s * x0[0] + c * x0[1]])
    errors = []
    for dt in DTS:
        res = vb.simulate(
            _isolated(1),
            model=model,
            integrator=integrators.get(name)(dt=dt),
            monitors=[monitors.Raw()],
            initial_history=x0[:, None],
            duration=T_END,
            backend="numpy",
        )
        assert res[0].time[-1] == pytest.approx(T_END)
        errors.append(np.max(np.abs(res[0].data[-1, :, 0, 0] - exact)))
    assert abs(_slope(DTS, errors) - order) < 0.3, errors
    assert integrators.get(name).order == order


def test_identity_is_the_exact_map():
    """Identity: x(n+1) = f(x(n), c(n)) with f = gamma x + c, c = a sum_j w_ij x_j(n - d_ij)."""
    w = np.array([[0.0, 0.8, 0.0], [0.5, 0.0, 1.2], [0.7, 0.3, 0.0]])
    lengths = np.array([[0.0, 0.2, 0.0], [0.1, 0.0, 0.3], [0.0, 0.2, 0.0]])
    dt, gamma, a, b = 0.1, -0.5, 0.25, 0.1
    delays = np.rint(lengths / dt).astype(int)
    horizon = delays[w != 0].max() + 1
    hist = np.random.default_rng(3).uniform(-1.0, 1.0, (horizon, 1, 3))
    n_steps = 8
    res = vb.simulate(
        vb.Connectivity(weights=w, tract_lengths=lengths, speed=1.0),
        model=vb.models.Linear(gamma=gamma),
        coupling=coupling.Linear(a=a, b=b),
        integrator=integrators.Identity(dt=dt),
        monitors=[monitors.Raw()],
        initial_history=hist,
        duration=n_steps * dt,
        backend="numpy",
    )
    xs = [hist[k, 0] for k in range(horizon)]  # xs[horizon - 1 + n] = x(n)
    for n in range(n_steps):
        x_n = xs[horizon - 1 + n]
        c_n = np.array(
            [
                a * sum(w[i, j] * xs[horizon - 1 + n - delays[i, j]][j] for j in range(3)) + b
                for i in range(3)
            ]
        )
        xs.append(gamma * x_n + c_n)
    expected = np.array(xs[horizon:])
    np.testing.assert_allclose(res[0].data[:, 0, :, 0], expected, rtol=1e-14, atol=1e-15)


# --------------------------------------------------------------------------------------------
# Heun with the coupling recomputed at the corrector stage


def _linear_network(speed: float) -> vb.Connectivity:
    w = np.array([[0.0, 1.0, 0.5], [0.8, 0.0, 0.0], [0.3, 1.1, 0.4]])
    lengths = np.array([[0.0, 0.0, 6.0], [2.0, 0.0, 0.0], [0.0, 4.0, 0.0]])
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=speed)


def _heun_linear(dt: float, n_steps: int, recompute: bool, x0: np.ndarray) -> np.ndarray:
    res = vb.simulate(
        _linear_network(math.inf),
        model=vb.models.Linear(gamma=-1.0),
        coupling=coupling.Linear(a=0.5),
        integrator=integrators.Heun(dt=dt, recompute_coupling=recompute),
        monitors=[monitors.Raw()],
        initial_history=x0[None, :],
        duration=n_steps * dt,
        backend="numpy",
    )
    return res[0].data[:, 0, :, 0]


def test_heun_recompute_coupling_is_second_order_on_a_network():
    """With delays 0 the held coupling makes the default Heun first order on a coupled
    network; recomputing it at the corrector restores second order."""
    conn = _linear_network(math.inf)
    x0 = np.array([1.0, -0.5, 0.25])
    jac = -1.0 * np.eye(3) + 0.5 * conn.weights
    exact = expm(jac * T_END) @ x0
    err = {True: [], False: []}
    one_step = []
    for dt in DTS:
        n = int(round(T_END / dt))
        for recompute in (True, False):
            err[recompute].append(np.max(np.abs(_heun_linear(dt, n, recompute, x0)[-1] - exact)))
        # a single step from the same state differs by O(dt^2)
        diff = _heun_linear(dt, 1, True, x0)[0] - _heun_linear(dt, 1, False, x0)[0]
        one_step.append(np.max(np.abs(diff)))
    assert abs(_slope(DTS, err[True]) - 2) < 0.3, err[True]
    assert abs(_slope(DTS, err[False]) - 1) < 0.3, err[False]
    assert abs(_slope(DTS, one_step) - 2) < 0.1, one_step
    assert all(e_t < e_f for e_t, e_f in zip(err[True], err[False], strict=True))


def test_heun_recompute_numpy_equals_numba_with_mixed_delays():
    """Zero-delay edges read the predictor, delayed ones the history, in both backends."""
    conn = _linear_network(2.0)  # delays 0, 1, 2 and 3 ms
    assert set(np.rint(conn.delays[conn.weights != 0]).tolist()) == {0.0, 1.0, 2.0, 3.0}
    out = {}
    for backend in ("numpy", "numba"):
        for recompute in (True, False):
            res = vb.simulate(
                conn,
                model=vb.models.Generic2dOscillator(),
                coupling=coupling.Linear(a=0.2),
                integrator=integrators.Heun(dt=0.05, recompute_coupling=recompute),
                monitors=[monitors.Raw(variables_of_interest=(0,))],
                duration=15.0,
                seed=11,
                backend=backend,
            )
            out[backend, recompute] = res[0].data
    np.testing.assert_array_equal(out["numba", True], out["numpy", True])
    np.testing.assert_array_equal(out["numba", False], out["numpy", False])
    assert not np.array_equal(out["numba", True], out["numba", False])


# --------------------------------------------------------------------------------------------
# noise


def _null_run(integrator, n_node=1000, n_steps=200, x0=1.5, seed=0) -> np.ndarray:
    """States (n_steps + 1, 2, n_node) of the zero-derivative model, step 0 first."""
    init = np.full((2, n_node), x0) if np.isscalar(x0) else np.asarray(x0)
    res = vb.simulate(
        _isolated(n_node),
        model=IntegratorTestNull(),
        integrator=integrator,
        monitors=[monitors.Raw()],
        initial_history=init,
        duration=n_steps * integrator.dt,
        seed=seed,
        backend="numpy",
    )
    return np.concatenate([init[None], res[0].data[..., 0]])


@pytest.mark.parametrize("name", ["Euler", "Heun"])
def test_additive_increment_variance(name):
    dt, nsig = 0.05, np.array([0.02, 0.5])  # one intensity per state variable
    x = _null_run(integrators.get(name)(dt=dt, noise=noise.Additive(nsig=nsig)))
    increments = np.diff(x, axis=0)  # (200, 2, 1000): 200_000 samples per variable
    var = increments.var(axis=(0, 2))
    np.testing.assert_allclose(var, 2.0 * nsig * dt, rtol=0.03)
    assert np.all(np.abs(increments.mean(axis=(0, 2))) < 4.0 * np.sqrt(var / increments[:, 0].size))


def test_multiplicative_noise_scales_with_state():
    """g(x) = sqrt(2 D) (a x + b): increment / (a x + b) has variance 2 D dt at any level."""
    dt, nsig, a, b = 0.05, 0.01, 2.0, 0.5
    level = np.linspace(0.5, 5.0, 1000)  # a different state per node
    x = _null_run(
        integrators.Euler(dt=dt, noise=noise.Multiplicative(nsig=nsig, a=a, b=b)),
        x0=np.stack([level, 2.0 * level]),
    )
    scaled = np.diff(x, axis=0) / (a * x[:-1] + b)
    np.testing.assert_allclose(scaled.var(axis=(0, 2)), 2.0 * nsig * dt, rtol=0.03)
    # the same holds separately for the lowest and the highest tenth of the nodes (states
    # about ten times apart), i.e. the increment's size is proportional to a x + b
    for part in (slice(0, 100), slice(-100, None)):
        np.testing.assert_allclose(scaled[:, :, part].var(), 2.0 * nsig * dt, rtol=0.05)
    raw = np.diff(x, axis=0)
    assert raw[:, :, -100:].std() > 4.0 * raw[:, :, :100].std()


@pytest.mark.parametrize("name", ["Euler", "Heun"])
def test_coloured_noise_autocorrelation(name):
    """Increments dt sqrt(2D/tau) eta with eta an AR(1) of coefficient exp(-dt/tau)."""
    dt, nsig, ntau = 0.1, 0.3, 0.5
    x = _null_run(integrators.get(name)(dt=dt, noise=noise.Additive(nsig=nsig, ntau=ntau)))
    xi = np.diff(x, axis=0)
    e = math.exp(-dt / ntau)
    lag1 = np.sum(xi[1:] * xi[:-1]) / np.sum(xi[:-1] ** 2)
    lag2 = np.sum(xi[2:] * xi[:-2]) / np.sum(xi[:-2] ** 2)
    assert lag1 == pytest.approx(e, abs=0.02)
    assert lag2 == pytest.approx(e * e, abs=0.02)
    np.testing.assert_allclose(xi.var(axis=(0, 2)), 2.0 * nsig * dt**2 / ntau, rtol=0.05)


# --------------------------------------------------------------------------------------------
# bounds and clamping


@pytest.mark.parametrize("name", ["Euler", "Heun", "RK4", "Identity"])
def test_bounds_clip_reduced_wong_wang(name):
    """Node 0 is driven hard (I_o = 5), node 1 decays fast (tau_s = 1 ms); with dt = 5 ms the
    unconstrained step leaves [0, 1] on both sides, the bounded one stays inside."""
    model = vb.models.ReducedWongWang(I_o=[5.0, 0.0], tau_s=[100.0, 1.0])
    dt = 5.0
    s0 = np.array([[0.5, 0.5]])
    free = s0 + dt * model.derivative(s0[..., None])[..., 0]
    assert free[0, 0] > 1.0 and free[0, 1] < 0.0
    out = {}
    for backend in ("numpy", "numba") if name == "Euler" else ("numpy",):
        res = vb.simulate(
            _isolated(2),
            model=model,
            integrator=integrators.get(name)(dt=dt),
            monitors=[monitors.Raw()],
            initial_history=s0,
            duration=10 * dt,
            backend=backend,
        )
        s = res[0].data[:, 0, :, 0]
        assert s.min() >= 0.0 and s.max() <= 1.0
        if name != "Identity":
            assert s[0, 0] == 1.0 and s[0, 1] == 0.0  # the first step hits both bounds
        out[backend] = s
    if "numba" in out:
        np.testing.assert_array_equal(out["numba"], out["numpy"])


def test_clamped_variable_stays_fixed_under_noise():
    conn = _linear_network(3.0)
    out = {}
    for backend in ("numpy", "numba"):
        res = vb.simulate(
            conn,
            model=vb.models.Generic2dOscillator(variables_of_interest=("V", "W")),
            coupling=coupling.Linear(a=0.1),
            integrator=integrators.Heun(
                dt=0.05,
                clamped_variables=("W",),
                clamped_values=(0.5,),
                noise=noise.Multiplicative(nsig=0.01, ntau=1.0),
            ),
            monitors=[monitors.Raw()],
            duration=10.0,
            seed=4,
            backend=backend,
        )
        data = res[0].data
        assert np.all(data[:, 1] == 0.5)
        assert np.ptp(data[:, 0]) > 0.1  # V evolves
        out[backend] = data
    # multiplicative coloured noise and clamping: the same numbers in both backends
    np.testing.assert_array_equal(out["numba"], out["numpy"])
