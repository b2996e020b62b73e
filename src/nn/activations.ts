import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { defineElementwise } from '../ops/elementwise';
import { makeTensor } from '../ops/op_def';
import { cast } from '../ops/math/builders';

/**
 * TF1's extra activations as formula-defined elementwise primitives (one kernel each on every backend,
 * gradients from the stable rules below). Constants are TF1's (`nn_ops.selu`, `gen_nn_ops.leaky_relu`).
 */
const FLOAT = ['float32'] as const;

/** SELU's λ and λ·α (Klambauer et al. 2017), the constants of TF1's Selu kernel. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
const SCALE_ALPHA = SELU_SCALE * SELU_ALPHA;

defineElementwise({
  type: 'LeakyRelu',
  vars: ['features'],
  // TF1's kernel: features > 0 ? features : alpha · features (not max(x, αx), which differs for α > 1).
  formula: (attrs) => `features > 0 ? features : ${numberLiteral(attrs.alpha as number)} * features`,
  allowed: FLOAT,
});

defineElementwise({
  type: 'Selu',
  vars: ['features'],
  formula: `features > 0 ? ${SELU_SCALE} * features : ${SCALE_ALPHA} * expm1(features)`,
  allowed: FLOAT,
  // TF1's SeluGrad: out > 0 ? dy·λ : dy·(out + λα).
  grads: { features: `features > 0 ? dy * ${SELU_SCALE} : dy * (out + ${SCALE_ALPHA})` },
});

defineElementwise({
  type: 'Swish',
  vars: ['features'],
  formula: 'features * sigmoid(features)',
  allowed: FLOAT,
  // TF1's swish gradient: dy · σ(x) · (1 + x · (1 − σ(x))).
  grads: { features: 'dy * sigmoid(features) * (1 + features * (1 - sigmoid(features)))' },
});

/** A JS number as a formula literal (plain decimal, or parenthesised when negative). */
function numberLiteral(v: number): string {
  const s = Number.isInteger(v) ? v.toFixed(1) : String(v);
  return v < 0 ? `(${s})` : s;
}

/**
 * `features > 0 ? features : alpha * features` (TF1 `tf.nn.leaky_relu(features, alpha=0.2,
 * name=None)`). `alpha` is a JS number (TF1's op attr); int32 features are cast to float32 as in TF1.
 *
 * @example
 * const h = tf.nn.leakyRelu(tf.matmul(x, W));          // alpha 0.2
 * const h2 = tf.nn.leakyRelu(z, { alpha: 0.01 });
 */
export const leakyRelu = declare(
  'leakyRelu',
  [
    param('features', kinds.tensor),
    param('alpha', kinds.number, { default: 0.2 }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    if (!Number.isFinite(a.alpha))
      throw new TypeError(`leakyRelu(): alpha must be a finite number, got ${a.alpha}`);
    let f = a.features as TensorLike;
    if (f instanceof Tensor && f.dtype === 'int32') f = cast(f, 'float32');
    return makeTensor('LeakyRelu', [f], { alpha: a.alpha }, a.name ?? 'LeakyRelu');
  },
);

/**
 * Scaled exponential linear unit: `λ·x` for x > 0, `λ·α·(exp(x) − 1)` otherwise, with TF1's constants
 * λ ≈ 1.0507, α ≈ 1.6733 (TF1 `tf.nn.selu(features, name=None)`).
 *
 * @example
 * const h = tf.nn.selu(tf.matmul(x, W));
 */
export const selu = declare(
  'selu',
  [
    param('features', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => makeTensor('Selu', [a.features as TensorLike], {}, a.name ?? 'Selu'),
);

/**
 * `features * sigmoid(features)` (TF1 `tf.nn.swish(features)`; TF1 takes no `name`, an optional one is
 * accepted here), with TF1's gradient `σ(x)·(1 + x·(1 − σ(x)))`.
 *
 * @example
 * const h = tf.nn.swish(tf.matmul(x, W));
 */
export const swish = declare(
  'swish',
  [
    param('features', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => makeTensor('Swish', [a.features as TensorLike], {}, a.name ?? 'swish'),
);
