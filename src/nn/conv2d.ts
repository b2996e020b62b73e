import { Dim } from '../graph/shape';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, InferContext, makeTensor, NameOption } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { InvalidArgumentError, UnimplementedError } from '../errors';
import { conv2dGeometry, outputShape } from '../ops/nn_geometry';
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
  windowAttrs,
  windowKind,
  paddingKind,
  dataFormatKind,
  DataFormat,
  inLayout,
  checkOutBackprop,
  floatOutput,
  nhwcOnly,
  sizesKind,
  CPU_NOTE,
} from './window';

/**
 * Conv2D (NHWC input, HWIO filter) and its two backward primitives. Each gradient is expressed with the
 * other two convolution ops, so second derivatives (e.g. gradient penalties) work.
 */
/** Output shape of a convolution of input `x` with filter `f` (geometry and checks: ops/nn_geometry.ts). */
function convOutput(ctx: InferContext, x: Dim[], f: Dim[]): Dim[] {
  requireNhwc(ctx);
  return outputShape(conv2dGeometry(x, f, ctx));
}

defineOp({
  type: 'Conv2D',
  infer: (ctx) => {
    requireFloat(ctx, 0, 1);
    return floatOutput(convOutput(ctx, rank4(ctx, 0), rank4(ctx, 1)));
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null];
    const [x, f] = op.inputs as [Tensor, Tensor];
    return [
      makeTensor('Conv2DBackpropInput', [x, f, dy], windowOf(op), 'Conv2DBackpropInput'),
      makeTensor('Conv2DBackpropFilter', [x, f, dy], windowOf(op), 'Conv2DBackpropFilter'),
    ];
  },
});

defineOp({
  type: 'Conv2DBackpropInput',
  infer: (ctx) => {
    requireFloat(ctx, 1, 2);
    const f = rank4(ctx, 1);
    const dy = rank4(ctx, 2);
    const x = mergeDims(ctx, sizesOf(ctx, 0), [dy[0] as Dim, null, null, f[2] as Dim]);
    if (f[3] !== null && dy[3] !== null && f[3] !== dy[3]) {
      ctx.fail(
        `Conv2DBackpropInput: filter and out_backprop must have the same out_depth (${f[3]} vs ${dy[3]})`,
      );
    }
    checkOutBackprop(ctx, convOutput(ctx, x, f), dy);
    return floatOutput(x);
  },
  // dx = Jᵀ_x(f)·dy is bilinear in (f, dy): d/d(dy) is the forward conv, d/df the filter backprop.
  grad: (op, [ddx]) => {
    if (!ddx) return [null, null, null];
    const [, f, dy] = op.inputs as [Tensor, Tensor, Tensor];
    return [
      null,
      makeTensor('Conv2DBackpropFilter', [ddx, f, dy], windowOf(op), 'Conv2DBackpropFilter'),
      makeTensor('Conv2D', [ddx, f], windowOf(op), 'Conv2D'),
    ];
  },
});

defineOp({
  type: 'Conv2DBackpropFilter',
  infer: (ctx) => {
    requireFloat(ctx, 0, 2);
    const x = rank4(ctx, 0);
    const dy = rank4(ctx, 2);
    const f = mergeDims(ctx, sizesOf(ctx, 1), [null, null, x[3] as Dim, dy[3] as Dim]);
    checkOutBackprop(ctx, convOutput(ctx, x, f), dy);
    return floatOutput(f);
  },
  grad: (op, [ddf]) => {
    if (!ddf) return [null, null, null];
    const [x, , dy] = op.inputs as [Tensor, Tensor, Tensor];
    return [
      makeTensor('Conv2DBackpropInput', [x, ddf, dy], windowOf(op), 'Conv2DBackpropInput'),
      null,
      makeTensor('Conv2D', [x, ddf], windowOf(op), 'Conv2D'),
    ];
  },
});

function windowOf(op: Operation) {
  const { strides, padding, data_format } = op.attrs;
  return { strides, padding, data_format } as ReturnType<typeof windowAttrs>;
}

/** Keyword options of conv2d (TF1's names); kept as a type for callers that build them. */
export interface Conv2DOptions extends NameOption {
  /** 'NHWC' (default) or 'NCHW' (conv2d only: computed as NHWC between transposes). */
  dataFormat?: DataFormat;
  /** Must be all ones (dilated convolution is not implemented: a clear error otherwise). */
  dilations?: Window;
  /** TF1's cuDNN switch: no numeric effect (accepted and validated as a boolean). */
  useCudnnOnGpu?: boolean;
}

function convAttrs(fn: string, strides: Window, padding: Padding, dataFormat: DataFormat, dilations: Window) {
  const attrs = windowAttrs(strides, padding, dataFormat);
  const d = window4(dilations, 'dilations', dataFormat);
  if (d.some((v) => v !== 1)) {
    throw new UnimplementedError(
      `${fn}: dilations other than 1 are not implemented (got ${JSON.stringify(dilations)}); ` +
        'Dilations other than 1 are not supported',
    );
  }
  attrs.dilations = d;
  return attrs;
}

/**
 * 2-D convolution (TF1 `tf.nn.conv2d(input, filter, strides, padding, use_cudnn_on_gpu=True,
 * data_format='NHWC', dilations=[1,1,1,1], name=None, filters=None)`): input NHWC `[batch, h, w, inC]`
 * (or NCHW with `dataFormat: 'NCHW'`), filter HWIO `[fh, fw, inC, outC]`, strides `[1, sh, sw, 1]` (or
 * `[sh, sw]`, `[s]`, or one number), padding 'SAME' | 'VALID'. `useCudnnOnGpu` has no numeric effect.
 *
 * @example
 * const h = tf.nn.conv2d(x, W, [1, 1, 1, 1], 'SAME'); // [?,28,28,1] * [5,5,1,32] → [?,28,28,32]
 * const h2 = tf.nn.conv2d(x, W, { strides: [1, 1, 1, 1], padding: 'SAME' });
 */
export const conv2d = declare(
  'conv2d',
  [
    param('input', kinds.tensor),
    param('filter', kinds.tensor, { aliases: ['filters'] }),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('useCudnnOnGpu', kinds.bool, { default: true }),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const attrs = convAttrs('conv2d', a.strides, a.padding, a.dataFormat, a.dilations);
    return inLayout(a.dataFormat, (nhwc) =>
      makeTensor('Conv2D', [nhwc(a.input as TensorLike), a.filter as TensorLike], attrs, a.name ?? 'Conv2D'),
    );
  },
);

/**
 * Gradient of conv2d with respect to its input (TF1 `tf.nn.conv2d_backprop_input(input_sizes, filter,
 * out_backprop, strides, padding, use_cudnn_on_gpu=True, data_format='NHWC', dilations=[1,1,1,1],
 * name=None, filters=None)`). `inputSizes` is the input's shape: 4 numbers, an int32 vector tensor, or a
 * 4-D tensor whose runtime shape is used. Only NHWC.
 *
 * @example
 * const dx = tf.nn.conv2dBackpropInput([2, 7, 5, 3], W, dy, [1, 2, 2, 1], 'SAME');
 */
export const conv2dBackpropInput = declare(
  'conv2dBackpropInput',
  [
    param('inputSizes', sizesKind),
    param('filter', kinds.tensor, { aliases: ['filters'] }),
    param('outBackprop', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('useCudnnOnGpu', kinds.bool, { default: true }),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    nhwcOnly('conv2dBackpropInput', a.dataFormat, CPU_NOTE);
    const attrs = convAttrs('conv2dBackpropInput', a.strides, a.padding, a.dataFormat, a.dilations);
    return makeTensor(
      'Conv2DBackpropInput',
      [sizesTensor(a.inputSizes as TensorLike), a.filter as TensorLike, a.outBackprop as TensorLike],
      attrs,
      a.name ?? 'Conv2DBackpropInput',
      'float32',
    );
  },
);

/**
 * Gradient of conv2d with respect to its filter (TF1 `tf.nn.conv2d_backprop_filter(input, filter_sizes,
 * out_backprop, strides, padding, use_cudnn_on_gpu=True, data_format='NHWC', dilations=[1,1,1,1],
 * name=None)`). `filterSizes` is the filter's shape: 4 numbers, an int32 vector tensor, or a 4-D tensor
 * whose runtime shape is used. Only NHWC.
 *
 * @example
 * const dW = tf.nn.conv2dBackpropFilter(x, [3, 2, 3, 4], dy, [1, 1, 1, 1], 'VALID');
 */
export const conv2dBackpropFilter = declare(
  'conv2dBackpropFilter',
  [
    param('input', kinds.tensor),
    param('filterSizes', sizesKind),
    param('outBackprop', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('useCudnnOnGpu', kinds.bool, { default: true }),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    nhwcOnly('conv2dBackpropFilter', a.dataFormat, CPU_NOTE);
    const attrs = convAttrs('conv2dBackpropFilter', a.strides, a.padding, a.dataFormat, a.dilations);
    return makeTensor(
      'Conv2DBackpropFilter',
      [a.input as TensorLike, sizesTensor(a.filterSizes as TensorLike), a.outBackprop as TensorLike],
      attrs,
      a.name ?? 'Conv2DBackpropFilter',
      'float32',
    );
  },
);

/** Renders a dim as TF1's ValueError messages do (`?` for unknown). */
const dimText = (d: Dim | undefined): string => (d === null || d === undefined ? '?' : String(d));

/**
 * The transpose (gradient) of conv2d, "deconvolution" (TF1 `tf.nn.conv2d_transpose(value, filter,
 * output_shape, strides, padding='SAME', data_format='NHWC', name=None, input=None, filters=None,
 * dilations=None)`): `value` `[batch, h, w, in_channels]`, `filter` `[fh, fw, out_channels,
 * in_channels]`, `outputShape` the 4 output sizes (a list or an int32 vector tensor, e.g. a `tf.stack`
 * of `tf.shape(x).at(0)` and numbers). One Conv2DBackpropInput op named `conv2d_transpose`, as in TF1.
 * Only NHWC.
 *
 * @example
 * const up = tf.nn.conv2dTranspose(x, W, [batch, 14, 14, 64], [1, 2, 2, 1], 'SAME');
 * const up2 = tf.nn.conv2dTranspose(x, W, tf.stack([tf.shape(x).at(0), 14, 14, 64]), { strides: 2 });
 */
export const conv2dTranspose = declare(
  'conv2dTranspose',
  [
    param('value', kinds.tensor, { aliases: ['input'] }),
    param('filter', kinds.tensor, { aliases: ['filters'] }),
    param('outputShape', sizesKind),
    param('strides', windowKind),
    param('padding', paddingKind, { default: 'SAME' as Padding }),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] }),
  ] as const,
  (a): Tensor => {
    nhwcOnly('conv2dTranspose', a.dataFormat, CPU_NOTE);
    const attrs = convAttrs('conv2dTranspose', a.strides, a.padding, a.dataFormat, a.dilations);
    const value = a.value instanceof Tensor ? a.value : convertToTensor(a.value as TensorLike, 'float32');
    const filter = a.filter instanceof Tensor ? a.filter : convertToTensor(a.filter as TensorLike, 'float32');
    const outputShape = sizesTensor(a.outputShape as TensorLike);
    const inC = value.shape?.[3];
    const fIn = filter.shape?.[3];
    if (inC != null && fIn != null && inC !== fIn) {
      throw new InvalidArgumentError(
        `input channels does not match filter's input channels, ${dimText(inC)} != ${dimText(fIn)}`,
      );
    }
    const os = outputShape.shape;
    if (os !== null && (os.length !== 1 || (os[0] !== null && os[0] !== 4))) {
      throw new InvalidArgumentError(
        `output_shape must have shape (4,), got (${os.map(dimText).join(', ')})`,
      );
    }
    if (Array.isArray(a.outputShape)) {
      const outC = a.outputShape[3];
      const fOut = filter.shape?.[2];
      if (typeof outC === 'number' && fOut != null && outC !== fOut) {
        throw new InvalidArgumentError(
          `output_shape does not match filter's output channels, ${dimText(outC)} != ${dimText(fOut)}`,
        );
      }
    }
    return makeTensor(
      'Conv2DBackpropInput',
      [outputShape, filter, value],
      attrs,
      a.name ?? 'conv2d_transpose',
      'float32',
    );
  },
);
