import type { SlotValue } from '../../backend';
import { InvalidArgumentError } from '../../../errors';
import { funcAttr, FuncDef, statefulOps } from '../../../graph/func_graph';
import { isCompatible, Shape, shapeToString } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import type { NDArray } from '../../../ndarray';
import { differentiatedConds } from '../../../ops/control/cond';
import { differentiatedLoops } from '../../../ops/control/while_grad';
import { getOpDef } from '../../../ops/op_def';
import { registerKernel } from '../../backend';
import { GpuKernelContext } from '../registry';
import { GpuTensor } from '../tensor';

/**
 * Functional control flow on the GPU backend: If and While run their traced functions with this
 * backend's own plans, so tensors stay on the device — a loop over GPU tensors keeps its loop
 * variables there and reads back only its scalar predicate per iteration. Where the gradient needs the
 * forward run's records (loop histories, recorded random draws) or a loop accumulates per-iteration
 * outputs, the op runs its CPU kernel on the host instead (decided per run). WhileGrad runs on the host.
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
      const next = yield* call(ctx, body, [...vars, ...caps]);
      next.forEach((v, i) => {
        if (!isCompatible(inv[i] ?? null, v.shape)) {
          release(next);
          throw new InvalidArgumentError(
            `Loop variable '${ctx.op.inputs[i]?.name ?? i}' has shape ${shapeToString(v.shape)} after iteration ${iter + 1}, which is not compatible with its shape invariant ${shapeToString(inv[i] ?? null)}`,
          );
        }
      });
      release(vars);
      vars = next;
    }
  } catch (e) {
    release(vars);
    throw e;
  } finally {
    release(uploaded);
  }
  return vars;
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
    // Loops with accumulated outputs, or whose iterations a gradient needs, run on the host.
    const accumulates = ((ctx.attrs.acc_dtypes as unknown[] | undefined) ?? []).length > 0;
    if (accumulates || ctx.attrs.has_size === true || differentiatedLoops.has(ctx.attrs))
      return ctx.onHost(inputs);
    return drive(whileFlow(inputs, ctx));
  },
});
