"""Streaming reductions equal the analyzers applied to the full stored series."""

from __future__ import annotations

import numpy as np
import pytest

from vbrain import analyzers as an
from vbrain.analyzers.metrics import kuramoto_order
from vbrain.config.traits import ValidationError
from vbrain.explore import (
    FC,
    FCD,
    BoldSeries,
    GlobalVariance,
    KuramotoOrder,
    ProxyMetastability,
    Series,
    TimeAverage,
    VarianceNodeVariance,
)
from vbrain.explore.runner import reduce_run, stream_info
from vbrain.simulator import coupling, integrators, monitors, noise
from vbrain.simulator.models.generic_2d_oscillator import Generic2dOscillator
from vbrain.simulator.simulator import Simulator

DURATION = 600.0


def make_sim(conn, mons, seed=5):
    # noise and an oscillating regime: non-trivial statistics; small kernel chunks so that
    # the reductions see many chunks
    return Simulator(
        conn,
        model=Generic2dOscillator(a=2.0, d=0.2, variables_of_interest=("V", "W")),
        coupling=coupling.Linear(a=0.1),
        integrator=integrators.Heun(dt=0.1, noise=noise.Additive(nsig=0.001)),
        monitors=mons,
        seed=seed,
        chunk_steps=370,
    )


@pytest.fixture(scope="module")
def stored(conn6):
    """(streamed results, stored full series) for one noisy run."""
    mons = [monitors.TemporalAverage(period=1.0)]
    reds = [
        TimeAverage(start_point=100.0),
        GlobalVariance(start_point=100.0),
        VarianceNodeVariance(start_point=100.0),
        ProxyMetastability(start_point=100.0),
        KuramotoOrder(start_point=100.0, label="k_sv"),
        KuramotoOrder(start_point=100.0, phase_method="hilbert", label="k_h"),
        KuramotoOrder(start_point=100.0, phase_method="phase", variable=1, label="k_p"),
        FC(start_point=100.0),
        FCD(window_length=100.0, window_step=30.0, start_point=0.0),
        Series(label="raw"),
    ]
    streamed = reduce_run(make_sim(conn6, mons), reds, DURATION)
    full = make_sim(conn6, mons).run(DURATION)[0]
    return streamed, full


def close(a, b, rtol=1e-10):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=1e-13)


def test_series_is_the_run(stored):
    streamed, full = stored
    np.testing.assert_array_equal(streamed["raw"], full.data)


def test_time_average(stored):
    streamed, full = stored
    close(streamed["time_average"], full.data[100:].mean(axis=0))


def test_variances_and_proxy(stored):
    streamed, full = stored
    close(streamed["global_variance"], an.GlobalVariance(start_point=100.0)(full).values[0])
    close(
        streamed["variance_of_node_variance"],
        an.VarianceNodeVariance(start_point=100.0)(full).values[0],
    )
    ref = an.ProxyMetastabilitySynchrony(start_point=100.0)(full).values
    close(streamed["proxy_metastability"], ref[0])
    close(streamed["proxy_synchrony"], ref[1])


def test_kuramoto(stored):
    streamed, full = stored
    ref = an.KuramotoIndex(start_point=100.0, phase_method="state_variables")(full).values
    close([streamed["k_sv_mean"], streamed["k_sv_std"]], ref)
    ref = an.KuramotoIndex(start_point=100.0, phase_method="hilbert")(full).values
    close([streamed["k_h_mean"], streamed["k_h_std"]], ref)
    r = kuramoto_order(full.data[100:, 1, :, 0])
    close([streamed["k_p_mean"], streamed["k_p_std"]], [r.mean(), r.std()])


def test_fc_and_fcd(stored):
    streamed, full = stored
    trimmed = full.data[100:]
    ref = an.PearsonCorrelation()(trimmed, sample_period=1.0).array_data
    close(streamed["fc"], ref)
    ref = an.FunctionalConnectivityDynamics(window_length=100.0, window_step=30.0)(full)
    assert streamed["fcd"].shape == ref.array_data.shape
    close(streamed["fcd"], ref.array_data)


def test_bold_series_matches_bold_monitor(conn4):
    mons = [monitors.TemporalAverage(period=1.0), monitors.Bold(period=100.0)]
    streamed = reduce_run(make_sim(conn4, mons), [BoldSeries(monitor=1)], 1000.0)
    full = make_sim(conn4, mons).run(1000.0)[1]
    np.testing.assert_array_equal(streamed["bold"], full.data)
    sim = make_sim(conn4, mons)
    with pytest.raises(ValidationError, match="Bold"):
        BoldSeries(monitor=0).reset(stream_info(sim, 0))


def test_reduction_errors(conn4):
    sim = make_sim(conn4, [monitors.TemporalAverage(period=1.0)])
    info = stream_info(sim, 0)
    with pytest.raises(ValidationError, match="after start_point"):
        GlobalVariance(start_point=1e6).apply(np.zeros(10), np.zeros((10, 2, 4, 1)), info)
    with pytest.raises(ValidationError, match="3 samples"):
        FCD(window_length=1.0).reset(info)
    with pytest.raises(ValidationError, match="at least 3 nodes"):
        FCD(window_length=10.0).reset(
            type(info)(sample_period=1.0, n_variable=1, n_space=2, n_mode=1)
        )
    with pytest.raises(ValidationError, match="2 monitored"):
        KuramotoOrder().reset(type(info)(sample_period=1.0, n_variable=1, n_space=4, n_mode=1))
    with pytest.raises(ValidationError, match="max_samples"):
        Series(max_samples=5).apply(np.zeros(10), np.zeros((10, 1, 4, 1)), info)
    with pytest.raises(ValidationError):
        GlobalVariance(start_point=-1.0)
