"""Sampling made visible: the prior N(0, I), the posterior q(z|x) = N(mu, sigma^2), and the z = 2 plane.

The lesson page shows what these functions return, on the shipped models:

- `prior_codes`: z ~ N(0, I), seeded, so a "new samples" button and a link reproduce the same draw;
- `posterior_codes`: the reparameterization trick, z = mu + sigma * eps with eps ~ N(0, I), seeded;
- `ellipse`: the k-sigma contour of a diagonal Gaussian on a plane (q(z|x) or the prior);
- `plane_box` / `manifold_codes`: the box that holds a z = 2 model's test codes (the 0.5-99.5
  percentiles, the same box the model card's empty-share figure uses) and a grid of codes over it;
- `nearest_code`: how far a point of the plane is from the closest test code (in latent units and
  in units of the typical spacing between neighbouring codes), the honest test of "empty".
Plain numpy: the page and the tests call them directly.
"""

from __future__ import annotations

import numpy as np

READABLE = 0.9  # the model card's threshold: a sample "reads as a digit" when the classifier is this sure
PLANE_PERCENTILES = (0.5, 99.5)


def prior_codes(latent_size: int, count: int, seed: int) -> np.ndarray:
    """(count, latent_size) float32 draws from N(0, I); the same seed gives the same draws."""
    return np.random.default_rng(seed).standard_normal((count, latent_size)).astype(np.float32)


def posterior_codes(mu: np.ndarray, logvar: np.ndarray, count: int, seed: int) -> np.ndarray:
    """(count, latent) samples z = mu + sigma * eps of q(z|x) = N(mu, diag(exp(logvar)))."""
    mu = np.asarray(mu, dtype=np.float32)
    sigma = np.exp(0.5 * np.asarray(logvar, dtype=np.float32))
    eps = np.random.default_rng(seed).standard_normal((count, len(mu))).astype(np.float32)
    return mu[None, :] + sigma[None, :] * eps


def ellipse(centre: np.ndarray, sigma: np.ndarray, radius: float, points: int = 73) -> np.ndarray:
    """(points, 2) closed contour at `radius` standard deviations of an axis-aligned 2-D Gaussian."""
    angle = np.linspace(0.0, 2 * np.pi, points)
    unit = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return (
        np.asarray(centre, dtype=np.float64)[None, :2] + radius * unit * np.asarray(sigma, dtype=np.float64)[None, :2]
    )


def plane_box(codes: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the 0.5-99.5 percentile box of a z = 2 model's test codes."""
    low, high = np.percentile(np.asarray(codes, dtype=np.float64), PLANE_PERCENTILES, axis=0)
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def manifold_codes(box: tuple[float, float, float, float], steps: int) -> np.ndarray:
    """(steps * steps, 2) codes at the centres of a steps x steps grid over the box, top row first."""
    x0, x1, y0, y1 = box
    xs = x0 + (np.arange(steps) + 0.5) * (x1 - x0) / steps
    ys = y1 - (np.arange(steps) + 0.5) * (y1 - y0) / steps
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2).astype(np.float32)


def random_pairs(digits: int, pairs: int, seed: int) -> np.ndarray:
    """(pairs, 2) indices of two distinct test digits each, the same for the same seed on any machine."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.choice(digits, 2, replace=False) for _ in range(pairs)])


def typical_spacing(codes: np.ndarray, sample: int = 2000, seed: int = 0) -> float:
    """Median distance from a test code to its nearest other test code (a subsample, for speed)."""
    codes = np.asarray(codes, dtype=np.float64)
    rng = np.random.default_rng(seed)
    chosen = codes[rng.choice(len(codes), min(sample, len(codes)), replace=False)]
    squared = ((chosen[:, None, :] - codes[None, :, :]) ** 2).sum(-1)
    squared[squared == 0] = np.inf  # the code itself (and exact duplicates)
    return float(np.median(np.sqrt(squared.min(axis=1))))


def nearest_code(point: np.ndarray, codes: np.ndarray) -> tuple[int, float]:
    """Index of, and latent distance to, the test code nearest to `point` (2,)."""
    distances = np.linalg.norm(np.asarray(codes, dtype=np.float64) - np.asarray(point, dtype=np.float64)[None], axis=1)
    index = int(np.argmin(distances))
    return index, float(distances[index])
