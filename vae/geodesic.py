"""Geodesic paths: the route through latent space whose decoded images change least.

Start from the straight line with K points, then move the inner points to minimise
the discrete curve energy  E = sum_i ||decode(z_{i+1}) - decode(z_i)||^2  (pixel
space) with Adam, until it stops improving. A prior term  lambda * sum_i ||z_i||^2 / 2
keeps the path out of empty latent regions, where the decoder is unconstrained
and a "shortcut" would be meaningless. Finally the curve is resampled so that
consecutive frames are equally far apart in decoded pixels.

All numpy: the energy's gradient is back-propagated by hand through the 2-layer
decoder (energy_and_gradient; tests/test_inference.py checks it against torch's
autograd on every shipped model), and Adam is written out as torch.optim.Adam does it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inference import one_blas_thread, sigmoid


@dataclass
class GeodesicReport:
    energy: float  # sum of squared decoded steps, K points
    length: float  # sum of decoded step lengths (pixel L2)
    linear_energy: float
    linear_length: float
    steps: int  # optimiser steps taken

    @property
    def energy_ratio(self) -> float:
        return self.energy / self.linear_energy if self.linear_energy > 0 else 1.0

    @property
    def length_ratio(self) -> float:
        return self.length / self.linear_length if self.linear_length > 0 else 1.0


def curve_energy_and_length(model, codes: np.ndarray) -> tuple[float, float]:
    """Discrete energy and length of a latent curve (K, latent) under the decoder."""
    images = model.decode(codes).reshape(len(codes), -1)  # (K, pixels)
    steps = ((images[1:] - images[:-1]) ** 2).sum(axis=1)  # (K-1,)
    return float(steps.sum()), float(np.sqrt(np.maximum(steps, 1e-12)).sum())


@one_blas_thread()
def energy_and_gradient(model, curve: np.ndarray) -> tuple[float, np.ndarray]:
    """E = sum_i ||decode(z_{i+1}) - decode(z_i)||^2 and dE/dz (K, latent), by hand through
    z -> h = W3 z + b3 -> relu -> l = W4 h + b4 -> x = sigmoid(l). `model` is a NumpyVAE."""
    pre = model.decode_hidden(curve)  # (K, hidden)
    hidden = np.maximum(pre, 0.0)
    x = sigmoid(hidden @ model.w4 + model.b4)  # (K, 784)
    step = x[1:] - x[:-1]  # (K-1, 784)
    grad_x = np.zeros_like(x)
    grad_x[1:] += 2.0 * step
    grad_x[:-1] -= 2.0 * step
    grad_logits = grad_x * x * (1.0 - x)  # sigmoid' = x (1 - x)
    grad_hidden = (grad_logits @ model.w4.T) * (pre > 0)  # (K, hidden)
    return float((step * step).sum()), grad_hidden @ model.w3.T  # (K, latent)


@one_blas_thread()  # once around the whole optimisation; the calls inside then find one thread already
def geodesic_path(
    model,
    a: np.ndarray,
    b: np.ndarray,
    frames: int,
    points: int = 16,
    prior_weight: float = 0.05,
    max_steps: int = 400,
    lr: float = 0.05,
    tolerance: float = 1e-4,
    progress=None,
) -> tuple[np.ndarray, GeodesicReport]:
    """(frames, latent) codes from a to b along the optimised curve, and how it compares to the line."""
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    t = np.linspace(0, 1, points, dtype=np.float32)[:, None]
    line = (1 - t) * a + t * b  # (K, latent)
    curve = line.copy()  # the optimiser moves curve[1:-1]; the ends stay exactly a and b
    # Adam (Kingma & Ba 2015) with torch's defaults: betas (0.9, 0.999), eps 1e-8, bias-corrected.
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    moment = np.zeros_like(curve[1:-1])
    second = np.zeros_like(curve[1:-1])

    best, stale, step = float("inf"), 0, 0
    for step in range(1, max_steps + 1):
        inner = curve[1:-1]
        energy, grad = energy_and_gradient(model, curve)
        loss = energy + prior_weight * 0.5 * float((inner.astype(np.float64) ** 2).sum())
        grad = grad[1:-1] + prior_weight * inner
        moment = beta1 * moment + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad * grad
        step_size = lr / (1 - beta1**step)
        denom = np.sqrt(second) / np.sqrt(1 - beta2**step) + eps
        curve[1:-1] = inner - (step_size * moment / denom).astype(np.float32)
        if loss < best * (1 - tolerance):
            best, stale = loss, 0
        else:
            stale += 1
            if stale >= 15:  # stopped improving
                break
        if progress is not None and step % 10 == 0:
            progress(step / max_steps)

    energy, length = curve_energy_and_length(model, curve)
    linear_energy, linear_length = curve_energy_and_length(model, line)
    codes = _resample_equal_steps(model, curve, frames)
    codes[0], codes[-1] = a, b
    return codes, GeodesicReport(energy, length, linear_energy, linear_length, step)


def _resample_equal_steps(model, curve: np.ndarray, frames: int) -> np.ndarray:
    """Frames along a piecewise-linear latent curve at equal decoded arc length."""
    sub = np.linspace(0, 1, 9, dtype=np.float32)[:-1, None]  # 8 sub-steps per segment: arc length measured finely
    dense = curve[:-1, None, :] + (curve[1:] - curve[:-1])[:, None, :] * sub[None]  # (K-1, 8, latent)
    dense = np.concatenate([dense.reshape(-1, curve.shape[1]), curve[-1:]])  # (8 (K-1) + 1, latent)
    images = model.decode(dense).reshape(len(dense), -1)  # (8 (K-1) + 1, pixels)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(images, axis=0), axis=1), dtype=np.float64)])
    targets = np.linspace(0, arc[-1], frames)
    index = np.clip(np.searchsorted(arc, targets), 1, len(dense) - 1)
    low, high = arc[index - 1], arc[index]
    weight = ((targets - low) / np.maximum(high - low, 1e-12))[:, None]
    return (dense[index - 1] + weight * (dense[index] - dense[index - 1])).astype(np.float32)


GRADES = ("no better", "real detour", "nearly straight", "ordinary bend")


def grade(ratio: float, measured: dict) -> str | None:
    """How a geodesic's energy ratio (geodesic / straight line) compares with the ratios measured on
    random pairs of the shipped models (weights/lesson.json "geodesic": p10, p90 of the pairs where
    a geodesic saves anything): "no better" at 1 or more, "real detour" below p10, "nearly straight"
    above p90, "ordinary bend" between; None without a measured distribution."""
    if not {"p10", "p90"} <= set(measured):
        return None
    if ratio >= 1:
        return "no better"
    if ratio < measured["p10"]:
        return "real detour"
    if ratio > measured["p90"]:
        return "nearly straight"
    return "ordinary bend"
