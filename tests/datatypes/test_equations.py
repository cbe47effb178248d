"""HRF kernel equations: hand formulas, peaks, validation, registry and field round trips."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from vbrain.config.traits import ValidationError
from vbrain.datatypes import equations as eq
from vbrain.simulator.monitors import Bold

POINTS = [0.0, 0.004, 0.5, 1.0, 2.16, 5.0, 12.3, 19.996]


def test_registry_lists_the_hrf_kernels():
    kernels = eq.list_equations(eq.HRFKernelEquation)
    assert {"Gamma", "DoubleExponential", "FirstOrderVolterra", "MixtureOfGammas"} <= set(kernels)
    assert eq.get("firstordervolterra") is eq.FirstOrderVolterra
    # abstract families are not registered
    assert "HRFKernelEquation" not in eq.list_equations()
    with pytest.raises(ValidationError, match="known equations"):
        eq.get("NoSuchKernel")
    for name in kernels:
        assert eq.get(name).variable_unit == "s"


def test_gamma_matches_hand_formula():
    g = eq.Gamma()  # tau 1.08 s, n 3, a 0.1 (reference defaults)
    assert (g.tau, g.n, g.a) == (1.08, 3.0, 0.1)
    peak_raw = (2.0**2 * math.exp(-2.0)) / (1.08 * 2.0)  # at t = (n - 1) tau
    for t in POINTS:
        raw = ((t / 1.08) ** 2 * math.exp(-t / 1.08)) / (1.08 * math.factorial(2))
        assert g.evaluate(t) == pytest.approx(0.1 * raw / peak_raw, rel=1e-12, abs=1e-300)
    assert g.evaluate(2.0 * 1.08) == pytest.approx(0.1, rel=1e-14)


def test_gamma_edge_shapes():
    # n = 1: a decaying exponential with its peak a at t = 0
    g = eq.Gamma(n=1.0, tau=2.0, a=1.0)
    np.testing.assert_allclose(g.evaluate([0.0, 2.0]), [1.0, math.exp(-1.0)], rtol=1e-14)
    # non-integer n: the analytic normalisation needs no factorial
    g = eq.Gamma(n=2.5, tau=1.0, a=2.0)
    t = np.linspace(0, 10, 100_001)
    assert g.evaluate(t).max() == pytest.approx(2.0, rel=1e-9)
    assert t[np.argmax(g.evaluate(t))] == pytest.approx(1.5, abs=1e-4)
    with pytest.raises(ValidationError, match="n"):
        eq.Gamma(n=0.5)
    with pytest.raises(ValidationError, match="tau"):
        eq.Gamma(tau=0.0)


def test_double_exponential_matches_hand_formula():
    d = eq.DoubleExponential()

    def raw(t):
        return 0.1 * math.exp(-t / 7.22) * math.sin(2 * math.pi * 0.03 * t) - 0.1 * math.exp(
            -t / 7.4
        ) * math.sin(2 * math.pi * 0.12 * t)

    # the reference normalises by the maximum over its 4 ms grid of 20 s
    grid = np.arange(0.0, 20.0, 0.004)
    grid_max = max(raw(t) for t in grid)
    t_max, g_max = d.peak()
    assert t_max == pytest.approx(5.9425, abs=1e-3)
    assert g_max == pytest.approx(grid_max, rel=1e-6)
    for t in POINTS:
        assert d.evaluate(t) == pytest.approx(0.1 * raw(t) / g_max, rel=1e-12, abs=1e-15)
    assert d.evaluate(t_max) == pytest.approx(0.1, rel=1e-12)
    with pytest.raises(ValidationError, match="never positive"):
        eq.DoubleExponential(amp_1=0.0, amp_2=0.0).evaluate(1.0)


def test_first_order_volterra_matches_hand_formula():
    v = eq.FirstOrderVolterra()  # tau_s 0.8, tau_f 0.4, k_1 5.6, V_0 0.02
    w = math.sqrt(1 / 0.4 - 1 / (4 * 0.8**2))
    assert v.omega == pytest.approx(w, rel=1e-15)
    for t in POINTS:
        hand = 1 / 3 * math.exp(-0.5 * t / 0.8) * math.sin(w * t) / w
        assert v.evaluate(t) == pytest.approx(hand, rel=1e-12, abs=1e-16)
    # a damped oscillation: peak where tan(w t) = 2 tau_s w, first zero at pi / w = 2.16 s
    t_peak = math.atan(2 * 0.8 * w) / w
    t = np.linspace(0, 5, 500_001)
    assert t[np.argmax(v.evaluate(t))] == pytest.approx(t_peak, abs=1e-4)
    assert t_peak == pytest.approx(0.80, abs=0.01)
    assert v.evaluate(math.pi / w) == pytest.approx(0.0, abs=1e-15)
    # the reference's BOLD from the convolution
    np.testing.assert_allclose(v.bold_from_convolution(np.array([1.0, 2.0])), [0.0, 5.6 * 0.02])
    with pytest.raises(ValidationError, match="4 tau_s"):
        eq.FirstOrderVolterra(tau_s=0.2, tau_f=0.4)


def test_mixture_of_gammas_matches_hand_formula():
    m = eq.MixtureOfGammas()  # a_1 6, a_2 13, l 1, c 0.4
    for t in POINTS:
        hand = t**5 * math.exp(-t) / math.gamma(6) - 0.4 * t**12 * math.exp(-t) / math.gamma(13)
        assert m.evaluate(t) == pytest.approx(hand, rel=1e-12, abs=1e-300)
    t = np.linspace(0, 30, 300_001)
    h = m.evaluate(t)
    assert t[np.argmax(h)] == pytest.approx(5.0, abs=0.2)  # SPM-like peak ~5 s
    assert 10.0 < t[np.argmin(h)] < 14.0 and h.min() < 0  # undershoot
    # shape 1 is well defined at t = 0 (0^0 = 1)
    assert eq.MixtureOfGammas(a_1=1.0, c=0.0).evaluate(0.0) == pytest.approx(1.0)


@pytest.mark.parametrize("name", eq.list_equations(eq.HRFKernelEquation))
def test_hrf_kernels_are_vectorised_and_causal(name):
    k = eq.get(name)()
    t = np.linspace(-1.0, 20.0, 60).reshape(3, 20)
    out = k.evaluate(t)
    assert out.shape == t.shape and np.all(np.isfinite(out))
    assert np.all(out[t < 0] == 0.0)
    np.testing.assert_array_equal(k(t), out)
    for i, ti in enumerate(t.ravel()):
        assert k.evaluate(ti) == pytest.approx(out.ravel()[i], rel=1e-12, abs=1e-300)
    assert k.evaluate(1.0).shape == ()


@pytest.mark.parametrize("name", eq.list_equations(eq.HRFKernelEquation))
def test_equation_round_trips(name):
    cls = eq.get(name)
    obj = cls()
    d = obj.to_dict()
    assert d["type"] == name
    assert cls(**d) == obj
    assert set(obj.parameters) == set(cls.model_fields)
    schema = cls.json_schema()
    assert set(cls.model_fields) <= set(schema["properties"])
    # as a monitor field: instance, name or tagged dict, and back through JSON
    for value in (obj, name, d):
        bold = Bold(hrf_kernel=value)
        assert type(bold.hrf_kernel) is cls
        back = Bold(**json.loads(bold.model_dump_json()))
        assert back == bold and type(back.hrf_kernel) is cls


def test_equation_field_errors_and_schema():
    with pytest.raises(ValidationError, match="type"):
        Bold(hrf_kernel={"tau": 1.0})
    with pytest.raises(ValidationError, match="unknown equation"):
        Bold(hrf_kernel="Nope")
    with pytest.raises(ValidationError, match="Gamma"):
        Bold(hrf_kernel=3.0)
    with pytest.raises(ValidationError, match="cannot be built from"):
        eq.Gamma(type="MixtureOfGammas")
    with pytest.raises(ValidationError, match="tau"):
        Bold(hrf_kernel={"type": "Gamma", "tau": -1.0})
    schema = Bold.json_schema()["properties"]["hrf_kernel"]
    consts = {opt["properties"]["type"]["const"] for opt in schema["oneOf"]}
    assert consts == set(eq.list_equations(eq.HRFKernelEquation))
    json.dumps(schema)


# --------------------------------------------------------------------------------------------
# temporal (time in ms) and spatial (distance in mm) equations

T_POINTS = np.array([-50.0, 0.0, 0.3, 0.5, 1.0, 4.9, 5.0, 17.25, 30.0, 30.1, 43.0, 71.9, 250.0])
S = 1.8137993642342178  # pi / sqrt(3), the reference's sigmoid constant


def _hand(name: str, p: dict, x: float) -> float:
    """The reference system's formulas, written out in plain Python."""
    if name == "Linear":
        return p["a"] * x + p["b"]
    if name == "Gaussian":
        return (
            p["amp"] * math.exp(-((x - p["midpoint"]) ** 2) / (2 * p["sigma"] ** 2)) + p["offset"]
        )
    if name == "DoubleGaussian":
        g1 = p["amp_1"] * math.exp(-((x - p["midpoint_1"]) ** 2) / (2 * p["sigma_1"] ** 2))
        g2 = p["amp_2"] * math.exp(-((x - p["midpoint_2"]) ** 2) / (2 * p["sigma_2"] ** 2))
        return g1 - g2
    if name == "Sigmoid":
        z = -S * (p["radius"] - x) / p["sigma"]
        return (0.0 if z > 700 else p["amp"] / (1 + math.exp(z))) + p["offset"]
    if name == "GeneralizedSigmoid":
        z = -S * (x - p["midpoint"]) / p["sigma"]
        return p["low"] + (0.0 if z > 700 else (p["high"] - p["low"]) / (1 + math.exp(z)))
    if name == "Sinusoid":
        return p["amp"] * math.sin(2 * math.pi * p["frequency"] * x)
    if name == "Cosine":
        return p["amp"] * math.cos(2 * math.pi * p["frequency"] * x)
    if name == "Alpha":
        s = x - p["onset"]
        if s <= 0:
            return 0.0
        a, b = p["alpha"], p["beta"]
        return a * b / (b - a) * (math.exp(-a * s) - math.exp(-b * s))
    if name == "PulseTrain":
        s = x - p["onset"]
        return p["amp"] if s > 0 and math.fmod(s, p["T"]) < p["tau"] else 0.0
    if name == "Discrete":
        return x
    raise AssertionError(name)


DEFAULTS = {
    # the reference system's defaults
    "Linear": {"a": 1.0, "b": 0.0},
    "Gaussian": {"amp": 1.0, "sigma": 1.0, "midpoint": 0.0, "offset": 0.0},
    "DoubleGaussian": {
        "amp_1": 0.5,
        "sigma_1": 20.0,
        "midpoint_1": 0.0,
        "amp_2": 1.0,
        "sigma_2": 10.0,
        "midpoint_2": 0.0,
    },
    "Sigmoid": {"amp": 1.0, "radius": 5.0, "sigma": 1.0, "offset": 0.0},
    "GeneralizedSigmoid": {"low": 0.0, "high": 1.0, "midpoint": 1.0, "sigma": 0.3},
    "Sinusoid": {"amp": 1.0, "frequency": 0.01},
    "Cosine": {"amp": 1.0, "frequency": 0.01},
    "Alpha": {"onset": 0.5, "alpha": 13.0, "beta": 42.0},
    "PulseTrain": {"T": 42.0, "tau": 13.0, "amp": 1.0, "onset": 30.0},
    "Discrete": {},
}

OTHER = {
    # non-default values, to check every parameter enters the formula where it should
    "Linear": {"a": -0.3, "b": 2.0},
    "Gaussian": {"amp": 2.5, "sigma": 7.0, "midpoint": 15.0, "offset": -0.5},
    "DoubleGaussian": {
        "amp_1": 2.0,
        "sigma_1": 5.0,
        "midpoint_1": 3.0,
        "amp_2": 0.7,
        "sigma_2": 12.0,
        "midpoint_2": -4.0,
    },
    "Sigmoid": {"amp": 3.0, "radius": 20.0, "sigma": 4.0, "offset": 0.25},
    "GeneralizedSigmoid": {"low": -1.0, "high": 3.0, "midpoint": 20.0, "sigma": 6.0},
    "Sinusoid": {"amp": 0.4, "frequency": 0.04},
    "Cosine": {"amp": 0.4, "frequency": 0.04},
    "Alpha": {"onset": 10.0, "alpha": 0.2, "beta": 0.9},
    "PulseTrain": {"T": 20.0, "tau": 2.5, "amp": -2.0, "onset": 4.0},
    "Discrete": {},
}


def test_temporal_and_spatial_families():
    temporal = set(eq.list_equations(eq.TemporalEquation))
    spatial = set(eq.list_equations(eq.SpatialEquation))
    assert temporal == {
        "Linear",
        "Gaussian",
        "DoubleGaussian",
        "Sigmoid",
        "GeneralizedSigmoid",
        "Sinusoid",
        "Cosine",
        "Alpha",
        "PulseTrain",
    }
    assert spatial == {"Gaussian", "DoubleGaussian", "Sigmoid", "Discrete"}
    assert not ({"TemporalEquation", "SpatialEquation"} & set(eq.list_equations()))
    assert eq.PulseTrain.variable_unit == "ms" and eq.Discrete.variable_unit == "mm"
    assert eq.Gaussian.variable_unit == "ms|mm"
    # the reference's names
    assert eq.get("DiscreteEquation") is eq.Discrete
    assert eq.get("MexicanHat") is eq.DoubleGaussian


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_temporal_and_spatial_equations_match_hand_formulas(name):
    cls = eq.get(name)
    assert cls().parameters == DEFAULTS[name]
    for params in (DEFAULTS[name], OTHER[name]):
        e = cls(**params)
        values = e.evaluate(T_POINTS)
        assert values.shape == T_POINTS.shape
        expected = [_hand(name, params, float(x)) for x in T_POINTS]
        np.testing.assert_allclose(values, expected, rtol=1e-13, atol=1e-300)
        # vectorised over any shape, scalars too
        np.testing.assert_array_equal(e.evaluate(T_POINTS.reshape(1, -1, 1)).ravel(), values)
        assert e(float(T_POINTS[3])) == pytest.approx(expected[3], rel=1e-13, abs=1e-300)


def test_equation_special_points():
    # Sigmoid: half the amplitude at the radius; GeneralizedSigmoid: half-way at the midpoint
    assert eq.Sigmoid(amp=2.0, radius=7.0).evaluate(7.0) == pytest.approx(1.0)
    assert eq.GeneralizedSigmoid(low=1.0, high=3.0, midpoint=4.0).evaluate(4.0) == 2.0
    # far from the edge: the exact limits, without overflow warnings
    with np.errstate(all="raise"):
        assert eq.Sigmoid().evaluate(1e6) == 0.0
        assert eq.GeneralizedSigmoid().evaluate(-1e6) == 0.0
        assert eq.Alpha().evaluate(-1e6) == 0.0
    # Alpha integrates to one; alpha = beta uses the limit alpha^2 s exp(-alpha s)
    t = np.linspace(0.0, 200.0, 2_000_001)
    a = eq.Alpha(onset=1.0, alpha=0.3, beta=0.7).evaluate(t)
    assert np.trapezoid(a, t) == pytest.approx(1.0, rel=1e-6)
    same = eq.Alpha(onset=1.0, alpha=0.5, beta=0.5)
    assert same.evaluate(3.0) == pytest.approx(0.25 * 2.0 * math.exp(-1.0), rel=1e-14)
    near = eq.Alpha(onset=1.0, alpha=0.5, beta=0.5 + 1e-7)
    assert near.evaluate(3.0) == pytest.approx(same.evaluate(3.0), rel=1e-6)
    # PulseTrain: off at the onset itself (t > onset), on for [onset, onset + tau) after it
    p = eq.PulseTrain(T=10.0, tau=10.0, amp=1.0, onset=0.0)  # tau = T: constant after onset
    np.testing.assert_array_equal(
        p.evaluate([-1.0, 0.0, 0.1, 9.99, 10.0, 55.0]), [0, 0, 1, 1, 1, 1]
    )
    assert eq.PulseTrain(tau=0.0).evaluate(np.linspace(0, 200, 1001)).max() == 0.0
    np.testing.assert_array_equal(eq.Discrete().evaluate([3.0, -1.5]), [3.0, -1.5])


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (eq.Gaussian, {"sigma": 0.0}, "sigma"),
        (eq.DoubleGaussian, {"sigma_2": -1.0}, "sigma_2"),
        (eq.Sigmoid, {"sigma": 0.0}, "sigma"),
        (eq.GeneralizedSigmoid, {"sigma": -0.3}, "sigma"),
        (eq.Alpha, {"alpha": 0.0}, "alpha"),
        (eq.PulseTrain, {"T": 0.0}, "T"),
        (eq.PulseTrain, {"tau": 50.0}, "tau = 50.0 ms exceeds the period T = 42.0 ms"),
        (eq.PulseTrain, {"tau": -1.0}, "tau"),
        (eq.Linear, {"c": 1.0}, "c"),
    ],
)
def test_stimulus_equation_validation(cls, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        cls(**kwargs)


def test_stimulus_equations_declare_units_and_docs():
    for name in DEFAULTS:
        cls = eq.get(name)
        assert cls.__doc__ and "math" in cls.__doc__
        for field, info in cls.model_fields.items():
            assert info.description, f"{name}.{field} has no doc"
    assert eq.PulseTrain.model_fields["T"].json_schema_extra["unit"] == "ms"
    assert eq.Sinusoid.model_fields["frequency"].json_schema_extra["unit"] == "1/ms"
    assert eq.Gaussian.model_fields["sigma"].json_schema_extra["unit"] == "ms|mm"


def test_temporal_equation_field_round_trips():
    from vbrain.simulator.stimuli import StimulusRegion

    stim = StimulusRegion(temporal={"type": "Alpha", "onset": 3.0}, weight=[1.0])
    assert stim.temporal == eq.Alpha(onset=3.0)
    again = StimulusRegion(**json.loads(json.dumps(stim.to_dict())))
    assert again == stim and isinstance(again.temporal, eq.Alpha)
    with pytest.raises(ValidationError, match="not a TemporalEquation"):
        StimulusRegion(temporal="Discrete", weight=[1.0])
    schema = StimulusRegion.json_schema()
    assert "PulseTrain" in json.dumps(schema) and "Gamma" not in json.dumps(schema)
