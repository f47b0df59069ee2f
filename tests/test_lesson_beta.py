"""The lesson's row that follows β (viewer/lesson/beta.js, explorer/lesson_assets.py beta_row, the figures of
training/lesson_beta.py in weights/lesson-beta.json).

    python -m pytest tests/test_lesson_beta.py -x -q

* the shipped figures are measured: recomputed here at a few grid β (1,000 draws each), they are the file's;
* the row's data quotes them (label per grid β), with marks at the separately trained models' β;
* the browser's Multi-Rate decode of the draws (core/multirate.js setBeta + compute.js sampleRow, in node) is
  numpy's within 1/255, with the same digit read under every picture, at several β;
* in the page (Streamlit host): dragging the slider changes the row's pictures and its label to the figure
  measured at the β it lands on. The static host: tests/test_static_site.py.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from conftest import ROOT
from explorer.assets import classifier_blob
from explorer.lesson_assets import BETA_FILE, SAMPLE_COUNT, beta_row
from explorer.lesson_draws import sample_row
from explorer.multirate_assets import multirate_blob
from harness.node import require_node
from training.lesson_beta import beta_grid, measure
from vae.family import shared_family, weights_folder
from vae.multirate import load_multirate
from vae.sampling import READABLE

FAMILY = shared_family(weights_folder())
WEIGHTS = ROOT / "weights"
MODEL, _ = load_multirate(WEIGHTS / "mrvae-z20.safetensors")
SHIPPED = json.loads((WEIGHTS / BETA_FILE).read_text())
PIXEL = 1 / 255
BETAS = [0.01, 0.1, 1.0, 4.0, 10.0]
SEEDS = [0, 5]

RUN = """
import { readFileSync } from "node:fs";
const job = JSON.parse(readFileSync(0, "utf8"));
const at = (path) => new URL(path, job.root).href;
const { makeMultiRate, setBeta } = await import(at("viewer/core/multirate.js"));
const { sampleRow } = await import(at("viewer/lesson/compute.js"));
const { nearestIndex } = await import(at("viewer/lesson/beta.js"));
const { makeClassifier } = await import(at("viewer/core/classifier.js"));
const bytes = (path) => Uint8Array.from(readFileSync(path)).buffer;
const classifier = makeClassifier(bytes(job.classifier));
const model = makeMultiRate(bytes(job.weights), job.latent, job.hidden);
const rows = [];
for (const beta of job.betas) {
  setBeta(model, beta);
  for (const seed of job.seeds) {
    const row = sampleRow(model.decoder, classifier, seed, job.count, job.readable);
    rows.push({ beta, seed, pixels: Array.from(row.pixels), reads: row.reads, p: row.p });
  }
}
const snapped = job.probes.map((x) => nearestIndex(job.grid, x));
process.stdout.write(JSON.stringify({ rows, snapped }));
"""


def test_the_shipped_curve_is_measured_from_the_shipped_models():
    curve = SHIPPED["models"]["z20-mr"]
    assert curve["betas"] == beta_grid(*MODEL.beta_range)
    assert SHIPPED["count"] == 1000 and SHIPPED["threshold"] == READABLE
    picked = [0, len(curve["betas"]) // 2, len(curve["betas"]) - 1]
    again = measure(MODEL, FAMILY.classifier, [curve["betas"][i] for i in picked], 1000, SHIPPED["seed"], READABLE)
    for k, i in enumerate(picked):
        assert again["readable_share"][k] == pytest.approx(curve["readable_share"][i], abs=0.002)
        assert again["digits_covered"][k] == curve["digits_covered"][i]


def test_the_row_quotes_the_measured_figures():
    row = beta_row(FAMILY)
    assert row is not None and row["latent"] == 20
    curve = SHIPPED["models"]["z20-mr"]
    assert row["betas"] == curve["betas"] and row["readable"] == curve["readable_share"]
    for beta, readable, covered, label in zip(
        row["betas"], row["readable"], row["covered"], row["labels"], strict=True
    ):
        figures = f"{readable:.1%} readable, {covered} digit kind{'' if covered == 1 else 's'}"
        assert label == f"at β = {beta:.2g}: {figures}"
    assert row["heading"] == f"Another network, trained for every β (z = {row['latent']})"
    separate = {m.variant.beta for m in FAMILY.models.values() if m.variant.latent_size == 20 and m.variant.beta > 0}
    assert set(row["marks"]) == separate  # every separately trained z = 20 VAE is a mark on the grid
    assert row["start"] in row["betas"]
    for point in row["separate"]:  # the curve's dots: each separately trained model's own measured share
        stored = FAMILY.get(20, point["beta"]).record["info"]["lesson"]["prior_samples"]["readable_share"]
        assert point["readable"] == round(stored, 4)


@pytest.fixture(scope="module")
def node_rows(tmp_path_factory):
    node = require_node()
    folder = tmp_path_factory.mktemp("lesson-beta")
    (folder / "classifier.f32").write_bytes(classifier_blob(FAMILY.classifier))
    (folder / "mr.f32").write_bytes(multirate_blob(MODEL))
    grid = SHIPPED["models"]["z20-mr"]["betas"]
    job = {
        "root": ROOT.as_uri() + "/",
        "classifier": str(folder / "classifier.f32"),
        "weights": str(folder / "mr.f32"),
        "latent": MODEL.latent_size,
        "hidden": MODEL.config.hidden_size,
        "betas": BETAS,
        "seeds": SEEDS,
        "count": SAMPLE_COUNT,
        "readable": READABLE,
        "grid": grid,
        "probes": [float(np.log10(b)) + d for b in (0.01, 0.5, 1, 8, 10) for d in (-0.02, 0.0, 0.02)],
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", RUN], input=json.dumps(job), capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout), job


def test_the_browsers_multirate_rows_are_numpys(node_rows):
    out, _ = node_rows
    assert len(out["rows"]) == len(BETAS) * len(SEEDS)
    reads_by_beta = {}
    for js in out["rows"]:
        numpy = sample_row(MODEL, FAMILY.classifier, js["seed"], SAMPLE_COUNT, READABLE, beta=js["beta"])
        pixels = np.asarray(js["pixels"]).reshape(SAMPLE_COUNT, 28, 28)
        assert np.abs(pixels - numpy["pixels"]).max() < PIXEL, js["beta"]
        for js_read, js_p, read, p in zip(js["reads"], js["p"], numpy["reads"], numpy["p"], strict=True):
            if abs(p - READABLE) > 1e-4:  # a reading within 1e-4 of the threshold may fall either side
                assert js_read == read and js_p == pytest.approx(p, abs=1e-4)
        reads_by_beta.setdefault(js["seed"], set()).add(tuple(js["reads"]))
    assert all(len(seen) > 1 for seen in reads_by_beta.values())  # β changes what the same draws read as


def test_the_slider_snaps_to_the_nearest_grid_beta(node_rows):
    out, job = node_rows
    grid = np.log10(job["grid"])
    expected = [int(np.argmin(np.abs(grid - x))) for x in job["probes"]]
    assert out["snapped"] == expected
    assert job["grid"][out["snapped"][4]] == 0.5 and job["grid"][out["snapped"][-2]] == 10.0


# --- in the page ---------------------------------------------------------------------------------------------------

BETA_ROW = """() => {
  const box = document.querySelector('.lp-beta-row'), strip = box?.querySelector('.lp-strip');
  if (!box || !strip?.dataset.reads) return null;
  return { beta: Number(box.dataset.beta), readable: Number(box.dataset.readable), key: strip.dataset.key,
    reads: strip.dataset.reads.split(',').map(Number), label: box.querySelector('.lp-beta-text').textContent };
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width, height, touch", [(1500, 1000, False), (400, 850, True)])
def test_dragging_the_slider_changes_the_row_to_the_measured_figure(browser, server, width, height, touch):
    from harness.browser import OPEN_TIMEOUT_S, wait_for_status

    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch)
    page = context.new_page()
    page.goto(f"{server.url}/?page=lesson", timeout=1000 * OPEN_TIMEOUT_S)
    wait_for_status(page, "lesson", timeout=OPEN_TIMEOUT_S)
    first = page.wait_for_function(BETA_ROW, timeout=60_000).json_value()
    row = beta_row(FAMILY)
    assert first["beta"] == row["start"]
    slider = page.locator(".lp-beta-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    # A drag to the slider's right end: β = 10 (the largest β, where the MR-VAE's draws read least).
    if touch:  # a finger's tap near the right end: the thumb jumps there
        page.touchscreen.tap(box["x"] + box["width"] - 2, y)
    else:
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 1, y, steps=8)
        page.mouse.up()
    moved = page.wait_for_function(
        f"() => {{ const r = ({BETA_ROW})(); return r && r.key !== {json.dumps(first['key'])} ? r : null; }}",
        timeout=30_000,
    ).json_value()
    i = row["betas"].index(moved["beta"])
    assert moved["beta"] >= 8.0
    assert moved["readable"] == row["readable"][i] == SHIPPED["models"]["z20-mr"]["readable_share"][i]
    assert moved["label"] == row["labels"][i] and f"{row['readable'][i]:.1%}" in moved["label"]
    expected = sample_row(
        MODEL, FAMILY.classifier, int(moved["key"].split(":")[1]), SAMPLE_COUNT, READABLE, moved["beta"]
    )
    assert moved["reads"] == expected["reads"]
    context.close()
