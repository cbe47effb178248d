"""Whole-simulation configurations, read from YAML or JSON files (or plain dicts).

A configuration names every piece of a simulation; every section is optional::

    connectivity: 76            # a tvb-data connectome number/name, or a path to a TVB zip
    speed: 3.0                  # optional, mm/ms, overrides the connectivity's
    model: {type: Generic2dOscillator, a: -2.0}     # or just the name as a string
    coupling: {type: Linear, a: 0.0152}
    integrator: {type: Heun, dt: 0.1, noise: {type: Additive, nsig: 0.001}}
    monitors: [{type: Raw}, {type: TemporalAverage, period: 2.0}]
    duration: 1000.0            # ms
    seed: 42
    backend: numba              # or numpy
    initial_history: null       # or a path to a .npy file
    stimulus:                   # optional: a region stimulus (see below)
      temporal: {type: PulseTrain, T: 100.0, tau: 5.0, amp: 1.0, onset: 20.0}
      weight: {rA1: 1.0, rV1: 0.5}     # {region label: weight}, or a list, one per region
      variables: null                  # driven state variables; null: the model's default

Type names are looked up in the registries of models, couplings, integrators (reference names
such as ``HeunStochastic`` are accepted), noises and monitors, case-insensitively.  A section
may be a name (``model: JansenRit``), a mapping with ``type`` and parameters, or a mapping
without ``type`` (parameters of the section's default type).

Defaults are those of the reference system's typical first run, which differ from the library
defaults of the individual classes in three places:

==============================  ==========================================================
section                         default
==============================  ==========================================================
``connectivity``                ``76`` (the 76-region tvb-data connectome, 3 mm/ms)
``model``                       ``Generic2dOscillator`` with its defaults
``coupling``                    ``Linear`` with ``a = 0.0152`` (also when ``type: Linear``
                                is given without ``a``)
``integrator``                  ``Heun``; ``dt = 0.1`` ms for every scheme when not given
``integrator.noise``            none; a mapping without ``type`` (or a number, the
                                intensity) means ``Additive``; ``*Stochastic`` reference
                                names without noise get ``Additive()``
``monitors``                    ``[TemporalAverage(period=1.0)]``; periodic monitors
                                default to ``period = 1.0`` ms
``duration`` / ``seed``         ``1000.0`` ms / ``42``
``backend``                     ``"numba"``
``stimulus``                    none; ``temporal`` defaults to ``PulseTrain()``
==============================  ==========================================================

The ``stimulus`` section describes a :class:`~vbrain.simulator.stimuli.StimulusRegion`: a
temporal equation (``temporal``, also accepted as ``equation``: a name or a mapping with
``type`` and parameters, time in ms) times a weight per region (``weight``, also accepted as
``weights``: a list with one number per region, or a mapping ``{region label: weight}`` with
0 for the regions not named), driving ``variables`` (default: the model's stimulus
variables).  Labels and the list length are checked against the connectivity when the
simulation is built.

Relative paths (``connectivity``, ``initial_history``) in a configuration *file* are taken
relative to the file's directory when such a file exists there.

Examples
--------
>>> cfg = load_config({"model": "JansenRit", "duration": 100.0})
>>> cfg.model
JansenRit()
>>> load_config(cfg.to_dict()) == cfg
True
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pydantic

from vbrain.config.traits import Attr, Declared, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.equations import PulseTrain, TemporalEquation, equation_field
from vbrain.simulator import coupling as coupling_mod
from vbrain.simulator import integrators as integrators_mod
from vbrain.simulator import monitors as monitors_mod
from vbrain.simulator import noise as noise_mod
from vbrain.simulator.models import base as models_base
from vbrain.simulator.models.base import Model
from vbrain.simulator.stimuli import StimulusRegion, weights_from_labels

__all__ = [
    "ConfigError",
    "SimulationConfig",
    "StimulusSection",
    "load_config",
    "read_config_file",
]

DEFAULT_CONNECTIVITY = 76
DEFAULT_MODEL = "Generic2dOscillator"
DEFAULT_COUPLING = "Linear"
DEFAULT_COUPLING_A = 0.0152
DEFAULT_INTEGRATOR = "Heun"
DEFAULT_DT = 0.1
DEFAULT_NOISE = "Additive"
DEFAULT_MONITOR = "TemporalAverage"
DEFAULT_PERIOD = 1.0
DEFAULT_DURATION = 1000.0
DEFAULT_SEED = 42
DEFAULT_BACKEND = "numba"

CONFIG_SUFFIXES = (".yaml", ".yml", ".json")


class ConfigError(ValidationError):
    """An invalid simulation configuration; the message names the section and key."""


# --------------------------------------------------------------------------------------
# Resolving sections into strategy objects


def _close(name: str, choices: list[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[hits[0]]!r}?)" if hits else ""


def _split_section(section: str, value: Any, default_type: str | None) -> tuple[str, dict]:
    """Split a section given as a name or a mapping into ``(type name, parameters)``."""
    if isinstance(value, str):
        return value, {}
    if isinstance(value, Mapping):
        params = dict(value)
        for key in params:
            if not isinstance(key, str):
                raise ConfigError(f"{section}: keys must be strings, got {key!r}")
        name = params.pop("type", None)
        if name is None:
            if default_type is None:
                raise ConfigError(f"{section}: give the type, e.g. {{type: ..., <parameters>}}")
            name = default_type
        if not isinstance(name, str):
            raise ConfigError(f"{section}.type must be a name (a string), got {name!r}")
        return name, params
    raise ConfigError(
        f"{section}: expected a type name or a mapping {{type: <name>, <parameter>: <value>}}, "
        f"got {type(value).__name__} {value!r}"
    )


def _construct(section: str, cls: type[Declared], params: dict[str, Any]) -> Any:
    """``cls(**params)`` with errors prefixed by the section (and the valid parameters)."""
    try:
        return cls(**params)
    except ValidationError as exc:
        msg = str(exc)
        if "has no field" in msg:
            fields = [f for f in cls.model_fields if f != "noise" or section != "integrator"]
            unknown = [k for k in params if k not in cls.model_fields]
            hint = _close(unknown[0], fields) if unknown else ""
            msg = (
                f"unknown parameter(s) {', '.join(map(repr, unknown))} for {cls.__name__}{hint}; "
                f"its parameters are: {', '.join(cls.model_fields)}"
            )
        raise ConfigError(f"{section}: {msg}") from None


def _lookup(section: str, what: str, get: Any, names: list[str], name: str) -> Any:
    try:
        return get(name)
    except ValidationError:
        raise ConfigError(
            f"{section}: unknown {what} {name!r}{_close(name, names)}; known {what}s: "
            f"{', '.join(names)}"
        ) from None


def _resolve_model(value: Any) -> Model:
    if isinstance(value, Model):
        return value
    name, params = _split_section("model", value, DEFAULT_MODEL)
    cls = _lookup("model", "model", models_base.get, models_base.list_models(), name)
    return _construct("model", cls, params)


def _resolve_coupling(value: Any) -> coupling_mod.Coupling:
    if isinstance(value, coupling_mod.Coupling):
        return value
    name, params = _split_section("coupling", value, DEFAULT_COUPLING)
    cls = _lookup("coupling", "coupling", coupling_mod.get, coupling_mod.list_couplings(), name)
    if cls.__name__ == DEFAULT_COUPLING and "a" not in params:
        params["a"] = DEFAULT_COUPLING_A
    return _construct("coupling", cls, params)


def _noise_classes() -> dict[str, type[noise_mod.Noise]]:
    out: dict[str, type[noise_mod.Noise]] = {}
    todo = list(noise_mod.Noise.__subclasses__())
    while todo:
        cls = todo.pop()
        out[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return out


def _resolve_noise(value: Any) -> noise_mod.Noise | None:
    if value is None or isinstance(value, noise_mod.Noise):
        return value
    section = "integrator.noise"
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = {"nsig": value}
    name, params = _split_section(section, value, DEFAULT_NOISE)
    classes = _noise_classes()

    def get(key: str) -> type[noise_mod.Noise]:
        for cls_name, cls in classes.items():
            if cls_name.lower() == key.lower():
                return cls
        raise ValidationError(key)

    cls = _lookup(section, "noise", get, sorted(classes), name)
    return _construct(section, cls, params)


def _resolve_integrator(value: Any) -> integrators_mod.Integrator:
    if isinstance(value, integrators_mod.Integrator):
        return value
    name, params = _split_section("integrator", value, DEFAULT_INTEGRATOR)
    cls = _lookup(
        "integrator", "integrator", integrators_mod.get, integrators_mod.list_integrators(), name
    )
    if "noise" in params:
        params["noise"] = _resolve_noise(params["noise"])
    elif name.lower().endswith("stochastic"):
        params["noise"] = getattr(noise_mod, DEFAULT_NOISE)()
    params.setdefault("dt", DEFAULT_DT)
    return _construct("integrator", cls, params)


def _resolve_monitor(section: str, value: Any) -> monitors_mod.Monitor:
    if isinstance(value, monitors_mod.Monitor):
        return value
    name, params = _split_section(section, value, None)
    cls = _lookup(section, "monitor", monitors_mod.get, monitors_mod.list_monitors(), name)
    if "period" not in params and cls.model_fields["period"].default == monitors_mod.DEFAULT_PERIOD:
        params["period"] = DEFAULT_PERIOD
    return _construct(section, cls, params)


def _resolve_monitors(value: Any) -> list[monitors_mod.Monitor]:
    if isinstance(value, str | Mapping | monitors_mod.Monitor):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ConfigError(
            f"monitors: expected a list of monitors, e.g. [{{type: Raw}}], got "
            f"{type(value).__name__} {value!r}"
        )
    if not value:
        raise ConfigError("monitors: give at least one monitor, e.g. [{type: Raw}]")
    return [_resolve_monitor(f"monitors[{i}]", m) for i, m in enumerate(value)]


class StimulusSection(Declared):
    """The ``stimulus`` section: a region stimulus whose weights may name regions.

    Kept as written (labels are resolved against the connectivity by :meth:`build`, when the
    simulation is built), so that a configuration round-trips through ``to_dict``.
    """

    kind = "stimulus_config"

    temporal: equation_field(TemporalEquation) = Attr(  # type: ignore[valid-type]
        default_factory=PulseTrain, doc="Time course of the stimulus (time in ms)."
    )
    weight: list[float] | dict[str, float] = Attr(
        doc="One weight per region, or {region label: weight} (other regions 0)."
    )
    variables: tuple[str, ...] | None = Attr(
        None, doc="Driven state variables; None uses the model's stimulus_variables."
    )

    @pydantic.field_validator("weight", mode="before")
    @classmethod
    def _check_weight(cls, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, Mapping):
            bad = [k for k in value if not isinstance(k, str)]
            if bad:
                raise ValueError(f"weight labels must be region labels (strings), got {bad[0]!r}")
            items = list(value.values())
        elif isinstance(value, list | tuple):
            items = list(value)
            value = list(value)
        else:
            raise ValueError(
                "weight must be a list (one number per region) or a mapping "
                f"{{region label: weight}}, got {type(value).__name__} {value!r}"
            )
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ValueError(f"weight values must be numbers, got {item!r}")
            if not math.isfinite(item):
                raise ValueError(f"weight values must be finite, got {item!r}")
        return value

    @pydantic.field_validator("variables", mode="before")
    @classmethod
    def _check_variables(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    def build(self, connectivity: Any) -> StimulusRegion:
        """The :class:`~vbrain.simulator.stimuli.StimulusRegion` for ``connectivity``."""
        if isinstance(self.weight, dict):
            weight = weights_from_labels(connectivity, self.weight)
        else:
            weight = np.asarray(self.weight, dtype=float)
            if weight.size != connectivity.n_region:
                raise ValidationError(
                    f"weight has {weight.size} values but the connectivity has "
                    f"{connectivity.n_region} regions; give one per region or a mapping "
                    "{region label: weight}"
                )
        return StimulusRegion(
            temporal=self.temporal.model_copy(deep=True), weight=weight, variables=self.variables
        )


_STIMULUS_ALIASES = {"equation": "temporal", "weights": "weight"}


def _resolve_stimulus(value: Any) -> StimulusSection | None:
    section = "stimulus"
    if value is None or isinstance(value, StimulusSection):
        return value
    if isinstance(value, StimulusRegion):
        return StimulusSection(
            temporal=value.temporal, weight=value.weight.tolist(), variables=value.variables
        )
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{section}: expected a mapping {{temporal: ..., weight: ...}}, got "
            f"{type(value).__name__} {value!r}"
        )
    params: dict[str, Any] = {}
    for key, item in value.items():
        key = _STIMULUS_ALIASES.get(key, key)
        if key in params:
            raise ConfigError(f"{section}: {key!r} is given twice (once under an alias)")
        params[key] = item
    kind = params.pop("type", "StimulusRegion")
    if not isinstance(kind, str) or kind.lower() not in ("stimulusregion", "region"):
        raise ConfigError(
            f"{section}.type = {kind!r}: configuration files describe region stimuli only "
            "(type: StimulusRegion); build arrays or functions in Python"
        )
    if "weight" not in params:
        raise ConfigError(
            f"{section}: give weight, a list (one per region) or {{region label: weight}}"
        )
    return _construct(section, StimulusSection, params)


# --------------------------------------------------------------------------------------
# Serialising sections


def _component_dict(obj: Declared) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type(obj).__name__}
    out.update(obj.to_dict())
    if isinstance(obj, integrators_mod.Integrator):
        out["noise"] = None if obj.noise is None else _component_dict(obj.noise)
    return out


# --------------------------------------------------------------------------------------
# Scalar fields


def _check_connectivity(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str | os.PathLike):
        raise ConfigError(
            "connectivity: expected a tvb-data connectome number or name (e.g. 76) or a path "
            f"to a TVB connectivity zip, got {type(value).__name__} {value!r}"
        )
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and value <= 0:
        raise ConfigError(f"connectivity: {value} is not a number of regions")
    return value


def _check_speed(value: Any) -> float | None:
    if value is None:
        return None
    speed = _number("speed", value)
    if math.isnan(speed) or speed <= 0:
        raise ConfigError(f"speed = {value!r}: must be > 0 mm/ms (.inf for no delays)")
    return speed


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ConfigError(f"{key} = {value!r}: expected a number, got a boolean")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{key} = {value!r}: expected a number, got {type(value).__name__}"
        ) from None


def _check_duration(value: Any) -> float:
    duration = _number("duration", value)
    if not math.isfinite(duration) or duration <= 0:
        raise ConfigError(f"duration = {value!r}: must be a finite number of ms > 0")
    return duration


def _check_seed(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ConfigError(f"seed = {value!r}: expected an integer >= 0, got a boolean")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int | np.integer) or value < 0:
        raise ConfigError(f"seed = {value!r}: expected an integer >= 0 (or null)")
    return int(value)


def _check_backend(value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in ("numba", "numpy"):
        return value.strip().lower()
    raise ConfigError(f"backend = {value!r}: expected 'numba' or 'numpy'")


def _check_history(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if not isinstance(value, str):
        raise ConfigError(f"initial_history = {value!r}: expected a path to a .npy file (or null)")
    return value


def _as_validator(fn: Any) -> Any:
    """Wrap a checker (which does all the validation) so that its ConfigError reaches the
    user unchanged; pydantic does not re-validate the checker's result (subclass instances
    of models and monitors must not be re-checked against their base classes)."""

    def run(value: Any) -> Any:
        try:
            return fn(value)
        except ConfigError as exc:
            raise _config_error(str(exc)) from None

    return pydantic.PlainValidator(run)


def _config_error(message: str) -> Exception:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("vbrain_config", "{message}", {"message": message})


def _format_errors(exc: pydantic.ValidationError) -> str:
    known = list(SimulationConfig.model_fields)
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        key = ".".join(str(p) for p in loc)
        if err["type"] == "vbrain_config":
            lines.append(err["ctx"]["message"])
        elif err["type"] == "extra_forbidden":
            lines.append(
                f"unknown top-level key {key!r}{_close(key, known)}; known keys: {', '.join(known)}"
            )
        elif not loc:
            msg = err["msg"]
            lines.append(msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg)
        else:
            lines.append(f"{key} = {err.get('input')!r}: {err['msg']}")
    return "; ".join(lines)


# --------------------------------------------------------------------------------------
# The configuration


class SimulationConfig(DataType):
    """A whole simulation: connectivity, model, coupling, integrator, monitors and run options.

    Construct from keyword arguments (names, mappings or objects for the sections), with
    :func:`load_config` from a file or dict, or :meth:`default`.  Invalid input raises
    :class:`ConfigError` naming the section and key.

    Examples
    --------
    >>> cfg = SimulationConfig(model={"type": "Generic2dOscillator", "a": -1.5}, duration=50.0)
    >>> sim = cfg.build()  # doctest: +SKIP
    >>> res = cfg.run()  # doctest: +SKIP
    """

    kind = "simulation_config"

    connectivity: Annotated[int | str, _as_validator(_check_connectivity)] = Attr(
        DEFAULT_CONNECTIVITY,
        doc="A tvb-data connectome (number of regions or name) or a path to a TVB zip.",
    )
    speed: Annotated[float | None, _as_validator(_check_speed)] = Attr(
        None, unit="mm/ms", doc="Conduction speed overriding the connectivity's (None keeps it)."
    )
    model: Annotated[Model, _as_validator(_resolve_model)] = Attr(
        default_factory=lambda: _resolve_model(DEFAULT_MODEL), doc="Neural mass model."
    )
    coupling: Annotated[coupling_mod.Coupling, _as_validator(_resolve_coupling)] = Attr(
        default_factory=lambda: _resolve_coupling(DEFAULT_COUPLING), doc="Long-range coupling."
    )
    integrator: Annotated[integrators_mod.Integrator, _as_validator(_resolve_integrator)] = Attr(
        default_factory=lambda: _resolve_integrator(DEFAULT_INTEGRATOR),
        doc="Integration scheme (with its dt and optional noise).",
    )
    monitors: Annotated[list[monitors_mod.Monitor], _as_validator(_resolve_monitors)] = Attr(
        default_factory=lambda: _resolve_monitors([DEFAULT_MONITOR]), doc="What is recorded."
    )
    duration: Annotated[float, _as_validator(_check_duration)] = Attr(
        DEFAULT_DURATION, unit="ms", doc="Simulated time."
    )
    seed: Annotated[int | None, _as_validator(_check_seed)] = Attr(
        DEFAULT_SEED, doc="Seed of the random initial history and the noise (None: random)."
    )
    backend: Annotated[Literal["numba", "numpy"], _as_validator(_check_backend)] = Attr(
        DEFAULT_BACKEND, doc="'numba' (compiled kernel) or 'numpy' (reference path)."
    )
    initial_history: Annotated[str | None, _as_validator(_check_history)] = Attr(
        None, doc="Path to a .npy initial state or history; None draws a random one."
    )
    stimulus: Annotated[StimulusSection | None, _as_validator(_resolve_stimulus)] = Attr(
        None, doc="A region stimulus (temporal equation x weight per region); None: no input."
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            pydantic.BaseModel.__init__(self, **data)
        except pydantic.ValidationError as exc:
            raise ConfigError(_format_errors(exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            pydantic.BaseModel.__setattr__(self, name, value)
        except pydantic.ValidationError as exc:
            raise ConfigError(_format_errors(exc)) from None

    @pydantic.model_validator(mode="after")
    def _check_consistency(self) -> SimulationConfig:
        model, cpl, dt = self.model, self.coupling, self.integrator.dt
        name = type(model).__name__
        n_cvar = len(model.coupling_variables)
        try:
            cpl.check_model(n_cvar, name)
        except ValidationError as exc:
            raise ValueError(
                f"coupling: {type(cpl).__name__} cannot couple {name}: {exc}"
            ) from None
        n_term = cpl.n_terms(n_cvar) if n_cvar else 0
        if self.stimulus is not None and self.stimulus.variables is not None:
            names = model.state_names()
            for var in self.stimulus.variables:
                if var not in names:
                    raise ValueError(
                        f"stimulus.variables: {var!r} is not a state variable of {name} "
                        f"{list(names)}{_close(var, list(names))}"
                    )
        for i, mon in enumerate(self.monitors):
            section = f"monitors[{i}]"
            try:
                mon.istep(dt)
            except ValidationError as exc:
                raise ValueError(f"{section}: {exc} (integrator.dt = {dt:g} ms)") from None
            n_avail = n_term if mon.source == "coupling" else len(model.variables_of_interest)
            try:
                mon.voi_indices(n_avail)
            except ValidationError as exc:
                raise ValueError(f"{section}: {exc}") from None
        return self

    # -- construction -------------------------------------------------------------------

    @classmethod
    def default(cls) -> SimulationConfig:
        """The reference system's typical first run (see the module docstring)."""
        return cls()

    @classmethod
    def example(cls) -> SimulationConfig:
        return cls(model={"type": "JansenRit"}, coupling="SigmoidalJansenRit", duration=100.0)

    def summary(self) -> dict[str, Any]:
        """Model, coupling, integrator (dt, noise), monitors, connectivity and duration."""
        noise = self.integrator.noise
        return {
            "type": self.type_name,
            "connectivity": self.connectivity,
            "model": type(self.model).__name__,
            "coupling": type(self.coupling).__name__,
            "integrator": type(self.integrator).__name__,
            "dt": self.integrator.dt,
            "noise": None if noise is None else type(noise).__name__,
            "monitors": [m.name for m in self.monitors],
            "duration": self.duration,
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SimulationConfig:
        """Validate a mapping of sections (``None`` or ``{}`` gives the defaults)."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError(
                "a configuration must be a mapping of sections (connectivity, model, coupling, "
                f"integrator, monitors, duration, ...), got {type(data).__name__}"
            )
        bad = [k for k in data if not isinstance(k, str)]
        if bad:
            raise ConfigError(f"configuration keys must be strings, got {bad[0]!r}")
        return cls(**copy.deepcopy(dict(data)))

    # -- serialisation ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON/YAML-compatible dict; ``load_config(cfg.to_dict()) == cfg``."""
        return {
            "connectivity": self.connectivity,
            "speed": self.speed,
            "model": _component_dict(self.model),
            "coupling": _component_dict(self.coupling),
            "integrator": _component_dict(self.integrator),
            "monitors": [_component_dict(m) for m in self.monitors],
            "duration": self.duration,
            "seed": self.seed,
            "backend": self.backend,
            "initial_history": self.initial_history,
            "stimulus": None if self.stimulus is None else self.stimulus.to_dict(),
        }

    def to_json(self, indent: int | None = None) -> str:
        """The configuration as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent)

    def to_yaml(self) -> str:
        """The configuration as a YAML document."""
        import yaml

        return yaml.safe_dump(self.to_dict(), sort_keys=False, default_flow_style=None)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write to ``.yaml``/``.yml`` or ``.json`` (by suffix); returns the path."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in CONFIG_SUFFIXES:
            raise ConfigError(f"{p.name}: config files end in {', '.join(CONFIG_SUFFIXES)}")
        p.write_text(self.to_json(indent=2) + "\n" if suffix == ".json" else self.to_yaml())
        return p

    # -- running ------------------------------------------------------------------------

    def load_connectivity(self) -> Any:
        """The connectivity (tvb-data connectome or file), with ``speed`` applied."""
        from vbrain import datasets
        from vbrain.io.connectivity import read_connectivity

        value = self.connectivity
        try:
            if isinstance(value, str) and (Path(value).exists() or _looks_like_path(value)):
                if not Path(value).exists():
                    raise FileNotFoundError(f"connectivity: no such file or directory {value!r}")
                conn = read_connectivity(value)
            else:
                conn = datasets.load_connectivity(value)
            if self.speed is not None:
                conn = conn.with_speed(self.speed)
        except ConfigError:
            raise
        except ValidationError as exc:
            raise ConfigError(f"connectivity: {exc}") from None
        return conn

    def load_initial_history(self) -> np.ndarray | None:
        """The initial history array from ``initial_history`` (None when not set)."""
        if self.initial_history is None:
            return None
        path = Path(self.initial_history)
        if not path.is_file():
            raise FileNotFoundError(f"initial_history: no such file {self.initial_history!r}")
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"initial_history: cannot read {self.initial_history!r} as a .npy array ({exc})"
            ) from None

    def build(self, **kwargs: Any) -> Any:
        """A ready :class:`~vbrain.simulator.Simulator` (``kwargs`` go to it, e.g.
        ``chunk_steps``); the simulator gets copies of the configured objects."""
        from vbrain.simulator.simulator import Simulator

        connectivity = self.load_connectivity()
        stimulus = None
        if self.stimulus is not None:
            try:
                stimulus = self.stimulus.build(connectivity)
            except ConfigError:
                raise
            except ValidationError as exc:
                raise ConfigError(f"stimulus: {exc}") from None
        return Simulator(
            connectivity,
            model=self.model.model_copy(deep=True),
            coupling=self.coupling.model_copy(deep=True),
            integrator=self.integrator.model_copy(deep=True),
            monitors=[m.model_copy(deep=True) for m in self.monitors],
            initial_history=self.load_initial_history(),
            seed=self.seed,
            backend=self.backend,
            stimulus=stimulus,
            **kwargs,
        )

    def run(self, *, progress: bool = False) -> Any:
        """Build and run for ``duration``; returns the :class:`SimulationResult`."""
        return self.build().run(self.duration, progress=progress)


def _looks_like_path(value: str) -> bool:
    return "/" in value or os.sep in value or value.lower().endswith(".zip")


# --------------------------------------------------------------------------------------
# Files


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse a YAML/JSON config file into a raw dict (not validated).

    Relative ``connectivity``/``initial_history`` paths that exist next to the file are made
    absolute.  Raises :class:`FileNotFoundError` or :class:`ConfigError` (unsupported suffix,
    unparsable content, top level not a mapping).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in CONFIG_SUFFIXES:
        raise ConfigError(
            f"{p.name}: unsupported config file type {suffix or '(none)'!r}; use "
            f"{', '.join(CONFIG_SUFFIXES)}"
        )
    if not p.is_file():
        raise FileNotFoundError(f"config file not found: {p}")
    text = p.read_text(encoding="utf-8")
    if suffix == ".json":
        try:
            data = json.loads(text) if text.strip() else None
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{p.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p.name}: invalid YAML: {_yaml_message(exc)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{p.name}: the top level must be a mapping of sections (connectivity: ..., "
            f"model: ..., ...), got {type(data).__name__}"
        )
    for key in ("connectivity", "initial_history"):
        value = data.get(key)
        if isinstance(value, str) and not Path(value).is_absolute():
            candidate = p.parent / value
            if candidate.exists():
                data[key] = str(candidate.resolve())
    return data


def _yaml_message(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else str(problem)
    if mark is not None:
        text += f" (line {mark.line + 1}, column {mark.column + 1})"
    return text


def load_config(
    path_or_dict: str | os.PathLike[str] | Mapping[str, Any] | SimulationConfig | None = None,
) -> SimulationConfig:
    """Load and validate a simulation configuration.

    Parameters
    ----------
    path_or_dict
        A ``.yaml``/``.yml``/``.json`` file, a mapping of sections, a
        :class:`SimulationConfig` (copied) or None (the defaults).

    Returns
    -------
    SimulationConfig

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ConfigError
        (a :class:`~vbrain.config.ValidationError`) for unparsable files and invalid content;
        the message names the section and key.
    """
    if isinstance(path_or_dict, SimulationConfig):
        return path_or_dict.model_copy(deep=True)
    if path_or_dict is None or isinstance(path_or_dict, Mapping):
        return SimulationConfig.from_dict(path_or_dict)
    if isinstance(path_or_dict, str | os.PathLike):
        return SimulationConfig.from_dict(read_config_file(path_or_dict))
    raise ConfigError(
        f"load_config expects a file path or a dict, got {type(path_or_dict).__name__}"
    )
