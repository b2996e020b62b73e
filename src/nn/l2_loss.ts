import { Tensor, TensorLike } from '../graph/tensor';
import { defineOp, makeTensor } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { multiply } from '../ops/math/builders';

/** L2Loss: sum(t²) / 2 as a scalar (one pass, no temporary); gradient t · dy. */
defineOp({
  type: 'L2Loss',
  infer: (ctx) => {
    if (ctx.dtypes[0] !== 'float32')
      ctx.fail(`Value for attr 'T' of ${ctx.dtypes[0]} is not in the list of allowed values: float`);
    return [{ shape: [], dtype: 'float32' }];
  },
  grad: (op, [dy]) => [dy ? multiply(op.inputs[0] as Tensor, dy) : null],
});

/**
 * Half the squared L2 norm, `sum(t ** 2) / 2` (TF1 `tf.nn.l2_loss(t, name=None)`), e.g. for weight decay.
 *
 * @example
 * const reg = tf.add(tf.nn.l2Loss(W1), tf.nn.l2Loss(W2));
 */
export const l2Loss = declare(
  'l2Loss',
  [
    param('t', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => makeTensor('L2Loss', [a.t as TensorLike], {}, a.name ?? 'L2Loss'),
);
