"""Draw a digit (or upload one): preprocessed as MNIST was made, encoded, placed, and usable as A or B.

An upload is read once per distinct file: the 28x28 result (or the message why there is none) is cached
by the file's SHA-256, so the reruns that follow (a change of model, a click on the map) cost nothing and
never decode the picture again. The cache holds only those 3 KB results, at most UPLOAD_CACHE of them.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from explorer import images
from explorer.state import drawn_digit
from vae.drawing import Digit, DrawingError, read_upload, to_mnist
from vae.family import Family, LoadedModel

from .runtime import no_traceback, status
from .session import SHOWCASE, endpoints

UPLOAD_CACHE = 32  # distinct uploads remembered, across all sessions
SOURCES = ("Draw", "Upload a picture")
SOURCE = "draw_source"  # the radio's key
KEPT_SOURCE = "draw_source_kept"  # its value, kept while the radio is off the page (widget state is not)
KEPT_UPLOAD = "upload_kept"  # (Digit | None, message | None) of the last upload: 3 KB, kept the same way


def keep_source() -> None:
    st.session_state[KEPT_SOURCE] = st.session_state[SOURCE]


def forget_upload() -> None:
    """The visitor chose another file or removed it: the kept result no longer applies."""
    st.session_state.pop(KEPT_UPLOAD, None)


@st.cache_data(max_entries=UPLOAD_CACHE, show_spinner="Reading your picture...")
def upload_digit(digest: str, _data: bytes) -> tuple[Digit | None, str | None]:
    """The upload's 28x28 digit, or the message that says why it has none; keyed by the file's SHA-256."""
    try:
        return to_mnist(read_upload(_data)), None
    except DrawingError as error:
        return None, str(error)


@st.cache_data(max_entries=UPLOAD_CACHE, show_spinner=False)
def canvas_digit(digest: str, _pixels: np.ndarray) -> tuple[Digit | None, str | None]:
    """The same for the canvas (its preprocessing takes ~30 ms; every rerun would pay it otherwise)."""
    try:
        return to_mnist(_pixels), None
    except DrawingError as error:
        return None, str(error)


def fingerprint(pixels: np.ndarray) -> str:
    """SHA-256 of an array's shape, dtype and bytes."""
    digest = hashlib.sha256(f"{pixels.shape}|{pixels.dtype}|".encode())
    digest.update(np.ascontiguousarray(pixels).tobytes())
    return digest.hexdigest()


def use_drawing(end: str, endpoint) -> None:
    """ "Use as A" / "Use as B": that very slot, before the page reruns (so the map shows it at once)."""
    endpoints().use(end, endpoint)
    st.session_state.pop(SHOWCASE, None)


@no_traceback
def draw_section(family: Family, loaded: LoadedModel):
    """Canvas or upload -> the 28x28 the model sees. Returns an Endpoint, or None."""
    st.subheader("Draw a digit")
    if SOURCE not in st.session_state:  # gone while the section was off the page (the lesson): restore it
        st.session_state[SOURCE] = st.session_state.get(KEPT_SOURCE, SOURCES[0])
    source = st.radio(
        "Input", SOURCES, horizontal=True, label_visibility="collapsed", key=SOURCE, on_change=keep_source
    )
    # The canvas's toolbar (upload, undo, bin) floats at its frame's top edge: room for it under the radio,
    # which it otherwise covered ("Upload a pict…").
    st.html(f"<style>.st-key-{SOURCE} {{ margin-bottom: 18px; }}</style>")
    pad, result = st.columns([1, 2], gap="large")
    digit, problem = None, None
    with pad:
        if source == "Draw":
            from streamlit_drawable_canvas import st_canvas  # importing it outside a running page raises

            canvas = st_canvas(
                stroke_width=18,
                stroke_color="#FFFFFF",
                background_color="#000000",
                height=280,
                width=280,
                drawing_mode="freedraw",
                return_image_data=True,
                key="canvas",
            )
            st.caption(
                "Draw one digit, large, in the middle. To start again, point at the canvas: a bin icon shows above it."
            )
            if canvas.image_data is not None:
                pixels = np.asarray(canvas.image_data)
                digit, problem = canvas_digit(fingerprint(pixels), pixels)
        else:
            upload = st.file_uploader(
                "A PNG or JPEG of one digit", type=["png", "jpg", "jpeg"], key="upload", on_change=forget_upload
            )
            st.caption("PNG or JPEG only, up to 25 megapixels. It is read in memory and never stored.")
            if upload is not None:
                data = upload.getvalue()
                digit, problem = upload_digit(hashlib.sha256(data).hexdigest(), data)
                st.session_state[KEPT_UPLOAD] = (digit, problem)
            elif KEPT_UPLOAD in st.session_state:  # the uploader was off the page; its result was kept
                digit, problem = st.session_state[KEPT_UPLOAD]
                st.caption("Showing your last upload; upload another picture to replace it.")
    with result:
        if problem is not None:
            st.info(problem)  # our own words (sizes are numbers): nothing the visitor sent is echoed
            return None
        if digit is None:
            st.caption("Your digit will appear here, encoded and placed on the map as a ★.")
            return None
        if digit.warning:
            st.warning(digit.warning)
        endpoint = drawn_digit(digit.image, "your drawing" if source == "Draw" else "your photo")
        code = endpoint.latent(loaded)
        reconstruction = loaded.model.decode(code[None])[0]
        st.image(
            images.strip(np.stack([digit.image, reconstruction]), scale=4, end_gap=6),
            caption="what the model sees (28×28) | its reconstruction"
            + (" — your picture was dark-on-light, so it was inverted" if digit.inverted else ""),
        )
        nearest, _ = loaded.atlas.nearest(code, 5)
        tiles = [images.labelled_tile(family.images[i] / 255.0, f"{family.labels[i]} #{i}") for i in nearest]
        st.image(np.concatenate(tiles, axis=1), caption="its 5 nearest test digits in latent space (label #index)")
        use_a, use_b = st.columns(2)
        use_a.button("Use as A", width="stretch", on_click=use_drawing, args=("a", endpoint))
        use_b.button("Use as B", width="stretch", on_click=use_drawing, args=("b", endpoint))
        status("drawn", f"nearest labels {[int(family.labels[i]) for i in nearest]}")
        return endpoint
