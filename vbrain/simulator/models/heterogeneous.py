"""Heterogeneous networks: different models on different groups of nodes.

:func:`heterogeneous` combines models into one composite model that every backend runs like
any other.  Each node belongs to one group; its state is laid out in the composite's state
slots ``s0, s1, ...``: first the variables that couple (channel ``k`` of the network's
coupling is slot ``k``), then the group's other state variables in order, then unused slots
(derivative 0).  Each group says which of its state variables feed the coupling channels
(default: its coupling variables in order), so e.g. the Epileptor's ``x1`` and a Generic 2-D
oscillator's ``V`` can share channel 0.  Coupling term ``c_k`` of every model reads channel
``k``.

>>> import vbrain as vb
>>> net = vb.models.heterogeneous(
...     [(vb.models.Epileptor(), [0, 1]), (vb.models.Generic2dOscillator(), [2, 3, 4])],
...     couple=[["x1"], ["V"]],
... )
>>> net.state_names()[:2], net.n_var()
(('s0', 's1'), 6)
"""

from __future__ import annotations

import linecache
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Attr, Parameter, ParamValue, ValidationError
from vbrain.simulator.models.base import Model, StateVariable, _function_source

__all__ = ["Heterogeneous", "heterogeneous"]

_COUNTER = [0]


class Heterogeneous(Model):
    """Base of composite models built by :func:`heterogeneous` (not used directly)."""

    register: ClassVar[bool] = False
    groups: ClassVar[tuple[tuple[type[Model], tuple[int, ...], tuple[str, ...]], ...]] = ()

    def group_of(self) -> np.ndarray:
        """Group index of every node."""
        return np.asarray(self.group_, dtype=int)


def _compile(source: str, name: str, namespace: dict[str, Any]) -> Any:
    """Define function ``name`` from ``source`` so that ``inspect.getsource`` finds it."""
    _COUNTER[0] += 1
    filename = f"<vbrain heterogeneous {_COUNTER[0]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - generated from declarations
    return namespace[name]


def heterogeneous(
    groups: Sequence[tuple[Model, Sequence[int]]],
    *,
    couple: Sequence[Sequence[str]] | None = None,
    n_node: int | None = None,
) -> Model:
    """Combine models on groups of nodes into one model for :func:`vbrain.simulate`.

    Parameters
    ----------
    groups
        ``(model, nodes)`` pairs; every node of the network in exactly one group.
    couple
        Per group, the state variables feeding coupling channels 0, 1, ... (default: the
        model's coupling variables).  All groups need the same number of channels.
    n_node
        Number of nodes (default: 1 + the largest node index).

    Returns
    -------
    Model
        A composite model with state slots ``s0 ... s{n-1}`` (``n`` = the largest state size)
        and one ``group_`` parameter per node; its parameters are the groups' parameters,
        prefixed ``g<k>_``.  State bounds are kept only where every group agrees.
    """
    if not groups:
        raise ValidationError("heterogeneous() needs at least one (model, nodes) group")
    node_lists = [np.asarray(nodes, dtype=int).ravel() for _, nodes in groups]
    everything = np.concatenate(node_lists)
    n = int(everything.max()) + 1 if n_node is None else int(n_node)
    if everything.min() < 0 or everything.max() >= n:
        raise ValidationError(f"node indices must lie in 0..{n - 1}")
    counts = np.bincount(everything, minlength=n)
    if np.any(counts != 1):
        bad = np.flatnonzero(counts != 1)[:5].tolist()
        raise ValidationError(
            f"every node must belong to exactly one group; nodes {bad} are in "
            f"{counts[bad].tolist()} groups"
        )
    models = [m for m, _ in groups]
    if couple is None:
        couple = [type(m).coupling_variables for m in models]
    if len(couple) != len(models):
        raise ValidationError("give one list of coupled variables per group")
    n_channel = len(couple[0])
    orders = []
    for g, (model, coupled) in enumerate(zip(models, couple, strict=True)):
        names = model.state_names()
        if len(coupled) != n_channel:
            raise ValidationError(
                f"group {g} couples {len(coupled)} variables but group 0 couples {n_channel}; "
                "every group must feed the same channels"
            )
        for v in coupled:
            if v not in names:
                raise ValidationError(f"group {g}: {v!r} is not a state variable of {names}")
        orders.append(list(coupled) + [v for v in names if v not in coupled])
        if type(model).mode_sums or model.n_mode != models[0].n_mode:
            raise ValidationError("heterogeneous groups must have one mode and no mode sums")
    n_slot = max(len(o) for o in orders)
    slots = [f"s{k}" for k in range(n_slot)]

    # state slots: ranges spanning the groups, bounds kept where all groups agree
    state_variables = {}
    for k, slot in enumerate(slots):
        ranges, bounds = [], []
        for model, order in zip(models, orders, strict=True):
            if k < len(order):
                sv = type(model).state_variables[order[k]]
                ranges.append(sv.range)
                bounds.append(sv.bounds)
            else:
                ranges.append((0.0, 1e-12))
                bounds.append(None)
        lo = min(r[0] for r in ranges)
        hi = max(r[1] for r in ranges)
        same = all(b == bounds[0] for b in bounds)
        state_variables[slot] = StateVariable(
            range=(lo, hi), bounds=bounds[0] if same else None, doc="composite state slot"
        )

    # parameters: group_ (per node) and every group's parameters, prefixed
    group_ = np.zeros(n)
    for g, nodes in enumerate(node_lists):
        group_[nodes] = g
    fields: dict[str, Any] = {
        "group_": (ParamValue, Parameter(0.0, doc="group index of every node")),
        "variables_of_interest": (tuple[str, ...], Attr(tuple(slots[: max(n_channel, 1)]))),
    }
    values: dict[str, Any] = {"group_": group_}
    for g, model in enumerate(models):
        for pname, (_start, length) in type(model).parameter_layout().items():
            value = getattr(model, pname)
            if length:
                raise ValidationError(
                    f"group {g}: vector parameter {pname!r} is not supported in heterogeneous "
                    "networks yet"
                )
            fields[f"g{g}_{pname}"] = (ParamValue, Parameter(0.0))
            values[f"g{g}_{pname}"] = value

    # dfun: every group's dfun on the node's slots, the node's group picks the result
    from vbrain.simulator.models.base import where

    namespace: dict[str, Any] = {"np": np, "where": where}
    helper_funcs = []
    lines = []
    call_lines = []
    pick: list[list[str]] = [[] for _ in slots]
    for g, (model, order) in enumerate(zip(models, orders, strict=True)):
        cls = type(model)
        for h in cls.helpers:
            helper_funcs.append(h)
            namespace[h.__name__] = h
        src = _function_source(cls.dfun).replace("def dfun(", f"def dfun_g{g}(", 1)
        helper = _compile(src, f"dfun_g{g}", dict(namespace))
        namespace[f"dfun_g{g}"] = helper
        helper_funcs.append(helper)
        args = []
        for a in cls.dfun_arguments():
            if a in order:
                args.append(slots[order.index(a)])
            elif a in cls.parameter_names():
                args.append(f"g{g}_{a}")
            elif int(a.split("_")[1]) < n_channel:
                args.append(a)  # c_k / lc_k: the shared channel k
            else:
                args.append("0.0")  # a coupling input this network does not feed
        outs = [f"d{g}_{order_var}" for order_var in cls.state_names()]
        call_lines.append(f"    {', '.join(outs)}, = dfun_g{g}({', '.join(args)})")
        for k in range(n_slot):
            pick[k].append(f"d{g}_{order[k]}" if k < len(order) else "0.0")
    for k in range(n_slot):
        expr = pick[k][-1]
        for g in range(len(models) - 2, -1, -1):
            expr = f"where(group_ < {g + 0.5!r}, {pick[k][g]}, {expr})"
        lines.append(f"    r{k} = {expr}")
    coupling_args = [f"c_{k}" for k in range(n_channel)] + [f"lc_{k}" for k in range(n_channel)]
    params = [f for f in fields if f != "variables_of_interest"]
    signature = ", ".join([*slots, *coupling_args, *params])
    results = ", ".join(f"r{k}" for k in range(n_slot))
    source = "\n".join(
        [f"def dfun({signature}):", *call_lines, *lines, f"    return {results},", ""]
    )
    dfun = _compile(source, "dfun", namespace)

    _COUNTER[0] += 1
    cls = pydantic.create_model(
        f"Heterogeneous{_COUNTER[0]}",
        __base__=Heterogeneous,
        __module__=__name__,
        **fields,
    )
    cls.state_variables = state_variables
    cls.coupling_variables = tuple(slots[:n_channel])
    cls.helpers = tuple(helper_funcs)
    cls.groups = tuple(
        (type(m), tuple(int(i) for i in nodes), tuple(o))
        for m, nodes, o in zip(models, node_lists, orders, strict=True)
    )
    cls.dfun = staticmethod(dfun)
    cls.__doc__ = "Heterogeneous network of " + ", ".join(
        f"{type(m).__name__} on {len(nodes)} node(s)"
        for m, nodes in zip(models, node_lists, strict=True)
    )
    cls._finish_declaration()
    return cls(**values)
