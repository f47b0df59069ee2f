"""The test digits as one picture the browser cuts hover tiles from, and small PNG helpers.

    png = sprite_png(family.images)     # the 10,000 test digits in one lossless PNG sheet (~1.7 MB)

Digit i sits at column i % 100, row i // 100 of a 2800 x 2800 greyscale sheet (white ink on
black, as MNIST). The explorer widget (viewer/explore/map/tip.js) cuts tiles out of it with drawImage;
explorer/assets.py serves it, cached for good.
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


def read_png(data: bytes) -> np.ndarray:
    """PNG bytes back to a greyscale array (for tests)."""
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))


def sprite_png(images: np.ndarray) -> bytes:
    """The test digits as one lossless PNG sheet."""
    return png(sheet(np.asarray(images, dtype=np.uint8)))
