"""EEG, MEG and sEEG monitors: projection of averages, region gains, analytic dipoles,
references, non-finite gains, observation noise and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain as vb
from vbrain.config import ValidationError
from vbrain.datatypes import (
    NonFiniteGainWarning,
    ProjectionMatrix,
    RegionMapping,
    SensorsEEG,
    SensorsInternal,
    SensorsMEG,
)
from vbrain.simulator.integrators import Heun
from vbrain.simulator.monitors import EEG, MEG, TemporalAverage, iEEG
from vbrain.simulator.monitors.projection import (
    MU0_OVER_4PI,
    point_dipole_potential,
    sarvas_meg_field,
    sphere_electrodes,
)

DT = 0.1
PERIOD = 0.5  # 5 steps


def tiny_connectivity() -> vb.Connectivity:
    """Three regions with centres, orientations and delays."""
    w = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.2], [0.5, 0.2, 0.0]])
    lengths = np.array([[0.0, 12.0, 20.0], [12.0, 0.0, 9.0], [20.0, 9.0, 0.0]])
    centres = [[-30.0, 10.0, 20.0], [30.0, 0.0, 15.0], [0.0, -10.0, -5.0]]
    orientations = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.6, 0.8]]
    return vb.Connectivity(
        weights=w,
        tract_lengths=lengths,
        centres=centres,
        orientations=orientations,
        region_labels=["lA", "rB", "lC"],
    )


def eeg_sensors(n: int = 5) -> SensorsEEG:
    rng = np.random.default_rng(5)
    loc = rng.normal(size=(n, 3))
    loc *= 95.0 / np.linalg.norm(loc, axis=1, keepdims=True)
    return SensorsEEG(labels=[f"E{i}" for i in range(n)], locations=loc)


def run(
    monitors,
    backend: str = "numpy",
    n_steps: int = 200,
    model=None,
    seed: int = 3,
    dt: float = DT,
):
    sim = vb.Simulator(
        tiny_connectivity(),
        model=model or vb.models.Generic2dOscillator(),
        coupling=vb.coupling.Linear(a=0.1),
        integrator=Heun(dt=dt),
        monitors=monitors,
        seed=seed,
        backend=backend,
    )
    return sim.run(n_steps=n_steps)


# --------------------------------------------------------------------------------------------
# projection of a known source pattern


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_eeg_equals_gain_times_temporal_average(backend):
    gain = np.random.default_rng(0).normal(size=(5, 3))
    sensors = eeg_sensors()
    res = run(
        [TemporalAverage(period=PERIOD), EEG(sensors=sensors, projection=gain, period=PERIOD)],
        backend,
    )
    avg, eeg = res["TemporalAverage"], res["EEG"]
    np.testing.assert_allclose(eeg.time, avg.time, rtol=0, atol=1e-12)
    np.testing.assert_allclose(eeg.time[:3], [0.25, 0.75, 1.25])  # mid-window stamps
    expected = np.einsum("sn,tvnm->tvsm", gain, avg.data)
    assert eeg.data.shape == (40, 1, 5, 1)
    np.testing.assert_allclose(eeg.data, expected, rtol=1e-12, atol=1e-12)
    assert eeg.space == list(sensors.labels)


def test_modes_are_summed():
    model = vb.models.get("ReducedSetFitzHughNagumo")()
    assert model.n_mode == 3
    gain = np.random.default_rng(1).normal(size=(4, 3))
    sensors = SensorsInternal.example()
    dt = 0.005  # the three-mode model needs a small step (tests/simulator/model_settings.py)
    res = run(
        [TemporalAverage(period=5 * dt), iEEG(sensors=sensors, projection=gain, period=5 * dt)],
        model=model,
        n_steps=100,
        dt=dt,
    )
    avg, seeg = res["TemporalAverage"], res["iEEG"]
    assert avg.data.shape[-1] == 3 and seeg.data.shape[-1] == 1
    assert np.all(np.isfinite(avg.data)) and np.ptp(avg.data.sum(axis=-1)) > 0
    expected = np.einsum("sn,tvn->tvs", gain, avg.data.sum(axis=-1))[..., None]
    np.testing.assert_allclose(seeg.data, expected, rtol=1e-12, atol=1e-12)


def test_meg_and_seeg_labels_and_shapes():
    res = run(
        [
            MEG(sensors=SensorsMEG.example(), period=PERIOD),
            iEEG(sensors=SensorsInternal.example(), period=PERIOD),
        ],
        n_steps=50,
    )
    assert res["MEG"].space == ["M1", "M2", "M3", "M4"]
    assert res["iEEG"].space == ["A1", "A2", "A3", "A4"]
    for r in res:
        assert r.data.shape == (10, 1, 4, 1)
        assert np.all(np.isfinite(r.data)) and np.ptp(r.data) > 0


# --------------------------------------------------------------------------------------------
# region gains from vertex gains, and the analytic fallback for unmapped regions


def test_region_gain_is_sum_of_vertex_gains():
    rng = np.random.default_rng(2)
    mapping = np.array([0, 2, 1, 1, 0, 2, 2, 1, 0, 0])
    vertex_gain = rng.normal(size=(5, mapping.size))
    eeg = EEG(sensors=eeg_sensors(), projection=vertex_gain, region_mapping=mapping)
    conn = tiny_connectivity()
    gain = eeg.spatial_map(3, {"connectivity": conn})
    for r in range(3):
        np.testing.assert_allclose(gain[:, r], vertex_gain[:, mapping == r].sum(axis=1))
    # the same through the simulator: the monitor output is that region gain times the average
    res = run(
        [
            TemporalAverage(period=PERIOD),
            EEG(sensors=eeg_sensors(), projection=vertex_gain, region_mapping=mapping, period=0.5),
        ],
        n_steps=50,
    )
    expected = np.einsum("sn,tvnm->tvsm", gain, res["TemporalAverage"].data)
    np.testing.assert_allclose(res["EEG"].data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls", [EEG, MEG, iEEG])
def test_unmapped_region_gets_analytic_dipole(cls):
    conn = tiny_connectivity()
    sensors = {
        EEG: eeg_sensors(),
        MEG: SensorsMEG(
            labels=[f"M{i}" for i in range(5)],
            locations=eeg_sensors().locations * 1.2,
            orientations=eeg_sensors().locations / 95.0,
        ),
        iEEG: SensorsInternal(
            labels=[f"C{i}" for i in range(5)], locations=eeg_sensors().locations * 0.5
        ),
    }[cls]
    mapping = np.array([0, 0, 1, 1, 1, 0])  # region 2 (like a subcortical one) has no vertex
    vertex_gain = np.random.default_rng(3).normal(size=(5, mapping.size))
    mon = cls(sensors=sensors, projection=vertex_gain, region_mapping=mapping)
    gain = mon.spatial_map(3, {"connectivity": conn})
    assert np.all(np.isfinite(gain))
    summed = np.stack([vertex_gain[:, mapping == r].sum(axis=1) for r in (0, 1)], axis=1)
    np.testing.assert_allclose(gain[:, :2], summed)
    analytic = mon.analytic_gain(conn, [2])[:, 0]
    assert np.all(np.abs(analytic) > 0)
    np.testing.assert_allclose(gain[:, 2], analytic)
    # without a projection every region is analytic
    full = cls(sensors=sensors).spatial_map(3, {"connectivity": conn})
    np.testing.assert_allclose(full, mon.analytic_gain(conn), rtol=1e-12)


def test_eeg_analytic_uses_reference_sphere():
    conn = tiny_connectivity()
    sensors = eeg_sensors()
    gain = EEG(sensors=sensors, sigma=0.3).analytic_gain(conn)
    electrodes = sphere_electrodes(sensors.locations, conn.centres)
    centre = conn.centres.mean(axis=0)
    radius = 1.05125 * np.max(np.linalg.norm(conn.centres - centre, axis=1))
    np.testing.assert_allclose(np.linalg.norm(electrodes - centre, axis=1), radius)
    # an independent evaluation of V = Q.(r - r0) / (4 pi sigma |r - r0|^3)
    for s in range(sensors.n_sensors):
        for r in range(3):
            a = electrodes[s] - conn.centres[r]
            v = conn.orientations[r] @ a / np.linalg.norm(a) ** 3 / (4 * np.pi * 0.3)
            assert gain[s, r] == pytest.approx(v, rel=1e-12)


def test_point_dipole_falls_off_as_inverse_square():
    """Far field along (and off) the dipole axis: doubling the distance quarters the gain."""
    source = np.array([[10.0, -5.0, 3.0]])
    q = np.array([[0.0, 0.6, 0.8]])
    direction = np.array([0.3, 0.5, 0.9]) / np.linalg.norm([0.3, 0.5, 0.9])
    for d in (20.0, 200.0):
        near = source + d * direction
        far = source + 2 * d * direction
        v = point_dipole_potential(np.vstack([near, far]), source, q, sigma=0.33)[:, 0]
        assert v[0] / v[1] == pytest.approx(4.0, rel=1e-12)
    # and through the sEEG monitor's analytic gain, at contacts on the dipole axis
    conn = tiny_connectivity()
    c, o = conn.centres[2], conn.orientations[2]
    contacts = SensorsInternal(labels=["near", "far"], locations=[c + 15 * o, c + 30 * o])
    g = iEEG(sensors=contacts).analytic_gain(conn, [2])[:, 0]
    assert g[0] / g[1] == pytest.approx(4.0, rel=1e-12)
    assert g[0] == pytest.approx(1 / (4 * np.pi * 15.0**2), rel=1e-12)  # sigma = 1, on axis


def test_meg_sarvas_radial_field_and_radial_dipole():
    rng = np.random.default_rng(4)
    coils = rng.normal(size=(6, 3))
    coils *= 110.0 / np.linalg.norm(coils, axis=1, keepdims=True)
    sources = rng.normal(size=(5, 3)) * 25.0
    q = rng.normal(size=(5, 3))
    # radial coils: the radial field outside a spherical conductor is that of the primary
    # current alone, mu0/(4 pi) (Q x (r - r0)) . r_hat / |r - r0|^3
    b = sarvas_meg_field(coils, coils, sources, q)
    a = coils[:, None, :] - sources[None, :, :]
    r_hat = coils / 110.0
    primary = (
        MU0_OVER_4PI
        * np.sum(np.cross(q[None], a) * r_hat[:, None, :], axis=-1)
        / np.linalg.norm(a, axis=-1) ** 3
    )
    np.testing.assert_allclose(b, primary, rtol=1e-10)
    # a radial dipole produces no field outside the sphere, whatever the coil orientation
    b_radial = sarvas_meg_field(coils, rng.normal(size=(6, 3)), sources, 2.0 * sources)
    assert np.max(np.abs(b_radial)) < 1e-12 * np.max(np.abs(b))
    # the sphere's centre: shifting everything shifts nothing
    shift = np.array([3.0, -7.0, 11.0])
    b_shift = sarvas_meg_field(coils + shift, coils, sources + shift, q, centre=shift)
    np.testing.assert_allclose(b_shift, b, rtol=1e-10)


def test_zero_orientation_warns_and_gives_zero_gain():
    conn = tiny_connectivity().replace(orientations=np.zeros((3, 3)))
    with pytest.warns(UserWarning, match="no orientation"):
        gain = iEEG(sensors=SensorsInternal.example()).analytic_gain(conn)
    assert not gain.any()


# --------------------------------------------------------------------------------------------
# EEG reference, unusable sensors, non-finite gains


def test_average_reference_sums_to_zero():
    gain = np.random.default_rng(6).normal(size=(5, 3))
    res = run(
        [
            EEG(sensors=eeg_sensors(), projection=gain, period=PERIOD),
            EEG(sensors=eeg_sensors(), projection=gain, period=PERIOD, reference="average"),
        ],
        n_steps=100,
    )
    free, avg = res[0].data, res[1].data
    assert np.max(np.abs(free.sum(axis=2))) > 1e-3
    np.testing.assert_allclose(avg.sum(axis=2), 0.0, atol=1e-12)
    np.testing.assert_allclose(avg, free - free.mean(axis=2, keepdims=True), atol=1e-12)


def test_electrode_reference_zeroes_that_channel():
    gain = np.random.default_rng(7).normal(size=(5, 3))
    sensors = eeg_sensors()
    res = run(
        [
            EEG(sensors=sensors, projection=gain, period=PERIOD),
            EEG(sensors=sensors, projection=gain, period=PERIOD, reference="E2"),
        ],
        n_steps=100,
    )
    free, ref = res[0].data, res[1].data
    assert not ref[:, :, 2].any()
    np.testing.assert_allclose(ref, free - free[:, :, 2:3], atol=1e-12)


def test_unusable_sensors_get_zero_gain_and_are_left_out_of_the_average():
    sensors = eeg_sensors().model_copy(update={"usable": np.array([1, 1, 0, 1, 1], bool)})
    gain = np.random.default_rng(8).normal(size=(5, 3))
    eeg = EEG(sensors=sensors, projection=gain, reference="average")
    g = eeg.spatial_map(3, {"connectivity": tiny_connectivity()})
    assert not g[2].any()
    np.testing.assert_allclose(g.sum(axis=0), 0.0, atol=1e-12)
    usable = [0, 1, 3, 4]
    np.testing.assert_allclose(g[usable], gain[usable] - gain[usable].mean(axis=0))
    with pytest.raises(ValidationError, match="unusable"):
        EEG(sensors=sensors, projection=gain, reference="E2")


def test_non_finite_gains_are_zeroed_with_a_warning():
    gain = np.random.default_rng(9).normal(size=(5, 3))
    gain[1, 2] = np.nan
    gain[3, 0] = np.inf
    with pytest.warns(NonFiniteGainWarning, match="2 of 15 coefficients"):
        eeg = EEG(sensors=eeg_sensors(), projection=gain)
    g = eeg.spatial_map(3, {"connectivity": tiny_connectivity()})
    assert g[1, 2] == 0.0 and g[3, 0] == 0.0
    assert np.all(np.isfinite(g))
    # an analytic gain with a contact on a source is infinite there: zeroed, with a warning
    conn = tiny_connectivity()
    contacts = SensorsInternal(labels=["on", "off"], locations=[conn.centres[1], [0, 0, 80.0]])
    with pytest.warns(NonFiniteGainWarning, match="1 of 6"):
        g = iEEG(sensors=contacts).spatial_map(3, {"connectivity": conn})
    assert g[0, 1] == 0.0 and np.all(np.isfinite(g))


# --------------------------------------------------------------------------------------------
# observation noise


def test_observation_noise_std_and_reproducibility():
    gain = np.random.default_rng(10).normal(size=(5, 3))

    def eeg(std: float) -> EEG:
        return EEG(sensors=eeg_sensors(), projection=gain, period=DT, obs_noise_std=std)

    def noisy_and_clean(seed: int) -> tuple[np.ndarray, np.ndarray]:
        res = run([eeg(0.0), eeg(0.25)], n_steps=1000, seed=seed)
        return res[1].data, res[0].data

    noisy, clean = noisy_and_clean(11)
    noise = noisy - clean
    assert noise.size == 5000
    assert np.std(noise) == pytest.approx(0.25, rel=0.05)  # 5 standard errors
    assert abs(np.mean(noise)) < 0.01
    again, _ = noisy_and_clean(11)
    np.testing.assert_array_equal(noisy, again)
    other, other_clean = noisy_and_clean(12)
    assert not np.allclose(other - other_clean, noise)


def test_observation_noise_independent_of_chunking():
    gain = np.random.default_rng(12).normal(size=(5, 3))

    def sim(chunk: int) -> vb.Simulator:
        s = vb.Simulator(
            tiny_connectivity(),
            integrator=Heun(dt=DT),
            monitors=[EEG(sensors=eeg_sensors(), projection=gain, period=0.5, obs_noise_std=1.0)],
            seed=5,
            backend="numpy",
        )
        s.chunk_steps = chunk
        return s

    whole = sim(10_000).run(n_steps=500)[0].data
    chunked = sim(37).run(n_steps=500)[0].data
    np.testing.assert_array_equal(whole, chunked)


# --------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs sensors"),
        ({"sensors": "SENSORS", "projection": np.ones((4, 3))}, "4 rows .* 5 sensors"),
        ({"sensors": "SENSORS", "reference": "Cz"}, "'Cz' is not a sensor label"),
        ({"projection": np.ones((5, 3)), "reference": "E1"}, "there are no sensors"),
        ({"sensors": "SENSORS", "region_mapping": [0, 1, 2]}, "no projection is given"),
        (
            {"sensors": "SENSORS", "projection": np.ones((5, 7)), "region_mapping": [0, 1, 2]},
            "7 columns .* 3 vertices",
        ),
        ({"sensors": "SENSORS", "obs_noise_std": -1.0}, "obs_noise_std"),
        ({"sensors": "SENSORS", "sigma": 0.0}, "sigma"),
        ({"sensors": "SENSORS", "period": 0.0}, "period"),
        ({"sensors": SensorsMEG.example()}, "needs SensorsEEG"),
        (
            {
                "sensors": "SENSORS",
                "projection": ProjectionMatrix(gain=np.ones((5, 3)), modality="MEG"),
            },
            "modality EEG",
        ),
        ({"sensors": "no_such_set"}, "no sensors 'no_such_set' in tvb-data"),
    ],
)
def test_bad_construction(kwargs, message):
    kwargs = {
        k: eeg_sensors() if isinstance(v, str) and v == "SENSORS" else v for k, v in kwargs.items()
    }
    with pytest.raises(ValidationError, match=message):
        EEG(**kwargs)


def test_bad_against_the_connectivity():
    conn = tiny_connectivity()
    eeg = EEG(sensors=eeg_sensors(), projection=np.ones((5, 16)))
    with pytest.raises(ValidationError, match="16 columns but the connectivity has 3 regions"):
        eeg.spatial_map(3, {"connectivity": conn})
    with pytest.raises(ValidationError, match="region_mapping"):  # the message names the fix
        vb.Simulator(
            conn, integrator=Heun(dt=DT), monitors=[eeg.model_copy(update={"period": PERIOD})]
        )
    far = EEG(sensors=eeg_sensors(), projection=np.ones((5, 4)), region_mapping=[0, 1, 5, 2])
    with pytest.raises(ValidationError, match="region 5 .* 3 regions"):
        far.spatial_map(3, {"connectivity": conn})
    with pytest.raises(ValidationError, match="not an integer multiple of dt"):
        vb.Simulator(
            conn,
            integrator=Heun(dt=DT),
            monitors=[EEG(sensors=eeg_sensors(), period=0.25)],
        )


def test_round_trip_and_registry():
    eeg = EEG(
        sensors=eeg_sensors(),
        projection=np.arange(15.0).reshape(5, 3),
        reference="average",
        obs_noise_std=0.1,
    )
    assert EEG(**eeg.to_dict()) == eeg
    eeg.projection = np.ones((5, 3))  # assignments are converted and validated too
    assert isinstance(eeg.projection, ProjectionMatrix) and eeg.projection.modality == "EEG"
    with pytest.raises(ValidationError, match="4 rows"):
        eeg.projection = np.ones((4, 3))
    assert eeg.projection.n_sensors == 5  # the rejected value was not kept
    meg = MEG(
        sensors=SensorsMEG.example(),
        projection=ProjectionMatrix(
            gain=np.ones((4, 3)), modality="MEG", sensors=SensorsMEG.example()
        ),
    )
    back = MEG(**meg.to_dict())
    assert back == meg and back.projection.sensors.orientations is not None
    for name in ("EEG", "MEG", "iEEG"):
        assert vb.monitors.get(name.lower()).__name__ == name


# --------------------------------------------------------------------------------------------
# the shipped data


@pytest.mark.filterwarnings("ignore::vbrain.datatypes.NonFiniteGainWarning")
def test_shipped_eeg_65_on_the_76_region_connectome():
    conn = vb.datasets.load_connectivity(76)
    eeg = EEG(sensors="eeg_65", projection="eeg_65", region_mapping="16k_76", reference="average")
    gain = eeg.spatial_map(76, {"connectivity": conn})
    assert gain.shape == (65, 76) and np.all(np.isfinite(gain))
    raw = vb.datasets.load_projection("eeg_65").gain
    rm = vb.datasets.load_region_mapping("16k_76").array
    region = np.stack([raw[:, rm == r].sum(axis=1) for r in range(76)], axis=1)
    np.testing.assert_allclose(gain, region - region.mean(axis=0), rtol=1e-9, atol=1e-12)
    assert eeg.space_labels(list(conn.region_labels), 76)[:3] == ["Fp1", "Fp2", "F4"]


def test_region_mapping_datatype_in_monitor():
    rm = RegionMapping(array=[0, 1, 1, 2], n_region=4)
    eeg = EEG(sensors=eeg_sensors(), projection=np.ones((5, 4)), region_mapping=rm)
    with pytest.raises(ValidationError, match="mapping is for 4 regions"):
        eeg.spatial_map(3, {"connectivity": tiny_connectivity()})
