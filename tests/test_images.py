"""Pictures of digits: the morph GIF and the strip's PNG are big enough to see and decode back to the frames;
β in a label is drawn with DejaVu or spelled out, never a blank box; the page shows β labels as text."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from explorer import images


def frames(count: int = 6) -> np.ndarray:
    """(count, 28, 28) in [0, 1]: a bright square sliding right, so every frame differs."""
    out = np.zeros((count, 28, 28), dtype=np.float32)
    for i in range(count):
        out[i, 10:18, 2 + 3 * i : 10 + 3 * i] = 1.0
    return out


def test_gif_is_at_least_280_px_and_plays_there_and_back():
    gif = Image.open(io.BytesIO(images.morph_gif(frames(6))))
    assert gif.size[0] >= 280 and gif.size[1] >= 280
    assert gif.n_frames == 6 + 4  # A -> B, then back without repeating either end
    assert gif.info.get("loop") == 0
    gif.seek(5)  # the last frame of the way there is B, scaled up without blurring
    picture = np.asarray(gif.convert("L"))
    scale = gif.size[0] // 28
    expected = images.to_uint8(frames(6)[5])
    assert np.array_equal(picture[::scale, ::scale], expected)


def test_png_of_the_strip_decodes_to_the_same_pixels():
    row = images.strip(frames(5), scale=3)
    decoded = np.asarray(Image.open(io.BytesIO(images.png(row))))
    assert decoded.shape == row.shape and np.array_equal(decoded, row)
    assert images.png(row).startswith(b"\x89PNG")


@pytest.fixture
def builtin_font(monkeypatch):
    """As on a machine without DejaVu (a slim container): labels fall back to Pillow's built-in font."""
    monkeypatch.setattr(images, "FONT_FILES", ())
    images.label_font.cache_clear()
    yield images.label_font()
    images.label_font.cache_clear()


def test_builtin_font_check_tells_drawable_text_from_missing_glyph_boxes(builtin_font):
    assert images.can_draw("z3  KL 0.42  off") and images.can_draw("3 #1234")
    assert not images.can_draw("β = 2") and not images.can_draw("★")


def test_without_dejavu_beta_is_spelled_out_not_drawn_as_a_box(builtin_font):
    assert images.drawable("β = 2 ★ 你") == "beta = 2 * ?"
    greek = images.labelled_rows(frames(4)[None], ["β = 0"])
    spelled = images.labelled_rows(frames(4)[None], ["beta = 0"])
    assert np.array_equal(greek, spelled) and (greek[:, :100] < 128).any()  # the label's ink is there
    assert np.array_equal(images.labelled_tile(frames(1)[0], "β"), images.labelled_tile(frames(1)[0], "beta"))


@pytest.mark.skipif(not any(Path(p).is_file() for p in images.FONT_FILES), reason="DejaVu Sans is not installed")
def test_with_dejavu_beta_is_drawn_as_beta():
    images.label_font.cache_clear()
    assert images.label_font().getname()[0] == "DejaVu Sans"
    assert images.can_draw("β = 0.5 ★ σ") and images.drawable("β = 0.5") == "β = 0.5"
    greek = images.labelled_rows(frames(4)[None], ["β = 0"])
    assert not np.array_equal(greek, images.labelled_rows(frames(4)[None], ["? = 0"]))
    assert (greek[:, :100] < 128).any()
