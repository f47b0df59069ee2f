"""Concurrent users on loopback: N headless Chromium pages, each clicking pairs of digits.

    report = asyncio.run(run(sessions=4, seconds=15))
    print(summary(report))

Used by benchmarks/load_test.py (the full run, and --repeat) and tests/test_load.py
(a short run). Sessions arrive `arrival_s` apart; each opens the page, then clicks
pairs of unoccluded digits until its time is up, resting the pointer on each digit
and waiting for each rerun to finish (a real user waits for the page too).

An error is anything a user would notice: a map that never draws, a click whose
rerun never finishes, a page error, an exception box, or a pointer that hovers the
wrong digit. Each error names its session, what it was doing and how long after its
arrival, with the page's state (map element? Plotly loaded? status markers? console),
so a rare failure can be diagnosed from one report. Bounded: every wait has a timeout
and every loop stops at its deadline; only 127.0.0.1 is used.
"""

from __future__ import annotations

import asyncio
import random
import time

from harness.browser import (
    digit_pixels_js,
    goto_app_async,
    hover_async,
    isolated_digits,
    launch,
    page_state_async,
    resident_mb,
    status,
    streamlit_server,
    wait_for_status_async,
)
from harness.stats import p50_p95

OPEN_TIMEOUT_S = 180.0  # 20 software-rendered pages on 2 cores take a while to open
RERUN_TIMEOUT_S = 90.0
HOVER_TIMEOUT_S = 30.0  # the map's tip follows the pointer within a frame; a busy page may take seconds


def new_report() -> dict:
    return {
        "errors": [],
        "latency": [],
        "server_ms": [],
        "clicks": 0,
        "loaded": 0,
        "open_s": [],
        "pairs": {},  # session -> pairs it finished
        "memory_peak_mb": 0.0,
    }


async def user(
    browser, url: str, seconds: float, seed: int, report: dict, delay: float, open_timeout: float = OPEN_TIMEOUT_S
) -> None:
    """One visitor: arrives after `delay` s, opens the page, clicks pairs until `seconds` have passed."""
    await asyncio.sleep(delay)  # users arrive one after another, not all in the same instant
    arrived = time.perf_counter()
    doing = "opening the page"
    page = None
    try:
        page = await browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda error: report["errors"].append(f"session {seed}: page error: {error}"))
        await goto_app_async(page, url, timeout=open_timeout)
        report["open_s"].append(time.perf_counter() - arrived)
        report["loaded"] += 1
        rng = random.Random(seed)
        doing = "looking for unoccluded digits"
        targets = await isolated_digits(page, 200, 6.0)
        if len(targets) < 3:
            raise LookupError(f"only {len(targets)} digits on the map stand 6 px clear of the others")
        deadline = time.perf_counter() + seconds
        pair = None
        while time.perf_counter() < deadline:
            # Two different digits, and not the pair just shown: every pair must change the morph.
            previous, pair = pair, rng.sample(targets, 2)
            while pair == previous:
                pair = rng.sample(targets, 2)
            for second, index in enumerate(pair):
                doing = f"clicking test digit {index}"
                xy = await digit_pixels_js(page, index)
                if xy is None:
                    raise LookupError(f"test digit {index} is no longer on the map")
                before, morph_before = await status(page, "explorer"), await status(page, "morph")
                await hover_async(page, xy, index, timeout=HOVER_TIMEOUT_S)
                clicked = time.perf_counter()
                await page.mouse.click(*xy)
                if second:
                    await wait_for_status_async(page, "morph", morph_before, RERUN_TIMEOUT_S)
                    report["latency"].append(time.perf_counter() - clicked)
                    report["pairs"][seed] = report["pairs"].get(seed, 0) + 1
                run = await wait_for_status_async(page, "explorer", before, RERUN_TIMEOUT_S)
                report["server_ms"].append(float(run.split(" in ")[1].split(" ms")[0]))
                report["clicks"] += 1
        if await page.locator('[data-testid="stException"]').count():
            report["errors"].append(f"session {seed}: an exception box is on the page")
    except Exception as error:  # a timeout or a crash is an error of the run, not of the harness
        state = "" if page is None or page.is_closed() else f"; page now: {await page_state_async(page)}"
        report["errors"].append(
            f"session {seed} ({time.perf_counter() - arrived:.1f} s after arriving, {doing}): "
            f"{type(error).__name__}: {error}{state}"
        )
    finally:
        if page is not None and not page.is_closed():
            await page.close()


async def run(sessions: int, seconds: float, arrival_s: float = 1.5, open_timeout: float = OPEN_TIMEOUT_S) -> dict:
    """One load run against a fresh `streamlit run`; returns the report (see `summary`).

    open_timeout: how long a session may wait for its map before that counts as an error."""
    from playwright.async_api import async_playwright

    report = new_report()
    report.update(sessions=sessions, seconds=seconds)
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        with streamlit_server() as server:
            pid = server.process.pid
            report["memory_before_mb"] = resident_mb(pid)

            async def watch_memory():
                while True:
                    report["memory_peak_mb"] = max(report["memory_peak_mb"], resident_mb(pid))
                    if report["loaded"] >= 1 and "memory_first_session_mb" not in report:
                        report["memory_first_session_mb"] = resident_mb(pid)
                    await asyncio.sleep(0.5)

            watcher = asyncio.create_task(watch_memory())
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    user(browser, server.url, seconds, seed, report, seed * arrival_s, open_timeout)
                    for seed in range(sessions)
                )
            )
            report["wall_s"] = time.perf_counter() - started
            watcher.cancel()
            report["memory_after_mb"] = resident_mb(pid)
            report["server_log"] = server.log()
        await browser.close()
    return report


def summary(report: dict) -> str:
    latency, server = p50_p95(report["latency"]), p50_p95(report["server_ms"])
    opened = p50_p95(report["open_s"])
    return (
        f"{report['sessions']} sessions x {report['seconds']:g} s: {report['loaded']} loaded "
        f"(open p50 {opened[0]:.1f} s, p95 {opened[1]:.1f} s), {report['clicks']} clicks, "
        f"{len(report['errors'])} errors; click -> strip p50 {latency[0]:.2f} s, p95 {latency[1]:.2f} s "
        f"(server-side rerun p50 {server[0]:.0f} ms, p95 {server[1]:.0f} ms); server memory "
        f"{report['memory_before_mb']:.0f} MB before any session, "
        f"{report.get('memory_first_session_mb', float('nan')):.0f} MB with the first session, "
        f"peak {report['memory_peak_mb']:.0f} MB, {report['memory_after_mb']:.0f} MB after"
    )
