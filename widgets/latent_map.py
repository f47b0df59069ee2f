"""The latent map component: a Plotly graph that stays mounted, so a click redraws only the overlay.

    for click in new_clicks(key):                      # every click since the last run, in order
        ...                                            # {"serial", "index", "x", "y"}; index -1 = empty plane
    latent_map(key, version, base_json, overlay_json, config=PLOT_CONFIG,
               digits=digits_url, recon=recon_url, decoder=weights, bounds=(x0, x1, y0, y1))

`base_json` is the 10,000-point figure as Plotly JSON (cache it); `version` names
it, and the browser redraws the base only when the version changes. The heavy,
per-model data (the base figure, the reconstruction sprite, a z = 2 decoder's
weights) travel in a hidden sibling element whose message never changes between
clicks, so Streamlit's message cache sends it once and a click sends only the
overlay. The test-digit sprite has its own sibling, shared by every model.

In the browser (widgets/latent_map.js):
  * hover: the nearest digit's image and reconstruction beside the pointer, cut
    from the sprites; on a z = 2 plane (`decoder` given) what the decoder draws
    under the pointer, computed there. Nothing is sent to the server.
  * clicks: the nearest visible digit within a few pixels of the click (or tap);
    with `bounds`, a click on empty plane inside them arrives as index -1 with
    its x, y. Every click gets a serial and waits in a queue until a run has
    handled it (`new_clicks` acknowledges it in the next render), so clicks made
    faster than the page reruns all arrive, in order; serials continue across
    remounts.
  * the graph's height follows its width; a bounded wait for Plotly, with a
    message and a Retry button if it never comes.

Several maps can share a page: give each its own key.
Plotly.js itself comes from Streamlit's own Plotly bundle, which the page loads
by rendering one tiny, hidden st.plotly_chart (`load_plotly`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from explorer.untrusted import number, whole

_COMPONENT = st.components.v2.component(
    "latent_explorer_map",
    js=(Path(__file__).with_suffix(".js")).read_text(),
    css=(Path(__file__).with_suffix(".css")).read_text(),
    isolate_styles=False,  # Plotly styles its modebar and hover labels from the document's stylesheet
)
MAX_QUEUE = 64  # clicks one message may carry; more than a person makes between two reruns


def load_plotly() -> None:
    """Makes Streamlit load its Plotly bundle (window.Plotly) with an invisible 1-pixel chart."""
    with st.container(key="le-plotly-loader", height=1, border=False):
        st.plotly_chart(go.Figure(layout=dict(height=10, width=10)), key="le-plotly-loader-chart")
    st.html("<style>.st-key-le-plotly-loader { display: none; }</style>")


def _ack_key(key: str) -> str:
    return f"_latent_map_ack:{key}"


def _clean(click) -> dict | None:
    """One click from the browser, checked: a whole serial and index, finite or absent x and y."""
    if not isinstance(click, Mapping):
        return None
    serial, index = whole(click.get("serial")), whole(click.get("index"))
    if serial is None or index is None:
        return None
    return {"serial": serial, "index": index, "x": number(click.get("x")), "y": number(click.get("y"))}


def new_clicks(key: str) -> list[dict]:
    """The clicks on map `key` that no run has handled yet, oldest first, each
    {"serial": int, "index": int, "x": float | None, "y": float | None}; marks them handled.

    The payload comes from the browser and is untrusted: malformed entries are dropped
    here, and the caller still checks the index and coordinates against the model.
    Safe to call twice in a run (the second call returns nothing).
    """
    event = st.session_state.get(key)
    try:
        latest = event["click"] if isinstance(event, Mapping) else getattr(event, "click", None)
    except (KeyError, TypeError):
        latest = None
    if not isinstance(latest, Mapping):
        return []
    pending = latest.get("pending")
    queue = list(pending[-MAX_QUEUE:]) if isinstance(pending, list) else []
    handled = st.session_state.get(_ack_key(key), 0)
    fresh, seen = [], handled
    for click in map(_clean, [*queue, latest]):
        if click is not None and click["serial"] > seen:
            fresh.append(click)
            seen = click["serial"]
    st.session_state[_ack_key(key)] = seen
    return fresh


def _hidden(key: str, data: dict) -> None:
    with st.container(key=key, height=1, border=False):
        _COMPONENT(data=data, key=f"{key}-data")
    st.html(f"<style>.st-key-{key} {{ display: none; }}</style>")


def latent_map(
    key: str,
    version: str,
    base_json: str,
    overlay_json: str,
    config: dict | None = None,
    *,
    digits: str | None = None,
    digits_version: str = "mnist-test",
    recon: str | None = None,
    decoder: dict | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    on_click=None,
    aspect: float = 0.82,
) -> None:
    """Draws map `key`.

    version: names (base_json, recon, decoder); the browser rebuilds the graph when it changes.
    digits: the test-digit sprite (explorer/sprites.py), named by digits_version; recon: one
    model's reconstruction sprite; decoder: a z = 2 decoder's weights (hover decodes anywhere).
    bounds: (x0, x1, y0, y1) inside which a click on empty space counts (index -1), or None.
    on_click: called when a click arrives (before the script runs); read them with new_clicks.
    aspect: height / width of the graph (bounded by the window's height).
    """
    if digits is not None:
        _hidden(f"{key}-digits", {"role": "digits", "version": digits_version, "sprite": digits})
    _hidden(
        f"{key}-assets", {"role": "assets", "version": version, "base": base_json, "recon": recon, "decoder": decoder}
    )
    _COMPONENT(
        data={
            "role": "map",
            "name": key,
            "version": version,
            "digits": digits_version if digits is not None else None,
            "overlay": overlay_json,
            "config": config or {},
            "bounds": list(bounds) if bounds else None,
            "ack": st.session_state.get(_ack_key(key), 0),
            "aspect": aspect,
        },
        key=key,
        on_click_change=on_click or (lambda: None),
    )
