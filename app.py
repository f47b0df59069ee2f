"""Latent Explorer's server: the page (page.py), served by Streamlit's ASGI app.

    streamlit run app.py

Streamlit runs page.py for every visitor; this file only says how to serve it.
"""

import streamlit as st

app = st.App("page.py")
