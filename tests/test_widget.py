"""The lesson's plane widget's Python side (widgets/latent_map.py): the click queue (serials,
acknowledgement, forged payloads). The explorer's widget has tests/test_morph_map.py."""

from __future__ import annotations

import pytest

from widgets import latent_map

KEY = "map"


@pytest.fixture
def state(monkeypatch) -> dict:
    """A plain dict standing in for st.session_state (new_clicks only reads and writes keys)."""
    session: dict = {}
    monkeypatch.setattr(latent_map.st, "session_state", session)
    return session


def send(state: dict, *clicks: dict) -> list[dict]:
    """What the browser sends for its latest click: that click plus every click not yet acknowledged."""
    state[KEY] = {"click": {**clicks[-1], "pending": list(clicks)}}
    return latent_map.new_clicks(KEY)


def click(serial: int, index: int, x: float | None = None, y: float | None = None) -> dict:
    return {"serial": serial, "index": index, "x": x, "y": y}


def test_clicks_queued_while_the_server_was_busy_all_arrive_in_order(state):
    assert send(state, click(1, 10)) == [click(1, 10)]
    # Three clicks while the run for the first one was busy: the last message carries all three.
    assert send(state, click(1, 10), click(2, 20), click(3, 30), click(4, 40)) == [
        click(2, 20),
        click(3, 30),
        click(4, 40),
    ]
    assert state[latent_map._ack_key(KEY)] == 4  # sent back to the browser, which drops clicks <= 4


def test_a_message_seen_twice_gives_nothing_the_second_time(state):
    assert send(state, click(1, 5)) == [click(1, 5)]
    assert latent_map.new_clicks(KEY) == []  # same trigger value, read again in the same run
    assert send(state, click(1, 5)) == []  # or resent after a remount


def test_serials_that_go_backwards_are_dropped(state):
    send(state, click(7, 1))
    assert send(state, click(3, 2)) == []


def test_no_event_no_clicks(state):
    assert latent_map.new_clicks(KEY) == []
    state[KEY] = {"click": None}
    assert latent_map.new_clicks(KEY) == []


@pytest.mark.parametrize(
    "forged",
    [
        "a string",
        ["a", "list"],
        {"serial": "1", "index": 3},
        {"serial": 1.5, "index": 3},
        {"serial": 1, "index": 2.5},
        {"serial": 1, "index": True},
        {"serial": 1},
        {"serial": float("nan"), "index": 1},
        {"serial": 1, "index": float("inf")},
    ],
)
def test_malformed_clicks_are_dropped_not_raised(state, forged):
    state[KEY] = {"click": forged}
    assert latent_map.new_clicks(KEY) == []


def test_coordinates_that_are_not_finite_numbers_become_none(state):
    state[KEY] = {"click": {"serial": 1, "index": -1, "x": "1e9", "y": float("nan")}}
    assert latent_map.new_clicks(KEY) == [click(1, -1)]


def test_a_huge_pending_list_is_cut_to_the_queue_limit(state):
    clicks = [click(serial, serial) for serial in range(1, 10_001)]
    fresh = send(state, *clicks)
    assert len(fresh) <= latent_map.MAX_QUEUE + 1 and fresh[-1] == clicks[-1]


def test_the_javascript_speaks_the_same_protocol():
    """The roles, the payload keys and the queue limit the Python sends and reads appear in the JS."""
    js = (latent_map.Path(latent_map.__file__).with_suffix(".js")).read_text()
    for needle in (
        '"digits"',
        '"assets"',
        "data.ack",
        "pending",
        "serial",
        "data.bounds",
        "setTriggerValue",
        "slice(-64)",
    ):
        assert needle in js, needle
    assert latent_map.MAX_QUEUE == 64
