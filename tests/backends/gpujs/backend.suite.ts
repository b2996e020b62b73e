import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { createGpuBackend, GpuBackend, GpuMode } from '../../../src/backends/gpujs';
import { chooseMode, probeWebGPU } from '../../../src/backends/gpujs/modes';
import { GpuTensor } from '../../../src/backends/gpujs/tensor';
import { randomArray } from '../../helpers/gradcheck';
import { expectNear } from './gpu_env';

/**
 * The GPU backend's own guarantees: elementwise fusion, kernel caching, device residency (feeds uploaded
 * once, variables on the device, only fetches read back), bounded device memory, placement with
 * tf.device and declared host ops, the asynchronous path, mode choice and errors.
 */
const f32 = (shape: number[], seed: number, lo = -1, hi = 1) => {
  const a = randomArray(shape, seed, lo, hi);
  return new NDArray(Float32Array.from(a.data), shape, 'float32');
};

/** A chain of 10 elementwise ops on x (every intermediate read only by the next op). */
function chain10(x: tf.Tensor): tf.Tensor {
  let y = tf.add(x, 1); // 1
  y = tf.multiply(y, 0.5); // 2
  y = tf.tanh(y); // 3
  y = tf.square(y); // 4
  y = tf.exp(tf.negative(y)); // 5, 6
  y = tf.sigmoid(y); // 7
  y = tf.subtract(y, 0.25); // 8
  y = tf.abs(y); // 9
  return tf.sqrt(y); // 10
}

export function backendSuite(mode: GpuMode): void {
  let g: tf.Graph;
  beforeEach(() => {
    g = new tf.Graph();
  });

  describe('elementwise fusion and kernel caching', () => {
    test('a 10-op elementwise chain compiles to one kernel, equal to the unfused plan and the CPU', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [null, 5], 'x');
        const y = chain10(x);
        const feed = { x: f32([4, 5], 1) };
        const backend = createGpuBackend({ mode });
        const fused = new tf.Session({ graph: g, backend });
        const plan = fused.plan(y, feed);
        const steps = plan.steps;
        // The plan: upload x, then one fused kernel (the scalar constants became literals in it).
        expect(steps.map((s) => s.op.type)).toEqual(['_HostToDevice', 'FusedElementwise']);
        expect(steps[1]?.op.attrs.fused_ops).toEqual([
          'Add',
          'Mul',
          'Tanh',
          'Square',
          'Neg',
          'Exp',
          'Sigmoid',
          'Sub',
          'Abs',
          'Sqrt',
        ]);
        expect(plan.toString()).toContain('1 fused kernels');

        const before = backend.rt.stats.launches;
        const a = fused.run(y, feed);
        expect(backend.rt.stats.launches - before).toBe(1);

        const unfused = new tf.Session({ graph: g, backend: createGpuBackend({ mode, fuse: false }) });
        const unfusedPlan = unfused.plan(y, feed);
        expect(unfusedPlan.steps.filter((s) => s.op.type === 'FusedElementwise').length).toBe(0);
        const b = unfused.run(y, feed);
        expectNear(a, b, 1e-5, 'fused vs unfused');
        expectNear(a, new tf.Session({ graph: g }).run(y, feed), 1e-4, 'fused vs CPU');
        fused.close();
        unfused.close();
      });
    });

    test('an intermediate that is fetched (or read elsewhere) ends a fused group', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [3], 'x');
        const a = tf.exp(tf.add(x, 1));
        const b = tf.multiply(tf.sqrt(tf.abs(a)), 2);
        const c = tf.matmul(tf.reshape(a, [1, 3]), tf.ones([3, 1]));
        const sess = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
        const feed = { x: [0.5, -1, 2] };
        const steps = sess.plan([b, c], feed).steps;
        const groups = steps
          .filter((s) => s.op.type === 'FusedElementwise')
          .map((s) => (s.op.attrs.fused_ops as string[]).join('+'));
        // `a` is read by both b's chain and the matmul: Add+Exp and Abs+Sqrt+Mul stay separate groups.
        expect(groups).toEqual(['Add+Exp', 'Abs+Sqrt+Mul']);
        const [vb, vc] = sess.run([b, c], feed);
        const cpu = new tf.Session({ graph: g }).run([b, c], feed);
        expectNear(vb, cpu[0], 1e-4, 'b');
        expectNear(vc, cpu[1], 1e-4, 'c');
        sess.close();
      });
    });

    test('with static shapes, kernels are compiled with the plan: the first run compiles nothing', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [13, 11], 'x');
        const W = new tf.Variable(f32([11, 9], 12), { name: 'W' });
        const y = tf.nn.logSoftmax(tf.add(tf.matmul(tf.sigmoid(x), W), 0.5));
        const loss = tf.reduceSum(tf.multiply(y, y));
        const [dW] = tf.gradients(loss, [W]);
        const backend = createGpuBackend({ mode });
        const sess = new tf.Session({ graph: g, backend });
        sess.run(tf.globalVariablesInitializer());
        const feed = { x: f32([13, 11], 13) };
        const before = backend.rt.stats.compiled;
        sess.plan([loss, dW as tf.Tensor], feed);
        expect(backend.rt.stats.compiled).toBeGreaterThan(before);
        const planned = backend.rt.stats.compiled;
        const got = sess.run([loss, dW as tf.Tensor], feed);
        expect(backend.rt.stats.compiled).toBe(planned);
        const cpu = new tf.Session({ graph: g });
        cpu.run(tf.globalVariablesInitializer());
        const want = cpu.run([loss, dW as tf.Tensor], feed);
        expectNear(got[0], want[0], 1e-4, 'loss');
        expectNear(got[1], want[1], 1e-4, 'dW');
        sess.close();
      });
    });

    test('kernels are compiled by the first run only; the second run compiles nothing', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [null, 7], 'x');
        const W = new tf.Variable(f32([7, 3], 2), { name: 'W' });
        const y = tf.nn.softmax(tf.matmul(tf.tanh(x), W));
        const loss = tf.reduceMean(tf.reduceSum(tf.square(y), 1));
        const [dW] = tf.gradients(loss, [W]);
        const backend = createGpuBackend({ mode });
        const sess = new tf.Session({ graph: g, backend });
        sess.run(tf.globalVariablesInitializer());
        sess.run([loss, dW as tf.Tensor], { x: f32([6, 7], 3) });
        const compiled = backend.rt.stats.compiled;
        sess.run([loss, dW as tf.Tensor], { x: f32([6, 7], 4) });
        expect(backend.rt.stats.compiled).toBe(compiled);
        sess.close();
      });
    });
  });

  describe('device residency', () => {
    test('feeds are uploaded once per run, variables stay on the device, only fetches are read back', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [2, 3], 'x');
        const v = new tf.Variable(f32([2, 3], 5), { name: 'v' });
        const y = tf.add(tf.multiply(x, v), tf.matmul(x, tf.transpose(x)).mean());
        const z = tf.reduceSum(tf.exp(x));
        const backend = createGpuBackend({ mode });
        const sess = new tf.Session({ graph: g, backend });
        sess.run(tf.globalVariablesInitializer());
        const stored = (sess as unknown as { variables: Map<tf.Operation, unknown> }).variables.get(v.op);
        expect(stored).toBeInstanceOf(GpuTensor);
        const { uploads, downloads } = backend.rt.stats;
        const feed = { x: f32([2, 3], 6) };
        const [ry, rz] = sess.run([y, z], feed);
        expect(backend.rt.stats.uploads - uploads).toBe(1); // x only: the constants and v are resident
        expect(backend.rt.stats.downloads - downloads).toBe(2); // the two fetches
        const cpu = new tf.Session({ graph: g });
        cpu.run(tf.globalVariablesInitializer());
        const [cy, cz] = cpu.run([y, z], feed);
        expectNear(ry, cy, 1e-4, 'y');
        expectNear(rz, cz, 1e-4, 'z');
        sess.close();
      });
    });

    test('training: repeated runs do not grow device memory, and close() releases everything', () => {
      g.asDefault(() => {
        tf.setRandomSeed(7);
        const x = tf.placeholder('float32', [null, 20], 'x');
        const labels = tf.placeholder('int32', [null], 'labels');
        const h = tf.nn.relu(tf.matmul(x, new tf.Variable(tf.randomNormal([20, 16], { stddev: 0.3 }))));
        const logits = tf.matmul(h, new tf.Variable(tf.randomNormal([16, 4], { stddev: 0.3 })));
        const loss = tf.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }));
        const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss);
        const backend = createGpuBackend({ mode });
        const rt = backend.rt;
        const baseBuffers = rt.live.buffers;
        const sess = new tf.Session({ graph: g, backend });
        const cpu = new tf.Session({ graph: g });
        sess.run(tf.globalVariablesInitializer());
        cpu.run(tf.globalVariablesInitializer());
        const feed = {
          x: f32([32, 20], 8),
          labels: tf.ndarray(
            Int32Array.from({ length: 32 }, (_v, i) => i % 4),
            [32],
            'int32',
          ),
        };
        const marks: { buffers: number; bytes: number; textures: number | undefined }[] = [];
        let gpuLoss = 0;
        let cpuLoss = 0;
        for (let step = 0; step < 12; step++) {
          gpuLoss = sess.run([loss, train], feed)[0].item() as number;
          cpuLoss = cpu.run([loss, train], feed)[0].item() as number;
          marks.push({ buffers: rt.live.buffers, bytes: rt.live.bytes, textures: rt.deviceTextures });
        }
        expect(Math.abs(gpuLoss - cpuLoss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpuLoss)));
        // After the first runs (kernels compiled), memory stays flat run after run.
        expect(marks[11]).toEqual(marks[2]);
        // Between runs only the session's variables (and cached constants) are held.
        expect(rt.live.buffers - baseBuffers).toBeLessThanOrEqual(8);
        sess.close();
        expect(rt.live.buffers).toBe(baseBuffers);
        expect(() => sess.run(loss, feed)).toThrow('Attempted to use a closed Session.');
      });
    });

    test('a failed run leaks no device memory and changes no variable', () => {
      g.asDefault(() => {
        const v = new tf.Variable([1, 2, 3], { name: 'v' });
        const idx = tf.placeholder('int32', [2], 'idx');
        const bump = v.assign(tf.add(v, 10));
        const bad = tf.gather(bump, idx);
        const backend = createGpuBackend({ mode });
        const sess = new tf.Session({ graph: g, backend });
        sess.run(v.initializer);
        expect(sess.run(bad, { idx: tf.ndarray(Int32Array.from([2, 0]), [2], 'int32') }).toArray()).toEqual([
          13, 11,
        ]);
        const live = backend.rt.live.buffers; // the variable and the session's cached constants
        expect(() => sess.run(bad, { idx: tf.ndarray(Int32Array.from([0, 7]), [2], 'int32') })).toThrow(
          'indices[1] = 7 is not in [0, 3)',
        );
        expect(backend.rt.live.buffers).toBe(live);
        expect(sess.run(v).toArray()).toEqual([11, 12, 13]);
        sess.close();
      });
    });
  });

  describe('placement', () => {
    test('an elementwise op pinned to the host whose formula ignores a device input (onesLike, tf.gradients default gradYs) runs', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [2, 3], 'x');
        const onDevice = tf.exp(x);
        const ones = tf.device('/cpu:0', () => tf.onesLike(onDevice));
        const loss = tf.reduceSum(tf.multiply(onDevice, onDevice));
        const [dx] = tf.device('/cpu:0', () => tf.gradients(loss, [x]));
        const sess = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
        const feed = { x: f32([2, 3], 4) };
        const [o, d] = sess.run([ones, dx as tf.Tensor], feed);
        expect(Array.from(o.data)).toEqual([1, 1, 1, 1, 1, 1]);
        expectNear(d, new tf.Session({ graph: g }).run(dx as tf.Tensor, feed), 1e-4, 'gradient');
        sess.close();
      });
    });

    test('tf.device mixes CPU and GPU ops, with transfers in the plan; log placement shows both', () => {
      g.asDefault(() => {
        const x = tf.placeholder('float32', [2, 3], 'x');
        const a = tf.exp(x, 'on_gpu');
        const b = tf.device('/cpu:0', () => tf.multiply(a, 2, 'on_cpu'));
        const c = tf.device('/gpu:0', () => tf.reduceSum(tf.add(b, x), 1, 'back_on_gpu'));
        const logs: string[] = [];
        const spy = jest.spyOn(console, 'log').mockImplementation((m: unknown) => void logs.push(String(m)));
        try {
          const sess = new tf.Session({
            graph: g,
            backend: createGpuBackend({ mode }),
            logDevicePlacement: true,
          });
          const feed = { x: f32([2, 3], 9) };
          const got = sess.run(c, feed);
          expectNear(got, new tf.Session({ graph: g }).run(c, feed), 1e-4, 'mixed devices');
          const steps = sess.plan(c, feed).steps;
          const where = (name: string) => steps.find((s) => s.op.name === name)?.device;
          expect(where('on_cpu')).toBe('/cpu:0');
          expect(steps.some((s) => s.op.type === '_DeviceToHost')).toBe(true);
          expect(steps.some((s) => s.op.type === '_HostToDevice')).toBe(true);
          sess.close();
        } finally {
          spy.mockRestore();
        }
        const log = logs.join('\n');
        expect(log).toMatch(
          /on_cpu: \(Mul\): \/job:localhost\/replica:0\/task:0\/device:CPU:0 \(placed with tf\.device\('\/cpu:0'\)\)/,
        );
        expect(log).toMatch(/on_gpu.*\/device:GPU:0/);
      });
    });

    test('int32 ops and random ops run on the host, declared; their results match the CPU backend', () => {
      g.asDefault(() => {
        tf.setRandomSeed(3);
        const n = tf.placeholder('int32', [3], 'n');
        const k = tf.add(tf.multiply(n, 3), 1, 'int_math');
        const r = tf.randomUniform([2, 3], { seed: 5, name: 'rand' });
        const y = tf.add(r, tf.cast(k, 'float32'));
        const sess = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
        const feed = { n: tf.ndarray(Int32Array.from([1, 2, 3]), [3], 'int32') };
        const steps = sess.plan([y, k], feed).steps;
        const step = (name: string) => steps.find((s) => s.op.name === name) as tf.PlanStep;
        expect(step('int_math').device).toBe('/cpu:0');
        expect(step('int_math').reason).toMatch(/int32/);
        expect(step('rand').reason).toMatch(/seeded host random stream/);
        const [gy, gk] = sess.run([y, k], feed);
        const [cy, ck] = new tf.Session({ graph: g }).run([y, k], feed);
        expect(gk.toArray()).toEqual(ck.toArray());
        expectNear(gy, cy, 1e-6, 'random + cast');
        sess.close();
      });
    });
  });

  describe('asynchronous path', () => {
    test('runAsync matches run; with asynchronous kernels, run explains that runAsync is needed', async () => {
      const x = g.asDefault(() => tf.placeholder('float32', [2, 4], 'x'));
      const y = g.asDefault(() => tf.nn.logSoftmax(tf.matmul(x, tf.transpose(x))));
      const feed = { x: f32([2, 4], 10) };
      const sync = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
      const asyncSess = new tf.Session({ graph: g, backend: createGpuBackend({ mode, asyncKernels: true }) });
      const a = sync.run(y, feed);
      expectNear(await sync.runAsync(y, feed), a, 1e-6, 'runAsync');
      expectNear(await asyncSess.runAsync(y, feed), a, 1e-5, 'asynchronous kernels');
      expect(() => asyncSess.run(y, feed)).toThrow(/use sess\.runAsync/);
      sync.close();
      asyncSess.close();
    });
  });

  describe('errors name the node', () => {
    test('run-time shape errors inside a fused group name the member op', () => {
      g.asDefault(() => {
        const a = tf.placeholder('float32', [null], 'a');
        const b = tf.placeholder('float32', [null], 'b');
        const y = tf.exp(tf.add(tf.multiply(a, 2), b, 'the_add'));
        const sess = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
        expect(() => sess.run(y, { a: [1, 2, 3], b: [1, 2] })).toThrow(
          /Incompatible shapes: \[3\] vs\. \[2\][\s\S]*the_add/,
        );
        sess.close();
      });
    });

    test('uninitialized variables and missing feeds give the TF1 messages', () => {
      g.asDefault(() => {
        const v = new tf.Variable([1, 2], { name: 'W' });
        const x = tf.placeholder('float32', [2], 'x');
        const sess = new tf.Session({ graph: g, backend: createGpuBackend({ mode }) });
        expect(() => sess.run(tf.add(v, 1))).toThrow('Attempting to use uninitialized value W');
        expect(() => sess.run(tf.add(x, 1))).toThrow("You must feed a value for placeholder tensor 'x'");
        sess.close();
      });
    });
  });
}

export function modeChoiceSuite(): void {
  describe('mode choice', () => {
    test('backendInfo says which gpu.js mode runs and why the better ones do not', async () => {
      await probeWebGPU();
      const sess = new tf.Session({ graph: new tf.Graph(), backend: 'gpu' });
      const info = sess.backendInfo;
      expect(info.backend).toBe('gpu');
      const mode = (sess as unknown as { backend: GpuBackend }).backend.mode;
      expect(info.reason).toContain(`gpu.js mode '${mode}'`);
      // Every better mode is listed with the reason it is unavailable.
      const better = ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm'].slice(
        0,
        ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm'].indexOf(mode),
      );
      for (const m of better) expect(info.reason).toContain(`${m}: `);
      if (mode !== 'webgpu')
        expect(info.reason).toMatch(/webgpu: (no navigator\.gpu|navigator\.gpu gave no adapter|Dawn)/);
      if (!process.env.DISPLAY)
        expect(info.reason).toContain('no X display for headless-gl (DISPLAY is unset; run under xvfb-run)');
      sess.close();
    });

    test('a requested mode that is unavailable is an error naming the reason', () => {
      const unavailable = (['headlessgl', 'webgl2', 'webgl'] as GpuMode[]).find((m) => {
        try {
          chooseMode(m, false);
          return false;
        } catch {
          return true;
        }
      });
      if (!unavailable) throw new Error('expected a GL mode to be unavailable in Node');
      expect(() => createGpuBackend({ mode: unavailable }).info).toThrow(
        `gpu.js mode '${unavailable}' is not available`,
      );
    });
  });
}
