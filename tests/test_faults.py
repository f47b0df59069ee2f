"""Faults: the server restarting under an open page, weights changing under a running server, and hostile
clients of Streamlit's websocket protocol.

    python -m pytest tests/test_faults.py -q                  # all (starts servers; one test drives Chromium)
    python -m pytest tests/test_faults.py -q -m "not browser"

* Restart (Chromium): a page open at a shared view (`?model=...&a=3&b=7`) sees its server killed and
  started again on the same port; it reconnects by itself, the new session rebuilds the same view from
  the URL (the same morph, frame for frame), and the map answers clicks again (app.py's
  rerun_on_reconnect: without it the stale page's clicks were silently dropped).
* Weights: with a copy of weights/ (LATENT_EXPLORER_WEIGHTS), a model file damaged in place or replaced
  by a truncated one while the server runs changes nothing for running or new sessions (the models
  were read into memory: the same pair gives bit-identical frames), and the next start stops with a
  message naming the file.
* Hostile clients (protocol clients, harness/protocol.py): garbage and text frames, a frame over the
  server's message limit, widget state just under and over its limit, malformed click payloads, a
  flood of reruns, a global clear_cache. The server stays up, its memory stays bounded, and a
  well-behaved session keeps clicking and sees only its own digits and identical frames.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import time
import tomllib
import urllib.request

import pytest
from playwright.sync_api import sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from conftest import ROOT, WEIGHTS
from harness.browser import (
    MAP_READY,
    free_port,
    isolated_digits,
    launch,
    open_app,
    page_state,
    pick,
    require_chromium,
    resident_mb,
    status,
    streamlit_server,
)
from harness.protocol import STATUS, ProtocolError, Session, picked

pytestmark = pytest.mark.slow
VIEW = "model=z20-beta1&a=3&b=7"
FRAMES = re.compile(r"frames sha256 ([0-9a-f]+)")  # sections/morph.py's marker
LIMITS = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
MB = 1_000_000  # Streamlit counts its size options in 10**6 bytes
RECONNECT_TIMEOUT_S = 180.0  # a cold start loads every model; the page's own retries back off


def frames_of(morph: str) -> str:
    return FRAMES.search(morph).group(1)


async def pair_frames(session: Session, a: int, b: int) -> str:
    """Clicks A then B; the morph's frame fingerprint (after checking the run is clean and about a, b)."""
    await session.click(a)
    run = await session.click(b)
    assert run.problems == [], run.problems
    assert f"test #{a} " in run.statuses["morph"] and f"test #{b} " in run.statuses["morph"]
    return frames_of(run.statuses["morph"])


def healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        return response.status == 200


@pytest.mark.browser
def test_the_page_reconnects_after_a_restart_and_shows_the_same_view():
    require_chromium()
    # Its own Playwright, closed when it ends: a live sync Playwright keeps an event loop running in this
    # thread, and the protocol tests below need asyncio.run.
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            reconnect_after_restart(browser)
        finally:
            browser.close()


def reconnect_after_restart(browser) -> None:
    port = free_port()
    received: list[ForwardMsg] = []

    def keep(payload) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            received.append(message)

    with streamlit_server(port=port) as first:
        page = open_app(browser, f"{first.url}/?{VIEW}")
        morph, url = status(page, "morph"), page.url
        [digit] = isolated_digits(page, 1)
        assert morph is not None and "test #3 " in morph and "test #7 " in morph, page_state(page)
        first.process.kill()  # a crash, not a polite shutdown
        first.process.wait(timeout=30)
    page.on("websocket", lambda socket: socket.on("framereceived", keep))  # only the new server's frames
    with streamlit_server(port=port) as second:
        deadline = time.perf_counter() + RECONNECT_TIMEOUT_S
        finished = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
        while not any(m.WhichOneof("type") == "script_finished" and m.script_finished == finished for m in received):
            assert time.perf_counter() < deadline, f"no full run reached the page after the restart: {page_state(page)}"
            page.wait_for_timeout(250)  # lets Playwright deliver the page's websocket events
        markers = dict(
            found
            for m in received
            if m.WhichOneof("type") == "delta" and m.delta.new_element.WhichOneof("type") == "html"
            for found in STATUS.findall(m.delta.new_element.html.body)
        )
        assert markers.get("morph") == morph  # the new session drew the same morph, frame for frame
        page.wait_for_function(MAP_READY, timeout=60_000)
        assert status(page, "morph") == morph
        assert page.url == url
        pick(page, digit, timeout=60)  # the map answers clicks again (a stale page's clicks are dropped)
        assert status(page, "events").split()[-1] == f"pick:{digit}"
        assert healthy(second.url)


@pytest.mark.parametrize("fault", ["damaged in place", "replaced by a truncated file"])
def test_weights_changing_under_a_running_server(tmp_path, fault):
    weights = tmp_path / "weights"
    shutil.copytree(WEIGHTS, weights)
    victim = weights / "vae-z20-beta1.safetensors"  # the model VIEW shows
    env = {"LATENT_EXPLORER_WEIGHTS": str(weights)}

    async def before_and_after(url: str) -> tuple[str, str, str]:
        async with await Session.open(url, "model=z20-beta1") as running:
            before = await pair_frames(running, 3, 7)
            if fault == "damaged in place":
                with open(victim, "r+b") as handle:
                    handle.seek(victim.stat().st_size // 2)
                    handle.write(b"\x00" * 4096)
            else:
                cut = victim.with_suffix(".new")
                cut.write_bytes(victim.read_bytes()[:1000])
                os.replace(cut, victim)  # as a deploy swaps a file
            after = await pair_frames(running, 3, 7)
        async with await Session.open(url, "model=z20-beta1") as newcomer:
            new = await pair_frames(newcomer, 3, 7)
        return before, after, new

    with streamlit_server(env_extra=env) as server:
        before, after, new = asyncio.run(before_and_after(server.url))
    assert before == after == new  # the running server's models were in memory, untouched

    async def restarted(url: str) -> Session:
        async with await Session.open(url, "model=z20-beta1") as session:
            return session

    with streamlit_server(env_extra=env) as server:
        session = asyncio.run(restarted(server.url))
    errors = [alert for alert in session.first_run.alerts if alert.startswith("error")]
    assert len(errors) == 1 and victim.name in errors[0], session.first_run.alerts
    assert session.first_run.exceptions == []  # a message, never a traceback
    assert session.map is None  # the page stopped before drawing a map from untrusted weights


@pytest.fixture(scope="module")
def hostile_server():
    with streamlit_server() as server:
        settle(server)
        yield server


def settle(server, quiet_s: float = 3.0, timeout_s: float = 180.0) -> None:
    """Waits for the server's warm-up to end: app.py's preload thread builds the models, the maps and the lesson's
    blobs from start, and an attack measured while it runs counts that growth as its own (a CI run once saw 30 MB
    "while refusing a 40 MB frame", and a first attack 111-145 MB on this machine). A lesson visit builds what the
    lesson needs, if the preload has not; then the resident memory must hold still (within 1 MB) for `quiet_s`."""

    async def visit(url: str) -> None:
        async with await Session.open(url, "page=lesson", fetch_media=False):
            pass

    asyncio.run(visit(server.url))
    pid, deadline = server.process.pid, time.monotonic() + timeout_s
    last, still_since = resident_mb(pid), time.monotonic()
    while time.monotonic() - still_since < quiet_s:
        assert time.monotonic() < deadline, f"the server's memory did not settle in {timeout_s:.0f} s"
        time.sleep(0.25)
        now = resident_mb(pid)
        if abs(now - last) > 1:
            last, still_since = now, time.monotonic()


class Hostile:
    """Runs one hostile action beside a well-behaved session, then checks the well-behaved session."""

    def __init__(self, server):
        self.server = server

    def run(self, action) -> float:
        """The server's peak RSS growth (MB) during `action(url)`; asserts the good session is unharmed."""
        url, pid = self.server.url, self.server.process.pid

        async def scenario():
            async with await Session.open(url, "model=z20-beta1") as good:
                reference = await pair_frames(good, 3, 7)
                before = peak = resident_mb(pid)
                task = asyncio.create_task(action(url))
                while not task.done():
                    peak = max(peak, resident_mb(pid))
                    await asyncio.sleep(0.05)
                await task
                assert healthy(url)
                assert await pair_frames(good, 3, 7) == reference  # identical frames after the attack
                assert await pair_frames(good, 21, 22)  # and new pairs still work
                assert set(picked(good.statuses)) == {"3", "7", "21", "22"}  # only its own digits
                return peak - before

        peak = asyncio.run(scenario())
        print(f"server RSS peak growth during the attack: {peak:.0f} MB")
        return peak


@pytest.fixture
def hostile(hostile_server):
    return Hostile(hostile_server)


async def refused(url: str, payload) -> str:
    """Sends one frame from a fresh session; returns how the server closed the connection."""
    async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
        with pytest.raises(ProtocolError, match="closed") as closed:  # while sending, or after
            await session.send(payload)
            await session.wait_run("the server's answer to a bad frame", timeout=60)
    return str(closed.value)


def test_garbage_and_text_frames_close_only_their_own_connection(hostile):
    async def attack(url):
        assert "1002" in await refused(url, b"\x08\x96\x01 not a BackMsg \xff" * 50)
        await refused(url, "a text frame")  # Streamlit takes binary frames only

    hostile.run(attack)


def test_a_frame_over_the_message_limit_is_refused_unread(hostile):
    size = (LIMITS["maxMessageSize"] + 24) * MB  # Streamlit's default limit (200 MB) would buffer all of it

    async def attack(url):
        assert "1009" in await refused(url, b"\x00" * size)

    peak = hostile.run(attack)
    assert peak < size / MB / 2, f"the server grew {peak:.0f} MB while refusing a {size / MB:.0f} MB frame"


def test_widget_state_just_over_its_limit_is_refused(hostile):
    async def attack(url):
        async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
            message = session.click_backmsg(9)
            message.rerun_script.widget_states.widgets[0].json_trigger_value += " " * (
                LIMITS["maxWidgetStateSize"] * MB
            )
            with pytest.raises(ProtocolError, match="1009"):
                await session.send(message)
                await session.wait_run("the reply to oversized widget state", timeout=60)

    hostile.run(attack)


def test_a_huge_click_payload_under_the_limit_costs_bounded_memory(hostile):
    def huge_click(session: Session) -> BackMsg:
        """A click whose `pending` queue holds as many clicks as fit under the widget-state limit."""
        message = session.click_backmsg(9)
        widget = message.rerun_script.widget_states.widgets[0]
        [event] = json.loads(widget.json_trigger_value)
        click = {"serial": 1, "index": 4, "x": 0.0, "y": 0.0}
        widest = len(json.dumps({**click, "serial": 10**7})) + 2  # with its ", " separator
        room = int(0.9 * LIMITS["maxWidgetStateSize"] * MB) // widest
        event["value"]["pending"] = [{**click, "serial": n} for n in range(room)]
        widget.json_trigger_value = json.dumps([event])
        return message

    async def attack(url):
        async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
            for _ in range(5):
                run = await session.rerun(huge_click(session), what="a rerun carrying a huge click payload")
                assert run.exceptions == [], run.exceptions  # the page drops what it cannot use

    peak = hostile.run(attack)
    assert peak < 20 * LIMITS["maxWidgetStateSize"] + 50


MALFORMED = {
    "not-json": "not json",
    "object": "{}",
    "numbers": "[1, 2]",
    "nan": '[{"event": "click", "value": {"serial": 1e308, "index": NaN}}]',
}
# JSON nested deeper than Python's recursion limit, a few KB: Streamlit 1.67's deserialize_trigger_list
# catches invalid JSON but not the RecursionError json.loads raises here, in its callback dispatch before
# the page's script (and its error guard) runs.
DEEP = "[" * 5000


async def send_malformed(url: str, payload: str):
    """A click whose trigger value is `payload`; then an ordinary click from the same page. Returns both
    runs (None where Streamlit refused the message and closed the connection, which is fine)."""
    async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
        message = session.click_backmsg(9)
        message.rerun_script.widget_states.widgets[0].json_trigger_value = payload
        try:
            bad = await session.rerun(message, what="a rerun carrying a malformed click")
        except ProtocolError:
            return None, None
        return bad, await session.click(10)


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_click_payloads_are_dropped_without_an_error(hostile, payload):
    async def attack(url):
        bad, after = await send_malformed(url, payload)
        if bad is not None:
            assert bad.exceptions == [], bad.exceptions
            assert after.problems == [], after.problems

    hostile.run(attack)


def test_a_deeply_nested_click_payload_shows_only_a_redacted_error_in_its_own_page(hostile):
    async def attack(url):
        bad, after = await send_malformed(url, DEEP)
        assert all("redacted" in text and "Traceback" not in text for text in bad.exceptions), bad.exceptions
        assert after.problems == [], after.problems  # the page's next click works again

    hostile.run(attack)  # ... and the other session never noticed


@pytest.mark.xfail(strict=True, reason="Streamlit 1.67 lets json.loads' RecursionError escape (see DEEP)")
def test_a_deeply_nested_click_payload_shows_no_error_box(hostile):
    async def attack(url):
        bad, _ = await send_malformed(url, DEEP)
        assert bad.exceptions == []

    hostile.run(attack)


def test_a_flood_of_reruns_from_one_session_stays_in_that_session(hostile):
    clicks = 300

    async def attack(url):
        async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
            for index in range(clicks):  # as fast as the socket takes them, no waiting for any run
                await session.send(session.click_backmsg(1000 + index))
            deadline = time.perf_counter() + 180
            while picked(session.statuses)[-1:] != [str(1000 + clicks - 1)]:
                assert time.perf_counter() < deadline, f"the flood's last click never ran: {session.statuses}"
                await session.wait_run("the runs a flood of clicks asked for", timeout=120)

    peak = hostile.run(attack)
    assert peak < 150


def test_a_clear_cache_message_costs_time_but_changes_nothing_seen(hostile):
    async def attack(url):
        async with await Session.open(url, "model=z20-beta1", fetch_media=False) as session:
            message = BackMsg()
            message.clear_cache = True  # Streamlit honours it from any client: every session's caches go
            await session.send(message)
            await session.click(4)  # the hostile session itself rebuilds what it needs

    hostile.run(attack)
