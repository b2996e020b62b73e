/**
 * The relaxed-SIMD (fused multiply-add) build of the wasm kernels against the TS reference. Node 20
 * validates relaxed SIMD only with --experimental-wasm-relaxed-simd, so this file turns the V8 flag on
 * before the loader runs (V8 flags are per process: later suites in this worker may then also load the
 * FMA build, which the same comparisons cover). Skipped when the build has not been made.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { matmul } from '../../../src/backends/cpu/linalg/matmul';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../../../src/backends/cpu/linalg/conv';
import { conv2dGeometry as geometry } from '../../../src/ops/nn_geometry';

/** The op layer's Conv2D geometry (src/ops/nn_geometry.ts) for NHWC shapes and [h, w] strides. */
const conv2dGeometry = (xs: number[], ws: number[], [sh, sw]: number[], padding: 'SAME' | 'VALID') =>
  geometry(xs, ws, { type: 'Conv2D', attrs: { strides: [1, sh, sw, 1], padding } });

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const wasm = require('../../../src/backends/cpu/wasm') as typeof import('../../../src/backends/cpu/wasm');

const relaxedFile = path.resolve(__dirname, '../../../build/wasm/kernels-relaxed.wasm');
const built = fs.existsSync(relaxedFile) && wasm.wasmAvailable();
if (!built)
  console.warn('relaxed-SIMD wasm tests skipped: build/wasm/kernels-relaxed.wasm not built (npm run build)');
const describeRelaxed = built ? describe : describe.skip;

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return e;
}

describeRelaxed('relaxed-SIMD (FMA) wasm kernels', () => {
  it('are the ones loaded', () => {
    expect(wasm.kernelInfo()).toMatch(/relaxed-SIMD FMA/);
  });

  for (const [m, k, n] of [
    [13, 17, 11],
    [37, 300, 29],
    [101, 65, 130],
  ] as [number, number, number][]) {
    it(`matmul [${m}x${k}]·[${k}x${n}], every transpose`, () => {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const a = rand(m * k, 1);
        const b = rand(k * n, 2);
        const ref = new Float64Array(m * n);
        matmul(Float64Array.from(a), Float64Array.from(b), ref, m, k, n, ta, tb);
        const out = new Float32Array(m * n);
        expect(wasm.wasmMatmul(a, b, out, m, k, n, ta, tb)).toBe(true);
        expect(maxRelErr(out, ref)).toBeLessThan(1e-5);
      }
    });
  }

  it('conv2d and both backprops', () => {
    const g = conv2dGeometry([2, 9, 7, 3], [3, 3, 3, 5], [2, 1], 'SAME');
    const xs = 2 * 9 * 7 * 3;
    const ws = 3 * 3 * 3 * 5;
    const ys = g.batch * g.outH * g.outW * g.outC;
    const [x, w, dy] = [rand(xs, 3), rand(ws, 4), rand(ys, 5)];
    const cases: [(o: Float32Array) => boolean, (o: Float64Array) => void, number][] = [
      [
        (o) => wasm.wasmConv2d(x, w, o, g),
        (o) => conv2d(Float64Array.from(x), Float64Array.from(w), o, g),
        ys,
      ],
      [
        (o) => wasm.wasmConv2dBackpropInput(dy, w, o, g),
        (o) => conv2dBackpropInput(Float64Array.from(dy), Float64Array.from(w), o, g),
        xs,
      ],
      [
        (o) => wasm.wasmConv2dBackpropFilter(x, dy, o, g),
        (o) => conv2dBackpropFilter(Float64Array.from(x), Float64Array.from(dy), o, g),
        ws,
      ],
    ];
    for (const [run, ref, size] of cases) {
      const out = new Float32Array(size);
      const r = new Float64Array(size);
      expect(run(out)).toBe(true);
      ref(r);
      expect(maxRelErr(out, r)).toBeLessThan(1e-5);
    }
  });
});
