"""Every library model for 1 s of simulated time on the 76-region connectome (slow suite).

Default parameters, random initial history within the state ranges, the coupling the model is
meant for (Linear by default, see ``model_settings.default_coupling``), Heun with the suite's
per-model time step, delays at 3 mm/ms: the output must be finite and within the bounds.
The short conformance suite checks numpy == numba on small networks.
"""

import numpy as np
import pytest
from model_settings import DT, MODEL_DT, default_coupling

import vbrain as vb

LIBRARY = [
    name for name in vb.models.list() if vb.models.get(name).__module__.startswith("vbrain.")
]


@pytest.mark.slow
@pytest.mark.parametrize("name", LIBRARY)
def test_one_second_on_the_76_region_connectome(name):
    cls = vb.models.get(name)
    model = cls(variables_of_interest=cls.state_names())
    coupling = default_coupling(cls)
    res = vb.simulate(
        vb.datasets.load_connectivity(76),
        model=model,
        coupling=coupling,
        integrator=vb.integrators.Heun(dt=MODEL_DT.get(name, DT)),
        monitors=[vb.monitors.TemporalAverage(period=1.0)],
        duration=1000.0,
        seed=7,
    )[0]
    assert res.data.shape == (1000, cls.n_var(), 76, cls.n_mode)
    assert np.all(np.isfinite(res.data)), f"{name}: non-finite output"
    bounds = cls.state_bounds()
    if bounds is not None:
        lo = bounds[:, 0][None, :, None, None]
        hi = bounds[:, 1][None, :, None, None]
        assert np.all(res.data >= lo) and np.all(res.data <= hi)
