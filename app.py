"""Latent Explorer: click two digits on a VAE's latent map and watch one morph into the other.

    streamlit run app.py

Reads top to bottom like the screen: sidebar controls, the map with its two
endpoints and the morph (sections/morph.py), "draw a digit" (sections/draw.py),
then "inside the model" (sections/inside.py). Everything they compute lives in
vae/ (models, paths) and explorer/ (figures, images, state, URL); the map itself
is a component in widgets/.
"""
from __future__ import annotations

import time
from functools import partial

import numpy as np
import streamlit as st

from explorer import figures, images
from explorer.share import FRAMES_RANGE, View, parse_query, to_query
from explorer.state import Endpoints, plane_point, test_digit
from sections.common import (endpoints, get_family, no_traceback, status, warm_up, weights_error,
                             weights_folder)
from sections.draw import draw_section
from sections.inside import inside_the_model
from sections.morph import compare_betas, morph, path_codes_for
from vae.atlas import MAP_LABELS
from vae.checkpoint import CheckpointError
from vae.family import Family, LoadedModel, Variant
from vae.paths import METHODS, decode
from widgets.latent_map import latent_map, load_plotly

MAP_KEY = "latent_map"
BACKDROP_STEPS = 20

st.set_page_config(page_title="Latent Explorer", page_icon="🧭", layout="wide")


@st.cache_resource(show_spinner=False)
def base_figure(_family: Family, name: str, map_name: str, backdrop: bool) -> str:
    """The 10,000-point map of one model as Plotly JSON, built once per (model, map, backdrop)."""
    loaded = _family.models[name]
    coords = loaded.atlas.maps[map_name]
    extent = plane_extent(loaded) if map_name == "plane" else None
    figure = figures.map_figure(
        coords, _family.labels, f"{name}: {MAP_LABELS[map_name]}",
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
def take_click(family: Family, loaded: LoadedModel) -> None:
    """Turns a map click into an endpoint, once.

    Runs as the map's on_click callback, so the new path shows in the same rerun, and
    again at the top of the map fragment, for clicks injected by AppTest; the click's
    serial number makes the second call a no-op.
    """
    event = st.session_state.get(MAP_KEY)
    click = event.get("click") if event else None
    if not click or click.get("index") is None:
        return
    signature = (click["index"], click.get("x"), click.get("y"), click.get("serial"))
    if signature == st.session_state.get("last_click"):
        return
    st.session_state.last_click = signature
    if int(click["index"]) == figures.GRID_INDEX:
        x, y = float(click["x"]), float(click["y"])
        image = decode(loaded.model, np.array([[x, y]], dtype=np.float32))[0]
        endpoints().click(plane_point(loaded, image, x, y))
    else:
        endpoints().click(test_digit(family, int(click["index"])))


def restore_from_url(family: Family) -> None:
    """On a session's first run, seeds the controls and endpoints from the URL's query parameters.
    Values that cannot be used fall back to defaults and are listed in a warning."""
    if "restored" in st.session_state:
        return
    st.session_state.restored = True
    view = parse_query(st.query_params.to_dict(), family)
    variant = Variant.parse(view.model)
    st.session_state.latent = variant.latent_size
    st.session_state[f"beta_z{variant.latent_size}"] = variant.beta
    st.session_state[f"map_z{variant.latent_size}"] = view.map_name
    st.session_state.method, st.session_state.frames, st.session_state.compare = view.method, view.frames, view.compare
    for index in (view.a, view.b):
        if index is not None:
            endpoints().click(test_digit(family, index))
    if view.warnings:
        st.warning("Some of this link's settings could not be used, so defaults stand in for them: "
                   + "; ".join(view.warnings) + ".")


def share_in_url(view: dict, chosen: Endpoints) -> None:
    """Keeps the URL in step with the view, so copying it shares exactly this morph."""
    ends = {end: (point.index if point is not None else None) for end, point in (("a", chosen.a), ("b", chosen.b))}
    query = to_query(View(model=view["loaded"].name, map_name=view["map_name"], method=view["method"],
                          frames=view["frames"], compare=view["compare"], **ends))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def sidebar(family: Family) -> dict:
    st.sidebar.title("Latent Explorer")
    latent = st.sidebar.radio(
        "Latent size", family.latent_sizes(), format_func=lambda z: f"z = {z}", horizontal=True, key="latent"
    )
    betas = family.betas(latent)
    # Defaults live in session state (not in value=), so the URL can seed them and a control
    # hidden for a while (beta when z = 2) comes back as it was left.
    st.session_state.setdefault(f"beta_z{latent}", 1.0 if 1.0 in betas else betas[0])
    st.session_state.setdefault("frames", 10)
    st.session_state.setdefault("backdrop", True)
    if len(betas) > 1:
        beta = st.sidebar.select_slider(
            "β (weight of the KL term)", options=betas, format_func=lambda b: f"{b:g}", key=f"beta_z{latent}",
        )
    else:
        beta = betas[0]
        st.sidebar.caption(f"β = {beta:g} (the only model shipped with z = {latent})")
    loaded = family.get(latent, beta)
    map_names = loaded.atlas.map_names
    map_name = st.sidebar.radio("Map", map_names, format_func=MAP_LABELS.get, key=f"map_z{latent}", horizontal=True)
    method = st.sidebar.radio("Path", METHODS, horizontal=True, key="method")
    frames = st.sidebar.slider("Frames", *FRAMES_RANGE, key="frames")
    compare = st.sidebar.toggle("Compare all β", key="compare", disabled=len(betas) < 2,
                                help="Encode the same two digits with every β model; one row per β.")
    backdrop = map_name == "plane" and st.sidebar.toggle(
        "Decoded digits behind the plane", key="backdrop",
        help="Tiles the plane with what the decoder draws at each point: the classic manifold picture.",
    )
    with st.sidebar.expander("What am I looking at?", expanded=True):
        st.markdown(
            "Each dot is one handwritten test digit, placed where a **variational autoencoder** "
            "encodes it. Click two dots: the page decodes the points on the path between them, "
            "so you watch one digit morph into the other. A plain autoencoder (**β = 0**) leaves "
            "holes between its codes, and the middle of a path decodes to smudges; the KL term "
            "(**β ≥ 1**) packs the codes into a smooth cloud, so every point decodes to something "
            "digit-like. Higher β is smoother but blurrier: switch on *compare all β* to see it."
        )
    return dict(loaded=loaded, map_name=map_name, method=method, frames=frames,
                compare=compare and len(betas) > 1, backdrop=backdrop)


def endpoint_card(column, title: str, endpoint, loaded: LoadedModel) -> None:
    with column:
        st.markdown(f"**{title}**")
        if endpoint is None:
            st.caption("not chosen")
            return
        reconstruction = decode(loaded.model, endpoint.latent(loaded)[None])[0]
        st.image(images.strip(np.stack([endpoint.image, reconstruction]), scale=3, end_gap=4),
                 caption=f"{endpoint.label}: original | reconstruction")


@st.fragment
def explorer(family: Family, view: dict, drawn) -> None:
    """Map, endpoints and morph: a click on the map reruns only this part of the page.
    Ends with a hidden run counter and the run's server-side time (for tests and benchmarks)."""
    started = time.perf_counter()
    map_and_morph(family, view, drawn)
    st.session_state.explorer_runs = st.session_state.get("explorer_runs", 0) + 1
    status("explorer", f"run {st.session_state.explorer_runs} in {1000 * (time.perf_counter() - started):.1f} ms")


@no_traceback
def map_and_morph(family: Family, view: dict, drawn) -> None:
    loaded, map_name = view["loaded"], view["map_name"]
    take_click(family, loaded)
    chosen = endpoints()
    share_in_url(view, chosen)
    base = base_figure(family, loaded.name, map_name, view["backdrop"])
    markers = {}
    path_codes = path_xy = None
    report = None
    if chosen.complete:
        path_codes, report = path_codes_for(loaded, chosen, view)
        path_xy = loaded.atlas.place(path_codes, map_name)
    for name, endpoint in (("A", chosen.a), ("B", chosen.b)):
        if endpoint is not None:
            markers[name] = loaded.atlas.place(endpoint.latent(loaded), map_name)[0]
    if drawn is not None:
        markers["drawn"] = loaded.atlas.place(drawn.latent(loaded), map_name)[0]

    left, right = st.columns([3, 2], gap="medium")
    with left:
        latent_map(
            base, f"{loaded.name}/{map_name}/{view['backdrop']}", figures.overlay_json(path_xy, markers),
            key=MAP_KEY, on_click=partial(take_click, family, loaded), config=figures.PLOT_CONFIG,
        )
    with right:
        st.markdown(
            "**Click a digit** to set **A**, another to set **B**; a third click starts a new pair."
            + (" On this plane you can click **anywhere**: empty space decodes too." if map_name == "plane" else "")
        )
        card_a, card_b = st.columns(2)
        endpoint_card(card_a, "A", chosen.a, loaded)
        endpoint_card(card_b, "B", chosen.b, loaded)
        swap, clear = st.columns(2)
        swap.button("⇄ Swap A and B", on_click=chosen.swap, disabled=not chosen.complete, use_container_width=True)
        clear.button("✕ Clear", on_click=chosen.clear, disabled=chosen.a is None, use_container_width=True)

    if not chosen.complete:
        st.info("Pick two endpoints on the map (or draw a digit below and use it as A or B) to see the morph.")
        return
    morph(family, loaded, chosen, path_codes, view, report)
    if view["compare"]:
        compare_betas(family, chosen, view)

def main() -> None:
    started = time.perf_counter()
    try:
        family = get_family(weights_folder())
    except FileNotFoundError as error:
        st.error(f"{error}")
        st.stop()
    except CheckpointError as error:
        weights_error(error)
        st.stop()
    load_plotly()
    restore_from_url(family)
    view = sidebar(family)
    st.title("Latent Explorer")
    st.caption("A VAE's latent space, made visible: 10,000 MNIST test digits, each where the encoder puts it.")
    map_slot = st.container()
    st.divider()
    drawn = draw_section(family, view["loaded"])
    st.divider()
    inside_the_model(family, view)
    with map_slot:
        explorer(family, view, drawn)
    warm_up(family, weights_folder())
    status("page", f"full run in {1000 * (time.perf_counter() - started):.1f} ms")


main()
