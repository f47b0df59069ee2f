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
        a=(1.5, -0.25),
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


def test_lone_b_becomes_a(family):
    view, _ = parse_query({"b": "7"}, family)
    assert (view.a, view.b) == (7, None)
