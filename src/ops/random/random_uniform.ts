import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { add, multiply, subtract } from '../math/builders';
import { defineOp, makeTensor } from '../op_def';
import { shapeInput } from '../fill/shape_arg';
import { inferRandom, RandomOptions, seedParam, shapeKind } from './common';

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
  maxval?: TensorLike | null;
}

/**
 * Samples uniformly from `[minval, maxval)` — TF1's `random_uniform(shape, minval=0, maxval=None,
 * dtype=float32, seed=None, name=None)`; `maxval` defaults to 1 for floats. With `dtype: 'int32'` the
 * values are integers and `maxval` is required (TF1's rule). The bounds live in the op's attrs when
 * they are numbers; float tensor bounds are applied with Mul/Add, as in TF1.
 *
 * @example
 * tf.randomUniform([2, 3], -1, 1);                              // TF1 positional: [-1, 1)
 * tf.randomUniform([2, 3], { minval: -1, maxval: 1, seed: 3 });
 * tf.randomUniform([10], 0, 6, tf.int32);                       // dice rolls 0..5
 */
export const randomUniform = declare(
  'randomUniform',
  [
    param('shape', shapeKind),
    param('minval', kinds.tensor, { default: 0 as TensorLike }),
    param('maxval', kinds.nullable(kinds.tensor), { default: null as TensorLike | null }),
    param('dtype', kinds.dtype, { default: 'float32' as DType }),
    seedParam,
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const { dtype, minval, maxval } = a;
    const name = a.name ?? 'random_uniform';
    const attrs = { dtype, seed: a.seed };
    const input = shapeInput('randomUniform', a.shape);
    if (dtype === 'int32') {
      if (maxval === null) throw new InvalidArgumentError('Must specify maxval for integer dtype int32');
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
  },
);
