"""The latent map component: a Plotly graph that stays mounted, so a click redraws only the overlay.

    click = latent_map(base_json, version, overlay_json, key="latent_map", on_click=callback)

`base_json` is the 10,000-point figure as Plotly JSON (cache it); `version` names
it, and the browser redraws the base only when the version changes. A click on
a marker with customdata arrives as {"index", "x", "y", "serial"} under the
key's "click" entry in st.session_state (a one-off trigger).

Plotly.js itself comes from Streamlit's own Plotly bundle, which the page loads
by rendering one tiny, hidden st.plotly_chart (`load_plotly`).
"""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

_COMPONENT = st.components.v2.component(
    "latent_explorer_map",
    js=(Path(__file__).with_suffix(".js")).read_text(),
    css=".le-map { width: 100%; }",
    isolate_styles=False,  # Plotly styles its modebar and hover labels from the document's stylesheet
)


def load_plotly() -> None:
    """Makes Streamlit load its Plotly bundle (window.Plotly) with an invisible 1-pixel chart."""
    with st.container(key="le-plotly-loader", height=1, border=False):
        st.plotly_chart(go.Figure(layout=dict(height=10, width=10)), key="le-plotly-loader-chart")
    st.html("<style>.st-key-le-plotly-loader { display: none; }</style>")


def latent_map(base_json: str, version: str, overlay_json: str, key: str, on_click, config: dict):
    return _COMPONENT(
        data={"base": base_json, "version": version, "overlay": overlay_json, "config": config},
        key=key,
        on_click_change=on_click,
    )
