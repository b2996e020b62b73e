import { InvalidArgumentError } from '../../errors';
import { Tensor, TensorLike } from '../../graph/tensor';
import { add, multiply, subtract } from '../math/builders';
import { defineOp, makeTensor } from '../op_def';
import { shapeInput, ShapeLike } from '../fill/shape_arg';
import { inferRandom, RandomOptions, seedAttr } from './common';

defineOp({
  type: 'RandomUniform',
  defaultName: 'RandomUniform',
  stateful: true,
  infer: (ctx) => inferRandom(ctx, ['float32', 'int32']),
  grad: 'none',
});

/** Options of randomUniform: the range `[minval, maxval)`. */
export interface UniformOptions extends RandomOptions {
  minval?: TensorLike;
  maxval?: TensorLike;
}

/**
 * Samples uniformly from `[minval, maxval)` (default `[0, 1)`). With `dtype: 'int32'` the values are
 * integers and `maxval` is required (TF1's rule). The bounds live in the op's attrs when they are
 * numbers; float tensor bounds are applied with Mul/Add, as in TF1.
 *
 * @example
 * tf.randomUniform([2, 3], { minval: -1, maxval: 1, seed: 3 });
 * tf.randomUniform([10], { minval: 0, maxval: 6, dtype: 'int32' }); // dice rolls 0..5
 */
export function randomUniform(shape: ShapeLike, options?: UniformOptions | string): Tensor {
  const opts: UniformOptions = typeof options === 'string' ? { name: options } : (options ?? {});
  const dtype = opts.dtype ?? 'float32';
  const name = opts.name ?? 'random_uniform';
  const { minval = 0, maxval } = opts;
  const attrs = { dtype, seed: seedAttr('randomUniform', opts.seed) };
  const input = shapeInput('randomUniform', shape);
  if (dtype === 'int32') {
    if (maxval === undefined) throw new InvalidArgumentError('Must specify maxval for integer dtype int32');
    if (
      typeof minval !== 'number' ||
      typeof maxval !== 'number' ||
      !Number.isInteger(minval) ||
      !Number.isInteger(maxval)
    ) {
      throw new InvalidArgumentError('randomUniform: int32 bounds must be integer numbers');
    }
    if (minval >= maxval) throw new InvalidArgumentError(`Need minval < maxval: ${minval} >= ${maxval}`);
    return makeTensor('RandomUniform', [input], { ...attrs, minval, maxval }, name);
  }
  const hi = maxval ?? 1;
  if (typeof minval === 'number' && typeof hi === 'number') {
    return makeTensor('RandomUniform', [input], { ...attrs, minval, maxval: hi }, name);
  }
  const u = makeTensor('RandomUniform', [input], { ...attrs, minval: 0, maxval: 1 }, undefined);
  return add(multiply(u, subtract(hi, minval)), minval, name);
}
