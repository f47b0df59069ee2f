"""Find a digit: set A or B by index, a seeded random pair of two classes, the nearest digits as buttons.

The panel runs alone in AppTest (the page around it has its own tests), on the shipped z20-beta1 model."""

import itertools

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from explorer.safe_text import plain
from explorer.state import Endpoint, Endpoints, random_pair
from sections import find
from vae.family import load_family


def panel_page():
    """The find panel over the shipped family, as a page of its own."""
    import streamlit as st

    from sections.find import find_panel
    from sections.runtime import get_family
    from sections.session import endpoints
    from vae.family import weights_folder

    family = get_family(weights_folder())
    find_panel(family, family.models["z20-beta1"], endpoints())
    st.session_state.setdefault("panel_runs", 0)
    st.session_state.panel_runs += 1


@pytest.fixture(scope="module")
def family():
    return load_family(ROOT / "weights")


def page() -> AppTest:
    """The panel, opened (it builds nothing while closed)."""
    at = AppTest.from_function(panel_page, default_timeout=60).run()
    assert not at.get("button")  # closed: no controls built
    at.session_state[find.OPEN] = True
    return at.run()


def chosen(at: AppTest) -> Endpoints:
    return at.session_state["endpoints"]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_set_a_then_b_by_index(family):
    at = page()
    at.number_input(key=find.INDEX).set_value(1234).run()
    at.button(key="find_set_a").click().run()
    at.number_input(key=find.INDEX).set_value(42).run()
    at.button(key="find_set_b").click().run()
    assert not at.exception and not warnings(at)
    assert chosen(at).a.index == 1234 and chosen(at).b.index == 42
    assert np.array_equal(chosen(at).a.image * 255, family.images[1234])


def test_set_b_sets_b_even_with_a_empty(family):
    """Endpoints.use owns the rule: the slot a button names is the slot it sets."""
    at = page()
    at.number_input(key=find.INDEX).set_value(7).run()
    at.button(key="find_set_b").click().run()
    assert chosen(at).a is None and chosen(at).b.index == 7 and not at.info
    at.number_input(key=find.INDEX).set_value(8).run()
    at.button(key="find_set_a").click().run()
    assert chosen(at).a.index == 8 and chosen(at).b.index == 7


@pytest.mark.parametrize("typed", [10_000, -1, 123_456_789_012])
def test_out_of_range_index_gets_a_clear_message_and_changes_nothing(typed):
    at = page()
    at.number_input(key=find.INDEX).set_value(5).run()
    at.button(key="find_set_a").click().run()
    at.number_input(key=find.INDEX).set_value(typed).run()
    at.button(key="find_set_b").click().run()
    assert not at.exception and not at.error
    assert warnings(at) == [
        f"That digit could not be used: there is no test digit {plain(typed)}: the test set runs from 0 to 9999."
    ]
    assert chosen(at).a.index == 5 and chosen(at).b is None
    at.number_input(key=find.INDEX).set_value(6).run()  # a good value clears the message
    at.button(key="find_set_b").click().run()
    assert not warnings(at) and chosen(at).b.index == 6


def test_no_index_typed_asks_for_one():
    at = page()
    at.button(key="find_set_a").click().run()
    assert any("type a test index from 0 to 9999 first" in w for w in warnings(at))
    assert chosen(at).a is None


def test_random_pair_three_to_eight_is_a_three_and_an_eight_and_reproducible(family):
    def pairs(presses: int) -> list[tuple[int, int]]:
        at = page()
        assert at.selectbox(key=find.CLASS_A).value == 3 and at.selectbox(key=find.CLASS_B).value == 8
        out = []
        for _ in range(presses):
            at.button(key="find_random").click().run()
            out.append((chosen(at).a.index, chosen(at).b.index))
        assert not at.exception and not warnings(at)
        return out

    first = pairs(3)
    assert all(family.labels[a] == 3 and family.labels[b] == 8 for a, b in first)
    assert len(set(first)) == 3  # each press draws another pair
    assert pairs(3) == first  # a fresh session draws the same sequence
    assert first[0] == random_pair(family, 3, 8, seed=0)


def test_random_pair_of_one_class_uses_two_different_digits(family):
    at = page()
    at.selectbox(key=find.CLASS_A).set_value(5).run()
    at.selectbox(key=find.CLASS_B).set_value(5).run()
    at.button(key="find_random").click().run()
    a, b = chosen(at).a.index, chosen(at).b.index
    assert a != b and family.labels[a] == family.labels[b] == 5


def test_random_pair_replaces_both_endpoints(family):
    at = page()
    at.number_input(key=find.INDEX).set_value(0).run()
    at.button(key="find_set_a").click().run()
    at.selectbox(key=find.CLASS_A).set_value(1).run()
    at.selectbox(key=find.CLASS_B).set_value(0).run()
    at.button(key="find_random").click().run()
    assert family.labels[chosen(at).a.index] == 1 and family.labels[chosen(at).b.index] == 0


def test_each_endpoint_lists_its_nearest_digits_and_a_press_sets_that_endpoint(family):
    at = page()
    at.number_input(key=find.INDEX).set_value(3).run()
    at.button(key="find_set_a").click().run()
    at.number_input(key=find.INDEX).set_value(7).run()
    at.button(key="find_set_b").click().run()
    loaded = family.models["z20-beta1"]
    for end, index in (("a", 3), ("b", 7)):
        distances = np.linalg.norm(loaded.atlas.mu - loaded.atlas.mu[index], axis=1)
        distances[index] = np.inf
        expected = np.argsort(distances, kind="stable")[: find.NEIGHBOURS]
        labels = [at.button(key=f"find_near_{end}_{rank}").label for rank in range(find.NEIGHBOURS)]
        assert labels == [f"#{i}" for i in expected]
    near_b = int(at.button(key="find_near_b_2").label.split("#")[1])
    at.button(key="find_near_b_2").click().run()
    assert chosen(at).a.index == 3 and chosen(at).b.index == near_b
    near_a = int(at.button(key="find_near_a_0").label.split("#")[1])
    at.button(key="find_near_a_0").click().run()
    assert chosen(at).a.index == near_a and chosen(at).b.index == near_b
    assert not at.exception and not warnings(at)


def test_nearest_digits_of_a_drawing_encode_it(family):
    loaded = family.models["z20-beta1"]
    drawing = Endpoint(label="your drawing", image=family.images[3].astype(np.float32) / 255.0)
    found = find.nearest_digits(loaded, drawing)
    assert len(found) == find.NEIGHBOURS and 3 in found  # the digit it copies is among its neighbours


PANEL_SCRIPT = """
import sys

sys.path.insert(0, {root!r})
from explorer.state import test_digit
from sections.find import find_panel
from sections.runtime import get_family
from vae.family import weights_folder
from sections.session import endpoints

family = get_family(weights_folder())
chosen = endpoints()
if chosen.empty and "seeded" not in __import__("streamlit").session_state:
    __import__("streamlit").session_state.seeded = True
    chosen.use("a", test_digit(family, 3))
    chosen.use("b", test_digit(family, 7))
find_panel(family, family.models["z20-beta1"], chosen)
"""


@pytest.mark.browser
@pytest.mark.slow
def test_on_a_400_px_phone_the_controls_wrap_and_a_tap_sets_the_endpoint(tmp_path):
    """At 400 px nothing sticks out sideways, the neighbour tiles wrap onto more rows, and taps work.
    Leaves test-artifacts/find-400.png."""
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "find_panel.py"
    page_file.write_text(PANEL_SCRIPT.format(root=str(ROOT)))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(page_file), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 400, "height": 900}, has_touch=True, is_mobile=True)
            page = context.new_page()
            page.goto(url)
            status = page.locator("span.le-status[data-name=find]")
            status.wait_for(state="attached", timeout=60_000)
            page.get_by_text("Find a digit: by index").tap()
            # A button with a help tooltip is in the DOM twice, one of them hidden: look at visible ones only.
            page.locator(".st-key-find_near_a_4 button:visible").wait_for(timeout=30_000)

            assert page.evaluate("document.documentElement.scrollWidth") <= 400
            controls = page.locator(
                "[data-testid=stExpander] button:visible, [data-testid=stExpander] input:visible"
            ).all()
            assert len(controls) >= 3 + 2 + 2 * find.NEIGHBOURS
            for control in controls:
                box = control.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 400, control
            boxes = [page.locator(f".st-key-find_near_a_{rank}").bounding_box() for rank in range(find.NEIGHBOURS)]
            overlaps = [a["x"] + a["width"] > b["x"] and a["y"] == b["y"] for a, b in itertools.pairwise(boxes)]
            assert not any(overlaps)  # side by side or wrapped onto the next row, never on top of each other

            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / "find-400.png"), full_page=True)

            field = page.locator(".st-key-find_index input")
            field.tap()
            field.fill("1234")
            field.press("Enter")
            page.locator(".st-key-find_set_b button:visible").tap()
            page.wait_for_function(
                "() => document.querySelector('span.le-status[data-name=find]')"
                ".textContent.startsWith('A #3, B #1234')",
                timeout=30_000,
            )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
