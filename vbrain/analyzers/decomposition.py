"""Mode decompositions: principal component analysis and independent component analysis."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from vbrain.analyzers.base import Analyzer, Signal, require
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.mode_decompositions import IndependentComponents, PrincipalComponents

__all__ = ["ICA", "PCA"]


def _n_components(requested: int | None, sig: Signal, owner: str) -> int:
    n = sig.n_space if requested is None else requested
    if n > sig.n_space:
        raise ValidationError(
            f"{owner}.n_components = {n} exceeds the {sig.n_space} nodes of the input; "
            f"use at most {sig.n_space}"
        )
    if n > sig.n_time:
        raise ValidationError(
            f"{owner} needs at least as many time points as components ({n}); the input has "
            f"{sig.n_time}: use a longer series or fewer components"
        )
    return n


class PCA(Analyzer):
    r"""Principal component analysis, time points as observations and nodes as variables.

    Each node is centred (and with ``standardise`` divided by its standard deviation, as in the
    reference ``tvb.analyzers.pca``), then :math:`X = U S V^T` (SVD): the weights are the rows
    of :math:`V^T`, the fraction of variance of component ``c`` is
    :math:`s_c^2 / \sum_k s_k^2` and its time series :math:`X v_c`.  Signs are fixed so that
    the largest-magnitude weight of every component is positive.
    """

    output: ClassVar[type] = PrincipalComponents
    function_name: ClassVar[str] = "compute_pca"

    n_components: int | None = Attr(
        None,
        label="Number of components",
        valid=(1, None),
        doc="""Components kept (None = one per node).""",
    )
    standardise: bool = Attr(
        True, label="Standardise", doc="""z-score each node first (correlation-matrix PCA)."""
    )

    def _compute(self, sig: Signal) -> PrincipalComponents:
        n_c = _n_components(self.n_components, sig, "PCA")
        n_t, n_v, n_n, n_m = sig.data.shape
        weights = np.zeros((n_c, n_n, n_v, n_m))
        fractions = np.zeros((n_c, n_v, n_m))
        comps = np.zeros((n_t, n_c, n_v, n_m))
        for v in range(n_v):
            for m in range(n_m):
                x = sig.data[:, v, :, m]
                x = x - x.mean(axis=0)
                if self.standardise:
                    sd = x.std(axis=0)
                    # constant nodes carry no variance: leave them at zero, not NaN
                    x = x / np.where(sd > 0, sd, 1.0)
                _, s, vt = np.linalg.svd(x, full_matrices=False)
                var = s**2
                total = var.sum()
                # sign convention: largest |weight| positive, for reproducible output
                idx = np.argmax(np.abs(vt), axis=1)
                vt = vt * np.sign(vt[np.arange(vt.shape[0]), idx])[:, None]
                weights[:, :, v, m] = vt[:n_c]
                fractions[:, v, m] = var[:n_c] / total if total > 0 else 0.0
                comps[:, :, v, m] = x @ vt[:n_c].T
        return PrincipalComponents(
            weights=weights,
            fractions=fractions,
            component_time_series=comps,
            sample_period=sig.sample_period,
            standardised=self.standardise,
            **sig.labels(),
        )


class ICA(Analyzer):
    r"""Independent component analysis by FastICA (``sklearn.decomposition.FastICA``).

    Models the node signals as :math:`x = A s + \mu` with independent, non-Gaussian sources
    :math:`s`; returns the mixing :math:`A`, unmixing :math:`W` (:math:`s = W(x - \mu)`) and
    the sources, one decomposition per variable and mode.  Sources are scaled to unit variance
    (``whiten="unit-variance"``); their order and sign are arbitrary, as always with ICA.
    Hyvärinen & Oja (2000), Neural Networks 13:411.  Needs scikit-learn (analysis extra).
    """

    output: ClassVar[type] = IndependentComponents
    function_name: ClassVar[str] = "compute_ica"

    n_components: int | None = Attr(
        None,
        label="Number of components",
        valid=(1, None),
        doc="""Sources to unmix (None = one per node).""",
    )
    algorithm: str = Attr("parallel", label="Algorithm", options=("parallel", "deflation"))
    fun: str = Attr(
        "logcosh",
        label="Contrast function",
        options=("logcosh", "exp", "cube"),
        doc="""Approximation of negentropy.""",
    )
    max_iter: int = Attr(500, label="Maximum iterations", valid=(1, None))
    tol: float = Attr(1e-4, label="Tolerance", valid=(0, None), exclusive=True)
    seed: int = Attr(0, label="Random seed", doc="""Seed of the initial unmixing matrix.""")

    def _compute(self, sig: Signal) -> IndependentComponents:
        decomposition = require("sklearn.decomposition", "ICA")
        n_c = _n_components(self.n_components, sig, "ICA")
        n_t, n_v, n_n, n_m = sig.data.shape
        mixing = np.zeros((n_n, n_c, n_v, n_m))
        unmixing = np.zeros((n_c, n_n, n_v, n_m))
        sources = np.zeros((n_t, n_c, n_v, n_m))
        mean = np.zeros((n_n, n_v, n_m))
        for v in range(n_v):
            for m in range(n_m):
                ica = decomposition.FastICA(
                    n_components=n_c,
                    algorithm=self.algorithm,
                    whiten="unit-variance",
                    fun=self.fun,
                    max_iter=self.max_iter,
                    tol=self.tol,
                    random_state=self.seed,
                )
                s = ica.fit_transform(sig.data[:, v, :, m])
                sources[:, :, v, m] = s
                mixing[:, :, v, m] = ica.mixing_
                unmixing[:, :, v, m] = ica.components_
                mean[:, v, m] = ica.mean_
        return IndependentComponents(
            mixing_matrix=mixing,
            unmixing_matrix=unmixing,
            component_time_series=sources,
            mean=mean,
            sample_period=sig.sample_period,
            **sig.labels(),
        )
