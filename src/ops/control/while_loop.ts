import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import {
  ArgSpec,
  funcAttrValue,
  resultIn,
  toFuncDef,
  traceFunc,
  unifyCaptures,
} from '../../graph/func_graph';
import { getDefaultGraph } from '../../graph/graph';
import { Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { convertToTensor, defineOp, makeOp, NameOption, OutputSpec, parseOptions } from '../op_def';
import { add, less, logicalAnd } from '../math/builders';
import { whileGrad } from './while_grad';

/**
 * While(loopVars..., captures..., [accSize]): TF2's functional while loop. Attrs hold the traced `cond`
 * and `body` functions (FuncDefs taking loopVars + captures). The body returns the next loop variables
 * and, for internal users such as `dynamicRnn`, "accumulated" per-iteration values that the op stacks
 * into outputs of shape [accSize, ...] (TF1's TensorArray writes; slots of iterations that never ran
 * are zero). Outputs: the final loop variables, then the stacks.
 */
defineOp({
  type: 'While',
  defaultName: 'while',
  // Conservative: the body may hold random ops; never fold, merge or cache a loop.
  stateful: true,
  shapesFromKernel: true,
  infer: (ctx) => {
    const a = ctx.attrs;
    const T = a.loop_dtypes as DType[];
    const inv = a.shape_invariants as Shape[];
    const n = a.num_loop_vars as number;
    if (ctx.shapes.length < n + (a.num_captures as number) + (a.has_size ? 1 : 0))
      ctx.fail('Wrong number of inputs');
    T.forEach((dt, i) => {
      if (ctx.dtypes[i] !== dt) ctx.fail(`Loop variable ${i} has dtype ${ctx.dtypes[i]}, expected ${dt}`);
    });
    let size: number | null = null;
    if (a.has_size) {
      const v = ctx.value(ctx.shapes.length - 1);
      if (v) size = v.data[0] as number;
    }
    const accs = (a.acc_dtypes as DType[]).map((dtype, j): OutputSpec => {
      const s = (a.acc_shapes as Shape[])[j] ?? null;
      return { dtype, shape: s === null ? null : [size, ...s] };
    });
    return [...T.map((dtype, i) => ({ dtype, shape: inv[i] ?? null })), ...accs];
  },
  grad: (op, dys) => whileGrad(op, dys),
});

/** Options of `tf.whileLoop`. */
export interface WhileLoopOptions extends NameOption {
  /** Stop after this many iterations even if `cond` still holds (an int32 scalar). */
  maximumIterations?: TensorLike;
  /** Per loop variable, a less specific shape it may take across iterations (default: its own shape). */
  shapeInvariants?: Shape[];
}

/**
 * Repeats `body` while `cond` is true (TF1's `tf.while_loop`): `cond` and `body` receive the loop
 * variables as separate arguments; `body` returns an array of their next values, each keeping its
 * dtype and shape (or its `shapeInvariants` entry). Returns the final values, always as an array. Both
 * functions are traced once into sub-graphs; tensors from outside used inside are captured. The loop is
 * differentiable (backpropagation through the iterations), with respect to the initial loop variables
 * and to every captured tensor.
 *
 * @example
 * const [i, acc] = tf.whileLoop(
 *   (i, acc) => tf.less(i, 10),
 *   (i, acc) => [tf.add(i, 1), tf.multiply(acc, 2)],
 *   [tf.constant(0, 'int32'), x],
 * );
 */
export function whileLoop(
  cond: (...vars: Tensor[]) => TensorLike,
  body: (...vars: Tensor[]) => TensorLike[] | TensorLike,
  loopVars: readonly TensorLike[],
  options?: WhileLoopOptions | string,
): Tensor[] {
  const opts = parseOptions(options);
  const graph = getDefaultGraph();
  const vars = loopVars.map((v) => convertToTensor(v, undefined, graph));
  const n = vars.length;
  if (n === 0) throw new InvalidArgumentError('whileLoop: no loop variables given');
  return buildWhile({
    name: opts.name ?? 'while',
    loopVars: vars,
    shapeInvariants: opts.shapeInvariants,
    maximumIterations: opts.maximumIterations,
    cond,
    body: (...xs) => {
      const r = body(...xs);
      const next = Array.isArray(r) ? r : [r as TensorLike];
      return { next };
    },
  }).finals;
}

/** What `buildWhile` needs; `body` may also return per-iteration values to accumulate (see While). */
export interface WhileSpec {
  name: string;
  loopVars: Tensor[];
  shapeInvariants?: Shape[];
  maximumIterations?: TensorLike;
  cond: (...vars: Tensor[]) => TensorLike;
  body: (...vars: Tensor[]) => { next: readonly TensorLike[]; acc?: readonly TensorLike[] };
  /** Length of the accumulator stacks (int32 scalar); required when `body` returns `acc`. */
  accSize?: TensorLike;
}

/** Builds a While op (internal form of `whileLoop`, also used by `dynamicRnn`). */
export function buildWhile(spec: WhileSpec): { finals: Tensor[]; accs: Tensor[] } {
  const graph = getDefaultGraph();
  return graph.nameScope(spec.name, () => {
    const scope = graph.currentScope;
    let loopVars = spec.loopVars;
    let invariants = loopVars.map((v, i) => checkedInvariant(v, spec.shapeInvariants?.[i]));
    let cond = spec.cond;
    let body = spec.body;
    if (spec.maximumIterations !== undefined) {
      // TF1: an extra loop counter, and `counter < maximumIterations && cond(...)`.
      const max = convertToTensor(spec.maximumIterations, 'int32', graph);
      if (max.dtype !== 'int32' || (max.shape !== null && max.shape.length !== 0)) {
        throw new InvalidArgumentError(
          `maximumIterations must be an int32 scalar, got ${max.dtype} ${shapeToString(max.shape)}`,
        );
      }
      const userCond = cond;
      const userBody = body;
      const counter = convertToTensor(0, 'int32', graph);
      loopVars = [counter, ...loopVars];
      invariants = [[], ...invariants];
      cond = (i, ...xs) => logicalAnd(less(i as Tensor, max), userCond(...xs));
      body = (i, ...xs) => {
        const r = userBody(...xs);
        return { next: [add(i as Tensor, 1), ...r.next], acc: r.acc };
      };
    }
    const n = loopVars.length;
    const args: ArgSpec[] = loopVars.map((v, i) => ({
      dtype: v.dtype,
      shape: invariants[i] ?? null,
      name: i === 0 && spec.maximumIterations !== undefined ? 'loop_counter' : `loop_var_${i}`,
    }));

    const c = traceFunc(`${scope}/cond`, args, cond);
    const pred = resultIn(c.graph, c.result, 'bool');
    if (pred.dtype !== 'bool' || (pred.shape !== null && pred.shape.length !== 0)) {
      throw new InvalidArgumentError(
        `whileLoop '${scope}': cond must return a bool scalar, got ${pred.dtype} ${shapeToString(pred.shape)}`,
      );
    }

    const b = traceFunc(`${scope}/body`, args, body);
    const { next, acc = [] } = b.result;
    if (next.length !== n) {
      throw new InvalidArgumentError(
        `whileLoop '${scope}': body must return ${n} loop variable${n === 1 ? '' : 's'} (one per loopVars entry), but returned ${next.length}`,
      );
    }
    const nextT = next.map((x, i) => resultIn(b.graph, x, loopVars[i]?.dtype));
    nextT.forEach((t, i) =>
      checkLoopVar(loopVars[i] as Tensor, invariants[i] ?? null, t, spec.shapeInvariants !== undefined),
    );
    const accT = acc.map((x) => resultIn(b.graph, x));
    if (accT.length && spec.accSize === undefined)
      throw new Error('internal: accumulated loop values need an accSize');

    const { outer, perGraph } = unifyCaptures([c.graph, b.graph]);
    const condDef = toFuncDef(c.graph, `${scope}_cond`, [...c.inputs, ...(perGraph[0] as Tensor[])], [pred]);
    const bodyDef = toFuncDef(
      b.graph,
      `${scope}_body`,
      [...b.inputs, ...(perGraph[1] as Tensor[])],
      [...nextT, ...accT],
    );
    const size = accT.length ? [convertToTensor(spec.accSize as TensorLike, 'int32', graph)] : [];
    const op = makeOp(
      'While',
      [...loopVars, ...outer, ...size],
      {
        cond: funcAttrValue(condDef),
        body: funcAttrValue(bodyDef),
        loop_dtypes: loopVars.map((v) => v.dtype),
        shape_invariants: invariants,
        num_loop_vars: n,
        num_captures: outer.length,
        has_size: size.length > 0,
        acc_dtypes: accT.map((t) => t.dtype),
        acc_shapes: accT.map((t) => t.shape),
      },
      undefined,
      graph,
      { exactName: scope },
    );
    const skip = spec.maximumIterations !== undefined ? 1 : 0;
    return { finals: op.outputs.slice(skip, n), accs: op.outputs.slice(n) };
  });
}

/** The shape a loop variable keeps: its own, or a compatible, less specific invariant. */
function checkedInvariant(v: Tensor, inv: Shape | undefined): Shape {
  if (inv === undefined) return v.shape === null ? null : v.shape.slice();
  const s: Shape = inv === null ? null : inv.map((d) => (d === null || d < 0 ? null : d));
  if (!lessSpecificOrEqual(v.shape, s)) {
    throw new InvalidArgumentError(
      `The shape invariant specified for ${v.name} is not compatible with the initial shape of the loop variable. It enters the loop with shape ${shapeToString(v.shape)}, but the specified shape invariant is ${shapeToString(s)}.`,
    );
  }
  return s;
}

/** True when every value of static shape `a` also fits `inv` (unknown dims of `a` are allowed too). */
function lessSpecificOrEqual(a: Shape, inv: Shape): boolean {
  if (inv === null || a === null) return true;
  if (a.length !== inv.length) return false;
  return inv.every((d, i) => d === null || a[i] === null || a[i] === d);
}

function checkLoopVar(v: Tensor, inv: Shape, out: Tensor, explicit: boolean): void {
  if (out.dtype !== v.dtype) {
    throw new InvalidArgumentError(
      `Input tensor '${v.name}' enters the loop with dtype ${v.dtype}, but has dtype ${out.dtype} after one iteration.`,
    );
  }
  if (!lessSpecificOrEqual(out.shape, inv)) {
    const hint = explicit
      ? ''
      : ' To allow the shape to vary across iterations, use the `shapeInvariants` option of tf.whileLoop to specify a less-specific shape.';
    throw new InvalidArgumentError(
      `Input tensor '${v.name}' enters the loop with shape ${shapeToString(inv)}, but has shape ${shapeToString(out.shape)} after one iteration.${hint}`,
    );
  }
}
