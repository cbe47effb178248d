"""Helpers shared by the generated numba kernels: scalar versions of the model-side math."""

from __future__ import annotations

from typing import Any

PRELUDE = """\
import math
import numpy as np
from numba import njit


@njit(inline="always", cache=True)
def where(condition, if_true, if_false):
    return if_true if condition else if_false


@njit(inline="always", cache=True)
def erfc(x):
    return math.erfc(x)
"""
"""Source placed at the top of every generated module: scalar ``where`` and ``erfc``."""


def compile_scalar(source: str, name: str, label: str) -> Any:
    """Compile ``source`` (after :data:`PRELUDE`) and return njit function ``name``.

    Used for quick checks (tests, phase planes); simulations use cached kernel modules.
    """
    from numba import njit

    namespace: dict[str, Any] = {}
    code = PRELUDE.replace("cache=True", "cache=False") + "\n\n" + source
    exec(compile(code, f"<vbrain {label}>", "exec"), namespace)  # noqa: S102 - our own codegen
    return njit(namespace[name])


def scalar_dfun(model_cls: type) -> Any:
    """The model's ``dfun`` compiled by numba for scalar arguments (same argument names)."""
    from vbrain.simulator.models.base import _function_source

    helpers = ["@njit\n" + _function_source(h) for h in model_cls.helpers]
    source = "\n\n".join([*helpers, _function_source(model_cls.dfun)])
    return compile_scalar(source, "dfun", f"{model_cls.__name__}.dfun")
