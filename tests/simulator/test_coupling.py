"""Coupling functions against hand-written formulas on a 3-node delayed network.

A two-variable model whose map is the identity (``Identity`` integrator, ``dfun = state``)
keeps its state fixed after ``t = 0``, so with an explicit initial history the whole
trajectory ``X(t)`` is known.  The ``AfferentCoupling`` monitor records, at step ``s``, the
coupling used to compute that step:

``c_i(s) = post(sum_j w_ij pre(y_i(s - 1), y_j(s - 1 - d_ij)))``

which is recomputed here from the formulas of the reference (REFERENCE.md section 1.2) with
non-default parameters, every edge having its own delay (0 to 4 steps) and one zero weight.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import vbrain as vb
from vbrain.config.traits import Attr
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import integrators, monitors
from vbrain.simulator.models import Model, StateVariable


class CouplingTestHold(Model):
    """Identity map: under the Identity integrator the state never changes."""

    state_variables = {
        "u": StateVariable(range=(-1.0, 1.0)),
        "v": StateVariable(range=(-1.0, 1.0)),
    }
    coupling_variables = ("u", "v")
    variables_of_interest: tuple[str, ...] = Attr(("u", "v"))

    @staticmethod
    def dfun(u, v):
        return u, v


DT = 0.1
N_STEPS = 7
W = np.array([[0.0, 0.5, 1.5], [2.0, 0.7, 0.0], [0.3, 1.1, 0.0]])
# speed 1 mm/ms and dt 0.1 ms: delay in steps = 10 * length
LENGTHS = np.array([[0.0, 0.2, 0.0], [0.1, 0.3, 0.5], [0.4, 0.0, 0.0]])
DELAYS = np.rint(LENGTHS / DT).astype(int)
HORIZON = int(DELAYS[W != 0].max()) + 1  # 5
N = W.shape[0]


def _history() -> np.ndarray:
    """Initial history (HORIZON, 2, N), most recent (t = 0) last, varying in time."""
    return np.random.default_rng(5).uniform(-1.0, 1.0, (HORIZON, 2, N))


def _trajectory(hist: np.ndarray, t: int) -> np.ndarray:
    """X(t) (2, N): the history for t <= 0, then the constant state X(0)."""
    return hist[HORIZON - 1 + min(t, 0)]


def _expected(name: str, p: dict, hist: np.ndarray) -> np.ndarray:
    """Coupling (N_STEPS, n_term, N) from the reference formulas, edge by edge."""

    def arr(value, i):
        return np.broadcast_to(np.asarray(value, dtype=float), (N,))[i]

    out = []
    for s in range(1, N_STEPS + 1):
        now = _trajectory(hist, s - 1)

        def delayed(i, j, s=s):
            return _trajectory(hist, s - 1 - DELAYS[i, j])

        def wsum(f, k, now=now, delayed=delayed):
            """sum_j w_ij f(k, i, j, x_i(now), x_j(delayed)) per target i."""
            return np.array(
                [
                    sum(
                        W[i, j] * f(k, i, j, now[:, i], delayed(i, j)[:, j])
                        for j in range(N)
                        if W[i, j] != 0.0
                    )
                    for i in range(N)
                ]
            )

        if name == "Linear":
            terms = [
                np.array([arr(p["a"], i) for i in range(N)])
                * wsum(lambda k, i, j, xi, xj: xj[k], k)
                + p["b"]
                for k in range(2)
            ]
        elif name == "Scaling":
            terms = [p["a"] * wsum(lambda k, i, j, xi, xj: xj[k], k) for k in range(2)]
        elif name == "HyperbolicTangent":
            # transform of the source node: its own parameter values
            terms = [
                wsum(
                    lambda k, i, j, xi, xj: (
                        arr(p["a"], j)
                        * (1.0 + math.tanh((p["b"] * xj[k] - p["midpoint"]) / p["sigma"]))
                    ),
                    k,
                )
                for k in range(2)
            ]
        elif name == "Sigmoidal":
            terms = []
            for k in range(2):
                g = wsum(lambda k, i, j, xi, xj: xj[k], k)
                terms.append(
                    p["cmin"]
                    + (p["cmax"] - p["cmin"])
                    / (1.0 + np.exp(-p["a"] * ((g - p["midpoint"]) / p["sigma"])))
                )
        elif name == "SigmoidalJansenRit":
            # one term from the difference of the two coupling variables (y1 - y2)
            terms = [
                p["a"]
                * wsum(
                    lambda k, i, j, xi, xj: (
                        p["cmin"]
                        + (p["cmax"] - p["cmin"])
                        / (1.0 + math.exp(p["r"] * (p["midpoint"] - (xj[0] - xj[1]))))
                    ),
                    0,
                )
            ]
        elif name == "PreSigmoidal" and not p["dynamic"]:
            terms = [
                wsum(
                    lambda k, i, j, xi, xj: (
                        p["H"] * (p["Q"] + math.tanh(p["G"] * (p["P"] * xj[k] - p["theta"])))
                    ),
                    k,
                )
                for k in range(2)
            ]
        elif name == "PreSigmoidal":

            def out_(x):
                return p["H"] * (p["Q"] + math.tanh(p["G"] * (p["P"] * x[0] - x[1])))

            # the second coupling variable is the threshold; term 1 is the node's own output
            terms = [
                wsum(lambda k, i, j, xi, xj: out_(xj), 0),
                np.array([out_(now[:, i]) for i in range(N)]),
            ]
        elif name == "Difference":
            terms = [p["a"] * wsum(lambda k, i, j, xi, xj: xj[k] - xi[k], k) for k in range(2)]
        elif name == "Kuramoto":
            # a / N with N the number of nodes
            terms = [
                p["a"] / N * wsum(lambda k, i, j, xi, xj: math.sin(xj[k] - xi[k]), k)
                for k in range(2)
            ]
        else:  # pragma: no cover - every registered coupling needs a formula here
            raise AssertionError(f"no hand formula for {name}")
        out.append(np.stack(terms))
    return np.array(out)


CASES = [
    ("Linear", {"a": 0.3, "b": -0.2}),
    ("Scaling", {"a": 0.7}),
    ("HyperbolicTangent", {"a": 0.8, "b": 0.9, "midpoint": 0.1, "sigma": 0.5}),
    ("Sigmoidal", {"cmin": -0.5, "cmax": 2.0, "midpoint": 0.3, "a": 1.5, "sigma": 0.8}),
    ("SigmoidalJansenRit", {"cmin": 0.1, "cmax": 0.9, "midpoint": 0.2, "r": 1.3, "a": 0.6}),
    ("PreSigmoidal", {"H": 0.7, "Q": 0.9, "G": 2.0, "P": 1.2, "theta": 0.1, "dynamic": False}),
    ("PreSigmoidal", {"H": 0.7, "Q": 0.9, "G": 2.0, "P": 1.2, "theta": 0.1, "dynamic": True}),
    ("Difference", {"a": 0.4}),
    ("Kuramoto", {"a": 0.9}),
]
CASE_IDS = [f"{n}-dynamic" if p.get("dynamic") else n for n, p in CASES]
# per-node parameters: post uses the target's values, transform the source's
PER_NODE_CASES = [
    ("Linear", {"a": [0.1, 0.2, 0.3], "b": 0.05}),
    ("HyperbolicTangent", {"a": [0.5, 1.0, 2.0], "b": 0.9, "midpoint": 0.1, "sigma": 0.5}),
]


def _simulate(name: str, params: dict, backend: str) -> tuple[np.ndarray, np.ndarray]:
    hist = _history()
    conn = vb.Connectivity(weights=W, tract_lengths=LENGTHS, speed=1.0)
    res = vb.simulate(
        conn,
        model=CouplingTestHold(),
        coupling=coupling_mod.get(name)(**params),
        integrator=integrators.Identity(dt=DT),
        monitors=[monitors.AfferentCoupling(), monitors.Raw()],
        initial_history=hist,
        duration=N_STEPS * DT,
        backend=backend,
    )
    # the map holds the state: the trajectory the formulas assume
    np.testing.assert_array_equal(res["Raw"].data[..., 0], np.repeat(hist[-1:], N_STEPS, 0))
    return res["AfferentCoupling"].data[..., 0], hist


def test_network_has_distinct_delays():
    assert sorted(set(DELAYS[W != 0].tolist())) == [0, 1, 2, 3, 4]


def test_every_registered_coupling_has_a_hand_case():
    library = [
        n
        for n in coupling_mod.list_couplings()
        if coupling_mod.get(n).__module__.startswith("vbrain.")
    ]
    assert sorted({n for n, _ in CASES}) == sorted(library)


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_coupling_matches_hand_formula(name, params):
    got, hist = _simulate(name, params, "numpy")
    expected = _expected(name, params, hist)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize(("name", "params"), PER_NODE_CASES, ids=[n for n, _ in PER_NODE_CASES])
def test_per_node_coupling_parameters(name, params, backend):
    got, hist = _simulate(name, params, backend)
    np.testing.assert_allclose(got, _expected(name, params, hist), rtol=1e-13, atol=1e-15)


def test_difference_coupling_is_exact():
    """x_j - x_i with equal values gives exactly zero; a*gx keeps exact binary fractions."""
    hist = np.zeros((HORIZON, 2, N)) + 0.25
    hist[:, :, 1] = 0.75
    conn = vb.Connectivity(weights=W, tract_lengths=LENGTHS, speed=1.0)
    res = vb.simulate(
        conn,
        model=CouplingTestHold(),
        coupling=coupling_mod.Difference(a=0.5),
        integrator=integrators.Identity(dt=DT),
        monitors=[monitors.AfferentCoupling()],
        initial_history=hist,
        duration=2 * DT,
        backend="numpy",
    )
    c = res[0].data[0, 0, :, 0]
    # node 0: 0.5 * (0.5 * (0.75 - 0.25) + 1.5 * 0) ; node 1: 0.5 * (2.0 * (0.25 - 0.75) + 0)
    # node 2: 0.5 * (0.3 * 0 + 1.1 * (0.75 - 0.25))
    assert c[0] == 0.125 and c[1] == -0.5 and c[2] == 0.5 * (1.1 * 0.5)


REFERENCE_DEFAULTS = {
    # REFERENCE.md section 1.2
    "Linear": {"a": 0.00390625, "b": 0.0},
    "Scaling": {"a": 0.00390625},
    "HyperbolicTangent": {"a": 1.0, "b": 1.0, "midpoint": 0.0, "sigma": 1.0},
    "Sigmoidal": {"cmin": -1.0, "cmax": 1.0, "midpoint": 0.0, "a": 1.0, "sigma": 230.0},
    "SigmoidalJansenRit": {"cmin": 0.0, "cmax": 0.005, "midpoint": 6.0, "r": 0.56, "a": 1.0},
    "PreSigmoidal": {"H": 0.5, "Q": 1.0, "G": 60.0, "P": 1.0, "theta": 0.5, "dynamic": True},
    "Difference": {"a": 0.1},
    "Kuramoto": {"a": 1.0},
}


@pytest.mark.parametrize("name", sorted(REFERENCE_DEFAULTS))
def test_defaults_equal_reference(name):
    assert coupling_mod.get(name)().to_dict() == REFERENCE_DEFAULTS[name]


def test_term_counts():
    assert coupling_mod.SigmoidalJansenRit().n_terms(2) == 1
    assert coupling_mod.PreSigmoidal().n_terms(2) == 2
    assert coupling_mod.Linear().n_terms(3) == 3
