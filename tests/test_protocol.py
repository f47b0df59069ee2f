"""The protocol client (harness/protocol.py) against the real server, at small scale, and the leak check.

    python -m pytest tests/test_protocol.py -q

* The two functions that know the map widget (`find_map`, `click_message`) build and read what the
  browser sends and receives (unit tests, no server).
* Against `streamlit run app.py`: a session opens (new_session, then script_finished), a pair of
  clicks reruns the map's fragment and brings the morph of exactly those two digits; three sessions
  clicking at once see no error and only their own digits; the browser's message cache works (the
  second run gets references, not the sprites again); the capacity harness runs clean at small scale.
* Sessions opened and closed one after another: the server's active-session count returns to its
  baseline, the images closed sessions held are freed once their reconnect window (a short
  disconnectedSessionTTL here) has passed, and RSS stays bounded.
The capacity figures themselves come from benchmarks/capacity.py, never from a timed assertion here.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from harness.browser import streamlit_server
from harness.capacity import capacity, capacity_line, churn, churn_line, own_digits
from harness.protocol import MapTarget, ProtocolError, Session, click_message, find_map, picked, stream_url
from sections.session import WIDGET as MAP

MORPH = re.compile(r"from test #(\d+) .* to test #(\d+) ")  # sections/morph.py's marker


def test_find_map_reads_the_map_element_its_fragment_and_ack():
    message = ForwardMsg()
    message.delta.fragment_id = "fragment-1"
    component = message.delta.new_element.bidi_component
    component.id = f"$$ID-0123abcd-{MAP}"
    component.json = json.dumps({"role": "explorer", "ack": 7})
    assert find_map(message) == MapTarget(f"$$ID-0123abcd-{MAP}", "fragment-1", 7)
    component.id = "$$ID-0123abcd-another-widget"
    assert find_map(message) is None
    html = ForwardMsg()
    html.delta.new_element.html.body = "<p>no map</p>"
    assert find_map(html) is None


def test_click_message_is_a_fragment_rerun_with_the_components_event_list():
    target = MapTarget(f"$$ID-0123abcd-{MAP}", "fragment-1", 0)
    earlier = {"serial": 4, "type": "pick", "index": 12}
    message = click_message(target, 345, 5, [earlier], 1.5, -2.0)
    state = message.rerun_script
    assert state.fragment_id == "fragment-1"
    [widget] = state.widget_states.widgets
    assert widget.id == f"$$STREAMLIT_INTERNAL_KEY_$$ID-0123abcd-{MAP}__events"  # as Chromium sent it
    [event] = json.loads(widget.json_trigger_value)
    assert event["event"] == "event"
    assert event["value"]["serial"] == 5 and event["value"]["index"] == 345 and event["value"]["type"] == "pick"
    assert [click["serial"] for click in event["value"]["pending"]] == [4, 5]  # oldest first, this one last


def test_only_loopback_servers_are_driven():
    assert stream_url("http://127.0.0.1:8501")[0] == "ws://127.0.0.1:8501/_stcore/stream"
    for url in ("http://localhost:8501", "http://10.0.0.1:8501", "http://127.0.0.1"):
        with pytest.raises(ValueError):
            stream_url(url)


def test_own_digits_reads_the_endpoints_of_a_url():
    assert own_digits("model=z20-beta1&map=pca&a=244&b=4775") == {244, 4775}
    assert own_digits("model=z20-beta1&frames=10") == set()


@pytest.mark.slow
class TestAgainstTheServer:
    def test_a_session_opens_clicks_a_pair_and_gets_that_morph(self, server):
        async def visit():
            async with await Session.open(server.url, "model=z20-beta1") as session:
                first = session.first_run
                assert session.session_id and session.page_script_hash  # from new_session
                assert first.finished == "FINISHED_SUCCESSFULLY" and first.problems == []
                assert session.map is not None and session.map.fragment_id
                assert "explorer" in first.statuses
                a = await session.click(3)
                b = await session.click(7)
                return session, a, b

        session, a, b = asyncio.run(visit())
        assert a.finished == b.finished == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"  # only the map's fragment reran
        assert a.problems == b.problems == []
        assert "morph" not in a.statuses
        assert MORPH.search(b.statuses["morph"]).groups() == ("3", "7")
        assert b.server_ms is not None and b.wall_s > 0
        assert own_digits(session.query) == {3, 7}
        assert picked(session.statuses) == ["3", "7"]
        assert session.media_errors == []  # the endpoint cards, the strip and the GIF were served

    def test_the_websocket_carries_small_runs_and_the_arrays_go_over_http(self, server):
        async def visit():
            async with await Session.open(server.url, "model=z20-beta1") as session:
                return session.first_run, await session.click(11)

        first, click = asyncio.run(visit())
        assert first.bytes < 100_000  # the map's codes, decoders and sprite come from /le-assets, not here
        assert click.bytes < 50_000  # a click: the widget's small data, the chart's numbers, the markers

    def test_three_sessions_at_once_see_only_their_own_digits(self, server):
        pairs = [(10, 20), (30, 40), (50, 60)]

        async def visitor(pair):
            async with await Session.open(server.url, "model=z20-beta1") as session:
                runs = [await session.click(index) for index in (*pair, *reversed(pair))]
                return session, runs

        async def together():
            return await asyncio.gather(*(visitor(pair) for pair in pairs))

        for pair, (session, runs) in zip(pairs, asyncio.run(together()), strict=True):
            assert [problem for run in runs for problem in run.problems] == []
            assert MORPH.search(runs[1].statuses["morph"]).groups() == tuple(map(str, pair))
            assert MORPH.search(runs[3].statuses["morph"]).groups() == tuple(map(str, reversed(pair)))
            assert picked(session.statuses) == [str(index) for index in (*pair, *reversed(pair))]

    def test_capacity_harness_runs_clean_at_small_scale(self, server):
        report = asyncio.run(capacity(server, sessions=3, seconds=8, interval=2.0))
        print(capacity_line(report))
        assert report.errors == []
        assert report.opened == 3 and report.clicks > 0 and report.morphs > 0
        assert len(report.wall_ms) == report.clicks

    def test_a_garbage_frame_closes_only_that_connection(self, server):
        async def visit():
            async with await Session.open(server.url, "model=z20-beta1") as hostile:
                await hostile.send(b"\xff\xff not a BackMsg")
                with pytest.raises(ProtocolError, match="closed"):
                    await hostile.wait_run("the reply to garbage", timeout=30)
            async with await Session.open(server.url, "model=z20-beta1") as session:
                return await session.click(5)

        assert asyncio.run(visit()).problems == []


@pytest.mark.slow
def test_sessions_opened_and_closed_give_their_memory_back():
    ttl = 2  # seconds a closed session is kept for a reconnect (the page's config says 10)
    with streamlit_server(env_extra={"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(ttl)}) as server:
        report = asyncio.run(churn(server, count=30, reap_after_s=ttl + 1.0))
    print(churn_line(report))
    assert report.errors == []
    assert report.after["active"] == report.before["active"] == 0
    assert report.after["connects"] - report.before["connects"] == 30
    assert report.after["disconnects"] - report.before["disconnects"] == 30
    # Each visit made its own images (a distinct pair); once the closed sessions expire, Streamlit drops
    # them and their images with them: what is left is at most the last visit's.
    assert report.reaped["media_bytes"] <= max(report.before["media_bytes"], 1e6)
    # RSS: the allocator keeps a high-water mark, so it need not come back, but it must not grow per
    # visit (benchmarks/capacity.py --churn 200 prints the trace).
    assert report.rss_reaped_mb - report.rss_before_mb < 60
