"""Regenerate ``tvb_dfun_values_batch_b.json``: golden dfun values and declarations from TVB.

Covers the second batch of library models (Coombes–Byrne, Gast–Schmidt–Knösche,
Dumont–Gutkin, Zetterberg–Jansen, KIonEx).  Needs the reference system,
``tvb-library==2.10.0``, in a throwaway virtual environment outside the repo::

    python -m venv /tmp/tvbenv
    /tmp/tvbenv/bin/pip install tvb-library==2.10.0
    /tmp/tvbenv/bin/python tests/simulator/models/data/make_tvb_dfun_values_batch_b.py

The tests never run this script; they only read the JSON it writes next to it.  The JSON has
the layout of ``tvb_dfun_values.json`` (see ``make_tvb_dfun_values.py``).  States are drawn
uniformly within the reference's state ranges; a node whose derivative is not finite (KIonEx
needs a positive extracellular potassium concentration, which parts of its state ranges
violate) is redrawn.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
from tvb.basic.neotraits.api import NArray
from tvb.simulator import models as tvb_models

OUT = Path(__file__).with_name("tvb_dfun_values_batch_b.json")
N_NODE = 4
N_STATES = 3
SEED = 20240917

# model name -> list of (parameter overrides, local_coupling)
CASES: dict[str, list[tuple[dict, float]]] = {
    "CoombesByrne": [
        ({}, 0.0),
        ({}, 0.3),
        ({"Delta": 1.5, "alpha": 2.0, "v_syn": -5.0, "k": 2.0, "eta": 5.0}, 0.0),
    ],
    "CoombesByrne2D": [
        ({}, 0.0),
        ({"Delta": 0.5, "v_syn": -8.0, "k": 2.5, "eta": -1.0}, 0.0),
    ],
    "GastSchmidtKnosche_SD": [
        ({}, 0.0),
        ({"tau": 2.0, "tau_A": 5.0, "alpha": 0.8, "I": 1.0, "J": 10.0, "cv": 0.5}, 0.0),
    ],
    "GastSchmidtKnosche_SF": [
        ({}, 0.0),
        ({"tau": 1.5, "tau_A": 3.0, "alpha": 0.4, "eta": -2.0, "cr": 0.3, "cv": 0.7}, 0.0),
    ],
    "DumontGutkin": [
        ({}, 0.0),
        (
            {
                "J_ee": 5.0,
                "J_ie": 3.0,
                "tau_e": 5.0,
                "tau_i": 8.0,
                "tau_s": 2.0,
                "Gamma": 2.0,
                "I_e": 0.5,
                "I_i": -0.5,
                "Delta_i": 2.0,
            },
            0.0,
        ),
    ],
    "ZetterbergJansen": [
        ({}, 0.0),
        ({}, 0.3),
        (
            {"He": 5.0, "ke": 0.12, "ki": 0.06, "P": 0.2, "gamma_1T": 10.0, "rho_2": 5.0},
            0.0,
        ),
    ],
    "KIonEx": [
        ({}, 0.0),
        ({"E": -10.0, "K_bath": 8.0, "J": 2.0, "eta": 1.0, "Vstar": -35.0}, 0.0),
        ({"R_plus": -1.0, "c_plus": -10.0, "Cm": 1.2, "tau_n": 3.0, "epsilon": 0.0012}, 0.0),
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.array(model.dfun(state, coupling, local_coupling), dtype=float)


def _draw(rng, decl, n_cvar, model, local_coupling):
    """A state and coupling with a finite derivative at every node (bad nodes redrawn)."""
    svars = decl["state_variables"]
    state = np.empty((len(svars), N_NODE, 1))
    coupling = np.empty((n_cvar, N_NODE, 1))
    todo = np.ones(N_NODE, bool)
    for _ in range(100):
        k = int(todo.sum())
        for i, sv in enumerate(svars):
            lo, hi = decl["state_variable_range"][sv]
            state[i, todo, 0] = rng.uniform(lo, hi, k)
        coupling[:, todo, 0] = rng.uniform(-0.5, 0.5, (n_cvar, k))
        deriv = _derivative(model, state, coupling, local_coupling)
        todo = ~np.all(np.isfinite(deriv), axis=(0, 2))
        if not todo.any():
            return state, coupling, deriv
    raise RuntimeError("could not draw a state with a finite derivative")


def main() -> None:
    rng = np.random.default_rng(SEED)
    out: dict = {
        "source": "tvb-library 2.10.0",
        "generator": "tests/simulator/models/data/make_tvb_dfun_values_batch_b.py",
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
                state, coupling, deriv = _draw(rng, decl, n_cvar, model, local_coupling)
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
