"""End to end in headless Debian Chromium: the page a user sees, clicked and drawn on.

The fixture starts `streamlit run app.py` on a free port and stops it after the
module. Every click goes to a digit no other marker covers and fails the test if
the pointer does not hover it first. Screenshots land in test-artifacts/. Without
Chromium these tests skip locally but fail in CI (CI=true), where .ci/run installs it.
"""

import ast
import io
import os
import tempfile
import time
from pathlib import Path

import pytest

from harness.browser import (
    DATA_PIXELS,
    ROOT,
    click_plane,
    digit_pixels,
    draw_stroke,
    exception_boxes,
    isolated_digits,
    open_app,
    pick,
    require_chromium,
    settled,
    status,
    trace_names,
    wait_for_status,
)

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()


@pytest.fixture
def page(browser, server):
    page = open_app(browser, server.url)  # the map drawn and its first run finished
    yield page
    assert exception_boxes(page) == 0
    page.close()


def nearest_labels(drawn: str) -> list[int]:
    """The labels in the "drawn" status ("nearest labels [1, 1, 7, 1, 1]")."""
    assert drawn.startswith("nearest labels ["), drawn
    return ast.literal_eval(drawn.removeprefix("nearest labels "))


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


HAS_TRACE = "(name) => document.querySelector('.le-map')._fullData.some(t => t.name === name)"


def test_click_two_points_draws_the_path_and_the_strip(page):
    assert status(page, "morph") is None
    first, second = isolated_digits(page, 2)
    pick(page, first)
    assert "A" in trace_names(page)
    pick(page, second)
    morph = wait_for_status(page, "morph")
    assert morph.startswith(f"10 frames, linear path from test #{first} (") and f"to test #{second} (" in morph
    page.wait_for_function(HAS_TRACE, arg="path")
    assert {"A", "B", "path"} <= set(trace_names(page))
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
    first, second = isolated_digits(page, 2)
    pick(page, first)
    pick(page, second)
    assert f"from test #{first} (" in wait_for_status(page, "morph")
    page.get_by_test_id("stCheckbox").get_by_text("Compare all β").click()
    rows = wait_for_status(page, "compare")
    assert rows == "6 rows"
    page.wait_for_timeout(500)
    shot(page, "beta-grid", heading="The same two digits under every β")


def test_draw_a_digit_is_encoded_placed_and_used_as_an_endpoint(page):
    draw_stroke(page, [(150, 40), (160, 140), (150, 240)])  # a tall "1"
    drawn = wait_for_status(page, "drawn")
    assert nearest_labels(drawn) == [1, 1, 1, 1, 1]  # a stroke like this is a 1 to the model too
    page.wait_for_function(HAS_TRACE, arg="your drawing")
    shot(page, "drawn-digit", heading="Draw a digit")

    page.get_by_role("button", name="Use as A").click()
    page.wait_for_function(HAS_TRACE, arg="A")
    (digit,) = isolated_digits(page, 1)
    pick(page, digit)
    morph = wait_for_status(page, "morph")
    assert "path from your drawing" in morph and f"to test #{digit} (" in morph


def test_plane_click_anywhere(page):
    settled(page, lambda: page.get_by_test_id("stRadio").get_by_text("z = 2", exact=True).click())
    page.wait_for_function(HAS_TRACE, arg="plane")
    empty = page.evaluate(EMPTIEST_GRID_POINTS)  # two grid points far from every digit marker
    settled(page, lambda: click_plane(page, *empty[0]))
    settled(page, lambda: click_plane(page, *empty[1]))
    morph = wait_for_status(page, "morph")
    assert "from plane (" in morph and "to plane (" in morph and "under z2-beta1;" in morph
    shot(page, "plane-backdrop")


def test_upload_a_picture_and_a_fake_one(page, data_root):
    from PIL import Image

    from training.data import load_mnist

    digit = load_mnist(str(data_root), train=False).images[1].numpy()  # a 2
    paper = Image.fromarray(255 - digit).resize((140, 140))  # dark ink on light paper
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")

    settled(page, lambda: page.get_by_text("Upload a picture").click())
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    sent_at = time.time() - 1
    upload.set_input_files(files=[{"name": "two.png", "mimeType": "image/png", "buffer": buffer.getvalue()}])
    drawn = wait_for_status(page, "drawn")
    assert nearest_labels(drawn) == [2, 2, 2, 2, 2]  # the MNIST 2 it was made from, read back as a 2
    assert written_copies(buffer.getvalue(), since=sent_at) == []  # uploads stay in memory
    page.get_by_text("was dark-on-light, so it was inverted").wait_for()
    shot(page, "uploaded-digit", heading="Draw a digit")

    upload.set_input_files(files=[{"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image at all"}])
    page.get_by_text("not a picture we can read").wait_for()
    page.wait_for_function("() => !document.querySelector('.le-status[data-name=\"drawn\"]')")  # the stale result goes


def test_shared_url_shows_the_same_strip(page, browser):
    first, second = isolated_digits(page, 2)
    pick(page, first)
    pick(page, second)
    morph = wait_for_status(page, "morph")
    page.wait_for_function("() => location.search.includes('b=')")
    shared = page.url
    assert f"a={first}" in shared and f"b={second}" in shared and "model=z20-beta1" in shared
    other = open_app(browser, shared)
    assert wait_for_status(other, "morph") == morph  # same endpoints, same frames (sha256 included)
    other.close()


# --- The map widget (widgets/latent_map.js): overlay on top, hover images, every click, every screen ---

# Like HAS_TRACE, but also false (rather than an error) while the map is not there yet.
SHOWS_TRACE = """(name) => { const gd = document.querySelector('.le-map');
  return !!(gd && gd._fullData && gd._fullData.some(t => t.name === name)); }"""

DENSEST = """([count, radius]) => {
  const gd = document.querySelector('.le-map'), L = gd._fullLayout, points = [];
  for (const t of gd._fullData) { if (!/^[0-9]$/.test(t.name)) continue;
    for (let i = 0; i < t.x.length; i++) points.push([L.xaxis.l2p(t.x[i]), L.yaxis.l2p(t.y[i]), t.customdata[i]]); }
  const near = (p, q, r) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < r * r;
  const scored = points.map(p => [points.filter(q => near(p, q, radius)).length, p]);
  scored.sort((a, b) => b[0] - a[0]);
  const chosen = [];  // the most crowded markers, at least 4 radii apart from each other
  for (const [n, p] of scored) {
    if (chosen.every(([, q]) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 > 16 * radius * radius)) chosen.push([n, p]);
    if (chosen.length === count) break;
  }
  return chosen.map(([n, p]) => [p[2], n]); }"""

TRACE_PIXELS = """(name) => { const gd = document.querySelector('.le-map'), L = gd._fullLayout;
  const t = gd._fullData.find(t => t.name === name); if (!t) return null;
  const box = gd.getBoundingClientRect();
  return [box.left + L.xaxis._offset + L.xaxis.l2p(t.x[0]), box.top + L.yaxis._offset + L.yaxis.l2p(t.y[0])]; }"""

TIP = """() => { const tip = document.querySelector('.le-tip');
  const canvases = [...tip.querySelectorAll('canvas')].filter(c => c.style.display !== 'none');
  return { shown: tip.style.display === 'block', text: tip.textContent,
           tiles: canvases.map(c => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data)
                                        .filter((_, i) => i % 4 === 0)) }; }"""

PLOT_AREA = """() => { const gd = document.querySelector('.le-map'), L = gd._fullLayout;
  const box = gd.getBoundingClientRect();
  return { left: box.left + L.xaxis._offset, top: box.top + L.yaxis._offset, width: L.xaxis._length,
           height: L.yaxis._length, map_width: box.width, map_height: box.height }; }"""

# Data coordinates of a page pixel, as the widget computes them.
PIXEL_DATA = """([px, py]) => { const gd = document.querySelector('.le-map'), L = gd._fullLayout;
  const box = gd.getBoundingClientRect();
  return [L.xaxis.p2l(px - box.left - L.xaxis._offset), L.yaxis.p2l(py - box.top - L.yaxis._offset)]; }"""


def mnist_test_digits():
    import numpy as np

    return np.load(ROOT / "weights" / "mnist-test.npz")["images"]


def marker_share(page, name: str, half: int = 3) -> float:
    """Share of the (2 * half + 1)^2 pixels at the centre of overlay marker `name` that show the
    marker's dark fill (#111111): 1.0 when it is drawn above the dots, much less under them."""
    import numpy as np
    from PIL import Image

    x, y = page.evaluate(TRACE_PIXELS, name)
    clip = {"x": round(x) - half, "y": round(y) - half, "width": 2 * half + 1, "height": 2 * half + 1}
    pixels = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")).astype(int)
    return float((pixels.max(axis=2) < 60).mean())


def test_endpoints_are_drawn_above_the_dots_in_dense_clusters(browser, server):
    page = open_app(browser, server.url + "/?model=z20-beta1&map=tsne")
    (a, crowd_a), (b, crowd_b) = page.evaluate(DENSEST, [2, 8])
    assert crowd_a >= 15 and crowd_b >= 15, "the endpoints must sit inside crowds of markers"
    page.goto(server.url + f"/?model=z20-beta1&map=tsne&a={a}&b={b}")
    page.wait_for_function(SHOWS_TRACE, arg="B", timeout=60_000)
    page.mouse.move(1, 1)  # no hover tip over the map
    page.wait_for_timeout(500)
    shares = {name: marker_share(page, name) for name in ("A", "B")}
    shot(page, "overlay-in-dense-cluster")
    assert min(shares.values()) >= 0.9, shares
    page.close()


def test_hover_shows_the_digit_and_its_reconstruction_without_server_traffic(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    page.goto(server.url)
    page.wait_for_function(SHOWS_TRACE, arg="9", timeout=60_000)
    wait_for_status(page, "explorer")
    page.wait_for_timeout(1000)
    digits = mnist_test_digits()
    first, second = isolated_digits(page, 2)
    before = len(sent)
    for index in (first, second):
        page.mouse.move(*digit_pixels(page, index), steps=5)
        page.wait_for_function(
            "(i) => document.querySelector('.le-tip').textContent.includes(`test #${i} `)", arg=index, timeout=5000
        )
        tip = page.evaluate(TIP)
        assert tip["shown"] and len(tip["tiles"]) == 2, tip["text"]
        original, reconstruction = (bytes(tile) for tile in tip["tiles"])
        assert original == digits[index].tobytes()  # cut from the sprite, pixel for pixel
        assert sum(reconstruction) > 0 and reconstruction != original
    page.mouse.move(5, 5, steps=20)
    page.wait_for_timeout(300)
    assert len(sent) == before, "hovering sent messages to the server"
    shot(page, "hover-image")
    page.close()


def test_fast_clicks_all_register_in_order(page):
    targets = isolated_digits(page, 10)
    assert len(targets) == 10
    pixels = [digit_pixels(page, index) for index in targets]
    for xy in pixels:
        page.mouse.click(*xy)
        page.wait_for_timeout(150)
    expected = " ".join(str(index) for index in targets)
    page.wait_for_function(
        "(e) => { const s = document.querySelector('.le-status[data-name=\"clicks\"]');"
        " return s && s.textContent.endsWith(e); }",
        arg=expected,
        timeout=30_000,
    )
    morph = wait_for_status(page, "morph")  # the 9th and 10th clicks are the pair
    assert f"from test #{targets[8]} (" in morph and f"to test #{targets[9]} (" in morph


def test_click_on_empty_plane_decodes_that_point(browser, server):
    import numpy as np

    from vae.family import load_family

    page = open_app(browser, server.url + "/?model=z2-beta1&map=plane")
    empty = page.evaluate(EMPTIEST_GRID_POINTS)  # two grid points far from every digit marker
    decoder = load_family(ROOT / "weights").models["z2-beta1"].model
    picked = []
    for x, y in empty:
        xy = page.evaluate(DATA_PIXELS, [x, y])
        page.mouse.move(*xy, steps=3)
        page.wait_for_function("() => document.querySelector('.le-tip').textContent.includes('decoder draws')")
        tip = page.evaluate(TIP)
        data_xy = page.evaluate(PIXEL_DATA, xy)
        expected = np.round(255 * decoder.decode(np.array([data_xy], np.float32))[0]).astype(int).ravel()
        assert np.abs(np.array(tip["tiles"][0]) - expected).max() <= 1  # the browser ran the same decoder
        settled(page, lambda xy=xy: page.mouse.click(*xy))
        picked.append(data_xy)
    morph = wait_for_status(page, "morph")
    (ax, ay), (bx, by) = picked
    assert f"from plane ({ax:.2f}, {ay:.2f})" in morph and f"to plane ({bx:.2f}, {by:.2f})" in morph, morph
    shot(page, "plane-click-anywhere")
    page.close()


@pytest.mark.parametrize("width", [400, 1500, 1920])
def test_the_map_is_sized_to_the_screen(browser, server, width):
    height = 900
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600)
    page = context.new_page()
    page.goto(server.url + "/?map=tsne")
    page.wait_for_function(SHOWS_TRACE, arg="9", timeout=60_000)
    wait_for_status(page, "explorer")
    page.locator(".le-map").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    area = page.evaluate(PLOT_AREA)
    shot(page, f"map-{width}px")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing runs off the side
    assert area["map_height"] <= 0.9 * height
    if width < 600:
        assert area["map_width"] >= 0.85 * width and area["map_height"] >= area["map_width"]  # full width, taller
        (index,) = isolated_digits(page, 1, gap=6)  # a tap picks the nearest digit
        settled(page, lambda: page.touchscreen.tap(*digit_pixels(page, index)))  # a tap selects
        assert status(page, "clicks").split()[-1] == str(index)
    else:
        assert area["map_width"] >= 0.4 * width and area["map_height"] >= 0.6 * area["map_width"]
    context.close()


def test_the_map_says_so_when_plotly_never_loads(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.route("**/PlotlyChart.*.js", lambda route: route.abort())  # Streamlit's Plotly chunk never arrives
    page.goto(server.url)
    note = page.locator(".le-note")
    note.wait_for(state="visible", timeout=60_000)  # after the widget's bounded wait (20 s)
    assert "did not load" in note.text_content()
    assert note.get_by_role("button", name="Retry").is_visible()
    page.close()
