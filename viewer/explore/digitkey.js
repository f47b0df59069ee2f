// The line of coloured digits 0 to 9 that stands in for Plotly's legend where there is no room for one (a
// phone's map) and beside a map drawn without Plotly (yourmodel.js): the map's colours, core/constants.js.

import { DIGIT_COLOURS } from "../core/constants.js";
import { element } from "../core/dom.js";

/** The key, appended to `parent`. @param {HTMLElement} parent @param {string} className */
export function digitKey(parent, className) {
  const key = element(parent, "div", className);
  key.setAttribute("aria-label", "colours of the digits 0 to 9");
  DIGIT_COLOURS.forEach((colour, digit) => {
    const item = element(key, "span", "le-key-item");
    element(item, "i").style.background = colour;
    item.append(String(digit));
  });
  return key;
}
