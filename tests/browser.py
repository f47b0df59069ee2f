"""Old import path of the browser harness: a re-export of `harness.browser`, nothing written here.

Tests that still say `from browser import ...` (tests/test_deploy.py) keep working; new code
imports `harness.browser` directly, and benchmarks must (tests/ and benchmarks/ never import
each other).
"""

from __future__ import annotations

from harness.browser import (  # noqa: F401  (re-exported for tests not yet moved)
    CHROMIUM,
    CHROMIUM_ARGS,
    DATA_PIXELS,
    HOVERING,
    ISOLATED,
    MAP_READY,
    POINT_PIXELS,
    ROOT,
    HoverMissed,
    chromium_path,
    click_plane,
    click_test_digit,
    digit_pixels,
    draw_stroke,
    free_port,
    hover,
    hover_then_click,
    isolated_digits,
    launch,
    open_app,
    pick,
    resident_mb,
    settled,
    status,
    streamlit_server,
    wait_for_status,
)
