"""What the server computes for the morph, and what it shows under the widget.

The browser draws the strip itself; the server's numpy frames stay the authority: they are what
the downloads hold, what the analytics measure, what the geodesic optimises and what the tests
compare the browser against (the "morph" status marker carries their SHA-256).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explorer import charts, images
from explorer.share import View
from explorer.state import Endpoints
from vae.analytics import PathAnalytics, analyse_path
from vae.family import Family, LoadedModel, weights_folder
from vae.geodesic import GeodesicReport, geodesic_path, grade
from vae.paths import interpolate
from widgets.morph_map import chart

from .runtime import lesson_file, status

GEODESIC_POINTS = 16
ANCHOR = "le-analytics"  # where the panel's "analytics and downloads" link scrolls to


@st.cache_data(max_entries=512, show_spinner="Finding the geodesic: the path whose images change least...")
def geodesic_codes(_loaded: LoadedModel, name: str, a: np.ndarray, b: np.ndarray, frames: int):
    """Cached per (model, endpoints, frames); K = 16 optimised points."""
    return geodesic_path(_loaded.model, a, b, frames, points=GEODESIC_POINTS)


@dataclass(frozen=True)
class PathResult:
    """One run's path under one model, computed once and read by the widget, the charts and the downloads."""

    model: str
    key: str  # the path's name, as the browser names it (viewer/explore/endpoints.js pathKey)
    codes: np.ndarray  # (F, latent)
    frames: np.ndarray  # (F, 28, 28) decoded pixel means
    report: GeodesicReport | None  # the geodesic's report, None for linear and spherical paths

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.frames.tobytes()).hexdigest()[:16]


def path_key(model: str, view: View, chosen: Endpoints) -> str:
    return f"{model}|{view.method}|{view.frames}|{chosen.a.id}|{chosen.b.id}"


def path_for(loaded: LoadedModel, chosen: Endpoints, view: View) -> PathResult:
    """The path from A to B under one model with the view's method and frame count."""
    a, b = chosen.a.latent(loaded), chosen.b.latent(loaded)
    if view.method == "geodesic":
        codes, report = geodesic_codes(loaded, loaded.name, a, b, view.frames)
    else:
        codes, report = interpolate(a, b, view.frames, view.method), None
    return PathResult(loaded.name, path_key(loaded.name, view, chosen), codes, loaded.model.decode(codes), report)


def reading(family: Family, result: PathResult) -> tuple[PathAnalytics, dict | None]:
    """The path's analytics and, for the strip, what the classifier reads in each frame."""
    analytics = analyse_path(result.codes, result.frames, family.classifier)
    if analytics.probabilities is None:
        return analytics, None
    summary = {
        "key": result.key,
        "digits": [int(d) for d in analytics.predicted],
        "confidence": [round(float(c), 3) for c in analytics.confidence],
    }
    return analytics, summary


def with_originals(chosen: Endpoints, frames: np.ndarray) -> np.ndarray:
    """(F + 2, 28, 28): A's own picture, the decoded frames, B's own picture."""
    return np.concatenate([chosen.a.image[None], frames, chosen.b.image[None]])


def under_the_map(
    family: Family, view: View, chosen: Endpoints, result: PathResult, analytics: PathAnalytics, compare: list
) -> None:
    """The analytics chart, the downloads, the geodesic's verdict and, in compare mode, the per-β heatmap."""
    st.subheader(f"Along the path ({result.model})", anchor=ANCHOR)
    if result.report is not None:
        st.caption(geodesic_words(result.report))
    if analytics.probabilities is None:
        st.caption("No digit classifier is shipped with these models, so frames are not labelled.")
    chart(
        "analytics",
        charts.analytics_figure(analytics, f"{len(result.frames)} frames, {view.method} path"),
        config=charts.CONFIG,
    )
    frames = result.frames
    gif, strip = st.columns(2)
    gif.download_button(
        f"Download the morph as a GIF ({28 * images.GIF_SCALE} px)",
        lambda: images.morph_gif(frames),
        file_name=f"morph-{result.model}.gif",
        mime="image/gif",
        key="download_gif",
        on_click="ignore",
    )
    strip.download_button(
        "Download the strip (PNG)",
        lambda: images.png(images.strip(with_originals(chosen, frames), scale=4)),
        file_name=f"morph-{result.model}.png",
        mime="image/png",
        key="download_png",
        on_click="ignore",
    )
    st.caption(charts.STEP_DEFINITION)
    if compare and compare[0][1].probabilities is not None:
        betas = [family.models[r.model].variant.beta for r, _ in compare]
        chart(
            "compare_analytics", charts.compare_analytics_figure(betas, [a for _, a in compare]), config=charts.CONFIG
        )
        status("compare", f"{len(compare)} rows")


def geodesic_words(report: GeodesicReport) -> str:
    """The geodesic's figures and a verdict earned against the energy ratios of random pairs (weights/lesson.json)."""
    measured = lesson_file(weights_folder()).get("geodesic") or {}
    ratio = report.energy_ratio
    found = grade(ratio, measured)
    count = measured.get("saving_pairs")
    verdict = {
        None: "no reference distribution is shipped, so no verdict",
        "no better": "no better than the straight line, whose curve energy is no higher (the prior term, which "
        "keeps the path near N(0, I), pulled it off the line); here the straight line is the better path",
        "real detour": f"a real detour: it saves more than on 90% of {count} random pairs where a geodesic saves "
        f"anything (their ratio ×{measured.get('p10', 0):.2f} or above)",
        "nearly straight": f"nearly the straight line: it saves less than on 90% of {count} random pairs where a "
        f"geodesic saves anything (their ratio ×{measured.get('p90', 0):.2f} or below)",
        "ordinary bend": f"an ordinary bend: on {count} random pairs the ratio runs from ×{measured.get('p10', 0):.2f} "
        f"to ×{measured.get('p90', 0):.2f} (10th–90th percentile, median ×{measured.get('median', 0):.2f})",
    }[found]
    return (
        f"Geodesic ({GEODESIC_POINTS} points, {report.steps} optimiser steps): curve energy "
        f"{report.energy:.1f} vs {report.linear_energy:.1f} for the straight line "
        f"(×{ratio:.2f}), decoded length ×{report.length_ratio:.2f}. Verdict: {verdict}."
    )
