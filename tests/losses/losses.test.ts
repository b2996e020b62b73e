// tf.losses against TF1's formulas (losses_impl.py) computed here in float64: each loss, every
// Reduction with scalar / per-example / per-element weights, label smoothing, the LOSSES collection,
// getTotalLoss with regularization losses, call forms and errors.
import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

type M = number[][];
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
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const B = 4;
const C = 3;
const labelsV = randomArray([B, C], 31, 0, 1);
const predsV = randomArray([B, C], 32, 0.05, 0.95);
const L = labelsV.toArray() as M;
const P = predsV.toArray() as M;
const zip = (f: (l: number, p: number) => number): M => L.map((r, i) => r.map((l, j) => f(l, P[i]![j]!)));

/** TF1's reduction of elementwise losses `e` with weights broadcast to e's shape (`w`: full matrix). */
function reduce(e: M, w: M, reduction: string): number | number[] {
  const we = e.map((r, i) => r.map((v, j) => v * w[i]![j]!)).flat();
  const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  switch (reduction) {
    case 'none':
      return we;
    case 'weighted_sum':
      return sum(we);
    case 'weighted_mean':
      return div(sum(we), sum(w.flat()));
    case 'weighted_sum_over_batch_size':
      return div(sum(we), we.length);
    default:
      return div(sum(we), w.flat().filter((x) => x !== 0).length);
  }
}
const full = (f: (i: number, j: number) => number): M => L.map((r, i) => r.map((_v, j) => f(i, j)));

const elementwise: [string, (l: tf.Tensor, p: tf.Tensor, o: object) => tf.Tensor, M, string][] = [
  [
    'meanSquaredError',
    (l, p, o) => tf.losses.meanSquaredError(l, p, o),
    zip((l, p) => (p - l) ** 2),
    'mean_squared_error',
  ],
  [
    'absoluteDifference',
    (l, p, o) => tf.losses.absoluteDifference(l, p, o),
    zip((l, p) => Math.abs(p - l)),
    'absolute_difference',
  ],
  [
    'huberLoss delta 0.2',
    (l, p, o) => tf.losses.huberLoss(l, p, { ...o, delta: 0.2 }),
    zip((l, p) => {
      const e = Math.abs(p - l);
      return e <= 0.2 ? 0.5 * e * e : 0.5 * 0.04 + 0.2 * (e - 0.2);
    }),
    'huber_loss',
  ],
  [
    'logLoss',
    (l, p, o) => tf.losses.logLoss(l, p, o),
    zip((l, p) => -l * Math.log(p + 1e-7) - (1 - l) * Math.log(1 - p + 1e-7)),
    'log_loss',
  ],
  [
    'hingeLoss (logits = predictions·4 − 2)',
    (l, p, o) => tf.losses.hingeLoss(tf.round(l), tf.subtract(tf.multiply(p, 4), 2), o),
    zip((l, p) => Math.max(0, 1 - (2 * Math.round(l) - 1) * (4 * p - 2))),
    'hinge_loss',
  ],
  [
    'sigmoidCrossEntropy (logits = predictions·4 − 2)',
    (l, p, o) => tf.losses.sigmoidCrossEntropy(l, tf.subtract(tf.multiply(p, 4), 2), o),
    zip((l, p) => {
      const z = 4 * p - 2;
      return Math.max(z, 0) - z * l + Math.log(1 + Math.exp(-Math.abs(z)));
    }),
    'sigmoid_cross_entropy_loss',
  ],
];

const weightCases: [string, number | number[] | M, M][] = [
  ['default weights', 1, full(() => 1)],
  ['scalar weight 2.5', 2.5, full(() => 2.5)],
  ['per-example [B,1] weights with a zero', [[1], [0], [2], [0.5]], full((i) => [1, 0, 2, 0.5][i]!)],
  ['per-element [B,C] weights', full((i, j) => (i + j) % 3), full((i, j) => (i + j) % 3)],
  ['[1,C] weights', [[0, 1, 3]], full((_i, j) => [0, 1, 3][j]!)],
];
const reductions = Object.entries(tf.losses.Reduction);

describe('elementwise losses × weights × reductions', () => {
  for (const [lossName, build, e, scope] of elementwise) {
    describe(lossName, () => {
      test.each(weightCases)('%s', (_w, weights, wFull) =>
        inGraph((g) => {
          const l = tf.placeholder('float32', [B, C], 'l');
          const p = tf.placeholder('float32', [B, C], 'p');
          for (const [key, reduction] of reductions) {
            const loss = weights === 1 ? build(l, p, { reduction }) : build(l, p, { weights, reduction });
            expect(loss.op.name.startsWith(scope)).toBe(true);
            const expected = reduce(e, wFull, reduction);
            expect(loss.shape).toEqual(reduction === 'none' ? [B, C] : []);
            const out = float64Session(g).run(loss, { l: labelsV, p: predsV });
            try {
              expectClose(out, [expected].flat());
            } catch (err) {
              throw new Error(`${lossName} ${key}: ${String(err)}`);
            }
          }
          // every loss went into the LOSSES collection
          expect(tf.losses.getLosses().length).toBe(reductions.length);
        }),
      );
    });
  }
});

test('TF1 default is SUM_BY_NONZERO_WEIGHTS; the positional form (labels, predictions, weights, scope, collection, reduction)', () =>
  inGraph((g) => {
    expect(tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS).toBe('weighted_sum_by_nonzero_weights');
    expect(tf.losses.Reduction.SUM_OVER_NONZERO_WEIGHTS).toBe(tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS);
    const w = full((i) => (i === 1 ? 0 : 1));
    const a = tf.losses.meanSquaredError(labelsV, predsV, w);
    const b = tf.losses.meanSquaredError(labelsV, predsV, w, 'my_mse', null, tf.losses.Reduction.SUM);
    expect(b.op.name.startsWith('my_mse/')).toBe(true);
    expect(tf.losses.getLosses().map((t) => t.name)).toEqual([a.name]);
    const sess = float64Session(g);
    const e = zip((l, p) => (p - l) ** 2);
    expectClose(sess.run(a), [reduce(e, w, 'x') as number]);
    expectClose(sess.run(b), [reduce(e, w, 'weighted_sum') as number]);
  }));

describe('softmax cross entropy', () => {
  const logitsV = randomArray([B, C], 41, -2, 2);
  const Z = logitsV.toArray() as M;
  const onehot = [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const xent = (labels: M): number[] =>
    Z.map((z, i) => {
      const m = Math.max(...z);
      const lse = m + Math.log(sum(z.map((v) => Math.exp(v - m))));
      return sum(labels[i]!.map((y, j) => -y * (z[j]! - lse)));
    });

  test('softmaxCrossEntropy(onehotLabels, logits): mean over the batch; weights [B]; label smoothing', () =>
    inGraph((g) => {
      const logits = tf.placeholder('float32', [null, C], 'logits');
      const l0 = tf.losses.softmaxCrossEntropy(onehot, logits);
      const l1 = tf.losses.softmaxCrossEntropy(onehot, logits, [1, 0, 2, 3]);
      const l2 = tf.losses.softmaxCrossEntropy(onehot, logits, { labelSmoothing: 0.3 });
      const l3 = tf.losses.softmaxCrossEntropy(onehot, logits, { reduction: tf.losses.Reduction.NONE });
      expect(l0.op.name.startsWith('softmax_cross_entropy_loss/')).toBe(true);
      expect(l3.shape).toEqual([B]);
      const sess = float64Session(g);
      const feed = { logits: logitsV };
      const ce = xent(onehot);
      expectClose(sess.run(l0, feed), [sum(ce) / B]);
      expectClose(sess.run(l1, feed), [(ce[0]! + 2 * ce[2]! + 3 * ce[3]!) / 3]);
      const smoothed = onehot.map((r) => r.map((y) => y * 0.7 + 0.3 / C));
      expectClose(sess.run(l2, feed), [sum(xent(smoothed)) / B]);
      expectClose(sess.run(l3, feed), ce);
      // no gradient into the labels (TF1 stops it)
      const lab = tf.placeholder('float32', [B, C], 'lab');
      const [gl] = tf.gradients(tf.losses.softmaxCrossEntropy(lab, logits), [lab]);
      expect(gl).toBeNull();
      expect(() => tf.losses.softmaxCrossEntropy(onehot, logits, [[1], [1], [1], [1]])).toThrow(
        /weights can not be broadcast to values/,
      );
    }));

  test('sparseSoftmaxCrossEntropy: labels [B] or [B,1], weights [B] or [B,1]; gradient flows to logits', () =>
    inGraph((g) => {
      const logits = tf.placeholder('float32', [B, C], 'logits');
      const ids = [0, 2, 1, 2];
      const w = [0.5, 1, 0, 2];
      const a = tf.losses.sparseSoftmaxCrossEntropy(ids, logits);
      const b = tf.losses.sparseSoftmaxCrossEntropy(
        ids.map((i) => [i]),
        logits,
        w.map((x) => [x]),
      );
      const c = tf.losses.sparseSoftmaxCrossEntropy({
        labels: ids,
        logits,
        weights: w,
        reduction: 'weighted_mean',
      } as never);
      expect(a.op.name.startsWith('sparse_softmax_cross_entropy_loss/')).toBe(true);
      const sess = float64Session(g);
      const feed = { logits: logitsV };
      const ce = xent(onehot);
      expectClose(sess.run(a, feed), [sum(ce) / B]);
      const wsum = sum(ce.map((v, i) => v * w[i]!));
      expectClose(sess.run(b, feed), [wsum / 3]);
      expectClose(sess.run(c, feed), [wsum / sum(w)]);
      const [gz] = tf.gradients(a, [logits]);
      const grad = arr(sess.run(gz!, feed));
      Z.forEach((z, i) => {
        const m = Math.max(...z);
        const den = sum(z.map((v) => Math.exp(v - m)));
        z.forEach((v, j) =>
          expect(
            Math.abs(grad[i * C + j]! - (Math.exp(v - m) / den - (j === ids[i] ? 1 : 0)) / B),
          ).toBeLessThan(1e-9),
        );
      });
    }));
});

describe('collections and totals', () => {
  test('computeWeightedLoss, addLoss, lossCollection null, getLosses(scope), getTotalLoss with regularization', () =>
    inGraph((g) => {
      const w = tf.getVariable('w', [2], {
        initializer: tf.initializers.constant([3, 4]),
        regularizer: tf.contrib.layers.l2Regularizer(0.5),
      });
      const per = tf.constant([1, 2, 3, 4]);
      const a = tf.losses.computeWeightedLoss(per, [0, 1, 1, 0]);
      expect(a.op.name.startsWith('weighted_loss/')).toBe(true);
      const noColl = tf.losses.meanSquaredError([1, 2], [2, 2], { lossCollection: null });
      const inScope = tf.nameScope('tower', () => tf.losses.absoluteDifference([1, 2], [2, 4]));
      tf.losses.addLoss(tf.constant(10, 'float32', [], 'extra'));
      expect(tf.losses.getLosses().length).toBe(3);
      expect(tf.losses.getLosses('tower').map((t) => t.name)).toEqual([inScope.name]);
      expect(g.getCollection(tf.GraphKeys.LOSSES)).toEqual(tf.losses.getLosses());
      const total = tf.losses.getTotalLoss();
      const noReg = tf.losses.getTotalLoss(false, 'plain');
      expect(total.op.name).toBe('total_loss');
      expect(noReg.op.name).toBe('plain');
      const sess = float64Session(g);
      sess.run(w.initializer);
      expectClose(sess.run(a), [2.5]);
      expectClose(sess.run(noColl), [0.5]);
      expectClose(sess.run(inScope), [1.5]);
      expectClose(sess.run(tf.losses.getRegularizationLoss()), [0.5 * 12.5]);
      expectClose(sess.run(noReg), [2.5 + 1.5 + 10]);
      expectClose(sess.run(total), [2.5 + 1.5 + 10 + 6.25]);
    }));

  test('no losses: getRegularizationLoss is 0, getTotalLoss raises; unknown keys and bad reductions rejected', () =>
    inGraph((g) => {
      expectClose(float64Session(g).run(tf.losses.getRegularizationLoss()), [0]);
      expect(() => tf.losses.getTotalLoss()).toThrow(/no losses/);
      expect(() => tf.losses.meanSquaredError([1], [1], { reductions: 'none' } as never)).toThrow(
        /meanSquaredError\(\) got an unexpected keyword argument 'reductions'/,
      );
      expect(() => tf.losses.meanSquaredError([1], [1], { reduction: 'mean' } as never)).toThrow(TypeError);
      expect(() => tf.losses.meanSquaredError([1, 2], [1, 2, 3])).toThrow(/incompatible/);
      expect(() => tf.losses.meanSquaredError([[1, 2]], [[1, 2]], [1, 2, 3])).toThrow(/can not be broadcast/);
    }));
});
