"""The explorer: the map with the morph beside it (one widget), then the path's analytics and downloads.

A click, a drag, a scrub or a change of β is drawn by the browser at once (widgets/morph_map.py).
The event it sends reruns only this fragment: `take_events` checks it like any visitor input (a
forged payload gets a message, never an error), applies it, and the path is computed once in
numpy (sections/morph.py), the authority for the analytics, the downloads and the tests. A change
of the view's controls reruns the whole page instead, since the draw and inside sections follow
the model too.
"""

from __future__ import annotations

import base64
import html
import time

import numpy as np
import streamlit as st

from explorer import figures, images, untrusted
from explorer.safe_text import cut, plain
from explorer.share import CONTROLS, PLANE_LIMIT, View, checked_controls
from explorer.state import POINT_MAPS, Endpoint, Endpoints, map_point, test_digit
from explorer.viewer_data import PICK_HINT, family_data, showcase_text
from vae.family import Family, weights_folder
from widgets.contract import PRESET_FIGURES, PRESET_ROWS, PRESET_ROWS_ID
from widgets.morph_map import morph_map, new_events

from . import session
from .find import find_panel
from .lesson import preset_hint
from .morph import PathResult, downloads, path_for, reading, report_data
from .runtime import no_traceback, showcase_file, status

EVENT_LOG = "map_event_log"  # the last events handled, for the page's status marker (tests read it)


def take_events(family: Family) -> tuple[bool, list[str]]:
    """Applies every widget event since the last run, oldest first. Returns whether the view's controls
    changed (the caller then reruns the whole page) and a message for each event that could not be used."""
    chosen = session.endpoints()
    log = st.session_state.setdefault(EVENT_LOG, [])
    changed, problems = False, []
    for event in new_events(session.WIDGET):
        try:
            if event["type"] == "view":
                changed |= apply_controls(family, event)
            else:
                apply_endpoint_event(family, chosen, event)
                st.session_state.pop(session.SHOWCASE, None)
        except ValueError as error:
            problems.append(f"A map event could not be used: {error}.")
            continue
        log.append(f"{event['type']}:{event.get('index', '')}")
    del log[:-32]
    return changed, problems


def apply_endpoint_event(family: Family, chosen: Endpoints, event: dict) -> None:
    kind = event["type"]
    if kind == "swap":
        chosen.swap()
    elif kind == "clear":
        chosen.clear()
    elif kind == "pick":
        chosen.click(checked_digit(family, event.get("index")))
    elif kind == "point":
        chosen.click(checked_point(family, event))
    elif kind == "set":
        if event.get("end") not in ("a", "b"):
            raise ValueError("an endpoint is A or B")
        found = checked_point(family, event) if "map" in event else checked_digit(family, event.get("index"))
        chosen.use(event["end"], found)


def checked_digit(family: Family, index) -> Endpoint:
    return test_digit(family, untrusted.index(index, len(family.labels)))


def checked_point(family: Family, event: dict) -> Endpoint:
    """A point of the map shown (the plane inside its extent, or anywhere near a PCA map)."""
    view = session.current_view(family)
    loaded = family.models[view.model]
    map_name = event.get("map")
    if map_name != view.map_name or map_name not in POINT_MAPS:
        raise ValueError(f"a point of the {plain(map_name)} map cannot be an endpoint here")
    point = untrusted.point(event.get("x"), event.get("y"), PLANE_LIMIT)
    extent = figures.map_info(family)[loaded.name][map_name]["extent"]
    if point is None or (
        map_name == "plane" and not (extent[0] <= point[0] <= extent[1] and extent[2] <= point[1] <= extent[3])
    ):
        raise ValueError(f"the point {plain((event.get('x'), event.get('y')))} is outside the map")
    return map_point(loaded, map_name, *point)


def apply_controls(family: Family, event: dict) -> bool:
    """The widget's controls, checked against what is shipped; a value that cannot be used keeps the old one."""
    before = session.current_view(family)
    fields = {name: name for name in CONTROLS} | {"map_name": "map"}
    # A field the browser left out (None) is not a change; one it sent that cannot be used keeps the old value.
    given = {n: event[f] for n, f in fields.items() if event.get(f) is not None}
    if "mr" in event:  # the β slider: None turns it off
        given["mr"] = event["mr"]
    view, _ = checked_controls(family, before, given)
    values = {
        session.MODEL: view.model,
        session.MAP: view.map_name,
        session.METHOD: view.method,
        session.FRAMES: view.frames,
        session.COMPARE: view.compare,
        session.BACKDROP: view.backdrop,
        session.MR: view.mr,
    }
    for key, value in values.items():
        st.session_state[key] = value
    return session.current_view(family) != before


@st.fragment
def map_section(family: Family, view: View, drawn: Endpoint | None) -> None:
    """The widget, the find panel and what lies under the map; a click reruns only this part of the page.
    Ends with a hidden run counter and the run's server-side time (for tests and benchmarks)."""
    started = time.perf_counter()
    map_and_morph(family, view, drawn)
    st.session_state.map_runs = st.session_state.get("map_runs", 0) + 1
    status("explorer", f"run {st.session_state.map_runs} in {1000 * (time.perf_counter() - started):.1f} ms")


@no_traceback
def map_and_morph(family: Family, view: View, drawn: Endpoint | None) -> None:
    # Messages go into this container, above the widget but always there, so the widget keeps its place
    # among the fragment's elements: an element whose place changes is remounted (the map redrawn).
    notes = st.container()
    changed, problems = take_events(family)
    if changed:
        st.rerun(scope="app")  # the controls changed: the whole page follows the new model
    for problem in problems:
        notes.warning(problem)
    chosen = session.endpoints()
    preset = preset_hint(view, chosen)
    if preset:  # above the map, as the static host shows it: on a phone the panel's hint is below the fold
        notes.html(preset_banner(preset))
    session.share_in_url(view)
    status("events", " ".join(st.session_state.get(EVENT_LOG, [])))
    loaded = family.models[view.model]
    result = path_for(loaded, chosen, view) if chosen.complete else None
    compare = []
    if result is not None and view.compare:
        for other in family.members(view.variant.latent_size):  # an import beside a shipped model of its β too
            found = result if other.name == view.model else path_for(other, chosen, view)
            compare.append((found, reading(family, found)[1]))
    analytics, summary = reading(family, result) if result is not None else (None, None)
    morph_map(session.WIDGET, widget_data(family, view, chosen, drawn, result, summary, compare))
    if result is not None:
        status(
            "morph",
            f"{len(result.frames)} frames, {view.method} path from {chosen.a.label} to {chosen.b.label} "
            f"under {loaded.name}; frames sha256 {result.fingerprint}",
        )
    find_panel(family, loaded, chosen)
    if result is not None:
        downloads(family, chosen, result)
        if compare:
            status("compare", f"{len(compare)} rows")
        if analytics.probabilities is not None:
            status("analytics", f"reads {''.join(str(d) for d in analytics.predicted)}")


# The preset's banner, in the colours of st.info; its text wraps (never an ellipsis) and its figures stay closed.
BANNER_STYLE = (
    "<style>.le-preset-banner{background:rgba(28,131,225,.1);color:rgb(0,66,128);border-radius:.5rem;"
    "padding:.6rem 1rem;line-height:1.5;overflow-wrap:anywhere}.le-preset-banner p{margin:0}"
    ".le-preset-banner summary{cursor:pointer;margin-top:.2rem}.le-preset-banner details p{margin-top:.3rem}</style>"
)


def preset_banner(preset: dict) -> str:
    """The banner of the preset that opened the map: "title: line" as visible text and the caption (its figures)
    behind a closed "The figures" disclosure. Everything comes from weights/lesson.json, a file a visitor's copy
    may have altered: escaped, controls replaced, cut long."""
    text = {key: html.escape(cut(preset.get(key, ""), 2000)) for key in ("title", "line", "caption")}
    # "rows under the morph": a link to the rows' box (on a phone they lie below the first screen), as the static
    # host's banner does (viewer/hosts/static.js linkedRows); the phrase holds nothing html.escape changes.
    text["line"] = text["line"].replace(PRESET_ROWS, f'<a href="#{PRESET_ROWS_ID}">{PRESET_ROWS}</a>', 1)
    return (
        f'{BANNER_STYLE}<div class="le-preset-banner" role="note"><p><b>{text["title"]}:</b> {text["line"]}</p>'
        f"<details><summary>{PRESET_FIGURES}</summary><p>{text['caption']}</p></details></div>"
    )


def widget_data(
    family: Family, view: View, chosen: Endpoints, drawn: Endpoint | None, result, summary, compare: list
) -> dict:
    """Everything the widget draws from, small: URLs of the arrays it fetches, the view, the endpoints
    (with their codes under every model when the browser cannot work them out), and the server's
    geodesics and classifier readings for the paths it computed."""
    paths = {}
    if view.method == "geodesic":
        for found in [result, *[r for r, _ in compare]]:
            if isinstance(found, PathResult):
                paths[found.model] = {
                    "key": found.key,
                    "codes": np.round(found.codes, 6).tolist(),
                    "report": report_data(found.report),
                }
    return {
        "view": {
            "model": view.model,
            "map": view.map_name,
            "method": view.method,
            "frames": view.frames,
            "compare": view.compare,
            "backdrop": view.backdrop,
            "mr": view.mr,
        },
        **family_data(family),
        "ends": {"a": end_data(family, chosen.a), "b": end_data(family, chosen.b)},
        "drawn": end_data(family, drawn),
        "paths": paths,
        "reading": summary,
        "readings": {r.model: summary_of for r, summary_of in compare if summary_of},
        "hint": showcase_hint(chosen) if showing_showcase(view, chosen) else PICK_HINT,
        "analyticsBelow": True,
    }


def showing_showcase(view: View, chosen: Endpoints) -> bool:
    """Whether the strip is the first visit's pair exactly as its rule measured it (model, path, frames):
    only then does the hint's claim about every frame hold."""
    if not (st.session_state.get(session.SHOWCASE) and chosen.complete):
        return False
    showcase = showcase_file(weights_folder())
    return (view.model, view.method, view.frames) == (
        showcase.get("model"),
        showcase.get("method"),
        showcase.get("frames"),
    )


def showcase_hint(chosen: Endpoints) -> str:
    """What a first visit is looking at (training/showcase.py picked the pair by its stated rule)."""
    return showcase_text(chosen.a.label, chosen.b.label)


def end_data(family: Family, end: Endpoint | None) -> dict | None:
    """An endpoint as the widget reads it (viewer/explore/endpoints.js endFrom), with its own picture (784 bytes:
    the cards and the strip's ends need no sprite) and, unless it is a test digit (whose codes the
    browser has), its code under every model."""
    if end is None:
        return None
    data = {"kind": end.kind, "id": end.id, "label": end.label}
    data["image"] = base64.b64encode(images.to_uint8(end.image).tobytes()).decode("ascii")
    if end.kind == "test":
        data["index"] = end.index
        return data
    if end.kind == "point":
        data.update(map=end.map_name, x=end.point[0], y=end.point[1], source=end.source_model)
    data["codes"] = {name: np.round(end.latent(loaded), 6).tolist() for name, loaded in family.models.items()}
    return data
