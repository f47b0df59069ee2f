"""One visitor's view, endpoints and link: the session-state keys they live under, defined once here.

Only what must outlive a rerun lives in st.session_state: the view's controls (under the keys
below), the endpoints, and the lesson's seeds and probe. `restore_from_url` seeds all of it
from a link on a session's first run; `current_view` reads it back as one View per run (page.py
builds it once and hands it to every section); `share_in_url` keeps the link in step.
Sections keep a few keys of their own (the draw section's input, the find panel's fields), each
defined at the top of its module.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer.share import (
    PAGES,
    View,
    checked_controls,
    default_view,
    drawing_from_text,
    drawing_text,
    parse_query,
    to_query,
)
from explorer.state import Endpoint, Endpoints, drawing_bytes, drawn_digit, map_point, test_digit
from vae.family import DEFAULT_MODEL, Family, weights_folder

from .runtime import showcase_file

MODEL = "view_model"
MAP = "view_map"
METHOD = "view_method"
FRAMES = "view_frames"
COMPARE = "view_compare"
BACKDROP = "view_backdrop"
MR = "view_mr"  # the β slider's beta (the Multi-Rate VAE shown), or None
PAGE = "page"  # the view switch under the title
SAMPLES = "samples_seed"  # the lesson's prior samples
EPS = "eps_seed"  # the lesson's eps in z = mu + sigma * eps
PROBE = "probe"  # the lesson's probed point
ENDPOINTS = "endpoints"
SHOWCASE = "showcase"  # True while the endpoints are the pair a first visit opens on
RESTORED = "restored"
WIDGET = "latent_map"  # the explorer widget's component key


def endpoints() -> Endpoints:
    if ENDPOINTS not in st.session_state:
        st.session_state[ENDPOINTS] = Endpoints()
    return st.session_state[ENDPOINTS]


def current_view(family: Family) -> View:
    """The view the controls hold now, every value checked against what is shipped (a stale or
    tampered key falls back to its default rather than reaching a section)."""
    state = st.session_state
    keys = dict(model=MODEL, map_name=MAP, method=METHOD, frames=FRAMES, compare=COMPARE, backdrop=BACKDROP, mr=MR)
    given = {name: state[key] for name, key in keys.items() if key in state}
    view, _ = checked_controls(family, default_view(family), given)
    chosen = endpoints()
    return replace(
        view,
        compare=view.compare and len(family.betas(family.models[view.model].variant.latent_size)) > 1,
        page=state.get(PAGE) if state.get(PAGE) in PAGES else "explore",
        samples=int(state.get(SAMPLES, 0)),
        eps=int(state.get(EPS, 0)),
        probe=state.get(PROBE),
        a=ref(chosen.a),
        b=ref(chosen.b),
    )


def set_view(view: View) -> None:
    """Sets every control to `view` (the endpoints are set apart, with apply_view)."""
    for key, value in (
        (MODEL, view.model),
        (MAP, view.map_name),
        (METHOD, view.method),
        (FRAMES, view.frames),
        (COMPARE, view.compare),
        (BACKDROP, view.backdrop),
        (MR, view.mr),
        (PAGE, view.page),
        (SAMPLES, view.samples),
        (EPS, view.eps),
        (PROBE, view.probe),
    ):
        st.session_state[key] = value


def restore_from_url(family: Family) -> str | None:
    """On a session's first run, seeds the controls and endpoints from the URL's query parameters.
    Values that cannot be used fall back to defaults; returns one message listing them, quoted (for
    the page to show), or None. A first visit that names no usable endpoint opens on the showcase pair."""
    if RESTORED in st.session_state:
        return None
    st.session_state[RESTORED] = True
    params = st.query_params.to_dict()
    view, warnings = parse_query(params, family)
    # A link whose endpoints cannot be used (each warned about) opens like one that names none: on the showcase
    # pair, not on an empty preview.
    if view.a is None and view.b is None and view.page == "explore":
        showcase = showcase_file(weights_folder())
        pair = [showcase.get(end) for end in ("a", "b")]
        usable = all(isinstance(i, int) and 0 <= i < len(family.labels) for i in pair)
        if usable and showcase.get("model") == view.model == DEFAULT_MODEL:
            view = replace(view, a=pair[0], b=pair[1])
            st.session_state[SHOWCASE] = True
    apply_view(family, view)
    if not warnings:
        return None
    return (
        "Some of this link's settings could not be used and were left at their defaults: " + "; ".join(warnings) + "."
    )


def apply_view(family: Family, view: View, replace_endpoints: bool = False) -> None:
    """Sets every control, seed and endpoint to `view` (a link's or a preset's)."""
    set_view(view)
    chosen = endpoints()
    if replace_endpoints:
        chosen.clear()
        st.session_state.pop(SHOWCASE, None)
    for end in ("a", "b"):
        found = getattr(view, end)
        if found is not None:
            chosen.use(end, endpoint_from_ref(family, view.model, found))


def endpoint_from_ref(family: Family, model: str, found) -> Endpoint:
    """A link's endpoint (explorer.share.EndpointRef), already checked by parse_query."""
    if isinstance(found, int):
        return test_digit(family, found)
    if found[0] == "drawn":
        return drawn_digit(drawing_from_text(found[1]))
    map_name, x, y, source = found
    return map_point(family.models[source or model], map_name, x, y)


def ref(endpoint: Endpoint | None):
    """How an endpoint travels in a link (explorer.share.EndpointRef)."""
    if endpoint is None:
        return None
    if endpoint.kind == "test":
        return endpoint.index
    if endpoint.kind == "point":
        return (endpoint.map_name, endpoint.point[0], endpoint.point[1], endpoint.source_model)
    return ("drawn", drawing_text(drawing_bytes(endpoint.image)))


def share_in_url(view: View) -> None:
    """Keeps the URL in step with the view, so copying it shares exactly this morph."""
    chosen = endpoints()
    query = to_query(replace(view, a=ref(chosen.a), b=ref(chosen.b)))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def bump(key: str) -> None:
    """A "new samples"/"new eps" button: the next seed (kept in the URL, so the view is reproducible)."""
    st.session_state[key] = (int(st.session_state.get(key, 0)) + 1) % 10_000
