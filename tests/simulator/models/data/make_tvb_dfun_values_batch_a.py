"""Regenerate ``tvb_dfun_values_batch_a.json``: golden values for the second batch of models.

Same approach and format as ``make_tvb_dfun_values.py`` (read its docstring; it needs
``tvb-library==2.10.0`` in a throwaway environment), for Epileptor2D, EpileptorRestingState,
EpileptorCodim3, EpileptorCodim3SlowMod, Hopfield, LarterBreakspear and DecoBalancedExcInh::

    /tmp/tvbenv/bin/python tests/simulator/models/data/make_tvb_dfun_values_batch_a.py

Differences from the first generator:

- a case may widen the ranges the states are drawn from (``state_range``), to reach branches
  the default ranges never visit (the Codim3 models' other resting-state branches and their
  slow modulation variables, whose default range is the single point 0);
- the coupling array of a case has as many terms as the *configured* reference model couples
  (Hopfield couples ``theta`` too when ``dynamic`` is on);
- a model may record the declarations of a configured variant (``variants``), e.g. Hopfield's
  coupling variables with ``dynamic=1``.

The tests never run this script; they only read the JSON it writes next to it.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
from tvb.basic.neotraits.api import NArray
from tvb.simulator import models as tvb_models

sys.path.insert(0, str(Path(__file__).parent))
from make_tvb_dfun_values import _bound, _derivative, _tolist  # noqa: E402

OUT = Path(__file__).with_name("tvb_dfun_values_batch_a.json")
N_NODE = 4
N_STATES = 3
SEED = 20240612

WIDE_CODIM3 = {"x": [-1.0, 1.0], "y": [-0.5, 0.5], "z": [0.0, 1.5]}
WIDE_SLOWMOD = {**WIDE_CODIM3, "uA": [0.0, 1.0], "uB": [0.0, 1.0]}
# a path along which mu2 < 0, where the discriminant of the resting-state cubic is positive
NEG_MU2 = {"mu2_start": -0.2, "mu2_stop": -0.1, "mu1_start": 0.1, "mu1_stop": -0.1}

# model name -> list of (parameter overrides, local_coupling, state range overrides)
CASES: dict[str, list[tuple[dict, float, dict]]] = {
    "Epileptor2D": [
        ({}, 0.0, {}),
        ({}, 0.3, {}),
        ({"modification": True, "Kvf": 0.5, "Ks": -0.5, "tt": 0.5}, 0.0, {}),
        ({"slope": 1.0, "x0": -2.2, "Iext": 2.0, "r": 0.0008}, 0.0, {}),
    ],
    "EpileptorRestingState": [
        ({}, 0.0, {}),
        ({}, 0.3, {}),
        (
            {"Kvf": 0.5, "Kf": 1.0, "Ks": -0.5, "tt": 2.0, "K_rs": 2.0, "gamma_rs": 0.5},
            0.0,
            {},
        ),
        ({"slope": 1.0, "p": 0.5, "I_rs": 1.0, "tau_rs": 2.0, "x0": -2.2}, 0.0, {}),
        ({}, 0.0, {"x1": [-2.0, 1.0], "x2": [-2.0, 0.0], "z": [-0.5, 5.0]}),
    ],
    "EpileptorCodim3": [
        ({}, 0.0, {}),
        ({"modification": False, "Ks": 0.5, "c": 0.005, "dstar": -0.05}, 0.0, {}),
        ({}, 0.0, WIDE_CODIM3),
        ({"N": 2}, 0.0, WIDE_CODIM3),
        ({"N": 3}, 0.0, WIDE_CODIM3),
        ({**NEG_MU2, "R": 0.6, "b": -1.0}, 0.0, WIDE_CODIM3),
        ({**NEG_MU2, "N": 2}, 0.0, WIDE_CODIM3),
        ({**NEG_MU2, "N": 3, "nu_stop": -0.3}, 0.0, WIDE_CODIM3),
    ],
    "EpileptorCodim3SlowMod": [
        ({}, 0.0, {}),
        ({}, 0.0, WIDE_SLOWMOD),
        ({"modification": False, "Ks": 0.5, "cA": 0.0005, "cB": 0.0002}, 0.0, WIDE_SLOWMOD),
        ({"N": 2, "R": 0.6}, 0.0, WIDE_SLOWMOD),
        ({"N": 3, "b": -1.0}, 0.0, WIDE_SLOWMOD),
    ],
    "Hopfield": [
        ({}, 0.0, {}),
        ({"taux": 2.0}, 0.3, {}),
        ({"dynamic": 1}, 0.0, {}),
        ({"dynamic": 1, "taux": 0.5, "tauT": 2.0}, 0.3, {}),
    ],
    "LarterBreakspear": [
        ({}, 0.0, {}),
        # reference adds local_coupling * Q_V (not * V): see the test
        ({}, 0.3, {}),
        (
            {"C": 0.3, "d_V": 0.6, "aee": 0.5, "aie": 0.5, "gNa": 0.0, "Iext": 0.165},
            0.0,
            {},
        ),
        ({"t_scale": 0.5, "tau_K": 3.0, "QV_max": 0.5, "QZ_max": 0.7, "VT": 0.2}, 0.0, {}),
    ],
    "DecoBalancedExcInh": [
        ({}, 0.0, {}),
        ({}, 0.3, {}),
        ({"M_i": 3.0, "lamda": 0.5, "I_ext": 0.1}, 0.0, {}),
        ({"M_i": 1.5, "G": 1.0, "J_i": 1.3}, 0.0, {}),
    ],
}

# model name -> {variant name: parameter overrides}: declarations of configured variants
VARIANTS = {"Hopfield": {"dynamic": {"dynamic": 1}}}


def _declarations(cls, overrides: dict | None = None) -> dict:
    model = cls(**{k: np.array([v]) for k, v in (overrides or {}).items()})
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


def main() -> None:
    rng = np.random.default_rng(SEED)
    out: dict = {
        "source": "tvb-library 2.10.0",
        "generator": "tests/simulator/models/data/make_tvb_dfun_values_batch_a.py",
        "models": {},
    }
    for name, cases in CASES.items():
        cls = getattr(tvb_models, name)
        decl = _declarations(cls)
        variants = {
            vname: _declarations(cls, vover) for vname, vover in VARIANTS.get(name, {}).items()
        }
        entries = []
        for overrides, local_coupling, ranges in cases:
            kwargs = {k: np.array([v]) for k, v in overrides.items()}
            model = cls(**kwargs)
            model.configure()
            n_cvar = len(model.cvar)
            for _ in range(N_STATES):
                state = np.empty((len(decl["state_variables"]), N_NODE, 1))
                for i, sv in enumerate(decl["state_variables"]):
                    lo, hi = ranges.get(sv, decl["state_variable_range"][sv])
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
        out["models"][name] = {**decl, "variants": variants, "cases": entries}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
