"""Tests of the Connectivity datatype: construction, validation, derived quantities, copies."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vbrain.config import ValidationError
from vbrain.datatypes import Connectivity


def make(n: int = 3, **kw: object) -> Connectivity:
    rng = np.random.default_rng(0)
    fields: dict[str, object] = {
        "weights": rng.uniform(0, 1, (n, n)),
        "tract_lengths": rng.uniform(0, 100, (n, n)),
    }
    fields.update(kw)
    return Connectivity(**fields)


def test_defaults_are_sized_from_weights() -> None:
    conn = make(4)
    assert conn.n_region == 4
    assert conn.centres.shape == (4, 3) and not conn.centres.any()
    assert conn.orientations.shape == (4, 3) and not conn.orientations.any()
    assert conn.areas.shape == (4,) and not conn.areas.any()
    assert conn.cortical.dtype == bool and conn.cortical.all()
    assert conn.hemispheres.dtype == bool and not conn.hemispheres.any()
    assert conn.region_labels == ("r0", "r1", "r2", "r3")
    assert conn.speed == 3.0


def test_lists_are_accepted() -> None:
    conn = Connectivity(weights=[[0, 1], [2, 0]], tract_lengths=[[0, 10], [10, 0]])
    assert conn.weights.dtype == float
    assert conn.n_nonzero == 2
    assert not conn.is_symmetric


def test_negative_weights_are_allowed() -> None:
    conn = make(2, weights=[[0.0, -1.0], [0.5, 0.0]])
    assert conn.weights[0, 1] == -1.0


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["rA", "lB", "Rc", "Ld"], [True, False, True, False]),
        (["A_R", "B_L", "cr", "dl"], [True, False, True, False]),
        (["rA", "B", "lC", "rD"], [False, False, False, False]),  # not all prefixed
    ],
)
def test_hemispheres_inferred_from_labels(labels: list[str], expected: list[bool]) -> None:
    conn = make(4, region_labels=labels)
    assert conn.hemispheres.tolist() == expected


def test_explicit_hemispheres_win_over_labels() -> None:
    conn = make(2, region_labels=["rA", "lA"], hemispheres=[False, True])
    assert conn.hemispheres.tolist() == [False, True]


def test_labels_from_numpy_and_duplicates() -> None:
    conn = make(3, region_labels=np.array([b"x", b"x", b"y"]))
    assert conn.region_labels == ("x", "x", "y")


def test_tract_lengths_from_centres() -> None:
    centres = np.array([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0], [0.0, 0.0, 12.0]])
    conn = Connectivity(weights=np.ones((3, 3)), centres=centres)
    expected = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)
    np.testing.assert_allclose(conn.tract_lengths, expected)
    assert conn.tract_lengths[0, 1] == pytest.approx(5.0)
    assert conn.tract_lengths[0, 2] == pytest.approx(12.0)


def test_delays_idelays_horizon() -> None:
    conn = Connectivity(weights=np.ones((2, 2)), tract_lengths=[[0.0, 30.0], [31.5, 0.0]])
    np.testing.assert_allclose(conn.delays, [[0.0, 10.0], [10.5, 0.0]])
    idel = conn.idelays(1.0)
    assert idel.dtype.kind == "i"
    assert idel.tolist() == [[0, 10], [10, 0]]  # 10.5 rounds half to even
    assert conn.horizon(1.0) == 11
    assert conn.horizon(0.1) == 106


def test_infinite_speed_means_no_delays() -> None:
    conn = make(3, speed=math.inf)
    assert not conn.delays.any()
    assert conn.horizon(0.1) == 1


@pytest.mark.parametrize("dt", [0.0, -0.1, math.nan, math.inf, "x"])
def test_bad_dt(dt: object) -> None:
    with pytest.raises(ValidationError, match="dt"):
        make(2).idelays(dt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"weights": np.ones((2, 3)), "tract_lengths": np.ones((2, 3))}, r"2x3.*square"),
        ({"tract_lengths": np.ones((3, 2))}, r"tract_lengths is 3x2 but weights is 3x3"),
        ({"weights": [[np.nan, 1, 1], [1, 1, 1], [1, 1, 1]]}, r"weights.*NaN or infinite"),
        ({"weights": np.full((3, 3), np.inf)}, r"weights.*NaN or infinite"),
        ({"tract_lengths": [[0, -1, 0], [0, 0, 0], [0, 0, 0]]}, r"tract_lengths.*negative"),
        ({"tract_lengths": np.full((3, 3), np.nan)}, r"tract_lengths.*NaN"),
        ({"centres": np.zeros((4, 3))}, r"centres has shape \(4, 3\) but weights is 3x3"),
        ({"centres": np.zeros((3, 2))}, r"centres.*shape"),
        ({"region_labels": ["a", "b"]}, r"region_labels has 2 labels but weights is 3x3"),
        ({"region_labels": "abc"}, r"region_labels.*single string"),
        ({"orientations": np.zeros((2, 3))}, r"orientations has shape \(2, 3\)"),
        ({"areas": np.zeros(4)}, r"areas has shape \(4,\) but weights is 3x3"),
        ({"areas": [1.0, -1.0, 1.0]}, r"areas.*negative"),
        ({"cortical": [True, False]}, r"cortical has shape \(2,\)"),
        ({"hemispheres": [True] * 5}, r"hemispheres has shape \(5,\)"),
        ({"speed": 0.0}, r"speed must be > 0"),
        ({"speed": -3.0}, r"speed must be > 0"),
        ({"speed": math.nan}, r"speed must be > 0"),
        ({"speed": "fast"}, r"speed must be a number"),
        ({"weights": np.ones(3)}, r"weights.*2-D"),
        ({"weights": None}, r"needs weights"),
        ({"nonsense": 1}, r"no field 'nonsense'"),
    ],
)
def test_invalid_construction(kwargs: dict[str, object], pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        make(3, **kwargs)


def test_missing_tract_lengths_and_centres() -> None:
    with pytest.raises(ValidationError, match="tract_lengths.*or centres"):
        Connectivity(weights=np.ones((2, 2)))


def test_assignment_is_validated() -> None:
    conn = make(3)
    with pytest.raises(ValidationError, match="speed"):
        conn.speed = -1.0
    with pytest.raises(ValidationError, match="tract_lengths is 3x3 but weights is 2x2"):
        conn.weights = np.ones((2, 2))
    assert conn.weights.shape == (3, 3)  # a rejected assignment leaves the object unchanged
    conn.speed = 6.0
    assert conn.speed == 6.0


def test_with_speed_returns_validated_copy() -> None:
    conn = make(3)
    fast = conn.with_speed(6.0)
    assert fast.speed == 6.0 and conn.speed == 3.0
    np.testing.assert_allclose(fast.delays * 2, conn.delays)
    fast.weights[0, 0] = 123.0
    assert conn.weights[0, 0] != 123.0
    with pytest.raises(ValidationError, match="speed must be > 0"):
        conn.with_speed(0.0)


def test_scaled() -> None:
    conn = make(3, weights=[[0.0, 2.0, -4.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(conn.scaled("tract").weights, np.array(conn.weights) / 4.0)
    np.testing.assert_allclose(conn.scaled("region").weights, np.array(conn.weights) / 2.0)
    assert conn.scaled("none") == conn
    zero = make(2, weights=np.zeros((2, 2)))
    assert zero.scaled() == zero
    with pytest.raises(ValidationError, match="unknown mode"):
        conn.scaled("bogus")


def test_replace_rejects_unknown_field() -> None:
    with pytest.raises(ValidationError, match="no field"):
        make(2).replace(bogus=1)


def test_summary_and_equality() -> None:
    conn = make(3, weights=[[0.0, 1.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0, 0.0]])
    s = conn.summary()
    assert s["n_region"] == 3 and s["n_nonzero"] == 4
    assert s["weights_max"] == 2.0 and s["weights_min"] == 0.0
    assert s["weights_mean"] == pytest.approx(6.0 / 9.0)
    assert s["tract_lengths_max"] == float(conn.tract_lengths.max())
    assert s["speed"] == 3.0 and s["is_symmetric"] is True
    assert conn.replace() == conn
    assert conn.with_speed(4.0) != conn


def test_json_roundtrip_and_schema() -> None:
    conn = make(3, region_labels=["lA", "rB", "lC"], speed=math.inf)
    again = Connectivity(**conn.to_dict())
    assert again == conn
    schema = Connectivity.json_schema()
    assert {"weights", "tract_lengths", "speed"} <= set(schema["properties"])
    assert schema["properties"]["speed"]["unit"] == "mm/ms"
