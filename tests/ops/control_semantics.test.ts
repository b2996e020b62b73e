import * as tf from '../../src';
import { checkGradient, float64Session } from '../helpers/gradcheck';
import { f64 } from '../helpers/cases';

/** Builds in a fresh graph and gives a float64 session on it. */
function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => fn(float64Session(g), g));
}

describe('tf.cond', () => {
  test('only the taken branch runs', () => {
    inGraph((sess) => {
      const p = tf.placeholder('bool', [], 'p');
      const x = tf.constant([1, 2, 3]);
      // Index 10 is out of range: running the false branch fails at run time.
      const y = tf.cond(
        p,
        () => tf.multiply(x, 2),
        () => tf.gather(x, tf.constant([10], 'int32')),
      );
      expect(Array.from(sess.run(y, { p: true }).data)).toEqual([2, 4, 6]);
      expect(() => sess.run(y, { p: false })).toThrow(/10/);
    });
  });

  test('tensors created outside the branches are computed whatever the predicate', () => {
    inGraph((sess) => {
      const p = tf.placeholder('bool', [], 'p');
      const v = new tf.Variable(0, { name: 'counter' });
      const bumped = v.assignAdd(1); // created outside: not conditional
      const y = tf.cond(
        p,
        () => tf.constant(-1),
        () => tf.multiply(bumped, 10),
      );
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(y, { p: true }).item()).toBe(-1);
      expect(sess.run(v)?.item()).toBe(1);
      expect(sess.run(y, { p: false }).item()).toBe(20);
      expect(sess.run(v)?.item()).toBe(2);
    });
  });

  test('branches must agree in structure and dtype', () => {
    inGraph(() => {
      const p = tf.constant(true);
      expect(() =>
        tf.cond(
          p,
          () => [tf.constant(1), tf.constant(2)],
          () => [tf.constant(1)],
        ),
      ).toThrow(/same number, type, and overall structure/);
      expect(() =>
        tf.cond(
          p,
          () => tf.constant(1),
          () => tf.constant(1, 'int32'),
        ),
      ).toThrow(/same type/);
      expect(() =>
        tf.cond(
          tf.constant([true, false]),
          () => tf.constant(1),
          () => tf.constant(2),
        ),
      ).toThrow(/predicate must be a scalar/);
    });
  });

  test('unequal branch shapes give unknown dims', () => {
    inGraph((sess) => {
      const p = tf.placeholder('bool', [], 'p');
      const y = tf.cond(
        p,
        () => tf.zeros([2, 3]),
        () => tf.ones([4, 3]),
      );
      expect(y.shape).toEqual([null, 3]);
      expect(sess.run(y, { p: false }).shape).toEqual([4, 3]);
    });
  });

  test('second-order gradient through cond (its gradient is again an If)', () => {
    for (const x0 of [0.7, -0.4]) {
      inGraph((sess) => {
        const x = tf.placeholder('float32', [], 'x');
        const y = tf.cond(
          tf.greater(x, 0),
          () => tf.pow(x, 3),
          () => tf.square(x),
        );
        const [dx] = tf.gradients(y, [x]);
        const [d2x] = tf.gradients(dx as tf.Tensor, [x]);
        const [g1, g2] = sess.run([dx as tf.Tensor, d2x as tf.Tensor], { x: x0 });
        expect(g1.item()).toBeCloseTo(x0 > 0 ? 3 * x0 * x0 : 2 * x0, 10);
        expect(g2.item()).toBeCloseTo(x0 > 0 ? 6 * x0 : 2, 10);
      });
    }
    // And numerically, for the first derivative taken as a function.
    checkGradient(
      (x) => {
        const y = tf.cond(
          tf.greater(tf.reduceSum(x), 0),
          () => tf.reduceSum(tf.pow(x, 3)),
          () => tf.reduceSum(x),
        );
        return tf.gradients(y, [x])[0] as tf.Tensor;
      },
      [f64([0.3, 0.9])],
    );
  });

  test('variables cannot be created inside a branch (updates of outer ones can: control_stateful.test.ts)', () => {
    inGraph(() => {
      expect(() =>
        tf.cond(
          tf.constant(true),
          () => new tf.Variable(1, { name: 'inner' }).value(),
          () => tf.constant(0),
        ),
      ).toThrow(/Cannot create variable 'inner' inside the function 'cond\/true_branch'/);
    });
  });
});

describe('tf.whileLoop', () => {
  test('TF1 calling convention: separate arguments, array results', () => {
    inGraph((sess) => {
      const [i, acc] = tf.whileLoop(
        (i: tf.Tensor, acc: tf.Tensor) => tf.logicalAnd(tf.less(i, 10), tf.less(acc, 1000)),
        (i: tf.Tensor, acc: tf.Tensor) => [tf.add(i, 1), tf.multiply(acc, 2)],
        [tf.constant(0, 'int32'), tf.constant(1)],
      );
      expect(i?.dtype).toBe('int32');
      const [iv, av] = sess.run([i as tf.Tensor, acc as tf.Tensor]);
      expect(iv.item()).toBe(10);
      expect(av.item()).toBe(1024);
    });
  });

  test('loop variables keep their shapes: a clear error otherwise', () => {
    inGraph(() => {
      const x = tf.zeros([2, 3]);
      expect(() =>
        tf.whileLoop(
          () => tf.constant(false),
          (y) => [tf.concat([y, y], 0)],
          [x],
        ),
      ).toThrow(
        /Input tensor 'zeros:0' enters the loop with shape \[2,3\], but has shape \[4,3\] after one iteration\. To allow the shape to vary across iterations, use the `shapeInvariants` option/,
      );
      expect(() =>
        tf.whileLoop(
          () => tf.constant(false),
          (y) => [tf.cast(y, 'int32')],
          [x],
        ),
      ).toThrow(/enters the loop with dtype float32, but has dtype int32 after one iteration/);
      expect(() =>
        tf.whileLoop(
          () => tf.constant(false),
          (y) => [y, y],
          [x],
        ),
      ).toThrow(/body must return the same structure as loopVars/);
      expect(() =>
        tf.whileLoop(
          () => tf.constant(1),
          (y) => [y],
          [x],
        ),
      ).toThrow(/cond must return a bool scalar/);
    });
  });

  test('shapeInvariants let a loop variable grow', () => {
    inGraph((sess) => {
      const [, y] = tf.whileLoop(
        (i) => tf.less(i, 3),
        (i, y) => [tf.add(i, 1), tf.concat([y, tf.add(y, 1)], 0)],
        [tf.constant(0, 'int32'), tf.constant([1])],
        { shapeInvariants: [[], [null]] },
      );
      expect(y?.shape).toEqual([null]);
      expect(Array.from(sess.run(y as tf.Tensor).data)).toEqual([1, 2, 2, 3, 2, 3, 3, 4]);
    });
  });

  test('a shape change only visible at run time is reported', () => {
    inGraph((sess) => {
      const n = tf.placeholder('int32', [], 'n');
      const y = tf.whileLoop(
        () => tf.constant(true),
        (y) => [tf.reshape(tf.tile(y, tf.reshape(n, [1])), [-1])],
        [tf.constant([1, 2, 3])],
        { maximumIterations: 2 },
      );
      expect(sess.run(y as tf.Tensor, { n: 1 }).shape).toEqual([3]);
      expect(() => sess.run(y as tf.Tensor, { n: 2 })).toThrow(
        /Loop variable 'Const:0' has shape \[6\] after iteration 1, which is not compatible with its shape invariant \[3\]/,
      );
    });
  });

  test('zero iterations: the initial values, identity gradient, zero gradient for captures', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2], 'x');
      const w = tf.placeholder('float32', [2], 'w');
      const y = tf.whileLoop(
        () => tf.constant(false),
        (y) => [tf.multiply(y, w)],
        [x],
      );
      const [dx, dw] = tf.gradients(tf.reduceSum(tf.square(y as tf.Tensor)), [x, w]);
      const feeds = { x: [1, -2], w: [3, 4] };
      const [yv, dxv, dwv] = sess.run([y as tf.Tensor, dx as tf.Tensor, dw as tf.Tensor], feeds);
      expect(Array.from(yv.data)).toEqual([1, -2]);
      expect(Array.from(dxv.data)).toEqual([2, -4]);
      expect(Array.from(dwv.data)).toEqual([0, 0]);
    });
  });

  test('trains a captured Variable by backpropagation through the iterations', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [null, 2], 'x');
      const W = new tf.Variable(
        tf.constant([
          [0.5, 0.1],
          [-0.2, 0.4],
        ]),
        { name: 'W' },
      );
      const h = tf.whileLoop(
        () => tf.constant(true),
        (h) => [tf.tanh(tf.matmul(h, W))],
        [x],
        { maximumIterations: 4 },
      );
      const loss = tf.reduceMean(tf.square(tf.subtract(h as tf.Tensor, 0.5)));
      const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
      sess.run(tf.globalVariablesInitializer());
      const feeds = {
        x: [
          [1, 0.5],
          [-0.3, 0.8],
        ],
      };
      const before = sess.run(loss, feeds).item() as number;
      for (let i = 0; i < 30; i++) sess.run(train, feeds);
      const after = sess.run(loss, feeds).item() as number;
      expect(after).toBeLessThan(before * 0.5);
    });
  });

  test('second-order gradients through a loop are refused by name', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [], 'x');
      const y = tf.whileLoop(
        () => tf.constant(true),
        (y) => [tf.multiply(y, y)],
        [x],
        { maximumIterations: 2 },
      );
      const [dx] = tf.gradients(y as tf.Tensor, [x]);
      expect(() => tf.gradients(dx as tf.Tensor, [x])).toThrow(
        /No gradient defined for operation '.*WhileGrad' \(op type: WhileGrad\)/,
      );
    });
  });

  test('variables cannot be created inside a body, but tf.getVariable lifts them out', () => {
    inGraph((sess, g) => {
      expect(() =>
        tf.whileLoop(
          () => tf.constant(false),
          (y) => [tf.add(y, new tf.Variable(1, { name: 'inner' }))],
          [tf.constant(0)],
        ),
      ).toThrow(/Cannot create variable 'inner' inside the function/);
      const y = tf.whileLoop(
        () => tf.constant(true),
        (y) => [tf.add(y, tf.getVariable('step', { shape: [], initializer: tf.initializers.constant(2.5) }))],
        [tf.constant(0)],
        { maximumIterations: 3 },
      );
      const step = tf.globalVariables().find((v) => v.opName === 'step');
      expect(step?.graph).toBe(g);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(y as tf.Tensor).item()).toBe(7.5);
    });
  });

  test('graph JSON export and import keep the loop, its functions and its gradient', () => {
    const g = new tf.Graph();
    const xv = f64([0.5, -1, 2]);
    const { json, expected } = g.asDefault(() => {
      const x = tf.placeholder('float32', [3], 'x');
      const w = tf.constant([0.9, 1.1, 0.7], 'float32', undefined, 'w');
      const [, y] = tf.whileLoop(
        (i) => tf.less(i, 4),
        (i, y) => [
          tf.add(i, 1),
          tf.cond(
            tf.less(i, 2),
            () => tf.multiply(y, w),
            () => tf.sin(y),
          ),
        ],
        [tf.constant(0, 'int32'), x],
      );
      tf.identity(y as tf.Tensor, 'y');
      tf.identity(tf.gradients(tf.reduceSum(y as tf.Tensor), [x])[0] as tf.Tensor, 'dx');
      const sess = float64Session(g);
      return { json: JSON.stringify(g.toJSON()), expected: sess.run(['y:0', 'dx:0'], { 'x:0': xv }) };
    });
    const ref = [0.5, -1, 2].map((v, k) => Math.sin(Math.sin(v * [0.9, 1.1, 0.7][k]! * [0.9, 1.1, 0.7][k]!)));
    Array.from(expected[0]!.data).forEach((v, k) => expect(v).toBeCloseTo(ref[k] as number, 12));
    const g2 = new tf.Graph();
    const [y2, dx2] = tf.importGraphDef(json, { graph: g2, returnElements: ['y:0', 'dx:0'] });
    const sess = float64Session(g2);
    // Functions are rebuilt from the JSON data; WhileGrad reruns the loop (no recorded forward run).
    const [y, dx] = sess.run([y2 as tf.Tensor, dx2 as tf.Tensor], { 'x:0': xv });
    expect(Array.from(y!.data)).toEqual(Array.from(expected[0]!.data));
    expect(Array.from(dx!.data)).toEqual(Array.from(expected[1]!.data));
    // Only the gradient fetched: the same values.
    expect(Array.from(sess.run(dx2 as tf.Tensor, { 'x:0': xv }).data)).toEqual(Array.from(expected[1]!.data));
  });

  test('the gradient is the same when the forward loop did not run in the same run (fed outputs)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2], 'x');
      const w = tf.placeholder('float32', [2], 'w');
      const [i, y] = tf.whileLoop(
        (i) => tf.less(i, 3),
        (i, y) => [tf.add(i, 1), tf.add(tf.multiply(y, w), tf.sin(y))],
        [tf.constant(0, 'int32'), x],
      );
      const [dw] = tf.gradients(tf.reduceSum(y as tf.Tensor), [w]);
      const feeds = { x: [0.2, -0.7], w: [1.3, 0.4] };
      const [iv, yv, dwv] = sess.run([i as tf.Tensor, y as tf.Tensor, dw as tf.Tensor], feeds);
      // Feeding the loop's outputs cuts the forward op out of the run: WhileGrad then reruns the loop.
      const cut = { ...feeds, 'while:0': iv!, 'while:1': yv! };
      expect(sess.plan(dw as tf.Tensor, cut).steps.map((st) => st.op.type)).not.toContain('While');
      expect(Array.from(sess.run(dw as tf.Tensor, cut).data)).toEqual(Array.from(dwv!.data));
    });
  });
});
