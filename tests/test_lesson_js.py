"""The lesson's browser maths (viewer/core/draws.js and compute.js, run in node) against their numpy twins
(explorer/lesson_draws.py, explorer/planes.py probe_report) on the shipped models.

    python -m pytest tests/test_lesson_js.py -q

* the seeded draws of N(0, I) are numpy's to float32 rounding, for several seeds and every stream;
* the sample rows: every decoded pixel within 1/255 of numpy's, the same digit read under every picture;
* the probe: the picture within 1/255, the same reading, the nearest test code's distance to 1e-6 (inside a
  plane's box and outside it);
* "decode one draw": the same point;
* q(z|x) sampled (z = mu + sigma * eps): the same pictures within 1/255 and the same mean change.
Needs node: skipped without it here, an error under CI (which installs it).
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from conftest import ROOT
from explorer.assets import classifier_blob, decoder_blob, encoder_blob
from explorer.lesson_assets import LESSON_MODELS, POSTERIOR_SAMPLES, SAMPLE_COUNT, row_models
from explorer.lesson_draws import STREAMS, draw_point, normals, posterior_row, sample_row
from explorer.planes import probe_report
from harness.node import require_node
from vae.family import shared_family, weights_folder
from vae.sampling import READABLE, plane_box, typical_spacing

FAMILY = shared_family(weights_folder())
PIXEL = 1 / 255  # the brief's bound: the browser's pictures within one grey level of numpy's
SEEDS = [0, 1, 7, 9_999]
ROW_MODELS = ["z20-beta0", "z20-beta1", *LESSON_MODELS]

RUN = """
import { readFileSync } from "node:fs";
const job = JSON.parse(readFileSync(0, "utf8"));
const at = (path) => new URL(path, job.root).href;
const { normals } = await import(at("viewer/core/draws.js"));
const compute = await import(at("viewer/lesson/compute.js"));
const { makeDecoder } = await import(at("viewer/core/decoder.js"));
const { makeEncoder } = await import(at("viewer/core/encoder.js"));
const { makeClassifier } = await import(at("viewer/core/classifier.js"));
const bytes = (path) => Uint8Array.from(readFileSync(path)).buffer;
const classifier = makeClassifier(bytes(job.classifier));
const out = { normals: {}, rows: {}, probes: {}, draws: [], posterior: {} };
for (const [seed, stream, count] of job.normals) {
  out.normals[`${seed}:${stream}`] = Array.from(normals(seed, stream, count));
}
for (const [name, m] of Object.entries(job.models)) {
  const decoder = makeDecoder(bytes(m.decoder), m.latent, m.hidden);
  out.rows[name] = job.seeds.map((seed) => {
    const row = compute.sampleRow(decoder, classifier, seed, job.count, job.readable);
    return { pixels: Array.from(row.pixels), reads: row.reads, p: row.p };
  });
  if (m.codes) {
    const plane = { decoder, classifier, codes: new Float32Array(bytes(m.codes)), box: m.box, spacing: m.spacing };
    out.probes[name] = job.points.map(([x, y]) => {
      const r = compute.probe(plane, x, y, job.readable);
      return { pixels: Array.from(r.pixels), reading: r.reading, distance: r.distance, gaps: r.gaps, inside: r.inside };
    });
  }
  if (m.encoder) {
    const encoder = makeEncoder(bytes(m.encoder), m.latent, m.hidden);
    out.posterior[name] = job.digits.map((index) => {
      const image = new Float32Array(bytes(job.images)).subarray(784 * index, 784 * (index + 1));
      const r = compute.posteriorRow(encoder, decoder, image, job.eps, job.samples);
      return { pixels: Array.from(r.pixels), change: r.change, sigma: Array.from(r.sigma) };
    });
  }
}
for (let n = 1; n <= 20; n++) out.draws.push(compute.drawPoint(n));
process.stdout.write(JSON.stringify(out));
"""

POINTS = [(0.1, -0.2), (1.5, 2.5), (20.0, -40.0), (-3.0, 3.0), (60.0, -60.0)]
DIGITS = [0, 792, 4321]
EPS_SEED = 3


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    node = require_node()
    folder = tmp_path_factory.mktemp("lesson-js")
    (folder / "classifier.f32").write_bytes(classifier_blob(FAMILY.classifier))
    (folder / "images.f32").write_bytes((FAMILY.images.astype(np.float32) / 255).tobytes())
    models = {}
    for name in sorted(set(ROW_MODELS) | set(row_models(FAMILY))):
        loaded = FAMILY.models[name]
        entry = {
            "decoder": str(folder / f"{name}.dec"),
            "latent": loaded.model.config.latent_size,
            "hidden": loaded.model.config.hidden_size,
        }
        (folder / f"{name}.dec").write_bytes(decoder_blob(loaded.model))
        (folder / f"{name}.enc").write_bytes(encoder_blob(loaded.model))
        entry["encoder"] = str(folder / f"{name}.enc")
        if name in LESSON_MODELS:
            mu = np.asarray(loaded.atlas.mu, dtype=np.float32)
            (folder / f"{name}.mu").write_bytes(mu.tobytes())
            entry.update(codes=str(folder / f"{name}.mu"), box=list(plane_box(mu)), spacing=typical_spacing(mu))
        models[name] = entry
    job = {
        "root": ROOT.as_uri() + "/",
        "classifier": str(folder / "classifier.f32"),
        "images": str(folder / "images.f32"),
        "models": models,
        "seeds": SEEDS,
        "count": SAMPLE_COUNT,
        "readable": READABLE,
        "points": POINTS,
        "digits": DIGITS,
        "eps": EPS_SEED,
        "samples": POSTERIOR_SAMPLES,
        "normals": [[seed, stream, 41] for seed in SEEDS for stream in STREAMS.values()],
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", RUN], input=json.dumps(job), capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout), models


def same_reading(js_digit: int, js_p: float, digit: int, p: float) -> None:
    if abs(p - READABLE) > 1e-4:  # a reading within 1e-4 of the threshold may fall either side
        assert js_digit == digit, (js_digit, digit, p)
        assert js_p == pytest.approx(p, abs=1e-4)


def test_the_draws_are_numpys(browser):
    out, _ = browser
    for seed in SEEDS:
        for stream in STREAMS.values():
            assert np.allclose(out["normals"][f"{seed}:{stream}"], normals(seed, stream, 41), atol=1e-6)
    everything = normals(0, STREAMS["rows20"], 200_000)
    assert abs(everything.mean()) < 0.01 and abs(everything.std() - 1) < 0.01  # N(0, 1)


@pytest.mark.parametrize("name", ROW_MODELS)
def test_the_sample_rows_are_numpys(browser, name):
    out, _ = browser
    loaded = FAMILY.models[name]
    for seed, js in zip(SEEDS, out["rows"][name], strict=True):
        numpy = sample_row(loaded.model, FAMILY.classifier, seed, SAMPLE_COUNT, READABLE)
        pixels = np.asarray(js["pixels"]).reshape(SAMPLE_COUNT, 28, 28)
        assert np.abs(pixels - numpy["pixels"]).max() < PIXEL
        for js_read, js_p, read, p in zip(js["reads"], js["p"], numpy["reads"], numpy["p"], strict=True):
            if abs(p - READABLE) > 1e-4:
                assert js_read == read and js_p == pytest.approx(p, abs=1e-4)


@pytest.mark.parametrize("name", LESSON_MODELS)
def test_the_probe_is_numpys(browser, name):
    out, models = browser
    loaded = FAMILY.models[name]
    for point, js in zip(POINTS, out["probes"][name], strict=True):
        report = probe_report(FAMILY, loaded, point, models[name]["spacing"])
        assert js["inside"] == report["inside"]
        assert np.abs(np.asarray(js["pixels"]).reshape(28, 28) - report["image"]).max() < PIXEL
        same_reading(js["reading"]["digit"], js["reading"]["p"], report["digit"], report["p"])
        assert js["distance"] == pytest.approx(report["distance"], rel=1e-6, abs=1e-6)
        assert js["gaps"] == pytest.approx(report["gaps"], rel=1e-6)


def test_a_draw_is_numpys(browser):
    out, _ = browser
    assert [tuple(point) for point in out["draws"]] == [draw_point(n) for n in range(1, 21)]


@pytest.mark.parametrize("name", row_models(FAMILY))
def test_the_reparameterization_is_numpys(browser, name):
    out, _ = browser
    loaded = FAMILY.models[name]
    for index, js in zip(DIGITS, out["posterior"][name], strict=True):
        numpy = posterior_row(loaded.model, FAMILY.images[index].astype(np.float32) / 255, EPS_SEED, POSTERIOR_SAMPLES)
        pixels = np.asarray(js["pixels"]).reshape(-1, 28, 28)
        assert np.abs(pixels - numpy["pixels"]).max() < PIXEL
        assert js["change"] == pytest.approx(numpy["change"], abs=1e-3)
        assert np.allclose(js["sigma"], numpy["sigma"], rtol=1e-4, atol=1e-7)


def test_the_probes_distance_words_are_pythons():
    """The inset's "nearest test code: 64× the usual spacing away" and the captions' words are one rule in two
    languages (viewer/lesson/probe.js spacingWords, explorer/planes.py spacing_words)."""
    from explorer.planes import spacing_words
    from harness.node import Bridge

    values = [0.0, 0.3, 0.999, 1.0, 1.49, 1.5, 2.5, 63.6, 103.2, 2267.4]
    bridge = Bridge()
    try:
        found = bridge.batch("viewer/lesson/probe.js", "spacingWords", [[v] for v in values])
    finally:
        bridge.close()
    assert found == [spacing_words(v) for v in values]
