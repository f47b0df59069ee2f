"""The lesson, "Why a VAE?": a plain autoencoder (beta = 0) against a VAE (beta = 1), both with a 2-D code.

The lesson is one component (widgets/planes.py, viewer/lesson/), the same viewer the static site hosts: the
same draws of N(0, I) decoded by each model, with what the classifier reads; the two z = 2 planes, holes
shaded, with the probe; the training epochs to play, with the figures as curves; one digit's q(z|x) sampled;
the per-model table. The viewer computes the draws, the probes and the samples in the browser
(viewer/lesson/compute.js, held to numpy by tests/test_lesson_js.py); this page hands it data
(explorer/lesson_assets.py lesson_data) and the session's seeds and probe, and keeps them in the link.
Above it the presets; the section draws nothing into the sidebar.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import untrusted
from explorer.lesson_assets import LESSON_MODELS, lede, lesson_data, lesson_planes, presets, recipe
from explorer.share import PLANE_LIMIT, View, parse_query
from vae.family import Family
from widgets.contract import PRIOR_WORDS
from widgets.planes import lesson_planes as planes_component
from widgets.planes import new_events

from . import session
from .runtime import no_traceback, status

KEY = "lesson-planes"  # the lesson's component
PROBE_KIND = "lesson_probe_kind"  # "draw" when the probe is a draw of N(0, I), else a clicked point
LEAVE = "lesson_leave"  # a preset switched to the map in the event's callback: the whole page reruns
PRESET_VIEW = "lesson_preset_view"  # (model, a, b) of the preset last applied: its line stays while they do
PRESET = "lesson_preset"  # the title, line and caption of the preset last applied, shown where it lands
LEDE_ON_A_PHONE = "@media (max-width: 640px) { .st-key-lp-lede p { font-size: 14px; line-height: 1.4; } }"


@no_traceback
def lesson(family: Family, view: View) -> None:
    missing = [name for name in LESSON_MODELS if name not in family.models]
    if missing:
        st.warning(
            f"The lesson needs the z = 2 models {', '.join(missing)}; "
            "`python train.py --variants z2-beta0,z2-beta1 --out weights --overwrite` trains them; beside imports, "
            "`python import_vae.py PATH --with-shipped` adds them."
        )
        return
    with st.container(key="lp-lede"):
        st.markdown(lede(family), help=f"{recipe(family)} {PRIOR_WORDS}")
    st.html(f"<style>{LEDE_ON_A_PHONE}</style>")
    first_screen(family, view)


def prefetch_lesson(family: Family) -> None:
    """For the explore view (page.py): lets the browser fetch, once idle, the lesson's code and what its first
    drawing needs (the shipped models' mosaics and codes, the labels), so a first press on the lesson's tab
    does not wait for them. Draws nothing."""
    if any(name not in family.models for name in LESSON_MODELS):
        return
    planes = lesson_planes(family)
    urls = [
        planes["labels"],
        *(url for m in planes["models"] for url in (m["frames"][-1]["mosaic"], m["frames"][-1]["mu"])),
    ]
    with st.container(key="lp-prefetch", height=1, border=False):
        planes_component("lesson-prefetch", {"role": "prefetch", "urls": urls})
    st.html("<style>.st-key-lp-prefetch { display: none; }</style>")


@st.fragment
def first_screen(family: Family, view: View) -> None:
    """A click on a plane, a draw, new samples or new ε rerun only this part."""
    take_events(family)
    if st.session_state.pop(LEAVE, False):
        st.rerun(scope="app")
    # An event's callback runs before the script: a preset can switch the page there (the page's switch is a
    # widget, which a run may not set once drawn).
    planes_component(KEY, screen_data(family), on_event=lambda: take_events(family, in_callback=True))
    keep_link(view)
    probe = st.session_state.get(session.PROBE)
    status(
        "lesson",
        f"planes {' '.join(LESSON_MODELS)}; probe {probe}; kind {st.session_state.get(PROBE_KIND, 'click')}; "
        f"samples {int(st.session_state.get(session.SAMPLES, 0))}",
    )


def take_events(family: Family, in_callback: bool = False) -> None:
    """The component's events since the last run. The browser's payload is untrusted: a probe or a draw is
    used only when it is two finite numbers within the URL's bound (rounded to 0.01, its URL form); a preset
    only by the index of a shipped one. In the browser the events arrive through the callback, before the
    script, where a preset may switch the page (Streamlit then runs the whole page)."""
    state = st.session_state
    for event in new_events(KEY):
        if event["type"] in ("probe", "draw"):
            point = untrusted.point(event.get("x"), event.get("y"), PLANE_LIMIT)
            if point is not None:
                state[session.PROBE], state[PROBE_KIND] = point, "draw" if event["type"] == "draw" else "click"
                state.pop(PRESET, None)
        elif event["type"] == "preset":
            shipped, index = presets(family), event.get("index")
            if (
                index is not None
                and index < len(shipped)
                and apply_preset(family, shipped[index], in_callback) != "lesson"
            ):
                state[LEAVE] = True  # the fragment's run that follows the callback reruns the whole page
        elif event["type"] == "samples":
            session.bump(session.SAMPLES)
        elif event["type"] == "eps":
            session.bump(session.EPS)


def keep_link(view: View) -> None:
    """The link follows the lesson's seeds and probe. This fragment reruns alone, with the view of the last
    full run, so the values that change here are read from session state."""
    seeds = {
        name: int(st.session_state.get(key, 0)) for name, key in (("samples", session.SAMPLES), ("eps", session.EPS))
    }
    session.share_in_url(replace(view, page="lesson", probe=st.session_state.get(session.PROBE), **seeds))


def screen_data(family: Family) -> dict:
    """lesson_data (the same for every visitor) and this session's part: the seeds, the probe, the digit whose
    q(z|x) is sampled (endpoint A when it is a test digit), the preset last applied."""
    state = st.session_state
    probe = state.get(session.PROBE)
    chosen = session.endpoints().a
    return {
        **lesson_data(family),
        "seeds": {"samples": int(state.get(session.SAMPLES, 0)), "eps": int(state.get(session.EPS, 0))},
        "probe": None if probe is None else {"x": probe[0], "y": probe[1], "drawn": state.get(PROBE_KIND) == "draw"},
        "digit": chosen.index if chosen is not None and chosen.index is not None else None,
        "preset": state.get(PRESET),
    }


def apply_preset(family: Family, preset: dict, in_callback: bool = True) -> str:
    """Sets the page to a preset's view, exactly as opening its link would, and keeps its line to show where
    it lands (the lesson's viewer shows it above the planes; it sets the scale and epoch itself). Returns the
    page the preset opens. Outside a callback (the page's switch already drawn) everything but the page is set."""
    view = parse_query(preset["query"], family)[0]
    if in_callback:
        session.apply_view(family, view, replace_endpoints=True)
    else:  # the page's switch is drawn: the rest of the view, as apply_view sets it
        page = st.session_state.get(session.PAGE)
        keys = (session.MODEL, session.MAP, session.METHOD, session.FRAMES, session.COMPARE, session.BACKDROP)
        values = (view.model, view.map_name, view.method, view.frames, view.compare, view.backdrop)
        for key, value in (*zip(keys, values, strict=True), (session.SAMPLES, view.samples), (session.EPS, view.eps)):
            st.session_state[key] = value
        st.session_state[session.PROBE] = view.probe
        chosen = session.endpoints()
        chosen.clear()
        st.session_state.pop(session.SHOWCASE, None)
        for end in ("a", "b"):
            if getattr(view, end) is not None:
                chosen.use(end, session.endpoint_from_ref(family, view.model, getattr(view, end)))
        view = replace(view, page=page or view.page)
    st.session_state[PRESET] = {"title": preset["title"], "line": preset["line"], "caption": preset["caption"]}
    st.session_state[PRESET_VIEW] = (view.model, view.a, view.b)
    st.session_state.pop(PROBE_KIND, None)  # a preset's probe is a point, not a draw
    return view.page


def preset_hint(view: View, chosen) -> dict | None:
    """For the explore view's banner (sections/map.py): the title, line and caption of the preset that opened the
    map, while the map still shows the preset's model and pair; else None."""
    preset, shown = st.session_state.get(PRESET), st.session_state.get(PRESET_VIEW)
    if not preset or not shown:
        return None
    ends = tuple(getattr(end, "index", None) if end is not None else None for end in (chosen.a, chosen.b))
    return preset if (view.model, *ends) == tuple(shown) else None
