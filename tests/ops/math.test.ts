import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { checkGradient, float64Session } from '../helpers/gradcheck';
import { mathCases } from './cases/math';

describeCases('elementwise math', mathCases);

describe('numerically delicate elementwise ops', () => {
  test('sigmoid, softplus and their gradients stay finite for |x| = 1000', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([-1000, -30, 0, 30, 1000]);
      const ys = [tf.sigmoid(x), tf.softplus(x), tf.tanh(x)];
      const grads = ys.map((y) => tf.gradients(y, x)[0] as tf.Tensor);
      const sess = float64Session(g);
      const [s, sp, t] = sess.run(ys).map((a) => Array.from(a.data));
      expect(s).toEqual([0, expect.closeTo(9.357e-14, 16), 0.5, expect.closeTo(1, 12), 1]);
      expect(sp?.[4]).toBe(1000);
      expect(sp?.[0]).toBe(0);
      expect(t?.[0]).toBe(-1);
      for (const d of sess.run(grads)) for (const v of d.data) expect(Number.isFinite(v)).toBe(true);
    });
  });

  test('abs has gradient sign(x), not the unsafe |x|/x', () => {
    expect(() =>
      checkGradient((x) => tf.abs(x), [tf.ndarray(new Float64Array([-2, 3, 0.5]), [3], 'float32')]),
    ).not.toThrow();
  });

  test('second derivative through a symbolic gradient', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [3]);
      const y = tf.elementwise('x^3', { x });
      const [dx] = tf.gradients(y, x);
      const [ddx] = tf.gradients(dx as tf.Tensor, x);
      const out = float64Session(g).run(
        ddx as tf.Tensor,
        new Map([[x, tf.ndarray(new Float64Array([1, -2, 0.5]), [3], 'float32')]]),
      );
      expect(Array.from(out.data)).toEqual([6, -12, 3]);
    });
  });

  test('second derivatives through generic Elementwise gradient nodes honour gradYs (dy/out names)', () => {
    const x = tf.ndarray(new Float64Array([0.5, -1.25, 2]), [3], 'float32');
    expect(() =>
      checkGradient((t) => tf.gradients(tf.elementwise('x^3 + dy', { x: t, dy: 2 }), t)[0] as tf.Tensor, [x]),
    ).not.toThrow();
    expect(() =>
      checkGradient((t) => tf.gradients(tf.sigmoid(t).mul(t), t)[0] as tf.Tensor, [x]),
    ).not.toThrow();
    expect(() => checkGradient((t) => tf.gradients(tf.tanh(t), t)[0] as tf.Tensor, [x])).not.toThrow();
    expect(() => checkGradient((t) => tf.gradients(tf.softplus(t), t)[0] as tf.Tensor, [x])).not.toThrow();
    expect(() => checkGradient((t) => tf.gradients(tf.elu(t), t)[0] as tf.Tensor, [x])).not.toThrow();
    expect(() =>
      checkGradient((t) => tf.gradients(tf.elementwise('sigmoid(t) * t', { t }), t)[0] as tf.Tensor, [x]),
    ).not.toThrow();
  });

  test('symbolic second derivatives of sigmoid/softplus stay finite for |x| = 1000', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([-1000, 0, 1000]);
      const [d1] = tf.gradients(tf.softplus(x), x);
      const [d2] = tf.gradients(d1 as tf.Tensor, x);
      const [s1] = tf.gradients(tf.elementwise('sigmoid(x)', { x }), x);
      const [s2] = tf.gradients(s1 as tf.Tensor, x);
      const [a, b, c] = float64Session(g)
        .run([d2 as tf.Tensor, s1 as tf.Tensor, s2 as tf.Tensor])
        .map((r) => Array.from(r.data));
      expect(a).toEqual([0, 0.25, 0]);
      expect(b).toEqual([0, 0.25, 0]);
      expect(c?.map((v) => Math.abs(v))).toEqual([0, 0, 0]);
    });
  });

  test('formulas are whitelisted: unknown functions and symbols are rejected', () => {
    const x = tf.placeholder('float32', [2]);
    expect(() => tf.elementwise('process(x)', { x })).toThrow(/unknown function 'process'/);
    expect(() => tf.elementwise('x + constructor', { x })).toThrow(/unknown symbol 'constructor'/);
    expect(() => tf.elementwise('x = 3', { x })).toThrow(/not supported|not allowed/);
  });
});
