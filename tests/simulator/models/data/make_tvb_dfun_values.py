"""Regenerate ``tvb_dfun_values.json``: golden dfun values and declarations from TVB.

Needs the reference system, ``tvb-library==2.10.0`` (and its numpy/numba/scipy dependencies),
which vbrain itself does not depend on.  Use a throwaway virtual environment outside the repo::

    python -m venv /tmp/tvbenv
    /tmp/tvbenv/bin/pip install tvb-library==2.10.0
    /tmp/tvbenv/bin/python tests/simulator/models/data/make_tvb_dfun_values.py

The tests never run this script; they only read the JSON it writes next to it.

For every model the JSON holds the reference's declarations (state variables, coupling
variables, state ranges and boundaries, default variables of interest, parameter defaults and
domains) and a list of cases.  A case is a parameter override (``{}`` = defaults), a state
``(n_var, n_node, 1)`` drawn uniformly within the state ranges (seeded), a coupling array
``(n_cvar, n_node, 1)`` in TVB's layout, a scalar ``local_coupling`` and TVB's derivative.  The
derivative comes from the model's ``_numpy_dfun`` when it has one (checked against its numba
``dfun``), else from ``dfun``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
from tvb.basic.neotraits.api import NArray
from tvb.simulator import models as tvb_models

OUT = Path(__file__).with_name("tvb_dfun_values.json")
N_NODE = 4
N_STATES = 3
SEED = 20240611

# model name -> list of (parameter overrides, local_coupling)
CASES: dict[str, list[tuple[dict, float]]] = {
    "Generic2dOscillator": [({}, 0.0), ({}, 0.3), ({"tau": 2.0, "c": 0.5}, 0.0)],
    "JansenRit": [({}, 0.0), ({}, 0.3), ({"mu": 0.1, "J": 200.0}, 0.0)],
    "Kuramoto": [({}, 0.0), ({}, 0.3), ({"omega": 2.5}, 0.0)],
    "SupHopf": [({}, 0.0), ({}, 0.3), ({"a": 0.7, "omega": 3.0}, 0.0)],
    "WilsonCowan": [({}, 0.0), ({}, 0.3), ({"shift_sigmoid": False, "P": 1.5}, 0.0)],
    "ReducedWongWang": [({}, 0.0), ({}, 0.3), ({"w": 0.9, "I_o": 0.2}, 0.0)],
    "ReducedWongWangExcInh": [({}, 0.0), ({}, 0.3), ({"lamda": 0.5, "I_ext": 0.1}, 0.0)],
    "Linear": [({}, 0.0), ({}, 0.3), ({"gamma": -3.0}, 0.0)],
    "MontbrioPazoRoxin": [({}, 0.0), ({"cv": 0.7, "I": 1.0, "tau": 2.0}, 0.0)],
    "Epileptor": [
        ({}, 0.0),
        ({}, 0.3),
        ({"modification": True, "Kvf": 0.5, "Kf": 1.0, "Ks": -0.5, "tt": 2.0}, 0.0),
        ({"slope": 1.0, "Iext2": 0.2, "x0": -2.2}, 0.0),
    ],
}


def _tolist(value):
    arr = np.asarray(value)
    if arr.dtype == bool:
        arr = arr.astype(float)
    return arr.tolist()


def _bound(x) -> float | None:
    """A boundary value; TVB turns an infinite (open) side into the largest float."""
    return None if abs(x) >= np.finfo(float).max else float(x)


def _declarations(cls) -> dict:
    model = cls()
    model.configure()
    params = {}
    for name in cls.declarative_attrs:
        attr = getattr(cls, name)
        if not isinstance(attr, NArray):
            continue
        domain = None if attr.domain is None else [float(attr.domain.lo), float(attr.domain.hi)]
        params[name] = {"default": _tolist(getattr(model, name)), "domain": domain}
    bounds = model.state_variable_boundaries
    svars = list(model.state_variables)
    return {
        "state_variables": svars,
        "coupling_variables": [svars[i] for i in model.cvar],
        "stimulus_variables": [svars[i] for i in model.stvar],
        "state_variable_range": {k: _tolist(v) for k, v in model.state_variable_range.items()},
        "state_variable_boundaries": (
            None if bounds is None else {k: [_bound(x) for x in v] for k, v in bounds.items()}
        ),
        "variables_of_interest": list(model.variables_of_interest),
        "parameters": params,
    }


def _derivative(model, state, coupling, local_coupling) -> np.ndarray:
    if hasattr(model, "_numpy_dfun"):
        out = np.asarray(model._numpy_dfun(state, coupling, local_coupling), dtype=float)
        other = np.asarray(model.dfun(state, coupling, local_coupling), dtype=float)
        np.testing.assert_allclose(other, out, rtol=1e-12, atol=1e-300)
        return out
    return np.array(model.dfun(state, coupling, local_coupling), dtype=float)


def main() -> None:
    rng = np.random.default_rng(SEED)
    out: dict = {
        "source": "tvb-library 2.10.0",
        "generator": "tests/simulator/models/data/make_tvb_dfun_values.py",
        "models": {},
    }
    for name, cases in CASES.items():
        cls = getattr(tvb_models, name)
        decl = _declarations(cls)
        n_cvar = len(decl["coupling_variables"])
        entries = []
        for overrides, local_coupling in cases:
            kwargs = {k: np.array([v]) for k, v in overrides.items()}
            model = cls(**kwargs)
            model.configure()
            for _ in range(N_STATES):
                state = np.empty((len(decl["state_variables"]), N_NODE, 1))
                for i, sv in enumerate(decl["state_variables"]):
                    lo, hi = decl["state_variable_range"][sv]
                    state[i, :, 0] = rng.uniform(lo, hi, N_NODE)
                coupling = rng.uniform(-0.5, 0.5, (n_cvar, N_NODE, 1))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    deriv = _derivative(model, state, coupling, local_coupling)
                entries.append(
                    {
                        "parameters": {k: _tolist(v) for k, v in overrides.items()},
                        "local_coupling": local_coupling,
                        "state": state.tolist(),
                        "coupling": coupling.tolist(),
                        "derivative": deriv.tolist(),
                    }
                )
        out["models"][name] = {**decl, "cases": entries}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
