import * as tf from '../../../src';
import type { GpuMode } from '../../../src/backends/gpujs';
import { describeGpu, gpuSession } from './gpu_env';

/**
 * Control flow on the GPU backend runs on the device (issue 12): a loop over GPU tensors keeps its loop
 * variables there, reading back only the scalar predicate per iteration; results equal the CPU backend's.
 */
function matmulLoop(iterations: number) {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const w = tf.placeholder(tf.float32, [16, 16], 'w');
    const x0 = tf.placeholder(tf.float32, [4, 16], 'x0');
    const [, x] = tf.whileLoop(
      (i: tf.Tensor) => tf.less(i, iterations),
      (i: tf.Tensor, x: tf.Tensor) => [tf.add(i, 1), tf.tanh(tf.matmul(x, w))],
      [tf.constant(0, 'int32'), x0],
    );
    return { g, x: x as tf.Tensor };
  });
}

function feeds() {
  const w = Array.from({ length: 16 }, (_r, i) =>
    Array.from({ length: 16 }, (_c, j) => Math.sin(i * 16 + j) / 3),
  );
  const x0 = Array.from({ length: 4 }, (_r, i) => Array.from({ length: 16 }, (_c, j) => Math.cos(i + 2 * j)));
  return { w, x0 };
}

describeGpu('control flow on the device', (mode: GpuMode) => {
  test('a 100-iteration whileLoop of matmuls: two uploads and one read-back in all (none per iteration)', async () => {
    const { g, x } = matmulLoop(100);
    const sess = gpuSession(g, mode);
    const cpu = new tf.Session({ graph: g });
    const f = feeds();
    const expected = cpu.run(x, f);
    await sess.runAsync(x, f); // compiles the plans
    const before = sess.transferStats;
    const got = await sess.runAsync(x, f);
    const after = sess.transferStats;
    const uploads = after.uploads - before.uploads;
    const downloads = after.downloads - before.downloads;
    expect(uploads).toBe(2); // the two feeds, once: not per iteration
    // The counter and its test run on the host: no predicate is read back, only the fetched result.
    expect(downloads).toBe(1);
    expect(after.downloadedElements - before.downloadedElements).toBe(4 * 16);
    Array.from(got.data).forEach((v, k) => expect(v).toBeCloseTo(expected.data[k] as number, 4));
    sess.close();
  });

  test('tf.cond on device values: the branch runs on the device, results equal the CPU backend', async () => {
    const g = new tf.Graph();
    const { y, p, a, y2 } = g.asDefault(() => {
      const p = tf.placeholder(tf.bool, [], 'p');
      const a = tf.placeholder(tf.float32, [8, 8], 'a');
      const b = tf.matmul(a, a);
      const y = tf.cond(
        p,
        () => tf.matmul(b, a),
        () => tf.add(b, 1),
      );
      // A predicate computed on the device: read back (one element) to choose the branch.
      const y2 = tf.cond(
        tf.greater(tf.reduceSum(b), 0),
        () => tf.subtract(b, a),
        () => tf.multiply(b, 2),
      );
      return { y, p, a, y2 };
    });
    const sess = gpuSession(g, mode);
    const cpu = new tf.Session({ graph: g });
    const av = Array.from({ length: 8 }, (_r, i) => Array.from({ length: 8 }, (_c, j) => (i - j) / 8));
    for (const pv of [true, false]) {
      const fd = { [p.name]: pv, [a.name]: av };
      const expected = cpu.run(y, fd);
      await sess.runAsync(y, fd);
      const before = sess.transferStats;
      const got = await sess.runAsync(y, fd);
      const after = sess.transferStats;
      // Only the fetch is read back (the fed predicate is on the host); b, computed on the device, is not.
      expect(after.downloadedElements - before.downloadedElements).toBe(64);
      expect(after.uploads - before.uploads).toBe(1); // a
      Array.from(got.data).forEach((v, k) => expect(v).toBeCloseTo(expected.data[k] as number, 4));
    }
    const fd = { [a.name]: av };
    const expected = cpu.run(y2, fd);
    await sess.runAsync(y2, fd);
    const before = sess.transferStats;
    const got = await sess.runAsync(y2, fd);
    expect(sess.transferStats.downloadedElements - before.downloadedElements).toBe(1 + 64);
    Array.from(got.data).forEach((v, k) => expect(v).toBeCloseTo(expected.data[k] as number, 4));
    sess.close();
  });

  test('the placement log shows If and While on the GPU', () => {
    const { g, x } = matmulLoop(3);
    const logs: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((m: string) => void logs.push(m));
    try {
      const sess = new tf.Session({ graph: g, backend: 'gpu', gpu: { mode }, logDevicePlacement: true });
      sess.plan(x, feeds());
    } finally {
      spy.mockRestore();
    }
    expect(logs.join('\n')).toMatch(/while.*While.*GPU/i);
  });
});

test('transferStats on the CPU backend are all zero', () => {
  const g = new tf.Graph();
  const y = g.asDefault(() => tf.add(tf.constant(1), 2));
  const sess = new tf.Session({ graph: g });
  sess.run(y);
  expect(sess.transferStats).toEqual({
    uploads: 0,
    uploadedElements: 0,
    downloads: 0,
    downloadedElements: 0,
  });
});
