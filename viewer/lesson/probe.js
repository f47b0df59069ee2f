// The probe's insets: what each z = 2 plane says about one point, computed here (compute.js `probe`) on the
// shipped models, and said in words that hold for every point: the picture the decoder draws there, what the
// classifier reads in it, and where the point lies relative to the test codes. A hole (a cell of the grid
// with no test code) is not a place where the decoder draws nothing: it draws a picture there as anywhere,
// often a crisp one, but no digit was encoded near it. Measured (training/presets.py hole_neighbours): near the
// codes a hole's picture mostly reads as its nearest code's digit, deep in a hole mostly not; the inset names the
// nearest code's digit so a reader sees which.

import { DIGIT_ARTICLES } from "../core/constants.js";
import { element } from "../core/dom.js";
import { blob } from "../core/fetch.js";
import { inHole } from "../core/holes.js";
import { probe } from "./compute.js";
import { coordinate } from "./geometry.js";
import { classifierFrom, codesFrom, decoderFrom } from "./models.js";

/** @typedef {import("./types.js").LessonData} LessonData */
/** @typedef {import("./types.js").LessonFrame} LessonFrame */

/**
 * One plane's inset: the decoded picture (784 means) and its lines.
 * @typedef {object} Inset
 * @property {string} title
 * @property {Float64Array} pixels
 * @property {string[]} lines        all but the nearest code's line, which says "ringed" only where the ring is drawn
 * @property {{distance: number, gaps: number, digit: number}} away  the nearest test code, for that line
 * @property {string} detail       the inset's tooltip: the figures behind the words
 * @property {"hole" | "codes" | "outside"} where
 * @property {number} digit        the digit read (-1 below the threshold or without a classifier)
 * @property {number} gaps
 * @property {[number, number]} nearest  the nearest test code (the plane draws a line to it from the probe's "+")
 */

/**
 * A distance in units of the usual spacing between neighbouring codes: "within the usual spacing",
 * "103× the usual spacing"; `whose` names whose spacing ("this plane's": each model has its own, and readers
 * compared two planes' figures as one scale) (explorer/planes.py spacing_words).
 * @param {number} gaps @param {string} [whose]
 */
export function spacingWords(gaps, whose = "the") {
  return gaps < 1 ? `within ${whose} usual spacing` : `${Math.round(gaps)}× ${whose} usual spacing`;
}

/**
 * A distance on a plane's own axes: "102", "3.2", "0.45", "< 0.01", halves rounded up (explorer/planes.py
 * axis_distance). @param {number} distance
 */
export function axisDistance(distance) {
  const value = Math.abs(distance);
  const digits = value >= 10 ? 0 : value >= 1 ? 1 : 2;
  const rounded = Math.floor(value * 10 ** digits + 0.5) / 10 ** digits;
  return rounded === 0 ? "< 0.01" : rounded.toFixed(digits);
}

/**
 * The nearest test code (the ringed one the line joins to the "+"): its digit, so a reader can tell a picture that
 * continues its neighbours from one that does not, and how far it is, in the plot's units (what the reader
 * compares with the picture), then in this plane's usual spacings (explorer/planes.py nearest_words).
 * `ringed`: whether the plane draws the ring (not while the "+" is off the view and only its arrow shows).
 * @param {number} distance @param {number} gaps @param {number} digit @param {boolean} [ringed]
 */
export function nearestWords(distance, gaps, digit, ringed = true) {
  const away = `${axisDistance(distance)} away on this plot's axes (${spacingWords(gaps, "this plane's")})`;
  return `nearest test code${ringed ? " (ringed)" : ""}: ${DIGIT_ARTICLES[digit]} ${digit}, ${away}`;
}

// A symbol's pair ("P = 0.65", "P ≥ 0.9", "β = 1"): a line may break before or after it, never inside (a reader saw
// "best: 8, P =⏎0.65"). Its spaces stay plain spaces, the words identical (tests read them), held by CSS instead.
const PAIR = /[^\s(]+ [=≥] [^\s,;)]+/g;

/**
 * A line cut into its plain runs and its pairs, in order (the pairs flagged). @param {string} line
 * @returns {Array<[string, boolean]>}
 */
export function linePieces(line) {
  /** @type {Array<[string, boolean]>} */
  const pieces = [];
  let at = 0;
  for (const match of line.matchAll(PAIR)) {
    const start = /** @type {number} */ (match.index);
    if (start > at) pieces.push([line.slice(at, start), false]);
    pieces.push([match[0], true]);
    at = start + match[0].length;
  }
  if (at < line.length) pieces.push([line.slice(at), false]);
  return pieces;
}

/**
 * One inset line, a div appended to `parent`, each pair in a span.lp-pair that does not wrap (lesson.css).
 * @param {HTMLElement} parent @param {string} line
 */
export function showLine(parent, line) {
  const div = element(parent, "div");
  for (const [text, pair] of linePieces(line)) {
    if (pair) element(div, "span", "lp-pair", text);
    else div.append(text);
  }
  return div;
}

/**
 * Both planes' insets for the probed point, or null while a model it needs is still arriving (`waits` gets
 * their promises).
 * @param {LessonData} data @param {{x: number, y: number, drawn?: boolean}} point @param {Promise<unknown>[]} waits
 * @returns {Inset[] | null}
 */
export function probeInsets(data, point, waits) {
  const classifier = data.classifier ? classifierFrom(data.classifier, waits) : null;
  const labels = blob(data.planes.labels);
  if (!labels.value) waits.push(labels.promise);
  const planes = data.planes.models.map((model) => {
    const frame = model.frames[model.frames.length - 1];
    return { model, frame, decoder: decoderFrom(model.decoder, waits), codes: codesFrom(frame.mu, waits) };
  });
  if ((data.classifier && !classifier) || !labels.value || planes.some((plane) => !plane.decoder || !plane.codes)) {
    return null;
  }
  const digits = new Uint8Array(labels.value); // the test digits' labels, in the codes' order
  const title = `z = (${coordinate(point.x)}, ${coordinate(point.y)})${point.drawn ? ", a draw of N(0, I)" : ""}`;
  return planes.map(({ model, frame, decoder, codes: found }) => {
    const codes = /** @type {Float32Array} */ (found);
    const report = probe(
      {
        decoder: /** @type {import("../core/decoder.js").Decoder} */ (decoder),
        classifier,
        codes,
        box: frame.box,
        spacing: model.spacing,
      },
      point.x,
      point.y,
      data.readable,
    );
    const hole = inHole(frame, data.planes.tiles, point.x, point.y);
    const where = hole === null ? "outside" : hole ? "hole" : "codes";
    const lines = [];
    const reading = report.reading;
    if (reading) {
      const p = reading.p.toFixed(2);
      // Outside the box of the codes the classifier sees pictures unlike any it was trained on: its P there is
      // often confident (P = 1.00 beside a squiggle) and means nothing, so the inset leaves it out and says so.
      // The picture itself, no code near to anchor it (far off the VAE's codes, specks that looked broken), is
      // shown faded (lesson.css, data-where="outside") and said to mean nothing.
      // One rule for both planes, said first: inside the box of a model's codes the inset says what is drawn
      // (a hole included), outside it does not (a reader saw "no test code is near" on both planes' insets
      // and could not tell why one was read and the other not). "P", not "the classifier's P": the box's "99%"
      // (issue 24) took those words' room, and an off-view inset must still fit its plot (its tooltip says P).
      lines.push(
        where === "outside"
          ? `not read: ${data.text.where.outside}, where its picture (faded) and P mean nothing`
          : reading.readable
            ? `reads ${DIGIT_ARTICLES[reading.digit]} ${reading.digit} (P = ${p})`
            : `no digit read at P ≥ ${data.readable} (best: ${reading.digit}, P = ${p})`,
      );
    }
    if (!(reading && where === "outside")) lines.push(data.text.where[where]);
    return {
      title,
      pixels: report.pixels,
      lines,
      detail:
        `Nearest test code at distance ${report.distance.toFixed(3)}; the usual spacing is ${model.spacing.toFixed(3)}, ` +
        "the median distance from a test code of this model to its nearest neighbour. P: the classifier's probability of the " +
        `digit it rates highest; a picture "reads as a digit" at P ≥ ${data.readable}.`,
      where,
      away: { distance: report.distance, gaps: report.gaps, digit: digits[report.nearest] },
      digit: reading?.readable && where !== "outside" ? reading.digit : -1,
      gaps: report.gaps,
      nearest: [codes[2 * report.nearest], codes[2 * report.nearest + 1]],
    };
  });
}
