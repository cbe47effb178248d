"""Region and sensor time series from TXT and MAT files, connectivity measures from MAT, and
export of sensor time series to MNE-Python.

Empirical recordings arrive as a 2-D table ``(time, channel)``: one row per time point, one
column per region or sensor.  They become 4-D :class:`~vbrain.datatypes.TimeSeries` data
``(time, 1, channel, 1)``, linked to the connectivity or sensors whose size they must match.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.connectivity_measure import ConnectivityMeasure
from vbrain.datatypes.time_series import (
    TimeSeries,
    TimeSeriesEEG,
    TimeSeriesMEG,
    TimeSeriesRegion,
    TimeSeriesSEEG,
)
from vbrain.io._matfile import MatFormatError, read_mat_variable
from vbrain.io._textfile import TextFormatError, numbered_lines, parse_float, read_text, show

__all__ = [
    "TimeSeriesFormatError",
    "read_connectivity_measure_mat",
    "read_eeg_time_series_mat",
    "read_time_series_mat",
    "read_time_series_txt",
    "to_mne_raw",
]

PathLike = str | os.PathLike[str]


class TimeSeriesFormatError(ValidationError):
    """A time-series or measure file that cannot be read: names the file and the problem."""


def _sample_period(sample_period: float | None, sampling_rate: float | None) -> float:
    if (sample_period is None) == (sampling_rate is None):
        raise ValidationError(
            "give exactly one of sample_period (ms) or sampling_rate (Hz) for the time series"
        )
    if sample_period is not None:
        if not sample_period > 0:
            raise ValidationError(f"sample_period must be > 0 ms, got {sample_period!r}")
        return float(sample_period)
    assert sampling_rate is not None
    if not sampling_rate > 0:
        raise ValidationError(f"sampling_rate must be > 0 Hz, got {sampling_rate!r}")
    return 1000.0 / float(sampling_rate)


_SLICE = re.compile(r"^\s*-?\d*\s*(:\s*-?\d*\s*){0,2}$")


def _parse_slice(text: str) -> tuple[slice | int, ...]:
    """numpy-style index text, e.g. ``"100:200, 0:10"`` or ``"::2"``."""
    out: list[slice | int] = []
    for part in text.split(","):
        if not _SLICE.match(part):
            raise ValidationError(
                f"cannot read slice {text!r}; expected numpy syntax such as '0:100, 2:5'"
            )
        bits = [b.strip() for b in part.split(":")]
        if len(bits) == 1:
            out.append(int(bits[0]))
        else:
            out.append(slice(*(int(b) if b else None for b in bits)))
    return tuple(out)


def _to_channels(name: str, arr: np.ndarray, transpose: bool, index: str | None) -> np.ndarray:
    if transpose:
        arr = arr.T
    if index:
        try:
            arr = arr[_parse_slice(index)]
        except IndexError as exc:
            raise TimeSeriesFormatError(f"{name}: slice {index!r} does not fit ({exc})") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise TimeSeriesFormatError(
            f"{name}: data has shape {arr.shape}; expected 2-D (time, channel)"
            + (" after slicing" if index else "")
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise TimeSeriesFormatError(f"{name}: data has shape {arr.shape}; it is empty")
    return arr


def _build(
    name: str,
    cls: type[TimeSeries],
    table: np.ndarray,
    period: float,
    start_time: float,
    link_field: str,
    link: Any,
    title: str | None,
    units: str,
) -> TimeSeries:
    n_channel = table.shape[1]
    if isinstance(link, Connectivity) and link.n_region != n_channel:
        raise TimeSeriesFormatError(
            f"{name}: data has {n_channel} columns (regions) but the connectivity has "
            f"{link.n_region} regions; transpose the data if rows are regions"
        )
    labels = getattr(link, "labels", None)
    if labels is not None and len(labels) != n_channel:
        raise TimeSeriesFormatError(
            f"{name}: data has {n_channel} columns (sensors) but the sensors have "
            f"{len(labels)}; transpose the data if rows are sensors"
        )
    kwargs = {link_field: link} if link is not None else {}
    try:
        return cls(
            data=table[:, None, :, None],
            sample_period=period,
            start_time=start_time,
            title=title if title is not None else f"imported from {name}",
            units=units,
            **kwargs,
        )
    except ValidationError as exc:
        raise TimeSeriesFormatError(f"{name}: {exc}") from None


def read_time_series_txt(
    path: PathLike,
    *,
    sample_period: float | None = None,
    sampling_rate: float | None = None,
    connectivity: Connectivity | str | None = None,
    start_time: float = 0.0,
    transpose: bool = False,
    title: str | None = None,
    units: str = "",
) -> TimeSeriesRegion:
    """A region time series from a text table (reference "TimeSeries Region TXT").

    Parameters
    ----------
    path : path-like
        Whitespace- or comma-separated numbers, one row per time point and one column per
        region (``.bz2``/``.gz`` accepted; ``#`` starts a comment).
    sample_period, sampling_rate : float
        Exactly one: the sampling period in ms or the rate in Hz.
    connectivity : Connectivity or gid, optional
        The regions; when an object, its size must equal the number of columns.
    start_time : float
        Time of the first row in ms.
    transpose : bool
        The file has one row per region instead.
    title, units : str
        Stored with the series.

    Raises
    ------
    TimeSeriesFormatError
        Ragged rows, non-numeric or non-finite cells (with line and column), a binary or
        undecompressable file, wrong number of regions.
    """
    period = _sample_period(sample_period, sampling_rate)
    try:
        text, name = read_text(path)
    except TextFormatError as exc:
        raise TimeSeriesFormatError(str(exc)) from None
    rows = []
    width = None
    for number, tokens in numbered_lines(text.replace(",", " ")):
        if width is None:
            width, first = len(tokens), number
        elif len(tokens) != width:
            raise TimeSeriesFormatError(
                f"{name} line {number}: {len(tokens)} values but line {first} has {width}; "
                "every row (time point) needs one value per region"
            )
        row = []
        for col, token in enumerate(tokens, start=1):
            try:
                value = parse_float(token)
            except ValueError:
                raise TimeSeriesFormatError(
                    f"{name} line {number}, column {col}: cannot read {show(token)} as a number"
                ) from None
            if not math.isfinite(value):
                # a recording with NaN/inf would poison every analysis of it; say where it is
                raise TimeSeriesFormatError(
                    f"{name} line {number}, column {col}: {value!r}; samples must be finite"
                )
            row.append(value)
        rows.append(row)
    if not rows:
        raise TimeSeriesFormatError(f"{name}: is empty; expected rows of numbers (time x region)")
    table = _to_channels(name, np.array(rows, dtype=float), transpose, None)
    out = _build(
        name, TimeSeriesRegion, table, period, start_time, "connectivity", connectivity, title,
        units,
    )  # fmt: skip
    assert isinstance(out, TimeSeriesRegion)
    return out


def read_time_series_mat(
    path: PathLike,
    variable: str,
    *,
    sample_period: float | None = None,
    sampling_rate: float | None = None,
    connectivity: Connectivity | str | None = None,
    structure_path: str = "",
    transpose: bool = False,
    index: str | None = None,
    start_time: float = 0.0,
    title: str | None = None,
    units: str = "",
) -> TimeSeriesRegion:
    """A region time series from a variable of a ``.mat`` file (reference "TimeSeries Region
    MAT").

    Parameters
    ----------
    path : path-like
        MATLAB file (v4 to v7.3).
    variable : str
        Name of the variable; ``structure_path`` descends into struct fields (``"a.b"``).
    transpose : bool
        The array is (channel, time); it is transposed first.
    index : str, optional
        numpy-style selection applied after transposing, e.g. ``"0:1000, :"``.
    sample_period, sampling_rate, connectivity, start_time, title, units
        As for :func:`read_time_series_txt`.
    """
    return _read_mat_ts(
        path, variable, TimeSeriesRegion, "connectivity", connectivity, sample_period,
        sampling_rate, structure_path, transpose, index, start_time, title, units,
    )  # fmt: skip


def read_eeg_time_series_mat(
    path: PathLike,
    variable: str,
    *,
    sample_period: float | None = None,
    sampling_rate: float | None = None,
    sensors: DataType | str | None = None,
    structure_path: str = "",
    transpose: bool = False,
    index: str | None = None,
    start_time: float = 0.0,
    title: str | None = None,
    units: str = "",
) -> TimeSeriesEEG:
    """An EEG time series from a ``.mat`` variable (reference "TimeSeries EEG MAT").

    As :func:`read_time_series_mat`, with EEG ``sensors`` (object or gid) instead of a
    connectivity; the number of columns must equal the number of sensors.
    """
    return _read_mat_ts(
        path, variable, TimeSeriesEEG, "sensors", sensors, sample_period, sampling_rate,
        structure_path, transpose, index, start_time, title, units,
    )  # fmt: skip


def _read_mat_ts(
    path: PathLike,
    variable: str,
    cls: type[TimeSeries],
    link_field: str,
    link: Any,
    sample_period: float | None,
    sampling_rate: float | None,
    structure_path: str,
    transpose: bool,
    index: str | None,
    start_time: float,
    title: str | None,
    units: str,
) -> Any:
    period = _sample_period(sample_period, sampling_rate)
    name = Path(path).name
    try:
        arr = read_mat_variable(path, variable, structure_path)
    except MatFormatError as exc:
        raise TimeSeriesFormatError(str(exc)) from None
    where = f"{name} ({variable}{'.' + structure_path if structure_path else ''})"
    table = _to_channels(where, arr, transpose, index)
    return _build(where, cls, table, period, start_time, link_field, link, title, units)


def read_connectivity_measure_mat(
    path: PathLike,
    variable: str,
    *,
    connectivity: Connectivity | None = None,
    structure_path: str = "",
    title: str = "",
) -> list[ConnectivityMeasure]:
    """Connectivity measures from a ``.mat`` variable (reference "ConnectivityMeasure").

    The variable holds one value per region ``(n,)``, several such measures one per row
    ``(k, n)`` (as the reference reads it), or one region x region matrix ``(n, n)`` (a square
    array whose size equals the connectivity's, or any square array without a connectivity).

    Parameters
    ----------
    path : path-like
        The file.
    variable, structure_path : str
        Where the array is.
    connectivity : Connectivity, optional
        Gives the region labels and the expected number of regions.
    title : str
        Stored in the measures' titles when the datatype has one.

    Returns
    -------
    list of ConnectivityMeasure
        One per row (one in all for a vector or a square matrix).
    """
    name = Path(path).name
    try:
        arr = read_mat_variable(path, variable, structure_path)
    except MatFormatError as exc:
        raise TimeSeriesFormatError(str(exc)) from None
    arr = np.squeeze(arr)
    n = connectivity.n_region if connectivity is not None else None
    if arr.ndim == 1:
        measures = [arr]
    elif arr.ndim == 2 and arr.shape[0] == arr.shape[1] and (n is None or n == arr.shape[0]):
        measures = [arr]
    elif arr.ndim == 2:
        measures = list(arr)
    else:
        raise TimeSeriesFormatError(
            f"{name}: {variable!r} has shape {arr.shape}; expected (n_region,), "
            "(n_measure, n_region) or (n_region, n_region)"
        )
    out = []
    for k, values in enumerate(measures):
        if n is not None and values.shape[0] != n:
            raise TimeSeriesFormatError(
                f"{name}: measure {k} of {variable!r} has {values.shape[0]} values but the "
                f"connectivity has {n} regions; expected one value per region"
            )
        kwargs: dict[str, Any] = {"array_data": values}
        if connectivity is not None:
            kwargs["region_labels"] = connectivity.region_labels
            if "connectivity" in ConnectivityMeasure.model_fields:
                kwargs["connectivity"] = connectivity
        if title and "title" in ConnectivityMeasure.model_fields:
            kwargs["title"] = title if len(measures) == 1 else f"{title} [{k}]"
        try:
            out.append(ConnectivityMeasure(**kwargs))
        except ValidationError as exc:
            raise TimeSeriesFormatError(f"{name}: {exc}") from None
    return out


# --------------------------------------------------------------------------------------
# MNE-Python export

_MNE_TYPES = {TimeSeriesEEG: "eeg", TimeSeriesMEG: "mag", TimeSeriesSEEG: "seeg"}
# vbrain stores sensor signals in the units the monitor produced; MNE wants volts / tesla
_TO_SI = {"v": 1.0, "mv": 1e-3, "uv": 1e-6, "µv": 1e-6, "nv": 1e-9, "t": 1.0, "ft": 1e-15}


def to_mne_raw(
    ts: TimeSeries,
    *,
    variable: int = 0,
    mode: int = 0,
    ch_type: str | None = None,
    scale: float | None = None,
) -> Any:
    """An ``mne.io.RawArray`` of a (simulated) EEG/MEG/sEEG time series.

    Parameters
    ----------
    ts : TimeSeriesEEG, TimeSeriesMEG or TimeSeriesSEEG (or any TimeSeries with ``ch_type``)
        The signal; the sampling rate must be regular.
    variable, mode : int
        Which variable and mode to export.
    ch_type : str, optional
        MNE channel type (default from the kind: ``eeg``, ``mag``, ``seeg``).
    scale : float, optional
        Factor to SI units (V, T).  Default from ``ts.units`` (``mV`` -> 1e-3, ``uV`` -> 1e-6,
        ``fT`` -> 1e-15...), 1 when the unit is unknown or empty.

    Raises
    ------
    ImportError
        When MNE-Python is not installed (``pip install mne``).
    """
    try:
        import mne
    except ImportError:
        raise ImportError(
            "exporting to MNE needs MNE-Python; install it with `pip install mne` "
            "(or `pip install 'vbrain[io]'`)"
        ) from None
    if not isinstance(ts, TimeSeries) or ts.dims[1] != "variable":
        raise ValidationError(f"to_mne_raw needs a sensor TimeSeries, got {type(ts).__name__}")
    kind = ch_type or next((v for k, v in _MNE_TYPES.items() if isinstance(ts, k)), None)
    if kind is None:
        raise ValidationError(
            f"to_mne_raw: {type(ts).__name__} is not a sensor time series; pass ch_type "
            "('eeg', 'mag', 'grad', 'seeg', 'misc'...)"
        )
    if ts.n_time > 1:
        steps = np.diff(ts.time)
        if not np.allclose(steps, ts.sample_period, rtol=1e-6, atol=0.0):
            raise ValidationError(
                "to_mne_raw: the sample times are irregular; MNE needs a constant sampling rate"
            )
    if not 0 <= variable < ts.data.shape[1] or not 0 <= mode < ts.data.shape[3]:
        raise ValidationError(
            f"to_mne_raw: variable {variable} / mode {mode} out of range for data of shape "
            f"{ts.shape}"
        )
    if scale is None:
        scale = _TO_SI.get(ts.units.strip().lower(), 1.0)
    names = [str(s) for s in ts.space_labels]
    if len(set(names)) != len(names):  # MNE needs unique channel names
        names = [f"{s}-{k}" for k, s in enumerate(names)]
    info = mne.create_info(names, sfreq=ts.sample_rate, ch_types=kind)
    data = ts.data[:, variable, :, mode].T * scale
    raw = mne.io.RawArray(data, info, first_samp=0, verbose=False)
    sensors = ts.sensors
    locations = getattr(sensors, "locations", None)
    if kind in ("eeg", "seeg") and locations is not None and len(locations) == len(names):
        # sensor positions are in mm; MNE's montages are in m, head coordinates
        montage = mne.channels.make_dig_montage(
            ch_pos=dict(zip(names, np.asarray(locations, dtype=float) / 1000.0, strict=True)),
            coord_frame="head",
        )
        raw.set_montage(montage, on_missing="ignore", verbose=False)
    return raw
