"""The per-frame analytics, the per-β readings, the latent traversals and the geodesic's verdict, drawn by the
viewer (viewer/explore/panel/analytics.js, traversals.js) in both hosts: the static site served by a plain
static server, and the Streamlit page. What a visitor sees is held to numpy's numbers.

    python -m pytest tests/test_inside_viewer.py -x -q

Without Chromium these tests skip locally but fail in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import numpy as np
import pytest

from explorer.images import to_uint8
from harness.browser import goto_app, goto_static, require_chromium, static_site
from vae.analytics import analyse_path
from vae.family import shared_family, weights_folder
from vae.paths import interpolate
from vae.traversals import kl_per_dimension, traverse

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_chromium()
FAMILY = shared_family(weights_folder())
A, B = 3, 7

# The analytics chart's traces once Plotly has drawn them with the classifier's row (three rows).
CHART = """() => { const gd = document.querySelector('.le-analytics-chart .le-chart');
  if (!gd || !gd.data || gd.data.length < 3) return null;
  return gd.data.map((t) => ({type: t.type, x: t.x, y: t.y, z: t.z})); }"""
COMPARE = """() => { const gd = document.querySelector('.le-analytics-compare .le-chart');
  const box = document.querySelector('.le-analytics-compare');
  return gd && gd.data && !box.hidden ? {y: gd.data[0].y, text: gd.data[0].text} : null; }"""
VERDICT = """() => { const line = document.querySelector('.le-verdict');
  return line && !line.hidden && line.textContent ? {text: line.textContent, detail: line.title} : null; }"""
BARS = (
    "() => { const gd = document.querySelector('.le-traversal-bars .le-chart'); return gd && gd.data && gd.data[0].x; }"
)
TRAVERSAL_DRAWN = "() => performance.getEntriesByName('le:shown:traversal').length > 0"
# The traversal grid, sampled at the centre of each of a tile's 28 x 28 source pixels: (rows, 9, 28, 28) greys.
GRID = """() => { const canvas = document.querySelector('.le-traversal-grid');
  const rows = Number(canvas.dataset.rows), scale = canvas.width / canvas.clientWidth;
  const label = 128, tile = (canvas.clientWidth - label) / 9;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const out = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < 9; c++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const px = Math.floor((label + c * tile + (x + 0.5) * tile / 28) * scale);
    const py = Math.floor((r * tile + (y + 0.5) * tile / 28) * scale);
    out.push(data[4 * (py * canvas.width + px)]);
  }
  return {rows, index: Number(canvas.dataset.index), pixels: out}; }"""


@pytest.fixture(scope="module")
def site():
    with static_site() as url:
        yield url


def expected_analytics(model: str, frames: int = 10, method: str = "linear"):
    loaded = FAMILY.models[model]
    codes = interpolate(loaded.atlas.mu[A], loaded.atlas.mu[B], frames, method)
    return analyse_path(codes, loaded.model.decode(codes), FAMILY.classifier)


def check_chart(page, model: str) -> None:
    traces = page.wait_for_function(CHART, timeout=60_000).json_value()
    expected = expected_analytics(model)
    assert [t["type"] for t in traces] == ["bar", "scatter", "heatmap", "scatter"]
    assert np.abs(np.array(traces[0]["y"]) - expected.step[1:]).max() <= 1e-4
    assert np.abs(np.array(traces[1]["y"]) - expected.log_prior).max() <= 0.01  # drawn rounded to 2 decimals
    probabilities = np.array(traces[2]["z"]).T  # rows are digits
    assert np.abs(probabilities - expected.probabilities).max() <= 0.01
    assert traces[3]["y"] == [str(d) for d in expected.predicted]


@pytest.mark.parametrize("width, height", [(1500, 1000), (400, 850)])
def test_the_static_site_draws_the_analytics_of_the_shown_path(browser, site, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    goto_static(page, f"{site}/?model=z20-beta1&map=pca&method=linear&frames=10&a={A}&b={B}")
    check_chart(page, "z20-beta1")
    words = page.locator(".le-analytics-words").inner_text()
    assert "784 pixels" in words and "nats" in words  # the units are said where they appear
    box = page.locator(".le-analytics").bounding_box()
    assert box["width"] <= width  # nothing sticks out on a phone
    page.close()


def test_the_static_site_draws_a_row_per_beta_when_comparing(browser, site):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, f"{site}/?model=z20-beta1&map=pca&method=linear&frames=10&compare=1&a={A}&b={B}")
    found = page.wait_for_function(COMPARE, timeout=90_000).json_value()
    betas = sorted(m.variant.beta for m in FAMILY.models.values() if m.variant.latent_size == 20)
    assert found["y"] == [f"β = {b:g}" for b in betas]
    for beta, digits in zip(betas, found["text"], strict=True):
        expected = expected_analytics(FAMILY.get(20, beta).name).predicted
        assert digits == [str(d) for d in expected]
    page.close()


@pytest.mark.parametrize("model, index", [("z20-beta1", A), ("z2-beta1", A)])
def test_the_static_site_draws_the_traversals_as_numpy_decodes_them(browser, site, model, index):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, f"{site}/?model={model}&map=pca&method=linear&frames=10&a={index}&b={B}")
    page.locator(".le-traversals summary").click()
    page.wait_for_function(TRAVERSAL_DRAWN, timeout=30_000)
    grid = page.evaluate(GRID)
    loaded = FAMILY.models[model]
    order = np.argsort(-kl_per_dimension(loaded.atlas.mu, loaded.atlas.logvar), kind="stable")
    expected = to_uint8(traverse(loaded.model, loaded.atlas.mu[index])[order]).astype(int)
    assert grid["rows"] == loaded.variant.latent_size and grid["index"] == index
    found = np.array(grid["pixels"]).reshape(expected.shape)
    assert np.abs(found - expected).max() <= 1  # one grey level: the decoder's float rounding
    bars = page.wait_for_function(BARS).json_value()
    assert bars == [f"z{d}" for d in order]
    page.locator(".le-traversal-index input").fill("42")
    page.locator(".le-traversal-index input").press("Enter")
    page.wait_for_function("() => document.querySelector('.le-traversal-grid').dataset.index === '42'")
    page.close()


def test_the_static_site_says_the_geodesics_verdict_in_plain_words(browser, site):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, f"{site}/?model=z20-beta1&map=pca&method=geodesic&frames=10&a={A}&b={B}")
    verdict = page.wait_for_function(VERDICT, timeout=120_000).json_value()
    assert "×" not in verdict["text"] and "energy" not in verdict["text"]  # the numbers are in the tooltip
    assert "Curve energy" in verdict["detail"] and "percentile" in verdict["detail"]
    page.close()


def test_the_streamlit_page_draws_the_same_analytics_and_verdict(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(page, f"{server.url}/?model=z20-beta1&map=pca&method=linear&frames=10&a={A}&b={B}")
    check_chart(page, "z20-beta1")
    assert page.get_by_text("Along the path", exact=False).count() >= 1
    goto_app(page, f"{server.url}/?model=z20-beta1&map=pca&method=geodesic&frames=10&a={A}&b={B}")
    verdict = page.wait_for_function(VERDICT, timeout=120_000).json_value()
    assert "×" not in verdict["text"] and "Curve energy" in verdict["detail"]
    page.close()


# The axes Plotly shows now: [x0, x1, y0, y1].
RANGES = """() => { const gd = document.querySelector('.le-map');
  return gd.dataset.pathRange ? [...gd._fullLayout.xaxis.range, ...gd._fullLayout.yaxis.range] : null; }"""
SPHERICAL = [  # a path that bows outside its map's axes (issue 24: "the spherical path runs off the top")
    ("z2-beta1", "plane", "plane:4.00,4.00", "plane:-4.00,4.00"),
    ("z20-beta1", "pca", "4760", "2467"),
]


def spherical_points(model: str, map_name: str, a: str, b: str) -> np.ndarray:
    """The map coordinates of the path's frames and its ends, as numpy places them."""
    loaded = FAMILY.models[model]
    atlas = loaded.atlas
    code = lambda ref: np.float32(ref.split(":")[1].split(",")) if ref.startswith("plane:") else atlas.mu[int(ref)]  # noqa: E731
    codes = interpolate(code(a), code(b), 10, "spherical")
    return codes if map_name == "plane" else (codes - atlas.pca_mean) @ atlas.pca_components.T


def check_path_inside(page, model: str, map_name: str, a: str, b: str) -> None:
    from explorer.figures import map_info

    points = spherical_points(model, map_name, a, b)
    x0, x1, y0, y1 = map_info(FAMILY)[model][map_name]["extent"]
    outside = (points[:, 0] < x0) | (points[:, 0] > x1) | (points[:, 1] < y0) | (points[:, 1] > y1)
    assert outside.any()  # the case is one: the shared axes alone would cut the path
    r = page.wait_for_function(RANGES, timeout=30_000).json_value()
    assert (points[:, 0] >= r[0]).all() and (points[:, 0] <= r[1]).all(), (r, points)
    assert (points[:, 1] >= r[2]).all() and (points[:, 1] <= r[3]).all(), (r, points)


@pytest.mark.parametrize("model, map_name, a, b", SPHERICAL)
def test_the_spherical_path_stays_inside_the_static_sites_plot(browser, site, model, map_name, a, b):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_static(page, f"{site}/?model={model}&map={map_name}&method=spherical&frames=10&a={a}&b={b}")
    check_path_inside(page, model, map_name, a, b)
    page.close()


def test_the_spherical_path_stays_inside_the_streamlit_pages_plot(browser, server):
    model, map_name, a, b = SPHERICAL[0]
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(page, f"{server.url}/?model={model}&map={map_name}&method=spherical&frames=10&a={a}&b={b}")
    check_path_inside(page, model, map_name, a, b)
    page.close()
