import { Dim } from '../graph/shape';
import { Attrs, Operation, Tensor, TensorLike } from '../graph/tensor';
import { defineOp, InferContext, makeTensor, NameOption } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { InvalidArgumentError, UnimplementedError } from '../errors';
import { nameScope } from '../graph/graph';
import { reshape } from '../ops/array/reshape';
import { reduceMax } from '../ops/reduce/extremum';
import { concat } from '../ops/array/concat';
import { slice } from '../ops/array/slice';
import { shape as shapeOf } from '../ops/fill/shape';
import { outputShape, poolGeometry } from '../ops/nn_geometry';
import {
  mergeDims,
  Padding,
  rank4,
  requireFloat,
  requireNhwc,
  sizesOf,
  sizesTensor,
  Window,
  window4,
  windowKind,
  paddingKind,
  dataFormatKind,
  DataFormat,
  inLayout,
  floatOutput,
  nhwcOnly,
} from './window';

/**
 * Max and average pooling (NHWC) with their backward primitives. MaxPoolGrad routes each window's
 * gradient to the window's first maximal cell; MaxPoolGradGrad is its adjoint (a gather from those
 * cells), so max pooling has derivatives of every order. AvgPoolGrad is linear; its gradient is AvgPool.
 */
function pooled(ctx: InferContext, x: Dim[]): Dim[] {
  requireNhwc(ctx);
  return outputShape(poolGeometry(x, ctx));
}

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
    return floatOutput(pooled(ctx, rank4(ctx, 0)));
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
    return floatOutput(x);
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
    return floatOutput(checkPooled(ctx, x, 1));
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
    return floatOutput(pooled(ctx, rank4(ctx, 0)));
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
    return floatOutput(x);
  },
  grad: (op, [ddx]) => {
    if (!ddx) return [null, null];
    return [null, makeTensor('AvgPool', [ddx], poolAttrs(op), 'AvgPool')];
  },
});

/** Keyword options of the pooling builders (TF1's names); kept as a type for callers that build them. */
export interface PoolOptions extends NameOption {
  /** 'NHWC' (default) or 'NCHW' (maxPool/avgPool only: computed as NHWC between transposes). */
  dataFormat?: DataFormat;
}

const poolParams = [
  param('value', kinds.tensor, { aliases: ['input'] }),
  param('ksize', windowKind),
  param('strides', windowKind),
  param('padding', paddingKind),
  param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
  param('name', kinds.name, { default: undefined as string | undefined }),
] as const;

function builderAttrs(ksize: Window, strides: Window, padding: Padding, dataFormat: DataFormat): Attrs {
  return {
    ksize: window4(ksize, 'ksize', dataFormat),
    strides: window4(strides, 'strides', dataFormat),
    padding,
    data_format: 'NHWC',
  };
}

/**
 * TF1's depthwise max pooling (ksize and strides [1, 1, 1, k], padding irrelevant with a 1×1 spatial
 * window): the max over each group of k consecutive channels, out depth = depth / k. Built as
 * Reshape → Max (reduceMax over the group axis) → Reshape, so it runs on every backend's Max kernel and
 * is differentiable (TF1 has no gradient for it; here the gradient is reduceMax's, which splits the
 * gradient evenly between tied maxima).
 */
function depthMaxPool(x: Tensor, k: number, strides: number[], name: string): Tensor {
  const fail = (m: string) => {
    throw new UnimplementedError(`maxPool: ${m}`);
  };
  if (strides[1] !== 1 || strides[2] !== 1)
    fail('MaxPooling supports exactly one of pooling across depth or pooling across width/height.');
  if (strides[3] !== k) fail('Depthwise max pooling requires the depth window to equal the depth stride.');
  if (x.shape !== null && x.shape.length !== 4)
    throw new InvalidArgumentError(`Shape must be rank 4 but is rank ${x.shape.length} for 'MaxPool'`);
  const depth = x.shape?.[3];
  if (typeof depth !== 'number') fail('depthwise max pooling needs a statically known input depth.');
  const d = depth as number;
  if (d % k !== 0) fail('Depthwise max pooling requires the depth window to evenly divide the input depth.');
  return nameScope(name, () => {
    const groups = reshape(x, [-1, d / k, k]);
    const m = reduceMax(groups, 2);
    const [b, h, w] = [x.shape?.[0], x.shape?.[1], x.shape?.[2]];
    const known = [b, h, w].filter((v) => typeof v === 'number').length;
    if (known >= 2)
      return reshape(m, [b ?? -1, h ?? -1, w ?? -1, d / k].map((v) => (v === null ? -1 : v)) as number[]);
    return reshape(m, concat([slice(shapeOf(x), [0], [3]), [d / k]], 0));
  });
}

function pool(type: 'MaxPool' | 'AvgPool', fn: string) {
  return declare(fn, poolParams, (a): Tensor => {
    const attrs = builderAttrs(a.ksize, a.strides, a.padding, a.dataFormat);
    const ks = attrs.ksize as number[];
    return inLayout(a.dataFormat, (nhwc) => {
      const x = nhwc(a.value as TensorLike);
      if (ks[3] !== 1 && ks[0] === 1) {
        if (type === 'AvgPool')
          throw new UnimplementedError(
            'avgPool: Non-spatial pooling (over depth) is not implemented, as in TF1.',
          );
        if (ks[1] !== 1 || ks[2] !== 1)
          throw new UnimplementedError(
            'maxPool: MaxPooling supports exactly one of pooling across depth or pooling across width/height.',
          );
        return depthMaxPool(x, ks[3] as number, attrs.strides as number[], a.name ?? type);
      }
      return makeTensor(type, [x], attrs, a.name ?? type);
    });
  });
}

/**
 * Max pooling (TF1 `tf.nn.max_pool(value, ksize, strides, padding, data_format='NHWC', name=None,
 * input=None)`): window `ksize` and `strides` as `[1, h, w, 1]` (or `[h, w]`, `[n]`, or one number),
 * padding 'SAME' | 'VALID'. `ksize = strides = [1, 1, 1, k]` pools over groups of k channels (TF1's
 * depthwise max pooling).
 *
 * @example
 * const p = tf.nn.maxPool(h, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'); // [?,28,28,32] → [?,14,14,32]
 * const q = tf.nn.maxPool(h, { ksize: 2, strides: 2, padding: 'VALID' });
 */
export const maxPool = pool('MaxPool', 'maxPool');

/**
 * Average pooling (TF1 `tf.nn.avg_pool(value, ksize, strides, padding, data_format='NHWC', name=None,
 * input=None)`); padding cells are not counted in the average.
 *
 * @example
 * const p = tf.nn.avgPool(h, [1, 3, 3, 1], [1, 2, 2, 1], 'VALID');
 */
export const avgPool = pool('AvgPool', 'avgPool');

/**
 * Gradient of avgPool (TF1 `AvgPoolGrad(orig_input_shape, grad, ksize, strides, padding,
 * data_format='NHWC', name=None)`): `origInputShape` is 4 numbers, an int32 vector tensor, or a 4-D
 * tensor whose runtime shape is used. Only NHWC.
 *
 * @example
 * const dx = tf.nn.avgPoolGrad([2, 7, 5, 3], dy, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME');
 */
export const avgPoolGrad = declare(
  'avgPoolGrad',
  [
    param('origInputShape', kinds.union(kinds.ints, kinds.tensor)),
    param('grad', kinds.tensor),
    ...poolParams.slice(1),
  ] as const,
  (a): Tensor => {
    nhwcOnly('avgPoolGrad', a.dataFormat);
    return makeTensor(
      'AvgPoolGrad',
      [sizesTensor(a.origInputShape as TensorLike), a.grad as TensorLike],
      builderAttrs(a.ksize, a.strides, a.padding, a.dataFormat),
      a.name ?? 'AvgPoolGrad',
      'float32',
    );
  },
);

/**
 * Gradient of maxPool (TF1 `MaxPoolGrad(orig_input, orig_output, grad, ksize, strides, padding,
 * data_format='NHWC', name=None)`): routes `grad` (shaped like the pooled output) to the first maximal
 * cell of each window of `origInput`. Only NHWC.
 *
 * @example
 * const dx = tf.nn.maxPoolGrad(x, y, dy, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID');
 */
export const maxPoolGrad = declare(
  'maxPoolGrad',
  [
    param('origInput', kinds.tensor),
    param('origOutput', kinds.tensor),
    param('grad', kinds.tensor),
    ...poolParams.slice(1),
  ] as const,
  (a): Tensor => {
    nhwcOnly('maxPoolGrad', a.dataFormat);
    return makeTensor(
      'MaxPoolGrad',
      [a.origInput as TensorLike, a.origOutput as TensorLike, a.grad as TensorLike],
      builderAttrs(a.ksize, a.strides, a.padding, a.dataFormat),
      a.name ?? 'MaxPoolGrad',
    );
  },
);
