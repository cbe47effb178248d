"""Compiled RK4 integration of the Balloon–Windkessel model (imported lazily: loads numba).

The equations are documented in :mod:`vbrain.simulator.balloon`; this module only holds the
loops, written for numba.
"""

from __future__ import annotations

import math

from numba import njit


@njit(inline="always", cache=True)
def _rates(s, f, v, q, x, k_s, k_f, k_o, inv_alpha, log_1m_e0, e0):
    outflow = v**inv_alpha  # f_out(v) = v^(1/alpha)
    extraction = 1.0 - math.exp(log_1m_e0 / f)  # E(f) = 1 - (1 - E0)^(1/f)
    ds = x - k_s * s - k_f * (f - 1.0)
    df = s
    dv = k_o * (f - outflow)
    dq = k_o * (f * extraction / e0 - outflow * q / v)
    return ds, df, dv, dq


@njit(cache=True, nogil=True, boundscheck=False)
def integrate_series(x, state, h, n_sub, params, first, every, out):  # pragma: no cover - jit
    """Integrate ``x (n, F)`` sample by sample; ``state (4, F)`` is advanced in place.

    Sample ``i`` is held constant over one interval ``h`` (s), integrated in ``n_sub`` RK4
    steps.  The state after sample ``i`` is written to ``out[(i - first) // every]`` when
    ``i >= first`` and ``(i - first) % every == 0``.
    """
    k_s, k_f, k_o, inv_alpha, e0 = params[0], params[1], params[2], params[3], params[4]
    log_1m_e0 = math.log(1.0 - e0)
    hs = h / n_sub
    n, n_flat = x.shape
    for j in range(n_flat):
        s, f, v, q = state[0, j], state[1, j], state[2, j], state[3, j]
        for i in range(n):
            xi = x[i, j]
            for _ in range(n_sub):
                a1, b1, c1, d1 = _rates(s, f, v, q, xi, k_s, k_f, k_o, inv_alpha, log_1m_e0, e0)
                a2, b2, c2, d2 = _rates(
                    s + 0.5 * hs * a1,
                    f + 0.5 * hs * b1,
                    v + 0.5 * hs * c1,
                    q + 0.5 * hs * d1,
                    xi,
                    k_s,
                    k_f,
                    k_o,
                    inv_alpha,
                    log_1m_e0,
                    e0,
                )
                a3, b3, c3, d3 = _rates(
                    s + 0.5 * hs * a2,
                    f + 0.5 * hs * b2,
                    v + 0.5 * hs * c2,
                    q + 0.5 * hs * d2,
                    xi,
                    k_s,
                    k_f,
                    k_o,
                    inv_alpha,
                    log_1m_e0,
                    e0,
                )
                a4, b4, c4, d4 = _rates(
                    s + hs * a3,
                    f + hs * b3,
                    v + hs * c3,
                    q + hs * d3,
                    xi,
                    k_s,
                    k_f,
                    k_o,
                    inv_alpha,
                    log_1m_e0,
                    e0,
                )
                s += hs / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
                f += hs / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
                v += hs / 6.0 * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
                q += hs / 6.0 * (d1 + 2.0 * d2 + 2.0 * d3 + d4)
            if i >= first and (i - first) % every == 0:
                r = (i - first) // every
                out[r, 0, j] = s
                out[r, 1, j] = f
                out[r, 2, j] = v
                out[r, 3, j] = q
        state[0, j], state[1, j], state[2, j], state[3, j] = s, f, v, q
