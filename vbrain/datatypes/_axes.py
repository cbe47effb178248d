"""Helpers shared by the analysis datatypes: default axis labels and their checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

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
