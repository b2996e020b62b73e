// In-graph data parallelism as TF1 users wrote it (the multi-GPU CIFAR-10 trainer): one "tower" per
// device computes the gradients of its slice of the batch, `averageGradients` averages the towers'
// gradients, and the optimizer applies the average once. Shared by tutorials/mnist_towers.ts; the
// example examples/multi_tower_mnist.ts has its own copy, written as in TF1's program.
import * as tf from '../../src';

/**
 * Averages each shared variable's gradient across the towers (TF1's `average_gradients` from
 * cifar10_multi_gpu_train.py): for every variable, the towers' gradients get a leading 'tower' axis
 * (`tf.expandDims(g, 0)`), are concatenated along it and reduced with `tf.reduceMean(…, 0)`. The
 * variable of each pair is the first tower's (the towers share their variables). A variable whose
 * gradient is null in every tower keeps a null gradient; null in some towers only is an error (the
 * towers must be the same model).
 *
 * `towerGrads`: per tower, the `[gradient, variable]` pairs of `opt.computeGradients(towerLoss)`, in
 * the same variable order (computeGradients lists the trainable variables in creation order).
 *
 * @example
 * const towerGrads = [];
 * for (let i = 0; i < 2; i++)
 *   tf.device(`/cpu:${i}`, () => tf.nameScope(`tower_${i}`, () => towerGrads.push(opt.computeGradients(loss(i)))));
 * const trainOp = opt.applyGradients(averageGradients(towerGrads));
 */
export function averageGradients(towerGrads: tf.train.GradAndVar[][]): tf.train.GradAndVar[] {
  const first = towerGrads[0];
  if (!first) throw new Error('averageGradients: towerGrads is empty (no towers)');
  return first.map(([, v], k) => {
    const column = towerGrads.map((grads, t) => {
      const pair = grads[k];
      if (!pair || pair[1] !== v) {
        throw new Error(
          `averageGradients: tower ${t} has ${pair ? `variable ${pair[1].name}` : 'no pair'} at position ${k}, tower 0 has ${v.name}`,
        );
      }
      return pair[0];
    });
    if (column.every((g) => g === null)) return [null, v] as tf.train.GradAndVar;
    if (column.some((g) => g === null)) {
      throw new Error(`averageGradients: ${v.name} has a gradient in some towers only`);
    }
    // Add a leading 'tower' dimension to each gradient and average over it.
    const expanded = (column as tf.Tensor[]).map((g) => tf.expandDims(g, 0));
    const grad = tf.reduceMean(tf.concat(expanded, 0), 0);
    return [grad, v] as tf.train.GradAndVar;
  });
}

/**
 * Splits a batch (`xs` [n, xWidth], `ys` [n, yWidth] as flat typed arrays) into `towers` equal
 * contiguous slices (views, no copies). `n` must be divisible by the tower count.
 *
 * @example
 * const slices = splitBatch(xs, ys, 784, 10, 2); // [{ xs, ys, n: 50 }, { xs, ys, n: 50 }] for n = 100
 */
export function splitBatch(
  xs: Float32Array,
  ys: Float32Array,
  xWidth: number,
  yWidth: number,
  towers: number,
): { xs: Float32Array; ys: Float32Array; n: number }[] {
  const n = xs.length / xWidth;
  if (!Number.isInteger(towers) || towers < 1)
    throw new Error(`splitBatch: towers must be ≥ 1, got ${towers}`);
  if (!Number.isInteger(n) || ys.length !== n * yWidth) {
    throw new Error(
      `splitBatch: xs (${xs.length} values) and ys (${ys.length}) are not ${xWidth}/${yWidth} wide rows of one batch`,
    );
  }
  if (n % towers !== 0)
    throw new Error(`splitBatch: a batch of ${n} does not split into ${towers} equal towers`);
  const per = n / towers;
  return Array.from({ length: towers }, (_, t) => ({
    xs: xs.subarray(t * per * xWidth, (t + 1) * per * xWidth),
    ys: ys.subarray(t * per * yWidth, (t + 1) * per * yWidth),
    n: per,
  }));
}
