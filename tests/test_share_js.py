"""A link reads the same in both hosts: viewer/core/share.js (the static site) against explorer/share.py (the
Streamlit page), on many links drawn by hypothesis, hostile ones included, through one node process.

    python -m pytest tests/test_share_js.py -q
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.safe_text import cut, plain
from explorer.share import drawing_text, parse_query, to_query
from harness.node import Bridge
from vae.family import shared_family, weights_folder

SHARE = "viewer/core/share.js"
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FAMILY = shared_family(weights_folder())
CATALOG = {
    "models": {name: {"maps": list(loaded.atlas.map_names)} for name, loaded in FAMILY.models.items()},
    "count": len(FAMILY.labels),
}
HOSTILE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=50)


@pytest.fixture(scope="module")
def js():
    bridge = Bridge()
    yield bridge
    bridge.close()


def number_text():
    return st.one_of(
        st.floats(-150, 150, allow_nan=False).map(lambda x: f"{x:.2f}"),
        st.sampled_from(["1e2", "inf", "nan", "1_0", "٣", " 1", "+2", "-.5", "3.", "", "-0", "0.125", "-0.005"]),
        HOSTILE,
    )


def point():
    return st.builds(lambda x, y: f"{x},{y}", number_text(), number_text()) | HOSTILE


def endpoint():
    models = sorted(CATALOG["models"])
    map_point = st.builds(
        lambda map_name, xy, at: f"{map_name}:{xy}" + (f"@{at}" if at else ""),
        st.sampled_from(["plane", "pca", "tsne", "x"]),
        point(),
        st.sampled_from(["", *models, "z99-beta1"]),
    )
    drawing = st.binary(min_size=392, max_size=392).map(drawing_text)
    return st.one_of(
        st.integers(-5, 10_005).map(str),
        st.sampled_from(["00", "1.0", "#3", "0x10"]),
        map_point,
        point(),
        drawing,
        drawing.map(lambda text: text + "!"),
        HOSTILE,
    )


def params():
    values = {
        "model": st.sampled_from([*CATALOG["models"], "z20-beta1.0", "z2-beta2"]) | HOSTILE,
        "map": st.sampled_from(["pca", "tsne", "plane", "umap"]) | HOSTILE,
        "method": st.sampled_from(["linear", "spherical", "geodesic", "bezier"]),
        "frames": st.integers(-2, 40).map(str) | HOSTILE,
        "compare": st.sampled_from(["0", "1", "true", ""]),
        "backdrop": st.sampled_from(["0", "1", "yes"]),
        "page": st.sampled_from(["explore", "lesson", "admin"]),
        "samples": st.integers(-1, 10_001).map(str) | HOSTILE,
        "eps": st.integers(0, 12_000).map(str),
        "probe": point(),
        "a": endpoint(),
        "b": endpoint(),
        "mr": st.one_of(  # the β slider's β (explorer/share.py mr_beta)
            st.floats(0.005, 12, allow_nan=False).map(lambda x: f"{x:.4f}"),
            st.floats(0.01, 10).map(str),
            st.sampled_from(["0.01", "10", "10.0", "0.0099", "1e-1", "inf", "nan", "-1", "", "0.1", "3.1623"]),
            HOSTILE,
        ),
    }
    return st.dictionaries(st.sampled_from(sorted(values)), st.none()).flatmap(
        lambda keys: st.fixed_dictionaries({key: values[key] for key in keys})
    )


def as_js_view(view) -> dict:
    ref = lambda r: r if r is None or isinstance(r, int) else list(r)  # noqa: E731
    return {
        "model": view.model, "map": view.map_name, "method": view.method, "frames": view.frames,
        "compare": view.compare, "backdrop": view.backdrop, "page": view.page, "samples": view.samples,
        "eps": view.eps, "probe": list(view.probe) if view.probe else None, "a": ref(view.a), "b": ref(view.b),
        "mr": view.mr,
    }  # fmt: skip


@SETTINGS
@given(st.lists(params(), min_size=1, max_size=15))
def test_both_hosts_read_a_link_alike(js, links):
    answers = js.batch(SHARE, "parseQuery", [[list(link.items()), CATALOG] for link in links])
    for link, found in zip(links, answers, strict=True):
        view, warnings = parse_query(link, FAMILY)
        assert found["view"] == as_js_view(view), link
        assert [f"{w['key']} = {plain(w['value'])} {w['why']}" for w in found["warnings"]] == warnings, link
        assert found["query"] == to_query(view), link  # and writes it back alike (-0.00 included)


@SETTINGS
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cn")), max_size=50), max_size=30))
def test_both_hosts_cut_a_quoted_value_alike(js, values):
    """Characters unassigned in Python's Unicode (14.0) may be assigned in node's newer one: the page shows
    those as U+FFFD and the static site as themselves, as text either way, so they are left out here."""
    assert js.batch(SHARE, "cut", [[value] for value in values]) == [cut(value) for value in values]


def test_a_number_in_a_link_is_a_plain_decimal(js):
    for text in ["1e2,0", "inf,0", "1_0,0", "٣,0", " 1,0", "0x1,0"]:
        assert js.call(SHARE, "pointText", text, 100) is None
    assert js.call(SHARE, "pointText", "0.125,-0.005", 100) == [0.12, -0.01]
    assert np.isclose(js.call(SHARE, "round2", 2.675), 2.67)  # 2.675 is a hair below the tie in binary
