"""What Python and the viewer must agree on, checked by running the viewer's own modules in node.

    python -m pytest tests/test_contract.py -q

* viewer/core/constants.js is exactly what widgets.contract.constants_module() writes (a stale file fails:
  `python -m widgets.contract` rewrites it), and node reads from it the values Python holds.
* Rules that exist in both languages, on many cases drawn by hypothesis (derandomized, so CI sees the same
  cases every run), each batch through one request to tests/js/bridge.js:
    endpoint labels and ids   explorer/state.py test_digit, map_point  vs  viewer/explore/endpoints.js localEnd
    the path key              sections/morph.py path_key               vs  viewer/explore/endpoints.js pathKey
    paths                     vae/paths.py interpolate                 vs  viewer/core/paths.js pathCodes
    PCA placement, inverse    vae/atlas.py Atlas.place, map_code       vs  viewer/core/projection.js
    the event protocol        widgets/component.py take_events         vs  viewer/core/protocol.js Channel
  (the decoder, t-SNE placement and polylines are held to numpy by the JS unit tests' fixtures).
Needs node: skipped without it here, an error under CI (which installs it).
"""

from __future__ import annotations

import json
import math
import subprocess
from types import SimpleNamespace
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.assets import model_manifest
from explorer.share import FRAMES_RANGE, View
from explorer.state import Endpoints, map_code, map_point
from explorer.state import test_digit as digit_end  # (a bare test_ name would be collected as a test)
from harness.browser import ROOT
from harness.node import Bridge, require_node
from sections.morph import path_key
from vae.family import shared_family, weights_folder
from vae.paths import interpolate
from widgets import component
from widgets.contract import CONSTANTS, CONSTANTS_JS, MAX_PENDING, constants_module

NODE = require_node()
ENDPOINTS = "viewer/explore/endpoints.js"
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FAMILY = shared_family(weights_folder())


@pytest.fixture(scope="module")
def js():
    bridge = Bridge()
    yield bridge
    bridge.close()


# The generated constants module.


def test_constants_module_is_current():
    written = CONSTANTS_JS.read_text(encoding="utf-8")
    assert written == constants_module(), "viewer/core/constants.js is stale: run python -m widgets.contract"


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_node_reads_the_constants_python_holds(js, name):
    assert js({"module": "viewer/core/constants.js", "get": name}) == json.loads(json.dumps(CONSTANTS[name]))


def test_nothing_else_is_exported_from_the_constants_module(js):
    names = js({"module": "viewer/core/constants.js", "get": "MAX_PENDING"})  # the module loads
    assert names == MAX_PENDING
    exported = subprocess.run(
        [
            NODE,
            "--input-type=module",
            "-e",
            "import * as c from './viewer/core/constants.js'; console.log(JSON.stringify(Object.keys(c)))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(json.loads(exported.stdout)) == sorted(CONSTANTS)


# Endpoint labels and ids, and the path key.

# Map coordinates: anywhere on a map (the shipped maps span well inside +-100), and the values where
# rounding to two decimals can go wrong: exact ties (odd multiples of 1/8), their neighbours one ulp away,
# decimals that binary cannot hold (2.675 is 2.67499999...), negative values that round to zero.
TIES = st.integers(-800, 800).map(lambda k: (2 * k + 1) / 8)
NEAR_TIES = st.tuples(TIES, st.sampled_from([-1, 1])).map(lambda pair: math.nextafter(pair[0], pair[1] * math.inf))
DECIMALS = st.integers(-100_000, 100_000).map(lambda k: k / 1000)
SPECIAL = st.sampled_from([0.0, -0.0, -0.001, -0.004999, -0.005, 0.005, 0.015, 1.005, 2.675, -2.675, 1e-300])
COORDINATE = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), TIES, NEAR_TIES, DECIMALS, SPECIAL)
MODEL_NAMES = st.one_of(st.sampled_from(sorted(FAMILY.models)), st.text(min_size=1, max_size=20))


def python_point(map_name: str, x: float, y: float, model: str):
    """explorer/state.py map_point with a model named `model` (the shipped model of the map's kind computes
    the picture, which the label and id do not depend on)."""
    shipped = FAMILY.models["z2-beta1" if map_name == "plane" else "z20-beta1"]
    return map_point(SimpleNamespace(name=model, atlas=shipped.atlas, model=shipped.model), map_name, x, y)


def js_state(model: str, labels: dict[int, int] | None = None) -> dict:
    """What viewer/explore/endpoints.js localEnd reads of the widget's state."""
    return {"host": {"labels": labels}, "view": {"shown": {"model": model}}}


@SETTINGS
@given(st.lists(st.integers(0, 9_999), min_size=1, max_size=40))
def test_test_digit_labels_and_ids_agree(js, indices):
    labels = {index: int(FAMILY.labels[index]) for index in indices}
    calls = [[js_state("z20-beta1", labels), {"kind": "test", "index": index}] for index in indices]
    for index, end in zip(indices, js.batch(ENDPOINTS, "localEnd", calls), strict=True):
        python = digit_end(FAMILY, index)
        assert (end["id"], end["label"]) == (python.id, python.label)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["plane", "pca"]), COORDINATE, COORDINATE, MODEL_NAMES), max_size=40))
def test_map_point_labels_and_ids_agree(js, points):
    calls = [[js_state(model), {"kind": "point", "map": map_name, "x": x, "y": y}] for map_name, x, y, model in points]
    for (map_name, x, y, model), end in zip(points, js.batch(ENDPOINTS, "localEnd", calls), strict=True):
        python = python_point(map_name, x, y, model)
        assert (end["id"], end["label"]) == (python.id, python.label), f"({x!r}, {y!r})"
        assert (end["x"], end["y"]) == python.point  # the rounded coordinates the event sends back
        assert end["source"] == python.source_model and end["map"] == python.map_name


def test_map_points_round_as_python_does_at_the_known_traps(js):
    # The cases a naive Math.round(x * 100) / 100 and toFixed get wrong (ties, negative zero), spelt out.
    cases = {0.125: "0.12", 0.375: "0.38", -0.125: "-0.12", 2.675: "2.67", 1.005: "1.00", -0.001: "-0.00"}
    ends = js.batch(
        ENDPOINTS, "localEnd", [[js_state("m"), {"kind": "point", "map": "plane", "x": x, "y": 0}] for x in cases]
    )
    assert [end["id"] for end in ends] == [f"p:plane:{text},0.00@m" for text in cases.values()]
    assert [python_point("plane", x, 0, "m").id for x in cases] == [end["id"] for end in ends]


ENDS = st.one_of(
    st.integers(0, 9_999).map(lambda index: digit_end(FAMILY, index)),
    st.tuples(st.sampled_from(["plane", "pca"]), COORDINATE, COORDINATE, MODEL_NAMES).map(lambda p: python_point(*p)),
)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            MODEL_NAMES, st.sampled_from(["linear", "spherical", "geodesic"]), st.integers(*FRAMES_RANGE), ENDS, ENDS
        ),
        min_size=1,
        max_size=20,
    )
)
def test_path_keys_agree(js, cases):
    calls = [[model, method, frames, {"id": a.id}, {"id": b.id}] for model, method, frames, a, b in cases]
    for (model, method, frames, a, b), key in zip(cases, js.batch(ENDPOINTS, "pathKey", calls), strict=True):
        view = View(model=model, method=method, frames=frames)
        assert key == path_key(model, view, Endpoints(a, b))


# Paths and the PCA map.

LATENT_VALUE = st.floats(-6, 6, width=32)


@st.composite
def path_cases(draw):
    latent = draw(st.sampled_from([2, 20]))
    a = np.asarray(draw(st.lists(LATENT_VALUE, min_size=latent, max_size=latent)), dtype=np.float32)
    b = np.asarray(draw(st.lists(LATENT_VALUE, min_size=latent, max_size=latent)), dtype=np.float32)
    return a, b, draw(st.integers(2, FRAMES_RANGE[1])), draw(st.sampled_from(["linear", "spherical"]))


def opposite(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether a and b point (nearly) opposite ways: there a spherical path has no plane to turn in."""
    na, nb = np.linalg.norm(a.astype(np.float64)), np.linalg.norm(b.astype(np.float64))
    return bool(na >= 1e-12 and nb >= 1e-12 and a.astype(np.float64) @ b / (na * nb) < -1 + 1e-6)


@SETTINGS
@given(st.lists(path_cases(), min_size=1, max_size=20))
def test_paths_agree(js, cases):
    cases = [(a, b, frames, method) for a, b, frames, method in cases if not opposite(a, b)]
    calls = [[a.tolist(), b.tolist(), frames, method] for a, b, frames, method in cases]
    for (a, b, frames, method), codes in zip(cases, js.batch("viewer/core/paths.js", "pathCodes", calls), strict=True):
        expected = interpolate(a, b, frames, method)
        found = np.asarray(codes, dtype=np.float32)
        if method == "linear":
            np.testing.assert_array_equal(found, expected)  # the same float64 arithmetic, then float32
        else:  # numpy sums norms and dot products in another order: a float32 may round the other way
            np.testing.assert_allclose(found, expected, rtol=0, atol=1e-6 * max(1.0, np.abs(expected).max()))


def test_a_spherical_path_between_opposite_codes_is_the_straight_line(js):
    # (1.5, 0.5) and (-3, -1) are two clicks on the z = 2 plane (its points are rounded to 0.01): no plane to
    # turn in, so both sides draw the line (it was a NaN middle frame, or a jump from A to B).
    a, b = np.float32([1.5, 0.5]), np.float32([-3.0, -1.0])
    for frames in (5, 6):
        codes = np.asarray(js.call("viewer/core/paths.js", "pathCodes", a.tolist(), b.tolist(), frames, "spherical"))
        expected = interpolate(a, b, frames, "spherical")
        np.testing.assert_array_equal(expected, interpolate(a, b, frames, "linear"))
        np.testing.assert_allclose(codes, expected, atol=1e-6)


def manifest_pca() -> tuple[dict, object]:
    """The PCA map as the browser receives it (explorer/assets.py model_manifest), and its atlas."""
    return model_manifest(FAMILY, "z20-beta1")["maps"]["pca"], FAMILY.models["z20-beta1"].atlas


@SETTINGS
@given(st.lists(st.lists(st.floats(-8, 8, width=32), min_size=20, max_size=20), min_size=1, max_size=40))
def test_pca_placement_agrees(js, codes):
    pca, atlas = manifest_pca()
    found = js.batch("viewer/core/projection.js", "project", [[pca, code] for code in codes])
    np.testing.assert_allclose(found, atlas.place(np.asarray(codes, dtype=np.float32), "pca"), rtol=0, atol=1e-5)


@SETTINGS
@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=1, max_size=40))
def test_pca_inverse_agrees(js, points):
    pca, atlas = manifest_pca()
    found = js.batch("viewer/core/projection.js", "invert", [[pca, x, y] for x, y in points])
    expected = [map_code(SimpleNamespace(atlas=atlas), "pca", x, y) for x, y in points]
    for (x, y), code, want in zip(points, found, expected, strict=True):
        np.testing.assert_allclose(code, want, rtol=0, atol=1e-6 * max(1.0, abs(x), abs(y)))


# The event protocol: the browser's Channel and the server's take_events, run together.

KEY = "contract-map"


class Server:
    """widgets/component.py take_events over a session state of its own."""

    def __init__(self):
        self.session: dict = {}

    def run(self, message: dict | None) -> list[dict]:
        """A run of the page that received `message` as the component's latest event (None: no event)."""
        self.session[KEY] = {"event": message}
        with mock.patch.object(component.st, "session_state", self.session):
            return component.take_events(KEY, ("pick",), lambda kind, event: {"index": event.get("index")})

    @property
    def ack(self) -> int:
        with mock.patch.object(component.st, "session_state", self.session):
            return component.acknowledged(KEY)


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("emit"), st.integers(1, MAX_PENDING + 10)),
        st.tuples(st.just("run"), st.booleans()),  # the page runs; True: it acknowledges to the browser at once
        st.tuples(st.just("deliver"), st.just(0)),  # the last run's acknowledgement reaches the browser
    ),
    max_size=30,
)


@SETTINGS
@given(ACTIONS)
def test_every_event_is_handled_once_in_order_while_the_queue_holds_it(js, actions):
    # Each example a widget of its own name: serials are kept per name for the page's life.
    test_every_event_is_handled_once_in_order_while_the_queue_holds_it.examples += 1
    name = f"widget-{test_every_event_is_handled_once_in_order_while_the_queue_holds_it.examples}"
    js({"module": "viewer/core/protocol.js", "new": "Channel", "args": [name, MAX_PENDING], "as": name})
    server, latest, emitted, handled = Server(), None, {}, []
    for action, value in actions:
        if action == "emit":
            for _ in range(value):
                index = len(emitted)
                latest = js({"on": name, "call": "emit", "args": [{"type": "pick", "index": index}]})
                emitted[latest["serial"]] = index
        elif action == "run":
            before = server.ack
            fresh = server.run(latest)
            serials = [event["serial"] for event in fresh]
            newest = latest["serial"] if latest else 0
            # What the browser still held: everything newer than the server's acknowledgement, unless more
            # than MAX_PENDING events came between two acknowledgements (then the oldest were dropped).
            first = max(before + 1, newest - MAX_PENDING + 1)
            assert serials == list(range(first, newest + 1))
            assert [event["index"] for event in fresh] == [emitted[serial] for serial in serials]
            handled += serials
            if value:
                assert js({"on": name, "call": "receive", "args": [server.ack]}) is True
        else:
            pending = js({"on": name, "call": "receive", "args": [server.ack]})
            assert pending == (server.ack == (latest["serial"] if latest else 0))
    assert len(handled) == len(set(handled)) and handled == sorted(handled)


test_every_event_is_handled_once_in_order_while_the_queue_holds_it.examples = 0


def test_a_new_server_session_takes_the_events_the_old_one_did_not_acknowledge(js):
    js({"module": "viewer/core/protocol.js", "new": "Channel", "args": ["restart", MAX_PENDING], "as": "restart"})
    emit = lambda index: js({"on": "restart", "call": "emit", "args": [{"type": "pick", "index": index}]})  # noqa: E731
    old = Server()
    for index in range(3):
        message = emit(index)
    assert [event["serial"] for event in old.run(message)] == [1, 2, 3]
    assert js({"on": "restart", "call": "receive", "args": [old.ack]}) is True
    message = emit(3)
    assert [event["serial"] for event in old.run(message)] == [4]  # handled, but its acknowledgement is lost
    new = Server()  # the server restarted: a new session, which has handled nothing
    assert js({"on": "restart", "call": "receive", "args": [new.ack]}) is True  # backwards: the queue is dropped
    message = emit(4)
    assert message["serial"] == 5 and [event["serial"] for event in message["pending"]] == [5]
    assert [event["index"] for event in new.run(message)] == [4]
    assert js({"on": "restart", "call": "receive", "args": [new.ack]}) is True
