import * as tf from '../../../src';
import { f64, OpCase, refElementwise } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';
import { broadcastToShapeOf, sumToShapeOf } from '../../../src/ops/array/broadcast';

/** Elementwise math: each formula op, with broadcasting on non-square shapes. */
const a23 = randomArray([2, 3], 11);
const b3 = randomArray([3], 12);
const b21 = randomArray([2, 1], 13);
const c23 = randomArray([2, 3], 16);
const pos23 = randomArray([2, 3], 14, 0.5, 2);
const pos3 = randomArray([3], 15, 0.5, 2);
const wide = f64([
  [-3, -0.7, 0.3],
  [2.5, 5.5, 7.2],
]);

type Unary = [string, (x: tf.Tensor) => tf.Tensor, (v: number) => number, tf.NDArray?, boolean?];
const unary: Unary[] = [
  ['Neg', (x) => tf.negative(x), (v) => -v],
  ['Abs', (x) => tf.abs(x), Math.abs],
  ['Square', (x) => tf.square(x), (v) => v * v],
  ['Sqrt', (x) => tf.sqrt(x), Math.sqrt, pos23],
  ['Rsqrt', (x) => tf.rsqrt(x), (v) => 1 / Math.sqrt(v), pos23],
  ['Exp', (x) => tf.exp(x), Math.exp],
  ['Log', (x) => tf.log(x), Math.log, pos23],
  ['Log1p', (x) => tf.log1p(x), Math.log1p, pos23],
  ['Sin', (x) => tf.sin(x), Math.sin],
  ['Cos', (x) => tf.cos(x), Math.cos],
  ['Sigmoid', (x) => tf.sigmoid(x), (v) => 1 / (1 + Math.exp(-v))],
  ['Tanh', (x) => tf.tanh(x), Math.tanh],
  ['Relu', (x) => tf.relu(x), (v) => Math.max(v, 0)],
  ['Relu6', (x) => tf.relu6(x), (v) => Math.min(Math.max(v, 0), 6), wide],
  ['Elu', (x) => tf.elu(x), (v) => (v > 0 ? v : Math.expm1(v)), wide],
  ['Softplus', (x) => tf.softplus(x), (v) => Math.log1p(Math.exp(v))],
  // TF1's Sign gradient is zeros (checked numerically away from 0).
  ['Sign', (x) => tf.sign(x), Math.sign, wide],
  ['Floor', (x) => tf.floor(x), Math.floor, wide, false],
  ['Ceil', (x) => tf.ceil(x), Math.ceil, wide, false],
  [
    'Round',
    (x) => tf.round(x),
    (v) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v)),
    f64([
      [-2.5, -0.5, 0.5],
      [1.5, 2.5, 7.2],
    ]),
    false,
  ],
];

type Binary = [
  string,
  (x: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  (a: number, b: number) => number | boolean,
  boolean?,
];
const binary: Binary[] = [
  ['Add', (x, y) => tf.add(x, y), (a, b) => a + b],
  ['Sub', (x, y) => tf.subtract(x, y), (a, b) => a - b],
  ['Mul', (x, y) => tf.multiply(x, y), (a, b) => a * b],
  ['Maximum', (x, y) => tf.maximum(x, y), Math.max],
  ['Minimum', (x, y) => tf.minimum(x, y), Math.min],
  ['SquaredDifference', (x, y) => tf.squaredDifference(x, y), (a, b) => (a - b) * (a - b)],
  ['Equal', (x, y) => tf.equal(x, y), (a, b) => a === b, false],
  ['NotEqual', (x, y) => tf.notEqual(x, y), (a, b) => a !== b, false],
  ['Less', (x, y) => tf.less(x, y), (a, b) => a < b, false],
  ['LessEqual', (x, y) => tf.lessEqual(x, y), (a, b) => a <= b, false],
  ['Greater', (x, y) => tf.greater(x, y), (a, b) => a > b, false],
  ['GreaterEqual', (x, y) => tf.greaterEqual(x, y), (a, b) => a >= b, false],
];

export const mathCases: OpCase[] = [
  ...unary.map(([op, build, fn, input, grad]): OpCase => {
    const x = input ?? a23;
    return {
      name: `${op} [2,3]`,
      ops: [op],
      inputs: [x],
      build,
      reference: (v) => refElementwise(fn, v),
      shape: [2, 3],
      grad: grad ?? true,
    };
  }),
  ...binary.flatMap(([op, build, fn, grad]): OpCase[] => [
    {
      name: `${op} [2,3] with [3]`,
      ops: [op],
      inputs: [a23, b3],
      build,
      reference: (x, y) => refElementwise(fn, x, y),
      shape: [2, 3],
      grad: grad ?? true,
    },
    {
      name: `${op} [2,1] with [3]`,
      ops: [op],
      inputs: [b21, b3],
      build,
      reference: (x, y) => refElementwise(fn, x, y),
      shape: [2, 3],
      grad: grad ?? true,
    },
  ]),
  {
    name: 'RealDiv [2,3] / [3]',
    ops: ['RealDiv'],
    inputs: [a23, pos3],
    build: (x, y) => tf.divide(x, y),
    reference: (x, y) => refElementwise((a, b) => a / b, x, y),
    shape: [2, 3],
  },
  {
    name: 'Pow [2,3] ^ [3]',
    ops: ['Pow'],
    inputs: [pos23, b3],
    build: (x, y) => tf.pow(x, y),
    reference: (x, y) => refElementwise(Math.pow, x, y),
    shape: [2, 3],
  },
  {
    name: 'Select [2,3] (TF1 v1 where: condition, x and y of one shape)',
    ops: ['Select'],
    inputs: [a23, c23],
    build: (x, y) => tf.where(tf.greater(x, 0), x, y),
    reference: (x, y) => refElementwise((a, b) => (a > 0 ? a : b), x, y),
    shape: [2, 3],
  },
  {
    name: 'Select batch: a vector condition picks rows of [2,3]',
    ops: ['Select', 'Reshape'],
    inputs: [a23, c23],
    build: (x, y) => tf.where([false, true], x, y),
    reference: (x, y) => {
      const xv = Array.from(x.data);
      const yv = Array.from(y.data);
      return f64([yv.slice(0, 3), xv.slice(3, 6)]);
    },
    shape: [2, 3],
  },
  {
    name: 'Where: coordinates of the true elements (one-argument tf.where)',
    ops: ['Where'],
    inputs: [wide],
    build: (x) => tf.where(tf.greater(x, 0)),
    reference: (x) => {
      const coords: number[][] = [];
      Array.from(x.data).forEach((e, k) => (e > 0 ? coords.push([Math.floor(k / 3), k % 3]) : undefined));
      return coords;
    },
    shape: [null, 2],
    grad: false,
  },
  {
    name: 'ClipByValue [2,3] to [-0.5, 0.4]',
    ops: ['ClipByValue'],
    inputs: [a23],
    build: (x) => tf.clipByValue(x, -0.5, 0.4),
    reference: (x) => refElementwise((a) => Math.min(Math.max(a, -0.5), 0.4), x),
    shape: [2, 3],
  },
  {
    name: 'Cast float→int32→float (truncation)',
    ops: ['Cast'],
    inputs: [wide],
    build: (x) => tf.cast(tf.cast(x, 'int32'), 'float32'),
    reference: (x) => refElementwise((a) => Math.trunc(a), x),
    grad: false,
  },
  {
    name: 'Cast float32 identity path is differentiable',
    ops: ['Cast'],
    inputs: [a23],
    build: (x) => tf.cast(tf.cast(x, 'bool'), 'float32').add(x),
    reference: (x) => refElementwise((a) => (a !== 0 ? 1 : 0) + a, x),
  },
  {
    name: 'LogicalAnd/Or/Not',
    ops: ['LogicalAnd', 'LogicalOr', 'LogicalNot'],
    inputs: [a23, b3],
    build: (x, y) =>
      tf.cast(
        tf.logicalOr(tf.logicalAnd(tf.greater(x, 0), tf.greater(y, 0)), tf.logicalNot(tf.less(x, 0.5))),
        'float32',
      ),
    reference: (x, y) => refElementwise((a, b) => (a > 0 && b > 0) || !(a < 0.5), x, y),
    grad: false,
  },
  {
    name: 'AddN of three',
    ops: ['AddN'],
    inputs: [a23, pos23],
    build: (x, y) => tf.addN([x, y, x]),
    reference: (x, y) => refElementwise((a, b) => 2 * a + b, x, y),
    shape: [2, 3],
  },
  {
    name: 'user formula x^3 + sin(y)',
    ops: ['Elementwise'],
    inputs: [a23, b3],
    build: (x, y) => tf.elementwise('x^3 + sin(y)', { x, y }),
    reference: (x, y) => refElementwise((a, b) => a ** 3 + Math.sin(b), x, y),
    shape: [2, 3],
  },
  {
    name: 'ZerosLike/OnesLike',
    ops: ['ZerosLike', 'OnesLike'],
    inputs: [a23],
    build: (x) => tf.add(tf.zerosLike(x), tf.onesLike(x)).mul(x),
    reference: (x) => refElementwise((a) => a, x),
  },

  {
    name: 'SumToShapeOf [2,3] to [3] (central unbroadcast)',
    ops: ['SumToShapeOf'],
    inputs: [a23, b3],
    build: (x, like) => sumToShapeOf(x, like),
    reference: (x) =>
      refElementwise(
        (a, b) => a + b,
        f64(Array.from(x.data.slice(0, 3))),
        f64(Array.from(x.data.slice(3, 6))),
      ),
    shape: [3],
  },
  {
    name: 'BroadcastToShapeOf [2,1] to [2,3]',
    ops: ['BroadcastToShapeOf'],
    inputs: [b21, a23],
    build: (x, like) => broadcastToShapeOf(x, like),
    reference: (x, like) => refElementwise((a) => a, x, like),
    shape: [2, 3],
  },
];
