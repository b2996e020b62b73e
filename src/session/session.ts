import type { Backend, RunState } from '../backends/backend';
import { createCpuBackend } from '../backends/cpu';
import { FailedPreconditionError } from '../errors';
import { getDefaultGraph, Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { NDArray } from '../ndarray';
import { Random, resolveSeed } from '../util/random';
import { compilePlan, uninitializedError } from './compile';
import { executePlan } from './execute';
import { FeedDict, normalizeFeeds } from './feeds';
import { Fetches, FetchResult, flattenFetches } from './fetches';
import type { ExecutionPlan } from './plan';

export interface SessionOptions {
  /** The graph to run (default: the default graph at construction). */
  graph?: Graph;
  /** `'cpu'` (default), `'gpu'`, or a backend object (e.g. `createCpuBackend({ float64: true })`). */
  backend?: 'cpu' | 'gpu' | Backend;
}

/** What the session runs on and why (`session.backendInfo`). */
export interface BackendInfo {
  backend: string;
  reason: string;
}

const GROWTH_WARNING_OPS = 2000;

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
  private readonly variables = new Map<Operation, NDArray>();
  /** Buffers backing variable values: fetched results that alias them (even as views) are copied out. */
  private readonly storedBuffers = new Set<ArrayBufferLike>();
  private readonly randoms = new Map<Operation, Random>();
  private closed = false;
  private lastVersion: number;
  private warnedGrowth = false;

  constructor(options: SessionOptions = {}) {
    this.graph = options.graph ?? getDefaultGraph();
    const b = options.backend ?? 'cpu';
    if (b === 'cpu') this.backend = createCpuBackend();
    else if (b === 'gpu') this.backend = createGpuBackendOrThrow();
    else this.backend = b;
    this.lastVersion = this.graph.version;
  }

  get backendInfo(): BackendInfo {
    return { backend: this.backend.name, reason: this.backend.info };
  }

  /**
   * Computes `fetches` (any nesting of tensors, ops and names) given `feedDict`. Returns the same
   * structure with NDArrays for tensors and `null` for operations.
   */
  run<const F extends Fetches>(fetches: F, feedDict?: FeedDict): FetchResult<F> {
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed Session.');
    this.checkGrowth();
    const flat = flattenFetches(this.graph, fetches);
    const feeds = normalizeFeeds(this.graph, feedDict, this.backend.float64);
    const feedMap = new Map(feeds.map((f) => [f.tensor.key, f.value]));
    const plan = this.planFor(flat.leaves, feeds.map((f) => f.tensor.key));
    const missing = plan.variablesRead.filter((op) => !this.variables.has(op));
    if (missing.length) throw uninitializedError(missing);

    const pending = new Map<Operation, NDArray>();
    const state: RunState = {
      readVariable: (op) => {
        const v = pending.get(op) ?? this.variables.get(op);
        if (!v) throw uninitializedError([op]);
        return v;
      },
      writeVariable: (op, value) => void pending.set(op, value),
      random: (op) => this.randomFor(op),
    };
    const values = executePlan(plan, this.backend, feedMap, state);
    // Commit variable writes only when the whole run succeeded: a failed run changes no variable.
    if (pending.size) {
      for (const [op, v] of pending) this.variables.set(op, v);
      this.storedBuffers.clear();
      for (const v of this.variables.values()) this.storedBuffers.add(v.data.buffer);
    }
    const out = flat.leaves.map((leaf, i) => {
      if (leaf instanceof Operation) return null;
      const v = feedMap.get(leaf.key) ?? values[i];
      if (!v) throw new Error(`internal: no value computed for ${leaf.name}`);
      return this.storedBuffers.has(v.data.buffer) ? new NDArray(v.data.slice(), v.shape.slice(), v.dtype) : v;
    });
    return flat.rebuild(out) as FetchResult<F>;
  }

  /** `run`, returning a Promise (needed where a GPU mode can only read back asynchronously). */
  runAsync<const F extends Fetches>(fetches: F, feedDict?: FeedDict): Promise<FetchResult<F>> {
    const run = this.run.bind(this) as (f: Fetches, d?: FeedDict) => unknown;
    return new Promise((resolve) => resolve(run(fetches, feedDict) as FetchResult<F>));
  }

  /** The compiled plan `run` would use for these fetches and feeds (printable). */
  plan(fetches: Fetches, feedDict?: FeedDict): ExecutionPlan {
    const flat = flattenFetches(this.graph, fetches);
    const feeds = normalizeFeeds(this.graph, feedDict, this.backend.float64);
    return this.planFor(flat.leaves, feeds.map((f) => f.tensor.key));
  }

  /** Frees every buffer; any later use is an error. */
  close(): void {
    this.closed = true;
    this.plans.clear();
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
      plan = compilePlan(this.backend, leaves, new Set(feedKeys));
      this.plans.set(key, plan);
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

/** Hook the GPU backend installs; without it, `backend: 'gpu'` explains what is missing. */
let gpuFactory: (() => Backend) | undefined;
export function installGpuBackendFactory(factory: () => Backend): void {
  gpuFactory = factory;
}
function createGpuBackendOrThrow(): Backend {
  if (!gpuFactory) throw new Error("The 'gpu' backend is not available in this build (gpu.js backend not installed).");
  return gpuFactory();
}
