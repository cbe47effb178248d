"""Stimuli in region simulations: analytic responses, conventions, backends, continuation,
configuration files and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

import vbrain as vb
from vbrain.config.traits import ValidationError
from vbrain.datatypes import equations as eq
from vbrain.io import hdf5
from vbrain.simulator.config import ConfigError, load_config
from vbrain.simulator.stimuli import (
    StimulusArray,
    StimulusFunction,
    StimulusRegion,
    step_times,
)

N_NODE = 3


def _uncoupled(n_node: int = N_NODE) -> vb.Connectivity:
    """Regions without connections (zero weights): each one is an isolated Linear node."""
    labels = [f"r{i}" for i in range(n_node)]
    zero = np.zeros((n_node, n_node))
    return vb.Connectivity(weights=zero, tract_lengths=zero, region_labels=labels, speed=3.0)


def _network() -> vb.Connectivity:
    """A small delayed network (the conformance suite's kind)."""
    rng = np.random.default_rng(5)
    w = rng.uniform(0.0, 1.0, (4, 4))
    w[rng.random((4, 4)) < 0.3] = 0.0
    lengths = rng.uniform(2.0, 20.0, (4, 4))
    np.fill_diagonal(lengths, 0.0)
    return vb.Connectivity(
        weights=w, tract_lengths=lengths, speed=3.0, region_labels=["lA", "lB", "rA", "rB"]
    )


def _linear_run(
    stimulus,
    *,
    integrator: str = "Euler",
    dt: float = 0.1,
    duration: float = 10.0,
    gamma: float = -0.5,
    backend: str = "numba",
) -> np.ndarray:
    """Raw x ``(n_step, n_node)`` of uncoupled Linear nodes starting at 0."""
    res = vb.simulate(
        _uncoupled(),
        model=vb.models.Linear(gamma=gamma),
        coupling=vb.coupling.Linear(a=0.0),
        integrator=vb.integrators.get(integrator)(dt=dt),
        monitors=[vb.monitors.Raw()],
        initial_history=np.zeros((1, N_NODE)),
        duration=duration,
        stimulus=stimulus,
        backend=backend,
    )
    return res[0].data[:, 0, :, 0]


def _assert_close(actual: np.ndarray, expected: np.ndarray, rtol: float = 1e-12) -> None:
    """The conformance suite's numpy-vs-numba tolerance."""
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


# --------------------------------------------------------------------------------------------
# analytic responses of dx/dt = gamma x + I(t)


@pytest.mark.parametrize(("integrator", "order"), [("Euler", 1), ("Heun", 2), ("RK4", 4)])
def test_step_input_gives_exponential_approach_to_the_order_of_the_scheme(integrator, order):
    """A constant input I from t = 0: x(t) = -I/gamma (1 - exp(gamma t)); the error shrinks
    as dt**order (the input is held over each step, so it is exact data for every stage)."""
    gamma, amp, t_end = -0.5, 2.0, 4.0
    stim = StimulusRegion(temporal=eq.Linear(a=0.0, b=amp), weight=[0.0, 1.0, 0.5])
    errors = []
    for dt in (0.1, 0.05):
        x = _linear_run(stim, integrator=integrator, dt=dt, duration=t_end, gamma=gamma)
        t = np.arange(1, x.shape[0] + 1) * dt
        exact = -amp / gamma * (1.0 - np.exp(gamma * t))
        np.testing.assert_array_equal(x[:, 0], 0.0)  # unstimulated region: untouched
        np.testing.assert_allclose(x[:, 2], 0.5 * x[:, 1], rtol=1e-14)  # linear in the weight
        errors.append(np.max(np.abs(x[:, 1] - exact)))
    assert errors[0] < {1: 0.05, 2: 2e-3, 4: 1e-6}[order]
    assert math.log2(errors[0] / errors[1]) == pytest.approx(order, abs=0.15)
    # and at the end it approaches the fixed point -I / gamma
    x = _linear_run(stim, integrator=integrator, dt=0.05, duration=60.0, gamma=gamma)
    assert x[-1, 1] == pytest.approx(-amp / gamma, rel=1e-6)


@pytest.mark.parametrize("integrator", ["Euler", "Heun", "RK4"])
def test_pulse_train_is_integrated(integrator):
    """gamma = 0: x(t) is the integral of the input.  With the onset off the time grid every
    pulse of width tau covers tau / dt samples: x = amp * tau * n_pulses exactly."""
    dt = 0.25
    train = eq.PulseTrain(T=10.0, tau=3.0, amp=2.0, onset=4.9)
    stim = StimulusRegion(temporal=train, weight=[1.0, 0.0, -1.0])
    x = _linear_run(stim, integrator=integrator, dt=dt, duration=40.0, gamma=0.0)
    # pulses start at 4.9, 14.9, 24.9, 34.9 ms: four complete ones by 40 ms
    assert x[-1, 0] == pytest.approx(4 * 2.0 * 3.0, rel=1e-12)
    assert x[-1, 2] == pytest.approx(-4 * 2.0 * 3.0, rel=1e-12)
    np.testing.assert_array_equal(x[:, 1], 0.0)
    # at every step: the running sum of the held samples
    samples = train.evaluate(step_times(0, x.shape[0], dt))
    np.testing.assert_allclose(x[:, 0], np.cumsum(samples) * dt, rtol=1e-12, atol=1e-12)


def test_step_uses_the_input_at_its_start():
    """Step n sees I((n - 1) dt): with I(t) = t and gamma = 0, Euler gives
    x_n = dt * sum_{k < n} k dt = dt^2 n (n - 1) / 2 (x_1 = 0: the first step sees I(0))."""
    dt = 0.5
    stim = StimulusRegion(temporal=eq.Linear(a=1.0, b=0.0), weight=[1.0, 1.0, 1.0])
    x = _linear_run(stim, integrator="Euler", dt=dt, duration=5.0, gamma=0.0)
    n = np.arange(1, x.shape[0] + 1)
    np.testing.assert_allclose(x[:, 0], dt * dt * n * (n - 1) / 2.0, rtol=1e-14, atol=0.0)
    assert x[0, 0] == 0.0


def test_stimulus_variables_default_and_override():
    """G2D: the default drives the coupling variable V only; variables=('W',) drives W."""
    conn = _uncoupled()

    def first_step(stimulus):
        res = vb.simulate(
            conn,
            model=vb.models.Generic2dOscillator(variables_of_interest=("V", "W")),
            coupling=vb.coupling.Linear(a=0.0),
            integrator=vb.integrators.Euler(dt=0.1),
            monitors=[vb.monitors.Raw()],
            initial_history=np.zeros((2, N_NODE)),
            duration=0.1,
            stimulus=stimulus,
        )
        return res[0].data[0, :, :, 0]  # (variable, node)

    free = first_step(None)
    weight = [0.0, 1.0, 2.0]
    on_v = first_step(StimulusRegion(temporal=eq.Linear(a=0.0, b=3.0), weight=weight))
    on_w = first_step(
        StimulusRegion(temporal=eq.Linear(a=0.0, b=3.0), weight=weight, variables=("W",))
    )
    np.testing.assert_allclose(on_v[0] - free[0], 0.1 * 3.0 * np.array(weight), rtol=1e-12)
    np.testing.assert_array_equal(on_v[1], free[1])
    np.testing.assert_array_equal(on_w[0], free[0])
    np.testing.assert_allclose(on_w[1] - free[1], 0.1 * 3.0 * np.array(weight), rtol=1e-12)


# --------------------------------------------------------------------------------------------
# backends, forms and continuation


def _g2d_sim(stimulus, backend: str, integrator=None, **kwargs) -> vb.Simulator:
    return vb.Simulator(
        _network(),
        model=vb.models.Generic2dOscillator(),
        coupling=vb.coupling.Linear(a=0.1),
        integrator=integrator or vb.integrators.Heun(dt=0.1),
        monitors=[vb.monitors.Raw(), vb.monitors.TemporalAverage(period=1.0)],
        seed=3,
        backend=backend,
        stimulus=stimulus,
        **kwargs,
    )


STIMULI = {
    "region": lambda: StimulusRegion(
        temporal=eq.Sinusoid(amp=2.0, frequency=0.05), weight=[1.0, 0.0, 0.5, 0.0]
    ),
    "region_W": lambda: StimulusRegion(
        temporal=eq.Alpha(onset=2.0, alpha=0.5, beta=2.0),
        weight=[0.0, 1.0, 1.0, 0.0],
        variables=("V", "W"),
    ),  # fmt: skip
    "array": lambda: StimulusArray(
        values=np.random.default_rng(1).normal(size=(400, 2, 4)), dt=0.1, variables=("V", "W")
    ),
    "function": lambda: StimulusFunction(lambda t: np.outer(np.cos(0.3 * t), [1.0, 2, 0, 1])),
}

INTEGRATORS = {
    "euler": lambda: vb.integrators.Euler(dt=0.1),
    "heun_noise": lambda: vb.integrators.Heun(dt=0.1, noise=vb.noise.Additive(nsig=1e-3)),
    "heun_recompute": lambda: vb.integrators.Heun(dt=0.1, recompute_coupling=True),
    "rk4": lambda: vb.integrators.RK4(dt=0.1),
    "identity": lambda: vb.integrators.Identity(dt=0.1),
}


# the Identity map is run with Linear (one variable x): stimuli driving V and W do not apply
_CASES = [
    (kind, integ)
    for integ in sorted(INTEGRATORS)
    for kind in sorted(STIMULI)
    if not (integ == "identity" and kind in ("array", "region_W"))
]


@pytest.mark.parametrize(("kind", "integ"), _CASES)
def test_numba_agrees_with_numpy(kind, integ):
    """Every stimulus form with every scheme: the kernel equals the numpy reference (to the
    conformance suite's tolerance; in practice bit for bit), and the stimulus acts."""
    if integ == "identity":

        def build(backend, stimulus):
            # a map: Linear with |gamma| < 1 stays bounded
            return vb.Simulator(
                _network(),
                model=vb.models.Linear(gamma=-0.5),
                coupling=vb.coupling.Linear(a=0.05),
                integrator=INTEGRATORS[integ](),
                monitors=[vb.monitors.Raw()],
                seed=3,
                backend=backend,
                stimulus=stimulus,
            )
    else:

        def build(backend, stimulus):
            return _g2d_sim(stimulus, backend, INTEGRATORS[integ]())

    out = {be: build(be, STIMULI[kind]()).run(n_steps=300) for be in ("numba", "numpy")}
    for a, b in zip(out["numba"], out["numpy"], strict=True):
        assert np.all(np.isfinite(a.data))
        _assert_close(a.data, b.data)
    free = build("numba", None).run(n_steps=300)
    assert not np.allclose(free[0].data, out["numba"][0].data)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_continuation_continues_the_stimulus_time(backend):
    """Two runs of 500 ms equal one of 1000 ms bit for bit (the reference system restarts the
    stimulus at every call, so its second half would repeat the first half's input)."""
    stim = StimulusRegion(
        temporal=eq.PulseTrain(T=70.0, tau=20.0, amp=0.5, onset=30.0), weight=[1.0, 0, 0.5, 0]
    )
    noisy = vb.integrators.Heun(dt=0.1, noise=vb.noise.Additive(nsig=1e-4))
    one = _g2d_sim(stim, backend, noisy.model_copy(deep=True)).run(1000.0)
    sim = _g2d_sim(stim, backend, noisy.model_copy(deep=True), chunk_steps=777)
    first, second = sim.run(500.0), sim.run(500.0)
    for k in range(2):
        np.testing.assert_array_equal(np.concatenate([first[k].data, second[k].data]), one[k].data)
        np.testing.assert_array_equal(np.concatenate([first[k].time, second[k].time]), one[k].time)


def test_continuation_passes_continuing_times_to_functions():
    seen: list[np.ndarray] = []

    def record(t):
        seen.append(t.copy())
        return np.zeros((t.size, 4))

    sim = _g2d_sim(StimulusFunction(record), "numba", chunk_steps=300)
    sim.run(50.0)
    sim.run(50.0)
    times = np.concatenate(seen)
    np.testing.assert_array_equal(times, np.arange(1000) * 0.1)  # 0 .. 99.9, no restart
    assert [t.size for t in seen] == [300, 200, 300, 200]  # once per chunk


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_separable_stimulus_equals_the_same_as_a_full_array(backend):
    stim = StimulusRegion(
        temporal=eq.GeneralizedSigmoid(low=-1.0, high=2.0, midpoint=10.0, sigma=3.0),
        weight=[0.3, 1.0, 0.0, -0.7],
    )
    n_steps = 400
    values = stim.evaluate(step_times(0, n_steps, 0.1))  # (n_time, n_region)
    array = StimulusArray(values=values, dt=0.1)
    function = StimulusFunction(stim.evaluate)
    a = _g2d_sim(stim, backend, chunk_steps=123).run(n_steps=n_steps)
    b = _g2d_sim(array, backend).run(n_steps=n_steps)
    c = _g2d_sim(function, backend, chunk_steps=50).run(n_steps=n_steps)
    for k in range(2):
        np.testing.assert_array_equal(a[k].data, b[k].data)
        np.testing.assert_array_equal(a[k].data, c[k].data)


def test_no_stimulus_kernel_source_is_unchanged_by_the_stimulus_option():
    """A stimulus adds to the kernel; without one the source has no trace of it."""
    from vbrain.simulator.backends.numba_backend import generate_source

    plain = _g2d_sim(None, "numpy")
    stim = _g2d_sim(STIMULI["region"](), "numpy")
    source, _ = generate_source(plain.plan, None)
    assert "stim" not in source and "st0" not in source
    with_stim, _ = generate_source(stim.plan, None)
    assert "stim_t[t] * stim_w[0, i]" in with_stim


# --------------------------------------------------------------------------------------------
# datatypes and configuration


@pytest.mark.parametrize("cls", [StimulusRegion, StimulusArray])
def test_stimulus_datatypes_round_trip_through_hdf5(cls, tmp_path):
    obj = cls.example()
    back = hdf5.load(hdf5.save(obj, tmp_path / "stim.h5"), expected_type=cls)
    assert back == obj and back.gid == obj.gid
    assert cls(**obj.to_dict()) == obj


def test_region_stimulus_from_labels_and_evaluate():
    conn = _network()
    stim = StimulusRegion.from_labels(conn, {"rA": 2.0, "lB": 1.0}, temporal="Cosine")
    np.testing.assert_array_equal(stim.weight, [0.0, 1.0, 2.0, 0.0])
    assert isinstance(stim.temporal, eq.Cosine)
    t = np.array([0.0, 25.0, 50.0])
    expected = np.cos(2 * np.pi * 0.01 * t)[:, None] * stim.weight[None, :]
    np.testing.assert_allclose(stim.evaluate(t), expected, rtol=1e-14, atol=1e-15)
    assert stim.summary()["n_stimulated"] == 2 and stim.summary()["temporal"] == "Cosine"


CONFIG = """
connectivity: {path}
model: Linear
coupling: {{type: Linear, a: 0.0}}
integrator: {{type: Euler, dt: 0.5}}
monitors: [{{type: Raw}}]
duration: 5.0
initial_history: {hist}
stimulus:
  equation: {{type: Linear, a: 0.0, b: 2.0}}
  weights: {{r1: 1.0, r2: 0.5}}
"""


def test_config_file_stimulus_section(tmp_path):
    from vbrain.io.connectivity import write_connectivity

    path = write_connectivity(_uncoupled(), tmp_path / "conn.zip")
    np.save(tmp_path / "h.npy", np.zeros((1, N_NODE)))
    cfg_path = tmp_path / "run.yaml"
    cfg_path.write_text(CONFIG.format(path=path, hist=tmp_path / "h.npy"))
    cfg = load_config(cfg_path)
    assert cfg.stimulus.weight == {"r1": 1.0, "r2": 0.5}
    assert isinstance(cfg.stimulus.temporal, eq.Linear)
    data = cfg.to_dict()
    assert load_config(data).to_dict() == data  # round trip (labels kept as written)
    res = cfg.run()
    x = res[0].data[:, 0, :, 0]
    direct = _linear_run(
        StimulusRegion(temporal=eq.Linear(a=0.0, b=2.0), weight=[0.0, 1.0, 0.5]),
        dt=0.5,
        duration=5.0,
        gamma=vb.models.Linear().gamma,
    )
    np.testing.assert_array_equal(x, direct)
    # a list of weights works as well
    data["stimulus"]["weight"] = [0.0, 1.0, 0.5]
    np.testing.assert_array_equal(load_config(data).run()[0].data[:, 0, :, 0], direct)


@pytest.mark.parametrize(
    ("stimulus", "match"),
    [
        ({"weight": {"nowhere": 1.0}}, "unknown region label 'nowhere'"),
        ({"weight": [1.0, 2.0]}, "weight has 2 values but the connectivity has 3 regions"),
        ({"weight": [1.0, 0, 0], "variables": ["y"]}, "'y' is not a state variable of Linear"),
        ({"weight": "all"}, "weight must be a list"),
        ({"temporal": "Gamma", "weight": [1.0, 0, 0]}, "not a TemporalEquation"),
        ({"type": "StimulusArray", "weight": [1.0]}, "region stimuli only"),
        ({"temporal": "PulseTrain"}, "give weight"),
        ({"weight": [1.0, 0, 0], "colour": "red"}, "unknown parameter"),
    ],
)
def test_config_stimulus_errors(tmp_path, stimulus, match):
    from vbrain.io.connectivity import write_connectivity

    path = write_connectivity(_uncoupled(), tmp_path / "conn.zip")
    with pytest.raises(ConfigError, match=match):
        load_config({"connectivity": str(path), "model": "Linear", "stimulus": stimulus}).build()


# --------------------------------------------------------------------------------------------
# bad input


def _build(stimulus, **kwargs):
    return vb.Simulator(
        _uncoupled(),
        model=vb.models.Linear(),
        integrator=vb.integrators.Euler(dt=0.1),
        monitors=[vb.monitors.Raw()],
        stimulus=stimulus,
        **kwargs,
    )


def test_bad_stimuli_give_clear_errors():
    with pytest.raises(ValidationError, match="2 weights but the connectivity has 3 regions"):
        _build(StimulusRegion(weight=[1.0, 0.0]))
    with pytest.raises(ValidationError, match="unknown region label 'R1'; did you mean 'r1'"):
        StimulusRegion.from_labels(_uncoupled(), {"R1": 1.0})
    with pytest.raises(ValidationError, match="'V' is not a state variable of Linear"):
        _build(StimulusRegion(weight=[1.0, 0.0, 0.0], variables=("V",)))
    with pytest.raises(ValidationError, match="repeat"):
        _build(StimulusRegion(weight=[1.0, 0.0, 0.0], variables=("x", "x")))
    with pytest.raises(ValidationError, match="weight"):
        StimulusRegion(weight=[1.0, np.nan, 0.0])
    with pytest.raises(ValidationError, match="must be a StimulusRegion"):
        _build("PulseTrain")
    with pytest.raises(ValidationError, match="sampled at dt = 0.2 ms"):
        _build(StimulusArray(values=np.zeros((10, 3)), dt=0.2))
    with pytest.raises(ValidationError, match=r"shape \(10, 4\); expected \(n_time, 3\)"):
        _build(StimulusArray(values=np.zeros((10, 4)), dt=0.1))
    with pytest.raises(ValidationError, match="values have shape"):
        StimulusArray(values=np.zeros(10), dt=0.1)
    with pytest.raises(ValidationError, match="output has shape"):
        _build(StimulusFunction(lambda t: np.zeros((t.size, 5)))).run(1.0)
    with pytest.raises(ValidationError, match="NaN"):
        _build(StimulusFunction(lambda t: np.full((t.size, 3), np.nan))).run(1.0)


def test_array_too_short_for_the_run_fails_before_running():
    sim = _build(StimulusArray(values=np.ones((10, 3)), dt=0.1))
    sim.run(n_steps=6)
    with pytest.raises(ValidationError, match="has 10 time points .* needs 12"):
        sim.run(n_steps=6)
    assert sim.step == 6  # nothing was run
    sim.run(n_steps=4)  # exactly to the end is fine
    assert sim.step == 10
