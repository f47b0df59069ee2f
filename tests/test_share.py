"""URL query parameters: a round trip restores the view; bad values warn and fall back."""

import numpy as np
import pytest

from explorer.share import View, parse_query, to_query
from vae.atlas import Atlas
from vae.family import Family, LoadedModel, Variant


@pytest.fixture(scope="module")
def family():
    def loaded(latent, beta, maps):
        mu = np.zeros((50, latent), dtype=np.float32)
        atlas = Atlas(mu, mu, {m: np.zeros((50, 2), np.float32) for m in maps}, None, None, "x")
        return LoadedModel(Variant(latent, beta), None, {}, {}, atlas)

    models = {
        m.name: m
        for m in (loaded(20, 1.0, ["pca", "tsne"]), loaded(20, 4.0, ["pca", "tsne"]), loaded(2, 1.0, ["plane"]))
    }
    return Family(models, np.zeros((50, 28, 28), np.uint8), np.zeros(50, np.uint8))


def test_round_trip(family):
    view = View(model="z20-beta4", map_name="tsne", method="spherical", frames=17, compare=True, a=3, b=49)
    again, warnings = parse_query(to_query(view), family)
    assert again == view and warnings == []


def test_round_trip_of_a_plane_view_with_seeds_and_probe(family):
    view = View(
        model="z2-beta1",
        map_name="plane",
        backdrop=False,
        page="lesson",
        samples=4,
        eps=9,
        probe=(0.5, -1.25),
        a=("plane", 1.5, -0.25, None),
        b=7,
    )
    again, warnings = parse_query(to_query(view), family)
    assert again == view and warnings == []


def test_plane_points_only_on_a_plane_model(family):
    view, warnings = parse_query({"model": "z20-beta1", "a": "0.5,1.0"}, family)
    assert view.a is None and warnings[0].startswith("a = ")


def test_empty_query_gives_defaults(family):
    view, warnings = parse_query({}, family)
    assert not warnings
    assert (view.model, view.map_name, view.method, view.frames, view.a, view.b) == (
        "z20-beta1",
        "pca",
        "linear",
        10,
        None,
        None,
    )


@pytest.mark.parametrize(
    "query, word",
    [
        ({"model": "z20-beta3"}, "model="),
        ({"model": "<script>"}, "model="),
        ({"map": "umap"}, "map="),
        ({"method": "geodesic!"}, "method="),
        ({"frames": "999"}, "frames="),
        ({"frames": "ten"}, "frames="),
        ({"a": "-1"}, "a="),
        ({"b": "50"}, "b="),
        ({"a": "1e9"}, "a="),
        ({"compare": "yes"}, "compare="),
    ],
)
def test_bad_values_warn_and_fall_back(family, query, word):
    view, warnings = parse_query(query, family)
    key = next(iter(query))
    assert len(warnings) == 1 and warnings[0].startswith(f"{key} = ")
    defaults, _ = parse_query({}, family)
    key = {
        "model": "model",
        "map": "map_name",
        "method": "method",
        "frames": "frames",
        "a": "a",
        "b": "b",
        "compare": "compare",
    }[next(iter(query))]
    assert getattr(view, key) == getattr(defaults, key)


def test_map_must_belong_to_the_model(family):
    view, warnings = parse_query({"model": "z2-beta1", "map": "pca"}, family)
    assert view.map_name == "plane" and warnings[0].startswith("map = ")


def test_a_lone_b_stays_b(family):
    view, _ = parse_query({"b": "7"}, family)
    assert (view.a, view.b) == (None, 7)


def test_map_points_travel_with_their_map_and_their_model(family):
    view, warnings = parse_query({"model": "z20-beta1", "a": "pca:0.5,-1.25", "b": "plane:1.0,2.0@z2-beta1"}, family)
    assert warnings == []
    assert view.a == ("pca", 0.5, -1.25, None) and view.b == ("plane", 1.0, 2.0, "z2-beta1")
    assert to_query(view)["a"] == "pca:0.50,-1.25" and to_query(view)["b"] == "plane:1.00,2.00@z2-beta1"
    for bad in ("tsne:0.5,1", "pca:0.5,1@z20-beta3", "pca:nan,1", "pca:1e9,0", "plane:0.5,1", "pca:" + "1" * 80):
        view, warnings = parse_query({"model": "z20-beta1", "a": bad}, family)
        assert view.a is None and warnings[0].startswith("a = "), bad


def test_a_drawing_round_trips_through_its_url_text_exactly():
    import numpy as np

    from explorer.share import drawing_from_text, drawing_text
    from explorer.state import drawing_bytes, drawn_digit

    picture = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    kept = drawn_digit(picture).image  # 16 grey levels: what a link can carry
    text = drawing_text(drawing_bytes(kept))
    assert text.startswith("d:") and len(text) < 1200
    assert np.array_equal(drawing_from_text(text), kept)


def test_drawing_text_is_bounded_and_checked():
    import base64
    import zlib

    from explorer.share import DRAWING_LIMIT, drawing_from_text

    def text(payload: bytes) -> str:
        return "d:" + base64.urlsafe_b64encode(zlib.compress(payload)).decode().rstrip("=")

    assert drawing_from_text(text(bytes(392))) is not None
    for bad in (
        text(bytes(391)),  # a pixel short
        text(bytes(393)),  # a pixel over
        text(bytes(10_000_000)),  # a zip bomb: compresses to a few KB, refused by length or by the inflate bound
        "d:" + "A" * (DRAWING_LIMIT + 1),
        "d:!!!",
        "d:" + base64.urlsafe_b64encode(b"not zlib at all").decode(),
        "x:" + text(bytes(392))[2:],
        "d:é",
    ):
        assert drawing_from_text(bad) is None
