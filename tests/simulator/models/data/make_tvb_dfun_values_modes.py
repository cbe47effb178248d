"""Regenerate ``tvb_dfun_values_modes.json``: golden values for the three-mode reduced sets and
Liley–Steyn-Ross.

Same approach and format as ``make_tvb_dfun_values.py`` (read its docstring; it needs
``tvb-library==2.10.0`` in a throwaway environment).  LileySteynRoss lives in tvb-contrib,
which is added to the same environment without its extra dependencies::

    /tmp/tvbenv/bin/pip install --no-deps tvb-contrib==2.11.0
    /tmp/tvbenv/bin/python tests/simulator/models/data/make_tvb_dfun_values_modes.py

Differences from the first generator:

- states and couplings of ReducedSetFitzHughNagumo / ReducedSetHindmarshRose have three modes,
  ``(n_var, n_node, 3)`` and ``(n_cvar, n_node, 3)``, every mode drawn independently;
- every case also records the reference's derived coefficients (``Aik``, ``e_i``, ...) after
  ``configure()``, vectors flattened to their three modes;
- the override ``corrected_d_p`` of ReducedSetHindmarshRose is not a trait of the reference:
  it re-runs ``update_derived_parameters(corrected_d_p=...)`` after ``configure()``.

The tests never run this script; they only read the JSON it writes next to it.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
from tvb.basic.neotraits.api import NArray
from tvb.contrib.simulator.models.liley_steynross import LileySteynRoss
from tvb.simulator import models as tvb_models

sys.path.insert(0, str(Path(__file__).parent))
from make_tvb_dfun_values import _bound, _derivative, _tolist  # noqa: E402

OUT = Path(__file__).with_name("tvb_dfun_values_modes.json")
N_NODE = 4
N_STATES = 3
SEED = 20240613

CLASSES = {
    "ReducedSetFitzHughNagumo": tvb_models.ReducedSetFitzHughNagumo,
    "ReducedSetHindmarshRose": tvb_models.ReducedSetHindmarshRose,
    "LileySteynRoss": LileySteynRoss,
}

# model name -> list of (parameter overrides, local_coupling)
CASES: dict[str, list[tuple[dict, float]]] = {
    "ReducedSetFitzHughNagumo": [
        ({}, 0.0),
        ({}, 0.3),
        ({"tau": 2.0, "a": 0.6, "b": 0.7, "K11": 0.8, "K12": 0.3, "K21": 0.4}, 0.0),
        ({"mu": 0.4, "sigma": 0.6}, 0.0),
        ({"mu": 0.2, "sigma": 0.15, "a": 0.3}, 0.2),
    ],
    "ReducedSetHindmarshRose": [
        ({}, 0.0),
        ({}, 0.3),
        ({"corrected_d_p": False}, 0.0),
        ({"r": 0.02, "a": 0.8, "b": 2.5, "c": 0.7, "d": 4.0, "s": 3.0, "xo": -2.0}, 0.0),
        ({"mu": 2.2, "sigma": 0.5, "K11": 0.8, "K12": 0.3, "K21": 0.4}, 0.0),
        ({"mu": 1.5, "sigma": 0.2, "corrected_d_p": False}, 0.2),
    ],
    "LileySteynRoss": [
        ({}, 0.0),
        ({"lambd": 1.5, "gamma_i": 0.03, "p_ee": 1.5}, 0.0),
        ({"tau_e": 20.0, "tau_i": 30.0, "h_e_rest": -65.0, "h_i_rev": -80.0, "g_e": 0.5}, 0.0),
        ({"N_a_ee": 3500.0, "N_b_ie": 520.0, "theta_i": -55.0, "G_i": 0.3}, 0.0),
    ],
}

DERIVED = {
    "ReducedSetFitzHughNagumo": ("Aik", "Bik", "Cik", "e_i", "f_i", "IE_i", "II_i", "m_i", "n_i"),
    "ReducedSetHindmarshRose": (
        "A_ik",
        "B_ik",
        "C_ik",
        "a_i",
        "b_i",
        "c_i",
        "d_i",
        "e_i",
        "f_i",
        "h_i",
        "p_i",
        "IE_i",
        "II_i",
        "m_i",
        "n_i",
    ),
}


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


def _configured(cls, overrides: dict):
    corrected = overrides.get("corrected_d_p")
    kwargs = {k: np.array([v]) for k, v in overrides.items() if k != "corrected_d_p"}
    model = cls(**kwargs)
    model.configure()
    if corrected is not None:
        model.update_derived_parameters(corrected_d_p=corrected)
    return model


def _derived(name: str, model) -> dict:
    out = {}
    for key in DERIVED.get(name, ()):
        value = np.asarray(getattr(model, key), dtype=float)
        out[key] = (value.reshape(-1) if value.shape in ((1, 3), (3, 1)) else value).tolist()
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    out: dict = {
        "source": "tvb-library 2.10.0, tvb-contrib 2.11.0 (LileySteynRoss)",
        "generator": "tests/simulator/models/data/make_tvb_dfun_values_modes.py",
        "models": {},
    }
    for name, cases in CASES.items():
        cls = CLASSES[name]
        decl = _declarations(cls)
        n_mode = int(cls.number_of_modes)
        entries = []
        for overrides, local_coupling in cases:
            model = _configured(cls, overrides)
            n_cvar = len(model.cvar)
            derived = _derived(name, model)
            for _ in range(N_STATES):
                state = np.empty((len(decl["state_variables"]), N_NODE, n_mode))
                for i, sv in enumerate(decl["state_variables"]):
                    lo, hi = decl["state_variable_range"][sv]
                    state[i] = rng.uniform(lo, hi, (N_NODE, n_mode))
                coupling = rng.uniform(-0.5, 0.5, (n_cvar, N_NODE, n_mode))
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
                        "derived": derived,
                    }
                )
        out["models"][name] = {**decl, "number_of_modes": n_mode, "cases": entries}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
