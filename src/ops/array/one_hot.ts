import { DType, isDType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { InvalidArgumentError } from '../../errors';
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

export interface OneHotOptions {
  onValue?: TensorLike;
  offValue?: TensorLike;
  /** Where the new depth axis goes (default -1: last). */
  axis?: number;
  /** Output dtype (default float32, or the dtype of onValue/offValue when they are tensors). */
  dtype?: DType;
  name?: string;
}

/**
 * One-hot encoding of int32 `indices` with `depth` classes.
 *
 * @example
 * tf.oneHot(labels, 10);                                   // [batch] → [batch,10] float32
 * tf.oneHot([0, 2], 3, { onValue: 5, offValue: -1, dtype: 'int32' });
 */
export function oneHot(indices: TensorLike, depth: TensorLike, opts?: OneHotOptions | string): Tensor {
  const o = typeof opts === 'string' ? { name: opts } : (opts ?? {});
  const given = [o.onValue, o.offValue].find((v): v is Tensor => v instanceof Tensor);
  const dtype = o.dtype ?? given?.dtype ?? 'float32';
  if (!isDType(dtype)) throw new InvalidArgumentError(`oneHot: unknown dtype '${String(dtype)}'`);
  return buildTensor('OneHot', 'one_hot', o.name, [indices, depth, o.onValue, o.offValue], (g) => ({
    inputs: [
      intTensor(indices, 'indices', g),
      intTensor(depth, 'depth', g),
      valueTensor(o.onValue ?? (dtype === 'bool' ? true : 1), g, dtype),
      valueTensor(o.offValue ?? (dtype === 'bool' ? false : 0), g, dtype),
    ],
    attrs: { axis: o.axis ?? -1 },
  }));
}
