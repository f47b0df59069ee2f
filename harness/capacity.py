"""Many visitors over Streamlit's websocket protocol (harness/protocol.py): how many sessions one
server holds, and whether sessions that come and go give their memory back.

    with streamlit_server() as server:
        report = asyncio.run(capacity(server, sessions=40, seconds=60, interval=5.0))
        print(capacity_line(report))
        churned = asyncio.run(churn(server, count=200))
        print(churn_line(churned))

Used by benchmarks/capacity.py (the curve and the churn) and tests/test_protocol.py (small scale).

A capacity visitor opens the page (sessions arrive `arrival_s` apart), waits until every visitor
has opened, then clicks test digits on a fixed schedule, one click every `interval` seconds from a
random phase: A, then B (a morph), then a new pair. Each click is timed from sending its BackMsg to
its script_finished. A click whose rerun is still running when the next one is due waits for it, as
a person waits for the page; such a click counts as late (sent more than 1 s after it was due), and
clicks still unsent when the window closes are missed ("clicks of due" says how many were made).
Meanwhile the server's CPU (from /proc/PID/stat) and resident memory are sampled every second.

An error is what a visitor would notice: a page that does not open, a rerun that never finishes or
ends badly, an exception box, an error or warning, an image that does not load, a morph that does
not come after B, or a URL naming digits this visitor never clicked (another session's data).
Every wait is bounded; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import re
import time
from dataclasses import dataclass, field

from harness.browser import cpu_seconds, resident_mb
from harness.protocol import OPEN_TIMEOUT_S, RUN_TIMEOUT_S, Session, http_get
from harness.stats import p50_p95

QUERY = "model=z20-beta1"  # the README's example model; the map is its PCA plane
DIGITS = 10_000  # MNIST test digits on the map
SAMPLE_S = 1.0
METRICS = "/_stcore/metrics?families=active_sessions&families=session_events&families=cache_memory_bytes"
SETTLE_TIMEOUT_S = 30.0


@dataclass
class Capacity:
    sessions: int
    seconds: float
    interval: float
    opened: int = 0
    open_s: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)  # BackMsg sent -> script_finished, every click
    server_ms: list[float] = field(default_factory=list)  # the map fragment's own time ("explorer" marker)
    clicks: int = 0
    due: int = 0  # clicks the schedule asked for within the window
    morphs: int = 0
    late: int = 0
    errors: list[str] = field(default_factory=list)
    window_s: float = 0.0
    server_cpu_percent: float = 0.0  # 100 = one core busy for the whole window
    client_cpu_percent: float = 0.0  # this load generator's own share of the machine
    rss_start_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_end_mb: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)


def own_digits(query: str) -> set[int]:
    """The endpoints a page's URL names (a=..., b=...)."""
    return {int(value) for value in re.findall(r"(?:^|&)[ab]=(\d+)", query)}


def _problems(run, session: Session) -> list[str]:
    problems = run.problems + session.media_errors
    session.media_errors.clear()
    return problems


@dataclass
class Window:
    """When the clicking starts and ends, set once every visitor has opened its page (or failed to)."""

    sessions: int
    settled: int = 0
    all_settled: asyncio.Event = field(default_factory=asyncio.Event)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    start: float = 0.0
    end: float = 0.0

    def settle(self) -> None:
        self.settled += 1
        if self.settled == self.sessions:
            self.all_settled.set()


async def visitor(server_url: str, seed: int, report: Capacity, window: Window, arrive_s: float) -> None:
    """One visitor: arrives, opens the page, waits for the window, then clicks on schedule until it ends."""
    await asyncio.sleep(arrive_s)
    arrived = time.perf_counter()
    doing, session, settled = "opening the page", None, False
    rng = random.Random(seed)
    try:
        session = await Session.open(server_url, QUERY, timeout=OPEN_TIMEOUT_S)
        report.open_s.append(time.perf_counter() - arrived)
        report.opened += 1
        window.settle()
        settled = True
        for problem in _problems(session.first_run, session):
            report.errors.append(f"session {seed} opening: {problem}")
        doing = "waiting for the other visitors to open"
        await asyncio.wait_for(window.go.wait(), window.sessions * arrive_s + 2 * OPEN_TIMEOUT_S)
        due = window.start + rng.uniform(0, report.interval)
        mine: list[int] = []
        while due < window.end and time.perf_counter() < window.end:  # a click not sent by the end is missed
            report.due += 1
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() - due > 1.0:
                report.late += 1
            index = rng.randrange(DIGITS)
            while index in mine[-1:]:
                index = rng.randrange(DIGITS)
            mine = [index] if len(mine) == 2 else [*mine, index]
            doing = f"clicking test digit {index}"
            run = await session.click(index, timeout=RUN_TIMEOUT_S)
            report.clicks += 1
            report.wall_ms.append(1000 * run.wall_s)
            if run.server_ms is not None:
                report.server_ms.append(run.server_ms)
            problems = _problems(run, session)
            if len(mine) == 2 and "morph" not in run.statuses:
                problems.append("no morph after clicking B")
            elif len(mine) == 2:
                report.morphs += 1
            if not own_digits(session.query) <= set(mine):
                problems.append(f"the URL names digits this visitor did not pick: {session.query!r} vs {mine}")
            report.errors.extend(f"session {seed} ({doing}): {problem}" for problem in problems)
            due += report.interval
        report.due += max(0, math.ceil((window.end - due) / report.interval))  # the ones it had no time for
    except Exception as error:  # a timeout or a dropped connection is a result of the run, not a harness crash
        if not settled:
            window.settle()
        report.errors.append(
            f"session {seed} ({time.perf_counter() - arrived:.1f} s after arriving, {doing}): "
            f"{type(error).__name__}: {error}"
        )
    finally:
        if session is not None:
            await session.close()


async def capacity(
    server, sessions: int, seconds: float, interval: float = 5.0, arrival_s: float = 0.25, seed: int = 0
) -> Capacity:
    """`sessions` visitors on `server` (harness.browser.Server) clicking for `seconds` after all opened."""
    report = Capacity(sessions, seconds, interval)
    pid = server.process.pid
    report.rss_start_mb = report.rss_peak_mb = resident_mb(pid)
    window = Window(sessions)
    visitors = [
        asyncio.create_task(visitor(server.url, seed * 1000 + n, report, window, n * arrival_s))
        for n in range(sessions)
    ]
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            report.rss_peak_mb = max(report.rss_peak_mb, resident_mb(pid))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_S)

    sampler = asyncio.create_task(sample())
    try:  # every visitor has opened its page or failed: each open is bounded by OPEN_TIMEOUT_S
        await asyncio.wait_for(window.all_settled.wait(), sessions * arrival_s + 2 * OPEN_TIMEOUT_S)
    except TimeoutError:
        report.errors.append(f"only {window.settled} of {sessions} visitors had opened or failed in time")
    begin = time.perf_counter()
    window.start, window.end = begin, begin + seconds
    cpu_before, client_before = cpu_seconds(pid), time.process_time()
    window.go.set()
    await asyncio.wait_for(asyncio.gather(*visitors), seconds + interval + 2 * RUN_TIMEOUT_S + 2 * OPEN_TIMEOUT_S)
    report.window_s = time.perf_counter() - begin
    report.server_cpu_percent = 100 * (cpu_seconds(pid) - cpu_before) / report.window_s
    report.client_cpu_percent = 100 * (time.process_time() - client_before) / report.window_s
    stop.set()
    await sampler
    report.rss_end_mb = resident_mb(pid)
    report.load_average = os.getloadavg()
    return report


def capacity_line(report: Capacity) -> str:
    wall, server = p50_p95(report.wall_ms), p50_p95(report.server_ms)
    opened = p50_p95(report.open_s)
    return (
        f"{report.sessions:3d} sessions: {report.opened} opened (p50 {opened[0]:.1f} s, p95 {opened[1]:.1f} s), "
        f"{report.clicks} clicks of {report.due} due ({report.late} late), {report.morphs} morphs, "
        f"{len(report.errors)} errors; rerun p50 {wall[0]:.0f} ms, p95 {wall[1]:.0f} ms "
        f"(fragment's own time p50 {server[0]:.0f}, p95 {server[1]:.0f} ms); server CPU "
        f"{report.server_cpu_percent:.0f}% (client {report.client_cpu_percent:.0f}%), RSS "
        f"{report.rss_start_mb:.0f} -> peak {report.rss_peak_mb:.0f} -> {report.rss_end_mb:.0f} MB; "
        f"load {report.load_average[0]:.1f}"
    )


async def server_metrics(server_url: str) -> dict[str, float]:
    """Streamlit's /_stcore/metrics, the few lines read here: active sessions, connects, disconnects,
    bytes of images held in memory (st_memory_media_file_storage) and session-state entries. The
    memory family is recomputed at most every 5 s by Streamlit."""
    status, body = await http_get(server_url, METRICS, timeout=SETTLE_TIMEOUT_S)
    if status != 200:
        raise RuntimeError(f"/_stcore/metrics answered HTTP {status}")
    text = body.decode()

    def value(pattern: str) -> float:
        match = re.search(rf"^{pattern} (\S+)$", text, re.M)
        return float(match.group(1)) if match else 0.0

    return {
        "active": value("active_sessions"),
        "connects": value(r'session_events_total\{type="connect"\}'),
        "disconnects": value(r'session_events_total\{type="disconnect"\}'),
        "media_bytes": value(r'cache_memory_bytes\{cache_type="st_memory_media_file_storage",cache=""\}'),
    }


async def wait_for_sessions(server_url: str, active: int, timeout: float = SETTLE_TIMEOUT_S) -> dict[str, float]:
    """Polls the metrics until the server counts `active` sessions (closed sockets end asynchronously)."""
    deadline = time.perf_counter() + timeout
    while True:
        metrics = await server_metrics(server_url)
        if metrics["active"] == active:
            return metrics
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the server still counts {metrics['active']:.0f} active sessions, not {active}")
        await asyncio.sleep(0.2)


@dataclass
class Churn:
    count: int
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    rss_reaped_mb: float = 0.0
    rss_peak_mb: float = 0.0
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    reaped: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rss_trace: list[tuple[int, float]] = field(default_factory=list)  # (sessions so far, MB)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)


async def one_visit(server_url: str, first: int, second: int) -> list[str]:
    """Opens the page, clicks a pair (a morph: images, GIF, downloads), closes; returns the problems."""
    async with await Session.open(server_url, QUERY) as session:
        problems = _problems(session.first_run, session)
        for index in (first, second):
            problems += _problems(await session.click(index), session)
        if "morph" not in session.statuses:
            problems.append("no morph")
    return problems


async def churn(server, count: int, warmup: int = 3, reap_after_s: float | None = None) -> Churn:
    """`count` sessions opened, clicked (a distinct pair each) and closed one after another.

    The RSS baseline is taken after `warmup` visits (the first visits fill the server's caches:
    models, sprites, figures), once the server counts no active session. With `reap_after_s` (the
    server's disconnectedSessionTTL plus a margin) it then waits that long and makes one more visit:
    Streamlit drops expired disconnected sessions only when it next stores one."""
    report = Churn(count)
    pid = server.process.pid
    for n in range(warmup):
        report.errors += await one_visit(server.url, 2 * n, 2 * n + 1)
    report.before = await wait_for_sessions(server.url, 0)
    report.rss_before_mb = report.rss_peak_mb = resident_mb(pid)
    started = time.perf_counter()
    for n in range(count):
        first, second = 100 + 2 * n, 101 + 2 * n  # distinct pairs: every visit makes its own images
        try:
            report.errors += [f"visit {n}: {p}" for p in await one_visit(server.url, first, second)]
        except Exception as error:
            report.errors.append(f"visit {n}: {type(error).__name__}: {error}")
        rss = resident_mb(pid)
        report.rss_peak_mb = max(report.rss_peak_mb, rss)
        if (n + 1) % 10 == 0 or n + 1 == count:
            report.rss_trace.append((n + 1, rss))
    report.seconds = time.perf_counter() - started
    report.after = await wait_for_sessions(server.url, 0)
    report.rss_after_mb = resident_mb(pid)
    if reap_after_s is not None:
        await asyncio.sleep(reap_after_s)  # the TTL must pass; nothing to poll until a session is stored again
        report.errors += await one_visit(server.url, 0, 1)
        await asyncio.sleep(5.5)  # Streamlit recomputes the memory metrics at most every 5 s
        report.reaped = await wait_for_sessions(server.url, 0)
        report.rss_reaped_mb = resident_mb(pid)
    report.load_average = os.getloadavg()
    return report


def churn_line(report: Churn) -> str:
    media = f"{report.before.get('media_bytes', 0) / 1e6:.1f} -> {report.after.get('media_bytes', 0) / 1e6:.1f}"
    reaped = ""
    if report.reaped:
        reaped = (
            f"; after the TTL and one more visit: RSS {report.rss_reaped_mb:.0f} MB "
            f"({report.rss_reaped_mb - report.rss_before_mb:+.0f}), images {report.reaped['media_bytes'] / 1e6:.1f} MB"
        )
    return (
        f"{report.count} sessions opened, clicked and closed in {report.seconds:.0f} s, {len(report.errors)} errors: "
        f"RSS {report.rss_before_mb:.0f} -> {report.rss_after_mb:.0f} MB "
        f"({report.rss_after_mb - report.rss_before_mb:+.0f}, peak {report.rss_peak_mb:.0f}); active sessions "
        f"{report.before.get('active', 0):.0f} -> {report.after.get('active', 0):.0f} "
        f"({report.after.get('connects', 0) - report.before.get('connects', 0):.0f} connects, "
        f"{report.after.get('disconnects', 0) - report.before.get('disconnects', 0):.0f} disconnects); "
        f"images held {media} MB{reaped}; load {report.load_average[0]:.1f}"
    )
