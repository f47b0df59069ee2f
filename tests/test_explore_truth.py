"""The explore view shows what the lesson's presets claim (issue 24): the frames of a path that fall in a hole of a
z = 2 plane are ringed on the map and in the strip, with a line that says what a ring means; the preset's caption
counts the frames the strip shows; N(0, I)'s labels sit where no A/B marker covers them; no visible text names a
model by its internal id; the static site defines N(0, I) in words, as Streamlit's help does.

    python -m pytest tests/test_explore_truth.py -x -q      # node and numpy checks, then both hosts in Chromium
"""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

from explorer.assets import loaded_words, model_words
from explorer.figures import map_info
from explorer.planes import in_holes, plane_frames
from harness.browser import INSPECT, ROOT
from harness.node import Bridge, require_node
from vae.family import AUTOENCODER, LESSON_FILE, VAE, MultiRateVariant, Variant, shared_family, weights_folder
from widgets.contract import PRIOR_WORDS

INTERNAL_ID = re.compile(r"z\d+-(beta|mr)")
PRESETS = json.loads((ROOT / "weights" / LESSON_FILE).read_text())["presets"]
HOLE_PATH = next(p for p in PRESETS if "path" in p["title"] and "autoencoder" in p["title"])
ALIKE = next(p for p in PRESETS if "alike" in p["title"])
SIZES = {"wide": (1500, 1000), "full-hd": (1920, 1080), "phone": (400, 850)}


def query(params: dict) -> str:
    return "/?" + "&".join(f"{k}={v}" for k, v in params.items())


# B on top of the z = 2 VAE's 2σ circle and A on top of its 1σ circle: where the labels sat before they moved.
ON_THE_LABELS = "/?model=z2-beta1&map=plane&a=plane:0.00,1.05&b=plane:0.00,2.05"
# A level path just above the z = 2 VAE's 1σ circle, through where its label sits when nothing covers it.
ACROSS_THE_LABEL = "/?model=z2-beta1&map=plane&frames=10&a=plane:-1.60,1.12&b=plane:1.60,1.12"
VIEWS = {
    "hole-path": query(HOLE_PATH["query"]),
    "alike": query(ALIKE["query"]),
    "on-the-labels": ON_THE_LABELS,
    "across-the-label": ACROSS_THE_LABEL,
}


@pytest.fixture(scope="module")
def family():
    return shared_family(weights_folder())


# --- one rule in two languages, and the captions' words -----------------------------------------------------------


def test_the_maps_holes_are_the_lessons_and_js_agrees_with_numpy(family):
    """map_info's grid of holes is the lesson's last frame (its shading, the model card's empty cells), and
    viewer/core/holes.js inHole says what explorer/planes.py in_holes says, at random points in and around the box,
    at every cell's centre and at the test codes (never in a hole)."""
    require_node()
    bridge = Bridge()
    try:
        for name in (AUTOENCODER, VAE):
            grid = map_info(family)[name]["plane"]["holes"]
            frame = plane_frames(family, name)[-1]
            assert grid["tiles"] == frame.empty.shape[0]
            assert grid["empty"] == "".join("1" if c else "0" for c in frame.empty.ravel())
            assert np.allclose(grid["box"], frame.box)
            x0, x1, y0, y1 = frame.box
            rng = np.random.default_rng(1)
            points = np.column_stack([rng.uniform(x0 - 1, x1 + 1, 400), rng.uniform(y0 - 1, y1 + 1, 400)])
            centres = np.column_stack(
                [
                    np.tile(x0 + (np.arange(grid["tiles"]) + 0.5) * (x1 - x0) / grid["tiles"], grid["tiles"]),
                    np.repeat(y1 - (np.arange(grid["tiles"]) + 0.5) * (y1 - y0) / grid["tiles"], grid["tiles"]),
                ]
            )
            codes = family.models[name].atlas.mu[:300]
            points = np.vstack([points, centres, codes]).astype(float)
            found = bridge.batch("viewer/core/holes.js", "inHole", [[grid, grid["tiles"], *p] for p in points.tolist()])
            assert [f is True for f in found] == in_holes(frame, points).tolist()
            assert sum(f is True for f in found[400 : 400 + len(centres)]) == grid["empty"].count("1") > 0
            assert not any(f is True for f in found[400 + len(centres) :])
    finally:
        bridge.close()


def test_the_hole_path_caption_counts_the_frames_the_strip_shows(family):
    """The caption's "2 of the 8 frames between the ends" is the strip's count (the query's frames, A's code and
    B's among them), and the 2 are the frames of that path in the autoencoder's holes."""
    frames = int(HOLE_PATH["query"]["frames"])
    found = re.search(r"(\d+) of the (\d+) frames between the ends", HOLE_PATH["caption"])
    assert found, HOLE_PATH["caption"]
    assert int(found[2]) == frames - 2 == HOLE_PATH["figures"]["inner_frames"]
    a, b = (int(HOLE_PATH["query"][k]) for k in "ab")
    mu = family.models[AUTOENCODER].atlas.mu
    path = mu[a] + np.linspace(0, 1, frames)[:, None] * (mu[b] - mu[a])
    in_hole = in_holes(plane_frames(family, AUTOENCODER)[-1], path)
    assert int(found[1]) == in_hole.sum() == HOLE_PATH["figures"]["frames_in_holes"][AUTOENCODER] > 0
    assert [int(i) for i in np.flatnonzero(in_hole)] == [f["path_index"] for f in HOLE_PATH["figures"]["hole_frames"]]
    assert "inner frames" not in HOLE_PATH["caption"]


def test_models_have_plain_names_and_no_map_title_an_internal_id(family):
    assert model_words(Variant(20, 1.0)) == "VAE (β = 1), z = 20"
    assert model_words(Variant(2, 0.0)) == "Autoencoder (β = 0), z = 2"  # as the lesson names it
    assert model_words(Variant(20, 0.5)) == "VAE (β = 0.5), z = 20"
    assert model_words(MultiRateVariant(20)) == "one VAE for every β, z = 20"
    assert model_words(Variant(20, float("nan"), "mine"), "your model") == "your model, z = 20"
    for name, maps in map_info(family).items():
        assert loaded_words(family.models[name]) in maps[next(iter(maps))]["title"]
        for info in maps.values():
            assert not INTERNAL_ID.search(info["title"]), info["title"]
            assert "the plane" not in info["title"]


def test_prior_labels_go_where_no_marker_is():
    """priorlabels.js chooseAngles: a label keeps the top of its circle while it is free, slides along its circle to
    the free angle nearest the top when a marker covers it, is centred on its circle, and never lands on a marker or
    the other label (hidden, null, when its whole circle is covered)."""
    require_node()
    bridge = Bridge()
    try:
        plot = [0, 0, 600, 500]
        circles = [
            {"cx": 300, "cy": 250, "r": 60, "width": 90, "height": 20, "current": None},
            {"cx": 300, "cy": 250, "r": 120, "width": 50, "height": 20, "current": None},
        ]
        assert bridge.call("viewer/explore/map/priorlabels.js", "chooseAngles", circles, [], plot) == [90, 90]
        rng = np.random.default_rng(0)
        hidden = 0
        for _ in range(60):
            centres = rng.uniform([40, 40], [560, 460], size=(3, 2))
            obstacles = [[x - 12, y - 32, x + 12, y + 12] for x, y in centres.tolist()]
            angles = bridge.call("viewer/explore/map/priorlabels.js", "chooseAngles", circles, obstacles, plot)
            hidden += angles.count(None)
            boxes = [
                bridge.call(
                    "viewer/explore/map/priorlabels.js", "labelBox", c["cx"], c["cy"], c["r"], a, 90 - 40 * n, 20
                )
                for n, (c, a) in enumerate(zip(circles, angles, strict=True))
                if a is not None
            ]
            for box, c in zip(boxes, [c for c, a in zip(circles, angles, strict=True) if a is not None], strict=True):
                # Centred on its own circle: it names that circle, not the next one out.
                centre = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]
                assert abs(np.hypot(centre[0] - c["cx"], centre[1] - c["cy"]) - c["r"]) < 1e-6
            for box in boxes:
                assert not any(overlap(box, o) for o in obstacles), (box, obstacles)
            assert len(boxes) < 2 or not overlap(*boxes)
        assert hidden <= 3  # a label is hidden only when its whole circle is covered: rare with three markers
    finally:
        bridge.close()


def test_prior_labels_keep_off_the_path():
    """chooseAngles with the path's polyline: no label box comes within LINE_CLEAR px of any segment (the line and
    the dots at its frames), measured here by sampling each segment every half pixel, and a label left free by the
    path keeps the top of its circle."""
    require_node()
    bridge = Bridge()
    module = "viewer/explore/map/priorlabels.js"
    try:
        clear = int(re.search(r"export const LINE_CLEAR = (\d+)", (ROOT / module).read_text())[1])
        plot = [0, 0, 600, 500]
        circles = [
            {"cx": 300, "cy": 250, "r": 60, "width": 90, "height": 20, "current": None},
            {"cx": 300, "cy": 250, "r": 120, "width": 50, "height": 20, "current": None},
        ]
        far = [[20.0, 480.0], [60.0, 470.0]]  # a path in a corner: the labels stay on top
        assert bridge.call(module, "chooseAngles", circles, [], plot, [far]) == [90, 90]
        rng = np.random.default_rng(2)
        moved = 0
        for _ in range(60):
            # A straight path of 10 frames through the middle, at a random slope and offset, and one marker.
            ends = rng.uniform([0, 0], [600, 500], size=(2, 2))
            line = (ends[0] + np.linspace(0, 1, 10)[:, None] * (ends[1] - ends[0])).tolist()
            x, y = rng.uniform([40, 40], [560, 460])
            obstacles = [[x - 12, y - 32, x + 12, y + 12]]
            angles = bridge.call(module, "chooseAngles", circles, obstacles, plot, [line])
            moved += angles != [90, 90]
            for n, (c, a) in enumerate(zip(circles, angles, strict=True)):
                if a is None:
                    continue
                box = bridge.call(module, "labelBox", c["cx"], c["cy"], c["r"], a, 90 - 40 * n, 20)
                assert line_gap(box, line) > clear - 0.5, (box, line)
                assert not any(overlap(box, o) for o in obstacles)
        assert moved > 5  # the paths did push labels off the top
    finally:
        bridge.close()


def line_gap(box, line) -> float:
    """The least distance from a box to a polyline, sampling each segment every half pixel."""
    gaps = []
    for p, q in itertools.pairwise(line):
        steps = max(2, int(np.hypot(q[0] - p[0], q[1] - p[1]) * 2))
        t = np.linspace(0, 1, steps)[:, None]
        points = np.asarray(p) + t * (np.asarray(q) - np.asarray(p))
        dx = np.maximum.reduce([box[0] - points[:, 0], points[:, 0] - box[2], np.zeros(len(points))])
        dy = np.maximum.reduce([box[1] - points[:, 1], points[:, 1] - box[3], np.zeros(len(points))])
        gaps.append(np.hypot(dx, dy).min())
    return float(min(gaps))


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- in Chromium, both hosts, the three sizes -------------------------------------------------------------------

SHOWN = """() => { const found = {}; document.querySelector('.le-root').dispatchEvent(
  new CustomEvent('le:inspect', {detail: found})); return found; }"""

# Whether a ring's colour (holes.js RING, #c2185b) is painted on `selector`'s canvas near CSS point (x, y) of it.
RING_AT = """([selector, points]) => { const canvas = document.querySelector(selector);
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return points.map(([x, y, r]) => { let hits = 0;
    for (let k = 0; k < 48; k++) { const t = 2 * Math.PI * k / 48;
      for (const rr of [r - 1, r, r + 1]) {
        const px = Math.round((x + rr * Math.cos(t)) * ratio), py = Math.round((y + rr * Math.sin(t)) * ratio);
        if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
        const i = 4 * (py * canvas.width + px);
        if (data[i] > 150 && data[i + 1] < 80 && data[i + 2] > 60 && data[i + 2] < 140 && data[i + 3] > 200) hits++; } }
    return hits; }); }"""

# Around each CSS point (x, y) of `selector`'s canvas, on the circle of radius r (48 points): how many are white
# (a halo's colour).
RING_COLOURS = """([selector, points]) => { const canvas = document.querySelector(selector);
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return points.map(([x, y, r]) => { let white = 0;
    for (let k = 0; k < 48; k++) { const t = 2 * Math.PI * k / 48;
      const px = Math.round((x + r * Math.cos(t)) * ratio), py = Math.round((y + r * Math.sin(t)) * ratio);
      if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
      const i = 4 * (py * canvas.width + px);
      if (data[i] > 235 && data[i + 1] > 235 && data[i + 2] > 235 && data[i + 3] > 150) white++; }
    return white; }); }"""

VISIBLE_TEXT = """() => { const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), element = node.parentElement;
    if (!text || !element || !element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    out.push(text); }
  for (const e of document.querySelectorAll('[title], [aria-label], option'))
    out.push(e.getAttribute('title') || e.getAttribute('aria-label') || e.textContent);
  return out; }"""

LABEL_ANGLES = """() => Object.fromEntries([...document.querySelectorAll('.le-map.js-plotly-plot')]
  .flatMap((g) => g.layout.annotations || []).filter((a) => /^prior:/.test(a.name || ''))
  .map((a) => [a.name, a.angle]))"""

PRIOR_LABELS = """() => [...document.querySelectorAll('.le-map .annotation')]
  .filter((a) => /σ/.test(a.textContent)).map((a) => { const b = a.getBoundingClientRect();
    return [a.textContent, b.left, b.top, b.right, b.bottom]; })"""


def open_view(browser, host, view: str, size: str):
    url, goto = host
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    goto(page, url + VIEWS[view])
    frames = int(HOLE_PATH["query"]["frames"])
    page.wait_for_function(
        f"() => {{ const s = {INSPECT}; return s && s.path && s.path.frames.length === {frames} && s.markers.b; }}",
        timeout=60_000,
    )
    page.wait_for_timeout(400)  # the labels' relayout, a frame after the overlay
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_hole_path_preset_rings_its_frames_in_holes(browser, host, size):
    page = open_view(browser, host, "hole-path", size)
    shown = page.evaluate(SHOWN)
    holes = shown["holes"]
    frames = int(HOLE_PATH["query"]["frames"])
    expected = [f["path_index"] for f in HOLE_PATH["figures"]["hole_frames"]]
    assert [i for i, f in enumerate(holes["frames"]) if f] == expected
    # On the map: a ring at each of those frames of the drawn path, in the ring's colour.
    assert len(holes["rings"]) == len(expected)
    assert holes["rings"] == [shown["path"]["pixels"][i] for i in expected]
    plot = shown["plot"]
    rings = [[x - plot["left"], y - plot["top"], 8] for x, y in holes["rings"]]
    assert all(hits > 10 for hits in page.evaluate(RING_AT, [".le-overlay", rings]))
    # Elsewhere on the path (clear of the rings), no ring.
    far = [
        [x - plot["left"], y - plot["top"], 8]
        for x, y in shown["path"]["pixels"]
        if all(np.hypot(x - rx, y - ry) > 20 for rx, ry in holes["rings"])
    ]
    assert all(hits == 0 for hits in page.evaluate(RING_AT, [".le-overlay", far]))
    # Each ring is on no white halo (it hid the hole's fill under a phone's small cells): just outside its stroke,
    # white only where the path's own haloed line and frame dots cross, a few of the 48 points around (with the
    # halo: 10 to 16 at every size; without: 0 to 6).
    around = page.evaluate(RING_COLOURS, [".le-overlay", [[x, y, 9.9] for x, y, _ in rings]])
    assert all(white <= 8 for white in around), around
    # In the strip: the same frames' pictures (tile 0 is A's own picture), ringed in the same colour.
    assert holes["stripRings"] == [i + 1 for i in expected]
    boxes = [holes["stripBoxes"][i] for i in holes["stripRings"]]
    edges = [[x + 1.5, y + size_ / 2, 0] for x, y, size_ in boxes]
    assert all(hits > 0 for hits in page.evaluate(RING_AT, [".le-strip", edges]))
    # The backdrop is off: the hole cells are shaded, in the lesson's fill (one colour for both: core/holes.js).
    assert holes["shaded"] == map_info_holes(AUTOENCODER).count("1")
    fill = [float(v) for v in HOLE_FILL.search((ROOT / "viewer/core/holes.js").read_text()).groups()]
    centres = [
        [x - plot["left"], y - plot["top"]]
        for x, y in hole_centres_on_screen(AUTOENCODER, plot)
        if all(np.hypot(x - px, y - py) > 14 for px, py in shown["path"]["pixels"])
        and all(np.hypot(x - mx, y - my) > 40 for mx, my in shown["markers"].values())
    ]
    assert len(centres) > 20
    colours = page.evaluate(PIXEL_AT, [".le-overlay", centres])
    want = [fill[0], fill[1], fill[2], round(255 * fill[3])]
    assert all(max(abs(c - w) for c, w in zip(got, want, strict=True)) <= 3 for got in colours), (want, colours[:5])
    assert "HOLE_FILL" in (ROOT / "viewer/lesson/plane.js").read_text()  # the lesson shades with the same fill
    # The legend lines, visible, and the strip's count agreeing with the caption's.
    assert "ringed: a frame in a hole, where no test code lies" in holes["mapKey"]
    assert "shaded: holes" in holes["mapKey"]
    assert holes["stripKey"].endswith(f"({len(expected)} of the {frames - 2} frames between the ends)")
    assert f"{len(expected)} of the {frames - 2} frames between the ends" in HOLE_PATH["caption"]
    # The caption counts the tiles seen: A's and B's own pictures, then the decoded frames between them.
    assert shown["strip"].startswith(f"{frames + 2} pictures: A's and B's own at the ends, and {frames} decoded frames")
    assert f"{frames - 2} between" in shown["strip"] and len(holes["stripBoxes"]) == frames + 2
    for selector in (".le-holes-key", ".le-holes-text"):
        assert page.locator(selector).is_visible()
        assert page.locator(selector).evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)") >= 13
    # Compare mode: the autoencoder's row rings as many frames, the VAE's its own count (none here).
    rows = page.locator(".le-compare-strip").evaluate_all("(c) => c.map((x) => x.dataset.ringed)")
    assert rows == [str(HOLE_PATH["figures"]["frames_in_holes"][m]) for m in (AUTOENCODER, VAE)]
    page.close()


HOLE_FILL = re.compile(r'HOLE_FILL = "rgba\((\d+), (\d+), (\d+), ([\d.]+)\)"')

# The colour painted on `selector`'s canvas at each CSS point (x, y) of it, as [r, g, b, a] (a in 0-255).
PIXEL_AT = """([selector, points]) => { const canvas = document.querySelector(selector);
  const ratio = canvas.width / canvas.getBoundingClientRect().width, context = canvas.getContext('2d');
  return points.map(([x, y]) => Array.from(
    context.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data)); }"""


def hole_centres_on_screen(name: str, plot: dict) -> list:
    """The centres of `name`'s hole cells in viewport px, those inside the plot shown."""
    grid = map_info(shared_family(weights_folder()))[name]["plane"]["holes"]
    x0, x1, y0, y1 = grid["box"]
    tiles = grid["tiles"]
    (px0, px1), (py0, py1) = plot["x"], plot["y"]
    out = []
    for n, cell in enumerate(grid["empty"]):
        if cell != "1":
            continue
        row, column = divmod(n, tiles)
        x = x0 + (column + 0.5) * (x1 - x0) / tiles
        y = y1 - (row + 0.5) * (y1 - y0) / tiles
        sx = plot["left"] + plot["width"] * (x - px0) / (px1 - px0)
        sy = plot["top"] + plot["height"] * (py1 - y) / (py1 - py0)
        if (
            plot["left"] + 2 < sx < plot["left"] + plot["width"] - 2
            and plot["top"] + 2 < sy < plot["top"] + plot["height"] - 2
        ):
            out.append([sx, sy])
    return out


def map_info_holes(name: str) -> str:
    return map_info(shared_family(weights_folder()))[name]["plane"]["holes"]["empty"]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_prior_labels_clear_the_markers_and_no_text_is_an_internal_id(browser, host, view, size):
    page = open_view(browser, host, view, size)
    shown = page.evaluate(SHOWN)
    markers = [[x - 12, y - 32, x + 12, y + 12] for x, y in (shown["markers"]["a"], shown["markers"]["b"])]
    labels = page.evaluate(PRIOR_LABELS)
    if view in ("on-the-labels", "across-the-label"):
        assert len(labels) == 2  # both circles labelled on the VAE's plane, each moved off the marker on it
    path = shown["path"]["pixels"]
    for text, *box in labels:
        assert not any(overlap(box, m) for m in markers), (text, box, markers)
        # Clear of the path's line and of the dots at its frames (overlay.js: radius 3.6, stroke 1.6).
        assert line_gap(box, path) > 4.4, (text, box, path)
    if view == "across-the-label":  # the 1σ label left the top of its circle, where the path runs
        assert page.evaluate(LABEL_ANGLES)["prior:1"] != 90
    if page.evaluate(RING_LABELS):  # each on its own circle, or hidden and named under the map
        assert_labels_on_their_rings(page)
    if size == "wide":  # the Find panel too (built once opened), and everything folded under the map
        page.get_by_text("Find a digit", exact=False).first.click()
        page.get_by_text("Test digits nearest to A", exact=False).first.wait_for(timeout=60_000)
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        page.wait_for_timeout(1500)
    texts = page.evaluate(VISIBLE_TEXT)
    assert not [t for t in texts if INTERNAL_ID.search(t)]
    assert size != "wide" or any(t.startswith("Test digits nearest to A") for t in texts)
    # The map's title and its buttons say what the plane is, not "the plane".
    title = page.locator(".le-map .gtitle").text_content()
    buttons = page.locator(".le-root button").all_inner_texts()
    assert "the plane" not in title and "the plane" not in buttons
    page.close()


# Each labelled N(0, I) circle: its radius and centre (data units), its annotation's anchor (x, y) and angle, and
# the label's box as drawn, in the viewport.
RING_LABELS = """() => { const graph = document.querySelector('.le-map.js-plotly-plot');
  const drawn = [...graph.querySelectorAll('.annotation')];
  return (graph.layout.annotations || []).filter((a) => /^prior:/.test(a.name || '')).map((a) => {
    const element = drawn.find((e) => e.textContent === a.text), b = element?.getBoundingClientRect();
    return {radius: +a.name.slice(6), centre: a.centre, x: a.x, y: a.y, angle: a.angle, hidden: a.visible === false,
      box: b ? [b.left, b.top, b.right, b.bottom] : null}; }); }"""


def assert_labels_on_their_rings(page) -> list[dict]:
    """Each N(0, I) label names the circle it sits on: its anchor and the centre of its drawn box lie within 10% of
    its circle's radius (data units), and its box covers neither the A nor the B marker (nor the ★, when shown); a
    label with no room on its circle is hidden, and the line under the map names its ring."""
    shown = page.evaluate(SHOWN)
    plot = shown["plot"]
    (x0, x1), (y0, y1) = plot["x"], plot["y"]
    labels = page.evaluate(RING_LABELS)
    assert labels
    markers = [[x - 12, y - 32, x + 12, y + 12] for x, y in shown["markers"].values() if x is not None]
    for label in labels:
        cx, cy = label["centre"]
        radius = label["radius"]
        if label["hidden"]:
            assert label["box"] is None
            assert f"{radius:g}σ" in page.locator(".le-holes-key").inner_text(), label
            continue
        assert abs(np.hypot(label["x"] - cx, label["y"] - cy) - radius) <= 0.1 * radius, label
        left, top, right, bottom = label["box"]
        x = x0 + ((left + right) / 2 - plot["left"]) * (x1 - x0) / plot["width"]
        y = y1 - ((top + bottom) / 2 - plot["top"]) * (y1 - y0) / plot["height"]
        assert abs(np.hypot(x - cx, y - cy) - radius) <= 0.1 * radius, (label, x, y)
        assert not any(overlap(label["box"], m) for m in markers), (label, markers)
    return labels


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", ["wide", "phone"])
def test_prior_labels_stay_on_their_rings(browser, host, size):
    """On arrival, and after clicking A and B on a level line through the top of the 1σ circle (where its label
    sits when free), each label is on the circle it names, clear of the markers; the 1σ label slid along its
    circle (it once moved outward, to radius ~1.3, and read as the 2σ circle's label)."""
    url, goto = host
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    goto(page, url)
    page.wait_for_timeout(800)
    shown = page.evaluate(SHOWN)
    assert shown["view"]["map"] == "pca"
    assert [label["angle"] for label in assert_labels_on_their_rings(page)] == [90, 90]  # both free on arrival
    before = shown["ends"]["a"]["id"]
    plot = shown["plot"]
    (x0, x1), (y0, y1) = plot["x"], plot["y"]
    for x in (-1.6, 1.6):
        page.mouse.click(
            plot["left"] + (x - x0) * plot["width"] / (x1 - x0), plot["top"] + (y1 - 1.0) * plot["height"] / (y1 - y0)
        )
        page.wait_for_timeout(400)
    page.wait_for_function(
        f"() => {{ const s = {INSPECT}; return s && s.ends.a && s.ends.a.id !== {json.dumps(before)} && s.ends.b"
        " && s.path && !s.path.pending && s.markers.b; }",
        timeout=60_000,
    )
    page.wait_for_timeout(800)  # the labels' relayout, a frame after the overlay
    labels = assert_labels_on_their_rings(page)
    assert next(label["angle"] for label in labels if label["radius"] == 1) != 90
    path = page.evaluate(SHOWN)["path"]["pixels"]
    for label in labels:
        assert label["box"] and line_gap(label["box"], path) > 4.4, (label, path)
    page.close()


def shown_axes(page) -> list[float]:
    """The data range the map shows (the test interface's `plot`): [x0, x1, y0, y1]."""
    plot = page.evaluate(SHOWN)["plot"]
    return [*plot["x"], *plot["y"]]


def apart_digits(page) -> list[int]:
    """Two test digits a click can only mean (no other marker within 8 px), 40 px or more from each other and
    from the A and B markers (a press near a marker grabs it)."""
    from harness.browser import isolated_digits

    shown = page.evaluate(SHOWN)
    where = {d[0]: d[1:3] for d in page.evaluate(f"() => {INSPECT}.digits()")}
    taken = [m for m in shown["markers"].values() if m]
    chosen = []
    for index in isolated_digits(page, 60, 8.0):
        if all(np.hypot(where[index][0] - x, where[index][1] - y) >= 40 for x, y in taken):
            chosen.append(index)
            taken.append(where[index])
        if len(chosen) == 2:
            return chosen
    raise AssertionError("no two isolated digits apart from each other and the markers")


def click_pair(page, first: int, second: int, fast: bool) -> None:
    """Clicks test digits `first` (A: both ends were set, so a new pair) then `second` (B) and waits for the path.
    At a person's pace, or `fast`: both clicks inside Plotly's doubleClickDelay, with the page's clock paused so
    that the machine's speed cannot spread them apart (the screenshot script's two clicks were that fast)."""
    from harness.browser import digit_pixels

    spots = [digit_pixels(page, first), digit_pixels(page, second)]
    if fast:
        page.clock.pause_at(page.evaluate("() => Date.now()") + 1000)
        page.mouse.click(*spots[0])
        page.mouse.click(*spots[1])
        page.clock.resume()
    else:
        page.mouse.click(*spots[0])
        page.wait_for_function(f"() => {INSPECT}?.ends.a?.index === {first}", timeout=60_000)
        page.wait_for_timeout(300)
        page.mouse.click(*spots[1])
    page.wait_for_function(
        f"() => {{ const s = {INSPECT}; return s && s.ends.a?.index === {first} && s.ends.b?.index === {second}"
        " && s.path && !s.path.pending && s.markers.b; }",
        timeout=60_000,
    )
    page.wait_for_timeout(600)  # fit.js asks for new axes 150 ms after a path rests; a double-click's relayout


@pytest.mark.browser
@pytest.mark.slow
def test_the_axes_stay_the_same_through_clicks_and_beta_changes(browser, host, family):
    """The title says "the same axes for every β": they are the shared extent on arrival, after A then B at a
    person's pace, after a β change, and after two clicks as fast as a script's (Plotly read those as a
    double-click, whose default "reset+autosize" autoranged the axes: x -3.56..3.85 instead of -3.13..3.49)."""
    url, goto = host
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.clock.install()  # runs at the real pace until paused (click_pair)
    goto(page, url + "/?model=z20-beta1&map=pca")
    page.wait_for_timeout(800)
    extent = map_info(family)["z20-beta1"]["pca"]["extent"]
    assert map_info(family)["z20-beta2"]["pca"]["extent"] == extent
    assert np.allclose(shown_axes(page), extent, atol=1e-9, rtol=0)
    first, second = apart_digits(page)
    click_pair(page, first, second, fast=False)
    assert np.allclose(shown_axes(page), extent, atol=1e-9, rtol=0)
    draws = int(page.locator(".le-root").get_attribute("data-map-draws"))
    page.get_by_role("button", name="β = 2", exact=True).click()
    page.wait_for_function(
        f"() => {{ const s = {INSPECT}; return s && s.view.model === 'z20-beta2' && s.path && !s.path.pending &&"
        f" +document.querySelector('.le-root').dataset.mapDraws > {draws}; }}",
        timeout=60_000,
    )
    page.wait_for_timeout(600)
    assert np.allclose(shown_axes(page), extent, atol=1e-9, rtol=0)
    click_pair(page, *apart_digits(page), fast=True)
    assert np.allclose(shown_axes(page), extent, atol=1e-9, rtol=0)
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_static_lede_defines_n01_as_streamlits_help_does(browser, site):
    """The static lesson's first sentence has a "?" (Streamlit's help beside the same sentence): a hover's tooltip
    and a press's line say widgets/contract.py PRIOR_WORDS; sections/lesson.py passes the same words."""
    page = browser.new_page(viewport={"width": 400, "height": 850})
    page.goto(site + "/?page=lesson")
    help_button = page.locator(".sh-lede .sh-help")
    help_button.wait_for(timeout=60_000)
    assert PRIOR_WORDS in help_button.get_attribute("title")
    assert not page.locator(".sh-help-text").is_visible()
    help_button.click()
    assert page.locator(".sh-help-text").is_visible() and PRIOR_WORDS in page.locator(".sh-help-text").inner_text()
    page.close()


def test_streamlits_lede_help_says_the_same_words():
    """Streamlit's "?" beside the lesson's first sentence: the recipe, then the same PRIOR_WORDS."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "page.py"), default_timeout=90)
    at.query_params["page"] = "lesson"
    at.run()
    assert not at.exception, at.exception
    lede = at.markdown[0]
    assert lede.value.startswith("An autoencoder") and lede.proto.help.endswith(PRIOR_WORDS)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", ["phone", "wide"])
def test_endpoint_labels_stay_inside_the_plot(browser, host, size):
    """A read-through saw A's label poke above the phone map's top edge (the overlay clips it there). With A just
    under the plot's top edge and B in its top right corner, each label's drawn box (le:inspect `labels`, measured
    from the text) lies within the plot area: A's goes beside its marker, away from B; B's under its own."""
    url, goto = host
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    goto(page, url + "/?model=z2-beta1&map=plane")
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return s && s.plotlyDrawn && s.plot; }}", timeout=60_000)
    plot = page.evaluate(SHOWN)["plot"]
    (x0, x1), (y0, y1) = plot["x"], plot["y"]
    near_top = y1 - 0.01 * (y1 - y0)
    a, b = (0.5 * (x0 + x1), near_top), (x1 - 0.01 * (x1 - x0), near_top)
    goto(page, url + f"/?model=z2-beta1&map=plane&a=plane:{a[0]:.2f},{a[1]:.2f}&b=plane:{b[0]:.2f},{b[1]:.2f}")
    page.wait_for_function(
        f"() => {{ const s = {INSPECT}; return s && s.plotlyDrawn && s.labels && s.labels.a && s.labels.b; }}",
        timeout=60_000,
    )
    page.wait_for_timeout(400)
    shown = page.evaluate(SHOWN)
    plot, markers = shown["plot"], shown["markers"]
    assert markers["a"][1] - plot["top"] < 0.05 * plot["height"], (markers, plot)  # A is near the top
    edges = [plot["left"], plot["top"], plot["left"] + plot["width"], plot["top"] + plot["height"]]
    for end in ("a", "b"):
        left, top, right, bottom = shown["labels"][end]
        assert left >= edges[0] - 0.5 and top >= edges[1] - 0.5, (end, shown["labels"][end], edges)
        assert right <= edges[2] + 0.5 and bottom <= edges[3] + 0.5, (end, shown["labels"][end], edges)
    # A's goes beside its marker, on the side away from B (under it, by the path's first frame, it read as that
    # frame's); B, in the corner, has no room on its far side: under its marker.
    a_label, b_label = shown["labels"]["a"], shown["labels"]["b"]
    beside = a_label[1] < markers["a"][1] + 9 and a_label[3] > markers["a"][1] - 9  # level with its 9 px marker
    assert a_label[2] < markers["a"][0] and beside, (a_label, markers["a"])
    assert b_label[1] > markers["b"][1], (b_label, markers["b"])
    page.close()
