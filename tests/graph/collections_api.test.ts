import * as tf from '../../src';

describe('top-level collections (TF1 get_collection / add_to_collection)', () => {
  test('addToCollection, getCollection returns a copy, getCollectionRef the list itself', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const a = tf.constant(1, 'float32', [], 'a');
      tf.addToCollection('things', a);
      tf.addToCollection('things', 'plain');
      const copy = tf.getCollection('things');
      expect(copy).toEqual([a, 'plain']);
      copy.push(3);
      expect(tf.getCollection('things')).toHaveLength(2);
      const ref = tf.getCollectionRef('things');
      ref.push(4);
      expect(tf.getCollection('things')).toEqual([a, 'plain', 4]);
      expect(g.getCollection('things')).toEqual([a, 'plain', 4]);
      expect(tf.getCollection('missing')).toEqual([]);
      tf.getCollectionRef('fresh').push(1);
      expect(tf.getCollection('fresh')).toEqual([1]);
    });
  });

  test('scope filters by re.match on item names; unnamed items are dropped', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const w1 = tf.variableScope('layer1', () => new tf.Variable(0, { name: 'w' }));
      const w2 = tf.variableScope('layer2', () => new tf.Variable(0, { name: 'w' }));
      const w10 = new tf.Variable(0, { name: 'xlayer1' });
      tf.addToCollection(tf.GraphKeys.TRAINABLE_VARIABLES, 'not named');
      expect(tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, 'layer1')).toEqual([w1]);
      expect(tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, 'layer[12]/w')).toEqual([w1, w2]);
      expect(tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, '.*layer1')).toEqual([w1, w10]);
      expect(tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES)).toHaveLength(4);
      expect(tf.getCollection(tf.GraphKeys.GLOBAL_VARIABLES, null)).toEqual([w1, w2, w10]);
    });
  });

  test('addToCollections adds to each named collection once', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      tf.addToCollections(['x', 'y', 'x'], 5);
      tf.addToCollections('z', 6);
      expect(tf.getCollection('x')).toEqual([5]);
      expect(tf.getCollection('y')).toEqual([5]);
      expect(tf.getCollection('z')).toEqual([6]);
    });
  });

  test("GraphKeys has TF1's collection names", () => {
    expect(tf.GraphKeys.GLOBAL_VARIABLES).toBe('variables');
    expect(tf.GraphKeys.UPDATE_OPS).toBe('update_ops');
    expect(tf.GraphKeys.LOSSES).toBe('losses');
    expect(tf.GraphKeys.REGULARIZATION_LOSSES).toBe('regularization_losses');
    expect(tf.GraphKeys.MOVING_AVERAGE_VARIABLES).toBe('moving_average_variables');
    expect(tf.GraphKeys.LOCAL_VARIABLES).toBe('local_variables');
    expect(tf.GraphKeys.TRAIN_OP).toBe('train_op');
  });

  test('wrong argument types are TypeErrors', () => {
    expect(() => (tf.getCollection as (k: unknown) => unknown)(3)).toThrow(TypeError);
  });
});
