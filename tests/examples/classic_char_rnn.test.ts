// char-rnn-tensorflow's model.py (examples/char_rnn_model.ts) and train.py's loop, reduced: TF1 variable
// names, and every batch's train_loss replayed in float64 from the weights before that batch's Adam update
// and the state carried from the previous batch (train.py feeds the final state back per tensor).
import * as tf from '../../src';
import { Model, trainCharRnn } from '../../examples/char_rnn_model';

const TEXT = 'hello world, hello tensors. ';

test('train.py loop: names, and each batch loss = float64 2-layer RNN from the carried state', () => {
  const args = {
    model: 'rnn' as const,
    rnnSize: 6,
    numLayers: 2,
    batchSize: 2,
    seqLength: 4,
    vocabSize: 0,
    gradClip: 5,
    outputKeepProb: 1,
    inputKeepProb: 1,
    numEpochs: 2,
    learningRate: 0.01,
    decayRate: 0.9,
  };
  const r = trainCharRnn(args, TEXT);
  try {
    const names = tf.globalVariables().map((v) => v.name);
    const cellVars = [0, 1].flatMap((i) =>
      ['kernel', 'bias'].map((k) => `rnnlm/multi_rnn_cell/cell_${i}/basic_rnn_cell/${k}`),
    );
    const trainable = ['rnnlm/softmax_w', 'rnnlm/softmax_b', 'embedding', ...cellVars];
    expect(names).toEqual([
      ...trainable.map((n) => `${n}:0`),
      'Variable:0', // self.lr
      'beta1_power:0',
      'beta2_power:0',
      ...trainable.flatMap((n) => [`${n}/Adam:0`, `${n}/Adam_1:0`]),
    ]);
    expect(tf.getCollection(tf.GraphKeys.SUMMARIES).map((t) => (t as tf.Tensor).name)).toEqual([
      'logits:0',
      'loss:0',
      'train_loss:0',
    ]);
    expect(r.model.cost.name).toBe('cost/truediv_1:0');
    expect(r.sess.run(r.model.lr).item()).toBeCloseTo(0.01 * 0.9, 7);

    const perEpoch = r.batches.length / args.numEpochs;
    let state: number[][][] = [];
    r.batches.forEach(({ x, y }, k) => {
      if (k % perEpoch === 0) state = [0, 1].map(() => x.map(() => new Array(6).fill(0) as number[]));
      const w = r.weightsBefore[k] as Record<string, Float32Array>;
      const emb = w['embedding:0'] as Float32Array;
      const vocab = emb.length / 6;
      expect(vocab).toBe(r.model.args.vocabSize);
      const sw = w['rnnlm/softmax_w:0'] as Float32Array;
      const sb = w['rnnlm/softmax_b:0'] as Float32Array;
      let loss = 0;
      for (let t = 0; t < args.seqLength; t++) {
        x.forEach((row, b) => {
          let inp = Array.from(emb.subarray((row[t] as number) * 6, ((row[t] as number) + 1) * 6));
          for (let l = 0; l < 2; l++) {
            const K = w[`rnnlm/multi_rnn_cell/cell_${l}/basic_rnn_cell/kernel:0`] as Float32Array;
            const bias = w[`rnnlm/multi_rnn_cell/cell_${l}/basic_rnn_cell/bias:0`] as Float32Array;
            const z = [...inp, ...(state[l]?.[b] as number[])];
            const h = Array.from(bias, (bj, j) =>
              Math.tanh(z.reduce((s, v, i) => s + v * (K[i * 6 + j] as number), bj)),
            );
            (state[l] as number[][])[b] = h;
            inp = h;
          }
          const logits = Array.from(sb, (bj, j) =>
            inp.reduce((s, v, i) => s + v * (sw[i * vocab + j] as number), bj),
          );
          const m = Math.max(...logits);
          const lse = m + Math.log(logits.reduce((s, v) => s + Math.exp(v - m), 0));
          loss += (lse - (logits[y[b]?.[t] as number] as number)) / (args.batchSize * args.seqLength);
        });
      }
      expect(r.losses[k]).toBeCloseTo(loss, 5);
    });
  } finally {
    r.sess.close();
  }
});

// model.py's sample() feeds the whole state structure at once: `feed = {self.input_data: x,
// self.initial_state: state}`. TF1 accepts a nested tuple of tensors as a feed key, fed leaf by leaf.
test('sample(): the nested initial_state is fed as one key (TF1 feed_dict nested keys)', () => {
  tf.resetDefaultGraph();
  const m = new Model(
    {
      model: 'lstm',
      rnnSize: 4,
      numLayers: 2,
      batchSize: 2,
      seqLength: 3,
      vocabSize: 3,
      gradClip: 5,
      outputKeepProb: 1,
      inputKeepProb: 1,
    },
    false,
  );
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  try {
    const out = m.sample(sess, ['a', 'b', ' '], { a: 0, b: 1, ' ': 2 }, 5, 'ab', 0);
    expect(out).toHaveLength(7);
  } finally {
    sess.close();
  }
});
