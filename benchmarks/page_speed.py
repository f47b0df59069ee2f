"""The page's speed in headless Chromium, side by side with the floor and with the starting commit.

    python benchmarks/page_speed.py                          # this tree, the floor and commit 6578e6d
    python benchmarks/page_speed.py --apps current --runs 1  # a quick look at this tree only
    python benchmarks/page_speed.py --profile                # where a completing click's server time goes

Apps: "current" (this tree), "floor" (benchmarks/floor_app.py: a bare st.plotly_chart of the same
10,000 points, the simplest thing a user would build instead), and any commit (a git worktree of it
under the system's temp folder, served with this virtualenv). For each, in one run:

  start     `streamlit run` spawned -> map drawn in a fresh browser page (--runs times, a fresh
            server each time), and the bytes received over the websocket and over HTTP before then;
  warm      a fresh browser context on the running server: navigation -> map drawn, and -> the Plotly
            graph ready (in the page), and the HTTP bytes until the map was drawn (resource timing);
  click     --pairs pairs of digits: pointerdown on the completing click -> the new strip shown
            (in the page, to the end of the frame that shows it: our canvas strip redrawn; the
            commit's strip image replaced and loaded), the server's run time for every click (the
            page's "explorer" status) and the server's CPU seconds per completing click;
  beta      a change of beta -> the strip under the new model shown (a click on ours; the commit's
            sidebar slider, from the key press);
  drag, scrub   (this tree) strip redraws per second while B is dragged, and preview redraws per second
            while the scrub slider moves: synthetic pointer and input events, one per animation frame, 2 s;
  first visit   the server's full run when a model is shown for the first time, per beta;
  memory    the server's resident memory after start and after the clicks.
"Map drawn": the 10,000 points on the screen: a Plotly graph of them laid out, or (this tree) the
widget's first paint of them on a canvas, laid where Plotly's plot area will be, while Streamlit's
Plotly bundle is still being fetched and evaluated; "Plotly graph ready" is the graph itself.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from harness.browser import (  # noqa: E402
    INSPECT,
    digit_pixels,
    hover,
    isolated_digits,
    launch,
    resident_mb,
    status,
    streamlit_server,
    wait_for_status,
)
from harness.stats import percentile  # noqa: E402
from harness.widget import ARM_TIMER, SINCE_DOWN, strip_draws  # noqa: E402

START_COMMIT = "6578e6d"
# The 10,000 points on the screen: a Plotly graph of them laid out, or this widget's own first paint of
# them (a canvas where Plotly's plot area will be, while Streamlit's Plotly bundle is still on its way).
PLOTLY_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .some((g) => g._fullData && g._fullData.length >= 10 && g._fullLayout && g._fullLayout.xaxis)"""
# This tree's widget marks its first paint (its test interface, docs/map.md); commits before the viewer's
# ES modules (b9fce0d and older) logged it in a window global, read here for them only.
DRAWN = f"""() => ({PLOTLY_DRAWN})() || performance.getEntriesByName('le:firstpaint').length > 0
  || !!(window.__leMorphMap && window.__leMorphMap.log.some((e) => e.what === 'firstpaint'))"""
# Resolves, at the end of a frame, with the time since navigation once the map is drawn.
DRAWN_AT = f"""() => new Promise((done) => {{ const check = () => ({DRAWN})()
  ? requestAnimationFrame(() => done(performance.now())) : requestAnimationFrame(check); check(); }})"""
PLOTLY_AT = f"""() => new Promise((done) => {{ const check = () => ({PLOTLY_DRAWN})()
  ? requestAnimationFrame(() => done(performance.now())) : requestAnimationFrame(check); check(); }})"""
# The commit's strip: its "morph" status changed and every image on the page has loaded.
OLD_STRIP = """(previous) => new Promise((done) => { const check = () => {
  const s = document.querySelector('.le-status[data-name="morph"]');
  const fresh = s && s.textContent !== previous && [...document.images].every((i) => i.complete);
  fresh ? requestAnimationFrame(() => done(performance.now() - window.__leDown)) : requestAnimationFrame(check); };
  check(); })"""
ARM_KEY_TIMER = (
    "() => addEventListener('keydown', () => (window.__leDown = performance.now()), {capture: true, once: true})"
)
STRIP_AFTER = "(b) => Number(document.querySelector('.le-root').dataset.stripDraws) > b"
# B dragged along a circle, one pointer move per animation frame for `ms`; strip redraws per second.
DRAG_RATE = f"""(ms) => new Promise((done) => {{
  const root = document.querySelector('.le-root'), g = root.querySelector('.le-map'), s = {{root}};
  const [x0, y0] = {INSPECT}.markers.b;
  const event = (type, x, y, target) => target.dispatchEvent(new PointerEvent(type, {{clientX: x, clientY: y,
    bubbles: true, cancelable: true, pointerType: 'mouse', button: 0, buttons: 1, isPrimary: true}}));
  event('pointerdown', x0, y0, g);
  const first = Number(s.root.dataset.stripDraws), started = performance.now();
  const step = () => {{ const t = performance.now() - started, a = t / 300;
    event('pointermove', x0 + 40 * Math.sin(a), y0 + 40 * (1 - Math.cos(a)), window);
    if (t < ms) requestAnimationFrame(step);
    else {{ event('pointerup', x0, y0, window);
      done((Number(s.root.dataset.stripDraws) - first) / (t / 1000)); }} }};
  requestAnimationFrame(step); }})"""
# The scrub slider moved once per animation frame for `ms`; preview redraws per second.
SCRUB_RATE = """(ms) => new Promise((done) => {
  const slider = document.querySelector('.le-root .le-scrub');
  const count = () => performance.getEntriesByName('le:scrub').length;
  const first = count(), started = performance.now();
  const step = () => { const t = performance.now() - started;
    slider.value = String(Math.round(500 + 450 * Math.sin(t / 200)));
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    if (t < ms) requestAnimationFrame(step);
    else { slider.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
           done((count() - first) / (t / 1000)); } };
  requestAnimationFrame(step); })"""


def cpu_seconds(pid: int) -> float:
    """CPU seconds a process has used (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def app_file(name: str):
    """The script `streamlit run` starts for app `name` ("current", "floor" or a commit)."""
    if name == "current":
        yield ROOT / "app.py"
    elif name == "floor":
        yield ROOT / "benchmarks" / "floor_app.py"
    else:
        with tempfile.TemporaryDirectory(prefix=f"le-{name}-") as folder:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", folder, name], check=True, capture_output=True
            )
            try:
                yield Path(folder) / "app.py"
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", folder], capture_output=True)


def received_bytes(page, log: list) -> None:
    """Appends (time, bytes) for every websocket frame and HTTP response the page receives."""
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: log.append(("ws", time.perf_counter(), len(payload)))),
    )

    def finished(request):
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:  # a request without a body
            size = 0
        log.append(("http", time.perf_counter(), size))

    page.on("requestfinished", finished)


def measure_start(browser, app: Path) -> dict:
    log: list = []
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    received_bytes(page, log)
    spawned = time.perf_counter()
    with streamlit_server(app=app) as server:
        page.goto(server.url)
        page.evaluate(DRAWN_AT)
        drawn = time.perf_counter()
        result = {
            "start_s": drawn - spawned,
            "healthy_s": server.healthy_s,
            "ws_kb": sum(size for kind, at, size in log if kind == "ws" and at <= drawn) / 1024,
            "http_kb": sum(size for kind, at, size in log if kind == "http" and at <= drawn) / 1024,
        }
    page.close()
    return result


# Bytes the page received over HTTP until `t` (ms since navigation), from the browser's resource timing.
HTTP_BYTES_UNTIL = """(t) => ['navigation', 'resource'].flatMap((kind) => performance.getEntriesByType(kind))
  .filter((e) => e.responseEnd <= t).reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""


def measure_warm(browser, url: str, runs: int) -> dict:
    """Fresh browser contexts on a running server: navigation -> the points on the screen, and -> the
    Plotly graph laid out (the same moment for a bare Plotly page), in seconds; HTTP KB until the first."""
    found = {"warm_s": [], "warm_plotly_s": [], "warm_http_kb": []}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.goto(url)
        drawn = page.evaluate(DRAWN_AT)
        found["warm_s"].append(drawn / 1000)
        found["warm_http_kb"].append(page.evaluate(HTTP_BYTES_UNTIL, drawn) / 1024)
        found["warm_plotly_s"].append(page.evaluate(PLOTLY_AT) / 1000)
        context.close()
    return found


def explorer_ms(text: str) -> float:
    return float(re.search(r"in ([\d.]+) ms", text).group(1))


def measure_clicks(browser, server, pairs: int, ours: bool) -> dict:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(server.url + "/?model=z20-beta1&map=pca")
    page.evaluate(DRAWN_AT)
    wait_for_status(page, "explorer")
    page.wait_for_timeout(1500)
    targets = isolated_digits(page, 2 * pairs, 8.0)
    strip_ms, server_ms, cpu = [], [], []
    for pair in range(pairs):
        for second, index in enumerate(targets[2 * pair : 2 * pair + 2]):
            xy = digit_pixels(page, index)
            hover(page, xy, index)
            before_run, before_morph = status(page, "explorer"), status(page, "morph")
            draws = strip_draws(page) if ours else 0
            page.evaluate(ARM_TIMER)
            used = cpu_seconds(server.process.pid)
            page.mouse.click(*xy)
            if second:
                if ours:
                    page.wait_for_function(STRIP_AFTER, arg=draws, polling="raf")
                    strip_ms.append(page.evaluate(SINCE_DOWN))
                else:
                    strip_ms.append(page.evaluate(OLD_STRIP, before_morph))
            run = wait_for_status(page, "explorer", previous=before_run, timeout=60)
            if second:
                wait_for_status(page, "morph", previous=before_morph, timeout=60)
                cpu.append(1000 * (cpu_seconds(server.process.pid) - used))
            server_ms.append(explorer_ms(run))
    result = {"strip_ms": strip_ms, "server_ms": server_ms, "cpu_ms": cpu}
    result["beta_ms"], result["first_visit_ms"] = measure_beta(page, ours)
    if ours:
        page.goto(server.url + "/?model=z20-beta1&map=pca")
        page.evaluate(DRAWN_AT)
        wait_for_status(page, "explorer")
        page.wait_for_timeout(1000)
        result["drag_per_s"] = page.evaluate(DRAG_RATE, 2000)
        page.wait_for_timeout(1000)
        result["scrub_per_s"] = page.evaluate(SCRUB_RATE, 2000)
    page.close()
    return result


BETA_WALK = (
    ("2", "ArrowRight"),
    ("4", "ArrowRight"),
    ("8", "ArrowRight"),
    ("4", "ArrowLeft"),
    ("2", "ArrowLeft"),
    ("1", "ArrowLeft"),
    ("0.5", "ArrowLeft"),
    ("0", "ArrowLeft"),
)  # from beta = 1, one step at a time


def measure_beta(page, ours: bool) -> tuple[list[float], list[float]]:
    """Beta walked one step at a time: input -> the strip under that model shown; and the page's full
    server run the first time each model is shown by this server."""
    times, first_visits, seen = [], [], {"1"}
    for beta, key in BETA_WALK:
        before_morph, before_page = status(page, "morph"), status(page, "page")
        if ours:
            box = page.get_by_role("button", name=f"β = {beta}", exact=True).bounding_box()
            page.mouse.move(box["x"] + 4, box["y"] + 4)
            draws = strip_draws(page)
            page.evaluate(ARM_TIMER)
            page.mouse.click(box["x"] + 4, box["y"] + 4)
            page.wait_for_function(STRIP_AFTER, arg=draws, polling="raf")
            times.append(page.evaluate(SINCE_DOWN))
        else:
            page.locator('[data-testid="stSlider"]').filter(has_text="β").get_by_role("slider").focus()
            page.evaluate(ARM_KEY_TIMER)
            page.keyboard.press(key)
            times.append(page.evaluate(OLD_STRIP, before_morph))
        run = wait_for_status(page, "page", previous=before_page, timeout=60)
        wait_for_status(page, "morph", previous=before_morph, timeout=60)
        if beta not in seen:
            seen.add(beta)
            first_visits.append(float(re.search(r"in ([\d.]+) ms", run).group(1)))
    return times, first_visits


def measure(name: str, runs: int, pairs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with app_file(name) as app, sync_playwright() as playwright:
        browser = launch(playwright)
        starts = [measure_start(browser, app) for _ in range(runs)]
        result = {key: [start[key] for start in starts] for key in ("start_s", "ws_kb", "http_kb")}
        with streamlit_server(app=app) as server:
            result.update(measure_warm(browser, server.url, runs))
            result["memory_start_mb"] = resident_mb(server.process.pid)
            if name != "floor":
                result.update(measure_clicks(browser, server, pairs, ours=name == "current"))
                result["memory_after_mb"] = resident_mb(server.process.pid)
        browser.close()
    return result


ROWS = (  # label, measured values, summary, unit, shown as a ratio to the floor too
    ("`streamlit run` -> map drawn", "start_s", "p50", "s", True),
    ("warm server, fresh browser -> map drawn", "warm_s", "p50", "s", True),
    ("warm server, fresh browser -> Plotly graph ready", "warm_plotly_s", "p50", "s", True),
    ("HTTP KB before the map is drawn (warm, resource timing)", "warm_http_kb", "p50", "KB", False),
    ("websocket KB before the map is drawn", "ws_kb", "p50", "KB", False),
    ("HTTP KB before the map is drawn", "http_kb", "p50", "KB", False),
    ("pointerdown -> new strip shown", "strip_ms", "p50", "ms", False),
    ("pointerdown -> new strip shown", "strip_ms", "p95", "ms", False),
    ("beta change -> strip shown", "beta_ms", "p50", "ms", False),
    ("server run per click", "server_ms", "p50", "ms", False),
    ("server run per click", "server_ms", "p95", "ms", False),
    ("server CPU per completing click", "cpu_ms", "p50", "ms", False),
    ("page's full run, a model's first visit", "first_visit_ms", "max", "ms", False),
    ("drag: strip redraws per second", "drag_per_s", "value", "/s", False),
    ("scrub: preview redraws per second", "scrub_per_s", "value", "/s", False),
    ("server memory after start", "memory_start_mb", "value", "MB", False),
    ("server memory after the clicks", "memory_after_mb", "value", "MB", False),
)
SUMMARIES = {
    "p50": statistics.median,
    "p95": lambda values: percentile(values, 95),
    "max": max,
    "value": lambda value: value,
}


def summary(result: dict, key: str, how: str) -> float | None:
    value = result.get(key)
    return None if value is None or value == [] else SUMMARIES[how](value)


def report(results: dict) -> None:
    names = list(results)
    print("| measured | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, key, how, unit, ratio in ROWS:
        cells = []
        for name in names:
            value = summary(results[name], key, how)
            cell = "-" if value is None else f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}"
            floor = summary(results.get("floor", {}), key, how)
            if ratio and value is not None and floor and name != "floor":
                cell += f" ({value / floor:.2f}x)"
            cells.append(cell)
        print(f"| {label}{'' if how == 'value' else ', ' + how} | " + " | ".join(cells) + " |")


def profile_completing_clicks(pairs: int, rows: int = 25) -> None:
    """The script runs of the clicks that complete a pair, in AppTest: first timed bare (the script
    thread's CPU time and wall time), then `pairs` more under cProfile."""
    import cProfile
    import pstats

    import numpy as np
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    from harness.apptest import open_page, send

    profiler = cProfile.Profile(time.thread_time)
    mode, cpu_ms = {"profile": False, "time": False}, []
    original = LocalScriptRunner._run_script_thread

    def measured(self) -> None:  # AppTest runs the script on its own thread: measure there
        started = time.thread_time()
        if mode["profile"]:
            profiler.enable()
        try:
            return original(self)
        finally:
            if mode["profile"]:
                profiler.disable()
            elif mode["time"]:
                cpu_ms.append(1000 * (time.thread_time() - started))

    LocalScriptRunner._run_script_thread = measured
    at = open_page(timeout=120)
    digits = np.random.default_rng(0).choice(10_000, size=4 * pairs, replace=False)
    wall_ms = []
    for serial, index in enumerate(digits):
        completing = serial % 2 == 1
        mode["time"], mode["profile"] = completing and serial < 2 * pairs, completing and serial >= 2 * pairs
        started = time.perf_counter()
        send(at, "pick", index=int(index))
        if mode["time"]:
            wall_ms.append(1000 * (time.perf_counter() - started))
        assert not at.exception, at.exception
    LocalScriptRunner._run_script_thread = original
    print(
        f"completing click, whole script in AppTest ({pairs} clicks, bare): script-thread CPU p50 "
        f"{statistics.median(cpu_ms):.0f} ms, p95 {percentile(cpu_ms, 95):.0f} ms; wall p50 "
        f"{statistics.median(wall_ms):.0f} ms, p95 {percentile(wall_ms, 95):.0f} ms"
    )
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", default=f"current,floor,{START_COMMIT}", help="comma-separated (default %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="cold starts and warm opens per app (default %(default)s)")
    parser.add_argument("--pairs", type=int, default=10, help="pairs of clicks per app (default %(default)s)")
    parser.add_argument("--profile", action="store_true", help="profile the completing clicks instead (AppTest)")
    args = parser.parse_args()
    if args.profile:
        profile_completing_clicks(args.pairs)
        return
    results = {}
    for name in args.apps.split(","):
        started = time.perf_counter()
        results[name] = measure(name, args.runs, args.pairs)
        print(f"measured {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    report(results)


if __name__ == "__main__":
    main()
