// TF1's deprecated initializer names, still common in classic programs:
// tf.initialize_all_variables() == global_variables_initializer(), tf.initialize_variables(var_list).
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('initializeAllVariables / initializeVariables initialize like their TF1 successors', () => {
  const a = new tf.Variable(tf.constant([1, 2]), { name: 'a' });
  const b = new tf.Variable(3, { name: 'b' });
  const all = tf.initializeAllVariables();
  const some = tf.initializeVariables([b], 'init_b');
  expect(all.name).toBe('init');
  expect(all.controlInputs).toEqual([a.initializer, b.initializer]);
  expect(some.name).toBe('init_b');
  expect(some.controlInputs).toEqual([b.initializer]);
  const sess = new tf.Session();
  sess.run(some);
  expect(sess.run(b).item()).toBe(3);
  expect(() => sess.run(a)).toThrow(/uninitialized|Attempting to use/i);
  sess.run(all);
  expect(Array.from(sess.run(a).data)).toEqual([1, 2]);
  sess.close();
  expect(() => (tf.initializeVariables as (...x: unknown[]) => unknown)([1])).toThrow(TypeError);
});
