import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { fillCases } from './cases/fill';

describeCases('fill and shape info', fillCases);

function inGraph<T>(fn: () => T): T {
  return new tf.Graph().asDefault(fn);
}

describe('fill, zeros, ones', () => {
  test('default names follow TF1', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2]);
      const ops = [tf.fill([2], 1), tf.zeros([2]), tf.ones([2]), tf.shape(x), tf.size(x), tf.rank(x)].map(
        (t) => t.op,
      );
      expect(ops.map((o) => o.name)).toEqual(['Fill', 'zeros', 'ones', 'Shape', 'Size', 'Rank']);
      expect(ops.map((o) => o.type)).toEqual(['Fill', 'Fill', 'Fill', 'Shape', 'Size', 'Rank']);
      expect(tf.zeros([2], { name: 'z' }).op.name).toBe('z');
      // TF1: the second positional argument of zeros is the dtype, so a name there is an error.
      expect(() => tf.zeros([2], 'z')).toThrow(TypeError);
      expect(tf.ones([2], 'int32', 'o').op.name).toBe('o');
      expect(tf.fill([2], 3, 'threes').op.name).toBe('threes');
    });
  });

  test('a dims tensor fed at run time gives the output its shape', () => {
    inGraph(() => {
      const d = tf.placeholder('int32', [3]);
      const z = tf.ones(d);
      expect(z.shape).toEqual([null, null, null]);
      const sess = new tf.Session();
      expect(sess.run(z, new Map([[d, tf.ndarray(Int32Array.from([1, 2, 3]), [3], 'int32')]])).shape).toEqual(
        [1, 2, 3],
      );
      expect(sess.run(z, new Map([[d, tf.ndarray(Int32Array.from([3, 1, 0]), [3], 'int32')]])).shape).toEqual(
        [3, 1, 0],
      );
      expect(() =>
        sess.run(z, new Map([[d, tf.ndarray(Int32Array.from([3, -1, 2]), [3], 'int32')]])),
      ).toThrow(/dims dimensions must be >= 0, got \[3,-1,2\]/);
      const u = tf.placeholder('int32');
      expect(tf.zeros(u).shape).toBeNull();
    });
  });

  test('zeros with the run-time shape of a partially known tensor', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const z = tf.zeros(tf.shape(x), 'int32');
      expect([z.shape, z.dtype]).toEqual([[null, 3], 'int32']); // TF1: tf.shape(x) gives x's static dims
      const sess = new tf.Session();
      const [s, n, r, zv] = sess.run(
        [tf.shape(x), tf.size(x), tf.rank(x), z],
        new Map([[x, tf.ndarray(new Float32Array(15), [5, 3])]]),
      );
      expect(s?.toArray()).toEqual([5, 3]);
      expect(n?.item()).toBe(15);
      expect(r?.item()).toBe(2);
      expect(zv?.shape).toEqual([5, 3]);
      expect(tf.shape(tf.placeholder('float32')).shape).toEqual([null]);
    });
  });

  test('build-time errors name the op', () => {
    inGraph(() => {
      expect(() => tf.fill([2, 3], [1, 2])).toThrow(
        "Shape must be rank 0 but is rank 1 for 'Fill' (op: 'Fill') with input shapes: [2], [2].",
      );
      expect(() => tf.fill(tf.constant([[2, 3]], 'int32'), 1)).toThrow(
        /dims must be a vector, but is rank 2 for 'Fill(_\d+)?' \(op: 'Fill'\)/,
      );
      expect(() => tf.fill(tf.constant([2, 3]), 1)).toThrow(
        /dims must be a vector of int32, got dtype float32 for 'Fill(_\d+)?' \(op: 'Fill'\)/,
      );
      expect(() => tf.zeros([2, -1])).toThrow(
        /zeros: shape entries must be non-negative integers, got \[2,-1\]/,
      );
      expect(() => tf.ones([2.5])).toThrow(/ones: shape entries must be non-negative integers/);
      expect(() => tf.shape(tf.zeros([1]), { outType: 'float32' as 'int32' })).toThrow(
        /shape\(\): argument 'outType' must be tf.int32/,
      );
    });
  });

  test('Shape, Size and Rank are not differentiable; Fill passes the summed gradient to its value', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      const y = tf.multiply(tf.cast(tf.size(x), 'float32'), tf.reduceSum(x));
      const [g] = tf.gradients(y, x);
      const v = tf.placeholder('float32', []);
      const [gv] = tf.gradients(tf.fill(tf.shape(x), v), v);
      const sess = new tf.Session();
      const feed = new Map([
        [x, tf.ndarray(new Float32Array(6), [2, 3])],
        [v, tf.ndarray(new Float32Array([2]), [])],
      ]);
      expect(sess.run(g as tf.Tensor, feed).toArray()).toEqual([
        [6, 6, 6],
        [6, 6, 6],
      ]);
      expect(sess.run(gv as tf.Tensor, feed).item()).toBe(6);
    });
  });
});

test('fill with a plain number is float32 (the dims input does not set its dtype)', () => {
  const g = new tf.Graph();
  g.asDefault(() => {
    const t = tf.fill([2], 0.1);
    expect(t.dtype).toBe('float32');
    expect(Array.from(new tf.Session().run(t).data)).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    expect(tf.fill([1], true).dtype).toBe('bool');
  });
});

test("a shape given as tf.shape(x) (or a stack/concat of it) keeps what TF1's shape inference knows", () => {
  inGraph(() => {
    const x = tf.placeholder('float32', [null, 3]);
    // TF1: random_normal(tf.shape(z_std)) in the classic VAE has static shape (?, 2); zeros(tf.shape(x)) (?, 3).
    expect(tf.zeros(tf.shape(x)).shape).toEqual([null, 3]);
    expect(tf.ones(tf.shape(x)).shape).toEqual([null, 3]);
    expect(tf.randomNormal(tf.shape(x), { name: 'epsilon' }).shape).toEqual([null, 3]);
    expect(tf.randomUniform(tf.shape(x)).shape).toEqual([null, 3]);
    expect(tf.truncatedNormal(tf.shape(x)).shape).toEqual([null, 3]);
    expect(tf.fill(tf.stack([tf.shape(x).at(0), 4]), 1.5).shape).toEqual([null, 4]);
    expect(tf.zeros(tf.concat([tf.shape(x), [2]], 0)).shape).toEqual([null, 3, 2]);
    // Unknown rank stays unknown; a computed shape stays unknown dims of the known length.
    expect(tf.zeros(tf.shape(tf.placeholder('float32'))).shape).toBeNull();
    expect(tf.zeros(tf.add(tf.shape(x), 1)).shape).toEqual([null, null]);
    // Run time still uses the fed values.
    const sess = new tf.Session();
    const feed = new Map([[x, tf.ndarray(new Float32Array(6), [2, 3])]]);
    expect(sess.run(tf.randomNormal(tf.shape(x)), feed).shape).toEqual([2, 3]);
    expect(sess.run(tf.fill(tf.stack([tf.shape(x).at(0), 4]), 1.5), feed).toArray()).toEqual([
      [1.5, 1.5, 1.5, 1.5],
      [1.5, 1.5, 1.5, 1.5],
    ]);
    expect(sess.run(tf.zeros(tf.concat([tf.shape(x), [2]], 0)), feed).shape).toEqual([2, 3, 2]);
  });
});
