import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { isCompatible, mergeShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp, makeTensor } from '../op_def';
import { reducedStatic } from './axes';

/**
 * The adjoint of Sum and Mean: broadcasts `dy` (a reduction's result, shaped with or without the kept
 * size-1 axes) back to the shape of `like`, divided by the number of reduced elements when `mean` is set.
 *
 * Why a primitive instead of reshape + broadcast: the reduced axes must be re-inserted before numpy
 * broadcasting can line them up, and the Mean count must come from run-time shapes (unknown dims). One op
 * does both from the reduction's own attrs, and its gradient is the reduction again (Sum or Mean), so
 * gradients of gradients stay closed under {Sum, Mean, BroadcastReduced}.
 */
defineOp({
  type: 'BroadcastReduced',
  infer: (ctx) => {
    const [dy, like] = ctx.shapes as [Shape, Shape];
    const expected = reducedStatic(ctx, like);
    const ok = ctx.runtime ? isCompatible(expected, dy as number[]) : mergeShapes(expected, dy) !== undefined;
    if (!ok) {
      const msg = `Gradient of shape ${shapeToString(dy)} does not match the reduced shape ${shapeToString(expected)}`;
      if (ctx.runtime) throw new InvalidArgumentError(msg);
      ctx.fail(msg);
    }
    return [{ shape: like, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [g]) => {
    if (!g) return [null, null];
    const { axis, keep_dims: keepDims, mean } = op.attrs;
    const attrs = { axis: (axis as number[] | null) ?? null, keep_dims: keepDims === true };
    return [makeTensor(mean === true ? 'Mean' : 'Sum', [g], attrs, mean === true ? 'Mean' : 'Sum'), null];
  },
});

/**
 * `dy` (the result of reducing `like` over `axis`) broadcast back to `like`'s shape; divided by the
 * reduced count when `mean`. Used by the Sum/Mean/Max/Min/Prod gradients.
 */
export function broadcastReduced(
  dy: Tensor,
  like: Tensor,
  axis: unknown,
  keepDims: boolean,
  mean = false,
): Tensor {
  const attrs = { axis: (axis as number[] | null) ?? null, keep_dims: keepDims, mean };
  return makeTensor('BroadcastReduced', [dy, like], attrs, 'BroadcastReduced');
}
