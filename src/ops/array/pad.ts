import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { defineOp, GradFn, InferContext } from '../op_def';
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

export interface PadOptions {
  /** The value of the padding (default 0). */
  constantValue?: TensorLike;
  /** Only TF1's default 'CONSTANT' is supported. */
  mode?: 'CONSTANT';
  name?: string;
}

/**
 * Pads `x` with `paddings[i] = [before, after]` entries along each axis i.
 *
 * @example
 * tf.pad(img, [[0, 0], [2, 2], [2, 2], [0, 0]]);        // zero border of 2
 * tf.pad(x, [[1, 0]], { constantValue: -1 });
 */
export function pad(x: TensorLike, paddings: TensorLike, opts?: PadOptions | string): Tensor {
  const o = typeof opts === 'string' ? { name: opts } : (opts ?? {});
  const mode = (o.mode ?? 'CONSTANT').toUpperCase();
  if (mode !== 'CONSTANT')
    throw new InvalidArgumentError(`pad: mode '${o.mode}' is not supported (only 'CONSTANT')`);
  const cv = o.constantValue;
  const v2 = cv !== undefined && !(typeof cv === 'number' && cv === 0);
  return buildTensor(v2 ? 'PadV2' : 'Pad', v2 ? 'PadV2' : 'Pad', o.name, [x, paddings, cv], (g) => {
    const xt = valueTensor(x, g);
    const inputs = [xt, intTensor(paddings, 'paddings', g)];
    if (v2) inputs.push(valueTensor(cv, g, xt.dtype));
    return { inputs, attrs: {} };
  });
}
