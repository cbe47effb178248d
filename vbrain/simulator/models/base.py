"""Neural mass model declarations.

A model is one class in one file::

    class MyModel(Model):
        '''Equations in the docstring.'''
        state_variables = {"x": StateVariable(range=(-1, 1))}
        coupling_variables = ("x",)
        variables_of_interest: tuple[str, ...] = Attr(("x",), doc="What monitors record.")
        gamma: ParamValue = Parameter(-1.0, range=(-10, 0), unit="1/ms", doc="decay rate")

        @staticmethod
        def dfun(x, c_0, gamma):
            return (gamma * x + c_0,)

``dfun`` receives its inputs *by argument name*: state variables, long-range coupling terms
``c_0, c_1, ...`` (one per coupling term, in coupling-variable order), local-coupling terms
``lc_0, lc_1, ...`` (zero in region simulations) and any parameters.  It returns a tuple with
one derivative per state variable.  It must use only arithmetic, ``np.<ufunc>`` calls and
:func:`vbrain.simulator.models.where` for branches, so the very same function runs on numpy
arrays (the reference backend) and on scalars inside the compiled numba kernel.
Subclassing registers the model by class name (see :func:`get` and :func:`list_models`).

Models with several modes (``n_mode > 1``, e.g. the reduced Stefanescu–Jirsa sets) may declare
``mode_constants`` (per-mode vectors and mode-mixing matrices computed from the parameters by
``compute_mode_constants()``; a vector reaches ``dfun`` as the current mode's value) and
``mode_sums`` (``name: (source, matrix)``: ``dfun`` receives
``sum_k source[k] * matrix[k, m]`` for its mode ``m``, or ``sum_k source[k]`` with no matrix;
``source`` is a state variable or a coupling term).  ``dfun`` still computes one mode at a time.
Fixed-length vector parameters (:func:`vbrain.config.VectorParameter`) arrive as tuples.
"""

from __future__ import annotations

import ast
import functools
import inspect
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.registry import Registry
from vbrain.config.traits import Declared, ValidationError, parameter_layout, parameter_matrix

__all__ = [
    "Model",
    "StateVariable",
    "get",
    "list_models",
    "parse_expression",
    "erfc",
    "where",
]


def where(condition: Any, if_true: Any, if_false: Any) -> Any:
    """Branch usable in a ``dfun``: ``numpy.where`` on arrays, a plain branch when compiled."""
    return np.where(condition, if_true, if_false)


_erfc_array = np.vectorize(math.erfc, otypes=[float])


def erfc(x: Any) -> Any:
    """Complementary error function usable in a ``dfun`` (the C library's, in both backends)."""
    return _erfc_array(x) if isinstance(x, np.ndarray) else math.erfc(x)


@dataclass(frozen=True)
class StateVariable:
    """Declaration of a state variable.

    Parameters
    ----------
    range
        ``(lo, hi)`` typical range; random initial histories are drawn uniformly from it and
        phase-plane plots use it as default axis limits.
    bounds
        Hard limits ``(lo, hi)`` (either may be ``None``) enforced by the integrators after
        every stage (e.g. a firing rate that cannot go negative).
    unit, doc
        Unit and description.
    """

    range: tuple[float, float]
    bounds: tuple[float | None, float | None] | None = None
    unit: str | None = None
    doc: str = ""

    def __post_init__(self) -> None:
        lo, hi = self.range
        if not lo < hi:
            raise ValidationError(f"StateVariable range must satisfy lo < hi, got {self.range}")


_REGISTRY: Registry[Model] = Registry("model")

_ALLOWED_FUNCS = {
    "abs",
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "log10",
    "sqrt",
    "tanh",
    "sinh",
    "cosh",
    "arctan",
    "arcsin",
    "arccos",
    "sign",
}


def parse_expression(expr: str, names: tuple[str, ...]) -> str:
    """Validate an arithmetic expression over ``names``; return it in canonical form.

    Allowed: numbers, the given names, ``+ - * / **``, unary minus and the functions
    ``abs sin cos tan exp log log10 sqrt tanh sinh cosh arctan arcsin arccos sign``.
    Function calls are rewritten to ``np.<func>`` so the expression compiles for numpy
    and numba alike.
    """
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        raise ValidationError(f"cannot parse expression {expr!r}") from None

    class Rewrite(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:  # noqa: N802 - ast API
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else None
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id in ("np", "numpy"):
                    fname = func.attr
            if fname not in _ALLOWED_FUNCS or node.keywords:
                raise ValidationError(
                    f"expression {expr!r}: function {ast.unparse(func)!r} is not allowed; use "
                    f"one of {sorted(_ALLOWED_FUNCS)}"
                )
            node.func = ast.Attribute(ast.Name("np", ast.Load()), fname, ast.Load())
            node.args = [self.visit(a) for a in node.args]
            return node

    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.Name,
        ast.Constant,
        ast.Load,
        ast.Call,
        ast.Attribute,
        ast.Add,
        ast.Sub,
        ast.Mult,
        ast.Div,
        ast.Pow,
        ast.USub,
        ast.UAdd,
    )
    # attributes only as np.<function>(...) calls; function names only when called
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    modules = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        misused = (
            isinstance(node, ast.Attribute)
            and not (
                id(node) in callees
                and isinstance(node.value, ast.Name)
                and node.value.id in ("np", "numpy")
            )
        ) or (
            isinstance(node, ast.Name)
            and node.id not in names
            and (
                (node.id in ("np", "numpy") and id(node) not in modules)
                or (node.id in _ALLOWED_FUNCS and id(node) not in callees)
            )
        )
        if misused:
            raise ValidationError(
                f"expression {expr!r}: {ast.unparse(node)!r} is not allowed here; use "
                "arithmetic (+ - * / **) on state variables, numbers and calls of elementary "
                "functions such as exp(V)"
            )
        if not isinstance(node, allowed):
            raise ValidationError(
                f"expression {expr!r}: {type(node).__name__} is not allowed; use arithmetic "
                "(+ - * / **) on state variables, numbers and elementary functions"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ValidationError(f"expression {expr!r}: only numeric constants are allowed")
        if isinstance(node, ast.Name) and node.id not in names and node.id not in ("np", "numpy"):
            if node.id in _ALLOWED_FUNCS:
                continue
            raise ValidationError(
                f"expression {expr!r} uses unknown name {node.id!r}; state variables are "
                f"{list(names)}"
            )
    tree = Rewrite().visit(tree)
    return ast.unparse(tree)


@functools.lru_cache(maxsize=256)
def _compiled_expression(expr: str) -> Any:
    """Code object of a validated, canonical expression (compiled once)."""
    return compile(expr, "<variable of interest>", "eval")


def _function_source(func: Callable[..., Any]) -> str:
    """Source of a plain function or staticmethod body, dedented, without decorators."""
    src = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(src)
    fn = tree.body[0]
    if not isinstance(fn, ast.FunctionDef):
        raise ValidationError(f"{func!r} must be a plain function defined with def")
    fn.decorator_list = []
    return ast.unparse(fn)


class Model(Declared):
    """Base class of neural mass models (see the module docstring for how to write one)."""

    kind: ClassVar[str] = "model"
    state_variables: ClassVar[dict[str, StateVariable]] = {}
    coupling_variables: ClassVar[tuple[str, ...]] = ()
    stimulus_variables: ClassVar[tuple[str, ...] | None] = None
    n_mode: ClassVar[int] = 1
    helpers: ClassVar[tuple[Callable[..., Any], ...]] = ()
    """Module-level functions the ``dfun`` calls; compiled with it."""
    register: ClassVar[bool] = True
    """Whether the class joins the model registry (composite models do not)."""
    mode_constants: ClassVar[tuple[str, ...]] = ()
    """Names of per-mode constants ``(n_mode,)`` and mode-mixing matrices ``(n_mode, n_mode)``
    returned by :meth:`compute_mode_constants`; a 1-D one reaches ``dfun`` as the value of
    the current mode."""
    mode_sums: ClassVar[dict[str, tuple[str, str | None]]] = {}
    """``dfun`` arguments that mix modes: ``name: (source, matrix)`` gives, for mode ``m``,
    ``sum_k source[k] * matrix[k, m]`` (``matrix`` None: ``sum_k source[k]``); ``source`` is a
    state variable or a coupling term ``c_j``."""

    variables_of_interest: tuple[str, ...] = ()

    # derived once per class in __pydantic_init_subclass__
    _dfun_args: ClassVar[tuple[str, ...]] = ()
    _parameter_names: ClassVar[tuple[str, ...]] = ()

    @staticmethod
    def dfun(*args: Any) -> tuple[Any, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.state_variables or cls.dfun is Model.dfun:
            return  # abstract intermediate class (or one completed later, see heterogeneous)
        cls._finish_declaration()

    @classmethod
    def _finish_declaration(cls) -> None:
        """Check the declaration, derive argument lists and docs, register the class."""
        cls._parameter_names = tuple(n for n in cls.model_fields if n != "variables_of_interest")
        svars = tuple(cls.state_variables)
        for cv in cls.coupling_variables:
            if cv not in svars:
                raise ValidationError(
                    f"{cls.__name__}: coupling variable {cv!r} is not a state variable {svars}"
                )
        if cls.stimulus_variables is not None:
            for sv in cls.stimulus_variables:
                if sv not in svars:
                    raise ValidationError(
                        f"{cls.__name__}: stimulus variable {sv!r} is not a state variable"
                    )
        known = set(svars) | set(cls._parameter_names)
        known |= {f"c_{k}" for k in range(max(len(cls.coupling_variables), 1) + 1)}
        known |= {f"lc_{k}" for k in range(max(len(cls.coupling_variables), 1))}
        for name, (source, matrix) in cls.mode_sums.items():
            if source not in known or source.startswith("lc_") or source in cls._parameter_names:
                raise ValidationError(
                    f"{cls.__name__}.mode_sums[{name!r}] sums {source!r}, which is neither a "
                    "state variable nor a coupling term c_k"
                )
            if matrix is not None and matrix not in cls.mode_constants:
                raise ValidationError(
                    f"{cls.__name__}.mode_sums[{name!r}] uses matrix {matrix!r}, which is not "
                    f"one of the mode_constants {list(cls.mode_constants)}"
                )
        known |= set(cls.mode_constants) | set(cls.mode_sums)
        args = tuple(inspect.signature(cls.dfun).parameters)
        unknown = [a for a in args if a not in known]
        if unknown:
            raise ValidationError(
                f"{cls.__name__}.dfun has arguments {unknown} that are neither state variables "
                f"{list(svars)}, parameters {list(cls._parameter_names)}, coupling terms c_k, "
                "local-coupling terms lc_k, mode constants nor mode sums"
            )
        cls._dfun_args = args
        cls.__doc__ = (cls.__doc__ or "").rstrip() + "\n\n" + cls.declaration_tables()
        if cls.register:
            _REGISTRY.add(cls)

    @pydantic.model_validator(mode="after")
    def _check_voi(self) -> Model:
        names = self.state_names()
        if not self.variables_of_interest:
            raise ValueError(
                f"variables_of_interest must name at least one of the state variables {names}"
            )
        for expr in self.variables_of_interest:
            parse_expression(expr, names)
        return self

    # -- derived declarations --------------------------------------------------------------

    @classmethod
    def state_names(cls) -> tuple[str, ...]:
        return tuple(cls.state_variables)

    @classmethod
    def n_var(cls) -> int:
        return len(cls.state_variables)

    @classmethod
    def cvar(cls) -> np.ndarray:
        """Indices of the coupling variables among the state variables."""
        names = cls.state_names()
        return np.array([names.index(c) for c in cls.coupling_variables], dtype=np.intp)

    @classmethod
    def stvar(cls) -> np.ndarray:
        """Indices of the state variables that receive stimuli (default: coupling variables)."""
        names = cls.state_names()
        st = cls.coupling_variables if cls.stimulus_variables is None else cls.stimulus_variables
        return np.array([names.index(c) for c in st], dtype=np.intp)

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return cls._parameter_names

    @classmethod
    def parameter_layout(cls) -> dict[str, tuple[int, int]]:
        """Row ``(start, length)`` of each parameter in :meth:`parameter_matrix` (length 0:
        one row, scalar or per node; n: a vector parameter of n components)."""
        return parameter_layout(cls, cls.parameter_names())

    @classmethod
    def dfun_arguments(cls) -> tuple[str, ...]:
        return cls._dfun_args

    @classmethod
    def coupling_terms_used(cls) -> tuple[int, ...]:
        """Indices ``k`` of the coupling terms ``c_k`` that ``dfun`` reads, directly or
        through a mode sum."""
        params = set(cls._parameter_names)
        names = [a for a in cls._dfun_args if a not in params and a not in cls.mode_sums]
        names += [source for source, _ in cls.mode_sums.values()]
        return tuple(sorted({int(n[2:]) for n in names if n.startswith("c_") and n[2:].isdigit()}))

    @classmethod
    def dfun_source(cls) -> str:
        """Source of ``dfun`` (and helpers) as a module-level function named ``dfun``."""
        parts = [_function_source(h) for h in cls.helpers]
        src = _function_source(cls.dfun)
        parts.append(src)
        return "\n\n".join(parts)

    @classmethod
    def state_ranges(cls) -> np.ndarray:
        return np.array([sv.range for sv in cls.state_variables.values()], dtype=float)

    @classmethod
    def state_bounds(cls) -> np.ndarray | None:
        """Array (n_var, 2) of hard bounds with ±inf where unbounded, or None if unbounded."""
        if all(sv.bounds is None for sv in cls.state_variables.values()):
            return None
        out = np.empty((cls.n_var(), 2))
        for i, sv in enumerate(cls.state_variables.values()):
            lo, hi = sv.bounds if sv.bounds is not None else (None, None)
            out[i] = (-np.inf if lo is None else lo, np.inf if hi is None else hi)
        return out

    def voi_expressions(self) -> tuple[str, ...]:
        """Canonical (``np.``-qualified) expressions of the variables of interest."""
        return tuple(parse_expression(e, self.state_names()) for e in self.variables_of_interest)

    # -- values -----------------------------------------------------------------------------

    def compute_mode_constants(self) -> dict[str, np.ndarray]:
        """Per-mode constants and mode-mixing matrices derived from the parameters.

        Override in models with ``mode_constants``; keys are those names, values have shape
        ``(n_mode,)`` or ``(n_mode, n_mode)``.
        """
        return {}

    def mode_constant_matrix(self) -> tuple[np.ndarray, dict[str, tuple[int, bool]]]:
        """Mode constants stacked as rows ``(n_rows, n_mode)`` and the layout
        ``name -> (first row, is_matrix)``; row ``start + k`` of a matrix is its row ``k``."""
        values = self.compute_mode_constants()
        n_mode = self.n_mode
        rows: list[np.ndarray] = []
        layout: dict[str, tuple[int, bool]] = {}
        for name in self.mode_constants:
            if name not in values:
                raise ValidationError(
                    f"{type(self).__name__}.compute_mode_constants() did not return {name!r}"
                )
            arr = np.asarray(values[name], dtype=float)
            if arr.shape == (n_mode,):
                layout[name] = (len(rows), False)
                rows.append(arr)
            elif arr.shape == (n_mode, n_mode):
                layout[name] = (len(rows), True)
                rows.extend(arr)
            else:
                raise ValidationError(
                    f"mode constant {name!r} of {type(self).__name__} has shape {arr.shape}; "
                    f"expected ({n_mode},) or ({n_mode}, {n_mode})"
                )
        matrix = np.array(rows, dtype=float).reshape(len(rows), n_mode)
        return (matrix if rows else np.zeros((1, n_mode))), layout

    def parameter_matrix(self, n_node: int) -> np.ndarray:
        """Parameters as an array ``(n_param, n_node)`` (scalars broadcast).

        Raises if a per-node parameter does not have ``n_node`` values.
        """
        return parameter_matrix(self, self.parameter_names(), n_node)

    def initial(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        """Random states uniform within each variable's range, clipped to its bounds.

        ``shape`` is ``(n_time, n_var, n_node, n_mode)``.
        """
        n_time, n_var, n_node, n_mode = shape
        ranges = self.state_ranges()
        u = rng.random(shape)
        lo = ranges[:, 0][None, :, None, None]
        hi = ranges[:, 1][None, :, None, None]
        x = lo + (hi - lo) * u
        bounds = self.state_bounds()
        if bounds is not None:
            x = np.clip(x, bounds[:, 0][None, :, None, None], bounds[:, 1][None, :, None, None])
        return x

    def derivative(
        self,
        state: np.ndarray,
        coupling: np.ndarray | None = None,
        local_coupling: np.ndarray | float = 0.0,
        parameters: np.ndarray | None = None,
    ) -> np.ndarray:
        """Evaluate ``dfun`` on arrays (the numpy reference path).

        Parameters
        ----------
        state
            ``(n_var, n_node, n_mode)``.
        coupling
            ``(n_term, n_node, n_mode)`` long-range coupling (zeros if None).
        local_coupling
            ``(n_cvar, n_node, n_mode)`` local coupling terms, or 0.
        parameters
            ``(n_param, n_node)`` from :meth:`parameter_matrix` (computed if None).
        """
        n_var, n_node, n_mode = state.shape
        if parameters is None:
            parameters = self.parameter_matrix(n_node)
        if coupling is None:
            coupling = np.zeros((len(self.coupling_variables), n_node, n_mode))
        kwargs = self._dfun_kwargs(state, coupling, local_coupling, parameters)
        out = type(self).dfun(**kwargs)
        if len(out) != n_var:
            raise ValidationError(
                f"{type(self).__name__}.dfun returned {len(out)} derivatives for {n_var} state "
                "variables"
            )
        return np.stack([np.broadcast_to(d, (n_node, n_mode)) for d in out]).astype(float)

    def _dfun_kwargs(
        self,
        state: np.ndarray,
        coupling: np.ndarray,
        local_coupling: np.ndarray | float,
        parameters: np.ndarray,
    ) -> dict[str, Any]:
        names = self.state_names()
        layout = self.parameter_layout()
        kwargs: dict[str, Any] = {}
        consts = self.compute_mode_constants() if self.mode_constants else {}
        for arg in self.dfun_arguments():
            if arg in self.mode_sums:
                source, matrix = self.mode_sums[arg]
                if source in names:
                    values = state[names.index(source)]
                else:
                    values = coupling[int(source[2:])]
                # summed mode by mode in order, as the compiled kernel does
                total = None
                for k in range(values.shape[-1]):
                    term = values[:, k : k + 1]
                    if matrix is not None:
                        term = term * np.asarray(consts[matrix])[k][None, :]
                    total = term if total is None else total + term
                kwargs[arg] = np.broadcast_to(total, values.shape)
            elif arg in self.mode_constants:
                kwargs[arg] = np.asarray(consts[arg], dtype=float)[None, :]
            elif arg in names:
                kwargs[arg] = state[names.index(arg)]
            elif arg in layout:
                start, length = layout[arg]
                if length:
                    kwargs[arg] = tuple(parameters[start + j][:, None] for j in range(length))
                else:
                    kwargs[arg] = parameters[start][:, None]
            elif arg.startswith("lc_"):
                k = int(arg[3:])
                kwargs[arg] = 0.0 if np.isscalar(local_coupling) else local_coupling[k]
            else:  # c_k
                k = int(arg[2:])
                if k >= coupling.shape[0]:
                    raise ValidationError(
                        f"{type(self).__name__}.dfun uses coupling term {arg} but the coupling "
                        f"provides only {coupling.shape[0]} term(s)"
                    )
                kwargs[arg] = coupling[k]
        return kwargs

    def observe(self, state: np.ndarray) -> np.ndarray:
        """Variables of interest ``(n_voi, n_node, n_mode)`` from a state ``(n_var, ...)``."""
        names = self.state_names()
        env = {"np": np, **{n: state[i] for i, n in enumerate(names)}}
        out = []
        for expr in self.voi_expressions():
            if expr in names:
                out.append(state[names.index(expr)])
            else:
                value = eval(_compiled_expression(expr), {"__builtins__": {}}, env)  # noqa: S307 - validated AST
                out.append(np.broadcast_to(value, state.shape[1:]))
        return np.stack(out)

    @classmethod
    def declaration_tables(cls) -> str:
        """reST tables of the state variables and parameters, generated from the declaration.

        Appended to every model's docstring, so ``help(Model)`` and the docs show them.
        """

        def table(header: list[str], rows: list[list[str]]) -> str:
            widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
            rule = "  ".join("=" * w for w in widths)
            lines = [rule, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
            lines.append(rule)
            lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
            lines.append(rule)
            return "\n".join("    " + line.rstrip() for line in lines)

        def fmt(value: Any) -> str:
            return "" if value is None else f"{value:g}"

        svars = []
        for name, sv in cls.state_variables.items():
            lo, hi = sv.bounds if sv.bounds is not None else (None, None)
            bounds = "" if sv.bounds is None else f"[{fmt(lo) or '-inf'}, {fmt(hi) or 'inf'}]"
            coupled = "yes" if name in cls.coupling_variables else ""
            svars.append(
                [name, f"[{sv.range[0]:g}, {sv.range[1]:g}]", bounds, coupled, sv.unit or ""]
            )
        params = []
        for row in cls.field_table():
            if row["name"] == "variables_of_interest":
                continue
            rng = "" if row["range"] is None else f"[{row['range'][0]:g}, {row['range'][1]:g}]"
            params.append(
                [row["name"], f"{row['default']}", rng, row["unit"] or "", row["doc"] or ""]
            )
        out = [
            "    State variables",
            "    ---------------",
            "",
            table(["name", "initial range", "bounds", "coupled", "unit"], svars),
        ]
        if params:
            out += [
                "",
                "    Model parameters",
                "    ----------------",
                "",
                table(["name", "default", "range", "unit", "description"], params),
            ]
        return "\n".join(out)

    @classmethod
    def describe(cls) -> str:
        """A text table of the parameters (name, default, range, unit, doc)."""
        rows = [f"{cls.__name__}: state variables {list(cls.state_variables)}"]
        for row in cls.field_table():
            if row["name"] == "variables_of_interest":
                continue
            rng = "" if row["range"] is None else f"[{row['range'][0]:g}, {row['range'][1]:g}]"
            rows.append(
                f"  {row['name']:<12} {row['default']!s:<12} {rng:<18} {row['unit'] or '':<8} "
                f"{row['doc']}"
            )
        return "\n".join(rows)


def get(name: str) -> type[Model]:
    """Model class by name (case-insensitive); raises listing the known names."""
    _ensure_loaded()
    return _REGISTRY.get(name)


def list_models() -> list[str]:
    """Names of all registered models."""
    _ensure_loaded()
    return _REGISTRY.names()


def _ensure_loaded() -> None:
    from vbrain.simulator.models import load_all

    load_all()
