"""Latent Explorer: see, and touch, the latent space of a variational autoencoder.

The page, as a table of contents (app.py serves it: `streamlit run app.py`). A compact header,
then one switch between two views:

- "Explore the map": the latent map with the morph beside it (sections/map.py, which lays out
  the widget, the find panel and the analytics under it; sections/morph.py computes the path),
  then "draw a digit" (sections/draw.py); the analytics, traversals and samples from the prior
  under the map are the viewer's (viewer/explore/panel/);
- "Why a VAE?": the lesson, autoencoder against VAE on z = 2 planes (sections/lesson.py).

The view is read from session state once per run (sections/session.py current_view, after the
widget's newest events are applied) and handed to every section. What they compute lives in
vae/ (models, paths; no Streamlit) and explorer/ (figures, images, endpoint rules, the URL).
"""

from __future__ import annotations

import time
from datetime import timedelta

# Imported whole before anything can serialise a figure: Plotly peeks at sys.modules["pandas"] without
# importing it, and a session whose thread peeks while another session's thread is still importing
# pandas crashed on a half-initialised module (docs/testing.md, "When a map never draws"). An `import`
# waits for the other thread's import to finish; the peek does not.
import pandas  # noqa: F401
import streamlit as st

from explorer.viewer_data import TAGLINE, TITLE
from sections import session
from sections.draw import draw_section
from sections.lesson import lesson, prefetch_lesson
from sections.map import map_section, take_events
from sections.runtime import get_family, no_traceback, status, weights_error
from vae.checkpoint import CheckpointError
from vae.family import weights_folder
from widgets.morph_map import load_plotly, scroll_to_top

PAGES = {"explore": ":material/explore: Explore the map", "lesson": ":material/school: Why a VAE?"}
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-bottom: 3rem; }
.le-header h1 { font-size: 1.55rem; padding: 0; margin: 0; line-height: 1.2; }
.le-header p { color: #555; font-size: 0.92rem; margin: 2px 0 0; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 0.8rem; }
  .le-header h1 { font-size: 1.25rem; }
  .le-header p { font-size: 0.82rem; }
}
</style>"""

st.set_page_config(page_title="Latent Explorer", page_icon="🧭", layout="wide", initial_sidebar_state="collapsed")


def main() -> None:
    started = time.perf_counter()
    try:
        family = get_family(weights_folder())
    except FileNotFoundError as error:
        st.error(f"{error}")
        st.stop()
    except CheckpointError as error:
        weights_error(error)
        st.stop()
    # Every run lays out the same elements before the view (some of them may be empty): an element
    # whose place on the page changes is remounted, and the map would be redrawn from scratch.
    link_problem = session.restore_from_url(family)
    _, problems = take_events(family)  # the widget's newest events first: the view below is the one shown
    view = session.current_view(family)
    rerun_on_reconnect()
    header()
    messages = st.container()
    for message in [link_problem, *problems]:
        if message:
            messages.warning(message)
    switched = st.session_state.get("shown_page") != view.page  # a switch of view starts at its top
    st.session_state["shown_page"] = view.page
    scroll_to_top(switched)
    if view.page == "lesson":
        lesson(family, view)  # draws no Plotly: its first paint does not wait for Streamlit's Plotly bundle
    else:
        map_slot = st.container()  # filled last: the map shows the drawn digit, drawn further down
        st.divider()
        drawn = draw_section(family, family.models[view.model])
        with map_slot:
            map_section(family, view, drawn)
        # After the map in the page's order: the browser then fetches the widget's code and the map's codes
        # while Streamlit's Plotly bundle (4.7 MB to fetch and evaluate) is still on its way, not after it.
        no_traceback(load_plotly)()
        prefetch_lesson(family)  # once idle, the browser fetches what the lesson's first drawing needs
    status("page", f"full run in {1000 * (time.perf_counter() - started):.1f} ms")


@st.fragment(run_every=timedelta(days=1))
def rerun_on_reconnect() -> None:
    """Draws nothing; its presence makes the browser ask for a full run whenever its websocket reconnects.

    Streamlit's frontend re-requests a run on reconnect only while an auto-rerunning fragment exists.
    Without one, a page whose server restarted (or whose closed session expired,
    server.disconnectedSessionTTL) keeps its old picture on a fresh session that knows none of its
    fragments, and drops every map event. The full run rebuilds the same view from the URL. The timer
    itself reruns this empty fragment once a day. tests/test_faults.py checks the restart; docs/testing.md
    says which frontend behaviour this leans on."""


def header() -> None:
    """The title, one line on what the page is, and the switch between the two views, in little height."""
    st.html(STYLE)
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.html(
            f'<div class="le-header"><h1>{TITLE}</h1><p>{TAGLINE}</p></div>',
            width="content",
        )
        st.segmented_control(
            "View", list(PAGES), format_func=PAGES.get, key=session.PAGE, label_visibility="collapsed", required=True
        )


main()
