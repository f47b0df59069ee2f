// One digit, encoded: z = μ + σ·ε. Per model a row: the test digit, decoded μ, then decoded samples of
// q(z|x) (compute.js posteriorRow: the encoder, the seeded ε of core/draws.js, the decoder, all in the browser).
// The digit is a test digit picked here (the host's suggestion first: the map's endpoint A); "New ε" asks the
// host for a new seed, which the link keeps. Under a row, a plain comment where decoded μ reads as another digit.

import { DIGIT_ARTICLES } from "../core/constants.js";
import { PIXELS, SIDE, toGrey } from "../core/decoder.js";
import { element } from "../core/dom.js";
import { blob, image } from "../core/fetch.js";
import { median, posteriorRow, readOf } from "./compute.js";
import { classifierFrom, decoderFrom, encoderFrom } from "./models.js";

const TILE_PX = 42;
const GAP_PX = 8; // between the digit and its decoded pictures

/** @typedef {import("./types.js").LessonData} LessonData */

/**
 * @typedef {object} PosteriorNodes
 * @property {HTMLElement} box
 * @property {HTMLDivElement} heading
 * @property {HTMLDivElement} intro
 * @property {HTMLInputElement} digit
 * @property {HTMLSpanElement} digitText
 * @property {HTMLButtonElement} newEps
 * @property {HTMLDivElement} rows
 * @property {HTMLDivElement} caption
 * @property {string} key       what the rows show: "" until computed
 * @property {number} chosen    the digit picked here (-1: the host's)
 */

/**
 * The section's elements under `root`; `changed` redraws, `newEps` reports a press of "New ε".
 * @param {HTMLElement} root @param {() => void} changed @param {() => void} newEps @returns {PosteriorNodes}
 */
export function buildPosterior(root, changed, newEps) {
  const box = element(root, "section", "lp-posterior");
  const heading = element(box, "div", "lp-section-head");
  const intro = element(box, "div", "lp-note");
  const bar = element(box, "div", "lp-bar");
  const label = element(bar, "label", "lp-check");
  const digitText = element(label, "span");
  const digit = element(label, "input", "lp-digit");
  digit.type = "number";
  digit.min = "0";
  digit.step = "1";
  const button = element(bar, "button", "lp-button lp-new-eps");
  button.type = "button";
  const nodes = {
    box,
    heading,
    intro,
    digit,
    digitText,
    newEps: button,
    rows: element(box, "div", "lp-posterior-rows"),
    caption: element(box, "div", "lp-note"),
    key: "",
    chosen: -1,
  };
  digit.addEventListener("change", () => {
    const value = Math.round(Number(digit.value));
    if (Number.isFinite(value) && value >= 0 && value <= Number(digit.max)) nodes.chosen = value;
    changed();
  });
  button.addEventListener("click", newEps);
  return nodes;
}

/**
 * The test digit `index` as 784 values in [0, 1] (its grey levels / 255, as explorer/state.py test_digit),
 * read from the digits' sprite once it has loaded; null before.
 * @param {{sprite: string, columns: number}} digits @param {number} index @returns {Float32Array | null}
 */
function testDigit(digits, index) {
  const sprite = image(digits.sprite);
  if (!sprite.ready) return null;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIDE;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  const column = index % digits.columns;
  const row = Math.floor(index / digits.columns);
  context.drawImage(sprite.image, column * SIDE, row * SIDE, SIDE, SIDE, 0, 0, SIDE, SIDE);
  const rgba = context.getImageData(0, 0, SIDE, SIDE).data;
  const out = new Float32Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) out[p] = rgba[4 * p] / 255;
  return out;
}

/** σ as the table writes it (explorer/planes.py small). @param {number} value */
export function small(value) {
  const v = Math.abs(value);
  if (v >= 0.01) return v.toFixed(2);
  if (v >= 0.001) return `≈ ${v.toFixed(3)}`;
  return "< 0.001";
}

/**
 * Draws the digit and `pictures` (count x 784) side by side on a new canvas.
 * @param {Float32Array} digit @param {Float32Array} pictures @param {number} count
 */
function stripCanvas(digit, pictures, count) {
  const canvas = document.createElement("canvas");
  const width = TILE_PX * (count + 1) + GAP_PX;
  canvas.width = width;
  canvas.height = TILE_PX;
  canvas.className = "lp-posterior-strip";
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  context.imageSmoothingEnabled = false;
  const one = document.createElement("canvas");
  one.width = one.height = SIDE;
  const oneContext = /** @type {CanvasRenderingContext2D} */ (one.getContext("2d"));
  const pixels = new ImageData(SIDE, SIDE);
  for (let i = 0; i <= count; i++) {
    toGrey(i === 0 ? digit : pictures.subarray((i - 1) * PIXELS, i * PIXELS), pixels.data);
    oneContext.putImageData(pixels, 0, 0);
    context.drawImage(one, 0, 0, SIDE, SIDE, i * TILE_PX + (i ? GAP_PX : 0), 0, TILE_PX - 2, TILE_PX - 2);
  }
  return canvas;
}

/**
 * Shows the rows for the digit picked (or the host's) and the host's ε seed, computed once everything they
 * need has arrived (`later` is called when something arrives).
 * @param {PosteriorNodes} nodes @param {LessonData} data @param {() => void} later
 */
export function showPosterior(nodes, data, later) {
  const section = data.posterior;
  const text = section.text;
  nodes.heading.textContent = text.heading;
  nodes.intro.textContent = text.intro;
  nodes.digitText.textContent = text.digit;
  nodes.newEps.textContent = text.new_eps;
  nodes.newEps.title = text.new_eps_help;
  nodes.caption.textContent = text.caption;
  nodes.digit.max = String(section.digits.count - 1);
  const index = nodes.chosen >= 0 ? nodes.chosen : (data.digit ?? 0);
  if (document.activeElement !== nodes.digit) nodes.digit.value = String(index);
  const key = `${index}:${data.seeds.eps}`;
  if (nodes.key === key) return;
  /** @type {Promise<unknown>[]} */
  const waits = [];
  const labels = blob(data.planes.labels);
  if (!labels.value) waits.push(labels.promise);
  const sprite = image(section.digits.sprite);
  if (!sprite.ready) waits.push(sprite.promise);
  const classifier = data.classifier ? classifierFrom(data.classifier, waits) : null;
  const models = section.models.map((model) => ({
    model,
    encoder: encoderFrom(model.encoder, waits),
    decoder: decoderFrom(model.decoder, waits),
  }));
  const digit = testDigit(section.digits, index);
  if (waits.length || !digit || !labels.value) {
    for (const wait of waits) wait.then(later, () => setTimeout(later, 2000));
    return;
  }
  const label = new Uint8Array(labels.value)[index];
  nodes.key = key;
  nodes.box.dataset.digit = String(index);
  nodes.box.dataset.eps = String(data.seeds.eps);
  nodes.rows.replaceChildren();
  for (const { model, encoder, decoder } of models) {
    if (!encoder || !decoder) continue;
    const row = posteriorRow(encoder, decoder, digit, data.seeds.eps, section.samples);
    const sigma = median(row.sigma);
    const flipped = Math.round(row.change ** 2);
    const box = element(nodes.rows, "div", "lp-posterior-row");
    box.dataset.model = model.name;
    box.dataset.change = row.change.toFixed(4);
    box.dataset.sigma = String(sigma);
    const words = element(box, "div", "lp-posterior-label");
    element(words, "b", "", model.title);
    element(words, "span", "", `: σ ${small(sigma)}${model.note ? ` (${model.note})` : ""}. `);
    element(
      words,
      "span",
      "",
      flipped === 0
        ? "Samples look like decoded μ."
        : `Samples differ from decoded μ by about ${flipped} flipped pixel${flipped === 1 ? "" : "s"}.`,
    );
    words.title =
      `Mean L2 distance between a decoded sample and decoded μ over the 784 pixels (0 to 1): ${row.change.toFixed(2)}; ` +
      "n pixels turned fully from black to white make a distance of √n (under one pixel's change: they look alike). " +
      "σ: this digit's, the median of the encoder's spreads, one per dimension of z.";
    box.appendChild(stripCanvas(digit, row.pixels, section.samples + 1)); // decoded μ, then every sample
    if (classifier) {
      const reading = readOf(classifier, row.pixels.subarray(0, PIXELS), data.readable);
      if (reading.digit !== label) {
        box.dataset.misread = String(reading.digit);
        const p = reading.p.toFixed(2);
        element(
          box,
          "div",
          "lp-misread",
          reading.readable
            ? `Decoded μ reads as ${DIGIT_ARTICLES[reading.digit]} ${reading.digit} (P = ${p}), not the ${label} it ` +
                "encodes: this model draws this digit back as another one."
            : `The classifier's best guess for decoded μ is ${DIGIT_ARTICLES[reading.digit]} ${reading.digit} ` +
                `(P = ${p}), not the ${label} it encodes: this model does not draw this digit back as ` +
                `${DIGIT_ARTICLES[label]} ${label}.`,
        );
      }
    }
  }
}
