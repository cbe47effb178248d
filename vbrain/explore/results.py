"""Sweep results: a labelled ``xarray.Dataset`` over the parameter axes, plots and exports."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError

__all__ = ["SweepResult"]


class SweepResult:
    """The results of a sweep.

    Attributes
    ----------
    dataset
        ``xarray.Dataset``: for a grid one dimension per parameter (coordinates: the axis
        values; per-node array axes get integer coordinates and a ``<name>_values``
        coordinate), for random/LHS/explicit spaces a ``point`` dimension with one coordinate
        per parameter.  One variable per reduction output (NaN where not computed) and
        ``done`` (bool).
    path
        The HDF5 store the results were read from (None when in memory only).
    """

    def __init__(self, dataset: Any, path: Path | None = None) -> None:
        self.dataset = dataset
        self.path = path

    # -- loading --------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, in_memory: bool = False) -> SweepResult:
        """Read a sweep store (complete or not)."""
        from vbrain.explore.store import SweepStore

        with SweepStore.open(path, "r") as st:
            ds = _to_dataset(st)
        return cls(ds, None if in_memory else Path(path))

    # -- access ---------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        return bool(self.dataset["done"].values.all())

    @property
    def metrics(self) -> list[str]:
        """Names of the result variables."""
        return [str(v) for v in self.dataset.data_vars if v != "done"]

    @property
    def parameters(self) -> list[str]:
        return list(json.loads(self.dataset.attrs["parameters"]))

    def __getitem__(self, name: str) -> Any:
        return self.dataset[name]

    def __repr__(self) -> str:
        n = int(self.dataset["done"].size)
        done = int(self.dataset["done"].values.sum())
        return (
            f"SweepResult({done}/{n} points; parameters {', '.join(self.parameters)}; "
            f"metrics {', '.join(self.metrics)})"
        )

    def values(self, metric: str) -> np.ndarray:
        """A metric for every point, in point order: ``(n_point, *shape)``."""
        da = self._get(metric)
        if "point" in da.dims:
            return np.asarray(da.transpose("point", ...).values)
        shape = self.dataset.attrs.get("grid_shape")
        grid_dims = [d for d in da.dims if d in self.parameters]
        arr = da.transpose(*grid_dims, ...).values
        return np.asarray(arr).reshape(
            int(np.prod(json.loads(shape))), *arr.shape[len(grid_dims) :]
        )

    def _get(self, metric: str) -> Any:
        if metric not in self.dataset.data_vars:
            raise ValidationError(
                f"no result {metric!r}; the sweep computed: {', '.join(self.metrics)}"
            )
        return self.dataset[metric]

    # -- plotting -------------------------------------------------------------------------

    def plot(
        self,
        metric: str,
        x: str | None = None,
        y: str | None = None,
        *,
        ax: Any = None,
        **sel: Any,
    ) -> Any:
        """Heat map (``x`` and ``y``) or line plot (``x`` only) of a scalar metric.

        Other grid dimensions must be selected (``plot("global_variance", x="model.a",
        **{"coupling.a": 0.1})`` picks the nearest value).  For point spaces a scatter plot
        coloured by the metric (``x`` and ``y``) or the metric against ``x``.  Returns the
        matplotlib Axes.
        """
        from vbrain.analyzers.base import require

        plt = require("matplotlib.pyplot", "SweepResult.plot")
        da = self._get(metric)
        if sel:
            da = da.sel(sel, method="nearest")
        params = self.parameters
        x = x or params[0]
        for axis in (x, y):
            if axis is not None and axis not in params:
                raise ValidationError(f"{axis!r} is not a swept parameter; they are {params}")
        if ax is None:
            _, ax = plt.subplots()
        if "point" in da.dims:
            extra = [d for d in da.dims if d != "point"]
            if extra:
                raise ValidationError(f"{metric} is not a scalar per point (dims {extra})")
            xs = np.asarray(da[x])
            if y is None:
                order = np.argsort(xs)
                ax.plot(xs[order], da.values[order], "o-")
                ax.set_ylabel(metric)
            else:
                sc = ax.scatter(xs, np.asarray(da[y]), c=da.values)
                ax.figure.colorbar(sc, ax=ax, label=metric)
                ax.set_ylabel(y)
            ax.set_xlabel(x)
            return ax
        keep = {x} | ({y} if y else set())
        extra = [d for d in da.dims if d not in keep and da.sizes[d] > 1]
        if extra:
            raise ValidationError(
                f"{metric} has other dimensions {extra}; select them, e.g. "
                f"plot({metric!r}, x={x!r}, **{{{extra[0]!r}: value}})"
            )
        da = da.squeeze(drop=True) if da.ndim > len(keep) else da
        if y is None:
            ax.plot(da[x].values, da.transpose(x).values, "o-")
            ax.set_xlabel(x)
            ax.set_ylabel(metric)
            return ax
        z = da.transpose(y, x).values
        mesh = ax.pcolormesh(da[x].values, da[y].values, z, shading="nearest")
        ax.figure.colorbar(mesh, ax=ax, label=metric)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        return ax

    # -- export ---------------------------------------------------------------------------

    def to_dataframe_rows(self) -> tuple[list[str], list[list[Any]]]:
        """Header and rows: one row per point, parameters then scalar metrics."""
        params = self.parameters
        scalars = [m for m in self.metrics if self.values(m).ndim == 1]
        pvals = json.loads(self.dataset.attrs["parameter_values"])
        n = len(pvals[params[0]]) if params else 0
        header = ["point", *params, "done", *scalars]
        done = self.values("done") if "done" in self.dataset else np.ones(n, bool)
        cols = {m: self.values(m) for m in scalars}
        rows = []
        for i in range(n):
            row: list[Any] = [i]
            for p in params:
                v = pvals[p][i]
                row.append(v if not isinstance(v, list) else " ".join(map(repr, v)))
            row.append(bool(done[i]))
            row.extend(float(cols[m][i]) for m in scalars)
            rows.append(row)
        return header, rows

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """One row per point: parameter values (per-node arrays space-separated), ``done`` and
        every scalar metric (array-valued metrics are left to :meth:`to_hdf5`)."""
        import csv

        header, rows = self.to_dataframe_rows()
        p = Path(path)
        with p.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        return p

    def to_hdf5(self, path: str | os.PathLike[str]) -> Path:
        """Write the dataset (xarray's netCDF4/HDF5 layout via h5py: one dataset per
        variable and coordinate) to ``path``."""
        import h5py

        p = Path(path)
        ds = self.dataset
        with h5py.File(p, "w") as f:
            for k, v in ds.attrs.items():
                f.attrs[k] = v
            for name, var in {**ds.coords, **ds.data_vars}.items():
                d = f.create_dataset(str(name).replace("/", "|"), data=np.asarray(var.values))
                d.attrs["dims"] = json.dumps([str(x) for x in var.dims])
                d.attrs["kind"] = "coord" if name in ds.coords else "data"
        return p


def _to_dataset(st: Any) -> Any:
    import xarray as xr

    params = st.params()
    names = st.names
    done = st.done()
    outputs = st.outputs()
    shape = st.grid_shape
    attrs = {
        "parameters": json.dumps(names),
        "space_kind": st.space_kind,
        "grid_shape": json.dumps(None if shape is None else list(shape)),
        "spec": json.dumps(st.spec),
        "parameter_values": json.dumps({n: params[n].tolist() for n in names}),
    }
    data_vars: dict[str, Any] = {}
    coords: dict[str, Any] = {}
    if shape is not None and len(shape) == len(names):
        # grid: recover each axis' values from the points along it
        for k, name in enumerate(names):
            vals = params[name].reshape(*shape, *params[name].shape[1:])
            index = [0] * len(shape)
            index[k] = slice(None)
            axis_vals = vals[tuple(index)]
            if axis_vals.ndim == 1:
                coords[name] = axis_vals
            else:
                coords[name] = np.arange(shape[k])
                coords[f"{name}_values"] = ((name, "node"), axis_vals)
        grid_dims = tuple(names)
        data_vars["done"] = (grid_dims, done.reshape(shape))
        for key, (arr, dims) in outputs.items():
            data_vars[key] = (
                grid_dims + _dims(key, dims, arr.ndim - 1),
                arr.reshape(*shape, *arr.shape[1:]),
            )
    else:
        coords["point"] = np.arange(len(done))
        for name in names:
            v = params[name]
            coords[name] = ("point", v) if v.ndim == 1 else (("point", "node"), v)
        data_vars["done"] = ("point", done)
        for key, (arr, dims) in outputs.items():
            data_vars[key] = (("point",) + _dims(key, dims, arr.ndim - 1), arr)
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def _dims(key: str, dims: tuple[str, ...], ndim: int) -> tuple[str, ...]:
    """Per-output dimension names (prefixed so that outputs of different shapes never clash)."""
    if len(dims) != ndim:
        dims = tuple(f"dim{k}" for k in range(ndim))
    return tuple(f"{key}_{d}" for d in dims)
