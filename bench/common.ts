/**
 * Shared pieces of `npm run bench`: the workload list, timing, and the JSON a child process prints.
 * Each (framework, workload) runs in its own child process so its peak RSS is its own.
 */

export type Framework = 'tensorgraph' | 'tfjs-cpu' | 'tfjs-wasm';

export const WORKLOADS = [
  'matmul256',
  'matmul512',
  'matmul1024',
  'mlp',
  'lenet',
  // The same training steps as data-parallel towers on CPU devices (tensorgraph; the peers run 'mlp'/'lenet').
  'mlp-towers',
  'lenet-towers',
  'gru',
  'overhead',
  // Pretrained-model inference (bench/pretrained.ts).
  'blazeface',
  'handlandmark',
] as const;
export type Workload = (typeof WORKLOADS)[number];

/** What one child reports: per-repetition times and, where it applies, the work per repetition. */
export interface Result {
  framework: Framework;
  workload: Workload;
  /** Threads the framework computes with (tensorgraph: its worker pool; tfjs-wasm: its thread count). */
  threads: number;
  /** Milliseconds of each timed repetition (after warm-up). */
  times: number[];
  /** Floating-point operations of one repetition (matmuls), for GFLOP/s. */
  flops?: number;
  /** Ops executed by one repetition (the overhead graph), for µs per op. */
  ops?: number;
  /** Peak resident set size of the child, bytes. */
  peakRss: number;
  /** Loss after the timed steps (sanity: training really happened), when it applies. */
  loss?: number;
  /** Extra facts (kernel path in use, etc.). */
  note?: string;
  /** Why the workload could not run on this framework. */
  error?: string;
}

export interface TimingOptions {
  /** Untimed calls first (compilation, allocation, JIT). */
  warmup: number;
  /** At least this many timed calls... */
  minReps: number;
  /** ...and more while the total stays under this budget (ms), up to maxReps. */
  budgetMs: number;
  maxReps: number;
}

/** Runs `fn` warm-up times, then times repetitions; each repetition may be a batch of `inner` calls. */
export function timeIt(fn: () => void, o: TimingOptions, inner = 1): number[] {
  for (let i = 0; i < o.warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < o.maxReps && (times.length < o.minReps || performance.now() - start < o.budgetMs)) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    times.push((performance.now() - t0) / inner);
  }
  return times;
}

/** Deterministic uniform values in [lo, hi) (a small LCG: both frameworks get the same numbers). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 4294967296;
  }
  return out;
}

/** Glorot-uniform-like weights for a [fanIn, fanOut]-shaped parameter. */
export function weights(size: number, fanIn: number, fanOut: number, seed: number): Float32Array {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return uniform(size, seed, -lim, lim);
}

/** One-hot labels [batch, classes] with class (i * 7) % classes for row i. */
export function oneHot(batch: number, classes: number): Float32Array {
  const out = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) out[i * classes + ((i * 7) % classes)] = 1;
  return out;
}

export const MATMUL_SIZES: Record<string, number> = { matmul256: 256, matmul512: 512, matmul1024: 1024 };

/** Model sizes (the workloads). */
export const MLP = { batch: 128, input: 784, hidden: 512, classes: 10, lr: 1e-3 };
export const LENET = { batch: 64, size: 28, classes: 10, lr: 0.01 };
export const GRU = { seq: 32, batch: 32, input: 64, hidden: 128, lr: 1e-3 };
export const OVERHEAD_OPS = 10;

/** Timing budget per workload (the tfjs CPU LeNet step takes over a minute, so it gets fewer reps). */
export function timingFor(workload: Workload, framework: Framework, quick: boolean): TimingOptions {
  const scale = quick ? 0.25 : 1;
  if (workload.startsWith('lenet') && framework === 'tfjs-cpu')
    return { warmup: 0, minReps: quick ? 1 : 2, budgetMs: 0, maxReps: quick ? 1 : 2 };
  if (framework === 'tfjs-cpu' && workload === 'matmul1024')
    return { warmup: 1, minReps: quick ? 1 : 2, budgetMs: 0, maxReps: 3 };
  if (workload === 'overhead') return { warmup: 3, minReps: 15, budgetMs: 3000 * scale, maxReps: 40 };
  if (workload.startsWith('matmul')) return { warmup: 2, minReps: 5, budgetMs: 4000 * scale, maxReps: 25 };
  return { warmup: 2, minReps: 5, budgetMs: 8000 * scale, maxReps: 30 };
}

export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}
