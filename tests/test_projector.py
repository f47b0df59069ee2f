"""Issue 24's projector rule: at 1920 x 1080 no visible text under 13 px, Plotly's labels included, in both
hosts, on the explore view and on the lesson. The explore view is measured in the states a teacher reaches: the
β slider on with its strip read and the analytics' classifier row drawn for it; the map's hover tip; a Plotly
hover label over the analytics; the compare rows labelled with the per-β chart (they turn the slider off); a
visitor's own model uploaded; what is folded under the map opened. In each, the explore view's canvas text too
(harness/canvas_text.py; the lesson's canvases: tests/test_lesson_truth.py), and every text in the explore view,
shown or not yet (a tip before its hover), computes to 13 px or more.

    python -m pytest tests/test_projector.py -x -q
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness.browser import INSPECT, goto_app, goto_static, require_chromium, static_site
from harness.canvas_text import CANVAS_TEXT, DRAWN, small_canvas_text
from harness.screenshots import LESSON_READY

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()
SIZE = {"width": 1920, "height": 1080}
SLIDER = "/?model=z20-beta1&map=pca&a=3&b=7&mr=0.1"  # the β slider on
COMPARE = "/?model=z20-beta1&map=pca&a=3&b=7&compare=1"  # compare rows (they turn the slider off)

# Every rendered text node's font size, with where it is; only those under 13 px come back.
SMALL_TEXT = """() => { const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), element = node.parentElement;
    if (!text || !element || !element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 13) small.push(`${size}px ${element.getAttribute('class') || element.tagName}: ${text.slice(0, 40)}`);
  }
  return small; }"""
ROWS_LABELLED = """() => { const rows = [...document.querySelectorAll('.le-compare-strip')];
  return rows.length > 1 && rows.every((c) => (c.dataset.read || '').split(' ').length > 2); }"""
OPEN_UNDER_THE_MAP = "() => document.querySelectorAll('.le-under details').forEach((d) => { d.open = true; })"
# Every text in the explore view, shown or not (a hidden element's computed size is what it shows at once).
ANY_STATE_TEXT = """() => { const small = new Set();
  for (const root of document.querySelectorAll('.le-root')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, text = node.textContent.trim(), element = node.parentElement;
      const size = element && parseFloat(getComputedStyle(element).fontSize);
      const name = element && (element.getAttribute('class') || element.tagName);
      if (text && size < 13) small.add(`${size}px ${name}: ${text.slice(0, 40)}`);
    } }
  return [...small]; }"""
# The β slider's strip read, and the analytics' classifier row drawn from that reading (multirate.js sliderReading).
SLIDER_READ = """() => ['.le-strip', '.le-analytics'].every((s) =>
  (document.querySelector(s).dataset.readKey || '').includes('-mr@'))"""
TIP_SHOWN = "() => { const t = document.querySelector('.le-tip'); return !!t && t.style.display === 'block'; }"
HOVER_LABEL = "() => !!document.querySelector('.le-analytics-chart .hoverlayer .hovertext')"
# The analytics' classifier row (its last subplot) in the viewport: its centre.
HEATMAP_CENTRE = """() => { const drag = [...document.querySelectorAll('.le-analytics-chart .nsewdrag')].pop();
  drag.scrollIntoView({block: 'center'}); const b = drag.getBoundingClientRect();
  return [b.left + b.width / 2, b.top + b.height / 2]; }"""
PER_BETA_CHART = """() => { const box = document.querySelector('.le-analytics-compare');
  const gd = box && box.querySelector('.le-chart');
  return !!gd && !box.hidden && !!gd.data && (document.querySelector('.le-analytics').dataset.readKey || '')
    .startsWith('z20-beta1|'); }"""


@pytest.fixture(scope="module")
def site():
    with static_site() as url:
        yield url


def explore_text(page) -> list[str]:
    page.evaluate(OPEN_UNDER_THE_MAP)
    page.wait_for_function("() => performance.getEntriesByName('le:shown:traversal').length > 0", timeout=60_000)
    page.wait_for_timeout(500)  # the charts under the map drawn after the path settles
    return page.evaluate(SMALL_TEXT)


def small_in(page, state: str) -> list[str]:
    """What is under 13 px in this state: shown DOM text, canvas text still on the page, any explore text."""
    page.wait_for_timeout(300)
    found = page.evaluate(SMALL_TEXT) + small_canvas_text(page) + page.evaluate(ANY_STATE_TEXT)
    return [f"{state}: {text}" for text in found]


SPOTS = ((0.5, 0.5), (0.3, 0.6), (0.6, 0.35), (0.45, 0.7))  # on the map, until its tip shows (a digit or a point)


def hover_until(page, spots, shown: str, timeout_ms: int) -> bool:
    """Moves the pointer onto each spot in turn (from 3 px to its left, so it is a move) until `shown` holds."""
    for x, y in spots:
        page.mouse.move(x - 3, y)
        page.mouse.move(x, y, steps=3)
        try:
            page.wait_for_function(shown, timeout=timeout_ms)
            return True
        except PlaywrightTimeout:
            continue
    return bool(page.evaluate(shown))


def explore_states(page, goto, url: str, trained) -> list[str]:
    """Walks the explore view through the states a teacher reaches and returns what is small in each."""
    goto(page, url + SLIDER)
    page.wait_for_function(SLIDER_READ, timeout=60_000)
    small = [f"slider on, analytics: {t}" for t in explore_text(page)]
    small += small_in(page, "slider on, analytics")
    page.evaluate("() => window.scrollTo(0, 0)")
    plot = page.evaluate(f"() => ({INSPECT}).plot")
    spots = [(plot["left"] + fx * plot["width"], plot["top"] + fy * plot["height"]) for fx, fy in SPOTS]
    assert hover_until(page, spots, TIP_SHOWN, 3_000), "the map's hover tip never showed"
    small += small_in(page, "the map's hover tip")
    # Plotly shows a hover label on pointer moves over the subplot: a few moves, each given time (a loaded CI machine
    # once let a single move's 10 s pass without one).
    x, y = page.evaluate(HEATMAP_CENTRE)
    spots = [(x + dx, y) for dx in (0, 6, -6, 12, -12)]
    assert hover_until(page, spots, HOVER_LABEL, 8_000), "no hover label over the analytics' classifier row"
    small += small_in(page, "a hover label over the analytics")
    goto(page, url + COMPARE)
    page.wait_for_function(ROWS_LABELLED, timeout=60_000)  # the compare rows' readings are among what is measured
    page.wait_for_function(PER_BETA_CHART, timeout=60_000)
    small += [f"compare rows, per-β chart: {t}" for t in explore_text(page)]
    small += small_in(page, "compare rows, per-β chart")
    # A visitor's own model (pytorch/examples' VAE, tests/conftest.py tutorial_vae): its map, key and strip.
    page.locator(".le-yours-input").set_input_files(str(trained.safetensors))
    page.wait_for_function("() => document.querySelector('.le-yours')?.dataset.state === 'ready'", timeout=60_000)
    page.locator(".le-yours").scroll_into_view_if_needed()
    small += small_in(page, "a visitor's own model")
    return small


def test_no_text_under_13px_on_the_static_site(browser, site, tutorial_vae):
    context = browser.new_context(viewport=SIZE)
    context.add_init_script(CANVAS_TEXT)  # and what the explore view draws on canvases (the strip's readings)
    page = context.new_page()
    assert explore_states(page, goto_static, site, tutorial_vae) == []
    page.goto(site + "/?page=lesson")
    page.wait_for_function(LESSON_READY, timeout=120_000)
    assert page.evaluate(SMALL_TEXT) == []
    context.close()


def test_no_text_under_13px_on_the_streamlit_page(browser, server, tutorial_vae):
    context = browser.new_context(viewport=SIZE)
    context.add_init_script(CANVAS_TEXT)
    page = context.new_page()
    assert explore_states(page, goto_app, server.url, tutorial_vae) == []
    page.goto(server.url + "/?page=lesson")  # goto_app waits for a map, which the lesson has not
    page.wait_for_function(LESSON_READY, timeout=120_000)
    assert page.evaluate(SMALL_TEXT) == []
    context.close()


# The lesson with everything a visitor can open (docs/lesson.md's test interface): the probe's insets read on both
# planes, every disclosure open (the table, what its columns mean, a landed preset's figures), the β row moved off
# its start, and the hover tip over a plane.
LESSON_PROBED = "() => [...document.querySelectorAll('.lp-root .lp-inset')].every((i) => i.dataset.where)"
OPEN_DETAILS = "() => document.querySelectorAll('.lp-root details').forEach((d) => { d.open = true; })"
LESSON_SHOWN = """() => { const shown = (s) => [...document.querySelectorAll(s)].filter((e) => e.checkVisibility());
  return { insets: shown('.lp-inset').length, tip: shown('.lp-tip').length, preset: shown('.lp-preset-line').length,
    cells: shown('.lp-table td').length, notes: shown('.lp-table-help dd').length,
    figures: shown('.lp-preset-figures p').length, scale: shown('.lp-beta-scale span').length,
    beta: document.querySelector('.lp-beta-row')?.dataset.beta }; }"""


def lesson_opened(page, url: str) -> list[str]:
    """Opens the lesson at `url` with a probe, opens everything, and returns the DOM text under 13 px."""
    page.goto(url + "/?page=lesson&probe=60.00,-60.00")  # off both planes' boxes: an inset and an edge arrow each
    page.wait_for_function(LESSON_READY, timeout=120_000)
    page.wait_for_function(LESSON_PROBED, timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('.lp-posterior-row').length === 4", timeout=60_000)
    start = page.evaluate("() => document.querySelector('.lp-beta-row').dataset.beta")
    page.evaluate(
        "() => { const s = document.querySelector('.lp-beta-slider'); s.value = s.max; "
        "s.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_function("(b) => document.querySelector('.lp-beta-row').dataset.beta !== b", arg=start)
    page.evaluate(OPEN_DETAILS)
    plane = page.locator(".lp-canvas").nth(1)
    plane.scroll_into_view_if_needed()
    box = plane.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45)
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5, steps=4)
    page.wait_for_function(f"() => ({LESSON_SHOWN})().tip === 1", timeout=30_000)
    shown = [page.evaluate(LESSON_SHOWN)]
    small = page.evaluate(SMALL_TEXT)
    page.locator(".lp-preset-button").first.click()  # its line and its figures where it lands
    page.wait_for_function("() => document.querySelector('.lp-preset-line')?.checkVisibility()", timeout=30_000)
    page.wait_for_function(LESSON_PROBED, timeout=60_000)
    page.evaluate(OPEN_DETAILS)
    shown.append(page.evaluate(LESSON_SHOWN))
    # What the check must reach, shown: else a pass would say nothing about it.
    assert shown[0]["tip"] == 1 and shown[1]["preset"] == 1 and shown[1]["figures"] >= 1, shown
    for seen in shown:
        assert seen["insets"] == 2 and seen["cells"] >= 6 and seen["notes"] >= 6 and seen["scale"] >= 2, shown
        assert seen["beta"] != start, shown
    return sorted(set(small + page.evaluate(SMALL_TEXT)))


def test_no_lesson_text_under_13px_with_everything_open_on_the_static_site(browser, site):
    """Issue 24's projector rule on what the first screen's check leaves closed (lesson.css has 11 and 12 px rules:
    the tip, the inset, the β scale, the table, the notes): with a probe, the table and every disclosure open, a
    preset landed, the β row moved and the tip shown, at 1920 x 1080, in the DOM and on the lesson's canvases."""
    context = browser.new_context(viewport=SIZE)
    context.add_init_script(CANVAS_TEXT)
    page = context.new_page()
    assert lesson_opened(page, site) == []
    # The lesson's canvases: the planes, the draws' readings, the curves, the β chart (the explore view's, le-*,
    # lie hidden 0 px wide behind the lesson on this host: the first test checks them where they show).
    assert [text for text in small_canvas_text(page) if " le-" not in text] == []
    drawn = {t["canvas"] for t in page.evaluate(DRAWN) if t["connected"] and t["text"].strip()}
    assert {"lp-canvas", "lp-beta-curve"} <= drawn, drawn  # the planes' axes and the β chart were measured
    context.close()


def test_no_lesson_text_under_13px_with_everything_open_on_the_streamlit_page(browser, server):
    page = browser.new_page(viewport=SIZE)
    assert lesson_opened(page, server.url) == []
    page.close()
