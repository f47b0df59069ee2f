"""Every screenshot the README shows, made anew from the running page (viewport shots, as a visitor sees them).

    python -m harness.screenshots                      # into docs/screenshots/
    python -m harness.screenshots --out /tmp/shots     # somewhere else
    python -m harness.screenshots --only beta          # the β slider's shots alone (beta-slider-*.png)

Starts `streamlit run app.py` on a free port, opens the page in headless Chromium at 1500x1000,
1920x1080 and 400x850, and saves what each view looks like on arrival and after a completing
click, the lesson at each size, the static site (python export.py) at each size, compare mode, a drawn
digit, the analytics under the map and the traversals, a visitor's own VAE uploaded (docs/your-model.md)
and the β slider; and, for a read-through of the lesson (into test-artifacts/read-through, not committed),
in both hosts at each size, every "Show me" preset where it lands, a probe in a hole and one off the codes,
a draw of N(0, I), the player at its first epoch, and on the phone a one-finger vertical swipe over the map.
Run it after any change to the page, then look at the pictures.

    python -m harness.screenshots --only your-model   # only docs/screenshots/your-model.png
    python -m harness.screenshots --only beta         # only the β slider's shots and the rate-distortion chart
    python -m harness.screenshots --only lesson       # only the lesson's read-through and the phone swipe
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.browser import (
    INSPECT,
    ROOT,
    digit_pixels,
    draw_stroke,
    goto_app,
    goto_static,
    isolated_digits,
    launch,
    pick,
    static_site,
    streamlit_server,
    wait_for_status,
)
from harness.widget import strip_draws, wait_for_strip

SIZES = {"wide": (1500, 1000), "full-hd": (1920, 1080), "phone": (400, 850)}
LESSON_READY = "() => document.querySelector('.lp-root')?.dataset.complete || false"  # both planes drawn


def settle(page, ms: int = 800) -> None:
    """Lets fonts, images and the last redraw land before the picture is taken."""
    page.mouse.move(2, 2)
    page.wait_for_timeout(ms)


def different_digits(page) -> tuple[int, int]:
    """Two digits no other marker covers, of two different classes (a morph that changes its digit)."""
    candidates = isolated_digits(page, 40, 8.0)
    labels = page.evaluate(
        f"(indices) => {{ const digit = new Map({INSPECT}.digits().map((d) => [d[0], d[3]])); "
        "return indices.map((i) => digit.get(i)); }",
        candidates,
    )
    first = candidates[0]
    second = next(index for index, label in zip(candidates, labels, strict=True) if label != labels[0])
    return first, second


def explore(browser, url: str, out: Path, name: str, size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=size[0] < 600)
    page = context.new_page()
    goto_app(page, url)
    settle(page)
    page.screenshot(path=str(out / f"explore-{name}-arrival.png"))
    first, second = different_digits(page)
    pick(page, first)
    before = strip_draws(page)
    page.mouse.click(*digit_pixels(page, second))
    wait_for_strip(page, before)
    wait_for_status(page, "morph")
    settle(page)
    page.screenshot(path=str(out / f"explore-{name}-click.png"))
    page.goto(url + "/?page=lesson")
    page.wait_for_function(LESSON_READY, timeout=120_000)
    settle(page, 1500)
    page.screenshot(path=str(out / f"lesson-{name}.png"))
    context.close()


def static(browser, url: str, out: Path, name: str, size: tuple[int, int]) -> None:
    """The static site (python export.py, served by python -m http.server): arrival and a completing click."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=size[0] < 600)
    page = context.new_page()
    goto_static(page, url)
    settle(page)
    page.screenshot(path=str(out / f"static-{name}-arrival.png"))
    first, second = different_digits(page)
    for index in (first, second):
        before = strip_draws(page)
        page.mouse.click(*digit_pixels(page, index))
    wait_for_strip(page, before)
    settle(page, 1200)  # the strip's reading follows once the clicks settle
    page.screenshot(path=str(out / f"static-{name}-click.png"))
    context.close()


def lesson_tour(browser, url: str, out: Path, host: str, name: str, size: tuple[int, int]) -> None:
    """The lesson as a newcomer goes through it, one picture per step: lesson-<host>-<size>-<step>.png."""
    from explorer.lesson_assets import presets
    from vae.family import shared_family, weights_folder

    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=size[0] < 600)
    page = context.new_page()
    shot = lambda step: page.screenshot(path=str(out / f"lesson-{host}-{name}-{step}.png"))  # noqa: E731

    def open_lesson(query: str = "") -> None:
        page.goto(f"{url}/?page=lesson{query}")
        page.wait_for_function(LESSON_READY, timeout=120_000)
        settle(page, 1200)

    for number, preset in enumerate(presets(shared_family(weights_folder()))):
        open_lesson()
        page.get_by_role("button", name=preset["title"]).first.click()
        if preset["query"].get("page") == "lesson":
            page.wait_for_function(
                "() => [...document.querySelectorAll('.lp-inset')].some((i) => i.checkVisibility())", timeout=60_000
            )
        else:
            page.wait_for_timeout(4000)  # the map opens on the preset's pair
        settle(page, 1500)
        shot(f"preset{number}")
    for step, query in (("probe-hole", "&probe=30.00,-50.00"), ("probe-codes", "&probe=0.50,-1.20")):
        open_lesson(query)
        page.locator(".lp-planes").scroll_into_view_if_needed()
        settle(page)
        shot(step)
    open_lesson()
    page.get_by_role("button", name="Decode one draw of N(0, I)").click()
    page.wait_for_function("() => [...document.querySelectorAll('.lp-inset')].some((i) => i.checkVisibility())")
    settle(page)
    shot("draw")
    page.evaluate(
        "() => { const s = document.querySelector('.lp-slider'); s.value = 0; s.dispatchEvent(new Event('input')); }"
    )
    first = page.evaluate("() => document.querySelector('.lp-root').dataset.epochs.split(',')[0]")
    page.wait_for_function(
        "(epoch) => document.querySelector('.lp-root').dataset.complete.startsWith(epoch + ':')", arg=first
    )
    settle(page)
    shot("epoch0")
    page.locator(".lp-table summary").click()  # the figures open on a tap
    page.locator(".lp-table").scroll_into_view_if_needed()
    settle(page)
    shot("table")
    context.close()


def phone_swipe(browser, url: str, out: Path, host: str) -> None:
    """On a phone, a one-finger swipe up over the map (touch events through the DevTools protocol): does the
    page scroll, or does the map zoom? phone-swipe-<host>-before.png / -after.png."""
    context = browser.new_context(viewport={"width": 400, "height": 850}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_timeout(6000)
    settle(page)
    page.screenshot(path=str(out / f"phone-swipe-{host}-before.png"))
    cdp = context.new_cdp_session(page)
    # A swipe over the map, not over A or B: a finger on an endpoint drags it, by design (a finger drags an
    # endpoint, tests/test_e2e.py); the opening pair sits wherever its codes are, once under x = 200.
    y0, y1 = 600, 250
    ends = page.evaluate(f"() => {{ const s = {INSPECT}; return s && s.markers ? [s.markers.a, s.markers.b] : []; }}")
    ends = [end for end in ends if end]
    x = max((100, 200, 300), key=lambda x: min((abs(x - e[0]) for e in ends if abs(y0 - e[1]) < 80), default=1e9))
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
    for step in range(1, 11):
        y = y0 + (y1 - y0) * step / 10
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    settle(page, 1200)
    page.screenshot(path=str(out / f"phone-swipe-{host}-after.png"))
    context.close()


def features(browser, url: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(page, url + "/?model=z20-beta1&map=pca&a=3&b=7&compare=1")
    page.wait_for_function("() => document.querySelectorAll('.le-compare-row:not(.le-loading)').length >= 6")
    # The title, every row and the map beside them: centre the rows' box, not its first row (that cut the map).
    page.locator(".le-compare-title").first.evaluate("el => el.parentElement.scrollIntoView({block: 'center'})")
    settle(page)
    page.screenshot(path=str(out / "compare-betas.png"))
    goto_app(page, url + "/?model=z2-beta1&map=plane&a=3&b=7")
    settle(page)
    page.screenshot(path=str(out / "plane-backdrop.png"))
    goto_app(page, url)
    page.get_by_role("heading", name="Along the path").evaluate("el => el.scrollIntoView({block: 'start'})")
    settle(page)
    page.screenshot(path=str(out / "analytics.png"))
    draw_stroke(page, [(150, 40), (160, 140), (150, 240)])
    wait_for_status(page, "drawn")
    page.get_by_role("heading", name="Draw a digit").evaluate("el => el.scrollIntoView({block: 'start'})")
    settle(page)
    box = page.locator("canvas.upper-canvas").first.bounding_box()
    if box:  # the pointer on the canvas: its toolbar (the bin the caption names) shows, as a visitor sees it
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(400)
    page.screenshot(path=str(out / "drawn-digit.png"))
    page.locator(".le-traversals summary").click()  # the viewer's traversals (viewer/explore/panel/traversals.js)
    page.wait_for_function("() => performance.getEntriesByName('le:shown:traversal').length > 0")
    page.locator(".le-traversals").evaluate("el => el.scrollIntoView({block: 'start'})")
    settle(page)
    page.screenshot(path=str(out / "traversals.png"))
    page.close()


def tutorial_safetensors(folder: Path) -> Path:
    """A tutorial reader's file: a shipped z = 20 model (784-400-20, pytorch/examples' shape) under the tutorial's
    names (fc21, fc22), saved by safetensors with no metadata, as `save_file(model.state_dict(), ...)` writes it."""
    from safetensors.numpy import load_file, save_file

    arrays = load_file(ROOT / "weights" / "vae-z20-beta1.safetensors")
    path = folder / "vae.safetensors"
    save_file({name.replace("fc_mu", "fc21").replace("fc_logvar", "fc22"): a for name, a in arrays.items()}, path)
    return path


def your_model(browser, url: str, out: Path) -> None:
    """The Streamlit page after a tutorial VAE's .safetensors is dropped on "Explore your own VAE", and two clicks."""
    import tempfile

    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(page, url)
    with tempfile.TemporaryDirectory() as scratch:
        page.locator(".le-yours-input").set_input_files(str(tutorial_safetensors(Path(scratch))))
        page.wait_for_function("() => document.querySelector('.le-yours').dataset.state === 'ready'", timeout=60_000)
    section = page.locator(".le-yours")
    section.scroll_into_view_if_needed()
    yours = (
        "(() => { const d = {}; document.querySelector('.le-yours')"
        ".dispatchEvent(new CustomEvent('le:yours', {detail: d})); return d; })()"
    )
    for index in (3, 2):  # a 0 and a 1 of the test set
        x, y = page.evaluate(f"() => {yours}.pixel({index})")
        page.mouse.click(x, y)
    settle(page)
    section.screenshot(path=str(out / "your-model.png"))
    page.close()


MR_READY = "() => { const d = document.querySelector('.le-root')?.dataset; return !!d?.mr && d.mrDrawn === d.mr; }"


def beta_slider(browser, url: str, site: str, out: Path) -> None:
    """The β slider (issue 25) in the Streamlit page at each size, the z = 2 plane at a low β on the static site,
    and the rate-distortion chart beside the slider at twice the pixels (the README's image)."""
    for name, size in SIZES.items():
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=size[0] < 600)
        page = context.new_page()
        goto_app(page, url + "/?model=z20-beta1&a=3&b=7&mr=0.1")
        page.wait_for_function(MR_READY)
        settle(page)
        page.screenshot(path=str(out / f"beta-slider-{name}.png"))
        context.close()
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, site + "/?model=z2-beta1&map=plane&a=3&b=7&mr=0.02")
    page.wait_for_function(MR_READY)
    page.wait_for_function("() => document.querySelector('.le-root').dataset.mrBackdrop === '0.02'")
    settle(page)
    page.screenshot(path=str(out / "beta-slider-plane.png"))
    page.close()
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, device_scale_factor=2)
    page = context.new_page()
    goto_static(page, site + "/?model=z20-beta1&a=3&b=7&mr=1")
    page.wait_for_function(MR_READY)
    settle(page)
    page.locator(".le-mr-chart").screenshot(path=str(out / "rate-distortion.png"))
    context.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder (default %(default)s)")
    parser.add_argument("--only", choices=["beta", "your-model", "lesson"], help="only these shots")
    parser.add_argument(
        "--read-through",
        default=str(ROOT / "test-artifacts" / "read-through"),
        help="folder for the lesson's read-through (default %(default)s)",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    if args.only == "your-model":
        with sync_playwright() as playwright, streamlit_server() as server:
            browser = launch(playwright)
            your_model(browser, server.url, out)
            browser.close()
        print(out / "your-model.png")
        return

    with sync_playwright() as playwright, streamlit_server() as server, static_site() as site:
        browser = launch(playwright)
        if args.only is None:
            for name, size in SIZES.items():
                explore(browser, server.url, out, name, size)
                static(browser, site, out, name, size)
            features(browser, server.url, out)
            your_model(browser, server.url, out)
        if args.only in (None, "beta"):
            beta_slider(browser, server.url, site, out)
        if args.only in (None, "lesson"):
            tour = Path(args.read_through)
            tour.mkdir(parents=True, exist_ok=True)
            for name, size in SIZES.items():
                lesson_tour(browser, server.url, tour, "streamlit", name, size)
                lesson_tour(browser, site, tour, "static", name, size)
            phone_swipe(browser, server.url, tour, "streamlit")
            phone_swipe(browser, site, tour, "static")
        browser.close()
    print("\n".join(sorted(str(path) for path in out.glob("*.png"))))


if __name__ == "__main__":
    main()
