import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { InferContext, makeTensor, NameOption, OutputSpec } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';

/** Which axes a reduction covers: one axis, a list, or `null`/`undefined` for all axes. */
export type AxisArg = number | number[] | null | undefined;

/** Options of the reduce builders (a plain string means `{ name }`). */
export interface ReduceOptions extends NameOption {
  /** Keep the reduced axes with size 1 (TF1's `keep_dims`). */
  keepDims?: boolean;
}

/** The attr form of an axis argument: a list of ints, or `null` for "all axes". */
export function axisAttr(op: string, axis: AxisArg): number[] | null {
  if (axis === undefined || axis === null) return null;
  const list = Array.isArray(axis) ? axis : [axis];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a)) {
      throw new InvalidArgumentError(
        `${op}: axis must be an integer or a list of integers, got ${String(a)}`,
      );
    }
  }
  return list.slice();
}

/**
 * Normalises the `axis` attr against a rank: sorted, non-negative, unique. Returns an error message
 * (TF1's wording) instead of throwing so build time and run time can report it their own way.
 */
export function normalizeAxes(axis: number[] | null, rank: number): number[] | string {
  if (axis === null) return Array.from({ length: rank }, (_v, i) => i);
  const seen = new Set<number>();
  for (const a of axis) {
    if (a < -rank || a >= rank) return `Invalid reduction dimension ${a} for input with ${rank} dimensions`;
    const n = a < 0 ? a + rank : a;
    if (seen.has(n)) return `Invalid reduction arguments: Axes contains duplicate dimension: ${n}`;
    seen.add(n);
  }
  return [...seen].sort((p, q) => p - q);
}

/** Normalised axes of a validated op (kernels call this; inference has already checked the range). */
export function axesOf(axis: unknown, rank: number): number[] {
  const r = normalizeAxes((axis as number[] | null) ?? null, rank);
  if (typeof r === 'string') throw new InvalidArgumentError(r);
  return r;
}

/** The output shape of reducing `shape` over `axes` (already normalised). */
export function reducedShape<T extends Dim>(
  shape: readonly T[],
  axes: readonly number[],
  keepDims: boolean,
): T[] {
  if (keepDims) return shape.map((d, i) => (axes.includes(i) ? (1 as T) : d));
  return shape.filter((_d, i) => !axes.includes(i));
}

/** Shape inference shared by Sum, Mean, Max, Min and Prod. */
export function inferReduction(ctx: InferContext, allowed: readonly DType[]): OutputSpec[] {
  const dtype = ctx.dtypes[0] as DType;
  if (!allowed.includes(dtype)) {
    ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: ${allowed.join(', ')}`);
  }
  return [{ shape: reducedStatic(ctx, ctx.shapes[0] ?? null), dtype }];
}

/** Static output shape of a reduction op (`axis`/`keep_dims` attrs) whose reduced input has `shape`. */
export function reducedStatic(ctx: InferContext, shape: Shape): Shape {
  const axis = (ctx.attrs.axis as number[] | null) ?? null;
  const keep = ctx.attrs.keep_dims === true;
  if (shape === null) return axis === null && !keep ? [] : null;
  const axes = normalizeAxes(axis, shape.length);
  if (typeof axes === 'string') ctx.fail(axes);
  return reducedShape(shape, axes, keep);
}

/**
 * Declares a reduction builder with TF1's signature `(input_tensor, axis=None, keepdims=None, name=None)`
 * and its deprecated aliases `reduction_indices` and `keep_dims`.
 */
export function reductionBuilder(fn: string, type: string) {
  return declare(
    fn,
    [
      param('inputTensor', kinds.tensor, { aliases: ['input'] }),
      param('axis', kinds.axis, { default: null, aliases: ['reductionIndices', 'axes'] }),
      param('keepdims', kinds.bool, { default: false, aliases: ['keepDims'] }),
      param('name', kinds.name, { default: undefined as string | undefined }),
    ] as const,
    (a): Tensor =>
      makeTensor(
        type,
        [a.inputTensor as TensorLike],
        { axis: axisAttr(type, a.axis), keep_dims: a.keepdims },
        a.name,
      ),
  );
}
