import { DEFAULT_MAX_TENSOR_BYTES } from '../graph/shape';
import { Backend, backendFactory, RunState, SlotValue, Storage, TransferStats } from '../backends/backend';
import { createCpuBackend } from '../backends/cpu';
import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import { setKernelOptions } from '../backends/cpu/wasm';
import { ConfigProto, readConfig } from './config_proto';
import { getDefaultGraph, Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { NDArray } from '../ndarray';
import { Random, resolveSeed } from '../util/random';
import { compilePlan, uninitializedError } from './compile';
import { executePlan, executePlanAsync } from './execute';
import { FeedDict, normalizeFeeds, storeFeed } from './feeds';
import { Fetches, FetchResult, flattenFetches } from './fetches';
import type { ExecutionPlan } from './plan';
import { keywordArgs } from './call_args';
import { pushDefaultSession, removeDefaultSession } from './default_session';
import { annotatePlan, buildDevicePlan, DevicePlan, hostPlacementOf, Placement } from './devices/placement';
import { cpuDeviceAttributes, defaultCpuDevices } from './devices/local';
import { dropPrograms, executeOnDevices, StepTrace } from './devices/execute_devices';
import { DeviceAttributes, fullDeviceName } from './devices/names';
import { deviceThreadsAvailable, MAX_DEVICES } from './devices/threads';
import { DeviceStepStats, parseRunOptions, RunMetadata, RunOptions } from './run_options';

export interface SessionOptions {
  /** The graph to run (default: the default graph at construction). */
  graph?: Graph;
  /** `'cpu'` (default), `'gpu'`, or a backend object (e.g. `createCpuBackend({ float64: true })`). */
  backend?: 'cpu' | 'gpu' | Backend;
  /** Log where each op runs whenever a plan is compiled (TF1's `log_device_placement`). */
  logDevicePlacement?: boolean;
  /** Options of the gpu.js backend (`backend: 'gpu'` only), e.g. `{ mode: 'headlessgl' }`. */
  gpu?: { mode?: string } & Record<string, unknown>;
  /** TF1's `target`: only `''` (in-process) exists here. */
  target?: string;
  /**
   * Most bytes one tensor of a run may take (default 2 GiB; every tensor also has at most 2**31 - 1
   * elements). Checked before allocating: a larger output is a ResourceExhaustedError (TF1's OOM).
   */
  maxTensorBytes?: number;
  /**
   * CPU devices `'/cpu:0'` … `'/cpu:N-1'` (CPU backend; SPEC §9): `'/cpu:0'` is the calling thread, each
   * other one an executor on its own worker thread, started when a run first places ops there. Default:
   * the number of cores (1 where threads cannot block, e.g. a browser page). TF1's
   * `ConfigProto(device_count={'CPU': N})`.
   */
  cpuDevices?: number;
  /**
   * TF1's `tf.ConfigProto`: `deviceCount: { CPU }` (= `cpuDevices`), `logDevicePlacement`,
   * `allowSoftPlacement` (TF1's default false: with a config, an op pinned to a missing device is an error),
   * `gpuOptions`, `intraOpParallelismThreads`.
   */
  config?: ConfigProto | null;
}

const SESSION_KEYS = [
  'graph',
  'backend',
  'logDevicePlacement',
  'gpu',
  'target',
  'maxTensorBytes',
  'cpuDevices',
  'config',
];
const GPU_KEYS = ['mode', 'fuse', 'asyncKernels'];

/** Checks `new tf.Session(options)`: unknown keys and wrong types are TypeErrors (SPEC §2). */
function checkSessionOptions(fn: string, options: unknown): SessionOptions & { strictPlacement?: boolean } {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options) || options instanceof Graph) {
    throw new TypeError(
      `${fn}(): expected an options object { graph, backend, logDevicePlacement, gpu }, got ${options instanceof Graph ? 'a Graph' : typeof options}; ` +
        `TF1's tf.Session(graph=g) is new ${fn}({ graph: g })`,
    );
  }
  const o = { ...(options as Record<string, unknown>) };
  for (const key of Object.keys(o)) {
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!SESSION_KEYS.includes(camel)) {
      throw new TypeError(
        `${fn}() got an unexpected keyword argument '${key}'; accepted: ${SESSION_KEYS.join(', ')}`,
      );
    }
    if (camel !== key) {
      if (camel in o) throw new TypeError(`${fn}() got multiple values for argument '${camel}'`);
      o[camel] = o[key];
    }
  }
  const out = o as SessionOptions & { strictPlacement?: boolean };
  if (out.config !== undefined && out.config !== null) {
    const cfg = readConfig(`${fn}() config`, out.config);
    if (cfg.cpuDevices !== undefined) {
      if (out.cpuDevices !== undefined && out.cpuDevices !== cfg.cpuDevices)
        throw new TypeError(
          `${fn}(): cpuDevices ${out.cpuDevices} and config.deviceCount.CPU ${cfg.cpuDevices} disagree`,
        );
      out.cpuDevices = cfg.cpuDevices;
    }
    if (cfg.logDevicePlacement) out.logDevicePlacement = true;
    if (cfg.gpuDevices !== undefined && cfg.gpuDevices > 1)
      throw new TypeError(
        `${fn}(): config.deviceCount.GPU ${cfg.gpuDevices}: the gpu.js backend has one GPU device`,
      );
    if (cfg.gpuDevices === 0 && out.backend === 'gpu')
      throw new TypeError(`${fn}(): config.deviceCount.GPU is 0 but backend is 'gpu'`);
    if (cfg.intraOpThreads !== undefined) setKernelOptions({ threads: cfg.intraOpThreads });
    out.strictPlacement = !cfg.allowSoftPlacement;
  }
  if (out.graph !== undefined && out.graph !== null && !(out.graph instanceof Graph))
    throw new TypeError(`${fn}(): argument 'graph' must be a tf.Graph`);
  const b = out.backend;
  if (b !== undefined && b !== 'cpu' && b !== 'gpu' && (typeof b !== 'object' || b === null))
    throw new TypeError(
      `${fn}(): argument 'backend' must be 'cpu', 'gpu' or a backend object, got ${String(b)}`,
    );
  if (
    out.maxTensorBytes !== undefined &&
    (typeof out.maxTensorBytes !== 'number' ||
      !Number.isInteger(out.maxTensorBytes) ||
      out.maxTensorBytes < 0)
  )
    throw new TypeError(`${fn}(): argument 'maxTensorBytes' must be a non-negative integer`);
  if (out.cpuDevices !== undefined) {
    const n = out.cpuDevices;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n >= MAX_DEVICES)
      throw new TypeError(
        `${fn}(): argument 'cpuDevices' must be an integer from 1 to ${MAX_DEVICES - 1}, got ${String(n)}`,
      );
    if (b === 'gpu' || (typeof b === 'object' && b !== null && !b.threadDevices))
      throw new TypeError(
        `${fn}(): argument 'cpuDevices' needs the library's CPU backend (on the GPU backend, '/cpu:N' ops run on the host; a backend with its own kernels has '/cpu:0' only)`,
      );
    if (n > 1 && !deviceThreadsAvailable())
      throw new TypeError(
        `${fn}(): cpuDevices: ${n} needs threads that can block (Node.js); this platform has '/cpu:0' only`,
      );
  }
  if (out.logDevicePlacement !== undefined && typeof out.logDevicePlacement !== 'boolean')
    throw new TypeError(`${fn}(): argument 'logDevicePlacement' must be a boolean`);
  if (out.target !== undefined && out.target !== '')
    throw new TypeError(
      `${fn}(): only the in-process target '' is supported, got ${JSON.stringify(out.target)}`,
    );
  if (out.gpu !== undefined && (b !== 'gpu' || typeof out.gpu !== 'object' || out.gpu === null))
    throw new TypeError(`${fn}(): argument 'gpu' (an object of gpu.js options) needs backend: 'gpu'`);
  for (const k of Object.keys(out.gpu ?? {})) {
    if (!GPU_KEYS.includes(k))
      throw new TypeError(`${fn}(): unknown gpu option '${k}'; accepted: ${GPU_KEYS.join(', ')}`);
  }
  return out;
}

/** What the session runs on and why (`session.backendInfo`). */
export interface BackendInfo {
  backend: string;
  reason: string;
}

const GROWTH_WARNING_OPS = 2000;

/** An asynchronous run's attempt that must be executed again (a synchronous run changed its inputs). */
const CONFLICT = Symbol('conflict');

/**
 * Runs a graph: compiles the ops needed for the fetches (cached per fetch/feed set) and executes them on
 * a backend. Variable values live in the session and persist across runs.
 *
 * @example
 * const x = tf.placeholder('float32', [null, 2], 'x');
 * const W = new tf.Variable([[1], [2]], { name: 'W' });
 * const y = tf.matmul(x, W);
 * const sess = new tf.Session();
 * sess.run(tf.globalVariablesInitializer());
 * sess.run(y, { 'x:0': [[3, 4]] }).toArray(); // [[11]]
 */
export class Session {
  readonly graph: Graph;
  private readonly backend: Backend;
  private readonly plans = new Map<string, ExecutionPlan>();
  // Variable values: NDArrays, or a device backend's device values (the store owns one reference each).
  private readonly variables = new Map<Operation, SlotValue>();
  /** Buffers backing variable values: fetched results that alias them (even as views) are copied out. */
  private readonly storedBuffers = new Set<ArrayBufferLike>();
  private readonly randoms = new Map<Operation, Random>();
  /** Commits per variable: an asynchronous run detects a synchronous run's commit in between. */
  private readonly versions = new Map<Operation, number>();
  /** The last queued asynchronous run (they run one at a time, in call order). */
  private asyncTail: Promise<unknown> = Promise.resolve();
  private asyncInFlight = 0;
  private readonly deferredReleases: SlotValue[] = [];
  private closed = false;
  private readonly maxTensorBytes: number;
  private lastVersion: number;
  private warnedGrowth = false;
  private readonly logPlacement: boolean;
  /** A ConfigProto with allowSoftPlacement false: ops pinned to missing devices are an error (TF1). */
  private readonly strictPlacement: boolean;
  /**
   * Where this session's values live (backend.createStorage()): on the CPU a buffer pool (intermediates
   * return at their last use and are reused by later steps and runs; variable values stay pinned while a
   * variable holds them), on the GPU device references released at their last use.
   */
  private readonly storage: Storage;
  /** CPU devices of this session ('/cpu:0' … ); more than one only on the CPU backend. */
  private readonly cpuDevices: number;
  /** Plans placed on several CPU devices, with their per-device programs. */
  private readonly devicePlans = new WeakMap<ExecutionPlan, DevicePlan | null>();
  private readonly liveDevicePlans = new Set<DevicePlan>();

  constructor(options: SessionOptions = {}) {
    options = checkSessionOptions(new.target.name, options);
    this.graph = options.graph ?? getDefaultGraph();
    const b = options.backend ?? 'cpu';
    if (b === 'cpu') this.backend = createCpuBackend();
    else if (b === 'gpu') this.backend = createGpuBackendOrThrow(options.gpu);
    else this.backend = b;
    this.logPlacement = options.logDevicePlacement === true;
    this.strictPlacement = (options as { strictPlacement?: boolean }).strictPlacement === true;
    this.maxTensorBytes = options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
    this.lastVersion = this.graph.version;
    this.storage = this.backend.createStorage();
    this.cpuDevices = options.cpuDevices ?? (this.backend.threadDevices ? defaultCpuDevices() : 1);
  }

  /**
   * The devices this session can place ops on (TF1's `sess.list_devices()`): `'/cpu:0'` (the calling
   * thread), `'/cpu:1'` … (worker threads; `cpuDevices` option), and `'/gpu:0'` on the GPU backend.
   *
   * @example
   * new tf.Session({ cpuDevices: 2 }).listDevices().map((d) => d.name);
   * // ['/job:localhost/replica:0/task:0/device:CPU:0', '/job:localhost/replica:0/task:0/device:CPU:1']
   */
  listDevices(): DeviceAttributes[] {
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed Session.');
    const out = cpuDeviceAttributes(this.cpuDevices);
    if (this.backend.placement) {
      out.push({
        name: fullDeviceName('GPU', 0),
        deviceType: 'GPU',
        memoryLimitBytes: 0,
        physicalDeviceDesc: this.backend.info,
      });
    }
    return out;
  }

  /**
   * Host↔device copies this session's backend has made so far (all zeros on the CPU backend): uploads
   * of feeds, constants and variables, read-backs of fetches, host-placed inputs and loop predicates.
   *
   * @example
   * const before = sess.transferStats;
   * sess.run(loop);
   * console.log(sess.transferStats.downloads - before.downloads); // read-backs of this run
   */
  get transferStats(): TransferStats {
    return (
      this.backend.transferStats?.() ?? {
        uploads: 0,
        uploadedElements: 0,
        downloads: 0,
        downloadedElements: 0,
      }
    );
  }

  get backendInfo(): BackendInfo {
    return { backend: this.backend.name, reason: this.backend.info };
  }

  /**
   * Computes `fetches` (any nesting of tensors, ops and names) given `feedDict`. Returns the same
   * structure with NDArrays for tensors and `null` for operations. TF1's keyword form
   * `sess.run(fetches, { feedDict })` works when no op of the graph is named `feedDict`; TF1's
   * `options` / `runMetadata` do not exist here and must be null or absent.
   */
  run<const F extends Fetches>(
    fetches: F,
    feedDict?: FeedDict | RunKeywords | null,
    options?: RunOptions | { traceLevel?: number | string } | null,
    runMetadata?: RunMetadata | null,
  ): FetchResult<F> {
    const all = allKeywords(this.graph, 'Session.run()', arguments.length, fetches);
    if (all) return this.run(all.fetches as F, all.feedDict, all.options, all.runMetadata);
    const args = runArguments(this.graph, 'Session.run()', arguments.length, feedDict, options, runMetadata);
    const { flat, feedMap, plan } = this.prepareRun(fetches, args.feedDict);
    const { state, pending, end } = this.runState();
    try {
      let values: (SlotValue | undefined)[];
      const devicePlan = this.devicePlans.get(plan) ?? undefined;
      const trace: StepTrace[] | undefined = args.trace ? [] : undefined;
      try {
        if (devicePlan) values = executeOnDevices(plan, devicePlan, this.backend, feedMap, state, trace);
        else {
          const origin = performance.timeOrigin;
          const onStep = trace
            ? (i: number, s: number, e: number) => {
                const op = (plan.steps[i] as ExecutionPlan['steps'][number]).op;
                trace.push({
                  device: this.backend.placement ? -1 : 0,
                  nodeName: op.name,
                  opType: op.type,
                  startMicros: (origin + s) * 1000,
                  endMicros: (origin + e) * 1000,
                });
              }
            : undefined;
          values = executePlan(plan, this.backend, feedMap, state, this.storage, onStep);
        }
      } catch (e) {
        this.storage.endRun([]);
        this.discard(pending);
        throw e;
      }
      // The fetched values leave the pool (they are the caller's) before commit recycles replaced variables.
      this.storage.endRun(values);
      this.commit(pending);
      if (args.runMetadata) args.runMetadata.stepStats = { devStats: trace ? deviceStats(trace) : [] };
      // Fetched values are read on the host (once each), then freed: the caller of executePlan owns them.
      const read = new Map<SlotValue, NDArray>();
      const out = this.fetchedValues(flat.leaves, feedMap, values).map((v) => {
        if (v === null) return v;
        let r = read.get(v);
        if (!r) read.set(v, (r = this.storage.read(v)));
        return r;
      });
      this.releaseAll(plan, values);
      return flat.rebuild(out) as FetchResult<F>;
    } finally {
      end();
    }
  }

  /**
   * `run`, returning a Promise. Required where the chosen GPU mode can only read back asynchronously
   * (WebGPU); works with every backend.
   */
  runAsync<const F extends Fetches>(
    fetches: F,
    feedDict?: FeedDict | RunKeywords | null,
    options?: RunOptions | { traceLevel?: number | string } | null,
    runMetadata?: RunMetadata | null,
  ): Promise<FetchResult<F>> {
    let args: RunArgs;
    try {
      const all = allKeywords(this.graph, 'Session.runAsync()', arguments.length, fetches);
      if (all) return this.runAsync(all.fetches as F, all.feedDict, all.options, all.runMetadata);
      args = runArguments(this.graph, 'Session.runAsync()', arguments.length, feedDict, options, runMetadata);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    if (!this.storage.readAsync) {
      const run = this.run.bind(this) as (f: Fetches, d?: FeedDict, o?: unknown, m?: unknown) => unknown;
      const o = args.trace ? { traceLevel: RunOptions.FULL_TRACE } : null;
      return new Promise((resolve) =>
        resolve(run(fetches, args.feedDict, o, args.runMetadata ?? null) as FetchResult<F>),
      );
    }
    if (args.trace || args.runMetadata)
      return Promise.reject(
        new TypeError(
          `Session.runAsync(): tracing (options, runMetadata) is not supported on the ${this.backend.name} backend's asynchronous mode`,
        ),
      );
    return this.runDeviceAsync(fetches, args.feedDict) as Promise<FetchResult<F>>;
  }

  /**
   * Asynchronous runs take turns (each starts when the previous one has committed and read back), so
   * concurrent `runAsync` calls act as if made one after another in call order. A synchronous `run` can
   * still slip in while an asynchronous run awaits: if it committed a variable that run had read, the
   * run is executed again on the new values (optimistic concurrency), so no update is lost.
   */
  private runDeviceAsync(fetches: Fetches, feedDict?: FeedDict): Promise<unknown> {
    const turn = this.asyncTail.then(() => this.runDeviceAsyncNow(fetches, feedDict));
    this.asyncTail = turn.catch(() => undefined);
    return turn;
  }

  private async runDeviceAsyncNow(fetches: Fetches, feedDict?: FeedDict): Promise<unknown> {
    this.asyncInFlight++;
    try {
      await this.backend.prepareAsync?.();
      for (;;) {
        const result = await this.attemptDeviceAsync(fetches, feedDict);
        if (result !== CONFLICT) return result;
      }
    } finally {
      if (--this.asyncInFlight === 0) this.flushDeferredReleases();
    }
  }

  /** One execution of an asynchronous run; CONFLICT when a synchronous run changed what it read. */
  private async attemptDeviceAsync(fetches: Fetches, feedDict?: FeedDict): Promise<unknown> {
    const { flat, feedMap, plan } = this.prepareRun(fetches, feedDict);
    const reads = new Map<Operation, number>();
    const { state, pending, end } = this.runState(reads);
    try {
      let values: (SlotValue | undefined)[];
      try {
        values = await executePlanAsync(plan, this.backend, feedMap, state, this.storage);
      } catch (e) {
        this.discard(pending);
        throw e;
      }
      for (const [op, version] of reads) {
        if (this.versionOf(op) === version) continue;
        this.discard(pending);
        this.releaseAll(plan, values);
        return CONFLICT;
      }
      this.storage.endRun(values);
      this.commit(pending);
      const download = (this.storage.readAsync as (x: SlotValue) => Promise<NDArray>).bind(this.storage);
      const read = new Map<SlotValue, Promise<NDArray>>();
      try {
        const out = await Promise.all(
          this.fetchedValues(flat.leaves, feedMap, values).map((v) => {
            if (v === null) return v;
            let r = read.get(v);
            if (!r) read.set(v, (r = download(v)));
            return r;
          }),
        );
        return flat.rebuild(out);
      } finally {
        this.releaseAll(plan, values);
      }
    } finally {
      end();
    }
  }

  /** Validates a run's fetches and feeds (before anything executes) and finds or compiles its plan. */
  private prepareRun(fetches: Fetches, feedDict?: FeedDict) {
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed Session.');
    this.checkGrowth();
    const flat = flattenFetches(this.graph, fetches);
    const feeds = normalizeFeeds(this.graph, feedDict);
    const feedMap = new Map(feeds.map((f) => [f.tensor.key, storeFeed(this.backend, f.value)]));
    const plan = this.planFor(
      flat.leaves,
      feeds.map((f) => f.tensor.key),
    );
    const missing = plan.variablesRead.filter((op) => !this.variables.has(op));
    if (missing.length) throw uninitializedError(missing);
    return { flat, feedMap, plan };
  }

  /** Variable access during one run: writes stay pending until the whole run has succeeded. */
  private runState(reads?: Map<Operation, number>): {
    state: RunState<SlotValue>;
    pending: Map<Operation, SlotValue>;
    /** Runs what kernels registered with `atRunEnd` (the run is over, fetches read). */
    end: () => void;
  } {
    const pending = new Map<Operation, SlotValue>();
    const atEnd: (() => void)[] = [];
    const state: RunState<SlotValue> = {
      readVariable: (op) => {
        const own = pending.get(op);
        if (own) return own;
        const v = this.variables.get(op);
        if (!v) throw uninitializedError([op]);
        if (reads && !reads.has(op)) reads.set(op, this.versionOf(op));
        return v;
      },
      writeVariable: (op, value) => {
        const prev = pending.get(op);
        if (prev === value) return;
        // A pending value must survive its slot's last use; the stored value is kept already.
        const stored = this.variables.get(op);
        if (value !== stored) this.storage.keep(value);
        if (prev !== undefined && prev !== stored) this.storage.unkeep(prev);
        pending.set(op, value);
      },
      random: (op) => this.randomFor(op),
      atRunEnd: (fn) => void atEnd.push(fn),
    };
    const end = (): void => {
      for (const fn of atEnd.splice(0)) fn();
    };
    return { state, pending, end };
  }

  /** Commits variable writes only when the whole run succeeded: a failed run changes no variable. */
  private commit(pending: Map<Operation, SlotValue>): void {
    if (!pending.size) return;
    for (const [op, v] of pending) {
      const old = this.variables.get(op);
      // The replaced value's buffer goes back to the pool: optimizer updates double-buffer, no allocation.
      if (old !== undefined && old !== v) this.releaseReplaced(old);
      this.versions.set(op, this.versionOf(op) + 1);
      this.variables.set(op, v);
    }
    this.storedBuffers.clear();
    for (const v of this.variables.values()) if (v instanceof NDArray) this.storedBuffers.add(v.data.buffer);
  }

  private versionOf(op: Operation): number {
    return this.versions.get(op) ?? 0;
  }

  /**
   * A variable's replaced device value: freed now, or — while an asynchronous run is in flight, which
   * may still be reading it — when the last such run has finished.
   */
  private releaseReplaced(old: SlotValue): void {
    if (this.asyncInFlight > 0) this.deferredReleases.push(old);
    else this.storage.unkeep(old);
  }

  private flushDeferredReleases(): void {
    const values = this.deferredReleases.splice(0);
    for (const v of values) this.storage.unkeep(v);
  }

  /** A failed run: its pending variable values are dropped (device backends free them). */
  private discard(pending: Map<Operation, SlotValue>): void {
    for (const [op, v] of pending) if (v !== this.variables.get(op)) this.storage.unkeep(v);
  }

  /** Each fetch leaf's value (null for ops); NDArrays aliasing variable storage are copied out. */
  private fetchedValues(
    leaves: readonly (Tensor | Operation)[],
    feedMap: ReadonlyMap<string, NDArray>,
    values: readonly (SlotValue | undefined)[],
  ): (SlotValue | null)[] {
    return leaves.map((leaf, i) => {
      if (leaf instanceof Operation) return null;
      const v = feedMap.get(leaf.key) ?? values[i];
      if (!v) throw new Error(`internal: no value computed for ${leaf.name}`);
      if (!(v instanceof NDArray)) return v;
      return this.storedBuffers.has(v.data.buffer)
        ? new NDArray(v.data.slice(), v.shape.slice(), v.dtype)
        : v;
    });
  }

  /** Frees the fetched values (each distinct one once) after they were read. */
  private releaseAll(plan: ExecutionPlan, values: readonly (SlotValue | undefined)[]): void {
    const slots = this.storage.forPlan(plan);
    for (const v of new Set(values)) if (v !== undefined) slots.free(v);
  }

  /** The compiled plan `run` would use for these fetches and feeds (printable). */
  plan(fetches: Fetches, feedDict?: FeedDict): ExecutionPlan {
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed Session.');
    const flat = flattenFetches(this.graph, fetches);
    const feeds = normalizeFeeds(this.graph, feedDict);
    return this.planFor(
      flat.leaves,
      feeds.map((f) => f.tensor.key),
    );
  }

  /**
   * Makes this session the default session while `fn` runs (TF1's `with sess.as_default():`), so that
   * `tensor.eval()` and `op.run()` use it; nests, and the previous default returns afterwards even when
   * `fn` throws. Returns what `fn` returns. `fn` runs synchronously: the registration ends when it
   * returns, not when a Promise it returns settles.
   *
   * @example
   * sess.asDefault(() => {
   *   tf.globalVariablesInitializer().run();
   *   console.log(y.eval({ 'x:0': [[1, 2]] }).toString());
   * });
   */
  asDefault<T>(fn: () => T): T {
    if (typeof fn !== 'function')
      throw new TypeError(
        'Session.asDefault(fn): expected a function to run with this session as the default',
      );
    pushDefaultSession(this);
    try {
      return fn();
    } finally {
      removeDefaultSession(this);
    }
  }

  /** Frees every buffer (device buffers included); any later use is an error. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.plans.clear();
    dropPrograms(this.liveDevicePlans);
    this.liveDevicePlans.clear();
    for (const v of this.variables.values()) this.storage.unkeep(v);
    this.flushDeferredReleases();
    this.backend.close?.();
    this.variables.clear();
    this.storedBuffers.clear();
    this.randoms.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private planFor(leaves: (Tensor | Operation)[], feedKeys: string[]): ExecutionPlan {
    const key = `${leaves.map((l) => (l instanceof Tensor ? `t${l.key}` : `o${l.id}`)).join(',')}|${feedKeys.sort().join(',')}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = compilePlan(this.backend, leaves, new Set(feedKeys), { cpuDevices: this.cpuDevices });
      plan.maxTensorBytes = this.maxTensorBytes;
      this.plans.set(key, plan);
      // Host backends: the steps' CPU devices (placed by compilePlan) become per-device programs.
      if (!this.backend.placement) {
        const placement = hostPlacementOf(plan);
        if (this.strictPlacement) checkPlacement(plan, placement, this.cpuDevices);
        const dp =
          this.cpuDevices > 1
            ? buildDevicePlan(plan, this.cpuDevices, this.backend.float64, placement)
            : undefined;
        this.devicePlans.set(plan, dp ?? null);
        if (dp) {
          this.liveDevicePlans.add(dp);
          annotatePlan(plan, dp);
        }
      }
      if (this.logPlacement) console.log(plan.placementLog());
    }
    return plan;
  }

  private randomFor(op: Operation): Random {
    let r = this.randoms.get(op);
    if (!r) {
      const seed = op.attrs.seed;
      r = new Random(resolveSeed(this.graph.seed, typeof seed === 'number' ? seed : undefined, op.id));
      this.randoms.set(op, r);
    }
    return r;
  }

  private checkGrowth(): void {
    const v = this.graph.version;
    if (!this.warnedGrowth && v - this.lastVersion >= GROWTH_WARNING_OPS) {
      this.warnedGrowth = true;
      console.warn(
        `tensorgraph: the graph grew by ${v - this.lastVersion} ops since the last Session.run. Building ops inside a training loop leaks memory; build once, then call graph.finalize() to catch this.`,
      );
    }
    this.lastVersion = v;
  }
}

/** The GPU backend's factory (registered when it is loaded); without it, `backend: 'gpu'` explains. */
function createGpuBackendOrThrow(options?: Record<string, unknown>): Backend {
  const factory = backendFactory('gpu');
  if (!factory)
    throw new Error("The 'gpu' backend is not available in this build (gpu.js backend not installed).");
  return factory(options);
}

/** TF1's keyword form of `sess.run(fetches, feed_dict=…, options=…, run_metadata=…)`. */
export interface RunKeywords {
  feedDict?: FeedDict | null;
  options?: RunOptions | { traceLevel?: number | string } | null;
  runMetadata?: RunMetadata | null;
}

interface RunArgs {
  feedDict: FeedDict | undefined;
  /** Record each op's start and end (traceLevel SOFTWARE_TRACE or more, with a RunMetadata). */
  trace: boolean;
  runMetadata: RunMetadata | undefined;
}

/**
 * TF1's all-keyword call `sess.run(fetches=…, feed_dict=…)`, written `sess.run({ fetches, feedDict })`: one
 * object argument whose keys are all of run's parameter names, `fetches` among them (a fetch dict whose
 * keys happen to be those names needs a graph op of that name to be read as a dict: then it is an error).
 */
function allKeywords(
  graph: Graph,
  fn: string,
  count: number,
  fetches: unknown,
):
  | {
      fetches: unknown;
      feedDict: FeedDict | null;
      options: RunOptions | null;
      runMetadata: RunMetadata | null;
    }
  | undefined {
  if (count !== 1) return undefined;
  const kw = keywordArgs(fn, graph, fetches, ['fetches', 'feedDict', 'options', 'runMetadata']);
  if (!kw || !('fetches' in kw)) return undefined;
  return {
    fetches: kw.fetches,
    feedDict: (kw.feedDict ?? null) as FeedDict | null,
    options: (kw.options ?? null) as RunOptions | null,
    runMetadata: (kw.runMetadata ?? null) as RunMetadata | null,
  };
}

/**
 * Reads `run`'s arguments after `fetches`: a feed dict (or the keyword form `{ feedDict }`), and TF1's
 * `options` (RunOptions) and `run_metadata` (RunMetadata), which do not exist here: a value for either is
 * a TypeError rather than silently ignored.
 */
function runArguments(
  graph: Graph,
  fn: string,
  count: number,
  feedDict: unknown,
  options: unknown,
  runMetadata: unknown,
): RunArgs {
  if (count > 4)
    throw new TypeError(
      `${fn} takes at most 4 arguments (fetches, feedDict, options, runMetadata) but ${count} were given`,
    );
  const kw = keywordArgs(fn, graph, feedDict, ['feedDict', 'options', 'runMetadata']);
  if (kw) {
    if (count > 2) throw new TypeError(`${fn}: keyword arguments must be the last argument`);
    feedDict = kw.feedDict;
    options = kw.options;
    runMetadata = kw.runMetadata;
  }
  const level = options === undefined || options === null ? 0 : parseRunOptions(`${fn} options`, options);
  if (runMetadata !== undefined && runMetadata !== null && !(runMetadata instanceof RunMetadata))
    throw new TypeError(`${fn}: 'runMetadata' must be a tf.RunMetadata (new tf.RunMetadata()) or null`);
  const meta = runMetadata instanceof RunMetadata ? runMetadata : undefined;
  const trace = level >= RunOptions.SOFTWARE_TRACE && meta !== undefined;
  if (feedDict === null || feedDict === undefined) return { feedDict: undefined, trace, runMetadata: meta };
  if (typeof feedDict !== 'object')
    throw new TypeError(
      `${fn}: 'feedDict' must be a Map, an array of [tensor, value] pairs or an object keyed by tensor names, got ${typeof feedDict}`,
    );
  return { feedDict: feedDict as FeedDict, trace, runMetadata: meta };
}

/** A trace grouped by device, as TF1's StepStats (times in µs; ends relative to starts). */
function deviceStats(trace: readonly StepTrace[]): DeviceStepStats[] {
  const byDevice = new Map<number, DeviceStepStats>();
  for (const t of trace) {
    let d = byDevice.get(t.device);
    if (!d) {
      const name = t.device < 0 ? fullDeviceName('GPU', 0) : fullDeviceName('CPU', t.device);
      byDevice.set(t.device, (d = { device: name, nodeStats: [] }));
    }
    const start = Math.round(t.startMicros);
    const rel = Math.max(0, Math.round(t.endMicros) - start);
    d.nodeStats.push({
      nodeName: t.nodeName,
      timelineLabel: `${t.nodeName} = ${t.opType}()`,
      allStartMicros: start,
      opStartRelMicros: 0,
      opEndRelMicros: rel,
      allEndRelMicros: rel,
    });
  }
  return [...byDevice.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/** TF1 without soft placement: an op pinned to a device the session lacks is an InvalidArgumentError. */
function checkPlacement(plan: ExecutionPlan, { notes }: Placement, devices: number): void {
  const i = notes.findIndex((n) => n?.startsWith('soft placement'));
  if (i < 0) return;
  const op = (plan.steps[i] as ExecutionPlan['steps'][number]).op;
  const available = Array.from({ length: devices }, (_x, d) => fullDeviceName('CPU', d)).join(', ');
  throw new InvalidArgumentError(
    `Cannot assign a device for operation ${op.name}: Could not satisfy explicit device specification '${op.device}' ` +
      `because no devices matching that specification are registered in this process; available devices: ${available}. ` +
      `(allowSoftPlacement: true in the ConfigProto runs it on /cpu:0)\n\t [[node ${op.name} (defined at ${op.site}) ]]`,
  );
}
