"""Drawings and uploads become MNIST-like digits; bad pictures get a clear message."""
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from vae.drawing import DrawingError, centre_of_mass, read_upload, to_mnist


def canvas_with_stroke(top, left, height, width, size=280, value=255):
    """A 280x280 RGBA canvas (opaque black) with one white rectangle-ish stroke."""
    canvas = np.zeros((size, size, 4), dtype=np.uint8)
    canvas[..., 3] = 255
    canvas[top : top + height, left : left + width, :3] = value
    return canvas


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_off_centre_oversized_stroke_is_centred_and_sized_like_mnist():
    canvas = canvas_with_stroke(top=10, left=150, height=260, width=60)  # tall, far right, touching edges
    digit = to_mnist(canvas).image
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    cy, cx = centre_of_mass(digit)
    assert abs(cy - 14.0) <= 0.6 and abs(cx - 14.0) <= 0.6  # MNIST test digits: 14.0 +- 0.3
    rows = np.flatnonzero((digit > 0.05).any(axis=1))
    cols = np.flatnonzero((digit > 0.05).any(axis=0))
    assert 19 <= rows[-1] - rows[0] + 1 <= 21  # longest side fits the 20-pixel box
    assert cols[-1] - cols[0] + 1 < 10  # aspect ratio kept: a thin stroke stays thin


def test_real_mnist_digit_survives_the_round_trip(data_root):
    from vae.data import load_mnist

    original = load_mnist(str(data_root), train=False).images[0].numpy()
    big = np.zeros((300, 300), dtype=np.uint8)
    big[20:244, 60:284] = np.asarray(Image.fromarray(original).resize((224, 224), Image.Resampling.BILINEAR))
    digit = to_mnist(big).image
    correlation = np.corrcoef(digit.ravel(), original.ravel() / 255.0)[0, 1]
    assert correlation > 0.85


def test_blank_canvas_is_reported_not_encoded():
    with pytest.raises(DrawingError, match="Nothing drawn"):
        to_mnist(canvas_with_stroke(0, 0, 0, 0))


def test_single_dot_is_reported():
    with pytest.raises(DrawingError, match="dot"):
        to_mnist(canvas_with_stroke(140, 140, 8, 8))


def test_dark_on_light_is_inverted():
    picture = np.full((100, 80), 255, dtype=np.uint8)
    picture[20:80, 35:45] = 0  # black bar on white paper
    digit = to_mnist(picture)
    assert digit.inverted
    assert digit.image[14, 14] > 0.5 and digit.image[0, 0] == 0.0


def test_transparent_background_uses_the_painted_strokes():
    rgba = np.zeros((200, 200, 4), dtype=np.uint8)
    rgba[40:160, 90:110] = (20, 20, 200, 255)  # blue stroke on a transparent canvas
    digit = to_mnist(Image.fromarray(rgba, mode="RGBA"))
    assert not digit.inverted and digit.image.max() > 0.9


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA", "RGB", "1"])
def test_common_modes_upload(mode):
    picture = Image.new("L", (120, 120), 255)
    picture.paste(0, (50, 20, 70, 100))
    data = png_bytes(picture.convert(mode))
    digit = to_mnist(read_upload(data))
    assert digit.image.max() > 0.9


def test_sixteen_bit_png():
    array = np.zeros((90, 90), dtype=np.uint16)
    array[10:80, 40:50] = 60000
    data = png_bytes(Image.fromarray(array))
    picture = read_upload(data)
    assert picture.mode.startswith("I")
    assert to_mnist(picture).image.max() > 0.9


def test_non_image_bytes_named_png():
    with pytest.raises(DrawingError, match="not a picture"):
        read_upload(b"this is a text file pretending to be a PNG")


def test_truncated_png():
    picture = Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8))
    data = png_bytes(picture)
    with pytest.raises(DrawingError, match="damaged or truncated"):
        read_upload(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    data = bytearray(png_bytes(Image.new("L", (1, 1))))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", 10_000, 10_000)  # claim 10,000 x 10,000
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    with pytest.raises(DrawingError, match="10000x10000"):
        read_upload(bytes(data))
