"""Model library, batch A: Epileptor variants, Hopfield, Larter–Breakspear, DecoBalancedExcInh.

Same checks as ``test_models_library.py``: the numpy derivative equals the numba-compiled
scalar ``dfun``; derivatives and declarations match the reference (golden values in
``data/tvb_dfun_values_batch_a.json``, written by ``data/make_tvb_dfun_values_batch_a.py`` with
tvb-library 2.10.0, which is not needed to run these tests); and a short network simulation
gives finite, identical results on both backends.  Documented deviations from the
reference's declarations are checked explicitly (see the model docstrings).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from model_checks import compiled_derivative

import vbrain as vb
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import models

DATA = json.loads((Path(__file__).parent / "data" / "tvb_dfun_values_batch_a.json").read_text())
TVB = DATA["models"]

LIBRARY = [
    models.Epileptor2D,
    models.EpileptorRestingState,
    models.EpileptorCodim3,
    models.EpileptorCodim3SlowMod,
    models.Hopfield,
    models.LarterBreakspear,
    models.DecoBalancedExcInh,
]
IDS = [cls.__name__ for cls in LIBRARY]

# numeric switches and branch selectors that must not be perturbed
SWITCHES = {"modification", "dynamic", "N"}

# wider state ranges reaching the other branches of the Codim3 models' resting-state root
WIDE_CODIM3 = {"x": (-1.0, 1.0), "y": (-0.5, 0.5), "z": (0.0, 1.5)}
WIDE_SLOWMOD = {**WIDE_CODIM3, "uA": (0.0, 1.0), "uB": (0.0, 1.0)}
# a path with mu2 < 0: positive discriminant of the resting-state cubic
NEG_MU2 = {"mu2_start": -0.2, "mu2_stop": -0.1, "mu1_start": 0.1, "mu1_stop": -0.1}

# (model, parameter overrides, state-range overrides) for the numpy-vs-numba check
VARIANTS = [(cls, {}, {}) for cls in LIBRARY] + [
    (models.Epileptor2D, {"modification": 1.0, "Kvf": 0.5, "Ks": -0.5, "tt": 0.5}, {}),
    (models.Epileptor2D, {}, {"z": (-1.0, 5.0)}),
    (models.EpileptorRestingState, {"Kvf": 0.5, "Kf": 1.0, "Ks": -0.5}, {"z": (-1.0, 5.0)}),
    (models.EpileptorCodim3, {"modification": 0.0, "Ks": 0.5}, WIDE_CODIM3),
    (models.EpileptorCodim3, {"N": 2.0}, WIDE_CODIM3),
    (models.EpileptorCodim3, {"N": 3.0}, WIDE_CODIM3),
    (models.EpileptorCodim3, NEG_MU2, WIDE_CODIM3),
    (models.EpileptorCodim3, {**NEG_MU2, "N": 2.0}, WIDE_CODIM3),
    (models.EpileptorCodim3, {**NEG_MU2, "N": 3.0}, WIDE_CODIM3),
    (models.EpileptorCodim3SlowMod, {"modification": 0.0, "Ks": 0.5}, WIDE_SLOWMOD),
    (models.EpileptorCodim3SlowMod, {"N": 2.0}, WIDE_SLOWMOD),
    (models.EpileptorCodim3SlowMod, {"N": 3.0}, WIDE_SLOWMOD),
    (models.Hopfield, {"dynamic": 1.0}, {}),
    (models.DecoBalancedExcInh, {"M_i": 3.0, "lamda": 0.5}, {}),
]
VARIANT_IDS = [
    f"{cls.__name__}{'-' + '-'.join(o) if o else ''}{'-wide' if r else ''}"
    for cls, o, r in VARIANTS
]


def _random_inputs(model, rng, n_node=5, ranges=None):
    n_cvar = len(model.coupling_variables)
    lo_hi = model.state_ranges().copy()
    for name, rng_ in (ranges or {}).items():
        lo_hi[model.state_names().index(name)] = rng_
    state = rng.uniform(
        lo_hi[:, 0, None, None], lo_hi[:, 1, None, None], (model.n_var(), n_node, 1)
    )
    coupling = rng.uniform(-0.5, 0.5, (n_cvar, n_node, 1))
    local = rng.uniform(-0.2, 0.2, (n_cvar, n_node, 1))
    params = model.parameter_matrix(n_node)
    for k, name in enumerate(model.parameter_names()):
        if name not in SWITCHES:  # heterogeneous (per-node) parameters
            params[k] *= 1.0 + 0.05 * rng.uniform(-1.0, 1.0, n_node)
    return state, coupling, local, params


def test_batch_is_registered():
    names = set(models.list_models())
    assert {cls.__name__ for cls in LIBRARY} <= names
    for cls in LIBRARY:
        assert models.get(cls.__name__.lower()) is cls


@pytest.mark.parametrize(("cls", "overrides", "ranges"), VARIANTS, ids=VARIANT_IDS)
def test_numpy_derivative_matches_compiled_scalar_dfun(cls, overrides, ranges):
    model = cls(**overrides)
    rng = np.random.default_rng(4321)
    state, coupling, local, params = _random_inputs(model, rng, n_node=16, ranges=ranges)
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


def _larter_breakspear_qv(model, V):
    return 0.5 * model.QV_max * (1.0 + np.tanh((V - model.VT) / model.d_V))


@pytest.mark.parametrize(("name", "case"), list(_golden_cases()))
def test_derivative_matches_tvb(name, case):
    cls = models.get(name)
    model = cls(**case["parameters"])
    state = np.array(case["state"])
    coupling = np.array(case["coupling"])
    n_cvar = len(model.coupling_variables)
    if coupling.shape[0] < n_cvar:
        # Hopfield declares theta as a coupling variable in both modes; the static-threshold
        # reference has only the x term, and the extra term must not matter
        extra = np.random.default_rng(0).uniform(
            -1, 1, (n_cvar - coupling.shape[0],) + state.shape[1:]
        )
        coupling = np.concatenate([coupling, extra])
    # TVB multiplies a scalar local coupling into the coupling variables; our lc_k terms are
    # the local coupling applied to coupling variable k.  LarterBreakspear's reference applies
    # it to the firing rate Q_V instead, which lc_0 stands for (see its docstring).
    if name == "LarterBreakspear":
        local = case["local_coupling"] * _larter_breakspear_qv(model, state[:1])
    else:
        local = case["local_coupling"] * state[model.cvar()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = model.derivative(state, coupling, local)
    np.testing.assert_allclose(ours, np.array(case["derivative"]), rtol=1e-10, atol=0.0)


def test_golden_cases_cover_every_branch():
    # the Codim3 cases visit both signs of the discriminant, on every branch N
    for name in ("EpileptorCodim3", "EpileptorCodim3SlowMod"):
        cls = models.get(name)
        seen = set()
        for case in TVB[name]["cases"]:
            model = cls(**case["parameters"])
            disc = _codim3_discriminant(model, np.array(case["state"]))
            seen |= {(model.N, bool(s)) for s in np.ravel(disc >= 0)}
        assert {(n, False) for n in (1.0, 2.0, 3.0)} <= seen, name
        if name == "EpileptorCodim3":
            assert {(n, True) for n in (1.0, 2.0, 3.0)} <= seen


def _codim3_path(model, z, uA=None, uB=None):
    """(mu2, mu1, nu) on the model's path, computed with numpy's vector algebra."""

    def arc(start, stop):
        e = start / np.linalg.norm(start)
        f = np.cross(np.cross(start, stop), start)
        return e, f / np.linalg.norm(f)

    m = model
    if uA is None:
        e, f = arc(
            np.array([m.mu2_start, -m.mu1_start, m.nu_start]),
            np.array([m.mu2_stop, -m.mu1_stop, m.nu_stop]),
        )
    else:
        g, h = arc(
            np.array([m.mu2_Ain, -m.mu1_Ain, m.nu_Ain]),
            np.array([m.mu2_Aend, -m.mu1_Aend, m.nu_Aend]),
        )
        el, em = arc(
            np.array([m.mu2_Bin, -m.mu1_Bin, m.nu_Bin]),
            np.array([m.mu2_Bend, -m.mu1_Bend, m.nu_Bend]),
        )
        a = m.R * (g * np.cos(uA) + h * np.sin(uA))
        b = m.R * (el * np.cos(uB) + em * np.sin(uB))
        e, f = arc(a, b)
    v = m.R * (e * np.cos(z) + f * np.sin(z))
    return v[0], -v[1], v[2]


def _codim3_discriminant(model, state):
    out = []
    for node in range(state.shape[1]):
        sv = state[:, node, 0]
        if state.shape[0] == 5:
            mu2, mu1, _ = _codim3_path(model, sv[2], sv[3], sv[4])
        else:
            mu2, mu1, _ = _codim3_path(model, sv[2])
        out.append(mu1 * mu1 / 4.0 - mu2**3 / 27.0)
    return np.array(out)


@pytest.mark.parametrize("name", list(TVB))
def test_declarations_match_tvb(name):
    ref = TVB[name]
    cls = models.get(name)
    model = cls()
    assert list(cls.state_names()) == ref["state_variables"]
    if name == "Hopfield":
        # declared as in the reference's dynamic-threshold mode (see the docstring)
        assert ref["coupling_variables"] == ["x"]
        assert list(cls.coupling_variables) == ref["variants"]["dynamic"]["coupling_variables"]
    else:
        assert list(cls.coupling_variables) == ref["coupling_variables"]
    assert [cls.state_names()[i] for i in cls.stvar()] == ref["stimulus_variables"]
    assert list(model.variables_of_interest) == ref["variables_of_interest"]
    for sv, decl in cls.state_variables.items():
        ref_range = ref["state_variable_range"][sv]
        if ref_range[0] == ref_range[1]:
            # a point range cannot be declared (lo < hi): EpileptorCodim3SlowMod's uA, uB
            assert decl.range[0] == ref_range[0] and decl.range[1] - decl.range[0] <= 1e-9
        else:
            assert list(decl.range) == pytest.approx(ref_range, rel=1e-15)
        ref_bounds = (ref["state_variable_boundaries"] or {}).get(sv)
        assert (None if decl.bounds is None else list(decl.bounds)) == ref_bounds
    ref_params = ref["parameters"]
    assert set(cls.parameter_names()) == set(ref_params)
    schema = cls.model_fields
    for pname, pref in ref_params.items():
        assert getattr(model, pname) == pytest.approx(pref["default"][0], rel=1e-15), pname
        extra = schema[pname].json_schema_extra or {}
        assert extra.get("range") == pref["domain"], pname


# --------------------------------------------------------------------------------------------
# hand checks of branches the golden states do not reach


def test_epileptor_2d_negative_z_branch():
    x1, z = -1.2, -0.5
    model = models.Epileptor2D()
    dz = model.derivative(np.array([[[x1]], [[z]]]))[1, 0, 0]
    assert dz == pytest.approx(0.00035 * (4.0 * (x1 + 1.6) - 0.1 * z**7 - z), rel=1e-14)
    # the sigmoidal variant has no z^7 term
    dz_sig = models.Epileptor2D(modification=1.0).derivative(np.array([[[x1]], [[z]]]))[1, 0, 0]
    h = -1.6 + 3.0 / (1.0 + np.exp(-(x1 + 0.5) / 0.1))
    assert dz_sig == pytest.approx(0.00035 * (h - z), rel=1e-14)


def test_epileptor_resting_state_parts_are_epileptor_and_g2d():
    rng = np.random.default_rng(3)
    model = models.EpileptorRestingState(Kvf=0.3, Kf=0.7, Ks=-0.2, K_rs=2.0, tau_rs=1.5)
    state, coupling, local, _ = _random_inputs(model, rng)
    d = model.derivative(state, coupling, local)
    epi = models.Epileptor(Kvf=0.3, Kf=0.7, Ks=-0.2)
    d_epi = epi.derivative(state[:6], coupling[:2], local[:2])
    np.testing.assert_allclose(d[:6], d_epi, rtol=1e-12, atol=1e-300)
    g2d = models.Generic2dOscillator(tau=1.5, a=-2.0, b=-10.0, d=0.02)
    # G2D scales its input by gamma only; K_rs multiplies the coupling here
    d_g2d = g2d.derivative(state[6:], 2.0 * coupling[2:], local[2:])
    np.testing.assert_allclose(d[6:], d_g2d, rtol=1e-12, atol=1e-300)


def test_hopfield_modes():
    state = np.array([[[0.3], [1.2]], [[0.5], [0.1]]])
    c = np.array([[[0.8], [-0.4]], [[0.2], [0.9]]])
    static = models.Hopfield(taux=2.0, tauT=4.0).derivative(state, c)
    np.testing.assert_allclose(static[0], (c[0] - state[0]) / 2.0, rtol=1e-15)
    np.testing.assert_array_equal(static[1], static[0])  # as in the reference
    dyn = models.Hopfield(taux=2.0, tauT=4.0, dynamic=1.0).derivative(state, c)
    np.testing.assert_array_equal(dyn[0], static[0])
    np.testing.assert_allclose(dyn[1], (c[1] - state[1]) / 4.0, rtol=1e-15)
    assert models.Hopfield.stvar().tolist() == [0]


@pytest.mark.parametrize("cls", [models.EpileptorCodim3, models.EpileptorCodim3SlowMod], ids=str)
def test_codim3_resting_state_is_a_root_where_the_discriminant_is_negative(cls):
    rng = np.random.default_rng(11)
    for n in (1.0, 2.0, 3.0):
        model = cls(N=n, Ks=0.0, modification=0.0)
        state, _, _, _ = _random_inputs(
            model, rng, n_node=8, ranges=WIDE_SLOWMOD if cls.n_var() == 5 else WIDE_CODIM3
        )
        disc = _codim3_discriminant(model, state)
        dz = model.derivative(state)[2, :, 0]
        # recover x_s from dz = -c (|(x - x_s, y)| - d*) on the branch x_s < x or x_s > x
        dist = -dz / model.c + model.dstar
        x, y = state[0, :, 0], state[1, :, 0]
        half = np.sqrt(np.maximum(dist**2 - y**2, 0.0))
        for node in np.nonzero(disc < 0)[0]:
            mu2, mu1, _ = _codim3_path(
                model, *(state[2:, node, 0] if cls.n_var() == 5 else state[2:3, node, 0])
            )
            roots = np.sort(np.roots([1.0, 0.0, -mu2, -mu1]).real)
            candidates = (x[node] - half[node], x[node] + half[node])
            # the three branches are the three real roots
            assert min(abs(c - r) for c in candidates for r in roots) < 1e-9


def test_codim3_branch_selector_rounds():
    rng = np.random.default_rng(5)
    base = models.EpileptorCodim3(N=2.0)
    state, coupling, _, _ = _random_inputs(base, rng, ranges=WIDE_CODIM3)
    d2 = base.derivative(state, coupling)
    np.testing.assert_array_equal(models.EpileptorCodim3(N=2.2).derivative(state, coupling), d2)
    with pytest.raises(vb.ValidationError):
        models.EpileptorCodim3(N=4.0)


def test_codim3_slowmod_drift_rates():
    model = models.EpileptorCodim3SlowMod(cA=0.0003, cB=np.array([0.0001, 0.0002]))
    state = np.full((5, 2, 1), 0.1)
    d = model.derivative(state)
    assert d[3].ravel().tolist() == [0.0003, 0.0003]
    assert d[4].ravel().tolist() == [0.0001, 0.0002]
    assert models.EpileptorCodim3SlowMod.state_ranges()[3:].tolist() == [[0.0, 1e-9]] * 2


def test_deco_balanced_reduces_to_reduced_wong_wang_exc_inh():
    rng = np.random.default_rng(9)
    rw = models.ReducedWongWangExcInh(lamda=0.3)
    state, coupling, local, _ = _random_inputs(rw, rng)
    d_rw = rw.derivative(state, coupling, local)
    d_deco = models.DecoBalancedExcInh(lamda=0.3).derivative(state, coupling, local)
    np.testing.assert_allclose(d_deco, d_rw, rtol=1e-12)
    d_gain = models.DecoBalancedExcInh(lamda=0.3, M_i=2.0).derivative(state, coupling, local)
    assert not np.allclose(d_gain, d_rw)
    assert models.DecoBalancedExcInh.state_bounds().tolist() == [[0.0, 1.0], [0.0, 1.0]]


def test_larter_breakspear_local_term_enters_with_q_v():
    # lc_0 stands where the reference adds local_coupling * Q_V (see the docstring)
    model = models.LarterBreakspear()
    state = np.array([[[0.2]], [[0.1]], [[-0.3]]])
    lam = 0.3
    qv = _larter_breakspear_qv(model, state[0, 0, 0])
    base = model.derivative(state, local_coupling=np.array([[[lam * qv]]]))
    c = model.C
    aee = model.aee
    m_ca = 0.5 * (1.0 + np.tanh((0.2 - model.TCa) / model.d_Ca))
    expected_shift = (
        -(1.0 - c) * aee * lam * qv * (model.rNMDA * m_ca * (0.2 - model.VCa) + (0.2 - model.VNa))
    )
    no_local = model.derivative(state)
    assert base[0, 0, 0] - no_local[0, 0, 0] == pytest.approx(expected_shift, rel=1e-9)


# --------------------------------------------------------------------------------------------
# network simulations on both backends


def _network(n_node=5) -> vb.Connectivity:
    rng = np.random.default_rng(77)
    w = rng.uniform(0.0, 1.0, (n_node, n_node))
    np.fill_diagonal(w, 0.0)
    lengths = rng.uniform(5.0, 40.0, (n_node, n_node))
    np.fill_diagonal(lengths, 0.0)
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=4.0)


SIM_CASES = [(cls(), None) for cls in LIBRARY] + [
    (models.Hopfield(dynamic=1.0), coupling_mod.PreSigmoidal()),
    (models.Hopfield(), coupling_mod.PreSigmoidal(dynamic=False)),
    (models.Epileptor2D(modification=1.0, Ks=-0.2, Kvf=0.1), None),
    (models.EpileptorCodim3(N=2.0), None),
]
SIM_IDS = [
    type(m).__name__ + ("" if c is None else f"-{type(c).__name__}") + f"-{k}"
    for k, (m, c) in enumerate(SIM_CASES)
]


@pytest.mark.parametrize(("model", "coupling"), SIM_CASES, ids=SIM_IDS)
def test_network_simulation_backends_agree(model, coupling):
    conn = _network()
    out = {}
    for backend in ("numpy", "numba"):
        res = vb.simulate(
            conn,
            model=model,
            coupling=coupling,
            monitors=[vb.monitors.Raw()],
            duration=100.0,
            seed=3,
            backend=backend,
        )
        out[backend] = res[0].data
    assert out["numpy"].shape[1:] == (len(model.variables_of_interest), 5, 1)
    assert np.all(np.isfinite(out["numpy"]))
    if isinstance(coupling, coupling_mod.PreSigmoidal):
        # the coupling's np.tanh (numpy's vectorised implementation) and numba's libm tanh
        # may differ in the last bit
        np.testing.assert_allclose(out["numba"], out["numpy"], rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(out["numba"], out["numpy"])
