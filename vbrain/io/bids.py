"""BIDS computational-model derivatives (BEP032-style) for connectivities and time series.

Layout of one subject (what the reference's "BIDS Derivatives Importer" reads)::

    sub-<id>/net/sub-<id>_desc-<d>_weights.tsv     n x n, tab-separated, no header
    sub-<id>/net/sub-<id>_desc-<d>_weights.json    {"CoordsRows": ["../coord/..._labels.json",
                                                                   "../coord/..._nodes.json"]}
    sub-<id>/net/sub-<id>_desc-<d>_distances.tsv   n x n tract lengths (mm)
    sub-<id>/coord/sub-<id>_desc-<d>_labels.tsv    one region label per line
    sub-<id>/coord/sub-<id>_desc-<d>_nodes.tsv     n x 3 region centres (mm)
    sub-<id>/ts/sub-<id>_desc-<d>_ts.tsv           time x region samples
    sub-<id>/ts/sub-<id>_desc-<d>_ts.json          {"CoordsRows": ["..._times.json"], ...}
    sub-<id>/ts/sub-<id>_desc-<d>_times.tsv        sample times (ms)

Each ``.tsv`` may have a ``.json`` sidecar (description, units); the JSON referred to by
``CoordsRows`` stands for the ``.tsv`` of the same name.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.time_series import TimeSeriesRegion

__all__ = ["BIDSFormatError", "read_bids", "write_bids_connectivity", "write_bids_time_series"]

PathLike = str | os.PathLike[str]


class BIDSFormatError(ValidationError):
    """A BIDS derivatives folder that cannot be read: names the file and what was expected."""


def _text(path: Path) -> str:
    """The UTF-8 text of a TSV/JSON file; binary or mis-encoded files are format errors."""
    data = path.read_bytes()
    try:
        if b"\x00" in data:
            raise UnicodeError("NUL byte")
        return data.decode("utf-8-sig")
    except UnicodeError as exc:
        raise BIDSFormatError(
            f"{path.name}: is not UTF-8 text ({exc}); BIDS TSV and JSON files are UTF-8"
        ) from None


def _read_tsv(path: Path, *, text: bool = False) -> np.ndarray:
    if not path.exists():
        raise BIDSFormatError(f"{path.name}: referred to but missing (looked in {path.parent})")
    rows = [line.split("\t") for line in _text(path).splitlines() if line.strip()]
    if text:
        return np.array([r[0].strip() for r in rows], dtype=str)
    width = len(rows[0]) if rows else 0
    out = np.empty((len(rows), width))
    for i, row in enumerate(rows):
        if len(row) != width:
            raise BIDSFormatError(
                f"{path.name} line {i + 1}: {len(row)} values but line 1 has {width}"
            )
        for j, token in enumerate(row):
            try:
                out[i, j] = float(token)
            except ValueError:
                raise BIDSFormatError(
                    f"{path.name} line {i + 1}, column {j + 1}: cannot read "
                    f"{token.strip()[:30]!r} as a number"
                ) from None
    if not rows:
        raise BIDSFormatError(f"{path.name}: is empty")
    if not np.all(np.isfinite(out)):
        i, j = (int(k) for k in np.argwhere(~np.isfinite(out))[0])
        raise BIDSFormatError(f"{path.name} line {i + 1}, column {j + 1}: not a finite number")
    return out


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        value = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise BIDSFormatError(f"{path.name}: invalid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise BIDSFormatError(f"{path.name}: expected a JSON object")
    return value


def _coords_rows(sidecar: Path) -> list[Path]:
    rows = _read_json(sidecar).get("CoordsRows", [])
    if not isinstance(rows, list):
        raise BIDSFormatError(f"{sidecar.name}: CoordsRows must be a list of file names")
    return [(sidecar.parent / str(r)).with_suffix(".tsv") for r in rows]


def _one(folder: Path, suffix: str) -> Path | None:
    hits = sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []
    if len(hits) > 1:
        raise BIDSFormatError(
            f"{folder}: several *{suffix} files ({', '.join(h.name for h in hits)}); expected one"
        )
    return hits[0] if hits else None


def _subjects(root: Path) -> list[Path]:
    if root.name.startswith("sub-") and root.is_dir():
        return [root]
    subs = sorted(p for p in root.rglob("sub-*") if p.is_dir() and p.parent.name != p.name)
    return [s for s in subs if not s.parent.name.startswith("sub-")]


def _read_connectivity(net: Path, speed: float) -> Connectivity:
    w_path = _one(net, "_weights.tsv") or _one(net, "weights.tsv")
    if w_path is None:
        raise BIDSFormatError(f"{net}: no *_weights.tsv; a connectivity needs its weights")
    weights = _read_tsv(w_path)
    n = weights.shape[0]
    if weights.shape != (n, n):
        raise BIDSFormatError(
            f"{w_path.name}: is {weights.shape[0]}x{weights.shape[1]}; expected square"
        )
    fields: dict[str, Any] = {"weights": weights, "speed": speed}
    d_path = _one(net, "_distances.tsv") or _one(net, "distances.tsv")
    if d_path is not None:
        fields["tract_lengths"] = _read_tsv(d_path)
    coords = _coords_rows(w_path.with_suffix(".json"))
    coord_dir = net.parent / "coord"
    labels_path = coords[0] if coords else _one(coord_dir, "_labels.tsv")
    nodes_path = coords[1] if len(coords) > 1 else _one(coord_dir, "_nodes.tsv")
    if labels_path is not None:
        fields["region_labels"] = tuple(_read_tsv(labels_path, text=True).tolist())
    if nodes_path is not None:
        fields["centres"] = _read_tsv(nodes_path)
    for key, path in (
        ("region_labels", labels_path),
        ("centres", nodes_path),
        ("tract_lengths", d_path),
    ):
        if key in fields and len(fields[key]) != n:
            raise BIDSFormatError(
                f"{path.name if path else key}: {len(fields[key])} rows but {w_path.name} is "
                f"{n}x{n}; one row per region is needed"
            )
    try:
        return Connectivity(**fields)
    except ValidationError as exc:
        raise BIDSFormatError(f"{w_path.name}: {exc}") from None


def _positive(path: Path, sidecar: dict[str, Any], key: str) -> float:
    """A positive number of a sidecar, named in the error when it is not one."""
    raw = sidecar[key]
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0) or isinstance(raw, bool):
        raise BIDSFormatError(
            f"{path.with_suffix('.json').name}: {key} is {raw!r}; expected a positive number"
        )
    return value


def _read_time_series(ts_dir: Path, conn: Connectivity | None) -> list[TimeSeriesRegion]:
    out = []
    for path in sorted(ts_dir.glob("*.tsv")):
        if path.stem.endswith("_times"):
            continue
        sidecar = _read_json(path.with_suffix(".json"))
        data = _read_tsv(path)
        kwargs: dict[str, Any] = {"title": path.stem}
        rows = _coords_rows(path.with_suffix(".json"))
        if rows:
            kwargs["time"] = _read_tsv(rows[0]).ravel()
        elif "SamplingPeriod" in sidecar:
            kwargs["sample_period"] = _positive(path, sidecar, "SamplingPeriod")
        elif "SamplingFrequency" in sidecar:
            kwargs["sample_period"] = 1000.0 / _positive(path, sidecar, "SamplingFrequency")
        else:
            raise BIDSFormatError(
                f"{path.name}: no sample times; its JSON sidecar needs CoordsRows (a times "
                "file), SamplingPeriod (ms) or SamplingFrequency (Hz)"
            )
        if conn is not None and data.shape[1] == conn.n_region:
            kwargs["connectivity"] = conn
        kwargs["units"] = str(sidecar.get("Units", ""))
        try:
            out.append(TimeSeriesRegion(data=data[:, None, :, None], **kwargs))
        except ValidationError as exc:
            raise BIDSFormatError(f"{path.name}: {exc}") from None
    return out


def read_bids(path: PathLike, *, speed: float = 3.0) -> dict[str, dict[str, Any]]:
    """Connectivities and region time series of every subject of a BIDS derivatives folder.

    Returns
    -------
    dict
        ``{subject: {"connectivity": Connectivity or None, "time_series": [TimeSeriesRegion]}}``
        with the subject folder name (``sub-01``) as key; time series whose width matches the
        subject's connectivity are linked to it.
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder")
    subjects = _subjects(root)
    if not subjects:
        raise BIDSFormatError(f"{root}: no sub-* folder; expected sub-<id>/net, coord, ts")
    out: dict[str, dict[str, Any]] = {}
    for sub in subjects:
        conn = _read_connectivity(sub / "net", speed) if (sub / "net").is_dir() else None
        series = _read_time_series(sub / "ts", conn) if (sub / "ts").is_dir() else []
        out[sub.name] = {"connectivity": conn, "time_series": series}
    return out


def _write_tsv(path: Path, values: np.ndarray) -> None:
    arr = np.atleast_2d(np.asarray(values))
    if arr.dtype.kind in "US":
        text = "\n".join(str(v) for v in arr.ravel())
    else:
        text = "\n".join("\t".join(repr(float(v)) for v in row) for row in arr.tolist())
    path.write_text(text + "\n")


def _stem(subject: str, desc: str) -> str:
    sub = subject if subject.startswith("sub-") else f"sub-{subject}"
    return f"{sub}_desc-{desc}"


def write_bids_connectivity(
    conn: Connectivity, root: PathLike, subject: str = "01", desc: str = "vbrain"
) -> Path:
    """Write a connectivity as ``sub-<subject>/net`` and ``coord`` files; returns the subject
    folder."""
    sub = Path(root) / (subject if subject.startswith("sub-") else f"sub-{subject}")
    net, coord = sub / "net", sub / "coord"
    net.mkdir(parents=True, exist_ok=True)
    coord.mkdir(parents=True, exist_ok=True)
    stem = _stem(subject, desc)
    _write_tsv(net / f"{stem}_weights.tsv", conn.weights)
    _write_tsv(net / f"{stem}_distances.tsv", conn.tract_lengths)
    _write_tsv(coord / f"{stem}_labels.tsv", np.array(conn.region_labels, dtype=str))
    _write_tsv(coord / f"{stem}_nodes.tsv", conn.centres)
    (net / f"{stem}_weights.json").write_text(json.dumps({
        "Description": "structural connectivity weights (row = target, column = source)",
        "Units": "au",
        "CoordsRows": [f"../coord/{stem}_labels.json", f"../coord/{stem}_nodes.json"],
        "CoordsColumns": [f"../coord/{stem}_labels.json", f"../coord/{stem}_nodes.json"],
    }, indent=2))  # fmt: skip
    (net / f"{stem}_distances.json").write_text(
        json.dumps({"Description": "tract lengths", "Units": "mm"}, indent=2)
    )
    (coord / f"{stem}_labels.json").write_text(json.dumps({"Description": "region labels"}))
    (coord / f"{stem}_nodes.json").write_text(
        json.dumps({"Description": "region centres", "Units": "mm"})
    )
    return sub


def write_bids_time_series(
    ts: TimeSeriesRegion,
    root: PathLike,
    subject: str = "01",
    desc: str = "vbrain",
    *,
    variable: int = 0,
    mode: int = 0,
) -> Path:
    """Write one variable of a region time series as ``sub-<subject>/ts`` files; returns the
    ``_ts.tsv`` path."""
    ts_dir = Path(root) / (subject if subject.startswith("sub-") else f"sub-{subject}") / "ts"
    ts_dir.mkdir(parents=True, exist_ok=True)
    stem = _stem(subject, desc)
    _write_tsv(ts_dir / f"{stem}_ts.tsv", ts.data[:, variable, :, mode])
    _write_tsv(ts_dir / f"{stem}_times.tsv", ts.time[:, None])
    (ts_dir / f"{stem}_ts.json").write_text(json.dumps({
        "Description": ts.title or "simulated region time series",
        "Units": ts.units,
        "SamplingPeriod": ts.sample_period,
        "Variable": str(ts.variable_labels[variable]),
        "CoordsRows": [f"{stem}_times.json"],
    }, indent=2))  # fmt: skip
    (ts_dir / f"{stem}_times.json").write_text(json.dumps({"Units": "ms"}))
    return ts_dir / f"{stem}_ts.tsv"
