"""Driving the page headless in Streamlit's AppTest (no browser): open it, send the widget's events, read markers.

    at = open_page({"model": "z20-beta2", "a": "3"})   # page.py run once, with these query parameters
    send(at, "pick", index=7)                          # what the widget sends when test digit 7 is clicked
    status(at, "morph")                                # the page's hidden status marker, as browsers read it

The widget (widgets/morph_map.py) is a custom component, an UnknownElement in AppTest, so an
event is injected through its session-state key, shaped as the browser sends it (one place:
`send`). Shared by the tests and by benchmarks/page_speed.py --profile.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parent.parent / "page.py"
WIDGET = "latent_map"  # sections/session.py WIDGET
_serials = {"next": 0}


def open_page(query: dict | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def send(at: AppTest, kind: str, rerun: bool = True, **fields) -> AppTest:
    """One widget event ({"serial", "type": kind, **fields}), as the browser sends it, then a rerun."""
    _serials["next"] += 1
    at.session_state[WIDGET] = {"event": {"serial": _serials["next"], "type": kind, **fields}}
    return at.run() if rerun else at


def status(at: AppTest, name: str) -> str | None:
    """Text of the page's hidden status marker `name` (sections/runtime.py status)."""
    for element in at.get("html"):
        if f'data-name="{name}"' in element.proto.body:
            return element.proto.body.split(">", 1)[1].rsplit("<", 1)[0]
    return None


def widget_data(at: AppTest) -> dict | None:
    """The data the page last sent the explorer widget (its JSON), or None."""
    import json

    for element in at.get("bidi_component") or []:
        if element.proto.component_name.endswith("morph_map"):
            data = json.loads(element.proto.json) if element.proto.json else None
            if isinstance(data, dict) and data.get("role") == "explorer":
                return data
    return None
