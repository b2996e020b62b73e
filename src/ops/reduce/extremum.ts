import { Tensor } from '../../graph/tensor';
import { cast, divide, equal, multiply } from '../math/builders';
import { defineOp, GradFn, makeTensor } from '../op_def';
import { inferReduction, reductionBuilder } from './axes';
import { broadcastReduced } from './broadcast_reduced';

/**
 * TF1's Max/Min gradient: `dy` goes to every position equal to the extremum, divided equally among ties.
 * Built from public ops, so it is itself differentiable.
 */
const extremumGrad: GradFn = (op, [dy]) => {
  if (!dy) return [null];
  const x = op.inputs[0] as Tensor;
  const y = op.outputs[0] as Tensor;
  const axis = op.attrs.axis;
  const keep = op.attrs.keep_dims === true;
  const indicators = cast(equal(broadcastReduced(y, x, axis, keep), x), x.dtype);
  const count = makeTensor(
    'Sum',
    [indicators],
    { axis: (axis as number[] | null) ?? null, keep_dims: keep },
    'Sum',
  );
  const share = divide(indicators, broadcastReduced(count, x, axis, keep));
  return [multiply(share, broadcastReduced(dy, x, axis, keep))];
};

defineOp({
  type: 'Max',
  defaultName: 'Max',
  infer: (ctx) => inferReduction(ctx, ['float32', 'int32']),
  grad: extremumGrad,
});
defineOp({
  type: 'Min',
  defaultName: 'Min',
  infer: (ctx) => inferReduction(ctx, ['float32', 'int32']),
  grad: extremumGrad,
});

/**
 * Maximum over `axis` (one axis, a list, or all axes when omitted). NaN propagates.
 *
 * @example
 * tf.reduceMax(logits, 1, { keepDims: true });
 */
export const reduceMax = reductionBuilder('reduceMax', 'Max');

/**
 * Minimum over `axis` (one axis, a list, or all axes when omitted). NaN propagates.
 *
 * @example
 * tf.reduceMin(x, [0, 2]);
 */
export const reduceMin = reductionBuilder('reduceMin', 'Min');
