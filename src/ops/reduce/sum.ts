import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { inferReduction, reductionBuilder } from './axes';
import { broadcastReduced } from './broadcast_reduced';

defineOp({
  type: 'Sum',
  defaultName: 'Sum',
  infer: (ctx) => inferReduction(ctx, ['float32', 'int32']),
  grad: (op, [dy]) => [
    dy ? broadcastReduced(dy, op.inputs[0] as Tensor, op.attrs.axis, op.attrs.keep_dims === true) : null,
  ],
});

/**
 * Sum of elements over `axis` (one axis, a list, or all axes when omitted); negative axes count from
 * the end. `keepDims` keeps the reduced axes with size 1.
 *
 * @example
 * tf.reduceSum(x);                          // scalar
 * tf.reduceSum(x, 1);                       // row sums
 * tf.reduceSum(x, [0, 2], { keepDims: true, name: 'total' });
 */
export const reduceSum = reductionBuilder('reduceSum', 'Sum');
