"""Reading and writing sensors text files; the shipped tvb-data sensor sets."""

from __future__ import annotations

import bz2
import io
from pathlib import Path

import numpy as np
import pytest

from vbrain.datatypes import Sensors, SensorsEEG, SensorsInternal, SensorsMEG
from vbrain.io import SensorsFormatError, read_sensors, write_sensors

tvb_data = pytest.importorskip("tvb_data")
SENSORS_DIR = Path(tvb_data.__file__).parent / "sensors"


def raw_lines(name: str) -> list[list[str]]:
    data = (SENSORS_DIR / name).read_bytes()
    if name.endswith(".bz2"):
        data = bz2.decompress(data)
    return [line.split() for line in data.decode("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("name", "cls", "n", "first"),
    [
        ("eeg_brainstorm_65.txt", SensorsEEG, 65, "Fp1"),
        ("eeg_unitvector_62.txt.bz2", SensorsEEG, 62, "Fp1"),
        ("meg_151.txt.bz2", SensorsMEG, 151, "ch_000"),
        ("meg_brainstorm_276.txt", SensorsMEG, 276, "TRIGGER"),
        ("seeg_39.txt.bz2", SensorsInternal, 103, "G\u00b41"),
        ("seeg_588.txt", SensorsInternal, 588, "TP1"),
    ],
)
def test_shipped_files(name, cls, n, first):
    s = read_sensors(SENSORS_DIR / name)
    assert type(s) is cls and s.n_sensors == n and s.labels[0] == first
    rows = raw_lines(name)
    assert list(s.labels) == [r[0] for r in rows]
    np.testing.assert_array_equal(s.locations, [[float(v) for v in r[1:4]] for r in rows])
    if cls is SensorsMEG:
        np.testing.assert_array_equal(s.orientations, [[float(v) for v in r[4:7]] for r in rows])
    assert s.usable.all()


def test_unit_vector_eeg_file_holds_directions():
    s = read_sensors(SENSORS_DIR / "eeg_unitvector_62.txt.bz2")
    np.testing.assert_allclose(np.linalg.norm(s.locations, axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("cls", [SensorsEEG, SensorsMEG, SensorsInternal])
@pytest.mark.parametrize("suffix", [".txt", ".txt.bz2"])
def test_write_read_round_trip(tmp_path, cls, suffix):
    rng = np.random.default_rng(0)
    s = cls.example().model_copy(update={"locations": rng.normal(size=(4, 3)) * 77.7})
    path = write_sensors(s, tmp_path / f"{cls.modality.lower()}_x{suffix}")
    back = read_sensors(path)
    assert type(back) is cls
    np.testing.assert_array_equal(back.locations, s.locations)
    assert back.labels == s.labels
    if s.orientations is not None:
        np.testing.assert_array_equal(back.orientations, s.orientations)


def test_modality_from_argument_name_or_columns(tmp_path):
    text = "A\t1.0\t2.0\t3.0\nB 4 5 6\n"
    (tmp_path / "contacts.txt").write_text(text)
    assert type(read_sensors(tmp_path / "contacts.txt")) is Sensors
    assert type(read_sensors(tmp_path / "contacts.txt", "SEEG")) is SensorsInternal
    (tmp_path / "coils.txt").write_text("A 1 2 3 0 0 1\n")
    assert type(read_sensors(tmp_path / "coils.txt")) is SensorsMEG
    stream = io.BytesIO(bz2.compress(text.encode()))
    assert type(read_sensors(stream, name="seeg_test.txt.bz2")) is SensorsInternal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("# only a comment\n", "is empty"),
        ("A 1 2 3\nB 1 2\n", "line 2: 3 columns but line 1 has 4"),
        ("A 1 2\n", "line 1: 3 columns; expected 4"),
        ("A 1 2 3\nB 1 x 3\n", "line 2, column 3: cannot read 'x' as a number"),
        ("A 1 2 3\nB 1 nan 3\n", "line 2, column 3: nan; values must be finite"),
        ("A 1 2 3\nA 4 5 6\n", "'A' appears at positions 0 and 1"),
    ],
)
def test_bad_files(tmp_path, text, message):
    path = tmp_path / "eeg_bad.txt"
    path.write_text(text)
    with pytest.raises(SensorsFormatError, match=message) as err:
        read_sensors(path)
    assert "eeg_bad.txt" in str(err.value)


def test_meg_without_orientations_and_missing_file(tmp_path):
    path = tmp_path / "meg_bad.txt"
    path.write_text("A 1 2 3\n")
    with pytest.raises(SensorsFormatError, match="MEG sensors need orientations.*expected 7"):
        read_sensors(path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_sensors(tmp_path / "missing.txt")
