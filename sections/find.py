"""Find a digit without hunting on the map: set A or B by test index, draw a random pair of two chosen
classes (a 3 -> an 8), or take one of each endpoint's nearest test digits.

`find_panel(family, loaded, chosen)` is called where the endpoint cards are. Every change goes through
a button's on_click callback, so it lands before the page body runs and the new path shows in the same
rerun (the map fragment included). Callbacks run outside the page's error guard, so they never raise:
a value that cannot be used becomes a message that the panel shows on that rerun.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from functools import lru_cache, wraps

import numpy as np
import streamlit as st

from explorer import images, untrusted
from explorer.state import Endpoint, Endpoints, random_pair, test_digit
from vae.family import Family, LoadedModel

from .runtime import status
from .session import SHOWCASE

log = logging.getLogger("latent_explorer")

NEIGHBOURS = 5
TILE_WIDTH = 68  # px per neighbour: five fit in a 400 px column; narrower screens wrap them
ENDS = ("a", "b")

# This panel's session-state keys (widgets' values, the random pair's seed, the last message).
INDEX = "find_index"
CLASS_A = "find_class_a"
CLASS_B = "find_class_b"
SEED = "find_seed"
MESSAGE = "find_message"
OPEN = "find_open"


def nearest_digits(loaded: LoadedModel, endpoint: Endpoint, count: int = NEIGHBOURS) -> np.ndarray:
    """Indices of the `count` test digits nearest to an endpoint's code under one model, itself left out."""
    if endpoint.index is not None:  # a test digit's neighbours never change: look them up once
        return np.asarray(_nearest_test_digits(loaded, endpoint.index, count))
    indices, _ = loaded.atlas.nearest(endpoint.latent(loaded), count)
    return indices


@lru_cache(maxsize=4096)
def _nearest_test_digits(loaded: LoadedModel, index: int, count: int) -> tuple[int, ...]:
    indices, _ = loaded.atlas.nearest(loaded.atlas.mu[index], count + 1)
    return tuple(int(i) for i in indices[indices != index][:count])


# Thumbnails per test set (keyed by the array's id; the array is kept, so the id cannot be reused).
_THUMBNAILS: dict[int, tuple[np.ndarray, dict[int, str]]] = {}


def thumbnail(family: Family, index: int) -> str:
    """Test digit `index` as a 56 px PNG data URI, made once: sent inline, no media file stored per rerun."""
    digits = family.images
    kept, made = _THUMBNAILS.setdefault(id(digits), (digits, {}))
    if kept is not digits:
        kept, made = _THUMBNAILS[id(digits)] = (digits, {})
    if index not in made:
        picture = images.png(images.strip(digits[index][None] / 255.0, scale=2, end_gap=0))
        made[index] = "data:image/png;base64," + base64.b64encode(picture).decode("ascii")
    return made[index]


def _callback(action: Callable[..., None]) -> Callable[..., None]:
    """A button callback whose problems become the panel's message (callbacks run outside no_traceback)."""

    @wraps(action)
    def guarded(*args) -> None:
        st.session_state[MESSAGE] = None
        st.session_state.pop(SHOWCASE, None)  # the visitor chose: the first visit's pair is gone
        try:
            action(*args)
        except ValueError as error:
            st.session_state[MESSAGE] = f"That digit could not be used: {error}."
        except Exception:
            log.exception("find: %s failed", action.__name__)
            st.session_state[MESSAGE] = "That digit could not be used; the problem has been logged on the server."

    return guarded


@_callback
def _set_by_index(family: Family, chosen: Endpoints, end: str) -> None:
    chosen.use(end, test_digit(family, untrusted.index(st.session_state.get(INDEX), len(family.labels))))


@_callback
def _random_pair(family: Family, chosen: Endpoints) -> None:
    digit_a, digit_b = (
        untrusted.index(st.session_state.get(key, default), 10) for key, default in ((CLASS_A, 3), (CLASS_B, 8))
    )
    seed = int(st.session_state.get(SEED, 0))
    a, b = random_pair(family, digit_a, digit_b, seed)
    st.session_state[SEED] = (seed + 1) % 1_000_000
    chosen.clear()
    chosen.use("a", test_digit(family, a))
    chosen.use("b", test_digit(family, b))


@_callback
def _use_neighbour(family: Family, chosen: Endpoints, end: str, index: int) -> None:
    chosen.use(end, test_digit(family, untrusted.index(index, len(family.labels))))


def find_panel(family: Family, loaded: LoadedModel, chosen: Endpoints) -> None:
    """Index input, the random-pair pickers and each endpoint's nearest test digits, in an expander.
    Controls sit in wrapping rows, so on a phone they flow onto the next line instead of squeezing."""
    last = len(family.labels) - 1
    # Lazy: while the expander is closed nothing inside it is built, so map clicks do not pay for it.
    panel = st.expander("Find a digit: by index, by class, or near an endpoint", key=OPEN, on_change="rerun")
    if not panel.open:
        st.session_state[MESSAGE] = None  # stale once the panel opens again
        status("find", f"closed; A {_ref(chosen.a)}, B {_ref(chosen.b)}")
        return
    with panel:
        if st.session_state.get(MESSAGE):
            st.warning(st.session_state[MESSAGE])
        with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
            st.number_input(
                "Test digit by index",
                min_value=None,
                max_value=None,
                value=None,
                step=1,
                key=INDEX,
                placeholder=f"0 to {last}",
                width=150,
                help=f"Any of the {last + 1:,} MNIST test digits.",
            )
            for end in ENDS:
                st.button(
                    f"Set {end.upper()}", key=f"find_set_{end}", on_click=_set_by_index, args=(family, chosen, end)
                )
        with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
            digits = list(range(10))
            st.selectbox("Random pair: from a", digits, index=3, key=CLASS_A, width=130)
            st.selectbox("to a", digits, index=8, key=CLASS_B, width=90)
            st.button(
                "Random pair",
                key="find_random",
                on_click=_random_pair,
                args=(family, chosen),
                help="A random test digit of each class as A and B; press again for another pair.",
            )
        for end, endpoint in zip(ENDS, (chosen.a, chosen.b), strict=True):
            if endpoint is not None:
                neighbours(family, loaded, chosen, end, endpoint)
    status("find", f"A {_ref(chosen.a)}, B {_ref(chosen.b)}, seed {st.session_state.get(SEED, 0)}")


def neighbours(family: Family, loaded: LoadedModel, chosen: Endpoints, end: str, endpoint: Endpoint) -> None:
    """The endpoint's nearest test digits in this model's latent space; the button under each takes it."""
    found = nearest_digits(loaded, endpoint)
    st.caption(
        f"Test digits nearest to {end.upper()}, {endpoint.label}, in the latent space of the model shown; "
        f"press one to make it {end.upper()}."
    )
    with st.container(horizontal=True, gap="xsmall"):
        for rank, index in enumerate(int(i) for i in found):
            label = int(family.labels[index])
            with st.container(width=TILE_WIDTH, gap=None, horizontal_alignment="center"):
                st.image(thumbnail(family, index), width=56)
                st.button(
                    f"#{index}",
                    key=f"find_near_{end}_{rank}",
                    width="stretch",
                    on_click=_use_neighbour,
                    args=(family, chosen, end, index),
                    help=f"Use test #{index} (a {label}) as {end.upper()}",
                )


def _ref(endpoint: Endpoint | None) -> str:
    return "none" if endpoint is None else (f"#{endpoint.index}" if endpoint.index is not None else endpoint.kind)
