import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { preluCases } from './cases/prelu';

describeCases('tf.prelu (case table tests/ops/cases/prelu.ts)', preluCases);

describe('tf.prelu: values, names, gradient shapes and errors', () => {
  test('values, op type and default name', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const y = tf.prelu(
        tf.constant(
          [
            [-2, 3],
            [4, -1],
          ],
          'float32',
        ),
        [0.5, 0.25],
      );
      expect(y.op.type).toBe('Prelu');
      expect(y.name).toBe('Prelu:0');
      expect((new tf.Session().run(y) as tf.NDArray).toArray()).toEqual([
        [-1, 3],
        [4, -0.25],
      ]);
    });
  });

  test("alpha's gradient has alpha's shape", () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const a = tf.placeholder('float32', [3]);
      const [dx, da] = tf.gradients(tf.reduceSum(tf.prelu(x, a)), [x, a]);
      const sess = new tf.Session();
      const [gx, ga] = sess.run([dx as tf.Tensor, da as tf.Tensor], {
        [x.name]: [
          [-1, 2, -3],
          [4, -5, 6],
        ],
        [a.name]: [0.1, 0.2, 0.3],
      } as never) as tf.NDArray[];
      expect(ga?.shape).toEqual([3]);
      expect(Array.from(ga?.data ?? [])).toEqual([-1, -5, -3]);
      expect(Array.from(gx?.data ?? []).map((v) => +v.toFixed(6))).toEqual([0.1, 1, 0.3, 1, 0.2, 1]);
    });
  });

  test('errors: incompatible shapes, int32 input', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.prelu(tf.placeholder('float32', [2, 3]), tf.placeholder('float32', [4]))).toThrow(
        /Dimensions must be equal, but are 3 and 4/,
      );
      expect(() => tf.prelu(tf.constant([1], 'int32'), tf.constant([1], 'int32'))).toThrow(
        /not in the list of allowed values/,
      );
    });
  });
});
