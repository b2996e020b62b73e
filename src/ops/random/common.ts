import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { InferContext, makeTensor, NameOption, OutputSpec } from '../op_def';
import { add, multiply } from '../math/builders';
import { inferShapeInput, shapeInput, ShapeLike } from '../fill/shape_arg';

/** Options shared by every random op. */
export interface RandomOptions extends NameOption {
  dtype?: DType;
  /** Op-level seed; combined with the graph seed (`tf.setRandomSeed`) as in TF1. */
  seed?: number;
}

/** Options of randomNormal / truncatedNormal. */
export interface NormalOptions extends RandomOptions {
  mean?: TensorLike;
  stddev?: TensorLike;
}

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

export function seedAttr(what: string, seed: number | undefined): number | null {
  if (seed === undefined) return null;
  if (!Number.isInteger(seed))
    throw new InvalidArgumentError(`${what}: seed must be an integer, got ${seed}`);
  return seed;
}

/**
 * A normal-type random op. Numeric `mean`/`stddev` live in the op's attrs (one kernel, no extra nodes);
 * tensor-valued ones are applied with Mul and Add like TF1, so gradients reach them.
 */
export function normalOp(
  type: string,
  defaultName: string,
  shape: ShapeLike,
  options: NormalOptions | string | undefined,
): Tensor {
  const opts: NormalOptions = typeof options === 'string' ? { name: options } : (options ?? {});
  const { mean = 0, stddev = 1 } = opts;
  const attrs = { dtype: opts.dtype ?? 'float32', seed: seedAttr(defaultName, opts.seed) };
  const input = shapeInput(defaultName, shape);
  if (typeof mean === 'number' && typeof stddev === 'number') {
    return makeTensor(type, [input], { ...attrs, mean, stddev }, opts.name ?? defaultName);
  }
  const z = makeTensor(type, [input], { ...attrs, mean: 0, stddev: 1 }, undefined);
  return add(multiply(z, stddev), mean, opts.name ?? defaultName);
}
