"""The analyzer base class, input normalisation and the analyzer registry.

An analyzer is a :class:`~vbrain.config.traits.Declared` class: its fields are the typed,
ranged and documented inputs (segment length, window...), and calling it on data returns a
:class:`~vbrain.datatypes.base.DataType`::

    spec = vb.analyzers.FFT(segment_length=1000.0)(result)        # a MonitorResult
    spec = vb.analyzers.get("FFT")(window_function="hann")(x, sample_period=1.0)  # numpy

Time-series inputs may be a :class:`~vbrain.simulator.results.MonitorResult`, an
``xarray.DataArray`` with dims ``(time, variable, space, mode)`` (or ``(time, space)``), any
object with ``data`` and ``sample_period`` attributes, or a numpy array ``(n_time,)``,
``(n_time, n_node)`` or ``(n_time, n_variable, n_node, n_mode)`` together with
``sample_period`` (ms).  Time is in ms everywhere; frequencies are in Hz: a sample period of
``dt`` ms is a sampling rate of ``1000 / dt`` Hz.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from vbrain.config.registry import Registry
from vbrain.config.traits import Declared, ValidationError
from vbrain.datatypes.base import DataType

__all__ = [
    "Analyzer",
    "Signal",
    "as_matrix",
    "as_signal",
    "get",
    "list_analyzers",
    "require",
]

_REGISTRY: Registry[Analyzer] = Registry(
    "analyzer",
    aliases={
        "fcd": "FunctionalConnectivityDynamics",
        "fourier": "FFT",
        "wavelet": "ContinuousWaveletTransform",
        "cwt": "ContinuousWaveletTransform",
        "psd": "PowerSpectralDensity",
        "welch": "PowerSpectralDensity",
        "correlation": "PearsonCorrelation",
        "covariance": "NodeCovariance",
        "coherence": "NodeCoherence",
        "complexcoherence": "NodeComplexCoherence",
    },
)

_EXTRA_HINT = 'pip install "vbrain[analysis]"'


def require(module: str, what: str) -> Any:
    """Import an optional dependency, or fail saying which extra provides it.

    Parameters
    ----------
    module
        Import name (``"sklearn"``, ``"bct"``, ``"networkx"``, ``"matplotlib"``).
    what
        What needs it, for the message (e.g. ``"ICA"``).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        package = {"sklearn": "scikit-learn", "bct": "bctpy"}.get(top, top)
        raise ImportError(
            f"{what} needs the optional package {package!r}, which is not installed; "
            f"install the analysis extra: {_EXTRA_HINT}"
        ) from None


@dataclass(frozen=True)
class Signal:
    """A time series normalised for the analyzers.

    Attributes
    ----------
    data
        float64 samples, shape ``(n_time, n_variable, n_space, n_mode)``.
    sample_period
        Time between samples (ms).
    time
        Sample times (ms).
    variables, space
        Labels of the variable and space axes.
    """

    data: np.ndarray
    sample_period: float
    time: np.ndarray
    variables: tuple[str, ...]
    space: tuple[str, ...]

    @property
    def sample_rate(self) -> float:
        """Sampling rate in Hz (= 1000 / sample_period in ms)."""
        return 1000.0 / self.sample_period

    @property
    def n_time(self) -> int:
        return int(self.data.shape[0])

    @property
    def n_space(self) -> int:
        return int(self.data.shape[2])

    @property
    def duration(self) -> float:
        """Length of the series (ms): n_time * sample_period."""
        return self.n_time * self.sample_period

    def labels(self) -> dict[str, tuple[str, ...]]:
        return {"variables": self.variables, "space": self.space}

    def window(self, t_start: float | None, t_end: float | None) -> Signal:
        """The samples with ``t_start <= time < t_end`` (ms; None = unbounded)."""
        if t_start is None and t_end is None:
            return self
        lo = -np.inf if t_start is None else t_start
        hi = np.inf if t_end is None else t_end
        sel = (self.time >= lo) & (self.time < hi)
        if np.count_nonzero(sel) < 2:
            raise ValidationError(
                f"the window [{t_start}, {t_end}) ms holds {np.count_nonzero(sel)} samples; the "
                f"series covers {self.time[0]:g} to {self.time[-1]:g} ms"
            )
        return Signal(
            self.data[sel], self.sample_period, self.time[sel], self.variables, self.space
        )


def _labels(values: Any, n: int, prefix: str) -> tuple[str, ...]:
    if values is None:
        return tuple(f"{prefix}{i}" for i in range(n))
    out = tuple(str(v) for v in list(values))
    if len(out) != n:
        return tuple(f"{prefix}{i}" for i in range(n))
    return out


def _to_4d(arr: np.ndarray, what: str) -> np.ndarray:
    if arr.ndim == 1:
        return arr[:, None, None, None]
    if arr.ndim == 2:
        return arr[:, None, :, None]
    if arr.ndim == 4:
        return arr
    raise ValidationError(
        f"{what} has shape {arr.shape}; expected (n_time,), (n_time, n_node) or "
        "(n_time, n_variable, n_node, n_mode)"
    )


def as_signal(data: Any, sample_period: float | None = None) -> Signal:
    """Normalise a time-series input (see the module docstring) to a :class:`Signal`.

    Raises :class:`~vbrain.config.traits.ValidationError` naming what is wrong: a missing or
    non-positive sample period, a wrong number of dimensions, non-finite or complex values,
    fewer than 2 samples.
    """
    if isinstance(data, Signal):
        if sample_period is not None and not np.isclose(sample_period, data.sample_period):
            raise ValidationError(
                f"sample_period = {sample_period} ms disagrees with the input's own "
                f"{data.sample_period} ms; leave it out"
            )
        return data
    variables = space = time = None
    own_period = None
    try:
        import xarray as xr
    except ImportError:  # pragma: no cover - xarray is a core dependency
        xr = None
    if xr is not None and isinstance(data, xr.DataArray):
        dims = tuple(data.dims)
        order = [d for d in ("time", "variable", "space", "mode") if d in dims]
        if set(dims) != set(order) or "time" not in dims:
            raise ValidationError(
                f"DataArray dims {dims} are not understood; use dims from "
                "('time', 'variable', 'space', 'mode') including 'time'"
            )
        da = data.transpose(*order)
        for d in ("variable", "space", "mode"):
            if d not in da.dims:
                da = da.expand_dims({d: 1}, axis=len(da.dims))
        da = da.transpose("time", "variable", "space", "mode")
        arr = np.asarray(da.values)
        variables = da.coords["variable"].values if "variable" in data.coords else None
        space = da.coords["space"].values if "space" in data.coords else None
        time = np.asarray(da.coords["time"].values, float) if "time" in data.coords else None
        for key in ("period_ms", "sample_period", "period"):
            if key in data.attrs:
                own_period = float(data.attrs[key])
                break
        if own_period is None and time is not None and time.size > 1:
            own_period = float(np.median(np.diff(time)))
    elif hasattr(data, "data") and (hasattr(data, "period") or hasattr(data, "sample_period")):
        # MonitorResult (period), TimeSeries-like datatypes (sample_period)
        arr = np.asarray(data.data)
        own_period = float(getattr(data, "period", None) or data.sample_period)
        variables = getattr(data, "variables", None) or getattr(data, "variable_labels", None)
        space = getattr(data, "space", None) or getattr(data, "space_labels", None)
        t = getattr(data, "time", None)
        time = None if t is None else np.asarray(t, float)
    else:
        try:
            arr = np.asarray(data)
        except Exception as exc:  # noqa: BLE001 - report what was given
            raise ValidationError(
                f"cannot read a time series from {type(data).__name__}: {exc}"
            ) from None
        if arr.dtype == object:
            raise ValidationError(
                f"cannot read a time series from {type(data).__name__}; give a MonitorResult, "
                "an xarray.DataArray or a numeric numpy array"
            )
    if own_period is not None and sample_period is not None:
        if not np.isclose(own_period, sample_period):
            raise ValidationError(
                f"sample_period = {sample_period} ms disagrees with the input's own "
                f"{own_period} ms; leave it out"
            )
    period = sample_period if sample_period is not None else own_period
    if period is None:
        raise ValidationError(
            "a plain array needs its sample period: pass sample_period=<ms between samples>"
        )
    period = float(period)
    if not np.isfinite(period) or period <= 0:
        raise ValidationError(f"sample_period = {period} ms must be a finite number > 0")
    if np.iscomplexobj(arr):
        raise ValidationError("the time series is complex; analyzers need real samples")
    try:
        arr = np.asarray(arr, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"the time series is not numeric: {exc}") from None
    arr = _to_4d(arr, "the time series")
    if arr.shape[0] < 2 or 0 in arr.shape:
        raise ValidationError(
            f"the time series has shape {arr.shape}; it needs at least 2 time points and one "
            "variable, node and mode"
        )
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValidationError(
            f"the time series contains NaN or infinite values (first at index {bad}); "
            "all samples must be finite"
        )
    if time is None or time.size != arr.shape[0]:
        time = np.arange(arr.shape[0]) * period
    return Signal(
        data=np.ascontiguousarray(arr),
        sample_period=period,
        time=np.asarray(time, float),
        variables=_labels(variables, arr.shape[1], "v"),
        space=_labels(space, arr.shape[2], "n"),
    )


def as_matrix(data: Any) -> tuple[np.ndarray, tuple[str, ...]]:
    """Normalise a graph input to ``(matrix, region labels)``.

    Accepts a :class:`~vbrain.datatypes.connectivity.Connectivity` (its ``weights``), a
    correlation/covariance datatype (first variable and mode), a 2-D
    :class:`~vbrain.datatypes.connectivity_measure.ConnectivityMeasure`, an
    ``xarray.DataArray`` or a square numpy array.
    """
    labels = None
    if hasattr(data, "weights") and hasattr(data, "region_labels"):
        arr, labels = np.asarray(data.weights), data.region_labels
    elif hasattr(data, "array_data") and hasattr(data, "space"):
        arr, labels = np.asarray(data.array_data), data.space
        if arr.ndim == 4:
            arr = arr[:, :, 0, 0]
    elif hasattr(data, "array_data") and hasattr(data, "region_labels"):
        arr, labels = np.asarray(data.array_data), data.region_labels
    elif hasattr(data, "dims") and hasattr(data, "values"):
        arr = np.asarray(data.values)
        if arr.ndim == 2 and data.dims[0] in data.coords:
            labels = [str(v) for v in data.coords[data.dims[0]].values]
    else:
        arr = np.asarray(data)
    try:
        arr = np.array(arr, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"the connection matrix is not numeric: {exc}") from None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 2:
        raise ValidationError(
            f"the connection matrix has shape {arr.shape}; it must be square, n x n with n >= 2"
        )
    if not np.all(np.isfinite(arr)):
        raise ValidationError(
            "the connection matrix contains NaN or infinite values; all entries must be finite"
        )
    return arr, _labels(labels, arr.shape[0], "r")


class Analyzer(Declared):
    """Base class of analyzers: declared inputs, ``__call__(data) -> DataType``.

    Subclasses declare their parameters as fields, set ``output`` (the datatype returned) and
    ``input_kind`` (``"time_series"`` or ``"matrix"``), and implement :meth:`_compute`, which
    receives a :class:`Signal` (or ``(matrix, labels)``).  Every concrete subclass is registered
    by class name (:func:`get`).
    """

    kind: ClassVar[str] = "analyzer"
    output: ClassVar[type[DataType]]
    input_kind: ClassVar[str] = "time_series"
    #: function-form name in :mod:`vbrain.analyzers` (``compute_...``)
    function_name: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            _REGISTRY.add(cls)

    def __call__(self, data: Any, sample_period: float | None = None) -> DataType:
        """Analyse ``data`` (see :meth:`compute`)."""
        return self.compute(data, sample_period=sample_period)

    def compute(self, data: Any, sample_period: float | None = None) -> DataType:
        """Analyse ``data`` and return an instance of :attr:`output`.

        Parameters
        ----------
        data
            A time series (MonitorResult, xarray.DataArray, numpy array...) or, for graph
            analyzers, a Connectivity or square matrix.
        sample_period
            Sample period (ms) of a plain numpy time series; ignored for matrices.
        """
        if self.input_kind == "matrix":
            return self._compute(as_matrix(data))
        return self._compute(as_signal(data, sample_period))

    def _compute(self, data: Any) -> DataType:
        raise NotImplementedError

    @classmethod
    def example_input(cls) -> Any:
        """A small input that the analyzer with default settings accepts (tests, docs)."""
        if cls.input_kind == "matrix":
            rng = np.random.default_rng(0)
            w = rng.random((8, 8)) * (rng.random((8, 8)) < 0.6)
            w = np.triu(w, 1)
            return w + w.T
        rng = np.random.default_rng(0)
        t = np.arange(4000) * 1.0
        base = np.sin(2 * np.pi * 10.0 * t / 1000.0)
        x = base[:, None] * np.linspace(0.5, 1.5, 4) + 0.5 * rng.standard_normal((4000, 4))
        return Signal(x[:, None, :, None], 1.0, t, ("x",), tuple(f"r{i}" for i in range(4)))


def get(name: str) -> type[Analyzer]:
    """Analyzer class by name (case-insensitive; aliases such as ``"fcd"``, ``"psd"``)."""
    return _REGISTRY.get(name)


def list_analyzers() -> list[str]:
    """Names of all registered analyzers."""
    return _REGISTRY.names()
