// The model's arithmetic in the browser: decoding, the paths between two codes, and where a code
// sits on a map. Each function mirrors a numpy one and tests/test_browser_decoding.py holds them to
// it on every shipped model (frames within 1/255 per pixel):
//   decode      vae/inference.py NumpyVAE.decode      sigmoid(fc4(relu(fc3(z))))
//   pathCodes   vae/paths.py interpolate              linear, or spherical with a linear norm
//   project     vae/atlas.py Atlas.place("pca")       (z - mean) . components^T
//   invert      the PCA map's inverse                 mean + components^T (x, y)
//   knnPlace    vae/atlas.py knn_place                inverse-distance mean of the 10 nearest codes
// Codes are rounded to float32 (Math.fround) where numpy holds them as float32; sums run in float64.

const PIXELS = 784;
const NEIGHBOURS = 10;

// A decoder from its blob: fc3.weight (hidden, latent), fc3.bias, fc4.weight (784, hidden), fc4.bias.
function makeDecoder(buffer, latent, hidden) {
  const all = new Float32Array(buffer);
  let at = 0;
  const take = (n) => all.subarray(at, (at += n));
  const w3 = take(hidden * latent), b3 = take(hidden), w4 = take(PIXELS * hidden), b4 = take(PIXELS);
  if (at !== all.length) throw new Error(`decoder blob holds ${all.length} floats, expected ${at}`);
  // fc4 transposed to (hidden, 784): a zero hidden unit (ReLU) then skips a whole contiguous row.
  const w4t = new Float32Array(hidden * PIXELS);
  for (let p = 0; p < PIXELS; p++) for (let j = 0; j < hidden; j++) w4t[j * PIXELS + p] = w4[p * hidden + j];
  return { latent, hidden, w3, b3, w4t, b4, h: new Float64Array(hidden), acc: new Float64Array(PIXELS) };
}

// Pixel means in [0, 1] of one code z (length latent) into `out` (length 784).
function decode(decoder, z, out) {
  const { latent, hidden, w3, b3, w4t, b4, h, acc } = decoder;
  for (let j = 0; j < hidden; j++) {
    let sum = b3[j];
    const row = j * latent;
    for (let k = 0; k < latent; k++) sum += w3[row + k] * Math.fround(z[k]);
    h[j] = sum > 0 ? sum : 0;
  }
  for (let p = 0; p < PIXELS; p++) acc[p] = b4[p];
  for (let j = 0; j < hidden; j++) {
    const value = h[j];
    if (value === 0) continue;
    const row = j * PIXELS;
    for (let p = 0; p < PIXELS; p++) acc[p] += w4t[row + p] * value;
  }
  for (let p = 0; p < PIXELS; p++) {
    const x = acc[p];
    out[p] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
  return out;
}

function norm(v) {
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k] * v[k];
  return Math.sqrt(sum);
}

// The code at fraction t of the way from a to b (float64), as vae/paths.py computes each row.
function pathPoint(a, b, t, method) {
  const n = a.length, out = new Float64Array(n);
  if (method === "spherical") {
    const na = norm(a), nb = norm(b);
    if (na >= 1e-12 && nb >= 1e-12) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (a[k] / na) * (b[k] / nb);
      const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
      const length = (1 - t) * na + t * nb;
      for (let k = 0; k < n; k++) {
        out[k] =
          omega < 1e-6
            ? (1 - t) * (a[k] / na) + t * (b[k] / nb)
            : (Math.sin((1 - t) * omega) * (a[k] / na) + Math.sin(t * omega) * (b[k] / nb)) / Math.sin(omega);
      }
      const scale = length / norm(out);
      for (let k = 0; k < n; k++) out[k] *= scale;
      return out;
    }
  }
  for (let k = 0; k < n; k++) out[k] = (1 - t) * a[k] + t * b[k];
  return out;
}

// `frames` codes from a to b inclusive (np.linspace's t), each rounded to float32, ends exact.
function pathCodes(a, b, frames, method) {
  const codes = [];
  const step = 1 / (frames - 1);
  for (let i = 0; i < frames; i++) {
    const t = i === frames - 1 ? 1 : i * step;
    const code = i === 0 ? Float64Array.from(a) : i === frames - 1 ? Float64Array.from(b) : pathPoint(a, b, t, method);
    codes.push(Float32Array.from(code));
  }
  return codes;
}

// Where a code lands on a PCA map, and the code a point of the map stands for.
function project(pca, z) {
  let x = 0, y = 0;
  for (let k = 0; k < z.length; k++) {
    const centred = Math.fround(z[k]) - pca.mean[k];
    x += centred * pca.components[0][k];
    y += centred * pca.components[1][k];
  }
  return [x, y];
}

function invert(pca, x, y) {
  const z = new Float32Array(pca.mean.length);
  for (let k = 0; k < z.length; k++) z[k] = pca.mean[k] + x * pca.components[0][k] + y * pca.components[1][k];
  return z;
}

// t-SNE keeps no transform: a code goes to the inverse-distance-weighted mean of its 10 nearest test codes.
function knnPlace(mu, latent, coords, z) {
  const count = coords.length / 2, best = [];
  for (let i = 0; i < count; i++) {
    let d = 0;
    const row = i * latent;
    for (let k = 0; k < latent; k++) {
      const diff = mu[row + k] - z[k];
      d += diff * diff;
    }
    if (best.length < NEIGHBOURS || d < best[best.length - 1][0]) {
      best.push([d, i]);
      best.sort((p, q) => p[0] - q[0]);
      if (best.length > NEIGHBOURS) best.pop();
    }
  }
  let x = 0, y = 0, total = 0;
  for (const [d, i] of best) {
    const w = 1 / (Math.sqrt(d) + 1e-6);
    x += w * coords[2 * i];
    y += w * coords[2 * i + 1];
    total += w;
  }
  return [x / total, y / total];
}

// Grey levels 0-255 as numpy rounds them (np.round halves to even; here pixels are never exact halves).
function toGrey(values, rgba) {
  for (let p = 0; p < PIXELS; p++) {
    const grey = Math.round(255 * Math.min(1, Math.max(0, values[p])));
    rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = grey;
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}
