"""Forward models: lead fields (gain matrices) from sources to EEG/MEG sensors."""

from vbrain.forward.leadfield import (
    DEFAULT_CONDUCTIVITIES,
    check_bem_surfaces,
    compute_leadfield,
    leadfield_cache_dir,
    load_bem_surfaces,
    points_inside,
    resample_radially,
)

__all__ = [
    "DEFAULT_CONDUCTIVITIES",
    "check_bem_surfaces",
    "compute_leadfield",
    "leadfield_cache_dir",
    "load_bem_surfaces",
    "points_inside",
    "resample_radially",
]
