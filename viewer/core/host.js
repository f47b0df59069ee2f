// What a host hands a widget of the viewer, and what a widget gives back: the host interface.
//
// A host (hosts/streamlit.js: the Streamlit page; hosts/static.js: a plain HTML page) mounts a widget on
// an element, hands it data (the shapes are declared in core/types.js and mirrored by widgets/contract.py),
// and receives the events the widget reports (core/protocol.js numbers and queues them).

/**
 * @typedef {object} Host
 * @property {(message: import("./protocol.js").Message) => void} report  hands an event (with the pending ones) to the host
 */

/**
 * @template D
 * @typedef {object} Widget
 * @property {HTMLElement} root           the widget's root element (its test interface: docs/map.md)
 * @property {(data: D) => void} update   new data from the host
 * @property {() => void} destroy         removes listeners, timers and drawings
 */

export {};
