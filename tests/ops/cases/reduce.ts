import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { broadcastReduced } from '../../../src/ops/reduce/broadcast_reduced';
import { prodExceptSelf } from '../../../src/ops/reduce/prod_except_self';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/** Float64 reference of a reduction: groups the elements of `x` by output position and folds each group. */
export function refReduce(
  x: NDArray,
  axis: number | number[] | undefined,
  keepDims: boolean,
  fold: (v: number[]) => number,
): NDArray {
  const rank = x.shape.length;
  const axes =
    axis === undefined
      ? x.shape.map((_d, i) => i)
      : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
  const outShape = keepDims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_d, i) => !axes.includes(i));
  const groups = new Map<number, number[]>();
  const outSize = outShape.reduce((a, b) => a * b, 1);
  for (let o = 0; o < outSize; o++) groups.set(o, []);
  for (let i = 0; i < x.size; i++) {
    let rem = i;
    let o = 0;
    let scale = 1;
    for (let ax = rank - 1; ax >= 0; ax--) {
      const d = x.shape[ax] as number;
      const k = rem % d;
      rem = Math.floor(rem / d);
      if (!axes.includes(ax)) {
        o += k * scale;
        scale *= d;
      }
    }
    groups.get(o)?.push(x.data[i] as number);
  }
  const data = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) data[o] = fold(groups.get(o) as number[]);
  return new NDArray(x.dtype === 'int32' ? Int32Array.from(data) : data, outShape, x.dtype);
}

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const folds: Record<string, (v: number[]) => number> = {
  Sum: sum,
  Mean: (v) => sum(v) / v.length,
  Max: (v) => Math.max(...v),
  Min: (v) => Math.min(...v),
  Prod: (v) => v.reduce((a, b) => a * b, 1),
};
type Builder = (x: tf.Tensor, axis?: number | number[], o?: { keepDims?: boolean }) => tf.Tensor;
const builders: Record<string, Builder> = {
  Sum: tf.reduceSum,
  Mean: tf.reduceMean,
  Max: tf.reduceMax,
  Min: tf.reduceMin,
  Prod: tf.reduceProd,
};

const x234 = randomArray([2, 3, 4], 21);
const pos234 = randomArray([2, 3, 4], 22, 0.5, 1.5);
const x35 = randomArray([3, 5], 23);
const ints = tf.ndarray(Int32Array.from([3, -7, 12, 5, 0, -2, 9, 9, 4, -11, 6, 1]), [3, 4], 'int32');

/** Axis configurations on [2,3,4]: one middle axis, non-contiguous axes, negative axis, all axes. */
const configs: { axis?: number | number[]; keep: boolean; shape: number[] }[] = [
  { axis: 1, keep: false, shape: [2, 4] },
  { axis: [0, 2], keep: false, shape: [3] },
  { axis: -1, keep: true, shape: [2, 3, 1] },
  { axis: undefined, keep: false, shape: [] },
  { axis: [0, 2], keep: true, shape: [1, 3, 1] },
  { axis: [1, 2], keep: false, shape: [2] },
];

const label = (axis: number | number[] | undefined, keep: boolean) =>
  `axis ${axis === undefined ? 'all' : JSON.stringify(axis)}${keep ? ' keepDims' : ''}`;

const reductionCases: OpCase[] = Object.keys(folds).flatMap((op) =>
  configs.map(({ axis, keep, shape }): OpCase => {
    const input = op === 'Prod' ? pos234 : x234;
    return {
      name: `${op} [2,3,4] ${label(axis, keep)}`,
      ops: [op],
      inputs: [input],
      build: (x) => (builders[op] as Builder)(x, axis, { keepDims: keep }),
      reference: (x) => refReduce(x, axis, keep, folds[op] as (v: number[]) => number),
      shape,
    };
  }),
);

/** Index of the first max / min along one axis (reference for ArgMax / ArgMin). */
function refArg(x: NDArray, axis: number, pick: (v: number[]) => number): NDArray {
  const r = refReduce(x, axis, false, (v) => v.indexOf(pick(v)));
  return new NDArray(Int32Array.from(r.data), r.shape, 'int32');
}
const argCases: OpCase[] = [
  [0, [3, 4]],
  [1, [2, 4]],
  [-1, [2, 3]],
].flatMap(([axis, shape]) => [
  {
    name: `ArgMax [2,3,4] axis ${String(axis)}`,
    ops: ['ArgMax'],
    inputs: [x234],
    build: (x: tf.Tensor) => tf.argmax(x, axis as number),
    reference: (x: NDArray) => refArg(x, axis as number, (v) => Math.max(...v)),
    shape: shape as number[],
    grad: false,
  },
  {
    name: `ArgMin [2,3,4] axis ${String(axis)}`,
    ops: ['ArgMin'],
    inputs: [x234],
    build: (x: tf.Tensor) => tf.argmin(x, axis as number),
    reference: (x: NDArray) => refArg(x, axis as number, (v) => Math.min(...v)),
    shape: shape as number[],
    grad: false,
  },
]);

const intCases: OpCase[] = [
  ...['Sum', 'Max', 'Min', 'Prod'].map((op): OpCase => ({
    name: `${op} int32 [3,4] axis 1`,
    ops: [op],
    inputs: [ints],
    build: (x) => (builders[op] as Builder)(x, 1),
    reference: (x) => refReduce(x, 1, false, folds[op] as (v: number[]) => number),
    shape: [3],
    grad: false,
  })),
  {
    name: 'Mean int32 [3,4] axis 0 truncates toward zero',
    ops: ['Mean'],
    inputs: [ints],
    build: (x) => tf.reduceMean(x, 0),
    reference: (x) => refReduce(x, 0, false, (v) => Math.trunc(sum(v) / v.length)),
    shape: [4],
    grad: false,
  },
  {
    name: 'ArgMax int32 [3,4] axis 1 (first index wins ties)',
    ops: ['ArgMax'],
    inputs: [ints],
    build: (x) => tf.argmax(x, 1),
    reference: () => tf.ndarray(Int32Array.from([2, 2, 2]), [3], 'int32'),
    shape: [3],
    grad: false,
  },
];

/** The gradient primitives, checked directly and through second derivatives. */
const dyFor = (shape: number[], seed: number) => randomArray(shape, seed);
const gradPrimitiveCases: OpCase[] = [
  {
    name: 'BroadcastReduced (Sum adjoint) axes [0,2] of [2,3,4]',
    ops: ['BroadcastReduced'],
    inputs: [dyFor([3], 31), x234],
    build: (dy, x) => broadcastReduced(dy, x, [0, 2], false),
    reference: (dy, x) =>
      new NDArray(
        Float64Array.from(x.data, (_v, i) => dy.data[Math.floor(i / 4) % 3] as number),
        x.shape,
        'float32',
      ),
    shape: [2, 3, 4],
  },
  {
    name: 'BroadcastReduced (Mean adjoint) axis -1 keepDims of [3,5]',
    ops: ['BroadcastReduced'],
    inputs: [dyFor([3, 1], 32), x35],
    build: (dy, x) => broadcastReduced(dy, x, [-1], true, true),
    reference: (dy, x) =>
      new NDArray(
        Float64Array.from(x.data, (_v, i) => (dy.data[Math.floor(i / 5)] as number) / 5),
        x.shape,
        'float32',
      ),
    shape: [3, 5],
  },
  {
    name: 'ProdExceptSelf axes [0,2] of [2,3,4]',
    ops: ['ProdExceptSelf'],
    inputs: [pos234],
    build: (x) => prodExceptSelf(x, [0, 2]),
    reference: (x) => {
      const p = refReduce(x, [0, 2], false, folds.Prod as (v: number[]) => number);
      return new NDArray(
        Float64Array.from(x.data, (v, i) => (p.data[Math.floor(i / 4) % 3] as number) / v),
        x.shape,
        'float32',
      );
    },
    shape: [2, 3, 4],
  },
  {
    // A gradient seeded with an x-dependent dy: differentiating it runs BroadcastReduced's rule (Mean).
    name: 'gradient of reduceMean(x, 1) seeded with reduceSum(x, 1) (BroadcastReduced gradient)',
    ops: ['BroadcastReduced', 'Mean', 'Sum'],
    inputs: [x35],
    build: (x) => tf.gradients(tf.reduceMean(x, 1), x, { gradYs: [tf.reduceSum(x, 1)] })[0] as tf.Tensor,
    reference: (x) => {
      const s = refReduce(x, 1, false, sum);
      return new NDArray(
        Float64Array.from(x.data, (_v, i) => (s.data[Math.floor(i / 5)] as number) / 5),
        x.shape,
        'float32',
      );
    },
    shape: [3, 5],
  },
  {
    name: 'second derivative of reduceProd(x, [0,2]) (ProdExceptSelf gradient)',
    ops: ['ProdExceptSelf', 'Prod'],
    inputs: [pos234],
    build: (x) => tf.gradients(tf.reduceProd(x, [0, 2]), x)[0] as tf.Tensor,
    reference: (x) => {
      const p = refReduce(x, [0, 2], false, folds.Prod as (v: number[]) => number);
      return new NDArray(
        Float64Array.from(x.data, (v, i) => (p.data[Math.floor(i / 4) % 3] as number) / v),
        x.shape,
        'float32',
      );
    },
    shape: [2, 3, 4],
  },
  {
    name: 'gradient of reduceSum(x, [0,2]) seeded with reduceMax(x, [0,2]) (Sum adjoint gradient)',
    ops: ['BroadcastReduced', 'Sum', 'Max'],
    inputs: [x234],
    build: (x) =>
      tf.gradients(tf.reduceSum(x, [0, 2]), x, { gradYs: [tf.reduceMax(x, [0, 2])] })[0] as tf.Tensor,
    reference: (x) => {
      const m = refReduce(x, [0, 2], false, folds.Max as (v: number[]) => number);
      return new NDArray(
        Float64Array.from(x.data, (_v, i) => m.data[Math.floor(i / 4) % 3] as number),
        x.shape,
        'float32',
      );
    },
    shape: [2, 3, 4],
  },
];

export const reduceCases: OpCase[] = [...reductionCases, ...argCases, ...intCases, ...gradPrimitiveCases];
