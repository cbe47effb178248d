"""Declarative parameter spaces: grids, explicit point lists, random and Latin-hypercube samples.

A parameter is addressed by the dotted name of its entry in a
:class:`~vbrain.simulator.config.SimulationConfig`:

=================================  ===============================================================
name                               what changes
=================================  ===============================================================
``model.<p>``                      a model parameter (``model.a``)
``coupling.<p>``                   a coupling parameter (``coupling.a``)
``integrator.<p>``                 a numeric integrator field (``integrator.dt``)
``integrator.noise.<p>``           a noise field (``integrator.noise.nsig``)
``monitors.<k>.<p>``               a field of the k-th monitor
``stimulus.<...>``                 a stimulus field, when the configuration has one
``connectivity.speed``             conduction speed (mm/ms); ``speed`` is an alias
``connectivity.weights_scale``     a factor multiplying every weight (1 = unchanged)
=================================  ===============================================================

Per-node parameters
-------------------
Two ways, for parameters that accept one value per node (model and coupling parameters):

* **a value may be a per-node array**: ``Grid({"model.a": [a_healthy, a_lesioned]})`` where
  each entry is an array of ``n_node`` values; the grid axis then has integer coordinates
  ``0, 1, ...`` and the arrays are kept as the ``<name>`` parameter values (``(n_point, n_node)``
  in the store);
* **an axis over one node's value**: ``model.a[3]`` sets node 3 only (``model.a[3,5]`` sets
  nodes 3 and 5 to the same value), the other nodes keep the configuration's value
  (broadcast to one value per node).  ``Grid({"model.a[0]": [...], "model.a[1]": [...]})``
  explores two nodes' excitability independently.

Validation
----------
:meth:`ParameterSpace.check` resolves every name against a configuration before anything
runs: unknown names raise a :class:`~vbrain.config.ValidationError` listing what exists; values
outside a field's hard limits (``valid``) raise, values outside its informational ``range``
only warn (:class:`SweepWarning`).
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vbrain.config.traits import Declared, ValidationError

__all__ = [
    "Explicit",
    "Grid",
    "LatinHypercube",
    "ParameterSpace",
    "Random",
    "SweepWarning",
    "Target",
    "resolve_target",
    "space_from_dict",
]

CONNECTIVITY_PARAMETERS = {
    "speed": {"valid": [0.0, None], "exclusive": True, "range": [1.0, 20.0], "unit": "mm/ms"},
    "weights_scale": {"valid": [0.0, None], "exclusive": False, "range": [0.0, 10.0], "unit": ""},
}

_NAME = re.compile(
    r"^([A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|\d+))*)(?:\[\s*(\d+(?:\s*,\s*\d+)*)\s*\])?$"
)


class SweepWarning(UserWarning):
    """A sweep value is allowed but outside the parameter's typical ``range``."""


# --------------------------------------------------------------------------------------
# Resolving names


@dataclass(frozen=True)
class Target:
    """What a parameter name points to in a configuration.

    Attributes
    ----------
    name
        Canonical name (``speed`` becomes ``connectivity.speed``).
    path
        Keys from the configuration's dict form down to the field.
    nodes
        Node indices for ``name[i,...]`` (None: the whole value).
    valid, exclusive, range, unit
        The field's declared hard limits, typical range and unit.
    per_node
        Whether the field accepts one value per node.
    """

    name: str
    path: tuple[str, ...]
    nodes: tuple[int, ...] | None
    valid: tuple[float | None, float | None] | None
    exclusive: bool
    range: tuple[float, float] | None
    unit: str
    per_node: bool

    @property
    def is_connectivity(self) -> bool:
        return self.path[0] == "connectivity"

    def check_value(self, value: Any, n_node: int) -> np.ndarray | float:
        """Validate one value against the limits; returns it as a float or array.

        Raises :class:`ValidationError` outside ``valid``; warns outside ``range``.
        """
        arr = np.asarray(value, dtype=float) if _is_numeric(value) else None
        if arr is None:
            raise ValidationError(
                f"{self.name} = {value!r}: expected a number"
                + (" or an array of one value per node" if self.per_node else "")
            )
        if arr.ndim > 1 or (arr.ndim == 1 and not self.per_node):
            raise ValidationError(
                f"{self.name} = <array shape {arr.shape}>: expected a number"
                + (f" or {n_node} values (one per node)" if self.per_node else "")
            )
        if arr.ndim == 1 and self.nodes is not None:
            raise ValidationError(
                f"{self.name} sets node(s) {list(self.nodes)}: give one number, not an array"
            )
        if arr.ndim == 1 and arr.size != n_node:
            raise ValidationError(
                f"{self.name} has {arr.size} values but the network has {n_node} nodes; give "
                "one number or one value per node"
            )
        if not np.all(np.isfinite(arr)) and not (self.name == "connectivity.speed"):
            raise ValidationError(f"{self.name} = {value!r}: values must be finite numbers")
        if self.valid is not None:
            lo, hi = self.valid
            bad = np.zeros(arr.shape, bool)
            if lo is not None:
                bad |= arr <= lo if self.exclusive else arr < lo
            if hi is not None:
                bad |= arr >= hi if self.exclusive else arr > hi
            if np.any(bad):
                left, right = ("(", ")") if self.exclusive else ("[", "]")
                lo_s = "-inf" if lo is None else f"{lo:g}"
                hi_s = "inf" if hi is None else f"{hi:g}"
                raise ValidationError(
                    f"{self.name} = {arr[bad].ravel()[0]:g} is outside its valid range "
                    f"{left}{lo_s}, {hi_s}{right}{' ' + self.unit if self.unit else ''}"
                )
        if self.range is not None:
            lo, hi = self.range
            finite = arr[np.isfinite(arr)]
            if finite.size and (finite.min() < lo or finite.max() > hi):
                out = finite[(finite < lo) | (finite > hi)].ravel()[0]
                warnings.warn(
                    f"{self.name} = {out:g} is outside its typical range [{lo:g}, {hi:g}]"
                    f"{' ' + self.unit if self.unit else ''}; allowed, but check it is intended",
                    SweepWarning,
                    stacklevel=3,
                )
        return float(arr) if arr.ndim == 0 else arr


def _is_numeric(value: Any) -> bool:
    if isinstance(value, bool | str | bytes) or value is None:
        return False
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.dtype.kind == "f"


def _fields_of(obj: Any) -> list[str]:
    return list(type(obj).model_fields) if isinstance(obj, Declared) else []


def resolve_target(name: str, config: Any, n_node: int) -> Target:
    """Resolve a dotted parameter name against a :class:`SimulationConfig`.

    Parameters
    ----------
    name
        E.g. ``"model.a"``, ``"model.a[3]"``, ``"integrator.noise.nsig"``,
        ``"connectivity.speed"``.
    config
        The configuration the sweep modifies.
    n_node
        Number of nodes of its connectivity (checks node indices).

    Raises
    ------
    ValidationError
        Unknown section or field (listing the known ones), bad node index, non-numeric field.
    """
    if not isinstance(name, str):
        raise ValidationError(f"parameter names are strings such as 'model.a', got {name!r}")
    m = _NAME.match(name.strip())
    if m is None:
        raise ValidationError(
            f"parameter name {name!r} is not understood; use a dotted name such as 'model.a', "
            "'integrator.noise.nsig' or 'model.a[3]' (node 3 only)"
        )
    path = tuple(m.group(1).split("."))
    nodes = None
    if m.group(2) is not None:
        nodes = tuple(int(i) for i in m.group(2).split(","))
        bad = [i for i in nodes if i >= n_node]
        if bad:
            raise ValidationError(
                f"{name}: node index {bad[0]} is out of range; the network has {n_node} nodes "
                f"(0..{n_node - 1})"
            )
    if path == ("speed",):
        path = ("connectivity", "speed")
    canonical = ".".join(path) + ("" if nodes is None else "[" + ",".join(map(str, nodes)) + "]")
    if path[0] == "connectivity":
        if len(path) != 2 or path[1] not in CONNECTIVITY_PARAMETERS:
            raise ValidationError(
                f"{name}: the connectivity can be swept through "
                f"{', '.join('connectivity.' + k for k in CONNECTIVITY_PARAMETERS)}"
            )
        if nodes is not None:
            raise ValidationError(f"{name}: {path[1]} is one number for the whole network")
        spec = CONNECTIVITY_PARAMETERS[path[1]]
        return Target(
            canonical,
            path,
            None,
            tuple(spec["valid"]),  # type: ignore[arg-type]
            bool(spec["exclusive"]),
            tuple(spec["range"]),  # type: ignore[arg-type]
            str(spec["unit"]),
            False,
        )
    sections = [f for f in _fields_of(config) if f not in ("connectivity", "speed")]
    obj: Any = config
    for depth, part in enumerate(path[:-1]):
        where = ".".join(path[:depth]) or "the configuration"
        if isinstance(obj, list | tuple):
            if not part.isdigit() or int(part) >= len(obj):
                raise ValidationError(
                    f"{name}: {where} is a list of {len(obj)}; use an index 0..{len(obj) - 1}"
                )
            obj = obj[int(part)]
            continue
        fields = _fields_of(obj)
        if part not in fields or getattr(obj, part) is None:
            known = sections if depth == 0 else fields
            missing = " (it is not set in the configuration)" if part in fields else ""
            raise ValidationError(
                f"{name}: {where} has no section {part!r}{missing}; known: {', '.join(known)}"
                + (", connectivity.speed, connectivity.weights_scale" if depth == 0 else "")
            )
        obj = getattr(obj, part)
    field = path[-1]
    fields = _fields_of(obj)
    if field not in fields:
        what = ".".join(path[:-1]) or "the configuration"
        numeric = [f for f in fields if _is_numeric(getattr(obj, f))]
        raise ValidationError(
            f"{name}: {type(obj).__name__} ({what}) has no parameter {field!r}; its numeric "
            f"parameters are: {', '.join(numeric) or '(none)'}"
        )
    current = getattr(obj, field)
    if not _is_numeric(current) or np.ndim(current) > 1:
        raise ValidationError(
            f"{name} = {current!r} is not a numeric parameter and cannot be swept"
        )
    info = type(obj).model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    per_node = isinstance(current, np.ndarray) or (
        path[0] in ("model", "coupling") and "length" not in extra
    )
    if nodes is not None and not per_node:
        raise ValidationError(f"{name}: {'.'.join(path)} is not a per-node parameter")
    valid = extra.get("valid")
    rng = extra.get("range")
    return Target(
        canonical,
        path,
        nodes,
        None if valid is None else (valid[0], valid[1]),
        bool(extra.get("exclusive", False)),
        None if rng is None else (float(rng[0]), float(rng[1])),
        str(extra.get("unit") or ""),
        per_node,
    )


# --------------------------------------------------------------------------------------
# Spaces


def _as_values(name: str, values: Any) -> list[Any]:
    """Axis values from a list/array or ``{linspace: [start, stop, num]}`` /
    ``{start:, stop:, num:}`` / ``{logspace: [start_exp, stop_exp, num]}``."""
    if isinstance(values, Mapping):
        if "linspace" in values or "logspace" in values:
            kind = "linspace" if "linspace" in values else "logspace"
            args = values[kind]
            if not isinstance(args, Sequence) or len(args) != 3:
                raise ValidationError(f"{name}: {kind} needs [start, stop, num], got {args!r}")
            fn = np.linspace if kind == "linspace" else np.logspace
            return list(fn(float(args[0]), float(args[1]), int(args[2])))
        if {"start", "stop", "num"} <= set(values):
            return list(np.linspace(values["start"], values["stop"], int(values["num"])))
        raise ValidationError(
            f"{name}: give a list of values or {{linspace: [start, stop, num]}}, got {values!r}"
        )
    if isinstance(values, str | bytes) or not isinstance(values, Iterable | np.ndarray):
        values = [values]
    out = list(values)
    if not out:
        raise ValidationError(f"{name}: the axis has no values; give at least one")
    return [np.asarray(v, dtype=float) if np.ndim(v) else v for v in out]


class ParameterSpace:
    """Base class: an ordered set of points, each a mapping ``name -> value``.

    Subclasses define :attr:`names`, :meth:`point` and ``len``; point ``i`` is identified by
    its index everywhere (seeds, store rows, results).
    """

    kind: str = "space"
    names: tuple[str, ...]

    def __len__(self) -> int:
        raise NotImplementedError

    def point(self, index: int) -> dict[str, Any]:
        """The parameter values of point ``index``."""
        raise NotImplementedError

    def points(self) -> Iterable[dict[str, Any]]:
        for i in range(len(self)):
            yield self.point(i)

    @property
    def shape(self) -> tuple[int, ...] | None:
        """Grid shape (one axis per parameter) or None for point lists."""
        return None

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def values_to_check(self) -> dict[str, list[Any]]:
        """Values per parameter that span what the space can produce (for validation)."""
        raise NotImplementedError

    def check(self, config: Any, n_node: int) -> dict[str, Target]:
        """Resolve every name and check every value against ``config``; returns the targets.

        Raises :class:`ValidationError` on unknown names, duplicated names or values outside
        the hard limits; warns (:class:`SweepWarning`) outside the typical range.
        """
        if len(self) == 0:
            raise ValidationError(f"the {self.kind} space has no points")
        targets: dict[str, Target] = {}
        for name in self.names:
            t = resolve_target(name, config, n_node)
            if t.name in targets:
                raise ValidationError(f"parameter {t.name!r} appears twice in the space")
            targets[t.name] = t
        by_given = dict(zip(self.names, targets.values(), strict=True))
        for name, values in self.values_to_check().items():
            for v in values:
                by_given[name].check_value(v, n_node)
        # a value set for the whole field and one for a node of it would fight
        for t in targets.values():
            if t.nodes is not None and ".".join(t.path) in targets:
                raise ValidationError(
                    f"{t.name} and {'.'.join(t.path)} are both swept; sweep one of them"
                )
        return targets


def _names(params: Iterable[str]) -> tuple[str, ...]:
    names = tuple(params)
    for n in names:
        if not isinstance(n, str):
            raise ValidationError(f"parameter names are strings such as 'model.a', got {n!r}")
    if not names:
        raise ValidationError("a parameter space needs at least one parameter")
    return names


class Grid(ParameterSpace):
    """Cartesian product of value lists, one axis per parameter (C order: last axis fastest).

    Parameters
    ----------
    axes
        ``{name: values}``; values are a list/array (entries may be per-node arrays) or
        ``{"linspace": [start, stop, num]}``.

    Examples
    --------
    >>> g = Grid({"model.a": [0.0, 1.0], "coupling.a": {"linspace": [0.0, 0.1, 3]}})
    >>> len(g), g.shape, g.point(4)
    (6, (2, 3), {'model.a': 1.0, 'coupling.a': 0.05})
    """

    kind = "grid"

    def __init__(self, axes: Mapping[str, Any]) -> None:
        if not isinstance(axes, Mapping):
            raise ValidationError(
                f"Grid expects a mapping {{name: values}}, got {type(axes).__name__}"
            )
        self.names = _names(axes)
        self.axes = {n: _as_values(n, axes[n]) for n in self.names}

    def __len__(self) -> int:
        return math.prod(len(v) for v in self.axes.values())

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.axes.values())

    def point(self, index: int) -> dict[str, Any]:
        idx = np.unravel_index(int(index), self.shape)
        return {n: self.axes[n][int(i)] for n, i in zip(self.names, idx, strict=True)}

    def values_to_check(self) -> dict[str, list[Any]]:
        return dict(self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"grid": {n: [np.asarray(v).tolist() for v in vs] for n, vs in self.axes.items()}}

    def __repr__(self) -> str:
        return f"Grid({', '.join(f'{n}: {len(v)}' for n, v in self.axes.items())})"


class Explicit(ParameterSpace):
    """A list of points, each a mapping ``{name: value}`` with the same names.

    Examples
    --------
    >>> Explicit([{"model.a": 0.0, "coupling.a": 0.1}, {"model.a": 1.0, "coupling.a": 0.0}])
    Explicit(2 points: model.a, coupling.a)
    """

    kind = "explicit"

    def __init__(self, points: Sequence[Mapping[str, Any]]) -> None:
        if isinstance(points, Mapping) or not isinstance(points, Sequence) or not points:
            raise ValidationError(
                "Explicit expects a non-empty list of points, e.g. [{'model.a': 0.0}, ...]"
            )
        for i, p in enumerate(points):
            if not isinstance(p, Mapping):
                raise ValidationError(f"Explicit point {i} must be a mapping, got {p!r}")
        self.names = _names(points[0])
        for i, p in enumerate(points):
            if set(p) != set(self.names):
                raise ValidationError(
                    f"Explicit point {i} has parameters {sorted(p)}; every point must give "
                    f"the same ones as point 0: {sorted(self.names)}"
                )
        self._points = [
            {n: np.asarray(p[n], dtype=float) if np.ndim(p[n]) else p[n] for n in self.names}
            for p in points
        ]

    def __len__(self) -> int:
        return len(self._points)

    def point(self, index: int) -> dict[str, Any]:
        return dict(self._points[int(index)])

    def values_to_check(self) -> dict[str, list[Any]]:
        return {n: [p[n] for p in self._points] for n in self.names}

    def to_dict(self) -> dict[str, Any]:
        return {
            "explicit": [{n: np.asarray(v).tolist() for n, v in p.items()} for p in self._points]
        }

    def __repr__(self) -> str:
        return f"Explicit({len(self)} points: {', '.join(self.names)})"


class _Sampled(ParameterSpace):
    """Points drawn in a box ``bounds = {name: (low, high)}``; ``n`` points, ``seed``."""

    def __init__(self, bounds: Mapping[str, Sequence[float]], n: int, seed: int | None = 0) -> None:
        if not isinstance(bounds, Mapping):
            raise ValidationError(
                f"{type(self).__name__} expects bounds {{name: [low, high]}}, got {bounds!r}"
            )
        self.names = _names(bounds)
        lo, hi = [], []
        for name in self.names:
            b = bounds[name]
            if (
                isinstance(b, str | bytes | Mapping)
                or not isinstance(b, Sequence | np.ndarray)
                or len(b) != 2
                or not all(_is_numeric(x) and np.ndim(x) == 0 for x in b)
            ):
                raise ValidationError(f"{name}: bounds must be [low, high] numbers, got {b!r}")
            a, c = float(b[0]), float(b[1])
            if not (math.isfinite(a) and math.isfinite(c)) or not a < c:
                raise ValidationError(f"{name}: bounds [{a:g}, {c:g}] need finite low < high")
            lo.append(a)
            hi.append(c)
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValidationError(f"{type(self).__name__}.n = {n!r}: give a number of points >= 1")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
            raise ValidationError(f"{type(self).__name__}.seed = {seed!r}: give an integer")
        self.low, self.high = np.array(lo), np.array(hi)
        self.n, self.seed = int(n), seed
        self.samples = self.low + self._unit() * (self.high - self.low)  # (n, d)

    def _unit(self) -> np.ndarray:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.n

    def point(self, index: int) -> dict[str, Any]:
        row = self.samples[int(index)]
        return {n: float(v) for n, v in zip(self.names, row, strict=True)}

    def values_to_check(self) -> dict[str, list[Any]]:
        return {n: [self.low[k], self.high[k]] for k, n in enumerate(self.names)}

    def to_dict(self) -> dict[str, Any]:
        bounds = {n: [self.low[k], self.high[k]] for k, n in enumerate(self.names)}
        return {self.kind: {"bounds": bounds, "n": self.n, "seed": self.seed}}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n} points: {', '.join(self.names)})"


class Random(_Sampled):
    """``n`` points drawn uniformly in the box ``bounds`` (``numpy`` Generator, ``seed``)."""

    kind = "random"

    def _unit(self) -> np.ndarray:
        return np.random.default_rng(self.seed).random((self.n, len(self.names)))


class LatinHypercube(_Sampled):
    """``n`` Latin-hypercube points in the box ``bounds`` (``scipy.stats.qmc``, ``seed``):
    each parameter's range is cut into ``n`` equal strata holding exactly one point each."""

    kind = "lhs"

    def _unit(self) -> np.ndarray:
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=len(self.names), seed=self.seed).random(self.n)


_SPACES: dict[str, type[ParameterSpace]] = {
    "grid": Grid,
    "explicit": Explicit,
    "random": Random,
    "lhs": LatinHypercube,
    "latin_hypercube": LatinHypercube,
    "latinhypercube": LatinHypercube,
}


def space_from_dict(data: Any) -> ParameterSpace:
    """A space from its dict form: ``{grid: {name: values}}``, ``{explicit: [points]}``,
    ``{random: {bounds:, n:, seed:}}`` or ``{lhs: {bounds:, n:, seed:}}`` (also
    ``{type: grid, axes: ...}``); a :class:`ParameterSpace` is returned unchanged."""
    if isinstance(data, ParameterSpace):
        return data
    if not isinstance(data, Mapping):
        raise ValidationError(
            "sweep.space: expected a mapping such as {grid: {model.a: [0, 1]}}, got "
            f"{type(data).__name__}"
        )
    data = dict(data)
    if "type" in data:
        kind = str(data.pop("type")).lower()
        body: Any = data.get("axes", data.get("points", data))
    elif len(data) == 1:
        kind, body = next(iter(data.items()))
        kind = str(kind).lower()
    else:
        raise ValidationError(
            f"sweep.space: give one of {', '.join(sorted(set(_SPACES)))}, got keys {sorted(data)}"
        )
    if kind not in _SPACES:
        raise ValidationError(
            f"sweep.space: unknown space {kind!r}; use one of grid, explicit, random, lhs"
        )
    cls = _SPACES[kind]
    if cls in (Grid, Explicit):
        return cls(body)
    if not isinstance(body, Mapping):
        raise ValidationError(f"sweep.space.{kind}: expected {{bounds:, n:, seed:}}, got {body!r}")
    unknown = set(body) - {"bounds", "n", "seed"}
    if unknown or "bounds" not in body or "n" not in body:
        raise ValidationError(
            f"sweep.space.{kind}: expected keys bounds, n (and optionally seed), got {sorted(body)}"
        )
    return cls(body["bounds"], body["n"], body.get("seed", 0))


def grid_product(axes: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """All combinations of ``axes`` in :class:`Grid` order (a helper for tests and scripts)."""
    names = list(axes)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]
