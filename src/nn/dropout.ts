import { Dim, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, graphOf, makeTensor, NameOption } from '../ops/op_def';
import { multiply, subtract } from '../ops/math/builders';
import { declare, kinds, param } from '../graph/signature';

/**
 * Dropout = x · mask, where the stateful DropoutMask op draws (once per run) a mask of 1/keepProb with
 * probability keepProb, else 0. The gradient of the multiply reuses the same mask tensor, and the
 * session computes each tensor once per run, so forward and backward see the same mask.
 */
defineOp({
  type: 'DropoutMask',
  stateful: true,
  infer: (ctx) => {
    const [x, kp] = ctx.shapes as [Shape, Shape];
    if (ctx.dtypes[0] !== 'float32' || ctx.dtypes[1] !== 'float32') {
      ctx.fail(`dropout needs float32 x and keep_prob, got ${ctx.dtypes[0]} and ${ctx.dtypes[1]}`);
    }
    if (kp !== null && kp.length !== 0) ctx.fail(`Shape must be rank 0 but is rank ${kp.length}`);
    const noise = ctx.attrs.noise_shape as (number | null)[] | null | undefined;
    if (noise === null || noise === undefined) return [{ shape: x, dtype: 'float32' }];
    if (x !== null && x.length !== noise.length) {
      ctx.fail(`noise_shape [${noise.join(',')}] must have the rank of x (${x.length})`);
    }
    const shape = noise.map((d, i): Dim => {
      const xd = x === null ? null : (x[i] as Dim);
      if (d === null || d === -1) return xd;
      if (xd !== null && d !== 1 && d !== xd)
        ctx.fail(`noise_shape [${noise.join(',')}] is not broadcastable to x's shape`);
      return d;
    });
    return [{ shape, dtype: 'float32' }];
  },
  grad: 'none',
});

export interface DropoutOptions extends NameOption {
  /**
   * Shape of the random keep/drop mask, broadcast against x (e.g. `[null, 1, 1, null]` drops whole
   * channels). `null` or -1 entries take x's dimension. Default: x's shape.
   */
  noiseShape?: (number | null)[];
  /** Op-level seed: with it (or a graph seed) every new Session draws the same masks. */
  seed?: number;
}

const noiseShapeKind = kinds.custom<(number | null)[]>(
  'a list of integers (null or -1: the dimension of x)',
  (v) => Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= -1)),
  () => [1],
);

/**
 * TF1 `tf.nn.dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None)`: keeps each
 * element with probability `keepProb` (or 1 − `rate`; exactly one of the two) and scales survivors by
 * 1/keepProb. Either is a number or a scalar float tensor (e.g. a placeholder fed 0.5 for training and
 * 1.0 for evaluation). keepProb 1 (or rate 0) as a number returns `x` itself, as in TF1.
 *
 * @example
 * const keepProb = tf.placeholder('float32', [], 'keep_prob');
 * const hDrop = tf.nn.dropout(hFc1, keepProb, { seed: 1 });
 * const h2 = tf.nn.dropout(h, { rate: 0.25 });
 */
export const dropout = declare(
  'dropout',
  [
    param('x', kinds.tensor),
    param('keepProb', kinds.nullable(kinds.tensor), { default: null }),
    param('noiseShape', kinds.nullable(noiseShapeKind), { default: null }),
    param('seed', kinds.nullable(kinds.int), { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('rate', kinds.nullable(kinds.tensor), { default: null }),
  ] as const,
  (a): Tensor => {
    if ((a.keepProb === null) === (a.rate === null)) {
      throw new TypeError(
        a.keepProb === null
          ? 'dropout(): give exactly one of keepProb and rate (got neither)'
          : 'dropout(): cannot specify both keepProb and rate (give exactly one)',
      );
    }
    if (typeof a.rate === 'number' && !(a.rate >= 0 && a.rate < 1)) {
      throw new RangeError(`rate must be a scalar tensor or a float in the range [0, 1), got ${a.rate}`);
    }
    if (typeof a.keepProb === 'number' && !(a.keepProb > 0 && a.keepProb <= 1)) {
      throw new RangeError(
        `keep_prob must be a scalar tensor or a float in the range (0, 1], got ${a.keepProb}`,
      );
    }
    const x = a.x as TensorLike;
    const g = graphOf([x, (a.keepProb ?? a.rate) as TensorLike]);
    const t = convertToTensor(x, 'float32', g);
    if (a.keepProb === 1 || a.rate === 0) return t;
    return g.nameScope(a.name ?? 'dropout', () => {
      const kp =
        a.keepProb !== null
          ? convertToTensor(a.keepProb as TensorLike, 'float32', g)
          : typeof a.rate === 'number'
            ? convertToTensor(1 - a.rate, 'float32', g)
            : subtract(1, convertToTensor(a.rate as TensorLike, 'float32', g));
      const attrs = { seed: a.seed, noise_shape: a.noiseShape };
      const mask = makeTensor('DropoutMask', [t, kp], attrs, 'DropoutMask');
      return multiply(t, mask, 'mul');
    });
  },
);
