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
import {
  assertSameStructure,
  COMPOSITE,
  flatten,
  isComposite,
  leafCount,
  Nested,
  packSequenceAs,
  structureString,
} from './nest';
import type { TensorArray } from './tensor_array';
import { convertToTensor, defineOp, makeOp, OutputSpec } from '../op_def';
import { bindCall, isOptionsObject, kinds, param } from '../../graph/signature';
import { NDArray } from '../../ndarray';
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

/** The tensors a structure of loop variables becomes (arrays and records keep their shape). */
export type LoopTensors<T> = T extends Tensor | NDArray | number | boolean | ArrayBufferView
  ? Tensor
  : T extends TensorArray
    ? TensorArray
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: LoopTensors<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: LoopTensors<T[K]> }
        : Tensor;

/** What `tf.whileLoop` returns for `loopVars` of type `L` (one loop variable: that tensor, as in TF1). */
export type WhileLoopResult<L extends readonly unknown[]> = L extends readonly [infer A]
  ? A extends Tensor | NDArray | number | boolean | ArrayBufferView
    ? Tensor
    : LoopTensors<L>
  : LoopTensors<L>;

/** Keyword options of `tf.whileLoop` (TF1's keyword names in camelCase). */
export interface WhileLoopOptions {
  /** Per loop variable (same structure as `loopVars`), a less specific shape it may take across iterations. */
  shapeInvariants?: unknown[] | null;
  /** TF1's parallelism hint (a positive integer); no effect on the values. */
  parallelIterations?: number;
  /** `false`: no gradient flows through the loop (`tf.gradients` gives null for its inputs). */
  backProp?: boolean;
  /** TF1's GPU-to-host memory swapping hint; no effect on the values. */
  swapMemory?: boolean;
  name?: string;
  /** Stop after this many iterations even if `cond` still holds (an int32 scalar). */
  maximumIterations?: TensorLike | null;
  /** Always return the structure of `loopVars` (no unpacking of a single loop variable). */
  returnSameStructure?: boolean;
}

const WHILE_PARAMS = [
  'cond',
  'body',
  'loopVars',
  'shapeInvariants',
  'parallelIterations',
  'backProp',
  'swapMemory',
  'name',
  'maximumIterations',
  'returnSameStructure',
];
const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function isLoopLeaf(v: unknown): boolean {
  return (
    v instanceof Tensor ||
    v instanceof NDArray ||
    ArrayBuffer.isView(v) ||
    typeof v === 'number' ||
    typeof v === 'boolean'
  );
}

/** A structure of loop variables: arrays and records whose leaves are tensors or plain values. */
function isLoopStructure(v: unknown): boolean {
  if (isLoopLeaf(v) || isComposite(v)) return true;
  if (Array.isArray(v)) return v.every(isLoopStructure);
  if (isOptionsObject(v)) {
    // A record whose keys are all whileLoop's keyword names is the options object, not loop variables.
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every((k) => WHILE_PARAMS.some((p) => p === k || snake(p) === k)))
      return false;
    return Object.values(v).every(isLoopStructure);
  }
  return typeof v === 'object' && v !== null && Object.values(v).every(isLoopStructure);
}

const whileSig = {
  fn: 'whileLoop',
  params: [
    param('cond', kinds.fn),
    param('body', kinds.fn),
    param(
      'loopVars',
      kinds.custom<unknown[]>(
        'a list (array) of loop variables: Tensors or values, possibly in nested arrays and records',
        (v) => Array.isArray(v) && v.every(isLoopStructure),
        () => [0],
      ),
    ),
    param(
      'shapeInvariants',
      kinds.custom<unknown[] | null>(
        'null, or a list of shapes with the structure of loopVars (a shape: an array of sizes, null for unknown)',
        (v) => v === null || Array.isArray(v),
      ),
      { default: null },
    ),
    param(
      'parallelIterations',
      kinds.custom<number>(
        'a positive integer',
        (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
      ),
      { default: 10 },
    ),
    param('backProp', kinds.bool, { default: true }),
    param('swapMemory', kinds.bool, { default: false }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('maximumIterations', kinds.nullable(kinds.tensor), { default: null }),
    param('returnSameStructure', kinds.bool, { default: false }),
  ] as const,
};

/** A shape invariant: null (unknown rank) or sizes (null or -1 for unknown). */
function parseShape(v: unknown): Shape | undefined {
  if (v === null) return null;
  if (
    Array.isArray(v) &&
    v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= -1))
  )
    return (v as (number | null)[]).slice();
  return undefined;
}

/** The shape invariants, one per flattened loop variable, read along the structure of `loopVars`. */
function invariantsFor(structure: unknown, inv: unknown): Shape[] {
  const out: Shape[] = [];
  const mismatch = (): never => {
    throw new TypeError(
      `whileLoop(): shapeInvariants must have the structure of loopVars (${structureString(structure)}), one shape per loop variable, got ${JSON.stringify(inv)}`,
    );
  };
  const walk = (s: unknown, v: unknown): void => {
    if (isComposite(s)) {
      // A TensorArray keeps the shapes of its own components (TF1 ignores invariants of its flow).
      for (const c of s[COMPOSITE]().components) out.push((c as Tensor).shape);
    } else if (isLoopLeaf(s)) {
      const shape = parseShape(v);
      if (shape === undefined) mismatch();
      out.push(shape as Shape);
    } else if (Array.isArray(s)) {
      if (!Array.isArray(v) || v.length !== s.length) mismatch();
      s.forEach((x, i) => walk(x, (v as unknown[])[i]));
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) mismatch();
      const keys = Object.keys(s as object).sort();
      const vkeys = Object.keys(v as object).sort();
      if (keys.join('\u0000') !== vkeys.join('\u0000')) mismatch();
      for (const k of keys) walk((s as Record<string, unknown>)[k], (v as Record<string, unknown>)[k]);
    }
  };
  walk(structure, inv);
  return out;
}

/**
 * Repeats `body` while `cond` is true: TF1's `tf.while_loop(cond, body, loop_vars, shape_invariants=None,
 * parallel_iterations=10, back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
 * return_same_structure=False)`, positionally or with keyword options. `loopVars` is a list whose
 * entries may be nested arrays and records (`[i, [j, k]]`); `cond` and `body` receive its entries as
 * separate arguments, and `body` returns the same structure (a single value when there is one loop
 * variable). Each loop variable keeps its dtype and shape (or its `shapeInvariants` entry, checked at
 * build time and on every iteration). The result has the structure of `loopVars`, except that with a
 * single loop variable it is that tensor (unless `returnSameStructure`). `maximumIterations` stops the
 * loop after that many iterations; `backProp: false` stops gradients at the loop (they are null);
 * `parallelIterations` and `swapMemory` are TF1 performance hints, accepted and checked, with no effect
 * on the values (iterations run one after the other). Both functions are traced once into sub-graphs;
 * tensors from outside used inside are captured. The loop is differentiable (backpropagation through
 * the iterations), with respect to the initial loop variables and to every captured tensor.
 *
 * @example
 * const [i, acc] = tf.whileLoop(
 *   (i, acc) => tf.less(i, 10),
 *   (i, acc) => [tf.add(i, 1), tf.multiply(acc, 2)],
 *   [tf.constant(0, 'int32'), x],
 * );
 * const n = tf.whileLoop((n) => tf.less(n, 100), (n) => tf.multiply(n, 2), [1]); // one tensor
 */
export function whileLoop<const L extends readonly unknown[]>(
  cond: (...vars: LoopTensors<L>) => TensorLike,
  body: (...vars: LoopTensors<L>) => unknown,
  loopVars: L,
  shapeInvariants?: unknown[] | null | (WhileLoopOptions & { returnSameStructure?: false }) | string,
  ...rest: unknown[]
): WhileLoopResult<L>;
export function whileLoop<const L extends readonly unknown[]>(
  cond: (...vars: LoopTensors<L>) => TensorLike,
  body: (...vars: LoopTensors<L>) => unknown,
  loopVars: L,
  options: WhileLoopOptions & { returnSameStructure: true },
): LoopTensors<L>;
export function whileLoop(
  options: {
    cond: (...vars: Tensor[]) => TensorLike;
    body: (...vars: Tensor[]) => unknown;
    loopVars: unknown[];
  } & WhileLoopOptions,
): unknown;
export function whileLoop(...args: unknown[]): unknown {
  const a = bindCall(whileSig, args);
  if (a.loopVars.length === 0) throw new InvalidArgumentError('No loop variables provided');
  const graph = getDefaultGraph();
  const structure = a.loopVars;
  const flat = flatten(structure as Nested<TensorLike>).map((v) => convertToTensor(v, undefined, graph));
  const invariants = a.shapeInvariants === null ? undefined : invariantsFor(structure, a.shapeInvariants);
  const userCond = a.cond as (...xs: unknown[]) => TensorLike;
  const userBody = a.body as (...xs: unknown[]) => unknown;
  const pack = (xs: Tensor[]): unknown[] => packSequenceAs(structure as Nested<unknown>, xs) as unknown[];
  const r = buildWhile({
    name: a.name ?? 'while',
    loopVars: flat,
    shapeInvariants: invariants,
    maximumIterations: a.maximumIterations ?? undefined,
    backProp: a.backProp,
    cond: (...xs) => userCond(...pack(xs)),
    body: (...xs) => {
      let out = userBody(...pack(xs));
      // TF1: a body result that is not a list is one loop variable.
      if (!Array.isArray(out)) out = [out];
      if (!(out as unknown[]).every((x) => isLoopStructure(x) && x !== undefined)) {
        throw new TypeError(
          `whileLoop(): body must return the loop variables' next values (Tensors or values, in the structure of loopVars), got ${structureString(out)} containing something else`,
        );
      }
      assertSameStructure(structure, out, 'whileLoop(): body must return the same structure as loopVars');
      return { next: flatten(out as Nested<TensorLike>) };
    },
  });
  const packed = pack(r.finals);
  if (a.returnSameStructure) return packed;
  return leafCount(structure) === 1 ? packed[0] : packed;
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
  /** `false`: the loop is not differentiated (TF1's `back_prop=False`: gradients stop here). */
  backProp?: boolean;
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
        ...(spec.backProp === false ? { back_prop: false } : {}),
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
