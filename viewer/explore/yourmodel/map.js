// Your model's map (yourmodel.js): the test digits' codes on their PCA plane, drawn as coloured dots on one
// canvas MAP_PX square, the morph's ends A and B joined by a line; and the way back from a click to the
// nearest digit.

import { DIGIT_COLOURS } from "../../core/constants.js";
import { sizeCanvas } from "../../core/dom.js";

/** @typedef {import("./load.js").YourModel} YourModel */

export const MAP_PX = 420;
const DOT = 2;
const END_LABEL_PX = 13; // A and B, white in their dots: a projector's smallest readable text (issue 24)
const END_RADIUS = 9; // room for a 13 px letter

/** The map's data box, padded: [x0, x1, y0, y1]. @param {Float32Array} coords */
function extent(coords) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < coords.length; i += 2) {
    x0 = Math.min(x0, coords[i]);
    x1 = Math.max(x1, coords[i]);
    y0 = Math.min(y0, coords[i + 1]);
    y1 = Math.max(y1, coords[i + 1]);
  }
  const padX = (x1 - x0) * 0.04 || 1;
  const padY = (y1 - y0) * 0.04 || 1;
  return [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
}

/**
 * The map on `canvas`: `draw` a model, `toPixel` a place on it (canvas pixels of the last drawing's box),
 * `nearest` the digit to a click.
 * @param {HTMLCanvasElement} canvas
 */
export function yourMap(canvas) {
  /** @type {number[]} */
  let box = [0, 1, 0, 1];

  /** @param {number} x @param {number} y @returns {number[]} */
  const toPixel = (x, y) => [((x - box[0]) / (box[1] - box[0])) * MAP_PX, ((box[3] - y) / (box[3] - box[2])) * MAP_PX];

  /** @param {YourModel} model */
  function draw(model) {
    const context = sizeCanvas(canvas, MAP_PX, MAP_PX);
    canvas.style.removeProperty("height"); // its width's square, also where max-width narrows it (a phone)
    box = extent(model.coords);
    context.fillStyle = "#fff";
    context.fillRect(0, 0, MAP_PX, MAP_PX);
    for (let i = 0; i < model.labels.length; i++) {
      const [px, py] = toPixel(model.coords[2 * i], model.coords[2 * i + 1]);
      context.fillStyle = DIGIT_COLOURS[model.labels[i]] ?? "#888";
      context.fillRect(px - DOT / 2, py - DOT / 2, DOT, DOT);
    }
    const ends = model.ends.map((index) => toPixel(model.coords[2 * index], model.coords[2 * index + 1]));
    context.strokeStyle = "#262730";
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(ends[0][0], ends[0][1]);
    context.lineTo(ends[1][0], ends[1][1]);
    context.stroke();
    ends.forEach(([px, py], k) => {
      context.fillStyle = "#262730";
      context.beginPath();
      context.arc(px, py, END_RADIUS, 0, 2 * Math.PI);
      context.fill();
      context.fillStyle = "#fff";
      context.font = `bold ${END_LABEL_PX}px sans-serif`;
      context.textAlign = "center";
      context.textBaseline = "middle";
      context.fillText(k ? "B" : "A", px, py);
    });
  }

  /**
   * The test digit drawn nearest a click at viewport (clientX, clientY); -1 for none.
   * @param {YourModel} model @param {number} clientX @param {number} clientY
   */
  function nearest(model, clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    const x = ((clientX - rect.left) / rect.width) * MAP_PX;
    const y = ((clientY - rect.top) / rect.height) * MAP_PX;
    let best = -1;
    let bestDistance = Infinity;
    for (let i = 0; i < model.labels.length; i++) {
      const [px, py] = toPixel(model.coords[2 * i], model.coords[2 * i + 1]);
      const distance = (px - x) ** 2 + (py - y) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    return best;
  }

  return { draw, toPixel, nearest };
}
