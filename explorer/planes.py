"""The lesson's z = 2 planes as Plotly figures: decoded digits tiled over the plane, the codes faded
on top, N(0, I)'s 1-sigma and 2-sigma circles, and a click-anywhere grid; plus the small overlay
(a probed point, q(z|x) as ellipses, its samples z = mu + sigma * eps) redrawn on each click.

Every trace is WebGL (scattergl) and the overlay comes after the base, so it is drawn above the
10,000 codes (Plotly paints its WebGL canvas over every SVG trace; see FIELD-NOTES).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from vae.sampling import ellipse

from .figures import DIGIT_COLOURS, GRID_INDEX, add_backdrop
from .images import tiled

CLICK_GRID = 70  # invisible markers per side: a click lands within ~1.5% of the plane's width


def mosaic(images: np.ndarray, steps: int) -> Image.Image:
    """(steps * steps, 28, 28) decoded digits in [0, 1], top row first -> one white-on-black picture."""
    return Image.fromarray(tiled(images, steps), mode="L")


def plane_figure(
    codes: np.ndarray,
    labels: np.ndarray,
    box: tuple[float, float, float, float],
    picture: Image.Image,
    title: str,
    show_codes: bool,
    height: int = 440,
) -> go.Figure:
    """One lesson plane; `box` (x0, x1, y0, y1) is both the axes' range and the picture's extent."""
    x0, x1, y0, y1 = box
    figure = go.Figure()
    xs, ys = np.meshgrid(np.linspace(x0, x1, CLICK_GRID), np.linspace(y0, y1, CLICK_GRID))
    figure.add_trace(
        go.Scattergl(
            x=xs.ravel(),
            y=ys.ravel(),
            mode="markers",
            name="plane",
            showlegend=False,
            marker=dict(size=10, color="rgba(0,0,0,0)"),
            customdata=np.full(xs.size, GRID_INDEX),
            hoverinfo="none",  # the component shows what the decoder draws under the pointer instead
        )
    )
    if show_codes:
        figure.add_trace(
            go.Scattergl(
                x=codes[:, 0],
                y=codes[:, 1],
                mode="markers",
                name="test codes",
                hoverinfo="skip",
                showlegend=False,
                marker=dict(size=2.5, color=np.asarray(DIGIT_COLOURS)[labels], opacity=0.3),
            )
        )
    for radius, dash in ((1, "solid"), (2, "dash")):
        ring = ellipse(np.zeros(2), np.ones(2), radius)
        figure.add_trace(
            go.Scattergl(
                x=ring[:, 0],
                y=ring[:, 1],
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                name=f"N(0, I) {radius}σ",
                line=dict(color="#ffd400", width=2, dash=dash),
            )
        )
    add_backdrop(figure, picture, box, opacity=1.0)
    figure.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=14)),
        height=height,
        margin=dict(l=40, r=10, t=40, b=30),
        dragmode="zoom",
        uirevision=title,
        clickmode="event",
        hovermode="closest",
        plot_bgcolor="#000000",
        showlegend=False,
    )
    figure.update_xaxes(range=[x0, x1], showgrid=False, zeroline=False, constrain="domain")
    figure.update_yaxes(
        range=[y0, y1], showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1, constrain="domain"
    )
    return figure


def overlay_json(probe: tuple[float, float] | None, posterior: dict | None) -> str:
    """The redrawn layer: a cross at the probed point; q(z|x)'s mean, 1-sigma and 2-sigma ellipses and
    its samples, when `posterior` = {"mu": (2,), "sigma": (2,), "samples": (K, 2)}."""
    traces = []
    if posterior is not None:
        mu, sigma = np.asarray(posterior["mu"]), np.asarray(posterior["sigma"])
        for radius, dash in ((1, "solid"), (2, "dot")):
            ring = ellipse(mu, sigma, radius)
            traces.append(
                go.Scattergl(
                    x=ring[:, 0],
                    y=ring[:, 1],
                    mode="lines",
                    hoverinfo="skip",
                    line=dict(color="#ff2d55", width=3, dash=dash),
                    name=f"q(z|x) {radius}σ",
                )
            )
        samples = np.asarray(posterior["samples"])
        traces.append(
            go.Scattergl(
                x=samples[:, 0],
                y=samples[:, 1],
                mode="markers",
                hoverinfo="skip",
                name="z = μ + σ·ε",
                marker=dict(size=9, color="#ff2d55", symbol="x", line=dict(color="white", width=1)),
            )
        )
        traces.append(
            go.Scattergl(
                x=[float(mu[0])],
                y=[float(mu[1])],
                mode="markers",
                hoverinfo="skip",
                name="μ",
                marker=dict(size=14, color="#ff2d55", symbol="circle", line=dict(color="white", width=2)),
            )
        )
    if probe is not None:
        traces.append(
            go.Scattergl(
                x=[probe[0]],
                y=[probe[1]],
                mode="markers",
                hoverinfo="skip",
                name="probe",
                marker=dict(size=20, color="#00e5ff", symbol="cross", line=dict(color="black", width=2)),
            )
        )
    return go.Figure(data=traces).to_json()
