import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { float64Session } from '../helpers/gradcheck';
import { linalgCases } from './cases/linalg';

describeCases('linear algebra', linalgCases);

test('stopGradient blocks exactly its path: d/dx [x · stop(x)] = x', () => {
  const g = new tf.Graph();
  g.asDefault(() => {
    const x = tf.placeholder('float32', [3]);
    const [dx] = tf.gradients(tf.identity(x).mul(tf.stopGradient(x)), x);
    const v = tf.ndarray(new Float64Array([1.5, -2, 3]), [3], 'float32');
    expect(Array.from(float64Session(g).run(dx as tf.Tensor, new Map([[x, v]])).data)).toEqual([1.5, -2, 3]);
  });
});

test('int32 matmul is exact', () => {
  const g = new tf.Graph();
  g.asDefault(() => {
    const a = tf.constant([[1, 2, 3]], 'int32');
    const b = tf.constant([[4], [5], [6]], 'int32');
    const out = new tf.Session().run(tf.matmul(a, b));
    expect(out.dtype).toBe('int32');
    expect(out.toArray()).toEqual([[32]]);
  });
});
