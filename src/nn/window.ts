import { DType } from '../graph/dtype';
import { Dim, Shape } from '../graph/shape';
import type { DataFormat, Padding } from '../ops/nn_geometry';
import { Attrs, Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, InferContext, OutputSpec } from '../ops/op_def';
import { UnimplementedError } from '../errors';
import { transpose } from '../ops/array/transpose';
import { kinds } from '../graph/signature';

/**
 * Shared builder and shape-function helpers of the sliding-window ops (Conv2D, DepthwiseConv2dNative,
 * MaxPool, AvgPool and their backward ops): TF1's window arguments normalised to the attrs (`strides`/
 * `ksize` as 4-lists [1, h, w, 1], `padding`, `data_format`), rank and dtype checks, sizes inputs. The
 * window geometry (output sizes, padding) is computed by ../ops/nn_geometry.ts for ops and kernels alike.
 */
export type { DataFormat, Padding };

/** A window size or stride as TF1 accepts it: a number, [n], [h, w], or the 4-list ([1, h, w, 1] in NHWC). */
export type Window = number | number[];

/** The binder kind of `ksize`/`strides`/`dilations`: a positive integer or a list of 1, 2 or 4 of them. */
export const windowKind = kinds.custom<Window>(
  'a positive integer or a list of 1, 2 or 4 positive integers',
  (v) =>
    (Number.isInteger(v) && (v as number) >= 1) ||
    (Array.isArray(v) &&
      [1, 2, 4].includes(v.length) &&
      v.every((d) => Number.isInteger(d) && (d as number) >= 1)),
  () => 1,
);

/** The binder kind of `padding`: 'SAME' or 'VALID' (TF1's explicit padding lists are not implemented). */
export const paddingKind = kinds.oneOf('SAME', 'VALID');

/** The binder kind of `data_format` of the 2-D window ops. */
export const dataFormatKind = kinds.oneOf('NHWC', 'NCHW');

/**
 * Normalises `n`, `[n]`, `[h, w]` or the 4-list to the NHWC 4-list TF1 stores in the attr; a 4-list
 * given for `NCHW` data (`[1, 1, h, w]`) is reordered to NHWC.
 */
export function window4(w: Window, what: string, dataFormat: DataFormat = 'NHWC'): number[] {
  const list = typeof w === 'number' ? [w, w] : w.length === 1 ? [w[0] as number, w[0] as number] : w;
  let four = list.length === 2 ? [1, list[0] as number, list[1] as number, 1] : list.slice();
  if (list.length === 4 && dataFormat === 'NCHW') four = [list[0], list[2], list[3], list[1]] as number[];
  if (four.length !== 4 || four.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new RangeError(
      `${what} must be a positive integer or a list of 1, 2 or 4 positive integers; got ${JSON.stringify(w)}`,
    );
  }
  return four;
}

/**
 * Runs an NHWC builder on NCHW data: transposes the input(s) to NHWC, builds, transposes the result
 * back (TF1's CPU kernels are NHWC-only; the numbers are the same as TF1's GPU NCHW kernels).
 */
export function inLayout(
  dataFormat: DataFormat,
  build: (toNhwc: (t: TensorLike) => Tensor) => Tensor,
): Tensor {
  if (dataFormat === 'NHWC') return build((t) => convertToTensor(t, 'float32'));
  const y = build((t) => transpose(convertToTensor(t, 'float32'), [0, 2, 3, 1]));
  return transpose(y, [0, 3, 1, 2]);
}

/**
 * Fails unless the op's `data_format` is NHWC: the kernels are NHWC-only (as TF1's CPU kernels); the
 * builders run NCHW data as NHWC between transposes. The geometry itself is ../ops/nn_geometry.ts.
 */
export function requireNhwc(ctx: InferContext): void {
  const df = ctx.attrs.data_format ?? 'NHWC';
  if (df !== 'NHWC')
    ctx.fail(`${ctx.type} only supports data_format NHWC on this backend, got ${String(df)}`);
}

/** Fails unless the shape at `i` has rank 4 (or unknown rank, which yields four unknown dims). */
export function rank4(ctx: InferContext, i: number): Dim[] {
  const s = ctx.shapes[i] as Shape;
  if (s === null) return [null, null, null, null];
  if (s.length !== 4) ctx.fail(`Shape must be rank 4 but is rank ${s.length}`);
  return s;
}

/** Fails unless input `i` is float32 (TF1's attr `T` check of the float-only NN kernels). */
export function requireFloat(ctx: InferContext, ...inputs: number[]): DType {
  for (const i of inputs) {
    const d = ctx.dtypes[i];
    if (d !== 'float32') ctx.fail(`Value for attr 'T' of ${d} is not in the list of allowed values: float`);
  }
  return 'float32';
}

/**
 * The sizes argument of the backward ops (TF1's `input_sizes`, `filter_sizes`, `orig_input_shape`):
 * either an int32 vector of 4 sizes (as in TF1), or a 4-D tensor whose runtime shape is used — the
 * gradient rules pass the original input, so unknown batch sizes need no separate Shape op.
 */
export function sizesOf(ctx: InferContext, i: number): Dim[] {
  const s = ctx.shapes[i] as Shape;
  const isVector = ctx.dtypes[i] === 'int32' && (s === null || s.length === 1);
  if (!isVector) {
    if (s !== null && s.length !== 4) ctx.fail(`Shape must be rank 4 but is rank ${s.length}`);
    return s ?? [null, null, null, null];
  }
  if (s !== null && s[0] !== null && s[0] !== 4) ctx.fail(`Dimension must be 4 but is ${s[0]}`);
  const v = ctx.value(i);
  if (!v) {
    // TF1 reads what is known of a sizes tensor at build time (a tf.stack of tf.shape(x)[0] and numbers).
    const partial = ctx.runtime ? undefined : ctx.partialValue?.(i);
    if (partial && partial.length === 4) return partial.map((d) => (d === null || d < 0 ? null : d));
    return [null, null, null, null];
  }
  if (v.size !== 4) ctx.fail(`Dimension must be 4 but is ${v.size}`);
  return Array.from(v.data, (d) => {
    if (!Number.isInteger(d) || d < 0) ctx.fail(`Invalid size ${d} in ${ctx.type} sizes`);
    return d;
  });
}

/** Merges two 4-dim static shapes; fails on a conflict (TF1's "Dimensions must be equal"). */
export function mergeDims(ctx: InferContext, a: Dim[], b: Dim[]): Dim[] {
  return a.map((d, k) => {
    const e = b[k] as Dim;
    if (d !== null && e !== null && d !== e) ctx.fail(`Dimensions must be equal, but are ${d} and ${e}`);
    return d ?? e;
  });
}

/** Converts a sizes argument: a plain number list becomes an int32 constant; tensors pass through. */
export function sizesTensor(sizes: number[] | TensorLike): Tensor {
  return convertToTensor(sizes as TensorLike, 'int32');
}

/** The window attrs shared by conv and pool builders (always NHWC: NCHW data is transposed around the op). */
export function windowAttrs(strides: Window, padding: Padding, dataFormat: DataFormat = 'NHWC'): Attrs {
  return { strides: window4(strides, 'strides', dataFormat), padding, data_format: 'NHWC' };
}

/** The float32 output of a window op with static shape `shape`. */
export const floatOutput = (shape: Dim[]): OutputSpec[] => [{ shape, dtype: 'float32' }];

/** Fails unless out_backprop (`dy`) has the shape the forward op gives (`expected`), unknown dims aside. */
export function checkOutBackprop(ctx: InferContext, expected: Dim[], dy: Dim[]): void {
  expected.forEach((e, k) => {
    const a = dy[k] as Dim;
    if (e !== null && a !== null && e !== a) {
      ctx.fail(
        `${ctx.type}: Size of out_backprop doesn't match computed: actual = ${a}, computed = ${e} (dimension ${k})`,
      );
    }
  });
}

/** The binder kind of a backward op's sizes argument: a list of ints or a tensor. */
export const sizesKind = kinds.union(kinds.ints, kinds.tensor);

/** The note of the conv builders' NHWC-only message. */
export const CPU_NOTE = "; as on TF1's CPU kernels";

/** Rejects NCHW in the builders of the backward ops (NHWC only; `note` ends the message's parenthesis). */
export function nhwcOnly(fn: string, dataFormat: DataFormat, note = ''): void {
  if (dataFormat !== 'NHWC') {
    throw new UnimplementedError(
      `${fn}: data_format '${dataFormat}' is not implemented (only 'NHWC'${note})`,
    );
  }
}
