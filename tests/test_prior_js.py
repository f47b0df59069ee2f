"""The explore view's samples from the prior (viewer/explore/panel/prior.js), drawn by the viewer in both hosts:
its seeded draws are explorer/lesson_draws.py's, decoded within one grey level of numpy; each row quotes the
readable share stored in its model's checkpoint; comparing all β gives one row per model of the latent size.

    python -m pytest tests/test_prior_js.py -x -q
"""

from __future__ import annotations

import numpy as np
import pytest

from explorer.charts import inside_data
from explorer.lesson_draws import prior_codes
from harness.browser import goto_app, goto_static, require_chromium, static_site
from vae.family import shared_family, weights_folder

FAMILY = shared_family(weights_folder())
PRIOR_JS = "viewer/explore/panel/prior.js"
DRAWN = "() => performance.getEntriesByName('le:shown:prior').length > 0"
ROWS = "() => { const c = document.querySelector('.le-prior-rows'); return c && c.dataset.rows ? c.dataset : null; }"


@pytest.fixture(scope="module")
def node():
    from harness.node import Bridge

    bridge = Bridge()
    yield bridge
    bridge.close()


@pytest.mark.parametrize("seed, latent", [(0, 20), (7, 2), (9999, 20)])
def test_the_viewers_draws_are_the_numpy_twins(node, seed, latent):
    found = np.array(node.call(PRIOR_JS, "priorCodes", seed, latent), dtype=np.float32)
    assert np.allclose(found, prior_codes(seed, latent, 12), atol=1e-6)
    assert not np.allclose(found, prior_codes(seed + 1, latent, 12), atol=1e-3)  # a new seed, new draws


@pytest.mark.parametrize("name, seed", [("z20-beta1", 3), ("z2-beta0", 0), ("z20-beta8", 42)])
def test_the_viewers_rows_decode_as_numpy_within_one_grey_level(node, name, seed):
    loaded = FAMILY.models[name]
    latent = loaded.variant.latent_size
    expected = loaded.model.decode(prior_codes(seed, latent, 12)).reshape(12, 784)
    path = f"weights/vae-{name}.safetensors"
    found = np.array(node.call("tests/js/shipped.js", "shippedPriorRow", path, seed, latent))
    assert found.shape == (12, 784) and np.abs(found - expected).max() <= 1 / 255


def test_each_model_sends_its_measured_share():
    sent = inside_data(FAMILY)["models"]
    for name, loaded in FAMILY.models.items():
        stored = loaded.record["info"]["lesson"]["prior_samples"]
        assert sent[name]["prior"] == {"readable_share": stored["readable_share"], "count": stored["count"]}


def rows(page) -> list[str]:
    page.locator(".le-prior summary").click()
    page.wait_for_function(DRAWN, timeout=60_000)
    return page.wait_for_function(ROWS).json_value()["rows"].split(",")


@pytest.mark.browser
@pytest.mark.slow
def test_both_hosts_draw_one_row_or_one_per_beta(browser, server):
    require_chromium()
    with static_site() as site:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        goto_static(page, f"{site}/?model=z20-beta1&map=pca&a=3&b=7")
        assert rows(page) == ["z20-beta1"]
        page.locator(".le-prior-seed input").fill("42")
        page.locator(".le-prior-seed input").press("Enter")
        page.wait_for_function("() => document.querySelector('.le-prior-rows').dataset.seed === '42'")
        page.close()
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    goto_app(page, f"{server.url}/?model=z20-beta1&map=pca&a=3&b=7&compare=1")
    expected = [m.name for m in sorted(FAMILY.members(20), key=lambda m: m.variant.beta)]
    assert len(expected) > 1 and rows(page) == expected
    page.close()
