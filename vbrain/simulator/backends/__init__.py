"""Simulation backends: a numpy reference path and fused numba kernels."""
