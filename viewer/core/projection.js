// Where a code sits on a 2-D map, and back, mirroring vae/atlas.py:
//   project   Atlas.place("pca")   (z - mean) . components^T
//   invert    the PCA map's inverse  mean + components^T (x, y)
//   knnPlace  knn_place            inverse-distance mean of the 10 nearest test codes (t-SNE has no transform)
// tests/js/projection.test.js holds them to fixtures exported from numpy.

export const NEIGHBOURS = 10;

/** @typedef {{mean: number[], components: number[][]}} Pca */

/** @param {Pca} pca @param {ArrayLike<number>} z @returns {[number, number]} */
export function project(pca, z) {
  let x = 0;
  let y = 0;
  for (let k = 0; k < z.length; k++) {
    const centred = Math.fround(z[k]) - pca.mean[k];
    x += centred * pca.components[0][k];
    y += centred * pca.components[1][k];
  }
  return [x, y];
}

/** @param {Pca} pca @param {number} x @param {number} y @returns {Float32Array} */
export function invert(pca, x, y) {
  const z = new Float32Array(pca.mean.length);
  for (let k = 0; k < z.length; k++) z[k] = pca.mean[k] + x * pca.components[0][k] + y * pca.components[1][k];
  return z;
}

/**
 * @param {Float32Array} mu the test codes, (count, latent) row-major
 * @param {number} latent
 * @param {Float32Array} coords their places on the map, (count, 2)
 * @param {ArrayLike<number>} z
 * @returns {[number, number]}
 */
export function knnPlace(mu, latent, coords, z) {
  const count = coords.length / 2;
  /** @type {Array<[number, number]>} */
  const best = [];
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
  let x = 0;
  let y = 0;
  let total = 0;
  for (const [d, i] of best) {
    const w = 1 / (Math.sqrt(d) + 1e-6);
    x += w * coords[2 * i];
    y += w * coords[2 * i + 1];
    total += w;
  }
  return [x / total, y / total];
}

/**
 * The PCA map of `mu`, (count, latent) row-major, as training/atlas.py fits it (sklearn's PCA(n_components=2)):
 * the mean, and the covariance's two leading eigenvectors (orthogonal iteration on two vectors, then the 2 x 2
 * Rayleigh-Ritz step to order them), each signed so that its largest entry is positive (sklearn's svd_flip).
 * For a visitor's uploaded model, whose atlas no server made; tests/test_upload_vae.py holds it to sklearn.
 * @param {Float32Array} mu @param {number} latent @returns {Pca}
 */
export function fitPca(mu, latent) {
  const count = mu.length / latent;
  const mean = new Float64Array(latent);
  for (let i = 0; i < count; i++) for (let k = 0; k < latent; k++) mean[k] += mu[i * latent + k];
  for (let k = 0; k < latent; k++) mean[k] /= count;
  const cov = new Float64Array(latent * latent);
  const row = new Float64Array(latent);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < latent; k++) row[k] = mu[i * latent + k] - mean[k];
    for (let k = 0; k < latent; k++) {
      const value = row[k];
      for (let l = k; l < latent; l++) cov[k * latent + l] += value * row[l];
    }
  }
  for (let k = 0; k < latent; k++) for (let l = k; l < latent; l++) cov[l * latent + k] = cov[k * latent + l];
  const times = (/** @type {Float64Array} */ v) => {
    const out = new Float64Array(latent);
    for (let k = 0; k < latent; k++) {
      let sum = 0;
      for (let l = 0; l < latent; l++) sum += cov[k * latent + l] * v[l];
      out[k] = sum;
    }
    return out;
  };
  const dot = (/** @type {Float64Array} */ p, /** @type {Float64Array} */ q) => p.reduce((s, v, k) => s + v * q[k], 0);
  const unit = (/** @type {Float64Array} */ v) => {
    const n = Math.sqrt(dot(v, v)) || 1;
    return v.map((x) => x / n);
  };
  // Start from the unit vectors of the two largest variances: never orthogonal to the leading axes in practice.
  const order = Array.from({ length: latent }, (_, k) => k).sort((p, q) => cov[q * latent + q] - cov[p * latent + p]);
  let u = new Float64Array(latent);
  let v = new Float64Array(latent);
  u[order[0]] = 1;
  v[order[1]] = 1;
  for (let step = 0; step < 3000; step++) {
    const nu = unit(times(u));
    let nv = times(v);
    const along = dot(nv, nu);
    nv = unit(nv.map((x, k) => x - along * nu[k]));
    const moved = 2 - Math.abs(dot(nu, u)) - Math.abs(dot(nv, v));
    u = nu;
    v = nv;
    if (moved < 1e-15) break;
  }
  // Rayleigh-Ritz: the eigenvectors of the covariance restricted to span(u, v), largest eigenvalue first.
  const cu = times(u);
  const cv = times(v);
  const a = dot(u, cu);
  const b = dot(u, cv);
  const d = dot(v, cv);
  const angle = 0.5 * Math.atan2(2 * b, a - d);
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const first = u.map((x, k) => c * x + s * v[k]);
  const second = u.map((x, k) => -s * x + c * v[k]);
  const signed = (/** @type {Float64Array} */ w) => {
    let biggest = 0;
    for (let k = 1; k < latent; k++) if (Math.abs(w[k]) > Math.abs(w[biggest])) biggest = k;
    return Array.from(w, (x) => Math.fround(w[biggest] < 0 ? -x : x));
  };
  return { mean: Array.from(mean, Math.fround), components: [signed(first), signed(second)] };
}

/**
 * Every code's place on a PCA map, (count, 2) row-major (Atlas.place("pca")).
 * @param {Pca} pca @param {Float32Array} mu @param {number} latent @returns {Float32Array}
 */
export function projectAll(pca, mu, latent) {
  const count = mu.length / latent;
  const coords = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const [x, y] = project(pca, mu.subarray(i * latent, (i + 1) * latent));
    coords[2 * i] = x;
    coords[2 * i + 1] = y;
  }
  return coords;
}
