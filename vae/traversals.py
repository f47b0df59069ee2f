"""Looking inside one model: latent traversals and per-dimension KL (the numpy reference of the viewer's
traversals, viewer/explore/panel/traversals.js; its samples from the prior are explorer/lesson_draws.py's).

A traversal holds a digit's code fixed and sweeps one latent dimension at a time
across the prior's range (-3 to +3 standard deviations of N(0, 1)); dimensions
the model does not use leave the picture unchanged. This is where beta shows:
higher beta switches more dimensions off.
"""

from __future__ import annotations

import numpy as np

from .config import ACTIVE_UNIT_THRESHOLD


def traversal_codes(z: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(latent, steps, latent) codes: row i is z with dimension i set to each of `values`."""
    latent, steps = len(z), len(values)
    codes = np.repeat(np.asarray(z, dtype=np.float32)[None, None, :], latent, axis=0).repeat(steps, axis=1)
    codes[np.arange(latent), :, np.arange(latent)] = values
    return codes


def traverse(model, z: np.ndarray, steps: int = 9, reach: float = 3.0) -> np.ndarray:
    """Decoded traversal grid (latent, steps, 28, 28) around code z (latent,)."""
    codes = traversal_codes(z, np.linspace(-reach, reach, steps, dtype=np.float32))
    return model.decode(codes.reshape(-1, len(z))).reshape(len(z), steps, 28, 28)


def kl_per_dimension(mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """Mean KL(q(z_i|x) || N(0, 1)) over the digits, per dimension (latent,); sums to the mean KL."""
    return (-0.5 * (1 + logvar - mu**2 - np.exp(logvar))).mean(axis=0)


def active_dimensions(mu: np.ndarray) -> np.ndarray:
    """Boolean (latent,): Cov_x(mu_i) > 0.01 (Burda et al. 2016)."""
    return mu.var(axis=0, ddof=1) > ACTIVE_UNIT_THRESHOLD
