"""Vector (fixed-length, not per-node) parameters reach dfun as tuples in both backends."""

import numpy as np
import pytest

import vbrain as vb
from vbrain.config import Attr, Parameter, ParamValue, VectorParameter
from vbrain.simulator.models import Model, StateVariable


class Poly(Model):
    """dx = P0 + P1 x + P2 x^2 + c_0 (a polynomial with vector coefficients)."""

    state_variables = {"x": StateVariable(range=(-0.5, 0.5))}
    coupling_variables = ("x",)
    variables_of_interest: tuple[str, ...] = Attr(("x",))
    P: tuple[float, ...] = VectorParameter((0.1, -1.0, -0.5), doc="coefficients")
    k: ParamValue = Parameter(1.0)

    @staticmethod
    def dfun(x, c_0, P, k):
        return (k * (P[0] + P[1] * x + P[2] * x * x) + c_0,)


def test_layout_and_matrix():
    model = Poly(P=(1.0, 2.0, 3.0), k=[1.0, 2.0])
    assert Poly.parameter_layout() == {"P": (0, 3), "k": (3, 0)}
    np.testing.assert_array_equal(
        model.parameter_matrix(2), [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [1.0, 2.0]]
    )


def test_derivative_uses_the_components():
    model = Poly(P=(1.0, 2.0, 3.0))
    x = np.array(
        [
            [[0.5]],
        ]
    )
    np.testing.assert_allclose(model.derivative(x)[0, 0, 0], 1.0 + 1.0 + 0.75)


def test_wrong_length_is_rejected():
    with pytest.raises(vb.ValidationError, match="needs 3 values, got 2"):
        Poly(P=(1.0, 2.0))


def test_backends_agree_with_vector_parameters():
    conn = vb.Connectivity(weights=np.ones((3, 3)) - np.eye(3), tract_lengths=np.full((3, 3), 2.0))
    kw = dict(
        model=Poly(P=(0.2, -2.0, -0.3), k=[1.0, 0.5, 2.0]),
        coupling=vb.coupling.Linear(a=0.1),
        integrator=vb.integrators.Heun(dt=0.05),
        monitors=[vb.monitors.Raw()],
        duration=10.0,
        seed=4,
    )
    a = vb.simulate(conn, backend="numpy", **kw)[0].data
    b = vb.simulate(conn, backend="numba", **kw)[0].data
    np.testing.assert_array_equal(a, b)
    # the fixed point of an isolated node with k = 1: 0.2 - 2 x - 0.3 x^2 = 0
    assert np.all(np.isfinite(a))
