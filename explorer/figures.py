"""The Plotly latent map: 10,000 test digits as WebGL markers, the path and endpoints on top.

Every marker's customdata is its global test index (point_index counts within a
trace, and there is one trace per digit so the legend can toggle digits). The
z=2 plane also gets an invisible grid of markers with customdata -1, so a click
anywhere on the plane arrives as an event with its x, y.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

DIGIT_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
GRID_INDEX = -1
PLOT_CONFIG = {
    "doubleClickDelay": 100,  # two quick clicks would otherwise read as a double-click and be lost
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "responsive": True,
    "scrollZoom": True,
}


def map_figure(
    coords: np.ndarray, labels: np.ndarray, title: str, plane_grid: np.ndarray | None = None
) -> go.Figure:
    """The base map (cache it: it only changes with model and map)."""
    figure = go.Figure()
    if plane_grid is not None:
        figure.add_trace(
            go.Scattergl(
                x=plane_grid[:, 0], y=plane_grid[:, 1], mode="markers", name="plane",
                marker=dict(size=14, color="rgba(0,0,0,0)"), customdata=np.full(len(plane_grid), GRID_INDEX),
                hovertemplate="(%{x:.2f}, %{y:.2f})<br>click to decode<extra></extra>", showlegend=False,
            )
        )
    for digit in range(10):
        index = np.flatnonzero(labels == digit)
        figure.add_trace(
            go.Scattergl(
                x=coords[index, 0], y=coords[index, 1], mode="markers", name=str(digit),
                marker=dict(size=4, color=DIGIT_COLOURS[digit], opacity=0.75),
                customdata=index, hovertemplate=f"digit {digit}<br>test #%{{customdata}}<extra></extra>",
            )
        )
    figure.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=14)),
        height=560, margin=dict(l=45, r=10, t=40, b=35),
        legend=dict(title="digit (click to hide)", itemsizing="constant"),
        dragmode="zoom", uirevision=title, clickmode="event", hovermode="closest",
        plot_bgcolor="#fafafa",
    )
    figure.update_xaxes(showgrid=False, zeroline=False)
    figure.update_yaxes(showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    return figure


def add_backdrop(figure: go.Figure, picture: Image.Image, extent: tuple[float, float, float, float]) -> None:
    """Lays the decoded-digit mosaic under the markers; extent = (x0, x1, y0, y1) of its edges."""
    x0, x1, y0, y1 = extent
    figure.add_layout_image(
        dict(source=picture, xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0,
             sizing="stretch", layer="below", opacity=0.9)
    )


def overlay_json(path_xy: np.ndarray | None, points: dict[str, np.ndarray]) -> str:
    """The small layer drawn over the base map, as Plotly JSON: the path (a line with frame
    markers) and big labelled markers for A and B, and a star for a drawn digit. None of it
    is clickable, so clicks fall through to the digits underneath."""
    traces = []
    if path_xy is not None:
        traces.append(go.Scatter(
            x=path_xy[:, 0], y=path_xy[:, 1], mode="lines+markers", name="path", hoverinfo="skip",
            line=dict(color="black", width=2), marker=dict(size=6, color="white", line=dict(color="black", width=1.5)),
        ))
    styles = {"A": ("diamond", "#111111", 18, "A"), "B": ("square", "#111111", 18, "B"),
              "drawn": ("star", "#ffd400", 22, "★ you")}
    for name, xy in points.items():
        symbol, colour, size, text = styles[name]
        traces.append(go.Scatter(
            x=[float(xy[0])], y=[float(xy[1])], mode="markers+text", name="your drawing" if name == "drawn" else name,
            text=[text], textposition="top center", textfont=dict(size=14, color="#111111"), hoverinfo="skip",
            marker=dict(symbol=symbol, size=size, color=colour, line=dict(color="white", width=2)),
        ))
    return go.Figure(data=traces).to_json()


def plane_grid(extent: tuple[float, float, float, float], steps: int = 60) -> np.ndarray:
    """(steps^2, 2) points covering the plane, for click-anywhere."""
    x0, x1, y0, y1 = extent
    xs, ys = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)
