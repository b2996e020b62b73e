import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { declare, kinds, param } from '../../graph/signature';
import { Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, firstDtype, InferContext, makeOp } from '../op_def';
import { zerosLike } from './broadcast';
import {
  buildTensor,
  commonDtype,
  intTensor,
  intValues,
  requireInt,
  requireScalar,
  unknownDims,
  valueTensor,
} from './util';

/** Static shape of `shapes` concatenated along `axis` (`null` axis: value unknown). Fails like TF1. */
export function concatShape(ctx: InferContext, shapes: readonly Shape[], axis: number | null): Shape {
  const known = shapes.filter((s): s is Dim[] => s !== null);
  const rank = known[0]?.length ?? null;
  for (const s of known)
    if (s.length !== rank) ctx.fail(`Shape must be rank ${rank} but is rank ${s.length}`);
  if (rank === null) return null;
  if (rank === 0) ctx.fail('Shape must be at least rank 1 but is rank 0');
  if (axis === null) return unknownDims(rank);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    ctx.fail(
      `ConcatOp : Expected concatenating dimensions in the range [${-rank}, ${rank}), but got ${axis}`,
    );
  }
  const ax = axis < 0 ? axis + rank : axis;
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    if (i === ax) {
      out.push(
        shapes.some((s) => s === null || s[i] === null)
          ? null
          : known.reduce((n, s) => n + (s[i] as number), 0),
      );
      continue;
    }
    let d: Dim = null;
    let from: Dim[] | undefined;
    for (const s of known) {
      const v = s[i] as Dim;
      if (v === null) continue;
      if (d !== null && v !== d) {
        ctx.fail(
          `Dimension ${i} in both shapes must be equal, but are ${d} and ${v}. Shapes are ${shapeToString(from ?? [])} and ${shapeToString(s)}.`,
        );
      }
      if (d === null) [d, from] = [v, s];
    }
    out.push(d);
  }
  return out;
}

/** The scalar axis of input `i` (checked int32 scalar), or `null` when its value is not known yet. */
export function scalarAxis(ctx: InferContext, i: number): number | null {
  requireInt(ctx, i, 'axis');
  requireScalar(ctx, i, 'axis');
  return intValues(ctx, i)?.[0] ?? null;
}

/** ConcatV2(values_0..values_{N-1}, axis:int32). Gradient: dy split back into the inputs' run-time sizes. */
defineOp({
  type: 'ConcatV2',
  defaultName: 'concat',
  infer: (ctx) => {
    const n = ctx.attrs.N as number;
    const dtype = commonDtype(ctx, 0, n);
    return [{ shape: concatShape(ctx, ctx.shapes.slice(0, n), scalarAxis(ctx, n)), dtype }];
  },
  grad: (op, [dy]) => {
    const n = op.attrs.N as number;
    if (!dy) return op.inputs.map(() => null);
    const parts = makeOp(
      'SplitLike',
      [dy, op.inputs[n] as Tensor, ...op.inputs.slice(0, n)],
      { N: n },
      'split',
    ).outputs;
    return [...parts, null];
  },
});

/** SplitLike(value, axis, like_0..like_{N-1}): slices of `value` along `axis` sized like each `like_i`. */
defineOp({
  type: 'SplitLike',
  infer: (ctx) => {
    const n = ctx.attrs.N as number;
    const axis = scalarAxis(ctx, 1);
    const likes = ctx.shapes.slice(2, 2 + n);
    const joined = concatShape(ctx, likes, axis);
    const v = ctx.shapes[0] as Shape;
    if (ctx.runtime && shapeToString(joined) !== shapeToString(v)) {
      ctx.fail(
        `Cannot split a tensor of shape ${shapeToString(v)} into pieces of shapes ${likes.map(shapeToString).join(', ')}`,
      );
    }
    return likes.map((s) => ({ shape: s, dtype: ctx.dtypes[0] as DType }));
  },
  grad: (op, dys) => {
    const n = op.attrs.N as number;
    const parts = dys.map((d, i) => d ?? zerosLike(op.outputs[i] as Tensor));
    return [concat(parts, op.inputs[1] as Tensor), null, ...new Array<null>(n).fill(null)];
  },
});

/**
 * Joins tensors along an existing axis (negative counts from the end). All other dims must match —
 * TF1's `tf.concat(values, axis, name='concat')`.
 *
 * @example
 * tf.concat([a, b], 1);   // [2,3] and [2,4] → [2,7]
 */
export const concat = declare(
  'concat',
  [
    param('values', kinds.tensors),
    param('axis', kinds.tensor),
    param('name', kinds.name, { default: 'concat' }),
  ] as const,
  (a): Tensor => {
    const values = a.values as TensorLike[];
    if (values.length === 0) throw new InvalidArgumentError('concat: values must not be empty');
    return buildTensor('ConcatV2', 'concat', a.name, [...values, a.axis], (g) => {
      const dt = firstDtype(values);
      return {
        inputs: [...values.map((v) => valueTensor(v, g, dt)), intTensor(a.axis, 'axis', g)],
        attrs: { N: values.length },
      };
    });
  },
);
