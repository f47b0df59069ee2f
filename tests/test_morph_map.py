"""The explorer widget's Python side (widgets/morph_map.py): the event queue (serials, acknowledgement,
forged payloads), and the page's checks on what an event names. The browser side is covered by
tests/test_e2e.py and tests/test_browser_decoding.py."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.safe_text import plain
from harness.apptest import open_page, send, status
from widgets import component, morph_map

KEY = "map"


@pytest.fixture
def state(monkeypatch) -> dict:
    """A plain dict standing in for st.session_state (new_events only reads and writes keys)."""
    session: dict = {}
    monkeypatch.setattr(morph_map.st, "session_state", session)
    return session


def deliver(state: dict, *events: dict) -> list[dict]:
    """What the browser sends for its latest event: that event plus every one not yet acknowledged."""
    state[KEY] = {"event": {**events[-1], "pending": list(events)}}
    return morph_map.new_events(KEY)


def pick(serial: int, index: int) -> dict:
    return {"serial": serial, "type": "pick", "index": index}


def test_events_queued_while_the_server_was_busy_all_arrive_in_order(state):
    assert deliver(state, pick(1, 10)) == [pick(1, 10)]
    assert deliver(state, pick(1, 10), pick(2, 20), pick(3, 30), pick(4, 40)) == [pick(2, 20), pick(3, 30), pick(4, 40)]
    assert morph_map.acknowledged(KEY) == 4  # sent back to the browser, which drops events <= 4


def test_a_message_seen_twice_gives_nothing_the_second_time(state):
    assert deliver(state, pick(1, 5)) == [pick(1, 5)]
    assert morph_map.new_events(KEY) == []
    assert deliver(state, pick(1, 5)) == []


def test_serials_that_go_backwards_are_dropped(state):
    deliver(state, pick(7, 1))
    assert deliver(state, pick(3, 2)) == []


def test_each_type_keeps_only_its_own_fields_each_checked(state):
    events = deliver(
        state,
        {"serial": 1, "type": "point", "map": "pca", "x": 0.5, "y": "1", "index": 3, "extra": "dropped"},
        {"serial": 2, "type": "set", "end": "c", "index": 2.0},
        {"serial": 3, "type": "view", "model": "z" * 500, "frames": 12.5, "compare": 1, "backdrop": False},
        {"serial": 4, "type": "swap", "index": 1},
    )
    assert events == [
        {"serial": 1, "type": "point", "map": "pca", "x": 0.5, "y": None},
        {"serial": 2, "type": "set", "index": 2, "end": None},
        {
            "serial": 3,
            "type": "view",
            "model": None,
            "map": None,
            "method": None,
            "frames": None,
            "compare": None,
            "backdrop": False,
        },
        {"serial": 4, "type": "swap"},
    ]


@pytest.mark.parametrize(
    "forged",
    [
        "a string",
        ["a", "list"],
        {"serial": "1", "type": "pick", "index": 3},
        {"serial": 1.5, "type": "pick", "index": 3},
        {"serial": 1, "type": "explode"},
        {"serial": 1},
        {"serial": float("nan"), "type": "clear"},
        {"serial": True, "type": "clear"},
    ],
)
def test_malformed_events_are_dropped_not_raised(state, forged):
    state[KEY] = {"event": forged}
    assert morph_map.new_events(KEY) == []


def test_a_huge_pending_list_is_cut_to_the_queue_limit(state):
    events = [pick(serial, serial) for serial in range(1, 10_001)]
    fresh = deliver(state, *events)
    assert len(fresh) <= component.MAX_PENDING + 1 and fresh[-1] == events[-1]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.sampled_from(["serial", "type", "index", "map", "x", "y", "end", "model", "frames", "compare"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=50)),
    )
)
def test_any_payload_gives_clean_events_or_none(payload):
    session: dict = {KEY: {"event": payload}}
    original = morph_map.st.session_state
    morph_map.st.session_state = session
    try:
        for event in morph_map.new_events(KEY):
            assert event["type"] in morph_map.EVENT_TYPES and isinstance(event["serial"], int)
            for field in ("x", "y"):
                assert event.get(field) is None or math.isfinite(event[field])
    finally:
        morph_map.st.session_state = original


def test_the_javascript_speaks_the_same_protocol():
    """Every event type the server accepts is one the explorer sends, through the host's "event" trigger;
    the queue's bound reaches the browser from Python (widgets/contract.py), not retyped."""
    viewer = component.VIEWER
    js = "\n".join(path.read_text() for path in sorted((viewer / "explore").rglob("*.js")))
    for kind in morph_map.EVENT_TYPES:
        assert f'type: "{kind}"' in js or f'"{kind}"' in js, kind
    assert 'send("event", message)' in (viewer / "hosts" / "streamlit.js").read_text()
    assert f"export const MAX_PENDING = {component.MAX_PENDING};" in (viewer / "core" / "constants.js").read_text()


def test_the_viewer_is_served_by_version_and_nothing_else_is():
    """app.py serves the viewer's own files under their version; anything else, or another version, is refused."""
    data, kind = component.viewer_file(component.VIEWER_VERSION, component.HOST_MODULE)
    assert data.startswith(b"//") and kind.startswith("text/javascript")
    assert component.viewer_file(component.VIEWER_VERSION, "../app.py") is None
    assert component.viewer_file(component.VIEWER_VERSION, "core/../../app.py") is None
    assert component.viewer_file("0" * 16, component.HOST_MODULE) is None
    assert all(name.endswith((".js", ".css", ".html")) for name in component.VIEWER_FILES)


@pytest.mark.parametrize(
    ("event", "says"),
    [
        ({"type": "pick", "index": 10_000_000}, "no test digit"),
        ({"type": "pick", "index": -5}, "no test digit"),
        ({"type": "pick", "index": "[evil](https://evil.example)"}, "type a test index"),  # never echoed
        ({"type": "point", "map": "tsne", "x": 0.0, "y": 0.0}, "cannot be an endpoint"),
        ({"type": "point", "map": "pca", "x": math.nan, "y": 0.0}, "outside the map"),
        ({"type": "point", "map": "pca", "x": 1e9, "y": 0.0}, "outside the map"),
        ({"type": "set", "end": "c", "index": 3}, "A or B"),
    ],
)
def test_forged_events_on_the_page_give_a_warning_and_change_nothing(event, says):
    at = open_page({"a": "3", "b": "7"})
    before = status(at, "morph")
    send(at, event["type"], **{field: value for field, value in event.items() if field != "type"})
    assert not at.exception and not at.error
    assert any(says in w.value for w in at.warning), [w.value for w in at.warning]
    assert status(at, "morph") == before  # the pair and its frames are untouched
    assert all("evil.example" not in w.value or plain("[evil](https://evil.example)") in w.value for w in at.warning)


def test_a_forged_point_outside_the_plane_is_refused():
    at = open_page({"model": "z2-beta1", "a": "3", "b": "7"})
    send(at, "point", map="plane", x=90.0, y=0.0)
    assert any("outside the map" in w.value for w in at.warning)
    assert at.session_state["endpoints"].a.index == 3


def test_the_explorers_data_is_what_the_viewer_declares():
    """The data the page sends the explorer has the fields viewer/explore/types.js declares (ExplorerData and the
    types inside it), so the JSDoc types tsc checks the viewer against are the server's; the static site's
    data (explorer/static_site.py) declares the family's part the same way."""
    from harness.apptest import open_page, widget_data
    from widgets.contract import VIEWER, declared_types

    declared = declared_types(VIEWER / "explore" / "types.js")

    def agrees(value: dict, typedef: str) -> None:
        fields = declared[typedef]
        required = {name for name, optional in fields.items() if not optional}
        assert required <= set(value) <= set(fields), (typedef, sorted(value), sorted(fields))

    data = widget_data(open_page({"model": "z20-beta1", "map": "pca", "a": "3", "b": "pca:0.50,-1.20"}))
    agrees(data, "ExplorerData")
    agrees(data["view"], "ViewData")
    for manifest in data["models"].values():
        agrees(manifest, "ModelManifest")
    for maps in data["mapInfo"].values():
        for info in maps.values():
            agrees(info, "MapInfo")
    for end in (data["ends"]["a"], data["ends"]["b"]):
        agrees(end, "SentEnd")
    agrees(data["reading"], "Reading")
