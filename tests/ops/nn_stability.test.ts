import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

/** Logits of ±1000 must give finite losses and gradients equal to their analytic values. */
function run(build: () => tf.Tensor[], float64 = true): number[][] {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const ts = build();
    const sess = float64 ? float64Session(g) : new tf.Session({ graph: g });
    return sess.run(ts).map((a) => Array.from(a.data as Float64Array));
  });
}

const LOGITS = [
  [1000, -1000, 0],
  [-1000, -1000, 1000],
  [1000, 1000, -1000],
];
const LABELS = [
  [0.2, 0.3, 0.5],
  [1, 0, 0],
  [0.5, 0.5, 0],
];

describe.each([true, false])('float64 mode %s', (float64) => {
  test('softmax cross-entropy: loss Σ z·(lse − x) and gradient softmax − labels', () => {
    const [loss, dLogits, dLabels] = run(() => {
      const logits = tf.constant(LOGITS);
      const labels = tf.constant(LABELS);
      const l = tf.nn.softmaxCrossEntropyWithLogitsV2({ labels, logits });
      const [dx, dz] = tf.gradients(l, [logits, labels]);
      return [l, dx as tf.Tensor, dz as tf.Tensor];
    }, float64);
    // lse = 1000, 1000, 1000 + log 2.
    expect(loss).toEqual([expect.closeTo(1100, 9), expect.closeTo(2000, 9), expect.closeTo(Math.LN2, 6)]);
    expect(dLogits).toEqual([0.8, -0.3, -0.5, -1, 0, 1, 0, 0, 0].map((v) => expect.closeTo(v, 6)));
    // ∂/∂labels = −log softmax = lse − x.
    expect(dLabels).toEqual(
      [0, 2000, 1000, 2000, 2000, 0, Math.LN2, Math.LN2, 2000 + Math.LN2].map((v) => expect.closeTo(v, 3)),
    );
  });

  test('sparse softmax cross-entropy', () => {
    const [loss, dLogits] = run(() => {
      const logits = tf.constant(LOGITS);
      const l = tf.nn.sparseSoftmaxCrossEntropyWithLogits({
        labels: tf.constant([1, 2, 0], 'int32'),
        logits,
      });
      return [l, tf.gradients(l, logits)[0] as tf.Tensor];
    }, float64);
    expect(loss).toEqual([expect.closeTo(2000, 9), expect.closeTo(0, 9), expect.closeTo(Math.LN2, 6)]);
    expect(dLogits).toEqual([1, -1, 0, 0, 0, 0, -0.5, 0.5, 0].map((v) => expect.closeTo(v, 6)));
  });

  test('softmax and logSoftmax stay finite', () => {
    const [sm, lsm, dlsm] = run(() => {
      const x = tf.constant(LOGITS);
      const l = tf.nn.logSoftmax(x);
      return [tf.nn.softmax(x), l, tf.gradients(l, x)[0] as tf.Tensor];
    }, float64);
    expect(sm).toEqual([1, 0, 0, 0, 0, 1, 0.5, 0.5, 0].map((v) => expect.closeTo(v, 9)));
    expect(lsm).toEqual(
      [0, -2000, -1000, -2000, -2000, 0, -Math.LN2, -Math.LN2, -2000 - Math.LN2].map((v) =>
        expect.closeTo(v, 3),
      ),
    );
    // Σ_j ∂logsoftmax_j/∂x_i = 1 − n·softmax_i.
    expect(dlsm).toEqual([-2, 1, 1, 1, 1, -2, -0.5, -0.5, 1].map((v) => expect.closeTo(v, 6)));
  });

  test('sigmoid cross-entropy: max(x,0) − x·z + log1p(exp(−|x|)), gradient sigmoid(x) − z', () => {
    const [loss, dx, dz] = run(() => {
      const logits = tf.constant([1000, -1000, 1000, -1000, 0]);
      const labels = tf.constant([1, 1, 0, 0, 0.25]);
      const l = tf.nn.sigmoidCrossEntropyWithLogits({ labels, logits });
      const [gx, gz] = tf.gradients(l, [logits, labels]);
      return [l, gx as tf.Tensor, gz as tf.Tensor];
    }, float64);
    expect(loss).toEqual([0, 1000, 1000, 0, expect.closeTo(Math.LN2, 6)]);
    expect(dx).toEqual([0, -1, 1, 0, 0.25]);
    expect(dz).toEqual([-1000, 1000, -1000, 1000, 0].map((v) => expect.closeTo(v, 9)));
  });
});
