"""BOLD monitors: HRF convolution (Bold), the Balloon–Windkessel model (BalloonBold, and its
offline core), their timing, streaming/continuation invariance and bounded memory."""

from __future__ import annotations

import functools
import math
import tracemalloc

import numpy as np
import pytest

import vbrain as vb
from vbrain.config.traits import ValidationError
from vbrain.datatypes import equations as eq
from vbrain.simulator import balloon as bl
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import integrators as integrators_mod
from vbrain.simulator.monitors import BalloonBold, Bold, StageInfo, TemporalAverage
from vbrain.simulator.monitors.bold import interim_steps

DT = 0.1  # ms
INTERIM = 4.0  # ms: interim samples at dt = 0.1 average 40 steps


def _stage(monitor, n_space: int = 2, dt: float = DT, n_variable: int = 1):
    m = monitor.kernel_istep(dt)
    return monitor.make_stage(
        StageInfo(
            dt=dt,
            sample_period=m * dt,
            n_variable=n_variable,
            n_space=n_space,
            n_mode=1,
            rng=np.random.default_rng(0),
        )
    )


def _feed(stage, series: np.ndarray, chunks, sample_period: float = INTERIM):
    """Drive a stage with interim samples ``(n, n_space)`` in chunks of the given sizes."""
    n = series.shape[0]
    time = np.arange(1, n + 1) * sample_period  # interim k ends at t = k * period
    data = series.reshape(n, 1, -1, 1)
    ts, ds = [], []
    start = 0
    sizes = iter(chunks)
    while start < n:
        stop = min(n, start + next(sizes))
        t, d = stage.process(time[start:stop], data[start:stop])
        ts.append(t)
        ds.append(d)
        start = stop
    return np.concatenate(ts), np.concatenate(ds)[:, 0, :, 0]


def _random_chunks(seed: int):
    rng = np.random.default_rng(seed)
    while True:
        yield int(rng.integers(1, 3000))


# --------------------------------------------------------------------------------------------
# interim averages and timing


def test_interim_steps_divide_the_period():
    assert interim_steps(20000, 0.1) == 40  # dt = 0.1, period 2000 ms: exactly 4 ms
    assert interim_steps(200000, 0.01) == 400
    assert interim_steps(4, 0.05) == 4  # a period shorter than 4 ms: the period itself
    assert interim_steps(6000, 0.3) == 12  # 4 / 0.3 = 13.3 does not divide 6000: 3.6 ms
    assert interim_steps(3000, 0.7) == 6  # 5.7 -> 6 (4.2 ms)
    assert interim_steps(2003, 1.0) == 1  # a prime number of steps
    for istep, dt in [(20000, 0.1), (6000, 0.3), (3000, 0.7), (1000, 2.0)]:
        assert istep % interim_steps(istep, dt) == 0


def test_reference_time_stamps():
    """Bold(500 ms) over 1000 ms at dt = 0.1 samples t = 500, 1000 (REFERENCE 3.6)."""
    conn = vb.Connectivity(weights=np.zeros((2, 2)), tract_lengths=np.zeros((2, 2)))
    sim = vb.Simulator(
        conn,
        model=vb.models.get("Linear")(),
        integrator=integrators_mod.Heun(dt=DT),
        monitors=[Bold(period=500.0), BalloonBold(period=500.0)],
    )
    assert [mp.istep for mp in sim.plan.monitors] == [40, 40]
    res = sim.run(1000.0)
    for r in res:
        np.testing.assert_allclose(r.time, [500.0, 1000.0])
        assert r.period == 500.0 and r.data.shape == (2, 1, 2, 1)


def test_dt_that_does_not_divide_four_ms():
    """dt = 0.3 ms, period 1800 ms: interim averages of 12 steps (3.6 ms)."""
    conn = vb.Connectivity(weights=np.zeros((1, 1)), tract_lengths=np.zeros((1, 1)))
    mon = Bold(period=1800.0, hrf_kernel="Gamma")
    sim = vb.Simulator(
        conn,
        model=vb.models.get("Linear")(gamma=-1.0),
        coupling=coupling_mod.Linear(a=0.0, b=1.0),
        integrator=integrators_mod.Heun(dt=0.3),
        monitors=[mon],
        initial_history=np.zeros((1, 1)),
    )
    assert sim.plan.monitors[0].istep == 12
    res = sim.run(3600.0)
    np.testing.assert_allclose(res[0].time, [1800.0, 3600.0])
    # the kernel is sampled at the true 3.6 ms spacing and rescaled by 3.6 / 4
    w = mon.hrf_weights(3.6)
    assert w.size == math.ceil(20000 / 3.6)
    np.testing.assert_allclose(w, eq.Gamma().evaluate(np.arange(w.size) * 3.6e-3) * 0.9)


def test_bad_configurations_are_rejected():
    conn = vb.Connectivity(weights=np.zeros((1, 1)), tract_lengths=np.zeros((1, 1)))
    with pytest.raises(ValidationError, match="integer multiple of dt"):
        vb.Simulator(conn, integrator=integrators_mod.Heun(dt=0.3), monitors=[Bold()])
    with pytest.raises(ValidationError, match="hrf_length"):
        Bold(hrf_length=0.0)
    with pytest.raises(ValidationError, match="period"):
        BalloonBold(period=-2000.0)
    with pytest.raises(ValidationError, match="E0"):
        BalloonBold(E0=1.5)
    with pytest.raises(ValidationError, match="input_transform"):
        BalloonBold(input_transform="square")
    with pytest.raises(ValidationError, match="tau_s"):
        BalloonBold(tau_s=0.0)
    with pytest.raises(ValidationError, match="NaN"):
        bl.compute_balloon_bold(np.array([0.0, np.nan]), 4.0)
    with pytest.raises(ValidationError, match="dt_ms"):
        bl.compute_balloon_bold(np.zeros(3), 0.0)
    with pytest.raises(ValidationError, match="initial_state"):
        bl.compute_balloon_bold(np.zeros((3, 2)), 4.0, initial_state=np.ones((4, 3)))
    with pytest.raises(ValidationError, match="negative"):
        bl.balloon_steady_state(-1.0, bl.BalloonParameters())


# --------------------------------------------------------------------------------------------
# HRF convolution stage


@pytest.mark.parametrize("kernel", ["Gamma", "FirstOrderVolterra", "MixtureOfGammas"])
def test_impulse_reproduces_the_kernel(kernel):
    """A unit impulse through the stage (in uneven chunks) gives back the kernel."""
    mon = Bold(period=INTERIM, hrf_kernel=kernel)  # one output per interim sample
    stage = _stage(mon)
    w = mon.hrf_weights(INTERIM)
    n_kernel = w.size
    assert n_kernel == 5000
    # the reference's weights: the kernel on its grid arange(0, 20 s, 4 ms), unscaled
    np.testing.assert_allclose(w, mon.hrf_kernel.evaluate(np.arange(0.0, 20.0, 0.004)))
    k0 = 10
    series = np.zeros((k0 + n_kernel + 50, 2))
    series[k0, 0] = 1.0
    series[k0, 1] = 2.0  # linear in the input
    t, y = _feed(stage, series, _random_chunks(1))
    np.testing.assert_allclose(t, np.arange(1, series.shape[0] + 1) * INTERIM)
    if kernel == "FirstOrderVolterra":
        y = y / (5.6 * 0.02) + 1.0  # undo (conv - 1) k_1 V_0
    np.testing.assert_allclose(y[:k0], 0.0, atol=1e-14)
    np.testing.assert_allclose(y[k0 : k0 + n_kernel, 0], w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(y[k0 : k0 + n_kernel, 1], 2 * w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(y[k0 + n_kernel :], 0.0, atol=1e-14)


def test_mixture_of_gammas_impulse_response_peaks_near_five_seconds():
    mon = Bold(period=100.0, hrf_kernel="MixtureOfGammas")
    stage = _stage(mon, n_space=1)
    series = np.zeros((15000, 1))  # 60 s of interim samples
    series[250, 0] = 1.0  # impulse at t = 1.004 s
    t, y = _feed(stage, series, [15000])
    assert t[0] == 100.0 and t.size == 600
    delay = (t[np.argmax(y[:, 0])] - 251 * INTERIM) / 1000.0
    assert 4.5 <= delay <= 5.5


def _reference_bold(x: np.ndarray, kernel: eq.HRFKernelEquation) -> np.ndarray:
    """The reference system's Bold.sample() at every interim sample (REFERENCE 3.7): a ring
    stock indexed (k % N) - 1 and the reversed kernel rolled by the same amount."""
    n_kernel = 5000
    g = kernel.evaluate(np.arange(0.0, 20.0, 0.004))[::-1]
    stock = np.zeros((n_kernel, x.shape[1]))
    out = []
    for k in range(1, x.shape[0] + 1):
        stock[(k % n_kernel) - 1] = x[k - 1]
        hrf = np.roll(g, (k % n_kernel) - 1)
        out.append(hrf @ stock)
    return (np.array(out) - 1.0) * kernel.k_1 * kernel.V_0


def test_agrees_with_the_reference_one_interim_sample_later():
    """The reference's sample k is ours at k - 1, except for the kernel's last value
    g = h(19.996 s) (~1e-6): the reference puts it on the newest sample x_k where we put it on
    x_(k-N), which its N-slot ring no longer holds."""
    rng = np.random.default_rng(3)
    x = rng.normal(1.0, 0.5, (12_000, 3))
    mon = Bold(period=INTERIM)
    _, ours = _feed(_stage(mon, n_space=3), x, _random_chunks(2))
    ref = _reference_bold(x, mon.hrf_kernel)
    g = mon.hrf_kernel.evaluate(19.996) * 5.6 * 0.02
    x_old = np.concatenate([np.zeros((5000, 3)), x])[1:-5000]  # x_(k-N), zero before start
    np.testing.assert_allclose(ref[1:] - ours[:-1], g * (x[1:] - x_old), rtol=1e-7, atol=1e-13)


# --------------------------------------------------------------------------------------------
# Balloon–Windkessel model


def test_balloon_coefficients():
    p = bl.BalloonParameters()
    k1, k2, k3 = p.bold_coefficients()
    assert k1 == pytest.approx(4.3 * 40.3 * 0.4 * 0.04)  # 2.77264
    assert k2 == pytest.approx(0.5 * 25.0 * 0.4 * 0.04)  # 0.2
    assert k3 == pytest.approx(0.5)
    assert bl.BalloonParameters(coefficients="classical").bold_coefficients() == pytest.approx(
        (2.8, 2.0, 0.6)
    )


@pytest.mark.parametrize("x", [-0.3, 0.0, 0.5, 2.0])
def test_balloon_steady_state_is_the_analytic_fixed_point(x):
    p = bl.BalloonParameters()
    # hand derivation: s = 0 (df/dt = s); ds/dt = x - (f - 1)/tau_f = 0 -> f = 1 + tau_f x;
    # dv/dt = 0 -> v^(1/alpha) = f -> v = f^alpha; dq/dt = 0 -> f E(f)/E0 = f q / v
    # -> q = v (1 - (1 - E0)^(1/f)) / E0
    f = 1.0 + 1.44 * x
    v = f**0.32
    q = v * (1.0 - 0.6 ** (1.0 / f)) / 0.4
    fixed = bl.balloon_steady_state(x, p)
    np.testing.assert_allclose(fixed, [0.0, f, v, q], rtol=1e-14)
    np.testing.assert_allclose(bl.balloon_dfun(fixed, x, p), 0.0, atol=1e-14)
    k1, k2, k3 = 4.3 * 40.3 * 0.4 * 0.04, 0.5 * 25 * 0.4 * 0.04, 0.5
    y_hand = 4.0 * (k1 * (1 - q) + k2 * (1 - q / v) + k3 * (1 - v))
    assert bl.balloon_bold_signal(fixed, p) == pytest.approx(y_hand, rel=1e-13, abs=1e-15)
    # a long constant drive from rest settles there
    bold, state = bl.compute_balloon_bold(
        np.full((100_000, 1), x), INTERIM, p, return_state=True
    )  # 400 s
    np.testing.assert_allclose(state[:, 0], [0.0, f, v, q], rtol=1e-9, atol=1e-11)
    assert bold[-1, 0] == pytest.approx(y_hand, rel=1e-9, abs=1e-12)


def test_balloon_rk4_converges_and_matches_dfun():
    p = bl.BalloonParameters()
    rng = np.random.default_rng(5)
    u = np.repeat(rng.uniform(-0.3, 1.5, (60, 2)), 250, axis=0)  # 60 one-second levels
    fine = bl.compute_balloon_bold(u, INTERIM, p.model_copy(update={"max_step": 0.25}))
    coarse = bl.compute_balloon_bold(u, INTERIM, p)
    np.testing.assert_allclose(coarse, fine, rtol=0, atol=1e-9 * np.abs(fine).max())
    # one explicit RK4 step with the numpy derivative equals the compiled one
    state = np.array([0.1, 1.2, 1.05, 0.9])[:, None]
    h = 4e-3

    def rates(z):
        return bl.balloon_dfun(z, 0.7, p)

    a = rates(state)
    b = rates(state + h / 2 * a)
    c = rates(state + h / 2 * b)
    d = rates(state + h * c)
    expected = state + h / 6 * (a + 2 * b + 2 * c + d)
    got = state.copy()
    bl.integrate_balloon(np.array([[0.7]]), got, INTERIM, p)
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_balloon_linear_observation_equation():
    p = bl.BalloonParameters(bold_model="linear")
    state = np.array([0.0, 1.1, 1.03, 0.95])
    k1, k2, k3 = p.bold_coefficients()
    hand = 4.0 * ((k1 + k2) * (1 - 0.95) + (k3 - k2) * (1 - 1.03))
    assert bl.balloon_bold_signal(state, p) == pytest.approx(hand)
    # close to the nonlinear one for small deviations from rest
    small = np.array([0.0, 1.001, 1.0003, 0.9995])
    lin = bl.balloon_bold_signal(small, p)
    nonlin = bl.balloon_bold_signal(small, bl.BalloonParameters())
    assert lin == pytest.approx(nonlin, rel=1e-2)


def _interim_step_series(n_steps: int, onset_step: int, amplitude: float = 1.0) -> np.ndarray:
    """Interim (40-step) averages of a step in the activity at dt = 0.1 ms."""
    u = np.zeros(n_steps)
    u[onset_step - 1 :] = amplitude  # steps are 1-based: step n at t = n dt
    return u.reshape(-1, 40).mean(axis=1)[:, None]


def test_balloon_step_response_peaks_about_five_seconds_later():
    """A step in the activity at t = 1 s (dt = 0.1 ms): BOLD peaks ~5 s later, then settles
    at the steady state."""
    mon = BalloonBold(period=100.0)
    stage = _stage(mon, n_space=1)
    series = _interim_step_series(600_000, 10_000, 0.5)  # 60 s, onset 1000 ms
    t, y = _feed(stage, series, _random_chunks(4))
    assert t.size == 600
    np.testing.assert_allclose(t, np.arange(1, 601) * 100.0)
    delay = t[np.argmax(y[:, 0])] / 1000.0 - 1.0
    assert 4.5 <= delay <= 6.0
    assert np.all(np.abs(y[t <= 1000.0]) < 1e-6)  # at rest before the step
    steady = bl.balloon_bold_signal(bl.balloon_steady_state(0.5, mon), mon)
    assert y[-1, 0] == pytest.approx(steady, rel=1e-4)
    assert y.max() > steady  # overshoot


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"input_transform": "abs", "input_scale": 0.5, "input_offset": 0.2},
        {"input_transform": "abs_diff", "input_scale": 0.01},
    ],
)
def test_balloon_stage_equals_offline_computation(settings):
    """Chunked online integration == compute_balloon_bold on the same interim samples."""
    mon = BalloonBold(period=20.0, **settings)  # every 5th interim sample
    rng = np.random.default_rng(6)
    series = np.cumsum(rng.normal(0, 0.05, (20_000, 3)), axis=0)
    t, online = _feed(_stage(mon, n_space=3), series, _random_chunks(7))
    offline = bl.compute_balloon_bold(series, INTERIM, mon.balloon_parameters())
    np.testing.assert_allclose(t, np.arange(5, 20_001, 5) * INTERIM)
    np.testing.assert_array_equal(online, offline[4::5])


def test_periodic_input_gives_periodic_bold():
    """A 0.1 Hz sinusoidal activity (interim samples at dt = 0.1 ms): both monitors' BOLD
    oscillates at 0.1 Hz."""
    t_ms = np.arange(1, 15_001) * INTERIM
    series = np.sin(2 * np.pi * t_ms / 10_000.0)[:, None]  # 60 s
    for mon in (Bold(period=500.0), BalloonBold(period=500.0, input_scale=0.2)):
        t, y = _feed(_stage(mon, n_space=1), series, _random_chunks(8))
        assert t.size == 120
        late = y[t > 20_000.0, 0]  # after the 20 s transient
        spectrum = np.abs(np.fft.rfft(late - late.mean()))
        freqs = np.fft.rfftfreq(late.size, d=0.5)  # Hz
        assert freqs[np.argmax(spectrum)] == pytest.approx(0.1)


# --------------------------------------------------------------------------------------------
# simulations


def _step_simulator(chunk_steps: int | None = None) -> vb.Simulator:
    """Two uncoupled linear nodes relaxing (1 ms) from 0 to 0.5 and 1.0 at t = 0."""
    conn = vb.Connectivity(weights=np.zeros((2, 2)), tract_lengths=np.zeros((2, 2)))
    return vb.Simulator(
        conn,
        model=vb.models.get("Linear")(gamma=-1.0),
        coupling=coupling_mod.Linear(a=0.0, b=np.array([0.5, 1.0])),
        integrator=integrators_mod.Heun(dt=DT),
        monitors=[
            TemporalAverage(period=INTERIM),
            Bold(period=100.0),
            Bold(period=100.0, hrf_kernel="MixtureOfGammas"),
            BalloonBold(period=100.0),
        ],
        initial_history=np.zeros((1, 2)),
        chunk_steps=chunk_steps,
    )


@functools.cache
def _step_run() -> vb.SimulationResult:
    return _step_simulator().run(60_000.0)


def test_simulated_step_response():
    res = _step_run()
    ta, bold, mix, balloon = res
    assert ta.data.shape == (15_000, 1, 2, 1)
    x = ta.data[:, 0, :, 0]
    # Bold: the convolution of the interim averages (the TemporalAverage of 4 ms), with the
    # newest sample at lag 0; zero activity before t = 0
    for r, mon in ((bold, Bold()), (mix, Bold(hrf_kernel="MixtureOfGammas"))):
        w = mon.hrf_kernel.evaluate(np.arange(5000) * 0.004)
        assert r.data.shape == (600, 1, 2, 1)
        np.testing.assert_allclose(r.time, np.arange(1, 601) * 100.0)
        expected = []
        for k in np.arange(25, 15_001, 25) - 1:  # interim index of each output
            past = x[max(0, k - 4999) : k + 1][::-1]
            expected.append(w[: past.shape[0]] @ past)
        expected = mon.hrf_kernel.bold_from_convolution(np.array(expected))
        np.testing.assert_allclose(r.data[:, 0, :, 0], expected, rtol=1e-11, atol=1e-13)
    # with the full kernel on the plateau: (b sum(w) - 1) k_1 V_0 (x = 0.5, 1 after ~10 ms)
    w_sum = Bold().hrf_weights(INTERIM).sum()
    late = bold.data[bold.time > 20_100.0, 0, :, 0]
    plateau = (np.array([0.5, 1.0]) * w_sum - 1) * 0.112
    np.testing.assert_allclose(late, np.broadcast_to(plateau, late.shape), rtol=1e-9)
    # the default Volterra step response peaks at the kernel's first zero, pi / omega = 2.16 s
    omega = eq.FirstOrderVolterra().omega
    assert bold.time[np.argmax(bold.data[:, 0, 0, 0])] / 1000.0 == pytest.approx(
        math.pi / omega, abs=0.1
    )
    # BalloonBold == the offline model on the same 4 ms averages; peak ~5 s after the step
    offline = bl.compute_balloon_bold(ta.data, INTERIM, BalloonBold().balloon_parameters())
    np.testing.assert_allclose(balloon.data, offline[24::25], rtol=1e-13, atol=1e-15)
    for node in range(2):
        delay = balloon.time[np.argmax(balloon.data[:, 0, node, 0])] / 1000.0
        assert 4.5 <= delay <= 6.0


@pytest.mark.parametrize("chunk_steps", [37, 99_991])
def test_streaming_equals_one_shot(chunk_steps):
    ref = _step_run()
    sim = _step_simulator(chunk_steps=chunk_steps)
    chunks = list(sim.iter_chunks(60_000.0))
    assert len(chunks) == math.ceil(600_000 / chunk_steps)
    for k, r in enumerate(ref):
        t = np.concatenate([c[k][0] for c in chunks])
        d = np.concatenate([c[k][1] for c in chunks])
        np.testing.assert_array_equal(t, r.time)
        np.testing.assert_array_equal(d, r.data)


def test_continuation_and_hdf5_equal_one_run(tmp_path):
    ref = _step_run()
    sim = _step_simulator()
    parts = [sim.run(25_000.0), sim.run(10_002.0), sim.run(24_998.0)]
    for k, r in enumerate(ref):
        np.testing.assert_array_equal(np.concatenate([p[k].time for p in parts]), r.time)
        np.testing.assert_array_equal(np.concatenate([p[k].data for p in parts]), r.data)
    sim = _step_simulator(chunk_steps=12_345)
    sim.run_to_hdf5(tmp_path / "bold.h5", 60_000.0)
    back = vb.SimulationResult.from_hdf5(tmp_path / "bold.h5")
    for a, b in zip(ref, back, strict=True):
        assert a.name == b.name and a.period == b.period
        np.testing.assert_array_equal(b.time, a.time)
        np.testing.assert_array_equal(b.data, a.data)


def test_simulated_periodic_activity():
    """Kuramoto oscillators at 0.1 Hz recorded as sin(theta): BOLD has a 10 s period."""
    conn = vb.Connectivity(weights=np.zeros((2, 2)), tract_lengths=np.zeros((2, 2)))
    sim = vb.Simulator(
        conn,
        model=vb.models.get("Kuramoto")(
            omega=2 * np.pi / 10_000.0, variables_of_interest=("sin(theta)",)
        ),
        coupling=coupling_mod.Linear(a=0.0),
        integrator=integrators_mod.Heun(dt=DT),
        monitors=[Bold(period=500.0), BalloonBold(period=500.0, input_scale=0.2)],
        initial_history=np.array([[0.0, np.pi / 2]]),
    )
    for r in sim.run(60_000.0):
        assert r.data.shape == (120, 1, 2, 1)
        late = r.data[r.time > 20_000.0, 0, :, 0]
        spectrum = np.abs(np.fft.rfft(late - late.mean(axis=0), axis=0))
        freqs = np.fft.rfftfreq(late.shape[0], d=0.5)
        np.testing.assert_allclose(freqs[np.argmax(spectrum, axis=0)], [0.1, 0.1])


# --------------------------------------------------------------------------------------------
# a long streamed run keeps memory flat


@pytest.mark.slow
def test_ten_minutes_streamed_memory_stays_flat(tmp_path):
    """600 s at dt = 0.1 ms (6 M steps) on the 76-region connectome with TemporalAverage,
    Bold, BalloonBold (and EEG) streamed to HDF5: the traced peak of the last 540 s is that of
    the first 60 s (simulator construction included), far below the 3.6 GB of the trajectory
    or the 365 MB of the TemporalAverage output (measured: 23 MB peak; 30-50 s on 2 shared
    cores)."""
    import h5py

    conn = vb.datasets.load_connectivity(76)
    monitors = [TemporalAverage(period=1.0), Bold(), BalloonBold(input_scale=0.1)]
    eeg = getattr(vb.simulator.monitors, "EEG", None)
    if eeg is not None:  # the projection monitors (the other half of issue 4)
        monitors.append(eeg(sensors="eeg_65", reference="average", period=1.0))
    path = tmp_path / "long.h5"

    def build() -> vb.Simulator:
        return vb.Simulator(
            conn,
            integrator=integrators_mod.Heun(dt=DT),
            monitors=monitors,
            seed=42,
            chunk_steps=50_000,  # 5 s of simulated time per chunk
        )

    build().run(10.0)  # compile (or load) the kernels outside the trace: numba keeps ~40 MB
    tracemalloc.start()
    try:
        sim = build()
        sim.run_to_hdf5(path, 60_000.0)
        first = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        sim.run_to_hdf5(path, 540_000.0)  # appends to the same datasets
        rest = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rest < 40e6, f"peak traced memory {rest / 1e6:.1f} MB"
    assert rest < first + 4e6, f"last 540 s: {rest / 1e6:.1f} MB, first 60 s: {first / 1e6:.1f} MB"
    with h5py.File(path, "r") as f:
        groups = {m.name: f[f"{i}_{m.name}"] for i, m in enumerate(monitors)}
        assert groups["TemporalAverage"]["data"].shape == (600_000, 1, 76, 1)
        for name in ("Bold", "BalloonBold"):
            data = groups[name]["data"][...]
            assert data.shape == (300, 1, 76, 1)
            assert np.all(np.isfinite(data))
            np.testing.assert_allclose(groups[name]["time"][...], np.arange(1, 301) * 2000.0)
        if "EEG" in groups:
            assert groups["EEG"]["data"].shape[0] == 600_000
    path.unlink()  # 0.7 GB
