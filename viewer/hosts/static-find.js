// Find a digit on the static site, as the Streamlit page's panel does (sections/find.py): a test digit by
// index as A or B, a random pair of two chosen digits (the page's own sequence of pairs, written down by
// export.py), and each endpoint's nearest test digits in the shown model's latent space.

import { SIDE } from "../core/decoder.js";
import { button, element } from "../core/dom.js";
import { blob } from "../core/fetch.js";
import { loadModel, modelEntry } from "../explore/models.js";
import { codeUnder } from "./static-compute.js";

/**
 * @typedef {import("./static-session.js").ExploreSession} ExploreSession
 * @typedef {import("./static-session.js").Site} Site
 */

const NEIGHBOURS = 5;

/**
 * explorer/untrusted.py index: a test index from "1234" or "#1234", or a message saying what is wrong.
 * @param {string} text @param {number} count @returns {number | string}
 */
export function testIndex(text, count) {
  const trimmed = text.trim();
  if (!trimmed) return `type a test index from 0 to ${count - 1} first`;
  const digits = trimmed.replace(/^#/, "").trim();
  const index = /^[0-9]{1,9}$/.test(digits) ? Number(digits) : null;
  if (index === null) return `"${text.slice(0, 40)}" is not a test index: type a whole number from 0 to ${count - 1}`;
  if (index >= count) return `there is no test digit "${text.slice(0, 40)}": the test set runs from 0 to ${count - 1}`;
  return index;
}

/**
 * The `count` test digits nearest to `code` in model `name`'s latent space, `skip` left out.
 * @param {Site} site @param {string} name @param {ArrayLike<number>} code @param {number | null} skip
 */
async function nearest(site, name, code, skip) {
  const entry = await loadModel(modelEntry(site.explorer.models[name]), ["mu"]);
  const mu = /** @type {Float32Array} */ (entry.mu);
  const latent = entry.manifest.latent;
  /** @type {Array<[number, number]>} */
  const best = [];
  for (let i = 0; i < mu.length / latent; i++) {
    if (i === skip) continue;
    let d = 0;
    for (let k = 0; k < latent; k++) d += (mu[i * latent + k] - code[k]) ** 2;
    if (best.length < NEIGHBOURS || d < best[best.length - 1][0]) {
      best.push([d, i]);
      best.sort((p, q) => p[0] - q[0]);
      if (best.length > NEIGHBOURS) best.pop();
    }
  }
  return best.map(([, i]) => i);
}

/**
 * Builds the panel. `use(index, which)` makes test digit `index` endpoint A or B; `pair(a, b)` both at once.
 * @param {HTMLElement} parent @param {Site & {find: {randomPairs: string, seeds: number}}} site
 * @param {ExploreSession} session @param {(index: number, which: "a" | "b") => void} use
 * @param {(a: number, b: number) => void} pair
 */
export function buildFind(parent, site, session, use, pair) {
  const panel = element(parent, "details", "sh-find");
  element(panel, "summary", "", "Find a digit: by index, by class, or near an endpoint");
  const message = element(panel, "p", "sh-message");
  const byIndex = element(panel, "div", "sh-row");
  const input = element(byIndex, "input", "sh-index");
  Object.assign(input, { type: "text", inputMode: "numeric", placeholder: `0 to ${site.catalog.count - 1}` });
  input.setAttribute("aria-label", "Test digit by index");
  for (const which of /** @type {const} */ (["a", "b"])) {
    button(
      byIndex,
      `Set ${which.toUpperCase()}`,
      () => {
        const found = testIndex(input.value, site.catalog.count);
        if (typeof found === "string") message.textContent = `That digit could not be used: ${found}.`;
        else {
          message.textContent = "";
          use(found, which);
        }
      },
      "le-button",
    );
  }
  const byClass = element(panel, "div", "sh-row");
  const pick = (/** @type {string} */ label, /** @type {number} */ chosen) => {
    const select = element(byClass, "select");
    select.setAttribute("aria-label", label);
    for (let digit = 0; digit < 10; digit++) element(select, "option", "", String(digit)).selected = digit === chosen;
    return select;
  };
  element(byClass, "span", "", "Random pair: from a");
  const from = pick("Random pair: from a", 3);
  element(byClass, "span", "", "to a");
  const to = pick("to a", 8);
  let seed = 0;
  button(
    byClass,
    "Random pair",
    async () => {
      const pairs = JSON.parse(new TextDecoder().decode(await blob(site.find.randomPairs).promise));
      const [a, b] = pairs[`${from.value},${to.value}`][seed % site.find.seeds];
      seed += 1;
      pair(a, b);
    },
    "le-button",
  );
  const near = element(panel, "div", "sh-near");
  const show = () => showNeighbours(near, site, session, use);
  panel.addEventListener("toggle", () => {
    if (panel.open) show().catch(() => {});
  });
  return { refresh: () => (panel.open ? show().catch(() => {}) : undefined) };
}

/** One test digit as a button that makes it endpoint `which`, its picture cut from the digits' sprite. */
function neighbourTile(
  /** @type {HTMLElement} */ row,
  /** @type {any} */ site,
  /** @type {HTMLImageElement} */ sprite,
  /** @type {number} */ index,
  /** @type {() => void} */ onPick,
) {
  const tile = element(row, "button", "sh-tile");
  tile.type = "button";
  const canvas = element(tile, "canvas");
  canvas.width = canvas.height = SIDE;
  const columns = site.explorer.digits.columns;
  const [x, y] = [(index % columns) * SIDE, Math.floor(index / columns) * SIDE];
  const draw = () =>
    /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).drawImage(
      sprite,
      x,
      y,
      SIDE,
      SIDE,
      0,
      0,
      SIDE,
      SIDE,
    );
  if (sprite.complete) draw();
  else sprite.addEventListener("load", draw);
  element(tile, "span", "", `#${index}`);
  tile.addEventListener("click", onPick);
  return tile;
}

/** Each endpoint's nearest test digits in the shown model's latent space, each a button that takes it. */
async function showNeighbours(
  /** @type {HTMLElement} */ near,
  /** @type {any} */ site,
  /** @type {ExploreSession} */ session,
  /** @type {(index: number, which: "a" | "b") => void} */ use,
) {
  near.replaceChildren();
  const sprite = new Image();
  sprite.src = site.explorer.digits.sprite;
  const model = session.view.model;
  for (const which of /** @type {const} */ (["a", "b"])) {
    const end = session.ends[which];
    if (!end) continue;
    const code = await codeUnder(site, end, model);
    const found = await nearest(site, model, code, end.kind === "test" ? (end.index ?? null) : null);
    const name = which.toUpperCase();
    element(
      near,
      "p",
      "",
      `Test digits nearest to ${name}, ${end.label}, in the latent space of the model shown; press one to make it ${name}.`,
    );
    const row = element(near, "div", "sh-row");
    for (const index of found)
      neighbourTile(row, site, sprite, index, () => use(index, which)).title = `Use test #${index} as ${name}`;
  }
}
