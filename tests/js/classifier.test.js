// viewer/core/classifier.js against vae/inference.py NumpyClassifier.probabilities, on fixtures exported from numpy
// (tests/js/make_fixtures.py): encoder.json's test digits, drawing and photo, and the frames of a linear path that
// viewer/core/decoder.js decodes here, as the browser does. The shipped weights/classifier.safetensors is read
// from its file. The timing test prints, never asserts.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { CLASSES, classify, logits, makeClassifier, read } from "../../viewer/core/classifier.js";
import { decode, makeDecoder, PIXELS } from "../../viewer/core/decoder.js";
import { pathCodes } from "../../viewer/core/paths.js";
import { assertClose, bytes, f32, fixture, largestDifference } from "./fixtures.js";
import { safetensorsBlob } from "./safetensors.js";

const FIXTURE = fixture("classifier.json");
// Probabilities within 1e-5 of numpy's: numpy sums in float32, the browser in float64 from the same weights, and
// the path's frames come from the browser's own decoder (within 2e-6 of numpy's pixels, tests/js/decoder.test.js).
const TOLERANCE = 1e-5;
// A confident digit's probabilities saturate, so the logits are held too: a tap of the wrong row moved a logit
// by far more than this while the probabilities moved by 1e-4. Logits reach about 30, where a float32 step is 2e-6.
const LOGIT_TOLERANCE = 1e-4;
const DECODER = ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]; // explorer/assets.py decoder_blob

const IMAGES = (() => {
  const grey = bytes(fixture("encoder.json").images);
  return Array.from({ length: grey.length / PIXELS }, (_, i) =>
    Float32Array.from(grey.subarray(i * PIXELS, (i + 1) * PIXELS), (v) => v / 255),
  );
})();

const BLOB = safetensorsBlob(FIXTURE.file, FIXTURE.tensors, FIXTURE.header);

function pathDecoder() {
  const path = FIXTURE.path;
  return makeDecoder(safetensorsBlob(path.file, DECODER).buffer, path.latent, path.hidden);
}

/** The path's frames as the browser decodes them. */
function pathFrames() {
  const path = FIXTURE.path;
  const decoder = pathDecoder();
  const codes = f32(path.codes);
  return Array.from({ length: codes.length / path.latent }, (_, i) =>
    decode(decoder, codes.subarray(i * path.latent, (i + 1) * path.latent), new Float64Array(PIXELS)),
  );
}

/** @param {ArrayLike<number>} values */
function argmax(values) {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

describe("classify matches NumpyClassifier.probabilities", () => {
  test("the blob assembled from the file is the bytes explorer/assets.py classifier_blob serves", () => {
    const hash = createHash("sha256").update(new Uint8Array(BLOB.buffer)).digest("hex");
    assert.equal(hash, FIXTURE.blob_sha256);
  });

  test("test digits, a drawing and a photo: within 1e-5, the same digit", (t) => {
    const classifier = makeClassifier(BLOB.buffer);
    assert.equal(IMAGES.length, FIXTURE.probabilities.length);
    let worst = 0;
    IMAGES.forEach((image, i) => {
      const found = classify(classifier, image);
      const expected = FIXTURE.probabilities[i];
      worst = Math.max(worst, largestDifference(found, expected));
      assertClose(found, expected, TOLERANCE, `image ${i}`);
      assertClose(logits(classifier, image), FIXTURE.logits[i], LOGIT_TOLERANCE, `image ${i}: logits`);
      assert.equal(argmax(found), argmax(expected), `image ${i}: digit`);
    });
    t.diagnostic(`largest difference from numpy: ${worst.toExponential(1)}`);
  });

  test("logits: numpy's, and the probabilities are their softmax", () => {
    const classifier = makeClassifier(BLOB.buffer);
    const values = logits(classifier, IMAGES[2]);
    assert.ok(values instanceof Float32Array && values.length === CLASSES);
    const exp = Array.from(values, (v) => Math.exp(v - Math.max(...values)));
    const total = exp.reduce((a, b) => a + b, 0);
    assertClose(
      classify(classifier, IMAGES[2]),
      exp.map((v) => v / total),
      1e-15,
      "softmax",
    );
  });

  test("a path's frames decoded in the browser: within 1e-5, and read as numpy reads them", (t) => {
    const classifier = makeClassifier(BLOB.buffer);
    const frames = pathFrames();
    const { digits, confidence } = read(classifier, frames);
    assert.deepEqual(digits, FIXTURE.path.digits);
    assert.ok(new Set(digits).size > 1, "the path changes digit");
    let worst = 0;
    frames.forEach((frame, i) => {
      const found = classify(classifier, frame);
      const expected = FIXTURE.path.probabilities[i];
      worst = Math.max(worst, largestDifference(found, expected));
      assertClose(found, expected, TOLERANCE, `frame ${i}`);
      assertClose(logits(classifier, frame), FIXTURE.path.logits[i], LOGIT_TOLERANCE, `frame ${i}: logits`);
      assert.equal(confidence[i], found[digits[i]], `frame ${i}: confidence is the top probability`);
    });
    t.diagnostic(`largest difference from numpy: ${worst.toExponential(1)}`);
  });
});

describe("classifier plumbing", () => {
  test("probabilities sum to one; classifying again gives the same numbers (scratch is reset)", () => {
    const classifier = makeClassifier(BLOB.buffer);
    const first = classify(classifier, IMAGES[0]);
    assert.equal(first.length, CLASSES);
    assert.ok(Math.abs(first.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    classify(classifier, IMAGES[3]);
    assert.deepEqual(classify(classifier, IMAGES[0]), first);
  });

  test("pixels are rounded to float32; a plain array works as well", () => {
    const classifier = makeClassifier(BLOB.buffer);
    const wide = Float64Array.from(IMAGES[6], (v, p) => v + (p % 3) * 1e-12);
    assert.deepEqual(classify(classifier, wide), classify(classifier, IMAGES[6]));
    assert.deepEqual(classify(classifier, Array.from(IMAGES[6])), classify(classifier, IMAGES[6]));
  });

  test("read of no frames is empty; a tie goes to the first digit, as numpy's argmax", () => {
    const classifier = makeClassifier(BLOB.buffer);
    assert.deepEqual(read(classifier, []), { digits: [], confidence: [] });
    // Every weight zero: every logit is 0, every digit 1/10, and argmax is digit 0.
    const zero = new Float32Array(BLOB.length);
    zero.set(FIXTURE.header);
    const { digits, confidence } = read(makeClassifier(zero.buffer), [IMAGES[0]]);
    assert.deepEqual(digits, [0]);
    assert.ok(Math.abs(confidence[0] - 0.1) < 1e-15);
  });

  test("a blob of the wrong size or with a bad header is refused; so is an image of the wrong size", () => {
    const longer = new Float32Array(BLOB.length + 1);
    longer.set(BLOB);
    assert.throws(() => makeClassifier(longer.buffer), /holds \d+ floats, expected \d+/);
    const wrongShape = BLOB.slice();
    wrongShape[2] = FIXTURE.header[2] + 1;
    assert.throws(() => makeClassifier(wrongShape.buffer), /expected/);
    const badHeader = BLOB.slice();
    badHeader[0] = 1.5;
    assert.throws(() => makeClassifier(badHeader.buffer), /header/);
    assert.throws(() => makeClassifier(new ArrayBuffer(0)), /header/);
    assert.throws(() => classify(makeClassifier(BLOB.buffer), new Float32Array(PIXELS + 1)), /784 pixels/);
  });
});

test("time: the strip's reading of 32 frames in node (printed, never asserted)", (t) => {
  const path = FIXTURE.path;
  const codes = f32(path.codes);
  const a = codes.subarray(0, path.latent);
  const b = codes.subarray(codes.length - path.latent);
  const decoder = pathDecoder();
  const frames = pathCodes(a, b, 32, "spherical").map((code) => decode(decoder, code, new Float64Array(PIXELS)));
  const classifier = makeClassifier(BLOB.buffer);
  read(classifier, frames); // warm up: the first calls run before the JIT compiles the loops
  const times = [];
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    read(classifier, frames);
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  const median = times[3];
  t.diagnostic(`32 frames: median ${median.toFixed(1)} ms, ${(median / 32).toFixed(2)} ms per frame`);
});
