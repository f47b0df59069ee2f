"""The digit sprite the widget cuts hover tiles from (explorer/sprites.py)."""

from __future__ import annotations

import numpy as np

from explorer import sprites


def test_every_digit_sits_at_its_tile_and_the_png_is_lossless():
    digits = np.random.default_rng(0).integers(0, 256, size=(257, 28, 28), dtype=np.uint8)  # a partial last row
    picture = sprites.read_png(sprites.sprite_png(digits))
    assert picture.shape == (3 * 28, 100 * 28)
    for index in (0, 1, 99, 100, 199, 256):
        np.testing.assert_array_equal(sprites.tile(picture, index), digits[index])
    assert sprites.tile(picture, 257).max() == 0  # unused tiles stay black
