"""What fresh readers still found on the explore view (issue 24's second read-through): the words beside the map say
what the picture shows. The opening morph's caption says its labels are a classifier's reading; the hint says what a
click does once A and B are set; the z = 2 map has one name everywhere (its button's) and the β slider's model is
named in plain words where it first appears.

    python -m pytest tests/test_explore_words.py -x -q      # the wording checks, then both hosts in Chromium
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from explorer.figures import MAP_TITLES, MAP_WORDS
from explorer.multirate_assets import multirate_data
from explorer.viewer_data import PAIR_HINT, PICK_HINT, showcase_text
from harness.browser import INSPECT, ROOT
from vae.family import shared_family, weights_folder
from vae.sampling import READABLE

SIZES = {"wide": (1500, 1000), "full-hd": (1920, 1080), "phone": (400, 850)}
SHOWCASE = json.loads((ROOT / "weights" / "showcase.json").read_text())
READING_WORDS = "The labels above the frames are that classifier's reading, which can disagree with your eye."
# The z = 2 map's former names, and the Multi-Rate VAE's short name: none may be shown.
OLD_MAP_NAMES = re.compile(r"latent plane \(exact\)|2-D codes, as they are")
OLD_NAMES = re.compile(f"{OLD_MAP_NAMES.pattern}|MR-VAE")
SHOWN_FILES = ["viewer/explore", "viewer/hosts", "explorer", "sections", "vae/atlas.py"]


def test_the_showcase_caption_says_its_labels_are_a_classifiers_reading():
    text = showcase_text("test #792 (a 3)", "test #8763 (a 0)")
    assert READING_WORDS in text
    assert f"every frame as a digit at P ≥ {READABLE:g}" in text  # the rule, still stated
    assert SHOWCASE["figures"]["least_sure"] >= READABLE  # and still true of the shipped pair


def test_the_z2_map_has_one_name_and_no_file_shows_the_old_ones():
    """The map's title names the view as its button does (MAP_WORDS), for the β slider's model too; no shown
    string in the viewer, the hosts or the page's Python keeps "latent plane (exact)" or "its 2-D codes"."""
    assert MAP_TITLES["plane"].startswith(MAP_WORDS["plane"])
    for manifest in multirate_data(shared_family(weights_folder())).values():
        if manifest["map"]["name"] == "plane":
            assert MAP_WORDS["plane"] in manifest["map"]["title"]
    found = []
    for name in SHOWN_FILES:
        path = ROOT / name
        for file in [path] if path.is_file() else [*path.rglob("*.js"), *path.rglob("*.py")]:
            for n, line in enumerate(file.read_text().splitlines(), 1):
                if OLD_MAP_NAMES.search(line):
                    found.append(f"{file.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, found


# --- in Chromium, both hosts, the three sizes -------------------------------------------------------------------

SHOWN = """() => { const found = {}; document.querySelector('.le-root').dispatchEvent(
  new CustomEvent('le:inspect', {detail: found})); return found; }"""

VISIBLE_TEXT = """() => { const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), element = node.parentElement;
    if (!text || !element || !element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    out.push(text); }
  for (const e of document.querySelectorAll('[title], [aria-label], option'))
    out.push(e.getAttribute('title') || e.getAttribute('aria-label') || e.textContent);
  return out; }"""


def open_view(page, host, query: str, ready: str) -> dict:
    url, goto = host
    goto(page, url + query)
    page.wait_for_function(f"() => {{ const s = {INSPECT}; return s && ({ready}); }}", timeout=60_000)
    page.wait_for_timeout(300)
    return page.evaluate(SHOWN)


def hint(page) -> str:
    locator = page.locator(".le-hint")
    assert locator.is_visible()
    return locator.inner_text()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_words_beside_the_map_say_what_it_shows(browser, host, size):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    # The opening morph: the caption says the frames' labels are a classifier's reading, and they are: the reading
    # the page shows is the showcase's, every frame at P >= READABLE as its rule says.
    frames = SHOWCASE["frames"]
    shown = open_view(page, host, "/", f"s.path && s.path.frames.length === {frames} && s.reading")
    assert (shown["ends"]["a"]["index"], shown["ends"]["b"]["index"]) == (SHOWCASE["a"], SHOWCASE["b"])
    assert "".join(str(d) for d in shown["reading"]["digits"]) == SHOWCASE["figures"]["reads"]
    assert min(shown["reading"]["confidence"]) >= READABLE
    assert READING_WORDS in hint(page)
    # A pair of the reader's own: the hint says what the next click does (a new pair from it as A) ...
    shown = open_view(page, host, "/?a=3&b=7", "s.ends.a && s.ends.b")
    assert hint(page) == PAIR_HINT
    # ... and with A alone, how to pick B.
    open_view(page, host, "/?a=3", "s.ends.a && !s.ends.b")
    assert hint(page) == PICK_HINT
    # The β slider on a z = 2 model: the map is called what its button says, the model by its plain name.
    open_view(page, host, "/?model=z2-beta1&map=plane&a=3&b=7&mr=0.5", "s.view.mr > 0 && s.plotlyDrawn")
    page.wait_for_function(
        "() => /every β/.test(document.querySelector('.le-map .gtitle')?.textContent || '')", timeout=60_000
    )
    title = page.locator(".le-map .gtitle").text_content()
    assert MAP_WORDS["plane"] in title, title
    assert MAP_WORDS["plane"] in page.locator(".le-root button").all_inner_texts()
    label = page.locator(".le-mr-label").text_content()
    assert label.startswith("One model trained for every β"), label
    texts = page.evaluate(VISIBLE_TEXT)
    assert not [t for t in texts if OLD_NAMES.search(t)]
    page.close()


def tiny_vae_file(folder) -> tuple:
    """A VAE of pytorch/examples' shape (fc1, fc21, fc22, fc3, fc4), hidden 16, latent 2, random weights, saved as
    safetensors as a tutorial reader would; and a file that is no model at all."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(0)
    shapes = {"fc1": (16, 784), "fc21": (2, 16), "fc22": (2, 16), "fc3": (16, 2), "fc4": (784, 16)}
    tensors = {}
    for name, (out, inp) in shapes.items():
        tensors[f"{name}.weight"] = (rng.standard_normal((out, inp)) * 0.1).astype(np.float32)
        tensors[f"{name}.bias"] = np.zeros(out, np.float32)
    good, bad = folder / "tiny.safetensors", folder / "broken.safetensors"
    save_file(tensors, str(good))
    bad.write_bytes(b"not a safetensors file at all")
    return good, bad


NATIVE_INPUT = """() => { const e = document.querySelector('.le-yours-input'), b = e.getBoundingClientRect();
  return {shown: e.checkVisibility({opacityProperty: true, visibilityProperty: true}), w: b.width, h: b.height}; }"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_analytics_say_why_the_map_and_the_chart_differ_and_the_upload_shows_what_is_loaded(
    browser, host, size, tmp_path
):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    # A z = 20 model: the "how typical" chart's words say the map is a 2-D view of its 20 numbers.
    open_view(page, host, "/?model=z20-beta1&a=3&b=7", "s.path && s.path.frames")
    dims = page.locator(".le-analytics-dims")
    page.wait_for_function("() => /20 numbers/.test(document.querySelector('.le-analytics-dims')?.textContent)")
    dims.scroll_into_view_if_needed()
    assert dims.is_visible()
    text = dims.inner_text()
    assert "2-D view of 20 numbers" in text and "1σ ring" in text and "all 20" in text
    assert dims.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)") >= 13
    # A z = 2 model: the map is all of its code, nothing to explain.
    open_view(
        page, host, "/?model=z2-beta1&map=plane&a=3&b=7", "s.path && s.path.frames && s.view.model === 'z2-beta1'"
    )
    page.wait_for_timeout(500)  # the analytics settle after the strip
    assert not dims.is_visible()
    # Your own VAE: before, nothing loaded; after, the control names the file loaded, and no native "No file
    # chosen" is shown beside it; a refused file after it leaves the loaded one named.
    good, bad = tiny_vae_file(tmp_path)
    section = page.locator(".le-yours")
    section.scroll_into_view_if_needed()
    assert page.locator(".le-yours-file").inner_text() == "none loaded"
    assert page.locator(".le-yours-choose").is_visible()
    native = page.evaluate(NATIVE_INPUT)
    assert not native["shown"] and native["w"] <= 1 and native["h"] <= 1
    page.locator(".le-yours-input").set_input_files(str(good))
    page.wait_for_function("() => document.querySelector('.le-yours')?.dataset.state === 'ready'", timeout=60_000)
    assert page.locator(".le-yours-file").inner_text() == "tiny.safetensors (loaded)"
    assert page.locator(".le-yours-choose").inner_text() == "Choose another file"
    assert "tiny.safetensors" in page.locator(".le-yours-heading").inner_text()
    assert "No file chosen" not in section.inner_text()
    page.locator(".le-yours-input").set_input_files(str(bad))
    page.wait_for_function("() => document.querySelector('.le-yours')?.dataset.state === 'refused'", timeout=60_000)
    assert page.locator(".le-yours-message").inner_text().startswith("Not loaded")
    assert page.locator(".le-yours-file").inner_text() == "tiny.safetensors (loaded)"
    # The label opens the picker: a click on the visible "button" reaches the hidden input.
    with page.expect_file_chooser(timeout=10_000):
        page.locator(".le-yours-choose").click()
    page.close()


# --- issue 24's last words and pictures: the β card's terms, the phone's title, N(0, I)'s small rings ----------------

TITLE_AND_MODEBAR = """() => { const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  const one = (selector) => box(document.querySelector(selector));
  return {title: one('.le-map .gtitle'), modebar: one('.le-map .modebar'),
    buttons: [...document.querySelectorAll('.le-map .modebar-btn')].map(box)}; }"""

PRIOR_TEXTS = """() => [...document.querySelectorAll('.le-map .annotation')].map((a) => a.textContent)
  .filter((t) => /σ/.test(t))"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_beta_card_and_the_map_buttons_say_their_terms_in_plain_words(browser, host, size):
    """ "KL term", "nats", "Multi-Rate VAE" and "t-SNE" each come with a few plain words where they first appear:
    in the text itself (a phone has no hover) or, for the label and the buttons, their tooltips."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    open_view(page, host, "/?model=z20-beta1&map=pca&a=3&b=7", "s.path && s.path.frames && s.plotlyDrawn")
    assert page.locator(".le-mr-label").get_attribute("title").startswith("Multi-Rate VAE: one network trained")
    line = page.locator(".le-mr-line").inner_text()
    assert "the KL term (how far the codes are from N(0, I))" in line, line
    assert "nats" not in line or "nats: the unit of information, like bits" in line, line
    for button, words in ((MAP_WORDS["tsne"], MAP_TITLES["tsne"]), (MAP_WORDS["pca"], MAP_TITLES["pca"])):
        assert page.get_by_role("button", name=button, exact=True).get_attribute("title") == words
    assert "neighbours" in MAP_TITLES["tsne"]
    # At a β of the slider the line gives the model's figures in nats, and says what a nat is.
    open_view(page, host, "/?model=z20-beta1&map=pca&a=3&b=7&mr=0.5", "s.view.mr > 0 && s.plotlyDrawn")
    line = page.locator(".le-mr-line").inner_text()
    assert "nats per test digit (nats: the unit of information, like bits" in line, line
    page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_maps_title_and_plotlys_modebar_do_not_overlap(browser, host, size):
    """Plotly's toolbar sits at the map's top right; the title (on a phone two lines: the model, then the map in
    words) never runs under it, and the zoom buttons stay on the screen, for the longest titles the map has."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    for query in ("/?a=3&b=7", "/?model=z2-beta0&map=plane&a=3&b=7", "/?model=z20-beta1&map=pca&a=3&b=7&mr=0.5"):
        open_view(page, host, query, "s.path && s.path.frames && s.plotlyDrawn")
        page.locator(".le-map").hover()  # Plotly shows its modebar on hover
        page.wait_for_timeout(300)
        found = page.evaluate(TITLE_AND_MODEBAR)
        assert found["title"] and found["modebar"] and found["buttons"], (query, found)
        assert not overlap(found["title"], found["modebar"]), (query, found)
        assert all(b[0] >= 0 and b[2] <= width and b[1] >= 0 for b in found["buttons"]), (query, found)
        if size == "phone":
            title = page.locator(".le-map .gtitle").text_content()
            assert any(words in title for words in MAP_TITLES.values()), title
    page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_n01_rings_too_small_to_label_are_said_in_words(browser, host, size):
    """On the autoencoder's own axes N(0, I)'s rings are a few px across: no σ label is drawn there (it would be
    unreadable over the codes) and the line under the map says where the rings are and how wide, in the map's
    units (no px: the axes' span the test measures from the plot's range); on the VAE's plane they are wide
    enough to label and no line is needed."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    shown = open_view(page, host, "/?model=z2-beta0&map=plane&a=3&b=7", "s.path && s.path.frames && s.plotlyDrawn")
    plot = shown["plot"]
    across = 4 * plot["width"] / (plot["x"][1] - plot["x"][0])  # 2σ: 4 units, in screen px
    key = shown["holes"]["mapKey"]
    assert across < 48, across  # small on every screen: the case this test is about
    assert page.evaluate(PRIOR_TEXTS) == []
    assert "N(0, I): the small dashed rings at (0, 0), too small here to label" in key, key
    said = re.search(r"\(2σ: 4 units across, on axes (\d+) units wide\)", key)
    span = max(plot["x"][1] - plot["x"][0], plot["y"][1] - plot["y"][0])
    assert said and abs(int(said[1]) - span) <= 1, (key, span)
    assert " px" not in key, key
    assert page.locator(".le-holes-key").is_visible()
    open_view(
        page, host, "/?model=z2-beta1&map=plane&a=3&b=7", "s.path && s.path.frames && s.view.model === 'z2-beta1'"
    )
    page.wait_for_function("() => document.querySelectorAll('.le-map .annotation').length > 0", timeout=60_000)
    plot = page.evaluate(SHOWN)["plot"]
    assert 2 * plot["width"] / (plot["x"][1] - plot["x"][0]) >= 24  # the 1σ ring: wide enough to label
    assert len(page.evaluate(PRIOR_TEXTS)) == 2
    assert "too small here to label" not in page.evaluate(SHOWN)["holes"]["mapKey"]
    page.close()


# Each Plotly axis title and subtitle of the analytics chart: [text, its box, the chart's box], boxes as
# [left, top, right, bottom] in viewport px.
ANALYTICS_TITLES = """() => { const chart = document.querySelector('.le-analytics-chart .main-svg');
  const c = chart.getBoundingClientRect(), box = (b) => [b.left, b.top, b.right, b.bottom];
  return [...document.querySelectorAll('.le-analytics-chart .ytitle, .le-analytics-chart .y2title,'
      + ' .le-analytics-chart .xtitle, .le-analytics-chart .annotation-text')]
    .map((t) => [t.textContent, box(t.getBoundingClientRect()), box(c)]); }"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", [*SIZES, "small-phone"])
@pytest.mark.parametrize("model", ["z20-beta1", "z2-beta0"])
def test_the_analytics_titles_fit_inside_the_chart(browser, host, size, model):
    """Every axis title and subtitle of the chart under the map, "how typical under N(0, I)"'s included, lies
    inside the chart's box at every size: none clipped (a phone once showed the y title as "…z)")."""
    width, height = {**SIZES, "small-phone": (320, 640)}[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    open_view(page, host, f"/?model={model}&a=3&b=7", "s.path && s.path.frames")
    page.wait_for_function("() => document.querySelectorAll('.le-analytics-chart .y2title').length > 0")
    page.locator(".le-analytics-chart").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    titles = page.evaluate(ANALYTICS_TITLES)
    texts = [text for text, _, _ in titles]
    assert any("how typical under N(0, I)" in text for text in texts), texts
    assert "log N(z; 0, I)" in texts, texts  # one name, as its hover and its words
    for text, (left, top, right, bottom), (c_left, c_top, c_right, c_bottom) in titles:
        assert left >= c_left - 0.5 and right <= c_right + 0.5, (text, left, right, c_left, c_right)
        assert top >= c_top - 0.5 and bottom <= c_bottom + 0.5, (text, top, bottom, c_top, c_bottom)
    page.close()


@pytest.mark.browser
def test_the_strip_marks_a_reading_under_p_0_9_as_unsure(browser, site):
    # The lesson and the presets call a reading under P = READABLE "unsure"; the strip's shade alone let a
    # P = 0.66 label look as sure as a P = 0.99 one. Every label is recomputed in numpy: digit, "?" below READABLE.
    from harness.browser import goto_static
    from harness.canvas_text import CANVAS_TEXT, DRAWN
    from vae.paths import interpolate

    family = shared_family(weights_folder())
    a, b = 7102, 9590  # the "Where β = 0 and β = 1 look alike" pair: its β = 0 path reads a 9 at P = 0.66
    loaded = family.models["z20-beta0"]
    frames = loaded.model.decode(interpolate(loaded.atlas.mu[a], loaded.atlas.mu[b], 10))
    read = family.classifier.probabilities(frames)
    expected = [f"{int(p.argmax())}{'' if p.max() >= READABLE else '?'}" for p in read]
    assert any(label.endswith("?") for label in expected)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_init_script(CANVAS_TEXT)
    page = context.new_page()
    open_view(page, (site, goto_static), f"/?model=z20-beta0&map=pca&a={a}&b={b}", "s.path && s.plotlyDrawn")
    page.wait_for_function("() => window.__canvasText.some((t) => t.canvas === 'le-strip' && t.text === 'B')")
    drawn = [t["text"] for t in page.evaluate(DRAWN) if t["canvas"] == "le-strip" and t["connected"]]
    last = len(drawn) - 1 - drawn[::-1].index("A")  # the strip's last drawing: A, its 10 readings, B
    assert drawn[last : last + 12] == ["A", *expected, "B"]
    assert f"unsure, P < {READABLE:g}" in page.locator(".le-strip-text").inner_text()
    context.close()


ROWS_READ = """() => { const rows = [...document.querySelectorAll('.le-compare-row')];
  return rows.length > 1 && rows.every((r) => (r.querySelector('canvas').dataset.read || '').split(' ').length > 2)
    ? Object.fromEntries(rows.map((r) => [r.dataset.model, r.querySelector('canvas').dataset.read])) : null; }"""


@pytest.mark.browser
@pytest.mark.slow
def test_the_compare_rows_label_each_frame_as_the_strip_does(browser, host):
    """The rows under the morph carry the classifier's reading over each frame, by the strip's rule (readings.js:
    a digit, with "?" in grey under P = READABLE), so a preset's "β = 1 passes a 9 (rows under the morph)" can be
    checked there. Two rows recomputed in numpy; on a projector (1920 x 1080) the labels are 13 px or more."""
    from harness.canvas_text import CANVAS_TEXT, DRAWN, MIN_PX
    from vae.paths import interpolate

    family = shared_family(weights_folder())
    a, b = 7102, 9590  # the "Where β = 0 and β = 1 look alike" preset's pair: its β = 0 row reads a 9 at P = 0.66
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(CANVAS_TEXT)
    page = context.new_page()
    query = f"/?model=z20-beta1&map=pca&method=linear&frames=10&compare=1&a={a}&b={b}"
    open_view(page, host, query, "s.path && s.plotlyDrawn")
    rows = page.wait_for_function(ROWS_READ, timeout=60_000).json_value()
    drawn = [t for t in page.evaluate(DRAWN) if t["canvas"] == "le-compare-strip" and t["connected"]]
    texts = [t["text"] for t in drawn]
    unsure = 0
    for name in ("z20-beta0", "z20-beta1"):
        loaded = family.models[name]
        read = family.classifier.probabilities(
            loaded.model.decode(interpolate(loaded.atlas.mu[a], loaded.atlas.mu[b], 10))
        )
        expected = ["A", *[f"{int(p.argmax())}{'' if p.max() >= READABLE else '?'}" for p in read], "B"]
        unsure += sum(label.endswith("?") for label in expected)
        assert rows[name].split(" ") == expected, (name, rows[name], expected)
        # written on the canvas as its mark says
        assert any(texts[i : i + len(expected)] == expected for i in range(len(texts))), (name, texts)
    assert unsure  # the rule's grey "?" is exercised, not only sure digits
    assert drawn and min(t["px"] for t in drawn) >= MIN_PX - 0.01
    words = page.locator(".le-compare-words").inner_text()
    assert f"unsure, P < {READABLE:g}" in words, words
    context.close()


FIRST_ROW = """() => { const row = document.querySelector('.le-compare-row'); if (!row) return null;
  const b = row.getBoundingClientRect(), main = document.querySelector('[data-testid="stMain"]');
  const scrolled = window.scrollY + (main ? main.scrollTop : 0);
  return {top: b.top, bottom: b.bottom, height: innerHeight, scrolled}; }"""


@pytest.mark.browser
@pytest.mark.slow
def test_on_a_phone_a_tap_on_compare_all_beta_brings_the_first_row_into_view(browser, host):
    """At 400 x 850 the rows land under the map and the morph, below the first screen: the tap scrolls the first
    row into view, so it visibly did something (issue 24 item 6). Nothing scrolls on arrival."""
    context = browser.new_context(viewport={"width": 400, "height": 850}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_view(page, host, "/?model=z20-beta1&map=pca&a=3&b=7", "s.path && s.path.frames && s.plotlyDrawn")
    assert page.evaluate(FIRST_ROW) is None
    assert (
        page.evaluate("() => window.scrollY + (document.querySelector('[data-testid=\"stMain\"]')?.scrollTop || 0)")
        == 0
    )
    page.get_by_role("button", name="Compare all β").tap()
    page.wait_for_function(
        f"() => {{ const r = ({FIRST_ROW})(); return r && r.bottom > 0 && r.top < r.height; }}", timeout=30_000
    )
    page.wait_for_timeout(1500)  # the smooth scroll has ended, and the rows loading since have not pushed it away
    seen = page.evaluate(FIRST_ROW)
    assert seen["scrolled"] > 0, seen  # it came into view by a scroll: below the first screen before the tap
    assert seen["bottom"] > 0 and seen["top"] < seen["height"], seen
    context.close()
