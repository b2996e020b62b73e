import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { reshapeLike } from './reshape';
import { buildTensor, valueTensor } from './util';
import { declare, kinds, param } from '../../graph/signature';

/** Squeeze(input) with attr `squeeze_dims`: removes the listed size-1 dims (all size-1 dims when empty). */
defineOp({
  type: 'Squeeze',
  infer: (ctx) => {
    const x = ctx.shapes[0] as Shape;
    const axes = (ctx.attrs.squeeze_dims as number[] | undefined) ?? [];
    const dtype = ctx.dtypes[0] as DType;
    if (x === null) return [{ shape: null, dtype }];
    const rank = x.length;
    const drop = new Set<number>();
    for (const a of axes) {
      if (!Number.isInteger(a) || a < -rank || a >= rank)
        ctx.fail(`Tried to squeeze dim index ${a} for tensor with ${rank} dimensions.`);
      const i = a < 0 ? a + rank : a;
      const d = x[i] as Dim;
      if (d !== null && d !== 1) ctx.fail(`Can not squeeze dim[${i}], expected a dimension of 1, got ${d}`);
      drop.add(i);
    }
    if (axes.length === 0) {
      // Without axes an unknown dim might be 1 or not: the result's rank is unknown until run time.
      if (x.some((d) => d === null)) return [{ shape: null, dtype }];
      x.forEach((d, i) => d === 1 && drop.add(i));
    }
    return [{ shape: x.filter((_d, i) => !drop.has(i)), dtype }];
  },
  grad: (op, [dy]) => [dy ? reshapeLike(dy, op.inputs[0] as Tensor) : null],
});

/**
 * Removes dimensions of size 1: those listed in `axis`, or all of them when `axis` is omitted — TF1's
 * `tf.squeeze(input, axis=None, name=None, squeeze_dims=None)` (`squeezeDims` is the deprecated name).
 * Squeezing a dimension whose size is not 1 is an error.
 *
 * @example
 * tf.squeeze(x);          // [1,3,1,4] → [3,4]
 * tf.squeeze(x, [2]);     // [1,3,1,4] → [1,3,4]
 */
export const squeeze = declare(
  'squeeze',
  [
    param('input', kinds.tensor),
    param('axis', kinds.axis, { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('squeezeDims', kinds.axis, { default: null }),
  ] as const,
  (a): Tensor => {
    if (a.axis !== null && a.squeezeDims !== null)
      throw new TypeError("squeeze(): cannot specify both 'axis' and 'squeeze_dims'");
    const axis = a.axis ?? a.squeezeDims;
    const axes = axis === null ? [] : Array.isArray(axis) ? axis : [axis];
    return buildTensor('Squeeze', 'Squeeze', a.name, [a.input], (g) => ({
      inputs: [valueTensor(a.input, g)],
      attrs: { squeeze_dims: axes },
    }));
  },
);
