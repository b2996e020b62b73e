import * as tf from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/** tf.Print: the output is the input (identity); the gradient is identity for input, none for data. */
const x23 = randomArray([2, 3], 71);
const y4 = randomArray([4], 72);

export const loggingCases: OpCase[] = [
  {
    name: 'Print passes its input through (logs once per session)',
    ops: ['Print'],
    inputs: [x23, y4],
    build: (x, y) => tf.Print(x, [y, x], 'case: ', { firstN: 1 }),
    reference: (x) => x,
    shape: [2, 3],
  },
  {
    name: 'Print inside a computation: gradient flows through input only',
    ops: ['Print'],
    inputs: [x23],
    build: (x) => tf.multiply(tf.Print(tf.square(x), [x], 'sq: ', 1, 2), x),
    reference: (x) => {
      const out = x.data.map((v) => v * v * v);
      return new tf.NDArray(out, x.shape.slice(), 'float32');
    },
    shape: [2, 3],
  },
];
