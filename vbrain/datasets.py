"""Default datasets: the connectomes shipped with the ``tvb-data`` package.

``tvb_data`` is imported only when a dataset is first asked for, so ``import vbrain`` stays
fast.  Parsed connectivities are cached per process; every call returns an independent copy.
"""

from __future__ import annotations

import threading
from pathlib import Path

from vbrain.config.traits import ValidationError
from vbrain.datatypes.connectivity import Connectivity
from vbrain.io.connectivity import read_connectivity

__all__ = ["list_connectivities", "load_connectivity"]

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
