"""The morph: the strip of decoded frames, its GIF, the path analytics, and one row per beta."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explorer import charts, images
from explorer.share import View
from explorer.state import Endpoints
from vae.analytics import analyse_path
from vae.family import Family, LoadedModel, weights_folder
from vae.geodesic import geodesic_path
from vae.paths import interpolate

from .find import strip_end
from .runtime import lesson_file, status

GEODESIC_POINTS = 16


@st.cache_data(max_entries=512, show_spinner="Finding the geodesic: the path whose images change least...")
def geodesic_codes(_loaded: LoadedModel, name: str, a: np.ndarray, b: np.ndarray, frames: int):
    """Cached per (model, endpoints, frames); K = 16 optimised points."""
    codes, report = geodesic_path(_loaded.model, a, b, frames, points=GEODESIC_POINTS)
    return codes, report


@dataclass(frozen=True)
class PathResult:
    """One rerun's path under one model, computed once and read by the map, the strip and the charts."""

    codes: np.ndarray  # (F, latent)
    frames: np.ndarray  # (F, 28, 28) decoded pixel means
    report: object | None  # the geodesic's report, None for linear and spherical paths


def path_for(loaded: LoadedModel, chosen: Endpoints, view: View) -> PathResult:
    """The path from A to B under one model with the view's method and frame count."""
    a, b = chosen.a.latent(loaded), chosen.b.latent(loaded)
    if view.method == "geodesic":
        codes, report = geodesic_codes(loaded, loaded.name, a, b, view.frames)
    else:
        codes, report = interpolate(a, b, view.frames, view.method), None
    return PathResult(codes, loaded.model.decode(codes), report)


def morph(family: Family, loaded: LoadedModel, view: View, chosen: Endpoints, result: PathResult) -> None:
    frames, path_codes, report = result.frames, result.codes, result.report
    st.subheader("The morph")
    if report is not None:
        geodesic_note(report)
    st.image(
        images.strip(with_originals(chosen, frames)),
        caption=f"{strip_end('A', chosen.a)} | {len(frames)} decoded frames on a {view.method} path | "
        f"{strip_end('B', chosen.b)}",
    )
    fingerprint = hashlib.sha256(frames.tobytes()).hexdigest()[:16]  # tests check frames are bit-identical
    status(
        "morph",
        f"{len(frames)} frames, {view.method} path from {chosen.a.label} to "
        f"{chosen.b.label} under {loaded.name}; frames sha256 {fingerprint}",
    )
    gif = images.morph_gif(frames)
    play, download = st.columns([2, 3], gap="medium")
    play.image(gif, caption="looping A → B → A", width=28 * images.GIF_SCALE)
    with download:
        st.download_button(
            f"Download GIF ({28 * images.GIF_SCALE} px)",
            gif,
            file_name=f"morph-{loaded.name}.gif",
            mime="image/gif",
            key="download_gif",
        )
        strip_png = images.png(images.strip(with_originals(chosen, frames), scale=4))
        st.download_button(
            "Download the strip (PNG)",
            strip_png,
            file_name=f"morph-{loaded.name}.png",
            mime="image/png",
            key="download_png",
        )
        st.caption(charts.STEP_DEFINITION)
    path_analytics(family, path_codes, frames, loaded.name)


def with_originals(chosen: Endpoints, frames: np.ndarray) -> np.ndarray:
    """(F + 2, 28, 28): A's original image, the decoded frames, B's original image."""
    return np.concatenate([chosen.a.image[None], frames, chosen.b.image[None]])


def classifier(family: Family):
    return family.classifier if family.classifier is not None else None


def path_analytics(family: Family, path_codes: np.ndarray, frames: np.ndarray, name: str) -> None:
    """Under the strip: where does A turn into B, and does the path cross things that are no digit?"""
    analytics = analyse_path(path_codes, frames, classifier(family))
    if analytics.probabilities is None:
        st.caption(
            "No digit classifier is shipped in weights/, so frames are not labelled; "
            "`python train.py --variants '' --out weights --overwrite` trains it."
        )
    st.plotly_chart(
        charts.analytics_figure(analytics, f"Along the path ({name})"), key="analytics", config={"displaylogo": False}
    )
    if analytics.probabilities is not None:
        reads = "".join(str(d) for d in analytics.predicted)
        status("analytics", f"reads {reads}; lowest confidence {analytics.confidence.min():.2f}")


def geodesic_note(report) -> None:
    """The geodesic's figures and a verdict earned against the energy ratios of random pairs (weights/lesson.json)."""
    measured = lesson_file(weights_folder()).get("geodesic") or {}
    ratio = report.energy_ratio
    if {"p10", "p90", "median", "saving_pairs"} <= set(measured):
        count = measured["saving_pairs"]
        if ratio >= 1:
            verdict = (
                "no better than the straight line: the prior term, which keeps the path near N(0, I), pulled it "
                "away without making the images change less; here the straight line is the better path"
            )
        elif ratio < measured["p10"]:
            verdict = (
                f"a real detour: it saves more than on 90% of {count} random pairs where a geodesic saves anything "
                f"(their ratio ×{measured['p10']:.2f} or above)"
            )
        elif ratio > measured["p90"]:
            verdict = (
                f"nearly the straight line: it saves less than on 90% of {count} random pairs where a geodesic "
                f"saves anything (their ratio ×{measured['p90']:.2f} or below)"
            )
        else:
            verdict = (
                f"an ordinary bend: on {count} random pairs the ratio runs from ×{measured['p10']:.2f} to "
                f"×{measured['p90']:.2f} (10th–90th percentile, median ×{measured['median']:.2f})"
            )
    else:
        verdict = "no reference distribution is shipped (weights/lesson.json), so no verdict"
    st.caption(
        f"Geodesic ({GEODESIC_POINTS} points, {report.steps} optimiser steps): curve energy "
        f"{report.energy:.1f} vs {report.linear_energy:.1f} for the straight line "
        f"(×{ratio:.2f}), decoded length ×{report.length_ratio:.2f}: {verdict}."
    )


def beta_figures(family: Family, latent: int) -> str:
    """What the shipped z = `latent` models measured (record["info"]: metrics and lesson), one figure per β."""
    rows = []
    for beta in family.betas(latent):
        info = family.get(latent, beta).record.get("info", {})
        lesson, metrics = info.get("lesson") or {}, info.get("metrics") or {}
        middle, prior = lesson.get("midpoints") or {}, lesson.get("prior_samples") or {}
        if (
            not {"mean_confidence"} <= set(middle)
            or not {"readable_share"} <= set(prior)
            or "reconstruction" not in metrics
        ):
            return "β = 0 is a plain autoencoder; higher β weighs the KL term more."
        rows.append(
            f"β = {beta:g}: midpoints {middle['mean_confidence']:.2f}, samples {prior['readable_share']:.0%}, "
            f"reconstruction {metrics['reconstruction']:.0f} nats"
        )
    return (
        "β = 0 is a plain autoencoder. Measured on these models (the lesson's table): how surely the decoded "
        "midpoint of 300 random pairs of test digits reads as a digit, the share of N(0, I) samples that read "
        "as a digit (P ≥ 0.9), and the reconstruction term (lower: closer to the original). " + "; ".join(rows) + "."
    )


def compare_betas(family: Family, view: View, chosen: Endpoints, current: PathResult) -> None:
    st.subheader("The same two digits under every β")
    latent = view.variant.latent_size
    st.caption(beta_figures(family, latent))
    betas, analytics = family.betas(latent), []
    for beta in betas:
        loaded = family.get(latent, beta)
        result = current if loaded.name == view.model else path_for(loaded, chosen, view)
        codes, frames = result.codes, result.frames
        label, row = st.columns([1, 12], vertical_alignment="center")
        label.markdown(f"**β = {beta:g}**")
        row.image(images.strip(with_originals(chosen, frames), scale=2))
        analytics.append(analyse_path(codes, frames, classifier(family)))
    if analytics[0].probabilities is not None:
        st.plotly_chart(
            charts.compare_analytics_figure(betas, analytics), key="compare_analytics", config={"displaylogo": False}
        )
    status("compare", f"{len(family.betas(latent))} rows")
