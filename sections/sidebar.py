"""The sidebar: which model, map, path and frame count; it returns them as one View."""

from __future__ import annotations

import streamlit as st

from explorer.share import FRAMES_RANGE, View
from vae.atlas import MAP_LABELS
from vae.family import Family
from vae.paths import METHODS

from . import session


def sidebar(family: Family) -> View:
    st.sidebar.title("Latent Explorer")
    latent = st.sidebar.radio(
        "Latent size", family.latent_sizes(), format_func=lambda z: f"z = {z}", horizontal=True, key=session.LATENT
    )
    betas = family.betas(latent)
    # Defaults live in session state (not in value=), so the URL can seed them and a control
    # hidden for a while (beta when z = 2) comes back as it was left.
    st.session_state.setdefault(session.beta_key(latent), 1.0 if 1.0 in betas else betas[0])
    st.session_state.setdefault(session.FRAMES, 10)
    st.session_state.setdefault(session.BACKDROP, True)
    if len(betas) > 1:
        beta = st.sidebar.select_slider(
            "β (weight of the KL term)",
            options=betas,
            format_func=lambda b: f"{b:g}" + (" (autoencoder)" if b == 0 else ""),
            key=session.beta_key(latent),
        )
    else:
        beta = betas[0]
        st.sidebar.caption(f"β = {beta:g} (the only model shipped with z = {latent})")
    loaded = family.get(latent, beta)
    map_name = st.sidebar.radio(
        "Map", loaded.atlas.map_names, format_func=MAP_LABELS.get, key=session.map_key(latent), horizontal=True
    )
    method = st.sidebar.radio("Path", METHODS, horizontal=True, key=session.METHOD)
    frames = st.sidebar.slider("Frames", *FRAMES_RANGE, key=session.FRAMES)
    compare = st.sidebar.toggle(
        "Compare all β",
        key=session.COMPARE,
        disabled=len(betas) < 2,
        help="Encode the same two digits with every β model; one row per β.",
    )
    backdrop = st.sidebar.toggle(
        "Decoded digits behind the plane",
        key=session.BACKDROP,
        disabled=map_name != "plane",
        help="Tiles the z = 2 plane with what the decoder draws at each point: the classic manifold picture.",
    )
    return View(
        model=loaded.name,
        map_name=map_name,
        method=method,
        frames=frames,
        compare=compare and len(betas) > 1,
        backdrop=backdrop,
        page=st.session_state.get(session.PAGE, "explore"),
        samples=int(st.session_state.get(session.SAMPLES, 0)),
        eps=int(st.session_state.get(session.EPS, 0)),
        probe=st.session_state.get(session.PROBE),
    )
