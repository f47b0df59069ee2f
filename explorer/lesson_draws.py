"""The lesson's seeded draws of N(0, I): the numpy twin of viewer/core/draws.js, which the browser runs.

    z = normals(seed=3, stream=STREAMS["rows2"], count=24).reshape(12, 2)   # float32, as the browser draws them

mulberry32 (a 32-bit generator small enough to write in both languages) and the Box–Muller transform; the
tests hold the browser's draws, decodes and reads to these (tests/test_lesson_js.py).
"""

from __future__ import annotations

import numpy as np

STREAMS = {"rows20": 1, "rows2": 2, "draw": 3, "eps": 4, "prior": 5}  # one sequence per use: draws.js STREAMS
_GOLDEN = 0x9E3779B9
_MASK = 0xFFFFFFFF


def start_state(seed: int, stream: int) -> int:
    return (stream * _GOLDEN + seed) & _MASK


def _imul(a: int, b: int) -> int:
    return (a * b) & _MASK


def words(seed: int, stream: int, count: int) -> np.ndarray:
    """(count,) uint32: mulberry32's output from start_state(seed, stream)."""
    state = start_state(seed, stream)
    out = np.empty(count, dtype=np.uint64)
    for i in range(count):
        state = (state + 0x6D2B79F5) & _MASK
        t = _imul(state ^ (state >> 15), 1 | state)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & _MASK) ^ t
        out[i] = (t ^ (t >> 14)) & _MASK
    return out


def normals(seed: int, stream: int, count: int) -> np.ndarray:
    """(count,) float32 draws of N(0, 1): Box–Muller on pairs of mulberry32 uniforms, as draws.js `normals`."""
    pairs = (count + 1) // 2
    raw = words(seed, stream, 2 * pairs).astype(np.float64)
    u1 = (raw[0::2] + 0.5) / 2**32
    u2 = raw[1::2] / 2**32
    radius = np.sqrt(-2 * np.log(u1))
    out = np.stack([radius * np.cos(2 * np.pi * u2), radius * np.sin(2 * np.pi * u2)], axis=1).ravel()
    return out[:count].astype(np.float32)


def codes(seed: int, stream: int, count: int, latent: int) -> np.ndarray:
    """(count, latent) float32 draws of N(0, I)."""
    return normals(seed, stream, count * latent).reshape(count, latent)


def row_codes(seed: int, latent: int, count: int) -> np.ndarray:
    """(count, latent): the sample rows' draws for `seed` (viewer/lesson/compute.js rowCodes)."""
    return codes(seed, STREAMS["rows2"] if latent == 2 else STREAMS["rows20"], count, latent)


def sample_row(model, classifier, seed: int, count: int, readable: float, beta: float | None = None) -> dict:
    """One sample row as the browser computes it (compute.js sampleRow): the draws decoded (count, 28, 28)
    and per draw the digit read at P >= readable, or -1. `beta`: a Multi-Rate VAE's (vae/multirate.py) at that
    β, as the lesson's β row decodes them (viewer/lesson/beta.js)."""
    z = row_codes(seed, model.config.latent_size, count)
    pixels = model.decode(z) if beta is None else model.decode(z, beta)
    if classifier is None:
        return {"pixels": pixels, "reads": [-1] * count, "p": [0.0] * count}
    probabilities = classifier.probabilities(pixels)
    reads = [int(p.argmax()) if p.max() >= readable else -1 for p in probabilities]
    return {"pixels": pixels, "reads": reads, "p": [float(p.max()) for p in probabilities]}


def prior_codes(seed: int, latent: int, count: int) -> np.ndarray:
    """(count, latent): the explore view's samples from the prior for `seed` (viewer/explore/panel/prior.js)."""
    return codes(seed, STREAMS["prior"], count, latent)


def draw_point(n: int) -> tuple[float, float]:
    """The point of the lesson's "decode one draw" number n, rounded to 0.01 (compute.js drawPoint)."""
    x, y = normals(n, STREAMS["draw"], 2)
    return round(float(x), 2), round(float(y), 2)


def posterior_row(model, image: np.ndarray, seed: int, count: int) -> dict:
    """One digit's q(z|x) sampled as the browser does it (compute.js posteriorRow): decoded mu, then `count`
    decoded z = mu + sigma * eps, and the mean L2 change of a sample's picture from decoded mu."""
    mu, logvar = model.encode(np.asarray(image, dtype=np.float32)[None])
    sigma = np.exp(0.5 * logvar[0]).astype(np.float32)
    eps = codes(seed, STREAMS["eps"], count, len(mu[0]))
    z = np.concatenate([mu, mu + sigma[None] * eps]).astype(np.float32)
    decoded = model.decode(z)
    change = float(np.linalg.norm((decoded[1:] - decoded[0]).reshape(count, -1), axis=1).mean())
    return {"mu": mu[0], "sigma": sigma, "pixels": decoded, "change": change}
