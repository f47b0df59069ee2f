"""Streamlit's own websocket protocol, spoken without a browser: a visitor that costs the server what a
Chromium page costs it, and almost nothing on the client side.

    async with await Session.open(server.url, "model=z20-beta1") as session:   # first run finished
        await session.click(244)                  # "the visitor clicked test digit 244": a fragment rerun
        run = await session.click(4775)           # wall time from the BackMsg to its script_finished
        run.wall_s, run.server_ms, run.statuses["morph"], session.query   # ...&a=244&b=4775

What it mirrors (frames recorded from Chromium with Playwright and decoded with BackMsg_pb2; the
details, and what to re-check after a Streamlit upgrade, are in docs/testing.md, "Capacity and faults"):

- the socket: ws://127.0.0.1:PORT/_stcore/stream, subprotocol "streamlit", binary protobuf frames;
- the first BackMsg: `rerun_script` with the page's query string, no widget states and the
  browser's context (time zone, locale, URL); the server answers with ForwardMsgs (new_session,
  deltas, page_info_changed...) ending in `script_finished`;
- the browser's message cache: deltas marked `cacheable` are kept and their hashes listed in every
  later `rerun_script`, so the server sends a `ref_hash` instead of the multi-MB sprites again; an
  entry expires after `maxCachedMessageAge` runs (from new_session), as in Streamlit's frontend;
- a map click: `rerun_script` for the map's fragment (its `fragment_id`, the page's
  `page_script_hash`) whose widget states hold the component's trigger widget with a JSON list of
  events; the other widgets' values stay out (the server keeps them from the previous run);
- images: like a browser, each new /media/ URL in a run is fetched over HTTP once.

Two small functions know the map widget and change with it: `find_map` (which element is the map,
in which fragment) and `click_message` (the BackMsg for "clicked test digit i"). Everything else is
Streamlit's protocol. Every wait is bounded and its timeout names what it waited for; only
127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from sections.session import WIDGET as MAP_KEY

STREAM = "/_stcore/stream"
HOST = "127.0.0.1"
OPEN_TIMEOUT_S = 120.0  # the first run of a cold server loads every model (README: seconds; a loaded machine: more)
RUN_TIMEOUT_S = 60.0
MEDIA_TIMEOUT_S = 30.0
MAX_FRAME = 256 * 2**20  # above Streamlit's server.maxMessageSize (200 MB): the server's limit is the one that counts
MAX_MEDIA = 64 * 2**20
STATUS = re.compile(r'<span class="le-status" data-name="([^"]+)"[^>]*>(.*?)</span>', re.S)  # sections/runtime.py
SERVER_MS = re.compile(r" in ([0-9.]+) ms")  # the "explorer" marker: "run 7 in 12.3 ms"
FINISHED = ForwardMsg.ScriptFinishedStatus
ALERT_KINDS = {1: "error", 2: "warning", 3: "info", 4: "success"}  # Alert.Format


def picked(statuses: dict) -> list[str]:
    """The test digits the page's "events" marker says it handled as picks, oldest first ("pick:3 pick:7")."""
    return [event.split(":", 1)[1] for event in statuses.get("events", "").split() if event.startswith("pick:")]


class ProtocolError(AssertionError):
    """The server said something a browser would not accept (or closed the socket)."""


class WaitTimeout(TimeoutError):
    """A bounded wait ran out; the message names what was awaited and what had arrived."""


@dataclass(frozen=True)
class MapTarget:
    """Where the page's map lives: its element id, the fragment that reruns on a click, and the
    last click serial the page has handled (the widget's `ack`)."""

    element_id: str
    fragment_id: str
    ack: int = 0


def find_map(message: ForwardMsg) -> MapTarget | None:
    """(a) The map component in one delta: a components-v2 element keyed MAP_KEY (sections/session.py),
    its fragment id and its `ack`; None for every other message."""
    if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
        return None
    element = message.delta.new_element
    if element.WhichOneof("type") != "bidi_component" or not element.bidi_component.id.endswith(f"-{MAP_KEY}"):
        return None
    ack = 0
    if element.bidi_component.WhichOneof("data") == "json":
        data = json.loads(element.bidi_component.json)
        ack = data.get("ack", 0) if isinstance(data, dict) and isinstance(data.get("ack"), int) else 0
    return MapTarget(element.bidi_component.id, message.delta.fragment_id, ack)


def click_message(target: MapTarget, index: int, serial: int, pending: list[dict], x: float, y: float) -> BackMsg:
    """(b) "The visitor clicked test digit `index`", as viewer/core/protocol.js numbers and sends it: the
    component's trigger widget holds [{"event": "event", "value": {serial, type: "pick", index, pending}}]
    (`pending`: the events the page has not acknowledged yet, this one last). Returns a BackMsg whose
    rerun_script the caller completes (query string, page hash, cache, context). x and y are unused by a
    pick (a test digit); they stay in the signature for a click on empty plane."""
    click = {"serial": serial, "type": "pick", "index": index}
    value = {**click, "pending": [*pending, click][-64:]}
    message = BackMsg()
    state = message.rerun_script
    state.fragment_id = target.fragment_id
    widget = state.widget_states.widgets.add()
    widget.id = _make_trigger_id(target.element_id, "events")
    widget.json_trigger_value = json.dumps([{"event": "event", "value": value}], separators=(",", ":"))
    return message


def stream_url(base_url: str) -> tuple[str, str]:
    """(websocket URL, page URL) for a server at http://127.0.0.1:PORT; any other host is refused."""
    parts = urlsplit(base_url)
    if parts.hostname != HOST or parts.port is None:
        raise ValueError(f"only http://{HOST}:PORT servers are driven here, not {base_url!r}")
    return f"ws://{HOST}:{parts.port}{STREAM}", f"http://{HOST}:{parts.port}/"


async def http_get(base_url: str, path: str, timeout: float = MEDIA_TIMEOUT_S) -> tuple[int, bytes]:
    """GET `path` from the loopback server, as a browser fetches an image: (status, body)."""
    port = urlsplit(stream_url(base_url)[1]).port
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.read(MAX_MEDIA)  # Connection: close, so the body ends at EOF
        finally:
            writer.close()
    return int(head.split(b" ", 2)[1]), body


@dataclass
class Run:
    """What one script run sent: its end, the status markers, alerts and exceptions, and sizes."""

    wall_s: float = 0.0
    finished: str = ""
    statuses: dict[str, str] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)  # "error: ...", "warning: ..."
    exceptions: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # /media/ URLs of the images it showed
    messages: int = 0
    bytes: int = 0
    ref_hashes: int = 0

    @property
    def server_ms(self) -> float | None:
        """The map fragment's own run time, from its "explorer" marker (None if it did not run)."""
        match = SERVER_MS.search(self.statuses.get("explorer", ""))
        return float(match.group(1)) if match else None

    @property
    def problems(self) -> list[str]:
        """What a visitor would notice: an exception box, an error or warning, a run that did not end well."""
        ended = self.finished in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
        return [
            *(f"exception: {text}" for text in self.exceptions),
            *(alert for alert in self.alerts if alert.startswith(("error", "warning"))),
            *([] if ended else [f"the run ended {self.finished or 'without script_finished'}"]),
        ]


class Session:
    """One visitor's websocket session. Open with `await Session.open(...)`; use as an async context."""

    def __init__(self, socket, base_url: str, query: str) -> None:
        self._socket = socket
        self.base_url = base_url
        self.query = query  # the page's URL query, as page_info_changed keeps it
        self.session_id = ""
        self.page_script_hash = ""
        self.statuses: dict[str, str] = {}  # the latest text of every status marker seen
        self.map: MapTarget | None = None
        self._max_age = 2  # runs a cached message survives unused; new_session sends the real value
        self._runs = 0
        self._cache: dict[str, tuple[int, str, MapTarget | None]] = {}  # hash -> (run, fragment, map in it)
        self._serial = 0
        self._unacked: list[dict] = []
        self._fetched: set[str] = set()
        self.fetch_media = True
        self.media_errors: list[str] = []
        self.first_run = Run()

    @classmethod
    async def open(
        cls, base_url: str, query: str = "", timeout: float = OPEN_TIMEOUT_S, fetch_media: bool = True
    ) -> Session:
        """Connects, sends the browser's first rerun_script, and returns once that first run has finished."""
        ws_url, page_url = stream_url(base_url)
        try:
            socket = await asyncio.wait_for(
                connect(
                    ws_url,
                    subprotocols=["streamlit"],
                    origin=page_url.rstrip("/"),
                    max_size=MAX_FRAME,
                    ping_interval=None,  # a browser answers the server's pings and sends none
                    open_timeout=timeout,
                ),
                timeout,
            )
        except TimeoutError:
            raise WaitTimeout(f"the websocket to {ws_url} did not open within {timeout:g} s") from None
        session = cls(socket, base_url, query)
        session.fetch_media = fetch_media
        session.first_run = await session.rerun(BackMsg(), timeout=timeout, what="the first run")
        return session

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the websocket as a closing tab does (the server then ends or stores the session)."""
        await self._socket.close()

    def _complete(self, message: BackMsg) -> BackMsg:
        """Fills in what every rerun_script from the browser carries besides its own change."""
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.cached_message_hashes[:] = list(self._cache)
        _, page_url = stream_url(self.base_url)
        state.context_info.CopyFrom(
            ContextInfo(
                timezone="UTC", timezone_offset=0, locale="en-US", url=page_url, is_embedded=False, color_scheme="light"
            )
        )
        return message

    async def rerun(self, message: BackMsg, timeout: float = RUN_TIMEOUT_S, what: str = "a rerun") -> Run:
        """Sends a rerun_script (completed like the browser's) and waits for the run's script_finished."""
        started = time.perf_counter()
        await self.send(self._complete(message))
        run = await self.wait_run(what, timeout)
        run.wall_s = time.perf_counter() - started
        if self.fetch_media:
            await self._fetch(run)
        return run

    def click_backmsg(self, index: int, x: float = 0.0, y: float = 0.0) -> BackMsg:
        """The BackMsg for a click on test digit `index`, completed, without sending it. The page reads
        only the index of a test digit (x, y matter on the empty z = 2 plane)."""
        if self.map is None:
            raise ProtocolError("no map on the page yet: the first run did not draw it")
        self._serial += 1
        self._unacked = [click for click in self._unacked if click["serial"] > self.map.ack]
        message = click_message(self.map, index, self._serial, self._unacked, x, y)
        self._unacked = [*self._unacked, {"serial": self._serial, "type": "pick", "index": index}][-64:]
        return self._complete(message)

    async def click(self, index: int, x: float = 0.0, y: float = 0.0, timeout: float = RUN_TIMEOUT_S) -> Run:
        """Clicks test digit `index` on the map and waits for the map fragment's rerun to finish."""
        started = time.perf_counter()
        await self.send(self.click_backmsg(index, x, y))
        run = await self.wait_run(f"the rerun after a click on test digit {index}", timeout)
        run.wall_s = time.perf_counter() - started
        if self.fetch_media:
            await self._fetch(run)
        return run

    async def send(self, message: BackMsg | bytes | str) -> None:
        """Sends one frame as it is: a BackMsg, or raw bytes or text (hostile-client tests)."""
        payload = message.SerializeToString() if isinstance(message, BackMsg) else message
        try:
            await self._socket.send(payload)
        except ConnectionClosed as error:
            raise ProtocolError(f"the server closed the connection before a send ({error})") from None

    async def wait_run(self, what: str = "a run", timeout: float = RUN_TIMEOUT_S) -> Run:
        """Reads ForwardMsgs until a run finishes (one stopped early for a newer rerun does not count)."""
        run = Run()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    frame = await self._socket.recv()
            except TimeoutError:
                raise WaitTimeout(
                    f"{what}: no script_finished within {timeout:g} s ({run.messages} messages arrived; "
                    f"markers {run.statuses or self.statuses})"
                ) from None
            except ConnectionClosed as error:
                raise ProtocolError(f"{what}: the server closed the connection ({error})") from None
            if isinstance(frame, str):
                raise ProtocolError(f"{what}: a text frame arrived, Streamlit sends only binary protobufs")
            message = ForwardMsg()
            message.ParseFromString(frame)
            run.messages += 1
            run.bytes += len(frame)
            self._take(message, run)
            if message.WhichOneof("type") == "script_finished":
                run.finished = FINISHED.Name(message.script_finished)
                if message.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
                    return run

    def _take(self, message: ForwardMsg, run: Run) -> None:
        """Applies one ForwardMsg to what this visitor's page would hold."""
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = message.new_session.page_script_hash
            self.session_id = message.new_session.initialize.session_id
            self._max_age = message.new_session.config.max_cached_message_age or self._max_age
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "ref_hash":
            run.ref_hashes += 1
            if message.ref_hash not in self._cache:  # the frontend raises "Cached ForwardMsg MISS" too
                raise ProtocolError(f"the server referred to message {message.ref_hash}, which this page never kept")
            _, fragment, target = self._cache[message.ref_hash]
            self._cache[message.ref_hash] = (self._runs, fragment, target)
            if target is not None:
                self.map = target
        elif kind == "delta":
            target = find_map(message)
            if target is not None:
                self.map = target
            if message.metadata.cacheable and message.hash not in self._cache:
                self._cache[message.hash] = (self._runs, message.delta.fragment_id, target)
            self._read_element(message, run)
        elif kind == "script_finished" and message.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
            self._expire(list(message.metadata.run.fragment_ids))

    def _expire(self, fragment_ids: list[str]) -> None:
        """The frontend's ForwardMessageCache.incrementRunCount: after a fragment run only that
        fragment's entries age; an entry unused for more than max_age runs is dropped."""
        self._runs += 1
        for key, (used, fragment, _) in list(self._cache.items()):
            if fragment_ids and (not fragment or fragment not in fragment_ids):
                continue
            if self._runs - used > self._max_age:
                del self._cache[key]

    def _read_element(self, message: ForwardMsg, run: Run) -> None:
        if message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "html":
            for name, text in STATUS.findall(element.html.body):
                run.statuses[name] = self.statuses[name] = text
        elif kind == "alert":
            run.alerts.append(f"{ALERT_KINDS.get(element.alert.format, 'alert')}: {element.alert.body[:300]}")
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message[:300]}")
        elif kind == "imgs":
            run.media.extend(image.url for image in element.imgs.imgs if image.url.startswith("/media/"))

    async def _fetch(self, run: Run) -> None:
        """Fetches the run's new images once each, as the page's <img> tags would."""
        for url in run.media:
            if url in self._fetched:
                continue
            if len(self._fetched) > 1000:  # a long visit: forget old images rather than grow
                self._fetched.clear()
            self._fetched.add(url)
            try:
                status, _ = await http_get(self.base_url, url)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
                self.media_errors.append(f"{url}: {type(error).__name__}: {error}")
                continue
            if status != 200:
                self.media_errors.append(f"{url}: HTTP {status}")
