import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * The reversal ops (ReverseV2 for `tf.reverse`, ReverseSequence for `tf.reverseSequence`): float64
 * references written here by index arithmetic, and numeric gradient checks (each op's gradient is the
 * same op, so the checks also cover it as a gradient).
 */

const strides = (shape: number[]): number[] =>
  shape.map((_d, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
const at = (x: NDArray, idx: number[]): number => {
  const s = strides(x.shape);
  return x.data[idx.reduce((o, k, i) => o + k * (s[i] as number), 0)] as number;
};
function gen(shape: number[], f: (idx: number[]) => number, dtype: NDArray['dtype'] = 'float32'): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  const s = strides(shape);
  for (let k = 0; k < n; k++) data[k] = f(shape.map((d, i) => Math.floor(k / (s[i] as number)) % d));
  return dtype === 'float32'
    ? new NDArray(data, shape, dtype)
    : new NDArray(Int32Array.from(data), shape, dtype);
}
/** out[idx] = x[idx with the listed axes mirrored]. */
const refReverse = (x: NDArray, axes: number[]): NDArray => {
  const r = x.shape.length;
  const norm = new Set(axes.map((a) => (a < 0 ? a + r : a)));
  return gen(
    x.shape,
    (idx) =>
      at(
        x,
        idx.map((c, k) => (norm.has(k) ? (x.shape[k] as number) - 1 - c : c)),
      ),
    x.dtype,
  );
};
/** out[idx] = x[idx with idx[seq] → len-1-idx[seq] when idx[seq] < len], len = lens[idx[batch]]. */
const refReverseSequence = (x: NDArray, lens: number[], seq: number, batch: number): NDArray =>
  gen(x.shape, (idx) => {
    const len = lens[idx[batch] as number] as number;
    const t = idx[seq] as number;
    return at(
      x,
      idx.map((c, k) => (k === seq && t < len ? len - 1 - t : c)),
    );
  });

const x234 = randomArray([2, 3, 4], 301);
const x35 = randomArray([3, 5], 302);
const x423 = randomArray([4, 2, 3], 303);
const x325 = randomArray([3, 2, 5], 304);
const ints6 = new NDArray(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], 'int32');

export const reverseCases: OpCase[] = [
  {
    name: 'ReverseV2 [2,3,4] axis [1]',
    ops: ['ReverseV2'],
    inputs: [x234],
    build: (x) => tf.reverse(x, [1]),
    reference: (x) => refReverse(x, [1]),
    shape: [2, 3, 4],
  },
  {
    name: 'ReverseV2 [2,3,4] axes [0, 2]',
    ops: ['ReverseV2'],
    inputs: [x234],
    build: (x) => tf.reverse(x, [0, 2]),
    reference: (x) => refReverse(x, [0, 2]),
    shape: [2, 3, 4],
  },
  {
    name: 'ReverseV2 [3,5] negative axis [-1], keyword form',
    ops: ['ReverseV2'],
    inputs: [x35],
    build: (x) => tf.reverse({ tensor: x, axis: [-1] }),
    reference: (x) => refReverse(x, [1]),
    shape: [3, 5],
  },
  {
    name: 'ReverseV2 [2,3,4] all axes (reverseV2)',
    ops: ['ReverseV2'],
    inputs: [x234],
    build: (x) => tf.reverseV2(x, [2, 0, 1]),
    reference: (x) => refReverse(x, [0, 1, 2]),
    shape: [2, 3, 4],
  },
  {
    name: 'ReverseV2 [3,5] no axes (identity)',
    ops: ['ReverseV2'],
    inputs: [x35],
    build: (x) => tf.reverse(x, tf.constant([], 'int32')),
    reference: (x) => x,
    shape: [3, 5],
  },
  {
    name: 'ReverseV2 int32 [2,3] axis [0]',
    ops: ['ReverseV2'],
    inputs: [ints6],
    build: (x) => tf.reverse(x, [0]),
    reference: () => [
      [4, 5, 6],
      [1, 2, 3],
    ],
    shape: [2, 3],
    grad: false,
  },
  {
    name: 'ReverseSequence [3,5] seqAxis 1 batchAxis 0, lengths [5, 2, 0]',
    ops: ['ReverseSequence'],
    inputs: [x35],
    build: (x) => tf.reverseSequence(x, [5, 2, 0], 1, 0),
    reference: (x) => refReverseSequence(x, [5, 2, 0], 1, 0),
    shape: [3, 5],
  },
  {
    name: 'ReverseSequence [2,3,4] batch-major, lengths fed as int32 [3, 1]',
    ops: ['ReverseSequence'],
    inputs: [x234, new NDArray(Int32Array.from([3, 1]), [2], 'int32')],
    build: (x, lens) => tf.reverseSequence(x, lens as tf.Tensor, { seqAxis: 1, batchAxis: 0 }),
    reference: (x) => refReverseSequence(x, [3, 1], 1, 0),
    shape: [2, 3, 4],
  },
  {
    name: 'ReverseSequence [4,2,3] time-major (seqDim 0, batchDim 1), lengths [4, 2]',
    ops: ['ReverseSequence'],
    inputs: [x423],
    build: (x) => tf.reverseSequence(x, [4, 2], { seqDim: 0, batchDim: 1 }),
    reference: (x) => refReverseSequence(x, [4, 2], 0, 1),
    shape: [4, 2, 3],
  },
  {
    name: 'ReverseSequence [3,2,5] seqAxis 2 batchAxis 0 (default), lengths [5, 3, 1]',
    ops: ['ReverseSequence'],
    inputs: [x325],
    build: (x) => tf.reverseSequence(x, [5, 3, 1], 2),
    reference: (x) => refReverseSequence(x, [5, 3, 1], 2, 0),
    shape: [3, 2, 5],
  },
  {
    name: 'ReverseSequence [2,3,4] seqAxis -2 batchAxis -1 (batch on the last axis), lengths [3,0,2,1]',
    ops: ['ReverseSequence'],
    inputs: [x234],
    build: (x) => tf.reverseSequence(x, [3, 0, 2, 1], -2, -1),
    reference: (x) => refReverseSequence(x, [3, 0, 2, 1], 1, 2),
    shape: [2, 3, 4],
  },
];
