import type { SlotValue } from '../../backend';
import { InvalidArgumentError } from '../../../errors';
import { funcAttr, FuncDef, statefulOps } from '../../../graph/func_graph';
import { allocArray, DType } from '../../../graph/dtype';
import { isCompatible, Shape, shapeToString, sizeOf } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import { NDArray } from '../../../ndarray';
import { differentiatedConds } from '../../../ops/control/cond';
import { differentiatedLoops } from '../../../ops/control/while_grad';
import { getOpDef } from '../../../ops/op_def';
import { registerKernel } from '../../backend';
import { GpuKernelContext } from '../registry';
import { GpuTensor } from '../tensor';
import { stackRows } from './rows';

/**
 * Functional control flow on the GPU backend: If and While run their traced functions with this
 * backend's own plans, so tensors stay on the device — a loop over GPU tensors keeps its loop
 * variables there and reads back only its scalar predicate per iteration (none when the predicate is
 * computed on the host from int32 counters). Loops that accumulate per-iteration outputs run on the
 * device too: the values a While stacks (dynamicRnn's outputs, mapFn, scan) are kept as device tensors,
 * one per iteration, and stacked by one kernel per 15 of them after the last iteration; TensorArrays
 * written in a body keep their buffers on the device (kernels/tensor_array.ts). Where the gradient needs
 * the forward run's records (loop histories, recorded random draws), the op runs its CPU kernel on the
 * host instead (decided per run), as does WhileGrad, which walks those host records.
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

function* call(ctx: GpuKernelContext, def: FuncDef, args: SlotValue[]): Flow<SlotValue[]> {
  return (yield ctx.callFunction(def, args)) as SlotValue[];
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

function* whileFlow(inputs: SlotValue[], ctx: GpuKernelContext): Flow<SlotValue[]> {
  const a = ctx.attrs;
  const n = a.num_loop_vars as number;
  const m = a.num_captures as number;
  const inv = (a.shape_invariants as Shape[] | undefined) ?? [];
  const cond = funcAttr(a, 'cond');
  const body = funcAttr(a, 'body');
  // The length of the accumulated outputs (an int32 scalar: on the host, or read back once).
  const accDtypes = (a.acc_dtypes as DType[] | undefined) ?? [];
  let size = 0;
  if (a.has_size === true) {
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
      const out = yield* call(ctx, body, [...vars, ...caps]);
      const next = out.slice(0, n);
      try {
        next.forEach((v, i) => {
          if (!isCompatible(inv[i] ?? null, v.shape)) {
            throw new InvalidArgumentError(
              `Loop variable '${ctx.op.inputs[i]?.name ?? i}' has shape ${shapeToString(v.shape)} after iteration ${iter + 1}, which is not compatible with its shape invariant ${shapeToString(inv[i] ?? null)}`,
            );
          }
        });
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
        release(out);
        throw e;
      }
      // Kept on the device (a reference each), stacked after the last iteration.
      out.slice(n).forEach((x, j) => (accs[j] as SlotValue[]).push(x));
      release(vars);
      vars = next;
    }
    const results: SlotValue[] = [];
    try {
      accDtypes.forEach((dtype, j) => results.push(stacked(ctx, accs[j] as SlotValue[], size, j, dtype)));
    } catch (e) {
      release(results);
      throw e;
    }
    return [...vars, ...results];
  } catch (e) {
    release(vars);
    throw e;
  } finally {
    release(uploaded);
    for (const parts of accs) release(parts);
  }
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
    // A loop whose iterations a gradient needs records them on the host (WhileGrad walks that record).
    if (differentiatedLoops.has(ctx.attrs)) return ctx.onHost(inputs);
    return drive(whileFlow(inputs, ctx));
  },
});
