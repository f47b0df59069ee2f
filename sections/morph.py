"""What the server computes for the morph, and the downloads it offers under the widget.

The browser draws the strip itself; the server's numpy frames stay the authority: they are what
the downloads hold, what the analytics measure, what the geodesic optimises and what the tests
compare the browser against (the "morph" status marker carries their SHA-256).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explorer import images
from explorer.assets import loaded_words
from explorer.share import View
from explorer.state import Endpoints
from vae.analytics import PathAnalytics, analyse_path
from vae.family import Family, LoadedModel
from vae.geodesic import GeodesicReport, geodesic_path
from vae.paths import interpolate

GEODESIC_POINTS = 16


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
        "probabilities": np.round(analytics.probabilities.astype(np.float64), 3).tolist(),
    }
    return analytics, summary


def with_originals(chosen: Endpoints, frames: np.ndarray) -> np.ndarray:
    """(F + 2, 28, 28): A's own picture, the decoded frames, B's own picture."""
    return np.concatenate([chosen.a.image[None], frames, chosen.b.image[None]])


def downloads(family: Family, chosen: Endpoints, result: PathResult) -> None:
    """The morph as a GIF and the strip as a PNG, made from the server's numpy frames. The analytics, the
    per-β readings and the geodesic's verdict above them are the viewer's (viewer/explore/panel/analytics.js)."""
    st.subheader(f"Download the morph ({loaded_words(family.models[result.model])})")
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


def report_data(report: GeodesicReport | None) -> dict | None:
    """The geodesic's figures as the viewer reads them (viewer/core/geodesic.js GeodesicReport): its verdict,
    in plain words with these numbers in a tooltip, is the viewer's in both hosts."""
    if report is None:
        return None
    return {
        "energy": round(float(report.energy), 6),
        "length": round(float(report.length), 6),
        "linearEnergy": round(float(report.linear_energy), 6),
        "linearLength": round(float(report.linear_length), 6),
        "steps": int(report.steps),
    }
