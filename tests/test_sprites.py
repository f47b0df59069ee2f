"""Sprites and decoder weights the map sends to the browser (explorer/sprites.py)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from explorer import sprites
from vae.config import VAEConfig, parameter_shapes
from vae.inference import NumpyVAE


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(257, 28, 28), dtype=np.uint8)  # not a multiple of 100: a partial row


@pytest.fixture(scope="module")
def decoder_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    shapes = parameter_shapes(VAEConfig(hidden_size=16, latent_size=2))
    return {name: rng.normal(size=shape).astype(np.float32) for name, shape in shapes.items()}


@pytest.fixture(scope="module")
def model(decoder_arrays) -> NumpyVAE:
    return NumpyVAE(decoder_arrays, VAEConfig(hidden_size=16, latent_size=2))


def test_every_digit_sits_at_its_tile_and_the_png_is_lossless(digits):
    picture = sprites.read_data_url(sprites.digits_sprite(digits))
    assert picture.shape == (3 * 28, 100 * 28)
    for index in (0, 1, 99, 100, 199, 256):
        np.testing.assert_array_equal(sprites.tile(picture, index), digits[index])
    assert sprites.tile(picture, 257).max() == 0  # unused tiles stay black


def test_the_numpy_decoder_is_the_decoder(decoder_arrays, model):
    z = np.array([[0.0, 0.0], [1.5, -2.0], [30.0, 30.0]], dtype=np.float32)
    hidden = np.maximum(z @ decoder_arrays["fc3.weight"].T + decoder_arrays["fc3.bias"], 0).astype(np.float64)
    expected = 1 / (1 + np.exp(-(hidden @ decoder_arrays["fc4.weight"].T + decoder_arrays["fc4.bias"])))
    out = model.decode(z)
    assert out.shape == (3, 28, 28) and np.isfinite(out).all()
    np.testing.assert_allclose(out.reshape(3, -1), expected, atol=1e-4)  # float32 arithmetic


def test_decoder_weights_decode_back_to_the_tensors(decoder_arrays, model):
    weights = sprites.decoder_weights(model)
    assert (weights["latent"], weights["hidden"], weights["pixels"]) == (2, 16, 784)

    def floats(name):  # what the browser does: base64 -> little-endian float32, row-major
        return np.frombuffer(base64.b64decode(weights[name]), dtype="<f4")

    np.testing.assert_array_equal(floats("w1").reshape(16, 2), decoder_arrays["fc3.weight"])
    np.testing.assert_array_equal(floats("w2").reshape(784, 16), decoder_arrays["fc4.weight"])
    np.testing.assert_array_equal(floats("b1"), decoder_arrays["fc3.bias"])
    np.testing.assert_array_equal(floats("b2"), decoder_arrays["fc4.bias"])


def test_reconstruction_sprite_is_within_half_a_grey_step(model):
    mu = np.random.default_rng(2).normal(size=(120, 2)).astype(np.float32)
    picture = sprites.read_data_url(sprites.reconstruction_sprite(model, mu))
    exact = model.decode(mu) * 255
    for index in (0, 57, 119):
        error = np.abs(sprites.tile(picture, index).astype(float) - exact[index])
        assert error.max() <= 17 / 2 + 0.5  # 16 grey levels, 17 apart
    assert len(set(np.unique(picture)) - set(range(0, 256, 17))) == 0
