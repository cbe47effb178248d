"""Malformed input is rejected with :class:`vbrain.ValidationError` naming the problem.

Every case asserts both the exception type (``ValidationError`` or a subclass such as
``ConfigError``/``ConnectivityFormatError``) and that the message names the offending field
or value and what is expected.
"""

from __future__ import annotations

import math
import re
import zipfile

import numpy as np
import pytest

import vbrain as vb
from vbrain.simulator import coupling, integrators, monitors, noise

G2D = vb.models.Generic2dOscillator


def _conn(n: int = 4) -> vb.Connectivity:
    rng = np.random.default_rng(0)
    return vb.Connectivity(
        weights=rng.uniform(0.0, 1.0, (n, n)), tract_lengths=rng.uniform(1.0, 10.0, (n, n))
    )


def _sim(**kwargs) -> vb.Simulator:
    """A numpy-backend simulator on a 4-node network (dt 0.1 ms, Raw monitor by default)."""
    kwargs.setdefault("integrator", integrators.Heun(dt=0.1))
    kwargs.setdefault("monitors", [monitors.Raw()])
    return vb.Simulator(_conn(), backend=kwargs.pop("backend", "numpy"), **kwargs)


def _horizon() -> int:
    return _conn().horizon(0.1)  # every weight is non-zero: all delays count


CASES = [
    # -- connectivity --------------------------------------------------------------------
    (
        "non-square weights",
        lambda: vb.Connectivity(weights=np.ones((3, 4)), tract_lengths=np.ones((3, 4))),
        r"Connectivity\.weights is 3x4; weights must be square",
    ),
    (
        "tract lengths shape differs from weights",
        lambda: vb.Connectivity(weights=np.ones((3, 3)), tract_lengths=np.ones((4, 4))),
        r"tract_lengths is 4x4 but weights is 3x3",
    ),
    (
        "NaN weight",
        lambda: vb.Connectivity(weights=[[0.0, np.nan], [1.0, 0.0]], tract_lengths=np.ones((2, 2))),
        r"Connectivity\.weights .*NaN or infinite values \(first at index \(0, 1\)\)",
    ),
    (
        "negative tract length",
        lambda: vb.Connectivity(weights=np.ones((2, 2)), tract_lengths=[[0.0, -1.0], [1.0, 0.0]]),
        r"Connectivity\.tract_lengths .*negative values \(first -1\.0 at index \(0, 1\)\)",
    ),
    (
        "zero conduction speed",
        lambda: vb.Connectivity(weights=np.ones((2, 2)), tract_lengths=np.ones((2, 2)), speed=0.0),
        r"speed must be > 0 mm/ms",
    ),
    (
        "connectivity given as an array",
        lambda: vb.Simulator(np.ones((2, 2))),
        r"connectivity must be a vbrain Connectivity, got ndarray",
    ),
    # -- model ---------------------------------------------------------------------------
    (
        "model parameter outside its valid range",
        lambda: G2D(tau=-1.0),
        r"Generic2dOscillator\.tau = -1 must be > 0",
    ),
    (
        "unknown model field",
        lambda: G2D(foo=1.0),
        r"Generic2dOscillator has no field 'foo'",
    ),
    (
        "unknown model name",
        lambda: vb.models.get("NoSuchModel"),
        r"unknown model 'NoSuchModel'; known models: .*Generic2dOscillator",
    ),
    (
        "variable of interest with an unknown name",
        lambda: G2D(variables_of_interest=("V + Q",)),
        r"expression 'V \+ Q' uses unknown name 'Q'; state variables are \['V', 'W'\]",
    ),
    (
        "variable of interest that is not arithmetic",
        lambda: G2D(variables_of_interest=("V.__class__",)),
        r"expression 'V\.__class__': 'V\.__class__' is not allowed here; use arithmetic",
    ),
    (
        "variable of interest that does not parse",
        lambda: G2D(variables_of_interest=("V +",)),
        r"cannot parse expression 'V \+'",
    ),
    (
        "per-node parameter with the wrong length",
        lambda: _sim(model=G2D(a=[1.0, 2.0, 3.0])),
        r"Generic2dOscillator\.a has 3 values but the network has 4 nodes",
    ),
    (
        "per-node parameter given as a matrix",
        lambda: G2D(a=[[1.0, 2.0]]),
        r"Generic2dOscillator\.a = .*1-D array \(one value per node\), got shape \(1, 2\)",
    ),
    # -- coupling ------------------------------------------------------------------------
    (
        "SigmoidalJansenRit on a one-variable coupling",
        lambda: _sim(coupling=coupling.SigmoidalJansenRit()),
        r"SigmoidalJansenRit couples the difference of two coupling variables, but "
        r"Generic2dOscillator has 1",
    ),
    (
        "dynamic PreSigmoidal on a one-variable coupling",
        lambda: _sim(coupling=coupling.PreSigmoidal()),
        r"PreSigmoidal\(dynamic=True\) needs two coupling variables .* Generic2dOscillator has 1",
    ),
    (
        "per-node coupling parameter with the wrong length",
        lambda: _sim(coupling=coupling.Linear(a=[0.1, 0.2])),
        r"Linear\.a has 2 values but the network has 4 nodes",
    ),
    (
        "unknown coupling name",
        lambda: coupling.get("Quadratic"),
        r"unknown coupling 'Quadratic'; known couplings: .*'Linear'",
    ),
    # -- integrator and noise ------------------------------------------------------------
    ("dt of zero", lambda: integrators.Heun(dt=0.0), r"Heun\.dt = 0 must be > 0 ms"),
    (
        "negative dt",
        lambda: integrators.Euler(dt=-0.1),
        r"Euler\.dt = -0\.1 must be > 0 ms",
    ),
    (
        "negative noise intensity",
        lambda: noise.Additive(nsig=-1.0),
        r"Additive\.nsig = -1\.0: noise intensity must be finite and >= 0",
    ),
    (
        "noise intensity of the wrong shape",
        lambda: _sim(integrator=integrators.Heun(noise=noise.Additive(nsig=[1.0, 2.0, 3.0]))),
        r"Additive\.nsig has shape \(3,\); expected a number, \(2,\) .* or \(2, 4\)",
    ),
    (
        "negative noise correlation time",
        lambda: noise.Additive(ntau=-1.0),
        r"Additive\.ntau = -1 must be >= 0",
    ),
    (
        "clamping an unknown variable",
        lambda: _sim(integrator=integrators.Heun(clamped_variables=("Q",), clamped_values=(1.0,))),
        r"clamped variable 'Q' is not a state variable of the model \['V', 'W'\]",
    ),
    (
        "clamped values of the wrong length",
        lambda: integrators.Heun(clamped_variables=("V",), clamped_values=()),
        r"clamped_variables \('V',\) and clamped_values \(\) must have the same length",
    ),
    # -- monitors ------------------------------------------------------------------------
    (
        "dt not dividing a monitor period",
        lambda: _sim(monitors=[monitors.TemporalAverage(period=0.25)]),
        r"TemporalAverage period 0\.25 ms is not an integer multiple of dt = 0\.1 ms "
        r"\(2\.5 steps\); use e\.g\. period=0\.2 or 0\.3",
    ),
    (
        "monitor variable index out of range",
        lambda: _sim(monitors=[monitors.Raw(variables_of_interest=(3,))]),
        r"Raw\.variables_of_interest \[3\] must be indices in 0\.\.0",
    ),
    (
        "spatial mask of the wrong length",
        lambda: _sim(monitors=[monitors.SpatialAverage(spatial_mask=[0, 1], period=0.2)]),
        r"SpatialAverage mask has 2 entries but the network has 4 nodes",
    ),
    (
        "no monitor",
        lambda: _sim(monitors=[]),
        r"give at least one monitor",
    ),
    # -- simulator -----------------------------------------------------------------------
    (
        "negative duration",
        lambda: _sim().run(-1.0),
        r"duration = -1\.0 ms must be a finite number >= 0",
    ),
    (
        "infinite duration",
        lambda: _sim().run(math.inf),
        r"duration = inf ms must be a finite number >= 0",
    ),
    (
        "initial history of the wrong shape",
        lambda: _sim(initial_history=np.zeros((3, 4))),
        r"initial_history has shape \(3, 4\); expected a state \(2, 4\[, 1\]\)",
    ),
    (
        "initial history too short for the delays",
        lambda: _sim(initial_history=np.zeros((2, 2, 4))),
        rf"initial_history has 2 time points but the longest delay needs {_horizon()}",
    ),
    (
        "NaN in the initial history",
        lambda: _sim(initial_history=np.full((2, 4), np.nan)),
        r"initial_history contains NaN or infinite values",
    ),
    (
        "unknown backend",
        lambda: _sim(backend="cuda"),
        r"backend 'cuda' is unknown; use one of \('numba', 'numpy'\)",
    ),
    # -- configuration dicts -------------------------------------------------------------
    (
        "unknown model name in a config",
        lambda: vb.load_config({"model": "NoSuchModel"}),
        r"model: unknown model 'NoSuchModel'; known models: .*Generic2dOscillator",
    ),
    (
        "unknown model field in a config",
        lambda: vb.load_config({"model": {"type": "JansenRit", "Amplitude": 3.0}}),
        r"model: unknown parameter\(s\) 'Amplitude' for JansenRit; its parameters are: .*nu_max",
    ),
    (
        "misspelt top-level key in a config",
        lambda: vb.load_config({"modle": "JansenRit"}),
        r"unknown top-level key 'modle' \(did you mean 'model'\?\)",
    ),
    (
        "unknown backend in a config",
        lambda: vb.load_config({"backend": "cuda"}),
        r"backend = 'cuda': expected 'numba' or 'numpy'",
    ),
    (
        "negative dt in a config",
        lambda: vb.load_config({"integrator": {"type": "Heun", "dt": -1}}),
        r"integrator: Heun\.dt = -1 must be > 0",
    ),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rejected_with_a_clear_message(make, message):
    with pytest.raises(vb.ValidationError, match=message):
        make()


def test_there_are_many_distinct_cases():
    assert len({c[0] for c in CASES}) == len(CASES) >= 15


def _zip(path, members: dict[str, str]):
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"weights.txt": "1 0\n0 1 2\n", "tract_lengths.txt": "0 1\n1 0\n"},
            r"weights\.txt line 2: 3 values but line 1 has 2; every row must have the same",
        ),
        (
            {"tract_lengths.txt": "0 1\n1 0\n"},
            r"no weights member \(e\.g\. weights\.txt\) found; it holds tract_lengths\.txt",
        ),
        (
            {"weights.txt": "1 x\n0 1\n", "tract_lengths.txt": "0 1\n1 0\n"},
            r"weights\.txt line 1",
        ),
    ],
    ids=["ragged-rows", "no-weights", "not-a-number"],
)
def test_malformed_connectivity_zip(tmp_path, members, message):
    path = _zip(tmp_path / "conn.zip", members)
    with pytest.raises(vb.ValidationError, match=message) as info:
        vb.io.read_connectivity(path)
    assert "conn.zip" in str(info.value)  # the file is named


def test_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "conn.zip"
    path.write_text("not a zip archive")
    with pytest.raises(vb.ValidationError, match=re.escape("conn.zip: not a zip archive")):
        vb.io.read_connectivity(path)


def test_rejected_assignment_leaves_objects_valid():
    model = G2D()
    with pytest.raises(vb.ValidationError, match=r"Generic2dOscillator\.d = -1"):
        model.d = -1.0
    assert model.d == 0.02
