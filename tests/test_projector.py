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
from harness.canvas_text import CANVAS_TEXT, small_canvas_text
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


def explore_states(page, goto, url: str, trained) -> list[str]:
    """Walks the explore view through the states a teacher reaches and returns what is small in each."""
    goto(page, url + SLIDER)
    page.wait_for_function(SLIDER_READ, timeout=60_000)
    small = [f"slider on, analytics: {t}" for t in explore_text(page)]
    small += small_in(page, "slider on, analytics")
    page.evaluate("() => window.scrollTo(0, 0)")
    plot = page.evaluate(f"() => ({INSPECT}).plot")
    for fx, fy in ((0.5, 0.5), (0.3, 0.6), (0.6, 0.35), (0.45, 0.7)):  # until the tip shows (a digit or a point)
        page.mouse.move(plot["left"] + fx * plot["width"], plot["top"] + fy * plot["height"])
        try:
            page.wait_for_function(TIP_SHOWN, timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    assert page.evaluate(TIP_SHOWN), "the map's hover tip never showed"
    small += small_in(page, "the map's hover tip")
    page.mouse.move(*page.evaluate(HEATMAP_CENTRE))
    page.wait_for_function(HOVER_LABEL, timeout=10_000)
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
