"""Region-level structural connectivity (the connectome) of a brain network model.

A :class:`Connectivity` holds the coupling weights and tract lengths between ``n`` brain
regions plus per-region geometry (centres, orientations, areas) and flags (cortical, right
hemisphere).  Conventions follow TheVirtualBrain: ``weights[i, j]`` is the strength of the
connection from source region ``j`` onto target region ``i``; lengths are in mm, the conduction
speed in mm/ms (= m/s) and delays in ms.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError, as_labels
from vbrain.datatypes.base import DataType

__all__ = ["Connectivity"]

_PER_REGION_FIELDS = ("centres", "orientations", "areas", "cortical", "hemispheres")


def _shape_str(shape: Sequence[int]) -> str:
    return "x".join(str(s) for s in shape) if len(shape) else "scalar"


def _n_from_weights(weights: Any) -> int | None:
    """Number of regions implied by raw ``weights`` input, or ``None`` if it is unusable."""
    try:
        shape = np.shape(weights)
    except Exception:  # noqa: BLE001 - field validation reports the real problem
        return None
    if len(shape) != 2:
        return None
    return int(shape[0])


def _distances(centres: Any) -> np.ndarray | None:
    """Euclidean distances (mm) between all pairs of region centres, or ``None`` if invalid."""
    try:
        xyz = np.asarray(centres, dtype=float)
    except (TypeError, ValueError):
        return None
    if xyz.ndim != 2 or xyz.shape[1] != 3:
        return None
    diff = xyz[:, np.newaxis, :] - xyz[np.newaxis, :, :]
    return np.sqrt(np.sum(diff**2, axis=-1))


def _hemispheres_from_labels(labels: Sequence[str]) -> np.ndarray | None:
    """Right-hemisphere flags from labels all prefixed (or all suffixed) with r/l, else ``None``.

    Mirrors the rule of the reference system: first try the first letter of every label, then
    the last letter; ``r``/``R`` means right (True), ``l``/``L`` left (False).
    """
    for pick in (lambda s: s[:1], lambda s: s[-1:]):
        flags = []
        for label in labels:
            letter = pick(str(label)).lower()
            if letter == "r":
                flags.append(True)
            elif letter == "l":
                flags.append(False)
            else:
                break
        else:
            if flags:
                return np.array(flags, dtype=bool)
    return None


def _as_labels(value: Any) -> tuple[str, ...]:
    return as_labels(value, "region")


class Connectivity(DataType):
    """Structural connectivity between ``n`` brain regions.

    Only ``weights`` and ``tract_lengths`` are required; ``tract_lengths`` may be left out when
    ``centres`` are given, in which case the Euclidean distances between the centres are used
    (as the reference system does).  Every other per-region field has a default sized from
    ``weights``.  All shapes, finiteness and signs are checked at construction.

    Parameters
    ----------
    weights : array_like, shape (n, n)
        Connection strengths (arbitrary units); row = target region, column = source region.
        Any finite value is allowed, including negative ones.
    tract_lengths : array_like, shape (n, n)
        Lengths of the fibre tracts in mm, finite and >= 0.
    centres : array_like, shape (n, 3)
        Region centres in mm (default zeros).
    region_labels : sequence of str, length n
        Region names (default ``"r0"``, ``"r1"``, ...).  Duplicates are allowed.
    orientations : array_like, shape (n, 3)
        Average (dipole) orientation per region; zeros mean unknown (the default).
    areas : array_like, shape (n,)
        Region areas in mm² (default zeros).
    cortical : array_like of bool, shape (n,)
        True for cortical regions (default all True).
    hemispheres : array_like of bool, shape (n,)
        True for regions of the right hemisphere.  By default inferred from the labels when
        they are given and all start (or all end) with ``r``/``l``; otherwise all False.
    speed : float
        Conduction speed in mm/ms (= m/s), > 0; ``math.inf`` means no delays.
    history : sequence of dict
        Provenance: the operations (:meth:`lesion`, :meth:`threshold`...) that derived this
        connectivity, oldest first, each ``{"operation", "arguments", "parent"}`` with the
        gid of the connectivity it was applied to.  Empty for an original connectome.

    Examples
    --------
    >>> import numpy as np
    >>> conn = Connectivity(weights=np.ones((2, 2)), tract_lengths=[[0, 30.0], [30.0, 0]])
    >>> float(conn.delays[0, 1])
    10.0
    >>> conn.horizon(dt=0.1)
    101
    """

    kind = "connectivity"

    weights: Array(float, 2) = Attr(
        label="Connection weights",
        unit="au",
        doc="""Connection strengths (n x n); row = target region, column = source region.""",
    )
    tract_lengths: Array(float, 2, nonnegative=True) = Attr(
        label="Tract lengths",
        unit="mm",
        doc="""Lengths of the fibre tracts between regions (n x n, >= 0). If not given,
        Euclidean distances between region centres are used.""",
    )
    centres: Array(float, 2, (None, 3)) = Attr(
        None, label="Region centres", unit="mm", doc="""Position of each region (n x 3)."""
    )
    region_labels: tuple[str, ...] = Attr(
        None, label="Region labels", doc="""Name of each region (n strings)."""
    )
    orientations: Array(float, 2, (None, 3)) = Attr(
        None,
        label="Average orientations",
        doc="""Average orientation of each region (n x 3 unit vectors); zeros = unknown.""",
    )
    areas: Array(float, 1, nonnegative=True) = Attr(
        None, label="Region areas", unit="mm^2", doc="""Area of each region (n values)."""
    )
    cortical: Array(bool, 1) = Attr(
        None, label="Cortical", doc="""True for cortical regions (n flags)."""
    )
    hemispheres: Array(bool, 1) = Attr(
        None, label="Right hemisphere", doc="""True for regions in the right hemisphere."""
    )
    speed: float = Attr(
        3.0,
        label="Conduction speed",
        unit="mm/ms",
        range=(1.0, 20.0),
        doc="""Conduction speed along the tracts in mm/ms (= m/s); must be > 0;
        infinity means no delays.""",
    )
    history: tuple[dict[str, Any], ...] = Attr(
        (),
        label="History",
        doc="""Operations that derived this connectivity, oldest first: each a dict with
        "operation", "arguments" and "parent" (gid of the input connectivity).""",
    )

    # -- validation --------------------------------------------------------------------

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        """Derive tract lengths from centres and size the per-region defaults from weights."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("weights") is None:
            raise ValueError("Connectivity needs weights (an n x n array; row = target)")
        n = _n_from_weights(data.get("weights"))
        if data.get("tract_lengths") is None:
            if data.get("centres") is None:
                raise ValueError(
                    "Connectivity needs tract_lengths (n x n, mm) or centres (n x 3, mm) to "
                    "derive them from"
                )
            dist = _distances(data["centres"])
            if dist is None:
                raise ValueError(
                    f"Connectivity.centres has shape {np.shape(data['centres'])}; centres must "
                    "be an n x 3 array of numbers (mm) to derive tract_lengths from them"
                )
            data["tract_lengths"] = dist
        if n is None:
            return data
        labels = data.get("region_labels")
        if data.get("hemispheres") is None:
            inferred = None
            if labels is not None:
                try:
                    inferred = _hemispheres_from_labels(_as_labels(labels))
                except ValueError:
                    inferred = None  # the region_labels field reports the problem
            data["hemispheres"] = inferred if inferred is not None else np.zeros(n, bool)
        if labels is None:
            data["region_labels"] = tuple(f"r{i}" for i in range(n))
        defaults = {
            "centres": lambda: np.zeros((n, 3)),
            "orientations": lambda: np.zeros((n, 3)),
            "areas": lambda: np.zeros(n),
            "cortical": lambda: np.ones(n, bool),
        }
        for name, make in defaults.items():
            if data.get(name) is None:
                data[name] = make()
        return data

    @pydantic.field_validator("region_labels", mode="before")
    @classmethod
    def _check_labels(cls, value: Any) -> tuple[str, ...]:
        return _as_labels(value)

    @pydantic.field_validator("history", mode="after")
    @classmethod
    def _check_history(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        # provenance is stored as JSON: refuse anything that would not survive the trip
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"history entries must be JSON-able dicts (numbers, strings, lists): {exc}"
            ) from None
        return value

    @pydantic.field_validator("speed", mode="before")
    @classmethod
    def _check_speed(cls, value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError("speed must be a number in mm/ms, got a bool")
        try:
            speed = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"speed must be a number in mm/ms, got {value!r}") from None
        if math.isnan(speed) or speed <= 0:
            raise ValueError(f"speed must be > 0 mm/ms (use math.inf for no delays), got {speed!r}")
        return speed

    @pydantic.model_validator(mode="after")
    def _check_shapes(self) -> Connectivity:
        w = self.weights
        if w.shape[0] != w.shape[1]:
            raise ValueError(
                f"Connectivity.weights is {_shape_str(w.shape)}; weights must be square (n x n)"
            )
        n = w.shape[0]
        if n == 0:
            raise ValueError("Connectivity.weights is empty; at least one region is needed")
        if self.tract_lengths.shape != w.shape:
            raise ValueError(
                f"Connectivity.tract_lengths is {_shape_str(self.tract_lengths.shape)} but "
                f"weights is {_shape_str(w.shape)}; they must have the same shape"
            )
        for name in _PER_REGION_FIELDS:
            arr = getattr(self, name)
            if arr.shape[0] != n:
                raise ValueError(
                    f"Connectivity.{name} has shape {arr.shape} but weights is "
                    f"{_shape_str(w.shape)}; {name} needs one entry per region ({n})"
                )
        if len(self.region_labels) != n:
            raise ValueError(
                f"Connectivity.region_labels has {len(self.region_labels)} labels but weights "
                f"is {_shape_str(w.shape)}; one label per region ({n}) is needed"
            )
        return self

    def __eq__(self, other: object) -> bool:
        """Equal networks: every field but ``history`` (provenance, like the gid) is equal."""
        if type(other) is not type(self):
            return NotImplemented
        for name in type(self).model_fields:
            if name == "history":
                continue
            a, b = getattr(self, name), getattr(other, name)
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not np.array_equal(np.asarray(a), np.asarray(b)):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_region(self) -> int:
        """Number of regions ``n``."""
        return int(self.weights.shape[0])

    @property
    def n_nonzero(self) -> int:
        """Number of non-zero connection weights."""
        return int(np.count_nonzero(self.weights))

    @property
    def is_symmetric(self) -> bool:
        """True when the weights matrix equals its transpose exactly (undirected network)."""
        return bool(np.array_equal(self.weights, self.weights.T))

    @property
    def delays(self) -> np.ndarray:
        """Conduction delays in ms, ``tract_lengths / speed`` (all zeros when speed is inf)."""
        if math.isinf(self.speed):
            return np.zeros_like(self.tract_lengths)
        return self.tract_lengths / self.speed

    def idelays(self, dt: float) -> np.ndarray:
        """Delays in integration steps.

        Parameters
        ----------
        dt : float
            Integration time step in ms (> 0).

        Returns
        -------
        numpy.ndarray of int64, shape (n, n)
            ``rint(delays / dt)``, rounding halves to even like :func:`numpy.rint`.
        """
        dt = _check_dt(dt)
        return np.rint(self.delays / dt).astype(np.int64)

    def horizon(self, dt: float) -> int:
        """Length of the delay history in steps, ``idelays(dt).max() + 1``.

        Parameters
        ----------
        dt : float
            Integration time step in ms (> 0).

        Returns
        -------
        int
            Number of time points a circular history buffer needs.
        """
        return int(self.idelays(dt).max()) + 1

    def summary(self) -> dict[str, Any]:
        """Key figures of the connectome.

        Returns
        -------
        dict
            ``n_region``, ``n_nonzero``, ``weights_min``/``max``/``mean``,
            ``tract_lengths_min``/``max``/``mean`` (mm), ``speed`` (mm/ms),
            ``is_symmetric``.
        """
        w, t = self.weights, self.tract_lengths
        return {
            "n_region": self.n_region,
            "n_nonzero": self.n_nonzero,
            "weights_min": float(w.min()),
            "weights_max": float(w.max()),
            "weights_mean": float(w.mean()),
            "tract_lengths_min": float(t.min()),
            "tract_lengths_max": float(t.max()),
            "tract_lengths_mean": float(t.mean()),
            "speed": self.speed,
            "is_symmetric": self.is_symmetric,
        }

    @classmethod
    def example(cls) -> Connectivity:
        """Four regions in two hemispheres, with delays."""
        w = np.array([[0, 1, 0.5, 0], [1, 0, 0, 0.2], [0.5, 0, 0, 1], [0, 0.2, 1, 0]])
        lengths = np.array([[0, 20, 40, 60], [20, 0, 50, 30], [40, 50, 0, 25], [60, 30, 25, 0]])
        centres = [[-30, 0, 0], [-30, 20, 10], [30, 0, 0], [30, 20, 10]]
        return cls(
            weights=w,
            tract_lengths=lengths.astype(float),
            centres=centres,
            region_labels=["lA", "lB", "rA", "rB"],
            speed=3.0,
        )

    # -- copies ------------------------------------------------------------------------

    def replace(self, **changes: Any) -> Connectivity:
        """Validated copy with some fields changed.

        Parameters
        ----------
        **changes
            New field values, e.g. ``weights=...``.

        Returns
        -------
        Connectivity
            A new object; arrays are copies, never shared with ``self``.
        """
        unknown = set(changes) - set(type(self).model_fields)
        if unknown:
            raise ValidationError(f"Connectivity has no field(s) {sorted(unknown)}")
        copy = self.model_copy(update=changes, deep=True)
        return type(self)(**{name: getattr(copy, name) for name in type(self).model_fields})

    def with_speed(self, speed: float) -> Connectivity:
        """Copy with another conduction speed (mm/ms, > 0, ``math.inf`` = no delays)."""
        return self.replace(speed=speed)

    def scaled(self, mode: str = "tract") -> Connectivity:
        """Copy with normalised weights (the reference system's ``scaled_weights``).

        Same as :meth:`normalise_weights`, which records the operation in ``history``.

        Parameters
        ----------
        mode : {"tract", "region", "none"}
            ``"tract"`` (alias ``"edge"``) divides by the largest absolute weight, so the
            strongest connection becomes 1; ``"region"`` (alias ``"node"``) divides by the
            largest absolute total input to a region (row sum); ``"none"`` changes nothing.
            An all-zero matrix is returned unchanged.

        Returns
        -------
        Connectivity
            A validated copy with the scaled weights.
        """
        return self.normalise_weights(mode)

    # -- operations: each returns a new connectivity and records itself in ``history`` --

    def normalise_weights(self, mode: str = "tract") -> Connectivity:
        """Copy with the weights divided by one global factor.

        Parameters
        ----------
        mode : {"tract", "region", "none"}
            ``"tract"`` (alias ``"edge"``): factor = ``max |w_ij|``, the strongest connection
            becomes 1.  ``"region"`` (alias ``"node"``): factor = ``max_i |sum_j w_ij|``, the
            largest total input to a region becomes 1.  ``"none"``: factor 1.  A zero
            factor (all-zero weights) is replaced by 1.

        Returns
        -------
        Connectivity
            The copy; ``history`` gains ``{"operation": "normalise_weights", "arguments":
            {"mode": ..., "factor": ...}}``.
        """
        w = self.weights
        if mode in ("tract", "edge"):
            factor = float(np.abs(w).max())
        elif mode in ("region", "node"):
            factor = float(np.abs(w.sum(axis=1)).max())
        elif mode in ("none", None):
            factor = 1.0
        else:
            raise ValidationError(
                f"Connectivity.normalise_weights: unknown mode {mode!r}; use 'tract', 'region' "
                "or 'none'"
            )
        if factor == 0.0:
            factor = 1.0
        return self._derive(
            "normalise_weights", {"mode": mode, "factor": factor}, weights=w / factor
        )

    def lesion(
        self,
        regions: Any = None,
        *,
        edges: Sequence[tuple[int | str, int | str]] | None = None,
        mode: str = "zero",
        symmetric: bool = False,
    ) -> Connectivity:
        """Copy with regions or connections lesioned.

        Parameters
        ----------
        regions : int, str or sequence of them, or bool mask, optional
            Regions by index or label.
        edges : sequence of (target, source) pairs, optional
            Connections to cut, by index or label; ``(i, j)`` is ``weights[i, j]``, the
            connection from ``j`` onto ``i``.
        mode : {"zero", "remove"}
            ``"zero"``: set every weight into and out of ``regions`` (rows and columns) and
            the ``edges`` to 0, keeping all regions and the tract lengths.  ``"remove"``:
            drop ``regions`` from the network entirely (like :meth:`subset` of the others);
            ``edges`` cannot be combined with it.
        symmetric : bool
            Also cut the reverse connection ``(j, i)`` of each edge.

        Returns
        -------
        Connectivity
            The lesioned copy; ``history`` gains ``{"operation": "lesion", ...}`` with the
            region indices and edges used.
        """
        if regions is None and not edges:
            raise ValidationError("Connectivity.lesion needs regions and/or edges to lesion")
        idx = self._region_indices(regions, "lesion") if regions is not None else np.zeros(0, int)
        if mode == "remove":
            if edges:
                raise ValidationError(
                    "Connectivity.lesion(mode='remove') removes regions; cut edges with mode='zero'"
                )
            keep = np.setdiff1d(np.arange(self.n_region), idx)
            if keep.size == 0:
                raise ValidationError(
                    "Connectivity.lesion(mode='remove') would remove every region; at least "
                    "one must remain"
                )
            args = {"regions": idx.tolist(), "mode": "remove"}
            return self._derive("lesion", args, **self._subset_fields(keep))
        if mode != "zero":
            raise ValidationError(
                f"Connectivity.lesion: unknown mode {mode!r}; use 'zero' or 'remove'"
            )
        w = self.weights.copy()
        w[idx, :] = 0.0
        w[:, idx] = 0.0
        pairs = []
        for edge in edges or ():
            if isinstance(edge, str) or len(edge) != 2:
                raise ValidationError(
                    f"Connectivity.lesion: an edge is a (target, source) pair, got {edge!r}"
                )
            t, src = (int(self._region_indices(e, "lesion")[0]) for e in edge)
            pairs.append([t, src])
            w[t, src] = 0.0
            if symmetric:
                w[src, t] = 0.0
        args = {"regions": idx.tolist(), "edges": pairs, "mode": "zero", "symmetric": symmetric}
        return self._derive("lesion", args, weights=w)

    def threshold(self, value: float, *, mode: str = "absolute") -> Connectivity:
        """Copy with the weak connections set to 0 (tract lengths are kept).

        Parameters
        ----------
        value : float
            ``mode="absolute"``: weights with ``|w| < value`` become 0 (``value >= 0``).
            ``mode="proportional"``: the fraction ``0 <= value <= 1`` of the ``n (n - 1)``
            off-diagonal entries to keep, the strongest by ``|w|``: ``k = round(value n (n -
            1))`` entries are kept, plus any tied with the k-th (so a symmetric matrix stays
            symmetric); zero weights are never counted as kept.  The diagonal (self
            connections) is left as it is.
        mode : {"absolute", "proportional"}

        Returns
        -------
        Connectivity
            The thresholded copy; ``history`` gains ``{"operation": "threshold", ...}``.
        """
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                f"Connectivity.threshold: value must be a number, got {value!r}"
            ) from None
        w = self.weights.copy()
        a = np.abs(w)
        if mode == "absolute":
            if not math.isfinite(value) or value < 0:
                raise ValidationError(
                    f"Connectivity.threshold: an absolute threshold must be a finite number >= "
                    f"0, got {value!r}"
                )
            w[a < value] = 0.0
            args: dict[str, Any] = {"value": value, "mode": "absolute"}
        elif mode == "proportional":
            if not 0.0 <= value <= 1.0:
                raise ValidationError(
                    f"Connectivity.threshold: a proportional threshold is the fraction of "
                    f"connections kept, in [0, 1]; got {value!r}"
                )
            n = self.n_region
            off = ~np.eye(n, dtype=bool)
            k = int(round(value * n * (n - 1)))
            if k == 0:
                w[off] = 0.0
                cutoff = math.inf
            else:
                cutoff = float(np.sort(a[off])[::-1][k - 1])
                w[off & (a < cutoff)] = 0.0
            args = {"value": value, "mode": "proportional", "n_kept_target": k}
            args["cutoff"] = cutoff if math.isfinite(cutoff) else None
        else:
            raise ValidationError(
                f"Connectivity.threshold: unknown mode {mode!r}; use 'absolute' or 'proportional'"
            )
        return self._derive("threshold", args, weights=w)

    def symmetrised(self, mode: str = "mean") -> Connectivity:
        """Copy with symmetric weights and tract lengths.

        Parameters
        ----------
        mode : {"mean", "max", "min"}
            How the weights ``w_ij`` and ``w_ji`` are combined: their mean, the larger or the
            smaller one.  Tract lengths take the mean of the two directions where both are
            known (> 0) and the known one where only one is (a tract measured one way is the
            same tract the other way).

        Returns
        -------
        Connectivity
            The symmetric copy; ``history`` gains ``{"operation": "symmetrise", ...}``.
        """
        w = self.weights
        if mode == "mean":
            ws = 0.5 * (w + w.T)
        elif mode == "max":
            ws = np.maximum(w, w.T)
        elif mode == "min":
            ws = np.minimum(w, w.T)
        else:
            raise ValidationError(
                f"Connectivity.symmetrised: unknown mode {mode!r}; use 'mean', 'max' or 'min'"
            )
        t, tt = self.tract_lengths, self.tract_lengths.T
        both = (t > 0) & (tt > 0)
        lengths = np.where(both, 0.5 * (t + tt), np.maximum(t, tt))
        return self._derive("symmetrise", {"mode": mode}, weights=ws, tract_lengths=lengths)

    symmetrise = symmetrised

    def subset(self, regions: Any) -> Connectivity:
        """Copy keeping only some regions, in the order given.

        Parameters
        ----------
        regions : sequence of int or str, or bool mask
            Regions to keep, by index or label; no repeats.

        Returns
        -------
        Connectivity
            The sub-network (matrices and per-region fields sliced); ``history`` gains
            ``{"operation": "subset", "arguments": {"regions": [...]}}``.
        """
        idx = self._region_indices(regions, "subset")
        if idx.size == 0:
            raise ValidationError("Connectivity.subset needs at least one region to keep")
        return self._derive("subset", {"regions": idx.tolist()}, **self._subset_fields(idx))

    # -- helpers of the operations -------------------------------------------------------

    def _derive(self, operation: str, arguments: dict[str, Any], **changes: Any) -> Connectivity:
        """Validated copy with ``changes`` and one more ``history`` entry."""
        entry = {"operation": operation, "arguments": arguments, "parent": self.gid}
        return self.replace(history=(*self.history, entry), **changes)

    def _subset_fields(self, idx: np.ndarray) -> dict[str, Any]:
        out: dict[str, Any] = {
            "weights": self.weights[np.ix_(idx, idx)],
            "tract_lengths": self.tract_lengths[np.ix_(idx, idx)],
            "region_labels": tuple(self.region_labels[i] for i in idx),
        }
        for name in _PER_REGION_FIELDS:
            out[name] = getattr(self, name)[idx]
        return out

    def _region_indices(self, regions: Any, op: str) -> np.ndarray:
        """Indices (int array) of regions given by index, label, their sequence or a mask."""
        n = self.n_region
        if isinstance(regions, np.ndarray) and regions.dtype == bool:
            if regions.shape != (n,):
                raise ValidationError(
                    f"Connectivity.{op}: a region mask needs {n} flags, got shape {regions.shape}"
                )
            return np.flatnonzero(regions)
        items = [regions] if isinstance(regions, str | int | np.integer) else list(regions)
        out = []
        for item in items:
            if isinstance(item, str | np.str_):
                hits = [i for i, label in enumerate(self.region_labels) if label == item]
                if not hits:
                    shown = ", ".join(self.region_labels[:10])
                    more = ", ..." if n > 10 else ""
                    raise ValidationError(
                        f"Connectivity.{op}: no region labelled {item!r}; labels are {shown}{more}"
                    )
                if len(hits) > 1:
                    raise ValidationError(
                        f"Connectivity.{op}: label {item!r} names regions {hits}; give indices"
                    )
                out.append(hits[0])
            elif isinstance(item, int | np.integer) and not isinstance(item, bool | np.bool_):
                if not 0 <= int(item) < n:
                    raise ValidationError(
                        f"Connectivity.{op}: region index {int(item)} is out of range; indices "
                        f"go from 0 to {n - 1}"
                    )
                out.append(int(item))
            else:
                raise ValidationError(
                    f"Connectivity.{op}: regions are given by index or label, got {item!r}"
                )
        if len(set(out)) != len(out):
            raise ValidationError(f"Connectivity.{op}: regions {out} contain repeats")
        return np.array(out, dtype=int)


def _check_dt(dt: Any) -> float:
    try:
        value = float(dt)
    except (TypeError, ValueError):
        raise ValidationError(f"dt must be a number in ms, got {dt!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"dt must be a finite number > 0 ms, got {dt!r}")
    return value
