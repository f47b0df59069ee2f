"""Issue 24's projector rule: at 1920 x 1080 no visible text under 13 px, Plotly's labels included, in both
hosts, on the explore view (with the β slider, compare rows, the analytics and what is folded under the map
opened) and on the lesson; on the static site, the explore view's canvas text too (harness/canvas_text.py; the
lesson's canvases: tests/test_lesson_truth.py).

    python -m pytest tests/test_projector.py -x -q
"""

from __future__ import annotations

import pytest

from harness.browser import goto_app, goto_static, require_chromium, static_site
from harness.canvas_text import CANVAS_TEXT, small_canvas_text
from harness.screenshots import LESSON_READY

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()
SIZE = {"width": 1920, "height": 1080}
EXPLORE = "/?model=z20-beta1&map=pca&a=3&b=7&mr=0.1&compare=1"

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


@pytest.fixture(scope="module")
def site():
    with static_site() as url:
        yield url


def explore_text(page) -> list[str]:
    page.evaluate(OPEN_UNDER_THE_MAP)
    page.wait_for_function("() => performance.getEntriesByName('le:shown:traversal').length > 0", timeout=60_000)
    page.wait_for_timeout(500)  # the charts under the map drawn after the path settles
    return page.evaluate(SMALL_TEXT)


def test_no_text_under_13px_on_the_static_site(browser, site):
    context = browser.new_context(viewport=SIZE)
    context.add_init_script(CANVAS_TEXT)  # and what the explore view draws on canvases (the strip's readings)
    page = context.new_page()
    goto_static(page, site + EXPLORE)
    assert explore_text(page) == []
    page.wait_for_function(ROWS_LABELLED, timeout=60_000)  # the compare rows' readings are among what is measured
    assert small_canvas_text(page) == []
    page.goto(site + "/?page=lesson")
    page.wait_for_function(LESSON_READY, timeout=120_000)
    assert page.evaluate(SMALL_TEXT) == []
    context.close()


def test_no_text_under_13px_on_the_streamlit_page(browser, server):
    page = browser.new_page(viewport=SIZE)
    goto_app(page, server.url + EXPLORE)
    assert explore_text(page) == []
    page.goto(server.url + "/?page=lesson")  # goto_app waits for a map, which the lesson has not
    page.wait_for_function(LESSON_READY, timeout=120_000)
    assert page.evaluate(SMALL_TEXT) == []
    page.close()
