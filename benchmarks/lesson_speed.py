"""The lesson's speed in headless Chromium, timed in the page itself (performance.now), never by the driver.

    python benchmarks/lesson_speed.py [--repeats 5] [--app path/to/app.py]

Prints, as medians with their range:
  * tab: a press on the "Why a VAE?" tab (pointerdown, in the page) -> both planes drawn; the first
    press of a session (the lesson's code and arrays not yet fetched) apart from the later ones;
  * open: a fresh browser context (empty cache) opening ?page=lesson -> both planes drawn, against the
    same context opening the explore view -> its map drawn, measured from navigation start, alternating;
  * scrub: the epoch slider moved one step per animation frame for 3 s -> planes drawn per second
    (only when the shipped planes have training snapshots);
  * probe redraw: with the hole preset's point probed (both insets shown, placed and, where the "+" is on the
    plot, joined to the nearest code by a line), the scale toggled every animation frame for 3 s -> planes
    drawn per second.
"Both planes drawn" is the lesson's own record (its test interface, docs/lesson.md: the performance mark
"lesson:planes" of each complete drawing, and the root's data-complete-draws count); run with `--app` on an
older checkout's app.py to compare side by side, the condition then being that checkout's own: its root's
data-complete, or both Plotly planes drawn (before the lesson drew on canvases), timed at the frame that
first sees it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness.browser import OPEN_TIMEOUT_S, ROOT, launch, streamlit_server

# Truthy once both lesson planes are drawn (this lesson, or the Plotly planes of an older one); the first
# time it is, the page keeps the moment in window.__drawnAt: the first "lesson:planes" mark since the press
# (or since navigation), else (an older lesson, without marks) now.
PLANES = """() => { const lp = document.querySelector('.lp-root');
  const done = lp ? !!lp.dataset.complete : ['plane-ae', 'plane-vae'].every((k) => {
    const gd = document.querySelector(`.st-key-${k} .le-map`);
    return gd && gd._fullLayout && gd._fullData && gd._fullData.length > 0; });
  if (done && window.__drawnAt === undefined) {
    const since = window.__pressedAt === undefined ? 0 : window.__pressedAt;
    const mark = performance.getEntriesByName('lesson:planes', 'mark').find((m) => m.startTime >= since);
    window.__drawnAt = mark ? mark.startTime : performance.now();
  }
  return done; }"""
MAP = """() => { const gd = document.querySelector('.le-map');
  const done = !!(gd && gd._fullData && gd._fullData.length >= 10 && gd._fullLayout);
  if (done && window.__drawnAt === undefined) window.__drawnAt = performance.now();
  return done; }"""
ARM = """() => { window.__drawnAt = undefined; window.__pressedAt = undefined;
  window.addEventListener('pointerdown', () => { window.__pressedAt = performance.now(); },
    { capture: true, once: true }); }"""
SCRUB = """async () => {
  const slider = document.querySelector('.lp-slider'), root = document.querySelector('.lp-root');
  const completed = () => Number(root.dataset.completeDraws);
  const steps = Number(slider.max) + 1, first = completed(), started = performance.now();
  for (let i = 0; performance.now() - started < 3000; i++) {
    slider.value = i % steps;
    slider.dispatchEvent(new Event('input'));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  return { drawn: completed() - first, seconds, epochs: steps }; }"""
REDRAW = """async () => {
  const root = document.querySelector('.lp-root'), buttons = [...document.querySelectorAll('.lp-segmented button')];
  const completed = () => Number(root.dataset.completeDraws);
  const first = completed(), started = performance.now();
  for (let i = 0; performance.now() - started < 3000; i++) {
    buttons[i % 2].click();
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return { drawn: completed() - first, seconds: (performance.now() - started) / 1000 }; }"""
INSETS = """() => { const insets = [...document.querySelectorAll('.lp-root .lp-inset')];
  return insets.length === 2 && insets.every((i) => i.dataset.where); }"""
HOLE_PROBE = "25.14,-21.57"  # the hole preset's point (weights/lesson.json): on the VAE's plane, off its view


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n = {len(values)})"


def drawn(page, condition: str) -> float:
    """Seconds from the armed moment (a press, or navigation start) to the condition's first truthy frame."""
    page.wait_for_function(condition, polling="raf", timeout=1000 * OPEN_TIMEOUT_S)
    start = page.evaluate("() => window.__pressedAt === undefined ? 0 : window.__pressedAt")
    return (page.evaluate("() => window.__drawnAt") - start) / 1000


def tab(page, name: str):
    """The view switch's button (a radio in today's segmented control, a button in older ones)."""
    found = page.locator("button", has_text=re.compile(name))
    return found.first


def tab_presses(browser, url: str, repeats: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url, timeout=1000 * OPEN_TIMEOUT_S)
    page.wait_for_function(MAP, polling="raf", timeout=1000 * OPEN_TIMEOUT_S)
    times = []
    for _ in range(repeats):
        page.evaluate(ARM)
        tab(page, "Why a VAE").click()
        times.append(drawn(page, PLANES))
        page.evaluate("() => { window.__drawnAt = undefined; }")
        tab(page, "Explore the map").click()
        page.wait_for_function(MAP, polling="raf", timeout=1000 * OPEN_TIMEOUT_S)
    page.close()
    return times


def fresh_open(browser, url: str, condition: str) -> float:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=1000 * OPEN_TIMEOUT_S)
    seconds = drawn(page, condition)
    context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="measurements of each kind (default %(default)s)")
    parser.add_argument("--app", type=Path, default=ROOT / "app.py", help="the app to run (default: this checkout)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, streamlit_server(app=args.app.resolve()) as server:
        browser = launch(playwright)
        fresh_open(browser, server.url, MAP)  # warm the server: its models and blobs are built once
        presses = tab_presses(browser, server.url, args.repeats + 1)
        print(f"tab -> both planes drawn, first press: {presses[0]:.2f} s")
        print(f"tab -> both planes drawn, later presses: {spread(presses[1:])}")
        lesson, explore = [], []
        for _ in range(args.repeats):
            lesson.append(fresh_open(browser, f"{server.url}/?page=lesson", PLANES))
            explore.append(fresh_open(browser, server.url, MAP))
        print(f"open ?page=lesson, empty cache -> both planes drawn: {spread(lesson)}")
        print(f"open the explore view, empty cache -> map drawn:    {spread(explore)}")
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(f"{server.url}/?page=lesson", timeout=1000 * OPEN_TIMEOUT_S)
        page.wait_for_function(PLANES, polling="raf", timeout=1000 * OPEN_TIMEOUT_S)
        steps = "() => Number(document.querySelector('.lp-slider')?.max || 0)"
        if page.evaluate(steps):
            page.wait_for_timeout(3000)  # the other epochs' arrays arrive after the first drawing
            scrub = page.evaluate(SCRUB)
            print(
                f"epoch scrub: {scrub['drawn'] / scrub['seconds']:.1f} planes drawn per second "
                f"({scrub['drawn']} in {scrub['seconds']:.1f} s over {scrub['epochs']} epochs)"
            )
        else:
            print("epoch scrub: not measured (no training snapshots: the planes have one frame)")
        page.goto(f"{server.url}/?page=lesson&probe={HOLE_PROBE}", timeout=1000 * OPEN_TIMEOUT_S)
        page.wait_for_function(INSETS, polling="raf", timeout=1000 * OPEN_TIMEOUT_S)
        redraw = page.evaluate(REDRAW)
        print(
            f"probe redraw (scale toggled): {redraw['drawn'] / redraw['seconds']:.1f} planes drawn per second "
            f"({redraw['drawn']} in {redraw['seconds']:.1f} s)"
        )
        browser.close()


if __name__ == "__main__":
    main()
