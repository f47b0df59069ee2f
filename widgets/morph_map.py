"""The explorer widget: the latent map and the morph beside it, in one component that stays mounted.

    for event in new_events(key):              # every event since the last run, in order, checked
        ...                                    # {"serial", "type", ...}: the types are listed below
    morph_map(key, data, on_event=callback)    # data: what sections/map.py builds (view, endpoints, URLs...)
    chart(key, figure, anchor=None)            # a plain Plotly figure dict, drawn by the browser's Plotly

The browser (widgets/js/*.js, concatenated in order into one module) fetches each model's
decoder, test codes and map coordinates once over HTTP (explorer/assets.py), draws the map with
Streamlit's own Plotly, and decodes every frame itself: a click, a drag of A or B, a scrub along
the path or the strip, a change of β, path or frame count redraws within a frame, then reaches
the server as an event. Events carry serials and wait in a queue until a run acknowledges them
(the `ack` in the data), so none is lost to a busy server and the browser's newer view wins
until the server has caught up.

Events (`type` and its fields; everything else is dropped, and sections/map.py still checks the
values against what is shipped):
    pick   index                a click on test digit `index`
    point  map, x, y            a click on empty space of the plane or a PCA map
    set    end, index | map, x, y   A or B dropped after a drag
    swap, clear
    view   model, map, method, frames, compare, backdrop   the controls above and beside the map
Plotly.js itself comes from Streamlit's own Plotly bundle, which the page loads by rendering one
tiny, hidden st.plotly_chart (`load_plotly`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from explorer.assets import STORE
from explorer.untrusted import number, whole

SCRIPTS = ("math.js", "assets.js", "map.js", "panel.js", "main.js")  # one module, in this order
_HERE = Path(__file__).resolve().parent


def _module_url() -> str:
    """The widget's code and style as one JavaScript module, served (and cached for good) like the models'
    arrays. Streamlit sends an inline component's code with every element of every run; this way each
    element carries only the few-line loader below, and the browser fetches the module once."""
    style = json.dumps((_HERE / "morph_map.css").read_text())
    source = "\n".join((_HERE / "js" / name).read_text() for name in SCRIPTS)
    source += "\nif (!document.getElementById('le-style')) { const tag = document.createElement('style'); "
    source += f"tag.id = 'le-style'; tag.textContent = {style}; document.head.appendChild(tag); }}\n"
    return STORE.put(source.encode(), "js")


# A component's function may not wait: it starts the import and hands back a cleanup that reaches the
# module's own once it has run (the module keeps one widget per element, so a repeated call is cheap).
LOADER = """const loading = import(new URL(%s, window.location.href).href);
export default function (component) {
  let cleanup = null, gone = false;
  loading.then((module) => { if (!gone) cleanup = module.default(component); }, (error) => {
    component.parentElement.textContent = `The map's code did not load (${error.message}): reload the page.`;
  });
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}"""
_COMPONENT = st.components.v2.component(
    "latent_explorer_morph_map",
    js=LOADER % json.dumps(_module_url()),
    isolate_styles=False,  # Plotly styles its modebar from the document's stylesheet
)
MAX_QUEUE = 64  # events one message may carry; more than a person makes between two reruns
EVENT_TYPES = ("pick", "point", "set", "swap", "clear", "view")
TEXT_LIMIT = 40  # characters of a model, map or method name from the browser


def load_plotly() -> None:
    """Makes Streamlit load its Plotly bundle (window.Plotly) with an invisible 1-pixel chart."""
    with st.container(key="le-plotly-loader", height=1, border=False):
        st.plotly_chart(go.Figure(layout=dict(height=10, width=10)), key="le-plotly-loader-chart")
    st.html("<style>.st-key-le-plotly-loader { display: none; }</style>")


def _ack_key(key: str) -> str:
    return f"_morph_map_ack:{key}"


def _text(value) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= TEXT_LIMIT else None


def _clean(event) -> dict | None:
    """One event from the browser, with only the fields its type has, each of the right type; else None."""
    if not isinstance(event, Mapping):
        return None
    serial, kind = whole(event.get("serial")), event.get("type")
    if serial is None or kind not in EVENT_TYPES:
        return None
    clean = {"serial": serial, "type": kind}
    if kind in ("pick", "set") and "index" in event:
        clean["index"] = whole(event.get("index"))
    if kind in ("point", "set") and "map" in event:
        clean.update(map=_text(event.get("map")), x=number(event.get("x")), y=number(event.get("y")))
    if kind == "set":
        clean["end"] = event.get("end") if event.get("end") in ("a", "b") else None
    if kind == "view":
        clean.update(
            model=_text(event.get("model")),
            map=_text(event.get("map")),
            method=_text(event.get("method")),
            frames=whole(event.get("frames")),
            compare=event.get("compare") if isinstance(event.get("compare"), bool) else None,
            backdrop=event.get("backdrop") if isinstance(event.get("backdrop"), bool) else None,
        )
    return clean


def new_events(key: str) -> list[dict]:
    """The events of widget `key` that no run has handled yet, oldest first; marks them handled.

    The payload comes from the browser and is untrusted: malformed entries are dropped here
    (fields keep their names with None where a value was unusable), and the caller still checks
    indices, points and names against the model. Safe to call twice in a run (the second call
    returns nothing).
    """
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


def acknowledged(key: str) -> int:
    return st.session_state.get(_ack_key(key), 0)


def morph_map(key: str, data: dict, on_event=None) -> None:
    """Draws widget `key` with `data` (sections/map.py widget_data); `on_event` runs before the script
    when an event arrives (read them with new_events)."""
    _COMPONENT(
        data={**data, "role": "explorer", "name": key, "ack": acknowledged(key)},
        key=key,
        on_event_change=on_event or (lambda: None),
    )


def chart(key: str, figure: dict, anchor: str | None = None, config: dict | None = None) -> None:
    """A Plotly figure given as a plain dict (explorer/charts.py), drawn by the browser."""
    _COMPONENT(data={"role": "chart", "figure": figure, "anchor": anchor, "config": config}, key=key)


def scroll_to_top(now: bool) -> None:
    """Scrolls the page to its top when `now` (a switch of view, or a preset that opens the map). Drawn on
    every run either way, so the elements after it keep their places."""
    if now:
        st.session_state["_scroll_token"] = st.session_state.get("_scroll_token", 0) + 1
    with st.container(key="le-scroller", height=1, border=False):
        _COMPONENT(data={"role": "scroll", "token": st.session_state.get("_scroll_token", 0)}, key="le-scroll")
    st.html("<style>.st-key-le-scroller { display: none; }</style>")
