"""Digits as pictures: strips of frames, labelled grids, the morph GIF and PNG, the z=2 manifold backdrop.

Labels drawn into pictures use DejaVu Sans where the system has it (Debian's fonts-dejavu-core: it has
β, σ and ★); nothing third-party ships with the app. Without it they fall back to Pillow's built-in font,
which has Latin letters only, and any character it cannot draw is spelled out ("β" -> "beta") rather
than drawn as a blank box.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

GIF_SCALE = 10  # 28 * 10 = 280 px: big enough to see the strokes change
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf")
LABEL_SIZE = 11  # px; fits the 14 px caption band of labelled_tile
SPELLED = {"β": "beta", "σ": "sigma", "μ": "mu", "★": "*", "−": "-", "→": "->", "≤": "<=", "≥": ">=", "×": "x"}


def to_uint8(images: np.ndarray) -> np.ndarray:
    return (np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0) * 255).round().astype(np.uint8)


def strip(images: np.ndarray, scale: int = 3, gap: int = 2, end_gap: int = 8) -> np.ndarray:
    """One row (H, W) uint8 of 28x28 images; a wider gap sets off the first and last (the originals)."""
    tiles = [np.kron(to_uint8(image), np.ones((scale, scale), dtype=np.uint8)) for image in images]
    size = 28 * scale
    gaps = [end_gap if i in (0, len(tiles) - 2) else gap for i in range(len(tiles) - 1)]
    row = np.full((size, size * len(tiles) + sum(gaps)), 255, dtype=np.uint8)
    x = 0
    for i, tile in enumerate(tiles):
        row[:, x : x + size] = tile
        x += size + (gaps[i] if i < len(gaps) else 0)
    return row


def png(picture: np.ndarray) -> bytes:
    """A uint8 (H, W) or (H, W, C) array as PNG bytes (the strip's download)."""
    buffer = io.BytesIO()
    # Not optimize=True: at start-up (the plane backdrops, the lesson's mosaics) time counts more than a few % of bytes.
    Image.fromarray(np.asarray(picture, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def morph_gif(frames: np.ndarray, scale: int = GIF_SCALE, frame_ms: int = 90) -> bytes:
    """An endlessly looping GIF that plays A -> B -> A, with a pause at each end."""
    pictures = [Image.fromarray(to_uint8(f)).resize((28 * scale,) * 2, Image.Resampling.NEAREST) for f in frames]
    sequence = pictures + pictures[-2:0:-1]
    durations = [frame_ms] * len(sequence)
    durations[0] = durations[len(pictures) - 1] = frame_ms * 6
    buffer = io.BytesIO()
    sequence[0].save(buffer, format="GIF", save_all=True, append_images=sequence[1:], loop=0, duration=durations)
    return buffer.getvalue()


def tiled(images: np.ndarray, columns: int) -> np.ndarray:
    """Decoded digits (R*C, 28, 28) in [0, 1], row-major from the top-left, as one (R*28, C*28) uint8
    picture, white on black: the one way digits are tiled over a plane (the map's backdrop, the lesson's)."""
    rows = len(images) // columns
    return to_uint8(images).reshape(rows, columns, 28, 28).transpose(0, 2, 1, 3).reshape(rows * 28, columns * 28)


def manifold(images: np.ndarray, columns: int) -> Image.Image:
    """The tiled digits as one RGBA picture whose dark background is transparent, to lay under the z=2 map."""
    grey = tiled(images, columns)
    rgba = np.zeros((*grey.shape, 4), dtype=np.uint8)
    rgba[..., :3] = 40  # dark ink on the light page
    rgba[..., 3] = grey
    return Image.fromarray(rgba)


@cache
def label_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at LABEL_SIZE if the system has it, else Pillow's built-in font."""
    for path in FONT_FILES:
        if Path(path).is_file():
            try:
                return ImageFont.truetype(path, LABEL_SIZE)
            except OSError:  # an unreadable font file: try the next, then the built-in one
                continue
    return ImageFont.load_default(LABEL_SIZE)


def _glyph(font, character: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(character)
    return mask.size, bytes(mask)


def can_draw(text: str, font=None) -> bool:
    """Whether `font` (default: label_font()) draws every character of text rather than its missing-glyph
    box. Each character is compared with U+FFFF, a code point no font has a glyph for."""
    font = font or label_font()
    missing = _glyph(font, "\uffff")
    return all(character.isspace() or _glyph(font, character) != missing for character in text)


def drawable(text: str, font=None) -> str:
    """text with each character `font` cannot draw spelled out (SPELLED) or, failing that, shown as "?"."""
    font = font or label_font()
    return "".join(c if can_draw(c, font) else SPELLED.get(c, "?") for c in text)


def labelled_tile(image: np.ndarray, caption: str, scale: int = 3) -> np.ndarray:
    """A 28x28 image upscaled with a caption underneath (for the nearest-neighbour row)."""
    size = 28 * scale
    canvas = Image.new("L", (size, size + 14), 255)
    canvas.paste(Image.fromarray(to_uint8(image)).resize((size, size), Image.Resampling.NEAREST), (0, 0))
    ImageDraw.Draw(canvas).text((2, size + 1), drawable(caption), fill=0, font=label_font())
    return np.asarray(canvas)


def labelled_rows(rows: np.ndarray, labels: list[str], scale: int = 2, label_width: int = 110) -> np.ndarray:
    """A grid (R*H, label_width + C*W) uint8: one row of 28x28 images per label, label at the left."""
    strips = [strip(row, scale=scale, end_gap=2) for row in rows]
    height, width = strips[0].shape
    canvas = Image.new("L", (label_width + width, len(strips) * (height + 2)), 255)
    draw = ImageDraw.Draw(canvas)
    for i, (row, label) in enumerate(zip(strips, labels, strict=True)):
        top = i * (height + 2)
        canvas.paste(Image.fromarray(row), (label_width, top))
        draw.text((4, top + height // 2 - 6), drawable(label), fill=0, font=label_font())
    return np.asarray(canvas)
