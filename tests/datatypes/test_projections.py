"""ProjectionMatrix: validation, non-finite gains, unusable sensors, oriented gains."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import (
    NonFiniteGainWarning,
    ProjectionMatrix,
    SensorsEEG,
    SensorsMEG,
    get_datatype,
)
from vbrain.datatypes.projections import oriented_gain


def test_example_round_trip_and_summary():
    p = ProjectionMatrix.example()
    assert (p.n_sensors, p.n_sources) == (4, 6)
    assert p.sensors is not None and p.modality == "EEG"
    back = ProjectionMatrix(**p.to_dict())
    assert back == p and isinstance(back.sensors, SensorsEEG)
    s = p.summary()
    assert s["n_sensors"] == 4 and s["n_sources"] == 6 and s["n_zero_rows"] == 0
    assert get_datatype("ProjectionMatrix") is ProjectionMatrix


def test_meg_sensors_survive_a_dict_round_trip():
    p = ProjectionMatrix(gain=np.ones((4, 2)), modality="meg", sensors=SensorsMEG.example())
    assert p.modality == "MEG"
    back = ProjectionMatrix(**p.to_dict())
    assert isinstance(back.sensors, SensorsMEG)
    np.testing.assert_array_equal(back.sensors.orientations, p.sensors.orientations)


def test_non_finite_gains_are_zeroed_with_a_warning():
    gain = np.arange(12.0).reshape(3, 4)
    gain[0, 1] = np.nan
    gain[2, :] = np.inf
    with pytest.warns(NonFiniteGainWarning, match=r"5 of 12 coefficients .* in 2 of 3 sensor"):
        p = ProjectionMatrix(gain=gain)
    assert np.all(np.isfinite(p.gain))
    assert p.gain[0, 1] == 0 and not p.gain[2].any() and p.gain[1, 3] == 7.0
    assert p.summary()["n_zero_rows"] == 1


def test_unusable_sensors_get_zero_rows():
    sensors = SensorsEEG.example().model_copy(
        update={"usable": np.array([True, False, True, True])}
    )
    p = ProjectionMatrix(gain=np.ones((4, 3)), modality="EEG", sensors=sensors)
    assert not p.gain[1].any() and p.gain[[0, 2, 3]].all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gain": np.ones((3, 6)), "sensors": SensorsEEG.example()}, "3 rows but the sensors"),
        ({"gain": np.ones(6)}, "2-D array"),
        ({"gain": np.ones((0, 4))}, "at least one sensor"),
        ({"gain": np.ones((2, 2)), "modality": "PET"}, "not one of the options"),
        (
            {"gain": np.ones((4, 2)), "modality": "MEG", "sensors": SensorsEEG.example()},
            "needs SensorsMEG",
        ),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        ProjectionMatrix(**kwargs)


def test_oriented_gain():
    rng = np.random.default_rng(0)
    free = rng.normal(size=(5, 3 * 4))
    ori = rng.normal(size=(4, 3))
    out = oriented_gain(free, ori)
    for s in range(5):
        for k in range(4):
            assert out[s, k] == pytest.approx(free[s, 3 * k : 3 * k + 3] @ ori[k])
    with pytest.raises(ValidationError, match="3 \\* n_sources"):
        oriented_gain(np.ones((2, 5)), np.ones((2, 3)))
    with pytest.raises(ValidationError, match="expected \\(4, 3\\)"):
        oriented_gain(free, np.ones((3, 3)))
