"""The map's layout data (explorer/figures.py): shared axes, where the prior sits, one entry per model and map."""

from __future__ import annotations

import numpy as np

from explorer import figures


def cloud(scale: float, seed: int, count: int = 2000) -> np.ndarray:
    return (np.random.default_rng(seed).normal(size=(count, 2)) * scale).astype(np.float32)


def test_shared_extent_holds_nearly_every_point_of_every_map():
    narrow, wide = cloud(1.0, 0), cloud(3.0, 1)
    x0, x1, y0, y1 = figures.shared_extent([narrow, wide])
    for points in (narrow, wide):
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        assert inside.mean() >= 0.995
    assert x1 - x0 < 2 * np.abs(wide).max() + 1  # percentiles: a far outlier cannot stretch the axes


def test_an_outlier_does_not_stretch_the_axes():
    points = cloud(1.0, 2)
    points[0] = (500.0, -500.0)
    x0, x1, y0, y1 = figures.shared_extent([points])
    assert max(abs(x0), abs(x1), abs(y0), abs(y1)) < 10


def test_square_extent_has_equal_spans():
    x0, x1, y0, y1 = figures.shared_extent([cloud(1.0, 3) * np.array([3.0, 1.0], dtype=np.float32)], square=True)
    assert np.isclose(x1 - x0, y1 - y0)


def test_prior_centre_is_where_z_0_lands_on_the_pca_map():
    rng = np.random.default_rng(4)
    mean = rng.normal(size=20)
    components = np.linalg.qr(rng.normal(size=(20, 2)))[0].T  # (2, 20), orthonormal rows
    centre = figures.prior_centre(mean, components)
    np.testing.assert_allclose(centre, (np.zeros(20) - mean) @ components.T)
    assert figures.prior_centre(None, None) == (0.0, 0.0)


def test_map_info_gives_every_model_its_axes_prior_and_title():
    from explorer.assets import loaded_words
    from vae.family import shared_family, weights_folder

    family = shared_family(weights_folder())
    info = figures.map_info(family)
    assert set(info) == set(family.models)
    for name, maps in info.items():
        loaded = family.models[name]
        assert set(maps) == set(loaded.atlas.maps)
        for map_name, entry in maps.items():
            assert loaded_words(loaded) in entry["title"] and name not in entry["title"]  # plain words (issue 24)
            if map_name == "tsne":
                assert entry["extent"] is None and entry["prior"] is None  # t-SNE keeps no scale
            else:
                x0, x1, y0, y1 = entry["extent"]
                coords = loaded.atlas.maps[map_name]
                inside = (coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0) & (coords[:, 1] <= y1)
                assert inside.mean() >= 0.99
                assert entry["prior"] is not None
            assert (entry["backdrop"] is not None) == (map_name == "plane")
    # Every VAE of one latent size shares its PCA axes (switching β shows the cloud spread or pack)...
    vaes = [m for m in family.models.values() if m.variant.latent_size == 20 and m.variant.beta > 0]
    assert len({tuple(info[m.name]["pca"]["extent"]) for m in vaes}) == 1
    # ... and the autoencoder, with no KL term to fix its scale, has its own.
    assert info["z20-beta0"]["pca"]["extent"] != info[vaes[0].name]["pca"]["extent"]
