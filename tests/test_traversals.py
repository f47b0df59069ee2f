"""Traversals sweep one dimension at a time; per-dimension KL adds up; prior samples are reproducible."""

import numpy as np
import torch

from conftest import numpy_model
from training.model import VAE, VAEConfig, kl_divergence
from vae.traversals import active_dimensions, kl_per_dimension, prior_samples, traversal_codes, traverse


def test_each_row_changes_only_its_own_dimension():
    z = np.arange(4, dtype=np.float32)
    values = np.array([-3.0, 0.0, 3.0], dtype=np.float32)
    codes = traversal_codes(z, values)
    assert codes.shape == (4, 3, 4)
    for dim in range(4):
        assert np.array_equal(codes[dim, :, dim], values)
        others = np.delete(codes[dim], dim, axis=1)
        assert np.array_equal(others, np.tile(np.delete(z, dim), (3, 1)))


def test_traverse_decodes_a_grid(tiny_vae):
    grid = traverse(numpy_model(tiny_vae), np.zeros(3, dtype=np.float32), steps=5)
    assert grid.shape == (3, 5, 28, 28) and grid.min() >= 0 and grid.max() <= 1


def test_kl_per_dimension_sums_to_the_mean_kl():
    rng = np.random.default_rng(0)
    mu, logvar = rng.normal(size=(100, 6)).astype(np.float32), rng.normal(size=(100, 6)).astype(np.float32)
    total = kl_divergence(torch.from_numpy(mu), torch.from_numpy(logvar)).mean().item()
    assert np.isclose(kl_per_dimension(mu, logvar).sum(), total, rtol=1e-5)


def test_active_dimensions_follow_the_variance_of_mu():
    mu = np.zeros((50, 3), dtype=np.float32)
    mu[:, 0] = np.linspace(-1, 1, 50)  # varies: active
    mu[:, 1] = 0.05 * np.linspace(-1, 1, 50)  # Cov ~ 0.0009: inactive
    assert active_dimensions(mu).tolist() == [True, False, False]


def test_prior_samples_are_reproducible():
    torch.manual_seed(0)
    model = numpy_model(VAE(VAEConfig(hidden_size=8, latent_size=2)))
    first, again = prior_samples(model, 2, 6, seed=3), prior_samples(model, 2, 6, seed=3)
    assert first.shape == (6, 28, 28) and np.array_equal(first, again)
    assert not np.array_equal(first, prior_samples(model, 2, 6, seed=4))
