// new tf.Variable with TF1's signature (VariableV1, r1.15): positional order, keywords, rejections.
import * as tf from '../../src';

describe('tf.Variable call forms', () => {
  test('positional (initialValue, trainable, collections) and a trailing name string', () => {
    new tf.Graph().asDefault(() => {
      const v = new tf.Variable([1, 2], false, ['mine'], 'v');
      expect(v.opName).toBe('v');
      expect(v.trainable).toBe(false);
      expect(tf.trainableVariables()).not.toContain(v);
      expect(tf.getDefaultGraph().getCollection('mine')).toContain(v);
      const w = new tf.Variable(3, 'w');
      expect(w.opName).toBe('w');
      expect(w.trainable).toBe(true);
    });
  });

  test('keywords (camelCase and snake_case), dtype and shape checks', () => {
    new tf.Graph().asDefault(() => {
      const v = new tf.Variable([1, 2], { name: 'v', dtype: 'int32', validate_shape: true } as never);
      expect(v.dtype).toBe('int32');
      expect(new tf.Variable(tf.zeros([2, 3]), { shape: [2, 3] }).shape).toEqual([2, 3]);
      expect(() => new tf.Variable(tf.zeros([2, 3]), { shape: [3, 2] })).toThrow(
        /shape \[3,2\] is not compatible/,
      );
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(v).toArray()).toEqual([1, 2]);
    });
  });

  test('unimplemented TF1 options are rejected, not ignored', () => {
    new tf.Graph().asDefault(() => {
      expect(() => new tf.Variable(1, { cachingDevice: '/cpu:0' } as never)).toThrow(
        /argument 'cachingDevice' must be null \(caching_device is not supported\)/,
      );
      expect(() => new tf.Variable(1, { constraint: (x: tf.Tensor) => x } as never)).toThrow(/constraint/);
      expect(() => new tf.Variable(1, { validateShape: false } as never)).toThrow(/validate_shape=False/);
      expect(() => new tf.Variable(1, { useResource: true } as never)).toThrow(/resource variables/);
      expect(() => new tf.Variable(1, { trainabel: true } as never)).toThrow(
        /Variable\(\) got an unexpected keyword argument 'trainabel'/,
      );
      expect(() => new tf.Variable(1, 'yes' as never, null)).toThrow(
        /argument 'trainable' must be a boolean/,
      );
    });
  });
});

describe('Variable.assign / assignAdd / assignSub call forms', () => {
  test('(value, useLocking, name, readValue) positionally, keywords, and a name string', () => {
    new tf.Graph().asDefault(() => {
      const v = new tf.Variable([1, 2], { name: 'v' });
      const a = v.assign([3, 4], true, 'set', true);
      const add = v.assignAdd([1, 1], 'inc');
      const sub = v.assignSub([2, 2], { useLocking: false, name: 'dec' });
      expect([a.op.name, add.op.name, sub.op.name]).toEqual(['set', 'inc', 'dec']);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(a).toArray()).toEqual([3, 4]);
      expect(sess.run(add).toArray()).toEqual([4, 5]);
      expect(sess.run(sub).toArray()).toEqual([2, 3]);
      expect(() => v.assign([0, 0], { readValue: false })).toThrow(/read_value=False is not supported/);
      expect(() => v.assignAdd([0, 0], { use_lock: true } as never)).toThrow(
        /unexpected keyword argument 'use_lock'/,
      );
    });
  });
});
