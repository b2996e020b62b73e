import { DType } from '../graph/dtype';
import { Dim, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { defineOp, firstDtype, makeTensor, NameOption, parseOptions } from '../ops/op_def';

/**
 * BiasAdd adds a 1-D bias along the last axis (NHWC's channels, a dense layer's units) with one tight
 * loop; its bias gradient is the BiasAddGrad primitive (sum over all other axes), whose own gradient
 * broadcasts back — so second derivatives work.
 */
const NUMERIC: readonly DType[] = ['float32', 'int32'];

defineOp({
  type: 'BiasAdd',
  infer: (ctx) => {
    const [v, b] = ctx.shapes as [Shape, Shape];
    const [dv, db] = ctx.dtypes as [DType, DType];
    if (dv !== db)
      ctx.fail(
        `Input 'bias' of 'BiasAdd' Op has type ${db} that does not match type ${dv} of argument 'value'`,
      );
    if (!NUMERIC.includes(dv))
      ctx.fail(`Value for attr 'T' of ${dv} is not in the list of allowed values: float, int32`);
    if ((ctx.attrs.data_format ?? 'NHWC') !== 'NHWC')
      ctx.fail('BiasAdd only supports data_format NHWC on this backend');
    if (b !== null && b.length !== 1) ctx.fail(`Shape must be rank 1 but is rank ${b.length}`);
    if (v === null) return [{ shape: null, dtype: dv }];
    if (v.length < 2) ctx.fail(`Shape must be at least rank 2 but is rank ${v.length}`);
    const last = v[v.length - 1] as Dim;
    const bias = b === null ? null : (b[0] as Dim);
    if (last !== null && bias !== null && last !== bias)
      ctx.fail(`Dimensions must be equal, but are ${last} and ${bias}`);
    return [{ shape: [...v.slice(0, -1), last ?? bias], dtype: dv }];
  },
  grad: (op, [dy]) =>
    dy ? [dy, makeTensor('BiasAddGrad', [dy], { data_format: 'NHWC' }, 'BiasAddGrad')] : [null, null],
});

defineOp({
  type: 'BiasAddGrad',
  infer: (ctx) => {
    const s = ctx.shapes[0] as Shape;
    const dtype = ctx.dtypes[0] as DType;
    if (!NUMERIC.includes(dtype))
      ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: float, int32`);
    if (s === null) return [{ shape: [null], dtype }];
    if (s.length < 2) ctx.fail(`Shape must be at least rank 2 but is rank ${s.length}`);
    return [{ shape: [s[s.length - 1] as Dim], dtype }];
  },
  // Linear: the adjoint of "sum over all but the last axis" broadcasts the bias gradient back.
  grad: (op, [ddb]) => [ddb ? makeTensor('BroadcastToShapeOf', [ddb, op.inputs[0] as Tensor], {}) : null],
});

/**
 * Adds `bias` (1-D, length = last dim of `value`) to `value` (TF1 `tf.nn.bias_add`).
 *
 * @example
 * const h = tf.nn.biasAdd(tf.nn.conv2d(x, W, [1, 1, 1, 1], 'SAME'), b); // b: [32]
 */
export function biasAdd(
  value: TensorLike,
  bias: TensorLike,
  opts?: ({ dataFormat?: 'NHWC' } & NameOption) | string,
): Tensor {
  const o = parseOptions(opts);
  return makeTensor(
    'BiasAdd',
    [value, bias],
    { data_format: o.dataFormat ?? 'NHWC' },
    o.name ?? 'BiasAdd',
    firstDtype([value, bias]),
  );
}

/**
 * Sums `outBackprop` over every axis but the last (TF1 `BiasAddGrad`, the bias gradient of biasAdd).
 *
 * @example
 * const db = tf.nn.biasAddGrad(dy); // [batch, 10] → [10]
 */
export function biasAddGrad(outBackprop: TensorLike, opts?: NameOption | string): Tensor {
  return makeTensor(
    'BiasAddGrad',
    [outBackprop],
    { data_format: 'NHWC' },
    parseOptions(opts).name ?? 'BiasAddGrad',
  );
}
