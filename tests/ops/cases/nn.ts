import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { makeTensor } from '../../../src/ops/op_def';
import { OpCase, refElementwise } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';
import * as R from './nn_reference';

/**
 * tf.nn ops on non-square NHWC shapes (batch 2, H=7, W=5, C=3; filters 3×2×3×4), both paddings,
 * strides 1 and 2, against the naive float64 references in nn_reference.ts.
 */
type Pad = R.Pad;
const x7 = randomArray([2, 7, 5, 3], 101);
const w3234 = randomArray([3, 2, 3, 4], 102);
const w1134 = randomArray([1, 1, 3, 4], 103);

/** Distinct values (a scrambled ramp), so max-pool windows never tie and finite differences are exact. */
function distinct(shape: number[], seed: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (((i * 7919 + seed * 104729) % n) / n) * 2 - 1;
  return new NDArray(data, shape, 'float32');
}
const xd = distinct([2, 7, 5, 3], 3);

const convCases: OpCase[] = (
  [
    [w3234, 1, 'SAME', [2, 7, 5, 4]],
    [w3234, 1, 'VALID', [2, 5, 4, 4]],
    [w3234, 2, 'SAME', [2, 4, 3, 4]],
    [w3234, 2, 'VALID', [2, 3, 2, 4]],
    [w1134, 1, 'VALID', [2, 7, 5, 4]],
    [w1134, 2, 'SAME', [2, 4, 3, 4]],
  ] as [NDArray, number, Pad, number[]][]
).flatMap(([w, s, pad, yShape], k): OpCase[] => {
  const st: [number, number] = [s, s];
  const strides = [1, s, s, 1];
  const fs = `${w.shape.join('x')} stride ${s} ${pad}`;
  const dy = randomArray(yShape, 200 + k);
  return [
    {
      name: `Conv2D ${fs}`,
      ops: ['Conv2D'],
      inputs: [x7, w],
      build: (x, f) => tf.nn.conv2d(x, f, strides, pad),
      reference: (x, f) => R.refConv2d(x, f, st, pad),
      shape: yShape,
    },
    {
      name: `Conv2DBackpropInput ${fs}`,
      ops: ['Conv2DBackpropInput'],
      inputs: [w, dy],
      build: (f, g) => tf.nn.conv2dBackpropInput([2, 7, 5, 3], f, g, strides, pad),
      reference: (f, g) => R.refConvBackInput([2, 7, 5, 3], f, g, st, pad),
      shape: [2, 7, 5, 3],
    },
    {
      name: `Conv2DBackpropFilter ${fs}`,
      ops: ['Conv2DBackpropFilter'],
      inputs: [x7, dy],
      build: (x, g) => tf.nn.conv2dBackpropFilter(x, w.shape, g, strides, pad),
      reference: (x, g) => R.refConvBackFilter(x, w.shape, g, st, pad),
      shape: w.shape,
    },
  ];
});

const poolCases: OpCase[] = (
  [
    [2, 2, 'SAME', [2, 4, 3, 3]],
    [2, 2, 'VALID', [2, 3, 2, 3]],
    [3, 2, 'SAME', [2, 4, 3, 3]],
    [3, 2, 'VALID', [2, 3, 2, 3]],
    [3, 1, 'SAME', [2, 7, 5, 3]],
  ] as [number, number, Pad, number[]][]
).flatMap(([k, s, pad, yShape], n): OpCase[] => {
  const ks: [number, number] = [k, k];
  const st: [number, number] = [s, s];
  const [ksize, strides] = [
    [1, k, k, 1],
    [1, s, s, 1],
  ];
  const fs = `${k}x${k} stride ${s} ${pad}`;
  const dy = randomArray(yShape, 300 + n);
  const y = R.refMaxPool(xd, ks, st, pad);
  const attrs = { ksize, strides, padding: pad, data_format: 'NHWC' };
  return [
    {
      name: `MaxPool ${fs}`,
      ops: ['MaxPool'],
      inputs: [xd],
      build: (x) => tf.nn.maxPool(x, ksize, strides, pad),
      reference: (x) => R.refMaxPool(x, ks, st, pad),
      shape: yShape,
    },
    {
      name: `MaxPoolGrad ${fs}`,
      ops: ['MaxPoolGrad'],
      inputs: [xd, y, dy],
      build: (x, yy, g) => tf.nn.maxPoolGrad(x, yy, g, ksize, strides, pad),
      reference: (x, _y, g) => R.refMaxPoolGrad(x, g, ks, st, pad),
      shape: [2, 7, 5, 3],
    },
    {
      name: `MaxPoolGradGrad ${fs}`,
      ops: ['MaxPoolGradGrad'],
      inputs: [xd, y, randomArray([2, 7, 5, 3], 400 + n)],
      build: (x, yy, g) => makeTensor('MaxPoolGradGrad', [x, yy, g], attrs),
      reference: (x, _y, g) => R.refMaxPoolGradGrad(x, g, ks, st, pad),
      shape: yShape,
    },
    {
      name: `AvgPool ${fs}`,
      ops: ['AvgPool'],
      inputs: [x7],
      build: (x) => tf.nn.avgPool(x, ksize, strides, pad),
      reference: (x) => R.refAvgPool(x, ks, st, pad),
      shape: yShape,
    },
    {
      name: `AvgPoolGrad ${fs}`,
      ops: ['AvgPoolGrad'],
      inputs: [dy],
      build: (g) => tf.nn.avgPoolGrad([2, 7, 5, 3], g, ksize, strides, pad),
      reference: (g) => R.refAvgPoolGrad([2, 7, 5, 3], g, ks, st, pad),
      shape: [2, 7, 5, 3],
    },
  ];
});

const a234 = randomArray([2, 3, 4], 501, -3, 3);
const a53 = randomArray([5, 3], 502, -3, 3);

/** Random probability rows along `axis` (each row sums to 1). */
function distribution(shape: number[], axis: number, seed: number): NDArray {
  const raw = randomArray(shape, seed, 0.1, 1);
  const out = new Float64Array(raw.size);
  R.eachRow(shape, axis, (idx) => {
    const total = idx.reduce((p, i) => p + (raw.data[i] as number), 0);
    for (const i of idx) out[i] = (raw.data[i] as number) / total;
  });
  return new NDArray(out, shape, 'float32');
}
const int32 = (values: number[]): NDArray => tf.ndarray(Int32Array.from(values), [values.length], 'int32');

const denseCases: OpCase[] = [
  {
    name: 'BiasAdd [2,3,4] + [4]',
    ops: ['BiasAdd', 'BiasAddGrad'],
    inputs: [a234, randomArray([4], 503)],
    build: (x, b) => tf.nn.biasAdd(x, b),
    reference: (x, b) => refElementwise((p, q) => p + q, x, b),
    shape: [2, 3, 4],
  },
  {
    name: 'BiasAdd [5,3] + [3]',
    ops: ['BiasAdd'],
    inputs: [a53, randomArray([3], 504)],
    build: (x, b) => tf.nn.biasAdd(x, b),
    reference: (x, b) => refElementwise((p, q) => p + q, x, b),
    shape: [5, 3],
  },
  {
    name: 'BiasAddGrad [2,3,4] → [4]',
    ops: ['BiasAddGrad'],
    inputs: [a234],
    build: (g) => tf.nn.biasAddGrad(g),
    reference: (g) => R.refBiasAddGrad(g),
    shape: [4],
  },
  {
    name: 'BiasAdd NCHW [2,3,4,5] + [3] (bias on axis 1)',
    ops: ['BiasAdd', 'BiasAddGrad'],
    inputs: [randomArray([2, 3, 4, 5], 510), randomArray([3], 511)],
    build: (x, b) => tf.nn.biasAdd(x, b, 'NCHW'),
    reference: (x, b) => R.refBiasAddNchw(x, b),
    shape: [2, 3, 4, 5],
  },
  {
    name: 'BiasAddGrad NCHW [2,3,4] → [3]',
    ops: ['BiasAddGrad'],
    inputs: [a234],
    build: (g) => tf.nn.biasAddGrad(g, { dataFormat: 'NCHW' }),
    reference: (g) => R.refBiasAddGradNchw(g),
    shape: [3],
  },
  {
    name: 'MaxPool depthwise ksize = strides = [1,1,1,2] on [2,3,2,4] (Reshape + Max)',
    ops: ['Max'],
    inputs: [distinct([2, 3, 2, 4], 7)],
    build: (x) => tf.nn.maxPool(x, [1, 1, 1, 2], [1, 1, 1, 2], 'VALID'),
    reference: (x) => R.refDepthMaxPool(x, 2),
    shape: [2, 3, 2, 2],
  },
  {
    name: 'Conv2D NCHW [2,3,7,5] * 3x2x3x4 stride 2 SAME (between transposes)',
    ops: ['Conv2D'],
    inputs: [R.toNchw(x7), w3234],
    build: (x, f) => tf.nn.conv2d(x, f, [1, 1, 2, 2], 'SAME', { dataFormat: 'NCHW' }),
    reference: (x, f) => R.toNchw(R.refConv2d(R.toNhwc(x), f, [2, 2], 'SAME')),
    shape: [2, 4, 4, 3],
  },
  {
    name: 'MaxPool NCHW [2,3,7,5] 2x2 stride 2 VALID',
    ops: ['MaxPool'],
    inputs: [R.toNchw(xd)],
    build: (x) => tf.nn.maxPool(x, [1, 1, 2, 2], [1, 1, 2, 2], 'VALID', 'NCHW'),
    reference: (x) => R.toNchw(R.refMaxPool(R.toNhwc(x), [2, 2], [2, 2], 'VALID')),
    shape: [2, 3, 3, 2],
  },
  {
    name: 'AvgPool NCHW [2,3,7,5] 3x2 stride 1 SAME',
    ops: ['AvgPool'],
    inputs: [R.toNchw(x7)],
    build: (x) => tf.nn.avgPool(x, { ksize: [3, 2], strides: 1, padding: 'SAME', dataFormat: 'NCHW' }),
    reference: (x) => R.toNchw(R.refAvgPool(R.toNhwc(x), [3, 2], [1, 1], 'SAME')),
    shape: [2, 3, 7, 5],
  },
  ...(
    [
      ['ties at 1e20', [[1e20, 1e20, 0]]],
      ['float32 extremes', [[3.4e38, 3.4e38, 0]]],
      ['-inf entries', [[-Infinity, 0, 0]]],
    ] as [string, number[][]][]
  ).flatMap(([what, rows]): OpCase[] => [
    {
      name: `Softmax ${what}`,
      ops: ['Softmax'],
      inputs: [tf.ndarray(Float32Array.from(rows.flat()), [rows.length, 3], 'float32')],
      build: (x) => tf.nn.softmax(x, 1),
      reference: (x) => R.refSoftmax(x, 1),
      shape: [rows.length, 3],
      grad: false,
    },
    {
      name: `LogSoftmax ${what}`,
      ops: ['LogSoftmax'],
      inputs: [tf.ndarray(Float32Array.from(rows.flat()), [rows.length, 3], 'float32')],
      build: (x) => tf.nn.logSoftmax(x, { dim: -1 }),
      reference: (x) => R.refSoftmax(x, -1, true),
      shape: [rows.length, 3],
      grad: false,
    },
  ]),
  ...([-1, 1, 0] as const).flatMap((axis): OpCase[] => [
    {
      name: `Softmax [2,3,4] axis ${axis}`,
      ops: ['Softmax'],
      inputs: [a234],
      build: (x) => tf.nn.softmax(x, { axis }),
      reference: (x) => R.refSoftmax(x, axis),
      shape: [2, 3, 4],
    },
    {
      name: `LogSoftmax [2,3,4] axis ${axis}`,
      ops: ['LogSoftmax'],
      inputs: [a234],
      build: (x) => tf.nn.logSoftmax(x, { axis }),
      reference: (x) => R.refSoftmax(x, axis, true),
      shape: [2, 3, 4],
    },
  ]),
  {
    name: 'SoftmaxCrossEntropyWithLogits [5,3] (v1: gradient into logits only)',
    ops: ['SoftmaxCrossEntropyWithLogits'],
    inputs: [distribution([5, 3], -1, 505), a53],
    build: (labels, logits) => tf.nn.softmaxCrossEntropyWithLogits({ labels, logits }),
    reference: (labels, logits) => R.refXent(labels, logits, -1),
    shape: [5],
    grad: { wrt: [1] },
  },
  {
    name: 'SoftmaxCrossEntropyWithLogits V2 [2,3,4] axis 1 (gradient into labels too)',
    ops: ['SoftmaxCrossEntropyWithLogits'],
    inputs: [distribution([2, 3, 4], 1, 506), a234],
    build: (labels, logits) => tf.nn.softmaxCrossEntropyWithLogitsV2({ labels, logits, axis: 1 }),
    reference: (labels, logits) => R.refXent(labels, logits, 1),
    shape: [2, 4],
  },
  {
    name: 'SparseSoftmaxCrossEntropyWithLogits [5,3]',
    ops: ['SparseSoftmaxCrossEntropyWithLogits'],
    inputs: [int32([2, 0, 1, 1, 2]), a53],
    build: (labels, logits) => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }),
    reference: (labels, logits) => R.refSparseXent(labels, logits),
    shape: [5],
  },
  {
    name: 'SigmoidCrossEntropyWithLogits [5,3]',
    ops: ['SigmoidCrossEntropyWithLogits'],
    inputs: [randomArray([5, 3], 507, 0, 1), a53],
    build: (labels, logits) => tf.nn.sigmoidCrossEntropyWithLogits({ labels, logits }),
    reference: (z, x) => refElementwise((zz, xx) => Math.log1p(Math.exp(-xx)) + xx - xx * zz, z, x),
    shape: [5, 3],
  },
  {
    name: 'L2Loss [2,3,4]',
    ops: ['L2Loss'],
    inputs: [a234],
    build: (x) => tf.nn.l2Loss(x),
    reference: (x) =>
      new NDArray(
        Float64Array.of(Array.from(x.data as Float64Array).reduce((p, q) => p + q * q, 0) / 2),
        [],
        'float32',
      ),
    shape: [],
  },
  {
    name: 'embeddingLookup [5,3] at ids [2,2] (GatherV2 on axis 0)',
    ops: ['GatherV2'],
    inputs: [a53, tf.ndarray(Int32Array.from([4, 0, 2, 2]), [2, 2], 'int32')],
    build: (params, ids) => tf.nn.embeddingLookup([params], ids),
    reference: (params, ids) => {
      const out = new Float64Array(12);
      ids.data.forEach((id, k) => out.set(params.data.subarray(id * 3, id * 3 + 3), k * 3));
      return new NDArray(out, [2, 2, 3], 'float32');
    },
    shape: [2, 2, 3],
  },
];

export const nnCases: OpCase[] = [...convCases, ...poolCases, ...denseCases];
