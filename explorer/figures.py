"""The Plotly latent map: 10,000 test digits as WebGL markers, the path and endpoints on top.

Every marker's customdata is its global test index (point_index counts within a
trace, and there is one trace per digit so the legend can toggle digits). The
z=2 plane also gets an invisible grid of markers with customdata -1, so Plotly
hovers something anywhere on the plane (the component itself turns a click on
empty plane into its x, y).

Comparable maps: PCA maps and the plane take fixed axis ranges shared by every
model of one latent size (`shared_extent`), so switching β shows the codes
spreading or packing; the prior N(0, I) is drawn as its 1σ and 2σ circles
(`prior_centre`). t-SNE keeps no scale, so it gets neither.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

DIGIT_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
GRID_INDEX = -1
PLOT_CONFIG = {
    "doubleClickDelay": 100,  # two quick clicks would otherwise read as a double-click (a zoom reset)
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "responsive": True,
    "scrollZoom": True,
}
# Probability that a draw from the 2-D standard normal falls within radius r: 1 - exp(-r^2 / 2).
PRIOR_CIRCLES = {1.0: 1 - np.exp(-0.5), 2.0: 1 - np.exp(-2.0)}
Extent = tuple[float, float, float, float]  # x0, x1, y0, y1


def shared_extent(maps: list[np.ndarray], pad: float = 0.06, square: bool = False) -> Extent:
    """Axis ranges that hold 99.8% of the digits of every map in `maps` (one per β), padded.

    Percentiles rather than min/max, so a handful of outliers cannot shrink every map;
    `square` gives both axes the same span (the z = 2 plane, drawn with equal units).
    """
    points = np.concatenate([np.asarray(m, dtype=np.float64) for m in maps])
    low, high = np.percentile(points, [0.1, 99.9], axis=0)
    span = high - low
    low, high = low - pad * span, high + pad * span
    if square:
        centre, half = (low + high) / 2, float((high - low).max()) / 2
        low, high = centre - half, centre + half
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def prior_centre(pca_mean: np.ndarray | None, pca_components: np.ndarray | None) -> tuple[float, float]:
    """Where the prior's mean z = 0 lands on a map: the origin of the plane, or -mean @ components.T for a
    PCA map (vae/atlas.py centres it on the mean of mu). The components are orthonormal, so the prior
    N(0, I) projects to N(centre, I_2) and circles of radius 1 and 2 are its exact 1σ and 2σ contours."""
    if pca_mean is None:
        return 0.0, 0.0
    centre = -np.asarray(pca_mean, dtype=np.float64) @ np.asarray(pca_components, dtype=np.float64).T
    return float(centre[0]), float(centre[1])


def map_figure(
    coords: np.ndarray,
    labels: np.ndarray,
    title: str,
    plane_grid: np.ndarray | None = None,
    extent: Extent | None = None,
    prior: tuple[float, float] | None = None,
    faint: bool = False,
) -> go.Figure:
    """The base map (cache it: it only changes with model and map).

    extent: fixed axis ranges (x0, x1, y0, y1), or None to fit the data (t-SNE).
    prior: where z = 0 lands, to draw the prior's 1σ/2σ circles; None for no circles.
    faint: smaller, lighter dots, so a decoded backdrop shows through.
    """
    figure = go.Figure()
    if plane_grid is not None:
        figure.add_trace(
            go.Scattergl(
                x=plane_grid[:, 0],
                y=plane_grid[:, 1],
                mode="markers",
                name="plane",
                marker=dict(size=14, color="rgba(0,0,0,0)"),
                customdata=np.full(len(plane_grid), GRID_INDEX),
                hoverinfo="none",
                showlegend=False,
            )
        )
    for digit in range(10):
        index = np.flatnonzero(labels == digit)
        figure.add_trace(
            go.Scattergl(
                x=coords[index, 0],
                y=coords[index, 1],
                mode="markers",
                name=str(digit),
                marker=dict(size=3 if faint else 4, color=DIGIT_COLOURS[digit], opacity=0.45 if faint else 0.75),
                # The component shows the digit's image beside the pointer instead of a text label;
                # "none" still lets Plotly report the hovered point.
                customdata=index,
                hoverinfo="none",
            )
        )
    figure.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=14)),
        height=560,
        margin=dict(l=45, r=10, t=40, b=35),
        legend=dict(title="digit (click to hide)", itemsizing="constant"),
        dragmode="zoom",
        uirevision=title,
        clickmode="event",
        hovermode="closest",
        plot_bgcolor="#fafafa",
    )
    figure.update_xaxes(showgrid=False, zeroline=False)
    figure.update_yaxes(showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    if extent is not None:
        x0, x1, y0, y1 = extent
        # constrain="domain": equal units shrink the plotting area instead of widening a range, so the
        # axes show exactly the extent (on the plane: exactly where a click decodes).
        figure.update_xaxes(range=[x0, x1], autorange=False, constrain="domain")
        figure.update_yaxes(range=[y0, y1], autorange=False, constrain="domain")
    if prior is not None:
        cx, cy = prior
        for radius, mass in PRIOR_CIRCLES.items():
            figure.add_shape(
                type="circle",
                xref="x",
                yref="y",
                x0=cx - radius,
                x1=cx + radius,
                y0=cy - radius,
                y1=cy + radius,
                line=dict(color="#444444", width=1.2, dash="dash"),
                layer="above",
            )
            figure.add_annotation(
                x=cx,
                y=cy + radius,
                text=f"{radius:g}σ ({mass:.0%})",
                showarrow=False,
                yshift=7,
                font=dict(size=11, color="#444444"),
            )
    return figure


def add_backdrop(figure: go.Figure, picture: Image.Image, extent: Extent, opacity: float = 0.9) -> None:
    """Lays the decoded-digit mosaic under the markers; extent = (x0, x1, y0, y1) of its edges."""
    x0, x1, y0, y1 = extent
    figure.add_layout_image(
        dict(
            source=picture,
            xref="x",
            yref="y",
            x=x0,
            y=y1,
            sizex=x1 - x0,
            sizey=y1 - y0,
            sizing="stretch",
            layer="below",
            opacity=opacity,
        )
    )


OVERLAY_STYLES = {  # symbol, fill, size, label, legend name
    "A": ("diamond", "#111111", 20, "A", "A"),
    "B": ("square", "#111111", 18, "B", "B"),
    "drawn": ("star", "#ffd400", 26, "★ you", "your drawing"),
}


def overlay_json(path_xy: np.ndarray | None, points: dict[str, np.ndarray]) -> str:
    """The small layer drawn over the base map, as Plotly JSON: the path (a line with frame
    markers), big outlined markers for A and B, and a star for a drawn digit.

    WebGL traces, added after the 10,000 dots: Plotly paints every WebGL trace on one canvas
    above all SVG, in trace order, so these land on top even inside a dense cluster (an SVG
    overlay would sit under the dots). White outlines keep them readable on any colour. None
    of it is clickable (no customdata): the component resolves clicks to the digits.
    """
    traces = []
    if path_xy is not None:
        traces.append(
            go.Scattergl(
                x=path_xy[:, 0],
                y=path_xy[:, 1],
                mode="lines+markers",
                name="path",
                hoverinfo="skip",
                line=dict(color="#111111", width=3),
                marker=dict(size=9, color="white", line=dict(color="#111111", width=2)),
            )
        )
    for name, xy in points.items():
        symbol, colour, size, text, legend = OVERLAY_STYLES[name]
        traces.append(
            go.Scattergl(
                x=[float(xy[0])],
                y=[float(xy[1])],
                mode="markers+text",
                name=legend,
                text=[text],
                textposition="top center",
                textfont=dict(size=15, color="#111111"),
                hoverinfo="skip",
                marker=dict(symbol=symbol, size=size, color=colour, line=dict(color="white", width=3)),
            )
        )
    return go.Figure(data=traces).to_json()


def plane_grid(extent: Extent, steps: int = 60) -> np.ndarray:
    """(steps^2, 2) points covering the plane, so Plotly hovers something anywhere on it."""
    x0, x1, y0, y1 = extent
    xs, ys = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)
