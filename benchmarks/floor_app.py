"""The floor for the page-speed benchmark: the simplest page a user would build instead, a bare
st.plotly_chart of the same 10,000 test codes (z20-beta1's PCA map) as WebGL points, nothing else.

    streamlit run benchmarks/floor_app.py
"""

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

WEIGHTS = Path(__file__).resolve().parent.parent / "weights"


@st.cache_resource
def figure() -> go.Figure:
    coords = np.load(WEIGHTS / "atlas-z20-beta1.npz")["map_pca"]
    labels = np.load(WEIGHTS / "mnist-test.npz")["labels"]
    traces = [
        go.Scattergl(x=coords[labels == d, 0], y=coords[labels == d, 1], mode="markers", name=str(d)) for d in range(10)
    ]
    return go.Figure(traces, layout=dict(height=560))


st.plotly_chart(figure())
