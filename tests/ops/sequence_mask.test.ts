// TF1's tf.sequence_mask(lengths, maxlen=None, dtype=tf.bool, name=None), values from its docstring.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('sequenceMask: TF1 docstring examples, default maxlen, dtype, shapes and name scope', () => {
  const a = tf.sequenceMask([1, 3, 2], 5);
  const b = tf.sequenceMask([
    [1, 3],
    [2, 0],
  ]);
  const c = tf.sequenceMask(tf.constant([2, 0, 4], tf.int32), { maxlen: 3, dtype: tf.float32 });
  const lengths = tf.placeholder(tf.int32, [null]);
  const d = tf.sequenceMask(lengths, 4);
  expect(a.shape).toEqual([3, 5]);
  expect(a.dtype).toBe('bool');
  expect(a.name).toBe('SequenceMask/Less:0');
  expect(b.shape).toEqual([2, 2, null]);
  expect(c.dtype).toBe('float32');
  expect(d.shape).toEqual([null, 4]);
  const sess = new tf.Session();
  const [av, bv, cv, dv] = sess.run([a, b, c, d], [[lengths, [3, 1]]]);
  expect(av?.toArray()).toEqual([
    [true, false, false, false, false],
    [true, true, true, false, false],
    [true, true, false, false, false],
  ]);
  expect(bv?.toArray()).toEqual([
    [
      [true, false, false],
      [true, true, true],
    ],
    [
      [true, true, false],
      [false, false, false],
    ],
  ]);
  expect(cv?.toArray()).toEqual([
    [1, 1, 0],
    [0, 0, 0],
    [1, 1, 1],
  ]);
  expect(dv?.toArray()).toEqual([
    [true, true, true, false],
    [true, false, false, false],
  ]);
  sess.close();
  expect(() => tf.sequenceMask([1, 2], [3, 4])).toThrow(/maxlen must be scalar/);
  expect(() => tf.sequenceMask([1.5, 2])).toThrow(TypeError);
});
