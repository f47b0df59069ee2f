"""The explorer widget: the latent map and the morph beside it, in one component that stays mounted.

    for event in new_events(key):              # every event since the last run, in order, checked
        ...                                    # {"serial", "type", ...}: the types are listed below
    morph_map(key, data, on_event=callback)    # data: what sections/map.py builds (view, endpoints, URLs...)
    chart(key, figure, anchor=None)            # a plain Plotly figure dict, drawn by the browser's Plotly

The browser (viewer/explore/, ES modules hosted by viewer/hosts/streamlit.js) fetches each model's
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

from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from explorer.untrusted import number, whole

from .component import acknowledged, module_component, take_events

_COMPONENT = module_component(
    "latent_explorer_morph_map",
    "The map's",
    isolate_styles=False,  # Plotly styles its modebar from the document's stylesheet
)
EVENT_TYPES = ("pick", "point", "set", "swap", "clear", "view")
TEXT_LIMIT = 40  # characters of a model, map or method name from the browser


def load_plotly() -> None:
    """Makes Streamlit load its Plotly bundle (window.Plotly) with an invisible 1-pixel chart."""
    with st.container(key="le-plotly-loader", height=1, border=False):
        st.plotly_chart(go.Figure(layout=dict(height=10, width=10)), key="le-plotly-loader-chart")
    st.html("<style>.st-key-le-plotly-loader { display: none; }</style>")


def _text(value) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= TEXT_LIMIT else None


def _fields(kind: str, event: Mapping) -> dict:
    """An event's own fields, each of the right type or None."""
    clean = {}
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
        if "mr" in event:  # the β slider: null turns it off; what is not a number (False) is refused, keeping it
            value = event.get("mr")
            clean["mr"] = None if value is None else number(value) if number(value) is not None else False
    return clean


def new_events(key: str) -> list[dict]:
    """The events of widget `key` that no run has handled yet, oldest first, with their own fields only."""
    return take_events(key, EVENT_TYPES, _fields)


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
