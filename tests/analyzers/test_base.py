"""Input normalisation, registry, function forms and optional-dependency errors."""

from __future__ import annotations

import builtins

import numpy as np
import pytest

import vbrain as vb
import vbrain.analyzers as an
from vbrain.analyzers.base import as_matrix, as_signal, require
from vbrain.config.traits import ValidationError
from vbrain.simulator.results import MonitorResult


def _monitor_result() -> MonitorResult:
    data = np.random.default_rng(0).standard_normal((50, 2, 3, 1))
    return MonitorResult(
        name="Raw",
        time=np.arange(1, 51) * 0.5,
        data=data,
        variables=["x", "y"],
        space=["a", "b", "c"],
        period=0.5,
    )


def test_monitor_result_input_keeps_labels_and_period():
    sig = as_signal(_monitor_result())
    assert sig.data.shape == (50, 2, 3, 1)
    assert sig.sample_period == 0.5 and sig.sample_rate == 2000.0
    assert sig.variables == ("x", "y") and sig.space == ("a", "b", "c")
    assert sig.time[0] == 0.5


def test_xarray_input_same_as_monitor_result():
    res = _monitor_result()
    sig = as_signal(res.to_xarray())
    np.testing.assert_array_equal(sig.data, res.data)
    assert sig.sample_period == 0.5 and sig.space == ("a", "b", "c")
    # a 2-D (time, space) DataArray gets the missing axes
    sig2 = as_signal(res.to_xarray()[:, 0, :, 0])
    assert sig2.data.shape == (50, 1, 3, 1)


def test_time_series_datatype_input():
    ts = vb.TimeSeries.example()
    sig = as_signal(ts)
    assert sig.variables == ts.variable_labels and sig.space == ts.space_labels
    assert sig.sample_period == ts.sample_period


@pytest.mark.parametrize(
    ("shape", "expected"),
    [((40,), (40, 1, 1, 1)), ((40, 5), (40, 1, 5, 1)), ((40, 2, 5, 3), (40, 2, 5, 3))],
)
def test_numpy_shapes(shape, expected):
    sig = as_signal(np.zeros(shape), sample_period=2.0)
    assert sig.data.shape == expected
    assert sig.time[-1] == (shape[0] - 1) * 2.0


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (np.zeros((10, 3)), {}, "pass sample_period"),
        (np.zeros((10, 3)), {"sample_period": 0.0}, "must be a finite number > 0"),
        (np.zeros((10, 3, 2)), {"sample_period": 1.0}, r"expected \(n_time,\)"),
        (np.full((10, 3), np.nan), {"sample_period": 1.0}, "NaN or infinite"),
        (np.zeros((10, 3), complex), {"sample_period": 1.0}, "complex"),
        (np.zeros((1, 3)), {"sample_period": 1.0}, "at least 2 time points"),
        (["a", "b"], {"sample_period": 1.0}, "not numeric"),
    ],
)
def test_bad_time_series_inputs(data, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        as_signal(data, **kwargs)


def test_conflicting_sample_period_is_an_error():
    with pytest.raises(ValidationError, match="disagrees"):
        as_signal(_monitor_result(), sample_period=1.0)


def test_matrix_inputs():
    conn = vb.Connectivity(
        weights=np.ones((3, 3)), tract_lengths=np.zeros((3, 3)), region_labels=("a", "b", "c")
    )
    w, labels = as_matrix(conn)
    assert labels == ("a", "b", "c") and w.shape == (3, 3)
    with pytest.raises(ValidationError, match="square"):
        as_matrix(np.zeros((3, 4)))
    with pytest.raises(ValidationError, match="NaN"):
        as_matrix(np.full((3, 3), np.nan))


def test_registry_lookup_is_case_insensitive_with_aliases():
    assert an.get("fft") is an.FFT
    assert an.get("fcd") is an.FunctionalConnectivityDynamics
    assert an.get("PSD") is an.PowerSpectralDensity
    with pytest.raises(ValidationError, match="unknown analyzer 'nope'; known analyzers"):
        an.get("nope")


def test_function_form_equals_class_call():
    x = np.random.default_rng(1).standard_normal((2000, 3))
    a = an.compute_fourier_spectrum(x, sample_period=1.0, segment_length=500.0)
    b = an.FFT(segment_length=500.0)(x, sample_period=1.0)
    np.testing.assert_array_equal(a.array_data, b.array_data)


def test_lazy_top_level_access():
    assert vb.analyzers is an


def test_bad_parameter_values_are_clear():
    with pytest.raises(ValidationError, match=r"FFT.segment_length = -1 must be > 0 ms"):
        an.FFT(segment_length=-1)
    with pytest.raises(ValidationError, match="not one of the options"):
        an.FFT(window_function="triangle-ish")


def test_missing_optional_dependency_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("no sklearn here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    import sys

    for mod in [m for m in sys.modules if m.startswith("sklearn")]:
        monkeypatch.delitem(sys.modules, mod)
    with pytest.raises(ImportError, match=r'scikit-learn.*pip install "vbrain\[analysis\]"'):
        require("sklearn.decomposition", "ICA")
