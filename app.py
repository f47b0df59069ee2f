"""Latent Explorer: see, and touch, the latent space of a variational autoencoder.

    streamlit run app.py

The page reads top to bottom like the screen. The sidebar picks a model, a map and a path
(sections/sidebar.py). Under the title, one switch chooses between two views:

- "Explore the map": the latent map with two endpoints and the morph between them
  (sections/map.py, sections/morph.py), then "draw a digit" (sections/draw.py) and
  "inside the model" (sections/inside.py);
- "Why a VAE?": the lesson, autoencoder against VAE on z = 2 planes, sampling and the
  reparameterization trick (sections/lesson.py).

What they compute lives in vae/ (models, paths; no Streamlit) and explorer/ (figures,
images, endpoint state, the URL); the map itself is a component in widgets/.
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

from sections import session
from sections.draw import draw_section
from sections.inside import inside_the_model
from sections.lesson import lesson
from sections.map import explorer
from sections.runtime import get_family, no_traceback, status, weights_error, weights_folder
from sections.sidebar import sidebar
from vae.checkpoint import CheckpointError
from widgets.latent_map import load_plotly

PAGES = {"explore": ":material/explore: Explore the map", "lesson": ":material/school: Why a VAE? Autoencoder vs VAE"}

st.set_page_config(page_title="Latent Explorer", page_icon="🧭", layout="wide")


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
    no_traceback(load_plotly)()
    rerun_on_reconnect()
    session.restore_from_url(family)
    view = sidebar(family)

    st.title("Latent Explorer")
    introduction()
    page = st.segmented_control(
        "View", list(PAGES), format_func=PAGES.get, key=session.PAGE, label_visibility="collapsed"
    )
    if page == "lesson":
        lesson(family, view)
    else:
        explorer_slot = st.container()  # filled last: the map shows the drawn digit, drawn further down
        st.divider()
        drawn = draw_section(family, family.models[view.model])
        st.divider()
        inside_the_model(family, view)
        with explorer_slot:
            explorer(family, view, drawn)
    status("page", f"full run in {1000 * (time.perf_counter() - started):.1f} ms")


@st.fragment(run_every=timedelta(days=1))
def rerun_on_reconnect() -> None:
    """Draws nothing; its presence makes the browser ask for a full run whenever its websocket reconnects.

    Streamlit's frontend re-requests a run on reconnect only while an auto-rerunning fragment exists. Without
    one, a page whose server restarted (or whose closed session expired, server.disconnectedSessionTTL) keeps
    its old picture on a fresh session that knows none of its fragments, and drops every map click ("the
    fragment ... does not exist anymore"). The full run rebuilds the same view from the URL. The timer itself
    reruns this empty fragment once a day. tests/test_faults.py checks the restart; docs/testing.md says
    which frontend behaviour this leans on."""


def introduction() -> None:
    """What the page is about, in the main column, so a phone (collapsed sidebar) sees it too."""
    st.caption(
        "10,000 handwritten MNIST test digits, each placed where a **variational autoencoder** encodes it. "
        "Click two dots and watch one digit morph into the other; or open *Why a VAE?* to see what a "
        "plain autoencoder cannot do."
    )
    with st.expander("What am I looking at?"):
        st.markdown(
            "An **autoencoder** squeezes each 28×28 digit into a short code *z* and decodes it back. A "
            "**variational** autoencoder (VAE) encodes each digit as a whole distribution, a Gaussian with "
            "mean μ and spread σ, and trains on samples *z = μ + σ·ε* drawn from it; its KL term, weighted "
            "by **β**, pulls all those Gaussians towards one standard normal N(0, I). The map shows the "
            "codes μ of the test digits, flattened to 2-D (PCA or t-SNE for 20-dimensional codes; the "
            "z = 2 models *are* a plane). Pick two digits and the page decodes the points on the path "
            "between them. β = 0 is a plain autoencoder; the sidebar switches β and can show every β "
            "side by side."
        )


main()
