"""Reading and driving the explorer widget (widgets/morph_map.py) in Chromium, for tests and benchmarks.

    strip_draws(page)                 # how many times the widget has drawn a new strip
    wait_for_strip(page, before)      # until it draws another
    in_view(page, ".le-strip")        # the element's box lies wholly inside the viewport
    marker_pixels(page, "a")          # where A is drawn, in page pixels
    browser_frames(page)              # the frames the browser decoded for the shown path (F, 784)
    touch_drag(page, points)          # a finger pressed at points[0], moved along, lifted (CDP touch events)

They read the widget's test interface (viewer/explore/inspect.js, listed in docs/map.md): the snapshot an
`le:inspect` event returns, the root's data attributes and the drawing marks, never its private state.
"""

from __future__ import annotations

from .browser import INSPECT

STRIP_DRAWS = "() => Number((document.querySelector('.le-root') || {dataset: {}}).dataset.stripDraws || 0)"

IN_VIEW = """(selector) => { const el = document.querySelector(selector); if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
    && box.bottom <= window.innerHeight && box.right <= window.innerWidth; }"""

MARKER = f"""(end) => {{ const found = {INSPECT}; return found && found.plotlyDrawn ? found.markers[end] : null; }}"""

# Viewport pixels of the point at fraction t of the drawn path (the overlay's polyline).
PATH_POINT = f"""(t) => {{ const path = ({INSPECT}).path.pixels;
  const at = t * (path.length - 1), i = Math.min(path.length - 2, Math.floor(at)), u = at - i;
  return [path[i][0] + u * (path[i + 1][0] - path[i][0]), path[i][1] + u * (path[i + 1][1] - path[i][1])]; }}"""
PATH_DRAWN = f"() => {{ const found = {INSPECT}; return !!(found && found.path && found.path.pixels.length > 1); }}"

FRAMES = f"() => {{ const found = {INSPECT}; return found.path ? found.path.frames : null; }}"
ENDS = f"""() => {{ const found = {INSPECT};
  return {{ a: found.ends.a, b: found.ends.b, model: found.view.model, method: found.view.method,
           frames: found.view.frames, pending: found.path ? found.path.pending : null, strip: found.strip }}; }}"""
SCRUB = f"() => {{ const found = {INSPECT}; return {{ t: found.scrub, source: found.scrubSource }}; }}"

# A timer that starts at the next pointerdown anywhere (capture phase, before the widget sees it) ...
ARM_TIMER = "() => addEventListener('pointerdown', () => performance.mark('test:down'), {capture: true, once: true})"
# ... and the time from it until the newest strip the widget drew was on the screen (its `le:shown:strip` mark).
SINCE_DOWN = """() => new Promise((done) => {
  const down = performance.getEntriesByName('test:down').at(-1).startTime;
  const check = () => {
    const shown = performance.getEntriesByType('mark')
      .filter((m) => m.name.startsWith('le:shown:strip') && m.startTime >= down);
    return shown.length ? done(shown[0].startTime - down) : setTimeout(check, 5);
  };
  check(); })"""


def strip_draws(page) -> int:
    return page.evaluate(STRIP_DRAWS)


def wait_for_strip(page, before: int, timeout: float = 10.0, model: str | None = None) -> int:
    """Waits until the widget has drawn a new strip since `before` (a strip_draws count), under `model` if
    given (a strip of the model shown before a change can still land after it); returns the count."""
    wait = f"([b, model]) => ({STRIP_DRAWS})() > b && (!model || document.querySelector('.le-root').dataset.strip"
    wait += ".startsWith(model + '|'))"
    page.wait_for_function(wait, arg=[before, model], timeout=1000 * timeout, polling=10)
    return strip_draws(page)


def in_view(page, selector: str) -> bool:
    return page.evaluate(IN_VIEW, selector)


def marker_pixels(page, end: str, timeout: float = 30.0):
    """Page pixels of endpoint A or B on the map, once the widget has placed it (its codes arrive
    after the map's first paint)."""
    page.wait_for_function(MARKER, arg=end, timeout=1000 * timeout)
    return page.evaluate(MARKER, end)


def path_point(page, t: float, timeout: float = 30.0):
    """Page pixels of the point at fraction t of the drawn path, once the path is drawn."""
    page.wait_for_function(PATH_DRAWN, timeout=1000 * timeout)
    return page.evaluate(PATH_POINT, t)


def browser_frames(page):
    return page.evaluate(FRAMES)


def shown(page) -> dict:
    """The widget's own view: endpoints (kind, id, label, index), model, method, frames, the strip's caption."""
    return page.evaluate(ENDS)


def scrub(page) -> dict:
    """Where the preview is held: {"t": fraction of the path or None, "source": "path", "slider", "strip" or None}."""
    return page.evaluate(SCRUB)


def touch_drag(page, points: list[tuple[float, float]]) -> None:
    """One finger: down at points[0], through the others, up at the last (Chrome DevTools touch events)."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        touch_points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    touch("touchStart", *points[0])
    for x, y in points[1:]:
        touch("touchMove", x, y)
    touch("touchEnd", *points[-1])
    cdp.detach()
