"""The ``vbrain`` command line: simulate, models, --version, errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from vbrain.cli import main
from vbrain.simulator.config import load_config

SHORT = ["--duration", "20", "--backend", "numpy"]


def _config_attr(path: Path) -> dict:
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["config"])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_simulate_default_config(tmp_path, capsys):
    out = tmp_path / "out.h5"
    assert main(["simulate", "-o", str(out), *SHORT]) == 0
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1
    assert "200 steps" in summary[0] and "steps/s" in summary[0] and str(out) in summary[0]
    with h5py.File(out, "r") as f:
        assert list(f) == ["0_TemporalAverage"]
        g = f["0_TemporalAverage"]
        assert g["data"].shape == (20, 1, 76, 1)
        np.testing.assert_allclose(g["time"][()], np.arange(20) + 0.5)
        assert np.all(np.isfinite(g["data"][()]))
    cfg = _config_attr(out)
    assert cfg["duration"] == 20.0 and cfg["backend"] == "numpy"
    assert cfg["model"]["type"] == "Generic2dOscillator"
    assert load_config(cfg).duration == 20.0


def test_simulate_config_file(tmp_path, capsys):
    path = _write(
        tmp_path,
        "run.yaml",
        """\
        connectivity: 76
        model: {type: Generic2dOscillator, a: -1.8}
        coupling: {type: Linear, a: 0.0152}
        integrator: {type: Heun, dt: 0.1, noise: {type: Additive, nsig: 0.001}}
        monitors: [{type: Raw}, {type: TemporalAverage, period: 2.0}]
        duration: 1000.0
        seed: 3
        backend: numba
        """,
    )
    out = tmp_path / "run.h5"
    assert main(["simulate", str(path), "-o", str(out), *SHORT, "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    with h5py.File(out, "r") as f:
        assert sorted(f) == ["0_Raw", "1_TemporalAverage"]
        assert f["0_Raw/data"].shape == (200, 1, 76, 1)
        assert f["0_Raw/time"].shape == (200,)
        assert f["1_TemporalAverage/data"].shape == (10, 1, 76, 1)
        np.testing.assert_allclose(f["1_TemporalAverage/time"][()], np.arange(10) * 2.0 + 1.0)
    cfg = _config_attr(out)
    assert cfg["model"]["a"] == -1.8
    assert cfg["seed"] == 3
    assert cfg["integrator"]["noise"] == {"type": "Additive", "nsig": 0.001, "ntau": 0.0}
    assert cfg["duration"] == 20.0  # option overrides the file


def test_json_config_and_output_is_replaced(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"monitors": [{"type": "Raw"}], "duration": 1.0}))
    out = tmp_path / "out.h5"
    args = ["simulate", str(path), "-o", str(out), "--backend", "numpy", "-q"]
    assert main(args) == 0
    assert main(args) == 0  # a second run replaces the file rather than appending to it
    with h5py.File(out, "r") as f:
        assert f["0_Raw/data"].shape == (10, 1, 76, 1)


def test_set_overrides(tmp_path):
    out = tmp_path / "out.h5"
    argv = [
        "simulate", "-o", str(out), *SHORT, "-q",
        "--set", "model.a=-1.5",
        "--set", "coupling.a=0.02",
        "--set", "monitors.0.period=2",
        "--set", "integrator.noise.nsig=1e-4",
        "--set", "seed=null",
    ]  # fmt: skip
    assert main(argv) == 0
    cfg = _config_attr(out)
    assert cfg["model"]["a"] == -1.5
    assert cfg["coupling"] == {"type": "Linear", "a": 0.02, "b": 0.0}
    assert cfg["monitors"][0]["period"] == 2.0
    assert cfg["integrator"]["noise"]["type"] == "Additive"
    assert cfg["integrator"]["noise"]["nsig"] == 1e-4
    assert cfg["seed"] is None
    with h5py.File(out, "r") as f:
        assert f["0_TemporalAverage/data"].shape == (10, 1, 76, 1)


def test_set_on_a_section_given_by_name(tmp_path, capsys):
    path = _write(tmp_path, "run.yaml", "model: JansenRit\nmonitors: Raw\n")
    argv = ["simulate", str(path), "--print-config", "--set", "model.A=3.5"]
    argv += ["--set", "monitors.0.variables_of_interest=[0, 1]"]
    assert main(argv) == 0
    cfg = yaml.safe_load(capsys.readouterr().out)
    assert cfg["model"]["type"] == "JansenRit" and cfg["model"]["A"] == 3.5
    assert cfg["monitors"] == [{"type": "Raw", "period": 0.0, "variables_of_interest": [0, 1]}]


def test_print_config(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["simulate", "--print-config", "--model", "SupHopf", "--dt", "0.05"]
    argv += ["--connectivity", "66", "--seed", "5", "--duration", "250"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    cfg = yaml.safe_load(text)
    assert cfg["model"]["type"] == "SupHopf"
    assert cfg["integrator"]["dt"] == 0.05
    assert cfg["connectivity"] == 66
    assert cfg["seed"] == 5 and cfg["duration"] == 250.0
    assert cfg["backend"] == "numba"  # the CLI default backend
    assert load_config(cfg).to_dict() == cfg
    assert not (tmp_path / "simulation.h5").exists()


def test_model_option_keeps_parameters_of_the_same_model(tmp_path, capsys):
    path = _write(tmp_path, "run.yaml", "model: {type: Generic2dOscillator, a: -1.0}\n")
    assert main(["simulate", str(path), "--print-config", "--model", "generic2doscillator"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["model"]["a"] == -1.0


def test_print_default_config_matches_default(capsys):
    from vbrain.simulator.config import SimulationConfig

    assert main(["simulate", "--print-config"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == SimulationConfig.default().to_dict()


def test_progress_bar(tmp_path, capsys):
    out = tmp_path / "out.h5"
    assert main(["simulate", "-o", str(out), *SHORT, "--progress", "-q"]) == 0
    assert "simulating" in capsys.readouterr().err


def test_simulate_help_lists_every_option(capsys):
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for option in [
        "CONFIG", "-o", "--output", "--duration", "--dt", "--seed", "--backend", "--model",
        "--connectivity", "--set", "KEY=VALUE", "--progress", "--no-progress",
        "--print-config", "--quiet",
    ]:  # fmt: skip
        assert option in text, option


def test_models_lists_models(capsys):
    assert main(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    g2d = [line for line in lines if line.startswith("Generic2dOscillator")]
    assert len(g2d) == 1 and "oscillator" in g2d[0].lower()
    assert any(line.startswith("JansenRit") for line in lines)
    assert main(["models", "generic2doscillator"]) == 0
    assert "tau" in capsys.readouterr().out


def test_version(capsys):
    from vbrain import __version__

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--set", "model.zz=1"], "unknown parameter(s) 'zz'"),
        (["--set", "modle.a=1"], "unknown top-level key 'modle'"),
        (["--set", "duration=-5"], "duration = -5"),
        (["--set", "novalue"], "--set expects KEY=VALUE"),
        (["--set", "duration.x=1"], "'duration' is a single value"),
        (["--set", "monitors.4.period=1"], "monitors is a list of 1"),
        (["--model", "NoSuchModel"], "unknown model 'NoSuchModel'"),
        (["--dt", "0.3"], "not an integer multiple of dt = 0.3"),
        (["no_such_config.yaml"], "config file not found"),
        (["--connectivity", "no/such/conn.zip", "--backend", "numpy"], "no such file"),
        (["--connectivity", "13", "--backend", "numpy"], "no connectivity 13"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, capsys, argv, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", *argv]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    assert fragment in err[0], err[0]
    assert "Traceback" not in captured.err
    assert not (tmp_path / "simulation.h5").exists()


def test_malformed_yaml_exits_2(tmp_path, capsys):
    path = _write(tmp_path, "bad.yaml", "model: {type: Generic2dOscillator\n")
    assert main(["simulate", str(path)]) == 2
    assert capsys.readouterr().err.startswith("error: bad.yaml: invalid YAML")


def test_unwritable_output_exits_2(tmp_path, capsys):
    out = tmp_path / "missing_dir" / "out.h5"
    assert main(["simulate", "-o", str(out), *SHORT]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_console_script_with_bad_config(tmp_path):
    path = _write(tmp_path, "bad.yaml", "model: {type: Generic2dOscillator, a: -2.0}\nmodle: 1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "vbrain.cli", "simulate", str(path), "-o", str(tmp_path / "o.h5")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: unknown top-level key 'modle' (did you mean 'model'?); known keys: "
        "connectivity, speed, model, coupling, integrator, monitors, duration, seed, backend, "
        "initial_history, stimulus"
    )
    assert not (tmp_path / "o.h5").exists()


def test_import_is_light():
    code = (
        "import sys, vbrain.cli; "
        "heavy = [m for m in ('numpy', 'h5py', 'yaml', 'pydantic', 'vbrain.simulator') "
        "if m in sys.modules]; print(heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.strip() == "[]"
