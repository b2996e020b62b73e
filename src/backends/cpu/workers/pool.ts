/**
 * A pool of worker threads that run slices of WebAssembly matmuls in parallel with the calling thread.
 *
 * Session.run is synchronous, so the pool is too: every worker instantiates the same kernel module on
 * the same shared WebAssembly.Memory, then sleeps in Atomics.wait on a shared control block. The caller
 * writes each worker's arguments, bumps the job counter and wakes them, computes its own slice, and waits
 * (Atomics.wait, allowed on Node's main thread) until every worker has stored the job number as done. No
 * message passing and no event-loop turn is involved, so a job costs a few microseconds of signalling.
 * Workers are unref'd: an idle pool never keeps the process alive.
 */
import { canBlock, startWorker, StartedWorker } from '../../../platform';
import type { WasmMemory, WasmModule } from '../wasm/webassembly';

/** Layout of the Int32 control block. */
const JOB = 0; // job counter; workers wait on it
const STOP = 1; // 1: workers exit
const DONE = 8; // DONE + w: last job worker w finished
const READY = 40; // READY + w: 1 once worker w has instantiated the module
const FAILED = 72; // FAILED + w: 1 when worker w's last call threw
const ARGS = 104; // ARGS + w * ARG_SLOTS: [job, fn, ...i32 args]
const ARG_SLOTS = 20;
const MAX_WORKERS = 32;
const CTRL_INTS = ARGS + MAX_WORKERS * ARG_SLOTS;

/** Kernel functions a worker may run, by index in the job's `fn` slot. */
export const POOL_FUNCTIONS = ['matmul', 'matmulTiles'] as const;

const WORKER_SOURCE = `
const { module, memory, ctrl: sab, index } = workerData;
const ctrl = new Int32Array(sab);
const FUNCS = ${JSON.stringify(POOL_FUNCTIONS)};
const exp = new WebAssembly.Instance(module, { env: { memory } }).exports;
// Read the job counter before announcing readiness: a job posted right after READY must not be missed.
let seen = Atomics.load(ctrl, ${JOB});
Atomics.store(ctrl, ${READY} + index, 1);
Atomics.notify(ctrl, ${READY} + index);
for (;;) {
  Atomics.wait(ctrl, ${JOB}, seen);
  seen = Atomics.load(ctrl, ${JOB});
  if (Atomics.load(ctrl, ${STOP})) break;
  const base = ${ARGS} + index * ${ARG_SLOTS};
  if (ctrl[base] === seen) {
    try {
      const f = exp[FUNCS[ctrl[base + 1]]];
      const n = f.length;
      const args = [];
      for (let i = 0; i < n; i++) args.push(ctrl[base + 2 + i]);
      f(...args);
      ctrl[${FAILED} + index] = 0;
    } catch (e) {
      ctrl[${FAILED} + index] = 1;
    }
  }
  Atomics.store(ctrl, ${DONE} + index, seen);
  Atomics.notify(ctrl, ${DONE} + index);
}
`;

export class WorkerPool {
  private readonly ctrl: Int32Array;
  private readonly workers: StartedWorker[] = [];
  private job = 0;
  private closed = false;

  /** Starts `count` workers (the caller's thread is one more) on `module` with the shared `memory`. */
  constructor(
    module: WasmModule,
    memory: WasmMemory,
    readonly count: number,
  ) {
    if (count < 1 || count > MAX_WORKERS) throw new RangeError(`WorkerPool: ${count} workers`);
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
    for (let index = 0; index < count; index++) {
      // A worker thread (Node, unref'd) or a Web Worker (browser); `workerData` is in scope in its source.
      this.workers.push(startWorker(WORKER_SOURCE, { module, memory, ctrl: this.ctrl.buffer, index }));
    }
  }

  /** True once every worker has instantiated the module (before that, callers compute alone). */
  get ready(): boolean {
    if (this.closed) return false;
    for (let w = 0; w < this.count; w++) if (Atomics.load(this.ctrl, READY + w) !== 1) return false;
    return true;
  }

  /** Blocks until the workers are ready or `timeoutMs` passes; returns `ready`. */
  waitReady(timeoutMs = 10000): boolean {
    // A page's main thread cannot wait (and its Web Workers only start once it yields).
    if (!canBlock) return this.ready;
    const end = Date.now() + timeoutMs;
    for (let w = 0; w < this.count; w++) {
      while (Atomics.load(this.ctrl, READY + w) !== 1) {
        const left = end - Date.now();
        if (left <= 0) return false;
        Atomics.wait(this.ctrl, READY + w, 0, left);
      }
    }
    return true;
  }

  /**
   * Runs `jobs[w]` (a function index and its i32 arguments, or null for none) on worker w, `own` on the
   * calling thread meanwhile, and returns when all are done.
   */
  run(jobs: readonly ({ fn: number; args: readonly number[] } | null)[], own: () => void): void {
    const ctrl = this.ctrl;
    const job = (this.job = (this.job + 1) | 0);
    for (let w = 0; w < this.count; w++) {
      const base = ARGS + w * ARG_SLOTS;
      const j = jobs[w];
      if (!j) {
        ctrl[base] = -1;
        continue;
      }
      if (j.args.length > ARG_SLOTS - 2) throw new RangeError('WorkerPool: too many arguments');
      ctrl[base + 1] = j.fn;
      for (let i = 0; i < j.args.length; i++) ctrl[base + 2 + i] = j.args[i] as number;
      ctrl[base] = job;
    }
    Atomics.store(ctrl, JOB, job);
    Atomics.notify(ctrl, JOB);
    own();
    let failed = false;
    let spinStart = 0;
    for (let w = 0; w < this.count; w++) {
      let spins = 0;
      for (;;) {
        const v = Atomics.load(ctrl, DONE + w);
        if (v === job) break;
        if (++spins < 2000) continue; // the worker usually finishes within microseconds of us
        if (!canBlock) {
          // a page's main thread spins (Atomics.wait is not allowed there)
          if (spins % 100000 === 0 && (spinStart ||= Date.now()) + 60000 < Date.now())
            throw new Error(`WorkerPool: worker ${w} did not finish job ${job} within 60 s`);
          continue;
        }
        if (Atomics.wait(ctrl, DONE + w, v, 60000) === 'timed-out' && Atomics.load(ctrl, DONE + w) !== job) {
          throw new Error(`WorkerPool: worker ${w} did not finish job ${job} within 60 s`);
        }
      }
      if (jobs[w] && ctrl[FAILED + w] === 1) failed = true;
    }
    if (failed) throw new Error('WorkerPool: a worker kernel call failed');
  }

  /** Stops the workers (they exit at their next wake-up). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, JOB, 1);
    Atomics.notify(this.ctrl, JOB);
    for (const w of this.workers) w.terminate();
  }
}
