"""The lesson: what a plain autoencoder cannot do and a VAE can, shown on the shipped models.

1. Two z = 2 planes side by side, the autoencoder (beta = 0) and the VAE (beta = 1): what the
   decoder draws all over each plane, the codes, N(0, I)'s circles; a click anywhere decodes that
   point on both.
2. Sampling: decoded N(0, I) draws for each model, next to the measured share that reads as a digit.
3. The reparameterization trick: q(z|x) of one digit as ellipses on the planes, and its samples
   z = mu + sigma * eps decoded, with a "new eps" button.
4. The per-beta table the captions are written from (stored in each checkpoint by train.py), and
   one-click presets that a script picked from the shipped models (weights/lesson.json).
Every figure quoted here is read from the checkpoints or computed on the spot; none is typed in.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import streamlit as st

from explorer import images, planes, sprites
from explorer.share import PLANE_LIMIT, View, parse_query
from explorer.state import test_digit
from vae.family import Family, LoadedModel
from vae.paths import decode
from vae.sampling import (
    READABLE,
    manifold_codes,
    nearest_code,
    plane_box,
    posterior_codes,
    prior_codes,
    readable_summary,
    typical_spacing,
)
from widgets.latent_map import latent_map, new_clicks

from . import session
from .runtime import lesson_file, no_traceback, status, weights_folder

AUTOENCODER, VAE = "z2-beta0", "z2-beta1"
TILES = 25  # decoded digits per side of each plane's picture
SAMPLES = 16  # prior samples per row
POSTERIOR_SAMPLES = 8  # K samples of q(z|x)
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
    session.share_in_url(current, session.endpoints())


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
    picture = planes.mosaic(decode(loaded.model, manifold_codes(box, TILES)), TILES)
    title = f"{name}: {'autoencoder' if loaded.variant.beta == 0 else 'VAE'}"
    figure = planes.plane_figure(loaded.atlas.mu, _family.labels, box, picture, title, show_codes)
    return figure.to_json()


@st.cache_data(show_spinner=False, max_entries=8)
def spacing(_loaded: LoadedModel, name: str) -> float:
    return typical_spacing(_loaded.atlas.mu)


def plane_panel(family, loaded: LoadedModel, title: str, box, show_codes: bool, probe, digit, eps_seed: int) -> None:
    mu, logvar = loaded.model.posterior(digit.image[None])
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
    image = decode(loaded.model, np.asarray([probe], dtype=np.float32))
    reading = family.classifier.get().probabilities(image)[0] if family.classifier is not None else None
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
            x, y = click.get("x"), click.get("y")
            if all(isinstance(c, float) and math.isfinite(c) and abs(c) <= PLANE_LIMIT for c in (x, y)):
                st.session_state[session.PROBE] = (round(x, 2), round(y, 2))


def reparameterization(family: Family, view: View, digit, eps_seed: int) -> None:
    st.subheader("The reparameterization trick: a VAE encodes a distribution, not a point")
    st.markdown(
        "The encoder outputs a mean **μ** and a spread **σ** for every digit: the Gaussian "
        "q(z|x) = N(μ, σ²), drawn above in red (1σ solid, 2σ dotted). Training decodes a *sample* of it, "
        "**z = μ + σ·ε** with ε ~ N(0, I), so gradients flow through μ and σ while the randomness sits "
        "in ε. The reconstruction term alone would shrink σ towards zero (a sample far from μ decodes worse); "
        "the KL term, β·KL(q(z|x) ‖ N(0, I)), is smallest at σ = 1 and charges for shrinking it. With β = 0 "
        f"nothing holds σ up: {sigma_sentence(family)}"
    )
    st.button(
        "New ε",
        key="new_eps",
        on_click=session.bump,
        args=(session.EPS,),
        help="Draw new ε: new samples z = μ + σ·ε of the same q(z|x) (the seed is kept in the link).",
    )
    names = row_models(family, view)
    rows, labels = [], []
    for name in names:
        loaded = family.models[name]
        mu, logvar = loaded.model.posterior(digit.image[None])
        codes = np.concatenate([mu, posterior_codes(mu[0], logvar[0], POSTERIOR_SAMPLES, eps_seed)])
        decoded = decode(loaded.model, codes)
        rows.append(np.concatenate([digit.image[None], decoded]))
        sigma = np.exp(0.5 * logvar[0])
        typical = np.exp(0.5 * np.median(loaded.atlas.logvar, axis=0))
        change = float(np.linalg.norm((decoded[1:] - decoded[0]).reshape(POSTERIOR_SAMPLES, -1), axis=1).mean())
        labels.append(
            f"**{name}** (β = {loaded.variant.beta:g}): σ of this digit {format_sigma(sigma)}; "
            f"median σ over the test set {format_sigma(typical)}. The samples differ from decoded μ by "
            f"**{change:.2f}** on average"
        )
    for label, row in zip(labels, rows, strict=True):
        st.markdown(label)
        st.image(images.strip(row, scale=2, end_gap=8))
    st.caption(
        f"Each row: the digit | decoded μ | {POSTERIOR_SAMPLES} decoded samples z = μ + σ·ε (ε seed {eps_seed}). "
        "How far the samples move the picture: the L2 distance over the 784 pixel intensities (0 to 1) between "
        "each decoded sample and decoded μ, averaged; 1.0 is one pixel turned from black to white."
    )
    status("posterior", f"{len(rows)} rows; eps seed {eps_seed}; digit {digit.label}")


def sigma_sentence(family: Family) -> str:
    """The median σ over the test set of the shipped z = 2 autoencoder and VAE, measured from their atlases."""
    ae, vae = (float(np.median(np.exp(0.5 * family.models[n].atlas.logvar))) for n in (AUTOENCODER, VAE))
    box = plane_box(family.models[VAE].atlas.mu)
    return (
        f"the z = 2 autoencoder's median σ is {ae:.1g}, so its ellipses are dots. The VAE's is {vae:.2g}: small "
        f"next to the {box[1] - box[0]:.1f} units its codes span, so its samples of one digit decode nearly alike; "
        "the rows below measure how far the samples move the picture, per model."
    )


def format_sigma(sigma: np.ndarray) -> str:
    if len(sigma) <= 2:
        return "(" + ", ".join(f"{s:.3g}" for s in sigma) + ")"
    return f"from {sigma.min():.3g} to {sigma.max():.3g} over its {len(sigma)} dimensions"


def row_models(family: Family, view: View) -> list[str]:
    """The models the lesson's rows show: the z = 2 pair, then z = 20 at β = 0 and 1 (every β in compare mode)."""
    z20 = [m.name for m in sorted_models(family, 20) if view.compare or m.variant.beta in (0.0, 1.0)]
    return [AUTOENCODER, VAE, *z20]


def sorted_models(family: Family, latent: int) -> list[LoadedModel]:
    return [family.get(latent, beta) for beta in family.betas(latent)]


def sampling(family: Family, view: View) -> None:
    st.subheader("Sampling: decode random points of N(0, I)")
    st.markdown(
        "A generative model should turn *any* draw z ~ N(0, I) into a digit, and every kind of digit should "
        "come up. The VAE's KL term trains its codes to fill exactly that cloud; the autoencoder's codes sit "
        "wherever its encoder put them, so its draws land on whatever happens to lie near the origin. "
        "The figures beside each row were measured on 1,000 draws per model (seed 0) by a digit classifier: "
        "a draw *reads as a digit* at P ≥ 0.9."
    )
    seed = int(st.session_state.get(session.SAMPLES, 0))
    st.button(
        "New samples",
        key="new_samples",
        on_click=session.bump,
        args=(session.SAMPLES,),
        help="A new seed for the draws (kept in the link).",
    )
    names = row_models(family, view)
    for name in names:
        loaded = family.models[name]
        shown = decode(loaded.model, prior_codes(loaded.variant.latent_size, SAMPLES, seed))
        text, row = st.columns([2, 5], vertical_alignment="center")
        measured = lesson_record(loaded).get("prior_samples")
        words = f"**{name}** ({'autoencoder' if loaded.variant.beta == 0 else 'VAE'}, β = {loaded.variant.beta:g})"
        if measured:
            words += (
                f": **{measured['readable_share']:.0%}** of {measured['count']:,} draws read as a digit, "
                f"covering **{measured['digits_covered']} of 10** digits{most_often(measured)}"
            )
        if family.classifier is not None:
            readable, covered = readable_summary(family.classifier.get().probabilities(shown))
            words += f". These {SAMPLES}: {readable} readable, {covered} digits."
        text.markdown(words)
        row.image(images.strip(shown, scale=2, end_gap=2))
    st.caption(f"Draws with seed {seed}.")
    status("samples-lesson", f"{len(names)} rows, seed {seed}")


def most_often(measured: dict) -> str:
    """ ", most often 6, 2, 0" when a few digits dominate the readable draws (over half of them in the top three)."""
    counts = measured.get("readable_per_digit")
    if not isinstance(counts, list) or len(counts) != 10 or sum(counts) == 0:
        return ""
    top = sorted(range(10), key=lambda d: -counts[d])[:3]
    if sum(counts[d] for d in top) <= 0.5 * sum(counts):
        return ""
    return ", most often " + ", ".join(str(d) for d in top if counts[d] > 0)


def lesson_record(loaded: LoadedModel) -> dict:
    lesson_figures = loaded.record.get("info", {}).get("lesson")
    return lesson_figures if isinstance(lesson_figures, dict) else {}


def table(family: Family) -> None:
    st.subheader("The figures behind every sentence here")
    rows = []
    for loaded in sorted(family.models.values(), key=lambda m: (m.variant.latent_size, m.variant.beta)):
        metrics = loaded.record.get("info", {}).get("metrics", {})
        figures = lesson_record(loaded)
        prior, middle, plane = figures.get("prior_samples") or {}, figures.get("midpoints") or {}, figures.get("plane")
        rows.append(
            {
                "model": loaded.name,
                "−ELBO": metrics.get("neg_elbo"),
                "reconstruction": metrics.get("reconstruction"),
                "KL": metrics.get("kl"),
                "active units": metrics.get("active_units"),
                "N(0, I) readable": prior.get("readable_share"),
                "digits covered": prior.get("digits_covered"),
                "midpoint confidence": middle.get("mean_confidence"),
                "midpoints < 0.5": middle.get("share_below_half"),
                "empty plane cells": plane.get("empty_share") if isinstance(plane, dict) else None,
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        use_container_width=True,
        column_config={
            "N(0, I) readable": st.column_config.NumberColumn(format="percent"),
            "midpoints < 0.5": st.column_config.NumberColumn(format="percent"),
            "empty plane cells": st.column_config.NumberColumn(format="percent"),
            "−ELBO": st.column_config.NumberColumn(format="%.1f"),
            "reconstruction": st.column_config.NumberColumn(format="%.1f"),
            "KL": st.column_config.NumberColumn(format="%.1f"),
            "midpoint confidence": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(
        "Test set, nats per digit. *N(0, I) readable*: share of 1,000 decoded prior draws the classifier reads "
        "at P ≥ 0.9; *digits covered*: how many classes those include. *Midpoint*: the decoded halfway point "
        "between the codes of 300 random pairs of test digits. *Empty plane cells*: of a 25 × 25 grid over the "
        "box that holds the test codes, the share with no code in it. The model card (weights/README.md) "
        "says how each was measured."
    )


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
    """One-click views that make the point, picked and measured by `python -m explorer.presets`."""
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
