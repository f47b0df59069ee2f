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
