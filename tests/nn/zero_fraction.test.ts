// tf.nn.zero_fraction(value, name=None): (size − count_nonzero(value)) / size as float32.
import * as tf from '../../src';

test('the fraction of zeros, counted exactly; NaN is nonzero; empty gives NaN; no gradient', () => {
  const g = new tf.Graph();
  g.asDefault(() => {
    const values = [0, 1, 0, 2, 0, NaN, -0, 3];
    const x = tf.constant(values, tf.float32, [2, 4]);
    const z = tf.nn.zeroFraction(x);
    expect(z.dtype).toBe('float32');
    expect(z.shape).toEqual([]);
    expect(z.op.name).toBe('zero_fraction/fraction');
    const named = tf.nn.zeroFraction(x, 'sparsity');
    expect(named.op.name).toBe('sparsity/fraction');
    const ints = tf.nn.zeroFraction(tf.constant([0, 0, 3], tf.int32));
    const none = tf.nn.zeroFraction([1.5, -2]);
    const all = tf.nn.zeroFraction(tf.zeros([3, 5]));
    const empty = tf.nn.zeroFraction(tf.zeros([0, 2]));
    const p = tf.placeholder(tf.float32, [null]);
    const fed = tf.nn.zeroFraction(p);
    expect(tf.gradients(z, [x])).toEqual([null]);
    const sess = new tf.Session({ graph: g });
    const out = sess.run(
      [z, named, ints, none, all, empty, fed],
      [[p, tf.ndarray(new Float32Array(1000).fill(0).fill(1, 0, 1), [1000])]],
    );
    const zeros = values.filter((v) => v === 0).length; // -0 === 0; NaN is not
    expect(out.map((v) => v?.item())).toEqual([
      Math.fround(zeros / values.length),
      Math.fround(zeros / values.length),
      Math.fround(2 / 3),
      0,
      1,
      NaN,
      Math.fround(999 / 1000),
    ]);
    sess.close();
    expect(() => tf.nn.zeroFraction(x, 3 as never)).toThrow(TypeError);
  });
});
