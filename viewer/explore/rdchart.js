// The β slider's rate-distortion chart (beta.js draws it beside the slider): the Multi-Rate VAE's sweep as a
// line, each separately trained model as a ring, the shown β (or the shown separate model) filled, which the
// legend names ("● shown now", in the filled dot's colour). Rate = KL,
// distortion = reconstruction, both in nats per test digit. Each axis carries 3 to 5 round ticks (niceTicks);
// the text is 13 px at every size (issue 24: nothing under 13 px on a projector).

import { sizeCanvas } from "../core/dom.js";
import { figureAt } from "../core/multirate.js";

/** @typedef {import("./types.js").MultiRateManifest} MultiRateManifest */

const HEIGHT = 180;
const FONT = "13px sans-serif";
const MOST_TICKS = 5;

/**
 * Round ticks for an axis that must show [low, high]: a step of 1, 2 or 5 times a power of ten, the smallest
 * whose multiples around the range number at most `most`; the axis then runs from the first tick to the last.
 * From a step giving more than `most` ticks to the next (x2 or x2.5) the count at least halves, so there are
 * at least 3 whenever `most` >= 5.
 * @param {number} low @param {number} high @param {number} [most]
 * @returns {{ticks: number[], step: number, decimals: number}}
 */
export function niceTicks(low, high, most = MOST_TICKS) {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { ticks: [0, 1], step: 1, decimals: 0 };
  if (high < low) [low, high] = [high, low];
  if (high - low < 1e-9 * Math.max(1, Math.abs(low))) [low, high] = [low - 0.5, high + 0.5];
  let power = Math.floor(Math.log10(high - low)) - 1;
  for (;;) {
    for (const factor of [1, 2, 5]) {
      const step = factor * 10 ** power;
      const first = Math.floor(low / step + 1e-9);
      const last = Math.ceil(high / step - 1e-9);
      if (last - first + 1 <= most) {
        const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        const ticks = [];
        for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
        return { ticks, step, decimals };
      }
    }
    power += 1;
  }
}

/** @type {WeakMap<HTMLCanvasElement, {key: string, background: HTMLCanvasElement, px: (r: number) => number,
 *   py: (d: number) => number, rateTicks: string[], distortionTicks: string[], legend: string[][]}>} */
const curves = new WeakMap();

/**
 * Draws the chart into `canvas`: the part that does not move with β once per model and width (a canvas of its
 * own), then, at each β of a drag, a copy of it and the dot.
 * @param {HTMLCanvasElement} canvas @param {MultiRateManifest} manifest @param {number | null} beta
 * @param {string | null} model
 */
export function drawCurve(canvas, manifest, beta, model) {
  const sweep = manifest.sweep;
  canvas.style.display = sweep ? "" : "none";
  if (!sweep) return;
  const width = Math.max(240, Math.min(520, canvas.parentElement?.clientWidth || 300));
  const key = `${manifest.name}|${model}|${width}|${window.devicePixelRatio || 1}`;
  let drawn = curves.get(canvas);
  if (drawn?.key !== key) {
    const background = document.createElement("canvas");
    drawn = { key, background, ...curveBackground(sizeCanvas(background, width, HEIGHT), manifest, model, width) };
    curves.set(canvas, drawn);
    sizeCanvas(canvas, width, HEIGHT);
    canvas.dataset.rateTicks = drawn.rateTicks.join(" "); // for tests: the ticks drawn on each axis
    canvas.dataset.distortionTicks = drawn.distortionTicks.join(" ");
    canvas.dataset.legend = drawn.legend.map(([colour, words]) => `${colour} ${words}`).join("\n"); // for tests
  }
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.drawImage(drawn.background, 0, 0);
  const ratio = window.devicePixelRatio || 1;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  if (beta !== null) {
    context.fillStyle = "#1f77b4";
    context.beginPath();
    const rate = figureAt(sweep.rate, sweep.betas, beta);
    context.arc(drawn.px(rate), drawn.py(figureAt(sweep.distortion, sweep.betas, beta)), 5, 0, 2 * Math.PI);
    context.fill();
  }
}

/**
 * The axes with their ticks, the sweep's line and the separate models' rings. The β = 0 models' rate is far off
 * the line's range, so they are named in the legend instead of stretching the axes.
 * @param {CanvasRenderingContext2D} context @param {MultiRateManifest} manifest @param {string | null} model
 * @param {number} width
 */
function curveBackground(context, manifest, model, width) {
  const sweep = /** @type {NonNullable<MultiRateManifest["sweep"]>} */ (manifest.sweep);
  const inRange = manifest.separate.filter((p) => p.beta > 0);
  const rates = [...sweep.rate, ...inRange.map((p) => p.rate)];
  const distortions = [...sweep.distortion, ...inRange.map((p) => p.distortion)];
  const x = niceTicks(Math.min(...rates), Math.max(...rates));
  const y = niceTicks(Math.min(...distortions), Math.max(...distortions));
  const [r0, r1] = [x.ticks[0], x.ticks[x.ticks.length - 1]];
  const [d0, d1] = [y.ticks[0], y.ticks[y.ticks.length - 1]];
  const m = { l: 52, r: 12, t: 10, b: 38 };
  const px = (/** @type {number} */ r) => m.l + ((r - r0) / (r1 - r0)) * (width - m.l - m.r);
  const py = (/** @type {number} */ d) => m.t + ((d1 - d) / (d1 - d0)) * (HEIGHT - m.t - m.b);
  context.clearRect(0, 0, width, HEIGHT);
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, HEIGHT);
  context.font = FONT;
  context.lineWidth = 1;
  context.fillStyle = "#333";
  context.textBaseline = "top";
  context.textAlign = "center";
  for (const tick of x.ticks) {
    context.strokeStyle = "#e4e5ea";
    context.beginPath();
    context.moveTo(px(tick), m.t);
    context.lineTo(px(tick), HEIGHT - m.b);
    context.stroke();
    const label = tick.toFixed(x.decimals);
    // The last tick's label kept inside the canvas.
    const at = Math.min(px(tick), width - context.measureText(label).width / 2 - 1);
    context.fillText(label, at, HEIGHT - m.b + 3);
  }
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const tick of y.ticks) {
    context.strokeStyle = "#e4e5ea";
    context.beginPath();
    context.moveTo(m.l, py(tick));
    context.lineTo(width - m.r, py(tick));
    context.stroke();
    context.fillText(tick.toFixed(y.decimals), m.l - 4, Math.max(py(tick), m.t + 6));
  }
  context.strokeStyle = "#999";
  context.strokeRect(m.l, m.t, width - m.l - m.r, HEIGHT - m.t - m.b);
  context.textAlign = "center";
  context.textBaseline = "alphabetic";
  context.fillText("rate: KL (nats) →", m.l + (width - m.l - m.r) / 2, HEIGHT - 4);
  context.save();
  context.translate(14, m.t + (HEIGHT - m.t - m.b) / 2);
  context.rotate(-Math.PI / 2);
  context.fillText("distortion (nats) →", 0, 0);
  context.restore();
  context.strokeStyle = "#1f77b4";
  context.lineWidth = 2;
  context.beginPath();
  sweep.rate.forEach((r, i) => {
    const [cx, cy] = [px(r), py(sweep.distortion[i])];
    if (i) context.lineTo(cx, cy);
    else context.moveTo(cx, cy);
  });
  context.stroke();
  context.lineWidth = 1.5;
  context.textAlign = "left";
  for (const point of inRange) {
    context.strokeStyle = "#d62728";
    context.fillStyle = point.model === model ? "#d62728" : "#fff";
    context.beginPath();
    context.arc(px(point.rate), py(point.distortion), 4, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    context.fillStyle = "#d62728";
    context.fillText(`β=${point.beta}`, px(point.rate) + 5, py(point.distortion) - 4);
  }
  // The legend, one [colour, words] a line: the filled dot is the model shown now, the one model at the slider's β
  // (blue, model null: the slider is on) or the separately trained model shown (red); none where that is off scale.
  const off = manifest.separate.filter((p) => !(p.beta > 0));
  const filled = model === null ? "#1f77b4" : inRange.some((p) => p.model === model) ? "#d62728" : null;
  const legend = [
    ["#1f77b4", "— one model for every β"],
    ["#d62728", "○ trained separately"],
    ...(filled ? [[filled, "● shown now"]] : []),
    ...(off.length ? [["#d62728", off.map((p) => `β=0: KL ${p.rate.toFixed(0)}, off scale`).join("; ")]] : []),
  ];
  const right = width - m.r - 4;
  context.textAlign = "right";
  legend.forEach(([colour, words], i) => {
    context.fillStyle = colour;
    context.fillText(words, right, m.t + 14 + 15 * i);
  });
  context.textAlign = "left";
  const labels = (/** @type {ReturnType<typeof niceTicks>} */ axis) => axis.ticks.map((t) => t.toFixed(axis.decimals));
  return { px, py, rateTicks: labels(x), distortionTicks: labels(y), legend };
}
