// The models' arrays in the browser (common.js's blob() fetches each once). A model's entry fills in
// as its blobs arrive; `whenReady` calls back once everything asked for is there.

const SHARED = (window.__leMorphMap = window.__leMorphMap || {
  models: new Map(), // decoder url -> model entry
  serials: new Map(), // widget name -> last event serial sent (survives remounts)
  log: [], // {what, at} of drawn strips, read by the benchmark
});

// One model: {manifest, decoder, mu, maps: {name: Float32Array}}; fields stay null until loaded.
function modelEntry(manifest) {
  let entry = SHARED.models.get(manifest.decoder);
  if (!entry) {
    entry = { manifest, decoder: null, mu: null, maps: {}, loading: new Map() };
    SHARED.models.set(manifest.decoder, entry);
  }
  return entry;
}

// Starts loading `parts` ("decoder", "mu", "map:pca"...) of a model; resolves when all are in.
function loadModel(entry, parts) {
  const waits = [];
  for (const part of parts) {
    if (part === "decoder" && !entry.decoder) {
      waits.push(
        blob(entry.manifest.decoder).promise.then((buffer) => {
          entry.decoder = entry.decoder || makeDecoder(buffer, entry.manifest.latent, entry.manifest.hidden);
        }),
      );
    } else if (part === "mu" && !entry.mu) {
      waits.push(blob(entry.manifest.mu).promise.then((buffer) => (entry.mu = new Float32Array(buffer))));
    } else if (part.startsWith("map:")) {
      const name = part.slice(4), map = entry.manifest.maps[name];
      if (map && !entry.maps[name]) {
        waits.push(blob(map.codes).promise.then((buffer) => (entry.maps[name] = new Float32Array(buffer))));
      }
    }
  }
  return Promise.all(waits).then(() => entry);
}

// What was drawn and when: `at` when the code drew it, `shown` just after the next frame was painted
// (a timeout queued from that frame's animation callback runs once the frame is on the screen).
function noteDrawn(what) {
  const entry = { what, at: performance.now(), shown: null };
  SHARED.log.push(entry);
  if (SHARED.log.length > 200) SHARED.log.splice(0, 100);
  requestAnimationFrame(() => setTimeout(() => (entry.shown = performance.now()), 0));
}
