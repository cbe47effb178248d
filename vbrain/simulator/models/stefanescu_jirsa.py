"""Reduced-set models of heterogeneous populations (Stefanescu & Jirsa 2008), three modes each."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Attr, Parameter, ParamValue
from vbrain.simulator.models.base import Model, StateVariable, where

__all__ = ["ReducedSetFitzHughNagumo", "ReducedSetHindmarshRose", "reduced_set_modes"]


def reduced_set_modes(
    mu: float, sigma: float, n_mode: int, n_sample: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sampling of the input distribution and the piecewise-constant modes over it.

    The heterogeneous parameter (an input current) of the ``n_sample`` oscillators is normally
    distributed, ``N(mu, sigma)``; it is sampled at the quantiles ``k / (n_sample + 1)``,
    ``k = 1..n_sample``.  Mode ``i`` is the indicator of the ``i``-th consecutive block of
    ``n_sample / n_mode`` samples, normalised to unit L2 norm under the trapezoidal rule over
    the samples.  The discretisation is the reference's, so the derived coefficients agree.

    Returns
    -------
    z
        ``(n_sample,)`` sample points.
    modes
        ``(n_mode, n_sample)`` normalised modes.
    pdf
        ``(n_sample,)`` normal density at the sample points.
    """
    # scipy is imported here, not at module level, to keep `import vbrain.simulator` light
    from scipy.integrate import trapezoid
    from scipy.stats import norm

    if n_sample % n_mode:
        raise ValueError(f"{n_sample} samples cannot be split into {n_mode} equal modes")
    step = 1.0 / (n_sample + 1)
    dist = norm(loc=mu, scale=sigma)
    z = dist.ppf(np.arange(step, 1.0, step))
    if z.shape != (n_sample,):  # pragma: no cover - guards the float arange
        raise RuntimeError(f"expected {n_sample} sample points, got {z.shape[0]}")
    per_mode = n_sample // n_mode
    modes = np.zeros((n_mode, n_sample))
    for i in range(n_mode):
        modes[i, i * per_mode : (i + 1) * per_mode] = 1.0
    modes = modes / np.sqrt(trapezoid(modes * modes, z, axis=1))[:, None]
    return z, modes, dist.pdf(z)


def _integrals(mu: float, sigma: float, n_mode: int, n_sample: int) -> dict[str, np.ndarray]:
    """Trapezoidal integrals of the modes used by both reduced sets (see the model docs)."""
    from scipy.integrate import trapezoid

    z, v, g = reduced_set_modes(mu, sigma, n_mode, n_sample)
    # the modes are real, so their complex conjugates (in the paper's formulas) are themselves
    return {
        "int": trapezoid(v, z, axis=1),  # int v_i dz
        "int_g": trapezoid(g[None, :] * v, z, axis=1),  # int g(z) v_i dz
        "int_z": trapezoid(z[None, :] * v, z, axis=1),  # int z v_i dz
        "int_2": trapezoid(v * v**2, z, axis=1),  # int v_i^3 dz (v_i times v_i^2)
        "int_3": trapezoid(v * v**3, z, axis=1),  # int v_i^4 dz (v_i times v_i^3)
    }


class _ReducedSet(Model):
    """Shared machinery: the sampling constants and the scalar checks of ``mu``/``sigma``."""

    n_mode: ClassVar[int] = 3
    nu: ClassVar[int] = 1500
    """Number of inhibitory oscillators sampled to derive the coefficients."""
    nv: ClassVar[int] = 1500
    """Number of excitatory oscillators sampled to derive the coefficients."""

    @pydantic.model_validator(mode="after")
    def _check_distribution(self) -> _ReducedSet:
        for name in ("mu", "sigma"):
            if np.ndim(getattr(self, name)) != 0:
                raise ValueError(
                    f"{type(self).__name__}.{name} shapes the modes shared by all nodes and "
                    "must be a single number, not one value per node"
                )
        return self

    def _exc_inh_integrals(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        mu, sigma = float(self.mu), float(self.sigma)  # type: ignore[attr-defined]
        return (
            _integrals(mu, sigma, self.n_mode, self.nv),
            _integrals(mu, sigma, self.n_mode, self.nu),
        )


class ReducedSetFitzHughNagumo(_ReducedSet):
    r"""Three-mode reduction of a heterogeneous network of FitzHugh–Nagumo neurons.

    An excitatory population :math:`(\xi, \eta)` and an inhibitory one :math:`(\alpha, \beta)`
    of FitzHugh–Nagumo oscillators whose input currents are spread as :math:`N(\mu, \sigma)`
    are projected on three modes (low, middle and high input); for mode :math:`i`

    .. math::

        \dot\xi_i &= \tau\left(\xi_i - e_i \frac{\xi_i^3}{3} - \eta_i\right)
            + K_{11}\left(\sum_k \xi_k A_{ki} - \xi_i\right)
            - K_{12}\left(\sum_k \alpha_k B_{ki} - \xi_i\right)
            + \tau\left(IE_i + \sum_k c_{0,k} + lc_0\right) \\
        \dot\eta_i &= \frac{\xi_i - b\,\eta_i + m_i}{\tau} \\
        \dot\alpha_i &= \tau\left(\alpha_i - f_i \frac{\alpha_i^3}{3} - \beta_i\right)
            + K_{21}\left(\sum_k \xi_k C_{ki} - \alpha_i\right)
            + \tau\left(II_i + \sum_k c_{0,k} + lc_0\right) \\
        \dot\beta_i &= \frac{\alpha_i - b\,\beta_i + n_i}{\tau}

    With :math:`z` the sampled input, :math:`g` its normal density and :math:`v_i`
    (:math:`u_i`) the excitatory (inhibitory) modes, all integrals over :math:`z` by the
    trapezoidal rule on :attr:`nv` (:attr:`nu`) = 1500 quantile samples (see
    :func:`reduced_set_modes`):

    .. math::

        A_{ki} = \int g\,v_k \int v_i,\quad B_{ki} = \int v_k \int g\,u_i,\quad
        C_{ki} = \int g\,v_k \int u_i,\quad e_i = \int v_i^4,\quad f_i = \int u_i^4, \\
        IE_i = \int z\,v_i,\quad II_i = \int z\,u_i,\quad
        m_i = a \int v_i = a\,V_i,\quad n_i = a \int u_i = a\,U_i.

    The long-range input is the coupling of :math:`\xi` summed over the three modes; it and
    the local coupling of :math:`\xi` (``lc_0``) drive both populations.  The coupling of
    :math:`\alpha` is computed but, as in the reference, not used.

    The mode constants (:meth:`compute_mode_constants`) depend on ``mu`` and ``sigma`` only,
    which must therefore be single numbers; ``a`` enters through :math:`V_i, U_i` and, like
    the other parameters, may differ per node.  :meth:`derived_coefficients` gives the
    reference's coefficients, :math:`m_i` and :math:`n_i` included.

    Called *StefanescuJirsa2D* in the paper.  References: Stefanescu & Jirsa 2008, PLoS
    Comput Biol 4(11):e1000219 (supplementary text for the coefficients).
    """

    state_variables = {
        "xi": StateVariable(range=(-4.0, 4.0), doc="excitatory membrane potential (mode)"),
        "eta": StateVariable(range=(-3.0, 3.0), doc="excitatory recovery variable (mode)"),
        "alpha": StateVariable(range=(-4.0, 4.0), doc="inhibitory membrane potential (mode)"),
        "beta": StateVariable(range=(-3.0, 3.0), doc="inhibitory recovery variable (mode)"),
    }
    coupling_variables = ("xi", "alpha")

    variables_of_interest: tuple[str, ...] = Attr(
        ("xi", "alpha"), doc="Quantities recorded by monitors, e.g. 'xi', 'alpha', 'eta'."
    )

    mode_constants = ("Aik", "Bik", "Cik", "e_i", "f_i", "IE_i", "II_i", "V_i", "U_i")
    mode_sums = {
        "xi_A": ("xi", "Aik"),
        "alpha_B": ("alpha", "Bik"),
        "xi_C": ("xi", "Cik"),
        "c0_sum": ("c_0", None),
    }

    tau: ParamValue = Parameter(
        3.0, range=(1.5, 4.5), doc="Time-scale separation of the fast and slow variables."
    )
    a: ParamValue = Parameter(
        0.45, range=(0.0, 1.0), doc="Offset of the recovery variables' nullclines."
    )
    b: ParamValue = Parameter(0.9, range=(0.0, 1.0), doc="Decay rate of the recovery variables.")
    K11: ParamValue = Parameter(
        0.5, range=(0.0, 1.0), doc="Internal coupling, excitatory to excitatory."
    )
    K12: ParamValue = Parameter(
        0.15, range=(0.0, 1.0), doc="Internal coupling, inhibitory to excitatory."
    )
    K21: ParamValue = Parameter(
        0.15, range=(0.0, 1.0), doc="Internal coupling, excitatory to inhibitory."
    )
    sigma: ParamValue = Parameter(
        0.35,
        range=(0.0, 1.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Standard deviation of the distribution of input currents (one value for all "
        "nodes; sets the mode constants).",
    )
    mu: ParamValue = Parameter(
        0.0,
        range=(0.0, 1.0),
        doc="Mean of the distribution of input currents (one value for all nodes; sets the "
        "mode constants).",
    )

    def compute_mode_constants(self) -> dict[str, np.ndarray]:
        """Mode-mixing matrices and per-mode integrals (see the class docstring)."""
        ex, inh = self._exc_inh_integrals()
        return {
            "Aik": np.outer(ex["int_g"], ex["int"]),
            "Bik": np.outer(ex["int"], inh["int_g"]),
            "Cik": np.outer(ex["int_g"], inh["int"]),
            "e_i": ex["int_3"],
            "f_i": inh["int_3"],
            "IE_i": ex["int_z"],
            "II_i": inh["int_z"],
            "V_i": ex["int"],
            "U_i": inh["int"],
        }

    def derived_coefficients(self) -> dict[str, np.ndarray]:
        """The reference's derived coefficients: ``Aik``, ``Bik``, ``Cik`` ``(3, 3)`` as
        :meth:`compute_mode_constants`, ``e_i``, ``f_i``, ``IE_i``, ``II_i`` ``(3,)`` and
        ``m_i = a V_i``, ``n_i = a U_i`` (``(n_node, 3)`` when ``a`` is per node)."""
        consts = self.compute_mode_constants()
        out = {k: consts[k] for k in ("Aik", "Bik", "Cik", "e_i", "f_i", "IE_i", "II_i")}
        a = np.asarray(self.a, dtype=float)
        out["m_i"] = (a[..., None] if a.ndim else a) * consts["V_i"]
        out["n_i"] = (a[..., None] if a.ndim else a) * consts["U_i"]
        return out

    @staticmethod
    def dfun(
        xi,
        eta,
        alpha,
        beta,
        xi_A,
        alpha_B,
        xi_C,
        c0_sum,
        lc_0,
        e_i,
        f_i,
        IE_i,
        II_i,
        V_i,
        U_i,
        tau,
        a,
        b,
        K11,
        K12,
        K21,
    ):
        dxi = (
            tau * (xi - e_i * (xi * xi * xi) / 3.0 - eta)
            + K11 * (xi_A - xi)
            - K12 * (alpha_B - xi)
            + tau * (IE_i + c0_sum + lc_0)
        )
        deta = (xi - b * eta + a * V_i) / tau
        dalpha = (
            tau * (alpha - f_i * (alpha * alpha * alpha) / 3.0 - beta)
            + K21 * (xi_C - alpha)
            + tau * (II_i + c0_sum + lc_0)
        )
        dbeta = (alpha - b * beta + a * U_i) / tau
        return dxi, deta, dalpha, dbeta


class ReducedSetHindmarshRose(_ReducedSet):
    r"""Three-mode reduction of a heterogeneous network of Hindmarsh–Rose neurons.

    An excitatory population :math:`(\xi, \eta, \tau)` and an inhibitory one
    :math:`(\alpha, \beta, \gamma)` of Hindmarsh–Rose bursters whose input currents are spread
    as :math:`N(\mu, \sigma)` are projected on three modes; for mode :math:`i`

    .. math::

        \dot\xi_i &= \eta_i - a_i\xi_i^3 + b_i\xi_i^2 - \tau_i
            + K_{11}\left(\sum_k \xi_k A_{ki} - \xi_i\right)
            - K_{12}\left(\sum_k \alpha_k B_{ki} - \xi_i\right)
            + IE_i + \sum_k c_{0,k} + lc_0 \\
        \dot\eta_i &= c_i - d_i\xi_i^2 - \eta_i \\
        \dot\tau_i &= r s \xi_i - r\tau_i - m_i \\
        \dot\alpha_i &= \beta_i - e_i\alpha_i^3 + f_i\alpha_i^2 - \gamma_i
            + K_{21}\left(\sum_k \xi_k C_{ki} - \alpha_i\right)
            + II_i + \sum_k c_{0,k} + lc_0 \\
        \dot\beta_i &= h_i - p_i\alpha_i^2 - \beta_i \\
        \dot\gamma_i &= r s \alpha_i - r\gamma_i - n_i

    With the notation of :class:`ReducedSetFitzHughNagumo` (:math:`A, B, C, IE, II` are
    defined the same way; :math:`V^{(p)}_i = \int v_i^{p+1}`, :math:`U^{(p)}_i =
    \int u_i^{p+1}`, :math:`V_i = V^{(0)}_i`):

    .. math::

        a_i = a V^{(3)}_i,\ e_i = a U^{(3)}_i,\ b_i = b V^{(2)}_i,\ f_i = b U^{(2)}_i,\
        c_i = c V_i,\ h_i = c U_i,\ m_i = r s x_0 V_i,\ n_i = r s x_0 U_i, \\
        d_i = d V^{(2)}_i,\ p_i = d U^{(2)}_i \quad
        (\text{with } \mathtt{corrected\_d\_p} = 0:\ d_i = d V_i,\ p_i = d U_i).

    ``corrected_d_p`` (1, default) uses the corrected :math:`d_i, p_i` adopted by the
    reference (S. Dutta and A. Banerjee's correction, confirmed by the paper's first author);
    0 gives the paper's printed formulas, kept for comparison.  The long-range input is the
    coupling of :math:`\xi` summed over modes and drives both populations, as does the local
    coupling of :math:`\xi` (``lc_0``); the coupling of :math:`\alpha` is computed but unused,
    as in the reference.  ``mu`` and ``sigma`` shape the mode constants and must be single
    numbers; the other parameters may differ per node.  :meth:`derived_coefficients` gives
    the reference's coefficients.

    Called *StefanescuJirsa3D* in the paper.  References: Stefanescu & Jirsa 2008, PLoS
    Comput Biol 4(11):e1000219; Hindmarsh & Rose 1984.
    """

    state_variables = {
        "xi": StateVariable(range=(-4.0, 4.0), doc="excitatory membrane potential (mode)"),
        "eta": StateVariable(range=(-25.0, 20.0), doc="excitatory fast recovery (mode)"),
        "tau": StateVariable(range=(2.0, 10.0), doc="excitatory slow adaptation (mode)"),
        "alpha": StateVariable(range=(-4.0, 4.0), doc="inhibitory membrane potential (mode)"),
        "beta": StateVariable(range=(-20.0, 20.0), doc="inhibitory fast recovery (mode)"),
        "gamma": StateVariable(range=(2.0, 10.0), doc="inhibitory slow adaptation (mode)"),
    }
    coupling_variables = ("xi", "alpha")

    variables_of_interest: tuple[str, ...] = Attr(
        ("xi", "eta", "tau"),
        doc="Quantities recorded by monitors, e.g. 'xi', 'eta', 'tau', 'alpha'.",
    )

    mode_constants = (
        "A_ik",
        "B_ik",
        "C_ik",
        "IE_i",
        "II_i",
        "V_i",
        "U_i",
        "V2_i",
        "U2_i",
        "V3_i",
        "U3_i",
    )
    mode_sums = {
        "xi_A": ("xi", "A_ik"),
        "alpha_B": ("alpha", "B_ik"),
        "xi_C": ("xi", "C_ik"),
        "c0_sum": ("c_0", None),
    }

    r: ParamValue = Parameter(0.006, range=(0.0, 0.1), doc="Adaptation rate (slow time scale).")
    a: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Hindmarsh–Rose cubic coefficient.")
    b: ParamValue = Parameter(3.0, range=(0.0, 3.0), doc="Hindmarsh–Rose quadratic coefficient.")
    c: ParamValue = Parameter(1.0, range=(0.0, 1.0), doc="Hindmarsh–Rose recovery offset.")
    d: ParamValue = Parameter(5.0, range=(2.5, 7.5), doc="Hindmarsh–Rose recovery gain.")
    s: ParamValue = Parameter(4.0, range=(2.0, 6.0), doc="Adaptation feedback strength.")
    xo: ParamValue = Parameter(
        -1.6, range=(-2.4, -0.8), doc="Leftmost equilibrium of the membrane potential."
    )
    K11: ParamValue = Parameter(
        0.5, range=(0.0, 1.0), doc="Internal coupling, excitatory to excitatory."
    )
    K12: ParamValue = Parameter(
        0.1, range=(0.0, 1.0), doc="Internal coupling, inhibitory to excitatory."
    )
    K21: ParamValue = Parameter(
        0.15, range=(0.0, 1.0), doc="Internal coupling, excitatory to inhibitory."
    )
    sigma: ParamValue = Parameter(
        0.3,
        range=(0.0, 1.0),
        valid=(0.0, None),
        exclusive=True,
        doc="Standard deviation of the distribution of input currents (one value for all "
        "nodes; sets the mode constants).",
    )
    mu: ParamValue = Parameter(
        3.3,
        range=(1.1, 3.3),
        doc="Mean of the distribution of input currents (one value for all nodes; sets the "
        "mode constants).",
    )
    corrected_d_p: ParamValue = Parameter(
        1.0,
        valid=(0.0, 1.0),
        doc="1: corrected coefficients d_i, p_i (reference default); 0: the formulas as "
        "printed in the paper.",
    )

    def compute_mode_constants(self) -> dict[str, np.ndarray]:
        """Mode-mixing matrices and per-mode integrals (see the class docstring)."""
        ex, inh = self._exc_inh_integrals()
        return {
            "A_ik": np.outer(ex["int_g"], ex["int"]),
            "B_ik": np.outer(ex["int"], inh["int_g"]),
            "C_ik": np.outer(ex["int_g"], inh["int"]),
            "IE_i": ex["int_z"],
            "II_i": inh["int_z"],
            "V_i": ex["int"],
            "U_i": inh["int"],
            "V2_i": ex["int_2"],
            "U2_i": inh["int_2"],
            "V3_i": ex["int_3"],
            "U3_i": inh["int_3"],
        }

    def derived_coefficients(self) -> dict[str, np.ndarray]:
        """The reference's derived coefficients (``A_ik``, ``B_ik``, ``C_ik``, ``a_i`` ...
        ``p_i``, ``IE_i``, ``II_i``, ``m_i``, ``n_i``); per-mode vectors are ``(3,)``, or
        ``(n_node, 3)`` when a parameter they scale is per node."""
        k = self.compute_mode_constants()

        def scaled(*names: str) -> np.ndarray:
            value = np.ones(())
            for name in names:
                value = value * np.asarray(getattr(self, name), dtype=float)
            return value[..., None] if value.ndim else value

        corrected = np.asarray(self.corrected_d_p, dtype=float)
        corrected = corrected[..., None] if corrected.ndim else corrected
        return {
            "A_ik": k["A_ik"],
            "B_ik": k["B_ik"],
            "C_ik": k["C_ik"],
            "a_i": scaled("a") * k["V3_i"],
            "e_i": scaled("a") * k["U3_i"],
            "b_i": scaled("b") * k["V2_i"],
            "f_i": scaled("b") * k["U2_i"],
            "c_i": scaled("c") * k["V_i"],
            "h_i": scaled("c") * k["U_i"],
            "d_i": scaled("d") * np.where(corrected > 0.5, k["V2_i"], k["V_i"]),
            "p_i": scaled("d") * np.where(corrected > 0.5, k["U2_i"], k["U_i"]),
            "IE_i": k["IE_i"],
            "II_i": k["II_i"],
            "m_i": scaled("r", "s", "xo") * k["V_i"],
            "n_i": scaled("r", "s", "xo") * k["U_i"],
        }

    @staticmethod
    def dfun(
        xi,
        eta,
        tau,
        alpha,
        beta,
        gamma,
        xi_A,
        alpha_B,
        xi_C,
        c0_sum,
        lc_0,
        IE_i,
        II_i,
        V_i,
        U_i,
        V2_i,
        U2_i,
        V3_i,
        U3_i,
        r,
        a,
        b,
        c,
        d,
        s,
        xo,
        K11,
        K12,
        K21,
        corrected_d_p,
    ):
        d_i = d * where(corrected_d_p > 0.5, V2_i, V_i)
        p_i = d * where(corrected_d_p > 0.5, U2_i, U_i)
        dxi = (
            eta
            - a * V3_i * (xi * xi * xi)
            + b * V2_i * (xi * xi)
            - tau
            + K11 * (xi_A - xi)
            - K12 * (alpha_B - xi)
            + IE_i
            + c0_sum
            + lc_0
        )
        deta = c * V_i - d_i * (xi * xi) - eta
        dtau = r * s * xi - r * tau - r * s * xo * V_i
        dalpha = (
            beta
            - a * U3_i * (alpha * alpha * alpha)
            + b * U2_i * (alpha * alpha)
            - gamma
            + K21 * (xi_C - alpha)
            + II_i
            + c0_sum
            + lc_0
        )
        dbeta = c * U_i - p_i * (alpha * alpha) - beta
        dgamma = r * s * alpha - r * gamma - r * s * xo * U_i
        return dxi, deta, dtau, dalpha, dbeta, dgamma
