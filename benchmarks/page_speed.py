"""The page's speed and memory, measured in headless Chromium against a real `streamlit run`.

    python benchmarks/page_speed.py [--pairs 20]

Prints:
  * start-up: `streamlit run` launched -> map drawn and the first run finished;
  * server-side script time of the map fragment's rerun after each click (the
    page reports it in a hidden status marker; it includes building and
    serialising the 10,000-point figure);
  * click -> updated strip in the browser, for the click that completes each pair;
  * resident memory of the server with every model loaded, before and after.
Targets (the explorer-page issue): rerun <= 150 ms, click -> strip p50 <= 0.5 s,
interactive <= 5 s, memory <= 1 GB.

    python benchmarks/page_speed.py --profile [--pairs 20]

instead profiles, with cProfile, the script run of each click that completes a pair (the page in
AppTest, no browser: the whole script reruns, a superset of the browser's fragment rerun) and
prints where that time goes, by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness.browser import (
    click_test_digit,
    digit_pixels,
    hover,
    isolated_digits,
    launch,
    open_app,
    resident_mb,
    settled,
    status,
    streamlit_server,
    wait_for_status,
)
from harness.stats import percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=20, help="pairs of clicks (default %(default)s)")
    parser.add_argument("--profile", action="store_true", help="profile the completing clicks instead (AppTest)")
    args = parser.parse_args()
    if args.profile:
        profile_completing_clicks(args.pairs)
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)  # started first, so its start-up is not counted against the app
        launched = time.perf_counter()
        with streamlit_server() as (url, process, healthy):
            page = open_app(browser, url)
            wait_for_status(page, "explorer")
            interactive = time.perf_counter() - launched
            memory_before = resident_mb(process.pid)

            isolated = isolated_digits(page, 2 * args.pairs, gap=6.0)  # unoccluded: each click means one digit
            targets = [isolated[i % len(isolated)] for i in range(2 * args.pairs)]
            script_ms, strip_seconds = [], []
            for pair in range(args.pairs):
                first, second = targets[2 * pair], targets[2 * pair + 1]
                run = settled(page, lambda first=first: click_test_digit(page, first))
                script_ms.append(float(re.search(r"in ([\d.]+) ms", run).group(1)))
                previous = status(page, "morph")
                xy = digit_pixels(page, second)
                hover(page, xy, second)  # the pointer rests on the digit, then the clock starts
                clicked = time.perf_counter()
                page.mouse.click(*xy)
                wait_for_status(page, "morph", previous=previous)
                strip_seconds.append(time.perf_counter() - clicked)
                run = wait_for_status(page, "explorer", previous=run)
                script_ms.append(float(re.search(r"in ([\d.]+) ms", run).group(1)))
            page.get_by_test_id("stCheckbox").get_by_text("Compare all β").click()
            wait_for_status(page, "compare")
            memory_after = resident_mb(process.pid)
        browser.close()

    print(f"start-up: healthy after {healthy:.2f} s, page interactive after {interactive:.2f} s (target <= 5 s)")
    print(
        f"map rerun, server-side ({len(script_ms)} clicks): p50 {statistics.median(script_ms):.0f} ms, "
        f"p95 {percentile(script_ms, 95):.0f} ms, max {max(script_ms):.0f} ms (target <= 150 ms)"
    )
    print(
        f"click -> updated strip in Chromium ({len(strip_seconds)} clicks): "
        f"p50 {statistics.median(strip_seconds):.3f} s, "
        f"p95 {percentile(strip_seconds, 95):.3f} s (target p50 <= 0.5 s)"
    )
    print(f"  per click, server ms: {[round(v) for v in script_ms]}")
    print(f"  per pair, click -> strip s: {[round(v, 2) for v in strip_seconds]}")
    print(
        f"server resident memory: {memory_before:.0f} MB after start, {memory_after:.0f} MB after "
        f"{2 * args.pairs} clicks and compare mode (target <= 1024 MB)"
    )


def profile_completing_clicks(pairs: int, rows: int = 25) -> None:
    """The script runs of the clicks that complete a pair, in AppTest (on its script thread): first
    timed bare (that thread's CPU time, so other jobs on a shared machine do not count, and wall
    time), then `pairs` more under cProfile. cProfile inflates Python-heavy code (Plotly's
    validators) several times over: read its table for the shape, the bare times for the size."""
    import cProfile
    import pstats

    import numpy as np
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

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
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "page.py"), default_timeout=120).run()
    digits = np.random.default_rng(0).choice(10_000, size=4 * pairs, replace=False)
    wall_ms = []
    for serial, index in enumerate(digits):
        at.session_state["latent_map"] = {"click": {"index": int(index), "x": 0.0, "y": 0.0, "serial": serial + 1}}
        completing = serial % 2 == 1  # the second click of each pair completes it: the morph is drawn
        mode["time"], mode["profile"] = completing and serial < 2 * pairs, completing and serial >= 2 * pairs
        started = time.perf_counter()
        at.run()
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
    stats.sort_stats("tottime").print_stats(rows)


if __name__ == "__main__":
    main()
