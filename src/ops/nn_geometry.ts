import type { Dim } from '../graph/shape';
import { InvalidArgumentError } from '../errors';

/**
 * The geometry of the 2-D sliding-window ops (Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool and all
 * their backward ops), computed in one place: the ops' shape functions and every CPU and GPU kernel
 * read it from here. A geometry record holds the batch, the input/output spatial sizes and channels,
 * the window (filter or ksize) size, strides, dilations, the padding before and after each spatial
 * axis, and the layout. Attrs are validated in TF1's order with TF1's messages.
 *
 * The functions are generic over the dims: with fully known shapes (kernels) every field is a number;
 * with static shapes (`null` = unknown) the fields that depend on an unknown size are `null`.
 */
export type Padding = 'SAME' | 'VALID';

/** The layouts of the 2-D window ops' data: NHWC (TF1's default) or NCHW. */
export type DataFormat = 'NHWC' | 'NCHW';

/** Reports an invalid attr or shape with TF1's message; never returns. */
export type Fail = (message: string) => never;

/**
 * What a geometry function reads of an op: its attrs (`strides`, `ksize`, `dilations`, `padding`,
 * `data_format` as TF1 stores them: 4-lists in the data's layout order), its type (named in TF1's
 * messages; `type` of a shape-function context or `op.type` of a kernel context), and optionally how to
 * fail (a shape function's `ctx.fail`; kernels throw InvalidArgumentError).
 */
export interface WindowOp {
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly type?: string;
  readonly op?: { readonly type: string };
  readonly fail?: Fail;
}

/** Geometry of one 2-D window op; `D` is `number` for known shapes, `Dim` (nullable) for static ones. */
export interface WindowGeometry<D extends Dim = number> {
  dataFormat: DataFormat;
  batch: D;
  inH: D;
  inW: D;
  inC: D;
  /** Window taps (filter rows/columns, or the pooling ksize), before dilation. */
  fH: D;
  fW: D;
  outH: D;
  outW: D;
  outC: D;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: D;
  padBottom: D;
  padLeft: D;
  padRight: D;
}

/** Geometry of a depthwise convolution: also the channel multiplier (outC = inC · mult). */
export interface DepthwiseGeometry<D extends Dim = number> extends WindowGeometry<D> {
  mult: D;
}

/** Output size and padding along one spatial axis. */
export interface AxisGeometry {
  out: number;
  padBefore: number;
  padAfter: number;
}

/**
 * TF1's windowed output size along one axis (GetWindowedOutputSize), with the dilated window extent
 * `e = (k − 1)·dilation + 1`. SAME: `out = ceil(in / stride)`,
 * `pad_total = max((out − 1)·stride + e − in, 0)`, `pad_before = floor(pad_total / 2)` (the odd cell
 * goes after). VALID: `out = ceil((in − e + 1) / stride)`, no padding, and TF1's error when the window
 * does not fit.
 *
 * @example
 * windowAxis(5, 3, 2, 1, 'SAME'); // { out: 3, padBefore: 1, padAfter: 1 }
 * windowAxis(4, 3, 2, 1, 'SAME'); // { out: 2, padBefore: 0, padAfter: 1 }
 */
export function windowAxis(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  padding: Padding,
  fail: Fail = kernelFail('window'),
): AxisGeometry {
  if (!(stride >= 1)) fail(`Stride must be > 0, but got ${stride}`);
  if (!(dilation >= 1)) fail(`Dilation rate must be >= 1, but got ${dilation}`);
  const extent = (k - 1) * dilation + 1;
  if (padding === 'SAME') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + extent - inSize, 0);
    const padBefore = Math.floor(total / 2);
    return { out, padBefore, padAfter: total - padBefore };
  }
  if (inSize < extent) fail(`Negative dimension size caused by subtracting ${extent} from ${inSize}`);
  return { out: Math.ceil((inSize - extent + 1) / stride), padBefore: 0, padAfter: 0 };
}

/**
 * Geometry of Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter: input `[batch, h, w, inC]` (NHWC,
 * or `[batch, inC, h, w]` for NCHW), filter HWIO `[fh, fw, inC, outC]`. Checks the strides, padding,
 * dilations (only 1 is implemented) and channel counts with TF1's messages.
 *
 * @example
 * const op = { type: 'Conv2D', attrs: { strides: [1, 2, 2, 1], padding: 'SAME' } };
 * const g = conv2dGeometry([2, 5, 4, 3], [3, 3, 3, 8], op);
 * // g.outH 3, g.outW 2, g.padTop 1, g.padBottom 1, g.padLeft 0, g.padRight 1, g.outC 8
 */
export function conv2dGeometry<D extends Dim>(
  input: readonly D[],
  filter: readonly D[],
  op: WindowOp,
): WindowGeometry<D> {
  const fail: Fail = failOf(op);
  const layout = layoutOf(op);
  const [sh, sw] = spatialAttr(op, 'strides', layout, fail);
  const padding = paddingAttr(op, fail);
  const dil = op.attrs.dilations as number[] | undefined;
  if (dil !== undefined && (!Array.isArray(dil) || dil.some((d) => d !== 1))) {
    fail(`Dilations other than 1 are not supported by ${typeOf(op)}, got [${String(dil)}]`);
  }
  const x = dims(input, layout);
  const [fh, fw, fc, outC] = four(filter);
  if (x.c !== null && fc !== null && x.c !== fc) {
    if (fc === 0 || x.c % fc !== 0)
      fail(`Depth of input (${x.c}) is not a multiple of input depth of filter (${fc})`);
    fail(
      `Grouped convolution is not supported: depth of input (${x.c}) differs from input depth of filter (${fc})`,
    );
  }
  return geometry(layout, x, [fh, fw], [sh, sw], [1, 1], padding, outC, fail) as WindowGeometry<D>;
}

/**
 * Geometry of DepthwiseConv2dNative and its two backward ops: input `[batch, h, w, inC]` (or NCHW),
 * filter `[fh, fw, inC, multiplier]`, output channels `inC · multiplier`. Checks TF's rules: equal row
 * and column strides, 4 dilations with 1 on batch and depth, positive dilation rates, equal depths.
 *
 * @example
 * const g = depthwiseConv2dGeometry([1, 7, 7, 4], [3, 3, 4, 2], {
 *   type: 'DepthwiseConv2dNative',
 *   attrs: { strides: [1, 1, 1, 1], padding: 'SAME', dilations: [1, 2, 2, 1] },
 * }); // outH 7, padTop 2, outC 8, mult 2
 */
export function depthwiseConv2dGeometry<D extends Dim>(
  input: readonly D[],
  filter: readonly D[],
  op: WindowOp,
): DepthwiseGeometry<D> {
  const fail: Fail = failOf(op);
  const layout = layoutOf(op);
  const [sh, sw] = spatialAttr(op, 'strides', layout, fail);
  if (sh !== sw) {
    fail('Current implementation only supports equal length strides in the row and column dimensions.');
  }
  const d = (op.attrs.dilations as number[] | undefined) ?? [1, 1, 1, 1];
  if (!Array.isArray(d) || d.length !== 4) {
    fail(
      `DepthwiseConv2D requires the dilations attribute to contain 4 values, but got: ${Array.isArray(d) ? d.length : String(d)}`,
    );
  }
  const [dn, dh, dw, dc] = nhwcOrder(d, layout);
  if (dn !== 1 || dc !== 1) {
    fail('Current implementation does not yet support dilations in the batch and depth dimensions.');
  }
  if (!d.every((v) => Number.isInteger(v) && v >= 1)) {
    fail(`Dilation rates must be positive integers, got [${d.join(', ')}]`);
  }
  const padding = paddingAttr(op, fail);
  const x = dims(input, layout);
  const [fh, fw, fc, mult] = four(filter);
  if (x.c !== null && fc !== null && x.c !== fc) fail(`Dimensions must be equal, but are ${x.c} and ${fc}`);
  const inC = x.c ?? fc;
  const outC = inC !== null && mult !== null ? inC * mult : null;
  const g = geometry(
    layout,
    { ...x, c: inC },
    [fh, fw],
    [sh, sw],
    [dh as number, dw as number],
    padding,
    outC,
    fail,
  );
  return { ...g, mult } as DepthwiseGeometry<D>;
}

/**
 * Geometry of MaxPool, AvgPool and their backward ops: input `[batch, h, w, c]` (or NCHW), window
 * `ksize` and `strides` from the attrs (pooling over batch or depth is rejected with TF1's message);
 * output channels = input channels.
 *
 * @example
 * const op = { type: 'MaxPool', attrs: { ksize: [1, 3, 3, 1], strides: [1, 2, 2, 1], padding: 'SAME' } };
 * const g = poolGeometry([1, 4, 4, 1], op);
 * // outH 2, padTop 0, padBottom 1
 */
export function poolGeometry<D extends Dim>(input: readonly D[], op: WindowOp): WindowGeometry<D> {
  const fail: Fail = failOf(op);
  const layout = layoutOf(op);
  const k = spatialAttr(op, 'ksize', layout, fail);
  const s = spatialAttr(op, 'strides', layout, fail);
  const padding = paddingAttr(op, fail);
  const x = dims(input, layout);
  return geometry(layout, x, k, s, [1, 1], padding, x.c, fail) as WindowGeometry<D>;
}

/**
 * The output shape of a geometry in its layout: `[batch, outH, outW, outC]` (NHWC) or `[batch, outC,
 * outH, outW]` (NCHW).
 *
 * @example
 * const op = { type: 'AvgPool', attrs: { ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: 'VALID' } };
 * outputShape(poolGeometry([2, 5, 5, 3], op)); // [2, 2, 2, 3]
 */
export function outputShape<D extends Dim>(g: WindowGeometry<D>): D[] {
  return g.dataFormat === 'NHWC' ? [g.batch, g.outH, g.outW, g.outC] : [g.batch, g.outC, g.outH, g.outW];
}

/** The four dims of a rank-4 shape (a missing or unknown dim is `null`). */
const four = (shape: readonly Dim[]): [Dim, Dim, Dim, Dim] =>
  [0, 1, 2, 3].map((i) => shape[i] ?? null) as [Dim, Dim, Dim, Dim];

/** A 4-list in `layout` order (a shape, or a strides/ksize/dilations attr) read in NHWC order. */
function nhwcOrder<T>(v: readonly T[], layout: DataFormat): [T, T, T, T] {
  return (layout === 'NHWC' ? [v[0], v[1], v[2], v[3]] : [v[0], v[2], v[3], v[1]]) as [T, T, T, T];
}

/** The input dims of a shape in `layout`. */
function dims(shape: readonly Dim[], layout: DataFormat): { n: Dim; h: Dim; w: Dim; c: Dim } {
  const [n, h, w, c] = nhwcOrder(four(shape), layout);
  return { n, h, w, c };
}

/** The record, from the checked attrs and dims (unknown sizes give unknown outputs and pads). */
function geometry(
  dataFormat: DataFormat,
  x: { n: Dim; h: Dim; w: Dim; c: Dim },
  [fH, fW]: [Dim, Dim],
  [strideH, strideW]: [number, number],
  [dilH, dilW]: [number, number],
  padding: Padding,
  outC: Dim,
  fail: Fail,
): WindowGeometry<Dim> {
  const axis = (inSize: Dim, k: Dim, s: number, d: number) => {
    if (inSize === null) return { out: null, padBefore: null, padAfter: null };
    if (k === null) {
      return { out: padding === 'SAME' ? Math.ceil(inSize / s) : null, padBefore: null, padAfter: null };
    }
    return windowAxis(inSize, k, s, d, padding, fail);
  };
  const h = axis(x.h, fH, strideH, dilH);
  const w = axis(x.w, fW, strideW, dilW);
  return {
    dataFormat,
    batch: x.n,
    inH: x.h,
    inW: x.w,
    inC: x.c,
    fH,
    fW,
    outH: h.out,
    outW: w.out,
    outC,
    strideH,
    strideW,
    dilH,
    dilW,
    padTop: h.padBefore,
    padBottom: h.padAfter,
    padLeft: w.padBefore,
    padRight: w.padAfter,
  };
}

const typeOf = (op: WindowOp): string => op.type ?? op.op?.type ?? 'window op';

function kernelFail(type: string): Fail {
  return (message) => {
    throw new InvalidArgumentError(`${type}: ${message}`);
  };
}

const failOf = (op: WindowOp): Fail => op.fail ?? kernelFail(typeOf(op));

/** The attr `data_format` (absent = NHWC); other values are TF1's "Invalid data format". */
function layoutOf(op: WindowOp): DataFormat {
  const df = op.attrs.data_format ?? 'NHWC';
  const fail: Fail = failOf(op);
  if (df !== 'NHWC' && df !== 'NCHW') fail(`Invalid data format: ${String(df)}`);
  return df;
}

/** Checks a 4-list window attr (`strides`/`ksize`, 1 on batch and depth) and returns its [h, w]. */
function spatialAttr(
  op: WindowOp,
  attr: 'strides' | 'ksize',
  layout: DataFormat,
  fail: Fail,
): [number, number] {
  const v = op.attrs[attr] as number[] | undefined;
  if (!Array.isArray(v) || v.length !== 4) {
    fail(
      attr === 'strides'
        ? 'Sliding window strides field must specify 4 dimensions'
        : 'Sliding window ksize field must specify 4 dimensions',
    );
  }
  const [n, h, w, c] = nhwcOrder(v, layout);
  if (n !== 1 || c !== 1) {
    fail(
      attr === 'strides' || typeOf(op).startsWith('Conv')
        ? 'Current implementation does not yet support strides in the batch and depth dimensions.'
        : 'Pooling is not yet supported on the batch or depth dimension.',
    );
  }
  return [h as number, w as number];
}

/** The attr `padding`: 'SAME' or 'VALID' (TF1's message otherwise). */
function paddingAttr(op: WindowOp, fail: Fail): Padding {
  const p = op.attrs.padding;
  if (p !== 'SAME' && p !== 'VALID') {
    fail(`Value for attr 'padding' of "${String(p)}" is not in the list of allowed values: "SAME", "VALID"`);
  }
  return p;
}
