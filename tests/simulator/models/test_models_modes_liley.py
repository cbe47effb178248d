"""Reduced-set Stefanescu–Jirsa models (three modes) and the Liley–Steyn-Ross model.

- Derivatives, derived coefficients and declarations match the reference (golden values in
  ``data/tvb_dfun_values_modes.json``, written by ``data/make_tvb_dfun_values_modes.py`` with
  tvb-library 2.10.0 and tvb-contrib 2.11.0, which are not needed to run these tests).
- A short simulation of a small random delayed network gives finite results that are
  identical on the numpy and numba backends (for mode-coupled models the scalar-dfun check of
  the other model tests does not apply: dfun needs the sums over modes).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import vbrain as vb
from vbrain.simulator import models

DATA = json.loads((Path(__file__).parent / "data" / "tvb_dfun_values_modes.json").read_text())
TVB = DATA["models"]

LIBRARY = [models.ReducedSetFitzHughNagumo, models.ReducedSetHindmarshRose, models.LileySteynRoss]
MODE_MODELS = [models.ReducedSetFitzHughNagumo, models.ReducedSetHindmarshRose]

# parameters that exist here but not as traits of the reference
EXTRA_PARAMETERS = {"ReducedSetHindmarshRose": {"corrected_d_p"}}


def _ours(name: str, overrides: dict):
    kwargs = {k: float(v) for k, v in overrides.items()}
    return models.get(name)(**kwargs)


def test_models_are_registered():
    names = set(models.list_models())
    for cls in LIBRARY:
        assert cls.__name__ in names
        assert models.get(cls.__name__.lower()) is cls
    assert [cls.n_mode for cls in LIBRARY] == [3, 3, 1]


# --------------------------------------------------------------------------------------------
# golden values


def _golden_cases():
    for name, entry in TVB.items():
        for k, case in enumerate(entry["cases"]):
            yield pytest.param(name, case, id=f"{name}-{k}")


@pytest.mark.parametrize(("name", "case"), list(_golden_cases()))
def test_derivative_matches_tvb(name, case):
    model = _ours(name, case["parameters"])
    state = np.array(case["state"])
    coupling = np.array(case["coupling"])
    assert state.shape[2] == model.n_mode
    # the reduced sets add local_coupling * xi to both populations (our lc_0, the local
    # coupling of the first coupling variable); LileySteynRoss has no local coupling
    local = case["local_coupling"] * state[model.cvar()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = model.derivative(state, coupling, local)
    np.testing.assert_allclose(ours, np.array(case["derivative"]), rtol=1e-10, atol=0.0)


@pytest.mark.parametrize(("name", "case"), [p for p in _golden_cases() if p.values[1]["derived"]])
def test_derived_coefficients_match_tvb(name, case):
    model = _ours(name, case["parameters"])
    ours = model.derived_coefficients()
    assert set(ours) == set(case["derived"])
    for key, ref in case["derived"].items():
        ref = np.array(ref)
        assert np.shape(ours[key]) == ref.shape, key
        np.testing.assert_allclose(ours[key], ref, rtol=1e-12, atol=1e-14, err_msg=key)


@pytest.mark.parametrize("cls", MODE_MODELS, ids=lambda c: c.__name__)
def test_mode_sums_use_the_reference_orientation(cls):
    # numpy.dot(xi, Aik) with xi (n_node, n_mode): mode m gets sum_k xi_k Aik[k, m]
    model = cls()
    consts = model.compute_mode_constants()
    rng = np.random.default_rng(3)
    state = rng.uniform(-1.0, 1.0, (model.n_var(), 2, 3))
    coupling = rng.uniform(-1.0, 1.0, (2, 2, 3))
    kwargs = model._dfun_kwargs(state, coupling, 0.0, model.parameter_matrix(2))
    names = model.state_names()
    xi, alpha = state[names.index("xi")], state[names.index("alpha")]
    a, b, c = (consts[k] for k in model.mode_constants[:3])
    np.testing.assert_allclose(kwargs["xi_A"], np.dot(xi, a), rtol=1e-14)
    np.testing.assert_allclose(kwargs["alpha_B"], np.dot(alpha, b), rtol=1e-14)
    np.testing.assert_allclose(kwargs["xi_C"], np.dot(xi, c), rtol=1e-14)
    np.testing.assert_allclose(
        kwargs["c0_sum"], np.broadcast_to(coupling[0].sum(1, keepdims=True), (2, 3)), rtol=1e-14
    )
    # the mode-mixing matrices are not symmetric (B is the transpose of A here)
    assert not np.allclose(a, a.T)


@pytest.mark.parametrize("name", list(TVB))
def test_declarations_match_tvb(name):
    ref = TVB[name]
    cls = models.get(name)
    model = cls()
    assert cls.n_mode == ref["number_of_modes"]
    assert list(cls.state_names()) == ref["state_variables"]
    assert list(cls.coupling_variables) == ref["coupling_variables"]
    assert [cls.state_names()[i] for i in cls.stvar()] == ref["stimulus_variables"]
    assert list(model.variables_of_interest) == ref["variables_of_interest"]
    for sv, decl in cls.state_variables.items():
        assert list(decl.range) == ref["state_variable_range"][sv]
        assert decl.bounds is None and ref["state_variable_boundaries"] is None
    ref_params = ref["parameters"]
    extra = EXTRA_PARAMETERS.get(name, set())
    assert set(cls.parameter_names()) == set(ref_params) | extra
    schema = cls.model_fields
    for pname, pref in ref_params.items():
        assert getattr(model, pname) == pytest.approx(pref["default"][0], rel=1e-15), pname
        assert (schema[pname].json_schema_extra or {}).get("range") == pref["domain"], pname


# --------------------------------------------------------------------------------------------
# both backends


def _network(n: int = 4) -> vb.Connectivity:
    rng = np.random.default_rng(11)
    w = rng.uniform(0.0, 1.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.7)
    lengths = rng.uniform(1.0, 20.0, (n, n))
    np.fill_diagonal(lengths, 0.0)
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=4.0)


BACKEND_CASES = [
    (models.ReducedSetFitzHughNagumo, {}, 0.05),
    (models.ReducedSetFitzHughNagumo, {"mu": 0.3, "sigma": 0.5, "a": [0.3, 0.4, 0.5, 0.6]}, 0.05),
    (models.ReducedSetHindmarshRose, {}, 0.01),
    (
        models.ReducedSetHindmarshRose,
        {"corrected_d_p": 0.0, "mu": 2.2, "r": [0.006, 0.01, 0.02, 0.004]},
        0.01,
    ),
    (models.LileySteynRoss, {}, 0.05),
    (models.LileySteynRoss, {"lambd": [0.8, 1.0, 1.2, 1.5]}, 0.05),
]


@pytest.mark.parametrize(
    ("cls", "params", "coupling_a"),
    BACKEND_CASES,
    ids=[f"{c.__name__}-{k}" for k, (c, _, _) in enumerate(BACKEND_CASES)],
)
def test_backends_agree_exactly(cls, params, coupling_a):
    kw = dict(
        model=cls(**params),
        coupling=vb.coupling.Linear(a=coupling_a),
        integrator=vb.integrators.Heun(dt=0.01, noise=vb.noise.Additive(nsig=1e-5)),
        monitors=[vb.monitors.Raw(), vb.monitors.TemporalAverage(period=0.5)],
        duration=4.0,
        seed=42,
    )
    conn = _network()
    a = vb.simulate(conn, backend="numpy", **kw)
    b = vb.simulate(conn, backend="numba", **kw)
    n_voi = len(cls.model_fields["variables_of_interest"].default)
    assert a[0].data.shape == (400, n_voi, 4, cls.n_mode)
    for ra, rb in zip(a, b, strict=True):
        assert np.all(np.isfinite(ra.data))
        np.testing.assert_array_equal(ra.data, rb.data)


# --------------------------------------------------------------------------------------------
# parameters


@pytest.mark.parametrize("cls", MODE_MODELS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("pname", ["mu", "sigma"])
def test_distribution_parameters_must_be_scalars(cls, pname):
    with pytest.raises(vb.ValidationError, match="single number"):
        cls(**{pname: [0.3, 0.4]})
    with pytest.raises(vb.ValidationError):
        cls(sigma=0.0)


@pytest.mark.parametrize("cls", MODE_MODELS, ids=lambda c: c.__name__)
def test_per_node_parameters_act_node_by_node(cls):
    pname = "a"
    values = [0.2, 0.5, 0.9]
    rng = np.random.default_rng(5)
    state = rng.uniform(-1.0, 1.0, (cls.n_var(), 3, 3))
    coupling = rng.uniform(-0.5, 0.5, (2, 3, 3))
    together = cls(**{pname: values}).derivative(state, coupling)
    for node, value in enumerate(values):
        alone = cls(**{pname: value}).derivative(state[:, node : node + 1], coupling[:, [node]])
        np.testing.assert_allclose(together[:, node : node + 1], alone, rtol=1e-15)
    derived = cls(**{pname: values}).derived_coefficients()
    key = "m_i" if cls is models.ReducedSetFitzHughNagumo else "a_i"
    assert np.shape(derived[key]) == (3, 3)


def test_hindmarsh_rose_corrected_d_p_switches_the_d_and_p_integrals():
    model_new = models.ReducedSetHindmarshRose()
    model_old = models.ReducedSetHindmarshRose(corrected_d_p=0.0)
    k = model_new.compute_mode_constants()
    np.testing.assert_allclose(model_new.derived_coefficients()["d_i"], 5.0 * k["V2_i"])
    np.testing.assert_allclose(model_old.derived_coefficients()["p_i"], 5.0 * k["U_i"])
    # only eta and beta change
    state = np.random.default_rng(0).uniform(-1.0, 1.0, (6, 2, 3))
    diff = model_new.derivative(state) - model_old.derivative(state)
    assert np.all(diff[[0, 2, 3, 5]] == 0.0) and np.all(diff[[1, 4]] != 0.0)


def test_liley_steyn_ross_hand_formula():
    model = models.LileySteynRoss(lambd=1.3)
    he, hi, c0 = -62.0, -68.0, 0.7
    psi_ee = (45.0 - he) / 115.0
    psi_ei = (45.0 - hi) / 115.0
    psi_ie = (-90.0 - he) / 20.0
    psi_ii = (-90.0 - hi) / 20.0
    s_e = 1.0 / (1.0 + np.exp(-0.28 * (he + c0 + 60.0)))
    s_i = 1.0 / (1.0 + np.exp(-0.14 * (hi + c0 + 60.0)))
    dhe = (
        -70.0
        - he
        + psi_ee * (7034.0 * s_e + 1.1) * 0.6
        + 1.3 * psi_ie * (536.0 * s_i + 1.6) * (0.37 / 0.065)
    ) / 40.0
    dhi = (
        -70.0
        - hi
        + psi_ei * (5034.0 * s_e + 1.6) * 0.6
        + 1.3 * psi_ii * (536.0 * s_i + 1.1) * (0.37 / 0.065)
    ) / 40.0
    got = model.derivative(np.array([[[he]], [[hi]]]), np.array([[[c0]], [[5.0]]]))
    np.testing.assert_allclose(got[:, 0, 0], [dhe, dhi], rtol=1e-13)
    # the fibre length scales take no part in the lumped equations
    other = models.LileySteynRoss(lambd=1.3, A_ee=0.02, A_ei=0.08)
    np.testing.assert_array_equal(
        other.derivative(np.array([[[he]], [[hi]]]), np.array([[[c0]], [[5.0]]])), got
    )
