import { DType } from '../../graph/dtype';
import { declare, kinds, param, TensorValue } from '../../graph/signature';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp } from '../op_def';
import { buildTensor, intTensor, intValues, requireInt, requireScalar, valueTensor } from './util';

/**
 * OneHot(indices:int32, depth:int32, on_value, off_value) with attr axis: `on_value` where the index
 * matches, `off_value` elsewhere (indices outside [0, depth) give an all-off row). Not differentiable.
 */
defineOp({
  type: 'OneHot',
  defaultName: 'one_hot',
  infer: (ctx) => {
    requireInt(ctx, 0, 'indices');
    requireInt(ctx, 1, 'depth');
    requireScalar(ctx, 1, 'depth');
    requireScalar(ctx, 2, 'on_value');
    requireScalar(ctx, 3, 'off_value');
    const dtype = ctx.dtypes[2] as DType;
    if (ctx.dtypes[3] !== dtype) ctx.fail(`off_value must have dtype ${dtype}, got ${ctx.dtypes[3]}`);
    const ind = ctx.shapes[0] as Shape;
    const depth = intValues(ctx, 1)?.[0] ?? null;
    if (depth !== null && depth < 0) ctx.fail(`depth must be non-negative, got: ${depth}`);
    if (ind === null) return [{ shape: null, dtype }];
    const axis = ctx.attrs.axis as number;
    if (axis < -1 || axis > ind.length)
      ctx.fail(`Expected axis to be -1 or between [0, ${ind.length + 1}).  But received: ${axis}`);
    const at = axis === -1 ? ind.length : axis;
    return [{ shape: [...ind.slice(0, at), depth, ...ind.slice(at)] as Dim[], dtype }];
  },
  grad: 'none',
});

/**
 * One-hot encoding of int32 `indices` with `depth` classes — TF1's `tf.oneHot(indices, depth,
 * on_value=None, off_value=None, axis=None, dtype=None, name=None)`. The dtype is `dtype`, else that of
 * onValue/offValue when given, else float32 (TF1's rule); onValue and offValue must agree.
 *
 * @example
 * tf.oneHot(labels, 10);                      // [batch] → [batch,10] float32
 * tf.oneHot([0, 2], 3, 5, -1);                // [[5,-1,-1],[-1,-1,5]]
 * tf.oneHot([0, 2], 3, { onValue: 5, offValue: -1, dtype: 'int32' });
 */
export const oneHot = declare(
  'oneHot',
  [
    param('indices', kinds.tensor),
    param('depth', kinds.tensor),
    param('onValue', kinds.nullable(kinds.tensor), { default: null }),
    param('offValue', kinds.nullable(kinds.tensor), { default: null }),
    param('axis', kinds.nullable(kinds.int), { default: null }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const on = a.onValue as TensorLike | null;
    const off = a.offValue as TensorLike | null;
    const dtOf = (v: TensorLike | null): DType | undefined =>
      v === null ? undefined : v instanceof Tensor ? v.dtype : typeof v === 'boolean' ? 'bool' : undefined;
    const [onDt, offDt] = [dtOf(on), dtOf(off)];
    if (onDt && offDt && onDt !== offDt)
      throw new TypeError(`oneHot(): dtype of on_value (${onDt}) is different from off_value (${offDt})`);
    const valueDt = onDt ?? offDt;
    if (a.dtype !== null && valueDt !== undefined && valueDt !== a.dtype)
      throw new TypeError(
        `oneHot(): dtype ${a.dtype} of the output is different from on_value/off_value (${valueDt})`,
      );
    const dtype: DType = a.dtype ?? valueDt ?? 'float32';
    const inputs = [a.indices, a.depth, on, off].filter((v): v is TensorValue => v !== null);
    return buildTensor('OneHot', 'one_hot', a.name, inputs as TensorLike[], (g) => ({
      inputs: [
        intTensor(a.indices as TensorLike, 'indices', g),
        intTensor(a.depth as TensorLike, 'depth', g),
        valueTensor(on ?? (dtype === 'bool' ? true : 1), g, dtype),
        valueTensor(off ?? (dtype === 'bool' ? false : 0), g, dtype),
      ],
      attrs: { axis: a.axis ?? -1 },
    }));
  },
);
