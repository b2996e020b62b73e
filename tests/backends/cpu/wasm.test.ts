/**
 * The WebAssembly SIMD kernels against the pure-TS reference kernels (src/backends/cpu/linalg), on
 * ragged shapes (edges of every register and cache block), every transpose, broadcast batches, the
 * convolutions with SAME/VALID padding and strides, and the worker-thread split. Needs the built module
 * (`npm run build`); without it the suite is skipped and the kernels fall back to TS (tested below too).
 */
import { batchMatmul, broadcastBatchShape, matmul } from '../../../src/backends/cpu/linalg/matmul';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../../../src/backends/cpu/linalg/conv';
import { conv2dGeometry as geometry } from '../../../src/ops/nn_geometry';
import {
  kernelInfo,
  setKernelOptions,
  shutdownWorkers,
  wasmAvailable,
  wasmBatchMatmul,
  wasmConv2d,
  wasmConv2dBackpropFilter,
  wasmConv2dBackpropInput,
  wasmMatmul,
  warmUpWorkers,
} from '../../../src/backends/cpu/wasm';
import * as tf from '../../../src';

/** The op layer's Conv2D geometry (src/ops/nn_geometry.ts) for NHWC shapes and [h, w] strides. */
const conv2dGeometry = (xs: number[], ws: number[], [sh, sw]: number[], padding: 'SAME' | 'VALID') =>
  geometry(xs, ws, { type: 'Conv2D', attrs: { strides: [1, sh, sw, 1], padding } });

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** Max |a - b| relative to max(1, |b|) elementwise. */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return e;
}

const built = wasmAvailable();
const describeWasm = built ? describe : describe.skip;
if (!built) console.warn(`wasm kernel tests skipped: ${kernelInfo()}`);

describeWasm('wasm matmul vs TS reference', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 13],
    [5, 3, 9],
    [4, 8, 8],
    [13, 17, 11],
    [37, 300, 29], // k spans two KC blocks
    [101, 65, 130], // m spans two MC blocks
    [3, 2, 2100], // n spans two NC blocks
    [128, 64, 10],
  ];
  for (const [m, k, n] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`[${m}x${k}]·[${k}x${n}] ta=${ta} tb=${tb}`, () => {
        const a = rand(m * k, m * 31 + k);
        const b = rand(k * n, n * 17 + k);
        const ref = new Float64Array(m * n);
        matmul(Float64Array.from(a), Float64Array.from(b), ref, m, k, n, ta, tb);
        const out = new Float32Array(m * n).fill(NaN);
        expect(wasmMatmul(a, b, out, m, k, n, ta, tb)).toBe(true);
        expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
      });
    }
  }

  it('honours offsets into the operands and output', () => {
    const [m, k, n] = [6, 5, 9];
    const a = rand(3 + m * k, 1);
    const b = rand(4 + k * n, 2);
    const out = new Float32Array(7 + m * n).fill(-1);
    expect(wasmMatmul(a, b, out, m, k, n, false, true, 3, 4, 7)).toBe(true);
    const ref = new Float64Array(m * n);
    matmul(Float64Array.from(a), Float64Array.from(b), ref, m, k, n, false, true, 3, 4, 0);
    expect(Array.from(out.subarray(0, 7))).toEqual(new Array(7).fill(-1));
    expect(maxRelErr(out.subarray(7), ref)).toBeLessThan(1e-5);
  });

  it('k = 0 gives zeros', () => {
    const out = new Float32Array(6).fill(3);
    expect(wasmMatmul(new Float32Array(0), new Float32Array(0), out, 2, 0, 3, false, false)).toBe(true);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('batched with broadcasting, every transpose', () => {
    const [m, k, n] = [5, 7, 6];
    for (const [ta, tb] of [
      [false, false],
      [true, true],
      [false, true],
    ] as const) {
      for (const [batchA, batchB] of [
        [[2, 3], [3]],
        [[4], []],
        [[1], [3]],
        [
          [2, 1],
          [1, 3],
        ],
      ] as number[][][]) {
        const ca = batchA!.reduce((x, y) => x * y, 1);
        const cb = batchB!.reduce((x, y) => x * y, 1);
        const a = rand(ca * m * k, 5);
        const b = rand(cb * k * n, 6);
        const total = broadcastBatchShape(batchA!, batchB!).reduce((x, y) => x * y, 1);
        const ref = new Float64Array(total * m * n);
        batchMatmul(Float64Array.from(a), Float64Array.from(b), ref, batchA!, batchB!, m, k, n, ta, tb);
        const out = new Float32Array(total * m * n);
        expect(wasmBatchMatmul(a, b, out, batchA!, batchB!, m, k, n, ta, tb)).toBe(true);
        expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
      }
    }
  });
});

describeWasm('wasm conv2d vs TS reference', () => {
  const cases: [number[], number[], [number, number], 'SAME' | 'VALID'][] = [
    [[2, 7, 5, 3], [3, 2, 3, 4], [1, 1], 'SAME'],
    [[2, 7, 5, 3], [3, 2, 3, 4], [2, 2], 'SAME'],
    [[1, 9, 8, 2], [3, 3, 2, 5], [2, 1], 'VALID'],
    [[3, 6, 6, 1], [5, 5, 1, 6], [1, 1], 'SAME'],
    [[2, 4, 5, 3], [1, 1, 3, 2], [1, 1], 'VALID'],
  ];
  for (const [xs, ws, strides, padding] of cases) {
    const g = conv2dGeometry(xs, ws, strides, padding);
    const xSize = xs.reduce((a, b) => a * b, 1);
    const wSize = ws.reduce((a, b) => a * b, 1);
    const ySize = g.batch * g.outH * g.outW * g.outC;
    const name = `x[${xs}] w[${ws}] s${strides} ${padding}`;
    it(`forward ${name}`, () => {
      const x = rand(xSize, 1);
      const w = rand(wSize, 2);
      const ref = new Float64Array(ySize);
      conv2d(Float64Array.from(x), Float64Array.from(w), ref, g);
      const out = new Float32Array(ySize);
      expect(wasmConv2d(x, w, out, g)).toBe(true);
      expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
    });
    it(`backprop input ${name}`, () => {
      const dy = rand(ySize, 3);
      const w = rand(wSize, 4);
      const ref = new Float64Array(xSize);
      conv2dBackpropInput(Float64Array.from(dy), Float64Array.from(w), ref, g);
      const out = new Float32Array(xSize).fill(NaN);
      expect(wasmConv2dBackpropInput(dy, w, out, g)).toBe(true);
      expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
    });
    it(`backprop filter ${name}`, () => {
      const x = rand(xSize, 5);
      const dy = rand(ySize, 6);
      const ref = new Float64Array(wSize);
      conv2dBackpropFilter(Float64Array.from(x), Float64Array.from(dy), ref, g);
      const out = new Float32Array(wSize).fill(NaN);
      expect(wasmConv2dBackpropFilter(x, dy, out, g)).toBe(true);
      expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
    });
  }
});

describeWasm('wasm matmul split over worker threads', () => {
  afterAll(() => {
    setKernelOptions({ threads: 1, parallelThreshold: 1 << 25, adaptive: true });
    shutdownWorkers();
  });

  it('chooses per size between one thread and all, with identical results', () => {
    setKernelOptions({ threads: 2, parallelThreshold: 0, adaptive: true });
    expect(warmUpWorkers()).toBe(true);
    const [m, k, n] = [40, 64, 72];
    const a = rand(m * k, 11);
    const b = rand(k * n, 12);
    const first = new Float32Array(m * n);
    expect(wasmMatmul(a, b, first, m, k, n, false, false)).toBe(true); // parallel (first try)
    for (let rep = 0; rep < 40; rep++) {
      const out = new Float32Array(m * n);
      expect(wasmMatmul(a, b, out, m, k, n, false, false)).toBe(true); // single, then the faster one
      expect(Array.from(out)).toEqual(Array.from(first)); // bitwise equal on either path
    }
  });

  it('gives the single-thread result for row and column splits', () => {
    setKernelOptions({ threads: 3, parallelThreshold: 0, adaptive: false });
    expect(warmUpWorkers()).toBe(true);
    for (const [m, k, n, ta, tb] of [
      [70, 33, 20, false, false], // split by rows
      [9, 40, 101, true, false], // split by columns
      [3, 5, 7, false, true], // fewer tiles than threads
      [50, 300, 61, true, true],
    ] as [number, number, number, boolean, boolean][]) {
      const a = rand(m * k, 7);
      const b = rand(k * n, 8);
      const ref = new Float64Array(m * n);
      matmul(Float64Array.from(a), Float64Array.from(b), ref, m, k, n, ta, tb);
      for (let rep = 0; rep < 3; rep++) {
        const out = new Float32Array(m * n).fill(NaN);
        expect(wasmMatmul(a, b, out, m, k, n, ta, tb)).toBe(true);
        expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
      }
    }
  });
});

describe('fallback to the TS kernels', () => {
  afterEach(() => setKernelOptions({ wasm: true }));

  it('the wasm entry points decline when switched off, and sessions still compute', () => {
    setKernelOptions({ wasm: false });
    expect(wasmAvailable()).toBe(false);
    expect(kernelInfo()).toMatch(/TS kernels/);
    expect(
      wasmMatmul(new Float32Array(1), new Float32Array(1), new Float32Array(1), 1, 1, 1, false, false),
    ).toBe(false);
    const g = new tf.Graph();
    const y = g.asDefault(() => tf.matmul(tf.constant([[1, 2, 3]]), tf.constant([[1], [2], [3]])));
    const sess = new tf.Session({ graph: g });
    expect(sess.run(y).toArray()).toEqual([[14]]);
  });

  it('session results agree with wasm on and off (float32 MatMul and Conv2D)', () => {
    const g = new tf.Graph();
    const [mm, conv] = g.asDefault(() => {
      const a = tf.constant(tf.ndarray(rand(6 * 20, 1), [6, 20], 'float32'));
      const b = tf.constant(tf.ndarray(rand(20 * 9, 2), [20, 9], 'float32'));
      const x = tf.constant(tf.ndarray(rand(2 * 8 * 8 * 3, 3), [2, 8, 8, 3], 'float32'));
      const w = tf.constant(tf.ndarray(rand(3 * 3 * 3 * 4, 4), [3, 3, 3, 4], 'float32'));
      return [tf.matmul(a, b, { transposeB: false }), tf.nn.conv2d(x, w, [1, 2, 2, 1], 'SAME')];
    });
    const run = (): number[][] => {
      const sess = new tf.Session({ graph: g });
      const [p, q] = sess.run([mm!, conv!]);
      return [Array.from(p.data), Array.from(q.data)];
    };
    const on = run();
    setKernelOptions({ wasm: false });
    const off = run();
    expect(maxRelErr(on[0]!, off[0]!)).toBeLessThan(1e-5);
    expect(maxRelErr(on[1]!, off[1]!)).toBeLessThan(1e-5);
  });
});
