"""Checks shared by the model test files: compiled scalar dfun, declarations vs the reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vbrain.simulator.backends._codegen import scalar_dfun


def compiled_derivative(
    cls: type,
    state: np.ndarray,
    coupling: np.ndarray,
    local: np.ndarray,
    params: np.ndarray,
) -> np.ndarray:
    """Derivative from the numba-compiled scalar ``dfun``, node by node (first mode).

    ``state`` ``(n_var, n_node, 1)``, ``coupling``/``local`` ``(n, n_node, 1)``, ``params`` the
    model's ``parameter_matrix``; vector parameters are passed as tuples.
    """
    fn = scalar_dfun(cls)
    names = cls.state_names()
    layout = cls.parameter_layout()
    out = np.empty_like(state)
    for node in range(state.shape[1]):
        args: list[Any] = []
        for arg in cls.dfun_arguments():
            if arg in names:
                args.append(float(state[names.index(arg), node, 0]))
            elif arg in layout:
                start, length = layout[arg]
                if length:
                    args.append(tuple(float(params[start + j, node]) for j in range(length)))
                else:
                    args.append(float(params[start, node]))
            elif arg.startswith("lc_"):
                args.append(float(local[int(arg[3:]), node, 0]))
            else:
                args.append(float(coupling[int(arg[2:]), node, 0]))
        out[:, node, 0] = fn(*args)
    return out


def assert_declarations_match(cls: type, ref: dict[str, Any]) -> None:
    """State variables, coupling/stimulus variables, VOIs, ranges, bounds and parameter
    defaults and domains of ``cls`` equal the reference's recorded declarations."""
    model = cls()
    assert list(cls.state_names()) == ref["state_variables"]
    assert list(cls.coupling_variables) == ref["coupling_variables"]
    assert [cls.state_names()[i] for i in cls.stvar()] == ref["stimulus_variables"]
    assert list(model.variables_of_interest) == ref["variables_of_interest"]
    for sv, decl in cls.state_variables.items():
        assert list(decl.range) == pytest.approx(ref["state_variable_range"][sv], rel=1e-15)
        ref_bounds = (ref["state_variable_boundaries"] or {}).get(sv)
        assert (None if decl.bounds is None else list(decl.bounds)) == ref_bounds
    ref_params = ref["parameters"]
    assert set(cls.parameter_names()) == set(ref_params)
    schema = cls.model_fields
    for pname, pref in ref_params.items():
        assert getattr(model, pname) == pytest.approx(pref["default"][0], rel=1e-15), pname
        extra = schema[pname].json_schema_extra or {}
        assert extra.get("range") == pref["domain"], pname
