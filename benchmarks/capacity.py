"""How many visitors one server holds, measured with protocol clients instead of browsers; and whether
sessions that come and go give their memory back.

    python benchmarks/capacity.py                         # the curve: 1, 5, 10, 20, 40, 80 sessions, 60 s each
    python benchmarks/capacity.py --quick                 # 1, 5, 10 sessions, 20 s each
    python benchmarks/capacity.py --sessions 20,40 --env STREAMLIT_RUNNER_POST_SCRIPT_GC=true   # a setting's cost
    python benchmarks/capacity.py --churn 200             # 200 sessions opened, clicked and closed in turn
    python benchmarks/capacity.py --churn 200 --ttl 120   # ... with Streamlit's default reconnect window

The curve: each point gets a fresh `streamlit run app.py` (so no point inherits the sessions, caches
or memory of the one before), one warm-up visit (every model loaded and every cache filled: start-up
is page_speed.py's subject), then N visitors speaking Streamlit's websocket protocol
(harness/protocol.py) arrive 0.25 s apart, and once all have opened the page each clicks a test
digit every --interval seconds for --seconds (harness/capacity.py). Per point: clicks made of those
due, rerun p50/p95 (wall time from the BackMsg to its script_finished, as the visitor waits), the
map fragment's own run time, errors, the server's CPU over the clicking window (100% = one core)
next to the load generator's own, and the server's RSS. The target: at least 40 sessions, each
clicking every 5 s, with rerun p95 <= 1 s and no error.

The churn: after three warm-up visits, --churn visitors one after another each open the page,
click a pair (a morph: images, a GIF, downloads) and close it; RSS before and after, the server's
active-session count, and the bytes of images it still holds (Streamlit's /_stcore/metrics). A
closed session is kept server.disconnectedSessionTTL seconds for a reconnect (120 by default), and
dropped only when the next session is stored after that: the run then waits the TTL out
(.streamlit/config.toml's, or --ttl S) and makes one more visit, to show what is freed then. Target:
RSS growth <= 30 MB over 200.

Every run prints the date, the load average and any setting it adds to .streamlit/config.toml (--env
STREAMLIT_RUNNER_POST_SCRIPT_GC=true measures Streamlit's default beside the page's); other jobs on a shared
machine slow the server, so compare figures from one run or from runs at similar load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness.browser import ROOT, streamlit_server
from harness.capacity import capacity, capacity_line, churn, churn_line, one_visit
from harness.stats import p50_p95

TARGET_SESSIONS, TARGET_P95_MS, TARGET_GROWTH_MB = 40, 1000.0, 30.0
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
STREAMLIT_TTL = 120  # server.disconnectedSessionTTL's default


def settings(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not key.startswith("STREAMLIT_") and key != "MALLOC_ARENA_MAX":
            raise SystemExit(f"--env takes STREAMLIT_... settings (or MALLOC_ARENA_MAX), not {key!r}")
        env[key] = value
    return env


def header(env: dict[str, str]) -> str:
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    extra = ", ".join(f"{key}={value}" for key, value in env.items()) or "none"
    return f"{when}, {os.cpu_count()} cores, load average {load}; settings beyond .streamlit/config.toml: {extra}"


def curve(args, env: dict[str, str]) -> None:
    met = []
    for sessions in args.sessions:
        with streamlit_server(env_extra=env) as server:
            warmup = asyncio.run(one_visit(server.url, 0, 1))
            report = asyncio.run(capacity(server, sessions, args.seconds, args.interval))
        print(capacity_line(report), flush=True)
        for error in [*warmup, *report.errors][:5]:
            print("  error:", error, flush=True)
        if len(report.errors) > 5:
            print(f"  ... {len(report.errors) - 5} more errors", flush=True)
        p95 = p50_p95(report.wall_ms)[1]
        if not report.errors and not warmup and p95 <= TARGET_P95_MS and report.clicks == report.due:
            met.append(sessions)
    held = [n for n in met if n >= TARGET_SESSIONS]
    verdict = "met" if held else "not met"
    print(
        f"clean at p95 <= {TARGET_P95_MS:.0f} ms with every click made: {met or 'none'} sessions; "
        f"target ({TARGET_SESSIONS} sessions, a click every 5 s): {verdict}"
    )


def churned(args, env: dict[str, str]) -> None:
    ttl = args.ttl
    if ttl is None:
        ttl = CONFIG.get("server", {}).get("disconnectedSessionTTL", STREAMLIT_TTL)
    env = {**env, "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(ttl)}
    print(f"closed sessions kept {ttl} s for a reconnect", flush=True)
    with streamlit_server(env_extra=env) as server:
        report = asyncio.run(churn(server, args.churn, reap_after_s=ttl + 1.0))
    print(churn_line(report))
    print("  RSS every 10 sessions (MB):", " ".join(f"{rss:.0f}" for _, rss in report.rss_trace))
    for error in report.errors[:5]:
        print("  error:", error)
    growth = report.rss_after_mb - report.rss_before_mb
    print(f"growth {growth:+.0f} MB over {args.churn} sessions: target <= {TARGET_GROWTH_MB:.0f} MB", end=" ")
    print("met" if growth <= TARGET_GROWTH_MB and not report.errors else "not met")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sessions",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 5, 10, 20, 40, 80],
        help="points of the curve (default 1,5,10,20,40,80)",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="clicking window per point (default %(default)s)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between a visitor's clicks (default 5)")
    parser.add_argument("--quick", action="store_true", help="1, 5, 10 sessions for 20 s each")
    parser.add_argument("--churn", type=int, help="instead of the curve: this many sessions opened and closed")
    parser.add_argument("--ttl", type=int, help="with --churn: server.disconnectedSessionTTL instead of the config's")
    parser.add_argument(
        "--env", action="append", default=[], help="a server setting, KEY=VALUE (STREAMLIT_..., repeatable)"
    )
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.seconds = [1, 5, 10], 20.0
    env = settings(args.env)
    print(header(env), flush=True)
    if args.churn:
        churned(args, env)
    else:
        curve(args, env)
    print("load average at the end:", " ".join(f"{value:.1f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
