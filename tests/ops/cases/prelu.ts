import * as tf from '../../../src';
import { OpCase, refElementwise } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * Prelu (issue 18): `max(0, x) + alpha * min(0, x)` with alpha per channel, scalar, and broadcast over
 * an inner axis; the reference is that formula in float64. Gradients w.r.t. x and alpha (alpha's reduced
 * to its shape) are checked numerically.
 */
const ref = (x: number, a: number): number => Math.max(0, x) + a * Math.min(0, x);

export const preluCases: OpCase[] = [
  {
    name: 'Prelu [2,3,4] alpha per channel [4]',
    ops: ['Prelu'],
    inputs: [randomArray([2, 3, 4], 600), randomArray([4], 601, 0, 0.5)],
    build: (x, a) => tf.prelu(x, a),
    reference: (x, a) => refElementwise(ref, x, a),
    shape: [2, 3, 4],
  },
  {
    name: 'Prelu [5,3] scalar alpha',
    ops: ['Prelu'],
    inputs: [randomArray([5, 3], 602, -2, 2), randomArray([], 603, 0.1, 0.3)],
    build: (x, a) => tf.prelu(x, a, 'p'),
    reference: (x, a) => refElementwise(ref, x, a),
    shape: [5, 3],
  },
  {
    name: 'Prelu [2,3,2] alpha [3,1] (negative alpha)',
    ops: ['Prelu'],
    inputs: [randomArray([2, 3, 2], 604), randomArray([3, 1], 605, -0.5, 0.5)],
    build: (x, a) => tf.prelu(x, a),
    reference: (x, a) => refElementwise(ref, x, a),
    shape: [2, 3, 2],
  },
];
