"""Concurrent users on loopback: N headless Chromium sessions, each clicking pairs of digits.

    python benchmarks/load_test.py                                    # 20 sessions for 60 s
    python benchmarks/load_test.py --sessions 4 --seconds 15
    python benchmarks/load_test.py --sessions 4 --seconds 15 --repeat 20   # is it reliable?

Sessions arrive 1.5 s apart; each opens the page, then clicks unoccluded test
digits in pairs until its time is up, waiting for each rerun to finish (see
harness/load.py). On a 2-core machine the 20 software-rendered Chromium pages
themselves take most of the CPU, so the browser-side latency says more about the
load generator than about the server: the server-side rerun time is reported
next to it. A run is clean when no session saw an error; --repeat starts a fresh
server for each run and ends with how many of the runs were clean, printing every
error with the page's state (and the server log's tail when a run failed).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness.load import run, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=60.0, help="clicking time per session (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs in a row, each on a fresh server (default 1)")
    args = parser.parse_args()
    clean = 0
    for attempt in range(1, args.repeat + 1):
        started = time.perf_counter()
        report = asyncio.run(run(args.sessions, args.seconds))
        clean += not report["errors"]
        prefix = f"run {attempt}/{args.repeat} ({time.perf_counter() - started:.0f} s): " if args.repeat > 1 else ""
        print(prefix + summary(report), flush=True)
        for error in report["errors"][:10]:
            print("  error:", error, flush=True)
        if report["errors"]:
            print("  server log, last 2000 characters:", report["server_log"][-2000:] or "(empty)", flush=True)
    if args.repeat > 1:
        print(f"{clean}/{args.repeat} runs clean ({args.sessions} sessions x {args.seconds:g} s each)")
    sys.exit(0 if clean == args.repeat else 1)


if __name__ == "__main__":
    main()
