import { Dim } from '../graph/shape';
import { getDefaultGraph, nameScope } from '../graph/graph';
import { Attrs, Operation, Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, InferContext, makeOp, makeTensor } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { UnimplementedError } from '../errors';
import { depthwiseConv2dGeometry, outputShape } from '../ops/nn_geometry';
import {
  DataFormat,
  dataFormatKind,
  inLayout,
  mergeDims,
  Padding,
  paddingKind,
  rank4,
  requireFloat,
  requireNhwc,
  sizesOf,
  sizesTensor,
  Window,
  window4,
  windowAttrs,
  windowKind,
  checkOutBackprop,
  floatOutput,
  nhwcOnly,
  sizesKind,
  CPU_NOTE,
} from './window';

/**
 * Depthwise 2-D convolution (TF's `DepthwiseConv2dNative`) and its two backward primitives. Input NHWC
 * `[batch, h, w, inC]`, filter `[fh, fw, inC, multiplier]`, output `[batch, oh, ow, inC·multiplier]`
 * with TF's channel order: output channel `k·multiplier + q` is input channel `k` convolved with
 * `filter[:, :, k, q]`. Dilations are those of the op's documented formula (`input[b, s·i + d·di, …]`).
 * Each gradient is expressed with the other two ops (as TF's nn_grad.py), so second derivatives work.
 */

/** Output shape of the depthwise convolution of `x` with `f` (geometry and checks: ops/nn_geometry.ts). */
function depthwiseOutput(ctx: InferContext, x: Dim[], f: Dim[]): Dim[] {
  requireNhwc(ctx);
  return outputShape(depthwiseConv2dGeometry(x, f, ctx));
}

function attrsOf(op: Operation): Attrs {
  const { strides, padding, data_format, dilations } = op.attrs;
  return { strides, padding, data_format, dilations } as Attrs;
}

defineOp({
  type: 'DepthwiseConv2dNative',
  infer: (ctx) => {
    requireFloat(ctx, 0, 1);
    return floatOutput(depthwiseOutput(ctx, rank4(ctx, 0), rank4(ctx, 1)));
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null];
    const [x, f] = op.inputs as [Tensor, Tensor];
    return [
      makeTensor(
        'DepthwiseConv2dNativeBackpropInput',
        [x, f, dy],
        attrsOf(op),
        'DepthwiseConv2dNativeBackpropInput',
      ),
      makeTensor(
        'DepthwiseConv2dNativeBackpropFilter',
        [x, f, dy],
        attrsOf(op),
        'DepthwiseConv2dNativeBackpropFilter',
      ),
    ];
  },
});

defineOp({
  type: 'DepthwiseConv2dNativeBackpropInput',
  infer: (ctx) => {
    requireFloat(ctx, 1, 2);
    const f = rank4(ctx, 1);
    const dy = rank4(ctx, 2);
    const x = mergeDims(ctx, sizesOf(ctx, 0), [dy[0] as Dim, null, null, f[2] as Dim]);
    checkOutBackprop(ctx, depthwiseOutput(ctx, x, f), dy);
    return floatOutput(x);
  },
  // dx is bilinear in (f, dy): d/d(dy) is the forward op, d/df the filter backprop (TF's nn_grad.py).
  grad: (op, [ddx]) => {
    if (!ddx) return [null, null, null];
    const [, f, dy] = op.inputs as [Tensor, Tensor, Tensor];
    return [
      null,
      makeTensor(
        'DepthwiseConv2dNativeBackpropFilter',
        [ddx, f, dy],
        attrsOf(op),
        'DepthwiseConv2dNativeBackpropFilter',
      ),
      makeTensor('DepthwiseConv2dNative', [ddx, f], attrsOf(op), 'DepthwiseConv2dNative'),
    ];
  },
});

defineOp({
  type: 'DepthwiseConv2dNativeBackpropFilter',
  infer: (ctx) => {
    requireFloat(ctx, 0, 2);
    const x = rank4(ctx, 0);
    const dy = rank4(ctx, 2);
    const inC = x[3] as Dim;
    const outC = dy[3] as Dim;
    const mult = inC !== null && outC !== null && inC > 0 && outC % inC === 0 ? outC / inC : null;
    const f = mergeDims(ctx, sizesOf(ctx, 1), [null, null, inC, mult]);
    checkOutBackprop(ctx, depthwiseOutput(ctx, x, f), dy);
    return floatOutput(f);
  },
  grad: (op, [ddf]) => {
    if (!ddf) return [null, null, null];
    const [x, , dy] = op.inputs as [Tensor, Tensor, Tensor];
    return [
      makeTensor(
        'DepthwiseConv2dNativeBackpropInput',
        [x, ddf, dy],
        attrsOf(op),
        'DepthwiseConv2dNativeBackpropInput',
      ),
      null,
      makeTensor('DepthwiseConv2dNative', [x, ddf], attrsOf(op), 'DepthwiseConv2dNative'),
    ];
  },
});

/** The op attrs (always NHWC: NCHW data is transposed around the op) with TF's builder-time checks. */
function depthwiseAttrs(
  fn: string,
  strides: Window,
  padding: Padding,
  dataFormat: DataFormat,
  dilations: Window,
): Attrs {
  const attrs = windowAttrs(strides, padding, dataFormat);
  const s = attrs.strides as number[];
  if (s[1] !== s[2]) {
    throw new UnimplementedError(
      `${fn}: Current implementation only supports equal length strides in the row and column dimensions ` +
        `(got strides ${JSON.stringify(strides)})`,
    );
  }
  attrs.dilations = window4(dilations, 'dilations', dataFormat);
  return attrs;
}

/**
 * Depthwise 2-D convolution, the primitive (TF1 `tf.nn.depthwise_conv2d_native(input, filter, strides,
 * padding, data_format='NHWC', dilations=[1,1,1,1], name=None)`): input `[batch, h, w, inC]`, filter
 * `[fh, fw, inC, multiplier]`, output `[batch, oh, ow, inC·multiplier]` where output channel
 * `k·multiplier + q` is `Σ filter[di, dj, k, q] · input[b, s·i + d₀·di − padTop, s·j + d₁·dj − padLeft, k]`.
 * Strides `[1, s, s, 1]` (equal in rows and columns, as TF requires), padding 'SAME' | 'VALID', dilations
 * `[1, dh, dw, 1]`. `dataFormat: 'NCHW'` is computed as NHWC between transposes.
 *
 * @example
 * const x = tf.placeholder(tf.float32, [null, 128, 128, 24]);
 * const w = tf.Variable(tf.truncatedNormal([3, 3, 24, 1], { stddev: 0.1 }));
 * const h = tf.nn.depthwiseConv2dNative(x, w, [1, 1, 1, 1], 'SAME'); // [?, 128, 128, 24]
 */
export const depthwiseConv2dNative = declare(
  'depthwiseConv2dNative',
  [
    param('input', kinds.tensor),
    param('filter', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] as Window }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const attrs = depthwiseAttrs('depthwiseConv2dNative', a.strides, a.padding, a.dataFormat, a.dilations);
    return inLayout(a.dataFormat, (nhwc) =>
      makeTensor(
        'DepthwiseConv2dNative',
        [nhwc(a.input as TensorLike), a.filter as TensorLike],
        attrs,
        a.name ?? 'DepthwiseConv2dNative',
        'float32',
      ),
    );
  },
);

/**
 * Gradient of the depthwise convolution with respect to its input (TF1
 * `tf.nn.depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides, padding,
 * data_format='NHWC', dilations=[1,1,1,1], name=None)`). `inputSizes`: 4 numbers, an int32 vector
 * tensor, or a 4-D tensor whose runtime shape is used. Only NHWC.
 *
 * @example
 * const dx = tf.nn.depthwiseConv2dNativeBackpropInput([2, 7, 5, 3], w, dy, [1, 2, 2, 1], 'SAME');
 */
export const depthwiseConv2dNativeBackpropInput = declare(
  'depthwiseConv2dNativeBackpropInput',
  [
    param('inputSizes', sizesKind),
    param('filter', kinds.tensor),
    param('outBackprop', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] as Window }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const fn = 'depthwiseConv2dNativeBackpropInput';
    nhwcOnly(fn, a.dataFormat, CPU_NOTE);
    const attrs = depthwiseAttrs(fn, a.strides, a.padding, a.dataFormat, a.dilations);
    return makeTensor(
      'DepthwiseConv2dNativeBackpropInput',
      [sizesTensor(a.inputSizes as TensorLike), a.filter as TensorLike, a.outBackprop as TensorLike],
      attrs,
      a.name ?? 'DepthwiseConv2dNativeBackpropInput',
      'float32',
    );
  },
);

/**
 * Gradient of the depthwise convolution with respect to its filter (TF1
 * `tf.nn.depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides, padding,
 * data_format='NHWC', dilations=[1,1,1,1], name=None)`). `filterSizes`: 4 numbers, an int32 vector
 * tensor, or a 4-D tensor whose runtime shape is used. Only NHWC.
 *
 * @example
 * const dw = tf.nn.depthwiseConv2dNativeBackpropFilter(x, [3, 3, 3, 2], dy, [1, 1, 1, 1], 'VALID');
 */
export const depthwiseConv2dNativeBackpropFilter = declare(
  'depthwiseConv2dNativeBackpropFilter',
  [
    param('input', kinds.tensor),
    param('filterSizes', sizesKind),
    param('outBackprop', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('dataFormat', dataFormatKind, { default: 'NHWC' as DataFormat }),
    param('dilations', windowKind, { default: [1, 1, 1, 1] as Window }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const fn = 'depthwiseConv2dNativeBackpropFilter';
    nhwcOnly(fn, a.dataFormat, CPU_NOTE);
    const attrs = depthwiseAttrs(fn, a.strides, a.padding, a.dataFormat, a.dilations);
    return makeTensor(
      'DepthwiseConv2dNativeBackpropFilter',
      [a.input as TensorLike, sizesTensor(a.filterSizes as TensorLike), a.outBackprop as TensorLike],
      attrs,
      a.name ?? 'DepthwiseConv2dNativeBackpropFilter',
      'float32',
    );
  },
);

/** `rate`/`dilations` of the nn_impl wrappers: a positive integer or a list of 1 or 2 (TF1: "1-D of size 2"). */
const rateKind = kinds.nullable(
  kinds.custom<number | number[]>(
    'a positive integer or a list of 2 positive integers ([rate_height, rate_width])',
    (v) =>
      (Number.isInteger(v) && (v as number) >= 1) ||
      (Array.isArray(v) &&
        (v.length === 1 || v.length === 2) &&
        v.every((d) => Number.isInteger(d) && (d as number) >= 1)),
    () => [1, 1],
  ),
);

/** TF1's rate/dilations lookup and check: one of them, [h, w], and no strides > 1 with it. */
function dilationOf(
  fn: string,
  rate: number | number[] | null,
  dilations: number | number[] | null,
  strides: Window,
) {
  if (rate !== null && dilations !== null) {
    throw new TypeError(`${fn}(): Cannot specify both 'rate' and 'dilations'`);
  }
  const r = rate ?? dilations ?? [1, 1];
  const hw = typeof r === 'number' ? [r, r] : r.length === 1 ? [r[0] as number, r[0] as number] : r;
  const s = window4(strides, 'strides');
  if (hw.some((v) => v > 1) && s.some((v) => v > 1)) {
    // TF1 documents "If any value in rate is greater than 1 … all values of strides must be 1"; its
    // space-to-batch lowering would otherwise compute something else than a strided atrous convolution.
    throw new RangeError(
      `${fn}(): strides > 1 not supported in conjunction with dilation_rate > 1 ` +
        `(strides ${JSON.stringify(strides)}, rate ${JSON.stringify(r)})`,
    );
  }
  return hw;
}

/** The DepthwiseConv2dNative op on `input` (NCHW transposed around it), named `exactName` exactly. */
function nativeOp(input: Tensor, filter: TensorLike, attrs: Attrs, exactName: string): Tensor {
  return makeOp('DepthwiseConv2dNative', [input, filter], attrs, undefined, undefined, {
    dtypeHint: 'float32',
    exactName,
  }).outputs[0] as Tensor;
}

/**
 * Depthwise 2-D convolution (TF1 `tf.nn.depthwise_conv2d(input, filter, strides, padding, rate=None,
 * name=None, data_format=None, dilations=None)`): each input channel `k` is convolved with its own
 * `filter[:, :, k, q]` for every `q < channel_multiplier`, giving `inC · channel_multiplier` channels
 * (channel `k·multiplier + q`). `rate` (or its newer name `dilations`, not both) is `[rate_h, rate_w]`
 * for atrous convolution, which requires strides of 1. The op is a `DepthwiseConv2dNative` named by
 * the name scope (`depthwise`, `depthwise_1`, … or `name`), as in TF1.
 *
 * @example
 * const h = tf.nn.depthwiseConv2d(x, w, [1, 2, 2, 1], 'SAME'); // [?,128,128,24] * [3,3,24,2] → [?,64,64,48]
 * const a = tf.nn.depthwiseConv2d(x, w, [1, 1, 1, 1], 'SAME', [2, 2]); // atrous, rate 2
 */
export const depthwiseConv2d = declare(
  'depthwiseConv2d',
  [
    param('input', kinds.tensor),
    param('filter', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('rate', rateKind, { default: null as number | number[] | null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dataFormat', kinds.nullable(dataFormatKind), { default: null as DataFormat | null }),
    param('dilations', rateKind, { default: null as number | number[] | null }),
  ] as const,
  (a): Tensor => {
    const fn = 'depthwiseConv2d';
    const dataFormat = a.dataFormat ?? 'NHWC';
    const rate = dilationOf(fn, a.rate, a.dilations, a.strides);
    const attrs = depthwiseAttrs(fn, a.strides, a.padding, dataFormat, rate);
    return nameScope(a.name ?? null, 'depthwise', () => {
      const scope = getDefaultGraph().currentScope;
      return inLayout(dataFormat, (nhwc) =>
        nativeOp(nhwc(a.input as TensorLike), a.filter as TensorLike, attrs, scope),
      );
    });
  },
);

/**
 * Depthwise then pointwise convolution (TF1 `tf.nn.separable_conv2d(input, depthwise_filter,
 * pointwise_filter, strides, padding, rate=None, name=None, data_format=None, dilations=None)`):
 * `depthwiseConv2d(input, depthwiseFilter, strides, padding, rate)` (op `separable_conv2d/depthwise`)
 * followed by a 1×1 `Conv2D` with `pointwiseFilter` `[1, 1, inC·multiplier, outC]`, stride 1, VALID,
 * named by the scope (`separable_conv2d` or `name`).
 *
 * @example
 * const y = tf.nn.separableConv2d(x, dw, pw, [1, 1, 1, 1], 'SAME'); // dw [3,3,24,1], pw [1,1,24,32]
 */
export const separableConv2d = declare(
  'separableConv2d',
  [
    param('input', kinds.tensor),
    param('depthwiseFilter', kinds.tensor),
    param('pointwiseFilter', kinds.tensor),
    param('strides', windowKind),
    param('padding', paddingKind),
    param('rate', rateKind, { default: null as number | number[] | null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dataFormat', kinds.nullable(dataFormatKind), { default: null as DataFormat | null }),
    param('dilations', rateKind, { default: null as number | number[] | null }),
  ] as const,
  (a): Tensor => {
    const fn = 'separableConv2d';
    const dataFormat = a.dataFormat ?? 'NHWC';
    const rate = dilationOf(fn, a.rate, a.dilations, a.strides);
    const attrs = depthwiseAttrs(fn, a.strides, a.padding, dataFormat, rate);
    return nameScope(a.name ?? null, 'separable_conv2d', () => {
      const g = getDefaultGraph();
      const scope = g.currentScope;
      const pw = convertToTensor(a.pointwiseFilter as TensorLike, 'float32');
      const s = pw.shape;
      if (s !== null && s.length !== 4) {
        throw new RangeError(`${fn}(): pointwiseFilter: Shape must be rank 4 but is rank ${s.length}`);
      }
      for (const k of [0, 1]) {
        const d = s === null ? null : (s[k] as Dim);
        if (d !== null && d !== 1) {
          throw new RangeError(
            `${fn}(): Dimensions ${d} and 1 are not compatible (pointwiseFilter must be [1, 1, in·multiplier, out], ` +
              `got [${(s ?? []).map((v) => (v === null ? '?' : v)).join(', ')}])`,
          );
        }
      }
      return inLayout(dataFormat, (nhwc) => {
        const depthwise = nativeOp(
          nhwc(a.input as TensorLike),
          a.depthwiseFilter as TensorLike,
          attrs,
          g.uniqueName('depthwise'),
        );
        const pointwise = {
          strides: [1, 1, 1, 1],
          padding: 'VALID',
          data_format: 'NHWC',
          dilations: [1, 1, 1, 1],
        };
        return makeOp('Conv2D', [depthwise, pw], pointwise, undefined, undefined, { exactName: scope })
          .outputs[0] as Tensor;
      });
    });
  },
);
