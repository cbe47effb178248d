"""Projection (gain, lead-field) matrices: from sources to sensor signals.

A gain matrix ``G`` of shape ``(n_sensors, n_sources)`` maps source activity ``x`` (one value
per cortical vertex, or per region) to sensor signals ``G @ x``.  The matrices shipped with
the reference system contain NaNs (sensors without a computed lead field); they are replaced by
zeros here, with a warning saying how many, because a forward model must never emit NaNs.
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError
from vbrain.datatypes.base import DataType
from vbrain.datatypes.sensors import Sensors, sensors_class

__all__ = ["MODALITIES", "NonFiniteGainWarning", "ProjectionMatrix", "oriented_gain"]

MODALITIES = ("EEG", "MEG", "SEEG")
"""Recording modalities of projection matrices and sensors."""


class NonFiniteGainWarning(UserWarning):
    """NaN or infinite gain coefficients were replaced by zeros."""


def zero_nonfinite(gain: np.ndarray, what: str = "gain matrix") -> np.ndarray:
    """Replace NaN/inf entries of ``gain`` (in place) by 0, warning how many there were.

    Parameters
    ----------
    gain : numpy.ndarray
        Float array, modified in place.
    what : str
        How the array is named in the warning.

    Returns
    -------
    numpy.ndarray
        ``gain`` itself.
    """
    bad = ~np.isfinite(gain)
    n_bad = int(bad.sum())
    if n_bad:
        rows = int(bad.any(axis=1).sum()) if gain.ndim == 2 else 0
        where = f" in {rows} of {gain.shape[0]} sensor rows" if gain.ndim == 2 else ""
        warnings.warn(
            f"{what}: {n_bad} of {gain.size} coefficients are NaN or infinite{where}; "
            "they are set to 0",
            NonFiniteGainWarning,
            stacklevel=3,
        )
        gain[bad] = 0.0
    return gain


def oriented_gain(gain: Any, orientations: Any) -> np.ndarray:
    """Gain of oriented dipoles from a free-orientation (x, y, z per source) gain.

    Parameters
    ----------
    gain : array_like, shape (n_sensors, 3 * n_sources)
        Columns ``3k, 3k+1, 3k+2`` are the gains of unit dipoles along x, y, z at source k
        (Brainstorm's ``Gain`` layout).
    orientations : array_like, shape (n_sources, 3)
        Dipole orientation of each source (e.g. surface normals, Brainstorm's ``GridOrient``).

    Returns
    -------
    numpy.ndarray, shape (n_sensors, n_sources)
        ``(gain.reshape(n_sensors, -1, 3) * orientations).sum(-1)``.
    """
    g = np.asarray(gain, dtype=float)
    ori = np.asarray(orientations, dtype=float)
    if g.ndim != 2 or g.shape[1] % 3:
        raise ValidationError(
            f"free-orientation gain has shape {g.shape}; expected (n_sensors, 3 * n_sources)"
        )
    n_src = g.shape[1] // 3
    if ori.shape != (n_src, 3):
        raise ValidationError(
            f"orientations have shape {ori.shape} but the gain has {g.shape[1]} columns "
            f"({n_src} sources x 3); expected ({n_src}, 3)"
        )
    return (g.reshape(g.shape[0], n_src, 3) * ori).sum(axis=-1)


def _as_sensors(value: Any, modality: str | None) -> Any:
    """A dict (e.g. from ``to_dict``) becomes the sensors class of the modality."""
    if isinstance(value, dict):
        return sensors_class(modality)(**value)
    return value


class ProjectionMatrix(DataType):
    """A gain (lead-field) matrix from sources to sensors.

    Parameters
    ----------
    gain : array_like, shape (n_sensors, n_sources)
        Gain coefficients.  NaN/inf entries are set to 0 with a
        :class:`NonFiniteGainWarning`.  Sources are cortical vertices (a surface lead field)
        or regions.
    modality : {"EEG", "MEG", "SEEG"} or None
        What the sensors record; None when unknown.
    sensors : Sensors, optional
        The sensors of the rows; their number must match, and rows of unusable sensors are
        set to 0.  Must be of the modality's class (e.g. :class:`SensorsMEG` for MEG).

    Examples
    --------
    >>> p = ProjectionMatrix(gain=[[1.0, 0.5, 0.0], [0.0, 1.0, 2.0]], modality="EEG")
    >>> p.n_sensors, p.n_sources
    (2, 3)
    """

    kind = "projection"

    gain: Array(float, 2) = Attr(
        label="Gain matrix", doc="""Gain from each source (column) to each sensor (row)."""
    )
    modality: str | None = Attr(
        None,
        label="Modality",
        options=[*MODALITIES, None],
        doc="""Recording modality: EEG, MEG or SEEG (None: unknown).""",
    )
    sensors: Annotated[Sensors | None, pydantic.SerializeAsAny()] = Attr(
        None, label="Sensors", doc="""The sensors of the rows (optional)."""
    )

    @pydantic.model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        modality = data.get("modality")
        if isinstance(modality, str) and modality.upper() in (*MODALITIES, "IEEG"):
            modality = "SEEG" if modality.upper() == "IEEG" else modality.upper()
            data["modality"] = modality
        if data.get("sensors") is not None:
            try:
                data["sensors"] = _as_sensors(data["sensors"], modality)
            except ValidationError as exc:
                raise ValueError(f"sensors: {exc}") from None
        gain = data.get("gain")
        if gain is not None:
            try:
                arr = np.array(gain, dtype=float)
            except (TypeError, ValueError):
                return data  # the gain field reports the problem
            data["gain"] = zero_nonfinite(arr, "ProjectionMatrix.gain")
        return data

    @pydantic.model_validator(mode="after")
    def _check(self) -> ProjectionMatrix:
        if self.gain.size == 0:
            raise ValueError(
                f"ProjectionMatrix.gain has shape {self.gain.shape}; at least one sensor and "
                "one source are needed"
            )
        sensors = self.sensors
        if sensors is None:
            return self
        if self.modality is not None and not isinstance(sensors, sensors_class(self.modality)):
            raise ValueError(
                f"ProjectionMatrix of modality {self.modality} needs "
                f"{sensors_class(self.modality).__name__} sensors, got {type(sensors).__name__}"
            )
        if sensors.n_sensors != self.gain.shape[0]:
            raise ValueError(
                f"ProjectionMatrix.gain has {self.gain.shape[0]} rows but the sensors have "
                f"{sensors.n_sensors}; one gain row per sensor is needed"
            )
        if not sensors.usable.all():
            # gains of channels without brain signal (EOG, ECG, triggers) must be zero
            self.gain[~sensors.usable] = 0.0
        return self

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_sensors(self) -> int:
        """Number of rows (sensors)."""
        return int(self.gain.shape[0])

    @property
    def n_sources(self) -> int:
        """Number of columns (vertices or regions)."""
        return int(self.gain.shape[1])

    def summary(self) -> dict[str, Any]:
        """Key figures: modality, shape, gain range, number of all-zero sensor rows."""
        g = self.gain
        return {
            "type": self.type_name,
            "modality": self.modality,
            "n_sensors": self.n_sensors,
            "n_sources": self.n_sources,
            "gain_min": float(g.min()),
            "gain_max": float(g.max()),
            "gain_mean": float(g.mean()),
            "n_zero_rows": int((~g.any(axis=1)).sum()),
            "sensors": None if self.sensors is None else self.sensors.gid,
        }

    @classmethod
    def example(cls) -> ProjectionMatrix:
        """An EEG gain from 6 sources to the 4 electrodes of :meth:`SensorsEEG.example`."""
        from vbrain.datatypes.sensors import SensorsEEG

        gain = np.array(
            [
                [1.0, 0.5, 0.2, 0.0, -0.1, 0.3],
                [0.2, 1.0, 0.4, 0.1, 0.0, -0.2],
                [0.0, 0.3, 1.0, 0.6, 0.2, 0.1],
                [-0.3, 0.1, 0.2, 1.0, 0.8, 0.4],
            ]
        )
        return cls(gain=gain, modality="EEG", sensors=SensorsEEG.example())
