import { InvalidArgumentError, UnimplementedError } from '../../errors';
import { DType } from '../../graph/dtype';
import {
  ArgSpec,
  funcAttr,
  funcAttrValue,
  inlineFunc,
  resultIn,
  statefulToRecord,
  toFuncDef,
  traceFunc,
  unifyCaptures,
} from '../../graph/func_graph';
import { getDefaultGraph } from '../../graph/graph';
import { gradients } from '../../graph/gradients';
import { Shape, shapeToString } from '../../graph/shape';
import { Attrs, Operation, Tensor } from '../../graph/tensor';
import { convertToTensor, defineOp, makeOp } from '../op_def';
import { bindCall, isOptionsObject, kinds, param } from '../../graph/signature';
import { assertSameStructure, flatten, Nested, packSequenceAs } from './nest';

/**
 * If(pred, args...): TF2's functional conditional. Attrs hold the two traced branches (FuncDefs taking
 * the captured tensors `args`); the kernel runs only the branch `pred` selects. Its gradient is again an
 * If, over the branches' vector-Jacobian products, so it can be differentiated repeatedly.
 */
defineOp({
  type: 'If',
  defaultName: 'cond',
  // Conservative: a branch may hold random ops; never fold, merge or cache it.
  stateful: true,
  shapesFromKernel: true,
  infer: (ctx) => {
    const p = ctx.shapes[0] ?? null;
    if (ctx.dtypes[0] !== 'bool') ctx.fail(`The predicate must be a bool tensor, got ${ctx.dtypes[0]}`);
    if (p !== null && p.length !== 0)
      ctx.fail(`The predicate must be a scalar, got shape ${shapeToString(p)}`);
    const shapes = ctx.attrs.output_shapes as Shape[];
    return (ctx.attrs.Tout as DType[]).map((dtype, i) => ({ dtype, shape: shapes[i] ?? null }));
  },
  grad: (op, dys) => ifGrad(op, dys),
});

/** Branch results: a tensor, or arrays / records of tensors. */
export type CondResult = Nested<Tensor>;

const condSig = {
  fn: 'cond',
  params: [
    param(
      'pred',
      kinds.custom<Tensor>(
        'a scalar bool Tensor (for a condition known while building the graph, use a plain `if`)',
        (v) => v instanceof Tensor,
      ),
    ),
    param('trueFn', kinds.fn, { aliases: ['fn1'] }),
    param('falseFn', kinds.fn, { aliases: ['fn2'] }),
    param('strict', kinds.bool, { default: false }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
};

/** TF1's `_UnpackIfSingleton`: a one-element array is its element (non-strict `tf.cond`). */
function unpackIfSingleton(x: unknown): unknown {
  return Array.isArray(x) && x.length === 1 ? x[0] : x;
}

/**
 * Runs `trueFn` if the scalar bool `pred` is true, else `falseFn`: TF1's `tf.cond(pred, true_fn=None,
 * false_fn=None, strict=False, name=None)` (deprecated aliases `fn1`, `fn2`), positionally or with
 * keyword options. `pred` must be a bool Tensor: a JS boolean is a `TypeError` (a condition known
 * while building the graph is a plain `if`). Both functions are traced once into sub-graphs and must
 * return the same structure (a tensor, or arrays / records of tensors) with the same dtypes; the result
 * has that structure, except that, unless `strict`, a one-element array is unpacked to its element,
 * as in TF1. Only the ops created inside a branch are conditional: tensors created outside and used
 * inside are computed whatever `pred` is. Differentiable with respect to every tensor the branches use.
 *
 * @example
 * const y = tf.cond(tf.less(x, 0), () => tf.negative(x), () => tf.square(x));
 */
export function cond<R extends CondResult>(
  pred: Tensor,
  trueFn: () => R,
  falseFn: () => R,
  strict?: boolean | { strict?: boolean; name?: string } | string,
  name?: string,
): R;
export function cond<R extends CondResult>(
  pred: Tensor,
  options: {
    trueFn?: () => R;
    falseFn?: () => R;
    fn1?: () => R;
    fn2?: () => R;
    strict?: boolean;
    name?: string;
  },
): R;
export function cond<R extends CondResult>(...args: unknown[]): R {
  if (args.length > 0 && !(args[0] instanceof Tensor) && !isOptionsObject(args[0])) {
    const p = args[0];
    throw new TypeError(
      `cond(): pred must be a scalar bool Tensor, got ${
        typeof p === 'boolean' ? `the JS boolean ${String(p)}` : `${String(p)} (${typeof p})`
      }. A condition known while building the graph is a plain \`if\`; to compare tensors use ` +
        `tf.less(x, 14) or x.less(14) (a JS comparison such as \`x < 14\` does not compare the values).`,
    );
  }
  const a = bindCall(condSig, args);
  const graph = getDefaultGraph();
  const p = convertToTensor(a.pred, 'bool', graph);
  if (p.dtype !== 'bool')
    throw new TypeError(`cond(): pred must be a bool scalar, got ${p.dtype} ${shapeToString(p.shape)}`);
  const trueFn = a.trueFn as () => unknown;
  const falseFn = a.falseFn as () => unknown;
  const branch = (fn: () => unknown) => (): unknown => (a.strict ? fn() : unpackIfSingleton(fn()));
  return graph.nameScope(a.name ?? 'cond', () => {
    const scope = graph.currentScope;
    const t = traceFunc(`${scope}/true_branch`, [], branch(trueFn));
    const f = traceFunc(`${scope}/false_branch`, [], branch(falseFn));
    assertSameStructure(
      t.result,
      f.result,
      'true_fn and false_fn arguments to tf.cond must have the same number, type, and overall structure of return values',
    );
    const tOut = flatten(t.result as Nested<unknown>).map((x) => resultIn(t.graph, x));
    const fOut = flatten(f.result as Nested<unknown>).map((x, i) => resultIn(f.graph, x, tOut[i]?.dtype));
    tOut.forEach((a, i) => {
      const b = fOut[i] as Tensor;
      if (a.dtype !== b.dtype) {
        throw new InvalidArgumentError(
          `Outputs of true_fn and false_fn must have the same type: output ${i} is ${a.dtype} in true_fn and ${b.dtype} in false_fn`,
        );
      }
    });
    const { outer, perGraph } = unifyCaptures([t.graph, f.graph]);
    const thenDef = toFuncDef(t.graph, `${scope}_true`, perGraph[0] as Tensor[], tOut);
    const elseDef = toFuncDef(f.graph, `${scope}_false`, perGraph[1] as Tensor[], fOut);
    const op = makeOp(
      'If',
      [p, ...outer],
      {
        then_branch: funcAttrValue(thenDef),
        else_branch: funcAttrValue(elseDef),
        Tout: tOut.map((x) => x.dtype),
        output_shapes: tOut.map((x, i) => commonShape(x.shape, (fOut[i] as Tensor).shape)),
      },
      undefined,
      graph,
      { exactName: scope },
    );
    return packSequenceAs(t.result as Nested<unknown>, op.outputs) as R;
  });
}

/** The most specific shape both branch outputs have (unequal dims become unknown). */
function commonShape(a: Shape, b: Shape): Shape {
  if (a === null || b === null || a.length !== b.length) return null;
  return a.map((d, i) => (d === b[i] ? d : null));
}

/**
 * If ops whose gradient takes recorded values: per branch, the names of the branch tensors (outputs of
 * random draws or assignments) whose values the forward If keeps for the rest of the run. Keyed by the
 * op's attrs object, which the compile passes' clones of the op share.
 */
export const differentiatedConds = new WeakMap<
  Attrs,
  { then_branch: Set<string>; else_branch: Set<string> }
>();

/** Gradient of If: an If over each branch's vector-Jacobian product with respect to the captured args. */
function ifGrad(op: Operation, dys: (Tensor | null)[]): (Tensor | null)[] {
  if (op.attrs.forward_recorded === true) {
    throw new UnimplementedError(
      `Cannot differentiate '${op.name}' again: it is the gradient of a conditional whose branch draws random values or updates variables (recorded in the forward run).`,
    );
  }
  const pred = op.inputs[0] as Tensor;
  const args = op.inputs.slice(1);
  const result: (Tensor | null)[] = op.inputs.map(() => null);
  const present = op.outputs.flatMap((o, i) => (o.dtype === 'float32' && dys[i] ? [i] : []));
  const fa = args.flatMap((x, j) => (x.dtype === 'float32' ? [j] : []));
  if (present.length === 0 || fa.length === 0) return result;
  const specs: ArgSpec[] = [
    ...args.map((x, j) => ({ dtype: x.dtype, shape: x.shape, name: `arg_${j}` })),
    ...present.map((i) => ({
      dtype: 'float32' as DType,
      shape: (op.outputs[i] as Tensor).shape,
      name: `dy_${i}`,
    })),
  ];
  const recorded: Record<string, string[]> = {};
  const branchGrad = (key: string) => {
    const def = funcAttr(op.attrs, key);
    // Only what the differentiated results are computed from is replayed: variable updates the branch
    // merely runs are not run again by the gradient, and the values of stateful nodes they are computed
    // from (dropout's random draws) are recorded by the forward run and taken as given.
    const { record, nested } = statefulToRecord(def, present);
    if (nested.length) {
      throw new UnimplementedError(
        `Cannot differentiate through the conditional '${op.name}': its differentiated results are computed from stateful ops inside nested control flow (${[...new Set(nested)].join(', ')}), which the gradient would run again with different results.`,
      );
    }
    recorded[key] = record.map((r) => r.name);
    const nDy = present.length;
    const vjp = traceFunc(
      `${op.name}_grad/${key}`,
      [...specs, ...record.map((r, k) => ({ dtype: r.dtype, shape: r.shape, name: `recorded_${k}` }))],
      (...phs) => {
        const xs = phs.slice(0, args.length);
        const given = new Map(record.map((r, k) => [r.name, phs[args.length + nDy + k] as Tensor]));
        const outs = inlineFunc(def, xs, present, given);
        return gradients(
          present.map((i) => outs[i] as Tensor),
          fa.map((j) => xs[j] as Tensor),
          { gradYs: phs.slice(args.length, args.length + nDy), unconnectedGradients: 'zero' },
        ) as Tensor[];
      },
      op.graph,
    );
    if (vjp.graph.captures.length)
      throw new Error(`internal: the gradient function of ${op.name} captured outer tensors`);
    return funcAttrValue(toFuncDef(vjp.graph, `${op.name}_grad_${key}`, vjp.inputs, vjp.result));
  };
  const thenBranch = branchGrad('then_branch');
  const elseBranch = branchGrad('else_branch');
  const recording = [...(recorded.then_branch ?? []), ...(recorded.else_branch ?? [])].length > 0;
  if (recording) {
    const sets = differentiatedConds.get(op.attrs) ?? { then_branch: new Set(), else_branch: new Set() };
    for (const key of ['then_branch', 'else_branch'] as const)
      for (const name of recorded[key] ?? []) sets[key].add(name);
    differentiatedConds.set(op.attrs, sets);
  }
  const g = makeOp(
    'If',
    // With recorded values, the last input is a forward output: it orders the gradient after the forward.
    [pred, ...args, ...present.map((i) => dys[i] as Tensor), ...(recording ? [op.outputs[0] as Tensor] : [])],
    {
      then_branch: thenBranch,
      else_branch: elseBranch,
      Tout: fa.map(() => 'float32'),
      output_shapes: fa.map((j) => (args[j] as Tensor).shape),
      ...(recording
        ? {
            forward_recorded: true,
            recorded_then: recorded.then_branch ?? [],
            recorded_else: recorded.else_branch ?? [],
          }
        : {}),
    },
    'If',
    op.graph,
  );
  fa.forEach((j, r) => (result[1 + j] = g.outputs[r] as Tensor));
  return result;
}
