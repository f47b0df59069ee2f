"""Placing new points on every map agrees with where the atlas put the test digits."""

import numpy as np
import pytest

from training.atlas import build_atlas, save_atlas
from vae.atlas import Atlas, knn_place, load_atlas, load_test_set
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


def small_pca_atlas() -> Atlas:
    """A consistent z = 3 atlas with a PCA and a t-SNE map, built by hand (no t-SNE run)."""
    rng = np.random.default_rng(2)
    mu = rng.normal(size=(40, 3)).astype(np.float32)
    components = np.eye(2, 3, dtype=np.float32)
    maps = {"pca": mu[:, :2].copy(), "tsne": rng.normal(size=(40, 2)).astype(np.float32)}
    return Atlas(mu, mu * 0, maps, np.zeros(3, np.float32), components, "sha-of-model")


def tampered(tmp_path, **changes) -> str:
    """Saves a good atlas, then rewrites its archive with `changes` (None deletes a field)."""
    path = save_atlas(tmp_path / "atlas-z3.npz", small_pca_atlas())
    with np.load(path) as archive:
        arrays = {key: archive[key] for key in archive.files}
    for key, value in changes.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pca_components": None}, "'pca_components'"),  # was an AttributeError, not a message
        ({"pca_mean": None}, "'pca_mean'"),
        ({"pca_components": np.zeros((3, 3), np.float32)}, "'pca_components' has shape (3, 3)"),
        ({"mu": None}, "'mu'"),
        ({"mu": np.zeros(40, np.float32)}, "'mu'"),
        ({"mu": np.full((40, 3), np.nan, np.float32)}, "'mu' holds NaN"),
        ({"logvar": np.zeros((40, 3), np.int64)}, "'logvar' must hold floating-point"),
        ({"map_tsne": np.zeros((39, 2), np.float32)}, "'map_tsne' has shape"),
        ({"map_tsne": np.array(["a", "b"])}, "'map_tsne' must hold floating-point"),
        ({"map_plane": np.zeros((40, 2), np.float32)}, "'map_plane' needs 2-D codes"),
        ({"map_evil": np.zeros((40, 2), np.float32)}, "'evil'"),
        ({"map_pca": None, "map_tsne": None}, "atlas maps must be"),
        ({"model_sha256": None}, "'model_sha256'"),
        ({"model_sha256": np.arange(3)}, "'model_sha256'"),
    ],
)
def test_tampered_atlas_names_the_file_and_the_field(tmp_path, changes, field):
    path = tampered(tmp_path, **changes)
    with pytest.raises(CheckpointError) as caught:
        load_atlas(path)
    assert str(path) in str(caught.value) and field in str(caught.value)


def test_untampered_small_atlas_loads(tmp_path):
    atlas = load_atlas(tampered(tmp_path), model_sha256="sha-of-model")
    assert atlas.map_names == ["pca", "tsne"] and atlas.pca_components.shape == (2, 3)


def test_pickled_atlas_is_refused_not_unpickled(tmp_path):
    path = tmp_path / "atlas.npz"
    np.savez(path, mu=np.array([{"x": 1}], dtype=object))
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        load_atlas(path)


@pytest.mark.parametrize(
    "labels", [np.full(5, 10, np.uint8), np.zeros(5, np.float32), np.zeros((5, 1), np.uint8), np.zeros(4, np.uint8)]
)
def test_tampered_test_set_labels_are_refused(tmp_path, labels):
    path = tmp_path / "mnist-test.npz"
    np.savez(path, images=np.zeros((5, 28, 28), np.uint8), labels=labels)
    with pytest.raises(CheckpointError, match=r"labels|lengths"):
        load_test_set(path)
