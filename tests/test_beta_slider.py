"""The β slider (issue 25, and issue 24's read-through): one Multi-Rate VAE shown at any β, in both hosts of the
viewer.

    python -m pytest tests/test_beta_slider.py -x -q

Node (tests/js/bridge.js): the browser's MR-VAE (viewer/core/multirate.js) against numpy's (vae/multirate.py),
frames within 1/255 and codes within 1e-4; the link's β read alike by explorer/share.py and viewer/core/share.js
on many values drawn by hypothesis. Chromium, each test once per host (the static site and `streamlit run`):
dragging the slider (mouse, and a finger on a phone) puts the code file's codes at that β on the map, the morph's
frames are numpy's MR decode at that β, and the link carries β; at 400 x 850, 1500 x 1000 and 1920 x 1080 the
slider is on the first screen together with the map; the rate-distortion chart has 3 to 5 round ticks per axis; a
phone's z = 2 backdrop has fewer, larger tiles, numpy's decode at the shown β.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.figures import BACKDROP_TILES, PHONE_BACKDROP_TILES, backdrop_codes, map_info
from explorer.images import tiled
from explorer.multirate_assets import multirate_blob, multirate_data
from explorer.share import mr_beta, mr_step, mr_text, parse_query, to_query
from harness.browser import (
    INSPECT,
    digit_pixels,
    goto_app,
    goto_static,
    hover,
    isolated_digits,
    require_chromium,
    static_site,
)
from harness.node import Bridge
from harness.widget import browser_frames, touch_drag
from vae.family import shared_family, weights_folder
from vae.multirate import BETA_RANGE, load_beta_codes, load_multirate
from vae.paths import interpolate
from vae.sampling import READABLE

FAMILY = shared_family(weights_folder())
SHARE = "viewer/core/share.js"
SHIPPED = "tests/js/multirate_shipped.js"
ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
MODELS = {latent: load_multirate(Path(weights_folder()) / f"mrvae-z{latent}.safetensors") for latent in (2, 20)}


def codes_file(latent: int):
    path = Path(weights_folder()) / f"mrvae-codes-z{latent}.npz"
    return load_beta_codes(path, model_sha256=MODELS[latent][1]["sha256"])


def codes_at(latent: int, beta: float) -> np.ndarray:
    """The code file's (N, 2) codes at beta, linear in log beta between the two grid betas around it."""
    codes = codes_file(latent)
    k = int(np.clip(np.searchsorted(codes.betas, beta, side="right") - 1, 0, len(codes.betas) - 2))
    t = (np.log(beta) - np.log(codes.betas[k])) / (np.log(codes.betas[k + 1]) - np.log(codes.betas[k]))
    return (1 - t) * codes.xy[k] + t * codes.xy[k + 1]


def numpy_morph(latent: int, beta: float, a: int, b: int, frames: int = 10) -> np.ndarray:
    """numpy's MR-VAE at beta: test digits a and b encoded, a straight path, decoded: (frames, 784)."""
    model = MODELS[latent][0]
    mu, _ = model.encode(FAMILY.images[[a, b]].astype(np.float32) / 255, beta)
    return model.decode(interpolate(mu[0], mu[1], frames, "linear"), beta).reshape(frames, -1)


@pytest.fixture(scope="module")
def js():
    bridge = Bridge()
    yield bridge
    bridge.close()


# -- the model in the browser, against numpy ------------------------------------------------------------------


@pytest.mark.parametrize("latent", [2, 20])
def test_the_browser_reads_the_blob_the_server_serves(js, latent):
    assert js.call(SHIPPED, "blobDigest", latent) == hashlib.sha256(multirate_blob(MODELS[latent][0])).hexdigest()


@pytest.mark.parametrize("latent", [2, 20])
def test_the_browsers_mr_vae_decodes_and_encodes_as_numpy(js, latent):
    model = MODELS[latent][0]
    rng = np.random.default_rng(latent)
    codes = rng.normal(0, 1.5, (6, latent)).astype(np.float32)
    images = FAMILY.images[:4].reshape(4, -1).astype(np.float32) / 255
    for beta in (0.01, 0.0501, 0.316, 1.0, 3.31, 10.0):
        frames = np.asarray(js.call(SHIPPED, "decodeAt", latent, beta, codes.tolist()))
        expected = model.decode(codes, beta).reshape(len(codes), -1)
        assert np.abs(frames - expected).max() < 1 / 255, beta
        assert np.abs(np.round(255 * frames) - np.round(255 * expected)).max() <= 1, beta
        found = js.call(SHIPPED, "encodeAt", latent, beta, images.tolist())
        mu, logvar = model.encode(images, beta)
        assert np.abs(np.array([f[0] for f in found]) - mu).max() < 1e-4, beta
        assert np.abs(np.array([f[1] for f in found]) - logvar).max() < 1e-4, beta


def test_the_slider_moves_what_is_decoded(js):
    """Not a constant model: the same code decodes differently at the two ends of the range."""
    code = [[0.5, -0.5]]
    low, high = (np.asarray(js.call(SHIPPED, "decodeAt", 2, beta, code)) for beta in BETA_RANGE)
    assert np.abs(low - high).max() > 0.05


def test_the_manifests_hold_the_code_files_figures():
    data = multirate_data(FAMILY)
    assert sorted(data) == ["z2-mr", "z20-mr"]
    for latent in (2, 20):
        manifest, codes = data[f"z{latent}-mr"], codes_file(latent)
        assert np.allclose(manifest["betas"], codes.betas)
        assert np.allclose(manifest["figures"]["kl"], codes.figures["kl"], atol=1e-3)
        x0, x1, y0, y1 = manifest["map"]["extent"]
        for frame in codes.xy:  # the axes stay put: every β's cloud (all but a few outliers) inside them
            inside = (frame[:, 0] >= x0) & (frame[:, 0] <= x1) & (frame[:, 1] >= y0) & (frame[:, 1] <= y1)
            assert inside.mean() > 0.99
        assert {p["model"] for p in manifest["separate"]} == {n for n in FAMILY.models if n.startswith(f"z{latent}-")}


# -- the link's β, alike in both languages ---------------------------------------------------------------------


def test_every_slider_step_is_written_alike(js):
    steps = list(range(mr_step(BETA_RANGE[0]), mr_step(BETA_RANGE[1]) + 1))
    assert len(steps) == 301
    texts = js.batch(SHARE, "mrText", [[step] for step in steps])
    assert texts == [mr_text(step) for step in steps]
    assert len(set(texts)) == len(steps)  # each step its own text, read back to itself
    assert [mr_step(float(text)) for text in texts] == steps


BETA_TEXT = st.one_of(
    st.floats(0.001, 20, allow_nan=False).map(lambda x: f"{x:.5f}"),
    st.floats(0.01, 10).map(repr),
    st.sampled_from(["0.01", "10", "10.0", "0.0099", "10.01", "1e-1", "inf", "nan", "-1", "", "+.5", "٣", " 1"]),
    st.text(max_size=25),
)


@SETTINGS
@given(st.lists(BETA_TEXT, min_size=1, max_size=20))
def test_a_links_beta_is_read_alike(js, texts):
    assert js.batch(SHARE, "mrBeta", [[text] for text in texts]) == [mr_beta(text) for text in texts]


@SETTINGS
@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-5, 20), st.booleans(), st.none()), max_size=20))
def test_a_widgets_beta_is_read_alike(js, values):
    """What a widget event carries (JSON: NaN and infinities arrive as null in node)."""
    sent = [v if not isinstance(v, float) or np.isfinite(v) else None for v in values]
    assert js.batch(SHARE, "mrBeta", [[value] for value in sent]) == [mr_beta(value) for value in sent]


def test_a_link_round_trips_beta():
    view, warnings = parse_query({"model": "z2-beta1", "map": "plane", "mr": "0.5"}, FAMILY)
    assert warnings == [] and view.mr == 0.501 and to_query(view)["mr"] == "0.501"
    assert parse_query(to_query(view), FAMILY)[0] == view
    view, warnings = parse_query({"mr": "11"}, FAMILY)
    assert view.mr is None and warnings and warnings[0].startswith("mr = ")


# -- in Chromium, both hosts -----------------------------------------------------------------------------------

VIEW = f"() => ({INSPECT}).view"
DRAWN_CODES = """() => { const gd = document.querySelector('.le-map');
  return gd._fullData.slice(0, 10).map((t) => [Array.from(t.customdata), Array.from(t.x), Array.from(t.y)]); }"""
SLIDER_BOX = """() => { const b = document.querySelector('.le-mr-input').getBoundingClientRect();
  return [b.x, b.y, b.width, b.height]; }"""
# Until the map's codes were redrawn at the β the slider shows.
BACKDROP_AT_SHOWN = "() => { const d = document.querySelector('.le-root').dataset; return d.mrBackdrop === d.mr; }"
CODES_AT_SHOWN = "() => { const d = document.querySelector('.le-root').dataset; return !!d.mr && d.mrDrawn === d.mr; }"


def map_codes(page) -> np.ndarray:
    """The map's drawn codes, (N, 2) in test-digit order, from Plotly's traces."""
    codes = np.full((len(FAMILY.labels), 2), np.nan)
    for indices, x, y in page.evaluate(DRAWN_CODES):
        codes[indices, 0], codes[indices, 1] = x, y
    return codes


def drag_slider(page, start: float, end: float, touch: bool = False) -> None:
    """A mouse (or a finger) down on the slider at fraction `start` of its width, moved to `end`, released."""
    x, y, width, height = page.evaluate(SLIDER_BOX)
    points = [(x + width * (start + (end - start) * i / 12), y + height / 2) for i in range(13)]
    if touch:
        touch_drag(page, points)
        return
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point)
    page.mouse.up()


def settled_beta(page, previous: str | None = None, timeout: float = 20.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        shown = page.evaluate("() => document.querySelector('.le-root').dataset.mr")
        if shown and shown != previous and page.evaluate(CODES_AT_SHOWN):
            return float(shown)
        page.wait_for_timeout(100)
    raise TimeoutError(f"the map was not redrawn at the slider's β; view: {page.evaluate(VIEW)}")


def query(page) -> dict:
    # Read in the page, not from page.url: Playwright updates page.url only while it handles events, and a
    # loop of time.sleep handles none, so a replaceState that lands during the loop would never be seen.
    return dict(urllib.parse.parse_qsl(page.evaluate("() => location.search").lstrip("?")))


def wait_for_query(page, key: str, value: str | None, timeout: float = 20.0) -> dict:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if query(page).get(key) == value:
            return query(page)
        page.wait_for_timeout(100)
    raise TimeoutError(f"the URL's {key} stayed {query(page).get(key)!r}, not {value!r}")


def check_codes_and_morph(page, latent: int, a: int, b: int) -> float:
    beta = float(page.evaluate("() => document.querySelector('.le-root').dataset.mr"))
    assert page.evaluate(VIEW)["mr"] == beta
    codes = map_codes(page)
    assert np.abs(codes - codes_at(latent, beta)).max() < 2e-3  # float16 grid, interpolated in float32
    page.wait_for_function(f"() => ({INSPECT}).path && ({INSPECT}).path.key.includes('-mr@')", timeout=20_000)
    frames = np.asarray(browser_frames(page))
    assert np.abs(frames - numpy_morph(latent, beta, a, b)).max() < 1 / 255
    return beta


HOSTS = ["static", "streamlit"]
SIZES = {"phone": (400, 850), "wide": (1500, 1000), "full-hd": (1920, 1080)}


@pytest.fixture(scope="module")
def site():
    require_chromium()
    with static_site() as url:
        yield url


@pytest.fixture(params=HOSTS)
def host(request):
    """Where each browser test runs: the static site (export.py) or the Streamlit page (app.py); (url, goto)."""
    if request.param == "static":
        return request.getfixturevalue("site"), goto_static
    return request.getfixturevalue("server").url, goto_app


def open_page(browser, host, query: str, size=(1500, 1000), phone: bool = False):
    url, goto = host
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=phone, is_mobile=phone)
    page = context.new_page()
    goto(page, url + query)
    return context, page


# Boxes in the viewport (never scrolled): the slider's input and value, and the map's plot area.
ON_SCREEN = """() => { const box = (e) => { const b = e.getBoundingClientRect();
    return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; };
  const gd = document.querySelector('.le-map'), size = gd._fullLayout._size, map = gd.getBoundingClientRect();
  return {input: box(document.querySelector('.le-mr-input')), value: box(document.querySelector('.le-mr-value')),
    plot: {top: map.top + size.t, bottom: map.top + size.t + size.h}, scrollY: window.scrollY,
    width: innerWidth, height: innerHeight}; }"""


def assert_slider_beside_the_map(page) -> None:
    """On the first screen, unscrolled: the whole slider (input and β shown) and at least 3/4 of the map's plot."""
    seen = page.evaluate(ON_SCREEN)
    assert seen["scrollY"] == 0
    for name in ("input", "value"):
        box = seen[name]
        assert box["top"] >= 0 and box["bottom"] <= seen["height"], (name, seen)
        assert box["left"] >= 0 and box["right"] <= seen["width"], (name, seen)
    plot = seen["plot"]
    visible = min(plot["bottom"], seen["height"]) - max(plot["top"], 0)
    assert visible >= 0.75 * (plot["bottom"] - plot["top"]), seen


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("latent", [20, 2])
def test_dragging_moves_the_map_and_the_morph(browser, host, latent):
    model, extra = ("z20-beta1", "") if latent == 20 else ("z2-beta1", "&map=plane")
    context, page = open_page(browser, host, f"/?model={model}{extra}&a=3&b=7")
    assert_slider_beside_the_map(page)
    before = map_codes(page)
    drag_slider(page, 0.5, 0.15)
    low = settled_beta(page)
    assert low < 1
    assert np.abs(map_codes(page) - before).max() > 0.01  # the MR-VAE's codes replaced the separate model's
    check_codes_and_morph(page, latent, 3, 7)
    assert wait_for_query(page, "mr", mr_text(mr_step(low)))["model"] == model
    drag_slider(page, 0.3, 0.9)
    high = settled_beta(page, previous=mr_text(mr_step(low)))
    assert high > 1
    check_codes_and_morph(page, latent, 3, 7)
    wait_for_query(page, "mr", mr_text(mr_step(high)))
    if latent == 2:
        page.wait_for_function(BACKDROP_AT_SHOWN)
        assert backdrop_pixels(page).shape == (28 * BACKDROP_TILES_MR, 28 * BACKDROP_TILES_MR)
    # A preset: the separately trained model again, and the link drops β.
    page.get_by_role("button", name="β = 1", exact=True).click()
    page.wait_for_function("() => document.querySelector('.le-root').dataset.mr === ''")
    wait_for_query(page, "mr", None)
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_geodesic_asked_of_the_slider_says_it_is_a_straight_line(browser, site):
    """No host optimises a geodesic for the Multi-Rate VAE: the strip must say so, not wait for one forever."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, f"{site}/?model=z20-beta1&a=3&b=7&mr=0.1&method=geodesic")
    settled_beta(page)
    page.wait_for_function("() => document.querySelector('.le-strip-text').textContent.includes('not the slider')")
    assert "being computed" not in page.locator(".le-strip-text").inner_text()
    assert page.evaluate(f"() => {INSPECT}.path.pending") is False
    page.get_by_role("button", name="β = 1", exact=True).click()  # a separately trained model: a real geodesic
    page.wait_for_function("() => document.querySelector('.le-strip-text').textContent.includes('geodesic path')")
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_finger_drags_the_slider_on_a_phone(browser, host):
    """At 400 x 850 the slider sits above the map, so a link with β shows both on the first screen; a finger
    drags it there, unscrolled; the plane's backdrop has fewer, larger tiles, decoded at the shown β."""
    context, page = open_page(browser, host, "/?model=z2-beta1&map=plane&a=3&b=7&mr=0.5", SIZES["phone"], True)
    assert settled_beta(page) == 0.501
    page.wait_for_function(BACKDROP_AT_SHOWN)
    assert_slider_beside_the_map(page)
    drag_slider(page, 0.5, 0.85, touch=True)
    beta = settled_beta(page, previous="0.501")
    assert beta > 1
    assert page.evaluate("() => window.scrollY") == 0  # the drag moved the slider, not the page
    check_codes_and_morph(page, 2, 3, 7)
    page.wait_for_function(BACKDROP_AT_SHOWN)
    assert_backdrop_is_numpys(page, mr_backdrop(beta, PHONE_BACKDROP_TILES))
    line = page.locator(".le-mr-line")
    assert line.is_visible() and "KL" in line.inner_text() and f"β = {mr_text(mr_step(beta))}" in line.inner_text()
    # The separately trained model's backdrop on a phone: the server's 10 x 10 picture, numpy's decode.
    shown = page.evaluate(f"() => {IMAGE_SOURCE}")
    page.get_by_role("button", name="β = 1", exact=True).click()
    page.wait_for_function("() => document.querySelector('.le-root').dataset.mr === ''")
    page.wait_for_function(f"(before) => {IMAGE_SOURCE} !== before", arg=shown)
    assert_backdrop_is_numpys(page, separate_backdrop("z2-beta1", PHONE_BACKDROP_TILES))
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_on_a_phone_the_slider_off_is_short_and_turning_it_on_keeps_it_in_view(browser, host):
    """A phone's first screen, no β in the link: the slider (off) above the map in a few lines, the strip still on
    the screen; a finger turns it on where it is, and its line then gives the figures of the shown β."""
    context, page = open_page(browser, host, "/?model=z20-beta1&a=3&b=7", SIZES["phone"], True)
    assert_slider_beside_the_map(page)
    box = page.locator(".le-mr").bounding_box()
    assert box["height"] < 130, box  # the gist only, while off
    assert page.locator(".le-strip").bounding_box()["y"] < SIZES["phone"][1]
    assert "Drag to see one model at every β" in page.locator(".le-mr-line").inner_text()
    drag_slider(page, 0.5, 0.3, touch=True)
    beta = settled_beta(page)
    assert page.evaluate("() => window.scrollY") == 0
    assert_slider_beside_the_map(page)
    assert f"β = {mr_text(mr_step(beta))}" in page.locator(".le-mr-line").inner_text()
    check_codes_and_morph(page, 20, 3, 7)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("latent", [2, 20])
def test_the_line_says_where_beta_barely_changes_the_pictures(browser, site, latent):
    # z = 2: the whole range moves the reconstruction by 7.5%, so dragging changes little; the line says so with
    # the manifest's own figures, and z = 20 (a 2.3x range) promises sharper digits without that caveat.
    manifest = multirate_data(FAMILY)[f"z{latent}-mr"]
    recon = manifest["figures"]["reconstruction"]
    small = max(recon) - min(recon) < 0.25 * min(recon)
    assert small == (latent == 2)
    model, map_name = ("z2-beta1", "plane") if latent == 2 else ("z20-beta1", "pca")
    context, page = open_page(browser, (site, goto_static), f"/?model={model}&map={map_name}&a=3&b=7&mr=0.5")
    settled_beta(page)
    line = page.locator(".le-mr-line").inner_text()
    said = (
        f"At z = {latent} the effect is small: reconstruction {recon[0]:.1f} nats at β = 0.01, "
        f"{recon[-1]:.1f} at β = 10."
    )
    assert (said in line) == small, line
    context.close()


@pytest.mark.browser
def test_a_link_asking_for_tsne_with_the_slider_on_opens_on_the_sliders_map(browser, host):
    # The MR-VAE ships codes for one map (PCA at z = 20): such a link hung the page (its main thread never
    # returned), so nothing below could even be asked; now the page opens on the slider's map, says so in its link.
    context, page = open_page(browser, host, "/?model=z20-beta1&map=tsne&a=3&b=7&mr=0.5")
    assert settled_beta(page) == 0.501
    check_codes_and_morph(page, 20, 3, 7)
    assert wait_for_query(page, "map", "pca")["mr"] == "0.501"
    context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", ["phone", "full-hd"])
def test_a_link_opens_at_its_beta_with_the_slider_in_view(browser, host, size):
    phone = size == "phone"
    context, page = open_page(browser, host, "/?model=z20-beta1&a=3&b=7&mr=0.5", SIZES[size], phone)
    assert settled_beta(page) == 0.501
    check_codes_and_morph(page, 20, 3, 7)
    assert query(page)["mr"] == "0.501"
    assert page.locator(".le-mr-value").inner_text() == "β = 0.501"
    assert_slider_beside_the_map(page)
    if not phone:
        # The rate-distortion chart, open beside the slider: 3 to 5 round ticks on each axis, covering its data.
        chart = page.locator(".le-mr-chart")
        box = chart.bounding_box()
        assert chart.is_visible() and box["y"] + box["height"] <= SIZES[size][1]  # on the first screen too
        ticks = chart.evaluate("(c) => [c.dataset.rateTicks, c.dataset.distortionTicks]")
        manifest = multirate_data(FAMILY)["z20-mr"]
        separate = [p for p in manifest["separate"] if p["beta"] > 0]
        rate = manifest["sweep"]["rate"] + [p["rate"] for p in separate]
        distortion = manifest["sweep"]["distortion"] + [p["distortion"] for p in separate]
        for text, values in zip(ticks, (rate, distortion), strict=True):
            assert_round_ticks([float(t) for t in text.split()], min(values), max(values))
        # The hover shows a digit and its reconstruction by the model shown: the MR-VAE at β, encoded here.
        index = isolated_digits(page, 1, 8.0)[0]
        hover(page, digit_pixels(page, index), index)
        page.wait_for_function("() => document.querySelector('.le-tip-text').textContent.includes('original | recon')")
    context.close()


def test_the_phone_backdrop_tiles_are_one_number_in_python_and_js():
    text = (ROOT / "viewer" / "explore" / "multirate.js").read_text()
    assert f"export const PHONE_BACKDROP_TILES = {PHONE_BACKDROP_TILES};" in text
    assert PHONE_BACKDROP_TILES < BACKDROP_TILES_MR < BACKDROP_TILES


BACKDROP_TILES_MR = 14  # viewer/explore/multirate.js BACKDROP_TILES: the slider's live backdrop beside the map
IMAGE_SOURCE = "document.querySelector('.le-map')._fullLayout.images[0]?.source"
# The plane's backdrop as Plotly holds it: its alpha channel (the digits' ink), row by row.
BACKDROP_ALPHA = """async () => { const gd = document.querySelector('.le-map');
  const image = new Image(); image.src = gd._fullLayout.images[0].source; await image.decode();
  const canvas = document.createElement('canvas'); canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight; const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data, alpha = [];
  for (let i = 3; i < data.length; i += 4) alpha.push(data[i]);
  return [canvas.height, canvas.width, alpha]; }"""


def backdrop_pixels(page) -> np.ndarray:
    height, width, alpha = page.evaluate(BACKDROP_ALPHA)
    return np.asarray(alpha, dtype=np.int16).reshape(height, width)


def mr_backdrop(beta: float, tiles: int) -> np.ndarray:
    """numpy's MR-VAE at beta decoded at the tile centres of its plane's fixed extent, as the page tiles it."""
    extent = tuple(multirate_data(FAMILY)["z2-mr"]["map"]["extent"])
    return tiled(MODELS[2][0].decode(backdrop_codes(extent, tiles), beta).reshape(-1, 28, 28), tiles)


def separate_backdrop(model: str, tiles: int) -> np.ndarray:
    extent = tuple(map_info(FAMILY)[model]["plane"]["extent"])
    return tiled(FAMILY.models[model].model.decode(backdrop_codes(extent, tiles)).reshape(-1, 28, 28), tiles)


def assert_backdrop_is_numpys(page, expected: np.ndarray) -> None:
    found = backdrop_pixels(page)
    assert found.shape == expected.shape
    assert np.abs(found - expected.astype(np.int16)).max() <= 1


def assert_round_ticks(ticks: list[float], low: float, high: float) -> None:
    assert 3 <= len(ticks) <= 5, ticks
    assert ticks[0] <= low and ticks[-1] >= high, (ticks, low, high)
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0])
    mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]) + 1e-9)
    assert min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-6, ticks


@pytest.mark.browser
@pytest.mark.slow
def test_the_autoencoders_kl_is_said_to_be_measured_not_trained(browser, host):
    """The slider's line gives the shown separate model's KL; for the autoencoder (β = 0, no KL in its loss) it
    says the figure is measured, not in its loss; a VAE's line (β > 0, the KL is in its loss) does not."""
    context, page = open_page(browser, host, "/?model=z2-beta0&map=plane&a=3&b=7")
    line = page.locator(".le-mr-line")
    page.wait_for_function("() => document.querySelector('.le-mr-line')?.textContent.includes('Shown:')")
    separate = {p["beta"]: p for p in multirate_data(FAMILY)["z2-mr"]["separate"]}
    text = line.inner_text()
    assert line.is_visible()
    assert f"KL {separate[0]['rate']:.1f} nats per test digit, measured, not in its loss (nats:" in text, text
    page.get_by_role("button", name="β = 1", exact=True).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('model') === 'z2-beta1'")
    page.wait_for_function(
        f"() => document.querySelector('.le-mr-line').textContent.includes('KL {separate[1]['rate']:.1f} nats')"
    )
    assert "not in its loss" not in line.inner_text()
    context.close()


LEGEND = """() => { const chart = document.querySelector('.le-mr-chart'), context = document.createElement('canvas')
  .getContext('2d'); context.font = '13px sans-serif';
  return {width: chart.getBoundingClientRect().width, lines: (chart.dataset.legend || '').split('\\n')
    .map((line) => { const [colour, ...words] = line.split(' '); const text = words.join(' ');
      return [colour, text, context.measureText(text).width]; })}; }"""


@pytest.mark.browser
@pytest.mark.slow
def test_the_rate_distortion_legend_names_the_filled_dot(browser, host):
    """The chart fills one dot, the model shown now: the one model at the slider's β (blue) or the separately
    trained model shown (red). Its legend says so, "● shown now" in that dot's colour, inside the chart."""
    context, page = open_page(browser, host, "/?model=z20-beta1&a=3&b=7&mr=0.5")
    assert settled_beta(page) == 0.501
    page.wait_for_function("() => document.querySelector('.le-mr-chart')?.dataset.legend")
    legend = page.evaluate(LEGEND)
    assert [line[:2] for line in legend["lines"][:3]] == [
        ["#1f77b4", "— one model for every β"],
        ["#d62728", "○ trained separately"],
        ["#1f77b4", "● shown now"],
    ]
    assert all(width <= legend["width"] - 52 for _, _, width in legend["lines"]), legend  # clear of the y ticks
    page.get_by_role("button", name="β = 1", exact=True).click()
    page.wait_for_function("() => document.querySelector('.le-root').dataset.mr === ''")
    page.wait_for_function("() => document.querySelector('.le-mr-chart').dataset.legend.includes('#d62728 ● shown')")
    assert ["#d62728", "● shown now"] in [line[:2] for line in page.evaluate(LEGEND)["lines"]]
    assert ["#1f77b4", "● shown now"] not in [line[:2] for line in page.evaluate(LEGEND)["lines"]]
    context.close()


# --- issue 24's read-through: the slider off looks off, its marks say what they are, the MR strip says why -------

OFF_WORDS = "off: β = 1 trained alone"  # the page opens on z20-beta1
SLIDER_LOOK = """() => { const input = document.querySelector('.le-mr-input');
  return {value: document.querySelector('.le-mr-value').textContent, title: input.title,
    bare: getComputedStyle(input).appearance === 'none',
    marks: [...document.querySelectorAll('.le-mr-mark')].map((m) => m.textContent),
    marksTitle: document.querySelector('.le-mr-marks').title}; }"""


def slider_marks(latent: int) -> list[str]:
    """The β of the separately trained models of a latent size inside the slider's range, as the marks write them."""
    manifest = multirate_data(FAMILY)[f"z{latent}-mr"]
    low, high = manifest["betaRange"]
    return [f"{p['beta']:g}" for p in manifest["separate"] if low <= p["beta"] <= high]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", ["phone", "full-hd"])
def test_the_slider_off_says_what_its_thumb_shows_and_on_says_its_beta(browser, host, size):
    """Off, a thumb resting at the shown model's β (here 1) read as "set to 1", greyed or not: off, the slider is
    a bare track (no thumb, explore.css), "β = 1 trained alone", a tooltip saying what the map shows; on (a
    finger's drag on a phone): the native slider with its thumb, "β = ...", no "Off" in its tooltip."""
    phone = size == "phone"
    context, page = open_page(browser, host, "/?model=z20-beta1&a=3&b=7", SIZES[size], phone)
    # The host's first answer in (its reading of the strip): a drag before it could be undone by that answer.
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return s && s.reading && s.plotlyDrawn; }}", timeout=60_000)
    off = page.evaluate(SLIDER_LOOK)
    assert off["value"] == OFF_WORDS, off
    assert off["bare"], off  # appearance: none, its thumb styled to nothing (explore.css)
    assert off["title"].startswith("Off: the map shows a model trained separately"), off
    drag_slider(page, 0.5, 0.3, touch=phone)
    beta = settled_beta(page)
    on = page.evaluate(SLIDER_LOOK)
    assert on["value"] == f"β = {mr_text(mr_step(beta))}", on
    assert not on["bare"] and not on["title"].startswith("Off"), on
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_both_beta_sliders_say_what_their_marks_are_and_mark_the_same_models(browser, site):
    """The explore view's slider labels its marks (0.5 ... 8), the lesson's labels its scale's powers of ten
    (0.01 ... 10) and marks the trained models with bare ticks: readers took them for two definitions. Both mark
    the z = 20 models trained separately inside the range 0.01 to 10, and each one's tooltip says so, listing them."""
    from harness.screenshots import LESSON_READY

    marks = slider_marks(20)
    listed = ", ".join(marks)
    low, high = (f"{b:g}" for b in multirate_data(FAMILY)["z20-mr"]["betaRange"])
    context, page = open_page(browser, (site, goto_static), "/?model=z20-beta1&a=3&b=7")
    seen = page.evaluate(SLIDER_LOOK)
    assert seen["marks"] == marks, seen
    for title in (seen["marksTitle"], seen["title"]):
        assert f"β from {low} to {high} (log scale)" in title, title
        assert f"the β of the separately trained models (the β buttons): {listed}" in title, title
    page.goto(site + "/?page=lesson")
    page.wait_for_function(LESSON_READY, timeout=120_000)
    ticks = [t.get_attribute("title").split(":")[0] for t in page.locator(".lp-beta-tick").all()]
    assert ticks == [f"β = {m}" for m in marks], ticks
    title = page.locator(".lp-beta-slider").get_attribute("title")
    assert f"β from {low} to {high} (log scale)" in title, title
    assert f"the ticks: the β of the separately trained models: {listed}" in title, title
    context.close()


# The strip's labels once read (readings.js's rule), when they are of the slider's path at β `mr`; else null.
STRIP_READ_AT = """(mr) => { const s = document.querySelector('.le-strip');
  return (s.dataset.readKey || '').includes(`-mr@${mr}|`) ? s.dataset.read : null; }"""
ROOT_COUNT = "(name) => Number(document.querySelector('.le-root').dataset[name] || 0)"
NEAR = 0.005  # numpy's P this close to READABLE (or its top two this close): the browser's frames, within 1/255 of
# numpy's, may fall either side; elsewhere the label must be numpy's exactly


def numpy_labels(latent: int, beta: float, a: int, b: int) -> tuple[list[str], list[set[str]]]:
    """The strip's labels by readings.js's rule, from numpy: the MR-VAE's frames at beta classified by
    vae.inference's NumpyClassifier, "?" under P = READABLE; and per label what a browser may write (both sides
    where numpy's P is within NEAR of the threshold or of the runner-up)."""
    probabilities = FAMILY.classifier.probabilities(numpy_morph(latent, beta, a, b))
    labels, allowed = ["A"], [{"A"}]
    for p in probabilities:
        order = np.argsort(p)[::-1]
        digits = {int(order[0])} | ({int(order[1])} if p[order[0]] - p[order[1]] < NEAR else set())
        marks = {"" if p.max() >= READABLE else "?"} | ({"", "?"} if abs(p.max() - READABLE) < NEAR else set())
        labels.append(f"{int(order[0])}{'' if p.max() >= READABLE else '?'}")
        allowed.append({f"{d}{m}" for d in digits for m in marks})
    return [*labels, "B"], [*allowed, {"B"}]


def assert_strip_reads_as_numpy(page, latent: int, a: int, b: int) -> list[str]:
    """Waits for the strip's labels of the slider's path at the β shown, and holds them to numpy's."""
    shown = page.evaluate("() => document.querySelector('.le-root').dataset.mr")
    found = page.wait_for_function(STRIP_READ_AT, arg=shown, timeout=30_000).json_value().split(" ")
    expected, allowed = numpy_labels(latent, float(shown), a, b)
    assert len(found) == len(expected) == 12, (found, expected)
    assert all(label in ok for label, ok in zip(found, allowed, strict=True)), (shown, found, expected)
    assert sum(label == want for label, want in zip(found, expected, strict=True)) >= 10, (shown, found, expected)
    return expected


# The analytics panel's classifier row once drawn for the slider's path at β `mr`: its heatmap (rows digits, columns
# frames), the words standing in for the row, and whether those words are shown; else null.
PANEL_AT = """(mr) => { const box = document.querySelector('.le-analytics');
  const gd = box.querySelector('.le-analytics-chart .le-chart');
  if (!(box.dataset.readKey || '').includes(`-mr@${mr}|`) || !gd || !gd.data) return null;
  const heat = gd.data.find((t) => t.type === 'heatmap');
  const unread = box.querySelector('.le-analytics-unread');
  return heat ? {z: heat.z, unread: !unread.hidden, words: unread.textContent} : null; }"""
PANEL_TOLERANCE = 2e-3  # the heatmap holds 3 decimals (5e-4); the frames differ from numpy's by under 1/255


def assert_panel_reads_as_numpy(page, latent: int, a: int, b: int) -> float:
    """Waits for the analytics panel's classifier row of the slider's path at the β shown, and holds its ten
    probabilities per frame to numpy's (NumpyClassifier on the MR-VAE's frames at that β); the largest gap."""
    shown = page.evaluate("() => document.querySelector('.le-root').dataset.mr")
    found = page.wait_for_function(PANEL_AT, arg=shown, timeout=30_000).json_value()
    assert not found["unread"], found["words"]
    expected = FAMILY.classifier.probabilities(numpy_morph(latent, float(shown), a, b))
    heat = np.asarray(found["z"], dtype=float).T  # (frames, digits)
    assert heat.shape == expected.shape == (10, 10), heat.shape
    gap = float(np.abs(heat - expected).max())
    assert gap < PANEL_TOLERANCE, (shown, gap)
    return gap


@pytest.mark.browser
@pytest.mark.slow
def test_the_sliders_strip_is_labelled_by_the_classifier_as_numpy_reads_it(browser, host):
    """Issue 24: the slider's strip was the only one without digits. Now the viewer reads the slider's frames with
    the classifier both hosts name in its data, once a drag rests (not on its frames: fewer reads than strip
    redraws), by the one rule of readings.js (grey with "?" under P = READABLE); each label is numpy's: the
    MR-VAE's frames at the shown β, classified by NumpyClassifier. The analytics panel's classifier row shows the
    same reading's ten probabilities per frame, numpy's within PANEL_TOLERANCE (its row was empty with the slider on).
    Back on a β button the host's reading returns."""
    from harness.canvas_text import CANVAS_TEXT, DRAWN

    url, goto = host
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_init_script(CANVAS_TEXT)
    page = context.new_page()
    goto(page, url + "/?model=z20-beta1&a=3&b=7")
    # The host's first answer in (its reading of the strip): a drag before it could be undone by that answer.
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return s && s.reading && s.plotlyDrawn; }}", timeout=60_000)
    unsure = 0
    for start, end in ((0.5, 0.15), (0.3, 0.95)):
        reads, strips = page.evaluate(ROOT_COUNT, "mrReads"), page.evaluate(ROOT_COUNT, "stripDraws")
        before = page.evaluate("() => document.querySelector('.le-root').dataset.mr") or None
        drag_slider(page, start, end)
        settled_beta(page, previous=before)
        expected = assert_strip_reads_as_numpy(page, 20, 3, 7)
        gap = assert_panel_reads_as_numpy(page, 20, 3, 7)
        print(f"panel's probabilities vs numpy's at β = {page.evaluate(ROOT_COUNT, 'mr')}: largest gap {gap:.2e}")
        unsure += sum(label.endswith("?") for label in expected)
        read, drawn = (page.evaluate(ROOT_COUNT, name) - n for name, n in (("mrReads", reads), ("stripDraws", strips)))
        # The drag's frames were drawn, not read (the first drag's, while the MR-VAE loads, may draw only a few).
        assert read >= 1 and (start == 0.5 or read < drawn / 2), (read, drawn)
        text = page.locator(".le-strip-text").inner_text()
        assert f"above each, the digit a classifier reads (grey with ?: unsure, P < {READABLE:g})" in text, text
        assert "no digit labels" not in text and "once the slider rests" not in text, text
        written = [t["text"] for t in page.evaluate(DRAWN) if t["canvas"] == "le-strip" and t["connected"]]
        last = len(written) - 1 - written[::-1].index("A")  # the strip's last drawing: A, its 10 readings, B
        assert written[last:] == page.locator(".le-strip").get_attribute("data-read").split(" ")
    assert unsure  # the rule's grey "?" is exercised, not only sure digits
    page.get_by_role("button", name="β = 1", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.le-strip').dataset.readKey === 'z20-beta1|linear|10|t3|t7'", timeout=30_000
    )
    context.close()
