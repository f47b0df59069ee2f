"""The lesson's page in a test browser: its test interface (docs/lesson.md: data attributes on .lp-root, each
plane's canvas and tip) read from Python, and the moves tests make (open it, wait for a drawing, move the epoch
slider). Shared by tests/test_lesson_e2e.py and tests/test_lesson_truth.py.
"""

from __future__ import annotations

from harness.browser import OPEN_TIMEOUT_S, wait_for_status

# The lesson's test interface (docs/lesson.md): data attributes on .lp-root, on each plane's canvas and tip.
COMPLETE = "() => document.querySelector('.lp-root')?.dataset.complete || false"
ROOT_DATA = "(name) => document.querySelector('.lp-root').dataset[name]"
# Where things are, in viewport pixels; the words of the main column (what a visitor can read: hidden
# status markers, canvases and tooltips hold none), counted as tokens that contain a letter.
LAYOUT = """() => {
  const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const root = document.querySelector('.lp-root'), planes = [...root.querySelectorAll('.lp-plane')];
  const inset = (p) => p.querySelector('.lp-inset');
  const main = document.querySelector('[data-testid="stMain"]');
  const text = main.innerText;
  const words = text.split(/\\s+/).filter((w) => /[A-Za-zα-ωΑ-Ω]/.test(w));
  return {
    viewport: [innerWidth, innerHeight], scroll: main.scrollTop,
    planes: planes.map((p) => rect(p.querySelector('.lp-canvas'))),
    strips: [...root.querySelectorAll('.lp-strip')].map(rect),
    titles: planes.map((p) => p.querySelector('.lp-title').textContent),
    insets: planes.map((p) => inset(p).checkVisibility() ? inset(p).innerText : null),
    insetRects: planes.map((p) => rect(inset(p))),
    words: words.length, text,
  };
}"""
# A plane's canvas as drawn now: data-frame, the data (x0, x1, y0, y1) at the plot area's edges, and
# data-area, the plot area (left, top, width, height) in CSS pixels from the canvas's top left.
PLANE = "(side) => document.querySelectorAll('.lp-root .lp-canvas')[side]"
# Viewport pixels of data point (x, y) on plane `side` as drawn now.
PIXELS = f"""([side, x, y]) => {{ const canvas = ({PLANE})(side);
  const [x0, x1, y0, y1] = canvas.dataset.frame.split(',').map(Number);
  const [l, t, w, h] = canvas.dataset.area.split(',').map(Number), r = canvas.getBoundingClientRect();
  return [r.left + l + ((x - x0) / (x1 - x0)) * w, r.top + t + ((y1 - y) / (y1 - y0)) * h]; }}"""
# Pixels per data unit on plane `side` (equal on both axes).
SCALE = f"""(side) => {{ const canvas = ({PLANE})(side);
  const [x0, x1] = canvas.dataset.frame.split(',').map(Number);
  return Number(canvas.dataset.area.split(',')[2]) / (x1 - x0); }}"""
POSTERIOR_SHOWN = "() => document.querySelectorAll('.lp-posterior-row').length === 4"
INSET_SHOWN = "() => document.querySelector('.lp-root .lp-inset').checkVisibility()"


def open_lesson(browser, server, width: int = 1500, height: int = 1000, query: str = ""):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server.url}/?page=lesson{query}", timeout=1000 * OPEN_TIMEOUT_S)
    wait_for_status(page, "lesson", timeout=OPEN_TIMEOUT_S)
    page.wait_for_function(COMPLETE, timeout=1000 * OPEN_TIMEOUT_S)
    return page


def layout(page) -> dict:
    page.wait_for_function(COMPLETE, timeout=30_000)
    page.wait_for_timeout(150)  # one more frame: the planes are sized to the room the rows leave
    return page.evaluate(LAYOUT)


def show_epoch(page, index: int, epoch: int | None = None) -> None:
    """Moves the epoch slider to `index`, as a drag does; with `epoch`, waits until that snapshot is drawn."""
    page.evaluate(
        "(n) => { const s = document.querySelector('.lp-slider'); s.value = n; s.dispatchEvent(new Event('input')); }",
        index,
    )
    if epoch is not None:
        page.wait_for_function(
            "(epoch) => document.querySelector('.lp-root').dataset.complete.startsWith(epoch + ':')",
            arg=epoch,
            timeout=30_000,
        )
