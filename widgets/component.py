"""What both widgets' components share: their code as one cached JavaScript module, and the event queue.

    COMPONENT = module_component("name", [paths of scripts, concatenated in order], css_path, "The map's")
    for event in take_events(key, clean):   # the events no run has handled yet, oldest first, each cleaned
        ...
    COMPONENT(data={..., "ack": acknowledged(key)}, key=key, ...)

Streamlit sends an inline component's code with every element of every run. Here each element carries
only a few-line loader; the module (the scripts, then a tag that adds the stylesheet once) is served
from the asset store (explorer/assets.py) under the SHA-256 of its bytes, like the models' arrays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from explorer.assets import STORE
from explorer.untrusted import whole

# A component's function may not wait: it starts the import and hands back a cleanup that reaches the
# module's own once it has run (a module keeps one widget per element, so a repeated call is cheap).
LOADER = """const loading = import(new URL(%(url)s, window.location.href).href);
export default function (component) {
  let cleanup = null, gone = false;
  loading.then((module) => { if (!gone) cleanup = module.default(component); }, (error) => {
    component.parentElement.textContent = `%(what)s code did not load (${error.message}): reload the page.`;
  });
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}"""


def module_url(scripts: list[Path], style: Path) -> str:
    """The scripts and the stylesheet as one module in the asset store; returns its URL."""
    style_id = "le-style-" + re.sub(r"\W", "-", style.stem)
    css = json.dumps(style.read_text())
    source = "\n".join(path.read_text() for path in scripts)
    source += f"\nif (!document.getElementById('{style_id}')) {{ const tag = document.createElement('style'); "
    source += f"tag.id = '{style_id}'; tag.textContent = {css}; document.head.appendChild(tag); }}\n"
    return STORE.put(source.encode(), "js")


def module_component(name: str, scripts: list[Path], style: Path, what: str, **options):
    """A components-v2 component running the module; `what` names it in the message shown if it fails to load."""
    loader = LOADER % {"url": json.dumps(module_url(scripts, style)), "what": what}
    return st.components.v2.component(name, js=loader, **options)


# The browser numbers every event and sends, with each, every event not yet acknowledged: if Streamlit
# coalesces two triggers, the latest still carries both. A run takes those newer than the last it
# handled; the component's data carries that serial back as `ack`, and the browser drops what it covers.
MAX_QUEUE = 64  # events one message may carry; more than a person makes between two reruns


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
    queue = list(pending[-MAX_QUEUE:]) if isinstance(pending, list) else []
    fresh, seen = [], acknowledged(key)
    for event in map(clean, [*queue, latest]):
        if event is not None and event["serial"] > seen:
            fresh.append(event)
            seen = event["serial"]
    st.session_state[_ack_key(key)] = seen
    return fresh
