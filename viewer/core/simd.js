// The geodesic's heavy products as WebAssembly SIMD (f32x4), for viewer/core/geodesic.js: the decoder's layers
// over the hidden units a code switches on, and the transpose of its output layer for the gradient. The module
// is written here, byte by byte, from the WebAssembly binary format (no toolchain, no binary file: about 500
// bytes, compiled synchronously). Where a browser lacks WebAssembly SIMD (`simdKernels()` returns null), the
// geodesic runs its plain JS loops instead. float32 throughout, like numpy's products; the sums' order differs.
//
//   combine(out, bias, rows, values, count, length)  out[p] = bias[p] + sum_m values[m] * row_m[p]   (p < length)
//   backward(grad, rows, count, out)                  out[m] = sum_p row_m[p] * grad[p]            (p < 784)
//
// All arguments are byte addresses in the module's one memory (imported), or sizes in bytes: rows[m] is the
// address of a row (16-byte aligned), count is 4 per row, and combine's length a multiple of 64 bytes (backward's
// rows are 784 float32, the decoder's output layer).

const ROW_BYTES = 784 * 4;
const LANES = 4; // v128 accumulators in combine: blocks of 16 float32, 64 bytes
const I32 = 0x7f;
const V128 = 0x7b;
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32LtU: 0x49,
  i32Add: 0x6a,
  f32Add: 0x92,
};
/** SIMD instructions: the 0xfd prefix, then the opcode as unsigned LEB128. */
const SIMD = {
  load: [0xfd, 0x00],
  store: [0xfd, 0x0b],
  splat: [0xfd, 0x13],
  lane: [0xfd, 0x1f],
  add: [0xfd, 0xe4, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  madd: [0xfd, 0x85, 0x02], // f32x4.relaxed_madd (relaxed SIMD): a * b + c, fused where the CPU has FMA
};

/** accumulator += (the two vectors on the stack, multiplied): one relaxed_madd, or a mul then an add. */
const multiplyAdd = (/** @type {number} */ accumulator, /** @type {boolean} */ fused) =>
  fused
    ? [OP.get, accumulator, ...SIMD.madd, OP.set, accumulator]
    : [...SIMD.mul, OP.get, accumulator, ...SIMD.add, OP.set, accumulator];

/** Unsigned LEB128: sizes, counts, offsets. */
function leb(/** @type {number} */ value) {
  const out = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>>= 7;
    if (value === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** Signed LEB128 of a non-negative number (i32.const): a set sign bit (0x40) in the last byte needs one more. */
function sleb(/** @type {number} */ value) {
  const bytes = leb(value);
  return bytes[bytes.length - 1] & 0x40 ? [...bytes.slice(0, -1), bytes[bytes.length - 1] | 0x80, 0] : bytes;
}

/** A name or a vector: its length, then its bytes. */
const sized = (/** @type {number[]} */ bytes) => [...leb(bytes.length), ...bytes];
const text = (/** @type {string} */ name) => sized([...name].map((c) => c.charCodeAt(0)));
const section = (/** @type {number} */ id, /** @type {number[]} */ bytes) => [id, ...sized(bytes)];
const get = (/** @type {number} */ local) => [OP.get, local];
const set = (/** @type {number} */ local) => [OP.set, local];
const i32 = (/** @type {number} */ value) => [OP.i32Const, ...sleb(value)];
const vload = (/** @type {number} */ offset) => [...SIMD.load, 4, ...leb(offset)]; // align 16 bytes

/** out, bias, rows, values, count, length | p, m, w | v, a0..a3 */
/** @param {boolean} fused */
function combineBody(fused) {
  const [out, bias, rows, values, count, length, p, m, w, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const acc = Array.from({ length: LANES }, (_, lane) => 10 + lane);
  return [
    ...i32(0),
    ...set(p),
    OP.loop,
    0x40,
    ...acc.flatMap((a, lane) => [...get(bias), ...get(p), OP.i32Add, ...vload(16 * lane), ...set(a)]),
    ...i32(0),
    ...set(m),
    OP.block,
    0x40,
    OP.loop,
    0x40,
    ...get(m),
    ...get(count),
    OP.i32GeU,
    OP.brIf,
    1,
    ...get(rows),
    ...get(m),
    OP.i32Add,
    OP.i32Load,
    2,
    0,
    ...get(p),
    OP.i32Add,
    ...set(w),
    ...get(values),
    ...get(m),
    OP.i32Add,
    OP.f32Load,
    2,
    0,
    ...SIMD.splat,
    ...set(v),
    ...acc.flatMap((a, lane) => [...get(w), ...vload(16 * lane), ...get(v), ...multiplyAdd(a, fused)]),
    ...get(m),
    ...i32(4),
    OP.i32Add,
    ...set(m),
    OP.br,
    0,
    OP.end,
    OP.end,
    ...acc.flatMap((a, lane) => [...get(out), ...get(p), OP.i32Add, ...get(a), ...SIMD.store, 4, ...leb(16 * lane)]),
    ...get(p),
    ...i32(16 * LANES),
    OP.i32Add,
    OP.tee,
    p,
    ...get(length),
    OP.i32LtU,
    OP.brIf,
    0,
    OP.end,
    OP.end,
  ];
}

/** grad, rows, count, out | m, w, p | a0..a3 */
/** @param {boolean} fused */
function backwardBody(fused) {
  const [grad, rows, count, out, m, w, p] = [0, 1, 2, 3, 4, 5, 6];
  const acc = [7, 8, 9, 10];
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)]; // v128.const 0
  return [
    ...i32(0),
    ...set(m),
    OP.block,
    0x40,
    OP.loop,
    0x40,
    ...get(m),
    ...get(count),
    OP.i32GeU,
    OP.brIf,
    1,
    ...get(rows),
    ...get(m),
    OP.i32Add,
    OP.i32Load,
    2,
    0,
    ...set(w),
    ...acc.flatMap((a) => [...zero, ...set(a)]),
    ...i32(0),
    ...set(p),
    OP.loop,
    0x40,
    ...acc.flatMap((a, lane) => [
      ...get(w),
      ...get(p),
      OP.i32Add,
      ...vload(16 * lane),
      ...get(grad),
      ...get(p),
      OP.i32Add,
      ...vload(16 * lane),
      ...multiplyAdd(a, fused),
    ]),
    ...get(p),
    ...i32(64),
    OP.i32Add,
    OP.tee,
    p,
    ...i32(ROW_BYTES),
    OP.i32LtU,
    OP.brIf,
    0,
    OP.end,
    ...get(out),
    ...get(m),
    OP.i32Add,
    ...get(acc[0]),
    ...get(acc[1]),
    ...SIMD.add,
    ...get(acc[2]),
    ...get(acc[3]),
    ...SIMD.add,
    ...SIMD.add,
    OP.tee,
    acc[0],
    ...SIMD.lane,
    0,
    ...get(acc[0]),
    ...SIMD.lane,
    1,
    OP.f32Add,
    ...get(acc[0]),
    ...SIMD.lane,
    2,
    OP.f32Add,
    ...get(acc[0]),
    ...SIMD.lane,
    3,
    OP.f32Add,
    OP.f32Store,
    2,
    0,
    ...get(m),
    ...i32(4),
    OP.i32Add,
    ...set(m),
    OP.br,
    0,
    OP.end,
    OP.end,
    OP.end,
  ];
}

/** A function's code: its locals (runs of [count, type]) then its instructions. */
const code = (/** @type {number[][]} */ locals, /** @type {number[]} */ body) =>
  sized([...leb(locals.length), ...locals.flat(), ...body]);

/** The module's bytes, with relaxed SIMD's fused multiply-add or without. @param {boolean} fused */
export function moduleBytes(fused) {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [2, ...[0x60, 6, I32, I32, I32, I32, I32, I32, 0], ...[0x60, 4, I32, I32, I32, I32, 0]]),
    ...section(2, [1, ...text("env"), ...text("memory"), 0x02, 0x00, 1]),
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...text("combine"), 0x00, 0, ...text("backward"), 0x00, 1]),
    ...section(10, [
      2,
      ...code(
        [
          [3, I32],
          [1 + LANES, V128],
        ],
        combineBody(fused),
      ),
      ...code(
        [
          [3, I32],
          [4, V128],
        ],
        backwardBody(fused),
      ),
    ]),
  ]);
}

/**
 * @typedef {object} Kernels
 * @property {WebAssembly.Memory} memory
 * @property {(out: number, bias: number, rows: number, values: number, count: number, length: number) => void} combine
 * @property {(grad: number, rows: number, count: number, out: number) => void} backward
 */

/** @type {WebAssembly.Module | null | undefined} */
let compiled;

/**
 * The kernels on a memory of `bytes` (rounded up to whole 64 KiB pages), or null without WebAssembly SIMD.
 * @param {number} bytes @returns {Kernels | null}
 */
export function simdKernels(bytes) {
  if (compiled === undefined) {
    compiled = null;
    if (typeof WebAssembly === "object") {
      // Relaxed SIMD's fused multiply-add where the engine has it (Chrome 114+, Firefox 120+), else f32x4.
      const wasm = [moduleBytes(true), moduleBytes(false)].find((bytes) => WebAssembly.validate(bytes));
      if (wasm) compiled = new WebAssembly.Module(wasm);
    }
  }
  if (compiled === null) return null;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
  return {
    memory,
    combine: /** @type {any} */ (exports.combine),
    backward: /** @type {any} */ (exports.backward),
  };
}
