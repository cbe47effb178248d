"""The importer-to-store path: ``Store.import_file`` picks an importer, imports, registers the
datatypes with provenance, all or nothing (issue 8)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import vbrain.io as vio
from vbrain.config.traits import ValidationError
from vbrain.datatypes import Connectivity, TimeSeriesRegion
from vbrain.io import hdf5
from vbrain.io.importing import UnknownFormatError, detect_importer, importer_name
from vbrain.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store") as s:
        yield s


def _files(store: Store) -> list[Path]:
    return sorted(p for p in (store.path / "data").rglob("*") if p.is_file())


def test_connectivity_zip_with_provenance(tmp_path: Path, store: Store) -> None:
    conn = Connectivity.example()
    path = vio.write_connectivity(conn, tmp_path / "conn_4.zip")
    gids = store.import_file(path, tags=["dti"])
    assert len(gids) == 1 and len(store) == 1
    entry = store.get(gids[0])
    assert (entry.type, entry.name, entry.tags) == ("Connectivity", "conn_4", ("dti",))
    assert entry.provenance == {
        "operation": "import",
        "importer": "ZIPConnectivityImporter",
        "source": "conn_4.zip",
        "options": {},
    }
    back = entry.load()
    np.testing.assert_array_equal(back.weights, conn.weights)
    assert back.region_labels == conn.region_labels


def test_options_and_linked_datatypes(tmp_path: Path, store: Store) -> None:
    conn = Connectivity.example()
    path = tmp_path / "bold.txt"
    np.savetxt(path, np.arange(20.0).reshape(5, 4))
    gids = store.import_file(path, sample_period=2.0, connectivity=conn, name="bold")
    assert len(gids) == 1 and len(store) == 2  # the series, and its connectivity linked
    entry = store.get(gids[0])
    assert entry.name == "bold" and entry.links == {"connectivity": conn.gid}
    assert entry.provenance["importer"] == "TxtTimeseriesImporter"
    assert entry.provenance["options"] == {
        "sample_period": 2.0,
        "connectivity": {"type": "Connectivity", "gid": conn.gid},
    }
    ts = store.load(gids[0])
    assert isinstance(ts, TimeSeriesRegion) and ts.sample_period == 2.0
    assert ts.connectivity.gid == conn.gid


def test_vbrain_exports_keep_their_gids(tmp_path: Path, store: Store) -> None:
    ts = TimeSeriesRegion.example()
    zipped = vio.export_zip(ts, tmp_path / "ts.zip")
    single = hdf5.save(Connectivity.example(), tmp_path / "c.h5")
    assert store.import_file(zipped) == [ts.gid]
    assert store.load(ts.gid) == ts and ts.connectivity.gid in store
    (gid,) = store.import_file(single, importer="TVBImporter")
    assert store.get(gid).provenance["importer"] == "TVBImporter"


def test_bids_folder_is_stored_in_one_transaction(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ts = TimeSeriesRegion.example()
    vio.write_bids_connectivity(ts.connectivity, tmp_path / "bids")
    vio.write_bids_time_series(ts, tmp_path / "bids")
    real, calls = hdf5.save, []

    def fail_second(obj: object, path: Path, **kwargs: object) -> Path:
        calls.append(path)
        if len(calls) == 2:  # the connectivity is written, then the series fails
            raise OSError("disk full (simulated)")
        return real(obj, path, **kwargs)

    monkeypatch.setattr(hdf5, "save", fail_second)
    with pytest.raises(OSError, match="simulated"):
        store.import_file(tmp_path / "bids")
    assert len(store) == 0 and _files(store) == []
    monkeypatch.undo()
    conn_gid, ts_gid = store.import_file(tmp_path / "bids")
    assert store.get(conn_gid).type == "Connectivity"
    assert store.get(ts_gid).links == {"connectivity": conn_gid}
    assert store.get(ts_gid).provenance["importer"] == "BIDSImporter"


def test_importer_names_and_refusals(tmp_path: Path, store: Store) -> None:
    assert importer_name("zipconnectivity") == "ZIPConnectivityImporter"
    assert importer_name("BIDSImporter") == "BIDSImporter"
    path = vio.write_connectivity(Connectivity.example(), tmp_path / "c.zip")
    with pytest.raises(UnknownFormatError, match="no importer called 'Nope'; known importers"):
        store.import_file(path, importer="Nope")
    with pytest.raises(ValidationError, match="does not take option.*colour; it takes: speed"):
        store.import_file(path, colour="red")
    (tmp_path / "x.weird").write_text("?")
    with pytest.raises(UnknownFormatError, match="x.weird: cannot tell which importer"):
        store.import_file(tmp_path / "x.weird")
    with pytest.raises(FileNotFoundError):
        store.import_file(tmp_path / "missing.zip")
    assert len(store) == 0 and _files(store) == []


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("regionMapping_16k_76.txt", {}, "RegionMappingImporter"),
        ("region_mapping.txt.bz2", {}, "RegionMappingImporter"),
        ("eeg_brainstorm_65.txt", {}, "SensorsImporter"),
        ("seeg_588.txt", {}, "SensorsImporter"),
        ("bold.txt", {}, "TxtTimeseriesImporter"),
        ("w.csv", {}, "CSVConnectivityImporter"),
        ("gain.npy", {}, "ProjectionMatrixImporter"),
        ("gain.mat", {}, "ProjectionMatrixImporter"),
        ("ts.mat", {"sample_period": 1.0}, "RegionTimeSeriesImporter"),
        ("eeg.mat", {"sampling_rate": 250.0, "sensors": None}, "EEGRegionTimeSeriesImporter"),
        ("t1.nii.gz", {}, "NIFTIImporter"),
        ("tracts.trk", {}, "TrackImporter"),
        ("tracts.tck", {}, "TrackImporter"),
        ("c.h5", {}, "TVBImporter"),
    ],
)
def test_detection_by_extension(tmp_path: Path, name: str, options: dict, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"1 2 3\n")
    assert detect_importer(path, options) == expected


def test_detection_by_content(tmp_path: Path) -> None:
    conn = Connectivity.example()
    zipped = vio.write_connectivity(conn, tmp_path / "noext")
    assert detect_importer(zipped) == "ZIPConnectivityImporter"
    export = vio.export_zip(conn, tmp_path / "export.bin")
    assert detect_importer(export) == "TVBImporter"
    h5 = hdf5.save(conn, tmp_path / "stored.dat")
    assert detect_importer(h5) == "TVBImporter"
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "weights.txt").write_text("0 1\n1 0\n")
    assert detect_importer(folder) == "ZIPConnectivityImporter"
    vio.write_bids_connectivity(conn, tmp_path / "bids")
    assert detect_importer(tmp_path / "bids") == "BIDSImporter"


def test_shipped_connectivity_through_the_store(store: Store) -> None:
    tvb_data = pytest.importorskip("tvb_data", reason="tvb-data is not installed")
    path = Path(tvb_data.__file__).parent / "connectivity" / "connectivity_76.zip"
    (gid,) = store.import_file(path)
    assert store.get(gid).summary["n_region"] == 76
    assert store.get(gid).name == "connectivity_76"
