"""Charts under the morph, as plain Plotly figure dicts (lists and numbers, no plotly.py on the way):
per-frame path analytics, what the classifier reads per beta, and the KL per latent dimension.

The page draws them with the browser's Plotly (widgets/morph_map.py `chart`), so a rerun pays
for a few hundred numbers instead of building and validating a figure in Python.
"""

from __future__ import annotations

import numpy as np

DIGITS = [str(d) for d in range(10)]
# Zoom and pan add little to a dozen frames, and on a phone their toolbar covers the chart's title.
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
}

# What vae.analytics.analyse_path's `step` measures, said once for the chart and the page's caption:
# the Euclidean distance between consecutive frames as 784-vectors of intensities in [0, 1].
STEP_TITLE = "step size: L2, pixels 0–1"  # short enough for a phone; STEP_DEFINITION says it in full
STEP_DEFINITION = (
    "**Step size** is the L2 (Euclidean) distance between a frame and the one before it, "
    "‖xᵢ − xᵢ₋₁‖₂, over all 784 pixels with intensities from 0 (black) to 1 (white). "
    "1.0 is one pixel going from black to white, or four pixels changing by 0.5 each; "
    "an even path spreads its change over the frames."
)


def _numbers(values, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in np.asarray(values).ravel()]


def _title(text: str) -> dict:
    return {"text": text, "font": {"size": 13}, "x": 0.01}


def analytics_figure(analytics, title: str) -> dict:
    """Three aligned rows per frame: decoded step size, prior log-density, class probabilities
    (two rows without a classifier)."""
    count = len(analytics.step)
    frames = list(range(count))
    classified = analytics.probabilities is not None
    rows = 3 if classified else 2
    heights = [0.25, 0.25, 0.5][:rows]
    gap = 0.07
    usable = 1 - gap * (rows - 1)
    domains, top = [], 1.0
    for height in heights:  # top row first, as make_subplots lays them out
        bottom = top - usable * height / sum(heights)
        domains.append([round(max(0.0, bottom), 4), round(top, 4)])
        top = bottom - gap
    data = [
        {
            "type": "bar",
            "x": frames[1:],
            "y": _numbers(analytics.step[1:]),
            "marker": {"color": "#555555"},
            "hovertemplate": "frame %{x}: ‖xᵢ − xᵢ₋₁‖₂ = %{y:.2f}<extra></extra>",
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": frames,
            "y": _numbers(analytics.log_prior, 2),
            "line": {"color": "#1f77b4"},
            "hovertemplate": "frame %{x}: %{y:.1f} nats<extra></extra>",
            "xaxis": "x",
            "yaxis": "y2",
        },
    ]
    subtitles = [STEP_TITLE, "log prior density log N(z; 0, I)", "what a digit classifier reads (probability)"]
    layout = {
        "height": 470 if classified else 260,
        "margin": {"l": 50, "r": 10, "t": 50, "b": 30},
        "title": _title(title),
        "showlegend": False,
        "xaxis": {
            "anchor": f"y{rows}" if rows > 1 else "y",
            "title": {"text": "frame"},
            "dtick": 1 if count <= 16 else None,
        },
        "yaxis": {"domain": domains[0], "title": {"text": "L2"}},
        "yaxis2": {"domain": domains[1], "title": {"text": "nats"}, "matches": None},
        "annotations": [
            {
                "text": subtitles[row],
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": domains[row][1],
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
            for row in range(rows)
        ],
    }
    if classified:
        data.append(
            {
                "type": "heatmap",
                "x": frames,
                "y": DIGITS,
                "z": [_numbers(row, 3) for row in analytics.probabilities.T],
                "zmin": 0,
                "zmax": 1,
                "colorscale": "Blues",
                "reversescale": True,  # as on the per-β chart: likely digits dark
                "showscale": False,
                "hovertemplate": "frame %{x}: P(%{y}) = %{z:.2f}<extra></extra>",
                "xaxis": "x",
                "yaxis": "y3",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": frames,
                "y": [str(int(d)) for d in analytics.predicted],
                "marker": {"symbol": "circle-open", "size": 9, "color": "#d62728"},
                "hovertemplate": "frame %{x}: reads as %{y}<extra></extra>",
                "xaxis": "x",
                "yaxis": "y3",
            }
        )
        # Digit strings look numeric to Plotly, which then ticks only 0 and 5: make the axis categorical.
        layout["yaxis3"] = {
            "domain": domains[2],
            "title": {"text": "digit"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": DIGITS,
            "tickmode": "array",
            "tickvals": DIGITS,
            "ticktext": DIGITS,
        }
    return {"data": data, "layout": layout}


def compare_analytics_figure(betas: list[float], analytics: list) -> dict:
    """One row per beta: which digit each frame reads as (text) and how confidently (colour)."""
    confidence = np.stack([a.confidence for a in analytics])
    predicted = np.stack([a.predicted for a in analytics])
    data = [
        {
            "type": "heatmap",
            "z": [_numbers(row, 3) for row in confidence],
            "x": list(range(confidence.shape[1])),
            "y": [f"β = {b:g}" for b in betas],
            "zmin": 0,
            "zmax": 1,
            "colorscale": "Blues",
            "reversescale": True,  # Plotly's Blues runs dark to pale: sure frames dark, unsure ones pale
            "text": [[str(int(d)) for d in row] for row in predicted],
            "texttemplate": "%{text}",
            "colorbar": {"title": {"text": "P"}},
            "hovertemplate": "%{y}, frame %{x}: reads as %{text} (P = %{z:.2f})<extra></extra>",
        }
    ]
    layout = {
        "height": 60 + 34 * len(betas),
        "margin": {"l": 70, "r": 10, "t": 40, "b": 30},
        "title": _title("What the classifier reads in each frame, per β (pale = unsure: no clear digit)"),
        "yaxis": {"type": "category", "autorange": "reversed"},
        "xaxis": {"title": {"text": "frame"}, "dtick": 1 if confidence.shape[1] <= 16 else None},
    }
    return {"data": data, "layout": layout}


def kl_figure(labels: list[str], kl: np.ndarray, active: np.ndarray) -> dict:
    """KL per latent dimension as bars, inactive dimensions grey."""
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": _numbers(kl, 3),
            "marker": {"color": ["#d62728" if on else "#bbbbbb" for on in active]},
            "hovertemplate": "%{x}: KL %{y:.2f} nats<extra></extra>",
        }
    ]
    layout = {
        "height": 320,
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "title": _title(f"KL per dimension: {int(np.sum(active))} of {len(active)} active (grey = off)"),
    }
    return {"data": data, "layout": layout}
