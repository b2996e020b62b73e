// tf.contrib.legacy_seq2seq (TF1 contrib/legacy_seq2seq): rnn_decoder (with and without loop_function),
// sequence_loss_by_example and sequence_loss, against a plain float64 recurrence and cross-entropy.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

const X = [
  [
    [1, 0, 0.5],
    [0, 1, -1],
  ],
  [
    [0.2, 0.3, 0],
    [-1, 0, 1],
  ],
  [
    [0, 0, 1],
    [1, 1, 1],
  ],
];

/** h' = tanh([x, h]·K + b) for each row, float64. */
function rnnStep(x: number[], h: number[], K: number[][], b: number[]): number[] {
  const z = [...x, ...h];
  return b.map((bj, j) => Math.tanh(z.reduce((s, v, i) => s + v * (K[i]?.[j] as number), bj)));
}

test('rnnDecoder: one cell shared over the steps in scope rnnlm; outputs and state are the recurrence', () => {
  const cell = new tf.nn.rnnCell.BasicRNNCell(2);
  const inputs = X.map((x) => tf.constant(x));
  const [outputs, state] = tf.contrib.legacySeq2seq.rnnDecoder(inputs, cell.zeroState(2, tf.float32), cell, {
    scope: 'rnnlm',
  });
  expect(tf.globalVariables().map((v) => v.name)).toEqual([
    'rnnlm/basic_rnn_cell/kernel:0',
    'rnnlm/basic_rnn_cell/bias:0',
  ]);
  expect(outputs).toHaveLength(3);
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const K = sess.run(cell.variables[0] as tf.Variable).toArray() as number[][];
  const b = Array.from(sess.run(cell.variables[1] as tf.Variable).data);
  const vals = sess.run([...outputs, state as tf.Tensor]);
  let h = [
    [0, 0],
    [0, 0],
  ];
  X.forEach((x, t) => {
    h = h.map((hr, r) => rnnStep(x[r] as number[], hr, K, b));
    (vals[t]?.toArray() as number[][]).forEach((row, r) =>
      row.forEach((v, j) => expect(v).toBeCloseTo((h[r] as number[])[j] as number, 5)),
    );
  });
  expect(vals[3]?.toArray()).toEqual(vals[2]?.toArray());
  sess.close();
});

test('rnnDecoder with loop_function: inputs after the first come from the previous output', () => {
  const cell = new tf.nn.rnnCell.BasicRNNCell(3);
  const first = tf.constant([[1, 0, 0]]);
  // Greedy feedback: the previous output's argmax, one-hot (like char-rnn's sampling loop).
  const seen: number[] = [];
  const loop = (prev: tf.Tensor, i: number): tf.Tensor => {
    seen.push(i);
    return tf.oneHot(tf.argmax(prev, 1), 3);
  };
  const [outputs] = tf.contrib.legacySeq2seq.rnnDecoder(
    [first, first, first, first],
    cell.zeroState(1, tf.float32),
    cell,
    loop,
  );
  expect(seen).toEqual([1, 2, 3]);
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const K = sess.run(cell.variables[0] as tf.Variable).toArray() as number[][];
  const b = Array.from(sess.run(cell.variables[1] as tf.Variable).data);
  const vals = sess.run(outputs);
  let h = [0, 0, 0];
  let x = [1, 0, 0];
  for (let t = 0; t < 4; t++) {
    h = rnnStep(x, h, K, b);
    (vals[t]?.toArray() as number[][])[0]?.forEach((v, j) => expect(v).toBeCloseTo(h[j] as number, 5));
    const arg = h.indexOf(Math.max(...h));
    x = [0, 1, 2].map((k) => (k === arg ? 1 : 0));
  }
  sess.close();
});

test('sequenceLossByExample / sequenceLoss: weighted cross-entropy per example, averaged as TF1', () => {
  const logits = [
    [
      [1, 2, 0],
      [0, 0, 3],
    ],
    [
      [2, -1, 0.5],
      [1, 1, 1],
    ],
  ];
  const targets = [
    [1, 2],
    [0, 1],
  ];
  const weights = [
    [1, 0.5],
    [2, 0],
  ];
  const ce = (l: number[], t: number): number =>
    Math.log(l.reduce((s, v) => s + Math.exp(v), 0)) - (l[t] as number);
  // Per example r: Σ_t w[t][r]·CE(t, r), divided by Σ_t w[t][r] + 1e-12 when averaging across timesteps.
  const perExample = [0, 1].map((r) =>
    [0, 1].reduce(
      (s, t) => s + (weights[t]?.[r] as number) * ce(logits[t]?.[r] as number[], targets[t]?.[r] as number),
      0,
    ),
  );
  const totals = [0, 1].map((r) => (weights[0]?.[r] as number) + (weights[1]?.[r] as number) + 1e-12);
  const L = logits.map((l) => tf.constant(l));
  const T = targets.map((t) => tf.constant(t, tf.int32));
  const W = weights.map((w) => tf.constant(w));
  const byExample = tf.contrib.legacySeq2seq.sequenceLossByExample(L, T, W);
  const byExampleSum = tf.contrib.legacySeq2seq.sequenceLossByExample(L, T, W, false);
  const loss = tf.contrib.legacySeq2seq.sequenceLoss(L, T, W);
  const lossSum = tf.contrib.legacySeq2seq.sequenceLoss(L, T, W, { averageAcrossBatch: false });
  expect(byExample.name).toBe('sequence_loss_by_example/truediv:0');
  const sess = new tf.Session();
  const [a, b, c, d] = sess.run([byExample, byExampleSum, loss, lossSum]);
  Array.from(a?.data ?? []).forEach((v, r) =>
    expect(v).toBeCloseTo((perExample[r] as number) / (totals[r] as number), 5),
  );
  Array.from(b?.data ?? []).forEach((v, r) => expect(v).toBeCloseTo(perExample[r] as number, 5));
  const avg = perExample.map((p, r) => p / (totals[r] as number));
  expect(c?.item()).toBeCloseTo(((avg[0] as number) + (avg[1] as number)) / 2, 5);
  expect(d?.item()).toBeCloseTo((avg[0] as number) + (avg[1] as number), 5);
  sess.close();
  expect(() => tf.contrib.legacySeq2seq.sequenceLossByExample(L, T.slice(0, 1), W)).toThrow(
    'Lengths of logits, weights, and targets must be the same 2, 2, 1.',
  );
});
