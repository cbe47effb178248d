"""Phase-plane analysis: vector field, nullclines, fixed points and stability, trajectories."""

import numpy as np
import pytest

import vbrain as vb
from vbrain.config import Attr, Parameter, ParamValue
from vbrain.simulator import phase_plane as pp
from vbrain.simulator.models import Model, StateVariable


class LinearPlane(Model):
    """dx = a x + b y + c_0, dy = cc x + d y: a linear system with known answers."""

    state_variables = {"x": StateVariable(range=(-2.0, 2.0)), "y": StateVariable(range=(-2.0, 2.0))}
    coupling_variables = ("x",)
    variables_of_interest: tuple[str, ...] = Attr(("x",))
    a: ParamValue = Parameter(-1.0)
    b: ParamValue = Parameter(2.0)
    cc: ParamValue = Parameter(-2.0)
    d: ParamValue = Parameter(-1.0)

    @staticmethod
    def dfun(x, y, c_0, a, b, cc, d):
        return a * x + b * y + c_0, cc * x + d * y


def test_vector_field_equals_dfun_on_the_grid():
    model = LinearPlane()
    plane = pp.compute_phase_plane(model, n_grid=11)
    gx, gy = np.meshgrid(plane.x, plane.y)
    np.testing.assert_allclose(plane.dx, -gx + 2 * gy, atol=1e-14)
    np.testing.assert_allclose(plane.dy, -2 * gx - gy, atol=1e-14)
    assert plane.x[0] == -2.0 and plane.x[-1] == 2.0


def test_nullclines_are_the_analytic_lines():
    plane = pp.compute_phase_plane(LinearPlane(), n_grid=21)
    assert len(plane.x_nullcline) == 1 and len(plane.y_nullcline) == 1
    xn, yn = plane.x_nullcline[0], plane.y_nullcline[0]
    np.testing.assert_allclose(xn[:, 1], xn[:, 0] / 2, atol=1e-12)  # -x + 2y = 0
    np.testing.assert_allclose(yn[:, 1], -2 * yn[:, 0], atol=1e-12)  # -2x - y = 0
    # the lines span the plotted window
    assert np.ptp(xn[:, 0]) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("params", "coupling", "expected", "stability"),
    [
        ({}, None, [0.0, 0.0], "stable focus"),  # eigenvalues -1 ± 2i
        ({"a": 1.0, "d": 1.0}, None, [0.0, 0.0], "unstable focus"),
        ({"a": 1.0, "b": 0.0, "cc": 0.0, "d": -1.0}, None, [0.0, 0.0], "saddle"),
        ({"a": -1.0, "b": 0.0, "cc": 0.0, "d": -2.0}, [0.5], [0.5, 0.0], "stable node"),
    ],
)
def test_fixed_point_and_stability(params, coupling, expected, stability):
    model = LinearPlane(**params)
    points = pp.compute_fixed_points(model, coupling=coupling)
    assert len(points) == 1
    np.testing.assert_allclose(points[0].state, expected, atol=1e-9)
    assert points[0].stability == stability
    jac = np.array([[model.a, model.b], [model.cc, model.d]])
    np.testing.assert_allclose(
        np.sort_complex(points[0].eigenvalues), np.sort_complex(np.linalg.eigvals(jac)), atol=1e-6
    )


def test_suphopf_changes_stability_across_the_hopf_bifurcation():
    below = pp.compute_fixed_points(vb.models.SupHopf(a=-0.5))
    above = pp.compute_fixed_points(vb.models.SupHopf(a=0.5))
    assert [p.stability for p in below] == ["stable focus"]
    assert [p.stability for p in above] == ["unstable focus"]
    np.testing.assert_allclose(below[0].eigenvalues.real, [-0.5, -0.5], atol=1e-6)


def test_g2d_fixed_point_lies_on_both_nullclines():
    model = vb.models.Generic2dOscillator()
    plane = pp.compute_phase_plane(model)
    (fp,) = plane.fixed_points
    d = model.derivative(fp.state.reshape(2, 1, 1))
    assert np.max(np.abs(d)) < 1e-10
    # W-nullcline of the defaults: W = (a + b V) / beta
    v = plane.y_nullcline[0]
    np.testing.assert_allclose(v[:, 1], -2.0 - 10.0 * v[:, 0], atol=1e-9)


def test_one_dimensional_model_has_fixed_points_but_no_plane():
    points = pp.compute_fixed_points(vb.models.Linear(gamma=-4.0), coupling=[2.0])
    np.testing.assert_allclose(points[0].state, [0.5])
    assert points[0].stability == "stable node"
    with pytest.raises(vb.ValidationError, match="one state variable"):
        pp.compute_phase_plane(vb.models.Linear())


def test_trajectory_follows_the_analytic_solution():
    t, states = pp.compute_trajectory(
        vb.models.Linear(gamma=-2.0),
        [1.0],
        duration=1.0,
        integrator=vb.integrators.RK4(dt=0.01),
        coupling=[1.0],
    )
    exact = 0.5 + 0.5 * np.exp(-2.0 * t)  # dx = -2x + 1
    np.testing.assert_allclose(states[:, 0], exact, rtol=1e-8)
    assert t[0] == 0.0 and t[-1] == pytest.approx(1.0)


def test_trajectory_respects_bounds_and_noise_seed():
    model = vb.models.ReducedWongWang()
    integ = vb.integrators.Heun(dt=0.1, noise=vb.noise.Additive(nsig=0.5))
    _, a = pp.compute_trajectory(model, [0.5], duration=20.0, integrator=integ, seed=1)
    _, b = pp.compute_trajectory(model, [0.5], duration=20.0, integrator=integ, seed=1)
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 0.0 and a.max() <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": "Q"}, "not a state variable"),
        ({"x": "V", "y": "V"}, "must be different"),
        ({"n_grid": 2}, "n_grid must be >= 3"),
        ({"state": {"Z": 1.0}}, "not a state variable"),
    ],
)
def test_bad_phase_plane_requests(kwargs, match):
    with pytest.raises(vb.ValidationError, match=match):
        pp.compute_phase_plane(vb.models.Generic2dOscillator(), **kwargs)
