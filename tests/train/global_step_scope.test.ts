// TF1's create_global_step makes the variable with get_variable under name_scope(None): the current
// *variable* scope still applies. ptb_word_lm.py builds its training op inside
// `with tf.variable_scope("Model", ...)`, so `tf.train.get_or_create_global_step()` is 'Model/global_step'.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('getOrCreateGlobalStep inside a variable scope: Model/global_step, found again from anywhere', () => {
  const step = tf.variableScope('Model', () => tf.nameScope('train', () => tf.train.getOrCreateGlobalStep()));
  expect(step.name).toBe('Model/global_step:0');
  expect(step.dtype).toBe('int32');
  expect(step.shape).toEqual([]);
  expect(step.trainable).toBe(false);
  expect(tf.getCollection(tf.GraphKeys.GLOBAL_STEP)).toEqual([step]);
  expect(tf.globalVariables()).toEqual([step]);
  // Found through the collection outside the scope; a second create is TF1's error.
  expect(tf.train.getOrCreateGlobalStep()).toBe(step);
  expect(() => tf.train.createGlobalStep()).toThrow('"global_step" already exists.');
  // minimize(..., global_step) counts with it.
  const W = tf.variableScope('Model', () => tf.getVariable('W', [], { initializer: tf.onesInitializer() }));
  const train = new tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(W), { globalStep: step });
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  sess.run(train);
  sess.run(train);
  expect(sess.run(step).item()).toBe(2);
  sess.close();
});

test('at the top level it is global_step; under a reusing scope it must already exist (get_variable)', () => {
  expect(tf.train.getOrCreateGlobalStep().name).toBe('global_step:0');
  tf.resetDefaultGraph();
  expect(() => tf.variableScope('Model', { reuse: true }, () => tf.train.createGlobalStep())).toThrow(
    /Variable Model\/global_step does not exist/,
  );
});
