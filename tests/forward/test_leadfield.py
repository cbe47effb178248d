"""OpenMEEG lead fields: analytic concentric-sphere check, cache, BEM surface checks.

Analytic reference: the potential on the outer surface of ``N`` concentric spherical shells
(radii ``R_1 < ... < R_N``, conductivities ``s_1..s_N``, air outside) of a current dipole
``p`` at ``r0`` in the innermost shell, by separation of variables (de Munck 1988; the
homogeneous case is Frank 1952).  A unit point current at ``r0`` in an infinite medium of
conductivity ``s_1`` has potential ``1/(4 pi s_1 |r - r0|) = sum_l c b^l / r^(l+1) P_l(cos g)``
with ``c = 1 / (4 pi s_1)``, ``b = |r0|`` and ``g`` the angle between ``r`` and ``r0``.  In shell
``k`` each Legendre term is ``(a_k r^l + b_k r^-(l+1)) P_l`` (plus the source term in shell 1,
where ``b_1 = 0``); potential and normal current ``s dV/dr`` are continuous at every interface
and ``dV/dr = 0`` at ``R_N``.  Solving that small linear system per ``l`` gives
``V_l(R_N) = A_l b^l``; a dipole is the gradient with respect to the source position, so

    V(r) = sum_l A_l p . grad_r0 [b^l P_l(cos g)]
         = sum_l A_l b^(l-1) [l P_l(cos g) p . u0 + P_l'(cos g) p . (u - cos g u0)]

with ``u = r/|r|``, ``u0 = r0/|r0|``.  For ``N = 1`` the system gives the textbook
``A_l = c (2l + 1) / (l R^(l+1))`` (checked below).  The OpenMEEG run uses icosphere meshes of
162 vertices per layer (2-3 s per head matrix here), so agreement is limited by the mesh.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.polynomial import legendre

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.sensors import SensorsEEG, SensorsInternal, SensorsMEG
from vbrain.datatypes.surface import Surface, icosphere
from vbrain.forward import leadfield as lf

pytest.importorskip("openmeeg")

RADII = np.array([87.0, 92.0, 100.0])  # mm: inner skull, outer skull, scalp


def _shell_term(l: int, radii: np.ndarray, sigma: np.ndarray) -> float:
    """``A_l``: outer-surface potential of the ``l`` term per ``b^l`` (unit point current)."""
    n = len(radii)
    c = 1.0 / (4 * np.pi * sigma[0])
    size = 1 + 2 * (n - 1)  # a_1, then (a_k, b_k) for k = 2..n
    A = np.zeros((size, size))
    rhs = np.zeros(size)

    def cols(k: int) -> tuple[int, int | None]:
        return (0, None) if k == 0 else (2 * k - 1, 2 * k)

    def put(row: int, k: int, R: float, sign: float, deriv: bool, s: float) -> None:
        ia, ib = cols(k)
        A[row, ia] += sign * s * (l * R ** (l - 1) if deriv else R**l)
        if ib is not None:
            A[row, ib] += sign * s * (-(l + 1) * R ** (-l - 2) if deriv else R ** (-l - 1))
        if k == 0:  # the source term lives in shell 1
            rhs[row] -= sign * s * c * (-(l + 1) * R ** (-l - 2) if deriv else R ** (-l - 1))

    row = 0
    for k in range(n - 1):
        R = radii[k]
        put(row, k, R, 1.0, False, 1.0)
        put(row, k + 1, R, -1.0, False, 1.0)
        put(row + 1, k, R, 1.0, True, sigma[k])
        put(row + 1, k + 1, R, -1.0, True, sigma[k + 1])
        row += 2
    put(row, n - 1, radii[-1], 1.0, True, 1.0)
    x = np.linalg.solve(A, rhs)
    ia, ib = cols(n - 1)
    R = radii[-1]
    value = x[ia] * R**l + (x[ib] * R ** (-l - 1) if ib is not None else 0.0)
    return value + (c * R ** (-l - 1) if n == 1 else 0.0)


def sphere_potential(r0, p, electrodes, radii, sigma, l_max: int = 120) -> np.ndarray:
    """Potential (V, positions in mm converted to m) at ``electrodes`` on the outer sphere."""
    scale = radii[-1]  # work in units of the outer radius: powers of l stay near 1
    radii = np.asarray(radii, float) / scale
    r0 = np.asarray(r0, float) / scale
    p = np.asarray(p, float)
    u = electrodes / np.linalg.norm(electrodes, axis=1, keepdims=True)
    b = np.linalg.norm(r0)
    u0 = r0 / b
    cos_g = u @ u0
    v = np.zeros(len(u))
    for l in range(1, l_max + 1):
        coef = np.zeros(l + 1)
        coef[-1] = 1.0
        P = legendre.legval(cos_g, coef)
        dP = legendre.legval(cos_g, legendre.legder(coef))
        grad = b ** (l - 1) * (l * P * (u0 @ p) + dP * ((u - cos_g[:, None] * u0) @ p))
        v += _shell_term(l, radii, np.asarray(sigma, float)) * grad
    return v / (scale * 1e-3) ** 2  # potential of a dipole scales as 1 / length^2


def test_series_reduces_to_the_homogeneous_sphere():
    for l in (1, 2, 7):
        expected = (2 * l + 1) / l / (4 * np.pi * 0.5) / 2.0 ** (l + 1)
        assert np.isclose(_shell_term(l, np.array([2.0]), np.array([0.5])), expected)
        # three shells of equal conductivity are one homogeneous sphere
        three = _shell_term(l, np.array([1.0, 1.5, 2.0]), np.array([0.5, 0.5, 0.5]))
        assert np.isclose(three, expected)


def _spheres(n_subdivisions: int) -> list[Surface]:
    return [icosphere(n_subdivisions, radius=r) for r in RADII]


DIPOLES = np.array(
    [
        [0.0, 0.0, 45.0, 0.0, 0.0, 1.0],  # radial, below the north pole
        [25.0, 15.0, 30.0, 1.0, 0.0, 0.0],  # tangential
        [0.0, 50.0, 0.0, 0.6, 0.0, 0.8],  # oblique
    ]
)


def _electrodes() -> SensorsEEG:
    positions = icosphere(2, radius=RADII[-1]).vertices[:80]
    return SensorsEEG(labels=[f"E{i}" for i in range(len(positions))], locations=positions)


def _relative_error(gain: np.ndarray, exact: np.ndarray) -> float:
    # both average-referenced: the potential is defined up to a constant
    g = gain - gain.mean()
    e = exact - exact.mean()
    return float(np.linalg.norm(g - e) / np.linalg.norm(e))


@pytest.mark.parametrize(
    ("sigma", "tolerance"),
    [((1.0, 0.0125, 1.0), 0.05), ((1.0, 1.0, 1.0), 0.09)],
    ids=["three-shell", "homogeneous"],
)
def test_eeg_matches_concentric_sphere_solution(sigma, tolerance, tmp_path):
    sensors = _electrodes()
    proj = lf.compute_leadfield(
        DIPOLES,
        sensors,
        bem=_spheres(2),
        conductivities=sigma,
        bem_subdivisions=None,
        cache_dir=tmp_path,
    )
    assert proj.gain.shape == (sensors.n_sensors, len(DIPOLES))
    assert proj.modality == "EEG" and proj.sensors is sensors
    for j, dip in enumerate(DIPOLES):
        exact = sphere_potential(dip[:3], dip[3:], sensors.locations, RADII, sigma)
        assert _relative_error(proj.gain[:, j], exact) < tolerance, j
    # sign: the radial dipole pointing up raises the potential at the north pole
    north = int(np.argmax(sensors.locations[:, 2]))
    assert proj.gain[north, 0] > 0


def test_meg_matches_sarvas(tmp_path):
    # Sarvas (1987): the field outside any spherically symmetric conductor
    def sarvas(r0, q, r, ori):
        a = r - r0
        an, rn = np.linalg.norm(a), np.linalg.norm(r)
        F = an * (rn * an + rn**2 - r0 @ r)
        gradF = (an**2 / rn + a @ r / an + 2 * an + 2 * rn) * r - (an + 2 * rn + a @ r / an) * r0
        qxr0 = np.cross(q, r0)
        return 1e-7 / F**2 * (F * qxr0 - (qxr0 @ r) * gradF) @ ori

    directions = icosphere(1).vertices[icosphere(1).vertices[:, 2] > 0.2]
    sensors = SensorsMEG(
        labels=[f"M{i}" for i in range(len(directions))],
        locations=120.0 * directions,
        orientations=directions,
    )
    dip = DIPOLES[1]
    proj = lf.compute_leadfield(
        dip[None], sensors, bem=_spheres(2), bem_subdivisions=None, cache_dir=tmp_path
    )
    metres = 1e-3
    exact = np.array(
        [
            sarvas(dip[:3] * metres, dip[3:], loc * metres, ori)
            for loc, ori in zip(sensors.locations, directions, strict=True)
        ]
    )
    err = np.linalg.norm(proj.gain[:, 0] - exact) / np.linalg.norm(exact)
    assert err < 0.05


def test_cache_returns_the_identical_matrix_without_recomputing(tmp_path, monkeypatch):
    sensors = _electrodes()
    kwargs = dict(bem=_spheres(1), bem_subdivisions=None, cache_dir=tmp_path)
    first = lf.compute_leadfield(DIPOLES, sensors, **kwargs)
    assert len(list(tmp_path.glob("*.npy"))) == 1

    def refuse(*args, **kw):
        raise AssertionError("the cached lead field should have been used")

    monkeypatch.setattr(lf, "_compute_gain", refuse)
    again = lf.compute_leadfield(DIPOLES, sensors, **kwargs)
    assert np.array_equal(again.gain, first.gain)
    # any change of input is a different key: it would be computed
    with pytest.raises(AssertionError, match="cached lead field"):
        lf.compute_leadfield(DIPOLES, sensors, conductivities=(1, 0.01, 1), **kwargs)


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VBRAIN_CACHE_DIR", str(tmp_path))
    assert lf.leadfield_cache_dir() == tmp_path / "leadfields"
    monkeypatch.delenv("VBRAIN_CACHE_DIR")
    assert lf.leadfield_cache_dir().parts[-3:] == (".cache", "vbrain", "leadfields")


def test_connectivity_sources(tmp_path):
    conn = Connectivity(
        weights=np.ones((2, 2)) - np.eye(2),
        centres=[[20.0, 0, 10], [-20.0, 0, 10]],
        orientations=[[0, 0, 1.0], [0, 0, 1.0]],
    )
    by_conn = lf.compute_leadfield(
        conn, _electrodes(), bem=_spheres(1), bem_subdivisions=None, cache_dir=tmp_path
    )
    assert by_conn.gain.shape == (80, 2) and np.isfinite(by_conn.gain).all()
    zero = Connectivity(weights=np.ones((2, 2)), centres=[[20.0, 0, 10], [-20.0, 0, 10]])
    with pytest.raises(ValidationError, match="zero orientation"):
        lf.compute_leadfield(zero, _electrodes(), bem=_spheres(1), cache_dir=tmp_path)


# -- checks of the input ---------------------------------------------------------------------


def test_bem_surface_defects_are_reported():
    spheres = _spheres(1)
    lf.check_bem_surfaces(spheres)
    open_skull = Surface(vertices=spheres[1].vertices, triangles=spheres[1].triangles[1:])
    with pytest.raises(ValidationError, match=r"BEM outer skull surface is unusable: .*1 holes"):
        lf.check_bem_surfaces([spheres[0], open_skull, spheres[2]])
    tris = spheres[0].triangles.copy()
    tris[0] = tris[0, ::-1]
    flipped = Surface(vertices=spheres[0].vertices, triangles=tris)
    with pytest.raises(ValidationError, match="inner skull .*inconsistently oriented"):
        lf.check_bem_surfaces([flipped, spheres[1], spheres[2]])
    with pytest.raises(ValidationError, match="not nested: 42 of 42 vertices of the outer skull"):
        lf.check_bem_surfaces([spheres[0], icosphere(1, radius=120.0), spheres[2]])


def test_bad_sources_and_sensors(tmp_path):
    bem = _spheres(1)
    with pytest.raises(ValidationError, match="1 of 1 sources are not inside the inner skull"):
        lf.compute_leadfield([[0, 0, 95.0, 0, 0, 1]], _electrodes(), bem=bem, bem_subdivisions=None)
    seeg = SensorsInternal.example()
    with pytest.raises(ValidationError, match="EEG or MEG sensors"):
        lf.compute_leadfield(DIPOLES, seeg, bem=bem)
    with pytest.raises(ValidationError, match="need orientations"):
        lf.compute_leadfield(DIPOLES[:, :3], _electrodes(), bem=bem)
    with pytest.raises(ValidationError, match="expected three positive numbers"):
        lf.compute_leadfield(DIPOLES, _electrodes(), bem=bem, conductivities=(1, -1, 1))
    with pytest.raises(ValidationError, match="expected 3"):
        lf.compute_leadfield(DIPOLES, _electrodes(), bem=bem[:2])


def test_resample_radially_keeps_a_sphere_and_nesting():
    fine = icosphere(4, radius=80.0)
    coarse = lf.resample_radially(fine, 2, centre=[0, 0, 0])
    assert coarse.n_vertices == 162
    radius = np.linalg.norm(coarse.vertices, axis=1)
    assert np.allclose(radius, 80.0, rtol=2e-3)  # on the fine polyhedron, just inside
    assert coarse.check_topology().is_valid and coarse.check_topology().is_closed


def test_points_inside():
    sphere = icosphere(2, radius=50.0)
    inside = lf.points_inside(sphere, [[0, 0, 0], [0, 0, 45], [0, 0, 55], [60, 0, 0]])
    assert inside.tolist() == [True, True, False, False]
    assert lf.points_inside(sphere.flipped(), [[0, 0, 0]]).tolist() == [True]


@pytest.mark.slow
def test_shipped_head_eeg_65(tmp_path):
    from vbrain import datasets

    sensors = datasets.load_sensors("eeg_65")
    conn = datasets.load_connectivity(76)
    inner = lf.resample_radially(lf.load_bem_surfaces()[0], 3, lf.load_bem_surfaces()[0].centre)
    # 4 of the shipped region centres lie outside the shipped inner skull (the head surfaces
    # and the connectome are not exactly co-registered): use the others
    keep = lf.points_inside(inner, conn.centres)
    assert keep.sum() >= 70
    proj = lf.compute_leadfield(
        conn.centres[keep], sensors, orientations=conn.orientations[keep], cache_dir=tmp_path
    )
    assert proj.gain.shape == (65, int(keep.sum()))
    assert np.isfinite(proj.gain).all() and np.abs(proj.gain).max() > 0
