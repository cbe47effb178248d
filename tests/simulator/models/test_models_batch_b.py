"""Model library, batch b: Coombes–Byrne (4-D and 2-D), Gast–Schmidt–Knösche (SD and SF),
Dumont–Gutkin, Zetterberg–Jansen and KIonEx.

numpy derivative vs the numba-compiled scalar dfun, golden values and declarations vs TVB,
a few hand checks, and a 100 ms network simulation on both backends.  Golden values come from
``data/tvb_dfun_values_batch_b.json``, written by ``data/make_tvb_dfun_values_batch_b.py`` with
tvb-library 2.10.0 (not needed to run these tests).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from model_checks import assert_declarations_match, compiled_derivative

import vbrain as vb
from vbrain.simulator import models

DATA = json.loads((Path(__file__).parent / "data" / "tvb_dfun_values_batch_b.json").read_text())
TVB = DATA["models"]

LIBRARY = [
    models.CoombesByrne,
    models.CoombesByrne2D,
    models.GastSchmidtKnosche_SD,
    models.GastSchmidtKnosche_SF,
    models.DumontGutkin,
    models.ZetterbergJansen,
    models.KIonEx,
]
IDS = [cls.__name__ for cls in LIBRARY]

# (model, parameter overrides) for the numpy-vs-numba check: defaults plus a few variants
VARIANTS = [(cls, {}) for cls in LIBRARY] + [
    (models.GastSchmidtKnosche_SD, {"cv": 0.5, "tau": 2.0}),
    (models.DumontGutkin, {"J_ee": 4.0, "J_ie": 2.0, "I_e": 0.3}),
    (models.KIonEx, {"Vstar": -45.0, "E": -20.0, "J": 3.0}),
]
VARIANT_IDS = [f"{cls.__name__}{'-' + '-'.join(o) if o else ''}" for cls, o in VARIANTS]

# time step (ms) of the network simulations: 1/20 of the default monitor period, except
# where a model is stiff there (from random initial states the rates reach r ~ 6-10, where
# the -pi^2 r^2 term alone has rate 2 pi^2 r > 100/ms)
SIM_DT = {"CoombesByrne": 0.01220703125, "GastSchmidtKnosche_SF": 0.0244140625}
DEFAULT_SIM_DT = 0.048828125


def _random_inputs(model, rng, n_node=5):
    """States from ``model.initial`` (uniform in the ranges; valid K_o for KIonEx), random
    coupling and local coupling, parameters perturbed per node by up to 5 %."""
    n_cvar = len(model.coupling_variables)
    state = model.initial(rng, (1, model.n_var(), n_node, 1))[0]
    coupling = rng.uniform(-0.5, 0.5, (n_cvar, n_node, 1))
    local = rng.uniform(-0.2, 0.2, (n_cvar, n_node, 1))
    params = model.parameter_matrix(n_node)
    params *= 1.0 + 0.05 * rng.uniform(-1.0, 1.0, params.shape)
    return state, coupling, local, params


def test_batch_is_registered():
    names = set(models.list_models())
    assert {cls.__name__ for cls in LIBRARY} <= names
    for cls in LIBRARY:
        assert models.get(cls.__name__.lower()) is cls
        assert getattr(vb.models, cls.__name__) is cls


@pytest.mark.parametrize(("cls", "overrides"), VARIANTS, ids=VARIANT_IDS)
def test_numpy_derivative_matches_compiled_scalar_dfun(cls, overrides):
    model = cls(**overrides)
    rng = np.random.default_rng(4321)
    state, coupling, local, params = _random_inputs(model, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
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


def test_golden_data_covers_the_batch():
    assert set(TVB) == set(IDS)


@pytest.mark.parametrize("name", list(TVB))
def test_declarations_match_tvb(name):
    assert_declarations_match(models.get(name), TVB[name])


def test_bounds_and_stimulus_arrays():
    inf = np.inf
    assert models.CoombesByrne.state_bounds().tolist() == [[0.0, inf]] + [[-inf, inf]] * 3
    assert models.DumontGutkin.state_bounds()[[0, 4]].tolist() == [[0.0, inf]] * 2
    assert models.ZetterbergJansen.state_bounds() is None
    assert models.ZetterbergJansen.cvar().tolist() == [10]
    assert models.KIonEx.state_bounds().tolist() == [
        [0.0, inf],
        [-500.0, inf],
        [0.0, inf],
        [-100.0, inf],
        [-100.0, inf],
    ]
    assert models.KIonEx.stvar().tolist() == [1]
    assert models.DumontGutkin.cvar().tolist() == [0, 1, 4, 5]


def test_coombes_byrne_2d_is_the_instantaneous_synapse_limit():
    # with g = k pi r the first two equations of the 4-D model are those of the 2-D model
    rng = np.random.default_rng(3)
    k, r, V = 1.7, rng.uniform(0.0, 2.0, 5), rng.uniform(-2.0, 1.5, 5)
    c = rng.uniform(-0.5, 0.5, 5)
    state4 = np.stack([r, V, k * np.pi * r, np.zeros(5)])[:, :, None]
    coupling4 = np.stack([c, c, c, c])[:, :, None]
    d4 = models.CoombesByrne(k=k, Delta=1.0, v_syn=-4.0, eta=2.0).derivative(state4, coupling4)
    d2 = models.CoombesByrne2D(k=k).derivative(state4[:2], coupling4[:2])
    np.testing.assert_allclose(d4[:2], d2, rtol=1e-13, atol=1e-13)


def test_gast_schmidt_knosche_adaptation_forms():
    # depression scales the recurrent input, spike-frequency adaptation subtracts a current
    r, V, A, B = 0.8, -0.5, 0.3, 0.1
    state = np.array([r, V, A, B])[:, None, None]
    J, eta = 21.2132, -6.0
    base = V * V - np.pi**2 * r * r + eta
    sd = models.GastSchmidtKnosche_SD(eta=eta).derivative(state)[:, 0, 0]
    sf = models.GastSchmidtKnosche_SF(eta=eta).derivative(state)[:, 0, 0]
    assert sd[1] == pytest.approx(base + J * r * (1.0 - A), rel=1e-14)
    assert sf[1] == pytest.approx(base + J * r - A, rel=1e-14)
    assert sd[3] == pytest.approx((-2.0 * B - A + 0.5 * r) / 10.0, rel=1e-14)
    assert sf[3] == pytest.approx((-2.0 * B - A + 10.0 * r) / 10.0, rel=1e-14)


def test_zetterberg_jansen_sigmoid_saturates_without_overflow():
    # far below threshold rho_1 (rho_2 - v) > 709: the rate is exactly 0 and exp never
    # overflows (numpy would warn), on both paths
    cls = models.ZetterbergJansen
    model = cls()
    state = np.zeros((12, 2, 1))
    state[0] = -2000.0  # v1: the stellate -> pyramidal rate vanishes
    coupling = np.full((1, 2, 1), -3000.0)  # the extrinsic coupled rate vanishes too
    local = np.zeros((1, 2, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = model.derivative(state, coupling, local)
    # dy2 = He ke (gamma_2 S(v1) + gamma_2T (P + S(c))) - ke^2 v2 with S(v1) = S(c) = 0
    assert d[3, 0, 0] == pytest.approx(3.25 * 0.1 * 0.12, rel=1e-14)
    params = model.parameter_matrix(2)
    got = compiled_derivative(cls, state, coupling, local, params)
    np.testing.assert_array_equal(got, d)


def test_zetterberg_jansen_local_coupling_enters_like_long_range():
    model = models.ZetterbergJansen()
    rng = np.random.default_rng(8)
    state, coupling, _, _ = _random_inputs(model, rng)
    lc = rng.uniform(-0.2, 0.2, coupling.shape)
    np.testing.assert_array_equal(
        model.derivative(state, coupling, lc), model.derivative(state, coupling + lc)
    )


def test_kionex_initial_states_have_positive_potassium():
    model = models.KIonEx()
    x = model.initial(np.random.default_rng(0), (50, 5, 20, 1))
    ranges = model.state_ranges()
    assert np.all(x >= ranges[:, 0][None, :, None, None])
    assert np.all(x <= ranges[:, 1][None, :, None, None])
    k_o = 4.8 - 3.0 * x[:, 3] + x[:, 4]
    assert np.all(k_o > 0.0)
    # the valid part of the ranges is still covered (K_o up to ~35 mM)
    assert k_o.max() > 25.0


def test_kionex_parabola_switch():
    # just left / right of V*: x' and V' use (R_-, c_-) / (R_+, c_+); coupling weight R_-/pi
    model = models.KIonEx()
    x, n, dki, kg, c = 0.4, 0.3, -5.0, -8.0, 0.2
    for V, R, cc in ((-31.0, 0.5, -40.0), (-30.9, -0.5, -20.0)):
        state = np.array([x, V, n, dki, kg])[:, None, None]
        d = model.derivative(state, np.full((1, 1, 1), c))[:, 0, 0]
        r = 0.5 * x / np.pi
        assert d[0] == pytest.approx(1.0 + 2.0 * R * (V - cc) * x - 0.1 * r * x, rel=1e-14)
        d0 = model.derivative(state)[:, 0, 0]
        assert d[1] - d0[1] == pytest.approx(0.5 / np.pi * c * (0.0 - V), rel=1e-12)


def _network(n_node=5):
    rng = np.random.default_rng(20240917)
    w = rng.uniform(0.0, 1.0, (n_node, n_node))
    lengths = rng.uniform(2.0, 20.0, (n_node, n_node))
    np.fill_diagonal(lengths, 0.0)
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=3.0)


@pytest.mark.parametrize("cls", LIBRARY, ids=IDS)
def test_network_simulation_both_backends(cls):
    conn = _network()
    out = {}
    for backend in ("numpy", "numba"):
        res = vb.simulate(
            conn,
            model=cls(),
            integrator=vb.integrators.Heun(dt=SIM_DT.get(cls.__name__, DEFAULT_SIM_DT)),
            duration=100.0,
            seed=11,
            backend=backend,
        )
        data = res[0].data
        assert data.shape[1:] == (len(cls().variables_of_interest), 5, 1)
        assert res[0].time[-1] == pytest.approx(100.0, abs=1.0)
        assert np.all(np.isfinite(data)), backend
        out[backend] = data
    np.testing.assert_array_equal(out["numba"], out["numpy"])
