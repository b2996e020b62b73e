import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { f64, OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/** Elementwise map of float64 arrays of the same shape. */
function map(fn: (...v: number[]) => number, ...xs: NDArray[]): NDArray {
  const first = xs[0] as NDArray;
  const out = new Float64Array(first.size);
  for (let i = 0; i < out.length; i++) out[i] = fn(...xs.map((x) => x.data[i] as number));
  return new NDArray(out, first.shape.slice(), 'float32');
}

function total(x: NDArray): number {
  let s = 0;
  for (const v of x.data) s += v as number;
  return s;
}

/** x ← x·w + sin(x), `n` times. */
function refLoop(x: NDArray, w: NDArray, n: number): NDArray {
  let y = x;
  for (let k = 0; k < n; k++) y = map((a, b) => a * b + Math.sin(a), y, w);
  return y;
}

const x23 = randomArray([2, 3], 101, -1, 1);
const w23 = randomArray([2, 3], 102, 0.5, 1.2);
const positive = randomArray([2, 3], 103, 0.2, 1);
const negative = randomArray([2, 3], 104, -1, -0.2);

/** A cond whose branches use different ops and different captured tensors. */
function buildCond(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const outside = tf.exp(y); // created outside: computed whatever the predicate
  return tf.cond(
    tf.greater(tf.reduceSum(x), 0),
    () => tf.multiply(x, tf.sin(outside)),
    () => tf.add(tf.square(y), x),
  );
}
function refCond(x: NDArray, y: NDArray): NDArray {
  return total(x) > 0 ? map((a, b) => a * Math.sin(Math.exp(b)), x, y) : map((a, b) => b * b + a, x, y);
}

export const controlCases: OpCase[] = [
  {
    name: 'If true branch (x·sin(exp y))',
    ops: ['If'],
    inputs: [positive, w23],
    build: buildCond,
    reference: refCond,
    shape: [2, 3],
  },
  {
    name: 'If false branch (y² + x)',
    ops: ['If'],
    inputs: [negative, w23],
    build: buildCond,
    reference: refCond,
    shape: [2, 3],
  },
  {
    name: 'If returning a structure, branch returns a captured tensor unchanged',
    ops: ['If'],
    inputs: [positive, w23],
    build: (x, y) => {
      const [a, b] = tf.cond(
        tf.less(tf.reduceSum(x), 0),
        () => [x, tf.tanh(y)],
        () => [tf.multiply(x, y), y],
      );
      return tf.add(a as tf.Tensor, tf.square(b as tf.Tensor));
    },
    reference: (x, y) => map((a, b) => a * b + b * b, x, y),
    shape: [2, 3],
  },
  {
    name: 'While x ← x·w + sin(x), 5 iterations (gradient w.r.t. x and the captured w)',
    ops: ['While'],
    inputs: [x23, w23],
    build: (x, w) =>
      tf.whileLoop(
        (i) => tf.less(i, 5),
        (i, y) => [tf.add(i, 1), tf.add(tf.multiply(y, w), tf.sin(y))],
        [tf.constant(0, 'int32'), x],
      )[1] as tf.Tensor,
    reference: (x, w) => refLoop(x, w, 5),
    shape: [2, 3],
  },
  {
    name: 'While with data-dependent trip count and maximumIterations',
    ops: ['While'],
    inputs: [x23, w23],
    build: (x, w) =>
      tf.whileLoop(
        (y) => tf.less(tf.reduceSum(tf.abs(y)), 1e6), // never false for these values: the limit stops it
        (y) => [tf.add(tf.multiply(y, w), tf.sin(y))],
        [x],
        { maximumIterations: 3 },
      ),
    reference: (x, w) => refLoop(x, w, 3),
    shape: [2, 3],
  },
  {
    name: 'While whose body holds a cond (nested functions)',
    ops: ['While', 'If'],
    inputs: [x23, w23],
    build: (x, w) =>
      tf.whileLoop(
        (i) => tf.less(i, 4),
        (i, y) => [
          tf.add(i, 1),
          tf.cond(
            tf.less(i, 2),
            () => tf.add(tf.multiply(y, w), tf.sin(y)),
            () => tf.multiply(y, w),
          ),
        ],
        [tf.constant(0, 'int32'), x],
      )[1] as tf.Tensor,
    reference: (x, w) => map((a, b) => a * b * b, refLoop(x, w, 2), w),
    shape: [2, 3],
  },
  {
    name: 'Nested While (inner loop captures the outer loop variable and w)',
    ops: ['While'],
    inputs: [f64([[0.3, -0.2, 0.5]]), f64([[0.9, 0.8, 1.1]])],
    build: (x, w) =>
      tf.whileLoop(
        (i) => tf.less(i, 2),
        (i, y) => {
          const [, inner] = tf.whileLoop(
            (j) => tf.less(j, 3),
            (j, z) => [tf.add(j, 1), tf.add(tf.multiply(z, w), tf.sin(y))],
            [tf.constant(0, 'int32'), y],
          );
          return [tf.add(i, 1), inner as tf.Tensor];
        },
        [tf.constant(0, 'int32'), x],
      )[1] as tf.Tensor,
    reference: (x, w) => {
      let y = x;
      for (let i = 0; i < 2; i++) {
        let z = y;
        for (let j = 0; j < 3; j++) z = map((a, b, c) => a * b + Math.sin(c), z, w, y);
        y = z;
      }
      return y;
    },
    shape: [1, 3],
  },
];
