// Where the probe's inset sits on its plane (wide screens; a phone's stylesheet puts it under the plane): next
// to its mark, inside the plot area (the axes' numbers stay readable), and off what the reader must see: the
// box of N(0, I)'s 2σ circle and the box of the plane's central codes (the frame's `core`, 5-95 percentiles).
// Beside the cross (four ways round it, the one covering least of them: a point among the codes covers some);
// for a point off the view, beside the arrow or in a corner, and where none of those is clear, narrowed (picture over text) into the widest strip of the plot area beside both boxes;
// else the spot covering least of them. Pure geometry first (`clearSpot`, tested in node), the DOM after.

/** @typedef {import("./plane.js").Placement} Placement */
/** @typedef {import("./types.js").Box} Box */
/** @typedef {[number, number, number, number]} Rect  left, top, right, bottom in CSS pixels */

const GAP = 12; // between the mark and the inset
const MARGIN = 6; // between the inset and the plot area's edge or a box it avoids
const MIN_STRIP = 150; // the narrowest strip an inset is narrowed into
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
 * The strips of `bounds` left, right, above and below every rect of `avoid` (those inside `bounds`), widest
 * (for left and right) or tallest first. @param {Rect} bounds @param {Rect[]} avoid @returns {Rect[]}
 */
export function freeStrips(bounds, avoid) {
  const inside = avoid.filter((rect) => overlap(rect, bounds) > 0);
  if (!inside.length) return [bounds];
  const left = Math.min(...inside.map((rect) => rect[0]));
  const top = Math.min(...inside.map((rect) => rect[1]));
  const right = Math.max(...inside.map((rect) => rect[2]));
  const bottom = Math.max(...inside.map((rect) => rect[3]));
  /** @type {Rect[]} */
  const strips = [
    [bounds[0], bounds[1], left - MARGIN, bounds[3]],
    [right + MARGIN, bounds[1], bounds[2], bounds[3]],
    [bounds[0], bounds[1], bounds[2], top - MARGIN],
    [bounds[0], bottom + MARGIN, bounds[2], bounds[3]],
  ];
  return strips.filter((s) => s[2] > s[0] && s[3] > s[1]).sort((a, b) => b[2] - b[0] - (a[2] - a[0]));
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
  return rects;
}

/**
 * Places `box` (absolutely positioned in the plane's wrap) by the rules above; clears any placement where the
 * stylesheet does not position it (a phone). @param {HTMLElement} box @param {Placement | null} placement
 * @param {Box | undefined} core
 */
export function placeInset(box, placement, core) {
  box.classList.remove("lp-inset-narrow");
  box.style.maxWidth = "";
  if (!placement?.marker || getComputedStyle(box).position !== "absolute") {
    box.style.left = box.style.top = "";
    return;
  }
  const { area, marker } = placement;
  /** @type {Rect} */
  const bounds = [area.l, area.t, area.l + area.w, area.t + area.h];
  const avoid = keepClear(placement, core);
  let w = box.offsetWidth;
  let h = box.offsetHeight;
  const { x, y } = marker;
  /** @type {Array<[number, number]>} */
  const spots = [
    [x + GAP, y + GAP],
    [x + GAP, y - GAP - h],
    [x - GAP - w, y + GAP],
    [x - GAP - w, y - GAP - h],
  ];
  if (marker.off) {
    const [l, t, r, b] = bounds;
    spots.push([l, t], [r - w, t], [l, b - h], [r - w, b - h]);
  }
  let spot = clearSpot(spots, w, h, bounds, avoid);
  if (spot.covered > 0 && marker.off) {
    for (const strip of freeStrips(bounds, avoid)) {
      const room = strip[2] - strip[0];
      if (room < MIN_STRIP) continue;
      if (room < w) {
        box.classList.add("lp-inset-narrow");
        box.style.maxWidth = `${Math.floor(room)}px`;
        w = box.offsetWidth;
        h = box.offsetHeight;
      }
      const inStrip = clearSpot([[strip[0], y - h / 2]], w, h, strip, avoid);
      if (inStrip.covered === 0 && h <= strip[3] - strip[1]) {
        spot = inStrip;
        break;
      }
      box.classList.remove("lp-inset-narrow");
      box.style.maxWidth = "";
      w = box.offsetWidth;
      h = box.offsetHeight;
    }
  }
  box.style.left = `${Math.round(spot.x)}px`;
  box.style.top = `${Math.round(spot.y)}px`;
}
