// Each blob and image fetched once per page. The URLs name their content (a SHA-256, served immutable by
// every host), so the browser's HTTP cache keeps them across visits; a failed fetch is forgotten so a later
// call asks again. Module scope is per page: both widgets and every remount share these maps.

/** @typedef {{promise: Promise<ArrayBuffer>, value: ArrayBuffer | null, error: Error | null}} BlobEntry */
/** @typedef {{image: HTMLImageElement, ready: boolean, promise: Promise<boolean>}} ImageEntry */

/** @type {Map<string, BlobEntry>} */
const blobs = new Map();
/** @type {Map<string, ImageEntry>} */
const images = new Map();

/** @param {string} url @returns {BlobEntry} */
export function blob(url) {
  let entry = blobs.get(url);
  if (!entry) {
    /** @type {BlobEntry} */
    const made = { value: null, error: null, promise: Promise.resolve(new ArrayBuffer(0)) };
    made.promise = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        made.value = buffer;
        return buffer;
      })
      .catch((error) => {
        made.error = error;
        blobs.delete(url); // a later call tries again
        throw error;
      });
    blobs.set(url, made);
    entry = made;
  }
  return entry;
}

/** @param {string} url @returns {ImageEntry} */
export function image(url) {
  let entry = images.get(url);
  if (!entry) {
    const picture = new Image();
    /** @type {ImageEntry} */
    const made = { image: picture, ready: false, promise: Promise.resolve(false) };
    made.promise = new Promise((resolve, reject) => {
      picture.onload = () => {
        made.ready = true;
        resolve(true);
      };
      picture.onerror = () => {
        images.delete(url);
        reject(new Error(`${url}: image did not load`));
      };
    });
    picture.src = url;
    images.set(url, made);
    entry = made;
  }
  return entry;
}
