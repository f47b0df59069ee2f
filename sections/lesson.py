"""The lesson: what a plain autoencoder cannot do and a VAE can."""

from __future__ import annotations

import streamlit as st

from explorer.share import View
from vae.family import Family

from .runtime import no_traceback


@no_traceback
def lesson(family: Family, view: View) -> None:
    st.subheader("Why a VAE?")
