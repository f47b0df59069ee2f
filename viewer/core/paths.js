// Paths between two codes in the browser, mirroring vae/paths.py interpolate: linear, or spherical with
// the norm changing linearly (the line where the codes are opposite or one is the origin). tests/js/paths.test.js holds them to fixtures exported from numpy.

/** @param {ArrayLike<number>} v */
function norm(v) {
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k] * v[k];
  return Math.sqrt(sum);
}

/**
 * The code at fraction `t` of the way from `a` to `b` (float64), as vae/paths.py computes each row.
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b @param {number} t @param {string} method
 * @returns {Float64Array}
 */
export function pathPoint(a, b, t, method) {
  const n = a.length;
  const out = new Float64Array(n);
  if (method === "spherical") {
    const na = norm(a);
    const nb = norm(b);
    let dot = 0;
    for (let k = 0; k < n && na >= 1e-12 && nb >= 1e-12; k++) dot += (a[k] / na) * (b[k] / nb);
    const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
    // At the origin a direction is undefined, and opposite codes leave no plane to turn in: the straight line.
    if (na >= 1e-12 && nb >= 1e-12 && omega <= Math.PI - 1e-6) {
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

/**
 * `frames` codes from a to b inclusive (np.linspace's t), each rounded to float32, the ends exact.
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b @param {number} frames @param {string} method
 * @returns {Float32Array[]}
 */
export function pathCodes(a, b, frames, method) {
  const codes = [];
  const step = 1 / (frames - 1);
  for (let i = 0; i < frames; i++) {
    const t = i === frames - 1 ? 1 : i * step;
    const code = i === 0 ? Float64Array.from(a) : i === frames - 1 ? Float64Array.from(b) : pathPoint(a, b, t, method);
    codes.push(Float32Array.from(code));
  }
  return codes;
}

/**
 * The point at fraction `t` along a polyline of codes (a geodesic's optimised frames), linear between them.
 * @param {Float32Array[]} codes @param {number} t @returns {Float32Array}
 */
export function alongPolyline(codes, t) {
  const at = t * (codes.length - 1);
  const i = Math.min(codes.length - 2, Math.floor(at));
  const u = at - i;
  return codes[i].map((value, k) => (1 - u) * value + u * codes[i + 1][k]);
}
