// TF1's optimizers create their non-slot variables (Adam's beta1_power / beta2_power) under init_scope,
// which keeps the caller's name scope: mnist_with_summaries.py's
// `with tf.name_scope('train'): tf.train.AdamOptimizer(lr).minimize(cross_entropy)` makes
// 'train/beta1_power:0' and 'train/beta2_power:0', while the slots stay '<variable>/Adam:0'.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('Adam inside tf.nameScope: train/beta1_power, train/beta2_power; slots and updates unchanged', () => {
  const W = new tf.Variable(tf.constant([1, -2], tf.float32, [2]), { name: 'W' });
  const loss = tf.reduceSum(tf.square(W));
  const gate = tf.noOp('gate');
  const train = tf.nameScope('train', () =>
    tf.controlDependencies([gate], () => new tf.train.AdamOptimizer(0.1).minimize(loss)),
  );
  expect(tf.globalVariables().map((v) => v.name)).toEqual([
    'W:0',
    'train/beta1_power:0',
    'train/beta2_power:0',
    'W/Adam:0',
    'W/Adam_1:0',
  ]);
  expect(train.name).toBe('train/Adam');
  // init_scope still drops the control dependencies: the accumulators' initializers do not wait for `gate`.
  const beta1 = tf.globalVariables()[1] as tf.Variable;
  expect(beta1.initializer.controlInputs ?? []).not.toContain(gate);
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  sess.run(train);
  // One Adam step from W = [1, -2] with lr 0.1: the update is lr·sign(g) up to ε, so W ≈ [0.9, -1.9].
  const w = Array.from(sess.run(W).data);
  expect(w[0]).toBeCloseTo(0.9, 5);
  expect(w[1]).toBeCloseTo(-1.9, 5);
  expect(sess.run(beta1).item()).toBeCloseTo(0.9 * 0.9, 6);
  sess.close();
});

test('outside any name scope the accumulators stay top-level', () => {
  const W = new tf.Variable(1.0, { name: 'W' });
  new tf.train.AdamOptimizer(0.1).minimize(tf.square(W));
  expect(tf.globalVariables().map((v) => v.name)).toEqual([
    'W:0',
    'beta1_power:0',
    'beta2_power:0',
    'W/Adam:0',
    'W/Adam_1:0',
  ]);
});
