import type { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineOp, InferContext, makeTensor, OutputSpec } from '../op_def';
import { buildTensor, intTensor, intValues, requireInt, valueTensor } from '../array/util';
import { shape as shapeOf } from '../fill/shape';
import { slice } from '../array/slice';

/**
 * tf.image's resize primitives (TF1's `ResizeBilinear`, `ResizeNearestNeighbor` and their gradient ops),
 * with TF's coordinate rules for align_corners / half_pixel_centers (see resize_math.ts).
 */

const IMAGE_TYPES: readonly DType[] = ['float32', 'int32'];

function checkFlags(ctx: InferContext): void {
  if (ctx.attrs.align_corners === true && ctx.attrs.half_pixel_centers === true)
    ctx.fail('If half_pixel_centers is True, align_corners must be False.');
}

function rank4(ctx: InferContext, i: number): Shape {
  const s = ctx.shapes[i] as Shape;
  if (s !== null && s.length !== 4) ctx.fail(`Shape must be rank 4 but is rank ${s.length}`);
  return s;
}

/** The `size` input: an int32 vector of 2 positive values; returns them when known. */
function sizeInput(ctx: InferContext, i: number): [Dim, Dim] {
  requireInt(ctx, i, 'size');
  const s = ctx.shapes[i] as Shape;
  if (s !== null) {
    if (s.length !== 1) ctx.fail(`Shape must be rank 1 but is rank ${s.length}`);
    if (s[0] !== null && s[0] !== 2) ctx.fail(`Dimension must be 2 but is ${s[0]}`);
  }
  const v = intValues(ctx, i);
  if (!v) return [null, null];
  const [h, w] = v as [number, number];
  if (!(h > 0 && w > 0)) ctx.fail(`output dimensions must be positive, got size [${h}, ${w}]`);
  return [h, w];
}

function inferResize(ctx: InferContext, bilinear: boolean): OutputSpec[] {
  const dt = ctx.dtypes[0] as DType;
  if (!IMAGE_TYPES.includes(dt))
    ctx.fail(`Value for attr 'T' of ${dt} is not in the list of allowed values: int32, float`);
  checkFlags(ctx);
  const s = rank4(ctx, 0);
  const [h, w] = sizeInput(ctx, 1);
  if (ctx.runtime && s !== null && !((s[1] as number) > 0 && (s[2] as number) > 0))
    ctx.fail('input image must be of non-zero size');
  const dtype: DType = bilinear ? 'float32' : dt;
  return [{ shape: s === null ? [null, h, w, null] : [s[0] as Dim, h, w, s[3] as Dim], dtype }];
}

const flags = (op: { attrs: Readonly<Record<string, unknown>> }) => ({
  align_corners: op.attrs.align_corners === true,
  half_pixel_centers: op.attrs.half_pixel_centers === true,
});

/** The [height, width] of a rank-4 tensor as an int32 tensor (constants when statically known). */
function spatialSize(x: Tensor): TensorLike {
  const s = x.shape;
  if (s !== null && typeof s[1] === 'number' && typeof s[2] === 'number') return [s[1], s[2]];
  return slice(shapeOf(x), [1], [2]);
}

/**
 * ResizeBilinear(images [b,h,w,c], size:int32 [2]) → float32 [b, size[0], size[1], c]. Gradient:
 * ResizeBilinearGrad w.r.t. the images (none for size).
 */
defineOp({
  type: 'ResizeBilinear',
  defaultName: 'ResizeBilinear',
  infer: (ctx) => inferResize(ctx, true),
  grad: (op, [dy]) => {
    const images = op.inputs[0] as Tensor;
    if (!dy || images.dtype !== 'float32') return [null, null];
    return [makeTensor('ResizeBilinearGrad', [dy, images], flags(op), 'ResizeBilinearGrad'), null];
  },
});

/**
 * ResizeBilinearGrad(grads [b,oh,ow,c], original_image [b,h,w,c]) → [b,h,w,c]: each gradient pixel
 * adds into the (up to) four source pixels with the forward weights. Not differentiable (as in TF).
 */
defineOp({
  type: 'ResizeBilinearGrad',
  defaultName: 'ResizeBilinearGrad',
  infer: (ctx) => {
    if (ctx.dtypes[0] !== 'float32')
      ctx.fail(`Value for attr 'T' of ${ctx.dtypes[0]} is not in the list of allowed values: float`);
    checkFlags(ctx);
    rank4(ctx, 0);
    const s = rank4(ctx, 1);
    return [{ shape: s, dtype: ctx.dtypes[1] as DType }];
  },
  grad: 'none',
});

/**
 * ResizeNearestNeighbor(images [b,h,w,c], size:int32 [2]) → images' dtype [b, size[0], size[1], c].
 * Gradient: ResizeNearestNeighborGrad w.r.t. the images.
 */
defineOp({
  type: 'ResizeNearestNeighbor',
  defaultName: 'ResizeNearestNeighbor',
  infer: (ctx) => inferResize(ctx, false),
  grad: (op, [dy]) => {
    const images = op.inputs[0] as Tensor;
    if (!dy || images.dtype !== 'float32') return [null, null];
    const size = intTensor(spatialSize(images), 'size', images.graph);
    return [
      makeTensor('ResizeNearestNeighborGrad', [dy, size], flags(op), 'ResizeNearestNeighborGrad'),
      null,
    ];
  },
});

/**
 * ResizeNearestNeighborGrad(grads [b,oh,ow,c], size:int32 [2]) → [b, size[0], size[1], c]: each
 * gradient pixel adds into the source pixel the forward op read. Not differentiable (as in TF).
 */
defineOp({
  type: 'ResizeNearestNeighborGrad',
  defaultName: 'ResizeNearestNeighborGrad',
  infer: (ctx) => {
    const dt = ctx.dtypes[0] as DType;
    if (dt !== 'float32') ctx.fail(`Value for attr 'T' of ${dt} is not in the list of allowed values: float`);
    checkFlags(ctx);
    const s = rank4(ctx, 0);
    const [h, w] = sizeInput(ctx, 1);
    return [{ shape: s === null ? [null, h, w, null] : [s[0] as Dim, h, w, s[3] as Dim], dtype: dt }];
  },
  grad: 'none',
});

const resizeParams = [
  param('images', kinds.tensor),
  param('size', kinds.tensor),
  param('alignCorners', kinds.bool, { default: false }),
  param('name', kinds.name, { default: undefined as string | undefined }),
  param('halfPixelCenters', kinds.bool, { default: false }),
] as const;

function buildResize(
  type: 'ResizeBilinear' | 'ResizeNearestNeighbor',
  a: {
    images: TensorLike;
    size: TensorLike;
    alignCorners: boolean;
    halfPixelCenters: boolean;
    name?: string;
  },
): Tensor {
  return buildTensor(type, type, a.name, [a.images, a.size], (g) => ({
    inputs: [valueTensor(a.images, g), intTensor(a.size, 'size', g)],
    attrs: { align_corners: a.alignCorners, half_pixel_centers: a.halfPixelCenters },
  }));
}

/**
 * Resizes a batch of images `[batch, height, width, channels]` to `size = [newHeight, newWidth]` by
 * bilinear interpolation; the result is float32 (TF1's `tf.image.resize_bilinear(images, size,
 * align_corners=False, name=None, half_pixel_centers=False)`). `alignCorners` maps the corner pixel
 * centres onto each other (scale `(in-1)/(out-1)`); `halfPixelCenters` samples at pixel centres
 * (`(x+0.5)*scale-0.5`, as `tf.image.resize` in TF2); both at once is TF's error. As in TF1, images must
 * be 4-D. `size` may be a constant array or a (fed) int32 tensor. Differentiable w.r.t. `images`.
 *
 * @example
 * const up = tf.image.resizeBilinear(feature, [64, 64], true); // align_corners=True
 * const hp = tf.image.resizeBilinear(img, [224, 224], { halfPixelCenters: true });
 */
export const resizeBilinear = declare('resizeBilinear', resizeParams, (a): Tensor =>
  buildResize('ResizeBilinear', a as Parameters<typeof buildResize>[1]),
);

/**
 * Resizes a batch of images `[batch, height, width, channels]` to `size = [newHeight, newWidth]` by
 * nearest-neighbour sampling, keeping the dtype (TF1's `tf.image.resize_nearest_neighbor(images, size,
 * align_corners=False, name=None, half_pixel_centers=False)`). Source index: `floor(x*scale)`,
 * `round(x*scale)` with `alignCorners`, `floor((x+0.5)*scale)` with `halfPixelCenters` (TF's rules);
 * both flags at once is TF's error. Differentiable w.r.t. float32 `images`.
 *
 * @example
 * const up2 = tf.image.resizeNearestNeighbor(x, [2 * h, 2 * w]);
 */
export const resizeNearestNeighbor = declare('resizeNearestNeighbor', resizeParams, (a): Tensor =>
  buildResize('ResizeNearestNeighbor', a as Parameters<typeof buildResize>[1]),
);
