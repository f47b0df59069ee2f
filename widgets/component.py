"""The Streamlit side of the viewer: its files served by app.py, its components, and the event protocol.

    COMPONENT = module_component("name", "The map's")   # runs viewer/hosts/streamlit.js
    for event in take_events(key, types, fields):        # the events no run has handled yet, oldest first, cleaned
        ...
    COMPONENT(data={"role": ..., ..., "ack": acknowledged(key)}, key=key, ...)

Streamlit sends an inline component's code with every element of every run. Here each element carries
only a few-line loader that imports the viewer's Streamlit host (viewer/hosts/streamlit.js); app.py serves
the viewer's ES modules at /le-viewer/<version>/..., the version being a digest of every file, so the
browser caches them for good and the modules import each other by relative paths.

The browser's half of the protocol is viewer/core/protocol.js; this module is the server's half.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from explorer.untrusted import whole

from .contract import MAX_PENDING

VIEWER = Path(__file__).resolve().parent.parent / "viewer"
VIEWER_ROUTE = "/le-viewer"
VIEWER_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",  # the static host's page (export.py fills it in)
}


def _viewer_files() -> dict[str, bytes]:
    """Every file of the viewer a browser may ask for: relative path -> bytes (read once, at import)."""
    return {
        path.relative_to(VIEWER).as_posix(): path.read_bytes()
        for path in sorted(VIEWER.rglob("*"))
        if path.suffix in VIEWER_TYPES and path.is_file()
    }


VIEWER_FILES = _viewer_files()
# The viewer's version: a digest of all its files. Its URLs carry it, so they can be cached for good and a
# changed viewer is a new URL; modules import each other by relative paths inside one version.
VIEWER_VERSION = hashlib.sha256(b"".join(name.encode() + b"\0" + data for name, data in VIEWER_FILES.items()))
VIEWER_VERSION = VIEWER_VERSION.hexdigest()[:16]


def viewer_url(path: str) -> str:
    return f"{VIEWER_ROUTE}/{VIEWER_VERSION}/{path}"


def viewer_file(version: str, path: str) -> tuple[bytes, str] | None:
    """A served file's bytes and type, or None: an unknown path, or another version's (a page from before a
    restart must reload rather than mix two versions of the viewer)."""
    data = VIEWER_FILES.get(path) if version == VIEWER_VERSION else None
    return None if data is None else (data, VIEWER_TYPES[Path(path).suffix])


# A component's function may not wait: it starts the import and hands back a cleanup that reaches the
# host module's own once it has run (the host keeps one widget per element, so a repeated call is cheap).
LOADER = """const loading = import(new URL(%(url)s, window.location.href).href);
export default function (component) {
  let cleanup = null, gone = false;
  loading.then((module) => { if (!gone) cleanup = module.default(component); }, (error) => {
    component.parentElement.textContent = `%(what)s code did not load (${error.message}): reload the page.`;
  });
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}"""
HOST_MODULE = "hosts/streamlit.js"  # the viewer's Streamlit host: one module for every widget of the page


def module_component(name: str, what: str, **options):
    """A components-v2 component running the viewer's Streamlit host; `what` names it in the message shown if
    its code fails to load. The data's `role` says which widget it is."""
    loader = LOADER % {"url": json.dumps(viewer_url(HOST_MODULE)), "what": what}
    return st.components.v2.component(name, js=loader, **options)


# The browser numbers every event and sends, with each, every event not yet acknowledged: if Streamlit
# coalesces two triggers, the latest still carries both. A run takes those newer than the last it
# handled; the component's data carries that serial back as `ack`, and the browser drops what it covers.


def _ack_key(key: str) -> str:
    return f"_events_ack:{key}"


def acknowledged(key: str) -> int:
    """The serial of the last event of component `key` that a run has handled."""
    return st.session_state.get(_ack_key(key), 0)


def take_events(key: str, types: tuple[str, ...], fields: Callable[[str, Mapping], dict]) -> list[dict]:
    """The events of component `key` that no run has handled yet, oldest first; marks them handled.

    The payload comes from the browser and is untrusted: an event is kept only with a whole serial and
    one of `types`, and with only the fields `fields(type, event)` returns (None where a value was
    unusable); the caller still checks the values it uses. Safe to call twice in a run (the second
    call returns nothing)."""

    def clean(event) -> dict | None:
        if not isinstance(event, Mapping):
            return None
        serial, kind = whole(event.get("serial")), event.get("type")
        if serial is None or not isinstance(kind, str) or kind not in types:
            return None
        return {**fields(kind, event), "serial": serial, "type": kind}

    state = st.session_state.get(key)
    try:
        latest = state["event"] if isinstance(state, Mapping) else getattr(state, "event", None)
    except (KeyError, TypeError):
        latest = None
    if not isinstance(latest, Mapping):
        return []
    pending = latest.get("pending")
    queue = list(pending[-MAX_PENDING:]) if isinstance(pending, list) else []
    fresh, seen = [], acknowledged(key)
    for event in map(clean, [*queue, latest]):
        if event is not None and event["serial"] > seen:
            fresh.append(event)
            seen = event["serial"]
    st.session_state[_ack_key(key)] = seen
    return fresh
