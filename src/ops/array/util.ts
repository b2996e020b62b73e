import { DType } from '../../graph/dtype';
import { Graph } from '../../graph/graph';
import { Dim, Shape } from '../../graph/shape';
import { Attrs, Operation, Tensor, TensorLike } from '../../graph/tensor';
import { castNDArray, NDArray, NestedArray, toNDArray } from '../../ndarray';
import { convertToTensor, graphOf, InferContext, makeOp } from '../op_def';

/**
 * Shared helpers of the shape ops: TF1-style naming of an op and its int32 parameter constants
 * (`Reshape`, `Reshape/shape`), and reading int32 parameter tensors in shape functions.
 */

/** Options of the array op builders: a name, given as `{ name }` or a plain string. */
export type NameArg = { name?: string } | string | undefined;

export function nameOf(opts: NameArg): string | undefined {
  return typeof opts === 'string' ? opts : opts?.name;
}

/**
 * Creates op `type` named `name ?? defaultName` (made unique); tensors created inside `make` (the op's
 * parameter constants) are named under it, as TF1 does (`Reshape/shape`).
 */
export function buildOp(
  type: string,
  defaultName: string,
  name: string | undefined,
  tensors: readonly (TensorLike | null | undefined)[],
  make: (graph: Graph) => { inputs: Tensor[]; attrs: Attrs },
): Operation {
  const graph = graphOf(tensors.filter((t): t is TensorLike => t !== null && t !== undefined));
  const full = graph.uniqueName(name ?? defaultName);
  const { inputs, attrs } = graph.nameScope(`${full}/`, () => make(graph));
  return makeOp(type, inputs, attrs, undefined, graph, { exactName: full });
}

/** Same as `buildOp` for single-output ops. */
export function buildTensor(...args: Parameters<typeof buildOp>): Tensor {
  return buildOp(...args).outputs[0] as Tensor;
}

/** An int32 tensor from a shape-like parameter (numbers, nested arrays, an NDArray or an int32 Tensor). */
export function intTensor(x: TensorLike, param: string, graph: Graph): Tensor {
  if (x instanceof Tensor) return x;
  // Non-integers are a TypeError (TF1 cannot convert 1.5 to int32), never a silent truncation.
  const raw = x instanceof NDArray ? x : toNDArray(x as NestedArray, undefined, true);
  if (raw.dtype !== 'bool') {
    for (const v of Array.from(raw.data as ArrayLike<number>)) {
      if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) {
        throw new TypeError(`Expected int32 for '${param}', got ${v} (a value int32 cannot hold exactly)`);
      }
    }
  }
  const value = raw.dtype === 'int32' ? raw : castNDArray(raw, 'int32');
  return makeOp('Const', [], { value, dtype: 'int32' }, param, graph).outputs[0] as Tensor;
}

/** A value tensor (plain data becomes a Const of `dtype`, or float32/bool by JS type). */
export function valueTensor(x: TensorLike, graph: Graph, dtype?: DType): Tensor {
  return convertToTensor(x, dtype, graph);
}

/** The value of int input `i` as JS numbers, when known (build time: constants; run time: always). */
export function intValues(ctx: InferContext, i: number): number[] | undefined {
  const v = ctx.value(i);
  return v ? Array.from(v.data as ArrayLike<number>) : undefined;
}

/** Fails unless input `i` is int32 (TF1: "… must be int32"). */
export function requireInt(ctx: InferContext, i: number, what: string): void {
  if (ctx.dtypes[i] !== 'int32') {
    ctx.fail(
      `Input '${what}' of '${ctx.type}' Op has type ${ctx.dtypes[i]} that does not match expected type of int32`,
    );
  }
}

/** The static length of a 1-D parameter tensor (or `null` when unknown). Fails when it is not 1-D. */
export function vectorLength(ctx: InferContext, i: number, what: string): number | null {
  const s = ctx.shapes[i] as Shape;
  if (s === null) return null;
  if (s.length !== 1) ctx.fail(`${what} must be a vector, but is rank ${s.length}`);
  return s[0] as Dim;
}

/** Fails unless input `i` is a scalar (when its rank is known). */
export function requireScalar(ctx: InferContext, i: number, what: string): void {
  const s = ctx.shapes[i] as Shape;
  if (s !== null && s.length !== 0) ctx.fail(`${what} must be a scalar, but is rank ${s.length}`);
}

/** `rank` unknown dims, or an unknown shape when the rank is unknown too. */
export function unknownDims(rank: number | null): Shape {
  return rank === null ? null : new Array<Dim>(rank).fill(null);
}

/** Normalises a (possibly negative) axis into [0, rank) or fails with TF1's range message. */
export function checkAxis(ctx: InferContext, axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    ctx.fail(`Expected ${what} in the range [${-rank}, ${rank}), but got ${axis}`);
  }
  return a;
}

/** Product of dims, `null` if any is unknown. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** The first dtype of the inputs `from..to` and a check that they all agree (TF1's "type list" errors). */
export function commonDtype(ctx: InferContext, from: number, to: number): DType {
  const dt = ctx.dtypes[from] as DType;
  for (let i = from + 1; i < to; i++) {
    if (ctx.dtypes[i] !== dt) {
      ctx.fail(
        `Expected ${dt} for input ${i}, but got ${ctx.dtypes[i]} (all values of '${ctx.type}' must have one dtype)`,
      );
    }
  }
  return dt;
}

/**
 * Reads the optional `axis` argument that may come positionally (`tf.split(x, 2, 1)`) or inside the
 * options object (`tf.split(x, 2, { axis: 1 })`); a plain string is the name.
 */
export function axisAndOptions<O extends { axis?: TensorLike; name?: string }>(
  axisOrOpts: TensorLike | O | string | undefined,
  opts: O | string | undefined,
): [TensorLike, O] {
  const asOpts = (v: O | string | undefined): O =>
    typeof v === 'string' ? ({ name: v } as O) : (v ?? ({} as O));
  const plain =
    typeof axisOrOpts === 'object' &&
    axisOrOpts !== null &&
    Object.getPrototypeOf(axisOrOpts) === Object.prototype;
  if (typeof axisOrOpts === 'string' || plain) {
    const o = asOpts(axisOrOpts as O | string);
    return [o.axis ?? 0, o];
  }
  const o = asOpts(opts);
  return [(axisOrOpts as TensorLike | undefined) ?? o.axis ?? 0, o];
}
