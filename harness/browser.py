"""Driving the page in headless Chromium (Playwright + Debian's /usr/bin/chromium).

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        page = open_app(browser, server.url)        # the map drawn and its first run finished
        first, second = isolated_digits(page, 2)    # markers no other marker covers
        pick(page, first)                            # hover, click, wait for the rerun
        pick(page, second)
        wait_for_status(page, "morph")               # the page's hidden status markers

Plotly's WebGL markers draw no SVG nodes, so clicks take the pixel route: data ->
pixels with the axis's l2p() and the plot's offset, then page.mouse. Every click first
rests the pointer on its target until the map says that is what a click there means
(the widget's hover tip, or Plotly's hovered point on a plain Plotly graph) and fails
loudly (`HoverMissed`) otherwise: a click never lands on a digit it did not mean.

Every wait is bounded; a timeout names what it waited for and what the page looked
like (`page_state`: map drawn? Plotly loaded? which status markers? console errors?).

Sync and async: tests use Playwright's sync API, the load test its async API. The
JavaScript is written once here; helpers that are a single Playwright call
(`launch`, `status`, `isolated_digits`, `digit_pixels_js`...) work with both APIs
(await what they return under async); the few multi-step helpers have an `_async` twin.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1500, "height": 1100}
# Loading the page until the map is drawn and its first run is done, all in one: about 4 s on an
# idle 2-core machine (README's page benchmark), 48-60 s there while other jobs held the load at 14.
OPEN_TIMEOUT_S = 120.0
GRID_INDEX = -1  # what the map's tip says a click on empty plane picks (viewer/explore/map/tip.js data-click)


class HoverMissed(AssertionError):
    """The pointer rests on a target but the map means something else (or nothing) there: a click
    would mean another digit, so the test or benchmark must not carry on as if it had clicked it."""


class AppCrashed(AssertionError):
    """The page shows Streamlit's exception box: the script crashed (the server log has the traceback)."""


_CRASHED = "the page shows an exception box before its map was drawn (the server log has the traceback)"


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def require_chromium() -> None:
    """For browser test modules: skip without Chromium locally, fail in CI (.ci/run installs it)."""
    if chromium_path() is not None:
        return
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: CI must install it (apt-get install chromium)")
    import pytest

    pytest.skip("Chromium not installed (apt-get install chromium)", allow_module_level=True)


def launch(playwright):
    """Headless Debian Chromium (never Playwright's download). Async API: `await launch(playwright)`."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `streamlit run app.py`. Unpacks as (url, process, healthy_s) like the old tuple."""

    url: str
    process: subprocess.Popen
    healthy_s: float
    log_file: object = field(repr=False)

    def __iter__(self):
        return iter((self.url, self.process, self.healthy_s))

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        self.log_file.flush()
        with open(self.log_file.name, "rb") as handle:
            return handle.read().decode(errors="replace")


@contextlib.contextmanager
def streamlit_server(
    env_extra: dict | None = None, timeout: float = 60.0, app: Path = ROOT / "app.py", port: int | None = None
):
    """Starts `streamlit run app.py` on a loopback port (a free one unless `port` is given: a restart
    test reopens the same address); yields a `Server`; stops it. Streamlit options can travel in
    `env_extra` as STREAMLIT_SECTION_OPTION variables (STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL=5)."""
    port = port or free_port()
    env = {**os.environ, **(env_extra or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    started = time.perf_counter()
    # A file, not a pipe: a full pipe would stall the server. Named, so Server.log() can reread it.
    with tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log") as log:
        process = subprocess.Popen(command, cwd=Path(app).parent, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            while not _healthy(url):
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
                if time.perf_counter() - started > timeout:
                    raise TimeoutError(f"streamlit did not become healthy within {timeout:g} s")
                time.sleep(0.1)
            yield Server(url, process, time.perf_counter() - started, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def static_site(folder: Path | None = None, timeout: float = 30.0):
    """Exports the static site (export.py) into `folder` (a temporary one unless given) and serves it with
    `python -m http.server` on a free loopback port, as a plain static host would; yields the site's URL."""
    from explorer.static_site import write_site
    from vae.family import shared_family, weights_folder

    with tempfile.TemporaryDirectory(prefix="latent-site-") as scratch:
        out = Path(folder or Path(scratch) / "site")
        write_site(shared_family(weights_folder()), out)
        port = free_port()
        command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url, started = f"http://127.0.0.1:{port}", time.perf_counter()
        try:
            while not _serves(url + "/site.json"):
                if process.poll() is not None or time.perf_counter() - started > timeout:
                    raise RuntimeError(f"http.server did not serve {out} within {timeout:g} s")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def goto_static(page, url: str, timeout: float = OPEN_TIMEOUT_S) -> None:
    """Loads the static site at `url` and waits until Plotly has drawn the map and the strip is drawn."""
    watch(page)
    page.goto(url, timeout=1000 * timeout)
    try:
        page.wait_for_function(MAP_READY, timeout=1000 * timeout)
    except PlaywrightTimeout:
        raise TimeoutError(f"{_map_timeout(timeout)}; page: {page_state(page)}") from None


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def resident_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user + system, all its threads), from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # the name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14, 15


# The explorer's test interface (viewer/explore/inspect.js, docs/map.md): an `le:inspect` event on its root
# fills the event's detail with a snapshot of what the widget shows.
INSPECT = """(() => { const root = document.querySelector('.le-root'); if (!root) return null;
  const found = {}; root.dispatchEvent(new CustomEvent('le:inspect', {detail: found}));
  return Object.keys(found).length ? found : null; })()"""  # null: a page without the interface

# Pages from before the viewer's test interface (commit b9fce0d and older, which benchmarks/page_speed.py
# compares against) are read through Plotly's own fields instead: LEGACY_* below, used only when the
# interface is absent.
LEGACY_DRAWN = """(() => { const gd = document.querySelector('.le-map');
  return !!(gd && gd._fullData && gd._fullData.length >= 10 && gd._fullLayout && gd._fullLayout.xaxis); })()"""
LEGACY_DIGITS = """(() => { const gd = document.querySelector('.le-map'), L = gd._fullLayout;
  const box = gd.getBoundingClientRect();
  const found = [];
  for (const t of gd._fullData) { if (t.visible !== true || !/^[0-9]$/.test(t.name)) continue;
    for (let i = 0; i < t.x.length; i++) { const px = L.xaxis.l2p(t.x[i]), py = L.yaxis.l2p(t.y[i]);
      if (px >= 0 && py >= 0 && px <= L.xaxis._length && py <= L.yaxis._length)
        found.push([t.customdata[i], box.left + L.xaxis._offset + px, box.top + L.yaxis._offset + py,
                    Number(t.name)]); } }
  return found; })()"""
DIGITS = f"""(({INSPECT}) ? ({INSPECT}).digits() : {LEGACY_DIGITS})"""

MAP_READY = f"""() => Number((document.querySelector('.le-root') || {{dataset: {{}}}}).dataset.mapDraws || 0) > 0
  || (!document.querySelector('.le-root[data-map-draws], .le-root[data-strip]') && {LEGACY_DRAWN})"""

# While opening: truthy once the map is drawn ("drawn") or the page shows an exception box
# ("exception": the script crashed, so the map will never come and waiting on is pointless).
OPENED = f"""() => ({MAP_READY})() ? "drawn"
  : document.querySelector('[data-testid="stException"]') ? "exception" : false"""

STATUS = """(name) => { const el = document.querySelector(`.le-status[data-name="${name}"]`);
  return el ? el.textContent : null; }"""

# Truthy (the new text) once status `name` exists and differs from `previous`.
STATUS_CHANGED = f"""([name, previous]) => {{ const value = ({STATUS})(name);
  return value !== null && value !== previous ? value : false; }}"""

# Viewport pixels of test digit `index` on the map (null where it is hidden or off the plot).
POINT_PIXELS = f"""(index) => {{ const hit = {DIGITS}.find((d) => d[0] === index);
  return hit ? [hit[1], hit[2]] : null; }}"""

# Viewport pixels of data point (x, y) of the shown map.
DATA_PIXELS = f"""([x, y]) => {{ const p = ({INSPECT}).plot;
  return [p.left + p.width * (x - p.x[0]) / (p.x[1] - p.x[0]),
          p.top + p.height * (p.y[1] - y) / (p.y[1] - p.y[0])]; }}"""

# Test indices of `count` digit markers with no other digit marker within `gap` pixels, inside
# the plot and the window (the pointer cannot rest outside it), spread evenly over the sorted
# list of all such markers (deterministic for a given map and window).
ISOLATED = f"""([count, gap]) => {{
  const points = {DIGITS}.map((d) => [d[1], d[2], d[0]]);
  const seen = (p) => p[0] >= 0 && p[1] >= 0 && p[0] < innerWidth && p[1] < innerHeight;
  const cells = new Map(), key = (x, y) => `${{Math.floor(x / gap)}},${{Math.floor(y / gap)}}`;
  for (const p of points) {{ const k = key(p[0], p[1]); if (!cells.has(k)) cells.set(k, []); cells.get(k).push(p); }}
  const found = [];
  for (const p of points) {{
    let alone = true; const cx = Math.floor(p[0] / gap), cy = Math.floor(p[1] / gap);
    for (let dx = -1; dx <= 1 && alone; dx++) for (let dy = -1; dy <= 1 && alone; dy++)
      for (const q of cells.get(`${{cx + dx}},${{cy + dy}}`) || [])
        if (q !== p && (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < gap * gap) {{ alone = false; break; }}
    if (alone && seen(p)) found.push(p[2]);
  }}
  found.sort((a, b) => a - b);
  return found.filter((_, i) => i % Math.max(1, Math.floor(found.length / count)) === 0).slice(0, count); }}"""

# What a click at the pointer would mean now: the test index, GRID_INDEX for the empty z = 2
# plane, or null. The map widget shows it in its tip (viewer/explore/map/tip.js: "digit 7 · test #123",
# or "(x, y): what the decoder draws here"), found with the same nearest-digit rule its clicks use.
HOVERED = """() => { const tip = document.querySelector('.le-root .le-tip');
  if (!tip || tip.style.display !== 'block') return null;
  if (tip.dataset.click) return Number(tip.dataset.click);  // what a click there picks (the widget says)
  const digit = /test #(\\d+)/.exec(tip.textContent);
  if (digit) return Number(digit[1]);
  return tip.textContent.includes('what the decoder draws') ? -1 : null; }"""

HOVERING = f"""(index) => ({HOVERED})() === index"""

# Enough to tell why a wait failed: is the map there, is Plotly loaded, what do the markers say.
PAGE_STATE = f"""() => {{
  const gd = document.querySelector('.le-map'), statuses = {{}};
  for (const el of document.querySelectorAll('.le-status')) statuses[el.dataset.name] = el.textContent;
  return {{
    map_element: !!gd, map_drawn: ({MAP_READY})(), plotly_loaded: !!window.Plotly,
    plotly_loader: !!document.querySelector('.st-key-le-plotly-loader'),
    plotly_loader_chart: !!document.querySelector('.st-key-le-plotly-loader .js-plotly-plot'),
    map_draws: gd ? (document.querySelector('.le-root') || {{dataset: {{}}}}).dataset.mapDraws || null : null,
    map_note: [...document.querySelectorAll('.le-note')].filter(n => n.offsetParent !== null)
      .map(n => n.textContent.slice(0, 160)),
    plotly_loader_text: ((document.querySelector('.st-key-le-plotly-loader') || {{}}).textContent || '').slice(0, 160),
    statuses, exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    errors: [...document.querySelectorAll('[data-testid="stAlertContentError"]')].map(e => e.textContent.slice(0, 120)),
    status_widget: (document.querySelector('[data-testid="stStatusWidget"]') || {{}}).textContent || null,
    connection: (document.querySelector('[data-testid="stConnectionStatus"]') || {{}}).textContent || null,
  }}; }}"""


_JOURNALS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def watch(page) -> deque:
    """Keeps the page's last 50 console messages, page errors and failed requests (a script chunk
    that never arrived, say), for both APIs; `page_state` shows them."""
    if page not in _JOURNALS:
        journal = _JOURNALS[page] = deque(maxlen=50)
        page.on("console", lambda message: journal.append(f"console.{message.type}: {message.text[:300]}"))
        page.on("pageerror", lambda error: journal.append(f"page error: {str(error)[:300]}"))
        page.on("requestfailed", lambda request: journal.append(f"request failed: {_failed(request)}"))
    return _JOURNALS[page]


def _failed(request) -> str:
    failure = request.failure  # a property in the sync API, and in the async API too
    return f"{request.url[:200]} ({failure})"


def _describe(state, page) -> str:
    journal = [line for line in _JOURNALS.get(page, ()) if not line.startswith("console.log")]
    return f"{state}; console: {journal[-8:]}"


def page_state(page) -> str:
    """The page's state in one line, for a failure message (sync API)."""
    try:
        state = page.evaluate(PAGE_STATE)
    except PlaywrightError as error:  # a crashed or closed page says so instead of hiding the first error
        state = f"<page unreadable: {error}>"
    return _describe(state, page)


async def page_state_async(page) -> str:
    try:
        state = await page.evaluate(PAGE_STATE)
    except PlaywrightError as error:
        state = f"<page unreadable: {error}>"
    return _describe(state, page)


def status(page, name: str):
    """Text of the page's hidden status marker `name` ("explorer", "morph", "drawn"...), or None."""
    return page.evaluate(STATUS, name)


def isolated_digits(page, count: int, gap: float = 10.0):
    """Test indices of `count` markers with no other marker within `gap` pixels: a click on one
    of them can only mean that digit (in a 10,000-point cloud many markers overlap)."""
    return page.evaluate(ISOLATED, [count, gap])


def digit_pixels_js(page, index: int):
    """Page pixels of test digit `index`'s marker, or None if it is not on the map."""
    return page.evaluate(POINT_PIXELS, index)


def _status_timeout(name, previous, timeout) -> str:
    return f"status {name!r} did not change from {previous!r} within {timeout:g} s"


def wait_for_status(page, name: str, previous: str | None = None, timeout: float = 30.0) -> str:
    """Waits until status `name` exists and differs from `previous`; returns its text."""
    try:
        handle = page.wait_for_function(STATUS_CHANGED, arg=[name, previous], timeout=1000 * timeout, polling=10)
        return handle.json_value()
    except PlaywrightTimeout:
        raise TimeoutError(f"{_status_timeout(name, previous, timeout)}; page: {page_state(page)}") from None


async def wait_for_status_async(page, name: str, previous: str | None = None, timeout: float = 30.0) -> str:
    try:
        handle = await page.wait_for_function(STATUS_CHANGED, arg=[name, previous], timeout=1000 * timeout, polling=10)
        return await handle.json_value()
    except PlaywrightTimeout:
        state = await page_state_async(page)
        raise TimeoutError(f"{_status_timeout(name, previous, timeout)}; page: {state}") from None


def _map_timeout(timeout) -> str:
    return f"the map was not drawn within {timeout:g} s"


def open_app(browser, url: str, timeout: float = OPEN_TIMEOUT_S, viewport: dict | None = None):
    """A new page at `url`, returned once the map is drawn and the map's first run has finished."""
    page = browser.new_page(viewport=viewport or VIEWPORT)
    goto_app(page, url, timeout)
    return page


def _left(deadline: float) -> float:
    """Seconds left before `deadline` (perf_counter), at least a tenth of a second."""
    return max(0.1, deadline - time.perf_counter())


def goto_app(page, url: str, timeout: float = OPEN_TIMEOUT_S) -> None:
    """Loads `url` in `page` and waits, `timeout` s in all, for the map to be drawn and the first run to finish."""
    watch(page)
    deadline = time.perf_counter() + timeout
    try:
        page.goto(url, timeout=1000 * timeout)
        opened = page.wait_for_function(OPENED, timeout=1000 * _left(deadline)).json_value()
    except PlaywrightTimeout:
        raise TimeoutError(f"{_map_timeout(timeout)}; page: {page_state(page)}") from None
    if opened == "exception":
        raise AppCrashed(f"{_CRASHED}; page: {page_state(page)}")
    wait_for_status(page, "explorer", timeout=_left(deadline))


async def goto_app_async(page, url: str, timeout: float = OPEN_TIMEOUT_S) -> None:
    watch(page)
    deadline = time.perf_counter() + timeout
    try:
        await page.goto(url, timeout=1000 * timeout)
        opened = await (await page.wait_for_function(OPENED, timeout=1000 * _left(deadline))).json_value()
    except PlaywrightTimeout:
        raise TimeoutError(f"{_map_timeout(timeout)}; page: {await page_state_async(page)}") from None
    if opened == "exception":
        raise AppCrashed(f"{_CRASHED}; page: {await page_state_async(page)}")
    await wait_for_status_async(page, "explorer", timeout=_left(deadline))


def _missed(xy, index, hovered) -> HoverMissed:
    return HoverMissed(f"the pointer at ({xy[0]:.0f}, {xy[1]:.0f}) hovers {hovered!r}, not {index!r}")


def hover(page, xy, index: int, timeout: float = 5.0) -> None:
    """Rests the pointer on `xy` until the map shows that a click there means `index` (a test
    digit, or GRID_INDEX for the empty plane; see HOVERED). Raises HoverMissed if that never
    happens: a covered marker, a map still redrawing, or pixels computed from stale axes."""
    page.mouse.move(*xy)
    try:
        page.wait_for_function(HOVERING, arg=index, timeout=1000 * timeout, polling=10)
    except PlaywrightTimeout:
        raise _missed(xy, index, page.evaluate(HOVERED)) from None


async def hover_async(page, xy, index: int, timeout: float = 5.0) -> None:
    await page.mouse.move(*xy)
    try:
        await page.wait_for_function(HOVERING, arg=index, timeout=1000 * timeout, polling=10)
    except PlaywrightTimeout:
        raise _missed(xy, index, await page.evaluate(HOVERED)) from None


def digit_pixels(page, index: int) -> list[float]:
    xy = digit_pixels_js(page, index)
    if xy is None:
        raise LookupError(f"test digit {index} is not on the map")
    return xy


def hover_then_click(page, xy, index: int, timeout: float = 5.0) -> None:
    """Rests the pointer on `xy` until a click there means `index` (else HoverMissed), then clicks there."""
    hover(page, xy, index, timeout)
    page.mouse.click(*xy)


def click_test_digit(page, index: int) -> None:
    """Hovers, then clicks the marker of test digit `index` on the map."""
    hover_then_click(page, digit_pixels(page, index), index)


def click_plane(page, x: float, y: float) -> None:
    """Hovers, then clicks the z = 2 plane's click grid at data point (x, y) (a grid point)."""
    hover_then_click(page, page.evaluate(DATA_PIXELS, [x, y]), GRID_INDEX)


def settled(page, action, timeout: float = 30.0) -> str:
    """Does `action()` (a click, a key press) and waits for the map fragment's run to finish.

    A click that lands while the previous rerun is still running can be dropped by
    Streamlit, so tests and benchmarks wait for the run counter each time.
    """
    previous = status(page, "explorer")
    action()
    return wait_for_status(page, "explorer", previous=previous, timeout=timeout)


def pick(page, index: int, timeout: float = 30.0) -> str:
    """Clicks test digit `index` on the map and waits for the page to settle; returns the run status."""
    return settled(page, lambda: click_test_digit(page, index), timeout=timeout)


def draw_stroke(page, points: list[tuple[float, float]]) -> None:
    """Draws one stroke through canvas-relative points on the drawing canvas."""
    canvas = page.locator("canvas.upper-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=15)
    page.mouse.up()


VIEWER_ORIGIN = "http://viewer.test"  # a made-up origin: every request to it is answered from viewer/


def viewer_page(browser, modules: list[str]):
    """A blank page with the viewer's ES `modules` (paths under viewer/) imported and their exports set on
    `window`, for tests that call the browser's functions directly. Served by Playwright, not a server."""
    viewer = ROOT / "viewer"

    def serve(route):
        path = route.request.url.removeprefix(VIEWER_ORIGIN).lstrip("/").split("?")[0]
        file = (viewer / path).resolve()
        if not path:
            route.fulfill(body="<!doctype html><html><body></body></html>", content_type="text/html")
        elif file.is_file() and file.is_relative_to(viewer):
            route.fulfill(body=file.read_bytes(), content_type="text/javascript")
        else:
            route.fulfill(status=404, body="")

    page = browser.new_page()
    page.route(f"{VIEWER_ORIGIN}/**", serve)
    page.goto(VIEWER_ORIGIN + "/")
    page.evaluate(
        "async (paths) => { for (const path of paths) Object.assign(window, await import('/' + path)); }", modules
    )
    return page


def exception_boxes(page):
    """How many Streamlit exception boxes the page shows (there must never be one)."""
    return page.locator('[data-testid="stException"]').count()
