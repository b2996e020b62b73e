import { DType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { InferContext, makeTensor, NameOption, OutputSpec } from '../op_def';
import { add, multiply } from '../math/builders';
import { inferShapeInput, shapeInput, shapeKind, ShapeLike } from '../fill/shape_arg';

export { shapeKind };
import { kinds, param } from '../../graph/signature';

/** Options shared by every random op. */
export interface RandomOptions extends NameOption {
  dtype?: DType;
  /** Op-level seed; combined with the graph seed (`tf.setRandomSeed`) as in TF1. */
  seed?: number | null;
}

/** Options of randomNormal / truncatedNormal. */
export interface NormalOptions extends RandomOptions {
  mean?: TensorLike;
  stddev?: TensorLike;
}

/** An op-level seed: an integer or null (TF1's `None`). */
export const seedParam = param('seed', kinds.nullable(kinds.int), { default: null });

/** Shape and dtype of a random op: the shape comes from its int32 shape input (values when known). */
export function inferRandom(ctx: InferContext, allowed: readonly DType[]): OutputSpec[] {
  const dtype = ctx.attrs.dtype as DType;
  if (!allowed.includes(dtype)) {
    ctx.fail(
      `Value for attr 'dtype' of ${dtype} is not in the list of allowed values: ${allowed.join(', ')}`,
    );
  }
  return [{ shape: inferShapeInput(ctx, 0), dtype }];
}

/** TF1's signature of random_normal / truncated_normal: `(shape, mean, stddev, dtype, seed, name)`. */
export const normalParams = [
  param('shape', shapeKind),
  param('mean', kinds.tensor, { default: 0 as TensorLike }),
  param('stddev', kinds.tensor, { default: 1 as TensorLike }),
  param('dtype', kinds.dtype, { default: 'float32' as DType }),
  seedParam,
  param('name', kinds.name, { default: undefined as string | undefined }),
] as const;

/**
 * A normal-type random op. Numeric `mean`/`stddev` live in the op's attrs (one kernel, no extra nodes);
 * tensor-valued ones are applied with Mul and Add like TF1, so gradients reach them.
 */
export function normalOp(
  type: string,
  defaultName: string,
  a: {
    shape: ShapeLike;
    mean: TensorLike;
    stddev: TensorLike;
    dtype: DType;
    seed: number | null;
    name: string | undefined;
  },
): Tensor {
  const { mean, stddev } = a;
  const attrs = { dtype: a.dtype, seed: a.seed };
  const input = shapeInput(defaultName, a.shape);
  if (typeof mean === 'number' && typeof stddev === 'number') {
    return makeTensor(type, [input], { ...attrs, mean, stddev }, a.name ?? defaultName);
  }
  const z = makeTensor(type, [input], { ...attrs, mean: 0, stddev: 1 }, undefined);
  return add(multiply(z, stddev), mean, a.name ?? defaultName);
}
