"""A short load run (harness/load.py): four concurrent sessions clicking, zero errors, bounded memory."""

import asyncio

import pytest

from harness.browser import require_chromium
from harness.load import run, summary

pytestmark = [pytest.mark.slow, pytest.mark.browser]
# A map missing after this long will not come (the map widget itself gives up on Plotly after 20 s);
# the error then names the session and the page's state (Plotly loaded? loader? console, failed requests).
OPEN_TIMEOUT_S = 120.0


def test_four_sessions_click_pairs_without_errors():
    require_chromium()
    report = asyncio.run(run(sessions=4, seconds=15, open_timeout=OPEN_TIMEOUT_S))
    print(summary(report))
    assert report["errors"] == [], "\n".join([*report["errors"], "server log:", report["server_log"][-3000:]])
    assert report["loaded"] == 4  # every session drew its map
    assert sorted(report["pairs"]) == [0, 1, 2, 3]  # every session finished at least one pair
    assert report["memory_after_mb"] < 1024  # every model loaded, four sessions' state
    assert report["memory_after_mb"] - report["memory_first_session_mb"] < 150  # sessions are cheap
