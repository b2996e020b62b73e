import { declare } from '../../graph/signature';
import { defineOp } from '../op_def';
import { inferRandom, normalOp, normalParams } from './common';

defineOp({
  type: 'RandomStandardNormal',
  defaultName: 'RandomStandardNormal',
  stateful: true,
  infer: (ctx) => inferRandom(ctx, ['float32']),
  grad: 'none',
});

/**
 * Samples from a normal distribution — TF1's `random_normal(shape, mean=0.0, stddev=1.0,
 * dtype=float32, seed=None, name=None)`, positionally or by keyword. `shape` is a list of sizes or a 1-D
 * int32 tensor. Seeded by `seed` and the graph seed: same seeds, same values in every new Session.
 *
 * @example
 * const W = new tf.Variable(tf.randomNormal([784, 10], 0, 0.1));
 * tf.randomNormal([784, 10], { stddev: 0.1, seed: 1 });
 */
export const randomNormal = declare('randomNormal', normalParams, (a) =>
  normalOp('RandomStandardNormal', 'random_normal', a),
);
