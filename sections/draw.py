"""Draw a digit (or upload one): preprocessed as MNIST was made, encoded, placed, and usable as A or B."""
from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import images
from explorer.state import drawn_digit
from vae.drawing import DrawingError, read_upload, to_mnist
from vae.family import Family, LoadedModel
from vae.paths import decode

from .runtime import no_traceback, status
from .session import endpoints


@no_traceback
def draw_section(family: Family, loaded: LoadedModel):
    """Canvas or upload -> the 28x28 the model sees. Returns an Endpoint, or None."""
    st.subheader("Draw a digit")
    source = st.radio("Input", ["Draw", "Upload a picture"], horizontal=True, label_visibility="collapsed")
    pad, result = st.columns([1, 2], gap="large")
    with pad:
        picture = None
        if source == "Draw":
            from streamlit_drawable_canvas import st_canvas  # needs a running page; see FIELD-NOTES

            canvas = st_canvas(
                stroke_width=18, stroke_color="#FFFFFF", background_color="#000000",
                height=280, width=280, drawing_mode="freedraw", return_image_data=True, key="canvas",
            )
            picture = canvas.image_data
            st.caption("Draw one digit, large, in the middle. The bin icon clears the canvas.")
        else:
            upload = st.file_uploader("A PNG or JPG of one digit", type=["png", "jpg", "jpeg"])
            if upload is not None:
                try:
                    picture = read_upload(upload.getvalue())
                except DrawingError as error:
                    st.warning(str(error))
    with result:
        if picture is None:
            st.caption("Your digit will appear here, encoded and placed on the map as a ★.")
            return None
        try:
            digit = to_mnist(picture)
        except DrawingError as error:
            st.info(str(error))
            return None
        endpoint = drawn_digit(digit.image)
        code = endpoint.latent(loaded)
        reconstruction = decode(loaded.model, code[None])[0]
        st.image(images.strip(np.stack([digit.image, reconstruction]), scale=4, end_gap=6),
                 caption="what the model sees (28×28) | its reconstruction"
                 + (" — your picture was dark-on-light, so it was inverted" if digit.inverted else ""))
        nearest, distances = loaded.atlas.nearest(code, 5)
        tiles = [images.labelled_tile(family.images[i] / 255.0, f"{family.labels[i]} #{i}") for i in nearest]
        st.image(np.concatenate(tiles, axis=1), caption="its 5 nearest test digits in latent space (label #index)")
        use_a, use_b = st.columns(2)
        chosen = endpoints()
        if use_a.button("Use as A", use_container_width=True):
            chosen.use("a", endpoint)
        if use_b.button("Use as B", use_container_width=True):
            chosen.use("b", endpoint)
        status("drawn", f"nearest labels {[int(family.labels[i]) for i in nearest]}")
        return endpoint
