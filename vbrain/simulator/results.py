"""Labelled simulation results: time, variable, node, mode."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MonitorResult", "SimulationResult"]


@dataclass
class MonitorResult:
    """What one monitor recorded.

    Attributes
    ----------
    name
        Monitor class name (``"Raw"``, ``"TemporalAverage"``...).
    time
        Sample times (ms), shape ``(n_time,)``.
    data
        Samples, shape ``(n_time, n_variable, n_space, n_mode)``.
    variables, space, modes
        Labels of the data axes (variable names, node/sensor/group labels, mode indices).
    period
        Sampling period (ms).
    """

    name: str
    time: np.ndarray
    data: np.ndarray
    variables: list[str]
    space: list[str]
    period: float
    modes: list[int] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.modes:
            self.modes = list(range(self.data.shape[3] if self.data.ndim == 4 else 1))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    def __iter__(self) -> Iterator[np.ndarray]:
        """Unpack as ``time, data`` like the reference system's ``(t, y)`` pairs."""
        yield self.time
        yield self.data

    def to_xarray(self) -> Any:
        """An ``xarray.DataArray`` with dims (time, variable, space, mode) and units."""
        import xarray as xr

        return xr.DataArray(
            self.data,
            dims=("time", "variable", "space", "mode"),
            coords={
                "time": ("time", self.time, {"units": "ms"}),
                "variable": list(self.variables),
                "space": list(self.space),
                "mode": list(self.modes),
            },
            name=self.name,
            attrs={"period_ms": self.period, **self.attrs},
        )

    def to_time_series(self, kind: str | type | None = None, **links: Any) -> Any:
        """This result as a :class:`vbrain.datatypes.time_series.TimeSeries` datatype.

        Parameters
        ----------
        kind : str or type, optional
            Time series class or its name (``"TimeSeriesRegion"``...); by default chosen
            from the monitor (EEG/MEG/iEEG: sensor kinds, spatial averages: plain
            ``TimeSeries``, others: ``TimeSeriesRegion``).
        **links
            ``connectivity=``, ``sensors=``, ``surface=``, ``region_mapping=`` (datatypes or
            gids), ``units=``, ``title=``.
        """
        from vbrain.datatypes.base import get_datatype
        from vbrain.datatypes.time_series import TimeSeries

        cls = TimeSeries if kind is None else kind
        if isinstance(cls, str):
            cls = get_datatype(cls)
        if not (isinstance(cls, type) and issubclass(cls, TimeSeries)):
            raise TypeError(f"kind must be a TimeSeries class or its name, got {kind!r}")
        return cls.from_monitor_result(self, auto_kind=kind is None, **links)

    def to_hdf5(self, path: str | Path, group: str | None = None) -> None:
        """Write to an HDF5 file (group ``/<name>`` by default), appending to existing files."""
        import h5py

        with h5py.File(path, "a") as f:
            write_group(f, group or self.name, self)

    @classmethod
    def from_hdf5(cls, path: str | Path, group: str) -> MonitorResult:
        import h5py

        with h5py.File(path, "r") as f:
            return read_group(f[group])


def write_group(f: Any, name: str, res: MonitorResult) -> None:
    if name in f:
        del f[name]
    g = f.create_group(name)
    g.create_dataset("time", data=res.time)
    g.create_dataset("data", data=res.data, chunks=True, compression="gzip", compression_opts=1)
    _write_labels(g, res)


def _write_labels(g: Any, res: MonitorResult) -> None:
    g.attrs["monitor"] = res.name
    g.attrs["period_ms"] = res.period
    g.attrs["variables"] = np.array(res.variables, dtype="S")
    g.attrs["space"] = np.array(res.space, dtype="S")
    g.attrs["modes"] = np.array(res.modes)
    g.attrs["dims"] = np.array(["time", "variable", "space", "mode"], dtype="S")
    g["time"].attrs["units"] = "ms"


def read_group(g: Any) -> MonitorResult:
    def labels(key: str) -> list[str]:
        return [v.decode() if isinstance(v, bytes) else str(v) for v in g.attrs[key]]

    return MonitorResult(
        name=str(g.attrs["monitor"]),
        time=g["time"][()],
        data=g["data"][()],
        variables=labels("variables"),
        space=labels("space"),
        period=float(g.attrs["period_ms"]),
        modes=[int(m) for m in g.attrs["modes"]],
    )


class SimulationResult(Sequence[MonitorResult]):
    """The results of every monitor, indexable by position or monitor name."""

    def __init__(self, results: list[MonitorResult]):
        self._results = list(results)

    def __len__(self) -> int:
        return len(self._results)

    def __getitem__(self, key: int | str) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            for r in self._results:
                if r.name == key:
                    return r
            raise KeyError(f"no monitor named {key!r}; have {[r.name for r in self._results]}")
        return self._results[key]

    def __repr__(self) -> str:
        inner = ", ".join(f"{r.name}{r.shape}" for r in self._results)
        return f"SimulationResult({inner})"

    def to_hdf5(self, path: str | Path) -> None:
        """Write every monitor to one HDF5 file (groups named ``<index>_<monitor>``)."""
        import h5py

        with h5py.File(path, "w") as f:
            for i, r in enumerate(self._results):
                write_group(f, f"{i}_{r.name}", r)

    @classmethod
    def from_hdf5(cls, path: str | Path) -> SimulationResult:
        import h5py

        with h5py.File(path, "r") as f:
            keys = sorted(f.keys(), key=lambda k: int(k.split("_", 1)[0]))
            return cls([read_group(f[k]) for k in keys])
