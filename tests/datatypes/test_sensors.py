"""Sensors datatypes: construction, validation, derived values, examples."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import Sensors, SensorsEEG, SensorsInternal, SensorsMEG, get_datatype
from vbrain.datatypes.sensors import sensors_class

CLASSES = [Sensors, SensorsEEG, SensorsMEG, SensorsInternal]


@pytest.mark.parametrize("cls", CLASSES)
def test_example_is_valid_and_round_trips(cls):
    s = cls.example()
    assert isinstance(s, cls) and s.n_sensors == len(s.labels) == s.locations.shape[0]
    assert s.usable.dtype == bool and s.usable.shape == (s.n_sensors,)
    assert cls(**s.to_dict()) == s
    summary = s.summary()
    assert summary["n_sensors"] == s.n_sensors and summary["modality"] == cls.modality
    assert get_datatype(cls.__name__) is cls
    assert len(s.gid) == 32 and cls.example().gid != s.gid


def test_defaults_and_lookup():
    s = SensorsEEG(labels=["Cz", "Pz"], locations=[[0, 0, 90.0], [0, -60, 70]])
    assert s.usable.tolist() == [True, True]
    assert s.orientations is None and not s.has_orientations
    assert s.index("Pz") == 1
    with pytest.raises(ValidationError, match="no sensor 'Oz'; labels are Cz, Pz"):
        s.index("Oz")
    assert sensors_class("meg") is SensorsMEG and sensors_class("iEEG") is SensorsInternal
    assert sensors_class(None) is Sensors
    with pytest.raises(ValidationError, match="unknown sensor modality 'ECoG'"):
        sensors_class("ECoG")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": ["a", "b"], "locations": [[0, 0, 0]]}, "1 rows but there are 2 labels"),
        ({"labels": ["a"], "locations": [[0, 0]]}, "expected shape \\(any, 3\\)"),
        ({"labels": ["a", "a"], "locations": np.zeros((2, 3))}, "'a' appears at positions 0"),
        ({"labels": [], "locations": np.zeros((0, 3))}, "no sensors"),
        ({"labels": ["a"], "locations": [[0, np.nan, 0]]}, "NaN or infinite"),
        ({"labels": "abc", "locations": np.zeros((3, 3))}, "single string"),
        ({"labels": ["a", ""], "locations": np.zeros((2, 3))}, "non-empty"),
        (
            {"labels": ["a"], "locations": [[0, 0, 0]], "usable": [True, False]},
            "usable has 2 flags",
        ),
        (
            {"labels": ["a"], "locations": [[0, 0, 0]], "orientations": np.zeros((2, 3))},
            "orientations has 2 rows",
        ),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        SensorsEEG(**kwargs)


def test_meg_needs_orientations():
    with pytest.raises(ValidationError, match="SensorsMEG needs orientations"):
        SensorsMEG(labels=["m"], locations=[[0, 0, 100.0]])
    m = SensorsMEG(labels=["m"], locations=[[0, 0, 100.0]], orientations=[[0, 0, 1.0]])
    assert m.has_orientations and m.summary()["has_orientations"]
