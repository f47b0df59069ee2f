"""The page's building blocks: endpoint state, Plotly figures, image strips. No model code here,
and nothing that needs a running Streamlit session, so tests can call all of it directly."""
