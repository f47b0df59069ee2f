// What both widgets (the map and the lesson's planes) share: fetching each blob and image once per
// page from app.py's /le-assets route (the URLs are content hashes, served immutable, so the browser's
// HTTP cache keeps them across visits), and making elements.

const FETCHED = (window.__leFetched = window.__leFetched || {
  blobs: new Map(), // url -> {promise, value, error}
  images: new Map(), // url -> {image, ready, promise}
});

function blob(url) {
  let entry = FETCHED.blobs.get(url);
  if (!entry) {
    entry = { value: null, error: null };
    entry.promise = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => (entry.value = buffer))
      .catch((error) => {
        entry.error = error;
        FETCHED.blobs.delete(url); // a later call tries again
        throw error;
      });
    FETCHED.blobs.set(url, entry);
  }
  return entry;
}

function image(url) {
  let entry = FETCHED.images.get(url);
  if (!entry) {
    entry = { image: new Image(), ready: false };
    entry.promise = new Promise((resolve, reject) => {
      entry.image.onload = () => resolve((entry.ready = true));
      entry.image.onerror = () => {
        FETCHED.images.delete(url);
        reject(new Error(`${url}: image did not load`));
      };
    });
    entry.image.src = url;
    FETCHED.images.set(url, entry);
  }
  return entry;
}

function element(parent, tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  parent.appendChild(made);
  return made;
}
