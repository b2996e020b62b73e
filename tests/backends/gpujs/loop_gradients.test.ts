import * as tf from '../../../src';
import { NDArray } from '../../../src';
import type { GpuMode } from '../../../src/backends/gpujs';
import { backendOf, describeGpu, expectNear, gpuSession } from './gpu_env';
import { float64Session } from '../../helpers/gradcheck';

/**
 * Gradients of loops on the GPU backend run on the device (issue 12): a differentiated While records its
 * iterations as device tensors and WhileGrad walks them backward on the device, so a training step of a
 * recurrent network reads back no more for 20 time steps than for 5. Gradients equal the float32 CPU
 * backend's (and central differences on a small case); a run failing inside the loop leaks no device
 * buffer.
 */

type TransferStats = tf.Session['transferStats'];
function delta(before: TransferStats, after: TransferStats): TransferStats {
  return {
    uploads: after.uploads - before.uploads,
    uploadedElements: after.uploadedElements - before.uploadedElements,
    downloads: after.downloads - before.downloads,
    downloadedElements: after.downloadedElements - before.downloadedElements,
  };
}

const BATCH = 3;
const DEPTH = 4;
const UNITS = 5;

function sequences(steps: number): number[][][] {
  return Array.from({ length: BATCH }, (_b, b) =>
    Array.from({ length: steps }, (_t, t) =>
      Array.from({ length: DEPTH }, (_d, d) => Math.sin(1 + b + 0.37 * t + 0.5 * d)),
    ),
  );
}

/** A dynamicRnn with a loss, its gradients wrt the input and every variable, and a training step. */
function rnnGraph(steps: number, cellKind: 'basic' | 'gru', withLength: boolean) {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(5);
    const x = tf.placeholder(tf.float32, [BATCH, steps, DEPTH], 'x');
    const len = tf.placeholder(tf.int32, [BATCH], 'len');
    const cell =
      cellKind === 'gru' ? new tf.nn.rnnCell.GRUCell(UNITS) : new tf.nn.rnnCell.BasicRNNCell(UNITS);
    const [outputs, state] = tf.nn.dynamicRnn(cell, x, {
      dtype: 'float32',
      ...(withLength ? { sequenceLength: len } : {}),
    });
    // Both the stacked outputs and the final state feed the loss (dAcc and dFinal of WhileGrad).
    const loss = tf.add(tf.reduceSum(tf.square(outputs as tf.Tensor)), tf.reduceSum(state as tf.Tensor));
    const vars = g.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES) as tf.Variable[];
    const grads = tf.gradients(loss, [x, ...vars]) as tf.Tensor[];
    const train = new tf.train.GradientDescentOptimizer(0.05).minimize(loss);
    return { g, x, len, loss, grads, train, init: tf.globalVariablesInitializer() };
  });
}

/** Copies the CPU session's variable values into the GPU session. */
function copyVariables(g: tf.Graph, from: tf.Session, to: tf.Session): void {
  const vars = g.getCollection(tf.GraphKeys.GLOBAL_VARIABLES) as tf.Variable[];
  const values = from.run(vars.map((v) => v.value()));
  to.run(vars.map((v, k) => v.assign(values[k] as NDArray)));
}

/** A whileLoop h ← tanh(h·W + b) over captured weights, `iterations` times (W, b, h0 fed). */
function weightLoop(iterations: number, dropout = false) {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const w = tf.placeholder(tf.float32, [3, 3], 'w');
    const b = tf.placeholder(tf.float32, [3], 'b');
    const h0 = tf.placeholder(tf.float32, [2, 3], 'h0');
    const [, h] = tf.whileLoop(
      (i: tf.Tensor) => tf.less(i, iterations),
      (i: tf.Tensor, h: tf.Tensor) => {
        const input = dropout ? tf.nn.dropout(h, { rate: 0.3, seed: 9 }) : h;
        return [tf.add(i, 1), tf.tanh(tf.add(tf.matmul(input, w), b))];
      },
      [tf.constant(0, 'int32'), h0],
    );
    const loss = tf.reduceSum(tf.multiply(h as tf.Tensor, tf.constant([[1, -2, 0.5]])));
    const grads = tf.gradients(loss, [w, b, h0]) as tf.Tensor[];
    return { g, w, b, h0, loss, grads };
  });
}

const W = [
  [0.5, -0.3, 0.8],
  [0.2, 0.7, -0.6],
  [-0.4, 0.1, 0.3],
];
const B = [0.1, -0.2, 0.05];
const H0 = [
  [0.3, -0.5, 0.9],
  [-0.7, 0.2, 0.4],
];

describeGpu('loop gradients on the device', (mode: GpuMode) => {
  for (const cellKind of ['basic', 'gru'] as const) {
    for (const steps of [5, 20]) {
      test(`dynamicRnn ${cellKind}, ${steps} steps, with and without sequenceLength: gradients equal the CPU's`, () => {
        for (const withLength of [false, true]) {
          const t = rnnGraph(steps, cellKind, withLength);
          const cpu = new tf.Session({ graph: t.g });
          const gpu = gpuSession(t.g, mode);
          cpu.run(t.init);
          gpu.run(t.init);
          copyVariables(t.g, cpu, gpu);
          const feed = { [t.x.name]: sequences(steps), [t.len.name]: [steps, 2, steps - 1] };
          const fetches = [t.loss, ...t.grads];
          const expected = cpu.run(fetches, feed);
          // Twice: the second run walks a record made in its own run, not one left by the first.
          for (let run = 0; run < 2; run++) {
            const got = gpu.run(fetches, feed);
            got.forEach((a, k) =>
              expectNear(a, expected[k] as NDArray, 2e-4, `${cellKind} len=${withLength} fetch ${k}`),
            );
          }
          gpu.close();
          cpu.close();
        }
      });
    }
  }

  test("a GRU training step: read-backs do not grow with the time steps (5 vs 20), variables match the CPU's", () => {
    const stats: TransferStats[] = [];
    for (const steps of [5, 20]) {
      const t = rnnGraph(steps, 'gru', false);
      const cpu = new tf.Session({ graph: t.g });
      const gpu = gpuSession(t.g, mode);
      cpu.run(t.init);
      gpu.run(t.init);
      copyVariables(t.g, cpu, gpu);
      const feed = { [t.x.name]: sequences(steps) };
      gpu.run([t.loss, t.train], feed); // compiles the plans
      cpu.run([t.loss, t.train], feed);
      const before = gpu.transferStats;
      const [loss] = gpu.run([t.loss, t.train], feed);
      stats.push(delta(before, gpu.transferStats));
      const [cpuLoss] = cpu.run([t.loss, t.train], feed);
      expectNear(loss as NDArray, cpuLoss as NDArray, 1e-4, `loss after one step (${steps} steps)`);
      const vars = t.g.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES) as tf.Variable[];
      const want = cpu.run(vars.map((v) => v.value()));
      gpu
        .run(vars.map((v) => v.value()))
        .forEach((a, k) => expectNear(a, want[k] as NDArray, 1e-4, `variable ${k} after two steps`));
      gpu.close();
      cpu.close();
    }
    const [short, long] = stats as [TransferStats, TransferStats];
    // Only the loss comes back; the fed sequences go up once; nothing per time step either way.
    expect(short.downloads).toBe(1);
    expect(short.downloadedElements).toBe(1);
    expect(long).toEqual({
      ...short,
      uploadedElements: short.uploadedElements + BATCH * 15 * DEPTH,
    });
    expect(short.uploads).toBe(1);
  });

  test('a whileLoop over captured weights: gradients equal the CPU and central differences', () => {
    const t = weightLoop(6);
    const cpu = new tf.Session({ graph: t.g });
    const gpu = gpuSession(t.g, mode);
    const feed = { [t.w.name]: W, [t.b.name]: B, [t.h0.name]: H0 };
    const fetches = [t.loss, ...t.grads];
    const expected = cpu.run(fetches, feed);
    const got = gpu.run(fetches, feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `fetch ${k}`));
    // Central differences of the loss (float64 CPU) for every weight entry.
    const ref = float64Session(t.g);
    const h = 1e-5;
    const dw = got[1] as NDArray;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        const at = (s: number) => {
          const w = W.map((row, i) => row.map((v, j) => (i === r && j === c ? v + s * h : v)));
          return (ref.run(t.loss, { ...feed, [t.w.name]: w }).data[0] as number) ?? NaN;
        };
        const numeric = (at(1) - at(-1)) / (2 * h);
        expect(Math.abs((dw.data[r * 3 + c] as number) - numeric)).toBeLessThan(
          1e-4 * Math.max(1, Math.abs(numeric)),
        );
      }
    }
    const db = got[2] as NDArray;
    for (let c = 0; c < 3; c++) {
      const at = (s: number) =>
        ref.run(t.loss, { ...feed, [t.b.name]: B.map((v, j) => (j === c ? v + s * h : v)) })
          .data[0] as number;
      const numeric = (at(1) - at(-1)) / (2 * h);
      expect(Math.abs((db.data[c] as number) - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
    }
    ref.close();
    gpu.close();
    cpu.close();
  });

  test("dropout inside the loop: the gradient uses each iteration's recorded mask, as on the CPU", () => {
    const t = weightLoop(4, true);
    const cpu = new tf.Session({ graph: t.g });
    const gpu = gpuSession(t.g, mode);
    const feed = { [t.w.name]: W, [t.b.name]: B, [t.h0.name]: H0 };
    const fetches = [t.loss, ...t.grads];
    for (let run = 0; run < 2; run++) {
      const expected = cpu.run(fetches, feed);
      const got = gpu.run(fetches, feed);
      got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `run ${run} fetch ${k}`));
    }
    gpu.close();
    cpu.close();
  });

  test('a run failing inside a differentiated loop at iteration 3 leaks no device buffer', () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      const w = tf.placeholder(tf.float32, [4, 4], 'w');
      const h0 = tf.placeholder(tf.float32, [1, 4], 'h0');
      const limit = tf.placeholder(tf.int32, [], 'limit');
      const [, h] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 5),
        (i: tf.Tensor, h: tf.Tensor) => {
          // From iteration `limit + 1` on, the weight slice has 3 rows: matmul([1,4], [3,4]) fails.
          const rows = tf.where(tf.less(i, limit), tf.constant(4, 'int32'), tf.constant(3, 'int32'));
          const wi = tf.slice(w, [0, 0], tf.stack([rows, tf.constant(4, 'int32')]));
          return [tf.add(i, 1), tf.tanh(tf.matmul(h, wi))];
        },
        [tf.constant(0, 'int32'), h0],
      );
      const loss = tf.reduceSum(h as tf.Tensor);
      const grads = tf.gradients(loss, [w, h0]) as tf.Tensor[];
      return { w, h0, limit, fetches: [loss, ...grads] };
    });
    const w4 = Array.from({ length: 4 }, (_r, i) =>
      Array.from({ length: 4 }, (_c, j) => Math.sin(i + 3 * j) / 2),
    );
    const feed = (limit: number) => ({
      [t.w.name]: w4,
      [t.h0.name]: [[0.5, -0.2, 0.1, 0.7]],
      [t.limit.name]: limit,
    });
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    const expected = cpu.run(t.fetches, feed(10));
    gpu.run(t.fetches, feed(10)); // compiles the plans, caches constants
    const rt = backendOf(gpu).rt;
    const live = rt.live.buffers;
    // Successful runs release their records once WhileGrad has walked them.
    gpu.run(t.fetches, feed(10)).forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `fetch ${k}`));
    expect(rt.live.buffers).toBe(live);
    expect(() => gpu.run(t.fetches, feed(2))).toThrow(/Matrix size-incompatible|matmul|MatMul/i);
    expect(() => cpu.run(t.fetches, feed(2))).toThrow(/Matrix size-incompatible|matmul|MatMul/i);
    expect(rt.live.buffers).toBe(live);
    // A later run is unaffected.
    gpu.run(t.fetches, feed(10)).forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `after ${k}`));
    expect(rt.live.buffers).toBe(live);
    // Runs fetching the loop but not its gradient record it unwalked: released when the run ends.
    for (let run = 0; run < 3; run++) {
      gpu.run(t.fetches[0] as tf.Tensor, feed(10));
      expect(rt.live.buffers).toBe(live);
    }
    gpu.run(t.fetches, feed(10));
    expect(rt.live.buffers).toBe(live);
    gpu.close();
    cpu.close();
  });

  test('under the asynchronous contract (asyncKernels) and for a loop nested in a loop body: equal to the CPU', async () => {
    const t = weightLoop(5);
    const cpu = new tf.Session({ graph: t.g });
    const gpu = gpuSession(t.g, mode, { asyncKernels: true });
    const feed = { [t.w.name]: W, [t.b.name]: B, [t.h0.name]: H0 };
    const fetches = [t.loss, ...t.grads];
    const expected = cpu.run(fetches, feed);
    const got = await gpu.runAsync(fetches, feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `async fetch ${k}`));
    gpu.close();
    cpu.close();

    const g = new tf.Graph();
    const n = g.asDefault(() => {
      const w = tf.placeholder(tf.float32, [3, 3], 'w');
      const h0 = tf.placeholder(tf.float32, [2, 3], 'h0');
      const [, h] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 3),
        (i: tf.Tensor, h: tf.Tensor) => {
          const [, inner] = tf.whileLoop(
            (j: tf.Tensor) => tf.less(j, 2),
            (j: tf.Tensor, x: tf.Tensor) => [tf.add(j, 1), tf.sin(tf.matmul(x, w))],
            [tf.constant(0, 'int32'), h],
          );
          return [tf.add(i, 1), tf.add(tf.multiply(inner as tf.Tensor, 0.9), h)];
        },
        [tf.constant(0, 'int32'), h0],
      );
      const loss = tf.reduceSum(tf.square(h as tf.Tensor));
      return { w, h0, fetches: [loss, ...(tf.gradients(loss, [w, h0]) as tf.Tensor[])] };
    });
    const cpu2 = new tf.Session({ graph: g });
    const gpu2 = gpuSession(g, mode);
    const feed2 = { [n.w.name]: W, [n.h0.name]: H0 };
    const want = cpu2.run(n.fetches, feed2);
    gpu2
      .run(n.fetches, feed2)
      .forEach((a, k) => expectNear(a, want[k] as NDArray, 1e-4, `nested fetch ${k}`));
    // Every record (the inner loop records once per outer iteration, forward and backward) is released
    // by the end of its run: later runs hold no more device buffers than the first left (its constants).
    const live = backendOf(gpu2).rt.live.buffers;
    for (let run = 0; run < 2; run++)
      gpu2
        .run(n.fetches, feed2)
        .forEach((a, k) => expectNear(a, want[k] as NDArray, 1e-4, `nested again ${k}`));
    expect(backendOf(gpu2).rt.live.buffers).toBe(live);
    gpu2.close();
    cpu2.close();
  });

  test('a loop whose gradient is placed on the host with tf.device records and walks its iterations there', () => {
    const l = weightLoop(3);
    const pinned = l.g.asDefault(() =>
      tf.device(
        '/cpu:0',
        // (gradYs given: a pinned OnesLike fails under the GPU backend, a separate bug)
        () => tf.gradients(l.loss, [l.w, l.b, l.h0], tf.constant(1)) as tf.Tensor[],
      ),
    );
    const cpu = new tf.Session({ graph: l.g });
    const gpu = gpuSession(l.g, mode);
    const feed = { [l.w.name]: W, [l.b.name]: B, [l.h0.name]: H0 };
    const expected = cpu.run([l.loss, ...pinned], feed);
    gpu
      .run([l.loss, ...pinned], feed)
      .forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `fetch ${k}`));
    const grads = l.g.getOperations().filter((op) => op.type === 'WhileGrad');
    expect(grads.length).toBe(2);
    const places = grads.map((op) => backendOf(gpu).place(op).device).sort();
    // The unpinned gradient's loop records on the host too (for the pinned one), so it runs there as well.
    expect(places).toEqual(['/cpu:0', '/cpu:0']);
    gpu.close();
    cpu.close();
  });

  test('a tf.cond inside a differentiated loop body: gradients equal the CPU', () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      const w = tf.placeholder(tf.float32, [3, 3], 'w');
      const h0 = tf.placeholder(tf.float32, [2, 3], 'h0');
      const [, h] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 4),
        (i: tf.Tensor, h: tf.Tensor) => {
          const z = tf.matmul(h, w);
          const next = tf.cond(
            tf.less(i, 2),
            () => tf.tanh(z),
            () => tf.sin(z),
          );
          return [tf.add(i, 1), next];
        },
        [tf.constant(0, 'int32'), h0],
      );
      const loss = tf.reduceSum(tf.square(h as tf.Tensor));
      return { w, h0, fetches: [loss, ...(tf.gradients(loss, [w, h0]) as tf.Tensor[])] };
    });
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    const feed = { [t.w.name]: W, [t.h0.name]: H0 };
    const expected = cpu.run(t.fetches, feed);
    gpu.run(t.fetches, feed).forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `fetch ${k}`));
    gpu.close();
    cpu.close();
  });
});
