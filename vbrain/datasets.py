"""Default datasets: the connectomes, sensors, gain matrices and region mappings shipped with
the ``tvb-data`` package.

``tvb_data`` is imported only when a dataset is first asked for, so ``import vbrain`` stays
fast.  Parsed connectivities are cached per process; every call returns an independent copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.datatypes.local_connectivity import LocalConnectivity
from vbrain.datatypes.projections import ProjectionMatrix
from vbrain.datatypes.region_mapping import RegionMapping
from vbrain.datatypes.sensors import Sensors
from vbrain.datatypes.surface import Surface
from vbrain.io.connectivity import read_connectivity

__all__ = [
    "list_connectivities",
    "list_local_connectivities",
    "list_projections",
    "list_region_mappings",
    "list_sensors",
    "list_surfaces",
    "load_connectivity",
    "load_local_connectivity",
    "load_projection",
    "load_region_mapping",
    "load_sensors",
    "load_surface",
]

_CACHE: dict[str, Connectivity] = {}
_LOCK = threading.Lock()


def _connectivity_dir() -> Path:
    try:
        import tvb_data
    except ImportError:
        raise ImportError(
            "the default connectomes come from the 'tvb-data' package; install it with "
            "`pip install tvb-data`"
        ) from None
    return Path(tvb_data.__file__).resolve().parent / "connectivity"


def list_connectivities() -> list[str]:
    """Names of the connectomes shipped with ``tvb-data``.

    Returns
    -------
    list of str
        Names such as ``"connectivity_76"`` or ``"paupau"``, sorted by number of regions
        where the name has one, then alphabetically.
    """
    names = [p.stem for p in _connectivity_dir().glob("*.zip")]

    def order(name: str) -> tuple[int, str]:
        tail = name.rsplit("_", 1)[-1]
        return (int(tail) if tail.isdigit() else 10**9, name)

    return sorted(names, key=order)


def _resolve(name_or_n: int | str) -> str:
    available = list_connectivities()
    if isinstance(name_or_n, bool):
        key = None
    elif isinstance(name_or_n, int):
        key = f"connectivity_{name_or_n}"
    elif isinstance(name_or_n, str):
        key = name_or_n.strip()
        key = key[:-4] if key.lower().endswith(".zip") else key
        if key.isdigit():
            key = f"connectivity_{key}"
    else:
        key = None
    if key not in available:
        numbers = [n.rsplit("_", 1)[-1] for n in available if n.startswith("connectivity_")]
        raise ValidationError(
            f"no connectivity {name_or_n!r} in tvb-data; available: {', '.join(available)} "
            f"(or by number of regions: {', '.join(numbers)})"
        )
    return key


def load_connectivity(name_or_n: int | str = 76) -> Connectivity:
    """Load one of the connectomes shipped with ``tvb-data``.

    Parameters
    ----------
    name_or_n : int or str, default 76
        Number of regions (66, 68, 76, 96, 192) or a name from :func:`list_connectivities`
        (e.g. ``"connectivity_76"``, ``"paupau"``; a ``.zip`` suffix is allowed).

    Returns
    -------
    Connectivity
        A fresh copy (speed 3.0 mm/ms); changing it does not affect later loads.

    Raises
    ------
    ValidationError
        When no such connectome exists; the message lists the available ones.

    Examples
    --------
    >>> conn = load_connectivity(76)
    >>> conn.n_region, conn.n_nonzero
    (76, 1560)
    """
    key = _resolve(name_or_n)
    with _LOCK:
        conn = _CACHE.get(key)
        if conn is None:
            conn = read_connectivity(_connectivity_dir() / f"{key}.zip")
            _CACHE[key] = conn
    return conn.model_copy(deep=True)


# --------------------------------------------------------------------------------------
# Sensors, projection (gain) matrices and region mappings, by short name

_DATA_CACHE: dict[tuple[str, str], Any] = {}


def _tvb_data_dir(sub: str) -> Path:
    return _connectivity_dir().parent / sub


def _strip_suffixes(name: str) -> str:
    for suffix in (".bz2", ".gz", ".zip", ".txt", ".npy", ".mat"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _data_files(sub: str, short: Callable[[str], str | None]) -> dict[str, Path]:
    """Files of a tvb-data folder by short name (the key ``short`` derives from the stem)."""
    folder = _tvb_data_dir(sub)
    out: dict[str, Path] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix == ".py" or not path.is_file():
            continue
        key = short(_strip_suffixes(path.name))
        if key is not None:
            out[key] = path
    return out


def _ordered(names: Iterable[str]) -> list[str]:
    def order(name: str) -> tuple[str, int, str]:
        head, _, tail = name.rpartition("_")
        return (head, int(tail) if tail.isdigit() else 10**9, name)

    return sorted(names, key=order)


def _sensors_key(stem: str) -> str | None:
    # eeg_brainstorm_65 -> eeg_65, meg_151 -> meg_151, seeg_brainstorm_960 -> seeg_960
    parts = stem.split("_")
    if len(parts) >= 2 and parts[-1].isdigit():
        return f"{parts[0].lower()}_{parts[-1]}"
    return stem


def _projection_key(stem: str) -> str | None:
    # projection_eeg_65_surface_16k -> eeg_65
    parts = stem.split("_")
    if len(parts) >= 3 and parts[0] == "projection" and parts[2].isdigit():
        return f"{parts[1].lower()}_{parts[2]}"
    return stem


def _region_mapping_key(stem: str) -> str | None:
    # regionMapping_16k_76 -> 16k_76
    prefix = "regionMapping_"
    return stem[len(prefix) :] if stem.startswith(prefix) else stem


_KINDS: dict[str, tuple[str, Callable[[str], str | None]]] = {
    "sensors": ("sensors", _sensors_key),
    "projection": ("projectionMatrix", _projection_key),
    "region mapping": ("regionMapping", _region_mapping_key),
}


def _find(kind: str, name: Any) -> tuple[str, Path]:
    sub, short = _KINDS[kind]
    files = _data_files(sub, short)
    key = None
    if isinstance(name, str):
        wanted = _strip_suffixes(Path(name.strip()).name)
        key = wanted if wanted in files else short(wanted)
        if key not in files:  # case-insensitive match of short names
            lowered = {k.lower(): k for k in files}
            key = lowered.get(wanted.lower(), key)
    elif kind == "region mapping" and isinstance(name, int) and not isinstance(name, bool):
        matches = [k for k in files if k.rsplit("_", 1)[-1] == str(name)]
        key = matches[0] if len(matches) == 1 else None
    if key not in files:
        raise ValidationError(
            f"no {kind} {name!r} in tvb-data; available: {', '.join(_ordered(files))} "
            "(or their file names)"
        )
    return key, files[key]


def list_sensors() -> list[str]:
    """Short names of the sensor sets shipped with ``tvb-data``.

    Returns
    -------
    list of str
        E.g. ``"eeg_62"`` (``eeg_unitvector_62.txt.bz2``), ``"eeg_65"``
        (``eeg_brainstorm_65.txt``), ``"meg_151"``, ``"meg_276"``, ``"seeg_39"``,
        ``"seeg_588"``: the modality and the number in the file name (which is not always
        the number of sensors: ``seeg_39`` holds 103 contacts).
    """
    return _ordered(_data_files(*_KINDS["sensors"]))


def list_projections() -> list[str]:
    """Short names of the gain matrices shipped with ``tvb-data`` (e.g. ``"eeg_65"``,
    ``"eeg_62"``, ``"meg_276"``: modality and sensors, all for the 16 384-vertex cortex)."""
    return _ordered(_data_files(*_KINDS["projection"]))


def list_region_mappings() -> list[str]:
    """Short names of the region mappings shipped with ``tvb-data`` (e.g. ``"16k_76"``:
    the 16 384-vertex cortex onto the 76-region connectome)."""
    return _ordered(_data_files(*_KINDS["region mapping"]))


def _cached(kind: str, key: str, load: Callable[[], Any]) -> Any:
    with _LOCK:
        obj = _DATA_CACHE.get((kind, key))
        if obj is None:
            obj = load()
            _DATA_CACHE[(kind, key)] = obj
    return obj.model_copy(deep=True)


def load_sensors(name: str) -> Sensors:
    """Load a sensor set shipped with ``tvb-data``.

    Parameters
    ----------
    name : str
        A short name from :func:`list_sensors` (``"eeg_65"``, ``"eeg_62"``, ``"meg_151"``,
        ``"meg_276"``, ``"seeg_39"``, ``"seeg_588"``, ...) or the file name
        (``"eeg_brainstorm_65.txt"``).

    Returns
    -------
    Sensors
        :class:`SensorsEEG`, :class:`SensorsMEG` or :class:`SensorsInternal` (by the name's
        modality); a fresh copy.

    Raises
    ------
    ValidationError
        When there is no such set; the message lists the available ones.

    Examples
    --------
    >>> load_sensors("eeg_65").n_sensors
    65
    """
    from vbrain.io.sensors import read_sensors

    key, path = _find("sensors", name)
    return _cached("sensors", key, lambda: read_sensors(path))


def load_projection(name: str, *, with_sensors: bool = True) -> ProjectionMatrix:
    """Load a gain (lead-field) matrix shipped with ``tvb-data``.

    The shipped matrices contain NaNs (channels without a lead field); they are set to 0 with
    a :class:`~vbrain.datatypes.projections.NonFiniteGainWarning`.

    Parameters
    ----------
    name : str
        A short name from :func:`list_projections` (``"eeg_65"`` -> (65, 16384),
        ``"eeg_62"`` -> (62, 16384), ``"meg_276"`` -> (276, 16384)) or the file name.
    with_sensors : bool, default True
        Attach the shipped sensor set of the same short name when there is one with as many
        sensors as the matrix has rows.

    Returns
    -------
    ProjectionMatrix
        Gain ``(n_sensors, n_vertices)`` over the vertices of the 16k cortical surface; use it
        with :func:`load_region_mapping` (``"16k_76"``) for region simulations.

    Raises
    ------
    ValidationError
        When there is no such matrix; the message lists the available ones.
    """
    from vbrain.io.projections import read_projection

    key, path = _find("projection", name)
    # loaded outside the cache lock (which is not re-entrant)
    sensors = load_sensors(key) if with_sensors and key in list_sensors() else None

    def load() -> ProjectionMatrix:
        proj = read_projection(path)
        if sensors is not None and sensors.n_sensors == proj.n_sensors:
            proj = ProjectionMatrix(gain=proj.gain, modality=proj.modality, sensors=sensors)
        return proj

    return _cached(f"projection:{with_sensors}", key, load)


def load_region_mapping(name: str | int = "16k_76") -> RegionMapping:
    """Load a region mapping shipped with ``tvb-data``.

    Parameters
    ----------
    name : str or int, default "16k_76"
        A short name from :func:`list_region_mappings` (``"16k_76"``: 16 384 vertices onto
        76 regions; ``"16k_192"``), the file name, or the number of regions (76, 192).

    Returns
    -------
    RegionMapping
        A fresh copy.

    Raises
    ------
    ValidationError
        When there is no such mapping; the message lists the available ones.
    """
    from vbrain.io.region_mapping import read_region_mapping

    key, path = _find("region mapping", name)
    return _cached("region_mapping", key, lambda: read_region_mapping(path))


# --------------------------------------------------------------------------------------
# Surfaces, by short name

# short name -> (tvb-data folder, file name, surface type); file stems are accepted too
_SURFACES: dict[str, tuple[str, str, str]] = {
    "cortex_16k": ("surfaceData", "cortex_16384.zip", "cortical"),
    "inner_skull": ("surfaceData", "inner_skull_4096.zip", "inner_skull"),
    "outer_skull": ("surfaceData", "outer_skull_4096.zip", "outer_skull"),
    "outer_skin": ("surfaceData", "outer_skin_4096.zip", "outer_skin"),
    "scalp": ("surfaceData", "scalp_1082.zip", "eeg_cap"),
    "face": ("surfaceData", "face_8614.zip", "face"),
    "eeg_cap": ("obj", "eeg_cap.obj", "eeg_cap"),
    "face_obj": ("obj", "face_surface.obj", "face"),
    "cortex_gifti": ("gifti", "sample.cortex.gii", "cortical"),
}
_SURFACE_ALIASES = {"cortex": "cortex_16k", "skin": "outer_skin", "head": "outer_skin"}


def list_surfaces() -> list[str]:
    """Short names of the surfaces shipped with ``tvb-data`` (those whose file exists).

    Returns
    -------
    list of str
        ``"cortex_16k"`` (16 384 vertices), ``"inner_skull"``, ``"outer_skull"``,
        ``"outer_skin"`` (4096 vertices each: the three BEM boundaries), ``"scalp"`` (the
        1082-vertex EEG cap of ``scalp_1082.zip``), ``"face"`` (8614 vertices),
        ``"eeg_cap"`` and ``"face_obj"`` (the OBJ files), ``"cortex_gifti"`` (a 131 342-vertex
        GIfTI cortex; needs nibabel).
    """
    base = _connectivity_dir().parent
    return [k for k, (sub, fname, _) in _SURFACES.items() if (base / sub / fname).is_file()]


def load_surface(name: str = "cortex_16k") -> Surface:
    """Load a surface shipped with ``tvb-data``.

    Parameters
    ----------
    name : str, default "cortex_16k"
        A short name from :func:`list_surfaces` (also ``"cortex"``, ``"skin"``) or a file
        stem/name such as ``"inner_skull_4096"`` or ``"cortex_16384.zip"``.

    Returns
    -------
    Surface
        Of the matching kind (:class:`~vbrain.datatypes.surface.CorticalSurface`,
        :class:`~vbrain.datatypes.surface.BrainSkull`, ...); a fresh copy.

    Raises
    ------
    ValidationError
        When there is no such surface; the message lists the available ones.

    Examples
    --------
    >>> load_surface("cortex_16k").n_vertices
    16384
    """
    from vbrain.io.surface import read_surface

    available = list_surfaces()
    key = None
    if isinstance(name, str):
        wanted = Path(name.strip()).name.lower()
        wanted = _SURFACE_ALIASES.get(wanted, wanted)
        for short, (_, fname, _) in _SURFACES.items():
            if wanted in (short, fname.lower(), _strip_suffixes(fname).lower()):
                key = short
    if key not in available:
        raise ValidationError(
            f"no surface {name!r} in tvb-data; available: {', '.join(available)} "
            "(or their file names)"
        )
    sub, fname, kind = _SURFACES[key]
    path = _tvb_data_dir(sub) / fname
    return _cached("surface", key, lambda: read_surface(path, kind))


# --------------------------------------------------------------------------------------
# Local connectivity matrices, by short name

# short name -> file of tvb-data's local_connectivity folder
_LOCAL_CONNECTIVITIES: dict[str, str] = {"16k": "local_connectivity_16384.mat"}


def list_local_connectivities() -> list[str]:
    """Short names of the local connectivity matrices shipped with ``tvb-data`` (``"16k"``:
    the 16 384-vertex cortex, each vertex averaging its mesh neighbours)."""
    folder = _tvb_data_dir("local_connectivity")
    return [k for k, fname in _LOCAL_CONNECTIVITIES.items() if (folder / fname).is_file()]


def load_local_connectivity(name: str = "16k", *, with_surface: bool = False) -> LocalConnectivity:
    """Load a local connectivity shipped with ``tvb-data``.

    Parameters
    ----------
    name : str, default "16k"
        ``"16k"`` (also ``"16384"``, ``"local_connectivity_16384"`` or the file name).
    with_surface : bool, default False
        Attach the matching surface (``load_surface("cortex_16k")``).

    Returns
    -------
    LocalConnectivity
        16384 x 16384 with 98 280 non-zeros for ``"16k"`` (weight 1/degree to each mesh
        neighbour, rows summing to 1); a fresh copy.

    Raises
    ------
    ValidationError
        When there is no such matrix; the message lists the available ones.

    Examples
    --------
    >>> lc = load_local_connectivity("16k")
    >>> lc.n_vertices, lc.nnz
    (16384, 98280)
    """
    from vbrain.io.local_connectivity import read_local_connectivity

    key = None
    if isinstance(name, str):
        wanted = _strip_suffixes(Path(name.strip()).name).lower()
        for short, fname in _LOCAL_CONNECTIVITIES.items():
            stem = _strip_suffixes(fname).lower()
            if wanted in (short, stem, stem.rsplit("_", 1)[-1]):
                key = short
    available = list_local_connectivities()
    if key not in available:
        raise ValidationError(
            f"no local connectivity {name!r} in tvb-data; available: {', '.join(available)}"
        )
    path = _tvb_data_dir("local_connectivity") / _LOCAL_CONNECTIVITIES[key]
    lc = _cached("local_connectivity", key, lambda: read_local_connectivity(path))
    if with_surface:
        surface = load_surface(_LOCAL_SURFACES[key])
        lc = LocalConnectivity(data=lc.data, indices=lc.indices, indptr=lc.indptr, surface=surface)
    return lc


_LOCAL_SURFACES = {"16k": "cortex_16k"}
