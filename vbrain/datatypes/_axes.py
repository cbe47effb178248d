"""Helpers shared by the analysis datatypes: default axis labels and their checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

import numpy as np
import pydantic

from vbrain.datatypes.base import DataType

__all__ = ["check_labels", "fill_labels"]


def _shape(value: Any) -> tuple[int, ...] | None:
    try:
        return tuple(np.shape(value))
    except Exception:  # noqa: BLE001 - field validation reports the real problem
        return None


def fill_labels(data: Any, array_field: str, axes: Mapping[str, tuple[int, str]]) -> Any:
    """Give label fields left out a default (``prefix0``, ``prefix1``...) sized from an array.

    ``axes`` maps a label field to ``(axis of array_field, prefix)``.  Meant for a pydantic
    ``mode="before"`` validator: anything that is not a dict is returned unchanged.
    """
    if not isinstance(data, dict):
        return data
    data = dict(data)
    shape = _shape(data.get(array_field))
    if shape is None:
        return data
    for name, (axis, prefix) in axes.items():
        if data.get(name) is None and len(shape) > axis:
            data[name] = tuple(f"{prefix}{i}" for i in range(shape[axis]))
    return data


def check_labels(
    cls_name: str, array_field: str, array: np.ndarray, axes: Mapping[str, tuple[int, Any]]
) -> None:
    """Raise ``ValueError`` if a label field does not match the size of its array axis.

    ``axes`` maps a label field name to ``(axis, labels)``; labels ``None`` are skipped.
    """
    for name, (axis, labels) in axes.items():
        if labels is None:
            continue
        if array.ndim <= axis:
            raise ValueError(
                f"{cls_name}.{array_field} has shape {array.shape} but needs an axis {axis} "
                f"labelled by {name}"
            )
        if len(labels) != array.shape[axis]:
            raise ValueError(
                f"{cls_name}.{name} has {len(labels)} labels but {array_field} has "
                f"{array.shape[axis]} entries along axis {axis}; give one label per entry"
            )


class _LabelledArrays(DataType):
    """A datatype whose array axes carry labels (and coordinates) declared once per class.

    ``label_axes`` maps a label field (a tuple of str) to ``(array field, axis, default
    prefix)``: left out, the labels default to ``prefix0, prefix1, ...``; given, their number
    must match the axis.  ``coordinate_axes`` maps a coordinate field (a 1-D array such as
    frequencies or lags) to ``(array field, axis, what one entry is)``; its length must match.
    Subclasses add their own checks in validators of other names.
    """

    label_axes: ClassVar[dict[str, tuple[str, int, str]]] = {}
    coordinate_axes: ClassVar[dict[str, tuple[str, int, str]]] = {}

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill_axis_labels(cls, data: Any) -> Any:
        for label, (array, axis, prefix) in cls.label_axes.items():
            data = fill_labels(data, array, {label: (axis, prefix)})
        return data

    @pydantic.model_validator(mode="after")
    def _check_axes(self) -> Self:
        name = type(self).__name__
        for coord, (array, axis, what) in self.coordinate_axes.items():
            values, data = getattr(self, coord), getattr(self, array)
            if data.ndim > axis and values.size != data.shape[axis]:
                raise ValueError(
                    f"{name}.{coord} has {values.size} values but {array} has "
                    f"{data.shape[axis]} entries along axis {axis}; give one {what} per entry"
                )
        for label, (array, axis, _) in self.label_axes.items():
            check_labels(name, array, getattr(self, array), {label: (axis, getattr(self, label))})
        return self
