import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { floorOpCases } from './cases/floor_ops';

describeCases(
  'tf.floordiv / tf.floormod / tf.reciprocal (case table tests/ops/cases/floor_ops.ts)',
  floorOpCases,
);

describe('tf.floordiv / tf.floormod / tf.mod / tf.reciprocal: TF1 values, names and errors', () => {
  const run = (t: tf.Tensor): number[] =>
    Array.from((new tf.Session({ graph: t.graph }).run(t) as tf.NDArray).data);

  test('Python semantics and op names', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const a = tf.constant([7, -7, 7, -7], 'int32');
      const b = tf.constant([3, 3, -3, -3], 'int32');
      const d = tf.floordiv(a, b);
      expect(d.op.type).toBe('FloorDiv');
      expect(d.name).toBe('floordiv:0');
      expect(d.dtype).toBe('int32');
      expect(run(d)).toEqual([2, -3, -3, 2]);
      const m = tf.floormod(a, b);
      expect(m.op.type).toBe('FloorMod');
      expect(m.name).toBe('FloorMod:0');
      expect(run(m)).toEqual([1, 2, -2, -1]);
      expect(tf.mod(a, 2, 'm').op.type).toBe('FloorMod');
      expect(run(tf.floordiv(tf.constant([-7.5, 7.5], 'float32'), 2))).toEqual([-4, 3]);
      expect(run(tf.floormod(tf.constant([-7.5, 7.5], 'float32'), 2))).toEqual([0.5, 1.5]);
      expect(run(tf.floordiv(tf.constant([1, -1], 'float32'), 0))).toEqual([Infinity, -Infinity]);
      const r = tf.reciprocal(tf.constant([4, -0.5], 'float32'));
      expect(r.op.type).toBe('Reciprocal');
      expect(run(r)).toEqual([0.25, -2]);
    });
  });

  test('int32 division by zero is an InvalidArgumentError at run time', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const y = tf.placeholder('int32', [2]);
      const sess = new tf.Session();
      expect(() => sess.run(tf.floordiv([4, 5], y), { [y.name]: [1, 0] } as never)).toThrow(
        /Integer division by zero/,
      );
      expect(() => sess.run(tf.floormod([4, 5], y), { [y.name]: [0, 1] } as never)).toThrow(
        tf.InvalidArgumentError,
      );
      expect(
        Array.from((sess.run(tf.floormod([4, 5], y), { [y.name]: [3, -2] } as never) as tf.NDArray).data),
      ).toEqual([1, -1]);
    });
  });

  test('dtype errors: mixed dtypes, reciprocal of int32; FloorDiv has no gradient', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.floordiv(tf.constant([1], 'int32'), tf.constant([1], 'float32'))).toThrow(
        /Input 'y' of 'FloorDiv' Op has type float32 that does not match type int32/,
      );
      expect(() => tf.reciprocal(tf.constant([2], 'int32'))).toThrow(/not in the list of allowed values/);
      const x = tf.placeholder('float32', [2]);
      expect(tf.gradients(tf.floordiv(x, 2), [x])).toEqual([null]);
    });
  });
});
