"""The browser harness itself (harness/): its waits fail loudly and say why, its JavaScript finds
the right pixels, its percentile is an observed value, and tests and benchmarks share it without
importing each other.

The browser tests here run Chromium against a static page that mimics the map widget's test interface
(viewer/explore/inspect.js: an `le:inspect` event on `.le-root`, the hover tip and its `data-click`), so
they take about a second and need no Streamlit server.
"""

import ast
import asyncio
import math
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.load import new_report, summary
from harness.stats import p50_p95, percentile

ROOT = Path(__file__).resolve().parent.parent

# The map widget as the harness reads it: the plot area starts 10 px right and 20 px below the map
# element's corner, which sits at (50, 40); data x -> 10x px, data y -> 200 - 10y px. Digits 12 and 13
# lie 3 px apart (occluded); 11 and 14 stand alone. The tip names the digit within 4 px, else the
# decodable plane, and says what a click there picks. Clicks are counted.
FAKE_MAP = """<!doctype html><html><body style="margin:0">
<div class="le-root" style="position:absolute; left:50px; top:40px; width:400px; height:300px">
  <div class="le-map" style="width:400px; height:300px"></div><div class="le-tip"></div>
</div>
<span class="le-status" data-name="explorer" style="display:none">run 1</span>
<script>
const root = document.querySelector('.le-root'), tip = document.querySelector('.le-tip');
window.plot = {left: 60, top: 60, width: 380, height: 270};
const digits = [[11, 1, 1, 3], [12, 5, 5, 3], [13, 5.3, 5, 3], [14, 10, 10, 7]];  // index, x, y, digit
const pixels = ([index, x, y, digit]) => [index, plot.left + 10 * x, plot.top + 200 - 10 * y, digit];
root.addEventListener('le:inspect', (event) => Object.assign(event.detail, {
  plot: {...plot, x: [0, plot.width / 10], y: [20 - plot.height / 10, 20]},
  digits: () => digits.map(pixels).filter(([, px, py]) => px >= plot.left && px <= plot.left + plot.width
                                                          && py >= plot.top && py <= plot.top + plot.height),
}));
window.clicks = 0;
document.addEventListener('click', () => { window.clicks += 1; });
document.addEventListener('mousemove', (event) => {
  const hovered = digits.map(pixels).find(([, px, py]) => Math.hypot(px - event.clientX, py - event.clientY) < 4);
  tip.style.display = 'block';
  tip.dataset.click = hovered ? String(hovered[0]) : '-1';
  tip.textContent = hovered ? `digit ${hovered[3]} · test #${hovered[0]}` : '(1.00, 2.00): what the decoder draws here';
});
console.error("a console error the diagnostics should show");
</script></body></html>"""

DIGIT_14 = [160.0, 160.0]  # 50 + 10 + 10 * 10, 40 + 20 + (200 - 10 * 10)


# No map: a visible note as the map widget shows when Plotly never loads, a console error, and a
# script chunk whose request fails (port 9 on loopback refuses connections).
NO_MAP = """<p>no map here</p><div class="le-note">Plotly did not load. <button>Retry</button></div>
<script>console.error('plotly failed')</script><script src="http://127.0.0.1:9/chunk.js"></script>"""


def data_url(html: str) -> str:
    return "data:text/html," + urllib.parse.quote(html)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1), st.floats(0, 100))
def test_percentile_is_an_observed_value_between_min_and_max(values, q):
    value = percentile(values, q)
    assert value in values
    assert min(values) <= value <= max(values)


@given(st.lists(st.integers(-1000, 1000), min_size=1), st.floats(0, 100), st.floats(0, 100))
def test_percentile_grows_with_q(values, q1, q2):
    low, high = sorted((q1, q2))
    assert percentile(values, low) <= percentile(values, high)


def test_percentile_ends_and_empty():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert (percentile(values, 0), percentile(values, 100)) == (1.0, 5.0)
    assert p50_p95(values) == (3.0, 5.0)
    assert p50_p95(range(1, 101)) == (51, 95)  # index round(0.5 * 99) = 50 and round(0.95 * 99) = 94
    assert math.isnan(percentile([], 50))


def test_load_summary_reports_counts_and_memory():
    report = new_report()
    report.update(sessions=4, seconds=15, loaded=3, clicks=8, errors=["session 2: boom"])
    report.update(latency=[0.5, 1.5], server_ms=[30.0, 40.0], open_s=[4.0, 5.0, 6.0])
    report.update(memory_before_mb=600.0, memory_first_session_mb=650.0, memory_peak_mb=700.0, memory_after_mb=690.0)
    text = summary(report)
    assert "4 sessions x 15 s: 3 loaded" in text
    assert "8 clicks, 1 errors" in text
    assert "600 MB before any session, 650 MB with the first session, peak 700 MB, 690 MB after" in text
    empty = new_report()
    empty.update(sessions=1, seconds=1, memory_before_mb=1.0, memory_after_mb=1.0)
    assert "nan" in summary(empty)  # no clicks: no made-up latency


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_tests_and_benchmarks_do_not_import_each_other():
    tests = {path.stem for path in (ROOT / "tests").glob("*.py")} | {"tests"}
    benchmarks = {path.stem for path in (ROOT / "benchmarks").glob("*.py")} | {"benchmarks"}
    crossings = []
    for path in (ROOT / "benchmarks").glob("*.py"):
        crossings += [f"benchmarks/{path.name} imports {name}" for name in _imports(path) & tests]
    for path in (ROOT / "tests").glob("*.py"):
        crossings += [f"tests/{path.name} imports {name}" for name in _imports(path) & benchmarks]
        crossings += [f"tests/{path.name} imports {name}" for name in _imports(path) if name.startswith("test_")]
    for path in (ROOT / "harness").glob("*.py"):
        crossings += [f"harness/{path.name} imports {name}" for name in _imports(path) & (tests | benchmarks)]
    assert crossings == [], "shared code belongs in harness/"


@pytest.fixture(scope="module")
def browser():
    from harness.browser import require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    from harness.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def fake_map(browser):
    """The fake map widget."""
    from harness.browser import watch

    page = browser.new_page(viewport={"width": 600, "height": 400})
    watch(page)
    page.goto(data_url(FAKE_MAP))
    yield page
    page.close()


@pytest.mark.browser
def test_isolated_digits_skip_occluded_markers_and_overlays(fake_map):
    from harness.browser import isolated_digits

    assert isolated_digits(fake_map, 10, gap=10.0) == [11, 14]  # 12 and 13 cover each other
    assert isolated_digits(fake_map, 10, gap=2.0) == [11, 12, 13, 14]
    assert isolated_digits(fake_map, 1, gap=10.0) == [11]
    fake_map.set_viewport_size({"width": 600, "height": 200})  # digit 11 (page y = 250) is below the window
    assert isolated_digits(fake_map, 10, gap=10.0) == [14]
    fake_map.evaluate("window.plot.width = 50")  # 14 (x = 100 px) off the plot
    assert isolated_digits(fake_map, 10, gap=10.0) == []


@pytest.mark.browser
def test_digit_pixels_follow_axes_offset_and_element(fake_map):
    from harness.browser import digit_pixels

    assert digit_pixels(fake_map, 14) == DIGIT_14
    assert digit_pixels(fake_map, 11) == [70.0, 250.0]
    with pytest.raises(LookupError, match="test digit 99"):
        digit_pixels(fake_map, 99)


@pytest.mark.browser
def test_hover_then_click_clicks_only_the_digit_it_hovers(fake_map):
    from harness.browser import HoverMissed, hover, hover_then_click

    hover(fake_map, DIGIT_14, 14)  # returns: the pointer hovers 14
    hover_then_click(fake_map, DIGIT_14, 14)
    assert fake_map.evaluate("window.clicks") == 1
    with pytest.raises(HoverMissed, match="hovers 14, not 11"):
        hover_then_click(fake_map, DIGIT_14, 11, timeout=0.3)
    empty = "-1"  # the plane
    with pytest.raises(HoverMissed, match=f"hovers {empty}, not 14"):
        hover_then_click(fake_map, [300.0, 100.0], 14, timeout=0.3)  # empty space
    assert fake_map.evaluate("window.clicks") == 1  # a missed hover never clicks


@pytest.mark.browser
def test_hover_on_the_plane_means_the_plane_only_through_the_tip(browser):
    from harness.browser import GRID_INDEX, HoverMissed, hover

    page = browser.new_page(viewport={"width": 600, "height": 400})
    try:
        page.goto(data_url(FAKE_MAP))
        hover(page, [300.0, 100.0], GRID_INDEX)  # empty plane: the tip offers to decode it
        with pytest.raises(HoverMissed, match="hovers 14, not -1"):
            hover(page, DIGIT_14, GRID_INDEX, timeout=0.3)  # a digit sits there: a click means the digit
    finally:
        page.close()


@pytest.mark.browser
def test_wait_for_status_returns_the_change_or_says_what_the_page_showed(fake_map):
    from harness.browser import status, wait_for_status

    fake_map.evaluate("setTimeout(() => { document.querySelector('.le-status').textContent = 'run 2'; }, 200)")
    assert wait_for_status(fake_map, "explorer", previous="run 1", timeout=5) == "run 2"
    assert status(fake_map, "explorer") == "run 2"
    assert status(fake_map, "morph") is None
    with pytest.raises(TimeoutError) as failure:
        wait_for_status(fake_map, "explorer", previous="run 2", timeout=0.3)
    message = str(failure.value)
    assert "status 'explorer' did not change from 'run 2' within 0.3 s" in message
    assert "'statuses': {'explorer': 'run 2'}" in message
    assert "a console error the diagnostics should show" in message


@pytest.mark.browser
def test_a_map_that_never_draws_times_out_with_the_page_state(browser):
    from harness.browser import goto_app

    page = browser.new_page()
    try:
        with pytest.raises(TimeoutError) as failure:
            goto_app(page, data_url(NO_MAP), timeout=0.5)
    finally:
        page.close()
    message = str(failure.value)
    assert "the map was not drawn within 0.5 s" in message
    assert "'map_element': False" in message and "'plotly_loaded': False" in message
    assert "plotly failed" in message
    assert "Plotly did not load. Retry" in message  # the map's own message, if it shows one
    assert "request failed: http://127.0.0.1:9/chunk.js" in message  # a script that never arrived


@pytest.mark.browser
def test_a_crashed_page_fails_at_once_not_after_the_timeout(browser):
    from harness.browser import AppCrashed, goto_app

    page = browser.new_page()
    try:
        started = time.perf_counter()
        with pytest.raises(AppCrashed, match="exception box") as failure:
            goto_app(page, data_url('<div data-testid="stException">This app has encountered an error.</div>'), 60)
        assert time.perf_counter() - started < 30
    finally:
        page.close()
    assert "'exceptions': 1" in str(failure.value)


def _in_thread(coroutine_function):
    """Runs an async check in its own thread and event loop (the sync fixture's loop stays apart)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine_function())
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the async check did not finish within 60 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.browser
def test_async_twins_fail_the_same_way(browser):
    from harness.browser import HoverMissed, hover_async, launch, wait_for_status_async

    async def check():
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            chromium = await launch(playwright)
            page = await chromium.new_page(viewport={"width": 600, "height": 400})
            await page.goto(data_url(FAKE_MAP))
            await hover_async(page, DIGIT_14, 14)
            missed = timeout = None
            try:
                await hover_async(page, DIGIT_14, 11, timeout=0.3)
            except HoverMissed as error:
                missed = str(error)
            try:
                await wait_for_status_async(page, "explorer", previous="run 1", timeout=0.3)
            except TimeoutError as error:
                timeout = str(error)
            await chromium.close()
            return missed, timeout

    missed, timeout = _in_thread(check)
    assert missed is not None and "hovers 14, not 11" in missed
    assert timeout is not None and "'statuses': {'explorer': 'run 1'}" in timeout


@pytest.mark.slow
@pytest.mark.browser
def test_the_real_map_without_plotly_is_diagnosed_not_awaited_forever(browser):
    """One way a map cannot draw: Streamlit's Plotly chunk failing to load. The map widget must
    give up with a note, and the harness's page state must name the failed request."""
    from harness.browser import page_state, streamlit_server, watch

    with streamlit_server() as server:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            watch(page)
            page.route("**/PlotlyChart.*.js", lambda route: route.abort())
            page.goto(server.url)
            # The widget's own note (widgets/js/main.js) comes 20 s after the map mounts; on a busy
            # machine the mount itself can take a minute.
            page.locator(".le-note").wait_for(state="visible", timeout=150_000)
            state = page_state(page)
        finally:
            page.close()
    assert "'map_element': True" in state and "'map_drawn': False" in state and "'plotly_loaded': False" in state
    assert "did not load" in state  # the note names the drawing library
    assert "request failed: " in state and "PlotlyChart" in state  # and the harness names the request
