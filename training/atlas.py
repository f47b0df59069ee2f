"""Building and writing the latent atlases and the test set they index (vae/atlas.py reads them).

PCA and t-SNE come from scikit-learn, which only training needs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vae.atlas import Atlas


def build_atlas(mu: np.ndarray, logvar: np.ndarray, model_sha256: str, seed: int = 0) -> Atlas:
    """PCA + t-SNE maps for z > 2; the plane itself for z = 2."""
    mu = mu.astype(np.float32)
    if mu.shape[1] == 2:
        return Atlas(mu, logvar.astype(np.float32), {"plane": mu.copy()}, None, None, model_sha256)
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    pca = PCA(n_components=2, random_state=seed).fit(mu)
    tsne = TSNE(n_components=2, init="pca", perplexity=30.0, random_state=seed).fit_transform(mu)
    maps = {
        "pca": pca.transform(mu).astype(np.float32),
        "tsne": tsne.astype(np.float32),
    }
    return Atlas(
        mu,
        logvar.astype(np.float32),
        maps,
        pca.mean_.astype(np.float32),
        pca.components_.astype(np.float32),
        model_sha256,
    )


def save_atlas(path: str | Path, atlas: Atlas) -> Path:
    arrays = {"mu": atlas.mu, "logvar": atlas.logvar, "model_sha256": np.array(atlas.model_sha256)}
    arrays.update({f"map_{name}": coords for name, coords in atlas.maps.items()})
    if atlas.pca_mean is not None:
        arrays.update(pca_mean=atlas.pca_mean, pca_components=atlas.pca_components)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    return path


def save_test_set(path: str | Path, images: np.ndarray, labels: np.ndarray) -> Path:
    """The test digits the atlas indexes, uint8 and compressed."""
    np.savez_compressed(path, images=images.astype(np.uint8), labels=labels.astype(np.uint8))
    return Path(path)
