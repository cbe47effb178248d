"""TimeSeries datatypes: construction, checks, summary, xarray, monitor results, simulation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import vbrain as vb
from vbrain.config import ValidationError
from vbrain.datatypes import (
    Connectivity,
    TimeSeries,
    TimeSeriesEEG,
    TimeSeriesMEG,
    TimeSeriesRegion,
    TimeSeriesVolume,
)
from vbrain.io import hdf5
from vbrain.simulator.results import MonitorResult

os.environ.setdefault("VBRAIN_CACHE_DIR", "/tmp/vbc_store")


def test_axes_are_added_and_defaults_filled() -> None:
    ts = TimeSeries(data=np.zeros((5, 3)), start_time=10.0, sample_period=0.5)
    assert ts.shape == (5, 1, 3, 1)
    np.testing.assert_array_equal(ts.time, [10.0, 10.5, 11.0, 11.5, 12.0])
    assert ts.variable_labels == ("v0",) and ts.space_labels == ("s0", "s1", "s2")
    assert TimeSeries(data=np.zeros(4)).shape == (4, 1, 1, 1)
    assert TimeSeries(data=np.zeros((4, 2, 3))).shape == (4, 2, 3, 1)
    # the period is taken from the times when not given
    assert TimeSeries(data=np.zeros((3, 1)), time=[1.0, 3.0, 5.0]).sample_period == 2.0
    assert TimeSeries(data=np.zeros((4, 1))).sample_period == 1.0


def test_nan_data_is_allowed() -> None:
    ts = TimeSeries(data=[[1.0], [np.nan], [3.0]])
    summary = ts.summary()
    assert summary["data_max"] == 3.0 and summary["n_nonfinite"] == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": np.zeros((3, 2)), "time": [0.0, 1.0]}, "time has 2 values but data has 3"),
        ({"data": np.zeros((3, 2)), "time": [0.0, 2.0, 1.0]}, "not strictly increasing"),
        ({"data": np.zeros((3, 2)), "sample_period": 0.0}, "sample_period = 0 must be > 0"),
        ({"data": np.zeros((3, 2)), "space_labels": ["a"]}, "space_labels has 1 labels"),
        ({"data": np.zeros((3, 2)), "variable_labels": "x"}, "single string"),
        ({"data": np.zeros((3, 2)), "connectivity": "abc"}, "gid \\(32 hex digits\\)"),
        (
            {"data": np.zeros((3, 2)), "time": [0.0, 1, 2], "start_time": 1.0},
            "either time or start_time",
        ),
        ({}, "needs data"),
        ({"data": np.zeros((2, 2, 2, 2, 2))}, "expected a 4-D array"),
    ],
)
def test_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TimeSeries(**kwargs)


def test_links_by_object_or_gid() -> None:
    conn = Connectivity.example()
    ts = TimeSeriesRegion(data=np.zeros((2, 4)), connectivity=conn)
    assert ts.space_labels == conn.region_labels  # taken from the connectivity
    assert ts.links == {"connectivity": conn.gid}
    dashed = "12345678-1234-1234-1234-1234567890AB"
    by_gid = TimeSeriesRegion(data=np.zeros((2, 4)), connectivity=dashed)
    assert by_gid.connectivity == "12345678123412341234" + "1234567890ab"
    with pytest.raises(ValidationError, match="4 regions .* connectivity has 4 regions|5 regions"):
        TimeSeriesRegion(data=np.zeros((2, 5)), connectivity=conn)


def test_sensor_kinds_check_their_sensors() -> None:
    from vbrain.datatypes.sensors import SensorsEEG, SensorsMEG

    eeg = SensorsEEG.example()
    ts = TimeSeriesEEG(data=np.zeros((3, eeg.n_sensors)), sensors=eeg)
    assert ts.space_labels == eeg.labels
    with pytest.raises(ValidationError, match="needs EEG sensors, got SensorsMEG"):
        TimeSeriesEEG(data=np.zeros((3, 4)), sensors=SensorsMEG.example())
    with pytest.raises(ValidationError, match="linked sensors has 4 sensors"):
        TimeSeriesMEG(data=np.zeros((3, 5)), sensors=SensorsMEG.example())


def test_volume_kind() -> None:
    vol = TimeSeriesVolume.example()
    assert vol.dims == ("time", "x", "y", "z") and vol.shape == (5, 3, 4, 2)
    assert vol.sample_rate == 0.5 and vol.duration == 10_000.0
    assert vol.to_xarray().dims == ("time", "x", "y", "z")
    with pytest.raises(ValidationError, match="expected a 4-D array"):
        TimeSeriesVolume(data=np.zeros((2, 3)))
    with pytest.raises(ValidationError, match="leave variable_labels"):
        TimeSeriesVolume(data=np.zeros((2, 1, 1, 1)), variable_labels=["a"])
    with pytest.raises(ValidationError, match="voxel sizes must be > 0"):
        TimeSeriesVolume(data=np.zeros((2, 1, 1, 1)), voxel_size=[1, 0, 1])


def test_summary_figures() -> None:
    ts = TimeSeries(data=np.arange(8.0).reshape(4, 2), sample_period=0.25, units="mV")
    s = ts.summary()
    assert s["shape"] == [4, 1, 2, 1] and s["n_time"] == 4
    assert s["duration"] == 1.0 and s["sample_period"] == 0.25 and s["sample_rate"] == 4000.0
    assert (s["data_min"], s["data_max"], s["data_mean"]) == (0.0, 7.0, 3.5)
    assert s["start_time"] == 0.0 and s["end_time"] == 0.75 and s["units"] == "mV"


def test_to_xarray() -> None:
    ts = TimeSeriesRegion.example()
    da = ts.to_xarray()
    assert da.dims == ("time", "variable", "space", "mode")
    assert list(da.coords["space"].values) == list(ts.connectivity.region_labels)
    assert da.coords["time"].attrs["units"] == "ms"
    assert da.attrs["gid"] == ts.gid and da.attrs["connectivity_gid"] == ts.connectivity.gid
    np.testing.assert_array_equal(da.sel(variable="y").values, ts.data[:, 1])


def test_from_monitor_result_chooses_the_kind() -> None:
    def result(name: str, n_space: int = 4) -> MonitorResult:
        return MonitorResult(
            name=name,
            time=np.arange(1, 4) * 2.0,
            data=np.ones((3, 1, n_space, 1)),
            variables=["V"],
            space=[f"c{i}" for i in range(n_space)],
            period=2.0,
        )

    assert type(result("TemporalAverage").to_time_series()) is TimeSeriesRegion
    assert type(result("EEG").to_time_series()) is TimeSeriesEEG
    assert type(result("MEG").to_time_series()) is TimeSeriesMEG
    assert type(result("iEEG").to_time_series()).__name__ == "TimeSeriesSEEG"
    assert type(result("GlobalAverage", 1).to_time_series()) is TimeSeries
    ts = result("Raw").to_time_series("TimeSeries", units="mV")
    assert type(ts) is TimeSeries and ts.title == "Raw" and ts.units == "mV"
    assert ts.space_labels == ("c0", "c1", "c2", "c3") and ts.sample_period == 2.0
    with pytest.raises(TypeError, match="TimeSeries class"):
        result("Raw").to_time_series(Connectivity)


def test_time_series_from_a_real_simulation(tmp_path: Path) -> None:
    conn = Connectivity.example()
    res = vb.simulate(
        conn,
        model=vb.models.Generic2dOscillator(),
        integrator=vb.integrators.Heun(dt=0.1),
        monitors=[vb.monitors.TemporalAverage(period=1.0)],
        duration=20.0,
        backend="numpy",
        seed=3,
    )
    ts = res[0].to_time_series(connectivity=conn)
    assert isinstance(ts, TimeSeriesRegion)
    assert ts.shape == (20, 1, 4, 1) and ts.space_labels == conn.region_labels
    assert ts.sample_period == 1.0 and ts.time[0] == 0.5  # stamped mid-window
    np.testing.assert_array_equal(ts.data, res[0].data)
    assert ts.summary()["duration"] == 20.0
    back = hdf5.load(hdf5.save(ts, tmp_path / "sim.h5"))
    assert back == ts and back.connectivity.gid == conn.gid
    same = TimeSeries.from_monitor_result(res[0], connectivity=conn)
    np.testing.assert_array_equal(same.to_xarray().values, res[0].to_xarray().values)
