"""A short version of benchmarks/load_test.py: concurrent sessions clicking, zero errors, bounded memory."""
import asyncio
import os
import sys

import pytest

from browser import chromium_path
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_four_sessions_click_pairs_without_errors():
    if chromium_path() is None and not os.environ.get("CI"):
        pytest.skip("Chromium not installed")
    import load_test

    report = asyncio.run(load_test.run(sessions=4, seconds=15))
    print(load_test.summary(report, 4, 15))
    assert report["errors"] == []
    assert report["clicks"] >= 8 and len(report["latency"]) >= 4
    assert report["memory_after_mb"] < 1024  # every model loaded, four sessions' state
    assert report["memory_after_mb"] - report["memory_first_session_mb"] < 150  # sessions are cheap
