"""Paths between two latent codes: the frames of a morph.

linear     z(t) = (1 - t) a + t b. Under a N(0, I) prior its middle has a smaller
           norm than typical codes (the "thin shell" in 20-D), so it can cut
           through low-density regions.
spherical  slerp of the directions with the norm interpolated linearly, so the
           norm profile runs monotonically from |a| to |b| (White, "Sampling
           Generative Networks", 2016, for the direction part). Opposite codes
           (and the origin) leave no plane to turn in: there it is the line.
geodesic   the path whose decoded images change least (vae/geodesic.py); it needs
           the model, so `interpolate` leaves it to `vae.geodesic.geodesic_path`.
All return exactly a and b as the first and last frames.
"""

from __future__ import annotations

import numpy as np

METHODS = ("linear", "spherical", "geodesic")


def interpolate(a: np.ndarray, b: np.ndarray, frames: int, method: str = "linear") -> np.ndarray:
    """(frames, latent) codes from a to b inclusive."""
    if frames < 2:
        raise ValueError(f"a path needs at least 2 frames, got {frames}")
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    t = np.linspace(0.0, 1.0, frames)[:, None]  # (F, 1)
    if method == "linear":
        path = (1 - t) * a + t * b
    elif method == "spherical":
        path = _slerp_with_linear_norm(a, b, t)
    elif method == "geodesic":
        raise ValueError("a geodesic needs the decoder: use vae.geodesic.geodesic_path")
    else:
        raise ValueError(f"unknown path method {method!r}; choose from {METHODS}")
    path[0], path[-1] = a, b  # exact endpoints, whatever rounding did
    return path.astype(np.float32)


def _slerp_with_linear_norm(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    if norm_a < 1e-12 or norm_b < 1e-12:
        return (1 - t) * a + t * b  # a direction is undefined at the origin
    unit_a, unit_b = a / norm_a, b / norm_b
    omega = np.arccos(np.clip(unit_a @ unit_b, -1.0, 1.0))
    if omega > np.pi - 1e-6:
        return (1 - t) * a + t * b  # opposite directions: no plane to turn in, so the straight line
    if omega < 1e-6:
        direction = (1 - t) * unit_a + t * unit_b
    else:
        direction = (np.sin((1 - t) * omega) * unit_a + np.sin(t * omega) * unit_b) / np.sin(omega)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return direction * ((1 - t) * norm_a + t * norm_b)
