"""Charts under the morph: per-frame path analytics, and what the classifier reads per beta."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

DIGITS = [str(d) for d in range(10)]
# Zoom and pan add little to a dozen frames, and on a phone their toolbar covers the chart's title.
MODEBAR = dict(remove=["zoom", "pan", "select", "lasso", "zoomIn", "zoomOut", "autoScale", "resetScale"])

# What vae.analytics.analyse_path's `step` measures, said once for the chart and the page's caption:
# the Euclidean distance between consecutive frames as 784-vectors of intensities in [0, 1].
STEP_TITLE = "step size: L2, pixels 0–1"  # short enough for a phone; STEP_DEFINITION says it in full
STEP_DEFINITION = (
    "**Step size** is the L2 (Euclidean) distance between a frame and the one before it, "
    "‖xᵢ − xᵢ₋₁‖₂, over all 784 pixels with intensities from 0 (black) to 1 (white). "
    "1.0 is one pixel going from black to white, or four pixels changing by 0.5 each; "
    "an even path spreads its change over the frames."
)


def analytics_figure(analytics, title: str) -> go.Figure:
    """Three aligned rows per frame: decoded step size, prior log-density, class probabilities."""
    from plotly.subplots import make_subplots

    frames = np.arange(len(analytics.step))
    rows = 3 if analytics.probabilities is not None else 2
    figure = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        row_heights=[0.25, 0.25, 0.5][:rows],
        subplot_titles=[STEP_TITLE, "log prior density log N(z; 0, I)", "what a digit classifier reads (probability)"][
            :rows
        ],
    )
    figure.update_annotations(font_size=12)
    figure.add_trace(
        go.Bar(
            x=frames[1:],
            y=analytics.step[1:],
            marker_color="#555555",
            hovertemplate="frame %{x}: ‖xᵢ − xᵢ₋₁‖₂ = %{y:.2f}<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=frames,
            y=analytics.log_prior,
            mode="lines+markers",
            line=dict(color="#1f77b4"),
            hovertemplate="frame %{x}: %{y:.1f} nats<extra></extra>",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    if analytics.probabilities is not None:
        figure.add_trace(
            go.Heatmap(
                x=frames,
                y=DIGITS,
                z=analytics.probabilities.T,
                zmin=0,
                zmax=1,
                colorscale="Blues",
                showscale=False,
                hovertemplate="frame %{x}: P(%{y}) = %{z:.2f}<extra></extra>",
            ),
            row=3,
            col=1,
        )
        figure.add_trace(
            go.Scatter(
                x=frames,
                y=[str(d) for d in analytics.predicted],
                mode="markers",
                marker=dict(symbol="circle-open", size=9, color="#d62728"),
                showlegend=False,
                hovertemplate="frame %{x}: reads as %{y}<extra></extra>",
            ),
            row=3,
            col=1,
        )
    figure.update_layout(
        modebar=MODEBAR,
        height=470 if rows == 3 else 260,
        margin=dict(l=50, r=10, t=50, b=30),
        title=dict(text=title, font=dict(size=13), x=0.01),
    )
    figure.update_xaxes(title_text="frame", row=rows, col=1, dtick=1 if len(frames) <= 16 else None)
    figure.update_yaxes(title_text="L2", row=1, col=1)
    figure.update_yaxes(title_text="nats", row=2, col=1)
    if rows == 3:
        # Digit strings look numeric to Plotly, which then ticks only 0 and 5: make the axis categorical.
        figure.update_yaxes(
            title_text="digit",
            type="category",
            categoryorder="array",
            categoryarray=DIGITS,
            tickmode="array",
            tickvals=DIGITS,
            ticktext=DIGITS,
            row=3,
            col=1,
        )
    return figure


def compare_analytics_figure(betas: list[float], analytics: list) -> go.Figure:
    """One row per beta: which digit each frame reads as (text) and how confidently (colour)."""
    confidence = np.stack([a.confidence for a in analytics])
    predicted = np.stack([a.predicted for a in analytics])
    figure = go.Figure(
        go.Heatmap(
            z=confidence,
            x=np.arange(confidence.shape[1]),
            y=[f"β = {b:g}" for b in betas],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            text=predicted.astype(str),
            texttemplate="%{text}",
            colorbar=dict(title="P"),
            hovertemplate="%{y}, frame %{x}: reads as %{text} (P = %{z:.2f})<extra></extra>",
        )
    )
    figure.update_layout(
        modebar=MODEBAR,
        height=60 + 34 * len(betas),
        margin=dict(l=70, r=10, t=40, b=30),
        title=dict(
            text="What the classifier reads in each frame, per β (pale = unsure: no clear digit)",
            font=dict(size=13),
            x=0.01,
        ),
    )
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_xaxes(title_text="frame", dtick=1 if confidence.shape[1] <= 16 else None)
    return figure
