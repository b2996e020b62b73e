import { DType } from '../graph/dtype';
import { Dim, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { defineOp, firstDtype, makeTensor } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { InvalidArgumentError } from '../errors';
import { reshape } from '../ops/array/reshape';

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
    const nchw = formatOf(ctx.attrs.data_format) === 'NCHW';
    if (b !== null && b.length !== 1) ctx.fail(`Shape must be rank 1 but is rank ${b.length}`);
    if (v === null) return [{ shape: null, dtype: dv }];
    if (v.length < 2) ctx.fail(`Shape must be at least rank 2 but is rank ${v.length}`);
    const axis = nchw ? 1 : v.length - 1;
    const chan = v[axis] as Dim;
    const bias = b === null ? null : (b[0] as Dim);
    if (chan !== null && bias !== null && chan !== bias)
      ctx.fail(`Dimensions must be equal, but are ${chan} and ${bias}`);
    const shape = v.slice();
    shape[axis] = chan ?? bias;
    return [{ shape, dtype: dv }];
  },
  grad: (op, [dy]) =>
    dy
      ? [dy, makeTensor('BiasAddGrad', [dy], { data_format: formatOf(op.attrs.data_format) }, 'BiasAddGrad')]
      : [null, null],
});

/** The bias axis layout: 'NHWC' (TF1's default, the last axis) or 'NCHW' (axis 1). */
export type BiasFormat = 'NHWC' | 'NCHW';
function formatOf(v: unknown): BiasFormat {
  if (v === undefined || v === null || v === 'NHWC') return 'NHWC';
  if (v === 'NCHW') return 'NCHW';
  throw new InvalidArgumentError(`BiasAdd: data_format must be 'NHWC' or 'NCHW', got ${String(v)}`);
}

defineOp({
  type: 'BiasAddGrad',
  infer: (ctx) => {
    const s = ctx.shapes[0] as Shape;
    const dtype = ctx.dtypes[0] as DType;
    if (!NUMERIC.includes(dtype))
      ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: float, int32`);
    if (s === null) return [{ shape: [null], dtype }];
    if (s.length < 2) ctx.fail(`Shape must be at least rank 2 but is rank ${s.length}`);
    const axis = formatOf(ctx.attrs.data_format) === 'NCHW' ? 1 : s.length - 1;
    return [{ shape: [s[axis] as Dim], dtype }];
  },
  // Linear: the adjoint of "sum over all but the bias axis" broadcasts the bias gradient back.
  grad: (op, [ddb]) => {
    if (!ddb) return [null];
    const dy = op.inputs[0] as Tensor;
    let b: Tensor = ddb;
    if (formatOf(op.attrs.data_format) === 'NCHW') {
      const rank = dy.shape?.length;
      if (rank === undefined)
        throw new InvalidArgumentError('BiasAddGrad (NCHW): the gradient needs an input of known rank');
      b = reshape(ddb, [-1, ...Array.from({ length: rank - 2 }, () => 1)]);
    }
    return [makeTensor('BroadcastToShapeOf', [b, dy], {})];
  },
});

/**
 * Adds the 1-D `bias` to `value` along the channel axis (TF1 `tf.nn.bias_add(value, bias,
 * data_format=None, name=None)`): the last axis for `dataFormat` null/'NHWC', axis 1 for 'NCHW'.
 *
 * @example
 * const h = tf.nn.biasAdd(tf.nn.conv2d(x, W, [1, 1, 1, 1], 'SAME'), b); // b: [32]
 * const g = tf.nn.biasAdd(xNchw, b, 'NCHW');
 */
export const biasAdd = declare(
  'biasAdd',
  [
    param('value', kinds.tensor),
    param('bias', kinds.tensor),
    param('dataFormat', kinds.nullable(kinds.oneOf('NHWC', 'NCHW')), { default: null as BiasFormat | null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    makeTensor(
      'BiasAdd',
      [a.value as TensorLike, a.bias as TensorLike],
      { data_format: a.dataFormat ?? 'NHWC' },
      a.name ?? 'BiasAdd',
      firstDtype([a.value as TensorLike, a.bias as TensorLike]),
    ),
);

/**
 * Sums `outBackprop` over every axis but the bias axis (TF1 `BiasAddGrad(out_backprop,
 * data_format='NHWC', name=None)`, the bias gradient of biasAdd).
 *
 * @example
 * const db = tf.nn.biasAddGrad(dy); // [batch, 10] → [10]
 */
export const biasAddGrad = declare(
  'biasAddGrad',
  [
    param('outBackprop', kinds.tensor),
    param('dataFormat', kinds.oneOf('NHWC', 'NCHW'), { default: 'NHWC' as BiasFormat }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    makeTensor(
      'BiasAddGrad',
      [a.outBackprop as TensorLike],
      { data_format: a.dataFormat },
      a.name ?? 'BiasAddGrad',
    ),
);
