import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * Random ops in the shared table: rows whose result is exact whatever the stream (degenerate ranges,
 * zero stddev), so every backend can be compared against a float64 reference. Distribution and seeding
 * checks live in tests/ops/random.test.ts.
 */
const x23 = randomArray([2, 3], 61);
const full = (shape: number[], v: number, dtype: tf.DType = 'float32') => {
  const n = shape.reduce((a, b) => a * b, 1);
  return new NDArray((dtype === 'int32' ? new Int32Array(n) : new Float64Array(n)).fill(v), shape, dtype);
};

export const randomCases: OpCase[] = [
  {
    name: 'RandomStandardNormal with stddev 0 is its mean',
    ops: ['RandomStandardNormal'],
    inputs: [],
    build: () => tf.randomNormal([3, 2], { mean: 1.5, stddev: 0, seed: 1 }),
    reference: () => full([3, 2], 1.5),
    shape: [3, 2],
    grad: false,
  },
  {
    name: 'TruncatedNormal with stddev 0 is its mean',
    ops: ['TruncatedNormal'],
    inputs: [],
    build: () => tf.truncatedNormal([2, 5], { mean: -0.25, stddev: 0, seed: 1 }),
    reference: () => full([2, 5], -0.25),
    shape: [2, 5],
    grad: false,
  },
  {
    name: 'RandomUniform int32 over [5, 6) is all 5',
    ops: ['RandomUniform'],
    inputs: [],
    build: () => tf.randomUniform([4, 3], { minval: 5, maxval: 6, dtype: 'int32', seed: 2 }),
    reference: () => full([4, 3], 5, 'int32'),
    shape: [4, 3],
    grad: false,
  },
  {
    name: 'RandomUniform float floors to minval over a unit range, shaped like x',
    ops: ['RandomUniform', 'Shape'],
    inputs: [x23],
    build: (x) => tf.floor(tf.randomUniform(tf.shape(x), { minval: 2, maxval: 3, seed: 3 })),
    reference: () => full([2, 3], 2),
    shape: [2, 3], // TF1's shape inference reads tf.shape(x) as x's static dims
    grad: false,
  },
];
