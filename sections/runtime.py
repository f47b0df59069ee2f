"""What the server shares across sessions: the verified model family, the error guard, status markers."""

from __future__ import annotations

import logging
from functools import wraps

import streamlit as st

from vae.checkpoint import CheckpointError
from vae.family import Family, load_lesson_file, load_showcase, shared_family

log = logging.getLogger("latent_explorer")


def get_family(folder: str) -> Family:
    """Every shipped model, verified and built once per server process and shared by all sessions
    (app.py starts loading it when the server starts)."""
    with st.spinner("Loading the models..."):
        return shared_family(folder)


@st.cache_data(show_spinner=False, max_entries=4)
def lesson_file(folder: str) -> dict:
    """weights/lesson.json (the lesson's presets, the geodesic's measured ratios), read once per server."""
    return load_lesson_file(folder)


@st.cache_data(show_spinner=False, max_entries=4)
def showcase_file(folder: str) -> dict:
    """weights/showcase.json (the pair a first visit opens on, and how it was measured), read once per server."""
    return load_showcase(folder)


def weights_error(error: CheckpointError) -> None:
    """What to tell a user whose weights/ holds a file that cannot be trusted."""
    st.error(
        f"A shipped model file cannot be trusted: {error}. Restore it with `git checkout weights/` "
        "or retrain with `python train.py --out weights --overwrite`."
    )


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
            st.error(
                "Something went wrong in this part of the page. Try another setting or reload; "
                "the problem has been logged on the server."
            )

    return guarded


def status(name: str, text: str) -> None:
    """A hidden marker that browser tests wait on (fast reruns never show "Running...")."""
    st.html(f'<span class="le-status" data-name="{name}" style="display:none">{text}</span>')
