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
