import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { defineOp, GradFn, InferContext, makeTensor } from '../op_def';
import { declare, kinds, param, TensorValue } from '../../graph/signature';
import { sliceLike } from './slice';
import { stridedSlice } from './strided_slice';
import {
  buildTensor,
  intTensor,
  intValues,
  requireInt,
  requireScalar,
  unknownDims,
  valueTensor,
} from './util';

/** Output shape of padding input 0 by the [rank,2] int32 `paddings` (input 1). */
function paddedShape(ctx: InferContext): Shape {
  requireInt(ctx, 1, 'paddings');
  const x = ctx.shapes[0] as Shape;
  const p = ctx.shapes[1] as Shape;
  if (p !== null && (p.length !== 2 || (p[1] !== null && p[1] !== 2)))
    ctx.fail(`paddings must be a matrix with 2 columns: ${shapeToString(p)}`);
  const rank = x?.length ?? (p?.[0] as Dim | undefined) ?? null;
  if (x !== null && p !== null && p[0] !== null && p[0] !== x.length) {
    ctx.fail(
      `The first dimension of paddings must be the rank of inputs${shapeToString(p)} ${shapeToString(x)}`,
    );
  }
  const v = intValues(ctx, 1);
  if (rank === null) return null;
  if (!v) return unknownDims(rank);
  return new Array(rank).fill(0).map((_z, i): Dim => {
    const [before, after] = [v[2 * i] as number, v[2 * i + 1] as number];
    if (before < 0 || after < 0) ctx.fail(`Paddings must be non-negative: ${before} ${after}`);
    const d = x ? (x[i] as Dim) : null;
    return d === null ? null : d + before + after;
  });
}

/** Pad's gradient: the box of dy at the leading paddings, shaped like x. */
const padGrad: GradFn = (op, [dy]) => {
  const grads: (Tensor | null)[] = op.inputs.map(() => null);
  if (!dy) return grads;
  const [x, paddings] = op.inputs as [Tensor, Tensor];
  const begin =
    paddings.op.type === 'Const'
      ? Array.from((paddings.op.attrs.value as NDArray).data).filter((_v, i) => i % 2 === 0)
      : stridedSlice(paddings, [0, 0], [0, 1], [1, 1], { beginMask: 1, endMask: 1, shrinkAxisMask: 2 });
  grads[0] = sliceLike(dy, begin, x);
  return grads;
};

/** Pad(input, paddings:int32 [rank,2]): zeros around the input. */
defineOp({
  type: 'Pad',
  infer: (ctx) => [{ shape: paddedShape(ctx), dtype: ctx.dtypes[0] as DType }],
  grad: padGrad,
});

/** PadV2(input, paddings, constant_values): the given scalar around the input. */
defineOp({
  type: 'PadV2',
  infer: (ctx) => {
    requireScalar(ctx, 2, 'constant_values');
    if (ctx.dtypes[2] !== ctx.dtypes[0])
      ctx.fail(`constant_values must have dtype ${ctx.dtypes[0]}, got ${ctx.dtypes[2]}`);
    return [{ shape: paddedShape(ctx), dtype: ctx.dtypes[0] as DType }];
  },
  grad: padGrad,
});

/** Checks TF1's MirrorPad limits: REFLECT pads by less than the dim, SYMMETRIC by at most the dim. */
function mirrorLimits(ctx: InferContext, x: Shape, p: number[] | undefined, mode: string): void {
  if (!p || x === null) return;
  const offset = mode === 'REFLECT' ? 1 : 0;
  x.forEach((d, i) => {
    if (d === null) return;
    const [before, after] = [p[2 * i] as number, p[2 * i + 1] as number];
    if (before > d - offset || after > d - offset) {
      ctx.fail(
        `paddings must be no greater than the dimension size: ${before}, ${after} greater than ${d - offset}`,
      );
    }
  });
}

/**
 * MirrorPad(input, paddings) with attr mode 'REFLECT' (the edge is not repeated: [1,2,3] by 2 →
 * [3,2,1,2,3,2,1]) or 'SYMMETRIC' (the edge is repeated: [2,1,1,2,3,3,2]).
 */
defineOp({
  type: 'MirrorPad',
  infer: (ctx) => {
    const shape = paddedShape(ctx);
    mirrorLimits(ctx, ctx.shapes[0] as Shape, intValues(ctx, 1), ctx.attrs.mode as string);
    return [{ shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [
    dy
      ? makeTensor(
          'MirrorPadGrad',
          [dy, op.inputs[1] as Tensor],
          { mode: op.attrs.mode as string },
          'MirrorPadGrad',
        )
      : null,
    null,
  ],
});

/** MirrorPadGrad(dy, paddings) with attr mode: each input element's sum of the padded places it fills. */
defineOp({
  type: 'MirrorPadGrad',
  infer: (ctx) => {
    requireInt(ctx, 1, 'paddings');
    const dy = ctx.shapes[0] as Shape;
    const v = intValues(ctx, 1);
    const dtype = ctx.dtypes[0] as DType;
    if (dy === null) return [{ shape: null, dtype }];
    if (!v) return [{ shape: unknownDims(dy.length), dtype }];
    if (v.length !== 2 * dy.length)
      ctx.fail(`paddings must be a [${dy.length},2] matrix, got ${v.length / 2} rows`);
    const shape = dy.map((d, i): Dim =>
      d === null ? null : d - (v[2 * i] as number) - (v[2 * i + 1] as number),
    );
    mirrorLimits(ctx, shape, v, ctx.attrs.mode as string);
    return [{ shape, dtype }];
  },
  grad: (op, [dy]) => [
    dy
      ? makeTensor('MirrorPad', [dy, op.inputs[1] as Tensor], { mode: op.attrs.mode as string }, 'MirrorPad')
      : null,
    null,
  ],
});

const PAD_MODES = ['CONSTANT', 'REFLECT', 'SYMMETRIC'];

/**
 * Pads `tensor` with `paddings[i] = [before, after]` entries along each axis i — TF1's `tf.pad(tensor,
 * paddings, mode='CONSTANT', name=None, constant_values=0)`. Modes (case-insensitive, as in TF1):
 * 'CONSTANT' fills with `constantValues`; 'REFLECT' mirrors without repeating the edge (paddings must be
 * less than the dim); 'SYMMETRIC' mirrors repeating the edge (paddings at most the dim).
 *
 * @example
 * tf.pad(img, [[0, 0], [2, 2], [2, 2], [0, 0]]);        // zero border of 2
 * tf.pad(x, [[1, 0]], { constantValues: -1 });
 * tf.pad([[1, 2, 3], [4, 5, 6]], [[1, 1], [2, 2]], 'REFLECT');
 */
export const pad = declare(
  'pad',
  [
    param('tensor', kinds.tensor),
    param('paddings', kinds.tensor),
    param(
      'mode',
      kinds.custom<string>(
        "'CONSTANT', 'REFLECT' or 'SYMMETRIC' (any case)",
        (v) => typeof v === 'string' && PAD_MODES.includes(v.toUpperCase()),
        () => 'CONSTANT',
        true,
      ),
      { default: 'CONSTANT' },
    ),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('constantValues', kinds.tensor, { default: 0 as TensorValue }),
  ] as const,
  (a): Tensor => {
    const mode = a.mode.toUpperCase();
    const x = a.tensor as TensorLike;
    const cv = a.constantValues as TensorLike;
    const zero = typeof cv === 'number' && cv === 0;
    if (mode !== 'CONSTANT') {
      if (!zero)
        throw new TypeError(`pad(): constant_values applies only to mode 'CONSTANT', not '${a.mode}'`);
      return buildTensor('MirrorPad', 'MirrorPad', a.name, [x, a.paddings], (g) => ({
        inputs: [valueTensor(x, g), intTensor(a.paddings, 'paddings', g)],
        attrs: { mode },
      }));
    }
    const v2 = !zero;
    return buildTensor(v2 ? 'PadV2' : 'Pad', v2 ? 'PadV2' : 'Pad', a.name, [x, a.paddings, cv], (g) => {
      const xt = valueTensor(x, g);
      const inputs = [xt, intTensor(a.paddings, 'paddings', g)];
      if (v2) inputs.push(valueTensor(cv, g, xt.dtype));
      return { inputs, attrs: {} };
    });
  },
);
