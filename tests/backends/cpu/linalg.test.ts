import {
  batchMatmul,
  broadcastBatchShape,
  FloatArray,
  matmul,
} from '../../../src/backends/cpu/linalg/matmul';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../../../src/backends/cpu/linalg/conv';
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from '../../../src/backends/cpu/linalg/pool';
import * as geometry from '../../../src/ops/nn_geometry';

// The kernels take the op layer's geometry (src/ops/nn_geometry.ts); NHWC shapes, [h, w] windows here.
type Conv2DGeometry = geometry.WindowGeometry;
type Padding = 'SAME' | 'VALID';
const hw = ([h, w]: [number, number]) => [1, h, w, 1];
const conv2dGeometry = (xs: number[], ws: number[], s: [number, number], padding: Padding) =>
  geometry.conv2dGeometry(xs, ws, { type: 'Conv2D', attrs: { strides: hw(s), padding } });
const poolGeometry = (xs: number[], k: [number, number], s: [number, number], padding: Padding) =>
  geometry.poolGeometry(xs, { type: 'MaxPool', attrs: { ksize: hw(k), strides: hw(s), padding } });
const convOutputSize = (size: number, k: number, stride: number, padding: Padding) => {
  const { out, padBefore } = geometry.windowAxis(size, k, stride, 1, padding);
  return { out, padBefore };
};

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const KINDS: [string, Ctor, number][] = [
  ['Float32Array', Float32Array, 2e-5],
  ['Float64Array', Float64Array, 1e-12],
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rand(C: Ctor, n: number, seed: number): FloatArray {
  const r = rng(seed);
  const out = new C(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

/** Random values that are pairwise far apart (multiples of 0.01 in shuffled order). */
function distinct(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (i - n / 2) * 0.01;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= tol * scale)) throw new Error(`index ${i}: got ${got[i]}, want ${want[i]} (tol ${tol})`);
  }
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

function refMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      out[i * n + j] = s;
    }
  }
  return out;
}

describe('matmul', () => {
  const shapes: [number, number, number][] = [
    [7, 13, 5],
    [1, 9, 4],
    [5, 8, 1],
    [3, 1, 6],
    [37, 41, 29],
    [130, 300, 67],
    [9, 20, 530],
  ];
  for (const [name, C, tol] of KINDS) {
    for (const [m, k, n] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          it(`${name} ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}`, () => {
            const a = rand(C, m * k, m + k);
            const b = rand(C, k * n, n + 7);
            const out = new C(m * n).fill(NaN);
            matmul(a, b, out, m, k, n, ta, tb);
            expectClose(out, refMatmul(a, b, m, k, n, ta, tb), tol);
          });
        }
      }
    }
    it(`${name} honours offsets and leaves the rest of out alone`, () => {
      const [m, k, n] = [6, 11, 9];
      const a = rand(C, 3 + m * k, 1);
      const b = rand(C, 5 + k * n, 2);
      const out = new C(4 + m * n + 2).fill(7);
      matmul(a, b, out, m, k, n, true, false, 3, 5, 4);
      expectClose(
        out.subarray(4, 4 + m * n),
        refMatmul(a.subarray(3), b.subarray(5), m, k, n, true, false),
        tol,
      );
      expect([out[3], out[4 + m * n]]).toEqual([7, 7]);
    });
  }
  it('handles empty dimensions and rejects short arrays', () => {
    const out = new Float64Array(12).fill(5);
    matmul(new Float64Array(0), new Float64Array(0), out, 3, 0, 4, false, false);
    expect(Array.from(out)).toEqual(new Array(12).fill(0));
    matmul(new Float64Array(0), new Float64Array(12), out, 0, 3, 4, false, false);
    expect(() => matmul(new Float64Array(5), new Float64Array(6), out, 2, 3, 2, false, false)).toThrow(
      RangeError,
    );
  });
});

describe('batchMatmul', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[3], []],
    [[], [3]],
    [
      [2, 3],
      [2, 3],
    ],
    [[1], [1]],
  ];
  for (const [name, C, tol] of KINDS) {
    for (const [bA, bB] of cases) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${name} batch [${bA}] x [${bB}] ta=${ta} tb=${tb}`, () => {
          const [m, k, n] = [5, 7, 3];
          const batch = broadcastBatchShape(bA, bB);
          const nA = bA.reduce((x, y) => x * y, 1);
          const nB = bB.reduce((x, y) => x * y, 1);
          const total = batch.reduce((x, y) => x * y, 1);
          const a = rand(C, nA * m * k, 11);
          const b = rand(C, nB * k * n, 12);
          const out = new C(total * m * n);
          batchMatmul(a, b, out, bA, bB, m, k, n, ta, tb);
          const want = new Float64Array(total * m * n);
          // Reference: decompose each output batch index and map it to A / B with broadcasting.
          for (let t = 0; t < total; t++) {
            let rem = t;
            let ia = 0;
            let ib = 0;
            let sa = 1;
            let sb = 1;
            for (let d = batch.length - 1; d >= 0; d--) {
              const i = rem % batch[d]!;
              rem = Math.floor(rem / batch[d]!);
              const da = bA[bA.length - batch.length + d] ?? 1;
              const db = bB[bB.length - batch.length + d] ?? 1;
              ia += (da === 1 ? 0 : i) * sa;
              ib += (db === 1 ? 0 : i) * sb;
              sa *= da;
              sb *= db;
            }
            const r = refMatmul(a.subarray(ia * m * k), b.subarray(ib * k * n), m, k, n, ta, tb);
            want.set(r, t * m * n);
          }
          expectClose(out, want, tol);
        });
      }
    }
  }
  it('computes and validates the broadcast batch shape', () => {
    expect(broadcastBatchShape([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(() => broadcastBatchShape([2], [3])).toThrow(RangeError);
  });
});

function refConv(x: ArrayLike<number>, w: ArrayLike<number>, g: Conv2DGeometry): Float64Array {
  const out = new Float64Array(g.batch * g.outH * g.outW * g.outC);
  forConvTaps(g, (xi, wi, oi) => (out[oi] = out[oi]! + x[xi]! * w[wi]!));
  return out;
}

/** Calls fn(xIndex, wIndex, outIndex) for every multiply of a direct convolution (padding skipped). */
function forConvTaps(g: Conv2DGeometry, fn: (xi: number, wi: number, oi: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++)
        for (let kh = 0; kh < g.fH; kh++)
          for (let kw = 0; kw < g.fW; kw++) {
            const ih = oh * g.strideH - g.padTop + kh;
            const iw = ow * g.strideW - g.padLeft + kw;
            if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
            for (let ic = 0; ic < g.inC; ic++)
              for (let oc = 0; oc < g.outC; oc++)
                fn(
                  ((b * g.inH + ih) * g.inW + iw) * g.inC + ic,
                  ((kh * g.fW + kw) * g.inC + ic) * g.outC + oc,
                  ((b * g.outH + oh) * g.outW + ow) * g.outC + oc,
                );
          }
}

describe('conv2d', () => {
  const convCases: [number[], number[], [number, number], 'SAME' | 'VALID'][] = [];
  for (const padding of ['SAME', 'VALID'] as const) {
    for (const s of [
      [1, 1],
      [2, 2],
      [2, 1],
    ] as [number, number][]) {
      convCases.push([[2, 7, 9, 3], [3, 2, 3, 4], s, padding]);
      convCases.push([[2, 7, 9, 3], [1, 1, 3, 5], s, padding]);
    }
    convCases.push([[1, 5, 5, 2], [5, 5, 2, 3], [1, 1], padding]);
  }
  for (const [name, C, tol] of KINDS) {
    for (const [xs, ws, strides, padding] of convCases) {
      it(`${name} x[${xs}] w[${ws}] strides ${strides} ${padding}`, () => {
        const g = conv2dGeometry(xs, ws, strides, padding);
        const x = rand(
          C,
          xs.reduce((p, q) => p * q),
          3,
        );
        const w = rand(
          C,
          ws.reduce((p, q) => p * q),
          4,
        );
        const outSize = g.batch * g.outH * g.outW * g.outC;
        const out = new C(outSize);
        conv2d(x, w, out, g);
        expectClose(out, refConv(x, w, g), tol);

        const dy = rand(C, outSize, 5);
        const dx = new C(x.length).fill(NaN);
        conv2dBackpropInput(dy, w, dx, g);
        const dw = new C(w.length).fill(NaN);
        conv2dBackpropFilter(x, dy, dw, g);
        const wantDx = new Float64Array(x.length);
        const wantDw = new Float64Array(w.length);
        forConvTaps(g, (xi, wi, oi) => {
          wantDx[xi] = wantDx[xi]! + dy[oi]! * w[wi]!;
          wantDw[wi] = wantDw[wi]! + dy[oi]! * x[xi]!;
        });
        expectClose(dx, wantDx, tol);
        expectClose(dw, wantDw, tol);
      });
    }
  }

  const adjointCases: [number[], number[], [number, number], 'SAME' | 'VALID'][] = [
    [[2, 7, 9, 3], [3, 2, 3, 4], [2, 2], 'SAME'],
    [[2, 7, 9, 3], [3, 2, 3, 4], [1, 2], 'VALID'],
    [[3, 6, 5, 4], [1, 1, 4, 2], [1, 1], 'SAME'],
    // 30*28*28 rows of 200 columns exceed the 4M-element scratch: exercises the chunked paths.
    [[30, 28, 28, 8], [5, 5, 8, 3], [1, 1], 'SAME'],
  ];
  for (const [xs, ws, strides, padding] of adjointCases) {
    it(`adjoint identity x[${xs}] w[${ws}] ${strides} ${padding}`, () => {
      const g = conv2dGeometry(xs, ws, strides, padding);
      const x = rand(
        Float64Array,
        xs.reduce((p, q) => p * q),
        6,
      );
      const w = rand(
        Float64Array,
        ws.reduce((p, q) => p * q),
        7,
      );
      const y = new Float64Array(g.batch * g.outH * g.outW * g.outC);
      const dy = rand(Float64Array, y.length, 8);
      const dx = new Float64Array(x.length);
      const dw = new Float64Array(w.length);
      conv2d(x, w, y, g);
      conv2dBackpropInput(dy, w, dx, g);
      conv2dBackpropFilter(x, dy, dw, g);
      const ref = dot(y, dy);
      expect(Math.abs(dot(x, dx) - ref)).toBeLessThanOrEqual(1e-9 * Math.abs(ref));
      expect(Math.abs(dot(w, dw) - ref)).toBeLessThanOrEqual(1e-9 * Math.abs(ref));
      if (xs[0] === 30) expectClose(y, refConv(x, w, g), 1e-12);
    });
  }

  it('computes TF1 output sizes and padding', () => {
    expect(convOutputSize(28, 5, 2, 'SAME')).toEqual({ out: 14, padBefore: 1 });
    expect(convOutputSize(7, 3, 2, 'SAME')).toEqual({ out: 4, padBefore: 1 });
    expect(convOutputSize(5, 2, 2, 'SAME')).toEqual({ out: 3, padBefore: 0 });
    expect(convOutputSize(6, 4, 1, 'SAME')).toEqual({ out: 6, padBefore: 1 });
    expect(convOutputSize(7, 3, 2, 'VALID')).toEqual({ out: 3, padBefore: 0 });
    expect(convOutputSize(28, 5, 1, 'VALID')).toEqual({ out: 24, padBefore: 0 });
    expect(() => convOutputSize(3, 5, 1, 'VALID')).toThrow(
      'Negative dimension size caused by subtracting 5 from 3',
    );
    const g = conv2dGeometry([2, 7, 9, 3], [3, 2, 3, 4], [2, 2], 'SAME');
    expect([g.outH, g.outW, g.padTop, g.padLeft]).toEqual([4, 5, 1, 0]);
    expect(() => conv2dGeometry([1, 4, 4, 3], [2, 2, 2, 1], [1, 1], 'SAME')).toThrow(
      'Depth of input (3) is not a multiple of input depth of filter (2)',
    );
  });
});

describe('pooling', () => {
  const poolCases: [number[], [number, number], [number, number], 'SAME' | 'VALID'][] = [];
  for (const padding of ['SAME', 'VALID'] as const) {
    poolCases.push([[2, 7, 9, 3], [2, 2], [2, 2], padding]);
    poolCases.push([[2, 7, 9, 3], [3, 3], [2, 2], padding]);
    poolCases.push([[1, 5, 6, 2], [3, 2], [1, 2], padding]);
    poolCases.push([[1, 5, 5, 1], [1, 1], [2, 2], padding]);
  }
  for (const [xs, ks, ss, padding] of poolCases) {
    const g = poolGeometry(xs, ks, ss, padding);
    const n = xs.reduce((p, q) => p * q);
    const outN = g.batch * g.outH * g.outW * g.inC;
    const refPool = (x: ArrayLike<number>, avg: boolean): Float64Array => {
      const out = new Float64Array(outN);
      for (let b = 0; b < g.batch; b++)
        for (let oh = 0; oh < g.outH; oh++)
          for (let ow = 0; ow < g.outW; ow++)
            for (let c = 0; c < g.inC; c++) {
              let acc = avg ? 0 : -Infinity;
              let cnt = 0;
              for (let kh = 0; kh < g.fH; kh++)
                for (let kw = 0; kw < g.fW; kw++) {
                  const h = oh * g.strideH - g.padTop + kh;
                  const w = ow * g.strideW - g.padLeft + kw;
                  if (h < 0 || h >= g.inH || w < 0 || w >= g.inW) continue;
                  const v = x[((b * g.inH + h) * g.inW + w) * g.inC + c]!;
                  acc = avg ? acc + v : Math.max(acc, v);
                  cnt++;
                }
              out[((b * g.outH + oh) * g.outW + ow) * g.inC + c] = avg ? acc / cnt : acc;
            }
      return out;
    };
    for (const [name, C, tol] of KINDS) {
      it(`${name} max/avg pool x[${xs}] k${ks} s${ss} ${padding}`, () => {
        const x = C.from(distinct(n, 9));
        const out = new C(outN);
        maxPool(x, out, g);
        expectClose(out, refPool(x, false), tol);
        avgPool(x, out, g);
        expectClose(out, refPool(x, true), tol);
      });
    }
    it(`pool gradients match finite differences x[${xs}] k${ks} s${ss} ${padding}`, () => {
      const x = distinct(n, 10);
      const dy = rand(Float64Array, outN, 11);
      const dxMax = new Float64Array(n).fill(NaN);
      const dxAvg = new Float64Array(n).fill(NaN);
      maxPoolGrad(x, dy, dxMax, g);
      avgPoolGrad(dy, dxAvg, g);
      const eps = 1e-4;
      const fwd = (f: typeof maxPool, xv: Float64Array): number => {
        const o = new Float64Array(outN);
        f(xv, o, g);
        return dot(o, dy);
      };
      for (const [f, dx] of [
        [maxPool, dxMax],
        [avgPool, dxAvg],
      ] as const) {
        const numeric = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const xp = Float64Array.from(x);
          xp[i] = x[i]! + eps;
          const xm = Float64Array.from(x);
          xm[i] = x[i]! - eps;
          numeric[i] = (fwd(f, xp) - fwd(f, xm)) / (2 * eps);
        }
        expectClose(dx, numeric, 1e-8);
      }
    });
  }

  it('routes ties to the first maximum and averages over valid cells only', () => {
    const g = poolGeometry([1, 3, 3, 1], [2, 2], [2, 2], 'SAME');
    expect([g.outH, g.outW, g.padTop, g.padLeft]).toEqual([2, 2, 0, 0]);
    const x = Float64Array.from([1, 1, 2, 1, 1, 2, 3, 3, 5]);
    const dx = new Float64Array(9);
    maxPoolGrad(x, Float64Array.from([10, 20, 30, 40]), dx, g);
    expect(Array.from(dx)).toEqual([10, 0, 20, 0, 0, 0, 30, 0, 40]);
    const out = new Float64Array(4);
    avgPool(x, out, g);
    expect(Array.from(out)).toEqual([1, 2, 3, 5]);
    const overlap = poolGeometry([1, 3, 3, 1], [3, 3], [1, 1], 'SAME');
    const dx2 = new Float64Array(9);
    maxPoolGrad(x, new Float64Array(9).fill(1), dx2, overlap);
    expect(Array.from(dx2)).toEqual([1, 0, 2, 0, 0, 0, 2, 0, 4]);
  });
});
