import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase, refElementwise } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * FloorDiv, FloorMod (tf.floordiv, tf.floormod / tf.mod) and Reciprocal (issue 18), float32 and int32,
 * with broadcasting and both signs of divisor. References: Python's definitions written here —
 * floordiv = floor(x / y) (TF divides float32 values in float32 first, hence the fround), floormod =
 * x - floor(x / y) * y (the result takes the divisor's sign), reciprocal = 1 / x. FloorMod's and
 * Reciprocal's gradients are checked numerically (FloorDiv has none, as in TF).
 */
const int32 = (values: number[], shape: number[]): NDArray =>
  new NDArray(Int32Array.from(values), shape, 'int32');
const pyMod = (x: number, y: number): number => x - Math.floor(x / y) * y;

/** Divisors bounded away from zero, both signs: |y| in [0.7, 2]. */
function divisors(shape: number[], seed: number): NDArray {
  const r = randomArray(shape, seed, 0.7, 2);
  const s = randomArray(shape, seed + 1);
  return new NDArray(
    r.data.map((v, i) => ((s.data[i] as number) < 0 ? -v : v)) as Float64Array,
    shape,
    'float32',
  );
}

const xi = int32([7, -7, 7, -7, 0, 13, -13, 1, -1, 6, -6, 2], [4, 3]);
const yi = int32([2, 2, -2, -2, 3, 5, 5, -5, 4, 3, 3, -1], [4, 3]);

export const floorOpCases: OpCase[] = [
  {
    name: 'FloorDiv float [3,4] / [3,4] both signs',
    ops: ['FloorDiv'],
    inputs: [randomArray([3, 4], 500, -6, 6), divisors([3, 4], 501)],
    build: (x, y) => tf.floordiv(x, y),
    reference: (x, y) => refElementwise((a, b) => Math.floor(Math.fround(a / b)), x, y),
    shape: [3, 4],
    grad: false,
  },
  {
    name: 'FloorDiv float rounds the quotient to float32 first (1 / 0.33333334 -> 3)',
    ops: ['FloorDiv'],
    inputs: [new NDArray(Float64Array.from([1, -1, 2]), [3], 'float32')],
    build: (x) => tf.floordiv(x, Math.fround(1 / 3)),
    reference: () => [3, -3, 6],
    shape: [3],
    grad: false,
  },
  {
    name: 'FloorDiv int32 [4,3] (Python floor semantics)',
    ops: ['FloorDiv'],
    inputs: [xi, yi],
    build: (x, y) => tf.floordiv(x, y),
    reference: (x, y) => refElementwise((a, b) => Math.floor(a / b), x, y),
    shape: [4, 3],
    grad: false,
  },
  {
    name: 'FloorDiv int32 broadcast [4,3] / [3]',
    ops: ['FloorDiv'],
    inputs: [xi, int32([3, -4, 7], [3])],
    build: (x, y) => tf.floordiv(x, y),
    reference: (x, y) => refElementwise((a, b) => Math.floor(a / b), x, y),
    shape: [4, 3],
    grad: false,
  },
  {
    name: 'FloorMod float [2,3,4] % [4] both signs',
    ops: ['FloorMod'],
    inputs: [randomArray([2, 3, 4], 502, -5, 5), divisors([4], 503)],
    build: (x, y) => tf.floormod(x, y),
    reference: (x, y) => refElementwise(pyMod, x, y),
    shape: [2, 3, 4],
  },
  {
    name: 'FloorMod float scalar divisor via tf.mod',
    ops: ['FloorMod'],
    inputs: [randomArray([5], 504, -4, 4), new NDArray(Float64Array.from([-1.5]), [], 'float32')],
    build: (x, y) => tf.mod(x, y),
    reference: (x, y) => refElementwise(pyMod, x, y),
    shape: [5],
  },
  {
    name: 'FloorMod int32 [4,3] (sign of the divisor)',
    ops: ['FloorMod'],
    inputs: [xi, yi],
    build: (x, y) => tf.floormod(x, y),
    reference: (x, y) => refElementwise(pyMod, x, y),
    shape: [4, 3],
    grad: false,
  },
  {
    name: 'Reciprocal [3,4]',
    ops: ['Reciprocal'],
    inputs: [divisors([3, 4], 505)],
    build: (x) => tf.reciprocal(x),
    reference: (x) => refElementwise((a) => 1 / a, x),
    shape: [3, 4],
  },
];
