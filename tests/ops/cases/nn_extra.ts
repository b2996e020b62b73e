import * as tf from '../../../src';
import { NDArray, NestedArray } from '../../../src';
import { f64, OpCase, refElementwise } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * tf.nn additions (issue 16): LeakyRelu, Selu, Swish, TopKV2, InTopKV2, and the composites moments,
 * batchNormalization, fusedBatchNorm, l2Normalize, xwPlusB, softmax/logSoftmax along any axis — each
 * against a plain float64 formula written here (TF1's documented definitions), with numeric gradient
 * checks. The GPU suite runs the same rows.
 */
const SELU_L = 1.0507009873554805;
const SELU_A = 1.6732632423543772;
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Row-major strides of `shape`. */
function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) s[k] = (s[k + 1] as number) * (shape[k + 1] as number);
  return s;
}

/** Coordinates of flat index i. */
function coordsOf(i: number, shape: number[]): number[] {
  const st = strides(shape);
  return shape.map((d, k) => Math.floor(i / (st[k] as number)) % d);
}

/** Key of element i's group when `axes` are reduced (the kept coordinates). */
function groupKey(i: number, shape: number[], axes: number[]): string {
  return coordsOf(i, shape)
    .map((c, k) => (axes.includes(k) ? 0 : c))
    .join(',');
}

/** Mean over `axes`, broadcast back to every element (float64). */
function meanOver(
  x: NDArray,
  axes: number[],
  values: (i: number) => number = (i) => x.data[i] as number,
): Float64Array {
  const sums = new Map<string, [number, number]>();
  for (let i = 0; i < x.size; i++) {
    const k = groupKey(i, x.shape, axes);
    const [s, n] = sums.get(k) ?? [0, 0];
    sums.set(k, [s + values(i), n + 1]);
  }
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const [s, n] = sums.get(groupKey(i, x.shape, axes)) as [number, number];
    out[i] = s / n;
  }
  return out;
}

/** The distinct per-group values of a broadcast array, in the order of the kept coordinates. */
function reduced(x: NDArray, full: Float64Array, axes: number[], keep: boolean): NDArray {
  const shape = keep
    ? x.shape.map((d, k) => (axes.includes(k) ? 1 : d))
    : x.shape.filter((_d, k) => !axes.includes(k));
  const seen = new Map<string, number>();
  for (let i = 0; i < x.size; i++) {
    const k = groupKey(i, x.shape, axes);
    if (!seen.has(k)) seen.set(k, full[i] as number);
  }
  return new NDArray(Float64Array.from(seen.values()), shape, 'float32');
}

function refMoments(x: NDArray, axes: number[], keep: boolean): [NDArray, NDArray] {
  const m = meanOver(x, axes);
  const v = meanOver(x, axes, (i) => ((x.data[i] as number) - (m[i] as number)) ** 2);
  return [reduced(x, m, axes, keep), reduced(x, v, axes, keep)];
}

/** Per-channel value of a [C] vector for element i of x (channel axis `c`). */
const channel = (x: NDArray, i: number, c: number): number => coordsOf(i, x.shape)[c] as number;

function refFusedTraining(x: NDArray, scale: NDArray, offset: NDArray, nchw: boolean, eps: number): NDArray {
  const c = nchw ? 1 : 3;
  const axes = [0, 1, 2, 3].filter((k) => k !== c);
  const m = meanOver(x, axes);
  const v = meanOver(x, axes, (i) => ((x.data[i] as number) - (m[i] as number)) ** 2);
  return new NDArray(
    Float64Array.from(x.data, (xi, i) => {
      const ch = channel(x, i, c);
      return (
        ((xi - (m[i] as number)) / Math.sqrt((v[i] as number) + eps)) * (scale.data[ch] as number) +
        (offset.data[ch] as number)
      );
    }),
    x.shape,
    'float32',
  );
}

function refFusedBatchVariance(x: NDArray): NDArray {
  const [, v] = refMoments(x, [0, 1, 2], false);
  const n = x.size / (x.shape[3] as number);
  return new NDArray(
    Float64Array.from(v.data, (e) => (e * n) / (n - 1)),
    v.shape,
    'float32',
  );
}

/** Top-k of each last-axis row: (value desc, index asc). */
function refTopK(x: NDArray, k: number): { values: NDArray; indices: NDArray } {
  const n = x.shape[x.shape.length - 1] as number;
  const rows = x.size / n;
  const vals: number[] = [];
  const idx: number[] = [];
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: n }, (_v, c) => c).sort((a, b) => {
      const va = x.data[r * n + a] as number;
      const vb = x.data[r * n + b] as number;
      return va !== vb ? vb - va : a - b;
    });
    for (let j = 0; j < k; j++) {
      vals.push(x.data[r * n + (order[j] as number)] as number);
      idx.push(order[j] as number);
    }
  }
  const shape = [...x.shape.slice(0, -1), k];
  return {
    values: new NDArray(Float64Array.from(vals), shape, 'float32'),
    indices: new NDArray(Int32Array.from(idx), shape, 'int32'),
  };
}

/** Softmax or log-softmax along `axis` in float64. */
function refSoftmax(x: NDArray, axis: number, logOut: boolean): NDArray {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const mx = new Map<string, number>();
  for (let i = 0; i < x.size; i++) {
    const k = groupKey(i, x.shape, [ax]);
    mx.set(k, Math.max(mx.get(k) ?? -Infinity, x.data[i] as number));
  }
  const sums = meanOver(x, [ax], (i) =>
    Math.exp((x.data[i] as number) - (mx.get(groupKey(i, x.shape, [ax])) as number)),
  );
  const n = x.shape[ax] as number;
  return new NDArray(
    Float64Array.from(x.data, (v, i) => {
      const m = mx.get(groupKey(i, x.shape, [ax])) as number;
      const s = (sums[i] as number) * n;
      return logOut ? v - m - Math.log(s) : Math.exp(v - m) / s;
    }),
    x.shape,
    'float32',
  );
}

function refL2Normalize(x: NDArray, axes: number[], eps: number): NDArray {
  const ss = meanOver(x, axes, (i) => (x.data[i] as number) ** 2);
  const n = x.size / reduced(x, ss, axes, false).size;
  return new NDArray(
    Float64Array.from(x.data, (v, i) => v / Math.sqrt(Math.max((ss[i] as number) * n, eps))),
    x.shape,
    'float32',
  );
}

const a34 = randomArray([3, 4], 1601, -3, 3);
const a234 = randomArray([2, 3, 4], 1602, -4, 4);
const int32 = (values: NestedArray, shape: number[]): NDArray =>
  tf.ndarray(Int32Array.from((values as number[]).flat(Infinity as 1) as number[]), shape, 'int32');

const activationCases: OpCase[] = [
  {
    name: 'LeakyRelu default alpha 0.2 [3,4]',
    ops: ['LeakyRelu'],
    inputs: [a34],
    build: (x) => tf.nn.leakyRelu(x),
    reference: (x) => refElementwise((v) => (v > 0 ? v : 0.2 * v), x),
    shape: [3, 4],
  },
  {
    name: 'LeakyRelu alpha 0.01 (options) [2,3,4]',
    ops: ['LeakyRelu'],
    inputs: [a234],
    build: (x) => tf.nn.leakyRelu(x, { alpha: 0.01 }),
    reference: (x) => refElementwise((v) => (v > 0 ? v : 0.01 * v), x),
    shape: [2, 3, 4],
  },
  {
    name: 'LeakyRelu alpha 1.5 (x > 0 ? x : αx, not max(x, αx))',
    ops: ['LeakyRelu'],
    inputs: [a34],
    build: (x) => tf.nn.leakyRelu(x, 1.5),
    reference: (x) => refElementwise((v) => (v > 0 ? v : 1.5 * v), x),
    shape: [3, 4],
  },
  {
    name: 'Selu [2,3,4]',
    ops: ['Selu'],
    inputs: [a234],
    build: (x) => tf.nn.selu(x),
    reference: (x) => refElementwise((v) => (v > 0 ? SELU_L * v : SELU_L * SELU_A * (Math.exp(v) - 1)), x),
    shape: [2, 3, 4],
  },
  {
    name: 'Swish [2,3,4]',
    ops: ['Swish'],
    inputs: [a234],
    build: (x) => tf.nn.swish(x),
    reference: (x) => refElementwise((v) => v * sig(v), x),
    shape: [2, 3, 4],
  },
];

const t237 = randomArray([2, 3, 7], 1603, -2, 2);
const t46 = randomArray([4, 6], 1604, -2, 2);
const ties = f64([
  [1, 3, 2, 3, 0],
  [5, 5, 5, -1, 5],
]);

const topKCases: OpCase[] = [
  {
    name: 'TopKV2 values k=3 of [2,3,7]',
    ops: ['TopKV2'],
    inputs: [t237],
    build: (x) => tf.nn.topK(x, 3)[0],
    reference: (x) => refTopK(x, 3).values,
    shape: [2, 3, 3],
  },
  {
    name: 'TopKV2 indices k=3 of [2,3,7]',
    ops: ['TopKV2'],
    inputs: [t237],
    build: (x) => tf.nn.topK(x, { k: 3 })[1],
    reference: (x) => refTopK(x, 3).indices,
    shape: [2, 3, 3],
    grad: false,
  },
  {
    name: 'TopKV2 values k=6 (full sort) of [4,6]',
    ops: ['TopKV2'],
    inputs: [t46],
    build: (x) => tf.nn.topK(x, 6, true)[0],
    reference: (x) => refTopK(x, 6).values,
    shape: [4, 6],
  },
  {
    name: 'TopKV2 indices k=5 (full sort) with ties: lower index first',
    ops: ['TopKV2'],
    inputs: [ties],
    build: (x) => tf.nn.topK(x, 5)[1],
    reference: () => int32([1, 3, 2, 0, 4, 0, 1, 2, 4, 3], [2, 5]),
    shape: [2, 5],
    grad: false,
  },
  {
    name: 'TopKV2 indices default k=1 with ties',
    ops: ['TopKV2'],
    inputs: [ties],
    build: (x) => tf.nn.topK(x)[1],
    reference: () => int32([1, 0], [2, 1]),
    shape: [2, 1],
    grad: false,
  },
  {
    name: 'TopKV2 indices k=2 with ties',
    ops: ['TopKV2'],
    inputs: [ties],
    build: (x) => tf.nn.topK(x, 2)[1],
    reference: () => int32([1, 3, 0, 1], [2, 2]),
    shape: [2, 2],
    grad: false,
  },
  {
    name: 'InTopKV2 k=2: ties count in, out-of-range target and non-finite rows are false',
    ops: ['InTopKV2'],
    inputs: [
      f64([
        [1, 3, 2, 3, 0],
        [5, 5, 5, -1, 5],
        [0.1, 0.9, 0.3, 0.2, 0.4],
        [0.1, 0.9, 0.3, 0.2, 0.4],
        [0.1, 0.9, 0.3, 0.2, 0.4],
        [0.1, Infinity, 0.3, 0.2, 0.4],
      ]),
      int32([2, 0, 4, 2, 7, 2], [6]),
    ],
    build: (p, t) => tf.nn.inTopK(p, t, 2),
    // row 0: 2 values (3, 3) beat 2 → false; row 1: none beat 5 → true; row 2: only 0.9 beats 0.4 → true;
    // row 3: 0.9 and 0.4 beat 0.3 → false; row 4: target 7 out of range; row 5: an inf in the row.
    reference: () => tf.ndarray([false, true, true, false, false, false]),
    shape: [6],
    grad: false,
  },
];

const x53 = randomArray([5, 3], 1605, -2, 2);
const x2324 = randomArray([2, 3, 2, 4], 1606, -2, 2);
const momentCases: OpCase[] = [
  {
    name: 'moments mean axes [0] of [5,3]',
    ops: ['Mean'],
    inputs: [x53],
    build: (x) => tf.nn.moments(x, [0])[0],
    reference: (x) => refMoments(x, [0], false)[0],
    shape: [3],
  },
  {
    name: 'moments variance axes [0] of [5,3]',
    ops: ['Mean', 'SquaredDifference'],
    inputs: [x53],
    build: (x) => tf.nn.moments(x, [0])[1],
    reference: (x) => refMoments(x, [0], false)[1],
    shape: [3],
  },
  {
    name: 'moments variance axes [0,1,2] keepDims of [2,3,2,4]',
    ops: ['Mean', 'SquaredDifference'],
    inputs: [x2324],
    build: (x) => tf.nn.moments(x, [0, 1, 2], { keepDims: true })[1],
    reference: (x) => refMoments(x, [0, 1, 2], true)[1],
    shape: [1, 1, 1, 4],
  },
  {
    name: 'moments mean axes [1,3] (keep_dims false) of [2,3,2,4]',
    ops: ['Mean'],
    inputs: [x2324],
    build: (x) => tf.nn.moments(x, [1, -1])[0],
    reference: (x) => refMoments(x, [1, 3], false)[0],
    shape: [2, 2],
  },
  {
    name: 'batchNormalization [5,3] with offset and scale',
    ops: ['Rsqrt', 'Mul', 'Sub', 'Add'],
    inputs: [
      x53,
      randomArray([3], 1607),
      randomArray([3], 1608, 0.5, 2),
      randomArray([3], 1609),
      randomArray([3], 1610),
    ],
    build: (x, m, v, o, s) => tf.nn.batchNormalization(x, m, v, o, s, 1e-3),
    reference: (x, m, v, o, s) =>
      refElementwise((xi, mi, vi, oi, si) => ((xi - mi) / Math.sqrt(vi + 1e-3)) * si + oi, x, m, v, o, s),
    shape: [5, 3],
  },
  {
    name: 'batchNormalization [5,3] without offset and scale',
    ops: ['Rsqrt', 'Mul', 'Neg', 'Add'],
    inputs: [x53, randomArray([3], 1611), randomArray([3], 1612, 0.5, 2)],
    build: (x, m, v) => tf.nn.batchNormalization(x, m, v, null, null, 0.01),
    reference: (x, m, v) => refElementwise((xi, mi, vi) => (xi - mi) / Math.sqrt(vi + 0.01), x, m, v),
    shape: [5, 3],
  },
  {
    name: 'fusedBatchNorm training NHWC y [2,3,2,4]',
    ops: ['Mean', 'Rsqrt'],
    inputs: [x2324, randomArray([4], 1613, 0.5, 2), randomArray([4], 1614)],
    build: (x, s, o) => tf.nn.fusedBatchNorm(x, s, o)[0],
    reference: (x, s, o) => refFusedTraining(x, s, o, false, 0.001),
    shape: [2, 3, 2, 4],
  },
  {
    name: 'fusedBatchNorm training NCHW y [2,4,3,2], epsilon 1e-7 raised to 1.001e-5',
    ops: ['Mean', 'Rsqrt'],
    inputs: [randomArray([2, 4, 3, 2], 1615, -2, 2), randomArray([4], 1616, 0.5, 2), randomArray([4], 1617)],
    build: (x, s, o) => tf.nn.fusedBatchNorm(x, s, o, { epsilon: 1e-7, dataFormat: 'NCHW' })[0],
    reference: (x, s, o) => refFusedTraining(x, s, o, true, 1.001e-5),
    shape: [2, 4, 3, 2],
  },
  {
    name: 'fusedBatchNorm training batch mean',
    ops: ['Mean'],
    inputs: [x2324, randomArray([4], 1618), randomArray([4], 1619)],
    build: (x, s, o) => tf.nn.fusedBatchNorm(x, s, o)[1],
    reference: (x) => refMoments(x, [0, 1, 2], false)[0],
    shape: [4],
    grad: false,
  },
  {
    name: 'fusedBatchNorm training batch variance (Bessel-corrected n/(n-1))',
    ops: ['Mean', 'SquaredDifference'],
    inputs: [x2324, randomArray([4], 1620), randomArray([4], 1621)],
    build: (x, s, o) => tf.nn.fusedBatchNorm(x, s, o)[2],
    reference: (x) => refFusedBatchVariance(x),
    shape: [4],
    grad: false,
  },
  {
    name: 'fusedBatchNorm inference NHWC y (gradients to x, scale, offset)',
    ops: ['Rsqrt', 'Mul'],
    inputs: [
      x2324,
      randomArray([4], 1622, 0.5, 2),
      randomArray([4], 1623),
      randomArray([4], 1624),
      randomArray([4], 1625, 0.5, 2),
    ],
    build: (x, s, o, m, v) => tf.nn.fusedBatchNorm(x, s, o, m, v, 0.01, 'NHWC', false)[0],
    reference: (x, s, o, m, v) =>
      refElementwise((xi, si, oi, mi, vi) => ((xi - mi) / Math.sqrt(vi + 0.01)) * si + oi, x, s, o, m, v),
    shape: [2, 3, 2, 4],
    grad: { wrt: [0, 1, 2] },
  },
];

const normCases: OpCase[] = [
  {
    name: 'l2Normalize axis 1 of [3,4]',
    ops: ['Sum', 'Square', 'Maximum', 'Rsqrt', 'Mul'],
    inputs: [a34],
    build: (x) => tf.nn.l2Normalize(x, 1),
    reference: (x) => refL2Normalize(x, [1], 1e-12),
    shape: [3, 4],
  },
  {
    name: 'l2Normalize dim 0 of [3,4] (deprecated alias)',
    ops: ['Sum', 'Rsqrt'],
    inputs: [a34],
    build: (x) => tf.nn.l2Normalize(x, { dim: 0 }),
    reference: (x) => refL2Normalize(x, [0], 1e-12),
    shape: [3, 4],
  },
  {
    name: 'l2Normalize all axes of [2,3,4], epsilon 1e3 dominates',
    ops: ['Sum', 'Maximum'],
    inputs: [a234],
    build: (x) => tf.nn.l2Normalize(x, null, 1e3),
    reference: (x) => refL2Normalize(x, [0, 1, 2], 1e3),
    shape: [2, 3, 4],
  },
  {
    name: 'xwPlusB [5,3]·[3,4] + [4]',
    ops: ['MatMul', 'BiasAdd'],
    inputs: [x53, randomArray([3, 4], 1626), randomArray([4], 1627)],
    build: (x, w, b) => tf.nn.xwPlusB(x, w, b),
    reference: (x, w, b) => {
      const out = new Float64Array(20);
      for (let r = 0; r < 5; r++)
        for (let c = 0; c < 4; c++) {
          let s = b.data[c] as number;
          for (let k = 0; k < 3; k++) s += (x.data[r * 3 + k] as number) * (w.data[k * 4 + c] as number);
          out[r * 4 + c] = s;
        }
      return new NDArray(out, [5, 4], 'float32');
    },
    shape: [5, 4],
  },
  {
    name: 'softmax axis 0 of [2,3,4]',
    ops: ['Softmax'],
    inputs: [a234],
    build: (x) => tf.nn.softmax(x, 0),
    reference: (x) => refSoftmax(x, 0, false),
    shape: [2, 3, 4],
  },
  {
    name: 'softmax dim 1 of [2,3,4] (deprecated alias)',
    ops: ['Softmax'],
    inputs: [a234],
    build: (x) => tf.nn.softmax(x, { dim: 1 }),
    reference: (x) => refSoftmax(x, 1, false),
    shape: [2, 3, 4],
  },
  {
    name: 'logSoftmax axis 1 of [2,3,4]',
    ops: ['LogSoftmax'],
    inputs: [a234],
    build: (x) => tf.nn.logSoftmax(x, { axis: 1 }),
    reference: (x) => refSoftmax(x, 1, true),
    shape: [2, 3, 4],
  },
  {
    name: 'logSoftmax axis -3 of [2,3,4]',
    ops: ['LogSoftmax'],
    inputs: [a234],
    build: (x) => tf.nn.logSoftmax(x, -3),
    reference: (x) => refSoftmax(x, 0, true),
    shape: [2, 3, 4],
  },
];

export const nnExtraCases: OpCase[] = [...activationCases, ...topKCases, ...momentCases, ...normCases];
