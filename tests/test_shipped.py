"""The shipped weights: all there, loadable, honest about their metrics, small enough for Spaces."""

import numpy as np
import pytest
import torch

from conftest import WEIGHTS, numpy_model
from training.card import render_model_card
from training.checkpoint import load_checkpoint
from training.metrics import elbo_metrics
from vae.atlas import load_atlas, load_test_set
from vae.checkpoint import tensors_digest
from vae.family import SHIPPED, TEST_SET_FILE

MB = 1024 * 1024


@pytest.fixture(scope="module")
def test_images():
    images, _labels = load_test_set(WEIGHTS / TEST_SET_FILE)
    return torch.from_numpy(images).reshape(-1, 784).float() / 255.0


@pytest.fixture(scope="module")
def records():
    return {variant.name: load_checkpoint(variant.checkpoint_path(WEIGHTS)) for variant in SHIPPED}


@pytest.mark.parametrize("variant", SHIPPED, ids=lambda v: v.name)
def test_checkpoint_reevaluates_to_its_recorded_metrics(variant, records, test_images):
    model, record = records[variant.name]
    assert record["config"]["latent_size"] == variant.latent_size and record["config"]["beta"] == variant.beta
    metrics = record["info"]["metrics"]
    again = elbo_metrics(model, test_images[:1000], seed=record["info"]["seed"])
    assert again["neg_elbo"] == pytest.approx(metrics["neg_elbo_first_1000"], abs=1e-3)
    assert again["reconstruction"] == pytest.approx(metrics["reconstruction"], rel=0.1)  # a representative subset
    # With beta = 0 nothing bounds the KL: it grows with a code's squared distance from the origin and its
    # collapsed sigma, so it is heavy-tailed across digits and 1,000 of them need not average like 10,000.
    if variant.beta > 0:
        assert metrics["neg_elbo_first_1000"] == pytest.approx(metrics["neg_elbo"], rel=0.1)
    assert metrics["test_digits"] == 10_000 and record["info"]["train_digits"] == 60_000


@pytest.mark.parametrize("variant", SHIPPED, ids=lambda v: v.name)
def test_atlas_belongs_to_its_model(variant, records, test_images):
    model, _ = records[variant.name]
    atlas = load_atlas(variant.atlas_path(WEIGHTS), model_sha256=tensors_digest(model.state_dict()))
    assert atlas.mu.shape == (10_000, variant.latent_size)
    fresh = numpy_model(model).encode(test_images[:300].numpy())[0]
    assert np.allclose(atlas.mu[:300], fresh, atol=1e-4)
    assert set(atlas.map_names) == ({"plane"} if variant.latent_size == 2 else {"pca", "tsne"})


def test_headline_model_meets_its_elbo_target(records):
    metrics = records["z20-beta1"][1]["info"]["metrics"]
    assert metrics["neg_elbo"] <= 101.0
    assert metrics["iwae_nll"] < metrics["neg_elbo"]  # IWAE is the tighter bound
    assert metrics["iwae_samples"] >= 1000


def test_beta_trades_kl_for_reconstruction(records):
    betas = sorted(v.beta for v in SHIPPED if v.latent_size == 20)
    kl = [records[f"z20-beta{b:g}"][1]["info"]["metrics"]["kl"] for b in betas]
    reconstruction = [records[f"z20-beta{b:g}"][1]["info"]["metrics"]["reconstruction"] for b in betas]
    assert kl == sorted(kl, reverse=True)
    assert reconstruction == sorted(reconstruction)


def test_files_fit_huggingface_without_lfs():
    sizes = {path.name: path.stat().st_size for path in WEIGHTS.iterdir() if path.is_file()}
    assert all(size < 10 * MB for size in sizes.values()), sizes
    assert sum(sizes.values()) < 60 * MB


def test_shipped_test_set_is_mnist_test(data_root):
    from training.data import load_mnist

    images, labels = load_test_set(WEIGHTS / TEST_SET_FILE)
    mnist = load_mnist(str(data_root), train=False)
    assert np.array_equal(images, mnist.images.numpy()) and np.array_equal(labels, mnist.labels.numpy())


def test_model_card_matches_the_checkpoints():
    assert (WEIGHTS / "README.md").read_text() == render_model_card(WEIGHTS)
