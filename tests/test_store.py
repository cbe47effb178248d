"""The datatype store: add/get/find/remove/links, lazy loading, failure injection, crashes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
import sqlalchemy
from sqlalchemy.orm import Session

import vbrain as vb
from vbrain.datatypes import Connectivity, TimeSeries, TimeSeriesRegion
from vbrain.io import hdf5
from vbrain.store import Store, StoreError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "store") as s:
        yield s


def _files(store: Store) -> list[Path]:
    """Every file under the data folder, hidden ones included."""
    return sorted(p for p in (store.path / "data").rglob("*") if p.is_file())


def test_vb_store_is_exposed(tmp_path: Path) -> None:
    s = vb.Store(tmp_path / "s")
    assert isinstance(s, Store) and (tmp_path / "s" / "index.sqlite").exists()
    assert len(s) == 0 and repr(s).endswith("0 datatypes)")


def test_add_get_load(store: Store) -> None:
    conn = Connectivity.example()
    gid = store.add(conn, name="patient 1", tags=["dti", "demo"], provenance={"op": "import"})
    assert gid == conn.gid and gid in store and len(store) == 1
    entry = store.get(gid)
    assert (entry.type, entry.name, entry.tags) == ("Connectivity", "patient 1", ("demo", "dti"))
    assert entry.provenance == {"op": "import"}
    assert entry.summary["n_region"] == 4
    assert entry.created.tzinfo is not None
    assert abs(entry.created - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert entry.path == store.path / "data" / gid[:2] / f"{gid}.h5"
    loaded = entry.load()
    assert loaded == conn and loaded.gid == gid
    np.testing.assert_array_equal(entry.read("weights"), conn.weights)
    assert entry.header().gid == gid
    with pytest.raises(KeyError, match="no datatype with gid 'nope'"):
        store.get("nope")


def test_get_and_find_do_not_open_files(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    gid = store.add(TimeSeriesRegion.example(), name="ts")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(h5py, "File", refuse)
    entry = store.get(gid)
    assert entry.summary["shape"] == [25, 2, 4, 1]
    assert [e.gid for e in store.find(type="TimeSeries")] == [gid]
    assert store.links(gid).outgoing.keys() == {"connectivity"}
    with pytest.raises(AssertionError, match="opened"):
        entry.load()


def test_nested_datatypes_are_stored_once_and_linked(store: Store) -> None:
    ts = TimeSeriesRegion.example()
    gid = store.add(ts, name="sim")
    conn_gid = ts.connectivity.gid
    assert conn_gid in store and len(store) == 2
    assert store.get(conn_gid).provenance == {"stored_with": gid}
    # the time series file refers to the connectivity instead of copying it
    with h5py.File(store.get(gid).path, "r") as f:
        assert "weights" not in f["connectivity"]
    back = store.load(gid)
    assert back == ts and back.connectivity.gid == conn_gid
    links = store.links(gid)
    assert links.outgoing == {"connectivity": conn_gid} and links.incoming == []
    assert store.links(conn_gid).incoming == [(gid, "connectivity")]
    # a second series on the same connectivity links to the stored one
    ts2 = TimeSeriesRegion(data=ts.data, time=ts.time, connectivity=ts.connectivity)
    store.add(ts2)
    assert len(store) == 3
    by_gid = TimeSeriesRegion(data=ts.data, time=ts.time, connectivity=conn_gid)
    store.add(by_gid)
    assert store.load(by_gid.gid).connectivity == conn_gid  # given as a gid, kept as one
    assert sorted(s for s, _ in store.links(conn_gid).incoming) == sorted(
        [gid, ts2.gid, by_gid.gid]
    )


def test_find(store: Store) -> None:
    c1 = Connectivity.example()
    c2 = c1.lesion([0])
    ts = TimeSeries.example()
    store.add(c1, name="control", tags=["a"])
    store.add(c2, name="lesion 1", tags=["a", "b"])
    store.add(ts, name="lesion 1 signal", tags=["b"])
    gids = lambda entries: [e.gid for e in entries]  # noqa: E731
    assert gids(store.find()) == [c1.gid, c2.gid, ts.gid]  # in creation order
    assert gids(store.find(type="Connectivity")) == [c1.gid, c2.gid]
    assert gids(store.find(type=Connectivity)) == [c1.gid, c2.gid]
    assert gids(store.find(type="timeseries")) == [ts.gid]
    assert gids(store.find(name="lesion 1")) == [c2.gid]
    assert gids(store.find(name="lesion*")) == [c2.gid, ts.gid]
    assert gids(store.find(name="?ontrol")) == [c1.gid]
    assert gids(store.find(name="100%")) == []  # SQL wildcards are taken literally
    assert gids(store.find(tag="a")) == [c1.gid, c2.gid]
    assert gids(store.find(tag=["a", "b"])) == [c2.gid]
    assert gids(store.find(type="Connectivity", tag="b")) == [c2.gid]
    assert gids(store.find(limit=1)) == [c1.gid]
    assert gids(store.find(type="UnknownType")) == []
    assert [e.gid for e in store] == [c1.gid, c2.gid, ts.gid]


def test_subtypes_are_found(store: Store) -> None:
    region = TimeSeriesRegion.example()
    plain = TimeSeries.example()
    store.add(region)
    store.add(plain)
    assert {e.gid for e in store.find(type="TimeSeries")} == {region.gid, plain.gid}
    assert [e.gid for e in store.find(type="TimeSeries", subtypes=False)] == [plain.gid]


def test_connectivity_provenance_is_kept(store: Store) -> None:
    conn = Connectivity.example()
    derived = conn.lesion(["lA"]).normalise_weights("tract")
    store.add(derived, provenance={"by": "test"})
    prov = store.get(derived.gid).provenance
    assert prov["by"] == "test"
    assert [h["operation"] for h in prov["history"]] == ["lesion", "normalise_weights"]
    assert prov["history"][0]["parent"] == conn.gid
    assert store.load(derived.gid).history == derived.history


def test_remove(store: Store) -> None:
    ts = TimeSeriesRegion.example()
    store.add(ts)
    conn_gid = ts.connectivity.gid
    with pytest.raises(StoreError, match=f"linked from TimeSeriesRegion {ts.gid} \\(field conn"):
        store.remove(conn_gid)
    assert conn_gid in store
    store.remove(ts.gid)
    assert ts.gid not in store and not store.get(conn_gid).path.with_name(f"{ts.gid}.h5").exists()
    store.remove(conn_gid)
    assert len(store) == 0 and _files(store) == []
    with pytest.raises(KeyError):
        store.remove(conn_gid)


def test_add_refusals(store: Store) -> None:
    conn = Connectivity.example()
    store.add(conn)
    with pytest.raises(StoreError, match="already in the store"):
        store.add(conn)
    dangling = TimeSeriesRegion(data=np.zeros((2, 4)), connectivity="ab" * 16)
    with pytest.raises(StoreError, match="links to gid abab.*not in the store; add that"):
        store.add(dangling)
    with pytest.raises(StoreError, match="provenance must be JSON-able"):
        store.add(TimeSeries.example(), provenance={"f": object()})
    with pytest.raises(StoreError, match="provenance must be a mapping"):
        store.add(TimeSeries.example(), provenance=["x"])  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="tags must be non-empty strings"):
        store.add(TimeSeries.example(), tags=[""])
    with pytest.raises(StoreError, match="stores datatypes"):
        store.add(np.zeros(3))  # type: ignore[arg-type]
    assert len(store) == 1 and len(_files(store)) == 1


# -- failures and crashes ------------------------------------------------------------------


def test_failing_commit_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Session) -> None:
        raise sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "commit", fail)
    ts = TimeSeriesRegion.example()
    with pytest.raises(sqlalchemy.exc.OperationalError, match="disk I/O"):
        store.add(ts, name="doomed", tags=["x"])
    monkeypatch.undo()
    assert len(store) == 0 and store.find(tag="x") == []
    assert _files(store) == []  # both files (series and its connectivity) removed
    store.add(ts)  # the store stays usable and the same object can be added afterwards
    assert len(store) == 2


def test_failing_file_write_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = hdf5.save
    calls = []

    def fail_second(obj: object, path: Path, **kwargs: object) -> Path:
        calls.append(path)
        if len(calls) == 2:  # the connectivity is written, then the series fails
            raise OSError("no space left on device (simulated)")
        return real(obj, path, **kwargs)

    monkeypatch.setattr(hdf5, "save", fail_second)
    with pytest.raises(OSError, match="simulated"):
        store.add(TimeSeriesRegion.example())
    assert len(store) == 0 and _files(store) == []


def test_killed_process_leaves_no_entry(tmp_path: Path) -> None:
    """Kill a process mid-write and between file and commit: no entry, store still usable."""
    root = tmp_path / "store"
    Store(root).close()
    for where in ("write", "commit"):
        script = textwrap.dedent(
            f"""
            import os
            import numpy as np
            from sqlalchemy.orm import Session
            from vbrain.datatypes import TimeSeries
            from vbrain.io import hdf5
            from vbrain.store import Store
            if {where!r} == "write":
                real = hdf5._write_array
                def die(*a, **k):
                    real(*a, **k)
                    os._exit(9)  # dies with the first array written, no cleanup runs
                hdf5._write_array = die
            else:
                Session.commit = lambda self: os._exit(9)
            Store({str(root)!r}).add(TimeSeries(data=np.ones((1000, 1, 50, 1))), name="k")
            """
        )
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
        assert proc.returncode == 9, proc.stderr.decode()
    store = Store(root)
    assert len(store) == 0 and store.find(name="k") == []
    found = store.check()
    assert found["missing_files"] == []
    assert len(found["temp_files"]) == 1  # the killed write: hidden, never at the final name
    assert len(found["unindexed_files"]) == 1  # complete file whose commit never happened
    assert store.cleanup(older_than_s=3600) == []  # young files are left to their writers
    assert len(store.cleanup(older_than_s=0)) == 2
    assert _files(store) == [] and store.check()["temp_files"] == []
    gid = store.add(TimeSeries.example())
    assert store.load(gid).gid == gid


def test_sigkill_mid_write_leaves_nothing_visible(tmp_path: Path) -> None:
    """A real SIGKILL while the file is being written: no entry, no file at a datatype's
    name (only a hidden temp file), and the store works before and after cleanup."""
    import os
    import signal
    import time

    root = tmp_path / "store"
    marker = tmp_path / "writing"
    Store(root).add(Connectivity.example(), name="kept")
    script = textwrap.dedent(
        f"""
        import pathlib, time
        import numpy as np
        from vbrain.datatypes import TimeSeries
        from vbrain.io import hdf5
        from vbrain.store import Store
        real = hdf5._write_array
        def stall(*a, **k):
            real(*a, **k)
            pathlib.Path({str(marker)!r}).touch()  # the file is half written now
            time.sleep(120)
        hdf5._write_array = stall
        Store({str(root)!r}).add(TimeSeries(data=np.ones((1000, 1, 50, 1))), name="killed")
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    store = Store(root)
    assert [e.name for e in store.find()] == ["kept"] and store.find(name="killed") == []
    found = store.check()
    assert found["missing_files"] == [] and found["unindexed_files"] == []
    (temp,) = found["temp_files"]
    assert temp.name.startswith(".") and temp.name.endswith(".tmp")
    # only the indexed file carries a datatype's name; the killed one is nowhere to be seen
    assert [p.name for p in _files(store) if not p.name.startswith(".")] == [
        f"{store.find()[0].gid}.h5"
    ]
    gid = store.add(TimeSeries.example())  # usable with the temp file still there
    assert store.load(gid).gid == gid
    assert store.cleanup(older_than_s=0) == [temp]
    assert store.check() == {"missing_files": [], "unindexed_files": [], "temp_files": []}
    assert len(store) == 2 and store.load(gid).gid == gid


def test_missing_file_is_reported(store: Store) -> None:
    gid = store.add(Connectivity.example())
    store.get(gid).path.unlink()
    assert store.check()["missing_files"] == [store.get(gid).path]
    with pytest.raises(StoreError, match="indexed but its file .* is missing"):
        store.load(gid)


def test_database_url_and_schema_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    s = Store(tmp_path / "s", url=url)
    s.add(Connectivity.example())
    s.close()
    assert (tmp_path / "elsewhere.db").exists() and not (tmp_path / "s" / "index.sqlite").exists()
    assert len(Store(tmp_path / "s", url=url)) == 1
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as c:
        c.execute(sqlalchemy.text("UPDATE vbrain_store_meta SET value = '99'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 99, newer than this vbrain supports"):
        Store(tmp_path / "s", url=url)


def test_missing_sqlalchemy_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    with pytest.raises(ImportError, match=r"pip install 'vbrain\[store\]'"):
        Store(tmp_path / "s")
