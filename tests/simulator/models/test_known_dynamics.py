"""Known dynamics of library models (single nodes and small networks)."""

import numpy as np
import pytest

import vbrain as vb
from vbrain.simulator import phase_plane as pp


def single_node():
    return vb.Connectivity(weights=np.zeros((1, 1)), tract_lengths=np.zeros((1, 1)))


def run_single(model, state, duration, dt=0.05):
    sim = vb.Simulator(
        single_node(),
        model=model,
        integrator=vb.integrators.Heun(dt=dt),
        monitors=[vb.monitors.Raw()],
        initial_history=np.asarray(state, float).reshape(-1, 1),
    )
    res = sim.run(duration)[0]
    return res.time, res.data[:, :, 0, 0]


def test_suphopf_decays_below_and_oscillates_at_omega_above_the_bifurcation():
    t, below = run_single(vb.models.SupHopf(a=-0.5, omega=1.0), [1.0, 0.0], 40.0)
    assert abs(below[-1, 0]) < 1e-6  # |x| decays like exp(a t)
    t, above = run_single(vb.models.SupHopf(a=0.5, omega=0.5), [0.1, 0.0], 400.0)
    x = above[t > 200.0, 0]
    tt = t[t > 200.0]
    # limit cycle of radius sqrt(a), frequency omega / (2 pi)
    assert np.max(np.abs(x)) == pytest.approx(np.sqrt(0.5), rel=1e-2)
    crossings = tt[1:][(x[:-1] < 0) & (x[1:] >= 0)]
    period = np.mean(np.diff(crossings))
    assert period == pytest.approx(2 * np.pi / 0.5, rel=1e-3)


def test_g2d_default_single_node_oscillates_at_the_linearised_frequency():
    # with the reference defaults the fixed point is a stable focus: a perturbed node
    # oscillates at Im(lambda) / 2 pi while the oscillation decays at rate Re(lambda)
    model = vb.models.Generic2dOscillator(variables_of_interest=("V", "W"))
    (fp,) = pp.compute_fixed_points(model)
    assert fp.stability == "stable focus"
    lam = fp.eigenvalues[np.argmax(fp.eigenvalues.imag)]
    t, traj = run_single(model, fp.state + [0.01, 0.0], 1000.0, dt=0.1)
    v = traj[:, 0] - fp.state[0]
    ups = t[1:][(v[:-1] < 0) & (v[1:] >= 0)]
    assert len(ups) >= 8
    assert np.mean(np.diff(ups)) == pytest.approx(2 * np.pi / lam.imag, rel=1e-2)
    peaks = [np.max(np.abs(v[(t >= t0) & (t < t0 + 2 * np.pi / lam.imag)])) for t0 in (100, 600)]
    assert peaks[1] / peaks[0] == pytest.approx(np.exp(lam.real * 500.0), rel=0.05)
    np.testing.assert_allclose(traj[-1], fp.state, atol=1e-5)


def test_epileptor_single_node_switches_between_seizure_and_rest():
    model = vb.models.Epileptor(variables_of_interest=("x1", "z"))
    t, traj = run_single(model, [-1.5, -10.0, 3.0, -1.0, 0.0, 0.0], 10000.0)
    x1, z = traj[:, 0], traj[:, 1]
    late = t > 1000.0
    # the slow permittivity variable z cycles, and x1 alternates between epochs of rest
    # (x1 stays low) and seizures (fast large-amplitude discharges, x1 > 0)
    assert np.ptp(z[late]) > 0.3
    windows = x1[late][: (late.sum() // 2000) * 2000].reshape(-1, 2000)  # 100 ms windows
    seizing = windows.max(axis=1) > 0.0
    assert 0.1 < seizing.mean() < 0.9
    switches = np.sum(seizing[1:] != seizing[:-1])
    assert switches >= 4  # at least two seizure onsets and two offsets
    # discharges inside seizures are fast: many upward zero crossings of x1 per seizure
    assert np.sum((x1[:-1] < 0) & (x1[1:] >= 0)) > 10 * switches


def order_parameter(theta):
    return np.abs(np.mean(np.exp(1j * theta), axis=-1))


@pytest.mark.parametrize(("a", "synchronised"), [(20.0, True), (0.0, False)])
def test_kuramoto_synchronises_only_with_strong_coupling(a, synchronised):
    n = 20
    rng = np.random.default_rng(3)
    conn = vb.Connectivity(
        weights=np.ones((n, n)) - np.eye(n), tract_lengths=np.zeros((n, n)), speed=np.inf
    )
    omega = rng.normal(1.0, 0.1, n)
    res = vb.simulate(
        conn,
        model=vb.models.Kuramoto(omega=omega),
        coupling=vb.coupling.Kuramoto(a=a),
        integrator=vb.integrators.Heun(dt=0.05),
        monitors=[vb.monitors.Raw()],
        initial_history=rng.uniform(0, 2 * np.pi, (1, n)),
        duration=200.0,
    )[0]
    r = order_parameter(res.data[-200:, 0, :, 0])
    if synchronised:
        assert r.min() > 0.9
    else:
        assert r.mean() < 0.5
