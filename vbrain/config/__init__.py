"""Declarations layer: typed, validated, documented fields (pydantic v2)."""

from vbrain.config.traits import (
    Array,
    ArraySpec,
    Attr,
    Declared,
    Parameter,
    ParamValue,
    ValidationError,
    VectorParameter,
    describe_fields,
)

__all__ = [
    "Array",
    "ArraySpec",
    "Attr",
    "Declared",
    "ParamValue",
    "Parameter",
    "ValidationError",
    "VectorParameter",
    "describe_fields",
]
