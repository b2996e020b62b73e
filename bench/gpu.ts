/**
 * GPU backend benchmark: matmul GFLOP/s (256, 512, 1024) and one MLP training step (784-512-10, batch
 * 128, plain SGD) on every gpu.js mode that runs here, next to the CPU backend.
 *
 *   xvfb-run -a npx ts-node --transpile-only bench/gpu.ts      # headless WebGL available (+ webasm, cpu)
 *   npx ts-node --transpile-only bench/gpu.ts                  # no display: webasm (+ cpu)
 *   npx ts-node --transpile-only bench/gpu.ts --quick          # 256/512 only, fewer repetitions
 *
 * Matmul inputs are Variables (resident on the device); each timed run fetches the product, so the time
 * includes the kernel and the read-back of the result (a GL queue is asynchronous: only a read-back
 * proves the work is done). The training step fetches the loss with the train op for the same reason.
 * Times are medians after warm-up runs (which also compile the kernels).
 */
import * as tf from '../src';
import { createGpuBackend, GpuMode } from '../src/backends/gpujs';
import { availableModes, probeWebGPU } from '../src/backends/gpujs/modes';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [256, 512] : [256, 512, 1024];
/** A measurement whose single run would exceed this is skipped (reported as '-'). */
const MAX_RUN_S = 30;

/** Makes a fresh backend for one session ('cpu' is the CPU backend). */
type MakeBackend = () => 'cpu' | tf.Backend;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Runs `fn` after `warm` warm-up calls; median ms over up to `reps` calls or `budgetMs`. */
function time(fn: () => void, warm: number, reps: number, budgetMs: number): number {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < reps && (ts.length === 0 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function random(shape: number[], seed: number): tf.NDArray {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return tf.ndarray(data, shape, 'float32');
}

/** GFLOP/s of an n×n×n matmul, or undefined when one run would take too long. */
function matmulGflops(backend: MakeBackend, n: number, estimateS: number): number | undefined {
  if (estimateS > MAX_RUN_S) return undefined;
  const g = new tf.Graph();
  return g.asDefault(() => {
    const a = new tf.Variable(random([n, n], 1));
    const b = new tf.Variable(random([n, n], 2));
    const c = tf.matmul(a, b);
    const sess = new tf.Session({ graph: g, backend: backend() });
    sess.run(tf.globalVariablesInitializer());
    const ms = time(() => sess.run(c), 1, n >= 1024 ? 3 : 7, 20000);
    sess.close();
    return (2 * n * n * n) / (ms * 1e6);
  });
}

/** Milliseconds of one SGD step of a 784-512-10 MLP on a batch of 128. */
function mlpStepMs(backend: MakeBackend): number {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(1);
    const x = tf.placeholder('float32', [null, 784], 'x');
    const y = tf.placeholder('int32', [null], 'y');
    const W1 = new tf.Variable(tf.truncatedNormal([784, 512], { stddev: 0.05 }));
    const b1 = new tf.Variable(tf.zeros([512]));
    const W2 = new tf.Variable(tf.truncatedNormal([512, 10], { stddev: 0.05 }));
    const b2 = new tf.Variable(tf.zeros([10]));
    const h = tf.nn.relu(tf.add(tf.matmul(x, W1), b1));
    const logits = tf.add(tf.matmul(h, W2), b2);
    const loss = tf.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss);
    const sess = new tf.Session({ graph: g, backend: backend() });
    sess.run(tf.globalVariablesInitializer());
    const feed = {
      x: random([128, 784], 3),
      y: tf.ndarray(
        Int32Array.from({ length: 128 }, (_v, i) => (i * 7) % 10),
        [128],
        'int32',
      ),
    };
    const ms = time(() => sess.run([loss, train], feed), 2, 10, 20000);
    sess.close();
    return ms;
  });
}

async function main(): Promise<void> {
  await probeWebGPU();
  const modes = availableModes();
  const backends: { label: string; make: MakeBackend }[] = [
    ...modes.map((mode: GpuMode) => ({ label: `gpu.js ${mode}`, make: () => createGpuBackend({ mode }) })),
    { label: 'CPU backend', make: () => 'cpu' as const },
  ];
  console.log(`tensorgraph GPU benchmark (${new Date().toISOString()})`);
  console.log(`gpu.js modes available here: ${modes.join(', ')}`);
  console.log(`backend: 'gpu' picks: ${createGpuBackend().info}\n`);
  const header = `| backend | ${SIZES.map((n) => `matmul ${n} GFLOP/s`).join(' | ')} | MLP step ms (784-512-10, batch 128) |`;
  console.log(header);
  console.log(
    `|${header
      .split('|')
      .slice(1, -1)
      .map(() => '---')
      .join('|')}|`,
  );
  for (const b of backends) {
    const cells: string[] = [];
    let gflops: number | undefined;
    for (const n of SIZES) {
      // Estimate from the previous size (8× the work) to skip runs that would take minutes.
      const estimate = gflops === undefined ? 0 : (2 * n * n * n) / (gflops * 1e9);
      gflops = cells.length > 0 && gflops === undefined ? undefined : matmulGflops(b.make, n, estimate);
      cells.push(gflops === undefined ? '-' : gflops.toFixed(2));
    }
    const mlp = mlpStepMs(b.make);
    console.log(`| ${b.label} | ${cells.join(' | ')} | ${mlp.toFixed(1)} |`);
  }
}

void main();
