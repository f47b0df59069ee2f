"""One visitor's state: the session-state keys (defined once, here), the endpoints, and the URL.

Only what must outlive a rerun lives in st.session_state: the widgets' values
(under the keys below), the endpoints, the seeds of the lesson's samples, and
the last map click handled. `restore_from_url` seeds all of it from a link on a
session's first run; `share_in_url` keeps the link in step afterwards.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from explorer.share import View, parse_query, to_query
from explorer.state import Endpoint, Endpoints, plane_point, test_digit
from vae.family import Family

LATENT = "latent"
METHOD = "method"
FRAMES = "frames"
COMPARE = "compare"
BACKDROP = "backdrop"
PAGE = "page"
SAMPLES = "samples_seed"
EPS = "eps_seed"
PROBE = "probe"
ENDPOINTS = "endpoints"
RESTORED = "restored"
MAP = "latent_map"


def beta_key(latent: int) -> str:
    return f"beta_z{latent}"


def map_key(latent: int) -> str:
    return f"map_z{latent}"


def endpoints() -> Endpoints:
    if ENDPOINTS not in st.session_state:
        st.session_state[ENDPOINTS] = Endpoints()
    return st.session_state[ENDPOINTS]


def restore_from_url(family: Family) -> None:
    """On a session's first run, seeds the controls and endpoints from the URL's query parameters.
    Values that cannot be used fall back to defaults and are listed, quoted, in one warning."""
    if RESTORED in st.session_state:
        return
    st.session_state[RESTORED] = True
    view, warnings = parse_query(st.query_params.to_dict(), family)
    apply_view(family, view)
    if warnings:
        st.warning(
            "Some of this link's settings could not be used, so defaults stand in for them: "
            + "; ".join(warnings)
            + "."
        )


def apply_view(family: Family, view: View, replace_endpoints: bool = False) -> None:
    """Sets every control, seed and endpoint to `view` (a link's or a preset's)."""
    variant = view.variant
    st.session_state[LATENT] = variant.latent_size
    st.session_state[beta_key(variant.latent_size)] = variant.beta
    st.session_state[map_key(variant.latent_size)] = view.map_name
    for key, value in (
        (METHOD, view.method),
        (FRAMES, view.frames),
        (COMPARE, view.compare),
        (BACKDROP, view.backdrop),
        (PAGE, view.page),
        (SAMPLES, view.samples),
        (EPS, view.eps),
        (PROBE, view.probe),
    ):
        st.session_state[key] = value
    chosen = endpoints()
    if replace_endpoints:
        chosen.clear()
    loaded = family.models[view.model]
    for ref in (view.a, view.b):
        if ref is not None:
            chosen.click(endpoint_from_ref(family, loaded, ref))


def endpoint_from_ref(family: Family, loaded, ref) -> Endpoint:
    """A URL's endpoint: a test index, or (x, y) on `loaded`'s plane (decoded there)."""
    if isinstance(ref, tuple):
        image = loaded.model.decode(np.asarray([ref], dtype=np.float32))[0]
        return plane_point(loaded, image, *ref)
    return test_digit(family, ref)


def share_in_url(view: View, chosen: Endpoints) -> None:
    """Keeps the URL in step with the view, so copying it shares exactly this morph.
    A plane point travels only with its own plane's model; a drawing never does."""

    def ref(endpoint: Endpoint | None):
        if endpoint is None or (endpoint.kind == "plane" and endpoint.source_model != view.model):
            return None
        return endpoint.ref

    a, b = ref(chosen.a), ref(chosen.b)
    if a is None:
        a, b = b, None
    query = to_query(replace(view, a=a, b=b))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def bump(key: str) -> None:
    """A "new samples"/"new eps" button: the next seed (kept in the URL, so the view is reproducible)."""
    st.session_state[key] = (int(st.session_state.get(key, 0)) + 1) % 10_000
