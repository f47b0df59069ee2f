// Seeded draws of N(0, I), the same in every browser and in numpy (explorer/lesson_draws.py `normals`
// mirrors `normals`; tests/test_lesson_js.py holds them together): mulberry32, a 32-bit generator small
// enough to write twice, and the Box–Muller transform. A seed and a stream pick the sequence: the lesson's
// sample rows of each latent size, its "decode one draw", its reparameterization's ε and the explore view's
// samples from the prior each have their own stream, so a new seed in one leaves the others as they were.

export const STREAMS = { rows20: 1, rows2: 2, draw: 3, eps: 4, prior: 5 };
const GOLDEN = 0x9e3779b9;
const TWO_32 = 4294967296;

/**
 * The generator's state for `seed` in `stream`: a 32-bit word.
 * @param {number} seed @param {number} stream @returns {number}
 */
export function startState(seed, stream) {
  return (Math.imul(stream, GOLDEN) + seed) >>> 0;
}

/**
 * `count` draws of N(0, 1) as float32, seeded: pairs of uniforms u1 in (0, 1), u2 in [0, 1) give
 * sqrt(-2 ln u1) cos(2π u2), then sqrt(-2 ln u1) sin(2π u2).
 * @param {number} seed @param {number} stream @param {number} count @returns {Float32Array}
 */
export function normals(seed, stream, count) {
  let state = startState(seed, stream);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u1 = (next() + 0.5) / TWO_32;
    const u2 = next() / TWO_32;
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
