import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { f64, OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/** Fill and the shape-info ops, on non-square shapes. */
const scalar = f64(1.75);
const x234 = randomArray([2, 3, 4], 51);
const dims23 = tf.ndarray(Int32Array.from([2, 3]), [2], 'int32');
const full = (shape: number[], v: number, dtype: tf.DType = 'float32') => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data =
    dtype === 'float32' ? new Float64Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  return new NDArray(data.fill(v), shape, dtype);
};
const ints = (...v: number[]) => tf.ndarray(Int32Array.from(v), [v.length], 'int32');

export const fillCases: OpCase[] = [
  {
    name: 'Fill [2,3,4] with a float scalar',
    ops: ['Fill'],
    inputs: [scalar],
    build: (v) => tf.fill([2, 3, 4], v),
    reference: (v) => full([2, 3, 4], v.data[0] as number),
    shape: [2, 3, 4],
  },
  {
    name: 'Fill with dims from an int32 tensor (shape known at run time)',
    ops: ['Fill'],
    inputs: [dims23, scalar],
    build: (d, v) => tf.fill(d, v),
    reference: (d, v) => full(Array.from(d.data), v.data[0] as number),
    shape: [null, null],
  },
  {
    name: 'Fill then multiply (gradient sums over every element)',
    ops: ['Fill'],
    inputs: [scalar, x234],
    build: (v, x) => tf.multiply(tf.fill([3, 4], v), x),
    reference: (v, x) =>
      new NDArray(x.data.map((e) => e * (v.data[0] as number)) as Float64Array, x.shape, 'float32'),
    shape: [2, 3, 4],
  },
  {
    name: 'zeros [3,2] float32',
    ops: ['Fill'],
    inputs: [],
    build: () => tf.zeros([3, 2]),
    reference: () => full([3, 2], 0),
    shape: [3, 2],
    grad: false,
  },
  {
    name: 'ones [2,5] int32 (positional dtype)',
    ops: ['Fill'],
    inputs: [],
    build: () => tf.ones([2, 5], 'int32'),
    reference: () => full([2, 5], 1, 'int32'),
    shape: [2, 5],
    grad: false,
  },
  {
    name: 'ones [4] bool (options object)',
    ops: ['Fill'],
    inputs: [],
    build: () => tf.ones([4], { dtype: 'bool' }),
    reference: () => [true, true, true, true],
    shape: [4],
    grad: false,
  },
  {
    name: 'zeros like a tensor via shape(x)',
    ops: ['Shape', 'Fill'],
    inputs: [x234],
    build: (x) => tf.zeros(tf.shape(x)),
    reference: () => full([2, 3, 4], 0),
    shape: [2, 3, 4], // TF1's shape inference reads tf.shape(x) as x's static dims
    grad: false,
  },
  {
    name: 'Shape of [2,3,4]',
    ops: ['Shape'],
    inputs: [x234],
    build: (x) => tf.shape(x),
    reference: () => ints(2, 3, 4),
    shape: [3],
    grad: false,
  },
  {
    name: 'Size of [2,3,4]',
    ops: ['Size'],
    inputs: [x234],
    build: (x) => tf.size(x),
    reference: () => tf.ndarray(Int32Array.from([24]), [], 'int32'),
    shape: [],
    grad: false,
  },
  {
    name: 'Rank of [2,3,4]',
    ops: ['Rank'],
    inputs: [x234],
    build: (x) => tf.rank(x),
    reference: () => tf.ndarray(Int32Array.from([3]), [], 'int32'),
    shape: [],
    grad: false,
  },
  {
    name: 'Shape of an int32 scalar',
    ops: ['Shape'],
    inputs: [tf.ndarray(Int32Array.from([7]), [], 'int32')],
    build: (x) => tf.shape(x),
    reference: () => new NDArray(new Int32Array(0), [0], 'int32'),
    shape: [0],
    grad: false,
  },
];
