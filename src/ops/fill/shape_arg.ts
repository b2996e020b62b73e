import { InvalidArgumentError } from '../../errors';
import { Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { convertToTensor, InferContext } from '../op_def';
import { kinds, type Kind } from '../../graph/signature';

/** A shape given to fill/zeros/random ops: plain sizes, or a 1-D int32 tensor (known at run time). */
export type ShapeLike = number[] | Int32Array | NDArray | Tensor;

/** Converts a shape argument to the op's int32 input; plain sizes are checked here, at build time. */
export function shapeInput(what: string, shape: ShapeLike): Tensor {
  if (shape instanceof Tensor) return shape;
  if (Array.isArray(shape)) {
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
        throw new InvalidArgumentError(
          `${what}: shape entries must be non-negative integers, got [${shape.join(',')}]`,
        );
      }
    }
  }
  return convertToTensor(shape, 'int32');
}

/**
 * The output shape an op reads from its `i`-th input (a 1-D int32 tensor of sizes): the values when
 * known (a Const at build time, always at run time), else one unknown dim per element.
 */
export function inferShapeInput(ctx: InferContext, i: number, what = 'shape'): Shape {
  const dtype = ctx.dtypes[i];
  if (dtype !== 'int32') ctx.fail(`${what} must be a vector of int32, got dtype ${dtype}`);
  const static_ = ctx.shapes[i] ?? null;
  if (static_ !== null && static_.length !== 1) {
    ctx.fail(`${what} must be a vector, but is rank ${static_.length}`);
  }
  const value = ctx.value(i);
  if (value) {
    const dims = Array.from(value.data as Int32Array);
    const bad = dims.find((d) => d < 0);
    if (bad !== undefined) ctx.fail(`${what} dimensions must be >= 0, got [${dims.join(',')}]`);
    return dims;
  }
  // TF1 reads what is known of a shape tensor at build time: tf.shape(x) gives x's static dims.
  const partial = ctx.runtime ? undefined : ctx.partialValue?.(i);
  if (partial) return partial.map((d) => (d === null || d < 0 ? null : d));
  if (static_ === null || static_[0] === null || static_[0] === undefined) return null;
  return new Array<null>(static_[0]).fill(null);
}

/** The binder's kind for a shape argument (fill/zeros/ones/random ops): sizes are checked by `shapeInput`. */
export const shapeKind: Kind<ShapeLike> = kinds.custom<ShapeLike>(
  'a shape (a list of non-negative integers, an int32 1-D Tensor or an NDArray)',
  (v) =>
    v instanceof Tensor ||
    v instanceof NDArray ||
    v instanceof Int32Array ||
    (Array.isArray(v) && v.every((d) => typeof d === 'number')),
  () => [2],
);
