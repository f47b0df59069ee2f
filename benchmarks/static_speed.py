"""The static site against the Streamlit page, side by side in one run, in headless Chromium.

    python benchmarks/static_speed.py               # 5 opens each, 10 completing clicks on the site
    python benchmarks/static_speed.py --runs 3 --pairs 5
    python benchmarks/static_speed.py --only inside --drawings 10 --geodesics 3   # the two below alone

For each host, fresh browser contexts (nothing cached): navigation -> the 10,000 codes on the screen (the
viewer's first paint, a canvas where Plotly's plot area will be), and -> Plotly's graph of them; the bytes
received before the first, as sent (resource timing) and gzip-compressed (what a static host that compresses
would send: HuggingFace and GitHub Pages do). The Streamlit page is opened warm (its server already running,
as a visitor finds it). On the static site also: pointerdown on a completing click -> the new strip on the
screen. The site is served by `python -m http.server` from a fresh export.

Also, side by side (issue 23's targets; `--only inside` runs these alone):
* a drawing -> its code on the map, on the static site: a stroke on the drawing canvas, then pointerdown on
  "Use as A" -> the strip and the map's overlay redrawn with A at the drawing's code (the same frame: the
  `le:shown:strip` mark). The static site preprocesses and encodes a drawing when its stroke ends
  (`le:stroke-end` -> `le:drawing-ready`, also reported), so the press only places it; the benchmark presses
  at once after the stroke, faster than a person, so any preparation still running is counted in the press.
  The first use (which fetches the encoders) is left out; every later drawing is a new picture.
* a geodesic, the same pairs of test digits on both hosts: pointerdown on the "geodesic" button -> the strip
  text says "geodesic path" (no longer the straight line shown while it is computed). The Streamlit server
  computes it in numpy (a fresh pair each run: its cache would otherwise answer); the static site in the
  browser (viewer/core/geodesic.js).
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from harness.browser import (  # noqa: E402
    INSPECT,
    MAP_READY,
    digit_pixels,
    goto_app,
    hover,
    isolated_digits,
    launch,
    static_site,
    streamlit_server,
)
from harness.stats import p50_p95  # noqa: E402
from harness.widget import ARM_TIMER, SINCE_DOWN, strip_draws, wait_for_strip  # noqa: E402

# The codes on the screen: the viewer's first paint, or Plotly's graph when Plotly was there first.
PAINTED_AT = """() => Math.min(...['le:shown:firstpaint', 'le:shown:map']
  .flatMap((name) => performance.getEntriesByName(name)).map((mark) => mark.startTime))"""
PAINTED = f"() => Number.isFinite(({PAINTED_AT})())"
MARK_AT = "(name) => performance.getEntriesByName(name)[0].startTime"
# When the codes were drawn (the frame that shows them comes after): what had arrived by then was needed.
DRAWN_AT = """() => Math.min(...['le:firstpaint', 'le:map']
  .flatMap((name) => performance.getEntriesByName(name)).map((mark) => mark.startTime))"""
# Every response before `t` (ms since navigation, the first paint's drawing): [url, bytes as sent].
RESPONSES_UNTIL = """(t) => ['navigation', 'resource'].flatMap((kind) => performance.getEntriesByType(kind))
  .filter((e) => e.responseEnd <= t).map((e) => [e.name, e.transferSize || e.encodedBodySize || 0])"""


def gzip_kb(folder: Path | None, urls: list[str], base: str) -> float | None:
    """What the files behind `urls` weigh gzip-compressed (the static site's own files only)."""
    if folder is None:
        return None
    total = 0
    for url in urls:
        path = url.removeprefix(base).split("?")[0].lstrip("/") or "index.html"
        if (folder / path).is_file():
            total += len(gzip.compress((folder / path).read_bytes(), 6))
    return total / 1024


def open_times(browser, url: str, runs: int, folder: Path | None, streamlit: bool) -> dict:
    found = {"painted_s": [], "plotly_s": [], "kb": [], "gzip_kb": []}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        if streamlit:
            goto_app(page, url)
        else:
            page.goto(url)
            page.wait_for_function(MAP_READY, timeout=60_000)
        page.wait_for_function(PAINTED, timeout=60_000)
        painted = page.evaluate(PAINTED_AT)
        page.wait_for_function("() => performance.getEntriesByName('le:shown:map').length > 0", timeout=60_000)
        plotted = page.evaluate(MARK_AT, "le:shown:map")
        drawn_at = page.evaluate(DRAWN_AT)
        responses = page.evaluate(RESPONSES_UNTIL, drawn_at)
        found["painted_s"].append(painted / 1000)
        found["plotly_s"].append(plotted / 1000)
        found["kb"].append(sum(size for _, size in responses) / 1024)
        found["gzip_kb"].append(gzip_kb(folder, [name for name, _ in responses], url.rstrip("/")) or float("nan"))
        context.close()
    return found


def click_times(browser, url: str, pairs: int) -> list[float]:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(url + "/?model=z20-beta1&map=pca")
    page.wait_for_function(MAP_READY, timeout=60_000)
    page.wait_for_timeout(1500)
    targets = isolated_digits(page, 2 * pairs, 8.0)
    times = []
    for pair in range(pairs):
        first, second = targets[2 * pair : 2 * pair + 2]
        hover(page, digit_pixels(page, first), first)
        page.mouse.click(*digit_pixels(page, first))
        xy = digit_pixels(page, second)
        hover(page, xy, second)
        # Two clicks within Plotly's doubleClickDelay (100 ms) are a double-click, which resets the axes
        # (a relayout of 10,000 points): a person takes longer than that between two dots.
        page.wait_for_timeout(300)
        before = strip_draws(page)
        page.evaluate(ARM_TIMER)
        page.mouse.click(*xy)
        wait_for_strip(page, before)
        times.append(page.evaluate(SINCE_DOWN))
    context.close()
    return times


# Time from the last `test:down` until the strip text says the geodesic has replaced the straight line.
GEODESIC_SHOWN = """() => new Promise((done) => {
  const down = performance.getEntriesByName('test:down').at(-1).startTime;
  const check = () => {
    const text = document.querySelector('.le-strip-text').textContent;
    if (text.includes('on a geodesic path')) done(performance.now() - down); else requestAnimationFrame(check);
  };
  check(); })"""


def stroke(page, step: int) -> None:
    """One stroke on the static site's drawing canvas, a little different each time (a new picture)."""
    page.get_by_role("button", name="Clear", exact=True).click()
    page.wait_for_timeout(400)  # the last drawing's analytics redrawn above the canvas (a person is slower)
    canvas = page.locator(".sh-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()  # after the click, which may have scrolled the page
    page.mouse.move(box["x"] + 90 + 3 * step, box["y"] + 40)
    page.mouse.down()
    for k in range(20):
        page.mouse.move(box["x"] + 90 + 3 * step + k * (1 + step % 3), box["y"] + 40 + 9 * k)
    page.mouse.up()


# The last stroke's end -> its drawing preprocessed and encoded by every model (static-tools.js marks), in ms.
PREPARED = (
    "() => { const at = (n) => performance.getEntriesByName(n).at(-1).startTime; "
    "return at('le:drawing-ready') - at('le:stroke-end'); }"
)


def drawing_times(browser, url: str, drawings: int) -> tuple[list[float], list[float]]:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url + "/?model=z20-beta1&map=pca&a=3&b=7")
    page.wait_for_function(MAP_READY, timeout=60_000)
    times, ready = [], []
    for step in range(drawings + 1):
        stroke(page, step)
        before = strip_draws(page)
        page.evaluate(ARM_TIMER)
        page.get_by_role("button", name="Use as A").click()
        try:
            wait_for_strip(page, before, timeout=30)
        except PlaywrightTimeout:
            said = page.locator(".sh-message").all_inner_texts()
            raise RuntimeError(f"drawing {step} never reached the map; the page said: {said!r}") from None
        elapsed = page.evaluate(SINCE_DOWN)
        assert page.evaluate(f"() => {INSPECT}.ends.a.kind") == "drawn"
        if step:  # the first use fetches every model's encoder
            times.append(elapsed)
            ready.append(page.evaluate(PREPARED))
    page.close()
    return times, ready


def geodesic_times(browser, url: str, pairs: list[tuple[int, int]], streamlit: bool) -> list[float]:
    times = []
    for a, b in pairs:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        link = f"{url}/?model=z20-beta1&map=pca&method=linear&frames=10&a={a}&b={b}"
        if streamlit:
            goto_app(page, link)
        else:
            page.goto(link)
            page.wait_for_function(MAP_READY, timeout=60_000)
        page.wait_for_timeout(1000)  # the straight path's reading settled
        page.evaluate(ARM_TIMER)
        page.locator(".le-pathbar button", has_text="geodesic").click()
        times.append(page.evaluate(GEODESIC_SHOWN) / 1000)
        page.close()
    return times


def inside(browser, site: str, server_url: str, drawings: int, geodesics: int) -> None:
    drawn, ready = drawing_times(browser, site, drawings)
    rng = random.Random(0)
    pairs = [tuple(rng.sample(range(10_000), 2)) for _ in range(geodesics)]
    on_site = geodesic_times(browser, site, pairs, streamlit=False)
    on_page = geodesic_times(browser, server_url, pairs, streamlit=True)
    p50, p95 = p50_p95(drawn)
    print(f"Static site, 'Use as A' pointerdown -> the drawing's code on the map: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"  ({len(drawn)} drawings; target <= 50 ms p50)")
    p50, p95 = p50_p95(ready)
    print(f"  stroke end -> the drawing preprocessed and encoded by every model: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"Geodesic, z20-beta1, 10 frames, test pairs {pairs}: pointerdown -> geodesic strip shown")
    print(line("streamlit", on_page, "s"))
    print(line("static", on_site, "s"))
    ratio = statistics.median(on_site) / statistics.median(on_page)
    print(f"  static / Streamlit (medians): {ratio:.2f}x (target <= 1x)")


def line(name: str, values: list[float], unit: str) -> str:
    runs = ", ".join(f"{v:.2f}" for v in values)
    return f"  {name:<12} median {statistics.median(values):8.2f} {unit}   (runs: {runs})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--drawings", type=int, default=10, help="drawings used as A (default %(default)s)")
    parser.add_argument("--geodesics", type=int, default=3, help="pairs, each on both hosts (default %(default)s)")
    parser.add_argument("--only", choices=["open", "inside"], help="run one part (default: both)")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="latent-site-") as scratch,
        sync_playwright() as playwright,
        static_site(Path(scratch) / "site") as site,
        streamlit_server() as server,
    ):
        browser = launch(playwright)
        goto_app(browser.new_page(), server.url)  # the server is warm: its models loaded, its first run done
        if args.only != "open":
            inside(browser, site, server.url, args.drawings, args.geodesics)
        if args.only == "inside":
            browser.close()
            return 0
        page_times = open_times(browser, server.url, args.runs, None, streamlit=True)
        site_times = open_times(browser, site, args.runs, Path(scratch) / "site", streamlit=False)
        clicks = click_times(browser, site, args.pairs)
        browser.close()
    ratio = statistics.median(site_times["painted_s"]) / statistics.median(page_times["painted_s"])
    print(f"Open -> map drawn, fresh browser context each time ({args.runs} runs each):")
    print("Streamlit page (warm server):")
    for key, unit in (("painted_s", "s"), ("plotly_s", "s"), ("kb", "KB")):
        print(line(key, page_times[key], unit))
    print("Static site (python -m http.server):")
    for key, unit in (("painted_s", "s"), ("plotly_s", "s"), ("kb", "KB"), ("gzip_kb", "KB")):
        print(line(key, site_times[key], unit))
    print(f"Static site / Streamlit page, open -> codes painted (medians): {ratio:.2f}x (target <= 0.3x)")
    p50, p95 = p50_p95(clicks)
    print(f"Static site, pointerdown -> new strip on screen: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(clicks)} clicks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
