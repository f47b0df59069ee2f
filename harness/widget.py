"""Reading and driving the explorer widget (widgets/morph_map.py) in Chromium, for tests and benchmarks.

    strip_draws(page)                 # how many times the widget has drawn a new strip
    wait_for_strip(page, before)      # until it draws another
    in_view(page, ".le-strip")        # the element's box lies wholly inside the viewport
    marker_pixels(page, "a")          # where A is drawn, in page pixels
    browser_frames(page)              # the frames the browser decoded for the shown path (F, 784)
    touch_drag(page, points)          # a finger pressed at points[0], moved along, lifted (CDP touch events)

The widget keeps its state on its root element (`.le-root`.leState); these helpers read it, so a
change there breaks them loudly rather than silently.
"""

from __future__ import annotations

STATE = "(document.querySelector('.le-root') || {}).leState"

STRIP_DRAWS = "() => Number((document.querySelector('.le-root') || {dataset: {}}).dataset.stripDraws || 0)"

IN_VIEW = """(selector) => { const el = document.querySelector(selector); if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
    && box.bottom <= window.innerHeight && box.right <= window.innerWidth; }"""

MARKER = f"""(end) => {{ const s = {STATE}; if (!s || !s.graph._fullLayout) return null;
  const g = s.graph, L = g._fullLayout, box = g.getBoundingClientRect();
  const p = s.markerPixels && s.markerPixels[end]; if (!p) return null;
  return [box.left + L.xaxis._offset + p[0], box.top + L.yaxis._offset + p[1]]; }}"""

# Page pixels of the point at fraction t of the drawn path (the overlay's polyline).
PATH_POINT = f"""(t) => {{ const s = {STATE}; const g = s.graph, L = g._fullLayout, box = g.getBoundingClientRect();
  const path = s.pathPixels, at = t * (path.length - 1), i = Math.min(path.length - 2, Math.floor(at)), u = at - i;
  const x = path[i][0] + u * (path[i + 1][0] - path[i][0]), y = path[i][1] + u * (path[i + 1][1] - path[i][1]);
  return [box.left + L.xaxis._offset + x, box.top + L.yaxis._offset + y]; }}"""

FRAMES = f"() => {{ const s = {STATE}; return s.path ? s.path.frames.map((f) => Array.from(f)) : null; }}"
ENDS = f"""() => {{ const s = {STATE};
  const show = (e) => e ? {{ kind: e.kind, id: e.id, label: e.label, index: e.index }} : null;
  return {{ a: show(s.ends.a), b: show(s.ends.b), model: s.shown.model, method: s.shown.method, frames: s.shown.frames,
           pending: s.path ? s.path.pending : null, strip: s.stripText.textContent }}; }}"""


# A timer that starts at the next pointerdown anywhere (capture phase, before the widget sees it) ...
ARM_TIMER = (
    "() => addEventListener('pointerdown', () => (window.__leDown = performance.now()), {capture: true, once: true})"
)
# ... and the time from it until the newest strip the widget drew was on the screen (its log's `shown`).
SINCE_DOWN = """() => new Promise((done) => { const log = window.__leMorphMap.log;
  const entry = [...log].reverse().find((e) => e.what.startsWith('strip'));
  const check = () => entry.shown !== null ? done(entry.shown - window.__leDown) : setTimeout(check, 5);
  check(); })"""


def strip_draws(page) -> int:
    return page.evaluate(STRIP_DRAWS)


def wait_for_strip(page, before: int, timeout: float = 10.0) -> int:
    """Waits until the widget has drawn a new strip since `before` (a strip_draws count); returns the count."""
    page.wait_for_function(f"(b) => ({STRIP_DRAWS})() > b", arg=before, timeout=1000 * timeout, polling=10)
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
    drawn = f"() => {{ const s = {STATE}; return !!(s && s.pathPixels && s.pathPixels.length > 1); }}"
    page.wait_for_function(drawn, timeout=1000 * timeout)
    return page.evaluate(PATH_POINT, t)


def browser_frames(page):
    return page.evaluate(FRAMES)


def shown(page) -> dict:
    """The widget's own view: endpoints (kind, id, label, index), model, method, frames, the strip's caption."""
    return page.evaluate(ENDS)


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
