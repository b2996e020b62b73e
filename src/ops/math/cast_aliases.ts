// TF1's deprecated cast shorthands (math_ops.to_float, to_int32, to_int64), still everywhere in classic
// TF1 programs (`tf.to_float(correct_prediction)`, mnist.py's `labels = tf.to_int64(labels)`).
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { cast } from './builders';

/**
 * Casts to float32 (TF1 `tf.to_float(x, name='ToFloat')`; a float32 input is returned as is).
 *
 * @example
 * const accuracy = tf.reduceMean(tf.toFloat(tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))));
 */
export const toFloat = declare(
  'toFloat',
  [
    param('x', kinds.tensor),
    param('name', kinds.name, { default: 'ToFloat' as string | undefined }),
  ] as const,
  (a): Tensor => cast(a.x as TensorLike, 'float32', a.name),
);

/**
 * Casts to int32 (TF1 `tf.to_int32(x, name='ToInt32')`: float → int truncates toward zero).
 *
 * @example
 * const n = tf.toInt32(tf.reduceSum(mask));
 */
export const toInt32 = declare(
  'toInt32',
  [
    param('x', kinds.tensor),
    param('name', kinds.name, { default: 'ToInt32' as string | undefined }),
  ] as const,
  (a): Tensor => cast(a.x as TensorLike, 'int32', a.name),
);

/**
 * TF1 `tf.to_int64(x, name='ToInt64')`. tensorgraph's only integer dtype is int32, so this casts to
 * int32 — the same values for every integer an int32 holds — as `tf.argmax` returns int32 where TF1
 * returns int64. Integer results (labels, indices) then flow into the ops TF1 would feed int64 to
 * (`tf.losses.sparseSoftmaxCrossEntropy`, `tf.nn.inTopK`, `tf.gather`, …).
 *
 * @example
 * labels = tf.toInt64(labels);   // mnist.py's loss()
 * const loss = tf.losses.sparseSoftmaxCrossEntropy({ labels, logits });
 */
export const toInt64 = declare(
  'toInt64',
  [
    param('x', kinds.tensor),
    param('name', kinds.name, { default: 'ToInt64' as string | undefined }),
  ] as const,
  (a): Tensor => cast(a.x as TensorLike, 'int32', a.name),
);
