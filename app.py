"""Latent Explorer: click two digits on a VAE's latent map and watch one morph into the other.

    streamlit run app.py

Reads top to bottom like the screen: sidebar controls, the map with its two
endpoints, the morph strip (or one strip per beta), then "draw a digit".
Everything it computes lives in vae/ (models, paths) and explorer/ (figures,
images, endpoint state); this file only lays it out.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from functools import partial, wraps

import numpy as np
import streamlit as st

from explorer import figures, images
from explorer.share import FRAMES_RANGE, View, parse_query, to_query
from explorer.state import Endpoints, drawn_digit, plane_point, test_digit
from vae.atlas import MAP_LABELS
from vae.checkpoint import CheckpointError
from vae.drawing import DrawingError, read_upload, to_mnist
from vae.family import DEFAULT_WEIGHTS, Family, LoadedModel, Variant, load_family
from vae.analytics import analyse_path
from vae.geodesic import geodesic_path
from vae.paths import METHODS, decode, interpolate
from vae.traversals import active_dimensions, kl_per_dimension, prior_samples, traverse
from widgets.latent_map import latent_map, load_plotly

WEIGHTS = os.environ.get("LATENT_EXPLORER_WEIGHTS", str(DEFAULT_WEIGHTS))
MAP_KEY = "latent_map"
BACKDROP_STEPS = 20
GEODESIC_POINTS = 16

st.set_page_config(page_title="Latent Explorer", page_icon="🧭", layout="wide")
log = logging.getLogger("latent_explorer")


def no_traceback(section):
    """Last line of defence: an unexpected error becomes a message, and the rest of the page lives."""

    @wraps(section)
    def guarded(*args, **kwargs):
        try:
            return section(*args, **kwargs)
        except CheckpointError as error:  # a model file that passed the first check but cannot be built
            st.error(f"A shipped model file cannot be used: {error}. Restore it with `git checkout weights/` "
                     "or retrain with `python train.py`.")
        except Exception:  # st.stop()/reruns are BaseExceptions and pass through
            log.exception("section %s failed", section.__name__)
            st.error("Something went wrong in this part of the page. Try another setting or reload; "
                     "the problem has been logged on the server.")

    return guarded


@st.cache_resource(show_spinner="Loading the models...")
def get_family(folder: str) -> Family:
    """Verified weights and atlases; the torch modules are built after the first paint."""
    return load_family(folder, build=False)


@st.cache_resource(show_spinner=False)
def warm_up(_family: Family, folder: str) -> threading.Thread:
    """Imports torch and builds every model in the background, once per server process, so the
    map shows ~2 s sooner and the first click still finds the models ready."""
    thread = threading.Thread(target=build_models, args=(_family,), name="build-models", daemon=True)
    thread.start()
    return thread


def build_models(family: Family) -> None:
    import torch

    # One thread per operation: the models are tiny, sessions run side by side, and on a small
    # machine torch's worker threads would otherwise fight the browser and each other for cores.
    torch.set_num_threads(1)
    family.build_all()


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


@st.cache_data(max_entries=512, show_spinner="Finding the geodesic: the path whose images change least...")
def geodesic_codes(_loaded: LoadedModel, name: str, a: np.ndarray, b: np.ndarray, frames: int):
    """Cached per (model, endpoints, frames); K = 16 optimised points."""
    codes, report = geodesic_path(_loaded.model, a, b, frames, points=GEODESIC_POINTS)
    return codes, report


def path_codes_for(loaded: LoadedModel, chosen: Endpoints, view: dict):
    """(frames, latent) codes from A to B under one model, and the geodesic's report (or None)."""
    a, b = chosen.a.latent(loaded), chosen.b.latent(loaded)
    if view["method"] == "geodesic":
        return geodesic_codes(loaded, loaded.name, a, b, view["frames"])
    return interpolate(a, b, view["frames"], view["method"]), None


def plane_extent(loaded: LoadedModel) -> tuple[float, float, float, float]:
    low, high = np.percentile(loaded.atlas.maps["plane"], [0.5, 99.5], axis=0)
    return float(low[0]) - 0.3, float(high[0]) + 0.3, float(low[1]) - 0.3, float(high[1]) + 0.3


def status(name: str, text: str) -> None:
    """A hidden marker that browser tests wait on (fast reruns never show "Running...")."""
    st.html(f'<span class="le-status" data-name="{name}" style="display:none">{text}</span>')


def endpoints() -> Endpoints:
    if "endpoints" not in st.session_state:
        st.session_state.endpoints = Endpoints()
    return st.session_state.endpoints


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
    morph(loaded, chosen, path_codes, view, report)
    if view["compare"]:
        compare_betas(family, chosen, view)


def morph(loaded: LoadedModel, chosen: Endpoints, path_codes: np.ndarray, view: dict, report) -> None:
    frames = decode(loaded.model, path_codes)
    st.subheader("The morph")
    if report is not None:
        geodesic_note(report)
    st.image(images.strip(np.concatenate([chosen.a.image[None], frames, chosen.b.image[None]])),
             caption=f"original A | {len(frames)} decoded frames on a {view['method']} path | original B")
    fingerprint = hashlib.sha256(frames.tobytes()).hexdigest()[:16]  # tests check frames are bit-identical
    status("morph", f"{len(frames)} frames, {view['method']} path from {chosen.a.label} to "
                    f"{chosen.b.label} under {loaded.name}; frames sha256 {fingerprint}")
    gif = images.morph_gif(frames, scale=5)
    play, download = st.columns([1, 3])
    play.image(gif, caption="looping A → B → A")
    download.download_button("Download GIF", gif, file_name=f"morph-{loaded.name}.gif", mime="image/gif")
    path_analytics(path_codes, frames, loaded.name)


def classifier(family: Family):
    return family.classifier.get() if family.classifier is not None else None


def path_analytics(path_codes: np.ndarray, frames: np.ndarray, name: str) -> None:
    """Under the strip: where does A turn into B, and does the path cross things that are no digit?"""
    family = get_family(WEIGHTS)
    analytics = analyse_path(path_codes, frames, classifier(family))
    if analytics.probabilities is None:
        st.caption("No digit classifier is shipped in weights/, so frames are not labelled; "
                   "`python train.py --variants ''` trains it.")
    st.plotly_chart(figures.analytics_figure(analytics, f"Along the path ({name})"), key="analytics",
                    config={"displaylogo": False})
    if analytics.probabilities is not None:
        reads = "".join(str(d) for d in analytics.predicted)
        status("analytics", f"reads {reads}; lowest confidence {analytics.confidence.min():.2f}")


def geodesic_note(report) -> None:
    verdict = ("nearly the same as the straight line here: the decoder is already smooth between these two"
               if report.energy_ratio > 0.97 else "a real detour around what the straight line crosses")
    st.caption(f"Geodesic ({GEODESIC_POINTS} points, {report.steps} optimiser steps): curve energy "
               f"{report.energy:.1f} vs {report.linear_energy:.1f} for the straight line "
               f"(×{report.energy_ratio:.2f}), decoded length ×{report.length_ratio:.2f} — {verdict}.")


def compare_betas(family: Family, chosen: Endpoints, view: dict) -> None:
    st.subheader("The same two digits under every β")
    st.caption("β = 0 is a plain autoencoder: look for smudges mid-path. High β: smooth but blurry.")
    latent = view["loaded"].variant.latent_size
    betas, analytics = family.betas(latent), []
    for beta in betas:
        loaded = family.get(latent, beta)
        codes, _ = path_codes_for(loaded, chosen, view)
        frames = decode(loaded.model, codes)
        label, row = st.columns([1, 12], vertical_alignment="center")
        label.markdown(f"**β = {beta:g}**")
        row.image(images.strip(np.concatenate([chosen.a.image[None], frames, chosen.b.image[None]]), scale=2))
        analytics.append(analyse_path(codes, frames, classifier(family)))
    if analytics[0].probabilities is not None:
        st.plotly_chart(figures.compare_analytics_figure(betas, analytics), key="compare_analytics",
                        config={"displaylogo": False})
    status("compare", f"{len(family.betas(latent))} rows")


@no_traceback
def draw_section(family: Family, loaded: LoadedModel):
    """Canvas or upload -> the 28x28 the model sees. Returns an Endpoint, or None."""
    st.subheader("Draw a digit")
    source = st.radio("Input", ["Draw", "Upload a picture"], horizontal=True, label_visibility="collapsed")
    pad, result = st.columns([1, 2], gap="large")
    with pad:
        picture = None
        if source == "Draw":
            from streamlit_drawable_canvas import st_canvas  # needs a running page; see FIELD-NOTES

            canvas = st_canvas(
                stroke_width=18, stroke_color="#FFFFFF", background_color="#000000",
                height=280, width=280, drawing_mode="freedraw", return_image_data=True, key="canvas",
            )
            picture = canvas.image_data
            st.caption("Draw one digit, large, in the middle. The bin icon clears the canvas.")
        else:
            upload = st.file_uploader("A PNG or JPG of one digit", type=["png", "jpg", "jpeg"])
            if upload is not None:
                try:
                    picture = read_upload(upload.getvalue())
                except DrawingError as error:
                    st.warning(str(error))
    with result:
        if picture is None:
            st.caption("Your digit will appear here, encoded and placed on the map as a ★.")
            return None
        try:
            digit = to_mnist(picture)
        except DrawingError as error:
            st.info(str(error))
            return None
        endpoint = drawn_digit(digit.image)
        code = endpoint.latent(loaded)
        reconstruction = decode(loaded.model, code[None])[0]
        st.image(images.strip(np.stack([digit.image, reconstruction]), scale=4, end_gap=6),
                 caption="what the model sees (28×28) | its reconstruction"
                 + (" — your picture was dark-on-light, so it was inverted" if digit.inverted else ""))
        nearest, distances = loaded.atlas.nearest(code, 5)
        tiles = [images.labelled_tile(family.images[i] / 255.0, f"{family.labels[i]} #{i}") for i in nearest]
        st.image(np.concatenate(tiles, axis=1), caption="its 5 nearest test digits in latent space (label #index)")
        use_a, use_b = st.columns(2)
        chosen = endpoints()
        if use_a.button("Use as A", use_container_width=True):
            chosen.a = endpoint
        if use_b.button("Use as B", use_container_width=True):
            chosen.b = endpoint
        status("drawn", f"nearest labels {[int(family.labels[i]) for i in nearest]}")
        return endpoint


@no_traceback
def inside_the_model(family: Family, view: dict) -> None:
    """Traversals with per-dimension KL, and samples from the prior: where β's effect shows."""
    import plotly.graph_objects as go

    st.subheader("Inside the model")
    if not st.toggle("Show latent traversals and samples from the prior", key="inside"):
        return
    loaded = view["loaded"]
    traversals, samples = st.tabs(["Latent traversals", "Samples from the prior"])
    with traversals:
        st.caption("Hold one digit's code fixed and sweep one latent dimension from −3σ to +3σ of the prior; "
                   "rows are sorted by how much information the dimension carries (its KL). Inactive "
                   "dimensions, which the model has switched off, leave the digit unchanged.")
        st.session_state.setdefault("traverse_index", chosen_index(endpoints()))
        index = st.number_input("Test digit (index)", 0, len(family.labels) - 1, key="traverse_index")
        kl = kl_per_dimension(loaded.atlas.mu, loaded.atlas.logvar)
        active = active_dimensions(loaded.atlas.mu)
        order = np.argsort(-kl, kind="stable")
        grid = traverse(loaded.model, loaded.atlas.mu[index])[order]
        labels = [f"z{d}  KL {kl[d]:.2f}" + ("" if active[d] else "  off") for d in order]
        picture, bars = st.columns([3, 2], gap="medium")
        picture.image(images.labelled_rows(grid, labels), caption=f"{loaded.name}: test #{index} "
                      f"(a {int(family.labels[index])}); columns run from −3 to +3")
        figure = go.Figure(go.Bar(
            x=[f"z{d}" for d in order], y=kl[order],
            marker_color=["#d62728" if active[d] else "#bbbbbb" for d in order],
            hovertemplate="%{x}: KL %{y:.2f} nats<extra></extra>",
        ))
        figure.update_layout(height=320, margin=dict(l=40, r=10, t=40, b=40), title=dict(
            text=f"KL per dimension: {int(active.sum())} of {len(active)} active (grey = off)", font=dict(size=13)))
        bars.plotly_chart(figure, key="kl_bars")
        status("traversal", f"{len(grid)} rows, {int(active.sum())} active, test #{index} under {loaded.name}")
    with samples:
        st.caption("Decoded draws z ~ N(0, I). A good VAE's prior decodes to digits everywhere; "
                   "β = 0 has no prior to speak of, so its samples are mostly noise.")
        seed = st.number_input("Seed", 0, 10_000, 0, key="sample_seed")
        latent = loaded.variant.latent_size
        betas = family.betas(latent) if view["compare"] else [loaded.variant.beta]
        rows = np.stack([prior_samples(family.get(latent, b).model, latent, 12, seed=int(seed)) for b in betas])
        st.image(images.labelled_rows(rows, [f"β = {b:g}" for b in betas], scale=2, label_width=60),
                 caption=f"12 samples per model, seed {seed}")
        status("samples", f"{len(rows)} rows, seed {seed}")


def chosen_index(chosen: Endpoints) -> int:
    return chosen.a.index if chosen.a is not None and chosen.a.index is not None else 0


def main() -> None:
    started = time.perf_counter()
    try:
        family = get_family(WEIGHTS)
    except FileNotFoundError as error:
        st.error(f"{error}")
        st.stop()
    except CheckpointError as error:
        st.error(f"A shipped model file cannot be trusted: {error}. Restore it with `git checkout weights/` "
                 "or retrain with `python train.py`.")
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
    warm_up(family, WEIGHTS)
    status("page", f"full run in {1000 * (time.perf_counter() - started):.1f} ms")


main()
