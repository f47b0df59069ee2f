"""How long a compare link ("Compare all β") holds the page's main thread, on the static site: the longest task,
the sum of long tasks (over 50 ms) and when Plotly's script had run, from navigation, median of `--runs`.

    python benchmarks/compare_speed.py [--runs 3]
    cd <a checkout of an older commit> && python <this repo>/benchmarks/compare_speed.py

The second form exports and serves that checkout's site (harness.browser.static_site of whatever code is on the
path), so two commits are compared side by side, one after the other on the same machine. Before the viewer kept
decoded paths, every refresh (each model, blob, Plotly's arrival, the strip's reading) decoded every β's row
again. Prints the date and the load average: these machines are shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())  # run from a checkout's root: that checkout's harness, viewer and export

LINK = "/?model=z20-beta0&map=pca&method=linear&frames=10&compare=1&a=7102&b=9590"
LONG_TASKS = """window.__long = []; new PerformanceObserver((list) => { for (const e of list.getEntries())
  window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });"""
SETTLED = """() => { const rows = [...document.querySelectorAll('.le-compare-row')];
  return !!window.Plotly && rows.length > 1 && rows.every((r) => !r.classList.contains('le-loading')); }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from harness.browser import launch, static_site

    longest, total, plotly = [], [], []
    with static_site() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(args.runs):
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            page = context.new_page()
            page.add_init_script(LONG_TASKS)
            page.goto(url + LINK)
            page.wait_for_function(SETTLED, timeout=180_000)
            plotly.append(page.evaluate("() => performance.now()") / 1000)
            page.wait_for_timeout(2000)  # the strip's reading and the last arrivals
            tasks = page.evaluate("() => window.__long")
            longest.append(max(tasks, default=0) / 1000)
            total.append(sum(tasks) / 1000)
            context.close()
        browser.close()
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), f"load average {os.getloadavg()[0]:.1f}")
    print(
        f"compare link, median of {args.runs}: longest task {statistics.median(longest):.2f} s, long tasks "
        f"{statistics.median(total):.2f} s in all, compare rows and Plotly there at {statistics.median(plotly):.1f} s"
    )


if __name__ == "__main__":
    main()
