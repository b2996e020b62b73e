import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineElementwise } from '../elementwise';
import { makeTensor } from '../op_def';

/**
 * Prelu(x, alpha): `max(x, 0) + alpha * min(x, 0)` with numpy broadcasting of alpha against x (the op
 * of TensorFlow.js graph models and Keras' PReLU layer). Gradients: dy where x > 0 else alpha·dy for x;
 * x·dy where x <= 0 for alpha (reduced to alpha's shape by tf.gradients).
 */
defineElementwise({
  type: 'Prelu',
  defaultName: 'Prelu',
  vars: ['x', 'alpha'],
  formula: 'max(x, 0) + alpha * min(x, 0)',
  allowed: ['float32'],
  grads: { x: 'x > 0 ? dy : dy * alpha', alpha: 'x > 0 ? 0 : dy * x' },
});

/**
 * Parametric ReLU: `x` where it is positive, `alpha * x` elsewhere (`max(0, x) + alpha * min(0, x)`),
 * with `alpha` (usually learned, one value per channel) broadcast against `x` — TensorFlow.js's
 * `tf.prelu(x, alpha)` and Keras' `PReLU` layer. Differentiable w.r.t. both `x` and `alpha`.
 *
 * @example
 * const alpha = new tf.Variable(tf.fill([16], 0.25), { name: 'alpha' });
 * const h = tf.prelu(tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME'), alpha);
 */
export const prelu = declare(
  'prelu',
  [
    param('x', kinds.tensor),
    param('alpha', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => makeTensor('Prelu', [a.x as TensorLike, a.alpha as TensorLike], {}, a.name),
);
