"""EEG and MEG lead fields computed with OpenMEEG's symmetric boundary element method.

The head is three nested closed surfaces (inner skull, outer skull, outer skin) bounding
brain, skull and scalp of constant conductivity; the sources are current dipoles (cortical
vertices with their normals, or region centres with their mean orientations).  OpenMEEG
(``pip install vbrain[leadfield]``) assembles and inverts the head matrix and maps dipoles to
electrode potentials (EEG) or coil fields (MEG).  Results are cached on disk, keyed by a hash
of every input, so asking again is instant.

Units
-----
Positions are given in mm (vbrain's convention) and converted to metres for OpenMEEG, with
conductivities in S/m, so an EEG gain is in V per A·m of dipole moment and an MEG gain in T
per A·m.

Default conductivities
----------------------
``(1.0, 0.0125, 1.0)`` S/m for brain, skull, scalp: the brain/skull ratio of 80 of Rush &
Driscoll (1968) used by OpenMEEG's examples and by the reference system's lead fields.
(``(0.33, 0.0042, 0.33)`` is the same ratio in physiological units; EEG gains scale as
1 / conductivity, MEG gains do not depend on it.)

Mesh size
---------
BEM cost grows as the cube of the number of unknowns (vertices of all layers plus triangles
of the inner two).  The shipped 4096-vertex head surfaces give about 29 000 unknowns (a
6.6 GB dense matrix), so by default every layer is resampled radially onto an icosphere of
642 vertices (:func:`resample_radially`, ``bem_subdivisions=3``) — a few minutes on two
cores — and ``bem_subdivisions=None`` uses the surfaces as given.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.projections import ProjectionMatrix
from vbrain.datatypes.sensors import Sensors
from vbrain.datatypes.surface import Surface, icosphere

__all__ = [
    "DEFAULT_CONDUCTIVITIES",
    "check_bem_surfaces",
    "compute_leadfield",
    "leadfield_cache_dir",
    "load_bem_surfaces",
    "points_inside",
    "resample_radially",
]

DEFAULT_CONDUCTIVITIES = (1.0, 0.0125, 1.0)
"""Brain, skull, scalp conductivities (S/m): the 1 : 1/80 : 1 ratio of Rush & Driscoll."""

_LAYER_NAMES = ("inner skull", "outer skull", "outer skin")
_CACHE_VERSION = "vbrain-leadfield-1"  # bump when the computation changes


def _openmeeg() -> Any:
    try:
        import openmeeg
    except ImportError:
        raise ImportError(
            "computing lead fields needs OpenMEEG; install it with "
            "`pip install vbrain[leadfield]` (or `pip install openmeeg`)"
        ) from None
    return openmeeg


def leadfield_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Folder of cached lead fields: ``cache_dir``, else ``$VBRAIN_CACHE_DIR/leadfields``,
    else ``~/.cache/vbrain/leadfields``."""
    if cache_dir is not None:
        return Path(cache_dir)
    root = os.environ.get("VBRAIN_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "vbrain"
    return base / "leadfields"


# --------------------------------------------------------------------------------------
# Geometry helpers


def points_inside(surface: Surface, points: Any, chunk: int = 2_000_000) -> np.ndarray:
    """Whether each point lies inside a closed surface (whatever its winding).

    Uses the solid angle the surface subtends at the point (Van Oosterom & Strackee, 1983):
    ±4π inside, 0 outside.

    Parameters
    ----------
    surface : Surface
        A closed surface.
    points : array_like, shape (k, 3)
        Points in the surface's units (mm).
    chunk : int
        Point-triangle pairs per block (bounds the memory used).

    Returns
    -------
    numpy.ndarray of bool, shape (k,)
    """
    pts = np.atleast_2d(np.asarray(points, dtype=float))
    tri = surface.vertices[surface.triangles]  # (m, 3, 3)
    step = max(1, chunk // max(1, len(tri)))
    omega = np.empty(len(pts))
    for start in range(0, len(pts), step):
        p = pts[start : start + step, None, None, :]
        r = tri[None] - p  # (k, m, 3, 3)
        n = np.linalg.norm(r, axis=-1)
        r1, r2, r3 = r[:, :, 0], r[:, :, 1], r[:, :, 2]
        n1, n2, n3 = n[:, :, 0], n[:, :, 1], n[:, :, 2]
        num = np.einsum("ijk,ijk->ij", r1, np.cross(r2, r3))
        den = (
            n1 * n2 * n3
            + np.einsum("ijk,ijk->ij", r1, r2) * n3
            + np.einsum("ijk,ijk->ij", r1, r3) * n2
            + np.einsum("ijk,ijk->ij", r2, r3) * n1
        )
        omega[start : start + step] = 2.0 * np.arctan2(num, den).sum(axis=1)
    return np.abs(omega) > 2.0 * np.pi


def _ray_hits(surface: Surface, origin: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Distance along each unit direction from ``origin`` to the farthest crossing of the
    surface (Möller–Trumbore ray/triangle test); NaN where the ray misses it."""
    tri = surface.vertices[surface.triangles] - origin
    v0, e1, e2 = tri[:, 0], tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    out = np.full(len(directions), np.nan)
    step = max(1, 2_000_000 // len(tri))
    for start in range(0, len(directions), step):
        d = directions[start : start + step, None, :]  # (k, 1, 3)
        pvec = np.cross(d, e2)  # (k, m, 3)
        det = np.einsum("kmj,mj->km", pvec, e1)
        ok = np.abs(det) > 1e-12
        inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
        tvec = -v0  # origin - v0, origin at 0
        u = np.einsum("kmj,mj->km", pvec, tvec) * inv
        qvec = np.cross(tvec, e1)  # (m, 3)
        v = np.einsum("kj,mj->km", d[:, 0], qvec) * inv
        t = np.einsum("mj,mj->m", e2, qvec)[None] * inv
        hit = ok & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9) & (t > 0)
        far = np.where(hit, t, -np.inf).max(axis=1)
        out[start : start + step] = np.where(np.isfinite(far), far, np.nan)
    return out


def resample_radially(
    surface: Surface, n_subdivisions: int = 3, centre: Any | None = None
) -> Surface:
    """Remesh a star-shaped closed surface onto the rays of an icosphere.

    Each vertex of an icosphere (:func:`~vbrain.datatypes.surface.icosphere`) gives a ray
    from ``centre``; the new vertex is where the ray leaves the surface for the last time.
    Nested surfaces resampled from the same centre with the same ``n_subdivisions`` stay
    nested (the vertices on each ray keep their order, and the triangles between the same
    three rays cannot cross), and the result is always closed, manifold and consistently
    oriented.

    Parameters
    ----------
    surface : Surface
        A closed surface, star-shaped around ``centre`` (true of skull and scalp surfaces
        seen from the middle of the brain).
    n_subdivisions : int
        Icosphere level: 2 -> 162 vertices, 3 -> 642, 4 -> 2562.
    centre : array_like, shape (3,), optional
        Origin of the rays (mm).  Default: the mean of the surface's vertices.

    Returns
    -------
    Surface
        Same class as ``surface``, outward-wound.

    Raises
    ------
    ValidationError
        When some ray does not meet the surface (it is open, or ``centre`` is outside it).
    """
    c = surface.centre if centre is None else np.asarray(centre, dtype=float)
    sphere = icosphere(n_subdivisions)
    directions = sphere.vertices
    dist = _ray_hits(surface, c, directions)
    if np.isnan(dist).any():
        raise ValidationError(
            f"{type(surface).__name__}: {int(np.isnan(dist).sum())} of {len(dist)} rays from "
            f"{np.round(c, 2).tolist()} do not meet the surface; it must be closed and the "
            "centre inside it"
        )
    return type(surface)(vertices=c + dist[:, None] * directions, triangles=sphere.triangles)


def check_bem_surfaces(surfaces: Sequence[Surface], *, nested: bool = True) -> None:
    """Check boundary-element layers: each closed, manifold, consistently oriented, one
    piece, without degenerate triangles, and each strictly inside the next.

    Parameters
    ----------
    surfaces : sequence of Surface
        From the innermost (inner skull) to the outermost (outer skin).
    nested : bool, default True
        Also check that every vertex of each layer is inside the next (a solid-angle test,
        seconds for 4096-vertex surfaces).

    Raises
    ------
    ValidationError
        Naming the layer and what is wrong with it (e.g. "outer skull: 2 holes (...)", or
        "12 vertices of the inner skull are not inside the outer skull").
    """
    names = _LAYER_NAMES if len(surfaces) == 3 else [f"layer {i}" for i in range(len(surfaces))]
    for name, surf in zip(names, surfaces, strict=True):
        if not isinstance(surf, Surface):
            raise ValidationError(f"BEM {name}: expected a Surface, got {type(surf).__name__}")
        report = surf.check_topology()
        problems = report.problems(closed=True, single_piece=True)
        if problems:
            raise ValidationError(f"BEM {name} surface is unusable: " + "; ".join(problems))
    if not nested:
        return
    for (inner_name, inner), (outer_name, outer) in zip(
        zip(names, surfaces, strict=True),
        list(zip(names, surfaces, strict=True))[1:],
        strict=False,
    ):
        outside = ~points_inside(outer, inner.vertices)
        if outside.any():
            raise ValidationError(
                f"BEM surfaces are not nested: {int(outside.sum())} of {inner.n_vertices} "
                f"vertices of the {inner_name} are not inside the {outer_name} (e.g. vertex "
                f"{int(np.argmax(outside))}); each layer must lie strictly inside the next"
            )


def load_bem_surfaces() -> tuple[Surface, Surface, Surface]:
    """Inner skull, outer skull and outer skin shipped with ``tvb-data`` (4096 vertices each)."""
    from vbrain.datasets import load_surface

    return (load_surface("inner_skull"), load_surface("outer_skull"), load_surface("outer_skin"))


# --------------------------------------------------------------------------------------
# Inputs


def _source_dipoles(sources: Any, orientations: Any | None) -> np.ndarray:
    """``(n, 6)`` rows ``x y z ox oy oz`` (mm, unit orientation) from the sources given."""
    from vbrain.datatypes.connectivity import Connectivity

    if isinstance(sources, Surface):
        pos, ori = sources.vertices, sources.vertex_normals
        what = "surface vertex normals"
    elif isinstance(sources, Connectivity):
        pos, ori = sources.centres, sources.orientations
        what = "connectivity orientations"
    else:
        arr = np.asarray(sources, dtype=float)
        if arr.ndim == 2 and arr.shape[1] == 6 and orientations is None:
            pos, ori = arr[:, :3], arr[:, 3:]
        elif arr.ndim == 2 and arr.shape[1] == 3:
            pos, ori = arr, orientations
        else:
            raise ValidationError(
                f"sources have shape {arr.shape}; expected a Surface, a Connectivity, an "
                "(n, 6) array of 'x y z ox oy oz' or (n, 3) positions with orientations"
            )
        what = "orientations"
    if orientations is not None:
        ori = orientations
    if ori is None:
        raise ValidationError(
            "the sources need orientations (n x 3): pass orientations=... with the positions"
        )
    pos = np.asarray(pos, dtype=float)
    ori = np.asarray(ori, dtype=float)
    if ori.shape != pos.shape:
        raise ValidationError(
            f"orientations have shape {ori.shape} but there are {len(pos)} sources; expected "
            f"({len(pos)}, 3)"
        )
    if not (np.isfinite(pos).all() and np.isfinite(ori).all()):
        raise ValidationError("source positions and orientations must be finite numbers")
    norms = np.linalg.norm(ori, axis=1)
    if (norms == 0).any():
        raise ValidationError(
            f"{int((norms == 0).sum())} sources have a zero orientation (e.g. source "
            f"{int(np.argmax(norms == 0))}) in the {what}; every dipole needs a direction"
        )
    return np.concatenate([pos, ori / norms[:, None]], axis=1)


def _modality(sensors: Sensors, modality: str | None) -> str:
    if modality is None:
        modality = sensors.modality
    modality = None if modality is None else str(modality).upper()
    if modality not in ("EEG", "MEG"):
        raise ValidationError(
            f"lead fields are computed for EEG or MEG sensors, got {modality!r}; pass "
            "SensorsEEG / SensorsMEG or modality='EEG' / 'MEG'"
        )
    if modality == "MEG" and sensors.orientations is None:
        raise ValidationError("MEG lead fields need sensor orientations (the coil normals)")
    return modality


def _eeg_positions(sensors: Sensors, skin: Surface) -> np.ndarray:
    """Electrode positions (mm); unit vectors (as in ``eeg_unitvector_62``) are projected
    onto the skin along rays from its centre."""
    loc = sensors.locations
    if np.linalg.norm(loc, axis=1).max() < 2.0:
        centre = skin.centre
        dirs = loc / np.linalg.norm(loc, axis=1, keepdims=True)
        dist = _ray_hits(skin, centre, dirs)
        if np.isnan(dist).any():
            raise ValidationError("some unit-vector electrodes do not project onto the skin")
        return centre + dist[:, None] * dirs
    return loc


def _digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            arr = np.ascontiguousarray(part)
            h.update(f"{arr.dtype.str}{arr.shape}".encode())
            h.update(arr.tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"|")
    return h.hexdigest()


# --------------------------------------------------------------------------------------
# The computation


def _compute_gain(
    layers: Sequence[Surface],
    conductivities: Sequence[float],
    dipoles_mm: np.ndarray,
    sensor_pos_mm: np.ndarray,
    sensor_ori: np.ndarray | None,
    modality: str,
) -> np.ndarray:
    om = _openmeeg()
    mm = 1e-3
    meshes = []
    for surf in layers:
        tri = surf.triangles
        # OpenMEEG's nested geometry needs the triangles wound clockwise seen from outside
        # (inward normals, as in the shipped head surfaces): with outward winding every
        # potential comes out with the wrong sign (checked against the analytic sphere
        # solution in tests/forward/test_leadfield.py)
        if surf.check_topology().signed_volume > 0:
            tri = tri[:, ::-1]
        meshes.append((np.ascontiguousarray(surf.vertices * mm), np.ascontiguousarray(tri)))
    dip = dipoles_mm.copy()
    dip[:, :3] *= mm
    with om.use_log_level("warning"):
        geom = om.make_nested_geometry(meshes, list(map(float, conductivities)))
        integrator = om.Integrator(3, 0, 0.005)
        hminv = om.HeadMat(geom, integrator)
        hminv.invert()  # in place: the head matrix is the largest object
        dsm = om.DipSourceMat(geom, om.Matrix(np.asfortranarray(dip)), integrator, "Brain")
        if modality == "EEG":
            sensors = om.make_sensors(np.asfortranarray(sensor_pos_mm * mm), geometry=geom)
            gain = om.GainEEG(hminv, dsm, om.Head2EEGMat(geom, sensors)).array()
        else:
            sensors = om.make_sensors(
                np.asfortranarray(sensor_pos_mm * mm), np.asfortranarray(sensor_ori)
            )
            h2mm = om.Head2MEGMat(geom, sensors)
            ds2mm = om.DipSource2MEGMat(om.Matrix(np.asfortranarray(dip)), sensors)
            gain = om.GainMEG(hminv, dsm, h2mm, ds2mm).array()
    return np.array(gain, dtype=float)


def compute_leadfield(
    sources: Any,
    sensors: Sensors,
    *,
    orientations: Any | None = None,
    bem: Sequence[Surface] | None = None,
    conductivities: Sequence[float] = DEFAULT_CONDUCTIVITIES,
    bem_subdivisions: int | None = 3,
    modality: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> ProjectionMatrix:
    """EEG or MEG gain matrix of dipole sources in a three-layer head, via OpenMEEG.

    Parameters
    ----------
    sources : Surface, Connectivity or array_like
        Cortical surface (a dipole at every vertex along its normal), connectivity (a dipole
        at every region centre along its mean orientation), an ``(n, 6)`` array
        ``x y z ox oy oz`` or ``(n, 3)`` positions with ``orientations``.  Positions in mm;
        they must lie inside the inner skull.
    sensors : SensorsEEG or SensorsMEG
        EEG electrodes (mm, mapped onto the outer skin; unit vectors are first projected
        along rays from the head centre) or MEG coils (mm, with orientations; outside the
        head).
    orientations : array_like, shape (n, 3), optional
        Dipole orientations (overrides those of ``sources``).
    bem : sequence of three Surface, optional
        Inner skull, outer skull, outer skin (mm).  Default: the ``tvb-data`` surfaces
        (:func:`load_bem_surfaces`).
    conductivities : three floats
        Brain, skull, scalp conductivities in S/m; default :data:`DEFAULT_CONDUCTIVITIES`.
    bem_subdivisions : int or None, default 3
        Resample every layer onto an icosphere of this level (:func:`resample_radially`,
        rays from the centre of the inner skull; 3 -> 642 vertices per layer) to keep the
        BEM small; None uses the surfaces as given.
    modality : {"EEG", "MEG"}, optional
        Default: the sensors' modality.
    cache : bool, default True
        Reuse (and store) the result in :func:`leadfield_cache_dir`, keyed by a SHA-256 of
        every input (surfaces, conductivities, sources, sensors, resampling, OpenMEEG
        version).
    cache_dir : path, optional
        Cache folder (default ``$VBRAIN_CACHE_DIR/leadfields`` or
        ``~/.cache/vbrain/leadfields``).

    Returns
    -------
    ProjectionMatrix
        ``gain`` of shape ``(n_sensors, n_sources)`` in V/(A·m) (EEG) or T/(A·m) (MEG), with
        the sensors attached (rows of unusable sensors are zero).

    Raises
    ------
    ImportError
        When OpenMEEG is not installed.
    ValidationError
        For BEM surfaces that are open, non-manifold, inconsistently oriented or not nested
        (:func:`check_bem_surfaces`), sources outside the inner skull, sources without
        orientations, sensors of another modality or MEG sensors without orientations.

    Examples
    --------
    >>> from vbrain.datasets import load_connectivity, load_sensors
    >>> proj = compute_leadfield(load_connectivity(76), load_sensors("eeg_65"))  # doctest: +SKIP
    >>> proj.gain.shape  # doctest: +SKIP
    (65, 76)
    """
    if not isinstance(sensors, Sensors):
        raise ValidationError(f"sensors must be Sensors, got {type(sensors).__name__}")
    mod = _modality(sensors, modality)
    dipoles = _source_dipoles(sources, orientations)
    layers = tuple(load_bem_surfaces() if bem is None else bem)
    if len(layers) != 3:
        raise ValidationError(
            f"bem has {len(layers)} surfaces; expected 3: inner skull, outer skull, outer skin"
        )
    sigma = tuple(float(s) for s in conductivities)
    if len(sigma) != 3 or not all(np.isfinite(s) and s > 0 for s in sigma):
        raise ValidationError(
            f"conductivities are {conductivities!r}; expected three positive numbers (S/m) for "
            "brain, skull and scalp"
        )
    if bem_subdivisions is not None and int(bem_subdivisions) < 1:
        raise ValidationError(f"bem_subdivisions is {bem_subdivisions}; use 1..4 or None")
    sensor_ori = None if mod == "EEG" else sensors.orientations
    if mod == "EEG":
        sensor_pos = _eeg_positions(sensors, layers[2])
    else:
        sensor_pos = sensors.locations

    key = None
    if cache:
        om_version = getattr(_openmeeg(), "__version__", "?")
        key = _digest(
            _CACHE_VERSION,
            om_version,
            mod,
            sigma,
            bem_subdivisions,
            *[a for s in layers for a in (s.vertices, s.triangles)],
            dipoles,
            sensor_pos,
            sensor_ori if sensor_ori is not None else "no orientations",
        )
        path = leadfield_cache_dir(cache_dir) / f"{key}.npy"
        if path.is_file():
            try:
                gain = np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                gain = None  # a damaged file: compute again and replace it
            if gain is not None and gain.shape == (sensors.n_sensors, len(dipoles)):
                return ProjectionMatrix(gain=gain, modality=mod, sensors=sensors)

    if bem_subdivisions is not None:
        # defects of the given surfaces are reported as theirs, before resampling hides them
        check_bem_surfaces(layers, nested=False)
        centre = layers[0].centre
        layers = tuple(resample_radially(s, int(bem_subdivisions), centre) for s in layers)
    check_bem_surfaces(layers)
    inside = points_inside(layers[0], dipoles[:, :3])
    if not inside.all():
        bad = int(np.argmin(inside))
        raise ValidationError(
            f"{int((~inside).sum())} of {len(dipoles)} sources are not inside the inner skull "
            f"(e.g. source {bad} at {np.round(dipoles[bad, :3], 2).tolist()} mm); dipoles "
            "must lie in the brain compartment"
        )
    if mod == "MEG":
        in_head = points_inside(layers[2], sensor_pos)
        if in_head.any():
            raise ValidationError(
                f"{int(in_head.sum())} MEG sensors are inside the outer skin (e.g. "
                f"{sensors.labels[int(np.argmax(in_head))]!r}); coils must be outside the head"
            )
    gain = _compute_gain(layers, sigma, dipoles, sensor_pos, sensor_ori, mod)

    if key is not None:
        folder = leadfield_cache_dir(cache_dir)
        folder.mkdir(parents=True, exist_ok=True)
        # write to a temporary file and rename: a crash never leaves half a matrix behind
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npy", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, gain, allow_pickle=False)
            os.replace(tmp, folder / f"{key}.npy")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return ProjectionMatrix(gain=gain, modality=mod, sensors=sensors)
