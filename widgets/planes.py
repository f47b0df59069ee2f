"""The lesson's first screen as one component: decoded N(0, I) draws per model, the two z = 2 planes drawn on
canvases, the training epochs to scrub or play, and the curves over epochs beneath.

    for event in new_events(key):   # every event since the last run, oldest first, checked:
        ...                         # {"serial", "type": "probe" | "draw", "x", "y"}, {..."samples"}, {..."eps"},
                                # {..."preset", "index"}
    lesson_planes(key, data)        # data: what sections/lesson.py builds (manifest URLs, rows, probe, texts)

In the browser (viewer/lesson/, mounted by the viewer's host), with no server round trip: the scale (both
planes on one pair of axes, or each on its own), the codes shown or hidden, the epoch (scrub or play) and
the curves' cursor, and every figure computed from the models (the draws, the probes, q(z|x) sampled). The
arrays come over HTTP from the manifest's URLs (explorer/lesson_assets.py), fetched once and cached for good.
A click on a plane, a draw, "new draws" and "new ε" reach the server as numbered events
(viewer/core/protocol.js; widgets/component.py is this side): each waits in a queue until a run
acknowledges it (the `ack` in the data), so none is lost to a busy server.
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.untrusted import number

from .component import acknowledged, module_component, take_events

EVENT_TYPES = ("probe", "draw", "samples", "eps", "preset")


_COMPONENT = module_component(
    "latent_explorer_lesson_planes",
    "The lesson's",
    isolate_styles=False,  # in the page's DOM: its text is the page's text (read, counted, found by tests)
)


def _fields(kind: str, event: Mapping) -> dict:
    """An event's own fields: the point of a probe or a draw, a preset's index (None where unusable)."""
    if kind == "preset":
        index = event.get("index")
        return {"index": index if type(index) is int and 0 <= index < 100 else None}
    return {"x": number(event.get("x")), "y": number(event.get("y"))} if kind in ("probe", "draw") else {}


def new_events(key: str) -> list[dict]:
    """The events of component `key` that no run has handled yet, oldest first, with their own fields only."""
    return take_events(key, EVENT_TYPES, _fields)


def lesson_planes(key: str, data: dict, on_event=None) -> None:
    """Draws component `key` with `data` (sections/lesson.py screen_data, role "lesson"; or, from the explore
    view, role "prefetch" with the URLs to fetch while idle: sections/lesson.py prefetch_lesson); `on_event` runs
    before the script when an event arrives (read them with new_events)."""
    _COMPONENT(
        data={"role": "lesson", **data, "name": key, "ack": acknowledged(key)},
        key=key,
        on_event_change=on_event or (lambda: None),
    )
