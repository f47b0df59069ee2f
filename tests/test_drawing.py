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
    from training.data import load_mnist

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


def image_bytes(image: Image.Image, fmt: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def bar_picture(size=(120, 120), box=(50, 20, 70, 100)) -> Image.Image:
    """Black bar (a '1') on white paper."""
    picture = Image.new("L", size, 255)
    picture.paste(0, box)
    return picture


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (Image.new("L", (100, 100), 128), "one flat shade"),  # uniform grey: was an IndexError (NaN ink)
        (Image.new("RGBA", (100, 100), (90, 90, 90, 128)), "one flat shade"),  # uniform half-transparent
        (Image.new("RGBA", (100, 100), (0, 0, 0, 0)), "fully transparent"),
        (Image.new("L", (1, 1), 0), "only 1x1 pixels"),
        (Image.new("L", (400, 4), 0), "only 400x4 pixels"),
    ],
)
def test_pictures_without_a_digit_get_a_specific_message(picture, message):
    with pytest.raises(DrawingError, match=message):
        to_mnist(read_upload(image_bytes(picture, "PNG")))


@pytest.mark.parametrize(
    ("fmt", "named"),
    [("GIF", "a GIF"), ("BMP", "a BMP"), ("TIFF", "a TIFF"), ("WEBP", "a WebP"), ("ICO", "an icon")],
)
def test_only_png_and_jpeg_are_opened_and_the_refusal_says_so(fmt, named):
    data = image_bytes(bar_picture().convert("RGB"), fmt)
    with pytest.raises(DrawingError, match=rf"looks like {named}.*only PNG and JPEG"):
        read_upload(data)


def test_postscript_is_never_handed_to_ghostscript():
    data = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto 100 100 lineto stroke\n"
    with pytest.raises(DrawingError, match=r"PostScript/EPS.*only PNG and JPEG"):
        read_upload(data)


def test_nan_float_tiff_is_refused_with_a_message():
    array = np.full((60, 60), np.nan, dtype=np.float32)
    with pytest.raises(DrawingError, match="TIFF"):
        read_upload(image_bytes(Image.fromarray(array, mode="F"), "TIFF"))
    with pytest.raises(DrawingError, match="NaN"):  # the same array handed over directly
        to_mnist(array)


def test_jpeg_reads_like_png():
    digit_png = to_mnist(read_upload(image_bytes(bar_picture(), "PNG"))).image
    digit_jpeg = to_mnist(read_upload(image_bytes(bar_picture().convert("RGB"), "JPEG", quality=90))).image
    assert np.corrcoef(digit_png.ravel(), digit_jpeg.ravel())[0, 1] > 0.9  # JPEG rings around sharp edges


def test_exif_orientation_is_applied():
    # Stored sideways (a horizontal bar, 200 wide), with EXIF "rotate 90 CW to display": the viewer sees
    # an upright '1'. Read without EXIF this was a '-' (the phone photo of a 7 read as 0, 8, 6...).
    stored = bar_picture(size=(200, 120), box=(20, 50, 180, 70)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    picture = read_upload(image_bytes(stored, "JPEG", exif=exif.tobytes(), quality=95))
    assert picture.size == (120, 200)
    digit = to_mnist(picture).image
    rows = np.flatnonzero((digit > 0.3).any(axis=1))
    cols = np.flatnonzero((digit > 0.3).any(axis=0))
    assert rows[-1] - rows[0] > 3 * (cols[-1] - cols[0])  # tall and thin: upright


def test_large_picture_is_reduced_before_it_becomes_an_array():
    big = bar_picture(size=(4000, 3000), box=(1900, 300, 2100, 2700))
    picture = read_upload(image_bytes(big, "PNG"))
    assert max(picture.size) <= 560 and picture.size == (500, 375)  # 4000x3000 reduced 8x
    assert to_mnist(picture).image.max() > 0.9
    jpeg = read_upload(image_bytes(big.convert("RGB"), "JPEG"))  # decoded at a reduced DCT scale
    assert max(jpeg.size) <= 560


def test_noise_is_encoded_with_a_hint_and_a_digit_is_not():
    noise = np.random.default_rng(0).integers(0, 256, (200, 200), dtype=np.uint8)
    assert to_mnist(noise).warning is not None and "noise" in to_mnist(noise).warning
    assert to_mnist(np.asarray(bar_picture())).warning is None
    canvas = canvas_with_stroke(top=40, left=120, height=200, width=30)
    assert to_mnist(canvas).warning is None


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32, np.float32, np.float64, bool])
def test_arrays_of_any_real_dtype(dtype):
    array = np.zeros((100, 100), dtype=dtype)
    array[20:80, 45:55] = 1 if dtype in (np.float32, np.float64, bool) else 200
    assert to_mnist(array).image.max() > 0.9


def test_empty_file():
    with pytest.raises(DrawingError, match="empty"):
        read_upload(b"")


def test_pieces_counts_four_connected_regions():
    from vae.drawing import _pieces

    mask = np.zeros((6, 6), dtype=bool)
    mask[0, 0] = mask[1, 1] = True  # diagonal neighbours: two pieces
    mask[3:5, 2:6] = True
    assert _pieces(mask) == 3 and _pieces(~mask) == 1
