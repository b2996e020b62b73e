import { Dim } from '../graph/shape';
import { Attrs, Operation, Tensor, TensorLike } from '../graph/tensor';
import { defineOp, InferContext, makeTensor, NameOption, OutputSpec, parseOptions } from '../ops/op_def';
import {
  mergeDims,
  Padding,
  paddingOf,
  rank4,
  requireFloat,
  sizesOf,
  sizesTensor,
  spatial,
  Window,
  window4,
  windowedOutput,
} from './window';

/**
 * Max and average pooling (NHWC) with their backward primitives. MaxPoolGrad routes each window's
 * gradient to the window's first maximal cell; MaxPoolGradGrad is its adjoint (a gather from those
 * cells), so max pooling has derivatives of every order. AvgPoolGrad is linear; its gradient is AvgPool.
 */
function pooled(ctx: InferContext, x: Dim[]): Dim[] {
  const k = spatial(ctx, 'ksize');
  const s = spatial(ctx, 'strides');
  const p = paddingOf(ctx);
  return [
    x[0] as Dim,
    windowedOutput(ctx, x[1] as Dim, k[0], s[0], p),
    windowedOutput(ctx, x[2] as Dim, k[1], s[1], p),
    x[3] as Dim,
  ];
}

const out = (shape: Dim[]): OutputSpec[] => [{ shape, dtype: 'float32' }];

function poolAttrs(op: Operation): Attrs {
  const { ksize, strides, padding, data_format } = op.attrs;
  return { ksize, strides, padding, data_format } as Attrs;
}

/** Checks that input `i` has the pooled shape of `x`. */
function checkPooled(ctx: InferContext, x: Dim[], i: number): Dim[] {
  return mergeDims(ctx, pooled(ctx, x), rank4(ctx, i));
}

defineOp({
  type: 'MaxPool',
  infer: (ctx) => {
    requireFloat(ctx, 0);
    return out(pooled(ctx, rank4(ctx, 0)));
  },
  grad: (op, [dy]) => {
    if (!dy) return [null];
    const [x] = op.inputs as [Tensor];
    return [makeTensor('MaxPoolGrad', [x, op.outputs[0] as Tensor, dy], poolAttrs(op), 'MaxPoolGrad')];
  },
});

// Inputs (orig_input, orig_output, grad) as in TF1; the output has orig_input's shape.
defineOp({
  type: 'MaxPoolGrad',
  infer: (ctx) => {
    requireFloat(ctx, 0, 1, 2);
    const x = rank4(ctx, 0);
    checkPooled(ctx, x, 1);
    checkPooled(ctx, x, 2);
    return out(x);
  },
  // Linear in `grad`; piecewise constant in orig_input/orig_output (zero derivative almost everywhere).
  grad: (op, [ddx]) => {
    if (!ddx) return [null, null, null];
    const [x, y] = op.inputs as [Tensor, Tensor];
    return [null, null, makeTensor('MaxPoolGradGrad', [x, y, ddx], poolAttrs(op), 'MaxPoolGradGrad')];
  },
});

// Inputs (orig_input, orig_output, grad) with grad shaped like orig_input; output shaped like orig_output.
defineOp({
  type: 'MaxPoolGradGrad',
  infer: (ctx) => {
    requireFloat(ctx, 0, 1, 2);
    const x = mergeDims(ctx, rank4(ctx, 0), rank4(ctx, 2));
    return out(checkPooled(ctx, x, 1));
  },
  grad: (op, [ddy]) => {
    if (!ddy) return [null, null, null];
    const [x, y] = op.inputs as [Tensor, Tensor];
    return [null, null, makeTensor('MaxPoolGrad', [x, y, ddy], poolAttrs(op), 'MaxPoolGrad')];
  },
});

defineOp({
  type: 'AvgPool',
  infer: (ctx) => {
    requireFloat(ctx, 0);
    return out(pooled(ctx, rank4(ctx, 0)));
  },
  grad: (op, [dy]) => {
    if (!dy) return [null];
    return [makeTensor('AvgPoolGrad', [op.inputs[0] as Tensor, dy], poolAttrs(op), 'AvgPoolGrad')];
  },
});

// Inputs (orig_input_shape, grad): the shape is an int32 4-vector (TF1) or a 4-D tensor whose shape is used.
defineOp({
  type: 'AvgPoolGrad',
  infer: (ctx) => {
    requireFloat(ctx, 1);
    const x = mergeDims(ctx, sizesOf(ctx, 0), [rank4(ctx, 1)[0] as Dim, null, null, rank4(ctx, 1)[3] as Dim]);
    checkPooled(ctx, x, 1);
    return out(x);
  },
  grad: (op, [ddx]) => {
    if (!ddx) return [null, null];
    return [null, makeTensor('AvgPool', [ddx], poolAttrs(op), 'AvgPool')];
  },
});

export interface PoolOptions extends NameOption {
  /** Only 'NHWC' (TF1's default) is implemented. */
  dataFormat?: 'NHWC';
}

function builderAttrs(ksize: Window, strides: Window, padding: Padding, o: PoolOptions): Attrs {
  return {
    ksize: window4(ksize, 'ksize'),
    strides: window4(strides, 'strides'),
    padding,
    data_format: o.dataFormat ?? 'NHWC',
  };
}

function pool(
  type: string,
  value: TensorLike,
  ksize: Window,
  strides: Window,
  padding: Padding,
  opts?: PoolOptions | string,
): Tensor {
  const o = parseOptions(opts);
  const attrs = builderAttrs(ksize, strides, padding, o);
  return makeTensor(type, [value], attrs, o.name ?? type);
}

/**
 * Max pooling (TF1 `tf.nn.max_pool`) over NHWC `value`: window `ksize` and `strides` as `[1, h, w, 1]`
 * (or `[h, w]`, or one number), padding 'SAME' | 'VALID'.
 *
 * @example
 * const p = tf.nn.maxPool(h, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'); // [?,28,28,32] → [?,14,14,32]
 */
export function maxPool(
  value: TensorLike,
  ksize: Window,
  strides: Window,
  padding: Padding,
  opts?: PoolOptions | string,
): Tensor {
  return pool('MaxPool', value, ksize, strides, padding, opts);
}

/**
 * Average pooling (TF1 `tf.nn.avg_pool`); padding cells are not counted in the average.
 *
 * @example
 * const p = tf.nn.avgPool(h, [1, 3, 3, 1], [1, 2, 2, 1], 'VALID');
 */
export function avgPool(
  value: TensorLike,
  ksize: Window,
  strides: Window,
  padding: Padding,
  opts?: PoolOptions | string,
): Tensor {
  return pool('AvgPool', value, ksize, strides, padding, opts);
}

/**
 * Gradient of avgPool (TF1 `AvgPoolGrad`): `origInputShape` is 4 numbers, an int32 vector tensor, or a
 * 4-D tensor whose runtime shape is used.
 *
 * @example
 * const dx = tf.nn.avgPoolGrad([2, 7, 5, 3], dy, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME');
 */
export function avgPoolGrad(
  origInputShape: number[] | TensorLike,
  grad: TensorLike,
  ksize: Window,
  strides: Window,
  padding: Padding,
  opts?: PoolOptions | string,
): Tensor {
  const o = parseOptions(opts);
  const attrs = builderAttrs(ksize, strides, padding, o);
  return makeTensor(
    'AvgPoolGrad',
    [sizesTensor(origInputShape), grad],
    attrs,
    o.name ?? 'AvgPoolGrad',
    'float32',
  );
}

/**
 * Gradient of maxPool (TF1 `MaxPoolGrad`): routes `grad` (shaped like the pooled output) to the first
 * maximal cell of each window of `origInput`.
 *
 * @example
 * const dx = tf.nn.maxPoolGrad(x, y, dy, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID');
 */
export function maxPoolGrad(
  origInput: TensorLike,
  origOutput: TensorLike,
  grad: TensorLike,
  ksize: Window,
  strides: Window,
  padding: Padding,
  opts?: PoolOptions | string,
): Tensor {
  const o = parseOptions(opts);
  const attrs = builderAttrs(ksize, strides, padding, o);
  return makeTensor('MaxPoolGrad', [origInput, origOutput, grad], attrs, o.name ?? 'MaxPoolGrad');
}
