"""Tests of the default datasets (tvb-data connectomes), checked against the raw files."""

from __future__ import annotations

import bz2
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datasets import list_connectivities, load_connectivity
from vbrain.datatypes import Connectivity

tvb_data = pytest.importorskip("tvb_data")
CONN_DIR = Path(tvb_data.__file__).parent / "connectivity"


def raw_member(name: str, key: str) -> bytes | None:
    """Bytes of the first member of a tvb-data zip whose file name contains ``key``."""
    with zipfile.ZipFile(CONN_DIR / f"{name}.zip") as archive:
        for member in archive.namelist():
            if key in member.rsplit("/", 1)[-1]:
                data = archive.read(member)
                return bz2.decompress(data) if member.endswith(".bz2") else data
    return None


def raw_array(name: str, key: str) -> np.ndarray:
    data = raw_member(name, key)
    assert data is not None, (name, key)
    return np.loadtxt(io.BytesIO(data))


def raw_labels(name: str) -> list[str]:
    data = raw_member(name, "centres")
    assert data is not None
    return [line.split()[0] for line in data.decode().splitlines() if line.strip()]


def test_list_connectivities() -> None:
    names = list_connectivities()
    expected = {p.stem for p in CONN_DIR.glob("*.zip")}
    assert set(names) == expected
    assert {"connectivity_66", "connectivity_76", "connectivity_192", "paupau"} <= set(names)


@pytest.mark.parametrize("n", [66, 68, 76, 96, 192])
def test_load_by_number_matches_raw_files(n: int) -> None:
    name = f"connectivity_{n}"
    conn = load_connectivity(n)
    assert isinstance(conn, Connectivity)
    weights = raw_array(name, "weights")
    tracts = raw_array(name, "tract_lengths")
    assert conn.n_region == n == weights.shape[0]
    assert conn.weights.shape == conn.tract_lengths.shape == (n, n)
    np.testing.assert_array_equal(conn.weights, weights)
    np.testing.assert_array_equal(conn.tract_lengths, tracts)
    assert conn.n_nonzero == np.count_nonzero(weights)
    assert conn.centres.shape == (n, 3)
    assert list(conn.region_labels) == raw_labels(name)
    assert conn.speed == 3.0
    assert conn.horizon(0.1) == int(np.rint(tracts / 3.0 / 0.1).max()) + 1
    if raw_member(name, "average_orientations") is not None:
        np.testing.assert_array_equal(conn.orientations, raw_array(name, "average_orientations"))
    if raw_member(name, "areas") is not None:
        np.testing.assert_array_equal(conn.areas, raw_array(name, "areas"))
    if raw_member(name, "cortical") is not None:
        np.testing.assert_array_equal(conn.cortical, raw_array(name, "cortical").astype(bool))


def test_connectivity_76_known_values() -> None:
    conn = load_connectivity()  # default is the 76-region connectome
    assert conn.n_region == 76
    assert conn.n_nonzero == 1560
    assert conn.weights.max() == 3.0
    assert conn.tract_lengths.max() == pytest.approx(153.49, abs=0.01)
    assert conn.region_labels[:3] == ("rA1", "rA2", "rAMYG")
    assert conn.centres.shape == (76, 3)
    assert conn.cortical.all()
    assert conn.hemispheres.sum() == 38  # inferred from the r/l label prefixes
    assert not conn.is_symmetric
    assert conn.horizon(0.1) == 513  # rint(153.49 / 3 / 0.1) + 1
    assert conn.summary()["n_nonzero"] == 1560


@pytest.mark.parametrize("alias", ["connectivity_76", "connectivity_76.zip", "76", 76])
def test_aliases(alias: int | str) -> None:
    assert load_connectivity(alias) == load_connectivity(76)


def test_paupau() -> None:
    conn = load_connectivity("paupau")
    assert conn.n_region == 4
    assert conn.region_labels == ("lA1", "lA2", "rA1", "rA2")
    assert conn.hemispheres.tolist() == [False, False, True, True]


def test_returns_independent_copies() -> None:
    first = load_connectivity(76)
    first.weights[:] = 0.0
    first.speed = 10.0
    second = load_connectivity(76)
    assert second.n_nonzero == 1560
    assert second.speed == 3.0
    assert second.weights is not load_connectivity(76).weights


@pytest.mark.parametrize("bad", [77, "connectivity_1", "nope", 3.5, True])
def test_unknown_name_lists_available(bad: object) -> None:
    with pytest.raises(ValidationError, match=r"available: .*connectivity_76.*paupau"):
        load_connectivity(bad)  # type: ignore[arg-type]


def test_import_vbrain_does_not_import_tvb_data() -> None:
    code = "import sys, vbrain, vbrain.datasets; print('tvb_data' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
