"""The browser harness: start the app, drive it in headless Chromium, summarise timings.

Shared by the end-to-end tests (tests/) and the benchmarks (benchmarks/), which
never import each other:

    from harness.browser import streamlit_server, launch, open_app, pick, wait_for_status
    from harness.stats import percentile

`harness.browser` needs Playwright; `harness.stats` needs nothing.
"""
