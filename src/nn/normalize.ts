import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { nameScope } from '../graph/graph';
import { convertToTensor } from '../ops/op_def';
import { maximum, multiply, rsqrt, square } from '../ops/math/builders';
import { reduceSum } from '../ops/reduce/sum';
import { matmul } from '../ops/linalg/matmul';
import { biasAdd } from './bias_add';

/**
 * `x / sqrt(max(sum(x²), epsilon))` along `axis` (TF1 `tf.nn.l2_normalize(x, axis=None, epsilon=1e-12,
 * name=None, dim=None)`; `dim` is TF1's deprecated alias of `axis`; no axis normalises over all
 * elements, as TF1's `reduce_sum(axis=None)` does). Built as TF1 builds it: Sum(Square) → Maximum →
 * Rsqrt → Mul, so its gradient is TF1's.
 *
 * @example
 * const unit = tf.nn.l2Normalize(embeddings, 1);            // each row to norm 1
 * const u = tf.nn.l2Normalize(v, { dim: 0, epsilon: 1e-6 });
 */
export const l2Normalize = declare(
  'l2Normalize',
  [
    param('x', kinds.tensor),
    param('axis', kinds.axis, { default: null }),
    param('epsilon', kinds.number, { default: 1e-12 }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dim', kinds.axis, { default: null }),
  ] as const,
  (a): Tensor => {
    if (a.axis !== null && a.dim !== null)
      throw new TypeError(
        "l2Normalize(): cannot specify both 'axis' and 'dim' (dim is the deprecated name of axis)",
      );
    const axis = a.axis ?? a.dim;
    return nameScope(a.name ?? null, 'l2_normalize', () => {
      const x = convertToTensor(a.x as TensorLike);
      const squareSum = reduceSum(square(x), axis, { keepdims: true });
      const xInvNorm = rsqrt(maximum(squareSum, a.epsilon));
      return multiply(x, xInvNorm, a.name ?? undefined);
    });
  },
);

/**
 * `matmul(x, weights) + biases` (TF1 `tf.nn.xw_plus_b(x, weights, biases, name=None)`): a MatMul then a
 * BiasAdd under the name scope `xw_plus_b`.
 *
 * @example
 * const logits = tf.nn.xwPlusB(h, W, b); // [batch, in] · [in, out] + [out]
 */
export const xwPlusB = declare(
  'xwPlusB',
  [
    param('x', kinds.tensor),
    param('weights', kinds.tensor),
    param('biases', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name ?? null, 'xw_plus_b', () => {
      const mm = matmul(a.x as TensorLike, a.weights as TensorLike);
      return biasAdd(mm, a.biases as TensorLike, { name: a.name ?? undefined });
    }),
);
