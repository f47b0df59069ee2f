"""Geodesic paths: the route through latent space whose decoded images change least.

Start from the straight line with K points, then move the inner points to minimise
the discrete curve energy  E = sum_i ||decode(z_{i+1}) - decode(z_i)||^2  (pixel
space) with Adam, until it stops improving. A prior term  lambda * sum_i ||z_i||^2 / 2
keeps the path out of empty latent regions, where the decoder is unconstrained
and a "shortcut" would be meaningless. Finally the curve is resampled so that
consecutive frames are equally far apart in decoded pixels.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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


def curve_energy_and_length(model, codes) -> tuple:
    """Discrete energy and length of a latent curve (K, latent) under the decoder (torch in, torch out)."""
    images = model.decode(codes)  # (K, 784)
    steps = (images[1:] - images[:-1]).pow(2).sum(dim=1)  # (K-1,)
    return steps.sum(), steps.clamp_min(1e-12).sqrt().sum()


def geodesic_path(
    model, a: np.ndarray, b: np.ndarray, frames: int, points: int = 16, prior_weight: float = 0.05,
    max_steps: int = 400, lr: float = 0.05, tolerance: float = 1e-4, progress=None,
) -> tuple[np.ndarray, GeodesicReport]:
    """(frames, latent) codes from a to b along the optimised curve, and how it compares to the line."""
    import torch

    a_t = torch.as_tensor(np.asarray(a, dtype=np.float32))
    b_t = torch.as_tensor(np.asarray(b, dtype=np.float32))
    t = torch.linspace(0, 1, points)[:, None]
    line = (1 - t) * a_t + t * b_t  # (K, latent)
    inner = line[1:-1].clone().requires_grad_(True)
    optimizer = torch.optim.Adam([inner], lr=lr)
    for p in model.parameters():
        p.requires_grad_(False)

    def objective():
        curve = torch.cat([a_t[None], inner, b_t[None]])
        energy, _ = curve_energy_and_length(model, curve)
        return energy + prior_weight * 0.5 * inner.pow(2).sum(), energy

    best, stale, step = float("inf"), 0, 0
    for step in range(1, max_steps + 1):
        optimizer.zero_grad()
        loss, _ = objective()
        loss.backward()
        optimizer.step()
        if loss.item() < best * (1 - tolerance):
            best, stale = loss.item(), 0
        else:
            stale += 1
            if stale >= 15:  # stopped improving
                break
        if progress is not None and step % 10 == 0:
            progress(step / max_steps)

    with torch.no_grad():
        curve = torch.cat([a_t[None], inner.detach(), b_t[None]])
        energy, length = curve_energy_and_length(model, curve)
        linear_energy, linear_length = curve_energy_and_length(model, line)
        codes = _resample_equal_steps(model, curve, frames)
    codes[0], codes[-1] = a, b
    report = GeodesicReport(float(energy), float(length), float(linear_energy), float(linear_length), step)
    return codes, report


def _resample_equal_steps(model, curve, frames: int) -> np.ndarray:
    """Frames along a piecewise-linear latent curve at equal decoded arc length."""
    import torch

    dense = torch.cat([  # 8 sub-steps per segment, so arc length is measured finely
        curve[i] + (curve[i + 1] - curve[i]) * torch.linspace(0, 1, 9)[:-1, None] for i in range(len(curve) - 1)
    ] + [curve[-1:]])
    images = model.decode(dense)
    arc = torch.cat([torch.zeros(1), (images[1:] - images[:-1]).norm(dim=1).cumsum(0)])
    targets = torch.linspace(0, float(arc[-1]), frames)
    index = torch.searchsorted(arc, targets).clamp(1, len(dense) - 1)
    low, high = arc[index - 1], arc[index]
    weight = ((targets - low) / (high - low).clamp_min(1e-12))[:, None]
    return (dense[index - 1] + weight * (dense[index] - dense[index - 1])).numpy().astype(np.float32)
