"""Time series: sampled signals with labelled axes, linked to the structures they live on.

The data of a :class:`TimeSeries` is 4-D, ``(n_time, n_variable, n_space, n_mode)``, as in
TheVirtualBrain (dims "Time", "State Variable", "Space", "Mode"), and the sample times are in
ms.  The kinds say what the space axis is: regions of a connectivity
(:class:`TimeSeriesRegion`), vertices of a surface (:class:`TimeSeriesSurface`), sensors
(:class:`TimeSeriesEEG`, :class:`TimeSeriesMEG`, :class:`TimeSeriesSEEG`).
:class:`TimeSeriesVolume` is the exception: its data is ``(n_time, nx, ny, nz)`` voxels.

A link (``connectivity``, ``sensors``, ``surface``, ``region_mapping``, ``volume``) is either
the linked datatype itself or its gid (a 32-digit hex string); stores keep links by gid.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar, Self

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.connectivity import Connectivity

__all__ = [
    "TimeSeries",
    "TimeSeriesEEG",
    "TimeSeriesMEG",
    "TimeSeriesRegion",
    "TimeSeriesSEEG",
    "TimeSeriesSurface",
    "TimeSeriesVolume",
]

_GID = re.compile(r"^[0-9a-f]{32}$")
_LINKS = ("connectivity", "sensors", "surface", "region_mapping")

# monitor names (MonitorResult.name) whose space axis is sensors, and the kind they give
_SENSOR_MONITORS = {"EEG": "TimeSeriesEEG", "MEG": "TimeSeriesMEG", "IEEG": "TimeSeriesSEEG"}
_SENSOR_MONITORS["SEEG"] = "TimeSeriesSEEG"
_SPACE_AVERAGE_MONITORS = {"GlobalAverage", "SpatialAverage"}


def _check_link(value: Any) -> Any:
    """A link is a datatype, None, or a gid (32 hex digits; dashes of a UUID are dropped)."""
    if isinstance(value, str):
        gid = value.replace("-", "").lower()
        if not _GID.match(gid):
            raise ValueError(
                f"a link given as a string must be a datatype gid (32 hex digits), got {value!r}"
            )
        return gid
    return value


def _link_gid(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.gid


def _as_data(value: Any) -> Any:
    """Lift 1-D (time), 2-D (time, space) and 3-D (time, variable, space) input to 4-D."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return value  # the field validation reports the problem
    if arr.ndim == 1:
        return arr[:, None, None, None]
    if arr.ndim == 2:
        return arr[:, None, :, None]
    if arr.ndim == 3:
        return arr[..., None]
    return arr


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


class TimeSeries(DataType):
    """A sampled signal ``data[t, variable, space, mode]`` with its times in ms.

    Parameters
    ----------
    data : array_like, shape (n_time, n_variable, n_space, n_mode)
        Samples; 1-D ``(time,)``, 2-D ``(time, space)`` and 3-D ``(time, variable, space)``
        input is given the missing axes.  NaN and infinities are allowed (a diverging
        simulation or missing samples can still be stored).
    time : array_like, shape (n_time,), optional
        Sample times in ms, strictly increasing.  Default ``start_time + k * sample_period``.
    start_time : float, optional
        Time of the first sample in ms (only used when ``time`` is not given; default 0).
    sample_period : float, optional
        Sampling period in ms (> 0).  Default: the median step of ``time``, or 1 ms.
    variable_labels, space_labels : sequence of str, optional
        Axis labels; defaults ``v0, v1...`` and the labels of the linked connectivity or
        sensors when their number matches, else ``s0, s1...``.
    units : str
        Unit of the data values (e.g. ``"mV"``), informational.
    title : str
        Free text (e.g. the monitor that recorded it).
    connectivity, sensors, surface, region_mapping : DataType or gid, optional
        The structures the signal belongs to.

    Examples
    --------
    >>> ts = TimeSeries(data=np.zeros((100, 3)), sample_period=0.5)
    >>> ts.shape, ts.sample_rate
    ((100, 1, 3, 1), 2000.0)
    """

    kind = "time_series"
    dims: ClassVar[tuple[str, str, str, str]] = ("time", "variable", "space", "mode")
    space_kind: ClassVar[str] = "space"
    """What the space axis holds, for messages: "region", "vertex", "sensor"..."""

    data: Array(float, 4, finite=False) = Attr(
        label="Data",
        expandable=True,
        doc="""Samples (n_time, n_variable, n_space, n_mode); grows along time when written
        while running.""",
    )
    time: Array(float, 1) = Attr(
        None,
        label="Time",
        unit="ms",
        expandable=True,
        doc="""Sample times (n_time), strictly increasing.""",
    )
    sample_period: float = Attr(
        None,
        label="Sample period",
        unit="ms",
        valid=(0.0, None),
        exclusive=True,
        doc="""Sampling period (nominal when the times are irregular).""",
    )
    variable_labels: tuple[str, ...] = Attr(
        None, label="Variable labels", doc="""Name of each variable (state variable)."""
    )
    space_labels: tuple[str, ...] = Attr(
        None, label="Space labels", doc="""Name of each region, vertex or sensor."""
    )
    units: str = Attr("", label="Units", doc="""Unit of the data values.""")
    title: str = Attr("", label="Title", doc="""Free description.""")
    connectivity: Connectivity | str | None = Attr(
        None, label="Connectivity", doc="""Connectivity of the regions (object or gid)."""
    )
    sensors: DataType | str | None = Attr(
        None, label="Sensors", doc="""Sensors recorded (object or gid)."""
    )
    surface: DataType | str | None = Attr(
        None, label="Surface", doc="""Surface of the vertices (object or gid)."""
    )
    region_mapping: DataType | str | None = Attr(
        None, label="Region mapping", doc="""Vertex-to-region mapping (object or gid)."""
    )

    # -- validation --------------------------------------------------------------------

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("data") is None:
            raise ValueError(f"{cls.__name__} needs data, an array (n_time, ...)")
        data["data"] = cls._lift_data(data["data"])
        start = data.pop("start_time", None)
        try:
            shape: tuple[int, ...] | None = tuple(np.shape(data["data"]))
        except Exception:  # noqa: BLE001 - the data field reports the problem
            shape = None
        time = data.get("time")
        if time is None:
            period = data.get("sample_period")
            period = 1.0 if period is None else period
            data["sample_period"] = period
            if shape is not None:
                try:
                    t0 = 0.0 if start is None else float(start)
                    data["time"] = t0 + np.arange(shape[0]) * float(period)
                except (TypeError, ValueError):
                    pass  # the sample_period / start_time checks report it
        else:
            if start is not None:
                raise ValueError(
                    f"{cls.__name__}: give either time or start_time (+ sample_period), not both"
                )
            if data.get("sample_period") is None:
                try:
                    steps = np.diff(np.asarray(time, dtype=float))
                except (TypeError, ValueError):
                    steps = np.zeros(0)
                data["sample_period"] = float(np.median(steps)) if steps.size else 1.0
        if shape is not None and len(shape) == 4 and cls.dims[1] == "variable":
            if data.get("variable_labels") is None:
                data["variable_labels"] = tuple(f"v{i}" for i in range(shape[1]))
            if data.get("space_labels") is None:
                data["space_labels"] = cls._default_space_labels(data, shape[2])
        return data

    @classmethod
    def _lift_data(cls, value: Any) -> Any:
        return _as_data(value)

    @classmethod
    def _default_space_labels(cls, data: dict[str, Any], n: int) -> tuple[str, ...]:
        for name in ("connectivity", "sensors"):
            linked = data.get(name)
            labels = getattr(linked, "region_labels" if name == "connectivity" else "labels", None)
            if labels is not None and len(labels) == n:
                return tuple(str(s) for s in labels)
        return tuple(f"s{i}" for i in range(n))

    @pydantic.field_validator(*_LINKS, mode="before")
    @classmethod
    def _check_links(cls, value: Any) -> Any:
        return _check_link(value)

    @pydantic.field_validator("variable_labels", "space_labels", mode="before")
    @classmethod
    def _check_labels(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError("expected a sequence of labels, got a single string")
        if isinstance(value, np.ndarray):
            return tuple(str(v) for v in value.tolist())
        return value

    @pydantic.model_validator(mode="after")
    def _check_shapes(self) -> Self:
        name = type(self).__name__
        n_time = self.data.shape[0]
        if self.time.shape[0] != n_time:
            raise ValueError(
                f"{name}.time has {self.time.shape[0]} values but data has {n_time} time "
                f"points (shape {self.data.shape}); give one time per sample"
            )
        if n_time > 1 and np.any(np.diff(self.time) <= 0):
            k = int(np.argmax(np.diff(self.time) <= 0))
            raise ValueError(
                f"{name}.time is not strictly increasing (time[{k + 1}] = {self.time[k + 1]:g} "
                f"<= time[{k}] = {self.time[k]:g} ms); sample times must increase"
            )
        if self.dims[1] == "variable":
            for label_field, axis in (("variable_labels", 1), ("space_labels", 2)):
                labels = getattr(self, label_field)
                if len(labels) != self.data.shape[axis]:
                    raise ValueError(
                        f"{name}.{label_field} has {len(labels)} labels but data has "
                        f"{self.data.shape[axis]} {self.dims[axis]} entries (shape "
                        f"{self.data.shape}); give one label per entry"
                    )
        self._check_linked_sizes()
        return self

    def _check_linked_sizes(self) -> None:
        """Kinds check that linked objects (not gids) match the space axis."""

    def _check_space_matches(self, link: str, size: int | None, what: str) -> None:
        if size is None:
            return
        n_space = self.data.shape[2]
        if size != n_space:
            raise ValueError(
                f"{type(self).__name__}.data has {n_space} {self.space_kind}s on the space axis "
                f"but the linked {link} has {size} {what}; they must match"
            )

    # -- derived quantities ------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the data."""
        return tuple(self.data.shape)

    @property
    def n_time(self) -> int:
        """Number of samples."""
        return int(self.data.shape[0])

    @property
    def start_time(self) -> float:
        """Time of the first sample in ms (0 when empty)."""
        return float(self.time[0]) if self.time.size else 0.0

    @property
    def end_time(self) -> float:
        """Time of the last sample in ms (0 when empty)."""
        return float(self.time[-1]) if self.time.size else 0.0

    @property
    def duration(self) -> float:
        """Time covered in ms: ``n_time * sample_period`` (last - first + one period)."""
        return float(self.n_time * self.sample_period)

    @property
    def sample_rate(self) -> float:
        """Sampling rate in Hz (``1000 / sample_period``)."""
        return 1000.0 / self.sample_period

    @property
    def links(self) -> dict[str, str]:
        """Gids of the linked datatypes, by field name."""
        out = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in _LINKS or name == "volume":
                gid = _link_gid(value)
                if gid is not None:
                    out[name] = gid
        return out

    def summary(self) -> dict[str, Any]:
        """Key figures: shape, duration (ms), sampling, data statistics, links.

        Returns
        -------
        dict
            ``shape``, ``n_time``, ``start_time``/``end_time``/``duration`` (ms),
            ``sample_period`` (ms), ``sample_rate`` (Hz), ``data_min``/``max``/``mean``
            (ignoring NaN; None when there is no finite sample), ``units``, the axis labels
            (at most 20 shown) and the gids of the links.
        """
        finite = self.data[np.isfinite(self.data)]
        stats: dict[str, Any] = {"data_min": None, "data_max": None, "data_mean": None}
        if finite.size:
            stats = {
                "data_min": float(finite.min()),
                "data_max": float(finite.max()),
                "data_mean": float(finite.mean()),
            }
        out: dict[str, Any] = {
            "type": self.type_name,
            "shape": list(self.shape),
            "dims": list(self.dims),
            "n_time": self.n_time,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "duration": self.duration,
            "sample_period": self.sample_period,
            "sample_rate": self.sample_rate,
            **stats,
            "n_nonfinite": int(self.data.size - finite.size),
            "units": self.units,
            "title": self.title,
        }
        if self.dims[1] == "variable":
            out["variable_labels"] = list(self.variable_labels[:20])
            out["space_labels"] = list(self.space_labels[:20])
        out["links"] = self.links
        return out

    # -- conversions -------------------------------------------------------------------

    def to_xarray(self) -> Any:
        """An ``xarray.DataArray`` with named dims, labelled coordinates and units."""
        import xarray as xr

        coords: dict[str, Any] = {"time": ("time", self.time, {"units": "ms"})}
        if self.dims[1] == "variable":
            coords["variable"] = list(self.variable_labels)
            coords["space"] = list(self.space_labels)
            coords["mode"] = np.arange(self.data.shape[3])
        return xr.DataArray(
            self.data,
            dims=self.dims,
            coords=coords,
            name=self.title or self.type_name,
            attrs={
                "units": self.units,
                "sample_period_ms": self.sample_period,
                "type": self.type_name,
                "gid": self.gid,
                **{f"{k}_gid": v for k, v in self.links.items()},
            },
        )

    @classmethod
    def from_monitor_result(
        cls,
        result: Any,
        *,
        connectivity: Any = None,
        sensors: Any = None,
        surface: Any = None,
        region_mapping: Any = None,
        units: str = "",
        title: str | None = None,
        auto_kind: bool | None = None,
    ) -> TimeSeries:
        """Wrap what a monitor recorded (:class:`vbrain.simulator.results.MonitorResult`).

        Called on :class:`TimeSeries` itself the kind is chosen from the monitor: EEG, MEG
        and iEEG/SEEG give the sensor kinds, GlobalAverage/SpatialAverage a plain
        :class:`TimeSeries`, every other monitor :class:`TimeSeriesRegion` (``auto_kind=False``
        builds a plain :class:`TimeSeries`).  Called on a kind, that kind is built.

        Parameters
        ----------
        result : MonitorResult
            Anything with ``name``, ``time``, ``data``, ``variables``, ``space`` and
            ``period`` attributes.
        connectivity, sensors, surface, region_mapping : DataType or gid, optional
            Links to record.
        units, title : str
            Unit of the values; title (default: the monitor name).
        auto_kind : bool, optional
            Choose the kind from the monitor (default: when called on ``TimeSeries``).
        """
        target: type[TimeSeries] = cls
        if auto_kind or (auto_kind is None and cls is TimeSeries):
            target = _kind_for_monitor(str(result.name))
        period = float(result.period)
        time = np.asarray(result.time, dtype=float)
        if period <= 0 and time.size > 1:
            period = float(np.median(np.diff(time)))
        links = {
            "connectivity": connectivity,
            "sensors": sensors,
            "surface": surface,
            "region_mapping": region_mapping,
        }
        declared = target.model_fields
        missing = [k for k, v in links.items() if v is not None and k not in declared]
        if missing:
            raise ValidationError(f"{target.__name__} has no link field(s) {missing}")
        return target(
            data=np.asarray(result.data, dtype=float),
            time=time,
            sample_period=period if period > 0 else None,
            variable_labels=tuple(str(v) for v in result.variables),
            space_labels=tuple(str(s) for s in result.space),
            units=units,
            title=str(result.name) if title is None else title,
            **{k: v for k, v in links.items() if v is not None},
        )

    @classmethod
    def example(cls) -> Self:
        """Two variables at three points, 20 samples at 1 kHz."""
        t = np.arange(20) * 1.0
        x = np.sin(2 * np.pi * 0.05 * t)[:, None] * np.arange(1, 4)
        y = np.cos(t)[:, None] * np.ones(3)
        data = np.stack([x, y], axis=1)[..., None]
        return cls(data=data, sample_period=1.0, variable_labels=("x", "y"), units="mV")


def _kind_for_monitor(name: str) -> type[TimeSeries]:
    kind = _SENSOR_MONITORS.get(name.upper())
    if kind is not None:
        return {
            "TimeSeriesEEG": TimeSeriesEEG,
            "TimeSeriesMEG": TimeSeriesMEG,
            "TimeSeriesSEEG": TimeSeriesSEEG,
        }[kind]
    if name in _SPACE_AVERAGE_MONITORS:
        return TimeSeries
    return TimeSeriesRegion


class TimeSeriesRegion(TimeSeries):
    """Region time series: the space axis holds the regions of ``connectivity``."""

    space_kind: ClassVar[str] = "region"

    def _check_linked_sizes(self) -> None:
        if isinstance(self.connectivity, Connectivity):
            self._check_space_matches("connectivity", self.connectivity.n_region, "regions")

    @classmethod
    def example(cls) -> TimeSeriesRegion:
        """Two variables on the four regions of :meth:`Connectivity.example`."""
        conn = Connectivity.example()
        t = np.arange(1, 26) * 0.5
        data = np.sin(2 * np.pi * 0.04 * t[:, None, None, None] * np.arange(1, 5)[:, None])
        data = np.concatenate([data, -data], axis=1)
        return cls(
            data=data,
            time=t,
            variable_labels=("x", "y"),
            connectivity=conn,
            units="mV",
            title="example",
        )


class TimeSeriesSurface(TimeSeries):
    """Surface time series: the space axis holds the vertices of ``surface``."""

    space_kind: ClassVar[str] = "vertex"

    def _check_linked_sizes(self) -> None:
        n_vertices = getattr(self.surface, "n_vertices", None)
        self._check_space_matches("surface", n_vertices, "vertices")

    @classmethod
    def example(cls) -> TimeSeriesSurface:
        """One variable on six vertices, 10 samples."""
        data = np.linspace(0.0, 1.0, 60).reshape(10, 1, 6, 1)
        return cls(data=data, sample_period=2.0, start_time=2.0, units="mV")


class _SensorTimeSeries(TimeSeries):
    """Shared checks of the sensor kinds (not registered: the name starts with ``_``)."""

    space_kind: ClassVar[str] = "sensor"
    modality: ClassVar[str] = ""

    def _check_linked_sizes(self) -> None:
        if self.sensors is None or isinstance(self.sensors, str):
            return
        modality = getattr(self.sensors, "modality", None)
        if modality is not None and modality != self.modality:
            raise ValueError(
                f"{type(self).__name__} needs {self.modality} sensors, got "
                f"{type(self.sensors).__name__} ({modality})"
            )
        labels = getattr(self.sensors, "labels", None)
        self._check_space_matches("sensors", None if labels is None else len(labels), "sensors")

    @classmethod
    def _example_sensors(cls) -> Any:
        try:
            from vbrain.datatypes import sensors as sensors_mod
        except ImportError:  # pragma: no cover - sensors are optional for this example
            return None
        return sensors_mod.sensors_class(cls.modality).example()

    @classmethod
    def example(cls) -> Self:
        """Four sensors, one variable, 30 samples at 256 Hz, linked to example sensors."""
        rng = np.random.default_rng(1)
        sensors = cls._example_sensors()
        data = rng.standard_normal((30, 1, 4, 1))
        return cls(data=data, sample_period=1000.0 / 256, sensors=sensors, units="uV")


class TimeSeriesEEG(_SensorTimeSeries):
    """EEG time series: the space axis holds the electrodes of ``sensors``."""

    modality: ClassVar[str] = "EEG"


class TimeSeriesMEG(_SensorTimeSeries):
    """MEG time series: the space axis holds the coils of ``sensors``."""

    modality: ClassVar[str] = "MEG"


class TimeSeriesSEEG(_SensorTimeSeries):
    """Stereo-EEG (internal sensors) time series."""

    modality: ClassVar[str] = "SEEG"


class TimeSeriesVolume(TimeSeries):
    """Volume time series: ``data[t, x, y, z]`` on a voxel grid (as in TheVirtualBrain).

    The variable/space labels do not apply and stay empty.
    """

    dims: ClassVar[tuple[str, str, str, str]] = ("time", "x", "y", "z")
    space_kind: ClassVar[str] = "voxel"

    variable_labels: tuple[str, ...] = Attr((), label="Variable labels", doc="""Unused.""")
    space_labels: tuple[str, ...] = Attr((), label="Space labels", doc="""Unused.""")
    voxel_size: Array(float, 1, (3,)) = Attr(
        None, label="Voxel size", unit="mm", doc="""Size of a voxel along x, y, z."""
    )
    volume: DataType | str | None = Attr(
        None, label="Volume", doc="""The volume (grid) the voxels belong to (object or gid)."""
    )

    @pydantic.model_validator(mode="before")
    @classmethod
    def _default_voxel_size(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("voxel_size") is None:
            data = {**data, "voxel_size": np.ones(3)}
        return data

    @pydantic.field_validator("volume", mode="before")
    @classmethod
    def _check_volume(cls, value: Any) -> Any:
        return _check_link(value)

    @pydantic.field_validator("voxel_size", mode="after")
    @classmethod
    def _positive_voxels(cls, value: np.ndarray) -> np.ndarray:
        if np.any(value <= 0):
            raise ValueError(f"voxel sizes must be > 0 mm, got {value.tolist()}")
        return value

    @classmethod
    def _lift_data(cls, value: Any) -> Any:
        return value  # already (time, x, y, z); no axes are added

    @pydantic.model_validator(mode="after")
    def _no_labels(self) -> TimeSeriesVolume:
        if self.variable_labels or self.space_labels:
            raise ValueError(
                "TimeSeriesVolume has axes (time, x, y, z); leave variable_labels and "
                "space_labels empty"
            )
        return self

    @classmethod
    def example(cls) -> TimeSeriesVolume:
        """A 3 x 4 x 2 voxel grid over 5 samples of 2 s (fMRI-like)."""
        data = np.arange(5 * 3 * 4 * 2, dtype=float).reshape(5, 3, 4, 2)
        return cls(data=data, sample_period=2000.0, voxel_size=[2.0, 2.0, 3.0], units="au")
