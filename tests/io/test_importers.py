"""Importers and exporters of issue 8: CSV, TXT/MAT time series and measures, NIfTI, tracts,
BIDS derivatives, MNE export and the zip of linked datatypes.

Small files are written by the tests; the CSV importer also reads the matrices shipped in
``tvb_data/dti_pipeline_toronto`` (the files the reference's CSV importer is tested with).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import scipy.io

import vbrain.io as vio
from vbrain.config.traits import ValidationError
from vbrain.datatypes import (
    Connectivity,
    RegionVolumeMapping,
    StructuralMRI,
    TimeSeriesEEG,
    TimeSeriesRegion,
    TimeSeriesVolume,
    Tracts,
    Volume,
)

nib = pytest.importorskip("nibabel", reason="nibabel (the io extra) is not installed")


# --------------------------------------------------------------------------------------
# CSV connectivity


def test_csv_header_permutes_rows_and_columns(tmp_path):
    # ordinals 30, 10, 20: sorted order is column 1, 2, 0
    m = np.array([[0.0, 1.0, 2.0], [3.0, 0.0, -1.0], [5.0, 6.0, 0.0]])
    (tmp_path / "w.csv").write_text("30,10,20\n" + "\n".join(",".join(map(str, r)) for r in m))
    (tmp_path / "t.csv").write_text("\n".join(";".join(map(str, r)) for r in np.abs(m) * 10))
    conn = vio.read_connectivity_csv(tmp_path / "w.csv", tmp_path / "t.csv", tracts_delimiter=";")
    order = [1, 2, 0]
    expected = np.maximum(m, 0)[np.ix_(order, order)]  # -1 (no connection) becomes 0
    np.testing.assert_array_equal(conn.weights, expected)
    np.testing.assert_array_equal(conn.tract_lengths, np.abs(m) * 10)  # no header: unchanged
    assert conn.region_labels == ("10", "20", "30")


def test_csv_shipped_toronto_matrices_with_reference():
    tvb_data = pytest.importorskip("tvb_data", reason="tvb-data is not installed")
    folder = Path(tvb_data.__file__).parent / "dti_pipeline_toronto"
    w_path = folder / "output_ConnectionCapacityMatrix.csv"
    t_path = folder / "output_ConnectionDistanceMatrix.csv"
    conn = vio.read_connectivity_csv(w_path, t_path)
    assert conn.weights.shape == (96, 96) and conn.weights.min() == 0.0
    # the header ordinals are sorted and rows/columns follow them
    raw = np.loadtxt(w_path, delimiter=",", skiprows=1)
    header = np.loadtxt(w_path, delimiter=",", max_rows=1).astype(int)
    i, j = 5, 17
    ri, rj = int(np.argsort(header)[i]), int(np.argsort(header)[j])
    assert conn.weights[i, j] == max(raw[ri, rj], 0.0)
    assert [int(s) for s in conn.region_labels] == sorted(header.tolist())
    ref = Connectivity(
        weights=np.zeros((96, 96)), centres=np.arange(288.0).reshape(96, 3), speed=4.0
    )
    with_ref = vio.read_connectivity_csv(w_path, t_path, reference=ref)
    np.testing.assert_array_equal(with_ref.centres, ref.centres)
    assert with_ref.speed == 4.0
    small = Connectivity.example()
    with pytest.raises(vio.CSVFormatError, match="96 regions but the reference connectivity has 4"):
        vio.read_connectivity_csv(w_path, t_path, reference=small)


def test_csv_export_round_trip(tmp_path):
    conn = Connectivity.example()
    w, t = vio.write_connectivity_csv(conn, tmp_path)
    back = vio.read_connectivity_csv(w, t, reference=conn)
    np.testing.assert_array_equal(back.weights, conn.weights)
    np.testing.assert_array_equal(back.tract_lengths, conn.tract_lengths)
    vio.write_matrix_csv(conn.weights, tmp_path / "h.csv", header=[4, 3, 2, 1])
    m, ordinals = vio.read_matrix_csv(tmp_path / "h.csv")
    np.testing.assert_array_equal(m, conn.weights[::-1, ::-1])
    assert ordinals.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("1,2\n3,x\n", r"w.csv line 2, column 2: cannot read 'x' as a number"),
        ("1,2,3\n4,5\n", r"2 rows and 3 columns"),
        ("a,b\n1,2\n3,4\n", r"line 1, column 1: cannot read 'a' as an integer ordinal"),
        ("1,2\n1,nan\n", r"line 2, column 2: nan; must be finite"),
        ("", r"is empty"),
    ],
)
def test_csv_errors(tmp_path, text, match):
    (tmp_path / "w.csv").write_text(text)
    with pytest.raises(vio.CSVFormatError, match=match):
        vio.read_matrix_csv(tmp_path / "w.csv")


# --------------------------------------------------------------------------------------
# TXT / MAT time series, connectivity measures


def test_txt_region_time_series(tmp_path):
    conn = Connectivity.example()
    data = np.arange(40.0).reshape(10, 4) / 7
    np.savetxt(tmp_path / "ts.txt", data)
    ts = vio.read_time_series_txt(tmp_path / "ts.txt", sampling_rate=250.0, connectivity=conn)
    assert isinstance(ts, TimeSeriesRegion) and ts.shape == (10, 1, 4, 1)
    np.testing.assert_array_equal(ts.data[:, 0, :, 0], data)
    assert ts.sample_period == 4.0 and ts.connectivity is conn
    np.savetxt(tmp_path / "t.txt", data.T)
    ts_t = vio.read_time_series_txt(tmp_path / "t.txt", sample_period=1.0, transpose=True)
    np.testing.assert_array_equal(ts_t.data[:, 0, :, 0], data)
    (tmp_path / "bad.txt").write_text("1 2 3 4\n1 2 3\n")
    with pytest.raises(vio.TimeSeriesFormatError, match="bad.txt line 2: 3 values"):
        vio.read_time_series_txt(tmp_path / "bad.txt", sample_period=1.0)
    np.savetxt(tmp_path / "five.txt", np.zeros((3, 5)))
    with pytest.raises(vio.TimeSeriesFormatError, match="5 columns .* connectivity has 4"):
        vio.read_time_series_txt(tmp_path / "five.txt", sample_period=1.0, connectivity=conn)
    with pytest.raises(ValidationError, match="exactly one of sample_period"):
        vio.read_time_series_txt(tmp_path / "ts.txt")


def test_mat_region_and_eeg_time_series(tmp_path):
    from vbrain.datatypes import SensorsEEG

    rng = np.random.default_rng(0)
    data = rng.standard_normal((4, 50))  # (channel, time): needs transpose
    scipy.io.savemat(tmp_path / "d.mat", {"rec": {"eeg": data}, "x": data.T})
    ts = vio.read_time_series_mat(
        tmp_path / "d.mat", "rec", structure_path="eeg", transpose=True, index="10:30, :",
        sample_period=2.0, connectivity=Connectivity.example(),
    )  # fmt: skip
    np.testing.assert_array_equal(ts.data[:, 0, :, 0], data.T[10:30])
    sensors = SensorsEEG(labels=["a", "b", "c", "d"], locations=rng.standard_normal((4, 3)))
    eeg = vio.read_eeg_time_series_mat(tmp_path / "d.mat", "x", sampling_rate=500, sensors=sensors)
    assert isinstance(eeg, TimeSeriesEEG) and eeg.space_labels == ("a", "b", "c", "d")
    with pytest.raises(vio.TimeSeriesFormatError, match="no variable 'y' in the file; it holds"):
        vio.read_time_series_mat(tmp_path / "d.mat", "y", sample_period=1.0)
    with pytest.raises(vio.TimeSeriesFormatError, match="50 columns .* sensors have 4"):
        vio.read_eeg_time_series_mat(tmp_path / "d.mat", "x", sample_period=1, sensors=sensors,
                                     transpose=True)  # fmt: skip


def test_mat_connectivity_measures(tmp_path):
    conn = Connectivity.example()
    scipy.io.savemat(tmp_path / "m.mat", {"deg": np.arange(8.0).reshape(2, 4), "fc": np.eye(4)})
    measures = vio.read_connectivity_measure_mat(tmp_path / "m.mat", "deg", connectivity=conn)
    assert len(measures) == 2
    np.testing.assert_array_equal(measures[1].array_data, [4.0, 5.0, 6.0, 7.0])
    assert measures[0].region_labels == conn.region_labels
    (fc,) = vio.read_connectivity_measure_mat(tmp_path / "m.mat", "fc", connectivity=conn)
    assert fc.array_data.shape == (4, 4)
    scipy.io.savemat(tmp_path / "w.mat", {"deg": np.zeros(3)})
    with pytest.raises(vio.TimeSeriesFormatError, match="3 values but the connectivity has 4"):
        vio.read_connectivity_measure_mat(tmp_path / "w.mat", "deg", connectivity=conn)


# --------------------------------------------------------------------------------------
# NIfTI


def test_nifti_structural_and_time_series(tmp_path):
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    affine[:3, 3] = [-10.0, -20.0, -30.0]
    t1 = np.arange(24.0).reshape(2, 3, 4)
    nib.save(nib.Nifti1Image(t1, affine), tmp_path / "t1.nii.gz")
    mri = vio.read_nifti(tmp_path / "t1.nii.gz")
    assert isinstance(mri, StructuralMRI)
    np.testing.assert_array_equal(mri.array_data, t1)
    np.testing.assert_array_equal(mri.volume.voxel_size, [2.0, 2.0, 3.0])
    np.testing.assert_array_equal(mri.volume.origin, [-10.0, -20.0, -30.0])
    bold = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    img = nib.Nifti1Image(bold, affine)
    img.header.set_zooms((2.0, 2.0, 3.0, 2.5))
    img.header.set_xyzt_units("mm", "sec")
    nib.save(img, tmp_path / "bold.nii")
    ts = vio.read_nifti(tmp_path / "bold.nii")
    assert isinstance(ts, TimeSeriesVolume) and ts.shape == (5, 2, 3, 4)
    assert ts.sample_period == 2500.0  # seconds -> ms
    np.testing.assert_allclose(ts.data[3], bold[..., 3])
    vio.write_nifti(ts, tmp_path / "out.nii.gz")
    back = vio.read_time_series_volume(tmp_path / "out.nii.gz")
    np.testing.assert_allclose(back.data, ts.data)
    assert back.sample_period == pytest.approx(2500.0)
    (tmp_path / "junk.nii").write_bytes(b"not a nifti file at all")
    with pytest.raises(vio.NiftiFormatError, match="junk.nii: not a readable NIfTI"):
        vio.read_nifti(tmp_path / "junk.nii")
    with pytest.raises(vio.NiftiFormatError, match="a structural MRI needs 3 axes"):
        vio.read_structural_mri(tmp_path / "bold.nii")


def test_nifti_region_volume_mapping(tmp_path):
    conn = Connectivity.example()
    labels = np.array([[[0, 1], [2, 3]], [[4, 0], [17, 1]]], dtype=np.int16)
    nib.save(nib.Nifti1Image(labels, np.eye(4)), tmp_path / "aparc.nii")
    rvm = vio.read_nifti(tmp_path / "aparc.nii", connectivity=conn, one_based=True,
                         apply_corrections=True)  # fmt: skip
    assert isinstance(rvm, RegionVolumeMapping)
    expected = labels.astype(int) - 1
    expected[expected >= 4] = -1
    np.testing.assert_array_equal(rvm.array_data, expected)
    np.testing.assert_array_equal(rvm.region_voxel_counts(), [2, 1, 1, 1])
    with pytest.raises(vio.NiftiFormatError, match=r"maps to region 16 .* 4 regions"):
        vio.read_region_volume_mapping(tmp_path / "aparc.nii", conn, one_based=True)
    (tmp_path / "lut.txt").write_text("0 Unknown -1\n1 A 0\n2 B 1\n3 C 2\n4 D 3\n17 E 3\n")
    mapped = vio.read_region_volume_mapping(
        tmp_path / "aparc.nii", conn, label_map=tmp_path / "lut.txt"
    )
    assert mapped.array_data[1, 1, 0] == 3 and mapped.array_data[0, 0, 0] == -1
    vio.write_nifti(mapped, tmp_path / "rvm.nii")
    again = vio.read_region_volume_mapping(tmp_path / "rvm.nii", conn)
    np.testing.assert_array_equal(again.array_data, mapped.array_data)


# --------------------------------------------------------------------------------------
# Tracts


@pytest.mark.parametrize("ext", ["trk", "tck"])
def test_tracts_trk_tck(tmp_path, ext):
    lines = [np.array([[0.0, 0, 0], [1, 0, 0], [2, 0, 0]]), np.array([[0.0, 1, 1], [0, 2, 1]])]
    tractogram = nib.streamlines.Tractogram(lines, affine_to_rasmm=np.eye(4))
    nib.streamlines.save(tractogram, str(tmp_path / f"t.{ext}"))
    # a 3x3x2 grid of 1 mm voxels at the origin: region = x index, background at z=1 except y=1
    rvm_data = np.tile(np.arange(3)[:, None, None], (1, 3, 2))
    rvm_data[:, :, 1] = -1
    rvm_data[0, 2, 1] = 3
    rvm = RegionVolumeMapping(array_data=rvm_data, volume=Volume(voxel_size=[1.0, 1.0, 1.0]))
    tracts = vio.read_tracts(tmp_path / f"t.{ext}", region_volume_map=rvm)
    assert isinstance(tracts, Tracts) and tracts.n_tracts == 2
    np.testing.assert_allclose(tracts.tract(0), lines[0], atol=1e-5)
    np.testing.assert_array_equal(tracts.offsets, [0, 3, 5])
    np.testing.assert_array_equal(tracts.region_ids, [[0, 2], [-1, 3]])
    np.testing.assert_allclose(tracts.lengths(), [2.0, 1.0], atol=1e-5)
    (tmp_path / f"bad.{ext}").write_bytes(b"garbage" * 10)
    with pytest.raises(vio.TractsFormatError, match=f"bad.{ext}: not a readable"):
        vio.read_tracts(tmp_path / f"bad.{ext}")


def test_tracts_validation():
    with pytest.raises(ValidationError, match="offsets must start at 0 and end at"):
        Tracts(vertices=np.zeros((3, 3)), offsets=[0, 2])
    with pytest.raises(ValidationError, match="one \\(start, end\\) pair per tract"):
        Tracts(vertices=np.zeros((3, 3)), offsets=[0, 3], region_ids=[[0, 1], [1, 2]])


# --------------------------------------------------------------------------------------
# BIDS derivatives


def test_bids_written_by_hand(tmp_path):
    """A folder as the BEP032 examples lay it out (tab-separated, CoordsRows sidecars)."""
    sub = tmp_path / "derivatives" / "sub-07"
    for d in ("net", "coord", "ts"):
        (sub / d).mkdir(parents=True)
    (sub / "net" / "sub-07_desc-dti_weights.tsv").write_text("0\t1.5\n2\t0\n")
    (sub / "net" / "sub-07_desc-dti_distances.tsv").write_text("0\t10\n10\t0\n")
    (sub / "net" / "sub-07_desc-dti_weights.json").write_text(
        json.dumps({"CoordsRows": ["../coord/sub-07_labels.json", "../coord/sub-07_nodes.json"]})
    )
    (sub / "coord" / "sub-07_labels.tsv").write_text("lV1\nrV1\n")
    (sub / "coord" / "sub-07_nodes.tsv").write_text("-10\t0\t0\n10\t0\t0\n")
    (sub / "ts" / "sub-07_desc-sim_ts.tsv").write_text("1\t2\n3\t4\n5\t6\n")
    (sub / "ts" / "sub-07_desc-sim_ts.json").write_text(json.dumps({"SamplingFrequency": 500}))
    out = vio.read_bids(tmp_path / "derivatives")
    conn = out["sub-07"]["connectivity"]
    np.testing.assert_array_equal(conn.weights, [[0, 1.5], [2, 0]])
    assert conn.region_labels == ("lV1", "rV1") and conn.centres[1, 0] == 10.0
    (ts,) = out["sub-07"]["time_series"]
    assert ts.sample_period == 2.0 and ts.connectivity is conn
    np.testing.assert_array_equal(ts.data[:, 0, :, 0], [[1, 2], [3, 4], [5, 6]])
    (sub / "coord" / "sub-07_nodes.tsv").write_text("-10\t0\t0\n")
    with pytest.raises(vio.BIDSFormatError, match="sub-07_nodes.tsv: 1 rows but .* is 2x2"):
        vio.read_bids(tmp_path / "derivatives")


def test_bids_export_round_trip(tmp_path):
    ts = TimeSeriesRegion.example()
    vio.write_bids_connectivity(ts.connectivity, tmp_path, subject="02")
    vio.write_bids_time_series(ts, tmp_path, subject="02", variable=1)
    out = vio.read_bids(tmp_path)["sub-02"]
    conn = out["connectivity"]
    for name in ("weights", "tract_lengths", "centres"):
        np.testing.assert_array_equal(getattr(conn, name), getattr(ts.connectivity, name))
    assert conn.region_labels == ts.connectivity.region_labels
    (back,) = out["time_series"]
    np.testing.assert_array_equal(back.time, ts.time)  # from the times file (CoordsRows)
    np.testing.assert_array_equal(back.data[:, 0], ts.data[:, 1])
    with pytest.raises(vio.BIDSFormatError, match="no sub-\\* folder"):
        vio.read_bids(tmp_path / "sub-02" / "ts")


# --------------------------------------------------------------------------------------
# MNE export


def test_to_mne_raw():
    mne = pytest.importorskip("mne", reason="MNE-Python is not installed (pip install mne)")
    ts = TimeSeriesEEG.example()  # uV, 256 Hz, linked to example EEG sensors
    raw = vio.to_mne_raw(ts)
    assert isinstance(raw, mne.io.BaseRaw)
    assert raw.info["sfreq"] == pytest.approx(256.0)
    assert raw.ch_names == list(ts.space_labels)
    assert set(raw.get_channel_types()) == {"eeg"}
    np.testing.assert_allclose(raw.get_data(), ts.data[:, 0, :, 0].T * 1e-6)  # uV -> V
    with pytest.raises(ValidationError, match="not a sensor time series; pass ch_type"):
        vio.to_mne_raw(TimeSeriesRegion.example())


# --------------------------------------------------------------------------------------
# zip of a datatype with its links


def test_zip_export_import_with_links(tmp_path):
    rvm = RegionVolumeMapping.example()  # links a Connectivity and a Volume
    path = vio.export_zip(rvm, tmp_path / "rvm.zip")
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert len(z.namelist()) == 4  # 3 datatypes + manifest
    assert manifest["root"] == rvm.gid
    assert {e["type"] for e in manifest["datatypes"]} == {
        "Connectivity", "Volume", "RegionVolumeMapping",
    }  # fmt: skip
    back = vio.import_zip(path)
    assert back == rvm and back.gid == rvm.gid
    assert back.connectivity.gid == rvm.connectivity.gid and back.volume.gid == rvm.volume.gid


def test_zip_import_into_store(tmp_path):
    pytest.importorskip("sqlalchemy", reason="the store needs SQLAlchemy")
    import vbrain as vb

    ts = TimeSeriesRegion.example()
    vio.export_zip(ts, tmp_path / "ts.zip")
    with vb.Store(tmp_path / "store") as store:
        vio.import_zip(tmp_path / "ts.zip", store=store)
        assert ts.gid in store and ts.connectivity.gid in store
        assert store.load(ts.gid) == ts


def test_zip_import_errors(tmp_path):
    (tmp_path / "no.zip").write_bytes(b"not a zip")
    with pytest.raises(vio.ArchiveFormatError, match="no.zip: not a zip archive"):
        vio.import_zip(tmp_path / "no.zip")
    with zipfile.ZipFile(tmp_path / "m.zip", "w") as z:
        z.writestr("x.h5", b"")
    with pytest.raises(vio.ArchiveFormatError, match="no manifest.json"):
        vio.import_zip(tmp_path / "m.zip")
    evil = {"format": "vbrain-datatypes-zip", "version": 1, "root": "a",
            "datatypes": [{"gid": "a", "file": "../../etc/passwd"}]}  # fmt: skip
    with zipfile.ZipFile(tmp_path / "slip.zip", "w") as z:
        z.writestr("manifest.json", json.dumps(evil))
    with pytest.raises(vio.ArchiveFormatError, match="unsafe file"):
        vio.import_zip(tmp_path / "slip.zip")
    newer = {**evil, "version": 99}
    with zipfile.ZipFile(tmp_path / "new.zip", "w") as z:
        z.writestr("manifest.json", json.dumps(newer))
    with pytest.raises(vio.ArchiveFormatError, match="manifest version 99"):
        vio.import_zip(tmp_path / "new.zip")


def test_importer_names():
    for name in ("ZIPConnectivityImporter", "CSVConnectivityImporter", "RegionTimeSeriesImporter",
                 "NIFTIImporter", "TrackImporter", "BIDSImporter", "TVBImporter"):  # fmt: skip
        assert callable(vio.IMPORTERS[name])
    assert vio.EXPORTERS["TVBLinkedExporter"] is vio.export_zip
