"""The lesson: what a plain autoencoder cannot do and a VAE can, shown on the shipped models.

1. Two z = 2 planes side by side, the autoencoder (beta = 0) and the VAE (beta = 1): what the
   decoder draws all over each plane, the codes, N(0, I)'s circles; a click anywhere decodes that
   point on both.
2. Sampling (sections/lesson_rows.py, like 3 and the table): decoded N(0, I) draws for each model,
   next to the measured share that reads as a digit.
3. The reparameterization trick: q(z|x) of one digit as ellipses on the planes, and its samples
   z = mu + sigma * eps decoded, with a "new eps" button.
4. The per-beta table the captions are written from (stored in each checkpoint by train.py), and
   one-click presets that a script picked from the shipped models (weights/lesson.json).
Every figure quoted here is read from the checkpoints or computed on the spot; none is typed in.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from explorer import images, planes, sprites, untrusted
from explorer.share import PLANE_LIMIT, View, parse_query
from explorer.state import test_digit
from vae.family import Family, LoadedModel, weights_folder
from vae.sampling import (
    READABLE,
    manifold_codes,
    nearest_code,
    plane_box,
    posterior_codes,
    typical_spacing,
)
from widgets.latent_map import latent_map, new_clicks

from . import session
from .lesson_rows import AUTOENCODER, POSTERIOR_SAMPLES, VAE, reparameterization, sampling, table
from .runtime import lesson_file, no_traceback, status

TILES = 25  # decoded digits per side of each plane's picture
SAME_AXES, SHOW_CODES, DIGIT = "lesson_same_axes", "lesson_show_codes", "lesson_digit"
PRESET_APPLIED = "lesson_preset_applied"
PLANE_KEYS = {AUTOENCODER: "plane-ae", VAE: "plane-vae"}  # the two maps' component keys
PLANE_CONFIG = {
    "displaylogo": False,
    "doubleClickDelay": 100,
    "scrollZoom": True,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
}


@no_traceback
def lesson(family: Family, view: View) -> None:
    missing = [name for name in (AUTOENCODER, VAE) if name not in family.models]
    if missing:
        st.warning(
            f"The lesson needs the z = 2 models {', '.join(missing)} in weights/; "
            "`python train.py --variants z2-beta0,z2-beta1 --out weights --overwrite` trains them."
        )
        return
    lesson_fragment(family, view)


@st.fragment
def lesson_fragment(family: Family, view: View) -> None:
    """A click on a plane reruns only the lesson."""
    if st.session_state.pop(PRESET_APPLIED, False):
        st.rerun(scope="app")  # a preset can change the page, the model and the endpoints: rerun all of it
    ae, vae = family.models[AUTOENCODER], family.models[VAE]
    take_plane_clicks()
    st.header("Why a VAE? An autoencoder next to a VAE, both with a 2-D code")
    st.markdown(
        "Both models below squeeze every digit into **two numbers** and draw it back from them, so each "
        "model's whole code space is a plane you can see. The picture behind each plane is what its "
        "decoder draws at every point of it; the dots are the codes of the 10,000 test digits; the "
        "yellow circles are 1σ and 2σ of **N(0, I)**, where a VAE expects codes to come from. "
        "**Click anywhere** on either plane: that point is decoded by both models."
    )
    toggles = st.columns(3)
    same_axes = toggles[0].toggle(
        "Same axes for both planes", key=SAME_AXES, help="Show both planes over the same range, so their sizes compare."
    )
    show_codes = toggles[1].toggle(
        "Show the test codes", value=True, key=SHOW_CODES, help="Hide the dots to see the decoded digits underneath."
    )
    digit = posterior_digit(family, toggles[2])
    boxes = {name: plane_box(family.models[name].atlas.mu) for name in (AUTOENCODER, VAE)}
    if same_axes:
        union = (
            min(b[0] for b in boxes.values()),
            max(b[1] for b in boxes.values()),
            min(b[2] for b in boxes.values()),
            max(b[3] for b in boxes.values()),
        )
        boxes = dict.fromkeys(boxes, union)
    probe = st.session_state.get(session.PROBE)
    eps_seed = int(st.session_state.get(session.EPS, 0))
    left, right = st.columns(2, gap="medium")
    for column, loaded, title in ((left, ae, "Autoencoder (β = 0)"), (right, vae, "VAE (β = 1)")):
        with column:
            plane_panel(family, loaded, title, boxes[loaded.name], show_codes, probe, digit, eps_seed)
    presets(family)
    status("lesson", f"planes {AUTOENCODER} {VAE}; probe {probe}; eps {eps_seed}; same axes {same_axes}")
    sampling(family, view)
    reparameterization(family, view, digit, eps_seed)
    table(family)
    keep_link(view)


def keep_link(view: View) -> None:
    """The link follows the lesson's seeds and probe. This fragment reruns alone on a click, with the view of the
    last full run, so the values that change here are read from session state."""
    seeds = {
        name: int(st.session_state.get(key, 0)) for name, key in (("samples", session.SAMPLES), ("eps", session.EPS))
    }
    current = replace(view, page="lesson", probe=st.session_state.get(session.PROBE), **seeds)
    session.share_in_url(current)


def posterior_digit(family: Family, column):
    """Which digit's q(z|x) the lesson draws: endpoint A when one is chosen, else a test index."""
    chosen = session.endpoints()
    if chosen.a is not None:
        column.caption(f"q(z|x) is drawn for endpoint A: {chosen.a.label}")
        return chosen.a
    st.session_state.setdefault(DIGIT, 0)
    index = column.number_input(
        "q(z|x) of test digit #",
        0,
        len(family.labels) - 1,
        key=DIGIT,
        help="Pick endpoint A on the map (or draw a digit) to use it here instead.",
    )
    return test_digit(family, int(index))


@st.cache_resource(show_spinner=False, max_entries=8)
def plane_base(_family: Family, name: str, box: tuple[float, float, float, float], show_codes: bool) -> str:
    """A plane's base figure as Plotly JSON, once per (model, box, codes shown)."""
    loaded = _family.models[name]
    picture = planes.mosaic(loaded.model.decode(manifold_codes(box, TILES)), TILES)
    title = f"{name}: {'autoencoder' if loaded.variant.beta == 0 else 'VAE'}"
    figure = planes.plane_figure(loaded.atlas.mu, _family.labels, box, picture, title, show_codes)
    return figure.to_json()


@st.cache_data(show_spinner=False, max_entries=8)
def spacing(_loaded: LoadedModel, name: str) -> float:
    return typical_spacing(_loaded.atlas.mu)


def plane_panel(family, loaded: LoadedModel, title: str, box, show_codes: bool, probe, digit, eps_seed: int) -> None:
    mu, logvar = loaded.model.encode(digit.image[None])
    sigma = np.exp(0.5 * logvar[0])
    samples = posterior_codes(mu[0], logvar[0], POSTERIOR_SAMPLES, eps_seed)
    overlay = planes.overlay_json(probe, {"mu": mu[0], "sigma": sigma, "samples": samples})
    st.markdown(f"**{title}**")
    latent_map(
        PLANE_KEYS[loaded.name],
        f"lesson/{loaded.name}/{box}/{show_codes}",
        plane_base(family, loaded.name, box, show_codes),
        overlay,
        PLANE_CONFIG,
        decoder=decoder_assets(loaded, loaded.name),
        bounds=box,
        aspect=0.9,
    )
    x0, x1, y0, y1 = plane_box(loaded.atlas.mu)
    st.caption(
        f"Test codes span x {x0:.1f} … {x1:.1f}, y {y0:.1f} … {y1:.1f} (0.5–99.5 percentiles). "
        "Hover anywhere: the decoder's drawing at that point appears beside the pointer."
    )
    if probe is not None:
        probe_card(family, loaded, probe)


@st.cache_resource(show_spinner=False, max_entries=4)
def decoder_assets(_loaded: LoadedModel, name: str) -> dict:
    """The z = 2 decoder's weights for the browser, which decodes under the pointer (sent once per model)."""
    return sprites.decoder_weights(_loaded.model)


def probe_card(family: Family, loaded: LoadedModel, probe) -> None:
    image = loaded.model.decode(np.asarray([probe], dtype=np.float32))
    reading = family.classifier.probabilities(image)[0] if family.classifier is not None else None
    _, distance = nearest_code(np.asarray(probe), loaded.atlas.mu)
    gap = spacing(loaded, loaded.name)
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.image(images.strip(image, scale=3, end_gap=0), caption=f"({probe[0]:.2f}, {probe[1]:.2f})")
    words = (
        f"The nearest test code is {distance:.2f} away: **{distance / gap:.0f}×** the typical gap "
        f"({gap:.3f}) between neighbouring codes."
    )
    if reading is not None:
        words += f" The classifier reads a **{int(reading.argmax())}** at P = {reading.max():.2f}"
        words += "." if reading.max() >= READABLE else ": not a clear digit."
    right.markdown(words)


def take_plane_clicks() -> None:
    """Every click on either plane since the last run; the last one becomes the probe (rounded like its URL
    form). The browser's payload is untrusted: anything but two finite, bounded numbers is ignored."""
    for key in PLANE_KEYS.values():
        for click in new_clicks(key):
            probe = untrusted.point(click.get("x"), click.get("y"), PLANE_LIMIT)
            if probe is not None:
                st.session_state[session.PROBE] = probe


def load_presets(folder: str) -> list[dict]:
    """The presets in weights/lesson.json that have what a button needs; the rest are skipped."""
    found = lesson_file(folder).get("presets")
    if not isinstance(found, list):
        return []
    return [
        p
        for p in found
        if isinstance(p, dict)
        and isinstance(p.get("query"), dict)
        and isinstance(p.get("title"), str)
        and isinstance(p.get("caption"), str)
    ]


def presets(family: Family) -> None:
    """One-click views that make the point, picked and measured by `python -m training.presets`."""
    found = load_presets(weights_folder())
    if not found:
        return
    st.markdown("**Show me** (each view was picked and measured by a script; the caption says what it found):")
    columns = st.columns(len(found))
    for number, (column, preset) in enumerate(zip(columns, found, strict=True)):
        column.button(
            preset["title"],
            key=f"preset_{number}",
            on_click=apply_preset,
            args=(family, preset["query"]),
            use_container_width=True,
            help=preset["caption"],
        )
        column.caption(preset["caption"])


def apply_preset(family: Family, query: dict) -> None:
    """Sets the page to a preset's view, exactly as opening its link would (then the whole page reruns)."""
    st.session_state[PRESET_APPLIED] = True
    session.apply_view(family, parse_query(query, family)[0], replace_endpoints=True)
