import type { Backend, KernelContext, RunState, SlotStorage, SlotValue, Storage } from '../backends/backend';
import type { DType } from '../graph/dtype';
import {
  TensorGraphError,
  InvalidArgumentError,
  FailedPreconditionError,
  ResourceExhaustedError,
} from '../errors';
import { tensorTooLarge } from '../graph/shape';
import type { Operation } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import type { InferContext } from '../ops/op_def';
import type { ExecutionPlan, PlanStep } from './plan';
import { FuncDef, LoadedFunc, loadFunc } from '../graph/func_graph';
import { compilePlan } from './compile';

type Concrete = { shape: number[]; dtype: DType }[];

/** Per-step cache of concrete output specs, keyed by the input shapes (skipped for value-dependent ops). */
const specCache = new WeakMap<PlanStep, { shapes: number[][]; outputs: Concrete }>();

/**
 * Runs a compiled plan; returns the value of every slot that is fetched. Errors name the failing node.
 * With a device backend, slot values may be device values: each is released after its last use (the
 * plan's `freeSlots`), and the fetched values are handed to the caller, who reads them back and releases
 * them. A step returning a Promise (an asynchronous GPU mode) needs `executePlanAsync`.
 */
export function executePlan(
  plan: ExecutionPlan,
  backend: Backend,
  feeds: ReadonlyMap<string, NDArray>,
  state: RunState<SlotValue>,
  /** The session's storage (its buffer pool, device references); default: unpooled. */
  storage: Storage = backend.createStorage({ pool: false }),
  /** Tracing: called after each step with its index and start/end times (performance.now(), ms). */
  onStep?: (i: number, start: number, end: number) => void,
): (SlotValue | undefined)[] {
  const run = new PlanRun(plan, backend, feeds, state, storage);
  for (let i = 0; i < plan.steps.length; i++) {
    const t0 = onStep ? performance.now() : 0;
    const results = run.start(i);
    if (results instanceof Promise) {
      run.abort();
      void results.then(
        (rs) => rs.forEach((v) => run.discard(v)),
        () => undefined,
      );
      throw new FailedPreconditionError(
        `The ${backend.name} backend reads this value back asynchronously (${backend.info}); use sess.runAsync(...) instead of sess.run(...)`,
      );
    }
    run.finish(i, results);
    onStep?.(i, t0, performance.now());
  }
  return run.fetched();
}

/** `executePlan` for backends whose steps may return Promises (every step is awaited in order). */
export async function executePlanAsync(
  plan: ExecutionPlan,
  backend: Backend,
  feeds: ReadonlyMap<string, NDArray>,
  state: RunState<SlotValue>,
  storage: Storage = backend.createStorage({ pool: false }),
): Promise<(SlotValue | undefined)[]> {
  const run = new PlanRun(plan, backend, feeds, state, storage, true);
  for (let i = 0; i < plan.steps.length; i++) {
    const started = run.start(i);
    let results: SlotValue[];
    try {
      results = started instanceof Promise ? await started : started;
    } catch (e) {
      run.abort();
      throw annotate(e, (plan.steps[i] as PlanStep).op);
    }
    run.finish(i, results);
  }
  return run.fetched();
}

/**
 * The state of one execution of a plan: its slots, and the step loop's two halves. The multi-device
 * executor (./devices) drives one per device and moves values between them with `get`/`put`.
 */
export class PlanRun {
  private readonly slots: (SlotValue | undefined)[];
  /** What this run does with slot values: the storage's operations for this plan. */
  private readonly store: SlotStorage;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly backend: Backend,
    feeds: ReadonlyMap<string, NDArray>,
    private readonly state: RunState<SlotValue>,
    private readonly storage: Storage = backend.createStorage({ pool: false }),
    /** Steps are awaited (executePlanAsync): traced functions run asynchronously too. */
    private readonly async = false,
  ) {
    this.slots = new Array(plan.slotCount);
    for (const [key, slot] of plan.feedSlots) this.slots[slot] = feeds.get(key);
    this.store = storage.forPlan(plan);
  }

  /** Runs step i's kernel; returns its outputs (or their Promise). Releases everything if it throws. */
  start(i: number): SlotValue[] | Promise<SlotValue[]> {
    const step = this.plan.steps[i] as PlanStep;
    const slots = this.slots;
    const live = step.liveReads;
    try {
      const inputs = step.inputSlots.map((s, k) => {
        const variable = live?.[k];
        if (variable) return this.state.readVariable(variable);
        return s >= 0 ? (slots[s] as SlotValue) : (undefined as unknown as SlotValue);
      });
      const outputs = concreteOutputs(step, inputs, this.storage, this.plan.maxTensorBytes);
      const ctx: KernelContext<SlotValue> = {
        op: step.op,
        attrs: step.op.attrs,
        outputs,
        state: this.state,
        alloc: this.store.alloc,
        callFunction: this.callFunction,
      };
      // Every backend's steps have one signature; only device backends' steps see device values.
      return step.kernel(inputs, ctx);
    } catch (e) {
      this.abort();
      throw annotate(e, step.op);
    }
  }

  /**
   * Stores step i's outputs and frees the slots whose last use it was; `beforeFree` runs in between
   * (the multi-device executor sends values to other devices there).
   */
  finish(i: number, results: SlotValue[], beforeFree?: () => void): void {
    const step = this.plan.steps[i] as PlanStep;
    const slots = this.slots;
    const store = this.store;
    step.outputSlots.forEach((slot, k) => {
      const v = results[k];
      if (v === undefined) return;
      if (slot >= 0) {
        slots[slot] = v;
        store.hold(v);
      } else this.discard(v); // a fed output keeps the fed value
    });
    beforeFree?.();
    for (const s of step.freeSlots) {
      const v = slots[s];
      if (v !== undefined) store.free(v);
      slots[s] = undefined;
    }
  }

  /** The value in `slot` (undefined when not computed yet or already freed). */
  get(slot: number): SlotValue | undefined {
    return this.slots[slot];
  }

  /** Runs a traced function for a control-flow kernel (see callFunction and KernelContext.callFunction). */
  private readonly callFunction = (
    def: FuncDef,
    args: SlotValue[],
    extra?: readonly string[],
    on?: { backend: Backend; state: RunState<SlotValue> },
  ): SlotValue[] | Promise<SlotValue[]> =>
    on
      ? callFunction(on.backend, def, args, on.state, on.backend.createStorage({ pool: false }), extra)
      : callFunction(this.backend, def, args, this.state, this.storage, extra, this.async);

  /** Drops a value no slot takes (an output of a step whose slot is fed, a late asynchronous result). */
  discard(value: SlotValue): void {
    this.store.hold(value);
    this.store.free(value);
  }

  /** Stores a value computed elsewhere (another device) in `slot`. */
  put(slot: number, value: SlotValue): void {
    this.slots[slot] = value;
  }

  /** Drops `slot`'s value (a host value sent to another device and not needed here any more). */
  drop(slot: number): void {
    this.slots[slot] = undefined;
  }

  /** The fetched values; the caller now owns them (reads them back, then releases them). */
  fetched(): (SlotValue | undefined)[] {
    return this.plan.fetchSlots.map((s) => (s >= 0 ? this.slots[s] : undefined));
  }

  /** After a failure: frees every live value (fed values aside), so a failed run leaks no device memory. */
  abort(): void {
    const fed = new Set(this.plan.feedSlots.values());
    const seen = new Set<SlotValue>();
    this.slots.forEach((v, slot) => {
      if (v !== undefined && !fed.has(slot) && !seen.has(v)) {
        seen.add(v);
        this.store.free(v);
      }
    });
    this.slots.fill(undefined);
  }
}

function concreteOutputs(
  step: PlanStep,
  inputs: SlotValue[],
  storage: Storage,
  maxTensorBytes: number,
): Concrete {
  const op = step.op;
  // Control-flow ops learn their output shapes by running their sub-graphs (OpDef.shapesFromKernel).
  if (op.def.shapesFromKernel) return [];
  // Ref inputs (variables written by assign ops) are not read: their static shape stands in.
  const shapes = inputs.map((x, i) => (x ? x.shape : ((op.inputs[i]?.shape ?? []) as number[])));
  const cached = specCache.get(step);
  if (cached && sameShapes(cached.shapes, shapes)) return cached.outputs;
  let usedValues = false;
  const ctx: InferContext = {
    type: op.type,
    name: op.name,
    shapes,
    dtypes: inputs.map((x, i) => (x ? x.dtype : (op.inputs[i]?.dtype ?? 'float32'))),
    attrs: op.attrs,
    runtime: true,
    value: (i) => {
      usedValues = true;
      const x = inputs[i];
      // Value-dependent shapes (a reshape's shape input, …) need the data on the host.
      return x === undefined ? x : storage.read(x);
    },
    fail: (message) => {
      throw new InvalidArgumentError(message);
    },
  };
  const specs = op.def.infer(ctx);
  const outputs = specs.map((s, i) => {
    if (s.shape === null || s.shape.some((d) => d === null)) {
      throw new InvalidArgumentError(`Output ${i} of ${op.type} has no concrete shape at run time`);
    }
    // Checked before the kernel allocates: an oversized output is a clear error, not an abort.
    const tooLarge = tensorTooLarge(s.shape as number[], s.dtype, maxTensorBytes);
    if (tooLarge !== undefined) throw new ResourceExhaustedError(tooLarge);
    return { shape: s.shape as number[], dtype: s.dtype };
  });
  if (!usedValues) specCache.set(step, { shapes, outputs });
  return outputs;
}

function sameShapes(a: number[][], b: number[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number[];
    const y = b[i] as number[];
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/** Adds TF1's node trailer (name, type, where it was created) to an error raised while running `op`. */
export function annotate(e: unknown, op: Operation): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.message.includes('[[node ')) return err;
  const trailer = `\n\t [[node ${op.name} (op: ${op.type}, defined at ${op.site}) ]]`;
  const Ctor =
    err instanceof TensorGraphError ? (err.constructor as new (m: string) => Error) : InvalidArgumentError;
  const wrapped = new Ctor(err.message + trailer);
  wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${err.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return wrapped;
}

/*
 * Traced functions (a tf.cond branch, a loop's condition or body, a loop's gradient body) run by the
 * executor as plans of the calling run's backend, sharing its variable state. On a host backend their
 * intermediates come from the session's buffer pool: each value is recycled at its last use inside the
 * function, so a loop's iterations reuse one set of buffers. The function's results leave the pool for
 * good (`handOut`): the calling kernel may keep them (loop histories, recorded branch values), and they
 * are never recycled under it. Functions that themselves hold values across steps (nested control flow,
 * TensorArrays) run without the pool, as such top-level plans do.
 */
const plans = new WeakMap<Backend, WeakMap<LoadedFunc, Map<string, ExecutionPlan>>>();

/** The compiled plan of `def` on `backend`, computing its results and then its `extra` tensors. */
export function functionPlan(backend: Backend, def: FuncDef, extra: readonly string[] = []): ExecutionPlan {
  const fn = loadFunc(def);
  let byFunc = plans.get(backend);
  if (!byFunc) plans.set(backend, (byFunc = new WeakMap()));
  let byExtra = byFunc.get(fn);
  if (!byExtra) byFunc.set(fn, (byExtra = new Map()));
  const key = extra.join(',');
  let plan = byExtra.get(key);
  if (!plan) {
    const targets = [...fn.outputs, ...extra.map((name) => fn.graph.getTensorByName(name))];
    byExtra.set(key, (plan = compilePlan(backend, targets, new Set(fn.inputs.map((t) => t.key)))));
  }
  return plan;
}

/**
 * Runs `def` on `args` as a plan of `backend` sharing the run's `state` and `storage`; returns its
 * results, then the values of its `extra` tensors, each the caller's own: a result that is an argument
 * or repeats another is a new reference (Storage.share), and results leave the buffer pool (handOut).
 * `async`: steps are awaited (a Promise is returned).
 */
export function callFunction(
  backend: Backend,
  def: FuncDef,
  args: readonly SlotValue[],
  state: RunState<SlotValue>,
  storage: Storage,
  extra: readonly string[] = [],
  async = false,
): SlotValue[] | Promise<SlotValue[]> {
  const fn = loadFunc(def);
  if (args.length !== fn.inputs.length)
    throw new Error(`internal: function ${def.name} takes ${fn.inputs.length} arguments, got ${args.length}`);
  const plan = functionPlan(backend, def, extra);
  // Arguments may be device values: the plan's transfer steps and kernels take values wherever they are.
  const feeds = new Map(fn.inputs.map((t, i) => [t.key, args[i] as NDArray]));
  const own = (values: (SlotValue | undefined)[]): SlotValue[] => {
    const seen = new Set<SlotValue>();
    return values.map((v, i) => {
      if (v === undefined) throw new Error(`internal: function ${def.name} computed no result ${i}`);
      const mine = args.includes(v) || seen.has(v) ? storage.share(v) : v;
      seen.add(v);
      storage.handOut(mine);
      return mine;
    });
  };
  if (async) return executePlanAsync(plan, backend, feeds, state, storage).then(own);
  return own(executePlan(plan, backend, feeds, state, storage));
}
