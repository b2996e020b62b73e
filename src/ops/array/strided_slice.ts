import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Shape, shapeToString } from '../../graph/shape';
import { Attrs, Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, InferContext, makeTensor } from '../op_def';
import { StridedSliceMasks, stridedSliceSpec } from './strided_slice_spec';
import { buildTensor, intTensor, intValues, requireInt, valueTensor, vectorLength } from './util';
import { declare, kinds, param } from '../../graph/signature';

const MASKS = ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'] as const;

/** The static (or run-time) output shape of a strided slice of input `xi` with parameters at `pi..pi+2`. */
function sliceShape(ctx: InferContext, xi: number, pi: number): Shape {
  const names = ['begin', 'end', 'strides'];
  const lens = names.map((n, k) => (requireInt(ctx, pi + k, n), vectorLength(ctx, pi + k, n)));
  const count = lens.find((l) => l !== null) ?? null;
  if (lens.some((l) => l !== null && l !== count)) {
    ctx.fail(
      `Expected begin, end, and strides to be 1D equal size tensors, but got shapes [${lens.map((l) => l ?? '?').join('], [')}] instead.`,
    );
  }
  const x = ctx.shapes[xi] as Shape;
  if (x === null || count === null) return null;
  const [b, e, s] = names.map((_n, k) => intValues(ctx, pi + k) ?? null);
  const spec = stridedSliceSpec(
    x,
    b ?? null,
    e ?? null,
    s ?? null,
    count,
    ctx.attrs as unknown as StridedSliceMasks,
  );
  if (typeof spec === 'string') ctx.fail(spec);
  return spec.shape;
}

const maskAttrs = (attrs: Readonly<Attrs>): Attrs => Object.fromEntries(MASKS.map((m) => [m, attrs[m] ?? 0]));

/** StridedSlice(input, begin, end, strides) with TF1's five masks (numpy basic indexing). */
defineOp({
  type: 'StridedSlice',
  defaultName: 'strided_slice',
  infer: (ctx) => [{ shape: sliceShape(ctx, 0, 1), dtype: ctx.dtypes[0] as DType }],
  grad: (op, [dy]) => {
    if (!dy) return [null, null, null, null];
    const [x, b, e, s] = op.inputs as Tensor[];
    return [
      makeTensor(
        'StridedSliceScatter',
        [dy, x as Tensor, b as Tensor, e as Tensor, s as Tensor],
        maskAttrs(op.attrs),
        'StridedSliceGrad',
      ),
      null,
      null,
      null,
    ];
  },
});

/** StridedSliceScatter(dy, like, begin, end, strides): zeros like `like` with `dy` at the sliced places. */
defineOp({
  type: 'StridedSliceScatter',
  infer: (ctx) => {
    const sliced = sliceShape(ctx, 1, 2);
    const dy = ctx.shapes[0] as Shape;
    if (ctx.runtime && sliced !== null && dy !== null && sliced.join() !== dy.join()) {
      ctx.fail(
        `Gradient of shape ${shapeToString(dy)} does not match the slice's shape ${shapeToString(sliced)}`,
      );
    }
    return [{ shape: ctx.shapes[1] as Shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => {
    if (!dy) return op.inputs.map(() => null);
    const [, , b, e, s] = op.inputs as Tensor[];
    return [
      makeTensor(
        'StridedSlice',
        [dy, b as Tensor, e as Tensor, s as Tensor],
        maskAttrs(op.attrs),
        'strided_slice',
      ),
      null,
      null,
      null,
      null,
    ];
  },
});

/**
 * Numpy-style basic slicing `x[begin:end:strides]` per axis, with TF1's bit masks: bit i of `beginMask`/
 * `endMask` ignores begin[i]/end[i] (full range), `shrinkAxisMask` takes index begin[i] and removes the
 * axis, `newAxisMask` inserts an axis of 1, `ellipsisMask` marks `...`. Negative indices count from the end.
 *
 * @example
 * tf.stridedSlice(x, [0, -1], [0, 0], [1, -1], { beginMask: 1, endMask: 3 });  // x[:, ::-1]
 * tf.stridedSlice(x, [1], [2], [1], { shrinkAxisMask: 1 });                    // x[1]
 */
export const stridedSlice = declare(
  'stridedSlice',
  [
    param('input_', kinds.tensor, { aliases: ['input'] }),
    param('begin', kinds.tensor),
    param('end', kinds.tensor),
    param('strides', kinds.nullable(kinds.tensor), { default: null }),
    param('beginMask', kinds.int, { default: 0 }),
    param('endMask', kinds.int, { default: 0 }),
    param('ellipsisMask', kinds.int, { default: 0 }),
    param('newAxisMask', kinds.int, { default: 0 }),
    param('shrinkAxisMask', kinds.int, { default: 0 }),
    param(
      'var',
      kinds.custom<null>('null (sliced assignment through `var` is not supported)', (v) => v === null),
      {
        default: null,
      },
    ),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    stridedSliceOp(
      a.input_ as TensorLike,
      a.begin as TensorLike,
      a.end as TensorLike,
      a.strides as TensorLike | null,
      {
        begin_mask: a.beginMask,
        end_mask: a.endMask,
        ellipsis_mask: a.ellipsisMask,
        new_axis_mask: a.newAxisMask,
        shrink_axis_mask: a.shrinkAxisMask,
      },
      a.name,
    ),
);

/** Builds one StridedSlice op (the `stridedSlice` builder and `Tensor.at`). */
export function stridedSliceOp(
  x: TensorLike,
  begin: TensorLike,
  end: TensorLike,
  strides: TensorLike | null,
  attrs: StridedSliceMasks,
  name: string | undefined,
): Tensor {
  return buildTensor('StridedSlice', 'strided_slice', name, [x, begin, end, strides], (g) => {
    const b = intTensor(begin, 'stack', g);
    let st = strides;
    if (st === undefined || st === null) {
      const n = b.shape?.length === 1 ? b.shape[0] : null;
      if (n === null || n === undefined)
        throw new InvalidArgumentError(
          'stridedSlice: strides are required when the length of begin is unknown',
        );
      st = new Array<number>(n).fill(1);
    }
    return {
      inputs: [valueTensor(x, g), b, intTensor(end, 'stack_1', g), intTensor(st, 'stack_2', g)],
      attrs: { ...attrs },
    };
  });
}
