// The lesson's models in the browser, each made once per page from its blob (fetched once by URL,
// core/fetch.js): decoders and encoders; the classifier from core/classifier-loader.js, the viewer's one loader.
// A getter returns null until its model has arrived; `waits` gets the promises a caller may wait on.

import { loadedClassifier } from "../core/classifier-loader.js";
import { makeDecoder } from "../core/decoder.js";
import { makeEncoder } from "../core/encoder.js";
import { blob } from "../core/fetch.js";

/** @typedef {{decoder: string, latent: number, hidden: number}} DecoderSource */
/** @typedef {{encoder: string, latent: number, hidden: number}} EncoderSource */

/** @type {WeakMap<ArrayBuffer, any>} each blob's model, made once per page */
const made = new WeakMap();

/**
 * The model a blob makes, once the blob has arrived (else null; `waits` gets its promise).
 * @template T
 * @param {string} url @param {(buffer: ArrayBuffer) => T} make @param {Promise<unknown>[]} [waits] @returns {T | null}
 */
function fromBlob(url, make, waits) {
  const entry = blob(url);
  if (!entry.value) {
    waits?.push(entry.promise);
    return null;
  }
  let model = made.get(entry.value);
  if (!model) {
    model = make(entry.value);
    made.set(entry.value, model);
  }
  return model;
}

/** @param {DecoderSource} source @param {Promise<unknown>[]} [waits] @returns {import("../core/decoder.js").Decoder | null} */
export function decoderFrom(source, waits) {
  return fromBlob(source.decoder, (buffer) => makeDecoder(buffer, source.latent, source.hidden), waits);
}

/** @param {EncoderSource} source @param {Promise<unknown>[]} [waits] @returns {import("../core/encoder.js").Encoder | null} */
export function encoderFrom(source, waits) {
  return fromBlob(source.encoder, (buffer) => makeEncoder(buffer, source.latent, source.hidden), waits);
}

/** @param {string} url @param {Promise<unknown>[]} [waits] @returns {import("../core/classifier.js").Classifier | null} */
export function classifierFrom(url, waits) {
  return loadedClassifier(url, waits); // one loader for the whole viewer (core/classifier-loader.js)
}

/** The test codes of a plane (float32 pairs), once arrived. @param {string} url @param {Promise<unknown>[]} [waits] */
export function codesFrom(url, waits) {
  return fromBlob(url, (buffer) => new Float32Array(buffer), waits);
}
