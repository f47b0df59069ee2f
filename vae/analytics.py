"""Per-frame analytics of a morph: how far each step moves in pixels, how likely each code is
under the prior, and what a digit classifier reads in each frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PathAnalytics:
    step: np.ndarray  # (F,) pixel L2 distance to the previous frame (0 for the first)
    log_prior: np.ndarray  # (F,) log N(z; 0, I) in nats
    probabilities: np.ndarray | None  # (F, 10) classifier softmax, None without a classifier

    @property
    def predicted(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @property
    def confidence(self) -> np.ndarray:
        return self.probabilities.max(axis=1)


def log_prior(codes: np.ndarray) -> np.ndarray:
    """log N(z; 0, I) per row of codes (F, latent)."""
    latent = codes.shape[1]
    return -0.5 * (codes.astype(np.float64) ** 2).sum(axis=1) - 0.5 * latent * np.log(2 * np.pi)


def analyse_path(codes: np.ndarray, frames: np.ndarray, classifier=None) -> PathAnalytics:
    """codes (F, latent) and their decoded frames (F, 28, 28) -> per-frame analytics."""
    flat = frames.reshape(len(frames), -1).astype(np.float64)
    step = np.concatenate([[0.0], np.linalg.norm(np.diff(flat, axis=0), axis=1)])
    probabilities = None
    if classifier is not None:
        probabilities = classifier.probabilities(frames)
    return PathAnalytics(step, log_prior(codes), probabilities)
