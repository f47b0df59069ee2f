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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
