// `tf.contrib.seq2seq`: the sequence loss of TF1's contrib/seq2seq/python/ops/loss.py.
import { InvalidArgumentError } from '../errors';
import { nameScope } from '../graph/graph';
import { declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { reshape } from '../ops/array/reshape';
import { slice } from '../ops/array/slice';
import { concat } from '../ops/array/concat';
import { shape as shapeOf } from '../ops/fill/shape';
import { cast, divide, equal, multiply, notEqual, where } from '../ops/math/builders';
import { zerosLike, onesLike } from '../ops/array/broadcast';
import { convertToTensor, graphOf } from '../ops/op_def';
import { reduceSum } from '../ops/reduce/sum';
import { sparseSoftmaxCrossEntropyWithLogits } from '../nn/losses';

/** TF1's `div_no_nan`: x / y, and 0 where y is 0 (with finite gradients there). */
function divNoNan(x: Tensor, y: Tensor): Tensor {
  const zero = equal(y, 0);
  const safe = where(zero, onesLike(y), y);
  return where(zero, zerosLike(x), divide(x, safe));
}

/** Number of non-zero weights (TF1's `count_nonzero`), as float32. */
function countNonzero(w: Tensor, axis?: number[]): Tensor {
  return reduceSum(cast(notEqual(w, 0), 'float32'), axis);
}

function rankOf(t: Tensor, what: string, rank: number, message: string): void {
  if (t.shape === null) {
    throw new InvalidArgumentError(
      `${what} has an unknown rank: as_list() is not defined on an unknown TensorShape.`,
    );
  }
  if (t.shape.length !== rank) throw new InvalidArgumentError(message);
}

type LossFn = (...args: never[]) => unknown;

/**
 * Weighted cross-entropy loss for a sequence of logits — TF1's `tf.contrib.seq2seq.sequence_loss(
 * logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
 * sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None)`.
 * `logits` [batch, time, classes], `targets` int32 [batch, time], `weights` [batch, time]. The weighted
 * cross-entropies are summed and divided by the summed weights over the averaged axes (both by
 * default: a scalar), or by the number of non-zero weights over the `sumOver…` axes; 0 where that
 * divisor is 0. `softmaxLossFunction` replaces the sparse softmax cross-entropy; it is called with
 * `{ labels, logits }` (TF1 calls it with keywords), or with `(labels, logits)` when it declares two
 * parameters.
 *
 * @example
 * const loss = tf.contrib.seq2seq.sequenceLoss(logits, targets, tf.ones([batch, T]));
 */
export const sequenceLoss = declare(
  'sequenceLoss',
  [
    param('logits', kinds.tensor),
    param('targets', kinds.tensor),
    param('weights', kinds.tensor),
    param('averageAcrossTimesteps', kinds.bool, { default: true }),
    param('averageAcrossBatch', kinds.bool, { default: true }),
    param('sumOverTimesteps', kinds.bool, { default: false }),
    param('sumOverBatch', kinds.bool, { default: false }),
    param('softmaxLossFunction', kinds.nullable(kinds.fn), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor => {
    const g = graphOf([a.logits, a.targets, a.weights] as TensorLike[]);
    const logits = convertToTensor(a.logits as TensorLike, 'float32', g);
    const targets = convertToTensor(a.targets as TensorLike, 'int32', g);
    const weights = convertToTensor(a.weights as TensorLike, logits.dtype, g);
    rankOf(logits, 'logits', 3, 'Logits must be a [batch_size x sequence_length x logits] tensor');
    rankOf(targets, 'targets', 2, 'Targets must be a [batch_size x sequence_length] tensor');
    rankOf(weights, 'weights', 2, 'Weights must be a [batch_size x sequence_length] tensor');
    if (a.averageAcrossTimesteps && a.sumOverTimesteps) {
      throw new InvalidArgumentError(
        'average_across_timesteps and sum_over_timesteps cannot be set to True at same time.',
      );
    }
    if (a.averageAcrossBatch && a.sumOverBatch) {
      throw new InvalidArgumentError(
        'average_across_batch and sum_over_batch cannot be set to True at same time.',
      );
    }
    return nameScope(a.name, 'sequence_loss', () => {
      const shape = logits.shape as (number | null)[];
      const numClasses: TensorLike =
        shape[2] !== null ? [-1, shape[2] as number] : concat([[-1], slice(shapeOf(logits), [2], [1])], 0);
      const logitsFlat = reshape(logits, numClasses);
      const targetsFlat = reshape(targets, [-1]);
      let crossent: Tensor;
      const fn = a.softmaxLossFunction as LossFn | null;
      if (fn === null) {
        crossent = sparseSoftmaxCrossEntropyWithLogits({ labels: targetsFlat, logits: logitsFlat });
      } else {
        const call = fn as unknown as (...args: unknown[]) => unknown;
        const r =
          fn.length >= 2 ? call(targetsFlat, logitsFlat) : call({ labels: targetsFlat, logits: logitsFlat });
        if (!(r instanceof Tensor)) throw new TypeError('softmaxLossFunction must return a Tensor');
        crossent = r;
      }
      crossent = multiply(crossent, reshape(weights, [-1]));
      if (a.averageAcrossTimesteps && a.averageAcrossBatch) {
        return divNoNan(reduceSum(crossent), reduceSum(weights));
      }
      if (a.sumOverTimesteps && a.sumOverBatch) {
        return divNoNan(reduceSum(crossent), countNonzero(weights));
      }
      const batchTime: TensorLike =
        shape[0] !== null && shape[1] !== null
          ? [shape[0] as number, shape[1] as number]
          : slice(shapeOf(logits), [0], [2]);
      crossent = reshape(crossent, batchTime);
      if (a.averageAcrossTimesteps || a.averageAcrossBatch) {
        const axis = a.averageAcrossBatch ? [0] : [1];
        return divNoNan(reduceSum(crossent, axis), reduceSum(weights, axis));
      }
      if (a.sumOverTimesteps || a.sumOverBatch) {
        const axis = a.sumOverBatch ? [0] : [1];
        return divNoNan(reduceSum(crossent, axis), countNonzero(weights, axis));
      }
      return crossent;
    });
  },
);
