import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

function inGraph<T>(fn: (g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => fn(g));
}

describe('tf.variableScope / tf.getVariable', () => {
  test('names: scope prefix, nested scopes, name scope opened alongside', () => {
    inGraph(() => {
      const w = tf.variableScope('layer', () =>
        tf.variableScope('inner', () => tf.getVariable('w', { shape: [3, 4] })),
      );
      expect(w.opName).toBe('layer/inner/w');
      expect(w.shape).toEqual([3, 4]);
      const y = tf.variableScope('layer', () => tf.add(w, 1));
      // The variable scope is 'layer' again; the name scope is made unique like any name scope.
      expect(y.op.name).toBe('layer_1/add');
      expect(tf.variableScope('layer', (s) => s.name)).toBe('layer');
    });
  });

  test('reuse: sharing, TF1 errors for existing and missing variables', () => {
    inGraph(() => {
      const a = tf.variableScope('rnn', () => tf.getVariable('k', { shape: [2] }));
      expect(() => tf.variableScope('rnn', () => tf.getVariable('k', { shape: [2] }))).toThrow(
        /^Variable rnn\/k already exists, disallowed\. Did you mean to set reuse=True or reuse=tf\.AUTO_REUSE in VarScope\?/,
      );
      const b = tf.variableScope('rnn', { reuse: true }, () => tf.getVariable('k', { shape: [2] }));
      expect(b).toBe(a);
      expect(() =>
        tf.variableScope('rnn', { reuse: true }, () => tf.getVariable('missing', { shape: [2] })),
      ).toThrow(
        /^Variable rnn\/missing does not exist, or was not created with tf\.get_variable\(\)\. Did you mean to set reuse=tf\.AUTO_REUSE in VarScope\?/,
      );
      expect(() =>
        tf.variableScope('rnn', { reuse: true }, () => tf.getVariable('k', { shape: [3] })),
      ).toThrow(/Trying to share variable rnn\/k, but specified shape \[3\] and found shape \[2\]/);
      // Reuse is inherited by nested scopes and cannot be turned off there.
      const c = tf.variableScope('rnn', { reuse: true }, () =>
        tf.variableScope(tf.getVariableScope(), { reuse: false }, () => tf.getVariable('k')),
      );
      expect(c).toBe(a);
      // AUTO_REUSE: create when missing, else share.
      const d1 = tf.variableScope('auto', { reuse: tf.AUTO_REUSE }, () =>
        tf.getVariable('v', { shape: [1] }),
      );
      const d2 = tf.variableScope('auto', { reuse: tf.AUTO_REUSE }, () =>
        tf.getVariable('v', { shape: [1] }),
      );
      expect(d2).toBe(d1);
      // reuseVariables() on the scope object.
      const e = tf.variableScope('rnn', (scope) => {
        scope.reuseVariables();
        return tf.getVariable('k');
      });
      expect(e).toBe(a);
    });
  });

  test('default names are made unique per opening of the parent scope (TF1 layer naming)', () => {
    inGraph(() => {
      const names = tf.variableScope('rnn', () => [
        tf.variableScope(null, { defaultName: 'gru_cell' }, (s) => s.name),
        tf.variableScope(null, { defaultName: 'gru_cell' }, (s) => s.name),
      ]);
      expect(names).toEqual(['rnn/gru_cell', 'rnn/gru_cell_1']);
      // Reopening 'rnn' starts the counters again, so a new cell finds the same variable names.
      expect(
        tf.variableScope('rnn', () => tf.variableScope(null, { defaultName: 'gru_cell' }, (s) => s.name)),
      ).toBe('rnn/gru_cell');
      expect(() => tf.variableScope(null, { defaultName: 'x', reuse: true }, () => 0)).toThrow(
        /reuse=True cannot be used without a name_or_scope/,
      );
    });
  });

  test('reopening a VariableScope object keeps its name; its ops get a new name scope (TF1)', () => {
    inGraph(() => {
      const saved = tf.variableScope('outer', (s) => s);
      const v = tf.variableScope('other', () =>
        tf.variableScope(saved, () => tf.getVariable('v', { shape: [1] })),
      );
      expect(v.opName).toBe('outer/v');
      // TF1's testVarScopeOuterScope: reopened at top level, the ops' name scope is 'outer_1/'.
      const op = tf.variableScope(saved, () => tf.identity(tf.constant(1), 'id'));
      expect(op.op.name).toBe('outer_1/id');
    });
  });

  test('initializers: scope default, explicit, constant value; shapes must be known', () => {
    inGraph((g) => {
      const sess = float64Session(g);
      const a = tf.variableScope('s', { initializer: tf.initializers.constant(3) }, () =>
        tf.getVariable('a', { shape: [2] }),
      );
      const b = tf.getVariable('b', { shape: [2, 2], initializer: tf.initializers.constant([1, 2, 3, 4]) });
      const c = tf.getVariable('c', { initializer: tf.constant([5, 6]) });
      const i = tf.getVariable('i', { shape: [3], dtype: 'int32' });
      expect(() => tf.getVariable('bad', { shape: [null, 2] })).toThrow(
        /Shape of a new variable \(bad\) must be fully defined, but instead was \[\?,2\]/,
      );
      expect(() => tf.getVariable('bad2', { shape: [2], initializer: tf.constant([1, 2]) })).toThrow(
        /If initializer is a constant, do not specify shape/,
      );
      sess.run(tf.globalVariablesInitializer());
      const [av, bv, cv, iv] = sess.run([a, b, c, i]);
      expect(Array.from(av!.data)).toEqual([3, 3]);
      expect(bv!.toArray()).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(Array.from(cv!.data)).toEqual([5, 6]);
      expect(iv!.dtype).toBe('int32');
      expect(Array.from(iv!.data)).toEqual([0, 0, 0]);
      // The initializer ops live under the variable's name (TF1: 'a/Initializer/…').
      expect(g.getOperations().some((op) => op.name.startsWith('s/a/Initializer/'))).toBe(true);
    });
  });

  test('default initializer is glorot uniform (TF1) and is seeded by the graph seed', () => {
    const draw = () =>
      inGraph((g) => {
        tf.setRandomSeed(7);
        const w = tf.getVariable('w', { shape: [200, 300] });
        const sess = new tf.Session({ graph: g });
        sess.run(tf.globalVariablesInitializer());
        return sess.run(w);
      });
    const a = draw();
    const b = draw();
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const limit = Math.sqrt(6 / (200 + 300));
    let max = 0;
    let sumSq = 0;
    for (const v of a.data) {
      max = Math.max(max, Math.abs(v as number));
      sumSq += (v as number) ** 2;
    }
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(limit * 0.99);
    // Variance of U(-l, l) is l²/3.
    expect(sumSq / a.size).toBeCloseTo((limit * limit) / 3, 4);
  });

  test('tf.initializers: fans and variance scaling', () => {
    expect(tf.initializers.computeFans([5, 5, 3, 16])).toEqual([75, 400]);
    expect(tf.initializers.computeFans([7])).toEqual([7, 7]);
    inGraph((g) => {
      const t = tf.initializers.varianceScaling({
        scale: 2,
        mode: 'fan_in',
        distribution: 'untruncated_normal',
        seed: 1,
      })([400, 300]);
      const u = tf.initializers.randomUniform({ minval: 2, maxval: 3, seed: 2 })([1000]);
      const z = tf.initializers.truncatedNormal({ stddev: 0.5, seed: 3 })([1000]);
      const sess = new tf.Session({ graph: g });
      const [tv, uv, zv] = sess.run([t, u, z]);
      const variance = Array.from(tv.data).reduce((s, v) => s + v * v, 0) / tv.size;
      expect(variance).toBeCloseTo(2 / 400, 3);
      expect(Math.min(...uv.data)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...zv.data)).toBeLessThanOrEqual(1.0);
    });
  });
});

describe('tf.getVariable TF1 call forms', () => {
  test('positional (name, shape, dtype, initializer) and keywords', () => {
    new tf.Graph().asDefault(() => {
      const W = tf.getVariable('W', [2, 3], 'float32', tf.initializers.constant(2));
      const b = tf.getVariable('b', [3], { initializer: tf.zerosInitializer });
      const n = tf.getVariable('n', [2], 'int32');
      expect(W.shape).toEqual([2, 3]);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(W).toArray()).toEqual([
        [2, 2, 2],
        [2, 2, 2],
      ]);
      // An uncalled initializer factory (TF1's `initializer=tf.zeros_initializer`) is made for the dtype.
      expect(sess.run(b).toArray()).toEqual([0, 0, 0]);
      // TF1's default for ints is zeros.
      expect(sess.run(n).toArray()).toEqual([0, 0]);
      expect(n.dtype).toBe('int32');
    });
  });

  test('default initializer is glorot uniform: ±sqrt(6 / (fanIn + fanOut))', () => {
    new tf.Graph().asDefault(() => {
      tf.setRandomSeed(1);
      const W = tf.getVariable('W', [200, 100]);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      const v = Array.from(sess.run(W).data);
      const limit = Math.sqrt(6 / 300);
      expect(Math.max(...v)).toBeLessThan(limit);
      expect(Math.max(...v)).toBeGreaterThan(limit * 0.99);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-limit);
    });
  });

  test('regularizer loss joins regularization_losses; unsupported options are rejected', () => {
    new tf.Graph().asDefault(() => {
      const W = tf.getVariable('W', [2], {
        initializer: tf.initializers.ones(),
        regularizer: (v: tf.Tensor) => tf.reduceSum(tf.square(v)),
      });
      const losses = tf.getDefaultGraph().getCollection<tf.Tensor>('regularization_losses');
      expect(losses.length).toBe(1);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(losses[0] as tf.Tensor).item()).toBe(2);
      expect(W.trainable).toBe(true);
      expect(() => tf.getVariable('p', [2], { partitioner: () => [1] } as never)).toThrow(
        /partitioner is not supported/,
      );
      expect(() => tf.getVariable('c', [2], { customGetter: () => 0 } as never)).toThrow(/custom_getter/);
      expect(() => tf.getVariable('u', [2], { use_resource: true } as never)).toThrow(/resource variables/);
      expect(() => tf.getVariable('k', [2], { initialiser: 1 } as never)).toThrow(
        /unexpected keyword argument 'initialiser'/,
      );
    });
  });
});
