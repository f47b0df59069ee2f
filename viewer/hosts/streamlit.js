// The viewer's Streamlit host: the module every components-v2 element of the page imports
// (widgets/component.py's loader). The element's data says which widget it is (`role`); the host keeps one
// widget per parent element, hands it each new data, and reports its events as the component's trigger.

import { drawChart } from "../core/chart.js";
import { mountExplorer } from "../explore/index.js";
import { mountLesson, prefetchLesson } from "../lesson/index.js";

/** @typedef {{parentElement: HTMLElement, data: any, setTriggerValue: (name: string, value: unknown) => void}} Component */

/** parent element -> {widget, send}: Streamlit reuses the element across reruns, so the widget stays mounted. */
const mounted = new WeakMap();
/** Who asks (the page's scroll element, a widget's name) -> the last scroll token acted on: each counts its own. */
const scrolledFor = new Map();

/** @param {Component} component */
function mountWidget(component) {
  const { parentElement, data } = component;
  let held = mounted.get(parentElement);
  if (!held) {
    const made = { widget: /** @type {any} */ (null), send: component.setTriggerValue };
    const host = { report: (/** @type {unknown} */ message) => made.send("event", message) };
    made.widget = data.role === "lesson" ? mountLesson(parentElement, host) : mountExplorer(parentElement, host);
    mounted.set(parentElement, made);
    held = made;
  }
  held.send = component.setTriggerValue;
  // A switch of view, or a preset that opens another part of the page.
  if (data.scroll) scrollToTop(data.scroll, data.name || data.role);
  held.widget.update(data);
  const widget = held.widget;
  // Streamlit runs the cleanup on unmount and also for a call superseded before it finished: tear the widget
  // down only once it has really left the page.
  return () =>
    setTimeout(() => {
      if (widget.root.isConnected || mounted.get(parentElement)?.widget !== widget) return;
      mounted.delete(parentElement);
      widget.destroy();
    }, 0);
}

/**
 * Scrolls Streamlit's main column (the page scrolls inside it) to the top, once per token of each asker.
 * @param {number} token @param {string} asker
 */
export function scrollToTop(token, asker) {
  if (!token || scrolledFor.get(asker) === token) return;
  scrolledFor.set(asker, token);
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) main.scrollTo({ top: 0 });
  window.scrollTo({ top: 0 });
}

/** @param {Component} component */
export default function (component) {
  const role = component.data?.role;
  if (role === "chart") return drawChart(component.parentElement, component.data);
  if (role === "prefetch") {
    prefetchLesson(component.data.urls); // the explore view, idle: the lesson's first drawing's arrays
    return undefined;
  }
  if (role === "scroll") {
    scrollToTop(component.data.token, "scroll");
    return undefined;
  }
  return mountWidget(component);
}
