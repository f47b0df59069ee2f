// viewer/explore/multirate.js sliderReading, the β slider's strip read in the page: nothing is read while the
// strip keeps changing (a drag), the last path shown is read once it has rested READ_AFTER_MS, by
// core/classifier.js read (4 frames a task, the same digits and probabilities as one read of them all, and each
// frame's ten probabilities as classify gives them, for the analytics panel: sliderReadingOf), and
// remembered per (β, path); `remember` keeps the newest readings. A fake widget state stands in for the page;
// the classifier is the shipped one (tests/js/classifier.test.js holds it to numpy), fetched from a data: URL.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { classify, makeClassifier, read } from "../../viewer/core/classifier.js";
import { decode, makeDecoder, PIXELS } from "../../viewer/core/decoder.js";
import { READ_AFTER_MS, remember, sliderReading, sliderReadingOf } from "../../viewer/explore/multirate.js";
import { f32, fixture } from "./fixtures.js";
import { safetensorsBlob } from "./safetensors.js";

globalThis.window ??= /** @type {any} */ (globalThis); // the module's timers are window's in the page

const FIXTURE = fixture("classifier.json");
const BLOB = safetensorsBlob(FIXTURE.file, FIXTURE.tensors, FIXTURE.header);
const URL_ = `data:application/octet-stream;base64,${Buffer.from(BLOB.buffer).toString("base64")}`;

/** The classifier fixture's path, decoded: 10 frames of a real strip. */
function frames() {
  const path = FIXTURE.path;
  const decoder = makeDecoder(
    safetensorsBlob(path.file, ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]).buffer,
    path.latent,
    path.hidden,
  );
  const codes = f32(path.codes);
  return Array.from({ length: codes.length / path.latent }, (_, i) =>
    decode(decoder, codes.subarray(i * path.latent, (i + 1) * path.latent), new Float64Array(PIXELS)),
  );
}

/** A widget's state as sliderReading reads it, at β `beta`, showing `path`. */
function fakeState(beta, path) {
  return /** @type {any} */ ({
    view: { shown: { mr: beta }, path },
    stage: { gone: false },
    dom: { root: { dataset: {} } },
    host: { data: { classifier: URL_ } },
  });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the β slider's strip is read once it rests", () => {
  test("remember keeps the newest, dropping the oldest", () => {
    const cache = new Map();
    for (const key of ["a", "b", "c", "a", "d"]) remember(cache, key, key.toUpperCase(), 3);
    assert.deepEqual([...cache.keys()], ["c", "a", "d"]);
  });

  test("a changing strip is not read; the last path is, once, as read() reads it", async () => {
    const decoded = frames();
    const path = (key) => ({ key, method: "linear", pending: false, codes: [], frames: decoded });
    const entry = /** @type {any} */ ({ beta: 0.5 });
    const state = fakeState(0.5, path("z20-mr@0.5|linear|10|t3|t7"));
    let redraws = 0;
    // A drag: a new path every few ms, each asked for its reading, none read.
    for (let step = 0; step < 5; step++) {
      state.view.path = path(`z20-mr@0.5|linear|10|t3|x${step}`);
      assert.equal(
        sliderReading(state, entry, state.view.path, () => redraws++),
        null,
      );
      await wait(READ_AFTER_MS / 10);
    }
    assert.equal(redraws, 0);
    const last = state.view.path;
    for (let tries = 0; tries < 100 && !redraws; tries++) await wait(20);
    assert.equal(redraws, 1);
    assert.equal(state.dom.root.dataset.mrReads, "1");
    const found = sliderReading(state, entry, last, () => redraws++);
    const classifier = makeClassifier(BLOB.buffer.slice(0));
    const whole = read(classifier, decoded);
    const probabilities = decoded.map((frame) => Array.from(classify(classifier, frame)));
    assert.deepEqual(found, { key: last.key, ...whole, probabilities });
    assert.equal(sliderReadingOf(state, last), found); // what the analytics panel draws its classifier row from
    assert.equal(sliderReadingOf(fakeState(0.6, last), last), null); // another β: not read
    await wait(READ_AFTER_MS * 2);
    assert.equal(redraws, 1); // remembered: not read again
    // Another β on the same path's name is another reading, not the remembered one.
    assert.equal(
      sliderReading(state, /** @type {any} */ ({ beta: 0.6 }), last, () => redraws++),
      null,
    );
  });
});
