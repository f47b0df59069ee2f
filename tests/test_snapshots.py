"""Snapshots of a z = 2 space at a spread of epochs: the writer (training/snapshots.py) computes what the page
and the model card compute, train.py picks the epochs, and the reader (vae/snapshots.py) refuses every kind of
damaged file, naming the file and the field. The whole train.py run is in tests/test_train_script.py."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import train
from explorer.planes import mosaic
from training.classifier import DigitClassifier
from training.lesson_metrics import PLANE_GRID, PRIOR_SAMPLES, plane_figures, prior_sample_figures
from training.metrics import encode_all
from training.model import VAE, VAEConfig
from training.snapshots import TILES, build_snapshots, save_snapshots, weights_now
from vae.checkpoint import CheckpointError, tensors_digest
from vae.config import ClassifierConfig
from vae.family import Variant
from vae.sampling import manifold_codes, plane_box
from vae.snapshots import load_snapshots

DIGEST = "ab" * 32


# --- which epochs ---------------------------------------------------------------------------------------------


def test_the_default_epochs_are_capped_at_the_run_and_end_with_its_last_epoch():
    requested = train.parse_args([]).snapshot_epochs
    assert requested == (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100)
    assert train.snapshot_epochs(requested, 100) == requested
    assert train.snapshot_epochs(requested, 30) == (0, 1, 2, 3, 5, 8, 13, 21, 30)
    assert train.snapshot_epochs(requested, 1) == (0, 1)
    assert train.snapshot_epochs((), 30) == ()  # --snapshot-epochs '' records nothing


@pytest.mark.parametrize("text, epochs", [("5,0,5, 2", (0, 2, 5)), ("", ()), ("7", (7,))])
def test_epoch_lists_are_sorted_whole_numbers(text, epochs):
    assert train.parse_args(["--snapshot-epochs", text]).snapshot_epochs == epochs


@pytest.mark.parametrize("text", ["1,two", "-1,3", "1.5"])
def test_a_bad_epoch_list_is_refused_before_any_work(text, capsys):
    with pytest.raises(SystemExit):
        train.parse_args(["--snapshot-epochs", text])
    assert "--snapshot-epochs" in capsys.readouterr().err


# --- the writer -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written():
    """A tiny z = 2 VAE at two 'epochs' (two seeds), a tiny classifier and 300 test-like digits."""
    config = VAEConfig(hidden_size=32, latent_size=2, beta=1.0)
    states = {}
    for epoch in (0, 4):
        torch.manual_seed(epoch)
        states[epoch] = weights_now(VAE(config))
    torch.manual_seed(0)
    classifier = DigitClassifier(ClassifierConfig(channels=(4, 8), hidden_size=16)).eval()
    images = torch.rand(300, 784)
    return states, config, images, classifier, build_snapshots(states, config, images, classifier)


def test_one_grid_for_the_tiles_and_the_empty_cells():
    assert TILES == PLANE_GRID == 25  # the page's lesson planes are 25 x 25 tiles too


def test_the_writer_stores_what_the_page_and_the_card_compute(written):
    states, config, images, classifier, arrays = written
    assert arrays["epochs"].tolist() == [0, 4]
    model = VAE(config).eval()
    for row, epoch in enumerate((0, 4)):
        model.load_state_dict(states[epoch])
        mu = encode_all(model, images)[0].numpy()
        assert np.array_equal(arrays["mu"][row], mu.astype(np.float16))
        assert np.array_equal(arrays["box"][row], np.array(plane_box(mu), np.float32))
        with torch.no_grad():
            tiles = model.decode(torch.from_numpy(manifold_codes(arrays["box"][row], TILES))).numpy()
        assert np.array_equal(arrays["mosaic"][row], np.asarray(mosaic(tiles.reshape(-1, 28, 28), TILES)))
        assert arrays["empty_share"][row] == np.float32(plane_figures(mu)["empty_share"])
        prior = prior_sample_figures(model, classifier, **PRIOR_SAMPLES)
        assert arrays["readable_share"][row] == np.float32(prior["readable_share"])
        assert arrays["digits_covered"][row] == prior["digits_covered"]
    assert str(arrays["model_sha256"]) == tensors_digest(states[4])  # the last epoch is the checkpoint
    assert not np.array_equal(arrays["mosaic"][0], arrays["mosaic"][1])  # two models, two pictures


def test_written_file_reads_back(written, tmp_path):
    *_, arrays = written
    path = save_snapshots(tmp_path / "snapshots-z2-beta1.npz", arrays)
    loaded = load_snapshots(path, tensors_digest(written[0][4]), digits=300)
    assert len(loaded) == 2 and loaded.tiles == TILES
    assert loaded.mu.dtype == np.float32 and np.array_equal(loaded.mu, arrays["mu"].astype(np.float32))
    assert np.array_equal(loaded.mosaic, arrays["mosaic"]) and loaded.mosaic.shape == (2, 700, 700)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_only_z2_models_have_snapshots(written):
    states, _, images, classifier, _ = written
    with pytest.raises(ValueError, match="z = 2"):
        build_snapshots(states, VAEConfig(hidden_size=32, latent_size=3), images, classifier)
    assert Variant.parse("z2-beta0").snapshots_path("weights").name == "snapshots-z2-beta0.npz"


# --- the reader -----------------------------------------------------------------------------------------------


def good_arrays(epochs=(0, 1, 5), digits=40, tiles=2) -> dict:
    rng = np.random.default_rng(0)
    count = len(epochs)
    return {
        "epochs": np.array(epochs, np.int32),
        "mu": rng.normal(size=(count, digits, 2)).astype(np.float16),
        "box": np.tile(np.array([-2, 2, -3, 3], np.float32), (count, 1)),
        "tiles": np.array(tiles, np.int32),
        "mosaic": rng.integers(0, 256, (count, 28 * tiles, 28 * tiles)).astype(np.uint8),
        "empty_share": np.array([0.0, 0.5, 1.0], np.float32)[:count],
        "readable_share": np.array([0.0, 0.25, 0.75], np.float32)[:count],
        "digits_covered": np.array([0, 3, 10], np.int32)[:count],
        "model_sha256": np.array(DIGEST),
    }


def test_a_good_file_loads(tmp_path):
    path = tmp_path / "snapshots.npz"
    np.savez_compressed(path, **good_arrays())
    loaded = load_snapshots(path, DIGEST, digits=40)
    assert loaded.epochs.tolist() == [0, 1, 5] and loaded.mu.shape == (3, 40, 2) and loaded.tiles == 2
    assert loaded.model_sha256 == DIGEST and loaded.digits_covered.tolist() == [0, 3, 10]


def damaged(**changes) -> dict:
    arrays = good_arrays()
    for key, value in changes.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    return arrays


@pytest.mark.parametrize(
    "arrays, field",
    [
        (damaged(mosaic=None), "missing ['mosaic']"),
        (damaged(extra=np.zeros(3)), "unknown ['extra']"),
        (damaged(mu=good_arrays()["mu"].astype(np.float32)), "'mu' must be float16"),
        (damaged(epochs=np.array([0, 1, 5], np.int64)), "'epochs' must be int32"),
        (damaged(mosaic=good_arrays()["mosaic"].astype(np.float32)), "'mosaic' must be uint8"),
        (damaged(box=np.full((3, 4), np.nan, np.float32)), "'box' holds NaN"),
        (damaged(mu=np.full((3, 40, 2), np.inf, np.float16)), "'mu' holds NaN or infinite"),
        (damaged(epochs=np.array([0, 5, 1], np.int32)), "'epochs' must be whole numbers >= 0 in ascending"),
        (damaged(epochs=np.array([0, 1, 1], np.int32)), "ascending"),
        (damaged(epochs=np.array([-1, 1, 5], np.int32)), "'epochs' must be whole numbers >= 0"),
        (damaged(epochs=np.zeros((3, 1), np.int32)), "'epochs' must be a non-empty list"),
        (damaged(mu=np.zeros((2, 40, 2), np.float16)), "'mu' has shape (2, 40, 2)"),
        (damaged(mu=np.zeros((3, 40, 3), np.float16)), "'mu' has shape (3, 40, 3)"),
        (damaged(tiles=np.array(0, np.int32)), "'tiles' must be one whole number"),
        (damaged(tiles=np.array([2], np.int32)), "'tiles' must be one whole number"),
        (damaged(mosaic=np.zeros((3, 56, 28), np.uint8)), "'mosaic' has shape (3, 56, 28)"),
        (damaged(box=np.zeros((3, 2), np.float32)), "'box' has shape (3, 2)"),
        (damaged(box=np.tile(np.array([2, -2, -3, 3], np.float32), (3, 1))), "'box' must hold x0 < x1"),
        (damaged(readable_share=np.zeros(2, np.float32)), "'readable_share' has shape (2,)"),
        (damaged(empty_share=np.array([0, 0.5, 1.5], np.float32)), "'empty_share' must be shares in [0, 1]"),
        (damaged(readable_share=np.array([0, -0.1, 1], np.float32)), "'readable_share' must be shares"),
        (damaged(digits_covered=np.array([0, 3, 11], np.int32)), "'digits_covered' must count digits"),
        (damaged(model_sha256=np.arange(3)), "'model_sha256' is not one string"),
        (damaged(model_sha256=np.array("cd" * 32)), "'model_sha256': made from a different checkpoint"),
    ],
)
def test_a_damaged_file_names_the_file_and_the_field(tmp_path, arrays, field):
    path = tmp_path / "snapshots-z2-beta1.npz"
    np.savez_compressed(path, **arrays)
    with pytest.raises(CheckpointError) as caught:
        load_snapshots(path, DIGEST)
    assert str(path) in str(caught.value) and field in str(caught.value)


def test_codes_for_another_test_set_are_refused(tmp_path):
    path = tmp_path / "snapshots.npz"
    np.savez_compressed(path, **good_arrays())
    with pytest.raises(CheckpointError, match="'mu' has 40 digits, the test set 10000"):
        load_snapshots(path, DIGEST, digits=10_000)


@pytest.mark.parametrize("damage", ["truncated", "pickled", "absent"])
def test_an_unreadable_file_is_refused_not_unpickled(tmp_path, damage):
    path = tmp_path / "snapshots.npz"
    np.savez_compressed(path, **good_arrays())
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:400])
    elif damage == "pickled":
        np.savez(path, **dict(good_arrays(), mu=np.array([{"x": 1}], dtype=object)))
    else:
        path.unlink()
    with pytest.raises(CheckpointError, match=r"corrupt or truncated|not found") as caught:
        load_snapshots(path, DIGEST)
    assert str(path) in str(caught.value)
