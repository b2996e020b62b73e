import type { DType, TypedArray } from '../graph/dtype';
import type { FuncDef } from '../graph/func_graph';
import type { Attrs, Operation } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import type { ExecutionPlan } from '../session/plan';
import type { Random } from '../util/random';

/**
 * A value held by a plan slot or a variable. Host backends (the CPU) only ever hold NDArrays; a device
 * backend may also hold its own device-resident values, which expose their shape and dtype (so shape
 * inference and the memory plan work on them) but not their data: only the backend reads them back.
 */
export interface DeviceValue {
  readonly shape: number[];
  readonly dtype: DType;
  /** The device the value lives on, e.g. 'gpu'. */
  readonly device: string;
}
export type SlotValue = NDArray | DeviceValue;

/**
 * Per-run services a kernel may use: variable storage (stateful ops) and the op's random stream. Host
 * kernels see NDArrays (`RunState`); a device backend's kernels see its slot values (`RunState<SlotValue>`).
 */
export interface RunState<V extends SlotValue = NDArray> {
  readVariable(op: Operation): V;
  /** Stores a variable's new value (committed when the run succeeds); the store owns one reference. */
  writeVariable(op: Operation, value: V): void;
  random(op: Operation): Random;
  /**
   * Runs `fn` when the session's run ends, whether it succeeded or failed (after its fetches were read):
   * kernels release per-run device records there (a loop's history kept for its gradient).
   */
  atRunEnd?(fn: () => void): void;
}

/** What a kernel is given besides its input values. */
export interface KernelContext<V extends SlotValue = NDArray> {
  readonly op: Operation;
  readonly attrs: Readonly<Attrs>;
  /** Concrete output shapes and dtypes, from the op's shape function. */
  readonly outputs: readonly { shape: number[]; dtype: DType }[];
  readonly state: RunState<V>;
  /** Allocates an output buffer (Float64Array for float32 in the CPU backend's float64 mode). */
  alloc(dtype: DType, size: number): TypedArray;
  /**
   * Runs a traced function (a cond branch, a loop's condition or body) as a plan of the run's backend —
   * or of `on.backend` with `on.state` (a device backend's host steps run theirs on the host) — sharing
   * the run's state; returns its results, then its `extra` tensors' values, each the caller's own (a new
   * reference on a device backend). Arguments stay where they are. A Promise in asynchronous runs. Set
   * by the executor (src/session/execute.ts); on a host backend loop bodies draw from the buffer pool.
   */
  callFunction?(
    def: FuncDef,
    args: V[],
    extra?: readonly string[],
    on?: { backend: Backend; state: RunState<SlotValue> },
  ): V[] | Promise<V[]>;
}

/** A host kernel computes an op's outputs; it never mutates or frees its inputs (the session owns lifetimes). */
export type Kernel = (inputs: NDArray[], ctx: KernelContext) => NDArray[];

/**
 * The step function of a plan, on every backend: `(inputs, ctx) => outputs` over slot values. On a
 * device backend each output is a new reference the slot owns (a step returning an input must share it,
 * not alias it); in asynchronous modes it may return a Promise (then only `runAsync` can run the plan).
 */
export type StepKernel = (
  inputs: SlotValue[],
  ctx: KernelContext<SlotValue>,
) => SlotValue[] | Promise<SlotValue[]>;

/** A host kernel as a plan step: host plans hold only NDArrays, so it is only ever called with them. */
export function hostStep(kernel: Kernel): StepKernel {
  return kernel as unknown as StepKernel;
}

/** Where a step's input must be for its kernel: on the host, on the device, or anywhere (shape only). */
export type Need = 'device' | 'host' | 'any';

/** A device backend's placement of one op (see `DevicePlacement`). */
export interface OpPlacement {
  /** `'/gpu:0'` or `'/cpu:0'` (the host). */
  device: string;
  /** Why the op runs on the host, where it does. */
  reason?: string;
  need(input: number): Need;
  /** The step function (inputs already where `need` says). */
  kernel: StepKernel;
}

/**
 * What the placement pass (src/session/passes/placement.ts) asks a backend with a device besides the
 * host: where each op runs and what its inputs need, and the kernels that copy a value across.
 */
export interface DevicePlacement {
  /** The device's name, e.g. `'/gpu:0'`. */
  readonly device: string;
  place(op: Operation): OpPlacement;
  transfer(to: 'device' | 'host'): StepKernel;
}

/**
 * A backend: a kernel table keyed by op type with one kernel signature (`StepKernel`), plus storage
 * (`download`, `release`) for backends whose values live elsewhere. Elementwise ops (and fused groups of
 * them, from the compile pipeline's fusion pass) are compiled from their formulas by the backend.
 */
export interface Backend {
  readonly name: string;
  /** Float32 tensors are computed in float64 (the CPU backend's reference mode for gradient checks). */
  readonly float64: boolean;
  /** Why this backend/mode was chosen (shown as `session.backendInfo`). */
  readonly info: string;
  /** The step kernel for an op, or undefined when the backend has none. */
  kernelFor(op: Operation): StepKernel | undefined;
  /**
   * The library's own CPU kernels, which a device thread can load too: sessions on this backend may
   * have CPU devices `'/cpu:1'`, … (SPEC §9). A backend with kernels of its own leaves this unset.
   */
  readonly threadDevices?: boolean;
  /** How fed values are stored (default: float32 values rounded into a Float32Array). */
  adoptFeed?(value: NDArray): NDArray;
  /** The host backend whose kernels fold constants at compile time (the CPU backend: itself). */
  readonly foldingBackend?: HostBackend;
  /** Elementwise fusion: off when false (default on); the most distinct inputs one fused kernel takes. */
  readonly fuse?: boolean;
  readonly maxFusedInputs?: number;

  /**
   * Storage for one session's values (its runs' slots, its variables), or — with `{ pool: false }` — for
   * runs outside a session (device threads, constant folding): no buffer recycling across steps.
   */
  createStorage(options?: { pool?: boolean }): Storage;

  // ---- Backends with a device besides the host (the GPU). Values in slots and variables may then be
  // the backend's DeviceValues: the placement pass inserts transfer steps, and the session reads fetches
  // back (Storage.read), releases values at their last use (the memory plan) and at close().

  readonly placement?: DevicePlacement;
  /** Called with every compiled plan (e.g. to compile device kernels ahead of the first run). */
  prepare?(plan: ExecutionPlan): void;
  /** Awaited by `runAsync` before running (e.g. to let an asynchronous WebGPU adapter probe answer). */
  prepareAsync?(): Promise<void>;
  /** Frees everything the backend holds for its session; called by `Session.close()`. */
  close?(): void;
  /** Host↔device copies made so far (device backends); `Session.transferStats` reports them. */
  transferStats?(): TransferStats;
}

/** What one run of a plan does with the values in its slots (see `Storage.forPlan`). */
export interface SlotStorage {
  /** An output buffer for a host kernel (`KernelContext.alloc`). */
  alloc(dtype: DType, size: number): TypedArray;
  /** A slot now holds `value`, a kernel's output. */
  hold(value: SlotValue): void;
  /** A slot let go of `value` (its last use, an output nobody reads, an aborted run). */
  free(value: SlotValue): void;
}

/**
 * Where a session's values live, one per session (`backend.createStorage()`), so that the session and
 * the executor treat every backend alike. The CPU backend's recycles host buffers through a pool (the
 * run-time memory plan); the GPU backend's counts device references and reads values back from the
 * device.
 */
export interface Storage {
  /** The slot operations for a run of `plan` (a pool is used only where the plan allows it). */
  forPlan(plan: ExecutionPlan): SlotStorage;
  /** A variable (pending or committed) now holds `value`. */
  keep(value: SlotValue): void;
  /** A variable let go of `value` (replaced, discarded, or the session closed). */
  unkeep(value: SlotValue): void;
  /** The end of a run, before its writes commit: `handedOut` (the fetched values) are the caller's now. */
  endRun(handedOut: readonly (SlotValue | undefined)[]): void;
  /** A traced function's results leave the pool for good: the calling kernel may keep them. */
  handOut(value: SlotValue): void;
  /** A new reference to `value` for a caller that will free it (host values are shared as they are). */
  share(value: SlotValue): SlotValue;
  /** `value` on the host; throws where the backend can only read back asynchronously. */
  read(value: SlotValue): NDArray;
  /** Set where reads (and kernels) may be asynchronous: `runAsync` then awaits them. */
  readAsync?(value: SlotValue): Promise<NDArray>;
}

/** A backend computing on host NDArrays (the CPU backend): its host kernels can be called directly. */
export interface HostBackend extends Backend {
  hostKernelFor(op: Operation): Kernel | undefined;
}

/** Counts of host↔device copies (uploads to the device, read-backs to the host) and their sizes. */
export interface TransferStats {
  uploads: number;
  uploadedElements: number;
  downloads: number;
  downloadedElements: number;
}

/** True for values that live on a device (not host NDArrays). */
export function isDeviceValue(v: SlotValue | undefined): v is DeviceValue {
  return v !== undefined && typeof (v as DeviceValue).device === 'string';
}

/**
 * What a backend's kernel table holds per op type: one table keyed by backend and op name for every
 * backend. The CPU's entries are `Kernel`s; a backend whose kernels need more (the GPU's declared host
 * placements) adds its entry type here by declaration merging, e.g. `interface KernelEntries { gpu:
 * GpuKernelSpec }`. Every entry computes `(inputs, ctx) => outputs`.
 */
export interface KernelEntries {
  cpu: Kernel;
}
/** The entry type of backend `B`'s kernel table (`Kernel` for backends that declare none). */
export type KernelEntry<B extends string> = B extends keyof KernelEntries ? KernelEntries[B] : Kernel;

const kernelTables = new Map<string, Map<string, unknown>>();

/**
 * Registers the kernel of op `type` on backend `backend` (kernels live in src/backends/<name>/kernels;
 * one per op type and backend).
 *
 * @example
 * registerKernel('cpu', 'Snapshot', ([x], ctx) => [new NDArray(x.data.slice(), ctx.outputs[0].shape, x.dtype)]);
 */
export function registerKernel<B extends string>(backend: B, type: string, kernel: KernelEntry<B>): void {
  const table = tableOf(backend);
  if (table.has(type)) throw new Error(`Kernel ${type} is registered twice for backend ${backend}`);
  table.set(type, kernel);
}

/** Backend `backend`'s kernel table, by op type. */
export function kernelTable<B extends string>(backend: B): ReadonlyMap<string, KernelEntry<B>> {
  return tableOf(backend) as ReadonlyMap<string, KernelEntry<B>>;
}

function tableOf(backend: string): Map<string, unknown> {
  let table = kernelTables.get(backend);
  if (!table) kernelTables.set(backend, (table = new Map()));
  return table;
}

const factories = new Map<string, (options?: Record<string, unknown>) => Backend>();

/**
 * Registers the factory behind a backend name (`new tf.Session({ backend: 'gpu', gpu: options })`); the
 * GPU backend registers itself when its module is loaded.
 */
export function registerBackendFactory(
  name: string,
  factory: (options?: Record<string, unknown>) => Backend,
): void {
  factories.set(name, factory);
}

/** The factory registered for a backend name, if any. */
export function backendFactory(name: string): ((options?: Record<string, unknown>) => Backend) | undefined {
  return factories.get(name);
}
