"""The latent atlas: where every MNIST test digit sits, computed once at training time (training/atlas.py
builds and writes it; this module reads it, verified, and places new codes on its maps).

For each model it stores mu and logvar of the 10,000 test digits and 2-D map
coordinates. z=20 models get two maps:
  * "pca"  - a linear projection; new points are placed exactly by its transform.
  * "tsne" - t-SNE of mu; t-SNE has no transform, so a new point is placed at the
             inverse-distance-weighted mean of the map positions of its k nearest
             test digits in latent space (a documented approximation).
A z=2 model's only map is its latent plane ("plane"), where placement is exact.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checkpoint import CheckpointError

MAP_LABELS = {"plane": "2-D plane", "pca": "PCA", "tsne": "t-SNE"}  # explorer/figures.py MAP_WORDS
NEIGHBOURS = 10


@dataclass
class Atlas:
    mu: np.ndarray  # (N, z) float32, posterior means of the test digits
    logvar: np.ndarray  # (N, z) float32
    maps: dict[str, np.ndarray]  # name -> (N, 2) float32
    pca_mean: np.ndarray | None  # (z,)
    pca_components: np.ndarray | None  # (2, z)
    model_sha256: str  # the checkpoint's tensor digest this atlas was computed from

    @property
    def map_names(self) -> list[str]:
        return list(self.maps)

    def place(self, z: np.ndarray, map_name: str) -> np.ndarray:
        """Map coordinates (M, 2) of latent codes z (M, latent) on one of this atlas's maps."""
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        if map_name == "plane":
            return z[:, :2].copy()
        if map_name == "pca":
            return (z - self.pca_mean) @ self.pca_components.T
        if map_name == "tsne":
            return knn_place(z, self.mu, self.maps["tsne"])
        raise KeyError(f"unknown map {map_name!r}; this atlas has {self.map_names}")

    def nearest(self, z: np.ndarray, count: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Indices and latent distances of the `count` test digits nearest to one code z (latent,)."""
        distances = np.linalg.norm(self.mu - np.asarray(z, dtype=np.float32)[None, :], axis=1)
        order = np.argsort(distances, kind="stable")[:count]
        return order, distances[order]


def knn_place(z: np.ndarray, reference: np.ndarray, coordinates: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Inverse-distance-weighted mean of the map coordinates of each row's k nearest references."""
    squared = (z**2).sum(1)[:, None] - 2 * z @ reference.T + (reference**2).sum(1)[None, :]  # (M, N)
    nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]  # (M, k)
    distances = np.sqrt(np.maximum(np.take_along_axis(squared, nearest, axis=1), 0.0))
    weights = 1.0 / (distances + 1e-6)
    weights /= weights.sum(1, keepdims=True)
    return np.einsum("mk,mkd->md", weights, coordinates[nearest]).astype(np.float32)


def load_atlas(path: str | Path, model_sha256: str | None = None) -> Atlas:
    """Reads an atlas; raises CheckpointError, naming the file and the field, if it is unreadable,
    inconsistent or for another model."""
    arrays = _load_npz(path)
    mu = _floats(path, arrays, "mu")
    if mu.ndim != 2 or min(mu.shape) < 1:
        raise CheckpointError(path, f"atlas field 'mu' must be (digits, latent), got shape {mu.shape}")
    count, latent = mu.shape
    logvar = _floats(path, arrays, "logvar", mu.shape)
    maps = {key[4:]: _floats(path, arrays, key, (count, 2)) for key in sorted(arrays) if key.startswith("map_")}
    unknown = sorted(set(maps) - set(MAP_LABELS))
    if unknown or not maps:
        raise CheckpointError(path, f"atlas maps must be some of {sorted(MAP_LABELS)}, got {sorted(maps)}")
    if "plane" in maps and latent != 2:
        raise CheckpointError(path, f"atlas field 'map_plane' needs 2-D codes, 'mu' has {latent}")
    maps = {name: maps[name] for name in MAP_LABELS if name in maps}  # the order the widget lists them
    pca_mean, pca_components = None, None
    if "pca" in maps:
        pca_mean = _floats(path, arrays, "pca_mean", (latent,))
        pca_components = _floats(path, arrays, "pca_components", (2, latent))
    digest = arrays.get("model_sha256")
    if digest is None or digest.shape != () or digest.dtype.kind != "U":
        raise CheckpointError(path, "atlas field 'model_sha256' is missing or is not one string")
    atlas = Atlas(mu, logvar, maps, pca_mean, pca_components, str(digest))
    if model_sha256 is not None and atlas.model_sha256 != model_sha256:
        raise CheckpointError(path, "atlas was computed from a different checkpoint; re-run train.py")
    return atlas


def _floats(path, arrays: dict[str, np.ndarray], field: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """One atlas field as float32, checked: present, floating point, of `shape`, finite."""
    if field not in arrays:
        raise CheckpointError(path, f"atlas lacks field {field!r}")
    array = arrays[field]
    if array.dtype.kind != "f":
        raise CheckpointError(path, f"atlas field {field!r} must hold floating-point numbers, not {array.dtype}")
    if shape is not None and array.shape != shape:
        raise CheckpointError(path, f"atlas field {field!r} has shape {array.shape}, expected {shape}")
    if not np.isfinite(array).all():
        raise CheckpointError(path, f"atlas field {field!r} holds NaN or infinite values")
    return array.astype(np.float32, copy=False)


def load_test_set(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28) uint8, labels (N,) uint8); raises CheckpointError when unusable."""
    arrays = _load_npz(path)
    images, labels = arrays.get("images"), arrays.get("labels")
    if images is None or labels is None or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise CheckpointError(path, "test set must hold images (N, 28, 28) and labels (N,)")
    if images.dtype != np.uint8 or len(labels) != len(images):
        raise CheckpointError(path, "test set has the wrong dtype or mismatched lengths")
    whole = labels.ndim == 1 and labels.dtype.kind in "iu"
    if not whole or (len(labels) and not 0 <= labels.min() <= labels.max() <= 9):
        raise CheckpointError(path, "test set field 'labels' must be whole numbers 0-9, one per image")
    return images, labels


def _load_npz(path: str | Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise CheckpointError(path, "file not found") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, io.UnsupportedOperation) as error:
        raise CheckpointError(path, f"corrupt or truncated archive ({error})") from None
