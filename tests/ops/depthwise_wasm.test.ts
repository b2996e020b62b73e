/**
 * The WebAssembly SIMD depthwise forward kernel (src/backends/cpu/wasm/depthwise.ts) against the TS
 * kernel (src/backends/cpu/linalg/depthwise.ts, itself checked against float64 loops in
 * depthwise.test.ts): channel counts around its 16/4/1-lane blocks, both paddings, strides, dilations,
 * clipped borders and batch 2. Needs the built module (`npm run build`); skipped (with a warning)
 * without it, in which case the CPU backend uses the TS kernel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { depthwiseConv2d } from '../../src/backends/cpu/linalg/depthwise';
import { setKernelOptions, wasmAvailable } from '../../src/backends/cpu/wasm';
import { wasmDepthwiseForward } from '../../src/backends/cpu/wasm/depthwise';
import { depthwiseConv2dGeometry } from '../../src/ops/nn_geometry';

/** The op layer's depthwise geometry (src/ops/nn_geometry.ts) for NHWC shapes, [h, w] strides/dilations. */
const depthwiseGeometry = (
  xs: number[],
  fs: number[],
  [sh, sw]: number[],
  [dh, dw]: number[],
  padding: 'SAME' | 'VALID',
) =>
  depthwiseConv2dGeometry(xs, fs, {
    type: 'DepthwiseConv2dNative',
    attrs: { strides: [1, sh, sw, 1], dilations: [1, dh, dw, 1], padding },
  });

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

const built = wasmAvailable() && fs.existsSync(path.join(__dirname, '../../build/wasm/depthwise.wasm'));
const describeWasm = built ? describe : describe.skip;
if (!built) console.warn('depthwise wasm tests skipped: build/wasm/depthwise.wasm not built (npm run build)');

describeWasm('wasm depthwise forward vs the TS kernel', () => {
  const cases: [number[], number[], number, number, 'SAME' | 'VALID'][] = [
    [[2, 7, 5, 1], [3, 3, 1, 1], 1, 1, 'SAME'],
    [[1, 9, 8, 3], [3, 3, 3, 1], 2, 1, 'SAME'],
    [[1, 9, 8, 4], [5, 5, 4, 1], 1, 1, 'SAME'],
    [[2, 11, 10, 5], [3, 2, 5, 1], 2, 1, 'VALID'],
    [[1, 12, 12, 16], [3, 3, 16, 1], 1, 2, 'SAME'],
    [[1, 13, 9, 17], [5, 5, 17, 1], 2, 1, 'SAME'],
    [[1, 16, 16, 20], [3, 3, 20, 1], 1, 3, 'VALID'],
    [[2, 8, 8, 33], [5, 5, 33, 1], 1, 1, 'SAME'],
    [[1, 3, 3, 24], [5, 5, 24, 1], 2, 1, 'SAME'], // filter larger than the image: every tap range clipped
    [[1, 32, 32, 96], [5, 5, 96, 1], 2, 1, 'SAME'],
  ];
  test.each(cases)('x %j f %j stride %d dilation %d %s', (xs, fs, s, d, pad) => {
    const g = depthwiseGeometry(xs, fs, [s, s], [d, d], pad);
    const x = rand(
      xs.reduce((a, b) => a * b, 1),
      11,
    );
    const f = rand(
      fs.reduce((a, b) => a * b, 1),
      12,
    );
    const n = g.batch * g.outH * g.outW * g.outC;
    const ref = new Float32Array(n);
    depthwiseConv2d(x, f, ref, g);
    const got = new Float32Array(n).fill(NaN);
    expect(wasmDepthwiseForward(x, f, got, g)).toBe(true);
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(got[i]! - ref[i]!) <= 1e-5 * Math.max(1, Math.abs(ref[i]!)))) {
        throw new Error(`element ${i}: wasm ${got[i]} vs TS ${ref[i]}`);
      }
    }
  });

  test('multiplier > 1 and the wasm switch fall back to the TS kernel (nothing written)', () => {
    const g2 = depthwiseGeometry([1, 5, 5, 3], [3, 3, 3, 2], [1, 1], [1, 1], 'SAME');
    expect(wasmDepthwiseForward(rand(75, 1), rand(54, 2), new Float32Array(150), g2)).toBe(false);
    const g1 = depthwiseGeometry([1, 5, 5, 3], [3, 3, 3, 1], [1, 1], [1, 1], 'SAME');
    setKernelOptions({ wasm: false });
    try {
      expect(wasmDepthwiseForward(rand(75, 1), rand(27, 2), new Float32Array(75), g1)).toBe(false);
    } finally {
      setKernelOptions({ wasm: true });
    }
  });
});
