// tf.contrib.layers.flatten(inputs, outputs_collections=None, scope=None): tf.layers.flatten in a
// 'Flatten' name scope, the result added to the given collections.
import * as tf from '../../src';

test('flattens [batch, ...] to [batch, rest] in row-major order, in a Flatten name scope', () => {
  const g = new tf.Graph();
  g.asDefault(() => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.5);
    const x = tf.constant(values, tf.float32, [2, 3, 4]);
    const y = tf.contrib.layers.flatten(x);
    expect(y.shape).toEqual([2, 12]);
    expect(y.op.name).toBe('Flatten/flatten/Reshape');
    const p = tf.placeholder(tf.float32, [null, 7, 7, 64]);
    const z = tf.contrib.layers.flatten(p);
    expect(z.shape).toEqual([null, 3136]);
    // The layer's own name is unique in its variable scope (TF1's default_name): flatten, flatten_1, …
    expect(z.op.name).toBe('Flatten_1/flatten_1/Reshape');
    // TF1 positional order: (inputs, outputs_collections, scope).
    const w = tf.contrib.layers.flatten(x, ['outputs'], 'my_flatten');
    expect(w.op.name).toBe('my_flatten/flatten_2/Reshape');
    const k = tf.contrib.layers.flatten(x, { scope: 'kw' });
    expect(k.op.name).toBe('kw/flatten_3/Reshape');
    expect(tf.getCollection('outputs')).toEqual([w]);
    const sess = new tf.Session({ graph: g });
    const [yv, zv] = sess.run([y, z], [[p, tf.ndarray(new Float32Array(3 * 3136).fill(1), [3, 7, 7, 64])]]);
    expect(Array.from(yv?.data as Float32Array)).toEqual(values);
    expect(zv?.shape).toEqual([3, 3136]);
    sess.close();
    expect(() => tf.contrib.layers.flatten(x, { scope: 3 } as never)).toThrow(TypeError);
    expect(() => tf.contrib.layers.flatten(x, { outputsCollections: 'c' } as never)).toThrow(TypeError);
  });
});
