import * as tf from '../../src';
import { describeGpu, gpuSession } from '../backends/gpujs/gpu_env';
import type { GpuMode } from '../../src/backends/gpujs';

/**
 * Stateful ops inside tf.cond branches and tf.whileLoop bodies run exactly when the branch or iteration
 * runs, as in TF1 (SPEC §3, issue 12); gradients through the rest of the branch or body stay correct.
 * Expected values are worked by hand from TF1's semantics.
 */
type MakeSession = (g: tf.Graph) => tf.Session;

function statefulSuite(makeSession: MakeSession): void {
  test('cond: p true then false leaves 11 (each run updates through the branch it takes)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const v = new tf.Variable(0, { name: 'v' });
      const p = tf.placeholder(tf.bool, [], 'p');
      const r = tf.cond(
        p,
        () => v.assignAdd(1),
        () => v.assignAdd(10),
      );
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(r, { p: true }).data[0]).toBe(1);
      expect(sess.run(r, { p: false }).data[0]).toBe(11);
      expect(sess.run(v).data[0]).toBe(11);
    });
  });

  test('whileLoop: a body that assigns a variable each iteration', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const v = new tf.Variable(1, { name: 'v' });
      const count = new tf.Variable(0, { name: 'count' });
      const n = tf.placeholder(tf.int32, [], 'n');
      const out = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, n),
        (i: tf.Tensor) =>
          tf.controlDependencies([v.assign(tf.multiply(v, 2)), count.assignAdd(1)], () => tf.add(i, 1)),
        [tf.constant(0, 'int32')],
      );
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(out, { n: 5 }).data[0]).toBe(5);
      // v doubled five times: the body read the current value each iteration.
      expect(Array.from(sess.run([v, count]).map((a) => a.data[0]))).toEqual([32, 5]);
      sess.run(out, { n: 3 });
      expect(Array.from(sess.run([v, count]).map((a) => a.data[0]))).toEqual([256, 8]);
    });
  });

  test('whileLoop: a counter of random draws inside the loop; draws differ between iterations', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const draws = new tf.Variable(0, { name: 'draws' });
      const [, total, lo, hi] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 20),
        (i: tf.Tensor, s: tf.Tensor, mn: tf.Tensor, mx: tf.Tensor) => {
          const u = tf.randomUniform([], 0, 1, tf.float32, 7);
          return tf.controlDependencies([draws.assignAdd(1)], () => [
            tf.add(i, 1),
            tf.add(s, u),
            tf.minimum(mn, u),
            tf.maximum(mx, u),
          ]);
        },
        [tf.constant(0, 'int32'), tf.constant(0), tf.constant(2), tf.constant(-1)],
      );
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      const [t, a, b] = sess.run([total as tf.Tensor, lo as tf.Tensor, hi as tf.Tensor]);
      expect(sess.run(draws).data[0]).toBe(20);
      expect(a?.data[0]).toBeLessThan(b?.data[0] as number); // not one draw repeated
      expect(t?.data[0]).toBeGreaterThan(20 * (a?.data[0] as number));
      sess.run(total as tf.Tensor);
      expect(sess.run(draws).data[0]).toBe(40);
    });
  });

  test('gradients through a loop body that also updates a variable: right values, updates run once per iteration', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const steps = new tf.Variable(0, { name: 'steps' });
      const w = tf.placeholder(tf.float32, [], 'w');
      // y = w**4 after four iterations of y *= w, starting at 1: dy/dw = 4 w**3.
      const [, y] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 4),
        (i: tf.Tensor, acc: tf.Tensor) =>
          tf.controlDependencies([steps.assignAdd(1)], () => [tf.add(i, 1), tf.multiply(acc, w)]),
        [tf.constant(0, 'int32'), tf.constant(1)],
      );
      const [dw] = tf.gradients(y as tf.Tensor, [w]);
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      const [yv, dv] = sess.run([y as tf.Tensor, dw as tf.Tensor], { w: 1.5 });
      expect(yv?.data[0]).toBeCloseTo(1.5 ** 4, 4);
      expect(dv?.data[0]).toBeCloseTo(4 * 1.5 ** 3, 4);
      expect(sess.run(steps).data[0]).toBe(4); // the backward pass did not run the updates again
    });
  });

  test('gradients through a branch that also updates a variable', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const calls = new tf.Variable(0, { name: 'calls' });
      const x = tf.placeholder(tf.float32, [], 'x');
      const p = tf.placeholder(tf.bool, [], 'p');
      const y = tf.cond(
        p,
        () => tf.controlDependencies([calls.assignAdd(1)], () => tf.multiply(x, x)),
        () => tf.multiply(x, 3),
      );
      const [dx] = tf.gradients(y, [x]);
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(dx as tf.Tensor, { x: 2, p: true }).data[0]).toBeCloseTo(4, 5);
      expect(sess.run(dx as tf.Tensor, { x: 2, p: false }).data[0]).toBeCloseTo(3, 5);
      expect(sess.run(calls).data[0]).toBe(1);
    });
  });

  test('a gradient through a branch result computed from an update takes the updated value as given', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const v = new tf.Variable(1, { name: 'v' });
      const x = tf.placeholder(tf.float32, [], 'x');
      // y = (v + 1) * x on the then-branch: dy/dx is the updated value, and v is updated once.
      const y = tf.cond(
        tf.constant(true),
        () => tf.multiply(v.assignAdd(1), x),
        () => x,
      );
      const [dx] = tf.gradients(y, [x]);
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      const [yv, dv] = sess.run([y, dx as tf.Tensor], { x: 3 });
      expect(yv?.data[0]).toBeCloseTo(6, 5);
      expect(dv?.data[0]).toBeCloseTo(2, 5);
      expect(sess.run(v).data[0]).toBe(2);
      expect(() => tf.gradients(dx as tf.Tensor, [x])).toThrow(/Cannot differentiate .* again/);
    });
  });

  test('dropout-style random draws on the differentiated path of a loop: the gradient uses the same draws', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [3], 'x');
      // acc += u_i * x with a fresh draw u_i each iteration; s = sum of the draws: d(sum acc)/dx = s.
      const [, acc, s] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 6),
        (i: tf.Tensor, a: tf.Tensor, t: tf.Tensor) => {
          const u = tf.randomUniform([3], 0, 1, tf.float32, 3);
          return [tf.add(i, 1), tf.add(a, tf.multiply(u, x)), tf.add(t, u)];
        },
        [tf.constant(0, 'int32'), tf.zeros([3]), tf.zeros([3])],
      );
      const [dx] = tf.gradients(tf.reduceSum(acc as tf.Tensor), [x]);
      const sess = makeSession(g);
      const [sv, dv] = sess.run([s as tf.Tensor, dx as tf.Tensor], { x: [1, 2, 3] });
      Array.from(sv?.data ?? []).forEach((v, k) => expect(dv?.data[k]).toBeCloseTo(v, 4));
      expect(new Set(Array.from(sv?.data ?? [])).size).toBe(3);
    });
  });

  test('dropout inside tf.cond (the TF1 is_training pattern): gradient uses the forward mask', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [200], 'x');
      const training = tf.placeholder(tf.bool, [], 'training');
      const y = tf.cond(
        training,
        () => tf.nn.dropout(x, { rate: 0.5, seed: 5 }),
        () => tf.identity(x),
      );
      const [dx] = tf.gradients(tf.reduceSum(y), [x]);
      const sess = makeSession(g);
      const ones = new Array(200).fill(1);
      const [yv, dv] = sess.run([y, dx as tf.Tensor], { x: ones, training: true });
      // y = mask * x / 0.5 with x = 1, so dy/dx = y elementwise when the same mask is used.
      Array.from(yv.data).forEach((v, k) => expect(dv?.data[k]).toBeCloseTo(v, 5));
      const kept = Array.from(yv.data).filter((v) => v !== 0).length;
      expect(kept).toBeGreaterThan(60);
      expect(kept).toBeLessThan(140);
      const [, d2] = sess.run([y, dx as tf.Tensor], { x: ones, training: false });
      expect(Array.from(d2?.data ?? [])).toEqual(ones);
    });
  });

  test('a failed run after updates inside a loop changes no variable', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const v = new tf.Variable(0, { name: 'v' });
      const idx = tf.placeholder(tf.int32, [], 'idx');
      const i = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 3),
        (i: tf.Tensor) => tf.controlDependencies([v.assignAdd(1)], () => tf.add(i, 1)),
        [tf.constant(0, 'int32')],
      );
      const after = tf.gather(tf.constant([1, 2]), tf.add(idx, tf.subtract(i, 3)));
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      expect(() => sess.run(after, { idx: 5 })).toThrow(/not in \[0, 2\)/);
      expect(sess.run(v).data[0]).toBe(0);
      sess.run(after, { idx: 1 });
      expect(sess.run(v).data[0]).toBe(3);
    });
  });

  test('cond nested in a loop body updates only on the iterations whose branch runs', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const evens = new tf.Variable(0, { name: 'evens' });
      const loop = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 7),
        (i: tf.Tensor) => {
          const half = tf.divide(tf.cast(i, tf.float32), 2);
          const bump = tf.cond(
            tf.equal(tf.floor(half), half),
            () => evens.assignAdd(1),
            () => tf.identity(evens),
          );
          return tf.controlDependencies([bump], () => tf.add(i, 1));
        },
        [tf.constant(0, 'int32')],
      );
      const sess = makeSession(g);
      sess.run(tf.globalVariablesInitializer());
      sess.run(loop);
      expect(sess.run(evens).data[0]).toBe(4); // i = 0, 2, 4, 6
    });
  });
}

describe('stateful control flow [cpu]', () => statefulSuite((g) => new tf.Session({ graph: g })));

describeGpu('stateful control flow on the GPU backend', (mode: GpuMode) =>
  statefulSuite((g) => gpuSession(g, mode)),
);
