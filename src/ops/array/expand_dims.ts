import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import { reshapeLike } from './reshape';
import { buildTensor, intTensor, intValues, requireInt, unknownDims, valueTensor } from './util';

/** ExpandDims(input, dim:int32): inserts a dimension of 1 at `dim` (zero-copy on the CPU). */
defineOp({
  type: 'ExpandDims',
  infer: (ctx) => {
    requireInt(ctx, 1, 'dim');
    const x = ctx.shapes[0] as Shape;
    const dimShape = ctx.shapes[1] as Shape;
    if (dimShape !== null && dimShape.length > 1) ctx.fail(`'dim' must be a tensor with a single value`);
    const dim = intValues(ctx, 1);
    const dtype = ctx.dtypes[0] as DType;
    if (dim && dim.length !== 1) ctx.fail(`'dim' must be a tensor with a single value`);
    if (x === null) return [{ shape: null, dtype }];
    if (!dim) return [{ shape: unknownDims(x.length + 1), dtype }];
    const d = dim[0] as number;
    const rank = x.length;
    if (d < -rank - 1 || d > rank)
      ctx.fail(`Tried to expand dim index ${d} for tensor with ${rank} dimensions.`);
    const at = d < 0 ? d + rank + 1 : d;
    return [{ shape: [...x.slice(0, at), 1, ...x.slice(at)] as Dim[], dtype }];
  },
  grad: (op, [dy]) => [dy ? reshapeLike(dy, op.inputs[0] as Tensor) : null, null],
});

/**
 * Inserts a dimension of size 1 at `axis` (negative counts from the end: -1 appends) — TF1's
 * `tf.expandDims(input, axis=None, name=None, dim=None)` (`dim` is TF1's deprecated name of `axis`).
 *
 * @example
 * tf.expandDims(x, 0);   // [3,4] → [1,3,4]
 * tf.expandDims(x, -1);  // [3,4] → [3,4,1]
 */
export const expandDims = declare(
  'expandDims',
  [
    param('input', kinds.tensor),
    param('axis', kinds.nullable(kinds.tensor), { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dim', kinds.nullable(kinds.tensor), { default: null }),
  ] as const,
  (a): Tensor => {
    if (a.axis !== null && a.dim !== null)
      throw new TypeError("expandDims(): cannot specify both 'axis' and 'dim'");
    const axis = a.axis ?? a.dim;
    if (axis === null) throw new TypeError('expandDims(): must specify an axis argument to tf.expandDims()');
    return buildTensor('ExpandDims', 'ExpandDims', a.name, [a.input, axis], (g) => ({
      inputs: [valueTensor(a.input, g), intTensor(axis, 'dim', g)],
      attrs: {},
    }));
  },
);
