"""Turn a drawing or an uploaded picture into a 28x28 digit the way MNIST was made.

MNIST (LeCun et al.): the ink is cropped, scaled to fit a 20x20 box keeping its
aspect ratio (anti-aliased, hence grey levels), then placed in a 28x28 field so
that its centre of mass sits at the field's centre (pixel (14, 14) as measured
on the test set). Light-on-dark is what the model knows; dark-on-light pictures
are inverted automatically.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_PIXELS = 25_000_000  # a 5000x5000 photo; anything bigger is refused before decoding
INK_THRESHOLD = 0.15  # fraction of the brightest ink that counts as a stroke
MIN_EXTENT = 0.08  # the ink's bounding box must span this fraction of the picture
BOX, FIELD, CENTRE = 20, 28, 14.0


class DrawingError(ValueError):
    """A picture that cannot become a digit; the message is meant for the user."""


@dataclass
class Digit:
    image: np.ndarray  # (28, 28) float32 in [0, 1], white ink on black
    inverted: bool  # the input was dark-on-light and was inverted


def read_upload(data: bytes) -> Image.Image:
    """Decodes uploaded bytes in memory; raises DrawingError for anything that is not a sane image."""
    try:
        with warnings.catch_warnings():  # we refuse big pictures ourselves, with a better message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
        width, height = picture.size
        if width * height > MAX_UPLOAD_PIXELS:
            raise DrawingError(
                f"That image is {width}x{height} pixels; pictures up to {MAX_UPLOAD_PIXELS // 1_000_000} "
                "megapixels are accepted. Crop or shrink it and try again."
            )
        picture.load()
    except DrawingError:
        raise
    except Image.DecompressionBombError:
        raise DrawingError("That image is far too large to open safely.") from None
    except UnidentifiedImageError:
        raise DrawingError("That file is not a picture we can read; upload a PNG or JPG.") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise DrawingError("That picture is damaged or truncated and cannot be read.") from None
    return picture


def ink_map(picture: Image.Image | np.ndarray) -> tuple[np.ndarray, bool]:
    """Grey ink in [0, 1] (H, W), light on dark, and whether the picture was inverted."""
    if isinstance(picture, np.ndarray):
        picture = Image.fromarray(np.ascontiguousarray(picture).astype(np.uint8))
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit and float greyscale
        grey = np.asarray(picture, dtype=np.float64)
        top = 65535.0 if picture.mode.startswith("I;16") else max(float(grey.max()), 1.0)
        grey = np.clip(grey / top, 0.0, 1.0)
        alpha = np.ones_like(grey)
    else:
        rgba = np.asarray(picture.convert("RGBA"), dtype=np.float64) / 255.0
        grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
        alpha = rgba[..., 3]
    if alpha.min() < 0.9:  # transparent background: the ink is wherever something was painted
        return alpha.astype(np.float32), False
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    inverted = bool(np.median(border) > 0.5)
    return (1.0 - grey if inverted else grey).astype(np.float32), inverted


def to_mnist(picture: Image.Image | np.ndarray) -> Digit:
    """The 28x28 digit the model sees. Raises DrawingError for a blank or dot-sized drawing."""
    ink, inverted = ink_map(picture)
    if ink.size == 0 or ink.max() < 0.1:
        raise DrawingError("Nothing drawn yet: draw a digit (0-9) in the box.")
    ink = ink - np.median(ink) if np.median(ink) > 0.05 else ink  # lift a grey paper background
    ink = np.clip(ink / ink.max(), 0.0, 1.0)
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    extent = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    if extent < MIN_EXTENT * max(ink.shape):
        raise DrawingError("That is only a dot: draw a whole digit that fills most of the box.")
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]

    scale = BOX / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))  # (w, h)
    patch = Image.fromarray((crop * 255).astype(np.uint8)).resize(size, Image.Resampling.LANCZOS)
    patch = np.asarray(patch, dtype=np.float32) / 255.0  # (h, w), anti-aliased grey levels

    ys, xs = np.mgrid[: patch.shape[0], : patch.shape[1]]
    mass = patch.sum()
    top = int(np.clip(round(CENTRE - (ys * patch).sum() / mass), 0, FIELD - patch.shape[0]))
    left = int(np.clip(round(CENTRE - (xs * patch).sum() / mass), 0, FIELD - patch.shape[1]))
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    field[top : top + patch.shape[0], left : left + patch.shape[1]] = patch
    return Digit(np.clip(field, 0.0, 1.0), inverted)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.mgrid[: image.shape[0], : image.shape[1]]
    mass = image.sum()
    return float((ys * image).sum() / mass), float((xs * image).sum() / mass)
