"""Concurrent users on loopback: N headless Chromium sessions, each clicking pairs of digits.

    python benchmarks/load_test.py                      # the full run: 20 sessions for 60 s
    python benchmarks/load_test.py --sessions 4 --seconds 15

Sessions arrive 1.5 s apart; each opens the page, then clicks random test
digits in pairs until its time is up, waiting for each rerun to finish (a real
user waits for the page too). On a 2-core machine the 20 software-rendered
Chromium pages themselves take most of the CPU, so the browser-side latency
says more about the load generator than about the server: the server-side
rerun time is reported next to it.
It counts errors (a click whose rerun never finishes, a page error, an exception
box on the page) and reports click -> strip latency and the server's memory
before and after. Bounded: every loop stops at its deadline; only 127.0.0.1 is used.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import CHROMIUM_ARGS, MAP_READY, POINT_PIXELS, chromium_path, resident_mb, streamlit_server  # noqa: E402

STATUS = """(name) => { const el = document.querySelector(`.le-status[data-name="${name}"]`);
  return el ? el.textContent : null; }"""


async def wait_status(page, name: str, previous: str | None, timeout: float) -> str:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = await page.evaluate(STATUS, name)
        if value is not None and value != previous:
            return value
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{name} did not change within {timeout} s")


async def user(browser, url: str, seconds: float, seed: int, report: dict, delay: float) -> None:
    await asyncio.sleep(delay)  # users arrive one after another, not all in the same instant
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("pageerror", lambda error: report["errors"].append(f"page error: {error}"))
    try:
        await page.goto(url, timeout=180_000)
        await page.wait_for_function(MAP_READY, timeout=180_000)
        await wait_status(page, "explorer", None, 180)
        report["loaded"] += 1
        rng = random.Random(seed)
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for second in (False, True):
                xy = await page.evaluate(POINT_PIXELS, [rng.randrange(10_000), None])
                if xy is None:
                    continue
                before = await page.evaluate(STATUS, "explorer")
                morph_before = await page.evaluate(STATUS, "morph")
                await page.mouse.move(*xy)  # rest on the point first, as a hand does (Plotly clicks its hover)
                await asyncio.sleep(0.15)
                clicked = time.perf_counter()
                await page.mouse.click(*xy)
                if second:
                    await wait_status(page, "morph", morph_before, 90)
                    report["latency"].append(time.perf_counter() - clicked)
                run = await wait_status(page, "explorer", before, 90)
                report["server_ms"].append(float(run.split(" in ")[1].split(" ms")[0]))
                report["clicks"] += 1
        if await page.locator('[data-testid="stException"]').count():
            report["errors"].append("an exception box is on the page")
    except Exception as error:  # a timeout or a crash is an error of the run, not of the harness
        report["errors"].append(f"session {seed}: {type(error).__name__}: {error}")
    finally:
        await page.close()


async def run(sessions: int, seconds: float, arrival_s: float = 1.5) -> dict:
    from playwright.async_api import async_playwright

    report = {"errors": [], "latency": [], "server_ms": [], "clicks": 0, "loaded": 0, "memory_peak_mb": 0.0}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with streamlit_server() as (url, process, _):
            report["memory_before_mb"] = resident_mb(process.pid)

            async def watch_memory():
                while True:
                    report["memory_peak_mb"] = max(report["memory_peak_mb"], resident_mb(process.pid))
                    if report["loaded"] == 1 and "memory_first_session_mb" not in report:
                        report["memory_first_session_mb"] = resident_mb(process.pid)
                    await asyncio.sleep(0.5)

            watcher = asyncio.create_task(watch_memory())
            started = time.perf_counter()
            await asyncio.gather(*(user(browser, url, seconds, seed, report, seed * arrival_s) for seed in range(sessions)))
            report["wall_s"] = time.perf_counter() - started
            watcher.cancel()
            report["memory_after_mb"] = resident_mb(process.pid)
        await browser.close()
    return report


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values) or [float("nan")]
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(report: dict, sessions: int, seconds: float) -> str:
    latency, server = percentiles(report["latency"]), percentiles(report["server_ms"])
    return (
        f"{sessions} sessions x {seconds:g} s: {report['clicks']} clicks, {len(report['errors'])} errors; "
        f"click -> strip p50 {latency[0]:.2f} s, p95 {latency[1]:.2f} s (server-side rerun p50 {server[0]:.0f} ms, "
        f"p95 {server[1]:.0f} ms); server memory {report['memory_before_mb']:.0f} MB before any session, "
        f"{report.get('memory_first_session_mb', float('nan')):.0f} MB with the first session, peak "
        f"{report['memory_peak_mb']:.0f} MB, {report['memory_after_mb']:.0f} MB after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    report = asyncio.run(run(args.sessions, args.seconds))
    print(summary(report, args.sessions, args.seconds))
    for error in report["errors"][:10]:
        print("  error:", error)


if __name__ == "__main__":
    main()
