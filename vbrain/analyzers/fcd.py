"""Functional connectivity dynamics (sliding-window FC and the FCD matrix)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.fcd import Fcd

__all__ = ["FunctionalConnectivityDynamics", "sliding_window_fc"]


def sliding_window_fc(x: np.ndarray, n_win: int, step: int) -> np.ndarray:
    """Pearson FC of each window, shape (window, node, node); ``x`` is (time, node).

    Vectorised: z-score a batch of windows at once and take one batched matrix product;
    batches are sized to keep the temporary copies near 100 MB.
    """
    from numpy.lib.stride_tricks import sliding_window_view

    wins = sliding_window_view(x, n_win, axis=0)[::step]  # (window, node, time), a view
    n_n = x.shape[1]
    out = np.empty((wins.shape[0], n_n, n_n))
    batch = max(1, int(1.2e7 // (n_n * n_win)))
    for a in range(0, wins.shape[0], batch):
        z = wins[a : a + batch] - wins[a : a + batch].mean(axis=2, keepdims=True)
        sd = np.sqrt((z**2).sum(axis=2, keepdims=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            z = z / sd
        out[a : a + batch] = z @ z.transpose(0, 2, 1)
    return out


class FunctionalConnectivityDynamics(Analyzer):
    r"""FCD: how the functional connectivity changes over time (Hansen et al. 2015).

    Windows of ``window_length`` ms start every ``window_step`` ms; :math:`FC(w)` is the
    Pearson correlation matrix of window ``w`` and
    :math:`FCD(w_1, w_2) = \mathrm{corr}(\mathrm{triu}\,FC(w_1), \mathrm{triu}\,FC(w_2))` over
    the upper-triangular entries (diagonal excluded).  The windows are split into
    ``n_epochs`` contiguous epochs of equal size; for each, the ``n_eigenvectors`` leading
    eigenvectors of the epoch's mean FC are returned (the reference's FCD adapter finds epochs
    by spectral embedding and clustering of the FCD; equal epochs keep the result
    deterministic).  Reference defaults: window 120000 ms, step 2000 ms, 3 eigenvectors.
    Windows with a constant node give NaN rows.
    """

    output: ClassVar[type] = Fcd
    function_name: ClassVar[str] = "compute_fcd"

    window_length: float = Attr(
        120000.0,
        label="Window length",
        unit="ms",
        range=(1000.0, 300000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="""Length of each sliding window.""",
    )
    window_step: float = Attr(
        2000.0,
        label="Window step",
        unit="ms",
        range=(100.0, 20000.0),
        valid=(0.0, None),
        exclusive=True,
        doc="""Time between the starts of consecutive windows.""",
    )
    n_eigenvectors: int = Attr(3, label="Eigenvectors per epoch", valid=(1, None))
    n_epochs: int = Attr(1, label="Number of epochs", valid=(1, None))

    def _compute(self, sig: Signal) -> Fcd:
        n_win = int(round(self.window_length / sig.sample_period))
        step = max(1, int(round(self.window_step / sig.sample_period)))
        if n_win > sig.n_time:
            raise ValidationError(
                f"FunctionalConnectivityDynamics.window_length = {self.window_length} ms is "
                f"longer than the series ({sig.duration:g} ms); use a shorter window"
            )
        if n_win < 3:
            raise ValidationError(
                f"FunctionalConnectivityDynamics.window_length = {self.window_length} ms holds "
                f"{n_win} samples; a correlation needs at least 3"
            )
        n_t, n_v, n_n, n_m = sig.data.shape
        if n_n < 3:
            raise ValidationError(
                f"FCD needs at least 3 nodes (to correlate FC upper triangles); got {n_n}"
            )
        k = min(self.n_eigenvectors, n_n)
        n_windows = (n_t - n_win) // step + 1
        if self.n_epochs > n_windows:
            raise ValidationError(
                f"FunctionalConnectivityDynamics.n_epochs = {self.n_epochs} exceeds the "
                f"{n_windows} windows"
            )
        bounds = np.linspace(0, n_windows, self.n_epochs + 1).astype(int)
        epochs = np.stack([bounds[:-1], bounds[1:]], axis=1)
        fcd = np.empty((n_windows, n_windows, n_v, n_m))
        evals = np.empty((self.n_epochs, k, n_v, n_m))
        evecs = np.empty((self.n_epochs, k, n_n, n_v, n_m))
        iu = np.triu_indices(n_n, 1)
        for v in range(n_v):
            for m in range(n_m):
                fc = sliding_window_fc(sig.data[:, v, :, m], n_win, step)
                tri = fc[:, iu[0], iu[1]]
                with np.errstate(invalid="ignore", divide="ignore"):
                    fcd[:, :, v, m] = np.atleast_2d(np.corrcoef(tri))
                for e, (a, b) in enumerate(epochs):
                    mean_fc = np.nan_to_num(fc[a:b].mean(axis=0))
                    w, vec = np.linalg.eigh(mean_fc)
                    order = np.argsort(w)[::-1][:k]
                    vec = vec[:, order]
                    # sign convention: largest-magnitude entry positive
                    idx = np.argmax(np.abs(vec), axis=0)
                    vec = vec * np.sign(vec[idx, np.arange(k)])
                    evals[e, :, v, m] = w[order]
                    evecs[e, :, :, v, m] = vec.T
        return Fcd(
            array_data=fcd,
            window_length=n_win * sig.sample_period,
            window_step=step * sig.sample_period,
            window_times=sig.time[0] + np.arange(n_windows) * step * sig.sample_period,
            eigenvalues=evals,
            eigenvectors=evecs,
            epoch_windows=epochs,
            **sig.labels(),
        )

    @classmethod
    def example_input(cls) -> Signal:
        # long enough for the reference default window (120 s), coarsely sampled
        rng = np.random.default_rng(0)
        n_t, n_n, dt = 400, 5, 500.0
        mix = rng.standard_normal((n_n, n_n))
        x = rng.standard_normal((n_t, n_n)) @ mix
        return Signal(
            x[:, None, :, None], dt, np.arange(n_t) * dt, ("x",), tuple(f"r{i}" for i in range(n_n))
        )
