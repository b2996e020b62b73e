import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { ShapeLike } from '../fill/shape_arg';
import { inferRandom, normalOp, NormalOptions } from './common';

defineOp({
  type: 'TruncatedNormal',
  defaultName: 'TruncatedNormal',
  stateful: true,
  infer: (ctx) => inferRandom(ctx, ['float32']),
  grad: 'none',
});

/**
 * Samples from a normal distribution truncated to two standard deviations: values further than
 * `2 * stddev` from the mean are drawn again (TF1's rule).
 *
 * @example
 * const W = new tf.Variable(tf.truncatedNormal([5, 5, 1, 32], { stddev: 0.1 }));
 */
export function truncatedNormal(shape: ShapeLike, options?: NormalOptions | string): Tensor {
  return normalOp('TruncatedNormal', 'truncated_normal', shape, options);
}
