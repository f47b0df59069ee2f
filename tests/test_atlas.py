"""Placing new points on every map agrees with where the atlas put the test digits."""
import numpy as np
import pytest

from vae.atlas import build_atlas, knn_place, load_atlas, save_atlas
from vae.checkpoint import CheckpointError


@pytest.fixture(scope="module")
def atlas():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4.0, size=(5, 6))
    mu = (centres[rng.integers(0, 5, 400)] + rng.normal(scale=0.3, size=(400, 6))).astype(np.float32)
    return build_atlas(mu, np.zeros_like(mu), "sha-of-model", seed=0)


def test_pca_placement_is_the_transform(atlas):
    assert np.allclose(atlas.place(atlas.mu, "pca"), atlas.maps["pca"], atol=1e-4)


def test_tsne_placement_of_an_atlas_point_lands_on_it(atlas):
    placed = atlas.place(atlas.mu[:50], "tsne")
    spread = np.ptp(atlas.maps["tsne"], axis=0).max()
    error = np.linalg.norm(placed - atlas.maps["tsne"][:50], axis=1)
    assert np.median(error) < 0.01 * spread


def test_tsne_placement_of_a_new_point_lands_among_its_neighbours(atlas):
    z = atlas.mu[7] + 0.05
    placed = atlas.place(z, "tsne")[0]
    nearest, _ = atlas.nearest(z, 10)
    low, high = atlas.maps["tsne"][nearest].min(0), atlas.maps["tsne"][nearest].max(0)
    assert np.all(placed >= low - 1e-6) and np.all(placed <= high + 1e-6)


def test_knn_weights_favour_the_closest():
    reference = np.array([[0.0], [10.0]], dtype=np.float32)
    coords = np.array([[0.0, 0.0], [1.0, 1.0]], dtype=np.float32)
    placed = knn_place(np.array([[1.0]], dtype=np.float32), reference, coords, k=2)
    assert 0 < placed[0, 0] < 0.2


def test_plane_is_exact_for_two_dimensional_models():
    mu = np.random.default_rng(1).normal(size=(30, 2)).astype(np.float32)
    atlas = build_atlas(mu, mu * 0, "x")
    assert atlas.map_names == ["plane"]
    assert np.array_equal(atlas.place(mu, "plane"), mu)


def test_nearest_finds_itself_first(atlas):
    order, distances = atlas.nearest(atlas.mu[42], 5)
    assert order[0] == 42 and distances[0] == 0.0 and np.all(np.diff(distances) >= 0)


def test_save_load_round_trip_and_refusals(atlas, tmp_path):
    path = save_atlas(tmp_path / "atlas.npz", atlas)
    loaded = load_atlas(path, model_sha256="sha-of-model")
    assert np.array_equal(loaded.mu, atlas.mu) and np.array_equal(loaded.maps["tsne"], atlas.maps["tsne"])
    with pytest.raises(CheckpointError, match="different checkpoint"):
        load_atlas(path, model_sha256="another")
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        load_atlas(path)
