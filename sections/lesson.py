"""The lesson, "Why a VAE?": a plain autoencoder (beta = 0) against a VAE (beta = 1), both with a 2-D code.

The first screen is one component (widgets/planes.py): the same draws of N(0, I) decoded by each model,
with the measured share that reads as a digit; the two z = 2 planes on one pair of axes, holes shaded;
the training epochs to play, with the figures as curves beneath. Under it (sections/lesson_rows.py):
the presets, the reparameterization rows and the per-beta table.

Every figure on the page is read from the shipped files (checkpoints, snapshots, weights/lesson.json)
or computed on the spot, and formatted from the constants that define it; tests/test_lesson.py
recomputes them. The section draws nothing into the sidebar.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from explorer import images, sprites, untrusted
from explorer.lesson_assets import LESSON_MODELS, lesson_planes
from explorer.planes import TILES, figure, gap_words, lesson_record, probe_report, share
from explorer.share import PLANE_LIMIT, View, parse_query
from explorer.state import article
from vae.family import Family, weights_folder
from vae.sampling import READABLE, prior_codes, typical_spacing
from widgets.planes import lesson_planes as planes_component
from widgets.planes import new_events

from . import session
from .lesson_rows import reparameterization, table
from .runtime import lesson_file, no_traceback, status

KEY = "lesson-planes"  # the first screen's component
PROBE_KIND = "lesson_probe_kind"  # "draw" when the probe is a draw of N(0, I), else a clicked point
DRAWS = "lesson_draws"  # how many draws of N(0, I) this session has probed (the next one's seed)
SCROLL = "lesson_scroll"  # bumped when a preset shows its result on the first screen
SAMPLE_COUNT = 12  # decoded draws per row
LEDE_ON_A_PHONE = "@media (max-width: 640px) { .st-key-lp-lede p { font-size: 14px; line-height: 1.4; } }"
TITLES = {0.0: "Autoencoder", 1.0: "VAE"}


@no_traceback
def lesson(family: Family, view: View) -> None:
    missing = [name for name in LESSON_MODELS if name not in family.models]
    if missing:
        st.warning(
            f"The lesson needs the z = 2 models {', '.join(missing)}; "
            "`python train.py --variants z2-beta0,z2-beta1 --out weights --overwrite` trains them; beside imports, "
            "`python import_vae.py PATH --with-shipped` adds them."
        )
        return
    with st.container(key="lp-lede"):
        st.markdown(lede(family), help=recipe(family))
    st.html(f"<style>{LEDE_ON_A_PHONE}</style>")
    first_screen(family, view)
    presets(family)
    reparameterization(family, view)
    table(family)


def prefetch_lesson(family: Family) -> None:
    """For the explore view (page.py): lets the browser fetch, once idle, the lesson's code and what its first
    drawing needs (the shipped models' mosaics and codes, the labels), so a first press on the lesson's tab
    does not wait for them. Draws nothing."""
    if any(name not in family.models for name in LESSON_MODELS):
        return
    planes = lesson_planes(family)
    urls = [
        planes["labels"],
        *(url for m in planes["models"] for url in (m["frames"][-1]["mosaic"], m["frames"][-1]["mu"])),
    ]
    with st.container(key="lp-prefetch", height=1, border=False):
        planes_component("lesson-prefetch", {"role": "prefetch", "urls": urls})
    st.html("<style>.st-key-lp-prefetch { display: none; }</style>")


def lede(family: Family) -> str:
    ae, vae = (family.models[name].variant.beta for name in LESSON_MODELS)
    return (
        f"An autoencoder (β = {ae:g}) and a VAE (β = {vae:g}), {trained_alike(family)}, both squeeze a digit into "
        "a few numbers (20 in the top rows, 2 in the planes) and draw it back; only the VAE's loss pulls those "
        "codes towards N(0, I). Decoded draws of N(0, I):"
    )


def trained_alike(family: Family) -> str:
    """ "trained alike" when the pair's records say so, else how they differ (epochs)."""
    epochs = [family.models[name].record.get("info", {}).get("epochs") for name in LESSON_MODELS]
    if epochs[0] == epochs[1]:
        return f"trained alike ({epochs[0]} epochs each)"
    return f"trained alike except for the epochs ({epochs[0]} and {epochs[1]})"


def recipe(family: Family) -> str:
    info = family.models[LESSON_MODELS[1]].record.get("info", {})
    optimizer = info.get("optimizer", {})
    lr = optimizer.get("lr") if isinstance(optimizer, dict) else None
    parts = [f"batch {info.get('batch_size')}", f"seed {info.get('seed')}"]
    if lr is not None:
        parts.insert(0, f"Adam at {lr:g}")
    return "The same recipe for both: " + ", ".join(parts) + "; the loss is reconstruction + β·KL."


@st.fragment
def first_screen(family: Family, view: View) -> None:
    """A click on a plane, a draw or new samples rerun only this part."""
    take_events()
    data = screen_data(family)
    planes_component(KEY, data)
    keep_link(view)
    probe = st.session_state.get(session.PROBE)
    status(
        "lesson",
        f"planes {' '.join(LESSON_MODELS)}; probe {probe}; kind {st.session_state.get(PROBE_KIND, 'click')}; "
        f"samples {int(st.session_state.get(session.SAMPLES, 0))}",
    )


def take_events() -> None:
    """The component's events since the last run. The browser's payload is untrusted: a probe is used only
    when it is two finite numbers within the URL's bound (rounded to 0.01, its URL form)."""
    state = st.session_state
    for event in new_events(KEY):
        if event["type"] == "probe":
            point = untrusted.point(event.get("x"), event.get("y"), PLANE_LIMIT)
            if point is not None:
                state[session.PROBE], state[PROBE_KIND] = point, "click"
        elif event["type"] == "draw":
            state[DRAWS] = (int(state.get(DRAWS, 0)) + 1) % 10_000
            z = prior_codes(2, 1, state[DRAWS])[0]
            state[session.PROBE], state[PROBE_KIND] = (round(float(z[0]), 2), round(float(z[1]), 2)), "draw"
        elif event["type"] == "samples":
            session.bump(session.SAMPLES)


def keep_link(view: View) -> None:
    """The link follows the lesson's seeds and probe. This fragment reruns alone, with the view of the last
    full run, so the values that change here are read from session state."""
    seeds = {
        name: int(st.session_state.get(key, 0)) for name, key in (("samples", session.SAMPLES), ("eps", session.EPS))
    }
    session.share_in_url(replace(view, page="lesson", probe=st.session_state.get(session.PROBE), **seeds))


def screen_data(family: Family) -> dict:
    seed = int(st.session_state.get(session.SAMPLES, 0))
    count = lesson_record(family.models[LESSON_MODELS[0]]).get("prior_samples", {}).get("count", 1000)
    betas = [family.models[name].variant.beta for name in LESSON_MODELS]
    titles = [f"{TITLES.get(beta, 'β')} (β = {beta:g})" for beta in betas]
    return {
        "role": "lesson",
        "planes": lesson_planes(family),
        "headers": titles,
        "short": [TITLES.get(beta, "β") for beta in betas],
        "samples": sample_rows(family, seed),
        "probe": probe_data(family),
        "scroll": int(st.session_state.get(SCROLL, 0)),
        "text": {
            "samples": f"The same {SAMPLE_COUNT} draws under both models; a digit under a picture: read at "
            f"P ≥ {READABLE:g}. Shares: of {count:,} draws.",
            "new_samples": "New draws",
            "scale": {"same": "Same scale", "own": "Own scale"},
            "codes": "Test codes",
            "draw": "Decode one draw of N(0, I)",
            "epoch": "epoch",
            "legend": f"Each plane: its decoder's drawing over the box of its test codes, cells of a {TILES} × {TILES} "
            "grid with no code shaded; yellow: N(0, I) at 1σ and 2σ. Hover to see the drawing there; click to read it.",
            "curves": ["Draws that read as a digit", "Empty cells"],
            "waiting": "The planes' pictures have not arrived yet; the page keeps asking. Check the connection.",
        },
    }


@st.cache_data(show_spinner=False, max_entries=32)
def _sample_rows(_family: Family, family_id: int, seed: int) -> list[dict]:
    rows = []
    for latent in (20, 2):
        for side, name in enumerate(LESSON_MODELS):
            loaded = _family.models.get(f"z{latent}-beta{_family.models[name].variant.beta:g}")
            if loaded is None:
                continue
            decoded = loaded.model.decode(prior_codes(latent, SAMPLE_COUNT, seed))  # (count, 28, 28)
            reads = [-1] * SAMPLE_COUNT
            if _family.classifier is not None:
                probabilities = _family.classifier.probabilities(decoded)
                reads = [int(p.argmax()) if p.max() >= READABLE else -1 for p in probabilities]
            rows.append(
                {
                    "side": side,
                    "latent": latent,
                    "label": row_label(loaded, latent),
                    "strip": sprites.png_data_url(np.concatenate(list(images.to_uint8(decoded)), axis=1)),
                    "reads": reads,
                }
            )
    return rows


def sample_rows(family: Family, seed: int) -> list[dict]:
    """Per model (z = 20, then z = 2): the same SAMPLE_COUNT draws decoded, with the digit the classifier reads
    in each (or -1), under the measured figures of the checkpoint."""
    return _sample_rows(family, id(family), seed)


def row_label(loaded, latent: int) -> str:
    measured = lesson_record(loaded).get("prior_samples")
    if not measured:
        return f"z = {latent}"
    return (
        f"z = {latent}: {share(measured['readable_share'])} read as a digit, {measured['digits_covered']} of 10 digits"
    )


@st.cache_data(show_spinner=False, max_entries=8)
def spacing(_family: Family, name: str, family_id: int) -> float:
    return typical_spacing(_family.models[name].atlas.mu)


def probe_data(family: Family) -> dict | None:
    """What each plane says about the probed point: the shipped models' reading where the point lies in the
    box of that model's codes; outside it, only that it is outside (no comparison is made there)."""
    probe = st.session_state.get(session.PROBE)
    if probe is None:
        return None
    drawn = st.session_state.get(PROBE_KIND) == "draw"
    results = []
    for name in LESSON_MODELS:
        gap = spacing(family, name, id(family))
        report = probe_report(family, family.models[name], probe, gap)
        if not report["inside"]:
            results.append({"image": None, "lines": ["outside its codes' box: not compared"], "detail": ""})
            continue
        lines = []
        if "digit" in report:
            digit, p = report["digit"], report["p"]
            reads = f"reads {article(digit)} {digit}" if report["readable"] else "no clear digit"
            lines.append(f"{reads}, P = {figure(p)}")
        gaps = report["gaps"]
        lines.append(f"nearest code {gap_words(gaps)} away")
        results.append(
            {
                "image": sprites.png_data_url(images.to_uint8(report["image"])),
                "lines": lines,
                "detail": f"A gap: {figure(gap, 3)}, the median distance between neighbouring test codes.",
            }
        )
    title = f"z = ({figure(probe[0])}, {figure(probe[1])})" + (", drawn from N(0, I)" if drawn else "")
    return {"x": probe[0], "y": probe[1], "title": title, "results": results}


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
    """One-click views that make the point, picked and measured by `python -m training.presets`; the
    measured caption is each button's tooltip."""
    found = load_presets(weights_folder())
    if not found:
        return
    columns = st.columns([1, *([3] * len(found))], vertical_alignment="center")
    columns[0].markdown("**Show me**")
    for number, (column, preset) in enumerate(zip(columns[1:], found, strict=True)):
        column.button(
            preset["title"],
            key=f"preset_{number}",
            on_click=apply_preset,
            args=(family, preset["query"]),
            width="stretch",
            help=preset["caption"],
        )


def apply_preset(family: Family, query: dict) -> None:
    """Sets the page to a preset's view, exactly as opening its link would. A preset that stays on the lesson
    shows its result on the first screen, so the page scrolls there (the page itself scrolls to the top when
    a preset opens the map)."""
    view = parse_query(query, family)[0]
    session.apply_view(family, view, replace_endpoints=True)
    if view.page == "lesson":
        st.session_state[SCROLL] = int(st.session_state.get(SCROLL, 0)) + 1
        st.session_state.pop(PROBE_KIND, None)  # a preset's probe is a point, not a draw
