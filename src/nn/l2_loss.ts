import { Tensor, TensorLike } from '../graph/tensor';
import { defineOp, makeTensor, NameOption, parseOptions } from '../ops/op_def';
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
 * Half the squared L2 norm, `sum(t ** 2) / 2` (TF1 `tf.nn.l2_loss`), e.g. for weight decay.
 *
 * @example
 * const reg = tf.add(tf.nn.l2Loss(W1), tf.nn.l2Loss(W2));
 */
export function l2Loss(t: TensorLike, opts?: NameOption | string): Tensor {
  return makeTensor('L2Loss', [t], {}, parseOptions(opts).name ?? 'L2Loss');
}
