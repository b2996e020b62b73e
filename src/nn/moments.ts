import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { nameScope } from '../graph/graph';
import { convertToTensor } from '../ops/op_def';
import { add, multiply, negative, rsqrt, squaredDifference, subtract } from '../ops/math/builders';
import { reduceMean } from '../ops/reduce/mean';
import { squeeze } from '../ops/array/squeeze';
import { stopGradient } from '../ops/control/basic';
import { InvalidArgumentError } from '../errors';

/** Normalised, sorted reduction axes of `x` (all axes for null), checked against its static rank. */
export function momentAxes(fn: string, x: Tensor, axes: number | number[] | null): number[] | null {
  const rank = x.shape?.length;
  const list = axes === null ? null : Array.isArray(axes) ? axes : [axes];
  if (list === null) return rank === undefined ? null : Array.from({ length: rank }, (_v, i) => i);
  if (rank === undefined) return list;
  return list.map((a) => {
    if (a < -rank || a >= rank)
      throw new InvalidArgumentError(`${fn}(): axis ${a} is out of range for a tensor of rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
}

/**
 * Mean and variance of `x` over `axes` (TF1 `tf.nn.moments(x, axes, shift=None, name=None,
 * keep_dims=None, keepdims=None)`): `mean = reduce_mean(x, axes)`, `variance = reduce_mean((x −
 * stop_gradient(mean))², axes)` — TF1's formula (the stop_gradient does not change the gradient, since
 * Σ(x − mean) = 0). `shift` is accepted and unused, as in TF1 ("Not used in the current
 * implementation"). `keepDims`/`keepdims` keep the reduced axes with size 1. Returns `[mean, variance]`.
 *
 * @example
 * const [mean, variance] = tf.nn.moments(x, [0]);                 // per-feature batch statistics
 * const [m, v] = tf.nn.moments(conv, [0, 1, 2], { keepDims: true }); // [1,1,1,C]
 */
export const moments = declare(
  'moments',
  [
    param('x', kinds.tensor),
    param('axes', kinds.axis),
    param('shift', kinds.nullable(kinds.tensor), { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('keepDims', kinds.nullable(kinds.bool), { default: null as boolean | null }),
    param('keepdims', kinds.nullable(kinds.bool), { default: null as boolean | null }),
  ] as const,
  (a): [Tensor, Tensor] => {
    if (a.keepDims !== null && a.keepdims !== null && a.keepDims !== a.keepdims)
      throw new TypeError(
        "moments(): cannot specify both 'keepdims' and 'keep_dims' (keep_dims is deprecated)",
      );
    const keep = a.keepdims ?? a.keepDims ?? false;
    return nameScope(a.name ?? null, 'moments', () => {
      const x = convertToTensor(a.x as TensorLike, 'float32');
      const axes = momentAxes('moments', x, a.axes);
      const axis = axes ?? a.axes;
      const mean = reduceMean(x, axis, { keepdims: true, name: 'mean' });
      const variance = reduceMean(squaredDifference(x, stopGradient(mean)), axis, {
        keepdims: true,
        name: 'variance',
      });
      if (keep) return [mean, variance];
      return [squeeze(mean, axis), squeeze(variance, axis)];
    });
  },
);

/**
 * `scale · (x − mean) / sqrt(variance + varianceEpsilon) + offset` (TF1 `tf.nn.batch_normalization(x,
 * mean, variance, offset, scale, variance_epsilon, name=None)`), computed as TF1 computes it: `inv =
 * rsqrt(variance + ε)·scale; x·inv + (offset − mean·inv)`. `offset` and `scale` may be null (none).
 *
 * @example
 * const [mean, variance] = tf.nn.moments(h, [0]);
 * const y = tf.nn.batchNormalization(h, mean, variance, beta, gamma, 1e-3);
 */
export const batchNormalization = declare(
  'batchNormalization',
  [
    param('x', kinds.tensor),
    param('mean', kinds.tensor),
    param('variance', kinds.tensor),
    param('offset', kinds.nullable(kinds.tensor)),
    param('scale', kinds.nullable(kinds.tensor)),
    param('varianceEpsilon', kinds.number),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name ?? null, 'batchnorm', () => {
      let inv = rsqrt(add(a.variance as TensorLike, a.varianceEpsilon));
      if (a.scale !== null) inv = multiply(inv, a.scale as TensorLike);
      const shift =
        a.offset !== null
          ? subtract(a.offset as TensorLike, multiply(a.mean as TensorLike, inv))
          : negative(multiply(a.mean as TensorLike, inv));
      return add(multiply(a.x as TensorLike, inv), shift);
    }),
);
