import { Dim } from '../graph/shape';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
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
  windowAttrs,
  windowedOutput,
} from './window';

/**
 * Conv2D (NHWC input, HWIO filter) and its two backward primitives. Each gradient is expressed with the
 * other two convolution ops, so second derivatives (e.g. gradient penalties) work.
 */
function checkAttrs(ctx: InferContext): { strides: [number, number]; padding: Padding } {
  const strides = spatial(ctx, 'strides');
  const padding = paddingOf(ctx);
  const dil = ctx.attrs.dilations as number[] | undefined;
  if (dil !== undefined && (!Array.isArray(dil) || dil.some((d) => d !== 1))) {
    ctx.fail(`Dilations other than 1 are not supported by ${ctx.type}, got [${String(dil)}]`);
  }
  return { strides, padding };
}

/** Output shape of a convolution of input `x` with filter `f`; checks the channel counts. */
function convOutput(ctx: InferContext, x: Dim[], f: Dim[]): Dim[] {
  const { strides, padding } = checkAttrs(ctx);
  const [inC, fC] = [x[3] as Dim, f[2] as Dim];
  if (inC !== null && fC !== null && inC !== fC) {
    if (fC === 0 || inC % fC !== 0)
      ctx.fail(`Depth of input (${inC}) is not a multiple of input depth of filter (${fC})`);
    ctx.fail(
      `Grouped convolution is not supported: depth of input (${inC}) differs from input depth of filter (${fC})`,
    );
  }
  const oh = windowedOutput(ctx, x[1] as Dim, f[0] as Dim, strides[0], padding);
  const ow = windowedOutput(ctx, x[2] as Dim, f[1] as Dim, strides[1], padding);
  return [x[0] as Dim, oh, ow, f[3] as Dim];
}

/** Checks that out_backprop has the shape the forward conv of (x, f) would give. */
function checkBackprop(ctx: InferContext, x: Dim[], f: Dim[], dy: Dim[]): void {
  const expected = convOutput(ctx, x, f);
  expected.forEach((e, k) => {
    const a = dy[k] as Dim;
    if (e !== null && a !== null && e !== a) {
      ctx.fail(
        `${ctx.type}: Size of out_backprop doesn't match computed: actual = ${a}, computed = ${e} (dimension ${k})`,
      );
    }
  });
}

const out = (shape: Dim[]): OutputSpec[] => [{ shape, dtype: 'float32' }];

defineOp({
  type: 'Conv2D',
  infer: (ctx) => {
    requireFloat(ctx, 0, 1);
    return out(convOutput(ctx, rank4(ctx, 0), rank4(ctx, 1)));
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
    checkBackprop(ctx, x, f, dy);
    return out(x);
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
    checkBackprop(ctx, x, f, dy);
    return out(f);
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

export interface Conv2DOptions extends NameOption {
  /** Only 'NHWC' (TF1's default) is implemented. */
  dataFormat?: 'NHWC';
  /** Must be all ones (dilated convolution is not implemented). */
  dilations?: number[];
  /** Accepted for TF1 compatibility; ignored. */
  useCudnnOnGpu?: boolean;
}

function convAttrs(strides: Window, padding: Padding, o: Conv2DOptions) {
  const attrs = windowAttrs(strides, padding, o.dataFormat);
  if (o.dilations !== undefined)
    attrs.dilations = o.dilations.length === 2 ? [1, ...o.dilations, 1] : o.dilations;
  return attrs;
}

/**
 * 2-D convolution (TF1 `tf.nn.conv2d`): input NHWC `[batch, h, w, inC]`, filter HWIO
 * `[fh, fw, inC, outC]`, strides `[1, sh, sw, 1]` (or `[sh, sw]`, or one number), padding 'SAME' | 'VALID'.
 *
 * @example
 * const h = tf.nn.conv2d(x, W, [1, 1, 1, 1], 'SAME'); // [?,28,28,1] * [5,5,1,32] → [?,28,28,32]
 */
export function conv2d(
  input: TensorLike,
  filter: TensorLike,
  strides: Window,
  padding: Padding,
  opts?: Conv2DOptions | string,
): Tensor {
  const o = parseOptions(opts);
  return makeTensor('Conv2D', [input, filter], convAttrs(strides, padding, o), o.name ?? 'Conv2D');
}

/**
 * Gradient of conv2d with respect to its input (TF1 `tf.nn.conv2d_backprop_input`). `inputSizes` is the
 * input's shape: 4 numbers, an int32 vector tensor, or a 4-D tensor whose runtime shape is used.
 *
 * @example
 * const dx = tf.nn.conv2dBackpropInput([2, 7, 5, 3], W, dy, [1, 2, 2, 1], 'SAME');
 */
export function conv2dBackpropInput(
  inputSizes: number[] | TensorLike,
  filter: TensorLike,
  outBackprop: TensorLike,
  strides: Window,
  padding: Padding,
  opts?: Conv2DOptions | string,
): Tensor {
  const o = parseOptions(opts);
  const attrs = convAttrs(strides, padding, o);
  return makeTensor(
    'Conv2DBackpropInput',
    [sizesTensor(inputSizes), filter, outBackprop],
    attrs,
    o.name ?? 'Conv2DBackpropInput',
    'float32',
  );
}

/**
 * Gradient of conv2d with respect to its filter (TF1 `tf.nn.conv2d_backprop_filter`). `filterSizes` is
 * the filter's shape: 4 numbers, an int32 vector tensor, or a 4-D tensor whose runtime shape is used.
 *
 * @example
 * const dW = tf.nn.conv2dBackpropFilter(x, [3, 2, 3, 4], dy, [1, 1, 1, 1], 'VALID');
 */
export function conv2dBackpropFilter(
  input: TensorLike,
  filterSizes: number[] | TensorLike,
  outBackprop: TensorLike,
  strides: Window,
  padding: Padding,
  opts?: Conv2DOptions | string,
): Tensor {
  const o = parseOptions(opts);
  const attrs = convAttrs(strides, padding, o);
  return makeTensor(
    'Conv2DBackpropFilter',
    [input, sizesTensor(filterSizes), outBackprop],
    attrs,
    o.name ?? 'Conv2DBackpropFilter',
    'float32',
  );
}
