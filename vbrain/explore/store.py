"""The HDF5 results store of a sweep (written by the driver process only).

Layout::

    /                     attrs: spec (JSON of the sweep), spec_hash, n_points, space_kind,
                                 grid_shape, names, vbrain_version
    /params/<name>        (n_points,) or (n_points, n_node) parameter values
    /seeds                (n_points,) per-point seeds
    /done                 (n_points,) bool: the point's results are written
    /results/<output>     (n_points, *shape) float, NaN until done; attr ``dims`` (JSON)

A chunk's results are written first and its ``done`` flags after, then the file is flushed:
a crash in between leaves the points not done, and a resumed sweep recomputes them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError

__all__ = ["SweepStore"]


def _dataset_name(name: str) -> str:
    # '/' separates HDF5 groups; parameter and output names never need one
    return name.replace("/", "|")


class SweepStore:
    """An open results store; use :meth:`create` or :meth:`open`, close with :meth:`close`."""

    def __init__(self, h5: Any, path: Path) -> None:
        self.h5 = h5
        self.path = path

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        spec: dict[str, Any],
        spec_hash: str,
        names: list[str],
        params: dict[str, np.ndarray],
        seeds: np.ndarray,
        grid_shape: tuple[int, ...] | None,
        space_kind: str,
    ) -> SweepStore:
        """Create (replacing) a store for ``len(seeds)`` points."""
        import h5py

        from vbrain import __version__

        p = Path(path)
        if p.is_dir():
            raise ValidationError(f"output {str(p)!r} is a directory; give a file such as out.h5")
        f = h5py.File(p, "w")
        f.attrs["spec"] = json.dumps(spec)
        f.attrs["spec_hash"] = spec_hash
        f.attrs["n_points"] = len(seeds)
        f.attrs["space_kind"] = space_kind
        f.attrs["names"] = json.dumps(names)
        f.attrs["grid_shape"] = json.dumps(None if grid_shape is None else list(grid_shape))
        f.attrs["vbrain_version"] = __version__
        g = f.create_group("params")
        for name in names:
            g.create_dataset(_dataset_name(name), data=np.asarray(params[name], dtype=float))
        f.create_dataset("seeds", data=np.asarray(seeds, dtype=np.uint64))
        f.create_dataset("done", data=np.zeros(len(seeds), dtype=bool))
        f.create_group("results")
        f.flush()
        return cls(f, p)

    @classmethod
    def open(cls, path: str | os.PathLike[str], mode: str = "r+") -> SweepStore:
        """Open an existing store (``mode`` ``"r"`` or ``"r+"``)."""
        import h5py

        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"sweep store not found: {p}")
        try:
            f = h5py.File(p, mode)
        except OSError as exc:
            raise ValidationError(f"{p}: cannot open as an HDF5 sweep store ({exc})") from None
        if "done" not in f or "spec" not in f.attrs:
            f.close()
            raise ValidationError(f"{p} is not a vbrain sweep store (no 'done' mask / 'spec')")
        return cls(f, p)

    def close(self) -> None:
        if self.h5 is not None:
            self.h5.close()
            self.h5 = None

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------

    @property
    def spec(self) -> dict[str, Any]:
        return json.loads(self.h5.attrs["spec"])

    @property
    def spec_hash(self) -> str:
        return str(self.h5.attrs["spec_hash"])

    @property
    def n_points(self) -> int:
        return int(self.h5.attrs["n_points"])

    @property
    def names(self) -> list[str]:
        return list(json.loads(self.h5.attrs["names"]))

    @property
    def grid_shape(self) -> tuple[int, ...] | None:
        shape = json.loads(self.h5.attrs["grid_shape"])
        return None if shape is None else tuple(shape)

    @property
    def space_kind(self) -> str:
        return str(self.h5.attrs["space_kind"])

    def done(self) -> np.ndarray:
        return np.asarray(self.h5["done"][()], dtype=bool)

    def params(self) -> dict[str, np.ndarray]:
        return {n: np.asarray(self.h5["params"][_dataset_name(n)][()]) for n in self.names}

    def seeds(self) -> np.ndarray:
        return np.asarray(self.h5["seeds"][()])

    def outputs(self) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
        """Every result array with its dimension names (besides the point axis)."""
        out = {}
        for key, ds in self.h5["results"].items():
            out[key.replace("|", "/")] = (np.asarray(ds[()]), tuple(json.loads(ds.attrs["dims"])))
        return out

    # -- writing ------------------------------------------------------------------------

    def write(
        self,
        points: list[int],
        results: list[dict[str, np.ndarray]],
        dims: dict[str, tuple[str, ...]],
    ) -> None:
        """Write a chunk's results, then mark its points done, then flush."""
        order = np.argsort(points)
        idx = np.asarray(points)[order]
        grp = self.h5["results"]
        for key in results[0]:
            name = _dataset_name(key)
            stacked = np.stack([np.asarray(results[k][key], dtype=float) for k in order])
            if name not in grp:
                ds = grp.create_dataset(
                    name,
                    shape=(self.n_points, *stacked.shape[1:]),
                    dtype=float,
                    fillvalue=np.nan,
                    chunks=(1, *stacked.shape[1:]) if stacked.ndim > 1 else None,
                )
                ds.attrs["dims"] = json.dumps(list(dims.get(key, ())))
            ds = grp[name]
            if ds.shape[1:] != stacked.shape[1:]:
                raise ValidationError(
                    f"result {key!r} has shape {stacked.shape[1:]} at points {list(idx[:3])} "
                    f"but {ds.shape[1:]} before; every point must give the same shape"
                )
            ds[idx] = stacked
        done = self.h5["done"]
        done[idx] = True
        self.h5.flush()
