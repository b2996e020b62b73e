import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { inferReduction, reductionBuilder } from './axes';
import { broadcastReduced } from './broadcast_reduced';

defineOp({
  type: 'Mean',
  defaultName: 'Mean',
  // int32 means truncate toward zero, as in TF1.
  infer: (ctx) => inferReduction(ctx, ['float32', 'int32']),
  // The count of reduced elements comes from run-time shapes inside BroadcastReduced (unknown dims work).
  grad: (op, [dy]) => [
    dy
      ? broadcastReduced(dy, op.inputs[0] as Tensor, op.attrs.axis, op.attrs.keep_dims === true, true)
      : null,
  ],
});

/**
 * Mean of elements over `axis` (one axis, a list, or all axes when omitted).
 *
 * @example
 * const loss = tf.reduceMean(tf.square(y.sub(label)));
 * tf.reduceMean(x, -1, { keepDims: true });
 */
export const reduceMean = reductionBuilder('reduceMean', 'Mean');
