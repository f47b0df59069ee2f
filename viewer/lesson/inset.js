// Where the probe's inset sits on its plane (wide screens; a phone's stylesheet puts it under the plane): next
// to its mark, inside the plot area (the axes' numbers stay readable), and off what the reader must see: the
// box of N(0, I)'s 2σ circle and the box of the plane's central codes (the frame's `core`, 5-95 percentiles).
// Tried at its natural width, then narrower (its text wraps; the picture over the text when narrow): of the spots
// beside the mark, against the plot area's edges and just clear of each box, the clear one nearest the mark,
// taken at the widest width that has one by the mark (else, for a point off the view, the nearest clear one of any
// width); where nothing is clear (a point among the codes), the spot by the mark covering least, at the natural
// width.
// Above all that, never over what the probe itself draws (`mustClear`): the "+" (or the arrow), the nearest test
// code's ring and the line joining them (a reader saw the autoencoder's inset hide that ring at 1500 x 1000): a spot
// covering any of it loses to every spot that does not, of any width, however far.
// Pure geometry first (`bestSpot`, `keepClear`, `mustClear`: tests/js/lesson_inset.test.js), the DOM after.

/** @typedef {import("./plane.js").Placement} Placement */
/** @typedef {import("./types.js").Box} Box */
/** @typedef {[number, number, number, number]} Rect  left, top, right, bottom in CSS pixels */

const GAP = 16; // between the mark and the inset (clear of the square kept round the mark)
const MARGIN = 4; // kept between the inset and what it avoids
// The narrower insets tried, in CSS pixels. 220 with the picture beside the text: the VAE's off-view inset on the hole
// preset at 1500 x 1000 fits beside its arrow only so (236 px right of the central codes; the 200 px column was 195
// px tall and covered the arrow), and sat 170 px from it on the plot's left without it (issue 24).
const WIDTHS = [360, 320, 280, 240, 220, 200, 170, 150];
const COLUMN_BELOW = 200; // narrower than this, the picture goes over the text (from 200 on, beside it is shorter)
const KEPT = 8; // placements remembered per inset (the scale toggled, the window resized and back)
/** @type {WeakMap<HTMLElement, Map<string, {x: number, y: number, width: number, natural: number}>>} */
const placed = new WeakMap();
const FAR = 1e9; // what a spot out of reach counts as covering
const NEAR = 24; // an inset this close to its mark (CSS pixels) is by it: no narrower one is tried
const RING = 2; // the circle it keeps clear of: N(0, I) at 2σ
const MARK = 11; // half the square kept clear round the mark (plane.js draws it up to 11 px from its centre)
const RING_PX = 6; // half the square kept clear round the nearest code's ring (radius 4, a 3 px black edge)
const LINE_PX = 3; // half the square kept clear round each point sampled along the line (3 px wide)
const LINE_STEP = 4; // CSS pixels between those points
const HARD = 1e12; // what covering the probe's own marks counts as, per square pixel: more than any FAR

/** The area of the overlap of two rects. @param {Rect} a @param {Rect} b */
export function overlap(a, b) {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The best top left corner for a `w` x `h` inset inside `bounds`, of every pairing of `xs` and `ys` (each first
 * moved inside `bounds`): of those covering none of `avoid`, the nearest to `mark`; else the one covering least.
 * A spot farther than `reach` from the mark counts as covering a huge area (FAR): taken only when nothing else is.
 * @param {number[]} xs @param {number[]} ys @param {number} w @param {number} h @param {Rect} bounds
 * Each square pixel of `hard` covered counts HARD (more than any spot out of reach).
 * @param {Rect[]} avoid @param {{x: number, y: number}} mark @param {number} [reach] @param {Rect[]} [hard]
 * @returns {{x: number, y: number, covered: number, distance: number}}
 */
export function bestSpot(xs, ys, w, h, bounds, avoid, mark, reach = Infinity, hard = []) {
  let best = { x: bounds[0], y: bounds[1], covered: Infinity, distance: Infinity };
  for (const sx of xs) {
    const x = Math.max(bounds[0], Math.min(bounds[2] - w, sx));
    for (const sy of ys) {
      const y = Math.max(bounds[1], Math.min(bounds[3] - h, sy));
      let covered = 0;
      for (const rect of avoid) covered += overlap([x, y, x + w, y + h], rect);
      for (const rect of hard) covered += HARD * overlap([x, y, x + w, y + h], rect);
      const distance = Math.hypot(Math.max(x - mark.x, 0, mark.x - x - w), Math.max(y - mark.y, 0, mark.y - y - h));
      if (distance > reach) covered += FAR;
      if (covered < best.covered || (covered === best.covered && distance < best.distance)) {
        best = { x, y, covered, distance };
      }
    }
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
 * What the inset must never cover, in CSS pixels of the canvas: the mark (the "+" or the arrow), and, where a line
 * joins the "+" to the nearest test code, that code's ring and the line, as small squares every LINE_STEP pixels
 * along it; each with MARGIN. @param {Placement} placement @returns {Rect[]}
 */
export function mustClear(placement) {
  const m = placement.marker;
  if (!m) return [];
  /** @type {Rect[]} */
  const rects = [[m.x - MARK, m.y - MARK, m.x + MARK, m.y + MARK]];
  const link = placement.link;
  if (link) {
    rects.push([link.x - RING_PX, link.y - RING_PX, link.x + RING_PX, link.y + RING_PX]);
    const steps = Math.ceil(Math.hypot(link.x - m.x, link.y - m.y) / LINE_STEP);
    for (let i = 1; i < steps; i++) {
      const x = m.x + ((link.x - m.x) * i) / steps;
      const y = m.y + ((link.y - m.y) * i) / steps;
      rects.push([x - LINE_PX, y - LINE_PX, x + LINE_PX, y + LINE_PX]);
    }
  }
  return rects.map(([l, t, r, b]) => /** @type {Rect} */ ([l - MARGIN, t - MARGIN, r + MARGIN, b + MARGIN]));
}

/** A spot's tier: 0 clear of every `mustClear` rect, more the more of them it covers. @param {number} covered */
const tier = (covered) => Math.floor(covered / HARD);

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
  const hard = mustClear(placement);
  // The same inset on the same drawing is placed where it was: no measuring (a redraw per frame stays cheap).
  const link = placement.link ? [placement.link.x, placement.link.y] : [];
  const key = [box.dataset.key, ...bounds, ...avoid.flat(), ...link].map((v) =>
    typeof v === "number" ? Math.round(v) : v,
  );
  const known = placed.get(box)?.get(key.join());
  if (known) return moveTo(box, known, known.width < known.natural ? known.width : 0);
  box.style.left = box.style.top = "0px"; // measured with the wrap's whole width to fill: its width is its own
  const natural = box.offsetWidth;
  /** @type {{x: number, y: number, covered: number, distance: number, width: number, fits: boolean} | null} */
  let chosen = null;
  for (const width of [natural, ...WIDTHS.filter((w) => w < natural)]) {
    if (width < natural) narrow(box, width);
    const w = box.offsetWidth;
    const h = box.offsetHeight;
    // Beside the mark, against the plot area's edges, and just clear of each box to avoid.
    const xs = [marker.x + GAP, marker.x - GAP - w, bounds[0], bounds[2] - w];
    const ys = [marker.y + GAP, marker.y - GAP - h, marker.y - h / 2, bounds[1], bounds[3] - h];
    // Clear of each box to avoid, and of the box round everything it must not cover (the line, the rings).
    const whole = hard.length
      ? [Math.min(...hard.map((r) => r[0])), Math.min(...hard.map((r) => r[1]))].concat([
          Math.max(...hard.map((r) => r[2])),
          Math.max(...hard.map((r) => r[3])),
        ])
      : [];
    for (const rect of whole.length ? [...avoid, whole] : avoid) {
      xs.push(rect[2], rect[0] - w);
      ys.push(rect[3], rect[1] - h);
    }
    const reach = marker.off ? Infinity : NEAR; // the result of a point in view stays by its "+"
    // An inset taller or wider than the plot area would spill over the axes: one that fits wins over it.
    const fits = h <= bounds[3] - bounds[1] && w <= bounds[2] - bounds[0];
    const spot = { ...bestSpot(xs, ys, w, h, bounds, avoid, marker, reach, hard), width, fits };
    const better = chosen
      ? (fits && !chosen.fits) ||
        (fits === chosen.fits &&
          (tier(spot.covered) < tier(chosen.covered) ||
            (tier(spot.covered) === tier(chosen.covered) &&
              spot.covered === 0 &&
              (chosen.covered > 0 || spot.distance < chosen.distance))))
      : true;
    if (better) chosen = spot;
    if (spot.covered === 0 && spot.distance <= NEAR) break; // clear and by its mark: the widest such
  }
  const spot = { .../** @type {{x: number, y: number, width: number}} */ (chosen), natural };
  const seen = placed.get(box) || new Map();
  if (seen.size >= KEPT) seen.delete(seen.keys().next().value || "");
  placed.set(box, seen.set(key.join(), spot));
  moveTo(box, spot, spot.width < natural ? spot.width : 0);
}

/** @param {HTMLElement} box @param {{x: number, y: number}} spot @param {number} width  0: its natural width */
function moveTo(box, spot, width) {
  narrow(box, width);
  box.style.left = `${Math.round(spot.x)}px`;
  box.style.top = `${Math.round(spot.y)}px`;
}

/** At most `width` CSS pixels wide (0: as wide as its text), the picture over the text when narrow. */
function narrow(/** @type {HTMLElement} */ box, /** @type {number} */ width) {
  box.style.maxWidth = width ? `${width}px` : "";
  box.classList.toggle("lp-inset-narrow", width > 0 && width < COLUMN_BELOW);
}
