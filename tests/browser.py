"""Driving the page in headless Chromium (Playwright + Debian's /usr/bin/chromium).

Shared by the end-to-end tests and benchmarks/click_latency.py. Plotly's WebGL
markers draw no SVG nodes, so clicks go through the pixel route: data -> pixels
with the axis's l2p() and the plot's offset, then page.mouse.click.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env_extra: dict | None = None, timeout: float = 60.0):
    """Starts `streamlit run app.py` on a free port; yields (url, process, seconds until healthy); stops it."""
    port = free_port()
    env = {**os.environ, **(env_extra or {})}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1"]
    started = time.perf_counter()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() - started > timeout:
                raise TimeoutError("streamlit did not become healthy")
            time.sleep(0.1)
        yield url, process, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def resident_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError("no VmRSS")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def open_app(browser, url: str, width: int = 1500, height: int = 1100):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_function(MAP_READY, timeout=60_000)
    return page


MAP_READY = """() => { const gd = document.querySelector('.le-map');
  return gd && gd._fullData && gd._fullData.length >= 10 && gd._fullLayout && gd._fullLayout.xaxis; }"""

POINT_PIXELS = """([index, traceName]) => {
  const gd = document.querySelector('.le-map');
  for (const trace of gd._fullData) {
    if (traceName !== null && trace.name !== traceName) continue;
    const data = trace.customdata; if (!data) continue;
    for (let i = 0; i < data.length; i++) {
      const value = Array.isArray(data[i]) ? data[i][0] : data[i];
      if (value === index) {
        const box = gd.getBoundingClientRect(), L = gd._fullLayout;
        return [box.left + L.xaxis._offset + L.xaxis.l2p(trace.x[i]),
                box.top + L.yaxis._offset + L.yaxis.l2p(trace.y[i])];
      }
    }
  }
  return null; }"""

DATA_PIXELS = """([x, y]) => { const gd = document.querySelector('.le-map');
  const box = gd.getBoundingClientRect(), L = gd._fullLayout;
  return [box.left + L.xaxis._offset + L.xaxis.l2p(x), box.top + L.yaxis._offset + L.yaxis.l2p(y)]; }"""


ISOLATED = """([count, gap]) => {
  const gd = document.querySelector('.le-map'), L = gd._fullLayout, points = [];
  for (const t of gd._fullData) { if (!/^[0-9]$/.test(t.name)) continue;
    for (let i = 0; i < t.x.length; i++) points.push([L.xaxis.l2p(t.x[i]), L.yaxis.l2p(t.y[i]), t.customdata[i]]); }
  const cells = new Map(), key = (x, y) => `${Math.floor(x / gap)},${Math.floor(y / gap)}`;
  for (const p of points) { const k = key(p[0], p[1]); if (!cells.has(k)) cells.set(k, []); cells.get(k).push(p); }
  const found = [];
  for (const p of points) {
    let alone = true; const cx = Math.floor(p[0] / gap), cy = Math.floor(p[1] / gap);
    for (let dx = -1; dx <= 1 && alone; dx++) for (let dy = -1; dy <= 1 && alone; dy++)
      for (const q of cells.get(`${cx + dx},${cy + dy}`) || [])
        if (q !== p && (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < gap * gap) { alone = false; break; }
    if (alone) found.push(p[2]);
  }
  found.sort((a, b) => a - b);
  return found.filter((_, i) => i % Math.max(1, Math.floor(found.length / count)) === 0).slice(0, count); }"""


def isolated_digits(page, count: int, gap: float = 10.0) -> list[int]:
    """Test indices of `count` markers with no other marker within `gap` pixels: a click on one
    of them can only mean that digit (in a 10,000-point cloud many markers overlap)."""
    return page.evaluate(ISOLATED, [count, gap])


HOVERING = """(index) => { const h = document.querySelector('.le-map')._hoverdata;
  return !!(h && h.length && (index === null || h[0].customdata === index)); }"""


def hover(page, xy, index: int | None) -> None:
    """Plotly reports the point under its last hover, so the pointer must rest on the target
    before a click (a real hand always does; an instant jump-and-click reports the previous point)."""
    page.mouse.move(*xy)
    try:
        page.wait_for_function(HOVERING, arg=index, timeout=1500, polling=10)
    except Exception:  # another marker covers this one: click what is on top, as a user would
        pass


def hover_then_click(page, xy, index: int | None) -> None:
    hover(page, xy, index)
    page.mouse.click(*xy)


def digit_pixels(page, index: int) -> list[float]:
    xy = page.evaluate(POINT_PIXELS, [index, None])
    if xy is None:
        raise LookupError(f"test digit {index} is not on the map")
    return xy


def click_test_digit(page, index: int) -> None:
    """Clicks the marker of test digit `index` on the map."""
    hover_then_click(page, digit_pixels(page, index), index)


def click_plane(page, x: float, y: float) -> None:
    hover_then_click(page, page.evaluate(DATA_PIXELS, [x, y]), None)


def status(page, name: str) -> str | None:
    """Text of the page's hidden status marker `name` ("morph", "compare", "drawn"), or None."""
    return page.evaluate(
        """(name) => { const el = document.querySelector(`.le-status[data-name="${name}"]`);
             return el ? el.textContent : null; }""",
        name,
    )


def wait_for_status(page, name: str, previous: str | None = None, timeout: float = 30.0) -> str:
    """Waits until status `name` exists and differs from `previous`; returns it."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = status(page, name)
        if value is not None and value != previous:
            return value
        page.wait_for_timeout(10)
    raise TimeoutError(f"status {name!r} did not change within {timeout} s (last: {previous!r})")


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


def settled(page, action) -> str:
    """Does `action()` (a click, a key press) and waits for the map fragment's run to finish.

    A click that lands while the previous rerun is still running can be dropped by
    Streamlit, so tests (and careful benchmarks) wait for the run counter each time.
    """
    previous = status(page, "explorer")
    action()
    return wait_for_status(page, "explorer", previous=previous)


def pick(page, index: int) -> str:
    """Clicks test digit `index` on the map and waits for the page to settle."""
    return settled(page, lambda: click_test_digit(page, index))
