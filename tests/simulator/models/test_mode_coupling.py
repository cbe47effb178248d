"""Models with several modes coupled through mode constants and mode sums."""

import numpy as np
import pytest

import vbrain as vb
from vbrain.config import Attr, Parameter, ParamValue
from vbrain.simulator.models import Model, StateVariable


class ThreeModes(Model):
    """dx_i = -x_i + K (sum_k x_k M_ki) + w_i y_i + (sum_k c_0k),  dy_i = -y_i + x_i^2 / 3."""

    n_mode = 3
    state_variables = {"x": StateVariable(range=(-1.0, 1.0)), "y": StateVariable(range=(0.0, 1.0))}
    coupling_variables = ("x",)
    variables_of_interest: tuple[str, ...] = Attr(("x", "y"))
    mode_constants = ("w", "M")
    mode_sums = {"xM": ("x", "M"), "c_total": ("c_0", None)}
    K: ParamValue = Parameter(0.3)
    s: ParamValue = Parameter(0.5)

    def compute_mode_constants(self):
        w = np.array([1.0, -0.5, 0.25]) * self.s
        M = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, -1.0], [0.5, -1.0, 0.0]])
        return {"w": w, "M": M}

    @staticmethod
    def dfun(x, y, xM, c_total, w, K):
        return -x + K * xM + w * y + c_total, -y + x * x / 3.0


def test_numpy_derivative_matches_a_hand_formula():
    model = ThreeModes()
    rng = np.random.default_rng(1)
    state = rng.uniform(-1, 1, (2, 4, 3))
    coupling = rng.uniform(-1, 1, (1, 4, 3))
    consts = model.compute_mode_constants()
    x, y = state
    expected_x = -x + 0.3 * (x @ consts["M"]) + consts["w"] * y + coupling[0].sum(1, keepdims=True)
    np.testing.assert_allclose(model.derivative(state, coupling)[0], expected_x, rtol=1e-13)
    np.testing.assert_allclose(model.derivative(state, coupling)[1], -y + x * x / 3.0)


def test_mode_constant_matrix_layout():
    matrix, layout = ThreeModes().mode_constant_matrix()
    assert layout == {"w": (0, False), "M": (1, True)}
    assert matrix.shape == (4, 3)


@pytest.mark.parametrize("scheme", ["Euler", "Heun", "RK4"])
def test_backends_agree_for_mode_coupled_models(scheme):
    rng = np.random.default_rng(2)
    n = 5
    weights = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    conn = vb.Connectivity(weights=weights, tract_lengths=rng.uniform(1, 10, (n, n)))
    integrator = vb.integrators.get(scheme)(dt=0.05, noise=vb.noise.Additive(nsig=1e-4))
    kw = dict(
        model=ThreeModes(K=[0.1, 0.2, 0.3, 0.4, 0.5]),
        coupling=vb.coupling.Linear(a=0.05),
        integrator=integrator,
        monitors=[vb.monitors.Raw(), vb.monitors.TemporalAverage(period=0.5)],
        duration=20.0,
        seed=5,
    )
    a = vb.simulate(conn, backend="numpy", **kw)
    b = vb.simulate(conn, backend="numba", **kw)
    assert a[0].data.shape == (400, 2, n, 3)
    for ra, rb in zip(a, b, strict=True):
        np.testing.assert_array_equal(ra.data, rb.data)


def test_heun_recompute_with_modes():
    conn = vb.Connectivity(weights=np.ones((3, 3)), tract_lengths=np.zeros((3, 3)))
    kw = dict(
        model=ThreeModes(),
        coupling=vb.coupling.Linear(a=0.1),
        integrator=vb.integrators.Heun(dt=0.05, recompute_coupling=True),
        monitors=[vb.monitors.Raw()],
        duration=5.0,
        seed=1,
    )
    np.testing.assert_array_equal(
        vb.simulate(conn, backend="numpy", **kw)[0].data,
        vb.simulate(conn, backend="numba", **kw)[0].data,
    )


def test_bad_mode_declarations_are_rejected():
    with pytest.raises(vb.ValidationError, match="not one of the mode_constants"):

        class Bad(Model):  # noqa: F841 - the class statement is the test
            n_mode = 2
            state_variables = {"x": StateVariable(range=(-1.0, 1.0))}
            coupling_variables = ("x",)
            variables_of_interest: tuple[str, ...] = Attr(("x",))
            mode_sums = {"xs": ("x", "Q")}

            @staticmethod
            def dfun(x, xs):
                return (-x + xs,)
