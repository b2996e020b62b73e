// Shared pieces of the MNIST tutorials: feeding a batch and measuring accuracy over a whole set.
import * as tf from '../../src';
import { CLASSES, DataSet, PIXELS } from './mnist_data';

/** The placeholders every MNIST model has: images x [?, 784] and one-hot labels y_ [?, 10]. */
export interface MnistInputs {
  x: tf.Tensor;
  y_: tf.Tensor;
}

/** A feed dict for a batch of n images (typed arrays wrapped as NDArrays: no copying). */
export function batchFeed(
  inputs: MnistInputs,
  xs: Float32Array,
  ys: Float32Array,
  extra: Record<string, tf.FeedValue> = {},
): Record<string, tf.FeedValue> {
  const n = xs.length / PIXELS;
  return {
    [inputs.x.name]: tf.ndarray(xs, [n, PIXELS]),
    [inputs.y_.name]: tf.ndarray(ys, [n, CLASSES]),
    ...extra,
  };
}

/** Builds the "number of correct predictions" op: argmax(logits) == argmax(y_), summed. */
export function correctCount(logits: tf.Tensor, y_: tf.Tensor): tf.Tensor {
  const correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1));
  return tf.reduceSum(tf.cast(correct, 'float32'), undefined, 'correct_count');
}

/** Accuracy of `count` (from `correctCount`) over all of `set`, evaluated in chunks to bound memory. */
export async function accuracyOn(
  sess: tf.Session,
  count: tf.Tensor,
  inputs: MnistInputs,
  set: DataSet,
  extra: Record<string, tf.FeedValue> = {},
  chunk = 500,
): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.size; start += chunk) {
    const { xs, ys } = set.slice(start, start + chunk);
    correct += (await sess.runAsync(count, batchFeed(inputs, xs, ys, extra))).item() as number;
  }
  return correct / set.size;
}
