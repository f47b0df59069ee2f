"""What the browser needs to show digits on hover without asking the server: image sprites and decoder weights.

    sheet = digits_sprite(family.images)            # the 10,000 test digits, one PNG data URL (~1.7 MB)
    recon = reconstruction_sprite(model, atlas.mu)   # what one NumpyVAE draws back for each of them (~1.3 MB)
    weights = decoder_weights(model)                # a z = 2 decoder (2 -> 400 -> 784), for decoding in JS

Digit i sits at column i % 100, row i // 100 of a 2800 x 2800 greyscale sheet
(white ink on black, as MNIST). The map component (widgets/latent_map.js) cuts
tiles out of the sheet with drawImage, and on a z = 2 plane runs the decoder on
the pointer's coordinates; the tests check the browser against NumpyVAE.decode.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

COLUMNS = 100
SIDE = 28


def sheet(images: np.ndarray, columns: int = COLUMNS) -> np.ndarray:
    """(N, 28, 28) uint8 -> one (rows * 28, columns * 28) uint8 sheet, row-major; unused tiles stay black."""
    count = len(images)
    rows = -(-count // columns)
    padded = np.zeros((rows * columns, SIDE, SIDE), dtype=np.uint8)
    padded[:count] = images
    return padded.reshape(rows, columns, SIDE, SIDE).transpose(0, 2, 1, 3).reshape(rows * SIDE, columns * SIDE)


def tile(picture: np.ndarray, index: int, columns: int = COLUMNS) -> np.ndarray:
    """The 28 x 28 tile of digit `index` in a sheet (what the browser cuts out)."""
    row, column = divmod(index, columns)
    return picture[row * SIDE : (row + 1) * SIDE, column * SIDE : (column + 1) * SIDE]


def png(grey: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    # compress_level 6 is zlib's default: level 9 saves little here for twice the time.
    Image.fromarray(grey, mode="L").save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def png_data_url(grey: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png(grey)).decode("ascii")


def sprite_png(images: np.ndarray) -> bytes:
    """The test digits as one lossless PNG sheet."""
    return png(sheet(np.asarray(images, dtype=np.uint8)))


def read_data_url(url: str) -> np.ndarray:
    """A PNG data URL back to a greyscale array (for tests)."""
    payload = url.split(",", 1)[1]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(payload))).convert("L"))


def digits_sprite(images: np.ndarray) -> str:
    """The test digits, lossless."""
    return png_data_url(sheet(np.asarray(images, dtype=np.uint8)))


def reconstruction_sprite(model, mu: np.ndarray) -> str:
    """What the model draws back for each test digit: decode(mu), quantised to 16 grey levels.

    The 4-bit steps (at most 8/255 off) halve the PNG (2.7 MB -> 1.3 MB for 10,000
    blurry reconstructions) and are invisible at hover-tile size.
    """
    grey = (np.clip(model.decode(mu), 0.0, 1.0) * 15.0).round().astype(np.uint8) * 17  # (N, 28, 28)
    return png_data_url(sheet(grey))


def _b64_float32(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def decoder_weights(model) -> dict:
    """A NumpyVAE's decoder tensors as little-endian float32, base64, row-major (torch's (out, in) layout):
    w1 (hidden, latent), b1 (hidden,), w2 (784, hidden), b2 (784,). ~1.7 MB for z = 2."""
    w3, w4 = model.w3.T, model.w4.T  # NumpyVAE keeps them transposed, (in, out)
    return {
        "latent": int(w3.shape[1]),
        "hidden": int(w3.shape[0]),
        "pixels": int(w4.shape[0]),
        "w1": _b64_float32(w3),
        "b1": _b64_float32(model.b3),
        "w2": _b64_float32(w4),
        "b2": _b64_float32(model.b4),
    }
