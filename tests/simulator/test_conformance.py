"""Conformance suite: every registered model, coupling, integrator and monitor.

The parameter lists come from the registries, so a component added to the library is tested
here without touching this file.  For each component:

- it constructs with its defaults (a few need one argument: :data:`REQUIRED`) and publishes a
  JSON schema;
- a short simulation on a small random delayed network gives, for every monitor, data of shape
  ``(n_time, n_voi, n_space, n_mode)`` with matching time stamps and labels;
- the output at default parameters is finite;
- the compiled (numba) backend agrees with the numpy reference to 1e-12 relative (the two are
  built to give the same numbers: same operation order, same noise draw order) and is
  deterministic for a given seed;
- the results survive an HDF5 round trip and convert to ``xarray``;
- the same holds with a stimulus, separable (region) or given as a full array.

Each configuration is compiled once (numba, ~2 s).  The base configuration
(Generic2dOscillator, Linear, Heun) records with one instance of *every* registered monitor,
so all monitor cases share its kernel; the other cases record Raw and AfferentCoupling only.
Voi monitors are also checked against Raw (temporal rule, then spatial map).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pytest
from model_settings import DT, MODEL_DT

import vbrain as vb
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import integrators as integrators_mod
from vbrain.simulator import monitors as monitors_mod
from vbrain.simulator import noise as noise_mod
from vbrain.simulator import stimuli as stimuli_mod


def _library(names: list[str], get) -> list[str]:
    """Registered names defined in the package (tests may register their own classes)."""
    return [n for n in names if get(n).__module__.startswith("vbrain.")]


MODELS = _library(vb.models.list(), vb.models.get)
COUPLINGS = _library(coupling_mod.list_couplings(), coupling_mod.get)
INTEGRATORS = _library(integrators_mod.list_integrators(), integrators_mod.get)
MONITORS = _library(monitors_mod.list_monitors(), monitors_mod.get)

N_NODE = 6
N_STEPS = 200
PERIOD_STEPS = 4  # periodic monitors sample every 4 steps

BASE_MODEL = "Generic2dOscillator"
BASE_COUPLING = "Linear"
BASE_INTEGRATOR = "Heun"
BASE_CASE = (BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR, False)
"""The configuration recorded with every registered monitor; the others record only
:data:`LIGHT_MONITORS` (each extra monitor adds to the compile time of a kernel)."""
LIGHT_MONITORS = ("Raw", "AfferentCoupling")
BOLD_MONITORS = ("Bold", "BalloonBold")
"""Stamped at the emitting step (t = step dt, as the reference) and not a temporal rule of Raw
(HRF convolution / Balloon model of interim averages: checked against Raw-derived averages in
test_bold.py).  With the suite's period of 4 dt their interim averages are 4 steps long."""


MODEL_COUPLING = {
    # the coupling a model is run with in the model cases (default: Linear)
    "JansenRit": "SigmoidalJansenRit",
}
COUPLING_MODEL = {
    # the model a coupling is run with in the coupling cases (default: Generic2dOscillator);
    # these couplings need exactly two coupling variables
    "SigmoidalJansenRit": "JansenRit",
    "PreSigmoidal": "MontbrioPazoRoxin",  # dynamic=True by default: (value, threshold)
}


def _gain(n_sensors: int, seed: int) -> np.ndarray:
    """A fixed random region gain (n_sensors, N_NODE) for the projection monitors."""
    return np.random.default_rng(seed).normal(size=(n_sensors, N_NODE))


REQUIRED = {
    # constructor arguments of classes that cannot be built from defaults alone
    "SpatialAverage": {"spatial_mask": [0, 0, 1, 2, 2, 2]},
    # projection monitors: sensors and a gain with one column per node
    "EEG": {
        "sensors": vb.datatypes.SensorsEEG.example(),
        "projection": _gain(4, 1),
        "reference": "average",
    },
    "MEG": {"sensors": vb.datatypes.SensorsMEG.example(), "projection": _gain(4, 2)},
    "iEEG": {"sensors": vb.datatypes.SensorsInternal.example(), "projection": _gain(4, 3)},
}


def _network() -> vb.Connectivity:
    rng = np.random.default_rng(20240611)
    w = rng.uniform(0.0, 1.0, (N_NODE, N_NODE))
    w[rng.random((N_NODE, N_NODE)) < 0.3] = 0.0  # sparse, with some self-connections left
    lengths = rng.uniform(2.0, 20.0, (N_NODE, N_NODE))
    np.fill_diagonal(lengths, 0.0)
    return vb.Connectivity(weights=w, tract_lengths=lengths, speed=3.0)


CONN = _network()


def _make(get, name: str, **kwargs):
    return get(name)(**REQUIRED.get(name, {}), **kwargs)


def _monitors(dt: float, names: list[str] | tuple[str, ...] = tuple(MONITORS)) -> list:
    out = []
    for name in names:
        cls = monitors_mod.get(name)
        periodic = cls.model_fields["period"].default > 0
        out.append(
            _make(monitors_mod.get, name, **({"period": PERIOD_STEPS * dt} if periodic else {}))
        )
    return out


@dataclass
class Case:
    sim: vb.Simulator
    numba: vb.SimulationResult
    numba_again: vb.SimulationResult
    numpy: vb.SimulationResult


def _stimulus(kind: str | None, dt: float) -> stimuli_mod.StimulusRegion | None:
    """A stimulus on some nodes: separable (``"region"``) or a full array (``"array"``)."""
    if kind is None:
        return None
    weight = np.random.default_rng(11).uniform(-1.0, 1.0, N_NODE)
    weight[::3] = 0.0
    region = stimuli_mod.StimulusRegion(
        temporal=vb.datatypes.equations.Sinusoid(amp=2.0, frequency=0.3 / (N_STEPS * dt)),
        weight=weight,
    )
    if kind == "region":
        return region
    values = region.evaluate(stimuli_mod.step_times(0, N_STEPS, dt))
    return stimuli_mod.StimulusArray(values=values, dt=dt)


@functools.cache
def run_case(
    model: str,
    coupling: str,
    integrator: str,
    stochastic: bool = False,
    stimulus: str | None = None,
) -> Case:
    """Run a configuration on both backends (numba twice, for determinism); cached.

    Every case records :data:`LIGHT_MONITORS`; the base case records every monitor.
    """
    dt = MODEL_DT.get(model, DT)
    base = (model, coupling, integrator, stochastic) == BASE_CASE and stimulus is None

    def build(backend: str) -> vb.Simulator:
        noise = noise_mod.Additive() if stochastic else None
        return vb.Simulator(
            CONN,
            model=_make(vb.models.get, model),
            coupling=_make(coupling_mod.get, coupling),
            integrator=_make(integrators_mod.get, integrator, dt=dt, noise=noise),
            monitors=_monitors(dt, MONITORS if base else LIGHT_MONITORS),
            seed=7,
            backend=backend,
            stimulus=_stimulus(stimulus, dt),
        )

    # saturating sigmoids (JansenRit, SigmoidalJansenRit) overflow exp() to inf on purpose;
    # any real blow-up is caught by the finiteness check
    with np.errstate(over="ignore"):
        sim = build("numba")
        res_numba = sim.run(n_steps=N_STEPS)
        res_again = build("numba").run(n_steps=N_STEPS)
        res_numpy = build("numpy").run(n_steps=N_STEPS)
    return Case(sim, res_numba, res_again, res_numpy)


# --------------------------------------------------------------------------------------------
# checks


def _assert_close(actual: np.ndarray, expected: np.ndarray, rtol: float = 1e-12) -> None:
    """Relative agreement, with an absolute floor relative to the data's scale."""
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


def _check_declared(cls: type, name: str) -> None:
    """Default construction, JSON schema and a to_dict round trip."""
    obj = cls(**REQUIRED.get(name, {}))
    schema = cls.json_schema()
    assert schema["type"] == "object"
    assert set(cls.model_fields) <= set(schema["properties"])
    json.dumps(schema)  # plain JSON
    assert cls(**obj.to_dict()) == obj


def _expected_layout(case: Case, k: int) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """Shape and time stamps a monitor must produce, derived from its declaration."""
    sim = case.sim
    mon = sim.monitors[k]
    model, dt = sim.model, sim.plan.dt
    istep = PERIOD_STEPS if type(mon).model_fields["period"].default > 0 else 1
    if mon.source == "coupling":
        n_var = sim.coupling.n_terms(len(model.coupling_variables))
    else:
        n_var = len(model.variables_of_interest)
    spatial = mon.spatial_map(N_NODE, {"connectivity": CONN})
    n_space = N_NODE if spatial is None else spatial.shape[0]
    steps = np.arange(istep, N_STEPS + 1, istep)
    offset = istep / 2.0 if mon.temporal == "mean" and mon.name not in BOLD_MONITORS else 0.0
    return (steps.size, n_var, n_space, model.n_mode), (steps - offset) * dt


def _check_case(case: Case, tmp_path) -> None:
    sim = case.sim
    assert len(case.numba) == len(case.numpy) == len(sim.monitors)
    for k, mon in enumerate(sim.monitors):
        shape, times = _expected_layout(case, k)
        for res in (case.numba, case.numpy):
            r = res[k]
            assert r.name == mon.name
            assert r.data.shape == shape, (mon.name, r.data.shape, shape)
            np.testing.assert_allclose(r.time, times, rtol=1e-12, atol=1e-12)
            assert len(r.variables) == shape[1] and len(r.space) == shape[2]
            assert len(r.modes) == shape[3]
            assert np.all(np.isfinite(r.data)), f"{mon.name}: non-finite output"
        if mon.source == "coupling":
            n_term = shape[1]
            assert case.numba[k].variables == [f"c_{t}" for t in range(n_term)]
        else:
            assert case.numba[k].variables == list(sim.model.variables_of_interest)
        # compiled kernel == numpy reference; and the same seed gives the same numbers
        _assert_close(case.numba[k].data, case.numpy[k].data)
        np.testing.assert_array_equal(case.numba[k].data, case.numba_again[k].data)
    _check_io(case.numba, tmp_path)


def _check_io(res: vb.SimulationResult, tmp_path) -> None:
    path = tmp_path / "result.h5"
    res.to_hdf5(path)
    back = vb.SimulationResult.from_hdf5(path)
    assert len(back) == len(res)
    for a, b in zip(res, back, strict=True):
        assert (b.name, b.variables, b.space, b.modes) == (a.name, a.variables, a.space, a.modes)
        assert b.period == a.period
        np.testing.assert_array_equal(b.time, a.time)
        np.testing.assert_array_equal(b.data, a.data)
        da = a.to_xarray()
        assert da.dims == ("time", "variable", "space", "mode")
        assert da.shape == a.data.shape
        np.testing.assert_array_equal(da.values, a.data)
        np.testing.assert_array_equal(da["time"].values, a.time)
        assert list(da["variable"].values) == a.variables
        assert list(da["space"].values) == a.space
        assert da["time"].attrs["units"] == "ms"
        assert da.attrs["period_ms"] == a.period


# --------------------------------------------------------------------------------------------
# the suites


def test_registries_are_not_empty():
    assert BASE_MODEL in MODELS and BASE_COUPLING in COUPLINGS
    assert BASE_INTEGRATOR in INTEGRATORS and set(LIGHT_MONITORS) <= set(MONITORS)
    for name, wanted in COUPLING_MODEL.items():
        assert name in COUPLINGS and wanted in MODELS


@pytest.mark.parametrize("name", MODELS)
def test_model(name, tmp_path):
    cls = vb.models.get(name)
    _check_declared(cls, name)
    model = cls()
    assert model.variables_of_interest
    assert len(model.coupling_variables) >= 1
    case = run_case(name, MODEL_COUPLING.get(name, BASE_COUPLING), BASE_INTEGRATOR)
    _check_case(case, tmp_path)
    assert case.sim.plan.n_var == len(cls.state_variables)


@pytest.mark.parametrize("name", COUPLINGS)
def test_coupling(name, tmp_path):
    cls = coupling_mod.get(name)
    _check_declared(cls, name)
    case = run_case(COUPLING_MODEL.get(name, BASE_MODEL), name, BASE_INTEGRATOR)
    _check_case(case, tmp_path)
    # the coupling is active: the afferent input differs between nodes and over time
    c = case.numba["AfferentCoupling"].data
    assert np.ptp(c) > 0


@pytest.mark.parametrize("name", INTEGRATORS)
def test_integrator(name, tmp_path):
    cls = integrators_mod.get(name)
    _check_declared(cls, name)
    assert integrators_mod.get(name.lower()) is cls
    # stochastic (default Additive noise) so that the noise draw order is compared too
    case = run_case(BASE_MODEL, BASE_COUPLING, name, stochastic=True)
    _check_case(case, tmp_path)


@pytest.mark.parametrize("name", MONITORS)
def test_monitor(name, tmp_path):
    cls = monitors_mod.get(name)
    _check_declared(cls, name)
    case = run_case(BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR)
    _check_case(case, tmp_path)
    k = MONITORS.index(name)
    mon = case.sim.monitors[k]
    res = case.numba[k]
    # a single MonitorResult round trip through its own HDF5 group
    path = tmp_path / "monitor.h5"
    res.to_hdf5(path, group="g")
    back = vb.MonitorResult.from_hdf5(path, "g")
    np.testing.assert_array_equal(back.data, res.data)
    assert back.variables == res.variables and back.space == res.space
    if mon.source != "voi" or name in BOLD_MONITORS:
        return
    # voi monitors are a temporal rule (sample/mean) then a spatial map applied to Raw
    raw = case.numba["Raw"].data
    istep = N_STEPS // res.data.shape[0]
    if mon.temporal == "mean":
        expected = raw.reshape(-1, istep, *raw.shape[1:]).mean(axis=1)
    else:
        expected = raw[istep - 1 :: istep]
    spatial = mon.spatial_map(N_NODE, {"connectivity": CONN})
    if spatial is not None:
        expected = np.einsum("sn,tvnm->tvsm", spatial, expected)
    _assert_close(res.data, expected)


@pytest.mark.parametrize("kind", ["region", "array"])
def test_stimulus(kind, tmp_path):
    """A stimulus on the stochastic base configuration: both backends agree, and it acts."""
    case = run_case(BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR, True, kind)
    _check_case(case, tmp_path)
    assert case.sim.plan.stimulus.separable == (kind == "region")
    plain = run_case(BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR, True)
    assert not np.allclose(case.numba["Raw"].data, plain.numba["Raw"].data)
    if kind == "array":  # the same input as the separable form: the same numbers
        region = run_case(BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR, True, "region")
        np.testing.assert_array_equal(case.numba["Raw"].data, region.numba["Raw"].data)


def test_run_to_hdf5_matches_run(tmp_path):
    case = run_case(BASE_MODEL, BASE_COUPLING, BASE_INTEGRATOR)
    sim = vb.Simulator(
        CONN,
        model=vb.models.get(BASE_MODEL)(),
        coupling=coupling_mod.get(BASE_COUPLING)(),
        integrator=integrators_mod.get(BASE_INTEGRATOR)(dt=DT),
        monitors=_monitors(DT),
        seed=7,
    )
    path = tmp_path / "stream.h5"
    sim.chunk_steps = 37  # several chunks, not aligned with the monitor periods
    groups = sim.run_to_hdf5(path, N_STEPS * DT)
    back = vb.SimulationResult.from_hdf5(path)
    assert len(groups) == len(back) == len(case.numba)
    for a, b in zip(case.numba, back, strict=True):
        assert b.name == a.name and b.variables == a.variables and b.space == a.space
        np.testing.assert_allclose(b.time, a.time, rtol=1e-12)
        np.testing.assert_array_equal(b.data, a.data)


@pytest.mark.parametrize(
    ("labels", "default_mask", "space", "groups"),
    [
        (["lA", "lB", "rA", "rB"], "hemispheres", ["left", "right"], [[0, 1], [2, 3]]),
        (None, "hemispheres", ["left"], [[0, 1, 2, 3]]),  # no labels: all left
        (None, "cortical", ["cortical"], [[0, 1, 2, 3]]),  # all cortical by default
    ],
)
def test_spatial_average_default_masks(labels, default_mask, space, groups):
    """One label per group present, even when a network lies in one hemisphere."""
    w = np.ones((4, 4))
    conn = vb.Connectivity(weights=w, tract_lengths=w, region_labels=labels)
    res = vb.simulate(
        conn,
        integrator=integrators_mod.Heun(dt=DT),
        monitors=[
            monitors_mod.Raw(),
            monitors_mod.SpatialAverage(default_mask=default_mask, period=DT),
        ],
        duration=10 * DT,
        backend="numpy",
    )
    avg = res["SpatialAverage"]
    assert avg.space == space
    assert avg.to_xarray().sizes["space"] == len(space)
    raw = res["Raw"].data
    expected = np.stack([raw[:, :, g].mean(axis=2) for g in groups], axis=2)
    _assert_close(avg.data, expected)
