/**
 * WebAssembly SIMD kernels for the CPU backend (float32): matmul in every transpose variant and the
 * im2col convolutions, built from ./assembly/kernels.as by `npm run build` (scripts/build-wasm.js) into
 * build/wasm/kernels.wasm. The module is instantiated synchronously on first use. When the file is
 * missing (no build yet), fails to load, or is switched off (TENSORGRAPH_WASM=0), every function here
 * returns false and the callers run the pure-TS kernels in ../linalg, which stay the reference.
 *
 * Operands are copied into the module's linear memory (a shared WebAssembly.Memory, grown on demand,
 * reused across calls) and results copied back out. Large matmuls are split between the calling thread
 * and a pool of worker threads running the same module on the same memory (../workers/pool.ts).
 */
import { cpuCount, loadWasm, path, sharedMemory } from '../../../platform';
import type { WindowGeometry } from '../../../ops/nn_geometry';
import { forEachBatchPair } from '../linalg/matmul';
import { WorkerPool } from '../workers/pool';
import { WA, WasmMemory, WasmModule } from './webassembly';

interface Exports {
  matmul(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    aRs: number,
    aCs: number,
    bRs: number,
    bCs: number,
    ldc: number,
    scratch: number,
    accumulate: number,
  ): void;
  matmulTiles(...args: number[]): void;
  matmulScratchBytes(): number;
  im2col(x: number, cols: number, ...geometry: number[]): void;
  col2imAdd(cols: number, dx: number, ...geometry: number[]): void;
}

interface Loaded {
  module: WasmModule;
  memory: WasmMemory;
  exports: Exports;
  file: string;
  scratchBytes: number;
}

const PAGE = 65536;
/** Bytes below this offset are left to the module; per-thread matmul scratch follows, then operands. */
const RESERVED = PAGE;
/** The shared tile counter of parallel matmuls (an i32 inside the reserved page). */
const TILE_COUNTER = RESERVED - 64;
/** Largest memory the module declares (pages): 2 GiB. */
const MAX_PAGES = 32768;
/** Up to this many scratch slots (calling thread + workers). */
const MAX_THREADS = 16;
/**
 * Multiply-adds from which a matmul may be split across threads (32M: 256³ stays on one thread). Below,
 * waking a worker costs more than it saves, and on a busy machine the wake-up alone can take a time
 * slice (milliseconds).
 */
let parallelThreshold = 1 << 25;
/** Choose single-thread vs parallel per size from measured speed (see PathChooser); false: always parallel. */
let adaptive = true;

let loaded: Loaded | null | undefined;
let loadError = '';
let enabled = process.env.TENSORGRAPH_WASM !== '0';
let threads = defaultThreads();
let pool: WorkerPool | null = null;
let f32: Float32Array<ArrayBufferLike> = new Float32Array(0);

function defaultThreads(): number {
  const env = Number(process.env.TENSORGRAPH_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, MAX_THREADS);
  // Test runners get one thread unless asked: jest re-imports modules per test file, which would start a
  // new pool each time.
  if (process.env.JEST_WORKER_ID !== undefined) return 1;
  const cores = sharedMemory() ? cpuCount() : 1;
  return Math.max(1, Math.min(cores, 4, MAX_THREADS));
}

function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (!sharedMemory()) {
    loadError = 'the WebAssembly kernels use shared memory, which needs a cross-origin isolated page';
    return null;
  }
  // build/wasm or dist/wasm upward from the library (Node), or next to the bundle (browser); the
  // fused-multiply-add build where this engine validates relaxed SIMD, else plain SIMD.
  const explicit = process.env.TENSORGRAPH_WASM_FILE;
  const relaxed =
    process.env.TENSORGRAPH_RELAXED_SIMD !== '0' && !explicit ? loadWasm('kernels-relaxed.wasm') : null;
  const main = relaxed && 'module' in relaxed ? relaxed : loadWasm('kernels.wasm', explicit);
  if ('error' in main || (relaxed && 'pending' in relaxed)) {
    const why = 'error' in main ? main : (relaxed as { error: string; pending?: boolean });
    loadError = why.error;
    if (why.pending) loaded = undefined; // the browser is still fetching it: ask again next time
    return null;
  }
  try {
    const chosen = main;
    const module = chosen.module;
    const memory = new WA.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    const instance = new WA.Instance(module, { env: { memory } });
    const exports = instance.exports as unknown as Exports;
    loaded = { module, memory, exports, file: chosen.file, scratchBytes: exports.matmulScratchBytes() };
  } catch (e) {
    loadError = `${main.file}: ${(e as Error).message}`;
  }
  return loaded;
}

/** The module, or null when the TS kernels must be used (not built, failed to load, or disabled). */
function kernels(): Loaded | null {
  return enabled ? load() : null;
}

/** True when the WebAssembly kernels are in use. */
export function wasmAvailable(): boolean {
  return kernels() !== null;
}

/** One line on which kernels run (for benchmarks and diagnostics). */
export function kernelInfo(): string {
  const k = kernels();
  if (!k) return enabled ? `TS kernels (wasm unavailable: ${loadError})` : 'TS kernels (wasm disabled)';
  const where = `${path.basename(path.dirname(path.dirname(k.file)))}/wasm/${path.basename(k.file)}`;
  const simd = k.file.endsWith('-relaxed.wasm') ? 'SIMD + relaxed-SIMD FMA' : 'SIMD';
  return `wasm ${simd} kernels (${where}), ${threads} thread${threads > 1 ? 's' : ''}`;
}

/**
 * Run-time switches (tests and benchmarks): `wasm` false forces the TS kernels; `threads` sets the
 * threads for large matmuls (1 = calling thread only); `parallelThreshold` the multiply-adds from which a
 * matmul is split; `adaptive` false always splits such matmuls (else the measured faster path is used).
 */
export function setKernelOptions(o: {
  wasm?: boolean;
  threads?: number;
  parallelThreshold?: number;
  adaptive?: boolean;
}): void {
  if (o.wasm !== undefined) enabled = o.wasm;
  if (o.adaptive !== undefined) adaptive = o.adaptive;
  if (o.parallelThreshold !== undefined) parallelThreshold = o.parallelThreshold;
  if (o.threads !== undefined && o.threads !== threads) {
    threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(o.threads)));
    shutdownWorkers();
    chooser.reset();
  }
}

/**
 * Set while a run executes on several CPU devices (session/devices): each device is a thread already, so
 * the calling thread's large matmuls stay on it instead of waking the matmul pool (no oversubscription).
 */
let devicesRunning = false;
export function setDevicesRunning(active: boolean): void {
  devicesRunning = active;
}

/** Stops the worker threads (a later large matmul starts them again). */
export function shutdownWorkers(): void {
  pool?.close();
  pool = null;
}

/** The worker pool, started on first need; null while single-threaded. Blocks until ready if `wait`. */
function workers(k: Loaded, wait: boolean): WorkerPool | null {
  if (threads <= 1) return null;
  if (!pool) pool = new WorkerPool(k.module, k.memory, threads - 1);
  if (pool.ready) return pool;
  return wait && pool.waitReady() ? pool : null;
}

/** Starts the worker threads now and waits until they are ready (so a first timed call does not race them). */
export function warmUpWorkers(): boolean {
  const k = kernels();
  return k !== null && workers(k, true) !== null;
}

// ---------------------------------------------------------------------------------------------------
// Linear-memory arena: operands of one call are laid out from `base()` upward; nothing outlives a call.

function scratchOf(k: Loaded, thread: number): number {
  return RESERVED + thread * k.scratchBytes;
}

function base(k: Loaded): number {
  return RESERVED + MAX_THREADS * k.scratchBytes;
}

/** Grows the memory to hold `end` bytes and returns a current float view of it. */
function ensure(k: Loaded, end: number): Float32Array<ArrayBufferLike> {
  const have = k.memory.buffer.byteLength;
  if (end > have) {
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES)
      throw new RangeError(`wasm kernels: ${end} bytes exceed the 2 GiB memory`);
    k.memory.grow(pages);
  }
  if (f32.buffer !== k.memory.buffer || f32.length * 4 !== k.memory.buffer.byteLength) {
    f32 = new Float32Array(k.memory.buffer);
  }
  return f32;
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

// ---------------------------------------------------------------------------------------------------
// Matmul

/**
 * C = op(A)·op(B) on byte offsets already in linear memory (C row stride n), split over the pool's
 * threads when large: by columns when n is the larger side, else by rows.
 */
function matmulInMemory(
  k: Loaded,
  a: number,
  b: number,
  c: number,
  m: number,
  kk: number,
  n: number,
  ta: boolean,
  tb: boolean,
): void {
  const aRs = ta ? 1 : kk;
  const aCs = ta ? m : 1;
  const bRs = tb ? 1 : n;
  const bCs = tb ? kk : 1;
  const macs = m * kk * n;
  const p = macs >= parallelThreshold && !devicesRunning ? workers(k, false) : null;
  const choice = p && adaptive ? chooser.pick(macs) : null;
  if (!p || choice === 'single') {
    const t0 = choice ? performance.now() : 0;
    k.exports.matmul(a, b, c, m, kk, n, aRs, aCs, bRs, bCs, n, scratchOf(k, 0), 0);
    if (choice) chooser.record(macs, 'single', performance.now() - t0);
    return;
  }
  const t0 = performance.now();
  // Cut the output into a few slices per thread (whole micro-tiles) along its larger side; every thread
  // claims slices from a shared counter, so a thread the OS deschedules delays the others by one slice.
  const parts = p.count + 1;
  const byCols = n >= m;
  const extent = byCols ? n : m;
  const unit = byCols ? 8 : 4;
  const tileSize = Math.max(unit * 4, Math.ceil(extent / (parts * 4) / unit) * unit);
  const tiles = Math.ceil(extent / tileSize);
  const counter = new Int32Array(k.memory.buffer, TILE_COUNTER, 1);
  Atomics.store(counter, 0, 0);
  const args = (t: number): number[] => [
    a,
    b,
    c,
    m,
    kk,
    n,
    aRs,
    aCs,
    bRs,
    bCs,
    n,
    scratchOf(k, t),
    TILE_COUNTER,
    tiles,
    tileSize,
    byCols ? 1 : 0,
  ];
  const jobs = [];
  for (let w = 1; w < parts; w++) jobs.push(w < tiles ? { fn: 1, args: args(w) } : null);
  p.run(jobs, () => k.exports.matmulTiles(...args(0)));
  if (adaptive) chooser.record(macs, 'parallel', performance.now() - t0);
}

/**
 * Picks, per size class (powers of two of multiply-adds), whichever of the single-thread and the
 * parallel path has been faster lately (moving averages of ns per multiply-add), trying the other one
 * every EXPLORE calls. On an idle machine the parallel path wins; when other processes keep the second
 * core busy, waiting for a descheduled worker costs more than it saves and the caller computes alone.
 * Both paths compute bitwise-identical results (same blocks, same order of accumulation).
 */
class PathChooser {
  private static readonly EXPLORE = 32;
  private readonly stats = new Map<number, { single: number; parallel: number; calls: number }>();

  pick(macs: number): 'single' | 'parallel' {
    const s = this.entry(macs);
    s.calls++;
    if (Number.isNaN(s.parallel)) return 'parallel';
    if (Number.isNaN(s.single)) return 'single';
    const best = s.parallel <= s.single ? 'parallel' : 'single';
    if (s.calls % PathChooser.EXPLORE === 0) return best === 'parallel' ? 'single' : 'parallel';
    return best;
  }

  record(macs: number, path: 'single' | 'parallel', ms: number): void {
    const s = this.entry(macs);
    const v = (ms * 1e6) / macs;
    s[path] = Number.isNaN(s[path]) ? v : 0.7 * s[path] + 0.3 * v;
  }

  reset(): void {
    this.stats.clear();
  }

  private entry(macs: number): { single: number; parallel: number; calls: number } {
    const key = Math.round(Math.log2(Math.max(macs, 1)));
    let s = this.stats.get(key);
    if (!s) this.stats.set(key, (s = { single: NaN, parallel: NaN, calls: 0 }));
    return s;
  }
}

const chooser = new PathChooser();

/**
 * out[outOffset ..+ m*n) = op(A)·op(B) for float32 arrays (layouts as linalg/matmul's `matmul`).
 * Returns false, doing nothing, when the wasm kernels are unavailable.
 */
export function wasmMatmul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  kk: number,
  n: number,
  ta: boolean,
  tb: boolean,
  aOffset = 0,
  bOffset = 0,
  outOffset = 0,
): boolean {
  const k = kernels();
  if (!k) return false;
  if (m === 0 || n === 0) return true;
  const pa = base(k);
  const pb = pa + align(4 * m * kk);
  const pc = pb + align(4 * kk * n);
  const mem = ensure(k, pc + 4 * m * n);
  mem.set(a.subarray(aOffset, aOffset + m * kk), pa / 4);
  mem.set(b.subarray(bOffset, bOffset + kk * n), pb / 4);
  matmulInMemory(k, pa, pb, pc, m, kk, n, ta, tb);
  out.set(mem.subarray(pc / 4, pc / 4 + m * n), outOffset);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Convolutions (im2col + matmul, as linalg/conv.ts)

/** Largest im2col block (floats) per step; bigger batches are processed in row chunks. */
const CHUNK_ELEMS = 1 << 22;

function geometryArgs(g: WindowGeometry): number[] {
  return [g.inH, g.inW, g.inC, g.fH, g.fW, g.outH, g.outW, g.strideH, g.strideW, g.padTop, g.padLeft];
}

function chunkRows(g: WindowGeometry): number {
  return Math.max(1, Math.floor(CHUNK_ELEMS / Math.max(g.fH * g.fW * g.inC, 1)));
}

/** Forward NHWC/HWIO convolution (see linalg/conv.ts `conv2d`); false when wasm is unavailable. */
export function wasmConv2d(
  input: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
): boolean {
  const k = kernels();
  if (!k) return false;
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  const inSize = g.batch * g.inH * g.inW * g.inC;
  const chunk = Math.min(rows, chunkRows(g));
  const px = base(k);
  const pw = px + align(4 * inSize);
  const py = pw + align(4 * K * g.outC);
  const pcols = py + align(4 * rows * g.outC);
  const mem = ensure(k, pcols + 4 * chunk * K);
  mem.set(input.subarray(0, inSize), px / 4);
  mem.set(filter.subarray(0, K * g.outC), pw / 4);
  const geo = geometryArgs(g);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    k.exports.im2col(px, pcols, ...geo, r0, r1);
    matmulInMemory(k, pcols, pw, py + 4 * r0 * g.outC, r1 - r0, K, g.outC, false, false);
  }
  out.set(f32.subarray(py / 4, py / 4 + rows * g.outC));
  return true;
}

/** Gradient of conv2d for its input (see linalg/conv.ts); false when wasm is unavailable. */
export function wasmConv2dBackpropInput(
  dy: Float32Array,
  filter: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
): boolean {
  const k = kernels();
  if (!k) return false;
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  const inSize = g.batch * g.inH * g.inW * g.inC;
  const chunk = Math.min(rows, chunkRows(g));
  const pdy = base(k);
  const pw = pdy + align(4 * rows * g.outC);
  const pdx = pw + align(4 * K * g.outC);
  const pcols = pdx + align(4 * inSize);
  const mem = ensure(k, pcols + 4 * chunk * K);
  mem.set(dy.subarray(0, rows * g.outC), pdy / 4);
  mem.set(filter.subarray(0, K * g.outC), pw / 4);
  mem.fill(0, pdx / 4, pdx / 4 + inSize);
  const geo = geometryArgs(g);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    matmulInMemory(k, pdy + 4 * r0 * g.outC, pw, pcols, r1 - r0, g.outC, K, false, true);
    k.exports.col2imAdd(pcols, pdx, ...geo, r0, r1);
  }
  dx.set(f32.subarray(pdx / 4, pdx / 4 + inSize));
  return true;
}

/** Gradient of conv2d for its filter (see linalg/conv.ts); false when wasm is unavailable. */
export function wasmConv2dBackpropFilter(
  input: Float32Array,
  dy: Float32Array,
  dfilter: Float32Array,
  g: WindowGeometry,
): boolean {
  const k = kernels();
  if (!k) return false;
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  const inSize = g.batch * g.inH * g.inW * g.inC;
  const chunk = Math.min(rows, chunkRows(g));
  const px = base(k);
  const pdy = px + align(4 * inSize);
  const pdw = pdy + align(4 * rows * g.outC);
  const ppart = pdw + align(4 * K * g.outC);
  const pcols = ppart + align(4 * K * g.outC);
  const mem = ensure(k, pcols + 4 * chunk * K);
  mem.set(input.subarray(0, inSize), px / 4);
  mem.set(dy.subarray(0, rows * g.outC), pdy / 4);
  const geo = geometryArgs(g);
  const size = K * g.outC;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    k.exports.im2col(px, pcols, ...geo, r0, r1);
    // dW (+)= colsᵀ · dy[r0..r1): the first chunk writes, later ones go through `part` and are added.
    const target = r0 === 0 ? pdw : ppart;
    matmulInMemory(k, pcols, pdy + 4 * r0 * g.outC, target, K, r1 - r0, g.outC, true, false);
    if (r0 !== 0) {
      const d = pdw / 4;
      const s = ppart / 4;
      for (let i = 0; i < size; i++) f32[d + i] = (f32[d + i] as number) + (f32[s + i] as number);
    }
  }
  dfilter.set(f32.subarray(pdw / 4, pdw / 4 + size));
  return true;
}

/**
 * Batched matmul with numpy batch broadcasting (see linalg/matmul.ts `batchMatmul`): A and B are copied
 * in once and every batch entry runs in linear memory. False when wasm is unavailable.
 */
export function wasmBatchMatmul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  batchA: readonly number[],
  batchB: readonly number[],
  m: number,
  kk: number,
  n: number,
  ta: boolean,
  tb: boolean,
): boolean {
  const k = kernels();
  if (!k) return false;
  const rank = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return false; // the TS kernel reports the error
    batch.push(da === 1 ? db : da);
  }
  const total = batch.reduce((x, y) => x * y, 1);
  const countA = batchA.reduce((x, y) => x * y, 1);
  const countB = batchB.reduce((x, y) => x * y, 1);
  // A shared B with a non-transposed A folds the batch into the rows: one big product.
  if (countB === 1 && !ta && countA === total) return wasmMatmul(a, b, out, total * m, kk, n, false, tb);
  if (total === 0 || m === 0 || n === 0) return true;
  const pa = base(k);
  const pb = pa + align(4 * countA * m * kk);
  const pc = pb + align(4 * countB * kk * n);
  const mem = ensure(k, pc + 4 * total * m * n);
  mem.set(a.subarray(0, countA * m * kk), pa / 4);
  mem.set(b.subarray(0, countB * kk * n), pb / 4);
  forEachBatchPair(batchA, batchB, batch, (t, ia, ib) =>
    matmulInMemory(k, pa + 4 * ia * m * kk, pb + 4 * ib * kk * n, pc + 4 * t * m * n, m, kk, n, ta, tb),
  );
  out.set(f32.subarray(pc / 4, pc / 4 + total * m * n));
  return true;
}
