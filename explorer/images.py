"""Digits as pictures: strips of frames, labelled grids, the morph GIF, the z=2 manifold backdrop."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw


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


def morph_gif(frames: np.ndarray, scale: int = 4, frame_ms: int = 90) -> bytes:
    """An endlessly looping GIF that plays A -> B -> A, with a pause at each end."""
    pictures = [Image.fromarray(to_uint8(f)).resize((28 * scale,) * 2, Image.Resampling.NEAREST) for f in frames]
    sequence = pictures + pictures[-2:0:-1]
    durations = [frame_ms] * len(sequence)
    durations[0] = durations[len(pictures) - 1] = frame_ms * 6
    buffer = io.BytesIO()
    sequence[0].save(buffer, format="GIF", save_all=True, append_images=sequence[1:], loop=0, duration=durations)
    return buffer.getvalue()


def manifold(images: np.ndarray, columns: int) -> Image.Image:
    """Decoded digits (R*C, 28, 28), row-major from the top-left, tiled into one RGBA picture
    whose dark background is transparent, to lay under the z=2 map."""
    rows = len(images) // columns
    grey = to_uint8(images).reshape(rows, columns, 28, 28).transpose(0, 2, 1, 3).reshape(rows * 28, columns * 28)
    rgba = np.zeros(grey.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = 40  # dark ink on the light page
    rgba[..., 3] = grey
    return Image.fromarray(rgba)


def labelled_tile(image: np.ndarray, caption: str, scale: int = 3) -> np.ndarray:
    """A 28x28 image upscaled with a caption underneath (for the nearest-neighbour row)."""
    size = 28 * scale
    canvas = Image.new("L", (size, size + 14), 255)
    canvas.paste(Image.fromarray(to_uint8(image)).resize((size, size), Image.Resampling.NEAREST), (0, 0))
    ImageDraw.Draw(canvas).text((2, size + 1), caption, fill=0)
    return np.asarray(canvas)


def labelled_rows(rows: np.ndarray, labels: list[str], scale: int = 2, label_width: int = 110) -> np.ndarray:
    """A grid (R*H, label_width + C*W) uint8: one row of 28x28 images per label, label at the left."""
    strips = [strip(row, scale=scale, end_gap=2) for row in rows]
    height, width = strips[0].shape
    canvas = Image.new("L", (label_width + width, len(strips) * (height + 2)), 255)
    draw = ImageDraw.Draw(canvas)
    for i, (row, label) in enumerate(zip(strips, labels)):
        top = i * (height + 2)
        canvas.paste(Image.fromarray(row), (label_width, top))
        draw.text((4, top + height // 2 - 6), label, fill=0)
    return np.asarray(canvas)
