import { UnimplementedError } from '../../errors';
import { DType } from '../../graph/dtype';
import {
  ArgSpec,
  FuncDef,
  funcAttr,
  funcAttrValue,
  inlineFunc,
  statefulToRecord,
  toFuncDef,
  traceFunc,
} from '../../graph/func_graph';
import { gradients } from '../../graph/gradients';
import { Shape } from '../../graph/shape';
import { Attrs, Operation, Tensor } from '../../graph/tensor';
import { defineOp, InferContext, makeOp } from '../op_def';

/**
 * WhileGrad(loopVars..., captures..., [accSize], dFinal..., dAcc..., forward): the gradient of a While
 * (`forward` is an output of that While, which orders the two). Its kernel takes each iteration's loop
 * variables from the forward run (or reruns the loop), then walks the iterations backward through
 * the `vjp` function (the body's vector-Jacobian product, which recomputes the body), summing the
 * gradients of the captured tensors (e.g. RNN weights). Not differentiable itself.
 */
defineOp({
  type: 'WhileGrad',
  shapesFromKernel: true,
  infer: (ctx: InferContext) => {
    const T = ctx.attrs.T_out as DType[];
    const shapes = ctx.attrs.output_shapes as Shape[];
    return T.map((dtype, i) => ({ dtype, shape: shapes[i] ?? null }));
  },
});

/**
 * While ops that a WhileGrad differentiates: their kernels keep each iteration's loop variables for the
 * rest of the run, so that WhileGrad need not run the loop again, and each iteration's values of the
 * body tensors named here (outputs of stateful nodes the gradient takes as given). Keyed by the op's
 * attrs object, which the compile passes' clones of the op share (a clone is a different Operation).
 */
export const differentiatedLoops = new WeakMap<Attrs, Set<string>>();

/** What a WhileGrad op's attrs say about its inputs, as every backend's kernel reads them. */
export interface WhileGradLayout {
  /** Loop variables and captured inputs of the forward loop. */
  n: number;
  m: number;
  /** Float loop variables / captures (the differentiated ones), by position. */
  floatVars: number[];
  floatCaps: number[];
  /** Loop variables with a gradient of their final value, accumulated outputs with a gradient. */
  dFinal: number[];
  dAcc: number[];
  vjp: FuncDef;
  /** Index of the first gradient input (after loop variables, captures and the size). */
  base: number;
  /** The differentiated While, when the op has it as its last input. */
  forward: Operation | undefined;
}

/** Reads a WhileGrad op's attrs (see WhileGradLayout). */
export function whileGradLayout(op: Operation): WhileGradLayout {
  const a = op.attrs;
  const n = a.num_loop_vars as number;
  const m = a.num_captures as number;
  return {
    n,
    m,
    floatVars: a.float_vars as number[],
    floatCaps: a.float_caps as number[],
    dFinal: a.d_final as number[],
    dAcc: a.d_acc as number[],
    vjp: funcAttr(a, 'vjp'),
    base: n + m + (a.has_size ? 1 : 0),
    forward: a.has_forward ? (op.inputs[op.inputs.length - 1] as Tensor).op : undefined,
  };
}

/** Gradient of While: a WhileGrad op over the body's vector-Jacobian product (see WhileGrad). */
export function whileGrad(op: Operation, dys: (Tensor | null)[]): (Tensor | null)[] {
  const a = op.attrs;
  const n = a.num_loop_vars as number;
  const m = a.num_captures as number;
  const T = a.loop_dtypes as DType[];
  const inv = a.shape_invariants as Shape[];
  const accDtypes = a.acc_dtypes as DType[];
  const accShapes = a.acc_shapes as Shape[];
  const vars = op.inputs.slice(0, n);
  const caps = op.inputs.slice(n, n + m);
  const size = a.has_size ? [op.inputs[n + m] as Tensor] : [];
  const result: (Tensor | null)[] = op.inputs.map(() => null);
  // TF1's back_prop=False: no gradient flows through the loop.
  if (a.back_prop === false) return result;
  const fv = T.flatMap((dt, i) => (dt === 'float32' ? [i] : []));
  const fc = caps.flatMap((c, j) => (c.dtype === 'float32' ? [j] : []));
  const dFinal = fv.filter((i) => dys[i]);
  const dAcc = accDtypes.flatMap((dt, j) => (dt === 'float32' && dys[n + j] ? [j] : []));
  if ((dFinal.length === 0 && dAcc.length === 0) || fv.length + fc.length === 0) return result;

  const body = funcAttr(a, 'body');
  // Only what the differentiated results are computed from is replayed (see cond's gradient).
  const wanted = [...fv, ...dAcc.map((j) => n + j)];
  // Stateful nodes they are computed from (dropout's random draws) are recorded by the forward loop,
  // one value per iteration, and taken as given by the gradient.
  const { record, nested } = statefulToRecord(body, wanted);
  if (nested.length) {
    throw new UnimplementedError(
      `Cannot differentiate through the loop '${op.name}': its differentiated results are computed from stateful ops inside nested control flow (${[...new Set(nested)].join(', ')}), which the gradient would run again with different results.`,
    );
  }
  const args: ArgSpec[] = [
    ...vars.map((_v, i) => ({ dtype: T[i] as DType, shape: inv[i] ?? null, name: `x_${i}` })),
    ...caps.map((c, j) => ({ dtype: c.dtype, shape: c.shape, name: `capture_${j}` })),
    ...fv.map((i) => ({ dtype: T[i] as DType, shape: inv[i] ?? null, name: `dx_${i}` })),
    ...dAcc.map((j) => ({ dtype: accDtypes[j] as DType, shape: accShapes[j] ?? null, name: `dacc_${j}` })),
    ...record.map((r, k) => ({ dtype: r.dtype, shape: r.shape, name: `recorded_${k}` })),
  ];
  const nCot = fv.length + dAcc.length;
  const vjp = traceFunc(
    `${op.name}_grad/body_grad`,
    args,
    (...phs) => {
      const xs = phs.slice(0, n);
      const cs = phs.slice(n, n + m);
      const cot = phs.slice(n + m, n + m + nCot);
      const given = new Map(record.map((r, k) => [r.name, phs[n + m + nCot + k] as Tensor]));
      const outs = inlineFunc(body, [...xs, ...cs], wanted, given);
      const ys = [...fv.map((i) => outs[i] as Tensor), ...dAcc.map((j) => outs[n + j] as Tensor)];
      const wrt = [...fv.map((i) => xs[i] as Tensor), ...fc.map((j) => cs[j] as Tensor)];
      return gradients(ys, wrt, { gradYs: cot, unconnectedGradients: 'zero' }) as Tensor[];
    },
    op.graph,
  );
  if (vjp.graph.captures.length)
    throw new Error(`internal: the gradient function of ${op.name} captured outer tensors`);
  const vjpDef = toFuncDef(vjp.graph, `${op.name}_grad_body`, vjp.inputs, vjp.result);
  // The forward op records its iterations for WhileGrad (the last input orders WhileGrad after it).
  const recorded = differentiatedLoops.get(op.attrs) ?? new Set<string>();
  for (const r of record) recorded.add(r.name);
  differentiatedLoops.set(op.attrs, recorded);
  const g = makeOp(
    'WhileGrad',
    [
      ...vars,
      ...caps,
      ...size,
      ...dFinal.map((i) => dys[i] as Tensor),
      ...dAcc.map((j) => dys[n + j] as Tensor),
      op.outputs[0] as Tensor,
    ],
    {
      has_forward: true,
      cond: a.cond ?? null,
      body: a.body ?? null,
      vjp: funcAttrValue(vjpDef),
      num_loop_vars: n,
      num_captures: m,
      has_size: size.length > 0,
      float_vars: fv,
      float_caps: fc,
      d_final: dFinal,
      d_acc: dAcc,
      recorded: record.map((r) => r.name),
      T_out: [...fv.map((i) => T[i] as DType), ...fc.map((j) => (caps[j] as Tensor).dtype)],
      output_shapes: [...fv.map((i) => inv[i] ?? null), ...fc.map((j) => (caps[j] as Tensor).shape)],
    },
    'WhileGrad',
    op.graph,
  );
  fv.forEach((i, r) => (result[i] = g.outputs[r] as Tensor));
  fc.forEach((j, r) => (result[n + j] = g.outputs[fv.length + r] as Tensor));
  return result;
}
