import * as tf from '../../src';
import { describeGpu, gpuSession } from '../backends/gpujs/gpu_env';
import type { GpuMode } from '../../src/backends/gpujs';

/**
 * Concurrent runs on one session act as if made one after another (issue 12): no update is lost, each
 * asynchronous run sees a state no other run is half-way through, and a failed run changes nothing.
 */
type MakeSession = (g: tf.Graph) => tf.Session;

function counterGraph() {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const v = new tf.Variable(0, { name: 'counter' });
    const x = tf.placeholder(tf.int32, [], 'x');
    // The fetched value is the counter after this run's own increment.
    const inc = v.assignAdd(1);
    // Runs the update, then fails at run time when x is not a valid index of [1, 2].
    const bad = tf.group(v.assignAdd(100), tf.gather(tf.constant([1, 2]), x));
    return { g, v, inc, bad, x, init: tf.globalVariablesInitializer() };
  });
}

function concurrencySuite(makeSession: MakeSession, syncRuns = true): void {
  test('twenty concurrent runAsync increments give 20, each seeing a distinct count', async () => {
    const { g, v, inc, init } = counterGraph();
    const sess = makeSession(g);
    sess.run(init);
    const seen = await Promise.all(Array.from({ length: 20 }, () => sess.runAsync(inc)));
    expect((await sess.runAsync(v)).data[0]).toBe(20);
    expect(seen.map((a) => a.data[0] as number).sort((p, q) => p - q)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    sess.close();
  });

  // With asynchronous kernels every run must be runAsync (sess.run refuses), so nothing can interleave.
  if (syncRuns)
    test('run and runAsync mixed, with synchronous runs landing between asynchronous steps', async () => {
      const { g, v, inc, init } = counterGraph();
      const sess = makeSession(g);
      sess.run(init);
      const pending: Promise<tf.NDArray>[] = [];
      for (let i = 0; i < 10; i++) {
        pending.push(sess.runAsync(inc));
        sess.run(inc);
        await Promise.resolve(); // lets an asynchronous run start, then the next synchronous one lands
        sess.run(inc);
      }
      const seen = (await Promise.all(pending)).map((a) => a.data[0]);
      expect(sess.run(v).data[0]).toBe(30);
      expect(new Set(seen).size).toBe(10); // serialisable: no two runs incremented from the same count
      sess.close();
    });

  test('a failing asynchronous run changes no variable and does not block the runs queued after it', async () => {
    const { g, v, inc, bad, x, init } = counterGraph();
    const sess = makeSession(g);
    sess.run(init);
    const first = sess.runAsync(inc);
    const failing = sess.runAsync(bad, { [x.name]: 5 });
    const after = sess.runAsync(inc);
    await expect(first).resolves.toBeDefined();
    await expect(failing).rejects.toThrow(/5 is not in \[0, 2\)/);
    expect((await after).data[0]).toBe(2);
    expect((await sess.runAsync(v)).data[0]).toBe(2);
    sess.close();
  });
}

describe('concurrent runs [cpu]', () => concurrencySuite((g) => new tf.Session({ graph: g })));

describeGpu('concurrent runs on the GPU backend', (mode: GpuMode) => {
  describe('synchronous kernels', () => concurrencySuite((g) => gpuSession(g, mode)));
  describe('asynchronous kernels', () =>
    concurrencySuite((g) => gpuSession(g, mode, { asyncKernels: true }), false));
});
