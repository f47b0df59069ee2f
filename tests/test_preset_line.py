"""A "Show me" preset lands with its line (issue 24, item 2): where it lands (the lesson's .lp-preset, the map's
banner above it on both hosts) "title: line" is visible text, never cut (no ellipsis, nothing scrolled or clipped
away), the caption's figures sit behind a closed "The figures" disclosure, and on a phone the map's A and B
markers of a path preset are on the first screen. At 400x850, 1500x1000 and 1920x1080, in both hosts.

    python -m pytest tests/test_preset_line.py -x -q
"""

from __future__ import annotations

import pytest

from harness.browser import INSPECT, MAP_READY, ROOT, goto_static, require_chromium, static_site, wait_for_status
from harness.lesson_page import open_lesson
from vae.family import load_lesson_file
from widgets.contract import PRESET_FIGURES, PRESET_ROWS, PRESET_ROWS_ID

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()

PRESETS = load_lesson_file(ROOT / "weights")["presets"]
SIZES = {"phone": (400, 850), "wide": (1500, 1000), "full-hd": (1920, 1080)}
LESSON_READY = "() => !!document.querySelector('.lp-root')?.dataset.complete"
# Where a preset's words land: the lesson's own line, or the banner above the map in each host.
LESSON_LINE = ".lp-preset"
MAP_BANNER = {"static": ".sh-preset", "streamlit": ".le-preset-banner"}

# What a visitor sees of the preset's words in `selector`: its visible text, whether any part of it is cut (an
# element whose content overflows its box, an ellipsis, an ancestor that hides what sticks out, or a box wider
# than the screen), and its disclosure.
READ = """(selector) => {
  const box = [...document.querySelectorAll(selector)].find((e) => e.checkVisibility());
  if (!box) return null;
  const r = box.getBoundingClientRect();
  const cut = [];
  for (const e of [box, ...box.querySelectorAll('*')]) {
    if (!e.checkVisibility()) continue;
    if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) cut.push('overflow ' + e.tagName);
    const style = getComputedStyle(e);
    if (style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none') cut.push('ellipsis ' + e.tagName);
  }
  // Up to the first box that scrolls (on either axis): what sticks out of a scroller is scrolled to, not cut.
  const scrolls = { x: false, y: false };
  for (let e = box.parentElement; e; e = e.parentElement) {
    const style = getComputedStyle(e), a = e.getBoundingClientRect();
    if (style.textOverflow === 'ellipsis') cut.push('ellipsis around');
    const hides = (o) => o === 'hidden' || o === 'clip';
    if ((!scrolls.x && hides(style.overflowX) && (r.left < a.left - 1 || r.right > a.right + 1))
        || (!scrolls.y && hides(style.overflowY) && (r.top < a.top - 1 || r.bottom > a.bottom + 1))) {
      cut.push('hidden by ' + e.className);
    }
    scrolls.x ||= /auto|scroll/.test(style.overflowX);
    scrolls.y ||= /auto|scroll/.test(style.overflowY);
  }
  if (r.left < -1 || r.right > innerWidth + 1) cut.push('off the screen');
  const details = box.querySelector('details'), summary = details && details.querySelector('summary');
  const figures = details && details.querySelector('p');
  return {
    text: box.innerText.replace(/\\s+/g, ' ').trim(), cut, top: r.top, bottom: r.bottom,
    details: details ? { open: details.open, summary: summary ? summary.textContent : null,
                         figures: figures ? figures.textContent : null,
                         figuresShown: figures ? figures.checkVisibility() : null } : null,
  };
}"""
MARKERS = f"() => {{ const s = {INSPECT}; return s && s.markers && s.markers.a && s.markers.b ? s.markers : null; }}"


@pytest.fixture(scope="module")
def site():
    with static_site() as url:
        yield url


def said(preset: dict) -> str:
    return " ".join(f"{preset['title']}: {preset['line']}".split())


def check_words(page, selector: str, preset: dict, height: int) -> None:
    """The preset's line visible and whole in `selector`, its figures behind a closed disclosure."""
    page.wait_for_function(f"() => ({READ})({selector!r}) !== null", timeout=60_000)
    page.wait_for_timeout(300)  # a frame for the layout to settle
    seen = page.evaluate(READ, selector)
    assert said(preset) in seen["text"], seen["text"]
    assert preset["caption"] not in seen["text"]  # the figures are not on the screen until asked for
    assert seen["cut"] == [], seen["cut"]
    assert seen["top"] >= -1 and seen["bottom"] <= height + 1, seen  # on the screen where the preset lands
    assert seen["details"] == {
        "open": False,
        "summary": PRESET_FIGURES,
        "figures": preset["caption"],
        "figuresShown": False,
    }
    # A press on "The figures" opens them, whole too.
    page.locator(f"{selector} summary").first.click()
    page.wait_for_function(f"() => ({READ})({selector!r})?.details.figuresShown", timeout=10_000)
    opened = page.evaluate(READ, selector)
    assert preset["caption"] in opened["text"] and opened["cut"] == [], opened["cut"]
    page.locator(f"{selector} summary").first.click()  # closed again, as the preset left it


def markers_on_screen(page, width: int, height: int) -> None:
    """A path preset on a phone: the map's A and B markers lie within the first screen."""
    markers = page.wait_for_function(MARKERS, timeout=60_000).json_value()
    page.wait_for_timeout(400)  # the overlay after the layout's last frame
    markers = page.evaluate(MARKERS)
    for end in ("a", "b"):
        x, y = markers[end][0], markers[end][1]
        assert 0 <= x <= width and 0 <= y <= height, (end, markers, (width, height))


def lands_on_map(preset: dict) -> bool:
    return preset["query"].get("page") != "lesson"


def check_landing(page, host: str, preset: dict, size: str) -> None:
    """Where the preset landed (the map's banner in `host`, or the lesson's line): its words, and on a phone a path
    preset's A and B on the first screen."""
    width, height = SIZES[size]
    if not lands_on_map(preset):
        check_words(page, LESSON_LINE, preset, height)
        return
    check_words(page, MAP_BANNER[host], preset, height)
    if size == "phone":
        markers_on_screen(page, width, height)


def test_every_preset_has_a_short_line():
    """The line is one plain sentence: short, no P values, no counts of random pairs (the caption keeps those)."""
    for preset in PRESETS:
        words = [w for w in preset["line"].split() if any(c.isalnum() for c in w)]
        assert len(words) <= 30 and preset["line"].endswith("."), preset["line"]
        assert "P =" not in preset["line"] and "random" not in preset["line"], preset["line"]
        assert len(preset["line"]) < len(preset["caption"]) / 2


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("index", range(len(PRESETS)))
def test_a_preset_lands_with_its_line_on_the_static_site(browser, site, size, index):
    preset, (width, height) = PRESETS[index], SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600)
    page = context.new_page()
    page.goto(site + "/?page=lesson", timeout=120_000)
    page.wait_for_function(LESSON_READY, timeout=120_000)
    page.get_by_role("button", name=preset["title"]).click()
    if lands_on_map(preset):
        page.wait_for_function("(a) => location.search.includes('a=' + a)", arg=preset["query"]["a"])
        page.wait_for_function(MAP_READY, timeout=120_000)
    check_landing(page, "static", preset, size)
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("index", range(len(PRESETS)))
def test_a_preset_lands_with_its_line_on_the_streamlit_page(browser, server, size, index):
    preset, (width, height) = PRESETS[index], SIZES[size]
    page = open_lesson(browser, server, width, height)
    button = page.get_by_role("button", name=preset["title"])
    button.scroll_into_view_if_needed()
    button.click()
    if lands_on_map(preset):
        after = wait_for_status(page, "morph", timeout=120)
        assert f"#{preset['query']['a']}" in after and f"#{preset['query']['b']}" in after
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0", timeout=30_000
        )
    check_landing(page, "streamlit", preset, size)
    page.close()


def test_the_static_banner_shows_a_tampered_line_as_text(browser, site):
    """The map's banner reads sessionStorage as JSON and writes it as text: markup in a line stays words."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    # Started in full first: a page still starting reads (and removes) the stored line itself, before the next
    # navigation (a start awaits site.json first), which failed this test under CI's load.
    goto_static(page, site + "/")
    page.evaluate(
        "() => sessionStorage.setItem('le:preset-line', JSON.stringify({title: 'T', line: '<img src=x "
        "onerror=window.hit=1>', caption: '<b>c</b>'}))"
    )
    goto_static(page, site + "/?model=z2-beta0&map=plane&a=6708&b=8157")
    seen = page.evaluate(READ, MAP_BANNER["static"])
    assert "T: <img src=x onerror=window.hit=1>" in seen["text"] and seen["details"]["figures"] == "<b>c</b>"
    assert page.evaluate("() => window.hit === undefined && !document.querySelector('.sh-preset img, .sh-preset b b')")
    page.close()


def test_the_streamlit_banner_escapes_what_it_echoes():
    from sections.map import preset_banner

    made = preset_banner({"title": "<script>x</script>", "line": "a & <img src=x>", "caption": "[l](http://e)\n<b>"})
    assert "<script>" not in made and "<img" not in made and "&lt;img src=x&gt;" in made and "&amp;" in made
    assert f"<details><summary>{PRESET_FIGURES}</summary>" in made and "<details open" not in made


ROWS_IN_VIEW = """() => { const row = document.querySelector('.le-compare-row');
  if (!row) return false; const r = row.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight; }"""


@pytest.mark.parametrize("host_name", ["static", "streamlit"])
def test_a_phone_reaches_the_rows_a_preset_line_names_by_its_link(browser, site, server, host_name):
    """On a phone the rows a path preset's line names ("rows under the morph") lie below the first screen; the words
    are a link that brings the first row into view, in both hosts."""
    preset = next(p for p in PRESETS if PRESET_ROWS in p["line"])
    width, height = SIZES["phone"]
    if host_name == "static":
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
        page = context.new_page()
        page.goto(site + "/?page=lesson", timeout=120_000)
        page.wait_for_function(LESSON_READY, timeout=120_000)
    else:
        context, page = None, open_lesson(browser, server, width, height)
    button = page.get_by_role("button", name=preset["title"])
    button.scroll_into_view_if_needed()
    button.click()
    banner = MAP_BANNER[host_name]
    page.wait_for_function(f"() => !!document.querySelector('{banner} a')", timeout=120_000)
    page.wait_for_function("() => !!document.querySelector('.le-compare-row')", timeout=120_000)
    page.wait_for_timeout(500)
    assert not page.evaluate(ROWS_IN_VIEW)  # below the first screen until asked for: the link has work to do
    link = page.locator(f"{banner} a")
    assert link.inner_text() == PRESET_ROWS and link.get_attribute("href") == f"#{PRESET_ROWS_ID}"
    link.click()
    page.wait_for_function(ROWS_IN_VIEW, timeout=10_000)
    (context or page).close()
