"""The static site (python export.py) served by a plain static server, in headless Chromium: the same viewer
as the Streamlit page, with no server code behind it. What a visitor does there, at the three screen sizes,
and links carried between the two hosts.

    python -m pytest tests/test_static_site.py

Without Chromium these tests skip locally but fail in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse

import numpy as np
import pytest

from explorer.static_site import FILE_LIMIT
from harness.browser import (
    INSPECT,
    MAP_READY,
    ROOT,
    digit_pixels,
    goto_app,
    goto_static,
    hover,
    isolated_digits,
    require_chromium,
    static_site,
    wait_for_status,
)
from harness.widget import browser_frames, in_view, marker_pixels, path_point, scrub, shown, strip_draws, wait_for_strip
from vae.family import load_showcase, shared_family, weights_folder
from vae.paths import interpolate

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()
FAMILY = shared_family(weights_folder())
SIZES = [(1500, 1000), (1920, 1080), (400, 850)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static") / "site"
    with static_site(folder) as url:
        yield url, folder


def numpy_frames(model: str, a, b, frames: int = 10, method: str = "linear") -> np.ndarray:
    loaded = FAMILY.models[model]
    code = lambda end: loaded.atlas.mu[end] if isinstance(end, int) else np.float32(end)  # noqa: E731
    return loaded.model.decode(interpolate(code(a), code(b), frames, method)).reshape(frames, -1)


# The host's classifier reading, once it is of the shown path.
READING = f"() => {{ const s = {INSPECT}; return s.reading && s.reading.key === s.path.key ? s.reading : null; }}"


def open_static(browser, url: str, width: int = 1500, height: int = 1000):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600)
    page = context.new_page()
    goto_static(page, url)
    return page


def test_the_export_is_small_files_and_a_static_space(site):
    _, folder = site
    sizes = {path.relative_to(folder).as_posix(): path.stat().st_size for path in folder.rglob("*") if path.is_file()}
    assert max(sizes.values()) <= FILE_LIMIT and sum(sizes.values()) <= 60 * 2**20
    card = (folder / "README.md").read_text()
    assert card.startswith("---\n") and "\nsdk: static\n" in card.split("---")[1]
    page = (folder / "index.html").read_text()
    assert "{{" not in page and "plotly.min.js" not in page  # Plotly is loaded by the viewer, after the map
    for name in json.loads((folder / "site.json").read_text())["explorer"]["models"]["z20-beta1"].values():
        if isinstance(name, str) and name.startswith("le-assets/"):
            assert (folder / name).is_file()


def test_export_needs_no_torch(tmp_path):
    """python export.py runs from the page's requirements: torch is never imported."""
    code = (
        "import sys, runpy; sys.argv = ['export.py', sys.argv[1]]; "
        "sys.path.insert(0, '.'); runpy.run_path('export.py', run_name='__main__'); "
        "assert 'torch' not in sys.modules, 'export imported torch'"
    )
    command = [sys.executable, "-c", code, str(tmp_path / "site")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "MB in all" in done.stdout


@pytest.mark.parametrize("width, height", SIZES)
def test_a_morph_is_in_view_on_arrival_and_after_a_completing_click(browser, site, width, height):
    url, _ = site
    page = open_static(browser, url, width, height)
    showcase = load_showcase(ROOT / "weights")
    ends = shown(page)
    assert (ends["a"]["index"], ends["b"]["index"]) == (showcase["a"], showcase["b"])
    page.wait_for_timeout(300)
    assert in_view(page, ".le-strip") and in_view(page, ".le-map"), "strip and map must both be in view"
    first, second = isolated_digits(page, 2, 8.0)
    for index in (first, second):
        xy = digit_pixels(page, index)
        before = strip_draws(page)
        if width < 600:
            page.touchscreen.tap(*xy)
        else:
            hover(page, xy, index)
            page.mouse.click(*xy)
        if index == second:
            wait_for_strip(page, before)
    ends = shown(page)
    assert (ends["a"]["index"], ends["b"]["index"]) == (first, second)
    assert in_view(page, ".le-strip"), "the new strip must be where the visitor is looking"
    frames = np.asarray(browser_frames(page))
    assert np.abs(frames - numpy_frames("z20-beta1", first, second)).max() <= 1 / 255
    page.wait_for_function(f"() => location.search.includes('a={first}') && location.search.includes('b={second}')")
    page.context.close()


def test_beta_drag_and_scrub_work_with_no_server(browser, site):
    url, _ = site
    page = open_static(browser, url + "/?model=z2-beta1&map=plane&a=3&b=7")
    before = strip_draws(page)
    page.get_by_role("button", name="β = 0", exact=True).click()
    wait_for_strip(page, before, model="z2-beta0")
    assert shown(page)["model"] == "z2-beta0"
    page.wait_for_function("() => location.search.includes('model=z2-beta0')")
    x, y = marker_pixels(page, "b")
    before = strip_draws(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x - 5 * step, y + 3 * step)
    page.mouse.up()
    assert strip_draws(page) - before >= 5
    end = shown(page)["b"]
    assert end["kind"] == "point" and end["label"].startswith("plane point (")
    page.wait_for_function("() => location.search.includes('b=plane')")
    page.mouse.move(*path_point(page, 0.5), steps=3)
    page.wait_for_function("() => document.querySelector('.le-tip').textContent.includes('of the way from A to B')")
    assert scrub(page)["source"] == "path" and abs(scrub(page)["t"] - 0.5) < 0.08
    page.context.close()


COMPARED = """() => { const rows = [...document.querySelectorAll('.le-compare-row')];
  const root = document.querySelector('.le-root');
  return rows.length > 1 && rows.every((r) => !r.classList.contains('le-loading')) && !!window.Plotly
    && Number(root.dataset.mapDraws || 0) > 0 ? Number(root.dataset.pathDecodes) : null; }"""


def test_a_compare_link_decodes_each_path_once_however_often_the_view_refreshes(browser, site):
    """The view refreshes on every arrival (a model, a blob, Plotly, a reading); decoding every β's row again
    each time held the main thread for seconds on a compare link (an 8.8 s task; Plotly came 21 s late and
    the page said it "did not load"). Each path is decoded once: hovering and resizing decode nothing more,
    and a new frame count decodes each row once again."""
    url, _ = site
    page = open_static(browser, url + "/?model=z20-beta0&map=pca&method=linear&frames=10&compare=1&a=7102&b=9590")
    decodes = page.wait_for_function(COMPARED, timeout=60_000).json_value()
    rows = page.locator(".le-compare-row").count()
    page.wait_for_timeout(1000)  # late arrivals (the strip's reading) refresh the view once more
    decodes = page.evaluate(COMPARED)
    assert decodes <= rows + 1  # each β's row once, and the shown path (its row is the same path)
    box = page.locator(".le-map").bounding_box()
    for step in range(12):  # hovers and a resize refresh the view; nothing is decoded again
        page.mouse.move(box["x"] + box["width"] * (0.3 + 0.03 * step), box["y"] + box["height"] * 0.5)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.wait_for_timeout(500)
    assert page.evaluate(COMPARED) == decodes
    page.evaluate(  # a drag of the frames slider to 12
        """() => { const s = document.querySelector('.le-frames input'); s.value = '12';
          s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }"""
    )
    page.wait_for_function(
        "(n) => Number(document.querySelector('.le-root').dataset.pathDecodes) >= n", arg=decodes + rows
    )
    assert page.evaluate(COMPARED) <= decodes + rows + 1
    page.context.close()


@pytest.mark.parametrize(
    "query",
    [
        "?model=z20-beta2&map=tsne&method=spherical&frames=16&a=3&b=7",
        "?model=z2-beta1&map=plane&a=3&b=plane:0.50,-1.20",
    ],
)
def test_a_link_opens_the_same_frames_in_both_hosts(browser, server, site, query):
    url, _ = site
    static = open_static(browser, url + "/" + query)
    streamlit = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(streamlit, server.url + "/" + query)
    wait_for_status(streamlit, "morph")
    mine, theirs = shown(static), shown(streamlit)
    for key in ("model", "method", "frames"):
        assert mine[key] == theirs[key]
    assert [mine[e]["id"] for e in "ab"] == [theirs[e]["id"] for e in "ab"]
    assert [mine[e]["label"] for e in "ab"] == [theirs[e]["label"] for e in "ab"]
    np.testing.assert_allclose(browser_frames(static), browser_frames(streamlit), atol=1e-6)
    if "geodesic" not in query:  # the strip's reading: the server's classifier, and the site's in the browser
        mine = static.wait_for_function(READING, timeout=30_000).json_value()
        theirs = streamlit.wait_for_function(READING, timeout=30_000).json_value()
        assert mine["digits"] == theirs["digits"]
        np.testing.assert_allclose(mine["confidence"], theirs["confidence"], atol=2e-3)
    static_query = urllib.parse.parse_qs(urllib.parse.urlparse(static.url).query)
    streamlit_query = urllib.parse.parse_qs(urllib.parse.urlparse(streamlit.url).query)
    assert static_query == streamlit_query  # each host writes the view back into the link the same way
    static.context.close()
    streamlit.close()


def test_a_bad_link_warns_in_plain_text_and_opens_on_defaults(browser, site):
    url, _ = site
    hostile = "?frames=999&a=-4&model=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&probe=1e3,2&b=" + "9" * 50
    page = open_static(browser, url + "/" + hostile)
    notes = page.locator(".sh-notes").inner_text()
    assert "could not be used" in notes and "frames" in notes and "model" in notes and "probe" in notes
    assert page.locator(".sh-notes img").count() == 0  # quoted as text, never markup
    view = page.evaluate(f"() => {INSPECT}.view")
    assert view["model"] == "z20-beta1" and view["frames"] == 10
    assert "frames=10" in page.url and "999" not in page.url  # the link follows what is shown
    showcase = load_showcase(ROOT / "weights")  # no usable endpoint: the first visit's pair, as on the page
    assert (shown(page)["a"]["index"], shown(page)["b"]["index"]) == (showcase["a"], showcase["b"])
    page.context.close()


def test_a_drawing_becomes_an_endpoint_and_its_link_opens_in_both_hosts(browser, server, site):
    url, _ = site
    page = open_static(browser, url)
    canvas = page.locator(".sh-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 30)
    page.mouse.down()
    for step in range(20):
        page.mouse.move(box["x"] + 100 + step, box["y"] + 30 + 7 * step)
    page.mouse.up()
    page.get_by_role("button", name="Use as B").click()
    page.wait_for_function("() => location.search.includes('b=d%3A') || location.search.includes('b=d:')")
    mine = shown(page)["b"]
    assert mine["kind"] == "drawn" and mine["label"] == "your drawing"
    link = "/?" + urllib.parse.urlparse(page.url).query
    streamlit = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(streamlit, server.url + link)
    streamlit.wait_for_function(f"() => ({INSPECT}).ends.b && ({INSPECT}).ends.b.kind === 'drawn'", timeout=60_000)
    assert shown(streamlit)["b"]["id"] == mine["id"]  # the same picture, by its digest
    again = open_static(browser, url + link)
    again.wait_for_function(f"() => ({INSPECT}).ends.b && ({INSPECT}).ends.b.kind === 'drawn'", timeout=30_000)
    assert shown(again)["b"]["id"] == mine["id"]
    np.testing.assert_allclose(browser_frames(again), browser_frames(streamlit), atol=2e-3)
    for opened in (page, again):
        opened.context.close()
    streamlit.close()


def stroke(page, dx: int) -> None:
    canvas = page.locator(".sh-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 60 + dx, box["y"] + 30)
    page.mouse.down()
    for step in range(20):
        page.mouse.move(box["x"] + 60 + dx + step, box["y"] + 30 + 9 * step)
    page.mouse.up()


def test_a_drawing_prepared_at_its_stroke_end_is_never_used_stale(browser, site):
    """static-tools.js encodes a drawing when its stroke ends; "Use as A" must place what the canvas holds now:
    nothing after Clear (the blank canvas's message), the latest picture after another stroke."""
    url, _ = site
    page = open_static(browser, url + "/?model=z20-beta1&map=pca&a=3&b=7")
    stroke(page, 0)
    page.get_by_role("button", name="Clear", exact=True).click()
    page.get_by_role("button", name="Use as A").click()
    page.wait_for_function("() => document.querySelector('.sh-draw .sh-message').textContent.length > 0")
    assert "nothing" in page.locator(".sh-draw .sh-message").inner_text().lower()
    assert shown(page)["a"]["kind"] != "drawn"
    ids = []
    for dx in (0, 120):  # the second stroke adds to the first: a new picture, a new digest
        stroke(page, dx)
        page.get_by_role("button", name="Use as A").click()
        page.wait_for_function(
            f"() => ({INSPECT}).ends.a.kind === 'drawn' && ({INSPECT}).ends.a.id !== {ids[-1] if ids else ''!r}"
        )
        ids.append(shown(page)["a"]["id"])
    assert ids[0] != ids[1]
    page.context.close()


def test_the_morph_downloads_as_a_gif_and_a_png(browser, site):
    from PIL import Image

    url, _ = site
    page = open_static(browser, url + "/?model=z20-beta1&map=pca&a=3&b=7&frames=8")
    page.locator(".sh-downloads").scroll_into_view_if_needed()
    with page.expect_download() as gif:
        page.get_by_role("button", name="GIF (A → B → A)").click()
    with page.expect_download() as png:
        page.get_by_role("button", name="Strip (PNG)").click()
    animation = Image.open(gif.value.path())
    assert animation.format == "GIF" and animation.n_frames == 2 * 8 - 2  # A -> B -> A
    strip = Image.open(png.value.path())
    assert strip.format == "PNG" and strip.size[0] == 8 * strip.size[1]
    page.context.close()


def test_a_geodesic_is_optimised_in_the_browser_as_on_the_server(browser, server, site):
    """The straight line first, labelled, then the optimised path: on the static site the browser's port of
    vae/geodesic.py, on the page the server's; their decoded paths have the same energy within 2%."""
    url, _ = site
    query = "/?model=z20-beta1&map=pca&method=geodesic&frames=10&a=3&b=7"
    done = f"() => {{ const s = {INSPECT}; return !!(s && s.path && !s.path.pending); }}"
    static = open_static(browser, url + query)
    streamlit = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(streamlit, server.url + query)
    for page in (static, streamlit):
        page.wait_for_function(done, timeout=60_000)
        assert "geodesic path" in shown(page)["strip"]

    def energy(frames) -> float:
        frames = np.asarray(frames)
        return float((np.diff(frames, axis=0) ** 2).sum())

    mine, theirs = energy(browser_frames(static)), energy(browser_frames(streamlit))
    assert abs(mine - theirs) <= 0.02 * theirs, (mine, theirs)
    straight = energy(numpy_frames("z20-beta1", 3, 7))
    assert mine < straight  # the optimiser did bend it
    static.context.close()
    streamlit.close()


def test_find_a_digit_by_index_class_and_neighbour(browser, site):
    from explorer.state import random_pair
    from explorer.state import test_digit as digit_end
    from sections.find import nearest_digits

    url, _ = site
    page = open_static(browser, url + "/?model=z20-beta1&map=pca&a=3&b=7")
    page.locator(".sh-find summary").click()
    field = page.get_by_label("Test digit by index")
    field.fill("#42")
    page.get_by_role("button", name="Set A", exact=True).click()
    page.wait_for_function(f"() => ({INSPECT}).ends.a.index === 42")
    field.fill("10000")
    page.get_by_role("button", name="Set B", exact=True).click()
    assert "there is no test digit" in page.locator(".sh-find .sh-message").inner_text()
    assert shown(page)["b"]["index"] == 7  # nothing changed
    page.get_by_role("button", name="Random pair", exact=True).click()
    expected = random_pair(FAMILY, 3, 8, 0)  # the page's first press
    page.wait_for_function(f"(a) => ({INSPECT}).ends.a.index === a", arg=expected[0])
    assert (shown(page)["a"]["index"], shown(page)["b"]["index"]) == expected
    page.wait_for_function("() => document.querySelectorAll('.sh-near .sh-tile').length === 10")
    tiles = page.locator(".sh-near .sh-tile").all_inner_texts()
    near_a = nearest_digits(FAMILY.models["z20-beta1"], digit_end(FAMILY, expected[0]))
    assert [int(text.strip("#")) for text in tiles[:5]] == [int(i) for i in near_a]
    page.locator(".sh-near .sh-tile").nth(7).click()  # B's third neighbour
    page.wait_for_function(f"(b) => ({INSPECT}).ends.b.index === b", arg=int(tiles[7].strip("#")))
    page.context.close()


# --- the lesson ---------------------------------------------------------------------------------------------------

LESSON_QUERY = "?page=lesson&samples=3&eps=2&probe=0.50,-1.20"
LESSON_SHOWN = """() => {
  const root = document.querySelector('.lp-root');
  const strips = [...document.querySelectorAll('.lp-strip')];
  const insets = [...document.querySelectorAll('.lp-inset')];
  if (!root?.dataset.complete || strips.length < 4 || strips.some((s) => !s.dataset.reads)) return null;
  if (insets.some((i) => !i.dataset.where) || !document.querySelector('.lp-posterior-row')) return null;
  const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    reads: Object.fromEntries(strips.map((s) => [s.dataset.row, s.dataset.reads.split(',').map(Number)])),
    insets: insets.map((i) => ({ where: i.dataset.where, digit: Number(i.dataset.digit), text: i.innerText })),
    insetRects: insets.map(rect),
    planes: [...document.querySelectorAll('.lp-canvas')].map(rect),
    posterior: [...document.querySelectorAll('.lp-posterior-row')].map((r) => r.dataset.model),
    pageWidth: document.documentElement.scrollWidth,
    viewport: [innerWidth, innerHeight],
  };
}"""


TABLE_SHOWN = """() => { const t = document.querySelector('.lp-table-scroll'), r = t.getBoundingClientRect();
  return { width: r.width, right: r.right, fits: t.scrollWidth <= t.clientWidth,
           pageWidth: document.documentElement.scrollWidth }; }"""


LESSON_READY = (
    "() => !!document.querySelector('.lp-root')?.dataset.complete && !!document.querySelector('.lp-posterior-row')"
)


def lesson_shown(page) -> dict:
    return page.wait_for_function(LESSON_SHOWN, timeout=60_000).json_value()


@pytest.mark.parametrize("width, height", SIZES)
def test_the_whole_lesson_runs_on_the_static_site(browser, site, width, height):
    """From a `?page=lesson` link: the draws decoded and read in the browser (numpy's digits), the probe on both
    planes (numpy's reading, the plane beside or under its inset), q(z|x) sampled, the table within the screen."""
    from explorer.lesson_assets import SAMPLE_COUNT, beta_row, sample_rows
    from explorer.lesson_draws import sample_row
    from explorer.planes import probe_report
    from vae.multirate import load_multirate
    from vae.sampling import READABLE

    url, _ = site
    page = open_static(browser, url + "/" + LESSON_QUERY, width, height)
    seen = lesson_shown(page)
    rows = sample_rows(FAMILY)
    beta = beta_row(FAMILY)  # the row that follows β (tests/test_lesson_beta.py): the MR-VAE at its first β
    if beta is not None:
        model, _ = load_multirate(ROOT / "weights" / "mrvae-z20.safetensors")
        expected = sample_row(model, FAMILY.classifier, 3, SAMPLE_COUNT, READABLE, beta=beta["start"])
        assert seen["reads"].pop("beta") == expected["reads"]
    assert len(seen["reads"]) == len(rows)
    for row in rows:
        reads = seen["reads"][f"{row['side']}:{row['latent']}"]
        name = f"z{row['latent']}-beta{FAMILY.models[('z2-beta0', 'z2-beta1')[row['side']]].variant.beta:g}"
        expected = sample_row(FAMILY.models[name].model, FAMILY.classifier, 3, SAMPLE_COUNT, READABLE)
        assert reads == expected["reads"], name
    for inset, name in zip(seen["insets"], ("z2-beta0", "z2-beta1"), strict=True):
        report = probe_report(FAMILY, FAMILY.models[name], (0.5, -1.2))
        assert inset["digit"] == (report["digit"] if report["readable"] else -1)
        assert inset["text"].startswith("z = (0.50, −1.20)") and "nearest test code" in inset["text"]
    assert seen["posterior"][:2] == ["z2-beta0", "z2-beta1"]
    assert seen["pageWidth"] <= width  # nothing makes the page scroll sideways
    page.locator(".lp-table summary").click()  # the figures, closed at first, open on a tap
    table = page.evaluate(TABLE_SHOWN)
    assert table["width"] > 0 and table["right"] <= width + 0.5 and table["pageWidth"] <= width
    assert table["fits"]  # every column in view, −ELBO and KL included, with no sideways scroll
    if width < 600:  # a phone: the insets sit under the planes, never over them
        for inset, plane in zip(seen["insetRects"], seen["planes"], strict=True):
            assert inset[1] >= plane[3] - 0.5
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query["page"] == ["lesson"] and query["samples"] == ["3"] and query["eps"] == ["2"]
    assert query["probe"] == ["0.50,-1.20"]
    page.context.close()


def test_the_lesson_button_opens_the_lesson_and_a_draw_goes_in_the_link(browser, site):
    url, _ = site
    page = open_static(browser, url)
    page.get_by_role("button", name="Why a VAE?").click()
    lesson_shown_or_none = page.wait_for_function(
        "() => document.querySelector('.lp-root')?.dataset.complete", timeout=60_000
    )
    assert lesson_shown_or_none
    assert "page=lesson" in page.url
    page.get_by_role("button", name="Decode one draw of N(0, I)").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.lp-inset')].every((i) => /a draw of N\\(0, I\\)/.test(i.innerText))",
        timeout=30_000,
    )
    from explorer.lesson_draws import draw_point

    x, y = draw_point(1)
    assert f"probe={x:.2f}%2C{y:.2f}" in page.url or f"probe={x:.2f},{y:.2f}" in page.url
    page.get_by_role("button", name="New draws").click()
    page.wait_for_function("() => location.search.includes('samples=1')", timeout=10_000)
    page.get_by_role("button", name="Explore the map").click()
    page.wait_for_function("() => !location.search.includes('page=lesson')", timeout=10_000)
    page.context.close()


def test_a_lesson_link_shows_the_same_draws_and_probe_in_both_hosts(browser, server, site):
    url, _ = site
    static = open_static(browser, url + "/" + LESSON_QUERY)
    streamlit = browser.new_page(viewport={"width": 1500, "height": 1000})
    streamlit.goto(server.url + "/" + LESSON_QUERY)
    mine, theirs = lesson_shown(static), lesson_shown(streamlit)
    assert mine["reads"] == theirs["reads"]
    assert [i["text"] for i in mine["insets"]] == [i["text"] for i in theirs["insets"]]
    assert mine["posterior"] == theirs["posterior"]
    static.context.close()
    streamlit.close()


def test_a_preset_lands_with_its_line_on_the_static_site(browser, site):
    from vae.family import load_lesson_file

    url, _ = site
    for preset in load_lesson_file(ROOT / "weights")["presets"]:
        page = open_static(browser, url + "/?page=lesson")
        page.wait_for_function(LESSON_READY, timeout=60_000)
        page.get_by_role("button", name=preset["title"]).click()
        if preset["query"].get("page") == "lesson":
            page.wait_for_function("() => document.querySelector('.lp-preset')?.checkVisibility()", timeout=10_000)
            assert preset["line"] in page.locator(".lp-preset").inner_text()
            page.wait_for_function(
                "(probe) => location.search.includes('probe=' + encodeURIComponent(probe))",
                arg=preset["query"]["probe"],
                timeout=10_000,
            )
            assert page.evaluate("() => document.querySelector('.lp-root').dataset.scale") == "own"
        else:  # the map, on the preset's pair, its line above it
            page.wait_for_function("(a) => location.search.includes('a=' + a)", arg=preset["query"]["a"])
            page.wait_for_function(MAP_READY, timeout=60_000)
            page.wait_for_function(
                "(title) => document.querySelector('.sh-notes')?.innerText.includes(title)", arg=preset["title"]
            )
            assert (shown(page)["a"]["index"], shown(page)["b"]["index"]) == (
                int(preset["query"]["a"]),
                int(preset["query"]["b"]),
            )
        page.context.close()


def test_a_reconstruction_read_as_another_digit_is_said_where_it_appears(browser, site):
    """Test #792 under the z = 2 autoencoder: when the classifier's best guess for its decoded mu is another digit
    than its label, the row says so (numpy decides whether it is)."""
    url, _ = site
    index = 792
    loaded = FAMILY.models["z2-beta0"]
    mu, _ = loaded.model.encode(FAMILY.images[index][None].astype(np.float32) / 255)
    reading = FAMILY.classifier.probabilities(loaded.model.decode(mu))[0]
    misread = int(reading.argmax()) != int(FAMILY.labels[index])
    page = open_static(browser, url + "/?page=lesson")
    page.wait_for_function(LESSON_READY, timeout=60_000)
    page.locator(".lp-digit").fill(str(index))
    page.locator(".lp-digit").press("Enter")
    page.wait_for_function(f"() => document.querySelector('.lp-posterior')?.dataset.digit === '{index}'")
    row = page.locator('.lp-posterior-row[data-model="z2-beta0"]')
    assert (row.get_attribute("data-misread") == str(int(reading.argmax()))) == misread
    if misread:
        assert f"not the {int(FAMILY.labels[index])} it encodes" in row.inner_text()
    page.context.close()


@pytest.mark.parametrize("host", ["static", "streamlit"])
def test_decoded_digits_behind_shows_what_its_button_says(browser, server, site, host):
    """A link (or a preset) with backdrop=0 draws the z = 2 plane without the decoded digits, and the button
    turns them on: the plot shows what the button's state says (it drew them either way)."""
    images = "() => document.querySelector('.le-map')._fullLayout?.images?.length ?? -1"
    query = "/?model=z2-beta1&map=plane&a=3&b=7"
    if host == "static":
        page = open_static(browser, site[0] + query + "&backdrop=0")
    else:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        goto_app(page, server.url + query + "&backdrop=0")
    page.wait_for_function(f"() => ({images})() === 0", timeout=30_000)
    page.get_by_role("button", name="Decoded digits behind").click()
    page.wait_for_function(f"() => ({images})() === 1", timeout=60_000)
    if host == "static":
        page.context.close()
    else:
        page.close()
