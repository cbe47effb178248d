"""Declarations: typed, validated, documented fields on top of pydantic v2.

Every configurable object of vbrain (models, couplings, integrators, monitors, datatypes)
derives from :class:`Declared`.  A field is declared once with :func:`Attr` (or
:func:`Parameter` for numeric model parameters) and carries its default, label, doc, unit,
typical range, hard validity limits and options.  Construction validates everything and
raises :class:`ValidationError` with one line per problem naming the field, the value, and
what would be accepted.  ``Cls.json_schema()`` gives the JSON Schema used by forms and APIs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

import numpy as np
import pydantic
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "Array",
    "ArraySpec",
    "Attr",
    "Declared",
    "ParamValue",
    "Parameter",
    "ValidationError",
    "describe_fields",
    "VectorParameter",
    "parameter_layout",
    "parameter_matrix",
]


class ValidationError(ValueError):
    """Bad input: says what was wrong and what would be right."""


# --------------------------------------------------------------------------------------
# Arrays


@dataclass(frozen=True)
class ArraySpec:
    """Constraints of an array field: dtype, number of dimensions, shape, finiteness.

    ``shape`` entries may be ``None`` (any size).  Values are converted with
    ``numpy.asarray(value, dtype)``; lists are accepted.
    """

    dtype: Any = float
    ndim: int | None = None
    shape: tuple[int | None, ...] | None = None
    finite: bool = True
    nonnegative: bool = False

    def validate(self, value: Any) -> np.ndarray:
        try:
            arr = np.array(value, dtype=self.dtype)
        except (TypeError, ValueError) as exc:
            raise PydanticCustomError(
                "array_type",
                "cannot convert to an array of {dtype}: {err}",
                {"dtype": np.dtype(self.dtype).name, "err": str(exc)},
            ) from None
        ndim = self.ndim if self.ndim is not None else (len(self.shape) if self.shape else None)
        if ndim is not None and arr.ndim != ndim:
            raise PydanticCustomError(
                "array_ndim",
                "expected a {ndim}-D array, got shape {shape}",
                {"ndim": ndim, "shape": tuple(arr.shape)},
            )
        if self.shape is not None:
            for want, got in zip(self.shape, arr.shape, strict=True):
                if want is not None and want != got:
                    raise PydanticCustomError(
                        "array_shape",
                        "expected shape {want}, got {got}",
                        {"want": _fmt_shape(self.shape), "got": tuple(arr.shape)},
                    )
        if arr.dtype.kind == "f":
            if self.finite and not np.all(np.isfinite(arr)):
                bad = np.argwhere(~np.isfinite(arr))[0]
                raise PydanticCustomError(
                    "array_finite",
                    "contains NaN or infinite values (first at index {idx}); all entries must "
                    "be finite numbers",
                    {"idx": tuple(int(i) for i in bad)},
                )
        if self.nonnegative and arr.size and np.nanmin(arr) < 0:
            bad = np.argwhere(arr < 0)[0]
            raise PydanticCustomError(
                "array_negative",
                "contains negative values (first {val} at index {idx}); entries must be >= 0",
                {"val": float(arr[tuple(bad)]), "idx": tuple(int(i) for i in bad)},
            )
        arr.setflags(write=True)
        return arr

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda a: np.asarray(a).tolist(), when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        kind = np.dtype(self.dtype).kind
        item: dict[str, Any] = {
            "f": {"type": "number"},
            "i": {"type": "integer"},
            "u": {"type": "integer"},
            "b": {"type": "boolean"},
        }.get(kind, {"type": "string"})
        ndim = self.ndim if self.ndim is not None else (len(self.shape) if self.shape else 1)
        for _ in range(max(ndim, 1)):
            item = {"type": "array", "items": item}
        item["x-dtype"] = np.dtype(self.dtype).name
        if self.shape is not None:
            item["x-shape"] = list(self.shape)
        return item


def as_labels(value: Any, what: str, *, non_empty: bool = False) -> tuple[str, ...]:
    """A 1-D sequence of labels as a tuple of str (bytes decoded as UTF-8); ``what`` names them
    in errors (e.g. ``"region"``).  Raises ``ValueError`` for a single string, a non-sequence,
    a non-string item or, with ``non_empty``, an empty label."""
    if isinstance(value, str):
        raise ValueError(f"expected a sequence of {what} labels, got a single string")
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(f"expected a 1-D sequence of labels, got shape {value.shape}")
    try:
        items = list(value)
    except TypeError:
        kind = type(value).__name__
        raise ValueError(f"expected a sequence of {what} labels, got {kind}") from None
    labels = []
    for item in items:
        if isinstance(item, bytes | np.bytes_):
            item = item.decode("utf-8", errors="replace")
        if not isinstance(item, str | np.str_):
            raise ValueError(f"{what} labels must be strings, got {item!r}")
        if non_empty and not str(item):
            raise ValueError(f"{what} labels must be non-empty strings")
        labels.append(str(item))
    return tuple(labels)


def integral_array(value: Any, item: str, rule: str) -> Any:
    """``value`` as an array when it holds integers, possibly stored as floats (text files and
    MATLAB store indices as floats); raises ``ValueError`` naming the first non-integral
    ``item`` and the ``rule``.  Meant for ``mode="before"`` field validators: anything that
    is not array-like is returned unchanged for the field's own validation to report."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            idx = tuple(int(k) for k in np.argwhere(bad)[0])
            shown = idx[0] if len(idx) == 1 else idx
            raise ValueError(f"{item} {shown} is {float(arr[idx])!r}; {rule}")
    return arr


def _fmt_shape(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"


def Array(  # noqa: N802 - reads like a type
    dtype: Any = float,
    ndim: int | None = None,
    shape: tuple[int | None, ...] | None = None,
    *,
    finite: bool = True,
    nonnegative: bool = False,
) -> Any:
    """Annotated numpy array type for a declared field, e.g. ``weights: Array(float, 2)``."""
    return Annotated[
        np.ndarray, ArraySpec(dtype, ndim, shape, finite=finite, nonnegative=nonnegative)
    ]


# --------------------------------------------------------------------------------------
# Numeric parameters: a scalar, or one value per node


def _validate_param_value(value: Any) -> float | np.ndarray:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | np.floating | np.integer):
        return float(value)
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise PydanticCustomError(
            "param_type",
            "expected a number or a 1-D array of numbers (one per node), got {typ}",
            {"typ": type(value).__name__},
        ) from None
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim != 1:
        raise PydanticCustomError(
            "param_ndim",
            "expected a number or a 1-D array (one value per node), got shape {shape}",
            {"shape": tuple(arr.shape)},
        )
    if arr.size == 1:
        return float(arr[0])
    return arr


ParamValue = Annotated[
    Any,
    pydantic.PlainValidator(_validate_param_value),
    pydantic.PlainSerializer(
        lambda v: np.asarray(v).tolist() if isinstance(v, np.ndarray) else v, when_used="json"
    ),
    pydantic.WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "array", "items": {"type": "number"}, "description": "one per node"},
            ]
        }
    ),
]
"""Type of a numeric model/coupling parameter: a float or a 1-D float array (per node)."""


# --------------------------------------------------------------------------------------
# Field declarations


def Attr(  # noqa: N802 - reads like a declaration
    default: Any = ...,
    *,
    label: str | None = None,
    doc: str = "",
    unit: str | None = None,
    range: tuple[float, float] | None = None,  # noqa: A002 - the natural name
    valid: tuple[float | None, float | None] | None = None,
    exclusive: bool = False,
    options: Sequence[Any] | None = None,
    default_factory: Any = None,
    length: int | None = None,
    expandable: bool = False,
) -> Any:
    """Declare a field.

    Parameters
    ----------
    default
        Default value (``...`` = required).
    label, doc, unit
        Human-readable name, documentation and unit (e.g. ``"ms"``, ``"mm/ms"``).
    range
        Typical range ``(lo, hi)``: slider limits in forms and default sweep bounds.
        Informational; values outside it are accepted.
    valid
        Hard limits ``(lo, hi)`` (either may be ``None``); values outside are rejected.
    exclusive
        The limits themselves are invalid too (e.g. a time constant must be > 0).
    options
        The allowed values (for choices); anything else is rejected.
    length
        Required number of items (fixed-length vectors).
    expandable
        For array fields of datatypes: stored as an HDF5 dataset that can grow along axis 0
        (data written while running, see :func:`vbrain.io.hdf5.append`).
    """
    extra: dict[str, Any] = {}
    if unit is not None:
        extra["unit"] = unit
    if range is not None:
        extra["range"] = [float(range[0]), float(range[1])]
    if valid is not None:
        extra["valid"] = [None if v is None else float(v) for v in valid]
        if exclusive:
            extra["exclusive"] = True
    if options is not None:
        extra["options"] = list(options)
    if length is not None:
        extra["length"] = int(length)
    if expandable:
        extra["expandable"] = True
    kwargs: dict[str, Any] = {
        "title": label,
        "description": " ".join(doc.split()) or None,
        "json_schema_extra": extra or None,
    }
    if default_factory is not None:
        return pydantic.Field(default_factory=default_factory, **kwargs)
    return pydantic.Field(default, **kwargs)


def Parameter(  # noqa: N802
    default: float,
    *,
    label: str | None = None,
    doc: str = "",
    unit: str | None = None,
    range: tuple[float, float] | None = None,  # noqa: A002
    valid: tuple[float | None, float | None] | None = None,
    exclusive: bool = False,
) -> Any:
    """Declare a numeric parameter (scalar or one value per node); see :func:`Attr`."""
    return Attr(
        default, label=label, doc=doc, unit=unit, range=range, valid=valid, exclusive=exclusive
    )


def VectorParameter(  # noqa: N802
    default: Sequence[float],
    *,
    label: str | None = None,
    doc: str = "",
    unit: str | None = None,
) -> Any:
    """Declare a fixed-length vector parameter (e.g. polynomial coefficients).

    Annotate the field with ``tuple[float, ...]``; the length is that of the default and is
    enforced.  ``dfun`` receives it as a tuple of numbers.
    """
    values = tuple(float(v) for v in default)
    return Attr(values, label=label, doc=doc, unit=unit, length=len(values))


def _field_extra(field: pydantic.fields.FieldInfo) -> dict[str, Any]:
    extra = field.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _check_limits(cls_name: str, name: str, value: Any, extra: dict[str, Any]) -> str | None:
    """Return an error line if ``value`` breaks the hard limits/options of a field."""
    if "length" in extra and len(value) != extra["length"]:
        return f"{cls_name}.{name} needs {extra['length']} values, got {len(value)}"
    if "options" in extra and value not in extra["options"]:
        return f"{cls_name}.{name} = {value!r} is not one of the options {extra['options']}"
    valid = extra.get("valid")
    if valid is None or value is None:
        return None
    if isinstance(value, int | float | np.ndarray | np.number) and not isinstance(value, bool):
        arr = np.asarray(value, dtype=float)
        lo, hi = valid
        if not np.all(np.isfinite(arr)) and not (
            (lo is None or lo == -math.inf) and (hi is None or hi == math.inf)
        ):
            return f"{cls_name}.{name} = {value!r} must be finite"
        open_ = bool(extra.get("exclusive"))
        bad = np.zeros(arr.shape, bool)
        if lo is not None:
            bad |= arr <= lo if open_ else arr < lo
        if hi is not None:
            bad |= arr >= hi if open_ else arr > hi
        if np.any(bad):
            shown = arr[bad].ravel()[0]
            unit = f" {extra['unit']}" if "unit" in extra else ""
            if hi is None:
                need = f"must be {'>' if open_ else '>='} {lo:g}{unit}"
            elif lo is None:
                need = f"must be {'<' if open_ else '<='} {hi:g}{unit}"
            else:
                left, right = ("(", ")") if open_ else ("[", "]")
                need = f"must be in {left}{lo:g}, {hi:g}{right}{unit}"
            return f"{cls_name}.{name} = {shown:g} {need}"
    return None


class Declared(BaseModel):
    """Base class of every declared, validated vbrain object."""

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
        validate_assignment=True,
        extra="forbid",
        protected_namespaces=(),
        ser_json_inf_nan="constants",
    )

    kind: ClassVar[str] = "declared"

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise ValidationError(_format_pydantic_error(type(self).__name__, exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores the new value before the model-level checks run: put the old one
        # back when they fail, so a rejected assignment leaves the object valid
        missing = object()
        old = self.__dict__.get(name, missing)
        try:
            super().__setattr__(name, value)
        except (pydantic.ValidationError, ValidationError) as exc:
            if old is not missing:
                self.__dict__[name] = old
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(_format_pydantic_error(type(self).__name__, exc)) from None

    @pydantic.model_validator(mode="after")
    def _check_declared_limits(self) -> Declared:
        problems = []
        for name, field in type(self).model_fields.items():
            msg = _check_limits(type(self).__name__, name, getattr(self, name), _field_extra(field))
            if msg:
                problems.append(msg)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- introspection -----------------------------------------------------------------

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """JSON Schema of this class (for forms, APIs and config files)."""
        return cls.model_json_schema()

    @classmethod
    def field_table(cls) -> list[dict[str, Any]]:
        """One dict per field: name, default, label, unit, range, valid, options, doc."""
        return describe_fields(cls)

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict of the field values (arrays as nested lists)."""
        return self.model_dump(mode="json")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        for name in type(self).model_fields:
            a, b = getattr(self, name), getattr(other, name)
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not np.array_equal(np.asarray(a), np.asarray(b)):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.__repr__()

    def __repr__(self) -> str:
        parts = []
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                if value.size > 6:
                    parts.append(f"{name}=<array {value.shape} {value.dtype}>")
                    continue
                value = value.tolist()
            if field.default is not pydantic_core_undefined() and _same(value, field.default):
                continue
            parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b))) and np.shape(a) == np.shape(b)
    except Exception:  # noqa: BLE001 - heterogeneous values simply differ
        return False


def pydantic_core_undefined() -> Any:
    from pydantic_core import PydanticUndefined

    return PydanticUndefined


def _format_pydantic_error(cls_name: str, exc: pydantic.ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            lines.append(f"{cls_name} has no field {loc!r}")
        elif loc:
            value = err.get("input")
            shown = _short(value)
            lines.append(f"{cls_name}.{loc} = {shown}: {msg}")
        else:
            lines.append(msg)
    return "; ".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"<array shape {value.shape}>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parameter_layout(cls: type[BaseModel], names: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Row ``(start, length)`` of each numeric field in :func:`parameter_matrix`.

    Scalar/per-node parameters take one row; vector parameters (:func:`VectorParameter`) one
    row per component.
    """
    layout = {}
    start = 0
    for name in names:
        length = int(_field_extra(cls.model_fields[name]).get("length", 0)) or 1
        vector = "length" in _field_extra(cls.model_fields[name])
        layout[name] = (start, length if vector else 0)
        start += length
    return layout


def parameter_matrix(obj: Any, names: Sequence[str], n_node: int) -> np.ndarray:
    """Numeric fields ``names`` of ``obj`` as an array ``(n_rows, n_node)``.

    Scalars (and booleans, as 0/1) are broadcast; per-node arrays must have ``n_node`` values;
    a vector parameter fills one row per component (the same for every node).
    """
    layout = parameter_layout(type(obj), names)
    n_rows = sum(max(length, 1) for _, length in layout.values())
    out = np.empty((n_rows, n_node))
    for name, (start, length) in layout.items():
        value = np.asarray(getattr(obj, name), dtype=float)
        if length:
            out[start : start + length] = value[:, None]
            continue
        if value.ndim == 1 and value.size != n_node:
            raise ValidationError(
                f"{type(obj).__name__}.{name} has {value.size} values but the network "
                f"has {n_node} nodes; give one value or one per node"
            )
        out[start] = value
    return out


def describe_fields(cls: type[BaseModel]) -> list[dict[str, Any]]:
    """Describe the declared fields of ``cls`` (a :class:`Declared` subclass)."""
    rows = []
    for name, field in cls.model_fields.items():
        extra = _field_extra(field)
        default = field.default
        if default is pydantic_core_undefined():
            default = None if field.default_factory is None else field.default_factory()
        rows.append(
            {
                "name": name,
                "default": default,
                "label": field.title or name,
                "unit": extra.get("unit"),
                "range": extra.get("range"),
                "valid": extra.get("valid"),
                "options": extra.get("options"),
                "doc": field.description or "",
            }
        )
    return rows
