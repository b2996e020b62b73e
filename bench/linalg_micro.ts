/**
 * Micro-benchmark of the CPU linalg kernels (single thread):
 *   npx ts-node --transpile-only bench/linalg_micro.ts
 * Prints GFLOP/s for square matmuls (every transpose variant) and milliseconds for LeNet-sized
 * convolutions (forward and both backprops) and 2×2 pooling. Reports the best and median of several runs.
 */
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../src/backends/cpu/linalg/conv';
import { FloatArray, matmul } from '../src/backends/cpu/linalg/matmul';
import { avgPool, maxPool, maxPoolGrad } from '../src/backends/cpu/linalg/pool';
import { conv2dGeometry, poolGeometry } from '../src/ops/nn_geometry';

function random(kind: 'f32' | 'f64', n: number): FloatArray {
  const out = kind === 'f32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.random() * 2 - 1;
  return out;
}

/** Runs fn `reps` times after one warm-up call; returns [best, median] milliseconds. */
function time(fn: () => void, reps: number): [number, number] {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return [ts[0] ?? NaN, ts[Math.floor(ts.length / 2)] ?? NaN];
}

function benchMatmul(kind: 'f32' | 'f64', sizes: number[]): void {
  for (const n of sizes) {
    const a = random(kind, n * n);
    const b = random(kind, n * n);
    const c = kind === 'f32' ? new Float32Array(n * n) : new Float64Array(n * n);
    const cells: string[] = [];
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const [best, med] = time(() => matmul(a, b, c, n, n, n, ta, tb), n >= 1024 ? 3 : 7);
      const gf = (ms: number): string => ((2 * n * n * n) / ms / 1e6).toFixed(2);
      cells.push(`${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${gf(best)} (med ${gf(med)})`);
    }
    console.log(`matmul ${kind} ${n}³ GFLOP/s: ${cells.join(' | ')}`);
  }
}

function benchConv(name: string, xShape: number[], wShape: number[]): void {
  const g = conv2dGeometry(xShape, wShape, {
    type: 'Conv2D',
    attrs: { strides: [1, 1, 1, 1], padding: 'SAME' },
  });
  const x = random(
    'f32',
    xShape.reduce((p, q) => p * q),
  );
  const w = random(
    'f32',
    wShape.reduce((p, q) => p * q),
  );
  const y = new Float32Array(g.batch * g.outH * g.outW * g.outC);
  const dy = random('f32', y.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const flops = 2 * y.length * g.fH * g.fW * g.inC;
  const fmt = ([best, med]: [number, number]): string =>
    `${best.toFixed(1)} ms (med ${med.toFixed(1)}, ${(flops / best / 1e6).toFixed(2)} GFLOP/s)`;
  console.log(`conv ${name} x[${xShape}] w[${wShape}] SAME:`);
  console.log(`  forward        ${fmt(time(() => conv2d(x, w, y, g), 5))}`);
  console.log(`  backpropInput  ${fmt(time(() => conv2dBackpropInput(dy, w, dx, g), 5))}`);
  console.log(`  backpropFilter ${fmt(time(() => conv2dBackpropFilter(x, dy, dw, g), 5))}`);
}

function benchPool(xShape: number[]): void {
  const g = poolGeometry(xShape, {
    type: 'MaxPool',
    attrs: { ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: 'SAME' },
  });
  const x = random(
    'f32',
    xShape.reduce((p, q) => p * q),
  );
  const y = new Float32Array(g.batch * g.outH * g.outW * g.inC);
  const dx = new Float32Array(x.length);
  const fmt = ([best, med]: [number, number]): string => `${best.toFixed(2)} ms (med ${med.toFixed(2)})`;
  console.log(`pool 2×2/2 x[${xShape}]:`);
  console.log(`  maxPool ${fmt(time(() => maxPool(x, y, g), 7))}`);
  console.log(`  maxPoolGrad ${fmt(time(() => maxPoolGrad(x, y, dx, g), 7))}`);
  console.log(`  avgPool ${fmt(time(() => avgPool(x, y, g), 7))}`);
}

benchMatmul('f32', [256, 512, 1024]);
benchMatmul('f64', [512]);
benchConv('LeNet-1', [64, 28, 28, 1], [5, 5, 1, 32]);
benchConv('LeNet-2', [64, 14, 14, 32], [5, 5, 32, 64]);
benchPool([64, 28, 28, 32]);
