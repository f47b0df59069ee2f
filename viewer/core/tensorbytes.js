// A safetensors tensor's little-endian bytes as float32 whatever this machine's byte order (the dtypes the
// upload accepts: vae/foreign.py DTYPES), for safetensors.js.

/** bytes per element of each accepted dtype */
export const DTYPES = { F32: 4, F16: 2, F64: 8, BF16: 2 };

/** IEEE half precision to a number. @param {number} bits */
function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * One tensor's bytes as float32 (little-endian in the file, whatever this machine's order).
 * @param {DataView} view @param {string} dtype @param {number} count @returns {Float32Array}
 */
export function decodeTensor(view, dtype, count) {
  const out = new Float32Array(count);
  if (dtype === "F32") for (let k = 0; k < count; k++) out[k] = view.getFloat32(4 * k, true);
  else if (dtype === "F64") for (let k = 0; k < count; k++) out[k] = view.getFloat64(8 * k, true);
  else if (dtype === "F16") for (let k = 0; k < count; k++) out[k] = halfToFloat(view.getUint16(2 * k, true));
  else {
    // bfloat16 is the top half of a float32
    const word = new DataView(new ArrayBuffer(4));
    for (let k = 0; k < count; k++) {
      word.setUint32(0, view.getUint16(2 * k, true) << 16, true);
      out[k] = word.getFloat32(0, true);
    }
  }
  return out;
}
