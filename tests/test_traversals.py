"""Traversals sweep one dimension at a time; per-dimension KL adds up; prior samples are reproducible."""

import numpy as np
import pytest
import torch

from conftest import numpy_model
from training.model import kl_divergence
from vae.traversals import active_dimensions, kl_per_dimension, traversal_codes, traverse


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


# The viewer's traversals (viewer/explore/panel/traversals.js, run in node) held to the numpy above.
TRAVERSALS_JS = "viewer/explore/panel/traversals.js"


@pytest.fixture(scope="module")
def node():
    from harness.node import Bridge

    bridge = Bridge()
    yield bridge
    bridge.close()


def test_the_viewers_sweep_is_numpys(node):
    assert np.array_equal(
        np.array(node.call(TRAVERSALS_JS, "traversalValues", 9, 3), dtype=np.float32),
        np.linspace(-3, 3, 9, dtype=np.float32),
    )
    z = np.arange(4, dtype=np.float32) / 3
    values = np.array([-3.0, 0.5, 3.0], dtype=np.float32)
    found = np.array(node.call(TRAVERSALS_JS, "traversalCodes", z.tolist(), values.tolist()), dtype=np.float32)
    assert np.array_equal(found, traversal_codes(z, values))


@pytest.mark.parametrize("name, index", [("z20-beta1", 42), ("z2-beta1", 7), ("z20-beta8", 0)])
def test_the_viewers_traversal_agrees_with_numpy_within_one_grey_level(node, name, index):
    from vae.family import shared_family, weights_folder

    loaded = shared_family(weights_folder()).models[name]
    z = loaded.atlas.mu[index]
    expected = traverse(loaded.model, z)  # (latent, 9, 28, 28)
    found = np.array(
        node.call("tests/js/shipped.js", "shippedTraversal", f"weights/vae-{name}.safetensors", z.tolist())
    )
    assert found.shape == (len(z), 9, 784)
    assert np.abs(found.reshape(expected.shape) - expected).max() <= 1 / 255


def test_the_viewer_sorts_rows_by_kl_as_numpy_does(node):
    rng = np.random.default_rng(1)
    for kl in (rng.random(20), np.array([0.5, 2.0, 0.5, 0.0, 2.0, 0.0]), np.zeros(3)):
        found = node.call(TRAVERSALS_JS, "klOrder", kl.tolist())
        assert found == np.argsort(-kl, kind="stable").tolist()


def test_the_kl_bars_say_how_many_dimensions_are_in_use(node):
    figure = node.call(TRAVERSALS_JS, "klFigure", [2, 0, 1], [0.5, 0.0, 3.0], [True, False, True])
    assert figure["data"][0]["x"] == ["z2", "z0", "z1"]
    assert figure["data"][0]["marker"]["color"] == ["#d62728", "#d62728", "#bbbbbb"]
    assert "2 of 3 in use" in figure["layout"]["title"]["text"] and "nats" in figure["layout"]["title"]["text"]
