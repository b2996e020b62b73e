// TF1's deprecated cast shorthands: tf.to_float / tf.to_int32 / tf.to_int64 (math_ops), with their default
// op names ('ToFloat', 'ToInt32', 'ToInt64') and cast's identity on an input of the target dtype.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('toFloat / toInt32 / toInt64 cast with TF1 default names and truncation toward zero', () => {
  const x = tf.constant([-2.7, -0.5, 0.5, 3.9]);
  const i = tf.constant([3, -1, 0], tf.int32);
  const f = tf.toFloat(i);
  const n = tf.toInt32(x);
  const m = tf.toInt64(x, 'labels');
  expect(f.name).toBe('ToFloat:0');
  expect(f.dtype).toBe('float32');
  expect(n.name).toBe('ToInt32:0');
  expect(n.dtype).toBe('int32');
  // tensorgraph's integer dtype is int32: to_int64 gives TF1's values as int32.
  expect(m.name).toBe('labels:0');
  expect(m.dtype).toBe('int32');
  const sess = new tf.Session();
  const [fv, nv, mv] = sess.run([f, n, m]);
  expect(Array.from(fv?.data ?? [])).toEqual([3, -1, 0]);
  expect(Array.from(nv?.data ?? [])).toEqual([-2, 0, 0, 3]);
  expect(Array.from(mv?.data ?? [])).toEqual([-2, 0, 0, 3]);
  sess.close();
  // Already of the target dtype: the input itself (TF1's cast returns x).
  expect(tf.toInt64(i)).toBe(i);
  expect(tf.toFloat(x)).toBe(x);
  // mnist.py's use: int32 labels into sparse_softmax_cross_entropy.
  const loss = tf.losses.sparseSoftmaxCrossEntropy({
    labels: tf.toInt64(i.sub(i)),
    logits: tf.zeros([3, 4]),
  });
  const s2 = new tf.Session();
  expect(s2.run(loss).item()).toBeCloseTo(Math.log(4), 6);
  s2.close();
  expect(() => (tf.toFloat as (...a: unknown[]) => unknown)(x, { nam: 'a' })).toThrow(TypeError);
});
