"""Registries of declared classes by name (models, couplings, integrators, monitors)."""

from __future__ import annotations

from typing import Generic, TypeVar

from vbrain.config.traits import ValidationError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Classes by name; lookups are case-insensitive and accept aliases.

    Parameters
    ----------
    kind
        What the entries are ("model", "coupling"...), used in error messages.
    aliases
        Other accepted names (lower case) mapped to registered names.
    """

    def __init__(self, kind: str, aliases: dict[str, str] | None = None) -> None:
        self.kind = kind
        self.aliases = dict(aliases or {})
        self._items: dict[str, type[T]] = {}

    def add(self, cls: type[T]) -> None:
        """Register ``cls`` under its class name (a later class of the same name replaces it)."""
        self._items[cls.__name__] = cls

    def get(self, name: str) -> type[T]:
        """The class registered as ``name``; raises listing the known names."""
        key = self.aliases.get(name.lower(), name)
        if key in self._items:
            return self._items[key]
        for registered, cls in self._items.items():
            if registered.lower() == key.lower():
                return cls
        raise ValidationError(f"unknown {self.kind} {name!r}; known {self.kind}s: {self.names()}")

    def names(self) -> list[str]:
        """Sorted registered names."""
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._items
