"""The browser's upload checks and GIF encoder, held to Python by running them in node.

    python -m pytest tests/test_drawing_js.py -q

* viewer/core/drawing.js checkUpload answers every file as vae/drawing.py read_upload does, before anything is
  decoded: the same message for an empty file, a refused format (named from its first bytes), too many pixels,
  too small, a thin strip, a picture too large to open; and for files Python accepts, the header's size.
  notAccepted equals _not_accepted on many byte strings (hypothesis, derandomized).
* viewer/core/gif.js encodes frames that Pillow decodes back to the same grey levels and delays, looping.
(to_mnist itself is held to vae/drawing.py by tests/js/drawing.test.js, on fixtures from tests/js/make_fixtures.py.)
Needs node: skipped without it here, an error under CI.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import ROOT
from vae import drawing
from vae.drawing import DrawingError, read_upload, to_mnist
from widgets.contract import DRAWING

NODE = shutil.which("node")
if NODE is None:
    if os.environ.get("CI"):
        raise RuntimeError("node is missing: CI must install it (apt-get install nodejs npm)")
    pytest.skip("node not installed (apt-get install nodejs npm)", allow_module_level=True)

BRIDGE = ROOT / "tests" / "js" / "bridge.js"
DRAWING_JS = "viewer/core/drawing.js"
UPLOAD_JS = "viewer/core/upload.js"
GIF_JS = "viewer/core/gif.js"
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def node():
    """One node process running tests/js/bridge.js; answers {"value": ...} or {"error": message}."""
    process = subprocess.Popen(
        [NODE, str(BRIDGE)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )

    def ask(request: dict) -> dict:
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line, f"node exited (code {process.poll()})"
        return json.loads(line)

    yield ask
    process.stdin.close()
    process.wait(timeout=10)


def python_answer(data: bytes) -> str | tuple[int, int]:
    """read_upload's refusal message, or the size of the picture it accepts."""
    try:
        picture = read_upload(data)
    except DrawingError as error:
        return str(error)
    return picture.size


def js_answer(node, data: bytes, size: int | None = None) -> str | tuple[int, int]:
    length = len(data) if size is None else size
    answer = node({"module": UPLOAD_JS, "call": "checkUpload", "args": [list(data), length]})
    if "error" in answer:
        return answer["error"]
    return answer["value"]["width"], answer["value"]["height"]


def png_bytes(width: int, height: int, mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), 200).save(buffer, "PNG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR (its CRC right) claiming a size, then an empty IDAT and IEND: Pillow reads the
    size from the header and refuses it before decoding, as the browser must."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def jpeg_bytes(width: int, height: int, claim: tuple[int, int] | None = None, exif: bool = False) -> bytes:
    """A JPEG of (width, height), its frame header rewritten to claim another size if `claim`."""
    buffer = io.BytesIO()
    picture = Image.new("RGB", (width, height), (200, 190, 180))
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "camera" * 200  # a long APP1 segment before the frame header
        picture.save(buffer, "JPEG", exif=tags)
    else:
        picture.save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    if claim is not None:
        at = data.index(b"\xff\xc0")
        data[at + 5 : at + 9] = struct.pack(">HH", claim[1], claim[0])
    return bytes(data)


FILES = {
    "empty": b"",
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "bmp": b"BM" + bytes(60),
    "tiff-le": b"II*\x00" + bytes(20),
    "tiff-be": b"MM\x00*" + bytes(20),
    "pdf": b"%PDF-1.7\n%...",
    "postscript": b"%!PS-Adobe-3.0 EPSF-3.0\n",
    "eps-binary": b"\xc5\xd0\xd3\xc6" + bytes(20),
    "icon": b"\x00\x00\x01\x00\x01\x00" + bytes(20),
    "photoshop": b"8BPS\x00\x01" + bytes(20),
    "jpeg-xl": b"\xff\x0a\xfa\x7f",
    "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
    "svg": b"  \n<svg xmlns='http://www.w3.org/2000/svg'/>",
    "xml": b"<?XML version='1.0'?><svg/>",
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "riff-not-webp": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "text": b"hello, this is not a picture",
    "png-truncated": b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIH",
    "png": png_bytes(40, 30),
    "png-rgba": png_bytes(300, 200, "RGBA"),
    "png-too-many-pixels": png_header(6000, 5000),
    "png-bomb": png_header(20000, 20000),
    "png-too-small": png_header(7, 100),
    "png-thin-strip": png_header(10, 400),
    "jpeg": jpeg_bytes(64, 48),
    "jpeg-exif-first": jpeg_bytes(50, 80, exif=True),
    "jpeg-too-many-pixels": jpeg_bytes(16, 16, claim=(6000, 4500)),
    "jpeg-too-small": jpeg_bytes(16, 16, claim=(7, 7)),
    "jpeg-thin-strip": jpeg_bytes(16, 16, claim=(4000, 100)),
    "jpeg-no-frame": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_check_upload_answers_as_read_upload(node, name):
    data = FILES[name]
    expected = python_answer(data)
    found = js_answer(node, data)
    if isinstance(expected, tuple):  # accepted: the browser reads the size the header holds
        assert found == tuple(Image.open(io.BytesIO(data)).size) == expected
    else:
        assert found == expected


def test_a_file_over_the_byte_bound_is_refused_before_its_contents_are_read(node):
    limit = DRAWING["MAX_UPLOAD_BYTES"]
    assert js_answer(node, FILES["png"], limit) == (40, 30)
    message = js_answer(node, FILES["png"], limit + 1)
    assert isinstance(message, str) and message.startswith("That file is 5.0 MB; files up to 5 MB are accepted.")


@SETTINGS
@given(
    prefix=st.sampled_from([b"", b" ", b"\n\t ", b"GIF8", b"BM", b"%PDF", b"RIFF", b"<svg ", b"<?xml", b"\xff\x0a"]),
    middle=st.binary(max_size=12),
    rest=st.binary(max_size=80),
)
def test_not_accepted_names_what_python_names(node, prefix, middle, rest):
    data = prefix + middle + rest
    answer = node({"module": UPLOAD_JS, "call": "notAccepted", "args": [list(data)]})
    assert answer["value"] == drawing._not_accepted(data)


def test_the_bounds_are_vae_drawings():
    assert DRAWING["MAX_UPLOAD_PIXELS"] == drawing.MAX_UPLOAD_PIXELS
    assert DRAWING["SIGNATURES"] == [[magic.hex(), name] for magic, name in drawing._SIGNATURES]
    assert DRAWING["BOMB_PIXELS"] == 2 * Image.MAX_IMAGE_PIXELS


def decoded_gif(data: bytes) -> tuple[list[np.ndarray], list[int], int | None]:
    """Pillow's reading of a GIF: each frame as composited grey levels, each frame's duration (ms), the loop count."""
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "GIF"
    frames, durations = [], []
    for index in range(picture.n_frames):
        picture.seek(index)
        frames.append(np.asarray(picture.convert("L")))
        durations.append(picture.info["duration"])
    return frames, durations, picture.info.get("loop")


def js_bytes(node, module: str, name: str, *args) -> bytes:
    answer = node({"module": module, "call": name, "args": list(args)})
    assert "error" not in answer, answer
    return bytes(answer["value"])


def test_encode_gif_gives_pillow_the_frames_and_delays(node):
    rng = np.random.default_rng(23)
    width, height, scale = 40, 30, 3
    frames = [
        rng.integers(0, 256, size=(height, width)),  # noise: the LZW table fills and is cleared
        np.zeros((height, width), np.int64),
        np.tile(np.arange(width) * 6, (height, 1)),  # every grey level's neighbour differs
        np.full((height, width), 255),
    ]
    delays = [90, 540, 10, 1230]
    options = {"scale": scale, "delays": delays}
    data = js_bytes(node, GIF_JS, "encodeGif", [f.ravel().tolist() for f in frames], width, height, options)
    found, durations, loop = decoded_gif(data)
    assert len(found) == len(frames)
    for index, (got, frame) in enumerate(zip(found, frames, strict=True)):
        assert np.array_equal(got, np.kron(frame, np.ones((scale, scale))).astype(np.uint8)), f"frame {index}"
    assert durations == delays
    assert loop == 0


def test_morph_gif_matches_explorer_images(node):
    from explorer.images import morph_gif

    rng = np.random.default_rng(29)
    frames = rng.random((6, 28, 28)).astype(np.float32)
    frames[0, :4, :4] = 0.5  # 127.5: rounded half to even, as np.round does
    frames[1, 0, :3] = (-0.2, 1.3, np.float32(0.5 + 1 / 510))
    expected = decoded_gif(morph_gif(frames))
    found = decoded_gif(js_bytes(node, GIF_JS, "morphGif", [f.ravel().tolist() for f in frames]))
    assert len(found[0]) == len(expected[0]) == 2 * len(frames) - 2
    for index, (got, want) in enumerate(zip(found[0], expected[0], strict=True)):
        assert np.array_equal(got, want), f"frame {index}"
    assert found[1:] == expected[1:]


def random_picture(draw) -> tuple[str, str, np.ndarray]:
    """(kind, RGBA) of a random drawing: a few strokes, any pen, any colours, on the canvas or
    uploaded as an RGBA, RGB or grey picture of any size up to 2x WORK_SIDE + 1 (so reduced by 1 or 2)."""
    from tests.js.make_fixtures import rgba, strokes

    kind = draw(st.sampled_from(["drawn", "RGBA", "RGB", "L"]))
    sides = st.sampled_from([61, 217, 560, 561, 777, 2 * drawing.WORK_SIDE + 1]) | st.integers(40, 700)
    side = 280 if kind == "drawn" else draw(sides)
    fractions = st.tuples(st.floats(0.05, 0.95), st.floats(0.05, 0.95))
    points = [(side * x, side * y) for x, y in draw(st.lists(fractions, min_size=2, max_size=5))]
    ink = strokes(points, side * draw(st.floats(0.005, 0.12)), side)
    paper, pen = draw(st.integers(0, 255)), draw(st.integers(0, 255))
    transparent = draw(st.booleans()) and kind in ("drawn", "RGBA")
    picture = rgba(np.full_like(ink, pen), 255 * ink) if transparent else rgba(paper + (pen - paper) * ink)
    seed = draw(st.integers(0, 2**31))
    amplitude = draw(st.sampled_from([0, 0, 3, 25]))
    noisy = (
        picture[..., :3].astype(np.int64)
        + np.random.default_rng(seed).integers(-amplitude, amplitude + 1, size=ink.shape)[..., None]
    )
    picture[..., :3] = np.clip(noisy, 0, 255)
    return kind, picture


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.composite(random_picture)())
def test_to_mnist_agrees_on_random_pictures(node, case):
    kind, picture = case
    # the canvas's array, or what Pillow decodes a PNG or JPEG into
    source = picture if kind == "drawn" else Image.fromarray(picture, "RGBA").convert(kind)
    try:
        digit = to_mnist(source)
        expected = {"image": digit.image, "inverted": digit.inverted, "warning": digit.warning}
    except DrawingError as error:
        expected = {"error": str(error)}
    rgba = picture if kind in ("drawn", "RGBA") else np.asarray(source.convert("RGBA"))  # what a browser decodes
    height, width = rgba.shape[:2]
    args = [{"width": width, "height": height, "data": rgba.ravel().tolist()}, {"drawn": kind == "drawn"}]
    answer = node({"module": DRAWING_JS, "call": "toMnist", "args": args})
    if "error" in expected:
        assert answer.get("error") == expected["error"]
        return
    assert "error" not in answer, answer
    found = np.asarray(answer["value"]["image"], np.float32).reshape(28, 28)
    assert np.abs(found - expected["image"]).max() <= 1 / 255 + 1e-6
    assert answer["value"]["inverted"] == expected["inverted"]
    assert answer["value"]["warning"] == expected["warning"]
