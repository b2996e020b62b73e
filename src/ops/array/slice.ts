import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, InferContext, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import {
  buildTensor,
  intTensor,
  intValues,
  requireInt,
  unknownDims,
  valueTensor,
  vectorLength,
} from './util';

/** Run-time check that the box `begin + size` lies inside `outer` (the slice gradient primitives). */
function checkBox(ctx: InferContext, begin: number[] | undefined, size: Shape, outer: Shape): void {
  if (!ctx.runtime || !begin || size === null || outer === null) return;
  const ok =
    size.length === outer.length &&
    begin.length === outer.length &&
    size.every(
      (s, i) => (begin[i] as number) >= 0 && (begin[i] as number) + (s as number) <= (outer[i] as number),
    );
  if (!ok)
    ctx.fail(
      `A slice of shape ${shapeToString(size)} at [${begin.join(',')}] does not fit in shape ${shapeToString(outer)}`,
    );
}

/** Slice(input, begin:int32, size:int32): the box at `begin` of extent `size` (-1: to the end). */
defineOp({
  type: 'Slice',
  infer: (ctx) => {
    requireInt(ctx, 1, 'begin');
    requireInt(ctx, 2, 'size');
    const x = ctx.shapes[0] as Shape;
    const lb = vectorLength(ctx, 1, 'begin');
    const ls = vectorLength(ctx, 2, 'size');
    const rank = x?.length ?? lb ?? ls;
    const dtype = ctx.dtypes[0] as DType;
    if ((lb !== null && lb !== rank) || (ls !== null && ls !== rank)) {
      ctx.fail(
        `Expected begin and size arguments to be 1-D tensors of size ${rank}, but got shapes [${lb ?? '?'}] and [${ls ?? '?'}] instead.`,
      );
    }
    const begin = intValues(ctx, 1);
    const size = intValues(ctx, 2);
    if (rank === null) return [{ shape: null, dtype }];
    if (!size) return [{ shape: unknownDims(rank), dtype }];
    const shape = size.map((s, i): Dim => {
      const b = begin?.[i];
      const d = x ? (x[i] as Dim) : null;
      if (b !== undefined && d !== null && (b < 0 || b > d))
        ctx.fail(`Expected begin[${i}] in [0, ${d}], but got ${b}`);
      if (s === -1) return b !== undefined && d !== null ? d - b : null;
      if (s < 0) ctx.fail(`Expected size[${i}] >= -1, but got ${s}`);
      if (b !== undefined && d !== null && b + s > d)
        ctx.fail(`Expected size[${i}] in [0, ${d - b}], but got ${s}`);
      return s;
    });
    return [{ shape, dtype }];
  },
  grad: (op, [dy]) => [
    dy ? makeTensor('SliceGrad', [dy, op.inputs[0] as Tensor, op.inputs[1] as Tensor], {}, 'Pad') : null,
    null,
    null,
  ],
});

/** SliceGrad(dy, like, begin): zeros shaped like `like` with `dy` written at `begin` (Slice's gradient). */
defineOp({
  type: 'SliceGrad',
  infer: (ctx) => {
    checkBox(ctx, intValues(ctx, 2), ctx.shapes[0] as Shape, ctx.shapes[1] as Shape);
    return [{ shape: ctx.shapes[1] as Shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? sliceLike(dy, op.inputs[2] as Tensor, op.inputs[0] as Tensor) : null, null, null],
});

/** SliceLike(x, begin, like): the box of `x` at `begin` with the shape of `like` (SliceGrad's gradient, Pad's). */
defineOp({
  type: 'SliceLike',
  infer: (ctx) => {
    checkBox(ctx, intValues(ctx, 1), ctx.shapes[2] as Shape, ctx.shapes[0] as Shape);
    return [{ shape: ctx.shapes[2] as Shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [
    dy ? makeTensor('SliceGrad', [dy, op.inputs[0] as Tensor, op.inputs[1] as Tensor], {}, 'Pad') : null,
    null,
    null,
  ],
});

/** The box of `x` at `begin` shaped like `like` (used by gradients). */
export function sliceLike(x: Tensor, begin: TensorLike, like: Tensor): Tensor {
  return makeTensor('SliceLike', [x, begin, like], {}, 'Slice', 'int32');
}

/**
 * Extracts the box of extent `size` starting at `begin` (a size of -1 takes everything to the end) —
 * TF1's `tf.slice(input_, begin, size, name=None)`. `begin` and `size` must be integers.
 *
 * @example
 * tf.slice(x, [0, 1], [2, -1]);   // [3,4] → rows 0..1, columns 1..3: [2,3]
 */
export const slice = declare(
  'slice',
  [
    param('input_', kinds.tensor, { aliases: ['input'] }),
    param('begin', kinds.tensor),
    param('size', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    buildTensor('Slice', 'Slice', a.name, [a.input_, a.begin, a.size], (g) => ({
      inputs: [valueTensor(a.input_, g), intTensor(a.begin, 'begin', g), intTensor(a.size, 'size', g)],
      attrs: {},
    })),
);
