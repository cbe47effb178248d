"""The neural mass model library: numpy vs numba dfun, golden values and declarations vs TVB.

Golden values come from ``data/tvb_dfun_values.json``, written by
``data/make_tvb_dfun_values.py`` with tvb-library 2.10.0 (not needed to run these tests).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from model_checks import assert_declarations_match, compiled_derivative

from vbrain.simulator import models

DATA = json.loads((Path(__file__).parent / "data" / "tvb_dfun_values.json").read_text())
TVB = DATA["models"]

LIBRARY = [
    models.Generic2dOscillator,
    models.JansenRit,
    models.Kuramoto,
    models.SupHopf,
    models.WilsonCowan,
    models.ReducedWongWang,
    models.ReducedWongWangExcInh,
    models.Linear,
    models.MontbrioPazoRoxin,
    models.Epileptor,
]
IDS = [cls.__name__ for cls in LIBRARY]

# numeric switches (0/1) that must not be perturbed
SWITCHES = {"shift_sigmoid", "modification"}

# (model, parameter overrides) for the numpy-vs-numba check: defaults plus the other branch of
# every switch
VARIANTS = [(cls, {}) for cls in LIBRARY] + [
    (models.WilsonCowan, {"shift_sigmoid": 0.0}),
    (models.Epileptor, {"modification": 1.0, "Kvf": 0.5, "Kf": 1.0, "Ks": -0.5, "tt": 2.0}),
]
VARIANT_IDS = [f"{cls.__name__}{'-' + '-'.join(o) if o else ''}" for cls, o in VARIANTS]


def _random_inputs(model, rng, n_node=5):
    n_cvar = len(model.coupling_variables)
    ranges = model.state_ranges()
    state = rng.uniform(
        ranges[:, 0, None, None], ranges[:, 1, None, None], (model.n_var(), n_node, 1)
    )
    coupling = rng.uniform(-0.5, 0.5, (n_cvar, n_node, 1))
    local = rng.uniform(-0.2, 0.2, (n_cvar, n_node, 1))
    params = model.parameter_matrix(n_node)
    for k, name in enumerate(model.parameter_names()):
        if name not in SWITCHES:  # heterogeneous (per-node) parameters
            params[k] *= 1.0 + 0.05 * rng.uniform(-1.0, 1.0, n_node)
    return state, coupling, local, params


def test_library_is_registered():
    names = set(models.list_models())
    assert {cls.__name__ for cls in LIBRARY} <= names
    for cls in LIBRARY:
        assert models.get(cls.__name__.lower()) is cls


@pytest.mark.parametrize(("cls", "overrides"), VARIANTS, ids=VARIANT_IDS)
def test_numpy_derivative_matches_compiled_scalar_dfun(cls, overrides):
    model = cls(**overrides)
    rng = np.random.default_rng(1234)
    state, coupling, local, params = _random_inputs(model, rng)
    expected = model.derivative(state, coupling, local, params)
    assert expected.shape == state.shape
    assert np.all(np.isfinite(expected))

    got = compiled_derivative(cls, state, coupling, local, params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0.0)


def _golden_cases():
    for name, entry in TVB.items():
        for k, case in enumerate(entry["cases"]):
            yield pytest.param(name, case, id=f"{name}-{k}")


@pytest.mark.parametrize(("name", "case"), list(_golden_cases()))
def test_derivative_matches_tvb(name, case):
    cls = models.get(name)
    model = cls(**case["parameters"])
    state = np.array(case["state"])
    coupling = np.array(case["coupling"])
    # TVB multiplies a scalar local coupling into the coupling variables; our lc_k terms are
    # the local coupling applied to coupling variable k.
    local = case["local_coupling"] * state[model.cvar()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = model.derivative(state, coupling, local)
    np.testing.assert_allclose(ours, np.array(case["derivative"]), rtol=1e-10, atol=0.0)


@pytest.mark.parametrize("name", list(TVB))
def test_declarations_match_tvb(name):
    assert_declarations_match(models.get(name), TVB[name])


def test_bounds_arrays():
    assert models.ReducedWongWang.state_bounds().tolist() == [[0.0, 1.0]]
    assert models.ReducedWongWangExcInh.state_bounds().tolist() == [[0.0, 1.0], [0.0, 1.0]]
    assert models.MontbrioPazoRoxin.state_bounds().tolist() == [[0.0, np.inf], [-np.inf, np.inf]]
    assert models.MontbrioPazoRoxin.stvar().tolist() == [1]
    assert models.JansenRit.state_bounds() is None


def test_linear_hand_formula():
    model = models.Linear(gamma=-2.5)
    x = np.array([[[0.3], [-0.7]]])
    c = np.array([[[0.1], [0.2]]])
    lc = np.array([[[0.05], [-0.01]]])
    np.testing.assert_allclose(model.derivative(x, c, lc), -2.5 * x + c + lc, rtol=1e-15)


def test_kuramoto_hand_formula():
    model = models.Kuramoto(omega=np.array([1.0, 2.0, 3.0]))
    theta = np.array([[[0.1], [2.0], [5.0]]])
    c = np.array([[[0.3], [-0.2], [0.0]]])
    expected = np.array([1.0, 2.0, 3.0])[None, :, None] + c
    np.testing.assert_allclose(model.derivative(theta, c), expected, rtol=1e-15)


def test_sup_hopf_hand_formula():
    model = models.SupHopf(a=0.2, omega=3.0)
    state = np.array([[[0.5]], [[-0.4]]])
    c = np.array([[[0.1]], [[-0.3]]])
    x, y = 0.5, -0.4
    rad = 0.2 - x**2 - y**2
    expected = [rad * x - 3.0 * y + 0.1, rad * y + 3.0 * x - 0.3]
    np.testing.assert_allclose(model.derivative(state, c)[:, 0, 0], expected, rtol=1e-14)


def test_jansen_rit_velocities_and_fixed_input():
    model = models.JansenRit()
    rng = np.random.default_rng(0)
    state, coupling, _, _ = _random_inputs(model, rng)
    d = model.derivative(state, coupling)
    np.testing.assert_array_equal(d[:3], state[3:])
    # only the first coupling term (the SigmoidalJansenRit output) is used
    coupling2 = coupling.copy()
    coupling2[1] += 10.0
    np.testing.assert_array_equal(model.derivative(state, coupling2), d)


def test_epileptor_switch_changes_only_z():
    state = np.array([[[-1.0]], [[-5.0]], [[3.0]], [[-0.8]], [[0.5]], [[0.1]]])
    lin = models.Epileptor().derivative(state)
    sig = models.Epileptor(modification=1.0).derivative(state)
    changed = np.nonzero(lin[:, 0, 0] != sig[:, 0, 0])[0].tolist()
    assert changed == [2]
    h = -1.6 + 3.0 / (1.0 + np.exp(-(-1.0 + 0.5) / 0.1))
    assert sig[2, 0, 0] == pytest.approx(0.00035 * (h - 3.0), rel=1e-14)


def test_epileptor_negative_z_branch():
    # z < 0 lies outside the sampled state range, so check the extra -0.1 z^7 term by hand
    x1, z = -1.2, -0.5
    state = np.array([[[x1]], [[-5.0]], [[z]], [[-0.8]], [[0.5]], [[0.1]]])
    dz = models.Epileptor().derivative(state)[2, 0, 0]
    assert dz == pytest.approx(0.00035 * (4.0 * (x1 + 1.6) - 0.1 * z**7 - z), rel=1e-14)
