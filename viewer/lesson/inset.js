// Where the probe's inset sits on its plane (wide screens; a phone's stylesheet puts it under the plane): next
// to its mark, inside the plot area (the axes' numbers stay readable), and off what the reader must see: the
// box of N(0, I)'s 2σ circle and the box of the plane's central codes (the frame's `core`, 5-95 percentiles).
// Beside the mark (four ways round it; for a point off the view, also the plot area's corners), the first spot
// that covers none of them, the inset narrowed step by step (its text wraps; the picture over the text when
// narrow) until one is clear; else, at its natural width, the spot covering least (a point among the codes).
// Pure geometry first (`clearSpot`, `keepClear`: tests/js/lesson_inset.test.js), the DOM after.

/** @typedef {import("./plane.js").Placement} Placement */
/** @typedef {import("./types.js").Box} Box */
/** @typedef {[number, number, number, number]} Rect  left, top, right, bottom in CSS pixels */

const GAP = 16; // between the mark and the inset (clear of the square kept round the mark)
const MARGIN = 4; // kept between the inset and what it avoids
const WIDTHS = [360, 320, 280, 240, 200, 170, 150]; // the narrower insets tried, in CSS pixels
const COLUMN_BELOW = 240; // narrower than this, the picture goes over the text
const RING = 2; // the circle it keeps clear of: N(0, I) at 2σ
const MARK = 11; // half the square kept clear round the mark (plane.js draws it up to 11 px from its centre)

/** The area of the overlap of two rects. @param {Rect} a @param {Rect} b */
export function overlap(a, b) {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The first spot (top left corners, for a `w` x `h` inset) that covers none of `avoid`, else the one covering
 * least; each spot is first moved inside `bounds`. @param {Array<[number, number]>} spots @param {number} w
 * @param {number} h @param {Rect} bounds @param {Rect[]} avoid @returns {{x: number, y: number, covered: number}}
 */
export function clearSpot(spots, w, h, bounds, avoid) {
  let best = { x: bounds[0], y: bounds[1], covered: Infinity };
  for (const [sx, sy] of spots) {
    const x = Math.max(bounds[0], Math.min(bounds[2] - w, sx));
    const y = Math.max(bounds[1], Math.min(bounds[3] - h, sy));
    let covered = 0;
    for (const rect of avoid) covered += overlap([x, y, x + w, y + h], rect);
    if (covered === 0) return { x, y, covered };
    if (covered < best.covered) best = { x, y, covered };
  }
  return best;
}

/**
 * What the inset avoids on this drawing, in CSS pixels of the canvas: the 2σ circle's box, the central codes'
 * and the mark itself (an arrow on the edge). @param {Placement} placement @param {Box | undefined} core
 * @returns {Rect[]}
 */
export function keepClear(placement, core) {
  const p = placement.projection;
  const m = placement.marker;
  /** @type {Rect[]} */
  const rects = [[p.px(-RING), p.py(RING), p.px(RING), p.py(-RING)]];
  if (m) rects.push([m.x - MARK, m.y - MARK, m.x + MARK, m.y + MARK]);
  if (core) rects.push([p.px(core[0]), p.py(core[3]), p.px(core[1]), p.py(core[2])]);
  return rects.map(([l, t, r, b]) => /** @type {Rect} */ ([l - MARGIN, t - MARGIN, r + MARGIN, b + MARGIN]));
}

/**
 * Places `box` (absolutely positioned in the plane's wrap) by the rules above; clears any placement where the
 * stylesheet does not position it (a phone). @param {HTMLElement} box @param {Placement | null} placement
 * @param {Box | undefined} core
 */
export function placeInset(box, placement, core) {
  narrow(box, 0);
  if (!placement?.marker || getComputedStyle(box).position !== "absolute") {
    box.style.left = box.style.top = "";
    return;
  }
  const { area, marker } = placement;
  /** @type {Rect} */
  const bounds = [area.l, area.t, area.l + area.w, area.t + area.h];
  const avoid = keepClear(placement, core);
  const natural = box.offsetWidth;
  /** @type {{x: number, y: number, covered: number} | null} */
  let first = null;
  for (const width of [natural, ...WIDTHS.filter((w) => w < natural)]) {
    if (width < natural) narrow(box, width);
    const spot = clearSpot(
      spots(marker, bounds, box.offsetWidth, box.offsetHeight),
      box.offsetWidth,
      box.offsetHeight,
      bounds,
      avoid,
    );
    first ??= spot;
    if (spot.covered === 0) return moveTo(box, spot);
  }
  narrow(box, 0); // nowhere clear: the natural inset where it covers least
  moveTo(box, /** @type {{x: number, y: number}} */ (first));
}

/**
 * Top left corners to try for a `w` x `h` inset: the four ways round the mark, then, for a point off the view,
 * the plot area's corners. @param {import("./plane.js").ProbeMarker} marker @param {Rect} bounds
 * @param {number} w @param {number} h @returns {Array<[number, number]>}
 */
function spots(marker, bounds, w, h) {
  const { x, y } = marker;
  /** @type {Array<[number, number]>} */
  const found = [
    [x + GAP, y + GAP],
    [x + GAP, y - GAP - h],
    [x - GAP - w, y + GAP],
    [x - GAP - w, y - GAP - h],
  ];
  const [l, t, r, b] = bounds;
  if (marker.off) found.push([l, t], [r - w, t], [l, b - h], [r - w, b - h]);
  return found;
}

/** At most `width` CSS pixels wide (0: as wide as its text), the picture over the text when narrow. */
function narrow(/** @type {HTMLElement} */ box, /** @type {number} */ width) {
  box.style.maxWidth = width ? `${width}px` : "";
  box.classList.toggle("lp-inset-narrow", width > 0 && width < COLUMN_BELOW);
}

function moveTo(/** @type {HTMLElement} */ box, /** @type {{x: number, y: number}} */ spot) {
  box.style.left = `${Math.round(spot.x)}px`;
  box.style.top = `${Math.round(spot.y)}px`;
}
