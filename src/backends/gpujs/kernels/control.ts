import type { SlotValue } from '../../backend';
import { InvalidArgumentError, UnimplementedError } from '../../../errors';
import { funcAttr, FuncDef, statefulOps } from '../../../graph/func_graph';
import { allocArray, DType } from '../../../graph/dtype';
import { isCompatible, Shape, shapeToString, sizeOf } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import { NDArray } from '../../../ndarray';
import { differentiatedConds } from '../../../ops/control/cond';
import { differentiatedLoops, whileGradLayout } from '../../../ops/control/while_grad';
import { getOpDef } from '../../../ops/op_def';
import { registerKernel } from '../../backend';
import { makeProgram } from '../program';
import { GpuKernelContext } from '../registry';
import type { Program } from '../runtime';
import { GpuTensor } from '../tensor';
import {
  discardRecord,
  dropRecord,
  findRecord,
  hostRecordReason,
  LoopRecord,
  recordWalked,
  storeRecord,
} from './loop_history';
import { assemble, MAX_ARGS, stackRows, zeros } from './rows';

/**
 * Functional control flow on the GPU backend: If and While run their traced functions with this
 * backend's own plans, so tensors stay on the device — a loop over GPU tensors keeps its loop
 * variables there and reads back only its scalar predicate per iteration (none when the predicate is
 * computed on the host from int32 counters). Loops that accumulate per-iteration outputs run on the
 * device too: the values a While stacks (dynamicRnn's outputs, mapFn, scan) are kept as device tensors,
 * one per iteration, and stacked by one kernel per 15 of them after the last iteration; TensorArrays
 * written in a body keep their buffers on the device (kernels/tensor_array.ts). A loop whose gradient is
 * taken records each iteration's loop variables (and the body values its gradient takes as given) as
 * device references (kernels/loop_history.ts), and WhileGrad walks that record backward on the device,
 * running the body's vector-Jacobian product as a GPU plan and summing the captured inputs' gradients
 * with device kernels: training a recurrent network reads nothing back per time step. Only where a loop
 * or its gradient is placed on the host with `tf.device` do both run their CPU kernels there (a record
 * is walked where it is made), as does an If whose gradient needs the values its branch drew.
 *
 * The generator below is written once for both contracts: in synchronous modes every yielded value is
 * already computed; in asynchronous ones (WebGPU) each is a Promise the driver awaits.
 */

type Step<T> = T | Promise<T>;
type Flow<R> = Generator<Step<unknown>, R, unknown>;

/** Runs a control-flow generator synchronously, or asynchronously when a step returns a Promise. */
function drive<R>(gen: Flow<R>): Step<R> {
  let next = gen.next();
  while (!next.done) {
    const v = next.value;
    if (v instanceof Promise) return continueAsync(gen, v);
    next = gen.next(v);
  }
  return next.value;
}

async function continueAsync<R>(gen: Flow<R>, pending: Promise<unknown>): Promise<R> {
  let next = gen.next(await pending);
  while (!next.done) next = gen.next(await next.value);
  return next.value;
}

function* call(
  ctx: GpuKernelContext,
  def: FuncDef,
  args: SlotValue[],
  extra: readonly string[] = [],
): Flow<SlotValue[]> {
  return (yield ctx.callFunction(def, args, extra.length ? extra : undefined)) as SlotValue[];
}

/** The truth of a scalar predicate (read back from the device: one element). */
function* truth(ctx: GpuKernelContext, p: SlotValue, what: string): Flow<boolean> {
  const host = (yield ctx.read(p)) as NDArray;
  if (host.size !== 1)
    throw new InvalidArgumentError(`${what} must be a scalar, got shape ${shapeToString(host.shape)}`);
  return host.data[0] !== 0;
}

function release(values: readonly SlotValue[]): void {
  for (const v of values) if (v instanceof GpuTensor) v.release();
}

function* ifFlow(inputs: SlotValue[], ctx: GpuKernelContext): Flow<SlotValue[]> {
  const pred = yield* truth(ctx, inputs[0] as SlotValue, 'The predicate of tf.cond');
  const def = funcAttr(ctx.attrs, pred ? 'then_branch' : 'else_branch');
  return yield* call(ctx, def, inputs.slice(1));
}

const writers = new WeakMap<FuncDef, boolean>();
function updatesVariables(def: FuncDef): boolean {
  let w = writers.get(def);
  if (w === undefined) writers.set(def, (w = statefulOps(def).some((t) => getOpDef(t).refInputs?.length)));
  return w;
}

/** What a loop run leaves: its final loop variables, its stacked outputs, and its record when asked. */
interface LoopResult {
  vars: SlotValue[];
  accs: SlotValue[];
  record?: LoopRecord;
}

/**
 * Runs the loop of a While (or of the forward pass inside WhileGrad, which neither accumulates nor has a
 * size); when `record` is given, keeps each iteration's loop variables and the values of the body
 * tensors it names, as device references (see loop_history.ts), as the CPU kernel keeps host copies.
 */
function* loopFlow(
  inputs: SlotValue[],
  ctx: GpuKernelContext,
  record: readonly string[] | undefined,
  accumulate: boolean,
): Flow<LoopResult> {
  const a = ctx.attrs;
  const n = a.num_loop_vars as number;
  const m = a.num_captures as number;
  const inv = (a.shape_invariants as Shape[] | undefined) ?? [];
  const cond = funcAttr(a, 'cond');
  const body = funcAttr(a, 'body');
  const extra = record ?? [];
  // The length of the accumulated outputs (an int32 scalar: on the host, or read back once).
  const accDtypes = accumulate ? ((a.acc_dtypes as DType[] | undefined) ?? []) : [];
  let size = 0;
  if (accumulate && a.has_size === true) {
    const host = (yield ctx.read(inputs[n + m] as SlotValue)) as NDArray;
    size = host.data[0] as number;
  }
  // Float tensors the loop reads go to the device once, not once per iteration (int32 and bool ones
  // stay on the host, where their ops run).
  const uploaded: GpuTensor[] = [];
  const toDevice = (v: SlotValue): SlotValue => {
    if (v instanceof GpuTensor || v.dtype !== 'float32') return v;
    const t = ctx.upload(v as NDArray);
    uploaded.push(t);
    return t;
  };
  const caps = inputs.slice(n, n + m).map(toDevice);
  // A loop that updates variables reads its captured variables afresh each iteration (see the CPU kernel).
  const live: [number, Operation][] = [];
  if (updatesVariables(body) || updatesVariables(cond))
    for (let j = 0; j < m; j++) {
      const t = ctx.op.inputs[n + j] as Tensor;
      if (t.op.type === 'VariableV2') live.push([j, t.op]);
    }
  // Per accumulated output, each iteration's value (new references this kernel owns until stacked).
  const accs: SlotValue[][] = accDtypes.map(() => []);
  // Recorded iterations: the loop variables entering each, and its recorded body values (owned).
  const history: SlotValue[][] = [];
  const recorded: SlotValue[][] = [];
  // The loop variables this kernel owns (the inputs are the executor's: take references).
  let vars = inputs.slice(0, n).map((v) => (v instanceof GpuTensor ? v.share() : v));
  vars = vars.map((v) => {
    const d = toDevice(v);
    if (d !== v) uploaded.pop(); // owned as a loop variable, released with the others
    return d;
  });
  try {
    for (let iter = 0; ; iter++) {
      for (const [j, variable] of live)
        caps[j] =
          (ctx.op.inputs[n + j] as Tensor).dtype === 'float32'
            ? ctx.variable(variable)
            : ctx.state.readVariable(variable);
      const [p] = yield* call(ctx, cond, [...vars, ...caps]);
      let go: boolean;
      try {
        go = yield* truth(ctx, p as SlotValue, 'The condition of tf.whileLoop');
      } finally {
        release([p as SlotValue]);
      }
      if (!go) break;
      const all = yield* call(ctx, body, [...vars, ...caps], extra);
      const out = all.slice(0, all.length - extra.length);
      const next = out.slice(0, n);
      try {
        next.forEach((v, i) => {
          if (!isCompatible(inv[i] ?? null, v.shape)) {
            throw new InvalidArgumentError(
              `Loop variable '${ctx.op.inputs[i]?.name ?? i}' has shape ${shapeToString(v.shape)} after iteration ${iter + 1}, which is not compatible with its shape invariant ${shapeToString(inv[i] ?? null)}`,
            );
          }
        });
        if (accumulate)
          out.slice(n).forEach((x, j) => {
            if (iter >= size) {
              throw new InvalidArgumentError(
                `The loop ran more than ${size} iterations, the size of its accumulated outputs`,
              );
            }
            const first = (accs[j] as SlotValue[])[0];
            if (first && !sameShape(first.shape, x.shape)) {
              throw new InvalidArgumentError(
                `Accumulated loop output ${j} has shape ${shapeToString(x.shape)} at iteration ${iter + 1}, but ${shapeToString(first.shape)} before`,
              );
            }
          });
      } catch (e) {
        release(all);
        throw e;
      }
      // Kept on the device (a reference each), stacked after the last iteration.
      if (accumulate) out.slice(n).forEach((x, j) => (accs[j] as SlotValue[]).push(x));
      else release(out.slice(n));
      if (record) {
        history.push(vars);
        recorded.push(all.slice(out.length));
      } else release(vars);
      vars = next;
    }
    const results: SlotValue[] = [];
    try {
      accDtypes.forEach((dtype, j) => results.push(stacked(ctx, accs[j] as SlotValue[], size, j, dtype)));
    } catch (e) {
      release(results);
      throw e;
    }
    const finals = vars.map((v) => ({ shape: v.shape.slice(), dtype: v.dtype }));
    return {
      vars,
      accs: results,
      ...(record
        ? { record: { history, recordedNames: [...extra], recorded, finals, walkedBy: new Set() } }
        : {}),
    };
  } catch (e) {
    release(vars);
    dropRecord({ history, recordedNames: [], recorded, finals: [], walkedBy: new Set() });
    throw e;
  } finally {
    release(uploaded);
    for (const parts of accs) release(parts);
  }
}

/** A While: its loop on the device; a differentiated one records its iterations for WhileGrad. */
function* whileFlow(inputs: SlotValue[], ctx: GpuKernelContext): Flow<SlotValue[]> {
  const toRecord = differentiatedLoops.get(ctx.attrs);
  const run = yield* loopFlow(inputs, ctx, toRecord && [...toRecord], true);
  if (run.record) storeRecord(ctx.state, ctx.attrs, run.record);
  return [...run.vars, ...run.accs];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The values of accumulated output `j` stacked into [size, ...element] (rows of iterations that did not
 * run are zero; with none, unknown element dims are 0, as on the CPU). Float values stacked on the
 * device; int32/bool ones, computed on the host, stacked there. The parts are not released.
 */
function stacked(
  ctx: GpuKernelContext,
  parts: SlotValue[],
  size: number,
  j: number,
  dtype: DType,
): SlotValue {
  const first = parts[0];
  const elem = first
    ? first.shape.slice()
    : (((ctx.attrs.acc_shapes as Shape[] | undefined)?.[j] ?? []) as (number | null)[]).map((d) => d ?? 0);
  const len = sizeOf(elem);
  const shape = [size, ...elem];
  if (parts.length > 0 && parts.every((p) => !(p instanceof GpuTensor))) {
    const data = allocArray(dtype, size * len);
    parts.forEach((p, it) => data.set((p as NDArray).data, it * len));
    return new NDArray(data, shape, dtype);
  }
  const temps: GpuTensor[] = [];
  try {
    const onDevice = parts.map((p) => {
      if (p instanceof GpuTensor) return p;
      const t = ctx.upload(p as NDArray);
      temps.push(t);
      return t;
    });
    return stackRows(ctx, onDevice, len, shape, dtype);
  } finally {
    release(temps);
  }
}

/** Float tensors go to the device (sharing the plan's one upload); int32/bool ones stay where they are. */
const nonFloat = (k: number, op: Operation): boolean => (op.inputs[k] as Tensor).dtype !== 'float32';

registerKernel('gpu', 'If', {
  shapeInputs: nonFloat,
  run: (inputs, ctx) => {
    // The forward and gradient of a conditional with recorded values keep their records on the host.
    if (ctx.attrs.forward_recorded === true || differentiatedConds.has(ctx.attrs)) return ctx.onHost(inputs);
    return drive(ifFlow(inputs, ctx));
  },
});

registerKernel('gpu', 'While', {
  shapeInputs: nonFloat,
  run: (inputs, ctx) => {
    // A differentiated loop records its iterations where its gradient walks them: on the device, or on
    // the host where the loop's gradient is placed there.
    if (differentiatedLoops.has(ctx.attrs) && hostRecordReason(ctx.op) !== undefined)
      return ctx.onHost(inputs);
    return drive(whileFlow(inputs, ctx));
  },
});

/** A float32 program summing `k` equally long arguments element by element, left to right. */
function sumProgram(size: number, k: number): Program {
  const names = Array.from({ length: k }, (_v, q) => `a${q}`);
  return makeProgram(size, names, `return ${names.map((a) => `${a}[i]`).join(' + ')};`);
}

/**
 * The running sum of one captured input's gradient over the iterations, on the device: terms are summed
 * in walk order (as the CPU kernel adds them), MAX_ARGS of them per launch.
 */
class DeviceSum {
  private sum: GpuTensor | undefined;
  private readonly terms: GpuTensor[] = [];
  constructor(
    private readonly ctx: GpuKernelContext,
    readonly shape: number[],
    readonly dtype: DType,
  ) {}

  /** Adds a term (a reference this sum now owns). */
  add(d: SlotValue): void {
    this.terms.push(d instanceof GpuTensor ? d : this.ctx.upload(d as NDArray));
    if (this.terms.length + (this.sum ? 1 : 0) >= MAX_ARGS) this.fold();
  }

  private fold(): void {
    if (!this.terms.length) return;
    const parts = this.sum ? [this.sum, ...this.terms] : this.terms.slice();
    const size = sizeOf(this.shape);
    try {
      this.sum = this.ctx.run(sumProgram(size, parts.length), parts, this.shape, this.dtype);
    } finally {
      release(parts);
      this.terms.length = 0;
    }
  }

  /** The sum (zero when nothing was added), a new reference for the caller. */
  take(): GpuTensor {
    this.fold();
    const s = this.sum ?? zeros(this.ctx, this.shape, this.dtype);
    this.sum = undefined;
    return s;
  }

  dispose(): void {
    release(this.terms);
    this.terms.length = 0;
    if (this.sum) release([this.sum]);
    this.sum = undefined;
  }
}

/** Row `it` of an accumulated output's gradient ([size, ...element]): a device row or a host view. */
function rowOf(ctx: GpuKernelContext, g: SlotValue, it: number): SlotValue {
  const elem = g.shape.slice(1);
  const len = sizeOf(elem);
  if (g instanceof GpuTensor) return assemble(ctx, [{ t: g, from: it, at: 0, count: 1 }], len, elem, g.dtype);
  const h = g as NDArray;
  return new NDArray(h.data.subarray(it * len, (it + 1) * len), elem, h.dtype);
}

/**
 * WhileGrad on the device: walks the forward loop's iterations recorded on the device (or, without a
 * record, runs the loop again, as the CPU kernel does) backward through the `vjp` function, summing the
 * gradients of the captured inputs on the device. Same inputs, outputs, attrs and errors as the CPU kernel.
 */
function* whileGradFlow(inputs: SlotValue[], ctx: GpuKernelContext): Flow<SlotValue[]> {
  const a = ctx.attrs;
  const { n, m, floatVars: fv, floatCaps: fc, dFinal, dAcc, vjp, base, forward } = whileGradLayout(ctx.op);
  const caps = inputs.slice(n, n + m);
  const found = forward && findRecord(ctx.state, forward.attrs);
  let run: LoopRecord;
  if (found) run = found;
  else {
    // Running the loop again would repeat its variable updates and random draws.
    const stateful = statefulOps(funcAttr(a, 'body'));
    if (stateful.length)
      throw new UnimplementedError(
        `${ctx.op.name}: the gradient of this loop needs its forward iterations, which were not recorded in this run (its outputs were fed, or the graph was imported), and its body holds stateful ops (${[...new Set(stateful)].join(', ')}) that running it again would repeat`,
      );
    const again = yield* loopFlow(inputs, ctx, [], false);
    release(again.vars);
    run = again.record as LoopRecord;
  }
  const cot: SlotValue[] = [];
  const sums = fc.map((j) => {
    const c = caps[j] as SlotValue;
    return new DeviceSum(ctx, c.shape.slice(), c.dtype);
  });
  try {
    // Where this gradient's recorded tensors sit among those the forward loop recorded.
    const recordedIndex = ((a.recorded as string[] | undefined) ?? []).map((name) => {
      const k = run.recordedNames.indexOf(name);
      if (k < 0) throw new Error(`internal: ${ctx.op.name}: the forward loop did not record ${name}`);
      return k;
    });
    fv.forEach((i) => {
      const k = dFinal.indexOf(i);
      const given = inputs[base + k];
      if (k >= 0 && given instanceof GpuTensor) cot.push(given.share());
      else if (k >= 0) cot.push(given as SlotValue);
      else {
        const f = run.finals[i] as { shape: number[]; dtype: DType };
        cot.push(zeros(ctx, f.shape, f.dtype));
      }
    });
    const accGrads = dAcc.map((_j, q) => inputs[base + dFinal.length + q] as SlotValue);
    for (let it = run.history.length - 1; it >= 0; it--) {
      const slices = accGrads.map((g) => rowOf(ctx, g, it));
      const given = recordedIndex.map((k) => (run.recorded[it] as SlotValue[])[k] as SlotValue);
      let res: SlotValue[];
      try {
        res = yield* call(ctx, vjp, [
          ...(run.history[it] as SlotValue[]),
          ...caps,
          ...cot,
          ...slices,
          ...given,
        ]);
      } finally {
        release(slices);
      }
      release(cot.splice(0, cot.length, ...res.slice(0, fv.length)));
      const terms = res.slice(fv.length);
      try {
        fc.forEach((_j, r) => {
          const sum = sums[r] as DeviceSum;
          const d = terms[r] as SlotValue;
          if (sizeOf(d.shape) !== sizeOf(sum.shape)) {
            throw new Error(
              `internal: gradient of capture ${r} has shape ${shapeToString(d.shape)}, expected ${shapeToString(sum.shape)}`,
            );
          }
        });
      } catch (e) {
        release(terms);
        throw e;
      }
      terms.forEach((d, r) => (sums[r] as DeviceSum).add(d));
    }
    const dCaps = sums.map((s) => s.take());
    if (found && forward) recordWalked(ctx.state, forward, ctx.attrs);
    return [...cot, ...dCaps];
  } catch (e) {
    release(cot);
    if (found && forward) discardRecord(ctx.state, forward.attrs);
    throw e;
  } finally {
    for (const s of sums) s.dispose();
    if (!found) dropRecord(run);
  }
}

registerKernel('gpu', 'WhileGrad', {
  // Loop variables (used only to run the loop again), int32 inputs and the forward loop's output (which
  // orders WhileGrad after it) stay where they are.
  shapeInputs: (k, op) => nonFloat(k, op) || k < (op.attrs.num_loop_vars as number) || isForwardInput(k, op),
  hostWhen: (op) => {
    const why = op.attrs.has_forward === true ? hostRecordReason(forwardOf(op)) : undefined;
    return why && `the loop's iterations are recorded and walked on the host: ${why}`;
  },
  run: (inputs, ctx) => drive(whileGradFlow(inputs, ctx)),
});

function forwardOf(grad: Operation): Operation {
  return (grad.inputs[grad.inputs.length - 1] as Tensor).op;
}

function isForwardInput(k: number, op: Operation): boolean {
  return op.attrs.has_forward === true && k === op.inputs.length - 1;
}
