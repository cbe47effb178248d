"""Simulation configurations: defaults, round trips, building and clear errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml

from vbrain.config.traits import ValidationError
from vbrain.simulator import coupling, integrators, monitors, noise
from vbrain.simulator.config import ConfigError, SimulationConfig, load_config
from vbrain.simulator.models import Generic2dOscillator, JansenRit

EXAMPLE = """\
connectivity: 76            # a tvb-data connectome number/name, or a path to a TVB zip
speed: 3.0                  # optional, mm/ms, overrides the connectivity's
model: {type: Generic2dOscillator, a: -2.0}     # or just the name as a string
coupling: {type: Linear, a: 0.0152}
integrator: {type: Heun, dt: 0.1, noise: {type: Additive, nsig: 0.001}}
monitors: [{type: Raw}, {type: TemporalAverage, period: 2.0}]
duration: 1000.0
seed: 42
backend: numba
initial_history: null      # or a path to a .npy
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


# -- defaults ---------------------------------------------------------------------------


def test_defaults_are_the_reference_first_run():
    cfg = SimulationConfig.default()
    assert cfg.connectivity == 76
    assert cfg.speed is None
    assert cfg.model == Generic2dOscillator()
    assert cfg.coupling == coupling.Linear(a=0.0152)
    assert cfg.integrator == integrators.Heun(dt=0.1)
    assert cfg.integrator.noise is None
    assert cfg.monitors == [monitors.TemporalAverage(period=1.0)]
    assert cfg.duration == 1000.0
    assert cfg.seed == 42
    assert cfg.backend == "numba"
    assert cfg.initial_history is None


def test_every_section_is_optional(tmp_path):
    default = SimulationConfig.default()
    assert load_config(None) == default
    assert load_config({}) == default
    assert load_config(_write(tmp_path, "empty.yaml", "")) == default
    assert load_config(_write(tmp_path, "empty.json", "{}")) == default


def test_example_file_parses(tmp_path):
    cfg = load_config(_write(tmp_path, "example.yaml", EXAMPLE))
    assert cfg.speed == 3.0
    assert isinstance(cfg.integrator, integrators.Heun)
    assert cfg.integrator.noise == noise.Additive(nsig=0.001)
    assert [type(m) for m in cfg.monitors] == [monitors.Raw, monitors.TemporalAverage]
    assert cfg.monitors[1].period == 2.0


def test_names_are_resolved_case_insensitively_and_by_reference_names():
    cfg = load_config(
        {
            "model": "jansenrit",
            "coupling": "sigmoidaljansenrit",
            "integrator": "HeunStochastic",
            "monitors": "raw",
            "backend": "NumPy",
            "connectivity": "66",
        }
    )
    assert isinstance(cfg.model, JansenRit)
    assert isinstance(cfg.coupling, coupling.SigmoidalJansenRit)
    assert isinstance(cfg.integrator, integrators.Heun)
    assert cfg.integrator.noise == noise.Additive()  # stochastic reference name: default noise
    assert cfg.integrator.dt == 0.1
    assert cfg.monitors == [monitors.Raw()]
    assert cfg.backend == "numpy"
    assert cfg.connectivity == 66


def test_section_defaults_apply_without_type():
    cfg = load_config(
        {
            "model": {"a": -1.5},
            "coupling": {"b": 0.1},
            "integrator": {"noise": 0.01},
            "monitors": [{"type": "SubSample"}],
        }
    )
    assert cfg.model == Generic2dOscillator(a=-1.5)
    assert cfg.coupling == coupling.Linear(a=0.0152, b=0.1)
    assert cfg.integrator == integrators.Heun(dt=0.1, noise=noise.Additive(nsig=0.01))
    assert cfg.monitors == [monitors.SubSample(period=1.0)]


def test_objects_are_accepted_and_assignment_is_validated():
    cfg = SimulationConfig(model=JansenRit(A=3.5), integrator=integrators.RK4(dt=0.05))
    assert cfg.model.A == 3.5
    cfg.model = "SupHopf"
    assert type(cfg.model).__name__ == "SupHopf"
    with pytest.raises(ConfigError, match="duration"):
        cfg.duration = -1.0
    assert cfg.duration == 1000.0


# -- round trip -------------------------------------------------------------------------


def _rich_config() -> SimulationConfig:
    return load_config(
        {
            "connectivity": 76,
            "speed": 4.0,
            "model": {"type": "Generic2dOscillator", "a": list(np.linspace(-2.0, -1.0, 76))},
            "coupling": {"type": "Linear", "a": 0.02},
            "integrator": {
                "type": "Heun",
                "dt": 0.05,
                "noise": {"type": "Multiplicative", "nsig": 1e-4, "a": 0.5, "b": 0.1},
            },
            "monitors": [
                {"type": "Raw"},
                {"type": "TemporalAverage", "period": 2.0},
                {"type": "SpatialAverage", "period": 1.0, "default_mask": "hemispheres"},
                {"type": "AfferentCoupling"},
            ],
            "duration": 10.0,
            "seed": 7,
            "backend": "numpy",
        }
    )


def test_to_dict_round_trips():
    cfg = _rich_config()
    data = cfg.to_dict()
    assert data["model"]["type"] == "Generic2dOscillator"
    assert data["integrator"]["noise"]["type"] == "Multiplicative"
    assert data["integrator"]["noise"]["a"] == 0.5
    assert load_config(data) == cfg
    assert load_config(data).to_dict() == data
    assert load_config(json.loads(cfg.to_json())) == cfg
    assert load_config(yaml.safe_load(cfg.to_yaml())) == cfg


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_save_and_load_file_round_trip(tmp_path, suffix):
    cfg = _rich_config()
    path = cfg.save(tmp_path / f"cfg{suffix}")
    assert load_config(path) == cfg
    assert load_config(str(path)) == cfg


def test_round_trip_gives_the_same_simulation():
    cfg = _rich_config()
    again = load_config(yaml.safe_load(cfg.to_yaml()))
    a, b = cfg.run(), again.run()
    assert len(a) == len(b) == 4
    for ra, rb in zip(a, b, strict=True):
        np.testing.assert_array_equal(ra.time, rb.time)
        np.testing.assert_array_equal(ra.data, rb.data)


def test_load_config_copies_its_input():
    data = {"model": {"type": "Generic2dOscillator", "a": -1.0}}
    cfg = load_config(data)
    assert data == {"model": {"type": "Generic2dOscillator", "a": -1.0}}
    copy = load_config(cfg)
    assert copy == cfg and copy is not cfg


# -- building and running ---------------------------------------------------------------


def test_build_and_run_short():
    cfg = load_config({"duration": 20.0, "backend": "numpy", "speed": 6.0})
    sim = cfg.build()
    assert sim.connectivity.speed == 6.0
    assert sim.plan.n_node == 76
    res = sim.run(cfg.duration)
    assert res[0].data.shape == (20, 1, 76, 1)
    np.testing.assert_allclose(res[0].time, np.arange(20) + 0.5)


def test_connectivity_path_and_initial_history_relative_to_config_file(tmp_path):
    from vbrain.datasets import load_connectivity
    from vbrain.io.connectivity import write_connectivity

    conn = load_connectivity(76)
    write_connectivity(conn, tmp_path / "conn.zip")
    state = np.zeros((2, 76))
    np.save(tmp_path / "init.npy", state)
    path = _write(
        tmp_path,
        "run.yaml",
        """\
        connectivity: conn.zip
        initial_history: init.npy
        monitors: [{type: Raw}]
        duration: 0.2
        backend: numpy
        """,
    )
    cfg = load_config(path)
    assert Path(cfg.connectivity).is_absolute()
    sim = cfg.build()
    np.testing.assert_array_equal(sim.connectivity.weights, conn.weights)
    np.testing.assert_array_equal(sim.current_state[..., 0], state)


def test_missing_files_at_build():
    with pytest.raises(FileNotFoundError, match="connectivity"):
        load_config({"connectivity": "./no/such/conn.zip"}).build()
    with pytest.raises(FileNotFoundError, match="initial_history"):
        load_config({"initial_history": "no_such_history.npy"}).build()
    with pytest.raises(ConfigError, match="connectivity: no connectivity 'nope'"):
        load_config({"connectivity": "nope"}).build()


# -- errors -----------------------------------------------------------------------------

BAD_CONFIGS = {
    "unknown model": (
        {"model": "Generic2DOsc"},
        ["model: unknown model 'Generic2DOsc'", "Generic2dOscillator", "JansenRit"],
    ),
    "unknown model in mapping": (
        {"model": {"type": "NoSuchModel", "a": 1}},
        ["model: unknown model 'NoSuchModel'", "known models:"],
    ),
    "unknown parameter": (
        {"model": {"type": "Generic2dOscillator", "alpah": 1.0}},
        ["model:", "'alpah'", "Generic2dOscillator", "did you mean 'alpha'", "tau"],
    ),
    "unknown coupling parameter": (
        {"coupling": {"type": "Linear", "gain": 1.0}},
        ["coupling:", "'gain'", "Linear"],
    ),
    "wrong parameter type": (
        {"model": {"a": "strong"}},
        ["model: Generic2dOscillator.a = 'strong'", "expected a number"],
    ),
    "negative duration": ({"duration": -5.0}, ["duration = -5.0", "> 0"]),
    "duration not a number": ({"duration": "long"}, ["duration = 'long'", "expected a number"]),
    "dt not dividing a monitor period": (
        {"integrator": {"dt": 0.3}, "monitors": [{"type": "TemporalAverage", "period": 1.0}]},
        ["monitors[0]", "not an integer multiple of dt = 0.3"],
    ),
    "negative dt": ({"integrator": {"dt": -0.1}}, ["integrator:", "dt"]),
    "unknown top-level key": (
        {"modle": "JansenRit"},
        ["unknown top-level key 'modle'", "did you mean 'model'", "duration"],
    ),
    "section of the wrong type": ({"model": 42}, ["model:", "got int 42"]),
    "unknown coupling": ({"coupling": "Quadratic"}, ["coupling: unknown coupling 'Quadratic'"]),
    "unknown integrator": ({"integrator": "Verlet"}, ["integrator: unknown integrator 'Verlet'"]),
    "unknown noise": (
        {"integrator": {"noise": {"type": "Pink"}}},
        ["integrator.noise: unknown noise 'Pink'", "Additive"],
    ),
    "unknown monitor": (
        {"monitors": [{"type": "Raw"}, {"type": "Boldly"}]},
        ["monitors[1]: unknown monitor 'Boldly'", "TemporalAverage"],
    ),
    "monitor without type": ({"monitors": [{"period": 2.0}]}, ["monitors[0]: give the type"]),
    "no monitors": ({"monitors": []}, ["monitors: give at least one monitor"]),
    "monitors not a list": ({"monitors": 3}, ["monitors: expected a list"]),
    "variable of interest out of range": (
        {"monitors": [{"type": "Raw", "variables_of_interest": [2]}]},
        ["monitors[0]", "variables_of_interest"],
    ),
    "boolean seed": ({"seed": True}, ["seed = True"]),
    "negative seed": ({"seed": -1}, ["seed = -1"]),
    "unknown backend": ({"backend": "cuda"}, ["backend = 'cuda'", "numba", "numpy"]),
    "negative speed": ({"speed": -3.0}, ["speed = -3.0", "> 0"]),
    "connectivity of the wrong type": ({"connectivity": [76]}, ["connectivity:", "list"]),
    "not a mapping": (["model"], ["must be a mapping"]),
}


@pytest.mark.parametrize("name", list(BAD_CONFIGS))
def test_bad_config_gives_a_clear_error(name):
    data, fragments = BAD_CONFIGS[name]
    with pytest.raises(ConfigError) as info:
        load_config(data) if isinstance(data, dict) else SimulationConfig.from_dict(data)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_config_error_is_a_validation_error():
    assert issubclass(ConfigError, ValidationError)
    assert issubclass(ConfigError, ValueError)


def test_several_problems_are_reported_together():
    with pytest.raises(ConfigError) as info:
        load_config({"duration": -1, "seed": "x"})
    assert "duration" in str(info.value) and "seed" in str(info.value)


def test_malformed_yaml(tmp_path):
    path = _write(tmp_path, "bad.yaml", "model: {type: Generic2dOscillator, a: -2.0\nduration: 1\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: invalid YAML.*line \d+, column \d+"):
        load_config(path)


def test_malformed_json(tmp_path):
    path = _write(tmp_path, "bad.json", '{"model": "JansenRit",}')
    with pytest.raises(ConfigError, match=r"bad\.json: invalid JSON at line 1, column \d+"):
        load_config(path)


def test_top_level_must_be_a_mapping(tmp_path):
    path = _write(tmp_path, "list.yaml", "- model\n- coupling\n")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(path)


def test_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="config file not found"):
        load_config(tmp_path / "missing.yaml")


def test_unsupported_suffix(tmp_path):
    path = _write(tmp_path, "cfg.toml", "duration = 1")
    with pytest.raises(ConfigError, match="unsupported config file type '.toml'"):
        load_config(path)
