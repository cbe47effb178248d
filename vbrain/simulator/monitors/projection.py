r"""Forward-model monitors: EEG, MEG and intracerebral EEG (sEEG) from region activity.

Each monitor averages the variables of interest over its period (temporal rule ``"mean"``,
stamped at the middle of the window, like :class:`TemporalAverage`) and projects the average
through a region gain matrix :math:`G` of shape ``(n_sensors, n_region)``; modes are summed
and optional observation noise is added afterwards (a :class:`Stage`).  Because averaging and
projection are linear, this equals the reference system's per-step projection averaged over
the period.

The region gain is assembled once, when a simulation is configured:

1. from a **vertex gain** ``(n_sensors, n_vertices)`` (a surface lead field such as the
   shipped ``projection_eeg_65_surface_16k.npy``) and a **region mapping**: the columns of
   the vertices of each region are summed, :math:`G_{s r} = \sum_{v: m(v) = r} G^{vert}_{s v}`;
   or from a gain given directly with one column per region;
2. regions with no vertex in the mapping (subcortical ones), or every region when no gain is
   given, get an **analytic dipole** at the region centre oriented along the region's average
   orientation (``Connectivity.centres``/``orientations``; zero orientation gives zero gain):

   - EEG: Sarvas (1987) eq. 12, the potential of a current dipole :math:`Q` at :math:`r_0` in
     an infinite homogeneous conductor, :math:`V(r) = \frac{1}{4\pi\sigma}
     \frac{Q\cdot(r - r_0)}{|r - r_0|^3}`, evaluated at the electrodes placed on a sphere
     around the sources, as the reference system does: the sphere is centred on the mean
     region centre, its radius is 1.05125 times the largest centre distance from it, and each
     electrode is put on it along the direction of its location vector (so unit-vector
     electrode files work);
   - MEG: Sarvas (1987) eq. 25, the field outside a spherically symmetric conductor centred
     on the mean region centre (independent of the conductivity and the sphere's radius),
     with :math:`a = r - r_0`, :math:`F = |a|\,(|r||a| + |r|^2 - r_0\cdot r)`,
     :math:`\nabla F = (|a|^2/|r| + a\cdot r/|a| + 2|a| + 2|r|)\,r
     - (|a| + 2|r| + a\cdot r/|a|)\,r_0` and
     :math:`B(r) = \frac{\mu_0}{4\pi F^2}\,(F\,Q\times r_0 - (Q\times r_0\cdot r)\,\nabla F)`;
     the gain is the flux density along the unit coil orientation, :math:`B\cdot\hat n`,
     with the coils at their real positions;
   - sEEG: the point dipole of eq. 12 at the contacts' real positions;
3. NaN/inf coefficients are set to 0 (with a warning), rows of unusable sensors are set to 0;
4. EEG only: the reference — none, one electrode (its row is subtracted from every usable
   row, so that channel is identically 0) or ``"average"`` (the mean of the usable rows is
   subtracted, so usable channels sum to 0 at every sample).

Differences from the reference system: the analytic sphere is fitted to all region centres
(the reference fits it to the subcortical regions alone, which degenerates for one region);
the MEG analytic gain is the signed field along each coil's orientation (the reference returns
the field's magnitude, which is not linear in the source and ignores the coil orientation);
observation noise is off by default (``obs_noise_std = 0``) and is Gaussian with the given
standard deviation in sensor units, drawn from the monitor's own seeded random stream.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Attr, Declared, ValidationError
from vbrain.datatypes.projections import ProjectionMatrix, zero_nonfinite
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.datatypes.sensors import Sensors, SensorsEEG, SensorsInternal, SensorsMEG
from vbrain.simulator.monitors.base import Monitor, Stage, StageInfo

__all__ = [
    "EEG",
    "MEG",
    "iEEG",
    "point_dipole_potential",
    "sarvas_meg_field",
    "sphere_electrodes",
]

EEG_SPHERE_FACTOR = 1.05125
"""Radius of the analytic EEG head sphere relative to the farthest source (reference value)."""
MU0_OVER_4PI = 1e-7
"""Magnetic constant over 4 pi (H/m); with mm and unit dipoles the MEG gain is in these units."""


# --------------------------------------------------------------------------------------------
# Analytic lead fields


def point_dipole_potential(
    sensors: Any, sources: Any, orientations: Any, sigma: float = 1.0
) -> np.ndarray:
    r"""Potential of unit current dipoles in an infinite homogeneous conductor.

    Sarvas (1987) eq. 12:
    :math:`V(r) = \frac{1}{4\pi\sigma}\,\frac{Q\cdot(r - r_0)}{|r - r_0|^3}`.

    Parameters
    ----------
    sensors : array_like, shape (n_sensors, 3)
        Measurement points :math:`r`.
    sources : array_like, shape (n_sources, 3)
        Dipole positions :math:`r_0` (same length unit as ``sensors``).
    orientations : array_like, shape (n_sources, 3)
        Dipole moments :math:`Q` (unit vectors for a unit dipole).
    sigma : float
        Conductivity of the medium.

    Returns
    -------
    numpy.ndarray, shape (n_sensors, n_sources)
        Gain; infinite where a sensor coincides with a source.
    """
    r = np.asarray(sensors, dtype=float)[:, None, :]
    r0 = np.asarray(sources, dtype=float)[None, :, :]
    q = np.asarray(orientations, dtype=float)[None, :, :]
    a = r - r0
    dist = np.sqrt(np.sum(a**2, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(q * a, axis=-1) / dist**3 / (4.0 * np.pi * sigma)


def sarvas_meg_field(
    sensors: Any, coil_orientations: Any, sources: Any, orientations: Any, centre: Any = None
) -> np.ndarray:
    r"""Magnetic field of unit current dipoles in a spherically symmetric conductor.

    Sarvas (1987) eq. 25 (see the module docstring), projected on the unit coil orientation
    :math:`\hat n`: the gain is :math:`B(r)\cdot\hat n`.  Radial dipoles produce no field
    outside the sphere.

    Parameters
    ----------
    sensors : array_like, shape (n_sensors, 3)
        Coil positions (outside the conductor).
    coil_orientations : array_like, shape (n_sensors, 3)
        Coil normals (normalised here; zero vectors give zero gain).
    sources, orientations : array_like, shape (n_sources, 3)
        Dipole positions and moments.
    centre : array_like, shape (3,), optional
        Centre of the conducting sphere (default the origin).

    Returns
    -------
    numpy.ndarray, shape (n_sensors, n_sources)
        :math:`\mu_0/(4\pi)` times the geometric factor (positions in mm give T*mm/(A*m) up
        to the constant unit factors).
    """
    c = np.zeros(3) if centre is None else np.asarray(centre, dtype=float)
    r = np.asarray(sensors, dtype=float)[:, None, :] - c
    r0 = np.asarray(sources, dtype=float)[None, :, :] - c
    q = np.asarray(orientations, dtype=float)[None, :, :]
    n = np.asarray(coil_orientations, dtype=float)
    norm = np.linalg.norm(n, axis=1, keepdims=True)
    n_hat = np.divide(n, norm, out=np.zeros_like(n), where=norm > 0)[:, None, :]
    a_vec = r - r0
    a = np.linalg.norm(a_vec, axis=-1, keepdims=True)
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    a_dot_r = np.sum(a_vec * r, axis=-1, keepdims=True)
    r0_dot_r = np.sum(r0 * r, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        F = a * (rn * a + rn**2 - r0_dot_r)
        grad_F = (a**2 / rn + a_dot_r / a + 2.0 * a + 2.0 * rn) * r - (
            a + 2.0 * rn + a_dot_r / a
        ) * r0
        q_x_r0 = np.cross(q, r0)
        B = MU0_OVER_4PI / F**2 * (F * q_x_r0 - np.sum(q_x_r0 * r, axis=-1, keepdims=True) * grad_F)
    return np.sum(B * n_hat, axis=-1)


def sphere_electrodes(electrodes: Any, centres: Any) -> np.ndarray:
    """Electrode positions on the reference system's analytic EEG head sphere.

    The sphere is centred on the mean of ``centres`` with radius ``1.05125`` times the largest
    distance of a centre from it; each electrode is placed on it along the direction of its
    location vector (electrodes at the origin get NaN positions, hence zero gain).

    Parameters
    ----------
    electrodes : array_like, shape (n_sensors, 3)
    centres : array_like, shape (n_sources, 3)
        Positions of all the sources (region centres) the head must contain.
    """
    loc = np.asarray(electrodes, dtype=float)
    src = np.asarray(centres, dtype=float)
    centre = src.mean(axis=0)
    radius = EEG_SPHERE_FACTOR * float(np.max(np.linalg.norm(src - centre, axis=1)))
    norm = np.linalg.norm(loc, axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return loc / norm * radius + centre


# --------------------------------------------------------------------------------------------
# The stage after the spatial map: sum the modes, add observation noise


class _SensorStage(Stage):
    """Sum over modes and optional additive Gaussian observation noise."""

    n_mode_out = 1

    def __init__(self, period: float, std: float, rng: np.random.Generator) -> None:
        self.period = period
        self.std = std
        self.rng = rng

    def process(self, time: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        out = data.sum(axis=-1, keepdims=True)
        if self.std > 0:
            # drawn sample after sample: chunked runs draw the same numbers as one long run
            out = out + self.std * self.rng.standard_normal(out.shape)
        return time, out


# --------------------------------------------------------------------------------------------
# The monitors


def _load(kind: str, value: str, modality: str) -> Any:
    """A file path, or else a tvb-data name (``"eeg_65"``, ``"16k_76"``) -> the datatype."""
    from vbrain import datasets
    from vbrain.io.projections import read_projection
    from vbrain.io.region_mapping import read_region_mapping
    from vbrain.io.sensors import read_sensors

    if Path(value).is_file():
        if kind == "sensors":
            return read_sensors(value, modality)
        if kind == "projection":
            return read_projection(value, modality)
        return read_region_mapping(value)
    try:
        if kind == "sensors":
            return datasets.load_sensors(value)
        if kind == "projection":
            return datasets.load_projection(value, with_sensors=False)
        return datasets.load_region_mapping(value)
    except ValidationError as exc:
        raise ValidationError(f"{value!r} is not a file; {exc}") from None


def _load_or_fail(kind: str, value: str, modality: str) -> Any:
    try:
        return _load(kind, value, modality)
    except OSError as exc:
        raise ValueError(str(exc)) from None


class _ProjectionFields(Declared):
    """Fields and logic shared by the projection monitors (not itself a monitor)."""

    modality: ClassVar[str] = ""
    sensors_type: ClassVar[type[Sensors]] = Sensors

    projection: ProjectionMatrix | None = Attr(
        None,
        label="Projection matrix",
        doc="""Gain (n_sensors x n_vertices with a region_mapping, or n_sensors x n_region):
        a ProjectionMatrix, an array, a tvb-data name (e.g. "eeg_65") or a file path.
        None: analytic dipoles at the region centres.""",
    )
    region_mapping: RegionMapping | None = Attr(
        None,
        label="Region mapping",
        doc="""Region of each vertex of the gain's columns (vertex gains are summed per
        region): a RegionMapping, an array, a tvb-data name (e.g. "16k_76") or a path.""",
    )
    obs_noise_std: float = Attr(
        0.0,
        label="Observation noise",
        unit="sensor units",
        valid=(0.0, None),
        doc="""Standard deviation of additive Gaussian noise on every output sample.""",
    )

    # field validators (not a model validator) so that assignments are converted too

    @pydantic.field_validator("sensors", mode="before", check_fields=False)
    @classmethod
    def _resolve_sensors(cls, value: Any) -> Any:
        """A name or path is loaded; a generic Sensors set becomes this monitor's kind."""
        if isinstance(value, str):
            return _load_or_fail("sensors", value, cls.modality)
        if isinstance(value, Sensors) and not isinstance(value, cls.sensors_type):
            if type(value) is not Sensors:
                raise ValueError(
                    f"{cls.__name__} needs {cls.sensors_type.__name__} sensors, got "
                    f"{type(value).__name__}"
                )
            fields = {k: getattr(value, k) for k in type(value).model_fields}
            return cls.sensors_type(**fields)
        return value

    @pydantic.field_validator("projection", mode="before")
    @classmethod
    def _resolve_projection(cls, value: Any) -> Any:
        """A name or path is loaded; an array becomes a ProjectionMatrix of this modality."""
        if isinstance(value, str):
            return _load_or_fail("projection", value, cls.modality)
        if value is not None and not isinstance(value, ProjectionMatrix | dict):
            return ProjectionMatrix(gain=value, modality=cls.modality)
        return value

    @pydantic.field_validator("region_mapping", mode="before")
    @classmethod
    def _resolve_region_mapping(cls, value: Any) -> Any:
        """A name or path is loaded; an array becomes a RegionMapping."""
        if isinstance(value, str):
            return _load_or_fail("region_mapping", value, cls.modality)
        if value is not None and not isinstance(value, RegionMapping | dict):
            return RegionMapping(array=value)
        return value

    @pydantic.model_validator(mode="after")
    def _check_projection(self) -> _ProjectionFields:
        name = type(self).__name__
        sensors: Sensors | None = getattr(self, "sensors", None)
        proj = self.projection
        rm = self.region_mapping
        if sensors is None and proj is None:
            raise ValueError(
                f"{name} needs sensors (for analytic lead fields from the region centres) "
                "or a projection (gain matrix), or both"
            )
        if proj is not None:
            if proj.modality not in (None, self.modality):
                raise ValueError(
                    f"{name} needs a projection of modality {self.modality}, got {proj.modality}"
                )
            if sensors is not None and proj.n_sensors != sensors.n_sensors:
                raise ValueError(
                    f"{name}: the projection has {proj.n_sensors} rows (sensors) but there are "
                    f"{sensors.n_sensors} sensors; the gain needs one row per sensor"
                )
            if proj.sensors is not None and sensors is not None:
                if proj.sensors.labels != sensors.labels:
                    raise ValueError(
                        f"{name}: the projection's sensors are labelled differently from the "
                        "monitor's sensors; use the sensors the gain was computed for"
                    )
        if rm is not None:
            if proj is None:
                raise ValueError(
                    f"{name}: a region_mapping sums a vertex gain per region, but no projection "
                    "is given; give the vertex projection too, or leave region_mapping out to "
                    "use analytic dipoles at the region centres"
                )
            if proj.n_sources != rm.n_vertices:
                raise ValueError(
                    f"{name}: the projection has {proj.n_sources} columns (sources) but the "
                    f"region mapping has {rm.n_vertices} vertices; they must be the same "
                    "surface (one gain column per mapped vertex)"
                )
        return self

    # -- sensors ---------------------------------------------------------------------------

    @property
    def effective_sensors(self) -> Sensors | None:
        """The monitor's sensors, else those attached to the projection."""
        sensors = getattr(self, "sensors", None)
        if sensors is None and self.projection is not None:
            sensors = self.projection.sensors
        return sensors

    @property
    def n_sensors(self) -> int:
        """Number of output channels."""
        sensors = self.effective_sensors
        return sensors.n_sensors if sensors is not None else self.projection.n_sensors

    def sensor_labels(self) -> list[str]:
        """Channel names: the sensor labels, or ``<modality><i>`` without sensors."""
        sensors = self.effective_sensors
        if sensors is not None:
            return list(sensors.labels)
        return [f"{self.modality}{i}" for i in range(self.n_sensors)]

    # -- the gain --------------------------------------------------------------------------

    def analytic_gain(self, connectivity: Any, regions: Any = None) -> np.ndarray:
        """Analytic lead field of dipoles at region centres (see the module docstring).

        Parameters
        ----------
        connectivity : Connectivity
            Gives the centres (mm) and average orientations of the regions, and the sphere
            the EEG/MEG formulas need.
        regions : array_like of int, optional
            The regions (columns) to compute; default all.

        Returns
        -------
        numpy.ndarray, shape (n_sensors, n_selected_regions)
            May contain NaN/inf where a sensor coincides with a source.
        """
        sensors = self.effective_sensors
        if sensors is None:
            raise ValidationError(
                f"{type(self).__name__}: analytic lead fields need sensor positions; give "
                "sensors, or a projection covering every region"
            )
        idx = np.arange(connectivity.n_region) if regions is None else np.asarray(regions)
        no_orientation = idx[~np.any(connectivity.orientations[idx] != 0, axis=1)]
        if no_orientation.size:
            names = [connectivity.region_labels[i] for i in no_orientation[:8]]
            warnings.warn(
                f"{type(self).__name__}: {no_orientation.size} region(s) needing an analytic "
                f"lead field have no orientation (zeros), e.g. {names}; their gain is 0",
                stacklevel=3,
            )
        return self._analytic(
            sensors, connectivity.centres, connectivity.centres[idx], connectivity.orientations[idx]
        )

    def _analytic(
        self, sensors: Sensors, all_centres: np.ndarray, loc: np.ndarray, ori: np.ndarray
    ) -> np.ndarray:
        raise NotImplementedError

    def region_gain(self, connectivity: Any) -> np.ndarray:
        """The linear map ``(n_sensors, n_region)`` applied to region activity.

        Vertex gains summed per region (or the given region gain), analytic dipoles for the
        regions without vertices, non-finite coefficients and unusable sensors zeroed, and
        (EEG) the reference applied.

        Raises
        ------
        ValidationError
            When the gain's columns match neither the connectivity's regions nor (through a
            region mapping) vertices, or the region mapping refers to missing regions.
        """
        name = type(self).__name__
        n_region = connectivity.n_region
        proj, rm = self.projection, self.region_mapping
        analytic = np.arange(n_region)
        if proj is not None and rm is not None:
            if rm.n_region is not None and rm.n_region != n_region:
                raise ValidationError(
                    f"{name}: the region mapping is for {rm.n_region} regions but the "
                    f"connectivity has {n_region}; use the mapping made for this connectivity"
                )
            gain = rm.sum_per_region(proj.gain, n_region)
            analytic = rm.unmapped_regions(n_region)
        elif proj is not None:
            if proj.n_sources != n_region:
                raise ValidationError(
                    f"{name}: the projection has {proj.n_sources} columns but the connectivity "
                    f"has {n_region} regions; give region_mapping=... (the region of each of "
                    f"the {proj.n_sources} vertices) to sum vertex gains per region, or a gain "
                    "with one column per region"
                )
            gain = np.array(proj.gain, dtype=float)
            analytic = analytic[:0]
        else:
            gain = np.zeros((self.n_sensors, n_region))
        if analytic.size:
            gain[:, analytic] = self.analytic_gain(connectivity, analytic)
        gain = zero_nonfinite(gain, f"{name} region gain")
        sensors = self.effective_sensors
        if sensors is not None and not sensors.usable.all():
            gain[~sensors.usable] = 0.0
        return self._apply_reference(gain)

    def _apply_reference(self, gain: np.ndarray) -> np.ndarray:
        return gain

    # -- Monitor hooks ---------------------------------------------------------------------

    def spatial_map(self, n_node: int, context: dict[str, Any]) -> np.ndarray:
        conn = context.get("connectivity")
        if conn is None:
            raise ValidationError(f"{type(self).__name__} needs the simulation's connectivity")
        if n_node != conn.n_region:
            raise ValidationError(
                f"{type(self).__name__}: the network has {n_node} nodes but the connectivity "
                f"{conn.n_region} regions; projection monitors support region simulations"
            )
        return self.region_gain(conn)

    def space_labels(
        self, node_labels: list[str], n_node: int, context: dict[str, Any] | None = None
    ) -> list[str]:
        return self.sensor_labels()

    def make_stage(self, info: StageInfo) -> Stage | None:
        if info.n_mode == 1 and self.obs_noise_std == 0:
            return None  # nothing to do: one mode and no noise
        return _SensorStage(info.sample_period, self.obs_noise_std, info.rng)


class EEG(_ProjectionFields, Monitor):
    """Scalp EEG: period averages projected through an EEG lead field (see the module doc).

    Parameters
    ----------
    sensors : SensorsEEG, str, optional
        Electrodes (a tvb-data name such as ``"eeg_65"``, or a file path, is loaded).
    projection : ProjectionMatrix, array or str, optional
        Gain ``(n_sensors, n_vertices)`` with ``region_mapping``, or ``(n_sensors,
        n_region)``; None: analytic dipoles at region centres.
    region_mapping : RegionMapping, array or str, optional
        Region of each gain column (vertex); e.g. ``"16k_76"``.
    reference : str, optional
        None (reference-free), an electrode label, or ``"average"``.
    sigma : float
        Conductivity of the analytic single-sphere model (default 1, as the reference).
    obs_noise_std : float
        Standard deviation of additive Gaussian observation noise (default 0: none).

    Examples
    --------
    >>> eeg = EEG(sensors="eeg_65", projection="eeg_65", region_mapping="16k_76")  # doctest: +SKIP
    """

    temporal: ClassVar[str] = "mean"
    modality: ClassVar[str] = "EEG"
    sensors_type: ClassVar[type[Sensors]] = SensorsEEG

    sensors: SensorsEEG | None = Attr(
        None, label="EEG sensors", doc="""Electrodes: SensorsEEG, a tvb-data name or a path."""
    )
    reference: str | None = Attr(
        None,
        label="EEG reference",
        doc="""None (reference-free), the label of the reference electrode, or "average".""",
    )
    sigma: float = Attr(
        1.0,
        label="Conductivity",
        valid=(0.0, None),
        exclusive=True,
        doc="""Conductivity of the analytic model (only used without a full projection).""",
    )

    @pydantic.model_validator(mode="after")
    def _check_reference(self) -> EEG:
        ref = self.reference
        if ref is None or ref.lower() == "average":
            return self
        sensors = self.effective_sensors
        if sensors is None:
            raise ValueError(
                f"EEG reference {ref!r} is an electrode label, but there are no sensors; "
                'give sensors, or use reference="average" or None'
            )
        if ref not in sensors.labels:
            shown = ", ".join(sensors.labels[:12]) + (", ..." if sensors.n_sensors > 12 else "")
            raise ValueError(
                f'EEG reference {ref!r} is not a sensor label nor "average"; labels are {shown}'
            )
        if not sensors.usable[sensors.index(ref)]:
            raise ValueError(f"EEG reference electrode {ref!r} is marked unusable")
        return self

    def _analytic(
        self, sensors: Sensors, all_centres: np.ndarray, loc: np.ndarray, ori: np.ndarray
    ) -> np.ndarray:
        electrodes = sphere_electrodes(sensors.locations, all_centres)
        return point_dipole_potential(electrodes, loc, ori, self.sigma)

    def _apply_reference(self, gain: np.ndarray) -> np.ndarray:
        ref = self.reference
        if ref is None:
            return gain
        sensors = self.effective_sensors
        usable = np.ones(gain.shape[0], bool) if sensors is None else sensors.usable
        if ref.lower() == "average":
            ref_row = gain[usable].mean(axis=0)
        else:
            ref_row = gain[sensors.index(ref)].copy()
        # re-referencing is linear: subtract the reference row from every usable channel
        gain[usable] -= ref_row
        return gain


class MEG(_ProjectionFields, Monitor):
    """MEG: period averages projected through an MEG lead field (see the module doc).

    Parameters are those of :class:`EEG` without ``reference``/``sigma``; ``sensors`` are
    :class:`SensorsMEG` (positions and coil orientations, e.g. ``"meg_276"``).
    """

    temporal: ClassVar[str] = "mean"
    modality: ClassVar[str] = "MEG"
    sensors_type: ClassVar[type[Sensors]] = SensorsMEG

    sensors: SensorsMEG | None = Attr(
        None, label="MEG sensors", doc="""Coils: SensorsMEG, a tvb-data name or a path."""
    )

    def _analytic(
        self, sensors: Sensors, all_centres: np.ndarray, loc: np.ndarray, ori: np.ndarray
    ) -> np.ndarray:
        centre = all_centres.mean(axis=0)
        return sarvas_meg_field(sensors.locations, sensors.orientations, loc, ori, centre)


class iEEG(_ProjectionFields, Monitor):  # noqa: N801 - the reference system's name
    """Intracerebral EEG (sEEG contacts, not ECoG): period averages projected through an sEEG
    lead field, or point dipoles in a homogeneous medium (see the module doc).

    Parameters are those of :class:`EEG` without ``reference``; ``sensors`` are
    :class:`SensorsInternal` (e.g. ``"seeg_588"``).
    """

    temporal: ClassVar[str] = "mean"
    modality: ClassVar[str] = "SEEG"
    sensors_type: ClassVar[type[Sensors]] = SensorsInternal

    sensors: SensorsInternal | None = Attr(
        None, label="sEEG sensors", doc="""Contacts: SensorsInternal, a tvb-data name or a path."""
    )
    sigma: float = Attr(
        1.0,
        label="Conductivity",
        valid=(0.0, None),
        exclusive=True,
        doc="""Conductivity of the homogeneous medium of the analytic point dipole.""",
    )

    def _analytic(
        self, sensors: Sensors, all_centres: np.ndarray, loc: np.ndarray, ori: np.ndarray
    ) -> np.ndarray:
        return point_dipole_potential(sensors.locations, loc, ori, self.sigma)
