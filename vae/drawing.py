"""Turn a drawing or an uploaded picture into a 28x28 digit the way MNIST was made.

MNIST (LeCun et al.): the ink is cropped, scaled to fit a 20x20 box keeping its
aspect ratio (anti-aliased, hence grey levels), then placed in a 28x28 field so
that its centre of mass sits at the field's centre (pixel (14, 14) as measured
on the test set). Light-on-dark is what the model knows; dark-on-light pictures
are inverted automatically.

Uploads are untrusted bytes. `read_upload` accepts what Pillow itself detects
as PNG or JPEG (never the file name), checks the size in the header before
decoding, lets JPEG decode at a reduced scale (`draft`), shrinks everything to
at most WORK_SIDE pixels a side before any numpy array exists, and applies the
EXIF orientation. Memory per upload: the decoded picture (at most
MAX_UPLOAD_PIXELS x 4 bytes = 100 MB, for a 25 MP RGB(A) PNG; a JPEG decodes at
1/8 scale) plus bands of 256 rows converted and reduced one at a time; measured
peak growth 107 MB for a 5000x5000 RGBA PNG, 28 MB greyscale, 6 MB for a
5000x5000 JPEG (docs/bad-input.md). Pictures over BIG_PICTURE_PIXELS are
decoded one at a time across all sessions, and their freed pixels are handed
back to the system, so concurrent big uploads queue instead of adding up (three
5000x5000 RGBA PNGs at once: +125 MB). Afterwards the page keeps only the 28x28
result.

Every refusal is a DrawingError whose message is meant for the visitor.
"""

from __future__ import annotations

import ctypes
import io
import threading
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image

MAX_UPLOAD_PIXELS = 25_000_000  # a 5000x5000 photo; anything bigger is refused before decoding
BIG_PICTURE_PIXELS = 4_000_000  # above this, decoding waits for any other big decode to finish
MIN_SIDE = 8  # a picture narrower than this cannot hold a recognisable digit
MAX_ASPECT = 30  # longest side / shortest side
WORK_SIDE = 560  # pictures are reduced to fit this square (2x the canvas) before they become arrays
ACCEPTED_FORMATS = ("PNG", "JPEG", "MPO")  # MPO: the multi-picture JPEG many phone cameras write
INK_THRESHOLD = 0.15  # fraction of the brightest ink that counts as a stroke
MIN_CONTRAST = 0.1  # darkest-to-brightest difference below which a picture is one flat shade
MIN_EXTENT = 0.08  # the ink's bounding box must span this fraction of the picture
NOISE_GRID = 56  # noise is judged on the ink reduced to fit this square (2x MNIST), where strokes stay whole
NOISE_FRAGMENTS = 30  # more separate ink/background pieces than this on that grid reads as noise
NOISE_COVERAGE = 0.6  # ink over more than this fraction of the picture reads as noise or a photo, not a digit
BOX, FIELD, CENTRE = 20, 28, 14.0

_big_decode = threading.Lock()

# What a refused file most likely is, from its first bytes, only to name it in the message.
_SIGNATURES = (
    (b"GIF8", "a GIF"),
    (b"BM", "a BMP"),
    (b"II*\x00", "a TIFF"),
    (b"MM\x00*", "a TIFF"),
    (b"%PDF", "a PDF"),
    (b"%!PS", "a PostScript/EPS file"),
    (b"\xc5\xd0\xd3\xc6", "an EPS file"),
    (b"\x00\x00\x01\x00", "an icon (ICO)"),
    (b"8BPS", "a Photoshop file"),
    (b"\xff\x0a", "a JPEG XL"),
)


class DrawingError(ValueError):
    """A picture that cannot become a digit; the message is meant for the user."""


@dataclass
class Digit:
    image: np.ndarray  # (28, 28) float32 in [0, 1], white ink on black
    inverted: bool  # the input was dark-on-light and was inverted
    warning: str | None = None  # accepted, but the visitor should know (e.g. it looks like noise)


def read_upload(data: bytes) -> Image.Image:
    """Decodes uploaded bytes in memory into a picture of at most WORK_SIDE pixels a side, upright.

    Raises DrawingError (a message for the user) for anything that is not a sane PNG or JPEG.
    """
    if not data:
        raise DrawingError("That file is empty; upload a PNG or JPEG picture of one digit.")
    try:
        with warnings.catch_warnings():  # we refuse big pictures ourselves, with a better message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)  # reads the header only
    except Image.DecompressionBombError:
        raise DrawingError("That image is far too large to open safely.") from None
    except Exception:
        raise DrawingError(_not_accepted(data)) from None
    try:
        return _decode_small(picture)
    except DrawingError:
        raise
    except Exception:
        raise DrawingError("That picture is damaged or truncated and cannot be read.") from None
    finally:
        picture.close()


def _not_accepted(data: bytes) -> str:
    head = data[:64].lstrip()
    kind = next((name for magic, name in _SIGNATURES if head.startswith(magic)), None)
    if kind is None and head[4:8] == b"ftyp":
        kind = "a HEIC/AVIF photo"
    if kind is None and head[:5].lower() in (b"<?xml", b"<svg "):
        kind = "an SVG drawing"
    if kind is None and head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "a WebP"
    what = f"That file looks like {kind}" if kind else "That file is not a picture we can read"
    return f"{what}; only PNG and JPEG pictures are accepted (the file's contents decide, not its name)."


def _decode_small(picture: Image.Image) -> Image.Image:
    if picture.format not in ACCEPTED_FORMATS:  # formats= already limits this; stay explicit
        raise DrawingError(_not_accepted(b""))
    width, height = picture.size
    if width * height > MAX_UPLOAD_PIXELS:
        raise DrawingError(
            f"That image is {width}x{height} pixels; pictures up to {MAX_UPLOAD_PIXELS // 1_000_000} "
            "megapixels are accepted. Crop or shrink it and try again."
        )
    if min(width, height) < MIN_SIDE:
        raise DrawingError(
            f"That image is only {width}x{height} pixels; a digit needs at least "
            f"{MIN_SIDE}x{MIN_SIDE}. Upload a larger picture."
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise DrawingError(f"That image is {width}x{height} pixels, a thin strip; upload a picture of one digit.")
    if picture.format != "PNG":
        picture.draft("RGB" if picture.mode not in ("L", "1") else "L", (WORK_SIDE, WORK_SIDE))  # DCT scaling
    lock = _big_decode if width * height > BIG_PICTURE_PIXELS else None
    if lock is not None:
        lock.acquire()
    try:
        picture.load()
        orientation = picture.getexif().get(_ORIENTATION)  # after load: a PNG's getexif() decodes the picture
        small = _shrink(picture)
        if small is picture:  # already small: copy it, since the caller closes the file's picture
            small = picture.copy()
    finally:
        picture.close()  # the full-size pixels go now, not when the caller's `finally` runs
        if lock is not None:
            _release_freed_memory()
            lock.release()
    turn = _EXIF_TURNS.get(orientation) if isinstance(orientation, int) else None
    return small.transpose(turn) if turn is not None else small


def _release_freed_memory() -> None:
    """Hands the big decode's freed pixels back to the system now.

    glibc keeps what a thread freed in that thread's malloc arena, and Streamlit runs each rerun in a new
    thread: without this, three big uploads read one after another left the server ~240 MB larger
    instead of ~110 MB (measured by tests/test_hostile.py). Elsewhere than glibc this does nothing.
    """
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None  # glibc's malloc_trim once looked up; False where there is none
_ORIENTATION = 0x0112  # EXIF tag: how the stored picture must be turned to show upright
_EXIF_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_BAND_ROWS = 256  # full-size rows converted at a time: 256 x 5000 x 4 bytes = 5 MB


def _working_mode(mode: str, has_transparency: bool) -> str:
    """A mode that Image.reduce and ink_map handle: palette and CMYK become RGB(A), bits L, 16-bit I."""
    if mode in ("L", "LA", "RGB", "RGBA", "I", "F"):
        return mode
    if mode in ("P", "PA"):
        return "RGBA" if has_transparency or mode == "PA" else "RGB"
    if mode == "1":
        return "L"
    if mode.startswith("I;16"):
        return "I"
    return "RGBA" if "A" in mode or "a" in mode else "RGB"


def _shrink(picture: Image.Image) -> Image.Image:
    """The decoded picture box-reduced to fit WORK_SIDE, in bands of rows.

    Working band by band, no second full-size copy ever exists: not the RGBA of a palette picture, and
    not the premultiplied-alpha copy that Pillow's resize and reduce make of an RGBA picture (that copy
    alone is 100 MB for 25 MP).
    """
    mode = _working_mode(picture.mode, "transparency" in picture.info)
    factor = max(1, -(-max(picture.size) // WORK_SIDE))  # ceil: the result fits WORK_SIDE
    if factor == 1:
        return picture.convert(mode) if picture.mode != mode else picture
    width, height = picture.size
    small = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = factor * max(1, _BAND_ROWS // factor)  # a multiple of factor, so bands meet on whole output rows
    for top in range(0, height, rows):
        band = picture.crop((0, top, width, min(height, top + rows)))
        if band.mode != mode:
            band = band.convert(mode)
        small.paste(band.reduce(factor), (0, top // factor))
    return small


def ink_map(picture: Image.Image | np.ndarray) -> tuple[np.ndarray, bool]:
    """Grey ink in [0, 1] (H, W) float32, light on dark, and whether the picture was inverted.

    An array (the canvas) may be (H, W) or (H, W, 1-4 channels) of any real dtype; floats up to 1 are
    read as [0, 1], anything else as 0-255 (scaled down if it goes beyond). Raises DrawingError.
    """
    picture = _as_picture(picture)
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit (read as I), 32-bit and float greyscale
        grey = np.asarray(picture, dtype=np.float32)
        if not np.isfinite(grey).all():
            raise DrawingError(
                "That picture has undefined (NaN or infinite) pixels; save it as an ordinary PNG or JPEG and try again."
            )
        integer_top = 255.0 if float(grey.max()) <= 255 else 65535.0  # 8-bit or 16-bit, whichever fits
        top = max(float(grey.max()), 1.0) if picture.mode == "F" else integer_top
        grey = np.clip(grey / top, 0.0, 1.0)
        alpha = np.ones_like(grey)
    else:
        rgba = np.asarray(picture.convert("RGBA"), dtype=np.float32) / 255.0  # at most 560x560x4
        grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        alpha = rgba[..., 3]
    if alpha.max() < MIN_CONTRAST:
        raise DrawingError("That picture is fully transparent: nothing is painted on it.")
    if alpha.min() < 0.9 and np.ptp(alpha) >= MIN_CONTRAST:  # strokes painted on a transparent background
        return alpha.astype(np.float32), False
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    inverted = bool(np.median(border) > 0.5)
    return (1.0 - grey if inverted else grey).astype(np.float32), inverted


def _as_picture(picture: Image.Image | np.ndarray) -> Image.Image:
    """A PIL picture of at most WORK_SIDE a side, from a PIL picture or an array of any real dtype."""
    if isinstance(picture, np.ndarray):
        picture = _array_to_picture(picture)
    elif not isinstance(picture, Image.Image):
        raise DrawingError("That is not a picture.")
    width, height = picture.size
    if width * height == 0:
        raise DrawingError("That picture is empty (0 pixels).")
    if width * height > MAX_UPLOAD_PIXELS:
        raise DrawingError(
            f"That image is {width}x{height} pixels; pictures up to "
            f"{MAX_UPLOAD_PIXELS // 1_000_000} megapixels are accepted."
        )
    return _shrink(picture)  # a new picture when it shrinks or changes mode; the caller's is left alone


FLOAT32_MAX = float(np.finfo(np.float32).max)
_ARRAY_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _array_to_picture(array: np.ndarray) -> Image.Image:
    if array.ndim == 3 and array.shape[2] in _ARRAY_MODES:
        mode = _ARRAY_MODES[array.shape[2]]
    elif array.ndim == 2:
        mode = "L"
    else:
        raise DrawingError(f"A picture must be height x width (x 1-4 channels), not {array.shape}.")
    if array.size == 0:
        raise DrawingError("That picture is empty (0 pixels).")
    if array.shape[0] * array.shape[1] > MAX_UPLOAD_PIXELS:
        raise DrawingError(
            f"That image is {array.shape[1]}x{array.shape[0]} pixels; pictures up to "
            f"{MAX_UPLOAD_PIXELS // 1_000_000} megapixels are accepted."
        )
    if array.dtype.kind not in "biuf":
        raise DrawingError(f"A picture holds numbers, not {array.dtype}.")
    if array.dtype != np.uint8:
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise DrawingError("That picture has undefined (NaN or infinite) pixels; nothing to read.")
        if array.dtype.kind == "f" and array.dtype.itemsize > 4:  # beyond float32's range would become inf
            array = np.clip(array, -FLOAT32_MAX, FLOAT32_MAX)
        values = np.maximum(array.astype(np.float32), 0.0)  # float32, never float64; below 0 is no ink
        top = float(values.max())
        if array.dtype.kind == "b" or (array.dtype.kind == "f" and top <= 1.0):
            values = values * 255.0
        elif top > 255.0:
            values = values * (255.0 / top)
        array = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    array = np.ascontiguousarray(array.reshape(array.shape[:2]) if mode == "L" else array)
    return Image.fromarray(array, mode=mode)


def to_mnist(picture: Image.Image | np.ndarray) -> Digit:
    """The 28x28 digit the model sees. Raises DrawingError (with a hint) for a picture that holds none.

    An array is the drawing canvas (its blank state says "nothing drawn"); a PIL picture is an upload.
    """
    drawn = isinstance(picture, np.ndarray)
    ink, inverted = ink_map(picture)
    if np.ptp(ink) < MIN_CONTRAST:
        if drawn:
            raise DrawingError("Nothing drawn yet: draw a digit (0-9) in the box.")
        raise DrawingError(
            "That picture is one flat shade with no strokes in it; upload a picture of a digit "
            "drawn in a dark or light pen."
        )
    background = float(np.median(ink))
    if background > 0.05 and float(ink.max()) - background >= MIN_CONTRAST:
        ink = ink - background  # lift a grey paper background
    else:
        ink = ink - float(ink.min())
    ink = np.clip(ink / ink.max(), 0.0, 1.0)  # max > 0: the contrast check above
    stroke = ink > INK_THRESHOLD
    rows, cols = np.flatnonzero(stroke.any(axis=1)), np.flatnonzero(stroke.any(axis=0))
    extent = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    if extent < MIN_EXTENT * max(ink.shape):
        raise DrawingError("That is only a dot: draw a whole digit that fills most of the box.")
    warning = _noise_warning(ink)
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]

    scale = BOX / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))  # (w, h)
    patch = Image.fromarray((crop * 255).astype(np.uint8)).resize(size, Image.Resampling.LANCZOS)
    patch = np.asarray(patch, dtype=np.float32) / 255.0  # (h, w), anti-aliased grey levels

    mass = float(patch.sum())
    if mass <= 0:
        raise DrawingError("That is only a dot: draw a whole digit that fills most of the box.")
    ys, xs = np.mgrid[: patch.shape[0], : patch.shape[1]]
    top = int(np.clip(round(CENTRE - (ys * patch).sum() / mass), 0, FIELD - patch.shape[0]))
    left = int(np.clip(round(CENTRE - (xs * patch).sum() / mass), 0, FIELD - patch.shape[1]))
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    field[top : top + patch.shape[0], left : left + patch.shape[1]] = patch
    return Digit(np.clip(field, 0.0, 1.0), inverted, warning)


def _noise_warning(ink: np.ndarray) -> str | None:
    """A hint when the ink looks like noise rather than strokes (the digit is still encoded).

    Judged on the ink reduced to fit NOISE_GRID (pen strokes stay whole there, fine grain averages
    out): scattered noise breaks into many separate pieces of ink and background; grain too fine
    for the grid averages into ink that covers most of the picture. A digit is one to three
    strokes around at most two holes, on a mostly empty background.
    """
    grid = Image.fromarray((ink * 255).astype(np.uint8))
    if max(grid.size) > NOISE_GRID:
        grid.thumbnail((NOISE_GRID, NOISE_GRID), Image.Resampling.BOX, reducing_gap=None)
    small = np.asarray(grid, dtype=np.float32) / 255.0
    mask = small > 0.5 * small.max()
    fragments = _pieces(mask) + _pieces(~mask)
    if fragments > NOISE_FRAGMENTS or mask.mean() > NOISE_COVERAGE:
        return (
            "This looks more like noise or a textured photo than a pen-drawn digit. It is encoded anyway "
            "(the model places anything), but its place on the map and its nearest digits mean little."
        )
    return None


def _pieces(mask: np.ndarray) -> int:
    """Number of 4-connected True regions of a small (H, W) mask (at most NOISE_GRID a side)."""
    seen = np.zeros_like(mask, dtype=bool)
    height, width = mask.shape
    count = 0
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        count += 1
        seen[start] = True
        stack = [start]
        while stack:
            y, x = stack.pop()
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
    return count


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.mgrid[: image.shape[0], : image.shape[1]]
    mass = image.sum()
    return float((ys * image).sum() / mass), float((xs * image).sum() / mass)
