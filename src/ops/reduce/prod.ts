import { Tensor } from '../../graph/tensor';
import { multiply } from '../math/builders';
import { defineOp } from '../op_def';
import { inferReduction, reductionBuilder } from './axes';
import { broadcastReduced } from './broadcast_reduced';
import { prodExceptSelf } from './prod_except_self';

defineOp({
  type: 'Prod',
  defaultName: 'Prod',
  infer: (ctx) => inferReduction(ctx, ['float32', 'int32']),
  // d(prod)/dx_i = product of the other elements of x_i's group: exact with zeros (TF1 uses exclusive
  // cumulative products for the same reason; `dy * y / x` would give NaN at a zero).
  grad: (op, [dy]) => {
    if (!dy) return [null];
    const x = op.inputs[0] as Tensor;
    const { axis } = op.attrs;
    return [multiply(broadcastReduced(dy, x, axis, op.attrs.keep_dims === true), prodExceptSelf(x, axis))];
  },
});

/**
 * Product of elements over `axis` (one axis, a list, or all axes when omitted).
 *
 * @example
 * tf.reduceProd(x, 1);
 */
export const reduceProd = reductionBuilder('reduceProd', 'Prod');
