/**
 * CPU devices on worker threads (SPEC §9, issue 17): ops pinned with tf.device('/cpu:N') run on device
 * N's thread, values cross devices as transfers, results equal the one-device run, a failure anywhere
 * leaves every variable unchanged, and a traced run shows the devices' steps overlapping in time.
 */
import * as tf from '../../src';
import { stopDeviceThreads } from '../../src/session/devices/threads';

jest.setTimeout(60_000);

afterAll(() => stopDeviceThreads());

beforeEach(() => tf.resetDefaultGraph());

const close = (a: tf.NDArray, b: tf.NDArray, tol = 1e-6): void => {
  expect(a.shape).toEqual(b.shape);
  const x = Array.from(a.data);
  const y = Array.from(b.data);
  x.forEach((v, i) =>
    expect(Math.abs(v - (y[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))),
  );
};

/** Seeded data for a small regression model, computed here (not by the library). */
function data(rows: number, cols: number, seed: number): number[][] {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, next));
}

/** N towers over a split batch sharing W1/W2; returns the loss and the averaged gradients. */
function towerGraph(towers: number) {
  const x = tf.placeholder('float32', [12, 5], 'x');
  const y = tf.placeholder('float32', [12, 2], 'y');
  const W1 = new tf.Variable(data(5, 8, 1), { name: 'W1' });
  const W2 = new tf.Variable(data(8, 2, 2), { name: 'W2' });
  const xs = tf.split(x, towers, 0);
  const ys = tf.split(y, towers, 0);
  const losses: tf.Tensor[] = [];
  const grads: tf.Tensor[][] = [];
  for (let i = 0; i < towers; i++) {
    tf.device(`/cpu:${i}`, () =>
      tf.nameScope(`tower_${i}`, () => {
        const h = tf.nn.relu(tf.matmul(xs[i] as tf.Tensor, W1));
        const out = tf.matmul(h, W2);
        const loss = tf.reduceMean(tf.square(tf.subtract(out, ys[i] as tf.Tensor)));
        losses.push(loss);
        grads.push(tf.gradients(loss, [W1, W2]) as tf.Tensor[]);
      }),
    );
  }
  const avg = (k: number) => tf.reduceMean(tf.stack(grads.map((g) => g[k] as tf.Tensor)), 0);
  const loss = tf.reduceMean(tf.stack(losses));
  return { x, y, W1, W2, loss, g1: avg(0), g2: avg(1) };
}

describe('CPU devices', () => {
  test('listDevices names TF1 device names; cpuDevices is checked', () => {
    const sess = new tf.Session({ cpuDevices: 3 });
    const devices = sess.listDevices();
    expect(devices.map((d) => d.name)).toEqual([
      '/job:localhost/replica:0/task:0/device:CPU:0',
      '/job:localhost/replica:0/task:0/device:CPU:1',
      '/job:localhost/replica:0/task:0/device:CPU:2',
    ]);
    expect(devices.every((d) => d.deviceType === 'CPU')).toBe(true);
    expect(new tf.Session({ cpuDevices: 1 }).listDevices()).toHaveLength(1);
    expect(() => new tf.Session({ cpuDevices: 0 })).toThrow(/'cpuDevices' must be an integer/);
    expect(() => new tf.Session({ cpuDevices: 2.5 })).toThrow(TypeError);
    expect(
      () => new tf.Session({ cpuDevices: 2, backend: tf.createCpuBackend({ float64: true }) }),
    ).not.toThrow();
    // A backend with kernels of its own cannot be loaded by device threads.
    const own = { ...tf.createCpuBackend(), threadDevices: undefined };
    expect(() => new tf.Session({ cpuDevices: 2, backend: own })).toThrow(/needs the library's CPU backend/);
    expect(new tf.Session({ backend: own }).listDevices()).toHaveLength(1);
    expect(() => new tf.Session({ cpuDevices: 2, backend: 'gpu' })).toThrow(TypeError);
    sess.close();
    expect(() => sess.listDevices()).toThrow('Attempted to use a closed Session.');
  });

  test("TF1's ConfigProto: deviceCount, logDevicePlacement, allowSoftPlacement, gpuOptions", () => {
    const y = tf.device('/cpu:5', () => tf.add(tf.constant(1), 2, 'far'));
    // TF1's default allowSoftPlacement=false: a missing device is an error naming the op and the devices.
    const strict = new tf.Session({ config: new tf.ConfigProto({ deviceCount: { CPU: 2 } }) });
    expect(strict.listDevices()).toHaveLength(2);
    expect(() => strict.run(y)).toThrow(
      /Cannot assign a device for operation far: Could not satisfy explicit device specification '\/cpu:5'.*available devices: \/job:localhost\/replica:0\/task:0\/device:CPU:0, \/job:localhost\/replica:0\/task:0\/device:CPU:1/,
    );
    // TF1 programs set fields after construction.
    const config = new tf.ConfigProto({ device_count: { CPU: 3 } } as never);
    config.allowSoftPlacement = true;
    config.gpuOptions.allowGrowth = true;
    const soft = new tf.Session({ config });
    expect(soft.listDevices()).toHaveLength(3);
    expect(soft.run(y).item()).toBe(3);
    expect(() => new tf.ConfigProto({ deviceCount: { CPU: 0 } })).toThrow(/at least 1/);
    expect(() => new tf.ConfigProto({ deviceCount: { TPU: 1 } as never })).toThrow(
      /unexpected keyword argument 'TPU'/,
    );
    expect(() => new tf.ConfigProto({ interOpParallelismThreads: 4 })).toThrow(/CPU devices/);
    expect(() => new tf.GPUOptions({ perProcessGpuMemoryFraction: 0.5 })).toThrow(/not supported/);
    expect(
      () => new tf.Session({ cpuDevices: 2, config: new tf.ConfigProto({ deviceCount: { CPU: 3 } }) }),
    ).toThrow(/disagree/);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const s = new tf.Session({
        config: new tf.ConfigProto({ logDevicePlacement: true, allowSoftPlacement: true }),
      });
      s.run(y);
      expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /far: \((Add|AddV2|Const)\): .*CPU:0 \(soft placement/,
      );
    } finally {
      log.mockRestore();
    }
  });

  test("tf.client.deviceLib.listLocalDevices() lists a default session's devices", () => {
    const local = tf.client.deviceLib.listLocalDevices();
    expect(local.map((d) => d.name)).toEqual(new tf.Session().listDevices().map((d) => d.name));
    expect(local.every((d) => d.deviceType === 'CPU')).toBe(true);
    expect(local[0]?.name).toBe('/job:localhost/replica:0/task:0/device:CPU:0');
  });

  test('N towers on N devices give the one-device losses and gradients (N = 2, 3)', () => {
    const xv = data(12, 5, 3);
    const yv = data(12, 2, 4);
    for (const towers of [2, 3]) {
      tf.resetDefaultGraph();
      const m = towerGraph(towers);
      const feed = new Map<tf.Tensor, number[][]>([
        [m.x, xv],
        [m.y, yv],
      ]);
      const single = new tf.Session({ cpuDevices: 1 });
      const multi = new tf.Session({ cpuDevices: towers });
      for (const s of [single, multi]) s.run(tf.globalVariablesInitializer());
      const plan = multi.plan([m.loss, m.g1, m.g2], feed).toString();
      expect(plan).toMatch(new RegExp(`MatMul 'tower_${towers - 1}/MatMul' @/cpu:${towers - 1}`));
      expect(plan).toMatch(/send %\d+ -> \/cpu:0/);
      const a = single.run([m.loss, m.g1, m.g2], feed);
      const b = multi.run([m.loss, m.g1, m.g2], feed);
      a.forEach((v, i) => close(v, b[i] as tf.NDArray));
      // And the same again (cached programs on the device threads).
      multi.run([m.loss, m.g1, m.g2], feed).forEach((v, i) => close(v, a[i] as tf.NDArray));
    }
  });

  test('the towers average to the full-batch gradient (independent: one tower over the whole batch)', () => {
    const xv = data(12, 5, 5);
    const yv = data(12, 2, 6);
    const m = towerGraph(2);
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    const [g1, g2] = sess.run(
      [m.g1, m.g2],
      [
        [m.x, xv],
        [m.y, yv],
      ],
    );
    tf.resetDefaultGraph();
    const whole = towerGraph(1);
    const one = new tf.Session({ cpuDevices: 1 });
    one.run(tf.globalVariablesInitializer());
    const [w1, w2] = one.run(
      [whole.g1, whole.g2],
      [
        [whole.x, xv],
        [whole.y, yv],
      ],
    );
    close(g1, w1, 1e-5);
    close(g2, w2, 1e-5);
  });

  test('a model split across /cpu:0 and /cpu:1, chains through /cpu:2, and training steps match', () => {
    const x = tf.placeholder('float32', [4, 3], 'x');
    const W = new tf.Variable(data(3, 3, 7), { name: 'W' });
    const h1 = tf.device('/cpu:1', () => tf.tanh(tf.matmul(x, W)));
    const h2 = tf.device('/cpu:2', () => tf.sigmoid(tf.matmul(h1, W))); // /cpu:1 → /cpu:2 via /cpu:0
    const loss = tf.device('/cpu:0', () => tf.reduceSum(tf.square(h2)));
    const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss);
    const feed = { 'x:0': data(4, 3, 8) };
    const results = [1, 3].map((n) => {
      const s = new tf.Session({ cpuDevices: n });
      s.run(tf.globalVariablesInitializer());
      for (let i = 0; i < 3; i++) s.run(train, feed);
      return s.run([loss, W], feed);
    });
    close(results[0]![0], results[1]![0]);
    close(results[0]![1], results[1]![1]);
  });

  test('CSE and fusion keep ops of different devices apart (no tower waits for another)', () => {
    const x = tf.placeholder('float32', [4], 'x');
    const t0 = tf.device('/cpu:0', () => tf.exp(tf.multiply(x, tf.constant(3, 'float32', [], 'three0'))));
    const t1 = tf.device('/cpu:1', () => tf.exp(tf.multiply(x, tf.constant(3, 'float32', [], 'three1'))));
    const sess = new tf.Session({ cpuDevices: 2 });
    const plan = sess.plan([t0, t1], { 'x:0': [1, 2, 3, 4] }).toString();
    // Identical ops on one device would be merged (CSE); here each device keeps its own.
    expect(plan.match(/@\/cpu:1/g)?.length).toBeGreaterThan(0);
    expect(plan.match(/@\/cpu:0/g)?.length).toBeGreaterThan(0);
    const [a, b] = sess.run([t0, t1], { 'x:0': [1, 2, 3, 4] });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    Array.from(a.data).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(3 * (i + 1)), 0));
  });

  test('the float64 reference mode computes in float64 on every device', () => {
    // 1 + 1e-8 is 1 in float32 but not in float64: a float32 device would lose the difference.
    const x = tf.placeholder('float32', [2], 'x');
    const y = tf.device('/cpu:1', () => tf.subtract(tf.add(x, 1e-8), x));
    const sess = new tf.Session({ cpuDevices: 2, backend: tf.createCpuBackend({ float64: true }) });
    expect(sess.plan(y, { 'x:0': [1, 1] }).toString()).toMatch(/@\/cpu:1/);
    const v = sess.run(y, { 'x:0': [1, 1] });
    expect(v.data).toBeInstanceOf(Float64Array);
    expect(v.data[0]).toBeCloseTo(1e-8, 12);
  });

  test('reads of a variable on another device see an assignment ordered before them', () => {
    const v = new tf.Variable(1, { name: 'v' });
    const a = v.assign(5);
    const r = tf.controlDependencies([a], () => tf.device('/cpu:1', () => tf.multiply(v, 2)));
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    expect(sess.run(r).item()).toBe(10);
  });

  test('a control dependency on an op of another device orders an assignment after it', () => {
    const v = new tf.Variable(0, { name: 'v' });
    const work = tf.device('/cpu:1', () => tf.reduceSum(tf.ones([50, 50])));
    const upd = tf.controlDependencies([work.op], () => v.assignAdd(1));
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    expect(sess.plan(upd).toString()).toMatch(/send token -> \/cpu:0/);
    sess.run(upd);
    sess.run(upd);
    expect(sess.run(v).item()).toBe(2);
    // An Operation fetched on a worker device runs there.
    expect(sess.run(work.op)).toBeNull();
  });

  test('a failure on a worker device names the node and leaves every variable unchanged', () => {
    const x = tf.placeholder('float32', [null], 'x');
    const v = new tf.Variable(1, { name: 'v' });
    const bad = tf.device('/cpu:1', () => tf.reshape(x, [2, 2], 'reshape_on_cpu1'));
    const upd = v.assignAdd(100);
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    let err: Error | undefined;
    try {
      sess.run([upd, bad], { 'x:0': [1, 2, 3] });
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(tf.InvalidArgumentError);
    expect(err?.message).toMatch(/reshape_on_cpu1/);
    expect(err?.message).toMatch(/devices\.test\.ts:\d+/);
    expect(sess.run(v).item()).toBe(1);
    // The devices recover: the next run works.
    expect(sess.run(bad, { 'x:0': [1, 2, 3, 4] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(sess.run([upd, bad], { 'x:0': [1, 2, 3, 4] })[0].item()).toBe(101);
    expect(sess.run(v).item()).toBe(101);
  });

  test('stateful ops pinned to a worker run on /cpu:0; unknown devices are soft-placed; both logged', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const r = tf.device('/cpu:1', () => tf.randomUniform([3], 0, 1, 'float32', 5, 'draw'));
      const y = tf.device('/cpu:7', () => tf.add(r, 1, 'on_missing_device'));
      const z = tf.device('/cpu:1', () => tf.multiply(y, 2, 'doubled'));
      const sess = new tf.Session({ cpuDevices: 2, logDevicePlacement: true });
      const [rv, zv] = sess.run([r, z]);
      Array.from(zv.data).forEach((v, i) => expect(v).toBeCloseTo(2 * ((rv.data[i] as number) + 1), 6));
      const text = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(text).toMatch(
        /draw: \(RandomUniform\): \/job:localhost\/replica:0\/task:0\/device:CPU:0 \(stateful/,
      );
      expect(text).toMatch(
        /on_missing_device: \(AddV2|Add\): .*device:CPU:0 \(soft placement: \/cpu:7 does not exist/,
      );
      expect(text).toMatch(/doubled: \(Mul\): \/job:localhost\/replica:0\/task:0\/device:CPU:1$/m);
    } finally {
      log.mockRestore();
    }
  });

  test('runAsync runs on the devices too, one run after another', async () => {
    const v = new tf.Variable(0, { name: 'counter' });
    const inc = tf.device('/cpu:1', () => tf.add(v, 1));
    const upd = v.assign(inc);
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    await Promise.all(Array.from({ length: 10 }, () => sess.runAsync(upd)));
    expect(sess.run(v).item()).toBe(10);
  });

  test('a traced run records each device and the towers overlap in time', () => {
    // A variable, not a constant: constant folding would compute the towers at compile time.
    const a = new tf.Variable(data(160, 160, 9), { name: 'a' });
    const chain = (x: tf.Tensor) => {
      let h = x;
      for (let i = 0; i < 6; i++) h = tf.tanh(tf.matmul(h, a));
      return tf.reduceSum(h);
    };
    const t0 = tf.device('/cpu:0', () => chain(tf.multiply(a, 0.01)));
    const t1 = tf.device('/cpu:1', () => chain(tf.multiply(a, 0.02)));
    const total = tf.add(t0, t1);
    const sess = new tf.Session({ cpuDevices: 2 });
    sess.run(tf.globalVariablesInitializer());
    const options = new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE });
    let overlapped = false;
    for (let attempt = 0; attempt < 5 && !overlapped; attempt++) {
      const meta = new tf.RunMetadata();
      sess.run(total, null, options, meta);
      const devs = meta.stepStats.devStats;
      expect(devs.map((d) => d.device)).toEqual([
        '/job:localhost/replica:0/task:0/device:CPU:0',
        '/job:localhost/replica:0/task:0/device:CPU:1',
      ]);
      const span = (d: tf.DeviceStepStats, type: string) => {
        const mm = d.nodeStats.filter((n) => n.timelineLabel.includes(`= ${type}(`));
        expect(mm.length).toBeGreaterThan(0);
        return [
          Math.min(...mm.map((n) => n.allStartMicros)),
          Math.max(...mm.map((n) => n.allStartMicros + n.allEndRelMicros)),
        ];
      };
      const [s0, e0] = span(devs[0]!, 'MatMul');
      const [s1, e1] = span(devs[1]!, 'MatMul');
      overlapped = s0! < e1! && s1! < e0!;
    }
    expect(overlapped).toBe(true);
  });

  test('tf.client.timeline.Timeline turns a traced run into a Chrome trace (a process per device)', () => {
    const x = tf.placeholder('float32', [3, 3], 'x');
    const a = tf.device('/cpu:1', () => tf.matmul(x, x, false, false, 'mm1'));
    const b = tf.add(a, 1, 'plus');
    const sess = new tf.Session({ cpuDevices: 2 });
    const meta = new tf.RunMetadata();
    sess.run(b, { 'x:0': data(3, 3, 1) }, new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE }), meta);
    const json = JSON.parse(new tf.client.timeline.Timeline(meta.stepStats).generateChromeTraceFormat()) as {
      traceEvents: tf.client.ChromeTraceEvent[];
    };
    const procs = json.traceEvents.filter((e) => e.ph === 'M').map((e) => e.args.name);
    expect(procs).toEqual([
      '/job:localhost/replica:0/task:0/device:CPU:0 Compute',
      '/job:localhost/replica:0/task:0/device:CPU:1 Compute',
    ]);
    const mm = json.traceEvents.find((e) => e.args.name === 'mm1');
    expect(mm).toMatchObject({ ph: 'X', name: 'MatMul', pid: 1 });
    expect(json.traceEvents.find((e) => e.args.name === 'plus')?.pid).toBe(0);
    expect(() =>
      new tf.client.timeline.Timeline(meta.stepStats).generateChromeTraceFormat({ showMemory: true }),
    ).toThrow(TypeError);
    // TF1's positional form generate_chrome_trace_format(show_dataflow, show_memory).
    const tl = new tf.client.timeline.Timeline(meta.stepStats);
    expect(tl.generateChromeTraceFormat(false, false)).toBe(
      tl.generateChromeTraceFormat({ show_dataflow: false } as never),
    );
    expect(() => tl.generateChromeTraceFormat(true, true)).toThrow(/showMemory is not supported/);
    expect(() => tl.generateChromeTraceFormat({ bogus: 1 } as never)).toThrow(
      /unexpected keyword argument 'bogus'/,
    );
  });

  test('one-device runs are traced too; RunOptions is checked', () => {
    const y = tf.add(tf.constant(1), 2, 'y');
    const sess = new tf.Session({ cpuDevices: 1 });
    const meta = new tf.RunMetadata();
    sess.run(y, null, { traceLevel: 'FULL_TRACE' }, meta);
    expect(meta.stepStats.devStats).toHaveLength(1);
    expect(meta.stepStats.devStats[0]!.nodeStats.map((n) => n.nodeName)).toContain('y');
    sess.run(y, null, null, meta);
    expect(meta.stepStats.devStats).toEqual([]);
    expect(() => new tf.RunOptions({ traceLevel: 9 })).toThrow(TypeError);
    expect(() => new tf.RunOptions({ timeoutInMs: 5 } as never)).toThrow(/'timeoutInMs' is not supported/);
  });
});
