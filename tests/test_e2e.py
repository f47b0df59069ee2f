"""End to end in headless Debian Chromium: the page a user sees, clicked, dragged, scrubbed and drawn on.

The fixture starts `streamlit run app.py` on a free port and stops it after the module. Every click
goes to a digit no other marker covers and fails the test if the pointer does not hover it first.
Screenshots land in test-artifacts/. Without Chromium these tests skip locally but fail in CI
(CI=true), where .ci/run installs it. Speed is measured by benchmarks/page_speed.py, not here.
"""

import ast
import io
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from harness.browser import (
    INSPECT,
    ROOT,
    digit_pixels,
    draw_stroke,
    exception_boxes,
    hover,
    isolated_digits,
    open_app,
    pick,
    require_chromium,
    settled,
    status,
    wait_for_status,
)
from harness.widget import (
    ARM_TIMER,
    browser_frames,
    in_view,
    marker_pixels,
    path_point,
    scrub,
    shown,
    strip_draws,
    touch_drag,
    wait_for_strip,
)
from vae.family import load_showcase, shared_family, weights_folder
from vae.paths import interpolate

ARTIFACTS = ROOT / "test-artifacts"
SIZES = [(1500, 1000), (1920, 1080), (400, 850)]
pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()
FAMILY = shared_family(weights_folder())


@pytest.fixture
def page(browser, server):
    page = open_app(browser, server.url)  # the map drawn and its first run finished
    yield page
    assert exception_boxes(page) == 0
    page.close()


def shot(page, name: str) -> Path:
    """A screenshot of the viewport, as a visitor sees it (never scrolled unless the test scrolled)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def nearest_labels(drawn: str) -> list[int]:
    """The labels in the "drawn" status ("nearest labels [1, 1, 7, 1, 1]")."""
    assert drawn.startswith("nearest labels ["), drawn
    return ast.literal_eval(drawn.removeprefix("nearest labels "))


def numpy_frames(model: str, a: int, b: int, frames: int = 10, method: str = "linear") -> np.ndarray:
    loaded = FAMILY.models[model]
    codes = interpolate(loaded.atlas.mu[a], loaded.atlas.mu[b], frames, method)
    return loaded.model.decode(codes).reshape(frames, -1)


def click_pair(page, first: int, second: int) -> float:
    """Clicks two digits; returns how long the completing click took to redraw the strip, in the page
    (pointerdown to the end of the frame that shows it, performance.now)."""
    pick(page, first)
    xy = digit_pixels(page, second)
    hover(page, xy, second)
    page.evaluate(ARM_TIMER)
    before = strip_draws(page)
    page.mouse.click(*xy)
    wait_for_strip(page, before)
    return page.evaluate(
        """() => new Promise((done) => requestAnimationFrame(
          () => done(performance.now() - performance.getEntriesByName('test:down').at(-1).startTime)))"""
    )


@pytest.mark.parametrize("width, height", SIZES)
def test_a_morph_is_in_view_on_arrival_and_after_every_completing_click(browser, server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600)
    page = context.new_page()
    from harness.browser import goto_app

    goto_app(page, server.url)
    showcase = load_showcase(ROOT / "weights")
    ends = shown(page)
    assert (ends["a"]["index"], ends["b"]["index"]) == (showcase["a"], showcase["b"])  # alive on arrival
    page.wait_for_timeout(600)
    assert in_view(page, ".le-strip") and in_view(page, ".le-map"), "strip and map must both be in view"
    shot(page, f"arrival-{width}")
    first, second = isolated_digits(page, 2, 8.0)
    if width < 600:
        settled(page, lambda: page.touchscreen.tap(*digit_pixels(page, first)))
        before = strip_draws(page)
        page.touchscreen.tap(*digit_pixels(page, second))
        wait_for_strip(page, before)
    else:
        click_pair(page, first, second)
    ends = shown(page)
    assert (ends["a"]["index"], ends["b"]["index"]) == (first, second)
    assert in_view(page, ".le-strip"), "the new strip must be where the visitor is looking"
    frames = np.asarray(browser_frames(page))
    assert np.abs(frames - numpy_frames("z20-beta1", first, second)).max() <= 1 / 255
    morph = wait_for_status(page, "morph")  # and the server catches up with the same pair
    assert f"from test #{first} (" in morph and f"to test #{second} (" in morph
    page.wait_for_timeout(300)
    shot(page, f"after-click-{width}")
    context.close()


def test_the_server_catches_up_and_labels_each_frame(page):
    first, second = isolated_digits(page, 2, 8.0)
    click_pair(page, first, second)
    wait_for_status(page, "morph")
    page.wait_for_function(
        "() => document.querySelector('.le-strip-text').textContent.includes('the digit a classifier reads')"
    )


def test_beta_and_frames_redraw_at_once_and_the_server_follows(page):
    morph = status(page, "morph")
    before = strip_draws(page)
    page.get_by_role("button", name="β = 4", exact=True).click()
    wait_for_strip(page, before, timeout=5, model="z20-beta4")
    assert shown(page)["model"] == "z20-beta4"
    showcase = load_showcase(ROOT / "weights")
    frames = np.asarray(browser_frames(page))
    assert np.abs(frames - numpy_frames("z20-beta4", showcase["a"], showcase["b"])).max() <= 1 / 255
    assert "under z20-beta4;" in wait_for_status(page, "morph", previous=morph, timeout=60)
    slider = page.locator(".le-frames input")
    before = strip_draws(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_for_strip(page, before)
    assert len(browser_frames(page)) == 12
    page.wait_for_function(  # each key press is an event; the server takes them in order and ends on 12
        "() => (document.querySelector('.le-status[data-name=\"morph\"]') || {}).textContent.startsWith('12 frames')",
        timeout=60_000,
    )


def test_a_latent_size_without_the_shown_beta_says_which_beta_it_shows(browser, server):
    page = open_app(browser, server.url + "/?model=z20-beta8&a=3&b=7")
    try:
        page.get_by_role("button", name="z = 2", exact=True).click()
        page.wait_for_function(f"() => {INSPECT}.view.model === 'z2-beta1'", timeout=10_000)
        hint = page.locator(".le-hint").text_content()
        assert hint.startswith("z = 2 was trained with β = 0 and 1 only: showing β = 1."), hint
        page.get_by_role("button", name="β = 0", exact=True).click()  # the visitor's own choice: no notice
        page.wait_for_function(f"() => {INSPECT}.view.model === 'z2-beta0'", timeout=10_000)
        assert "was trained with" not in page.locator(".le-hint").text_content()
        assert exception_boxes(page) == 0
    finally:
        page.close()


@pytest.mark.parametrize("query", ["?model=z2-beta1&map=plane&a=3&b=7", "?model=z20-beta1&map=pca&a=3&b=7"])
def test_dragging_b_moves_the_strip_live_and_commits_on_release(browser, server, query):
    page = open_app(browser, server.url + "/" + query)
    morph = status(page, "morph")
    x, y = marker_pixels(page, "b")
    before = strip_draws(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x - 6 * step, y + 4 * step)
    moved = strip_draws(page) - before
    page.mouse.up()
    assert moved >= 5, f"only {moved} strip redraws during a 10-step drag"
    end = shown(page)["b"]
    assert end["kind"] == "point" and end["label"].startswith("plane point (" if "plane" in query else "map point (")
    after = wait_for_status(page, "morph", previous=morph, timeout=60)
    assert f"to {end['label']}" in after  # the server took the very point the browser showed
    page.wait_for_function("() => location.search.includes('b=')")
    assert "b=plane%3A" in page.url or "b=plane:" in page.url or "b=pca" in page.url
    shot(page, "drag-" + ("plane" if "plane" in query else "pca"))
    page.close()


def test_a_finger_drags_an_endpoint_and_scrubs_the_path(browser, server):
    context = browser.new_context(viewport={"width": 400, "height": 850}, has_touch=True)
    page = context.new_page()
    from harness.browser import goto_app

    goto_app(page, server.url + "/?model=z2-beta1&map=plane&a=plane:-2.5,-2.5&b=plane:2.5,2.5")  # far apart
    morph = status(page, "morph")
    x, y = marker_pixels(page, "a")
    before = strip_draws(page)
    touch_drag(page, [(x, y)] + [(x + 3 * k, y - 3 * k) for k in range(1, 8)])
    assert strip_draws(page) - before >= 3
    assert shown(page)["a"]["kind"] == "point"
    wait_for_status(page, "morph", previous=morph, timeout=60)
    page.wait_for_timeout(300)
    start, middle = path_point(page, 0.35), path_point(page, 0.65)  # clear of A and B, which a finger would grab
    touch_drag(page, [start, middle])
    assert scrub(page)["t"] is None  # let go: it plays again
    scrubs = page.evaluate("() => performance.getEntriesByName('le:scrub').length")
    assert scrubs >= 1
    context.close()


def test_scrubbing_the_path_the_slider_and_the_strip_shows_that_point(page):
    showcase = load_showcase(ROOT / "weights")
    loaded = FAMILY.models["z20-beta1"]
    a, b = (loaded.atlas.mu[showcase[end]].astype(np.float64) for end in ("a", "b"))
    page.mouse.move(*path_point(page, 0.5), steps=3)
    page.wait_for_function("() => document.querySelector('.le-tip').textContent.includes('of the way from A to B')")
    t = scrub(page)["t"]
    assert abs(t - 0.5) < 0.06
    preview = np.asarray(
        page.evaluate(
            """() => Array.from(document.querySelector('.le-preview').getContext('2d')
                 .getImageData(0, 0, 28, 28).data).filter((_, i) => i % 4 === 0)"""
        )
    )
    expected = loaded.model.decode(((1 - t) * a + t * b)[None].astype(np.float32))[0]
    assert np.abs(preview - np.round(255 * expected.ravel())).max() <= 1  # the exact point of the path, decoded
    page.mouse.move(5, 5)
    slider = page.locator(".le-scrub")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert scrub(page)["source"] == "slider"
    page.mouse.click(5, 5)  # leaving the slider lets the preview play again
    assert scrub(page)["t"] is None
    box = page.locator(".le-strip").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.7, steps=3)
    assert scrub(page)["source"] == "strip"


def test_a_geodesic_shows_the_straight_line_first_then_the_server_s_path(browser, server):
    # A pair no other test asks a geodesic of: the server's cache, shared by every session, would answer at once.
    page = open_app(browser, server.url + "/?model=z20-beta1&map=pca&a=4171&b=9302")
    before = strip_draws(page)
    page.get_by_role("button", name="geodesic", exact=True).click()
    wait_for_strip(page, before, timeout=5)
    assert shown(page)["pending"] is True and "straight line for now" in shown(page)["strip"]
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return s.path && !s.path.pending; }}", timeout=60_000)
    assert "geodesic path" in shown(page)["strip"]
    # The server's run follows the browser's: under load its status still names the linear path for a while
    # (a CI run read it there), so wait for the geodesic's own status rather than take the first one seen.
    morph = status(page, "morph") or ""
    for _ in range(600):
        if morph.startswith("10 frames, geodesic path"):
            break
        page.wait_for_timeout(100)
        morph = status(page, "morph") or ""
    assert morph.startswith("10 frames, geodesic path"), morph
    page.close()


def test_compare_mode_draws_one_row_per_beta_beside_the_map(page):
    page.get_by_role("button", name="Compare all β").click()
    rows = "() => document.querySelectorAll('.le-compare-row:not(.le-loading)').length === 6"
    page.wait_for_function(rows, timeout=30_000)
    assert in_view(page, ".le-compare")
    assert wait_for_status(page, "compare") == "6 rows"
    shot(page, "beta-grid")


def test_draw_a_digit_is_encoded_placed_and_used_as_an_endpoint(page):
    draw_stroke(page, [(150, 40), (160, 140), (150, 240)])  # a tall "1"
    drawn = wait_for_status(page, "drawn")
    assert nearest_labels(drawn) == [1, 1, 1, 1, 1]  # a stroke like this is a 1 to the model too
    # The canvas's toolbar (shown on hover, at the canvas's top edge) sits below the Draw / Upload radio.
    for _ in range(20):  # the toolbar slides in on hover: its resting place is what counts
        radio = page.locator(".st-key-draw_source").bounding_box()
        toolbar = page.get_by_title("Undo").bounding_box()
        if radio and toolbar and toolbar["y"] >= radio["y"] + radio["height"]:
            break
        page.wait_for_timeout(150)
    assert radio and toolbar and toolbar["y"] >= radio["y"] + radio["height"], (radio, toolbar)
    shot(page, "drawn-digit")
    before = status(page, "morph")
    page.get_by_role("button", name="Use as B").click()
    page.wait_for_function(f"() => (({INSPECT} || {{ends: {{}}}}).ends.b || {{}}).kind === 'drawn'", timeout=30_000)
    morph = wait_for_status(page, "morph", previous=before)
    assert "to your drawing" in morph
    page.wait_for_function("() => location.search.includes('b=d%3A') || location.search.includes('b=d:')")
    other = open_app(page.context.browser, page.url)  # the drawing travels in the link
    assert wait_for_status(other, "morph") == morph
    other.close()


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


def test_upload_a_picture_and_a_fake_one(page, data_root):
    from PIL import Image

    from training.data import load_mnist

    digit = load_mnist(str(data_root), train=False).images[1].numpy()  # a 2
    paper = Image.fromarray(255 - digit).resize((140, 140))  # dark ink on light paper
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")
    page.get_by_text("Upload a picture").click()
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    upload.wait_for(state="attached")
    sent_at = time.time() - 1
    upload.set_input_files(files=[{"name": "two.png", "mimeType": "image/png", "buffer": buffer.getvalue()}])
    drawn = wait_for_status(page, "drawn")
    assert nearest_labels(drawn) == [2, 2, 2, 2, 2]  # the MNIST 2 it was made from, read back as a 2
    assert written_copies(buffer.getvalue(), since=sent_at) == []  # uploads stay in memory
    page.get_by_text("was dark-on-light, so it was inverted").wait_for()
    upload.set_input_files(files=[{"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image at all"}])
    page.get_by_text("not a picture we can read").wait_for()
    page.wait_for_function("() => !document.querySelector('.le-status[data-name=\"drawn\"]')")  # the stale result goes


def test_a_shared_url_shows_the_same_strip(page, browser):
    first, second = isolated_digits(page, 2, 8.0)
    click_pair(page, first, second)
    morph = wait_for_status(page, "morph")
    page.wait_for_function(f"() => location.search.includes('b={second}')")
    shared = page.url
    assert f"a={first}" in shared and f"b={second}" in shared and "model=z20-beta1" in shared
    other = open_app(browser, shared)
    assert wait_for_status(other, "morph") == morph  # same endpoints, same frames (sha256 included)
    other.close()


# --- The map itself: the overlay on top, hover images, every click, every screen ---

DENSEST = f"""([count, radius]) => {{
  const points = ({INSPECT}).digits().map((d) => [d[1], d[2], d[0]]);
  const near = (p, q, r) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < r * r;
  const scored = points.map(p => [points.filter(q => near(p, q, radius)).length, p]);
  scored.sort((a, b) => b[0] - a[0]);
  const chosen = [];  // the most crowded markers, at least 4 radii apart from each other
  for (const [n, p] of scored) {{
    if (chosen.every(([, q]) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 > 16 * radius * radius)) chosen.push([n, p]);
    if (chosen.length === count) break;
  }}
  return chosen.map(([n, p]) => [p[2], n]); }}"""

TIP = """() => { const tip = document.querySelector('.le-tip');
  const canvases = [...tip.querySelectorAll('canvas')].filter(c => c.style.display !== 'none');
  return { shown: tip.style.display === 'block', text: tip.textContent,
           tiles: canvases.map(c => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data)
                                        .filter((_, i) => i % 4 === 0)) }; }"""

PLOT_AREA = f"""() => {{ const plot = ({INSPECT}).plot, box = document.querySelector('.le-map').getBoundingClientRect();
  return {{ left: plot.left, top: plot.top, width: plot.width, height: plot.height,
           map_width: box.width, map_height: box.height }}; }}"""

# Page pixels, and map coordinates, of the two points of the plot farthest from every digit marker.
EMPTIEST = f"""() => {{
  const found = {INSPECT}, plot = found.plot, points = found.digits().map((d) => [d[1] - plot.left, d[2] - plot.top]);
  const scored = [];
  for (let px = 20; px < plot.width - 20; px += 12) for (let py = 20; py < plot.height - 20; py += 12) {{
    let best = Infinity; for (const [x, y] of points) best = Math.min(best, (x - px) ** 2 + (y - py) ** 2);
    scored.push([best, px, py]); }}
  scored.sort((a, b) => b[0] - a[0]);
  const far = scored.find(s => (s[1] - scored[0][1]) ** 2 + (s[2] - scored[0][2]) ** 2 > 3600);
  const dataX = (px) => plot.x[0] + (plot.x[1] - plot.x[0]) * px / plot.width;
  const dataY = (py) => plot.y[1] - (plot.y[1] - plot.y[0]) * py / plot.height;
  const at = ([, px, py]) => ({{ page: [plot.left + px, plot.top + py], data: [dataX(px), dataY(py)] }});
  return [scored[0], far].map(at); }}"""


def mnist_test_digits():
    return np.load(ROOT / "weights" / "mnist-test.npz")["images"]


def marker_share(page, end: str, half: int = 3) -> float:
    """Share of the (2 * half + 1)^2 pixels at the centre of marker A or B that show its dark fill
    (#111111): 1.0 when it is drawn above the dots, much less under them."""
    from PIL import Image

    x, y = marker_pixels(page, end)
    clip = {"x": round(x) - half, "y": round(y) - half, "width": 2 * half + 1, "height": 2 * half + 1}
    pixels = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")).astype(int)
    return float((pixels.max(axis=2) < 60).mean())


def test_endpoints_are_drawn_above_the_dots_in_dense_clusters(browser, server):
    page = open_app(browser, server.url + "/?model=z20-beta1&map=tsne&a=1")
    (a, crowd_a), (b, crowd_b) = page.evaluate(DENSEST, [2, 8])
    assert crowd_a >= 15 and crowd_b >= 15, "the endpoints must sit inside crowds of markers"
    page.goto(server.url + f"/?model=z20-beta1&map=tsne&a={a}&b={b}")
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return !!(s && s.markers.b); }}", timeout=60_000)
    page.mouse.move(1, 1)  # no hover tip over the map
    page.wait_for_timeout(500)
    shares = {end: marker_share(page, end) for end in ("a", "b")}
    shot(page, "overlay-in-dense-cluster")
    assert min(shares.values()) >= 0.9, shares
    page.close()


def test_hover_shows_the_digit_and_its_reconstruction_without_server_traffic(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    from harness.browser import goto_app

    goto_app(page, server.url)
    page.wait_for_timeout(1000)
    digits = mnist_test_digits()
    loaded = FAMILY.models["z20-beta1"]
    first, second = isolated_digits(page, 2)
    before = len(sent)
    for index in (first, second):
        page.mouse.move(*digit_pixels(page, index), steps=5)
        page.wait_for_function(
            "(i) => document.querySelector('.le-tip').textContent.includes(`test #${i} `)", arg=index, timeout=5000
        )
        tip = page.evaluate(TIP)
        assert tip["shown"] and len(tip["tiles"]) == 2, tip["text"]
        original, reconstruction = (np.asarray(tile) for tile in tip["tiles"])
        assert bytes(original.astype(np.uint8)) == digits[index].tobytes()  # cut from the sprite, pixel for pixel
        expected = np.round(255 * loaded.model.decode(loaded.atlas.mu[[index]])[0].ravel())
        assert np.abs(reconstruction - expected).max() <= 1  # decoded in the browser from the model's mu
    page.mouse.move(5, 5, steps=20)
    page.wait_for_timeout(300)
    assert len(sent) == before, "hovering sent messages to the server"
    shot(page, "hover-image")
    page.close()


def test_hovering_empty_space_on_a_pca_map_decodes_the_point_it_stands_for(browser, server):
    page = open_app(browser, server.url + "/?model=z20-beta1&map=pca&a=1")
    spot = page.evaluate(EMPTIEST)[0]
    page.mouse.move(*spot["page"], steps=3)
    page.wait_for_function(
        "() => document.querySelector('.le-tip').textContent.startsWith('No digit here: what the decoder draws')"
    )
    tip = page.evaluate(TIP)
    atlas = FAMILY.models["z20-beta1"].atlas
    code = atlas.pca_mean + np.asarray(spot["data"], np.float32) @ atlas.pca_components
    expected = np.round(255 * FAMILY.models["z20-beta1"].model.decode(code[None].astype(np.float32))[0].ravel())
    assert np.abs(np.asarray(tip["tiles"][0]) - expected).max() <= 1
    assert tip["text"].startswith("No digit here")  # plain words (issue 24), the coordinates after them
    page.close()


def test_fast_clicks_all_register_in_order(page):
    targets = isolated_digits(page, 10)
    assert len(targets) == 10
    pixels = [digit_pixels(page, index) for index in targets]
    for xy in pixels:
        page.mouse.move(*xy)
        page.mouse.click(*xy)
        page.wait_for_timeout(150)
    expected = " ".join(f"pick:{index}" for index in targets)
    page.wait_for_function(
        "(e) => { const s = document.querySelector('.le-status[data-name=\"events\"]');"
        " return s && s.textContent.endsWith(e); }",
        arg=expected,
        timeout=30_000,
    )
    morph = wait_for_status(page, "morph")  # the 9th and 10th clicks are the pair
    assert f"from test #{targets[8]} (" in morph and f"to test #{targets[9]} (" in morph


def test_a_click_on_the_empty_plane_decodes_that_point(browser, server):
    page = open_app(browser, server.url + "/?model=z2-beta1&map=plane&a=1")
    loaded = FAMILY.models["z2-beta1"]
    picked = []
    settled(page, lambda: page.get_by_role("button", name="✕ Clear").click())
    for spot in page.evaluate(EMPTIEST):
        page.mouse.move(*spot["page"], steps=3)
        page.wait_for_function("() => document.querySelector('.le-tip').textContent.includes('decoder draws')")
        tip = page.evaluate(TIP)
        expected = np.round(255 * loaded.model.decode(np.array([spot["data"]], np.float32))[0]).ravel()
        assert np.abs(np.array(tip["tiles"][0]) - expected).max() <= 1  # the browser ran the same decoder
        settled(page, lambda xy=spot["page"]: page.mouse.click(*xy))
        picked.append(spot["data"])
    morph = wait_for_status(page, "morph")
    (ax, ay), (bx, by) = picked
    assert f"from plane point ({round(ax, 2):.2f}, {round(ay, 2):.2f})" in morph, morph
    assert f"to plane point ({round(bx, 2):.2f}, {round(by, 2):.2f})" in morph, morph
    shot(page, "plane-click-anywhere")
    page.close()


@pytest.mark.parametrize("width", [400, 1500, 1920])
def test_the_map_is_sized_to_the_screen(browser, server, width):
    height = 900
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600)
    page = context.new_page()
    from harness.browser import goto_app

    goto_app(page, server.url + "/?map=tsne")
    page.wait_for_timeout(500)
    area = page.evaluate(PLOT_AREA)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing runs off the side
    assert area["map_height"] <= 0.9 * height
    if width < 600:
        assert area["map_width"] >= 0.85 * width  # full width
    else:
        assert area["map_width"] >= 0.35 * width and area["map_height"] >= 0.6 * area["map_width"]
    context.close()


# Page pixels of the shown map's visible digits among `indices`, and which of the first `count` digits stand at
# least `clear` px from every other digit, from the widget's own mapping (its test interface).
MAP_PIXELS = f"""([indices, count, clear]) => {{
  const all = new Map(({INSPECT}).digits().map((d) => [d[0], [d[1], d[2]]])), alone = [];
  const points = [...all.values()];
  for (let i = 0; i < count && alone.length < 5; i++) {{
    const at = all.get(i); if (!at) continue;
    const [x, y] = at;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
    if (points.every((p) => p === at || Math.hypot(p[0] - x, p[1] - y) >= clear)) alone.push(i);
  }}
  return {{pixels: indices.map((i) => all.get(i) || null), alone}}; }}"""
FIRST_PAINT = "() => performance.getEntriesByName('le:firstpaint').length > 0"
PLOTLY_DRAWN = f"() => {{ const found = {INSPECT}; return !!(found && found.plotlyDrawn); }}"


@pytest.mark.parametrize(("width", "height"), [(1500, 1000), (400, 850)])
def test_the_first_paint_lies_where_plotly_draws_and_hover_works_on_it(browser, server, width, height):
    """Before Streamlit's Plotly bundle arrives the widget paints the codes on a canvas: every point where
    Plotly will draw it, and the pointer already names the digit a click would pick."""
    page = browser.new_page(viewport={"width": width, "height": height})
    held = []
    page.route("**/PlotlyChart.*.js", lambda route: held.append(route))  # Plotly waits until the test lets it through
    try:
        page.goto(server.url)
        page.wait_for_function(FIRST_PAINT, timeout=120_000)
        assert page.evaluate("!window.Plotly") and not page.evaluate(PLOTLY_DRAWN)
        early = page.evaluate(MAP_PIXELS, [list(range(0, 10_000, 250)), 400, 8.0])
        assert early["alone"], "no digit stands clear on the first paint"
        for index in early["alone"][:2]:
            [xy] = page.evaluate(MAP_PIXELS, [[index], 0, 0])["pixels"]
            hover(page, xy, index)  # the tip names it: a click there would pick it
        assert held, "the Plotly chunk was never asked for"
        for route in held:
            route.continue_()
        page.wait_for_function(PLOTLY_DRAWN, timeout=120_000)
        late = page.evaluate(MAP_PIXELS, [list(range(0, 10_000, 250)), 0, 0])
        pairs = [(p, q) for p, q in zip(early["pixels"], late["pixels"], strict=True) if p and q]
        assert len(pairs) >= 30, "too few digits on both paints to compare"
        gaps = [max(abs(a - b) for a, b in zip(p, q, strict=True)) for p, q in pairs]
        assert max(gaps) <= 1.5, f"first paint vs Plotly, px: {sorted(gaps)[-5:]}"
    finally:
        page.close()


def test_the_map_says_so_when_plotly_never_loads(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.route("**/PlotlyChart.*.js", lambda route: route.abort())  # Streamlit's Plotly chunk never arrives
    page.goto(server.url)
    note = page.locator(".le-note")
    note.wait_for(state="visible", timeout=60_000)  # after the widget's bounded wait (20 s)
    assert "did not load" in note.text_content()
    assert note.get_by_role("button", name="Retry").is_visible()
    page.close()


def test_a_beta_press_lays_the_map_out_once(page):
    """A β press draws the new model's map, and nothing lays the whole widget out again: the panel's lines that
    name the model change the widget's height, and its resize observer took that for a new size (a Plotly
    layout and every panel chart again, before the frame that shows the strip: β press -> strip shown went
    24 -> 178 ms in benchmarks/page_speed.py). Counted, not timed."""
    resizes = "() => Number(document.querySelector('.le-root').dataset.resizes || 0)"
    page.wait_for_timeout(800)
    first = page.evaluate(resizes)
    assert first >= 1  # the first layout counts: the counter is alive
    for beta in ("2", "4", "0", "8", "1"):
        strips = strip_draws(page)
        page.get_by_role("button", name=f"β = {beta}", exact=True).click()
        wait_for_strip(page, strips)
        page.wait_for_timeout(800)  # the new map, the server's run and the reading settled
        assert page.evaluate(resizes) == first, beta
    page.set_viewport_size({"width": 1400, "height": 1000})  # a real resize is still followed
    page.wait_for_function(f"(n) => ({resizes})() > n", arg=first)
