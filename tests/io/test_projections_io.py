"""Reading gain matrices from .npy, .mat (named variable) and Brainstorm .mat files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import scipy.io

from vbrain.datatypes import NonFiniteGainWarning, SensorsEEG
from vbrain.io import ProjectionFormatError, read_projection, write_projection

tvb_data = pytest.importorskip("tvb_data")
PROJ_DIR = Path(tvb_data.__file__).parent / "projectionMatrix"


@pytest.mark.parametrize(
    ("name", "modality", "shape", "n_nonfinite"),
    [
        ("projection_eeg_65_surface_16k.npy", "EEG", (65, 16384), 2 * 16384),
        ("projection_eeg_62_surface_16k.mat", "EEG", (62, 16384), 0),
        ("projection_meg_276_surface_16k.npy", "MEG", (276, 16384), 28 * 16384),
    ],
)
def test_shipped_files(name, modality, shape, n_nonfinite):
    if name.endswith(".npy"):
        raw = np.load(PROJ_DIR / name)
    else:
        raw = scipy.io.loadmat(PROJ_DIR / name)["ProjectionMatrix"]
    assert int((~np.isfinite(raw)).sum()) == n_nonfinite
    if n_nonfinite:
        with pytest.warns(NonFiniteGainWarning, match=f"{n_nonfinite} of {raw.size}"):
            p = read_projection(PROJ_DIR / name)
    else:
        p = read_projection(PROJ_DIR / name)
    assert p.gain.shape == shape and p.modality == modality
    finite = np.isfinite(raw)
    np.testing.assert_array_equal(p.gain[finite], raw[finite])
    assert not p.gain[~finite].any()


def test_npy_round_trip_and_stream(tmp_path):
    gain = np.random.default_rng(0).normal(size=(4, 9))
    path = tmp_path / "gain.npy"
    np.save(path, gain)
    p = read_projection(path, "SEEG")
    np.testing.assert_array_equal(p.gain, gain)
    assert p.modality == "SEEG"
    assert read_projection(path).modality is None  # nothing in the name
    back = read_projection(write_projection(p, tmp_path / "again.npy"))
    np.testing.assert_array_equal(back.gain, gain)
    back = read_projection(write_projection(p, tmp_path / "again.mat"))
    np.testing.assert_array_equal(back.gain, gain)
    buf = io.BytesIO(path.read_bytes())
    np.testing.assert_array_equal(read_projection(buf, name="x.npy").gain, gain)


def test_mat_variable_selection(tmp_path):
    a = np.arange(6.0).reshape(2, 3)
    b = np.ones((4, 5))
    only = tmp_path / "only.mat"
    scipy.io.savemat(only, {"G": a, "note": "text", "vec": np.ones(3)})
    np.testing.assert_array_equal(read_projection(only).gain, a)  # the only 2-D numeric
    two = tmp_path / "two.mat"
    scipy.io.savemat(two, {"A": a, "ProjectionMatrix": b})
    np.testing.assert_array_equal(read_projection(two).gain, b)  # falls back to the name
    np.testing.assert_array_equal(read_projection(two, variable="A").gain, a)
    ambiguous = tmp_path / "ambiguous.mat"
    scipy.io.savemat(ambiguous, {"A": a, "B": b})
    with pytest.raises(ProjectionFormatError, match="pass variable=.*A 2x3 float64, B 4x5"):
        read_projection(ambiguous)
    with pytest.raises(ProjectionFormatError, match="no variable 'C'; the file holds A 2x3"):
        read_projection(ambiguous, variable="C")


def test_brainstorm_head_model(tmp_path):
    rng = np.random.default_rng(1)
    n_sens, n_src = 5, 7
    gain = rng.normal(size=(n_sens, 3 * n_src))
    loc = rng.normal(size=(n_src, 3))
    ori = rng.normal(size=(n_src, 3))
    path = tmp_path / "headmodel_eeg.mat"
    scipy.io.savemat(path, {"Gain": gain, "GridLoc": loc, "GridOrient": ori, "Comment": "x"})
    p = read_projection(path, sensors=SensorsEEG(labels=list("abcde"), locations=np.eye(5, 3)))
    expected = (gain.reshape(n_sens, -1, 3) * ori).sum(-1)
    assert p.gain.shape == (n_sens, n_src) and p.modality == "EEG"
    np.testing.assert_allclose(p.gain, expected, rtol=1e-14)
    assert p.sensors.labels == tuple("abcde")
    # read as a plain variable instead
    np.testing.assert_array_equal(read_projection(path, variable="Gain").gain, gain)
    bad = tmp_path / "bad.mat"
    scipy.io.savemat(bad, {"Gain": gain, "GridOrient": ori[:-1]})
    with pytest.raises(ProjectionFormatError, match="GridOrient is 6x3 but Gain has 21 columns"):
        read_projection(bad, brainstorm=True)
    scipy.io.savemat(bad, {"Gain": gain})
    with pytest.raises(ProjectionFormatError, match="missing GridOrient"):
        read_projection(bad, brainstorm=True)


def test_mat_v73_is_read_with_h5py(tmp_path):
    h5py = pytest.importorskip("h5py")
    gain = np.arange(12.0).reshape(3, 4)
    path = tmp_path / "v73.mat"
    with h5py.File(path, "w", userblock_size=512) as f:
        f["ProjectionMatrix"] = gain.T  # MATLAB stores column-major
    with open(path, "r+b") as fh:  # a v7.3 header, as MATLAB writes it
        fh.write(b"MATLAB 7.3 MAT-file".ljust(116) + b"\x00" * 8 + b"\x00\x02IM")
    np.testing.assert_array_equal(read_projection(path).gain, gain)


def test_bad_files(tmp_path):
    vector = tmp_path / "vector.npy"
    np.save(vector, np.ones(5))
    with pytest.raises(ProjectionFormatError, match="vector.npy: holds a 1-D float64 array"):
        read_projection(vector)
    junk = tmp_path / "junk.mat"
    junk.write_bytes(b"not a matrix at all")
    with pytest.raises(ProjectionFormatError, match="junk.mat: not a readable MATLAB file"):
        read_projection(junk)
    fake = tmp_path / "fake.npy"
    fake.write_bytes(b"nothing")
    with pytest.raises(ProjectionFormatError, match="fake.npy: not a .npy file"):
        read_projection(fake)
    with pytest.raises(ProjectionFormatError, match="variable/brainstorm apply to .mat"):
        read_projection(vector, variable="x")


def test_sensor_count_mismatch_and_missing(tmp_path):
    path = tmp_path / "eeg.npy"
    np.save(path, np.ones((3, 4)))
    with pytest.raises(ProjectionFormatError, match="3 rows but the sensors have 4"):
        read_projection(path, sensors=SensorsEEG.example())
    with pytest.raises(FileNotFoundError):
        read_projection(tmp_path / "nope.npy")
