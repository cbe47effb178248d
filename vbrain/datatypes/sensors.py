"""Sensors: the positions (and, for MEG, orientations) of recording channels.

Coordinates are in mm, in the same space as the connectivity centres and the cortical surface
(the convention of the reference system's shipped data).  Real recordings contain channels
that are not brain signals (EOG, ECG, triggers, reference coils); they are kept in the set but
flagged in ``usable`` so that forward models give them zero gain.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pydantic

from vbrain.config.traits import Array, Attr, ValidationError, as_labels
from vbrain.datatypes.base import DataType

__all__ = ["Sensors", "SensorsEEG", "SensorsInternal", "SensorsMEG", "sensors_class"]


def _as_labels(value: Any) -> tuple[str, ...]:
    return as_labels(value, "sensor", non_empty=True)


class Sensors(DataType):
    """A set of ``n`` recording sensors.

    Parameters
    ----------
    labels : sequence of str, length n
        Channel names; they must be unique (an EEG reference electrode is chosen by label).
    locations : array_like, shape (n, 3)
        Sensor positions in mm.
    orientations : array_like, shape (n, 3), optional
        Sensor orientations (coil normals for MEG); required by :class:`SensorsMEG`.
    usable : array_like of bool, shape (n,), optional
        False for channels that carry no brain signal; they get zero gain.  Default all True.

    Examples
    --------
    >>> s = SensorsEEG(labels=["Cz", "Pz"], locations=[[0, 0, 90.0], [0, -60, 70]])
    >>> s.n_sensors, s.index("Pz")
    (2, 1)
    """

    kind = "sensors"
    modality: ClassVar[str | None] = None
    """``"EEG"``, ``"MEG"`` or ``"SEEG"`` for the specialised sets; None for a generic set."""

    labels: tuple[str, ...] = Attr(label="Labels", doc="""Unique name of each sensor.""")
    locations: Array(float, 2, (None, 3)) = Attr(
        label="Locations", unit="mm", doc="""Position of each sensor (n x 3)."""
    )
    orientations: Array(float, 2, (None, 3)) | None = Attr(
        None,
        label="Orientations",
        doc="""Orientation of each sensor (n x 3), e.g. the normal of an MEG coil.""",
    )
    usable: Array(bool, 1) = Attr(
        None,
        label="Usable sensors",
        doc="""False for channels without brain signal (EOG, ECG, triggers): zero gain.""",
    )

    @pydantic.model_validator(mode="before")
    @classmethod
    def _fill_usable(cls, data: Any) -> Any:
        # default: every sensor usable, one flag per location given
        if isinstance(data, dict) and data.get("usable") is None:
            try:
                n = len(data["locations"])
            except (KeyError, TypeError):
                return data  # the locations field reports the problem
            data = {**data, "usable": np.ones(n, bool)}
        return data

    @pydantic.field_validator("labels", mode="before")
    @classmethod
    def _check_labels(cls, value: Any) -> tuple[str, ...]:
        return _as_labels(value)

    @pydantic.model_validator(mode="after")
    def _check_shapes(self) -> Sensors:
        name = type(self).__name__
        n = len(self.labels)
        if n == 0:
            raise ValueError(f"{name} has no sensors; at least one label and location is needed")
        if self.locations.shape[0] != n:
            raise ValueError(
                f"{name}.locations has {self.locations.shape[0]} rows but there are {n} labels; "
                "one location (x y z, mm) per sensor is needed"
            )
        if self.orientations is not None and self.orientations.shape[0] != n:
            raise ValueError(
                f"{name}.orientations has {self.orientations.shape[0]} rows but there are {n} "
                "labels; one orientation (x y z) per sensor is needed"
            )
        if self.usable.shape[0] != n:
            raise ValueError(
                f"{name}.usable has {self.usable.shape[0]} flags but there are {n} labels; "
                "one flag per sensor is needed"
            )
        seen: dict[str, int] = {}
        for i, label in enumerate(self.labels):
            if label in seen:
                raise ValueError(
                    f"{name}.labels: {label!r} appears at positions {seen[label]} and {i}; "
                    "sensor labels must be unique"
                )
            seen[label] = i
        return self

    # -- derived quantities ------------------------------------------------------------

    @property
    def n_sensors(self) -> int:
        """Number of sensors ``n``."""
        return len(self.labels)

    @property
    def has_orientations(self) -> bool:
        """True when orientations are given."""
        return self.orientations is not None

    def index(self, label: str) -> int:
        """Position of the sensor called ``label``.

        Raises
        ------
        ValidationError
            When there is no such sensor; the message lists some of the labels.
        """
        try:
            return self.labels.index(label)
        except ValueError:
            shown = ", ".join(self.labels[:12]) + (", ..." if self.n_sensors > 12 else "")
            raise ValidationError(
                f"{type(self).__name__} has no sensor {label!r}; labels are {shown}"
            ) from None

    def summary(self) -> dict[str, Any]:
        """Key figures: modality, number of sensors (usable ones), location extent (mm)."""
        loc = self.locations
        return {
            "type": self.type_name,
            "modality": self.modality,
            "n_sensors": self.n_sensors,
            "n_usable": int(self.usable.sum()),
            "has_orientations": self.has_orientations,
            "locations_min": loc.min(axis=0).tolist(),
            "locations_max": loc.max(axis=0).tolist(),
        }

    @classmethod
    def example(cls) -> Sensors:
        """Four sensors on a sphere of 90 mm (orientations radial, one unusable channel)."""
        locations = np.array([[90.0, 0, 0], [0, 90.0, 0], [-90.0, 0, 0], [0, 0, 90.0]])
        return cls(
            labels=["S1", "S2", "S3", "S4"],
            locations=locations,
            orientations=locations / 90.0,
            usable=[True, True, True, False],
        )


class SensorsEEG(Sensors):
    """Scalp EEG electrodes (positions only; a unit-vector file gives directions)."""

    modality: ClassVar[str | None] = "EEG"

    @classmethod
    def example(cls) -> SensorsEEG:
        """Four electrodes on a sphere of 90 mm, all usable."""
        locations = np.array([[90.0, 0, 0], [0, 90.0, 0], [-90.0, 0, 0], [0, 0, 90.0]])
        return cls(labels=["Fz", "C3", "Oz", "Cz"], locations=locations)


class SensorsMEG(Sensors):
    """MEG coils: positions and orientations (coil normals) are both required."""

    modality: ClassVar[str | None] = "MEG"

    @pydantic.model_validator(mode="after")
    def _need_orientations(self) -> SensorsMEG:
        if self.orientations is None:
            raise ValueError(
                "SensorsMEG needs orientations (n x 3, the coil normals) as well as locations"
            )
        return self

    @classmethod
    def example(cls) -> SensorsMEG:
        """Four radial magnetometers on a sphere of 110 mm."""
        directions = np.array([[1.0, 0, 0], [0, 1.0, 0], [-1.0, 0, 0], [0, 0, 1.0]])
        return cls(
            labels=["M1", "M2", "M3", "M4"], locations=110.0 * directions, orientations=directions
        )


class SensorsInternal(Sensors):
    """Intracerebral (stereo-EEG, sEEG) contacts inside the brain."""

    modality: ClassVar[str | None] = "SEEG"

    @classmethod
    def example(cls) -> SensorsInternal:
        """One electrode shaft of four contacts 3.5 mm apart."""
        locations = np.array([[20.0 + 3.5 * k, -10.0, 15.0] for k in range(4)])
        return cls(labels=["A1", "A2", "A3", "A4"], locations=locations)


_BY_MODALITY: dict[str, type[Sensors]] = {
    "EEG": SensorsEEG,
    "MEG": SensorsMEG,
    "SEEG": SensorsInternal,
    "IEEG": SensorsInternal,
    "INTERNAL": SensorsInternal,
}


def sensors_class(modality: str | None) -> type[Sensors]:
    """The sensors class of a modality (``"EEG"``, ``"MEG"``, ``"SEEG"``; None: generic).

    Raises
    ------
    ValidationError
        For an unknown modality; the message lists the known ones.
    """
    if modality is None:
        return Sensors
    cls = _BY_MODALITY.get(str(modality).upper())
    if cls is None:
        raise ValidationError(
            f"unknown sensor modality {modality!r}; use 'EEG', 'MEG' or 'SEEG' (or None)"
        )
    return cls
