"""Sample entropy and multiscale sample entropy."""

from __future__ import annotations

from typing import ClassVar

import numba
import numpy as np

from vbrain.analyzers.base import Analyzer, Signal
from vbrain.config.traits import Attr, ValidationError
from vbrain.datatypes.metrics import EntropyMeasure

__all__ = ["SampleEntropy", "count_template_matches", "sample_entropy"]


@numba.njit(cache=True, nogil=True)
def count_template_matches(x: np.ndarray, m: int, r: float) -> tuple[int, int]:
    """Pairs ``i < j`` of the first ``len(x) - m`` templates matching at length m (B) and
    m + 1 (A), Chebyshev distance ``< r``.

    The templates are visited in order of their first value so that only candidates whose
    first value is within ``r`` are compared: O(N k) instead of O(N²) for k close neighbours.
    """
    n = x.size - m
    first = x[:n]
    order = np.argsort(first)
    xs = first[order]
    b = 0
    a = 0
    for p in range(n):
        i = order[p]
        for q in range(p + 1, n):
            if xs[q] - xs[p] >= r:
                break
            j = order[q]
            ok = True
            for k in range(1, m):
                if abs(x[i + k] - x[j + k]) >= r:
                    ok = False
                    break
            if ok:
                b += 1
                if abs(x[i + m] - x[j + m]) < r:
                    a += 1
    return b, a


def sample_entropy(
    x: np.ndarray, m: int = 2, r: float | None = None, scale: int = 1, quadratic: bool = False
) -> float:
    r"""Sample entropy :math:`-\ln(A/B)` of a 1-D signal (Richman & Moorman 2000).

    ``r`` is absolute (default ``0.15 * std(x)``, the reference's default); with ``scale > 1``
    the signal is first coarse-grained into means of ``scale`` samples (Costa et al. 2002);
    ``quadratic`` adds :math:`\ln(2r)` (Lake & Moorman 2011).  Returns ``inf`` when no
    template of length m + 1 matches.
    """
    x = np.asarray(x, float)
    if r is None:
        r = 0.15 * x.std()
    if scale > 1:
        x = x[: x.size // scale * scale].reshape(-1, scale).mean(axis=1)
    if x.size <= m + 1 or r <= 0:
        return float("nan")
    b, a = count_template_matches(np.ascontiguousarray(x), m, float(r))
    if b == 0:
        return float("nan")
    if a == 0:
        return float("inf")
    e = -np.log(a / b)
    return float(e + np.log(2 * r)) if quadratic else float(e)


class SampleEntropy(Analyzer):
    r"""Sample entropy per node, optionally at several scales (multiscale entropy).

    :math:`SampEn(m, r) = -\ln(A/B)`, :math:`B` (:math:`A`) the number of pairs of distinct
    templates of length :math:`m` (:math:`m+1`) whose Chebyshev distance is below
    :math:`r = r_{factor}\,\sigma_x` (the same first ``N - m`` templates for both lengths;
    Richman & Moorman 2000, Am J Physiol 278:H2039).  ``scales`` coarse-grain the signal into
    non-overlapping means before counting, with :math:`r` kept from the original signal
    (Costa et al. 2002).  Reference: ``tvb.analyzers.info.sampen``.  Cost grows with
    ``N x (number of near neighbours)``: use ``t_end`` to limit very long series.
    """

    output: ClassVar[type] = EntropyMeasure
    function_name: ClassVar[str] = "compute_sample_entropy"

    m: int = Attr(2, label="Embedding dimension", range=(1, 5), valid=(1, None))
    r_factor: float = Attr(
        0.15,
        label="Tolerance factor",
        range=(0.05, 0.5),
        valid=(0.0, None),
        exclusive=True,
        doc="""r = r_factor * standard deviation of each node's signal.""",
    )
    scales: tuple[int, ...] = Attr((1,), label="Scales", doc="""Coarse-graining factors (>= 1).""")
    quadratic: bool = Attr(False, label="Quadratic", doc="""Quadratic sample entropy (+ ln 2r).""")
    t_end: float | None = Attr(
        None, label="End time", unit="ms", doc="""Use only samples before this time (None = all)."""
    )

    def _compute(self, sig: Signal) -> EntropyMeasure:
        if not self.scales or min(self.scales) < 1:
            raise ValidationError(f"SampleEntropy.scales = {self.scales}; give integers >= 1")
        sig = sig.window(None, self.t_end)
        n_t, n_v, n_n, n_m = sig.data.shape
        r = self.r_factor * sig.data.std(axis=0)
        out = np.empty((len(self.scales), n_v, n_n, n_m))
        for s, scale in enumerate(self.scales):
            for v in range(n_v):
                for n in range(n_n):
                    for mo in range(n_m):
                        out[s, v, n, mo] = sample_entropy(
                            sig.data[:, v, n, mo], self.m, r[v, n, mo], scale, self.quadratic
                        )
        return EntropyMeasure(
            array_data=out,
            scales=np.array(self.scales),
            m=self.m,
            r=r,
            quadratic=self.quadratic,
            **sig.labels(),
        )
