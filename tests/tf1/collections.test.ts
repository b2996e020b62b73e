import * as tf from '../../src';

test("globalVariables/trainableVariables take TF1's scope (matched from the start of the name)", () => {
  new tf.Graph().asDefault(() => {
    const a = tf.variableScope('layer1', () => tf.getVariable('w', [1]));
    const b = tf.variableScope('layer2', () => tf.getVariable('w', [1]));
    const c = new tf.Variable(0, { name: 'layer1_step', trainable: false });
    expect(tf.globalVariables()).toEqual([a, b, c]);
    expect(tf.globalVariables('layer1')).toEqual([a, c]);
    expect(tf.globalVariables('layer1/')).toEqual([a]);
    expect(tf.trainableVariables('layer1')).toEqual([a]);
    expect(tf.globalVariables('w')).toEqual([]);
    const init = tf.variablesInitializer([a, b], 'init_ab');
    expect(init.name).toBe('init_ab');
    expect(() => tf.variablesInitializer([a], { bogus: 1 } as never)).toThrow(TypeError);
    const sess = new tf.Session();
    sess.run(init);
    expect(() => sess.run(c)).toThrow(/uninitialized/);
  });
});

test("globalVariables/trainableVariables take TF1's keyword form { scope } (tf.trainable_variables(scope='Generator'))", () => {
  tf.resetDefaultGraph();
  const other = new tf.Variable(1.0, { name: 'other' });
  const g = tf.variableScope('Generator', () => tf.getVariable('w', [2]));
  const d = tf.variableScope('Discriminator', () => tf.getVariable('w', [2]));
  expect(tf.trainableVariables({ scope: 'Generator' })).toEqual([g]);
  expect(tf.globalVariables({ scope: 'Discriminator' })).toEqual([d]);
  expect(tf.trainableVariables({ scope: null })).toEqual([other, g, d]);
  expect(tf.trainableVariables({})).toEqual([other, g, d]);
  expect(() => tf.trainableVariables({ scop: 'Generator' } as never)).toThrow(
    "trainableVariables() got an unexpected keyword argument 'scop'; accepted: scope",
  );
  expect(() => tf.globalVariables(3 as never)).toThrow(TypeError);
  expect(() => tf.globalVariables({ scope: 3 } as never)).toThrow(/scope must be a string/);
});
