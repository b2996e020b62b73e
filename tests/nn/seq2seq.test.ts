import * as tf from '../../src';
import { NDArray } from '../../src';
import { checkGradient, float64Session, randomArray } from '../helpers/gradcheck';

const B = 3;
const T = 4;
const C = 5;
const logitsV = randomArray([B, T, C], 701, -2, 2);
const targetsV = new NDArray(Int32Array.from([0, 4, 2, 1, 3, 3, 0, 2, 1, 4, 4, 0]), [B, T], 'int32');
// Column t=3 is all zero (div_no_nan gives 0 there); row 2 has fractional weights.
const weightsV = new NDArray(Float64Array.from([1, 1, 0, 0, 1, 1, 1, 0, 0.5, 2, 0, 0]), [B, T], 'float32');

/** Cross-entropy of each (b, t), computed here in float64. */
function crossEntropies(): number[][] {
  const L = logitsV.toArray() as number[][][];
  const Y = targetsV.toArray() as number[][];
  return L.map((row, b) =>
    row.map((z, t) => {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      return lse - z[Y[b]![t]!]!;
    }),
  );
}
const W = weightsV.toArray() as number[][];
const CE = crossEntropies();
const wce = CE.map((r, b) => r.map((v, t) => v * W[b]![t]!));
const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const byT = (f: (b: number, t: number) => number): number[] =>
  Array.from({ length: T }, (_v, t) => sum(Array.from({ length: B }, (_w, b) => f(b, t))));
const byB = (f: (b: number, t: number) => number): number[] =>
  Array.from({ length: B }, (_v, b) => sum(Array.from({ length: T }, (_w, t) => f(b, t))));
const nz = (b: number, t: number): number => (W[b]![t]! !== 0 ? 1 : 0);

const cases: [string, Record<string, boolean>, number | number[] | number[][]][] = [
  ['default: a scalar, Σ w·ce / Σ w', {}, div(sum(wce.flat()), sum(W.flat()))],
  [
    'averageAcrossTimesteps only: [batch]',
    { averageAcrossBatch: false },
    byB((b, t) => wce[b]![t]!).map((v, b) => div(v, sum(W[b]!))),
  ],
  [
    'averageAcrossBatch only: [time] (0 where the weights are 0)',
    { averageAcrossTimesteps: false },
    byT((b, t) => wce[b]![t]!).map((v, t) => div(v, byT((b, s) => (s === t ? W[b]![s]! : 0))[t]!)),
  ],
  ['no averaging: [batch, time] w·ce', { averageAcrossTimesteps: false, averageAcrossBatch: false }, wce],
  [
    'sumOverTimesteps and sumOverBatch: Σ w·ce / #nonzero weights',
    { averageAcrossTimesteps: false, averageAcrossBatch: false, sumOverTimesteps: true, sumOverBatch: true },
    div(sum(wce.flat()), sum(W.flat().map((w) => (w !== 0 ? 1 : 0)))),
  ],
  [
    'sumOverTimesteps only: [batch]',
    { averageAcrossTimesteps: false, averageAcrossBatch: false, sumOverTimesteps: true },
    byB((b, t) => wce[b]![t]!).map((v, b) => div(v, byB(nz)[b]!)),
  ],
  [
    'sumOverBatch only: [time]',
    { averageAcrossTimesteps: false, averageAcrossBatch: false, sumOverBatch: true },
    byT((b, t) => wce[b]![t]!).map((v, t) => div(v, byT(nz)[t]!)),
  ],
];

function expectValues(actual: NDArray, expected: number | number[] | number[][]): void {
  const e = [expected].flat(2) as number[];
  const a = Array.from(actual.data, Number);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThan(1e-12));
}

describe('tf.contrib.seq2seq.sequenceLoss', () => {
  test.each(cases)('%s', (_label, flags, expected) => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const logits = tf.placeholder('float32', [B, T, C], 'logits');
      const targets = tf.placeholder('int32', [B, T], 'targets');
      const weights = tf.placeholder('float32', [B, T], 'weights');
      const loss = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, flags);
      expect(loss.shape?.length).toBe(
        typeof expected === 'number' ? 0 : Array.isArray((expected as unknown[])[0]) ? 2 : 1,
      );
      const out = float64Session(g).run(loss, { logits: logitsV, targets: targetsV, weights: weightsV });
      expectValues(out, expected);
    });
  });

  test('positional TF1 form, unknown batch/time sizes, the op name scope', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const logits = tf.placeholder('float32', [null, null, C], 'logits');
      const targets = tf.placeholder('int32', [null, null], 'targets');
      const weights = tf.placeholder('float32', [null, null], 'weights');
      const loss = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, true, false);
      expect(loss.op.name).toMatch(/^sequence_loss\//);
      const named = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, { name: 'my_loss' });
      expect(named.op.name).toMatch(/^my_loss\//);
      const out = float64Session(g).run(loss, { logits: logitsV, targets: targetsV, weights: weightsV });
      expect(out.shape).toEqual([B]);
      expectValues(out, cases[1]![2]);
    });
  });

  test('softmaxLossFunction: called with { labels, logits }, or (labels, logits) when it takes two', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const logits = tf.constant(logitsV);
      const targets = tf.constant(targetsV);
      const weights = tf.constant(weightsV);
      const seen: number[][] = [];
      const byKeywords = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, {
        softmaxLossFunction: (a: { labels: tf.Tensor; logits: tf.Tensor }) => {
          seen.push([...(a.labels.shape as number[]), ...(a.logits.shape as number[])]);
          return tf.multiply(
            tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: a.labels, logits: a.logits }),
            2,
          );
        },
      });
      const positional = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, {
        softmaxLossFunction: (labels: tf.Tensor, lg: tf.Tensor) =>
          tf.multiply(tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits: lg }), 3),
      });
      const direct = tf.contrib.seq2seq.sequenceLoss(logits, targets, weights, {
        softmaxLossFunction: tf.nn.sparseSoftmaxCrossEntropyWithLogits,
      });
      expect(seen).toEqual([[B * T, B * T, C]]);
      const [a, b, c] = float64Session(g).run([byKeywords, positional, direct]);
      const base = cases[0]![2] as number;
      expect(Math.abs((a!.item() as number) - 2 * base)).toBeLessThan(1e-12);
      expect(Math.abs((b!.item() as number) - 3 * base)).toBeLessThan(1e-12);
      expect(Math.abs((c!.item() as number) - base)).toBeLessThan(1e-12);
    });
  });

  test('errors: ranks, averaging and summing the same axis', () => {
    new tf.Graph().asDefault(() => {
      const l = tf.zeros([2, 3, 4]);
      const y = tf.zeros([2, 3], 'int32');
      const w = tf.ones([2, 3]);
      expect(() => tf.contrib.seq2seq.sequenceLoss(tf.zeros([6, 4]), y, w)).toThrow(
        /Logits must be a \[batch_size x sequence_length x logits\] tensor/,
      );
      expect(() => tf.contrib.seq2seq.sequenceLoss(l, tf.zeros([6], 'int32'), w)).toThrow(/Targets must be/);
      expect(() => tf.contrib.seq2seq.sequenceLoss(l, y, tf.ones([6]))).toThrow(/Weights must be/);
      expect(() => tf.contrib.seq2seq.sequenceLoss(l, y, w, { sumOverTimesteps: true })).toThrow(
        /average_across_timesteps and sum_over_timesteps cannot be set to True at same time/,
      );
      expect(() => tf.contrib.seq2seq.sequenceLoss(l, y, w, { sumOverBatch: true })).toThrow(
        /average_across_batch and sum_over_batch cannot be set to True at same time/,
      );
      expect(() => tf.contrib.seq2seq.sequenceLoss(l, y, w, { averageAcrossTime: true } as never)).toThrow(
        TypeError,
      );
    });
  });

  test('gradient w.r.t. logits and weights matches central differences', () => {
    const build = (flags: Record<string, boolean>) => (logits: tf.Tensor, weights: tf.Tensor) =>
      tf.contrib.seq2seq.sequenceLoss(logits, tf.constant(targetsV), weights, flags);
    checkGradient(build({}), [logitsV, weightsV]);
    checkGradient(build({ averageAcrossBatch: false }), [logitsV, weightsV]);
    // Per-time averages: column t=3 has only zero weights, where div_no_nan is discontinuous in the
    // weights (as in TF1), so only the logits are perturbed; its loss and gradients are 0.
    checkGradient(build({ averageAcrossTimesteps: false }), [logitsV, weightsV], { wrt: [0] });
    checkGradient(
      build({ averageAcrossTimesteps: false, averageAcrossBatch: false, sumOverBatch: true }),
      [logitsV, weightsV],
      {
        wrt: [0],
      },
    );
  });
});
