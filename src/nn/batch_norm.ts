import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { nameScope } from '../graph/graph';
import { shapeToString } from '../graph/shape';
import { convertToTensor } from '../ops/op_def';
import { add, cast, divide, maximum, multiply, rsqrt, subtract } from '../ops/math/builders';
import { reshape } from '../ops/array/reshape';
import { squeeze } from '../ops/array/squeeze';
import { gather } from '../ops/array/gather';
import { reduceProd } from '../ops/reduce/prod';
import { shape as shapeOf } from '../ops/fill/shape';
import { stopGradient, identity } from '../ops/control/basic';
import { InvalidArgumentError } from '../errors';
import { moments } from './moments';

/** TF1's floor on the fused batch norm's epsilon (cuDNN's requirement, applied on every device). */
const MIN_EPSILON = 1.001e-5;

function requireRank(t: Tensor, rank: number, what: string): void {
  const s = t.shape;
  if (s !== null && s.length !== rank)
    throw new InvalidArgumentError(
      `fusedBatchNorm(): ${what} must be ${rank}-dimensional, got shape ${shapeToString(s)} (Shape must be rank ${rank} but is rank ${s.length})`,
    );
}

/**
 * TF1 `tf.nn.fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
 * data_format='NHWC', is_training=True, name=None)` on a 4-D `x`, returning `[y, batchMean,
 * batchVariance]`.
 *
 * - Training (`isTraining` true; `mean`/`variance` must then be null): `y` is normalised with the batch
 *   mean and the biased batch variance over N, H, W; `batchVariance` is the Bessel-corrected variance
 *   `v·n/(n−1)` (n = N·H·W, the value TF1's kernel returns for the moving averages).
 * - Inference: `y = (x − mean)·rsqrt(variance + ε)·scale + offset`; `batchMean`/`batchVariance` are
 *   `mean`/`variance` themselves.
 *
 * `epsilon` is raised to at least 1.001e-5 as in TF1. Gradients reach `x`, `scale` and `offset` (the
 * exact batch-norm backprop in training mode); as with TF1's FusedBatchNormGrad, none flow into
 * `mean`/`variance` or out of the `batchMean`/`batchVariance` outputs. Built from Mean/Rsqrt/Mul ops,
 * so it runs on every backend.
 *
 * @example
 * const [y, bm, bv] = tf.nn.fusedBatchNorm(conv, gamma, beta);               // training
 * const [yi] = tf.nn.fusedBatchNorm(conv, gamma, beta, movingMean, movingVar, { isTraining: false });
 */
export const fusedBatchNorm = declare(
  'fusedBatchNorm',
  [
    param('x', kinds.tensor),
    param('scale', kinds.tensor),
    param('offset', kinds.tensor),
    param('mean', kinds.nullable(kinds.tensor), { default: null }),
    param('variance', kinds.nullable(kinds.tensor), { default: null }),
    param('epsilon', kinds.number, { default: 0.001 }),
    param('dataFormat', kinds.oneOf('NHWC', 'NCHW'), { default: 'NHWC' as 'NHWC' | 'NCHW' }),
    param('isTraining', kinds.bool, { default: true }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): [Tensor, Tensor, Tensor] => {
    if (a.isTraining && (a.mean !== null || a.variance !== null))
      throw new InvalidArgumentError("Both 'mean' and 'variance' must be None if is_training is True.");
    if (!a.isTraining && (a.mean === null || a.variance === null))
      throw new InvalidArgumentError(
        "Both 'mean' and 'variance' must be a 1-D tensor when is_training is False.",
      );
    const eps = a.epsilon > MIN_EPSILON ? a.epsilon : MIN_EPSILON;
    return nameScope(a.name ?? null, 'FusedBatchNorm', () => {
      const x = convertToTensor(a.x as TensorLike, 'float32');
      const scale = convertToTensor(a.scale as TensorLike, 'float32');
      const offset = convertToTensor(a.offset as TensorLike, 'float32');
      requireRank(x, 4, 'x');
      requireRank(scale, 1, 'scale');
      requireRank(offset, 1, 'offset');
      const nchw = a.dataFormat === 'NCHW';
      const cAxis = nchw ? 1 : 3;
      const c = x.shape?.[cAxis] ?? null;
      for (const [t, what] of [
        [scale, 'scale'],
        [offset, 'offset'],
      ] as const) {
        const d = t.shape?.[0] ?? null;
        if (c !== null && d !== null && c !== d)
          throw new InvalidArgumentError(
            `fusedBatchNorm(): ${what} must have the channel count of x (${c}), got shape ${shapeToString(t.shape)}`,
          );
      }
      // Per-channel [C] vectors broadcast against x: as-is for NHWC, as [C,1,1] for NCHW.
      const bc = (v: Tensor): Tensor => (nchw ? reshape(v, [-1, 1, 1]) : v);
      const axes = nchw ? [0, 2, 3] : [0, 1, 2];
      if (!a.isTraining) {
        const mean = convertToTensor(a.mean as TensorLike, 'float32');
        const variance = convertToTensor(a.variance as TensorLike, 'float32');
        requireRank(mean, 1, 'mean');
        requireRank(variance, 1, 'variance');
        const inv = rsqrt(add(stopGradient(bc(variance)), eps));
        const y = add(multiply(multiply(subtract(x, stopGradient(bc(mean))), inv), bc(scale)), bc(offset));
        return [y, identity(mean), identity(variance)];
      }
      const [m, v] = moments(x, axes, { keepdims: true });
      const y = add(multiply(multiply(subtract(x, m), rsqrt(add(v, eps))), bc(scale)), bc(offset));
      // n = N·H·W (static when known); TF1's adjustment n / max(n − 1, 1).
      const known = axes.every((k) => typeof x.shape?.[k] === 'number');
      const n: Tensor | number = known
        ? axes.reduce((p, k) => p * (x.shape?.[k] as number), 1)
        : cast(reduceProd(gather(shapeOf(x), axes)), 'float32');
      const adjust = typeof n === 'number' ? n / Math.max(n - 1, 1) : divide(n, maximum(subtract(n, 1), 1));
      const batchMean = stopGradient(squeeze(m, axes));
      const batchVariance = stopGradient(multiply(squeeze(v, axes), adjust));
      return [y, batchMean, batchVariance];
    });
  },
);
