"""Regenerate ``tvb_dfun_values_zerlaut.json``: golden values of the Zerlaut AdEx mean fields.

Same approach and format as ``make_tvb_dfun_values.py`` (read its docstring; it needs
``tvb-library==2.10.0`` in a throwaway environment), for ZerlautAdaptationFirstOrder and
ZerlautAdaptationSecondOrder::

    /tmp/tvbenv/bin/python tests/simulator/models/data/make_tvb_dfun_values_zerlaut.py

Differences from the first generator:

- a case may override the ranges the states are drawn from (``state_range``): the reference's
  range of ``W_i`` and ``ou_drift`` is the single point 0, so ``weight_noise`` and the
  inhibitory adaptation would otherwise never act;
- a case sets the range of the long-range coupling term (``coupling_range``, a rate in kHz):
  negative values reach the branch that clips a negative external rate to 0;
- parameter overrides may be vectors (the threshold polynomials ``P_e``, ``P_i``).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
from tvb.simulator import models as tvb_models

sys.path.insert(0, str(Path(__file__).parent))
from make_tvb_dfun_values import _declarations, _derivative, _tolist  # noqa: E402

OUT = Path(__file__).with_name("tvb_dfun_values_zerlaut.json")
N_NODE = 4
N_STATES = 3
SEED = 20240613

WIDE = {"W_i": [0.0, 30.0], "ou_drift": [-0.005, 0.005]}
ADAPT_I = {
    "a_i": 2.0,
    "b_i": 10.0,
    "tau_w_i": 50.0,
    "E_L_i": -70.0,
    "K_ext_i": 100,
    "external_input_ex_in": 0.004,
    "external_input_in_in": 0.006,
}
OTHER = {
    "b_e": 20.0,
    "a_e": 2.0,
    "tau_w_e": 200.0,
    "T": 10.0,
    "Q_e": 1.0,
    "Q_i": 4.0,
    "E_L_e": -63.0,
    "g": 0.25,
    "N_tot": 20000,
    "external_input_ex_ex": 0.003,
    "external_input_in_ex": 0.002,
    "weight_noise": 5.0,
    "tau_OU": 2.0,
    "S_i": 0.5,
}
SHIFTED_P = {
    "P_e": [-0.045, 0.006, -0.02, 0.002, -0.0005, 0.01, -0.03, 0.007, 0.001, -0.04],
    "P_i": [-0.05, 0.0045, -0.009, 0.0003, -0.0004, 0.0015, -0.015, 0.0045, 0.0025, -0.016],
    "C_m": 150.0,
    "g_L": 8.0,
    "tau_e": 4.0,
    "tau_i": 6.0,
    "p_connect_e": 0.04,
    "p_connect_i": 0.06,
    "K_ext_e": 300,
    "E_e": 5.0,
    "E_i": -75.0,
}

# (parameter overrides, local_coupling, state range overrides, coupling range)
COMMON: list[tuple[dict, float, dict, tuple[float, float]]] = [
    ({}, 0.0, {}, (0.0, 0.02)),
    ({}, 0.0, {}, (-0.01, 0.01)),
    ({}, 0.3, {}, (0.0, 0.02)),
    ({}, 0.0, WIDE, (-0.005, 0.02)),
    (ADAPT_I, 0.0, WIDE, (0.0, 0.02)),
    (OTHER, 0.0, WIDE, (-0.005, 0.02)),
    (SHIFTED_P, 0.0, WIDE, (0.0, 0.02)),
    ({**OTHER, **ADAPT_I}, 0.3, WIDE, (-0.005, 0.02)),
]
CASES = {"ZerlautAdaptationFirstOrder": COMMON, "ZerlautAdaptationSecondOrder": COMMON}


def _param(value) -> np.ndarray:
    return np.array(value) if isinstance(value, list) else np.array([value])


def main() -> None:
    rng = np.random.default_rng(SEED)
    out: dict = {
        "source": "tvb-library 2.10.0",
        "generator": "tests/simulator/models/data/make_tvb_dfun_values_zerlaut.py",
        "models": {},
    }
    for name, cases in CASES.items():
        cls = getattr(tvb_models, name)
        decl = _declarations(cls)
        entries = []
        for overrides, local_coupling, ranges, (c_lo, c_hi) in cases:
            model = cls(**{k: _param(v) for k, v in overrides.items()})
            model.configure()
            n_cvar = len(model.cvar)
            for _ in range(N_STATES):
                state = np.empty((len(decl["state_variables"]), N_NODE, 1))
                for i, sv in enumerate(decl["state_variables"]):
                    lo, hi = ranges.get(sv, decl["state_variable_range"][sv])
                    state[i, :, 0] = rng.uniform(lo, hi, N_NODE)
                coupling = rng.uniform(c_lo, c_hi, (n_cvar, N_NODE, 1))
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
