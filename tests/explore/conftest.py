"""Shared small networks and configurations for the explore tests (a few nodes, short runs)."""

from __future__ import annotations

import numpy as np
import pytest

import vbrain as vb


def ring_connectivity(n: int = 6, seed: int = 3) -> vb.Connectivity:
    """A small connected network with random weights and delays."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.2, 1.0, (n, n))
    np.fill_diagonal(w, 0.0)
    lengths = rng.uniform(5.0, 40.0, (n, n))
    lengths = (lengths + lengths.T) / 2
    np.fill_diagonal(lengths, 0.0)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    centres = np.stack([30 * np.cos(angles), 30 * np.sin(angles), np.zeros(n)], axis=1)
    return vb.Connectivity(
        weights=w,
        tract_lengths=lengths,
        centres=centres,
        region_labels=[f"r{i}" for i in range(n)],
        speed=3.0,
    )


@pytest.fixture(scope="session")
def conn4() -> vb.Connectivity:
    return vb.Connectivity.example()


@pytest.fixture(scope="session")
def conn6() -> vb.Connectivity:
    return ring_connectivity(6)


@pytest.fixture(scope="session")
def conn8_nodelay() -> vb.Connectivity:
    return ring_connectivity(8).with_speed(np.inf)


# G2D sped up (d = 0.2) so that 1 s shows the limit cycle; Hopf point near a = 1.74
G2D = {
    "model": {"type": "Generic2dOscillator", "d": 0.2, "variables_of_interest": ["V", "W"]},
    "coupling": {"type": "Linear", "a": 0.05},
    "integrator": {"type": "Heun", "dt": 0.1},
    "monitors": [{"type": "TemporalAverage", "period": 1.0}],
    "duration": 400.0,
    "seed": 7,
}

G2D_NOISY = {
    **G2D,
    "integrator": {"type": "Heun", "dt": 0.1, "noise": {"type": "Additive", "nsig": 0.01}},
}


@pytest.fixture
def g2d() -> dict:
    import copy

    return copy.deepcopy(G2D)


@pytest.fixture
def g2d_noisy() -> dict:
    import copy

    return copy.deepcopy(G2D_NOISY)
