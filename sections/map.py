"""The explorer: the latent map, the two endpoints, and the morph between them.

A click on the map reruns only this fragment. The rerun reads the click (checked:
a forged payload gets a message, never an error), computes the path once
(sections/morph.py: codes, frames, report) and hands that one result to the map
overlay, the morph strip and its charts.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from explorer import figures, images, sprites
from explorer.safe_text import plain
from explorer.share import View
from explorer.state import Endpoint, Endpoints, plane_point, test_digit
from vae.atlas import MAP_LABELS
from vae.family import Family, LoadedModel
from widgets.latent_map import latent_map, new_clicks

from . import session
from .find import card, find_panel
from .morph import compare_betas, morph, path_for
from .runtime import no_traceback, status

BACKDROP_STEPS = 20
CLICK_LOG = "map_click_log"  # the last clicks handled, for the page's status marker (tests read it)


@st.cache_resource(show_spinner=False)
def map_extent(_family: Family, latent: int, map_name: str, autoencoder: bool) -> figures.Extent | None:
    """Axis ranges shared by every VAE (β > 0) of one latent size on a PCA map or the plane, so switching β
    shows the codes spread or pack against the prior's circles; None for t-SNE (it keeps no scale). A plain
    autoencoder (β = 0) has no KL term to fix its scale: its codes span about 5× more, so it gets its own
    axes (its circles show how far it strays). On the plane these are also exactly where a click decodes."""
    if map_name == "tsne":
        return None
    maps = [
        m.atlas.maps[map_name]
        for m in _family.models.values()
        if m.variant.latent_size == latent and map_name in m.atlas.maps and (m.variant.beta == 0) == autoencoder
    ]
    return figures.shared_extent(maps, square=map_name == "plane")


def extent_of(family: Family, loaded: LoadedModel, map_name: str) -> figures.Extent | None:
    return map_extent(family, loaded.variant.latent_size, map_name, loaded.variant.beta == 0)


def plane_extent(family: Family, loaded: LoadedModel) -> figures.Extent:
    return extent_of(family, loaded, "plane")


@st.cache_resource(show_spinner=False)
def base_figure(_family: Family, name: str, map_name: str, backdrop: bool) -> str:
    """The 10,000-point map of one model as Plotly JSON, built once per (model, map, backdrop)."""
    loaded = _family.models[name]
    coords = loaded.atlas.maps[map_name]
    extent = extent_of(_family, loaded, map_name)
    prior = None
    if map_name == "pca":
        prior = figures.prior_centre(loaded.atlas.pca_mean, loaded.atlas.pca_components)
    elif map_name == "plane":
        prior = figures.prior_centre(None, None)
    plane = map_name == "plane"
    figure = figures.map_figure(
        coords,
        _family.labels,
        f"{name}: {MAP_LABELS[map_name]}" + axes_note(loaded, map_name),
        plane_grid=figures.plane_grid(extent) if plane else None,
        extent=extent,
        prior=prior,
        faint=plane and backdrop,
    )
    if plane and backdrop:
        x0, x1, y0, y1 = extent
        cell_x, cell_y = (x1 - x0) / BACKDROP_STEPS / 2, (y1 - y0) / BACKDROP_STEPS / 2
        xs = np.linspace(x0 + cell_x, x1 - cell_x, BACKDROP_STEPS)  # tile centres; the tiles fill the extent
        ys = np.linspace(y1 - cell_y, y0 + cell_y, BACKDROP_STEPS)  # top row first
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        mosaic = images.manifold(loaded.model.decode(grid), BACKDROP_STEPS)
        figures.add_backdrop(figure, mosaic, extent)
    return figure.to_json()


def axes_note(loaded: LoadedModel, map_name: str) -> str:
    if map_name == "tsne":
        return " (no scale: compare clusters, not distances)"
    if loaded.variant.beta == 0:
        return " (own axes: codes spread ~5× wider)"
    return " (axes shared by β > 0; prior 1σ, 2σ)"


@st.cache_resource(show_spinner=False)
def digit_sprite(_family: Family) -> str:
    """The 10,000 test digits as one PNG data URL, sent to a browser once (hover images)."""
    return sprites.digits_sprite(_family.images)


@st.cache_resource(show_spinner=False, max_entries=8)
def model_sprite(_family: Family, name: str) -> str:
    """What model `name` draws back for each test digit, as one PNG data URL."""
    loaded = _family.models[name]
    return sprites.reconstruction_sprite(loaded.model, loaded.atlas.mu)


@st.cache_resource(show_spinner=False, max_entries=4)
def plane_decoder(_family: Family, name: str) -> dict:
    """A z = 2 decoder's weights, so the browser decodes under the pointer while hovering."""
    return sprites.decoder_weights(_family.models[name].model)


def endpoint_for(family: Family, loaded: LoadedModel, click: dict) -> Endpoint:
    """The endpoint one map click asks for.

    The payload comes from the browser, so it is checked like any visitor input: a test
    index must be a whole number in range, a plane point two finite numbers inside the
    plane; anything else raises ValueError naming what arrived (echoed with safe_text.plain).
    """
    index = click["index"]
    if index == figures.GRID_INDEX and loaded.variant.latent_size == 2:
        x, y = click.get("x"), click.get("y")
        x0, x1, y0, y1 = plane_extent(family, loaded)
        if x is None or y is None or not (x0 <= x <= x1 and y0 <= y <= y1):
            raise ValueError(f"the point {plain((x, y))} is outside the plane")
        image = loaded.model.decode(np.array([[x, y]], dtype=np.float32))[0]
        return plane_point(loaded, image, x, y)
    if not 0 <= index < len(family.labels):
        raise ValueError(f"{plain(index)} is not a test digit")
    return test_digit(family, index)


def take_clicks(family: Family, loaded: LoadedModel, chosen: Endpoints) -> None:
    """Applies every map click since the last run, oldest first (none is lost to a busy server)."""
    log = st.session_state.setdefault(CLICK_LOG, [])
    for click in new_clicks(session.MAP):
        try:
            endpoint = endpoint_for(family, loaded, click)
        except ValueError as error:
            st.warning(f"A map click could not be used: {error}.")
            continue
        chosen.click(endpoint)
        log.append(click["index"])
    del log[:-32]
    status("clicks", " ".join(str(index) for index in log))


def endpoint_card(column, title: str, endpoint: Endpoint | None, loaded: LoadedModel) -> None:
    with column:
        st.markdown(f"**{title}**")
        if endpoint is None:
            st.caption("not chosen")
            return
        reconstruction = loaded.model.decode(endpoint.latent(loaded)[None])[0]
        picture, caption = card(endpoint, loaded.name, reconstruction)
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
    take_clicks(family, loaded, chosen)
    session.share_in_url(view, chosen)
    result = path_for(loaded, chosen, view) if chosen.complete else None

    left, right = st.columns([3, 2], gap="medium")
    with left:
        map_panel(family, loaded, view, chosen, drawn, result)
    with right:
        st.markdown(
            "**Click a digit** to set **A**, another to set **B**; a third click starts a new pair."
            " Hover a dot to see its digit and its reconstruction."
            + (
                " On this plane you can click **anywhere**: empty space decodes too."
                if view.map_name == "plane"
                else ""
            )
        )
        card_a, card_b = st.columns(2)
        endpoint_card(card_a, "A", chosen.a, loaded)
        endpoint_card(card_b, "B", chosen.b, loaded)
        swap, clear = st.columns(2)
        swap.button(
            "⇄ Swap A and B",
            on_click=chosen.swap,
            disabled=not chosen.complete,
            key="swap_ends",
            use_container_width=True,
        )
        clear.button(
            "✕ Clear", on_click=chosen.clear, disabled=chosen.empty, key="clear_ends", use_container_width=True
        )
        find_panel(family, loaded, chosen)

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
    plane = view.map_name == "plane"
    latent_map(
        session.MAP,
        f"{loaded.name}/{view.map_name}/{view.backdrop}",
        base_figure(family, loaded.name, view.map_name, view.backdrop),
        figures.overlay_json(path_xy, markers),
        figures.PLOT_CONFIG,
        digits=digit_sprite(family),
        recon=model_sprite(family, loaded.name),
        decoder=plane_decoder(family, loaded.name) if plane else None,
        bounds=plane_extent(family, loaded) if plane else None,
        on_click=ignore_click,
    )
