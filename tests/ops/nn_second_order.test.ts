import * as tf from '../../src';
import { checkGradient, randomArray } from '../helpers/gradcheck';

/**
 * Second derivatives: the gradient graphs of the nn ops are themselves checked by central differences
 * (so the gradients of Conv2DBackpropInput/Filter, MaxPoolGrad/GradGrad, AvgPoolGrad, BiasAddGrad, the
 * cross-entropies' backprop output, … are exercised in composition).
 */
const sq = (t: tf.Tensor): tf.Tensor => tf.reduceSum(tf.square(t));
const grad = (y: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.gradients(y, x)[0] as tf.Tensor;

const x = randomArray([2, 5, 4, 3], 61);
const w = randomArray([3, 2, 3, 2], 62);
/** Distinct, well-separated values so max-pool windows have no ties. */
const xd = new tf.NDArray(
  Float64Array.from({ length: 120 }, (_v, i) => ((i * 53) % 120) / 60 - 1),
  [2, 5, 4, 3],
  'float32',
);

describe('second derivatives by central differences', () => {
  test.each(['SAME', 'VALID'] as const)('conv2d %s: d/dx and d/dw of ∂Σy²/∂x and ∂Σy²/∂w', (pad) => {
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.nn.conv2d(a, b, [1, 2, 2, 1], pad);
    checkGradient((a, b) => grad(sq(conv(a, b)), a), [x, w]);
    checkGradient((a, b) => grad(sq(conv(a, b)), b), [x, w]);
  });

  test('max pool (through MaxPoolGrad and MaxPoolGradGrad)', () => {
    const f = (a: tf.Tensor) => tf.nn.maxPool(a, 3, 2, 'SAME');
    checkGradient((a) => grad(sq(f(a)), a), [xd]);
    // Third order: the gradient of MaxPoolGradGrad is MaxPoolGrad again.
    checkGradient((a) => grad(sq(grad(sq(f(a)), a)), a), [xd]);
  });

  test('avg pool (through AvgPoolGrad)', () => {
    checkGradient((a) => grad(sq(tf.nn.avgPool(a, 3, 2, 'VALID')), a), [x]);
    checkGradient((a) => grad(sq(grad(sq(tf.nn.avgPool(a, 2, 2, 'SAME')), a)), a), [x]);
  });

  test('biasAdd (through BiasAddGrad)', () => {
    const b = randomArray([3], 63);
    checkGradient((a, c) => grad(sq(tf.nn.biasAdd(a, c)), c), [x, b]);
    checkGradient((a, c) => grad(sq(grad(sq(tf.nn.biasAdd(a, c)), c)), a), [x, b]);
  });

  const logits = randomArray([4, 5], 64, -2, 2);
  const labels = randomArray([4, 5], 65, 0, 1);
  test('softmax and logSoftmax', () => {
    checkGradient((a) => grad(sq(tf.nn.softmax(a)), a), [logits]);
    checkGradient((a) => grad(sq(tf.nn.logSoftmax(a, { axis: 0 })), a), [logits]);
  });

  test('softmax cross-entropy (through the backprop output), both arguments', () => {
    const f = (z: tf.Tensor, l: tf.Tensor) => tf.nn.softmaxCrossEntropyWithLogitsV2({ labels: z, logits: l });
    checkGradient((z, l) => grad(sq(f(z, l)), l), [labels, logits]);
    checkGradient((z, l) => grad(sq(f(z, l)), z), [labels, logits]);
  });

  test('sparse softmax cross-entropy', () => {
    const ids = tf.ndarray(Int32Array.from([4, 0, 2, 2]), [4], 'int32');
    checkGradient(
      (z, l) => grad(sq(tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: z, logits: l })), l),
      [ids, logits],
    );
  });

  test('sigmoid cross-entropy and l2Loss', () => {
    const f = (z: tf.Tensor, l: tf.Tensor) => tf.nn.sigmoidCrossEntropyWithLogits({ labels: z, logits: l });
    checkGradient((z, l) => grad(sq(f(z, l)), l), [labels, logits]);
    checkGradient((a) => grad(tf.square(tf.nn.l2Loss(a)), a), [logits]);
  });
});
