"""End to end in headless Debian Chromium: the page a user sees, clicked and drawn on.

The fixture starts `streamlit run app.py` on a free port and stops it after the
module. Screenshots land in test-artifacts/. Without Chromium these tests skip
locally but fail in CI (CI=true), where .ci/run installs it.
"""
import os
import tempfile
import time
from pathlib import Path

import pytest

from browser import (chromium_path, click_plane, draw_stroke, isolated_digits, launch, open_app, pick, settled,
                     status, streamlit_server, wait_for_status)
from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: CI must install it (apt-get install chromium)")
    pytest.skip("Chromium not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    page = open_app(browser, server)
    wait_for_status(page, "explorer")
    yield page
    page.close()


def shot(page, name: str, heading: str | None = None) -> Path:
    """A screenshot of the viewport (Streamlit scrolls inside the page), from `heading` down if given."""
    ARTIFACTS.mkdir(exist_ok=True)
    if heading is not None:
        page.get_by_role("heading", name=heading).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


EMPTIEST_GRID_POINTS = """() => {
  const data = document.querySelector('.le-map')._fullData;
  const grid = data.find(t => t.name === 'plane'), digits = data.filter(t => /^[0-9]$/.test(t.name));
  const scored = [];
  for (let i = 0; i < grid.x.length; i += 7) {
    let best = Infinity;
    for (const t of digits) for (let j = 0; j < t.x.length; j++) {
      const d = (t.x[j] - grid.x[i]) ** 2 + (t.y[j] - grid.y[i]) ** 2; if (d < best) best = d; }
    scored.push([best, grid.x[i], grid.y[i]]);
  }
  scored.sort((a, b) => b[0] - a[0]);
  return [scored[0].slice(1), scored.find(s => (s[1] - scored[0][1]) ** 2 + (s[2] - scored[0][2]) ** 2 > 1).slice(1)];
}"""


def written_copies(payload: bytes, since: float) -> list[Path]:
    """Files under the project or the temp folder, written since `since`, that hold `payload`."""
    found = []
    for top in (ROOT, Path(tempfile.gettempdir())):
        for folder, _, names in os.walk(top):
            for name in names:
                path = Path(folder) / name
                try:
                    if "playwright" in str(path):  # the browser harness keeps its own copies
                        continue
                    if path.stat().st_mtime >= since and payload in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def trace_names(page) -> list[str]:
    return page.evaluate("() => document.querySelector('.le-map')._fullData.map(t => t.name)")


def test_click_two_points_draws_the_path_and_the_strip(page):
    assert status(page, "morph") is None
    first, second = isolated_digits(page, 2)
    pick(page, first)
    assert "A" in trace_names(page)
    pick(page, second)
    morph = wait_for_status(page, "morph")
    assert morph.startswith(f"10 frames, linear path from test #{first} (") and f"to test #{second} (" in morph
    page.wait_for_function("() => document.querySelector('.le-map')._fullData.some(t => t.name === 'path')")
    names = trace_names(page)
    assert {"A", "B", "path"} <= set(names)
    path_points = page.evaluate(
        "() => document.querySelector('.le-map')._fullData.find(t => t.name === 'path').x.length"
    )
    assert path_points == 10
    shot(page, "map-with-path")

    slider = page.locator('[data-testid="stSlider"]').filter(has_text="β").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")  # beta 1 -> 2
    switched = wait_for_status(page, "morph", previous=morph)
    assert "under z20-beta2;" in switched


def test_compare_all_betas(page):
    pick(page, 3)
    pick(page, 7)
    wait_for_status(page, "morph")
    page.get_by_test_id("stCheckbox").get_by_text("Compare all β").click()
    rows = wait_for_status(page, "compare")
    assert rows == "6 rows"
    page.wait_for_timeout(500)
    shot(page, "beta-grid", heading="The same two digits under every β")


def test_draw_a_digit_is_encoded_and_placed(page):
    draw_stroke(page, [(150, 40), (160, 140), (150, 240)])  # a tall "1"
    drawn = wait_for_status(page, "drawn")
    assert drawn.startswith("nearest labels")
    page.wait_for_function(
        "() => document.querySelector('.le-map')._fullData.some(t => t.name === 'your drawing')"
    )
    shot(page, "drawn-digit", heading="Draw a digit")


def test_plane_click_anywhere(page):
    settled(page, lambda: page.get_by_test_id("stRadio").get_by_text("z = 2", exact=True).click())
    page.wait_for_function("() => document.querySelector('.le-map')._fullData.some(t => t.name === 'plane')")
    empty = page.evaluate(EMPTIEST_GRID_POINTS)  # two grid points far from every digit marker
    settled(page, lambda: click_plane(page, *empty[0]))
    settled(page, lambda: click_plane(page, *empty[1]))
    morph = wait_for_status(page, "morph")
    assert "from plane (" in morph and "to plane (" in morph and "under z2-beta1;" in morph
    shot(page, "plane-backdrop")


def test_upload_a_picture_and_a_fake_one(page, data_root):
    import io

    from PIL import Image

    from vae.data import load_mnist

    digit = load_mnist(str(data_root), train=False).images[1].numpy()  # a 2
    paper = Image.fromarray(255 - digit).resize((140, 140))  # dark ink on light paper
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")

    settled(page, lambda: page.get_by_text("Upload a picture").click())
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    sent_at = time.time() - 1
    upload.set_input_files(files=[{"name": "two.png", "mimeType": "image/png", "buffer": buffer.getvalue()}])
    drawn = wait_for_status(page, "drawn")
    assert drawn.startswith("nearest labels")
    assert written_copies(buffer.getvalue(), since=sent_at) == []  # uploads stay in memory
    page.get_by_text("was dark-on-light, so it was inverted").wait_for()
    shot(page, "uploaded-digit", heading="Draw a digit")

    upload.set_input_files(files=[{"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image at all"}])
    page.get_by_text("not a picture we can read").wait_for()
    page.wait_for_function("() => !document.querySelector('.le-status[data-name=\"drawn\"]')")  # the stale result goes
    assert page.locator('[data-testid="stException"]').count() == 0


def test_shared_url_shows_the_same_strip(page, browser):
    pick(page, 5)
    pick(page, 9)
    morph = wait_for_status(page, "morph")
    page.wait_for_function("() => location.search.includes('b=')")
    shared = page.url
    assert "a=" in shared and "b=" in shared and "model=z20-beta1" in shared
    other = browser.new_page(viewport={"width": 1500, "height": 1100})
    other.goto(shared)
    assert wait_for_status(other, "morph") == morph  # same endpoints, same frames (sha256 included)
    other.close()
