import { declare } from '../../graph/signature';
import { defineOp } from '../op_def';
import { inferRandom, normalOp, normalParams } from './common';

defineOp({
  type: 'TruncatedNormal',
  defaultName: 'TruncatedNormal',
  stateful: true,
  infer: (ctx) => inferRandom(ctx, ['float32']),
  grad: 'none',
});

/**
 * Samples from a normal distribution truncated to two standard deviations: values further than
 * `2 * stddev` from the mean are drawn again (TF1's rule). TF1's signature `truncated_normal(shape,
 * mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None)`.
 *
 * @example
 * const W = new tf.Variable(tf.truncatedNormal([5, 5, 1, 32], 0, 0.1));
 * tf.truncatedNormal([5, 5, 1, 32], { stddev: 0.1 });
 */
export const truncatedNormal = declare('truncatedNormal', normalParams, (a) =>
  normalOp('TruncatedNormal', 'truncated_normal', a),
);
