// The holes of a z = 2 plane: the cells of a tiles x tiles grid over the box of its test codes (0.5-99.5
// percentiles) that hold no test code. One rule for the lesson's probe and shading and the explore map's rings
// and shading; explorer/planes.py in_holes is its numpy twin (tests/test_explore_truth.py holds them together).

/** A hole cell's fill, the lesson's plane and the explore map alike: one look for one idea. */
export const HOLE_FILL = "rgba(255, 40, 90, 0.5)";

/**
 * A plane's grid of holes (explorer/figures.py map_info `holes`, explorer/lesson_assets.py frame_entry).
 * @typedef {object} HoleGrid
 * @property {number[]} box      x0, x1, y0, y1: the box of the test codes
 * @property {string} empty      tiles * tiles of "1" (no code in the cell) or "0", row-major, top row first
 */

/**
 * Whether (x, y) falls in a cell of `grid` that holds no test code; null outside its box.
 * @param {HoleGrid} grid @param {number} tiles @param {number} x @param {number} y @returns {boolean | null}
 */
export function inHole(grid, tiles, x, y) {
  const [x0, x1, y0, y1] = grid.box;
  if (x < x0 || x > x1 || y < y0 || y > y1) return null;
  const column = Math.min(tiles - 1, Math.floor(((x - x0) / (x1 - x0)) * tiles));
  const row = Math.min(tiles - 1, Math.floor(((y1 - y) / (y1 - y0)) * tiles));
  return grid.empty[row * tiles + column] === "1";
}

/**
 * The empty cells as boxes in plane coordinates [x0, x1, y0, y1], for shading them.
 * @param {HoleGrid} grid @param {number} tiles @returns {number[][]}
 */
export function holeCells(grid, tiles) {
  const [x0, x1, y0, y1] = grid.box;
  const w = (x1 - x0) / tiles;
  const h = (y1 - y0) / tiles;
  const cells = [];
  for (let row = 0; row < tiles; row++) {
    for (let column = 0; column < tiles; column++) {
      if (grid.empty[row * tiles + column] !== "1") continue;
      cells.push([x0 + column * w, x0 + (column + 1) * w, y1 - (row + 1) * h, y1 - row * h]);
    }
  }
  return cells;
}
