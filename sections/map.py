"""The explorer: the latent map, the two endpoints, and the morph between them.

A click on the map reruns only this fragment. The rerun reads the click (checked:
a forged payload gets a message, never an error), computes the path once
(sections/morph.py: codes, frames, report) and hands that one result to the map
overlay, the morph strip and its charts.
"""

from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st

from explorer import figures, images
from explorer.share import View
from explorer.state import Endpoint, Endpoints, plane_point, test_digit
from vae.atlas import MAP_LABELS
from vae.family import Family, LoadedModel
from vae.paths import decode
from widgets.latent_map import latent_map

from . import session
from .morph import compare_betas, morph, path_for
from .runtime import no_traceback, status

BACKDROP_STEPS = 20


@st.cache_resource(show_spinner=False)
def base_figure(_family: Family, name: str, map_name: str, backdrop: bool) -> str:
    """The 10,000-point map of one model as Plotly JSON, built once per (model, map, backdrop)."""
    loaded = _family.models[name]
    coords = loaded.atlas.maps[map_name]
    extent = plane_extent(loaded) if map_name == "plane" else None
    figure = figures.map_figure(
        coords,
        _family.labels,
        f"{name}: {MAP_LABELS[map_name]}",
        plane_grid=figures.plane_grid(extent) if extent else None,
    )
    if extent and backdrop:
        x0, x1, y0, y1 = extent
        xs = np.linspace(x0, x1, BACKDROP_STEPS)
        ys = np.linspace(y1, y0, BACKDROP_STEPS)  # top row first
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        cell_x, cell_y = (x1 - x0) / (BACKDROP_STEPS - 1) / 2, (y1 - y0) / (BACKDROP_STEPS - 1) / 2
        mosaic = images.manifold(decode(loaded.model, grid), BACKDROP_STEPS)
        figures.add_backdrop(figure, mosaic, (x0 - cell_x, x1 + cell_x, y0 - cell_y, y1 + cell_y))
    return figure.to_json()


def plane_extent(loaded: LoadedModel) -> tuple[float, float, float, float]:
    low, high = np.percentile(loaded.atlas.maps["plane"], [0.5, 99.5], axis=0)
    return float(low[0]) - 0.3, float(high[0]) + 0.3, float(low[1]) - 0.3, float(high[1]) + 0.3


def read_click(family: Family, loaded: LoadedModel) -> Endpoint | None:
    """The endpoint a new map click asks for, or None (no click, or one already handled).

    The payload comes from the browser, so it is checked like any visitor input: a test
    index must be a whole number in range, a plane point two finite numbers inside the
    plane; anything else raises ValueError with a message for the page.
    """
    event = st.session_state.get(session.MAP)
    click = event.get("click") if isinstance(event, dict) else None
    if not isinstance(click, dict) or click.get("index") is None:
        return None
    signature = repr(sorted(click.items()))[:500]
    if signature == st.session_state.get(session.LAST_CLICK):
        return None
    st.session_state[session.LAST_CLICK] = signature
    index = _whole(click.get("index"))
    if index == figures.GRID_INDEX and loaded.variant.latent_size == 2:
        x, y = _finite(click.get("x")), _finite(click.get("y"))
        x0, x1, y0, y1 = plane_extent(loaded)
        if x is None or y is None or not (x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1):
            raise ValueError("that click was outside the plane")
        image = decode(loaded.model, np.array([[x, y]], dtype=np.float32))[0]
        return plane_point(loaded, image, x, y)
    if index is None or not 0 <= index < len(family.labels):
        raise ValueError("that click did not name a test digit")
    return test_digit(family, index)


def _whole(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else None


def _finite(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def endpoint_card(column, title: str, endpoint: Endpoint | None, loaded: LoadedModel) -> None:
    with column:
        st.markdown(f"**{title}**")
        if endpoint is None:
            st.caption("not chosen")
            return
        reconstruction = decode(loaded.model, endpoint.latent(loaded)[None])[0]
        if endpoint.kind == "plane":
            picture, caption = reconstruction[None], f"{endpoint.label}: what the decoder draws there"
        else:
            picture = np.stack([endpoint.image, reconstruction])
            caption = f"{endpoint.label}: original | reconstruction"
            if endpoint.kind == "drawn":
                caption += " (a drawing is not kept in the link: it stays in this browser session)"
        st.image(images.strip(picture, scale=3, end_gap=4), caption=caption)


def ignore_click() -> None:
    """The component needs a callback to report clicks; they are read at the top of the fragment,
    inside the error guard, so a forged payload can never reach Streamlit's own error box."""


@st.fragment
def explorer(family: Family, view: View, drawn: Endpoint | None) -> None:
    """Map, endpoints and morph: a click on the map reruns only this part of the page.
    Ends with a hidden run counter and the run's server-side time (for tests and benchmarks)."""
    started = time.perf_counter()
    map_and_morph(family, view, drawn)
    st.session_state.explorer_runs = st.session_state.get("explorer_runs", 0) + 1
    status("explorer", f"run {st.session_state.explorer_runs} in {1000 * (time.perf_counter() - started):.1f} ms")


@no_traceback
def map_and_morph(family: Family, view: View, drawn: Endpoint | None) -> None:
    loaded = family.models[view.model]
    chosen = session.endpoints()
    try:
        clicked = read_click(family, loaded)
    except ValueError as error:
        st.warning(f"A map click could not be used: {error}.")
        clicked = None
    if clicked is not None:
        chosen.click(clicked)
    session.share_in_url(view, chosen)
    result = path_for(loaded, chosen, view) if chosen.complete else None

    left, right = st.columns([3, 2], gap="medium")
    with left:
        map_panel(family, loaded, view, chosen, drawn, result)
    with right:
        st.markdown(
            "**Click a digit** to set **A**, another to set **B**; a third click starts a new pair."
            + (" On this plane you can click **anywhere**: empty space decodes too." if view.map_name == "plane" else "")
        )
        card_a, card_b = st.columns(2)
        endpoint_card(card_a, "A", chosen.a, loaded)
        endpoint_card(card_b, "B", chosen.b, loaded)
        swap, clear = st.columns(2)
        swap.button("⇄ Swap A and B", on_click=chosen.swap, disabled=not chosen.complete, key="swap_ends",
                    use_container_width=True)
        clear.button("✕ Clear", on_click=chosen.clear, disabled=chosen.empty, key="clear_ends",
                     use_container_width=True)

    if result is None:
        st.info("Pick two endpoints on the map (or draw a digit below and use it as A or B) to see the morph.")
        return
    morph(family, loaded, view, chosen, result)
    if view.compare:
        compare_betas(family, view, chosen, result)


def map_panel(family: Family, loaded: LoadedModel, view: View, chosen: Endpoints, drawn, result) -> None:
    markers = {}
    for name, endpoint in (("A", chosen.a), ("B", chosen.b), ("drawn", drawn)):
        if endpoint is not None:
            markers[name] = loaded.atlas.place(endpoint.latent(loaded), view.map_name)[0]
    path_xy = loaded.atlas.place(result.codes, view.map_name) if result is not None else None
    base = base_figure(family, loaded.name, view.map_name, view.backdrop)
    latent_map(
        base,
        f"{loaded.name}/{view.map_name}/{view.backdrop}",
        figures.overlay_json(path_xy, markers),
        key=session.MAP,
        on_click=ignore_click,
        config=figures.PLOT_CONFIG,
    )
