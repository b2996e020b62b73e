// TF1 call forms of tf.gradients and the graph-level functions (issue 11). Expected values come from
// TF1's documentation or hand derivatives.
import * as tf from '../../src';

function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => fn(new tf.Session({ graph: g }), g));
}
const num = (a: tf.NDArray): number => a.item() as number;

describe('tf.gradients call forms', () => {
  test('positional gradYs seeds the gradient (not ones)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [], 'x');
      const y = tf.multiply(x, x);
      const [seeded] = tf.gradients(y, [x], [tf.constant(2)]);
      const [seededSingle] = tf.gradients(y, x, tf.constant(3));
      const [kw] = tf.gradients(y, [x], { gradYs: [tf.constant(5)] });
      const [snake] = tf.gradients(y, [x], { grad_ys: [10] } as never);
      const [ones] = tf.gradients(y, [x], [null]);
      const out = sess.run([seeded, seededSingle, kw, snake, ones] as tf.Tensor[], { x: 3 }).map(num);
      // dy/dx = 2x = 6, times the seed.
      expect(out).toEqual([12, 18, 30, 60, 6]);
      expect(() => tf.gradients(y, [x], [tf.constant(1), tf.constant(1)])).toThrow(
        /Passed 2 grad_ys for 1 ys/,
      );
      expect(() => tf.gradients(y, [x], [tf.constant(1, 'int32')])).toThrow(/does not match the dtype of y/);
    });
  });

  test("TF1's stop_gradients example: gradients(a + b, [a, b], stop_gradients=[a, b]) is [1, 1]", () => {
    inGraph((sess) => {
      const a = tf.constant(0);
      const b = tf.multiply(2, a);
      const stopped = tf.gradients(tf.add(a, b), [a, b], { stopGradients: [a, b] });
      const plain = tf.gradients(tf.add(a, b), [a, b]);
      // TF1 docs: the plain call gives [3, 1] (a's total derivative), the stopped one [1, 1].
      expect(sess.run(stopped as tf.Tensor[]).map(num)).toEqual([1, 1]);
      expect(sess.run(plain as tf.Tensor[]).map(num)).toEqual([3, 1]);
      // Positionally (stop_gradients is the 8th parameter) and with a single tensor.
      const pos = tf.gradients(tf.add(a, b), [a, b], null, 'g', false, false, null, [a, b]);
      expect(sess.run(pos as tf.Tensor[]).map(num)).toEqual([1, 1]);
      expect(pos[0]?.name.startsWith('g/')).toBe(true);
      const onlyB = tf.gradients(tf.add(a, b), [a], { stopGradients: b });
      expect(sess.run(onlyB as tf.Tensor[]).map(num)).toEqual([1]);
    });
  });

  test('stopGradients in the middle of a chain: nothing flows through, x unconnected', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [], 'x');
      const h = tf.square(x);
      const y = tf.add(tf.multiply(h, 3), x);
      // Through h is cut: only the direct path y = ... + x remains.
      const [dx] = tf.gradients(y, [x], { stopGradients: [h] });
      expect(num(sess.run(dx as tf.Tensor, { x: 2 }))).toBe(1);
      const z = tf.multiply(h, 3);
      expect(tf.gradients(z, [x], { stopGradients: [h] })).toEqual([null]);
      const [zero] = tf.gradients(z, [x], { stopGradients: [h], unconnectedGradients: 'zero' });
      expect(num(sess.run(zero as tf.Tensor, { x: 2 }))).toBe(0);
    });
  });

  test('the TF1 hints are accepted; wrong values and unknown keys are TypeErrors', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [], 'x');
      const y = tf.multiply(x, x);
      const [d] = tf.gradients(y, [x], {
        colocateGradientsWithOps: true,
        gateGradients: true,
        aggregationMethod: tf.AggregationMethod.EXPERIMENTAL_TREE,
      });
      expect(num(sess.run(d as tf.Tensor, { x: 4 }))).toBe(8);
      expect(() => tf.gradients(y, [x], { aggregationMethod: 7 })).toThrow(/aggregationMethod/);
      expect(() => tf.gradients(y, [x], { unconnectedGradients: 'zeros' } as never)).toThrow(
        /argument 'unconnectedGradients' must be 'none' or 'zero'/,
      );
      expect(() => tf.gradients(y, [x], { stopGradient: [x] } as never)).toThrow(
        /gradients\(\) got an unexpected keyword argument 'stopGradient'/,
      );
      expect(() => tf.gradients(y, [1] as never)).toThrow(/argument 'xs' must be a Tensor or a list/);
    });
  });
});

describe('graph-level functions', () => {
  test('identity, stopGradient and noOp: positional name, keyword name, unknown keys', () => {
    inGraph((_sess, g) => {
      const x = tf.constant(1);
      expect(tf.identity(x, 'id1').name).toBe('id1:0');
      expect(tf.identity(x, { name: 'id2' }).name).toBe('id2:0');
      expect(tf.identity({ input: x, name: 'id3' }).name).toBe('id3:0');
      expect(tf.stopGradient(x, 'sg').name).toBe('sg:0');
      expect(tf.noOp('nothing').name).toBe('nothing');
      expect(tf.noOp({ name: 'nothing2' }).name).toBe('nothing2');
      expect(tf.noOp().name).toBe('NoOp');
      expect(() => tf.identity(x, { nam: 'a' } as never)).toThrow(
        /identity\(\) got an unexpected keyword argument 'nam'/,
      );
      expect(() => tf.noOp(3 as never)).toThrow(TypeError);
      expect(g.getOperationByName('sg').type).toBe('StopGradient');
    });
  });

  test('group(*inputs, name=): variadic inputs (nested arrays), name last; anything else a TypeError', () => {
    inGraph((sess) => {
      const v = new tf.Variable(0, { name: 'v' });
      const w = new tf.Variable(0, { name: 'w' });
      sess.run(tf.globalVariablesInitializer());
      const g1 = tf.group(v.assignAdd(1), [w.assignAdd(2)], { name: 'both' });
      expect(g1.name).toBe('both');
      const g2 = tf.group(v.assignAdd(10), 'named');
      expect(g2.name).toBe('named');
      expect(tf.group().type).toBe('NoOp');
      sess.run(g1);
      sess.run(g2);
      expect(sess.run([v, w]).map(num)).toEqual([11, 2]);
      expect(() => tf.group(v.assignAdd(1), undefined as never)).toThrow(
        /group\(\) expects Tensor or Operation/,
      );
      expect(() => tf.group(v.assignAdd(1), { nme: 'x' } as never)).toThrow(
        /group\(\) got an unexpected keyword argument 'nme'/,
      );
      expect(() => tf.group(3 as never)).toThrow(TypeError);
    });
  });

  test('nameScope(name, defaultName=None, values=None) with the function last', () => {
    inGraph(() => {
      const x = tf.constant(1, 'float32', [], 'x');
      expect(tf.nameScope('layer', () => tf.identity(x)).name).toBe('layer/Identity:0');
      expect(tf.nameScope(null, 'dense', () => tf.identity(x)).name).toBe('dense/Identity:0');
      expect(tf.nameScope(null, 'dense', [x], () => tf.identity(x)).name).toBe('dense_1/Identity:0');
      expect(tf.nameScope('given', { defaultName: 'ignored' }, () => tf.identity(x)).name).toBe(
        'given/Identity:0',
      );
      // null name and null default (no values): the top-level scope, as in TF1.
      expect(tf.nameScope('outer', () => tf.nameScope(null, () => tf.identity(x, 'top'))).name).toBe('top:0');
      expect(() => tf.nameScope(null, null, [x], () => 0)).toThrow(/At least one of name/);
      expect(() => (tf.nameScope as (...a: unknown[]) => unknown)('a')).toThrow(
        /takes the function to run in the context as its last argument/,
      );
      expect(() => tf.nameScope('a', { bogus: 1 } as never, () => 0)).toThrow(
        /nameScope\(\) got an unexpected keyword argument 'bogus'/,
      );
      expect(() => tf.nameScope(3 as never, () => 0)).toThrow(/argument 'name' must be a string/);
    });
  });

  test('nameScope values pick their graph', () => {
    const g1 = new tf.Graph();
    const x = g1.asDefault(() => tf.constant(1, 'float32', [], 'x'));
    const g2 = new tf.Graph();
    g2.asDefault(() => {
      const y = tf.nameScope('s', null, [x], () => tf.identity(x));
      expect(y.graph).toBe(g1);
      expect(y.name).toBe('s/Identity:0');
      const z = tf.constant(2);
      expect(() => tf.nameScope('t', null, [x, z], () => 0)).toThrow(/different graphs/);
    });
  });

  test('controlDependencies(controlInputs, fn) and device(name, fn): argument checks', () => {
    inGraph((sess) => {
      const v = new tf.Variable(0, { name: 'v' });
      sess.run(tf.globalVariablesInitializer());
      const inc = v.assignAdd(1);
      const read = tf.controlDependencies([inc], () => tf.identity(v));
      expect(num(sess.run(read))).toBe(1);
      const cleared = tf.controlDependencies([inc], () => tf.controlDependencies(null, () => tf.identity(v)));
      expect(cleared.op.controlInputs.length).toBe(0);
      expect(() => tf.controlDependencies(inc as never, () => 0)).toThrow(/argument 'controlInputs' must be/);
      expect(() => (tf.controlDependencies as (...a: unknown[]) => unknown)([inc])).toThrow(/last argument/);
      const onCpu = tf.device('/cpu:0', () => tf.identity(v));
      expect(onCpu.op.device).toBe('/cpu:0');
      const none = tf.device('/cpu:0', () => tf.device(null, () => tf.identity(v)));
      expect(none.op.device).toBe('');
      // TF1's device functions: called with each new op.
      const seen: string[] = [];
      const byFn = tf.device(
        (op) => (seen.push(op.nodeDef.op), op.type === 'Identity' ? '/cpu:1' : null),
        () => tf.identity(tf.add(v, 1)),
      );
      expect(byFn.op.device).toBe('/cpu:1');
      expect(seen).toEqual(['Const', 'Add', 'Identity']);
      expect(byFn.op.inputs[0]?.op.device).toBe(''); // null: no device
      expect(() => tf.device((() => 5) as never, () => tf.identity(v))).toThrow(
        /must return a device name string or null/,
      );
      expect(() => tf.device(5 as never, () => 0)).toThrow(/device name string/);
    });
  });

  test('the Graph methods check their arguments too', () => {
    inGraph((_sess, g) => {
      const x = tf.constant(1);
      expect(g.nameScope(null, () => g.nameScope('s', () => tf.identity(x))).name).toBe('s/Identity:0');
      expect(() => g.nameScope(3 as never, () => 0)).toThrow(TypeError);
      expect(() => g.controlDependencies(x as never, () => 0)).toThrow(/controlInputs must be a list/);
      expect(() => g.device('/cpu:0', undefined as never)).toThrow(TypeError);
      expect(g.device(null, () => tf.identity(x)).op.device).toBe('');
    });
  });

  test('setRandomSeed takes an integer or null', () => {
    inGraph((_sess, g) => {
      tf.setRandomSeed(42);
      expect(g.seed).toBe(42);
      tf.setRandomSeed({ seed: 7 });
      expect(g.seed).toBe(7);
      tf.setRandomSeed(null);
      expect(g.seed).toBeUndefined();
      expect(() => tf.setRandomSeed(1.5)).toThrow(/argument 'seed' must be an integer, or null/);
      expect(() => tf.setRandomSeed('1' as never)).toThrow(TypeError);
    });
  });
});
