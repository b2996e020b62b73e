// tf.layers.batchNormalization against TF1's formulas in float64: batch statistics in training, moving
// statistics after N update steps against the closed form, inference with the moving statistics,
// UPDATE_OPS, variable names and trainability, the fused (4-D) variance correction.
import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

const arr = (a: NDArray): number[] => Array.from(a.data, Number);
function expectClose(actual: NDArray, expected: number[], tol = 1e-9): void {
  const a = arr(actual);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(tol));
}
const inGraph = <T>(fn: (g: tf.Graph) => T): T => {
  const g = new tf.Graph();
  return g.asDefault(() => fn(g));
};

/** Per-channel (last axis) mean and biased variance of rows×C data. */
function stats(rows: number[][]): { mean: number[]; variance: number[]; n: number } {
  const C = rows[0]!.length;
  const n = rows.length;
  const mean = Array.from({ length: C }, (_v, c) => rows.reduce((s, r) => s + r[c]!, 0) / n);
  const variance = Array.from(
    { length: C },
    (_v, c) => rows.reduce((s, r) => s + (r[c]! - mean[c]!) ** 2, 0) / n,
  );
  return { mean, variance, n };
}
const normalize = (
  rows: number[][],
  mean: number[],
  variance: number[],
  gamma: number[],
  beta: number[],
  eps: number,
) =>
  rows.map((r) => r.map((v, c) => ((v - mean[c]!) / Math.sqrt(variance[c]! + eps)) * gamma[c]! + beta[c]!));

describe('tf.layers.batchNormalization', () => {
  test('variables, trainability, UPDATE_OPS only when training', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 3], 'x');
      tf.layers.batchNormalization(x);
      expect(g.getCollection(tf.GraphKeys.UPDATE_OPS)).toEqual([]);
      tf.layers.batchNormalization(x, { training: true });
      expect(tf.globalVariables().map((v) => v.name)).toEqual([
        'batch_normalization/gamma:0',
        'batch_normalization/beta:0',
        'batch_normalization/moving_mean:0',
        'batch_normalization/moving_variance:0',
        'batch_normalization_1/gamma:0',
        'batch_normalization_1/beta:0',
        'batch_normalization_1/moving_mean:0',
        'batch_normalization_1/moving_variance:0',
      ]);
      expect(tf.trainableVariables().map((v) => v.name)).toEqual([
        'batch_normalization/gamma:0',
        'batch_normalization/beta:0',
        'batch_normalization_1/gamma:0',
        'batch_normalization_1/beta:0',
      ]);
      expect(g.getCollection(tf.GraphKeys.UPDATE_OPS).length).toBe(2);
      tf.layers.batchNormalization(x, { center: false, scale: false, name: 'bn' });
      expect(
        tf
          .globalVariables()
          .slice(8)
          .map((v) => v.name),
      ).toEqual(['bn/moving_mean:0', 'bn/moving_variance:0']);
      expect(() => tf.layers.batchNormalization(x, { renorm: true } as never)).toThrow(/renorm/);
      expect(() => tf.layers.batchNormalization(x, { momentumm: 0.9 } as never)).toThrow(
        /unexpected keyword argument 'momentumm'/,
      );
    }));

  test('training: batch statistics normalize; N update steps give the closed-form moving statistics', () =>
    inGraph((g) => {
      const C = 3;
      const x = tf.placeholder('float32', [null, C], 'x');
      const momentum = 0.9;
      const y = tf.layers.batchNormalization(x, {
        momentum,
        epsilon: 1e-3,
        training: true,
        gammaInitializer: tf.initializers.constant([1, 2, 0.5]),
        betaInitializer: tf.initializers.constant([0, -1, 3]),
      });
      const updates = tf.getCollection(tf.GraphKeys.UPDATE_OPS) as tf.Tensor[];
      const out = tf.controlDependencies(updates, () => tf.identity(y));
      const [, , mm, mv] = tf.globalVariables();
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      let movingMean = [0, 0, 0];
      let movingVar = [1, 1, 1];
      for (let step = 0; step < 5; step++) {
        const xv = randomArray([6, C], 100 + step, -2, 3);
        const rows = xv.toArray() as number[][];
        const { mean, variance } = stats(rows);
        expectClose(
          sess.run(out, { x: xv }),
          normalize(rows, mean, variance, [1, 2, 0.5], [0, -1, 3], 1e-3).flat(),
        );
        movingMean = movingMean.map((m, c) => m * momentum + mean[c]! * (1 - momentum));
        movingVar = movingVar.map((m, c) => m * momentum + variance[c]! * (1 - momentum));
        expectClose(sess.run(mm!), movingMean);
        expectClose(sess.run(mv!), movingVar);
      }
      // Inference with the same variables (reuse): moving statistics normalize.
      const inf = tf.layers.batchNormalization(x, {
        name: 'batch_normalization',
        reuse: true,
        epsilon: 1e-3,
      });
      const xv = randomArray([4, C], 7);
      expectClose(
        sess.run(inf, { x: xv }),
        normalize(xv.toArray() as number[][], movingMean, movingVar, [1, 2, 0.5], [0, -1, 3], 1e-3).flat(),
      );
    }));

  test('training as a bool placeholder: true updates and uses batch stats, false leaves moving stats and uses them', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 2], 'x');
      const isTraining = tf.placeholder('bool', [], 'is_training');
      const y = tf.layers.batchNormalization(x, { training: isTraining, momentum: 0.5 });
      const updates = tf.getCollection(tf.GraphKeys.UPDATE_OPS) as tf.Tensor[];
      expect(updates.length).toBe(2);
      const [, , mm, mv] = tf.globalVariables();
      const step = tf.controlDependencies(updates, () => tf.identity(y));
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([5, 2], 42, 0, 4);
      const rows = xv.toArray() as number[][];
      const { mean, variance } = stats(rows);
      expectClose(
        sess.run(step, { x: xv, is_training: true }),
        normalize(rows, mean, variance, [1, 1], [0, 0], 1e-3).flat(),
      );
      const m1 = mean.map((m) => 0.5 * m);
      const v1 = variance.map((v) => 0.5 + 0.5 * v);
      expectClose(sess.run(mm!), m1);
      expectClose(sess.run(mv!), v1);
      expectClose(
        sess.run(step, { x: xv, is_training: false }),
        normalize(rows, m1, v1, [1, 1], [0, 0], 1e-3).flat(),
      );
      expectClose(sess.run(mm!), m1);
      expectClose(sess.run(mv!), v1);
    }));

  test.each([null, 2])(
    '4-D inputs (TF1 fused kernel), batch %s: moving variance takes the Bessel-corrected batch variance',
    (batch) =>
      inGraph((g) => {
        const x = tf.placeholder('float32', [batch, 2, 2, 3], 'x');
        const y = tf.layers.batchNormalization(x, { training: true, momentum: 0.8 });
        const updates = tf.getCollection(tf.GraphKeys.UPDATE_OPS) as tf.Tensor[];
        const step = tf.controlDependencies(updates, () => tf.identity(y));
        const [, , mm, mv] = tf.globalVariables();
        const sess = float64Session(g);
        sess.run(tf.globalVariablesInitializer());
        const xv = randomArray([2, 2, 2, 3], 5, -1, 2);
        const rows = (xv.toArray() as number[][][][]).flat(2);
        const { mean, variance, n } = stats(rows);
        expectClose(
          sess.run(step, { x: xv }),
          normalize(rows, mean, variance, [1, 1, 1], [0, 0, 0], 1e-3).flat(),
        );
        expectClose(
          sess.run(mm!),
          mean.map((m) => 0.2 * m),
        );
        expectClose(
          sess.run(mv!),
          variance.map((v) => 0.8 + (0.2 * v * n) / (n - 1)),
        );
      }),
  );

  test('axis=1 on [N, C, L] inputs and gradients flow to gamma and beta (training reduces a loss)', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 2, 3], 'x');
      const y = tf.layers.batchNormalization(x, 1, { training: true });
      expect(tf.globalVariables()[0]!.shape).toEqual([2]);
      const target = tf.constant(randomArray([4, 2, 3], 8));
      const loss = tf.losses.meanSquaredError(target, y);
      const train = tf.controlDependencies(tf.getCollection(tf.GraphKeys.UPDATE_OPS) as tf.Tensor[], () =>
        new tf.train.GradientDescentOptimizer(0.2).minimize(loss),
      );
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([4, 2, 3], 9);
      const X = xv.toArray() as number[][][];
      const rows = X.flatMap((b) => [0, 1, 2].map((l) => [b[0]![l]!, b[1]![l]!]));
      const { mean, variance } = stats(rows);
      const yv = arr(sess.run(y, { x: xv }));
      X.forEach((b, i) =>
        b.forEach((ch, c) =>
          ch.forEach((v, l) =>
            expect(
              Math.abs(yv[i * 6 + c * 3 + l]! - (v - mean[c]!) / Math.sqrt(variance[c]! + 1e-3)),
            ).toBeLessThan(1e-9),
          ),
        ),
      );
      const first = arr(sess.run(loss, { x: xv }))[0]!;
      for (let i = 0; i < 10; i++) sess.run(train, { x: xv });
      expect(arr(sess.run(loss, { x: xv }))[0]!).toBeLessThan(first);
    }));
});
