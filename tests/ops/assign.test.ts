// Functional tf.assign / tf.assignAdd / tf.assignSub with TF1's signatures (state_ops r1.15).
import * as tf from '../../src';

describe('functional assign ops', () => {
  test('assign(ref, value, validateShape, useLocking, name) positionally and by keyword', () => {
    new tf.Graph().asDefault(() => {
      const v = new tf.Variable([1, 2], { name: 'v' });
      const a = tf.assign(v, [5, 6], null, true, 'set');
      expect(a.op.name).toBe('set');
      const add = tf.assignAdd(v, [1, 1], { useLocking: false, name: 'inc' });
      const sub = tf.assignSub(v, [2, 2], 'dec');
      expect(add.op.name).toBe('inc');
      expect(sub.op.name).toBe('dec');
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(a).toArray()).toEqual([5, 6]);
      expect(sess.run(add).toArray()).toEqual([6, 7]);
      expect(sess.run(sub).toArray()).toEqual([4, 5]);
      expect(sess.run(v).toArray()).toEqual([4, 5]);
    });
  });

  test('errors: a non-variable ref, unknown keys, validateShape false with another shape', () => {
    new tf.Graph().asDefault(() => {
      const v = new tf.Variable([1, 2], { name: 'v' });
      expect(() => tf.assign(tf.constant([1, 2]) as never, [3, 4])).toThrow(
        /argument 'ref' must be a Variable/,
      );
      expect(() => tf.assignAdd(v, 1, { validateShape: true } as never)).toThrow(
        /unexpected keyword argument 'validateShape'/,
      );
      expect(() => tf.assign(v, tf.constant([1, 2, 3]), false)).toThrow(/validate_shape=False/);
      // Statically equal shapes: validate_shape=False changes nothing, so it is accepted.
      expect(tf.assign(v, tf.constant([7, 8]), false).shape).toEqual([2]);
    });
  });
});
