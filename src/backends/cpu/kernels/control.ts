import { KernelContext, registerKernel } from '../../backend';
import { InvalidArgumentError, UnimplementedError } from '../../../errors';
import type { DType } from '../../../graph/dtype';
import { FuncDef, funcAttr, statefulOps } from '../../../graph/func_graph';
import { isCompatible, Shape, shapeToString, sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import type { Attrs, Operation, Tensor } from '../../../graph/tensor';
import { differentiatedLoops, whileGradLayout } from '../../../ops/control/while_grad';
import { differentiatedConds } from '../../../ops/control/cond';
import { getOpDef } from '../../../ops/op_def';

/**
 * Functional control flow on the CPU: If, While and WhileGrad run their sub-graphs (FuncDefs in their
 * attrs) through the executor (`ctx.callFunction`: plans of the run's backend, compiled once per
 * function), sharing the run's state (variables, random streams).
 */

/**
 * Runs function `def` on `args` with the executor's `ctx.callFunction` (the run's backend and state; on
 * the CPU loop bodies draw from the session's buffer pool). Host runs are synchronous. Returns its
 * results, then the values of the `extra` tensors of the function (by name), when asked for.
 */
function callFunc(
  def: FuncDef,
  args: NDArray[],
  ctx: KernelContext,
  extra: readonly string[] = [],
): NDArray[] {
  if (!ctx.callFunction) throw new Error(`internal: no function runner for ${ctx.op.name}`);
  const out = ctx.callFunction(def, args, extra);
  if (out instanceof Promise)
    throw new Error(`internal: ${ctx.op.name} ran a function asynchronously on the host`);
  return out;
}

function truth(x: NDArray, what: string): boolean {
  if (x.size !== 1)
    throw new InvalidArgumentError(`${what} must be a scalar, got shape ${shapeToString(x.shape)}`);
  return x.data[0] !== 0;
}

/** Recorded branch values of differentiated If ops run in this run (keyed by the run's state). */
const branchValues = new WeakMap<object, Map<Attrs, Map<string, NDArray>>>();

registerKernel('cpu', 'If', (inputs, ctx) => {
  const branch = truth(inputs[0] as NDArray, 'The predicate of tf.cond') ? 'then_branch' : 'else_branch';
  const def = funcAttr(ctx.attrs, branch);
  if (ctx.attrs.forward_recorded === true) {
    // The gradient of an If whose branch draws random values or assigns: the forward run's values.
    const forward = (ctx.op.inputs[ctx.op.inputs.length - 1] as Tensor).op;
    const names = ctx.attrs[branch === 'then_branch' ? 'recorded_then' : 'recorded_else'] as string[];
    const values = branchValues.get(ctx.state)?.get(forward.attrs);
    const given = names.map((name) => {
      const v = values?.get(name);
      if (!v)
        throw new UnimplementedError(
          `${ctx.op.name}: the gradient of the conditional '${forward.name}' needs the values its branch drew or assigned in this run, which were not recorded (its outputs were fed, or the graph was imported)`,
        );
      return v;
    });
    return callFunc(def, [...inputs.slice(1, -1), ...given], ctx);
  }
  const record = differentiatedConds.get(ctx.attrs)?.[branch];
  if (!record?.size) return callFunc(def, inputs.slice(1), ctx);
  const names = [...record];
  const all = callFunc(def, inputs.slice(1), ctx, names);
  const outs = all.slice(0, all.length - names.length);
  let byOp = branchValues.get(ctx.state);
  if (!byOp) branchValues.set(ctx.state, (byOp = new Map()));
  byOp.set(ctx.attrs, new Map(names.map((name, k) => [name, all[outs.length + k] as NDArray])));
  return outs;
});

interface LoopRun {
  finals: NDArray[];
  /** Loop variables entering each iteration (only when recorded). */
  history: NDArray[][];
  /** Names of the body tensors recorded each iteration, and their values per iteration. */
  recordedNames: string[];
  recorded: NDArray[][];
  accs: NDArray[];
}

/**
 * Runs the loop of a While (or of the forward pass inside WhileGrad); when recording, keeps each
 * iteration's loop variables and the values of the body tensors named in `extra`.
 */
function runLoop(
  inputs: NDArray[],
  ctx: KernelContext,
  record: boolean,
  accumulate: boolean,
  extra: readonly string[] = [],
): LoopRun {
  const a = ctx.attrs;
  const n = a.num_loop_vars as number;
  const m = a.num_captures as number;
  const inv = (a.shape_invariants as Shape[] | undefined) ?? [];
  const cond = funcAttr(a, 'cond');
  const body = funcAttr(a, 'body');
  let vars = inputs.slice(0, n);
  const caps = inputs.slice(n, n + m);
  const size = a.has_size ? ((inputs[n + m] as NDArray).data[0] as number) : 0;
  const accDtypes = (a.acc_dtypes as DType[] | undefined) ?? [];
  const accShapes = (a.acc_shapes as Shape[] | undefined) ?? [];
  const accs: { data: NDArray['data']; elem: number[] }[] = [];
  const history: NDArray[][] = [];
  const recorded: NDArray[][] = [];
  let iter = 0;
  // A loop that updates variables reads the captured ones afresh each iteration (TF1 reads a variable
  // where the body uses it, so it sees the updates of earlier iterations).
  const live = updatesVariables(body) || updatesVariables(cond) ? liveCaptures(ctx, n, m) : [];
  for (;;) {
    for (const [j, variable] of live) caps[j] = ctx.state.readVariable(variable) as NDArray;
    if (!truth(callFunc(cond, [...vars, ...caps], ctx)[0] as NDArray, 'The condition of tf.whileLoop')) break;
    if (record) history.push(vars);
    const all = callFunc(body, [...vars, ...caps], ctx, extra);
    const out = all.slice(0, all.length - extra.length);
    if (record && extra.length) recorded.push(all.slice(out.length));
    const next = out.slice(0, n);
    next.forEach((v, i) => {
      const s = inv[i] ?? null;
      if (!isCompatible(s, v.shape)) {
        throw new InvalidArgumentError(
          `Loop variable '${ctx.op.inputs[i]?.name ?? i}' has shape ${shapeToString(v.shape)} after iteration ${iter + 1}, which is not compatible with its shape invariant ${shapeToString(s)}`,
        );
      }
    });
    if (accumulate) {
      out.slice(n).forEach((x, j) => {
        if (iter >= size) {
          throw new InvalidArgumentError(
            `The loop ran more than ${size} iterations, the size of its accumulated outputs`,
          );
        }
        let acc = accs[j];
        if (!acc) {
          acc = accs[j] = { data: ctx.alloc(accDtypes[j] as DType, size * x.size), elem: x.shape.slice() };
        } else if (acc.elem.length !== x.shape.length || acc.elem.some((d, q) => d !== x.shape[q])) {
          throw new InvalidArgumentError(
            `Accumulated loop output ${j} has shape ${shapeToString(x.shape)} at iteration ${iter + 1}, but ${shapeToString(acc.elem)} before`,
          );
        }
        acc.data.set(x.data, iter * x.size);
      });
    }
    vars = next;
    iter++;
  }
  const stacked = !accumulate
    ? []
    : accDtypes.map((dtype, j) => {
        const acc = accs[j];
        if (acc) return new NDArray(acc.data, [size, ...acc.elem], dtype);
        // The loop never ran: unknown dims of the element shape are taken as 0.
        const elem = (accShapes[j] ?? []).map((d) => d ?? 0);
        return new NDArray(ctx.alloc(dtype, size * sizeOf(elem)), [size, ...elem], dtype);
      });
  return { finals: vars, history, recordedNames: extra.slice(), recorded, accs: stacked };
}

const writers = new WeakMap<FuncDef, boolean>();

/** Whether a function (or one nested in it) assigns a variable. */
function updatesVariables(def: FuncDef): boolean {
  let w = writers.get(def);
  if (w === undefined) {
    w = statefulOps(def).some((type) => getOpDef(type).refInputs?.length);
    writers.set(def, w);
  }
  return w;
}

/** Captured inputs of a While that are variables: [capture index, variable op]. */
function liveCaptures(ctx: KernelContext, n: number, m: number): [number, Operation][] {
  const found: [number, Operation][] = [];
  for (let j = 0; j < m; j++) {
    const t = ctx.op.inputs[n + j] as Tensor;
    if (t.op.type === 'VariableV2') found.push([j, t.op]);
  }
  return found;
}

/**
 * Loop histories of the differentiated While ops run in this run (keyed by the run's state, so they die
 * with the run): WhileGrad uses them instead of running the loop again. Without one (an imported graph,
 * or the loop's outputs fed), WhileGrad reruns the loop itself.
 */
const histories = new WeakMap<object, Map<Attrs, LoopRun>>();

registerKernel('cpu', 'While', (inputs, ctx) => {
  const toRecord = differentiatedLoops.get(ctx.attrs);
  const record = toRecord !== undefined;
  const run = runLoop(inputs, ctx, record, true, toRecord ? [...toRecord] : []);
  if (record) {
    let byOp = histories.get(ctx.state);
    if (!byOp) histories.set(ctx.state, (byOp = new Map()));
    byOp.set(ctx.attrs, run);
  }
  return [...run.finals, ...run.accs];
});

registerKernel('cpu', 'WhileGrad', (inputs, ctx) => {
  const a = ctx.attrs;
  const { n, m, floatVars: fv, floatCaps: fc, dFinal, dAcc, vjp, base, forward } = whileGradLayout(ctx.op);
  const caps = inputs.slice(n, n + m);
  const recorded = forward && histories.get(ctx.state)?.get(forward.attrs);
  if (!recorded) {
    // Running the loop again would repeat its variable updates and random draws.
    const stateful = statefulOps(funcAttr(a, 'body'));
    if (stateful.length)
      throw new UnimplementedError(
        `${ctx.op.name}: the gradient of this loop needs its forward iterations, which were not recorded in this run (its outputs were fed, or the graph was imported), and its body holds stateful ops (${[...new Set(stateful)].join(', ')}) that running it again would repeat`,
      );
  }
  const run = recorded || runLoop(inputs, ctx, true, false);
  // Where this gradient's recorded tensors sit among those the forward loop recorded.
  const recordedIndex = ((a.recorded as string[] | undefined) ?? []).map((name) => {
    const k = run.recordedNames.indexOf(name);
    if (k < 0) throw new Error(`internal: ${ctx.op.name}: the forward loop did not record ${name}`);
    return k;
  });

  const zeros = (like: NDArray): NDArray =>
    new NDArray(ctx.alloc(like.dtype, like.size), like.shape.slice(), like.dtype);
  let cot = fv.map((i) => {
    const k = dFinal.indexOf(i);
    return k >= 0 ? (inputs[base + k] as NDArray) : zeros(run.finals[i] as NDArray);
  });
  const dCaps = fc.map((j) => zeros(caps[j] as NDArray));
  const accGrads = dAcc.map((_j, q) => inputs[base + dFinal.length + q] as NDArray);
  for (let it = run.history.length - 1; it >= 0; it--) {
    const slices = accGrads.map((g) => {
      const elem = g.shape.slice(1);
      const len = sizeOf(elem);
      return new NDArray(g.data.subarray(it * len, (it + 1) * len), elem, g.dtype);
    });
    const given = recordedIndex.map((k) => (run.recorded[it] as NDArray[])[k] as NDArray);
    const res = callFunc(vjp, [...(run.history[it] as NDArray[]), ...caps, ...cot, ...slices, ...given], ctx);
    cot = res.slice(0, fv.length);
    fc.forEach((_j, r) => {
      const sum = dCaps[r] as NDArray;
      const d = res[fv.length + r] as NDArray;
      if (d.size !== sum.size) {
        throw new Error(
          `internal: gradient of capture ${r} has shape ${shapeToString(d.shape)}, expected ${shapeToString(sum.shape)}`,
        );
      }
      for (let e = 0; e < sum.size; e++) sum.data[e] = (sum.data[e] as number) + (d.data[e] as number);
    });
  }
  return [...cot, ...dCaps];
});
