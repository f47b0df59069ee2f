"""What every section shares: the cached model family, the endpoints, status markers, the error guard."""
from __future__ import annotations

import logging
import os
import threading
from functools import wraps

import streamlit as st

from explorer.state import Endpoints
from vae.checkpoint import CheckpointError
from vae.family import DEFAULT_WEIGHTS, Family, load_family

log = logging.getLogger("latent_explorer")


def weights_folder() -> str:
    """weights/ beside the code, or $LATENT_EXPLORER_WEIGHTS (read on every run, so tests can point it elsewhere)."""
    return os.environ.get("LATENT_EXPLORER_WEIGHTS", str(DEFAULT_WEIGHTS))


def weights_error(error: CheckpointError) -> None:
    """What to tell a user whose weights/ holds a file that cannot be trusted."""
    st.error(f"A shipped model file cannot be trusted: {error}. Restore it with `git checkout weights/` "
             "or retrain with `python train.py`.")


def no_traceback(section):
    """Last line of defence: an unexpected error becomes a message, and the rest of the page lives."""

    @wraps(section)
    def guarded(*args, **kwargs):
        try:
            return section(*args, **kwargs)
        except CheckpointError as error:  # a model file that passed the first check but cannot be built
            weights_error(error)
        except Exception:  # st.stop()/reruns are BaseExceptions and pass through
            log.exception("section %s failed", section.__name__)
            st.error("Something went wrong in this part of the page. Try another setting or reload; "
                     "the problem has been logged on the server.")

    return guarded


@st.cache_resource(show_spinner="Loading the models...")
def get_family(folder: str) -> Family:
    """Verified weights and atlases; the torch modules are built after the first paint."""
    return load_family(folder, build=False)


@st.cache_resource(show_spinner=False)
def warm_up(_family: Family, folder: str) -> threading.Thread:
    """Imports torch and builds every model in the background, once per server process, so the
    map shows ~2 s sooner and the first click still finds the models ready."""
    thread = threading.Thread(target=build_models, args=(_family,), name="build-models", daemon=True)
    thread.start()
    return thread


def build_models(family: Family) -> None:
    import torch

    # One thread per operation: the models are tiny, sessions run side by side, and on a small
    # machine torch's worker threads would otherwise fight the browser and each other for cores.
    torch.set_num_threads(1)
    family.build_all()


def status(name: str, text: str) -> None:
    """A hidden marker that browser tests wait on (fast reruns never show "Running...")."""
    st.html(f'<span class="le-status" data-name="{name}" style="display:none">{text}</span>')


def endpoints() -> Endpoints:
    if "endpoints" not in st.session_state:
        st.session_state.endpoints = Endpoints()
    return st.session_state.endpoints
