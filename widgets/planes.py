"""The lesson's first screen as one component: decoded N(0, I) draws per model, the two z = 2 planes drawn on
canvases, the training epochs to scrub or play, and the curves over epochs beneath.

    for event in new_events(key):   # every event since the last run, oldest first, checked:
        ...                         # {"serial", "type": "probe", "x", "y"}, {..."draw"} or {..."samples"}
    lesson_planes(key, data)        # data: what sections/lesson.py builds (manifest URLs, rows, probe, texts)

In the browser (widgets/planes.js), with no server round trip: the scale (both planes on one pair of axes,
or each on its own), the codes shown or hidden, the epoch (scrub or play) and the curves' cursor. The
arrays come over HTTP from the manifest's URLs (explorer/lesson_assets.py), fetched once and cached for
good. A click on a plane, "draw" and "new draws" reach the server as numbered events; each waits in a
queue until a run acknowledges it (the `ack` in the data), so none is lost to a busy server.

The code is served like the arrays (explorer/assets.py STORE, kind "js"): each element of each run
carries only a few-line loader, and the browser fetches the module once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from explorer.assets import STORE
from explorer.untrusted import number, whole

_HERE = Path(__file__).resolve().parent
MAX_QUEUE = 64  # events one message may carry; more than a person makes between two reruns
EVENT_TYPES = ("probe", "draw", "samples")


def _module_url() -> str:
    """The module: the decoder's arithmetic shared with the map (widgets/js/math.js, held to numpy by
    tests/test_browser_decoding.py), then the lesson's own code and style."""
    style = json.dumps((_HERE / "planes.css").read_text())
    source = (_HERE / "js" / "math.js").read_text() + "\n" + (_HERE / "planes.js").read_text()
    source += "\nif (!document.getElementById('lp-style')) { const tag = document.createElement('style'); "
    source += f"tag.id = 'lp-style'; tag.textContent = {style}; document.head.appendChild(tag); }}\n"
    return STORE.put(source.encode(), "js")


# A component's function may not wait: it starts the import and hands back a cleanup that reaches the
# module's own once it has run.
LOADER = """const loading = import(new URL(%s, window.location.href).href);
export default function (component) {
  let cleanup = null, gone = false;
  loading.then((module) => { if (!gone) cleanup = module.default(component); }, (error) => {
    component.parentElement.textContent = `The lesson's code did not load (${error.message}): reload the page.`;
  });
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}"""
_COMPONENT = st.components.v2.component(
    "latent_explorer_lesson_planes",
    js=LOADER % json.dumps(_module_url()),
    isolate_styles=False,  # in the page's DOM: its text is the page's text (read, counted, found by tests)
)


def _ack_key(key: str) -> str:
    return f"_lesson_planes_ack:{key}"


def _clean(event) -> dict | None:
    """One event from the browser with only the fields its type has; None when it is not one."""
    if not isinstance(event, Mapping):
        return None
    serial, kind = whole(event.get("serial")), event.get("type")
    if serial is None or kind not in EVENT_TYPES:
        return None
    clean = {"serial": serial, "type": kind}
    if kind == "probe":
        clean.update(x=number(event.get("x")), y=number(event.get("y")))
    return clean


def new_events(key: str) -> list[dict]:
    """The events of component `key` that no run has handled yet, oldest first; marks them handled.
    Untrusted: malformed entries are dropped here, and the caller checks the values it uses."""
    state = st.session_state.get(key)
    try:
        latest = state["event"] if isinstance(state, Mapping) else getattr(state, "event", None)
    except (KeyError, TypeError):
        latest = None
    if not isinstance(latest, Mapping):
        return []
    pending = latest.get("pending")
    queue = list(pending[-MAX_QUEUE:]) if isinstance(pending, list) else []
    handled = st.session_state.get(_ack_key(key), 0)
    fresh, seen = [], handled
    for event in map(_clean, [*queue, latest]):
        if event is not None and event["serial"] > seen:
            fresh.append(event)
            seen = event["serial"]
    st.session_state[_ack_key(key)] = seen
    return fresh


def lesson_planes(key: str, data: dict) -> None:
    """Draws component `key` with `data` (sections/lesson.py first_screen_data)."""
    _COMPONENT(
        data={**data, "name": key, "ack": st.session_state.get(_ack_key(key), 0)},
        key=key,
        on_event_change=lambda: None,
    )
