// Own scale's note. Fitted each to its own codes, the two planes look the same size though one's axes may span
// many times the other's (after training the autoencoder's codes spread far wider than the VAE's, so on its plot
// N(0, I)'s circles shrink to a small ring). The wider plane says so on its plot, in the circles' yellow: the
// ratio of the two drawings' scales (pixels per unit, both axes alike), never a constant; on Same scale, or
// where the ratio is under WIDER_AT (the untrained networks' planes are alike), nothing is said.

/** @typedef {import("./plane.js").Placement} Placement */
/** @typedef {import("./types.js").LessonText} LessonText */

export const WIDER_AT = 2; // a plane says its axes are wider from this ratio of the two scales on

/**
 * How many times wider each plane's axes are than the other's, from the two drawings (under 1 on the narrower).
 * @param {Array<Placement | null>} placements @returns {number[]}
 */
export function widerBy(placements) {
  const [a, b] = placements;
  if (!a || !b) return [1, 1];
  return [b.projection.s / a.projection.s, a.projection.s / b.projection.s];
}

/**
 * "axes 10× the VAE's, circles 10× smaller" from the data's template; `ratio` rounded, `spans` the two plots' widths in
 * data units (this plane's, the other's) for the tooltip.
 * @param {string} template @param {number} ratio @param {string} other @param {number[]} spans
 */
export function fill(template, ratio, other, spans) {
  const span = (/** @type {number} */ v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  return template
    .replaceAll("{ratio}", String(Math.round(ratio)))
    .replaceAll("{other}", other)
    .replaceAll("{span}", span(spans[0]))
    .replaceAll("{other_span}", span(spans[1]));
}

/** @typedef {{x: number, y: number, w: number, h: number}} Rect  CSS pixels from the canvas's top left */

const COVERED = 1e6; // a corner over the probe's mark, its nearest code's ring or its inset: taken last

/**
 * Shows or hides `note` (a plane's .lp-scale-note) for this drawing; on a wide screen in the plot area's corner
 * (bottom left, bottom right or top right: the top left is the "beyond this view" badge's) clear of the probe's
 * mark, ring and inset (`keepClear`) where it can be, then over the fewest test codes; where the stylesheet does not position
 * it (a phone, lesson.css), on the line right under the plot.
 * The note lets the pointer through (a tap on it probes the plane beneath); its figures are the plane's title's
 * tooltip (`heading`).
 * @param {HTMLElement} note @param {HTMLElement} heading @param {LessonText} text @param {number} side
 * @param {boolean} own  Own scale shown
 * @param {Array<Placement | null>} placements
 * @param {Float32Array | null} codes  this plane's test codes drawn, (count, 2); null: none shown
 * @param {Rect[]} keepClear
 */
export function showScaleNote(note, heading, text, side, own, placements, codes, keepClear) {
  const ratio = widerBy(placements)[side];
  const placement = placements[side];
  const other = placements[1 - side];
  if (!own || !text.wider || !placement || !other || !(ratio >= WIDER_AT)) {
    if (note.style.display !== "none") note.style.display = "none";
    heading.removeAttribute("title");
    return;
  }
  const { area, projection } = placement;
  const spans = [area.w / projection.s, other.area.w / other.projection.s];
  const words = fill(text.wider.note, ratio, text.wider.other[side], spans);
  if (note.textContent !== words) note.textContent = words;
  heading.title = fill(text.wider.help, ratio, text.wider.other[side], spans);
  note.style.display = "";
  if (getComputedStyle(note).position !== "absolute") {
    // A phone: the plane is ~150 px wide, the note would cover a quarter of it; the stylesheet puts it under.
    note.style.left = note.style.top = note.style.maxWidth = "";
    return;
  }
  note.style.maxWidth = `${area.w - 8}px`;
  const w = note.offsetWidth;
  const h = note.offsetHeight;
  const corners = [
    { x: area.l + 4, y: area.t + area.h - 4 - h },
    { x: area.l + area.w - 4 - w, y: area.t + area.h - 4 - h },
    { x: area.l + area.w - 4 - w, y: area.t + 4 },
  ];
  const under = corners.map(
    (c) =>
      (codes ? codesIn(codes, projection, c.x, c.y, w, h) : 0) +
      COVERED * keepClear.filter((r) => r.x < c.x + w && c.x < r.x + r.w && r.y < c.y + h && c.y < r.y + r.h).length,
  );
  const best = corners[under.indexOf(Math.min(...under))];
  note.style.left = `${Math.round(best.x)}px`;
  note.style.top = `${Math.round(best.y)}px`;
}

/**
 * How many of `codes` fall in the rectangle at (x, y), w x h CSS pixels, drawn with `projection`.
 * @param {Float32Array} codes @param {import("./geometry.js").Projection} projection
 * @param {number} x @param {number} y @param {number} w @param {number} h
 */
function codesIn(codes, projection, x, y, w, h) {
  let count = 0;
  for (let i = 0; i < codes.length; i += 2) {
    const px = projection.px(codes[i]);
    const py = projection.py(codes[i + 1]);
    if (px >= x && px <= x + w && py >= y && py <= y + h) count++;
  }
  return count;
}
