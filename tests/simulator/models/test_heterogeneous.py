"""Heterogeneous networks: different models on different groups of nodes."""

import numpy as np
import pytest

import vbrain as vb

N = 5
EP_STATE = np.array([-1.5, -10.0, 3.0, -1.0, 0.0, 0.0])
G2D_STATE = np.array([0.3, -0.5])


@pytest.fixture(scope="module")
def conn():
    rng = np.random.default_rng(0)
    w = rng.uniform(0, 1, (N, N))
    np.fill_diagonal(w, 0)
    return vb.Connectivity(weights=w, tract_lengths=rng.uniform(1, 20, (N, N)))


def network():
    return vb.models.heterogeneous(
        [(vb.models.Epileptor(), [0, 1]), (vb.models.Generic2dOscillator(), [2, 3, 4])],
        couple=[["x1"], ["V"]],
    )


def initial_state():
    ic = np.zeros((6, N, 1))
    ic[:, :2, 0] = EP_STATE[:, None]
    ic[:2, 2:, 0] = G2D_STATE[:, None]
    return ic


def run(conn, model, a, ic, backend):
    return vb.simulate(
        conn,
        model=model,
        coupling=vb.coupling.Linear(a=a),
        integrator=vb.integrators.Heun(dt=0.05),
        monitors=[vb.monitors.Raw()],
        initial_history=ic,
        duration=50.0,
        backend=backend,
    )[0].data[:, 0, :, 0]


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_uncoupled_parts_equal_separate_single_model_runs(conn, backend):
    mixed = run(conn, network(), 0.0, initial_state(), backend)
    epileptor = run(
        conn,
        vb.models.Epileptor(variables_of_interest=("x1",)),
        0.0,
        np.repeat(EP_STATE[:, None], N, axis=1),
        backend,
    )
    g2d = run(
        conn, vb.models.Generic2dOscillator(), 0.0, np.repeat(G2D_STATE[:, None], N, 1), backend
    )
    np.testing.assert_array_equal(mixed[:, :2], epileptor[:, :2])
    np.testing.assert_array_equal(mixed[:, 2:], g2d[:, 2:])


def test_coupled_run_is_finite_differs_and_backends_agree(conn):
    uncoupled = run(conn, network(), 0.0, initial_state(), "numba")
    coupled = run(conn, network(), 0.05, initial_state(), "numba")
    assert np.all(np.isfinite(coupled))
    assert np.max(np.abs(coupled - uncoupled)) > 1e-3
    np.testing.assert_array_equal(coupled, run(conn, network(), 0.05, initial_state(), "numpy"))


def test_layout_parameters_and_labels():
    net = network()
    assert net.state_names() == ("s0", "s1", "s2", "s3", "s4", "s5")
    assert type(net).coupling_variables == ("s0",)
    np.testing.assert_array_equal(net.group_of(), [0, 0, 1, 1, 1])
    assert net.g0_x0 == -1.6 and net.g1_a == -2.0
    assert "Epileptor on 2 node(s)" in type(net).__doc__
    assert type(net).__name__ not in vb.models.list()  # composites stay out of the registry


def test_per_group_parameters_can_vary_per_node(conn):
    net = network()
    net.g1_I = np.array([0.0, 0.0, 0.5, 0.0, 0.0])
    out = run(conn, net, 0.0, initial_state(), "numba")
    base = run(conn, network(), 0.0, initial_state(), "numba")
    changed = np.max(np.abs(out - base), axis=0) > 0
    np.testing.assert_array_equal(changed, [False, False, True, False, False])


@pytest.mark.parametrize(
    ("groups", "kwargs", "match"),
    [
        ([(vb.models.Linear(), [0, 1]), (vb.models.Linear(), [1, 2])], {}, "exactly one group"),
        ([(vb.models.Linear(), [0, 2])], {}, r"exactly one group; nodes \[1\]"),
        ([(vb.models.Linear(), [0])], {"couple": [["y"]]}, "not a state variable"),
        (
            [(vb.models.Linear(), [0]), (vb.models.SupHopf(), [1])],
            {},
            "must feed the same channels",
        ),
        ([], {}, "at least one"),
    ],
)
def test_bad_groupings_are_rejected(groups, kwargs, match):
    with pytest.raises(vb.ValidationError, match=match):
        vb.models.heterogeneous(groups, **kwargs)
