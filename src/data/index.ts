/**
 * `tf.data` (TF1 r1.15): input pipelines in the graph. `Dataset` sources and transformations, and the
 * iterators whose `getNext()` tensors feed the graph without a feed dict.
 *
 * @example
 * const ds = tf.data.Dataset.fromTensorSlices([xs, ys]).shuffle(100, 1).batch(10).repeat();
 * const [x, y] = tf.data.makeOneShotIterator(ds).getNext() as tf.Tensor[];
 */
import { declare, kinds, param } from '../graph/signature';
import { Dataset } from './dataset';
import { Iterator } from './iterator';

export { Dataset } from './dataset';
export { Iterator } from './iterator';
export type { Nested, Structure } from './structure';

const datasetParam = param(
  'dataset',
  kinds.custom<Dataset>(
    'a tf.data.Dataset',
    (v) => v instanceof Dataset,
    () => Dataset.range(3),
  ),
);

/**
 * TF1's `tf.data.make_one_shot_iterator(dataset)` (`tf.compat.v1.data`).
 *
 * @example
 * const next = tf.data.makeOneShotIterator(tf.data.Dataset.range(3)).getNext();
 */
export const makeOneShotIterator = declare('data.makeOneShotIterator', [datasetParam] as const, (a) =>
  a.dataset.makeOneShotIterator(),
);

/**
 * TF1's `tf.data.make_initializable_iterator(dataset, shared_name=None)`.
 *
 * @example
 * const it = tf.data.makeInitializableIterator(ds);
 * sess.run(it.initializer);
 */
export const makeInitializableIterator = declare(
  'data.makeInitializableIterator',
  [datasetParam, param('sharedName', kinds.nullable(kinds.string), { default: null })] as const,
  (a): Iterator => a.dataset.makeInitializableIterator(a.sharedName),
);

/** `tf.data.experimental`: `AUTOTUNE` (-1) for `numParallelCalls` and `prefetch`. */
export const experimental = Object.freeze({ AUTOTUNE: -1 as const });
