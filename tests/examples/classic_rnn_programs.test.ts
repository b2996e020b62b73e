// The classic TF1 recurrent programs of TensorFlow-Examples (recurrent_network.py, bidirectional_rnn.py,
// dynamic_rnn.py), transliterated in examples/, run with reduced step counts. Their weights are replaced
// after the initializer by known values (tf.assign, the program's code path unchanged), and every number
// checked here comes from an independent float64 LSTM written below, not from the library.
import { runBidirectionalRnn } from '../../examples/bidirectional_rnn';
import { runDynamicRnn, ToySequenceData } from '../../examples/dynamic_rnn';
import { runRecurrentNetwork } from '../../examples/recurrent_network';
import * as tf from '../../src';

/** Deterministic values in [-scale, scale) (a small LCG; independent of the library's RNG). */
function values(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * TF1's BasicLSTMCell (forget_bias 1.0) over a sequence of inputs, float64: gates [i, j, f, o] =
 * [x, h]·K + b; c = c·σ(f + 1) + σ(i)·tanh(j); h = tanh(c)·σ(o). Returns h after every step.
 */
function lstmSequence(
  xs: ArrayLike<number>[],
  kernel: Float32Array,
  bias: Float32Array,
  units: number,
  cells: Float64Array[] = [],
): Float64Array[] {
  const depth = (xs[0] as ArrayLike<number>).length;
  let c = new Float64Array(units);
  let h = new Float64Array(units);
  const hs: Float64Array[] = [];
  const z = new Float64Array(4 * units);
  for (const x of xs) {
    for (let k = 0; k < 4 * units; k++) z[k] = bias[k] as number;
    const row = (r: number, v: number): void => {
      if (v === 0) return;
      const base = r * 4 * units;
      for (let k = 0; k < 4 * units; k++) z[k] = (z[k] as number) + v * (kernel[base + k] as number);
    };
    for (let d = 0; d < depth; d++) row(d, x[d] as number);
    for (let u = 0; u < units; u++) row(depth + u, h[u] as number);
    const c2 = new Float64Array(units);
    const h2 = new Float64Array(units);
    for (let u = 0; u < units; u++) {
      const i = z[u] as number;
      const j = z[units + u] as number;
      const f = z[2 * units + u] as number;
      const o = z[3 * units + u] as number;
      c2[u] = (c[u] as number) * sigmoid(f + 1) + sigmoid(i) * Math.tanh(j);
      h2[u] = Math.tanh(c2[u] as number) * sigmoid(o);
    }
    c = c2;
    h = h2;
    hs.push(h);
    cells.push(c);
  }
  return hs;
}

/** Linear layer, mean softmax cross-entropy and the SGD update of the linear layer's W and b. */
function softmaxHead(
  feats: Float64Array[],
  labels: ArrayLike<number>[],
  W: Float32Array,
  b: Float32Array,
  lr: number,
): { loss: number; correct: number; W1: Float64Array; b1: Float64Array } {
  const classes = b.length;
  const depth = (feats[0] as Float64Array).length;
  const n = feats.length;
  const gW = new Float64Array(W.length);
  const gb = new Float64Array(classes);
  let loss = 0;
  let correct = 0;
  feats.forEach((f, r) => {
    const logits = Array.from({ length: classes }, (_, k) => {
      let s = b[k] as number;
      for (let d = 0; d < depth; d++) s += (f[d] as number) * (W[d * classes + k] as number);
      return s;
    });
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const sum = e.reduce((a, v) => a + v, 0);
    const y = labels[r] as ArrayLike<number>;
    const p = e.map((v) => v / sum);
    for (let k = 0; k < classes; k++) loss -= ((y[k] as number) * Math.log(p[k] as number)) / n;
    const arg = (a: ArrayLike<number>): number => Array.from(a).indexOf(Math.max(...Array.from(a)));
    if (arg(logits) === arg(y)) correct++;
    for (let k = 0; k < classes; k++) {
      const d = ((p[k] as number) - (y[k] as number)) / n;
      gb[k] = (gb[k] as number) + d;
      for (let q = 0; q < depth; q++)
        gW[q * classes + k] = (gW[q * classes + k] as number) + (f[q] as number) * d;
    }
  });
  const W1 = Float64Array.from(W, (w, i) => w - lr * (gW[i] as number));
  const b1 = Float64Array.from(b, (v, i) => v - lr * (gb[i] as number));
  return { loss, correct, W1, b1 };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  expect(worst).toBeLessThan(tol);
}

/** MNIST rows of image r of a [batch, 784] batch: 28 time steps of 28 pixels. */
function imageRows(xs: Float32Array, r: number): Float32Array[] {
  return Array.from({ length: 28 }, (_, t) => xs.subarray(r * 784 + t * 28, r * 784 + (t + 1) * 28));
}
function labelRows(ys: Float32Array, n: number): Float32Array[] {
  return Array.from({ length: n }, (_, r) => ys.subarray(r * 10, (r + 1) * 10));
}

describe('recurrent_network.py (BasicLSTMCell + static_rnn on MNIST rows)', () => {
  test('first loss, variable names and the first SGD update of the output layer match a float64 LSTM', () => {
    const kernel = values(156 * 512, 1, 0.1);
    const bias = values(512, 2, 0.1);
    const W = values(128 * 10, 3, 1);
    const b = values(10, 4, 1);
    const r = runRecurrentNetwork({
      trainingSteps: 1,
      overrides: {
        'rnn/basic_lstm_cell/kernel': kernel,
        'rnn/basic_lstm_cell/bias': bias,
        Variable: W,
        Variable_1: b,
      },
    });
    expect(r.variableNames).toEqual([
      'Variable:0',
      'Variable_1:0',
      'rnn/basic_lstm_cell/kernel:0',
      'rnn/basic_lstm_cell/bias:0',
    ]);
    const { xs, ys } = r.firstBatch;
    const last = Array.from({ length: 128 }, (_, i) => lstmSequence(imageRows(xs, i), kernel, bias, 128)[27]);
    const head = softmaxHead(last as Float64Array[], labelRows(ys, 128), W, b, 0.001);
    expect(r.firstLoss).toBeCloseTo(head.loss, 4);
    // One GradientDescentOptimizer(0.001) step: the output layer's update needs only the forward pass.
    expectClose(r.finalValues['Variable:0'] as Float32Array, head.W1, 2e-5);
    expectClose(r.finalValues['Variable_1:0'] as Float32Array, head.b1, 2e-5);
    // The LSTM weights moved too (the gradient reached the cell through all 28 steps).
    const k1 = r.finalValues['rnn/basic_lstm_cell/kernel:0'] as Float32Array;
    expect(k1.some((v, i) => v !== kernel[i])).toBe(true);
    expect(r.displayed[0]?.[0]).toBe(1);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
  });
});

describe('bidirectional_rnn.py (static_bidirectional_rnn)', () => {
  test('first loss and the output layer update match float64 forward and reversed LSTMs', () => {
    const kFw = values(156 * 512, 11, 0.1);
    const bFw = values(512, 12, 0.1);
    const kBw = values(156 * 512, 13, 0.1);
    const bBw = values(512, 14, 0.1);
    const W = values(256 * 10, 15, 1);
    const b = values(10, 16, 1);
    const r = runBidirectionalRnn({
      trainingSteps: 1,
      overrides: {
        'bidirectional_rnn/fw/basic_lstm_cell/kernel': kFw,
        'bidirectional_rnn/fw/basic_lstm_cell/bias': bFw,
        'bidirectional_rnn/bw/basic_lstm_cell/kernel': kBw,
        'bidirectional_rnn/bw/basic_lstm_cell/bias': bBw,
        Variable: W,
        Variable_1: b,
      },
    });
    expect(r.variableNames).toEqual([
      'Variable:0',
      'Variable_1:0',
      'bidirectional_rnn/fw/basic_lstm_cell/kernel:0',
      'bidirectional_rnn/fw/basic_lstm_cell/bias:0',
      'bidirectional_rnn/bw/basic_lstm_cell/kernel:0',
      'bidirectional_rnn/bw/basic_lstm_cell/bias:0',
    ]);
    const { xs, ys } = r.firstBatch;
    const feats = Array.from({ length: 128 }, (_, i) => {
      const rows = imageRows(xs, i);
      const fw = lstmSequence(rows, kFw, bFw, 128)[27] as Float64Array;
      // outputs[-1]'s backward half: the backward cell's output at the last position, i.e. after it
      // has read only the last row (the backward pass runs over the reversed sequence).
      const bw = lstmSequence([...rows].reverse(), kBw, bBw, 128)[0] as Float64Array;
      return Float64Array.from([...fw, ...bw]);
    });
    const head = softmaxHead(feats, labelRows(ys, 128), W, b, 0.001);
    expect(r.firstLoss).toBeCloseTo(head.loss, 4);
    expectClose(r.finalValues['Variable:0'] as Float32Array, head.W1, 2e-5);
    expectClose(r.finalValues['Variable_1:0'] as Float32Array, head.b1, 2e-5);
  });
});

describe('dynamic_rnn.py (static_rnn with sequence_length, tf.gather of the last relevant output)', () => {
  test('the toy generator keeps the original layout', () => {
    const d = new ToySequenceData(300, 20, 3, 1000, 7);
    expect(d.data).toHaveLength(300);
    d.data.forEach((s, i) => {
      const len = d.seqlen[i] as number;
      expect(len).toBeGreaterThanOrEqual(3);
      expect(len).toBeLessThanOrEqual(20);
      expect(s).toHaveLength(20);
      expect(s.slice(len).every((v) => v.length === 1 && v[0] === 0)).toBe(true);
      if ((d.labels[i] as number[])[0] === 1) {
        // A linear sequence: consecutive values k/1000.
        for (let t = 1; t < len; t++) {
          expect(Math.round(((s[t] as number[])[0] as number) * 1000)).toBe(
            Math.round(((s[t - 1] as number[])[0] as number) * 1000) + 1,
          );
        }
      }
    });
    // next(): 128-row batches, a short one at the end of the set, then from the start again.
    const sizes = Array.from({ length: 4 }, () => d.next(128)[0].length);
    expect(sizes).toEqual([128, 128, 44, 128]);
  });

  test('gathered outputs equal a separate unroll stopped at sequence_length - 1; loss and update match', () => {
    const kernel = values(65 * 256, 21, 0.3);
    const bias = values(256, 22, 0.1);
    const W = values(64 * 2, 23, 1);
    const b = values(2, 24, 1);
    const r = runDynamicRnn({
      trainingSteps: 1,
      overrides: {
        'rnn/basic_lstm_cell/kernel': kernel,
        'rnn/basic_lstm_cell/bias': bias,
        Variable: W,
        Variable_1: b,
      },
    });
    expect(r.variableNames).toEqual([
      'Variable:0',
      'Variable_1:0',
      'rnn/basic_lstm_cell/kernel:0',
      'rnn/basic_lstm_cell/bias:0',
    ]);
    const [bx, by, bl] = r.firstBatch;
    expect(r.firstGathered.shape).toEqual([128, 64]);
    const g = r.firstGathered.data;
    // Each sequence unrolled on its own for exactly seqlen steps (no padding, no masking).
    const lastRelevant = bx.map((seq, i) => {
      const len = bl[i] as number;
      const hs = lstmSequence(seq.slice(0, len), kernel, bias, 64);
      return hs[len - 1] as Float64Array;
    });
    lastRelevant.forEach((h, i) => expectClose(g.subarray(i * 64, (i + 1) * 64), h, 2e-5));
    // Had the program taken the padded steps into account the answer would differ.
    const padded = bx.map((seq) => lstmSequence(seq, kernel, bias, 64)[19] as Float64Array);
    const differs = padded.some(
      (h, i) => bl[i] !== 20 && Math.abs((h[0] as number) - (g[i * 64] as number)) > 1e-3,
    );
    expect(differs).toBe(true);
    const head = softmaxHead(lastRelevant, by, W, b, 0.01);
    expect(r.firstLoss).toBeCloseTo(head.loss, 4);
    expectClose(r.finalValues['Variable:0'] as Float32Array, head.W1, 2e-5);
    expectClose(r.finalValues['Variable_1:0'] as Float32Array, head.b1, 2e-5);
  });

  test('the 104-row tail batch runs through tf.shape(outputs)[0] (batch size known only at run time)', () => {
    const r = runDynamicRnn({ trainingSteps: 8, displayStep: 8 });
    const [step, loss, acc] = r.displayed[1] as [number, number, number];
    expect(step).toBe(8);
    expect(Number.isFinite(loss)).toBe(true);
    // An accuracy over 104 rows is k/104.
    expect(Math.abs(acc * 104 - Math.round(acc * 104))).toBeLessThan(1e-4);
    expect(r.testAccuracy * 500 - Math.round(r.testAccuracy * 500)).toBeCloseTo(0, 3);
  });

  test('the same model with tf.nn.dynamic_rnn(sequence_length=...): last relevant output, zeros past the end, final state', () => {
    // The widely copied dynamic variant: outputs [batch, time, hidden] from tf.nn.dynamic_rnn, then
    // last_relevant(output, length) = tf.gather(tf.reshape(output, [-1, out_size]),
    //   tf.range(0, batch_size) * max_length + (length - 1)).
    tf.resetDefaultGraph();
    const data = new ToySequenceData(64, 20, 3, 1000, 5);
    const kernel = values(65 * 256, 51, 0.3);
    const bias = values(256, 52, 0.1);
    const x = tf.placeholder('float', [null, 20, 1]);
    const seqlen = tf.placeholder(tf.int32, [null]);
    const cell = new tf.nn.rnnCell.BasicLSTMCell(64);
    const [output, state] = tf.nn.dynamicRnn(cell, x, { dtype: tf.float32, sequenceLength: seqlen });
    const batchSize = tf.shape(output).at(0);
    const maxLength = tf.shape(output).at(1);
    const outSize = output.shape?.[2] as number;
    const index = tf.add(tf.multiply(tf.range(0, batchSize), maxLength), tf.subtract(seqlen, 1));
    const relevant = tf.gather(tf.reshape(output, [-1, outSize]), index);
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    const [k, b] = cell.variables as [tf.Variable, tf.Variable];
    sess.run(tf.assign(k, tf.constant(kernel, tf.float32, [65, 256])));
    sess.run(tf.assign(b, tf.constant(bias, tf.float32, [256])));
    const st = state as tf.nn.rnnCell.LSTMStateTuple;
    const [rel, out, c, h] = sess.run(
      [relevant, output, st.c, st.h],
      [
        [x, data.data],
        [seqlen, data.seqlen],
      ],
    );
    sess.close();
    expect(out?.shape).toEqual([64, 20, 64]);
    data.data.forEach((seq, i) => {
      const len = data.seqlen[i] as number;
      const cs: Float64Array[] = [];
      const hs = lstmSequence(seq.slice(0, len), kernel, bias, 64, cs);
      expectClose(
        (rel?.data as Float32Array).subarray(i * 64, (i + 1) * 64),
        hs[len - 1] as Float64Array,
        2e-5,
      );
      expectClose(
        (h?.data as Float32Array).subarray(i * 64, (i + 1) * 64),
        hs[len - 1] as Float64Array,
        2e-5,
      );
      expectClose(
        (c?.data as Float32Array).subarray(i * 64, (i + 1) * 64),
        cs[len - 1] as Float64Array,
        2e-5,
      );
      // Past its length a sequence's outputs are zeros.
      const past = (out?.data as Float32Array).subarray(i * 20 * 64 + len * 64, (i + 1) * 20 * 64);
      expect(past.every((v) => v === 0)).toBe(true);
    });
  });
});
