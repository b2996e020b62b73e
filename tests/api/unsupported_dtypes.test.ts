// tf.int64 / tf.float64 are named (TF1 programs use them: r1.15's mnist_softmax.py, mnist_deep.py and
// mnist_with_summaries.py feed labels through tf.placeholder(tf.int64, [None])), but tensorgraph has no
// 64-bit dtypes: every use is a TypeError that names the dtype and the supported ones.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('tf.int64 and tf.float64 are rejected clearly wherever a dtype is expected', () => {
  expect(tf.int64).toBe('int64');
  expect(tf.float64).toBe('float64');
  // (TypeScript already rejects these calls at compile time; JavaScript callers get the TypeError.)
  const untyped = (f: unknown) => f as (...a: unknown[]) => unknown;
  const msg = /argument 'dtype' must be a dtype: tf\.float32 .*tf\.int32 .*got 'int64'/;
  expect(() => untyped(tf.placeholder)(tf.int64, [null], 'y-input')).toThrow(msg);
  expect(() => untyped(tf.cast)(tf.constant([1, 2]), tf.int64)).toThrow(msg);
  expect(() => untyped(tf.zeros)([2], tf.float64)).toThrow(/got 'float64'/);
});
