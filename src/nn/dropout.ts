import { Dim, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, graphOf, makeTensor, NameOption, parseOptions } from '../ops/op_def';
import { multiply } from '../ops/math/builders';

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

/**
 * TF1 `tf.nn.dropout`: keeps each element with probability `keepProb` and scales survivors by
 * 1/keepProb. `keepProb` is a number in (0, 1] or a scalar float tensor (e.g. a placeholder fed 0.5 for
 * training and 1.0 for evaluation). A number 1 returns `x` itself, as in TF1.
 *
 * @example
 * const keepProb = tf.placeholder('float32', [], 'keep_prob');
 * const hDrop = tf.nn.dropout(hFc1, keepProb, { seed: 1 });
 */
export function dropout(x: TensorLike, keepProb: TensorLike, opts?: DropoutOptions | string): Tensor {
  const o = parseOptions(opts);
  if (typeof keepProb === 'number') {
    if (!(keepProb > 0 && keepProb <= 1)) {
      throw new RangeError(
        `keep_prob must be a scalar tensor or a float in the range (0, 1], got ${keepProb}`,
      );
    }
  }
  const g = graphOf([x, keepProb]);
  const t = convertToTensor(x, 'float32', g);
  if (keepProb === 1) return t;
  return g.nameScope(o.name ?? 'dropout', () => {
    const kp = convertToTensor(keepProb, 'float32', g);
    const attrs = { seed: o.seed ?? null, noise_shape: o.noiseShape ?? null };
    const mask = makeTensor('DropoutMask', [t, kp], attrs, 'DropoutMask');
    return multiply(t, mask, 'mul');
  });
}
