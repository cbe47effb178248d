"""The shipped sensors, gain matrices and region mappings, loaded by short name."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain import datasets
from vbrain.config import ValidationError
from vbrain.datatypes import SensorsEEG, SensorsInternal, SensorsMEG

pytest.importorskip("tvb_data")
pytestmark = pytest.mark.filterwarnings("ignore::vbrain.datatypes.NonFiniteGainWarning")


def test_listings():
    assert {"eeg_62", "eeg_65", "meg_151", "meg_276", "seeg_39", "seeg_588"} <= set(
        datasets.list_sensors()
    )
    assert {"eeg_62", "eeg_65", "meg_276"} <= set(datasets.list_projections())
    assert {"16k_76", "16k_192"} <= set(datasets.list_region_mappings())


@pytest.mark.parametrize(
    ("name", "cls", "n"),
    [
        ("eeg_65", SensorsEEG, 65),
        ("eeg_62", SensorsEEG, 62),
        ("meg_151", SensorsMEG, 151),
        ("meg_276", SensorsMEG, 276),
        ("seeg_39", SensorsInternal, 103),
        ("seeg_588", SensorsInternal, 588),
        ("eeg_brainstorm_65.txt", SensorsEEG, 65),
        ("MEG_276", SensorsMEG, 276),
    ],
)
def test_load_sensors(name, cls, n):
    s = datasets.load_sensors(name)
    assert type(s) is cls and s.n_sensors == n


@pytest.mark.parametrize(
    ("name", "shape"), [("eeg_65", (65, 16384)), ("eeg_62", (62, 16384)), ("meg_276", (276, 16384))]
)
def test_load_projection(name, shape):
    p = datasets.load_projection(name)
    assert p.gain.shape == shape and np.all(np.isfinite(p.gain))
    assert p.sensors is not None and p.sensors.n_sensors == shape[0]
    assert datasets.load_projection(name, with_sensors=False).sensors is None


def test_load_region_mapping_and_copies():
    rm = datasets.load_region_mapping()
    assert rm.n_vertices == 16384 and rm.region_vertex_counts().size == 76
    assert datasets.load_region_mapping(192).n_vertices == 16500
    rm.array[:] = 0  # a copy: the next load is unaffected
    assert datasets.load_region_mapping("16k_76").region_vertex_counts().min() > 0


@pytest.mark.parametrize(
    ("load", "name", "message"),
    [
        (datasets.load_sensors, "seeg_960", "no sensors 'seeg_960' in tvb-data; available: eeg_62"),
        (datasets.load_projection, "seeg_588", "no projection 'seeg_588'.*meg_276"),
        (datasets.load_region_mapping, 68, "no region mapping 68 .*16k_76"),
    ],
)
def test_unknown_names_list_the_available(load, name, message):
    with pytest.raises(ValidationError, match=message):
        load(name)
