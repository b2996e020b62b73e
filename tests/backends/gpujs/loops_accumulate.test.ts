import * as tf from '../../../src';
import { NDArray } from '../../../src';
import type { GpuMode } from '../../../src/backends/gpujs';
import { describeGpu, expectNear, gpuSession } from './gpu_env';

/**
 * Loops that accumulate per-iteration outputs run on the device (issue 12): a While's stacked outputs
 * (dynamicRnn, mapFn, scan) and TensorArrays written in a whileLoop body keep their float data on the
 * GPU, so the read-backs of a run do not grow with the number of iterations; results equal the float32
 * CPU backend's. Loops whose gradient is taken: tests/backends/gpujs/loop_gradients.test.ts.
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
const UNITS = 6;

/** A batch of input sequences, [BATCH, steps, DEPTH], from a fixed formula. */
function sequences(steps: number): number[][][] {
  return Array.from({ length: BATCH }, (_b, b) =>
    Array.from({ length: steps }, (_t, t) =>
      Array.from({ length: DEPTH }, (_d, d) => Math.sin(1 + b + 0.37 * t + 0.5 * d)),
    ),
  );
}

function rnnGraph(steps: number, cellKind: 'basic' | 'gru') {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(7);
    const x = tf.placeholder(tf.float32, [BATCH, steps, DEPTH], 'x');
    const cell =
      cellKind === 'gru' ? new tf.nn.rnnCell.GRUCell(UNITS) : new tf.nn.rnnCell.BasicRNNCell(UNITS);
    const [outputs, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
    return { g, x, outputs, state: state as tf.Tensor, init: tf.globalVariablesInitializer() };
  });
}

/**
 * Runs a dynamicRnn forward pass on both backends (variables copied from the CPU session); returns the
 * GPU run's transfer counts (second run: plans compiled) and checks its results against the CPU's.
 */
async function rnnForward(mode: GpuMode, steps: number, cellKind: 'basic' | 'gru', asyncKernels = false) {
  const { g, x, outputs, state, init } = rnnGraph(steps, cellKind);
  const cpu = new tf.Session({ graph: g });
  const gpu = gpuSession(g, mode, { asyncKernels });
  try {
    cpu.run(init);
    const vars = g.getCollection(tf.GraphKeys.GLOBAL_VARIABLES) as tf.Variable[];
    const values = cpu.run(vars.map((v) => v.value()));
    await gpu.runAsync(init);
    await gpu.runAsync(vars.map((v, k) => v.assign(values[k] as NDArray)));
    const feed = { [x.name]: sequences(steps) };
    const expected = cpu.run([outputs, state], feed);
    await gpu.runAsync([outputs, state], feed); // compiles the plans
    const before = gpu.transferStats;
    const got = await gpu.runAsync([outputs, state], feed);
    const d = delta(before, gpu.transferStats);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `${cellKind} ${steps} steps ${k}`));
    return d;
  } finally {
    gpu.close();
    cpu.close();
  }
}

describeGpu('loops accumulating per-iteration outputs on the device', (mode: GpuMode) => {
  for (const cellKind of ['basic', 'gru'] as const) {
    test(`dynamicRnn (${cellKind}) forward: read-backs do not grow with the time steps, results equal the CPU's`, async () => {
      const short = await rnnForward(mode, 5, cellKind);
      const long = await rnnForward(mode, 20, cellKind);
      for (const [steps, d] of [
        [5, short],
        [20, long],
      ] as const) {
        // Only the two fetches come back: outputs [BATCH, steps, UNITS] and the final state.
        expect(d.downloads).toBe(2);
        expect(d.downloadedElements).toBe(BATCH * steps * UNITS + BATCH * UNITS);
        // The fed sequences go up once; any other upload is a one-element int32 index, never float
        // data of the loop.
        expect(d.uploadedElements - BATCH * steps * DEPTH).toBe(d.uploads - 1);
      }
      expect(long.downloads).toBe(short.downloads);
      // The time step the body's gather reads is baked into its kernel, not uploaded per iteration:
      // 20 steps upload exactly what 5 steps do.
      expect(long.uploads).toBe(short.uploads);
    });
  }

  test('dynamicRnn with an LSTM state tuple and sequenceLength (rows past their end): equal to the CPU', async () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      tf.setRandomSeed(11);
      const x = tf.placeholder(tf.float32, [BATCH, 6, DEPTH], 'x');
      const len = tf.placeholder(tf.int32, [BATCH], 'len');
      const [out, state] = tf.nn.dynamicRnn(new tf.nn.rnnCell.BasicLSTMCell(UNITS), x, {
        dtype: 'float32',
        sequenceLength: len,
      });
      const { c, h } = state as tf.nn.rnnCell.LSTMStateTuple;
      return { x, len, fetches: [out, c, h] as tf.Tensor[], init: tf.globalVariablesInitializer() };
    });
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    cpu.run(t.init);
    const vars = g.getCollection(tf.GraphKeys.GLOBAL_VARIABLES) as tf.Variable[];
    const values = cpu.run(vars.map((v) => v.value()));
    gpu.run(vars.map((v, k) => v.assign(values[k] as NDArray)));
    const feed = { [t.x.name]: sequences(6), [t.len.name]: [6, 2, 4] };
    const expected = cpu.run(t.fetches, feed);
    const got = await gpu.runAsync(t.fetches, feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `LSTM fetch ${k}`));
    // Row 1 stops after 2 steps: its later outputs are zero.
    const out = got[0] as NDArray;
    for (let s = 2; s < 6; s++)
      for (let u = 0; u < UNITS; u++) expect(out.data[(1 * 6 + s) * UNITS + u]).toBe(0);
    gpu.close();
    cpu.close();
  });

  test('dynamicRnn under the asynchronous contract (asyncKernels): same results, same read-backs', async () => {
    const d = await rnnForward(mode, 7, 'gru', true);
    expect(d.downloads).toBe(2);
  });

  /** A whileLoop writing a float32 TensorArray each iteration, reading an unstacked input. */
  function taLoop(steps: number) {
    const g = new tf.Graph();
    return g.asDefault(() => {
      const w = tf.placeholder(tf.float32, [5, 5], 'w');
      const xs = tf.placeholder(tf.float32, [steps, 2, 5], 'xs');
      const inputs = new tf.TensorArray(tf.float32, steps).unstack(xs);
      const [, h, out] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, steps),
        (i: tf.Tensor, h: tf.Tensor, acc: tf.TensorArray) => {
          const next = tf.tanh(tf.add(tf.matmul(h, w), inputs.read(i)));
          return [tf.add(i, 1), next, acc.write(i, next)];
        },
        [tf.constant(0, 'int32'), tf.zeros([2, 5]), new tf.TensorArray(tf.float32, steps)],
      ) as unknown as [tf.Tensor, tf.Tensor, tf.TensorArray];
      return { g, w, xs, h, stacked: out.stack(), last: out.read(steps - 1) };
    });
  }

  function taFeeds(steps: number) {
    return {
      w: Array.from({ length: 5 }, (_r, i) => Array.from({ length: 5 }, (_c, j) => Math.cos(i * 5 + j) / 2)),
      xs: Array.from({ length: steps }, (_t, t) =>
        Array.from({ length: 2 }, (_b, b) => Array.from({ length: 5 }, (_c, c) => Math.sin(t + 2 * b + c))),
      ),
    };
  }

  test('a whileLoop writing a TensorArray: buffers stay on the device, read-backs and uploads do not grow', async () => {
    const stats: TransferStats[] = [];
    for (const steps of [5, 20]) {
      const { g, w, xs, stacked, last, h } = taLoop(steps);
      const f = taFeeds(steps);
      const feed = { [w.name]: f.w, [xs.name]: f.xs };
      const cpu = new tf.Session({ graph: g });
      const gpu = gpuSession(g, mode);
      const expected = cpu.run([stacked, last, h], feed);
      await gpu.runAsync([stacked, last, h], feed);
      const before = gpu.transferStats;
      const got = await gpu.runAsync([stacked, last, h], feed);
      const d = delta(before, gpu.transferStats);
      got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `TensorArray loop ${steps} ${k}`));
      // Two feeds up, three fetches back: nothing per iteration (indices are baked into the kernels).
      expect(d.uploads).toBe(2);
      expect(d.downloads).toBe(3);
      expect(d.downloadedElements).toBe(steps * 10 + 10 + 10);
      stats.push(d);
      gpu.close();
      cpu.close();
    }
    expect(stats[1]?.downloads).toBe(stats[0]?.downloads);
    expect(stats[1]?.uploads).toBe(stats[0]?.uploads);
  });

  test('TensorArray ops on the device: dynamic growth, gather, concat, scatter and TF1 errors as on the CPU', async () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [3, 2], 'x');
      let ta = new tf.TensorArray(tf.float32, { size: 1, dynamicSize: true });
      ta = ta
        .write(0, tf.multiply(x, 2))
        .write(3, tf.exp(x))
        .scatter([1, 2], tf.stack([x, tf.negative(x)]));
      const sparse = new tf.TensorArray(tf.float32, 4).scatter([3, 1], tf.stack([x, tf.square(x)]));
      const twice = new tf.TensorArray(tf.float32, 2).write(0, x).write(0, x);
      const unread = new tf.TensorArray(tf.float32, 2).write(0, x).read(1);
      return {
        x,
        stack: ta.stack(),
        concat: ta.concat(),
        gathered: ta.gather([3, 0, 0]),
        size: ta.size(),
        read: sparse.read(1),
        sparseGather: sparse.gather([3, 1]),
        twice: twice.stack(),
        unread,
      };
    });
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    const feed = {
      [t.x.name]: [
        [1, -2],
        [0.5, 3],
        [-1, 0.25],
      ],
    };
    const fetches = [t.stack, t.concat, t.gathered, t.size, t.read, t.sparseGather];
    const expected = cpu.run(fetches, feed);
    const got = await gpu.runAsync(fetches, feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-5, `TensorArray fetch ${k}`));
    expect(Array.from(got[3]?.data ?? [])).toEqual([4]);
    // Independent check of the stack: rows 2x, x, -x, exp(x).
    const xv = [1, -2, 0.5, 3, -1, 0.25];
    const rows = [xv.map((v) => 2 * v), xv, xv.map((v) => -v), xv.map(Math.exp)].flat();
    Array.from(got[0]?.data ?? []).forEach((v, k) => expect(v).toBeCloseTo(rows[k] as number, 5));
    for (const bad of [t.twice, t.unread]) {
      let cpuError = '';
      try {
        cpu.run(bad, feed);
      } catch (e) {
        cpuError = (e as Error).message.split('\n')[0] as string;
      }
      expect(cpuError).not.toBe('');
      await expect(gpu.runAsync(bad, feed)).rejects.toThrow(cpuError.replace(/\s*\[\[.*$/, ''));
    }
    gpu.close();
    cpu.close();
  });

  test('mapFn and scan (stacked While outputs): float ones on the device, int32 ones on the host, equal to the CPU', async () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [6, 3], 'x');
      const squares = tf.mapFn((r: tf.Tensor) => tf.reduceSum(tf.square(r)), x);
      // int32 outputs: one computed on the device (an argmax), one on the host (a size).
      const argmax = tf.mapFn((r: tf.Tensor) => tf.argmax(r, 0, { outputType: tf.int32 }), x, {
        dtype: tf.int32,
      });
      const sizes = tf.mapFn((r: tf.Tensor) => tf.add(tf.size(r), 1), x, { dtype: tf.int32 });
      const sums = tf.scan((a: tf.Tensor, r: tf.Tensor) => tf.add(a, r), x);
      return {
        x,
        squares: squares as tf.Tensor,
        argmax: argmax as tf.Tensor,
        sizes: sizes as tf.Tensor,
        sums: sums as tf.Tensor,
      };
    });
    const xv = Array.from({ length: 6 }, (_r, i) =>
      Array.from({ length: 3 }, (_c, j) => Math.sin(3 * i + j)),
    );
    const feed = { [t.x.name]: xv };
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    const fetches = [t.squares, t.argmax, t.sums, t.sizes];
    const expected = cpu.run(fetches, feed);
    await gpu.runAsync(fetches, feed);
    const before = gpu.transferStats;
    const got = await gpu.runAsync(fetches, feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-5, `mapFn/scan ${k}`));
    // Independent values: row sums of squares, and running sums.
    xv.forEach((r, i) =>
      expect(got[0]?.data[i]).toBeCloseTo(
        r.reduce((s, v) => s + v * v, 0),
        5,
      ),
    );
    expect(got[2]?.data[17]).toBeCloseTo(
      xv.reduce((s, r) => s + (r[2] as number), 0),
      5,
    );
    xv.forEach((r, i) => expect(got[1]?.data[i]).toBe(r.indexOf(Math.max(...r))));
    expect(Array.from(got[3]?.data ?? [])).toEqual([4, 4, 4, 4, 4, 4]);
    // Only the fetches come back (the host-computed sizes are on the host already).
    const d = delta(before, gpu.transferStats);
    expect(d.downloads).toBe(3);
    expect(d.downloadedElements).toBe(6 + 6 + 18);
    gpu.close();
    cpu.close();
  });

  test('long lists: 231 stacked iterations (chunks of chunks) and a gather of 40 scattered rows', async () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [231, 2], 'x');
      const doubled = tf.mapFn((r: tf.Tensor) => tf.multiply(r, 2), x) as tf.Tensor;
      const rows = tf.slice(x, [0, 0], [40, 2]);
      const reversed = Array.from({ length: 40 }, (_v, i) => (i % 2 === 0 ? 39 - i : i));
      const picked = new tf.TensorArray(tf.float32, 40).unstack(rows).gather(reversed);
      return { x, doubled, picked, reversed };
    });
    const xv = Array.from({ length: 231 }, (_r, i) => [i, -i / 7]);
    const gpu = gpuSession(g, mode);
    const [doubled, picked] = await gpu.runAsync([t.doubled, t.picked], { [t.x.name]: xv });
    expect(Array.from(doubled?.data ?? [])).toEqual(
      xv.flatMap(([a, b]) => [2 * (a as number), 2 * Math.fround(b as number)]),
    );
    const want = t.reversed.flatMap((i) => xv[i] as number[]);
    Array.from(picked?.data ?? []).forEach((v, k) => expect(v).toBeCloseTo(want[k] as number, 5));
    gpu.close();
  });

  test("a differentiated dynamicRnn gives the CPU backend's loss and input gradient", () => {
    const g = new tf.Graph();
    const t = g.asDefault(() => {
      tf.setRandomSeed(3);
      const x = tf.placeholder(tf.float32, [2, 4, 3], 'x');
      const [out] = tf.nn.dynamicRnn(new tf.nn.rnnCell.BasicRNNCell(4), x, { dtype: 'float32' });
      const loss = tf.reduceSum(tf.square(out));
      const [dx] = tf.gradients(loss, [x]);
      return { x, loss, dx: dx as tf.Tensor, init: tf.globalVariablesInitializer() };
    });
    const cpu = new tf.Session({ graph: g });
    const gpu = gpuSession(g, mode);
    cpu.run(t.init);
    const vars = g.getCollection(tf.GraphKeys.GLOBAL_VARIABLES) as tf.Variable[];
    const values = cpu.run(vars.map((v) => v.value()));
    gpu.run(vars.map((v, k) => v.assign(values[k] as NDArray)));
    const xv = Array.from({ length: 2 }, (_b, b) =>
      Array.from({ length: 4 }, (_s, s) => Array.from({ length: 3 }, (_d, d) => Math.cos(b + s + d))),
    );
    const feed = { [t.x.name]: xv };
    const expected = cpu.run([t.loss, t.dx], feed);
    const got = gpu.run([t.loss, t.dx], feed);
    got.forEach((a, k) => expectNear(a, expected[k] as NDArray, 1e-4, `gradient run ${k}`));
    gpu.close();
    cpu.close();
  });
});
