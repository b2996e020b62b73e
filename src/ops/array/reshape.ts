import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString, staticSize } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
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

/** The requested shape with its -1 resolved against the element count (`null` when not yet known). */
function resolveShape(ctx: InferContext, requested: number[]): Dim[] {
  const minus = requested.flatMap((d, i) => (d === -1 ? [i] : []));
  if (minus.length > 1) ctx.fail(`Only one input size may be -1, not both ${minus[0]} and ${minus[1]}`);
  requested.forEach((d, i) => {
    if (d < -1) ctx.fail(`Size ${i} must be non-negative, not ${d}`);
  });
  const n = staticSize(ctx.shapes[0] as Shape);
  const known = requested.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const shown = shapeToString(requested.map((d) => (d === -1 ? null : d)));
  if (minus.length === 0) {
    if (n !== null && n !== known) {
      ctx.fail(
        ctx.runtime
          ? `Input to reshape is a tensor with ${n} values, but the requested shape has ${known}`
          : `Cannot reshape a tensor with ${n} elements to shape ${shown} (${known} elements)`,
      );
    }
    return requested;
  }
  if (n === null) return requested.map((d) => (d === -1 ? null : d));
  if (known === 0 || n % known !== 0) {
    if (known === 0 && n === 0)
      ctx.fail(
        'Reshape cannot infer the missing input size for an empty tensor unless all specified input sizes are non-zero',
      );
    ctx.fail(
      `Input to reshape is a tensor with ${n} values, but the requested shape requires a multiple of ${known}`,
    );
  }
  return requested.map((d) => (d === -1 ? n / known : d));
}

/** Reshape(tensor, shape:int32): the shape may hold one -1; zero-copy on the CPU. */
defineOp({
  type: 'Reshape',
  infer: (ctx) => {
    requireInt(ctx, 1, 'shape');
    const len = vectorLength(ctx, 1, 'shape');
    const requested = intValues(ctx, 1);
    const shape = requested ? resolveShape(ctx, requested) : unknownDims(len);
    return [{ shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? reshapeLike(dy, op.inputs[0] as Tensor) : null, null],
});

/** ReshapeLike(x, like): x reshaped to like's run-time shape (the gradient of every reshaping op). */
defineOp({
  type: 'ReshapeLike',
  infer: (ctx) => {
    const [x, like] = ctx.shapes as [Shape, Shape];
    const a = staticSize(x);
    const b = staticSize(like);
    if (a !== null && b !== null && a !== b) {
      ctx.fail(`Cannot reshape a tensor with ${a} elements to shape ${shapeToString(like)} (${b} elements)`);
    }
    return [{ shape: like, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? reshapeLike(dy, op.inputs[0] as Tensor) : null, null],
});

/** `x` with the shape of `like` (same element count). */
export function reshapeLike(x: Tensor, like: Tensor): Tensor {
  return makeTensor('ReshapeLike', [x, like], {}, 'Reshape');
}

/**
 * Gives `tensor` a new shape with the same elements in row-major order; one entry may be -1 (inferred).
 * The shape may also be an int32 1-D tensor — TF1's `tf.reshape(tensor, shape, name=None)`.
 *
 * @example
 * const flat = tf.reshape(images, [-1, 784]);   // [?,28,28] → [?,784]
 */
export const reshape = declare(
  'reshape',
  [
    param('tensor', kinds.tensor),
    param('shape', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    buildTensor('Reshape', 'Reshape', a.name, [a.tensor, a.shape], (g) => ({
      inputs: [valueTensor(a.tensor, g), intTensor(a.shape, 'shape', g)],
      attrs: {},
    })),
);
