"""What the browser needs to show digits on hover without asking the server: image sprites and decoder weights.

    sheet = digits_sprite(family.images)            # the 10,000 test digits, one PNG data URL (~1.7 MB)
    recon = reconstruction_sprite(arrays, atlas.mu)  # what one model draws back for each of them (~1.3 MB)
    weights = decoder_weights(arrays)               # a z = 2 decoder (2 -> 400 -> 784), for decoding in JS

Digit i sits at column i % 100, row i // 100 of a 2800 x 2800 greyscale sheet
(white ink on black, as MNIST). The map component (widgets/latent_map.js) cuts
tiles out of the sheet with drawImage, and on a z = 2 plane runs the decoder on
the pointer's coordinates. `decode_numpy` is the same arithmetic in numpy, so
the sprites need no torch and the tests can check the browser against it.
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


def png_data_url(grey: np.ndarray) -> str:
    buffer = io.BytesIO()
    # compress_level 6 is zlib's default: level 9 saves ~3% here for twice the time.
    Image.fromarray(grey, mode="L").save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def read_data_url(url: str) -> np.ndarray:
    """A PNG data URL back to a greyscale array (for tests)."""
    payload = url.split(",", 1)[1]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(payload))).convert("L"))


def digits_sprite(images: np.ndarray) -> str:
    """The test digits, lossless."""
    return png_data_url(sheet(np.asarray(images, dtype=np.uint8)))


def decoder_arrays(source) -> dict[str, np.ndarray]:
    """The decoder's tensors in torch's (out, in) layout, from a checkpoint's arrays or a loaded
    numpy model (vae/inference.py's NumpyVAE keeps them transposed as w3, b3, w4, b4)."""
    if isinstance(source, dict):
        return source
    return {"fc3.weight": source.w3.T, "fc3.bias": source.b3, "fc4.weight": source.w4.T, "fc4.bias": source.b4}


def decode_numpy(arrays, z: np.ndarray, chunk: int = 2000) -> np.ndarray:
    """The VAE's decoder, sigmoid(fc4(relu(fc3(z)))), on codes z (N, latent) -> (N, 28, 28) float32 in [0, 1].
    `arrays`: a checkpoint's arrays or a NumpyVAE. In chunks, so 10,000 codes never need a (10,000, 784)
    float64 temporary."""
    arrays = decoder_arrays(arrays)
    w3, b3 = arrays["fc3.weight"], arrays["fc3.bias"]  # (hidden, latent), (hidden,)
    w4, b4 = arrays["fc4.weight"], arrays["fc4.bias"]  # (784, hidden), (784,)
    z = np.asarray(z, dtype=np.float32)
    out = np.empty((len(z), SIDE * SIDE), dtype=np.float32)
    for start in range(0, len(z), chunk):
        hidden = np.maximum(z[start : start + chunk] @ w3.T + b3, 0.0)  # (n, hidden)
        logits = np.clip(hidden @ w4.T + b4, -30.0, 30.0)  # (n, 784); clipped so exp never overflows
        out[start : start + chunk] = 1.0 / (1.0 + np.exp(-logits))
    return out.reshape(-1, SIDE, SIDE)


def reconstruction_sprite(arrays, mu: np.ndarray) -> str:
    """What the model draws back for each test digit: decode(mu), quantised to 16 grey levels.

    The 4-bit steps (at most 8/255 off) halve the PNG (2.7 MB -> 1.3 MB for 10,000
    blurry reconstructions) and are invisible at hover-tile size.
    """
    grey = (np.clip(decode_numpy(arrays, mu), 0.0, 1.0) * 15.0).round().astype(np.uint8) * 17  # (N, 28, 28)
    return png_data_url(sheet(grey))


def _b64_float32(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def decoder_weights(arrays) -> dict:
    """The decoder's tensors as little-endian float32, base64, row-major (torch's (out, in) layout):
    w1 (hidden, latent), b1 (hidden,), w2 (784, hidden), b2 (784,). ~1.7 MB for z = 2.
    `arrays`: a checkpoint's arrays or a NumpyVAE."""
    arrays = decoder_arrays(arrays)
    w3, w4 = arrays["fc3.weight"], arrays["fc4.weight"]
    return {
        "latent": int(w3.shape[1]),
        "hidden": int(w3.shape[0]),
        "pixels": int(w4.shape[0]),
        "w1": _b64_float32(w3),
        "b1": _b64_float32(arrays["fc3.bias"]),
        "w2": _b64_float32(w4),
        "b2": _b64_float32(arrays["fc4.bias"]),
    }
