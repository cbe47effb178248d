"""The base class of every datatype: declared fields, a gid, a summary and a registry.

A datatype is pure data plus the science methods that belong to it.  Its fields are declared
once (:func:`vbrain.config.traits.Attr`, :func:`vbrain.config.traits.Array`); storage, listings,
forms and API schemas are derived from that declaration.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Self

import numpy as np
import pydantic

from vbrain.config.registry import Registry
from vbrain.config.traits import Declared

__all__ = ["DataType", "get_datatype", "list_datatypes"]

_REGISTRY: Registry[DataType] = Registry("datatype")


def _new_gid() -> str:
    return uuid.uuid4().hex


class DataType(Declared):
    """Base class of datatypes.

    Every instance has a ``gid`` (a UUID hex string, new for every object built and kept when
    stored and loaded) that stores and links refer to.  It is not a field: two datatypes with
    equal fields compare equal whatever their gids.

    Subclasses are registered by class name (:func:`get_datatype`) and implement
    :meth:`example` (a small valid instance used by the conformance tests and the docs).
    """

    kind: ClassVar[str] = "datatype"

    _gid: str = pydantic.PrivateAttr(default_factory=_new_gid)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            _REGISTRY.add(cls)

    @property
    def gid(self) -> str:
        """Globally unique identifier (UUID4 hex)."""
        return self._gid

    @property
    def type_name(self) -> str:
        return type(self).__name__

    def summary(self) -> dict[str, Any]:
        """Key figures for listings: shapes and min/max/mean of array fields, scalar fields.

        Subclasses override this with the figures that matter for them.
        """
        out: dict[str, Any] = {"type": self.type_name}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                out[f"{name}_shape"] = list(value.shape)
                if value.size and value.dtype.kind in "fiu":
                    out[f"{name}_min"] = float(np.min(value))
                    out[f"{name}_max"] = float(np.max(value))
                    out[f"{name}_mean"] = float(np.mean(value))
            elif isinstance(value, bool | int | float | str) or value is None:
                out[name] = value
        return out

    @classmethod
    def example(cls) -> Self:
        """A small valid instance (for tests and documentation)."""
        raise NotImplementedError(f"{cls.__name__}.example() is not implemented")


def get_datatype(name: str) -> type[DataType]:
    """Datatype class by name (case-insensitive); raises listing the known names."""
    return _REGISTRY.get(name)


def list_datatypes() -> list[str]:
    """Names of all registered datatypes (of the modules imported so far)."""
    return _REGISTRY.names()
