import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { ShapeLike } from '../fill/shape_arg';
import { inferRandom, normalOp, NormalOptions } from './common';

defineOp({
  type: 'RandomStandardNormal',
  defaultName: 'RandomStandardNormal',
  stateful: true,
  infer: (ctx) => inferRandom(ctx, ['float32']),
  grad: 'none',
});

/**
 * Samples from a normal distribution (default mean 0, stddev 1). `shape` is a list of sizes or a 1-D
 * int32 tensor. Seeded by `seed` and the graph seed: same seeds, same values in every new Session.
 *
 * @example
 * const W = new tf.Variable(tf.randomNormal([784, 10], { stddev: 0.1, seed: 1 }));
 */
export function randomNormal(shape: ShapeLike, options?: NormalOptions | string): Tensor {
  return normalOp('RandomStandardNormal', 'random_normal', shape, options);
}
