// The classic TF1 character-level language model of char-rnn-tensorflow (sherjilozair/char-rnn-tensorflow,
// model.py), written line by line: a MultiRNNCell of rnn/gru/lstm cells (with DropoutWrapper when
// training), an embedding, tf.split + tf.squeeze into per-step inputs, legacy_seq2seq.rnn_decoder in scope
// 'rnnlm' (with a greedy loop_function when sampling), legacy_seq2seq.sequence_loss_by_example, gradients
// clipped by global norm and applied by Adam with a learning-rate variable, and summaries; sample() feeds
// the state structure back as {self.initial_state: state}.
//
// Run it:  npx ts-node --transpile-only examples/char_rnn_model.ts
import * as tf from '../src';

const { rnn, legacySeq2seq } = tf.contrib;

export interface CharRnnArgs {
  model: 'rnn' | 'gru' | 'lstm';
  rnnSize: number;
  numLayers: number;
  batchSize: number;
  seqLength: number;
  vocabSize: number;
  gradClip: number;
  outputKeepProb: number;
  inputKeepProb: number;
}

type State = tf.nn.rnnCell.RNNState;

export class Model {
  readonly args: CharRnnArgs;
  readonly cell: tf.nn.rnnCell.MultiRNNCell;
  readonly inputData: tf.Tensor;
  readonly targets: tf.Tensor;
  readonly initialState: State;
  readonly logits: tf.Tensor;
  readonly probs: tf.Tensor;
  readonly cost: tf.Tensor;
  readonly finalState: State;
  readonly lr: tf.Variable;
  readonly trainOp: tf.Operation;

  constructor(argsIn: CharRnnArgs, training = true) {
    const args = { ...argsIn };
    this.args = args;
    if (!training) {
      args.batchSize = 1;
      args.seqLength = 1;
    }

    let cellFn: new (units: number) => tf.nn.rnnCell.RNNCell;
    if (args.model === 'rnn') cellFn = rnn.BasicRNNCell;
    else if (args.model === 'gru') cellFn = rnn.GRUCell;
    else if (args.model === 'lstm') cellFn = rnn.BasicLSTMCell;
    else throw new Error(`model type not supported: ${String(args.model)}`);

    const cells: tf.nn.rnnCell.RNNCell[] = [];
    for (let i = 0; i < args.numLayers; i++) {
      let cell: tf.nn.rnnCell.RNNCell = new cellFn(args.rnnSize);
      if (training && (args.outputKeepProb < 1.0 || args.inputKeepProb < 1.0)) {
        cell = new rnn.DropoutWrapper(cell, {
          inputKeepProb: args.inputKeepProb,
          outputKeepProb: args.outputKeepProb,
        });
      }
      cells.push(cell);
    }

    const cell = new rnn.MultiRNNCell(cells, { stateIsTuple: true });
    this.cell = cell;

    this.inputData = tf.placeholder(tf.int32, [args.batchSize, args.seqLength]);
    this.targets = tf.placeholder(tf.int32, [args.batchSize, args.seqLength]);
    this.initialState = cell.zeroState(args.batchSize, tf.float32);

    const [softmaxW, softmaxB] = tf.variableScope('rnnlm', () => [
      tf.getVariable('softmax_w', [args.rnnSize, args.vocabSize]),
      tf.getVariable('softmax_b', [args.vocabSize]),
    ]);

    const embedding = tf.getVariable('embedding', [args.vocabSize, args.rnnSize]);
    let inputs = tf.nn.embeddingLookup(embedding, this.inputData);

    // dropout beta testing: double check which one should affect next line
    if (training && args.outputKeepProb) inputs = tf.nn.dropout(inputs, args.outputKeepProb);

    const split = tf.split(inputs, args.seqLength, 1);
    const stepInputs = split.map((input) => tf.squeeze(input, [1]));

    const loop = (prev: tf.Tensor): tf.Tensor => {
      prev = tf.add(tf.matmul(prev, softmaxW), softmaxB);
      const prevSymbol = tf.stopGradient(tf.argmax(prev, 1));
      return tf.nn.embeddingLookup(embedding, prevSymbol);
    };

    const [outputs, lastState] = legacySeq2seq.rnnDecoder(stepInputs, this.initialState, cell, {
      loopFunction: training ? null : loop,
      scope: 'rnnlm',
    });
    const output = tf.reshape(tf.concat(outputs, 1), [-1, args.rnnSize]);

    this.logits = tf.add(tf.matmul(output, softmaxW), softmaxB);
    this.probs = tf.nn.softmax(this.logits);
    const loss = legacySeq2seq.sequenceLossByExample(
      [this.logits],
      [tf.reshape(this.targets, [-1])],
      [tf.ones([args.batchSize * args.seqLength])],
    );
    this.cost = tf.divide(tf.divide(tf.reduceSum(loss), args.batchSize), args.seqLength);
    this.cost = tf.nameScope('cost', () =>
      tf.divide(tf.divide(tf.reduceSum(loss), args.batchSize), args.seqLength),
    );
    this.finalState = lastState;
    this.lr = new tf.Variable(0.0, { trainable: false });
    const tvars = tf.trainableVariables();
    const [grads] = tf.clipByGlobalNorm(tf.gradients(this.cost, tvars), args.gradClip);
    const optimizer = tf.nameScope('optimizer', () => new tf.train.AdamOptimizer(this.lr));
    this.trainOp = optimizer.applyGradients(
      grads.map((g, i) => [g, tvars[i] as tf.Variable] as [tf.Tensor, tf.Variable]),
    );

    // instrument tensorboard
    tf.summary.histogram('logits', this.logits);
    tf.summary.histogram('loss', loss);
    tf.summary.scalar('train_loss', this.cost);
  }

  /** Generates `num` characters after `prime` (sampling_type 0: argmax; 1: weighted pick with `random`). */
  sample(
    sess: tf.Session,
    chars: string[],
    vocab: Record<string, number>,
    num = 200,
    prime = 'The ',
    samplingType = 1,
    random: () => number = Math.random,
  ): string {
    let state = sess.run(this.cell.zeroState(1, tf.float32) as never) as unknown;
    for (const char of prime.slice(0, -1)) {
      const x = [[vocab[char] as number]];
      const feed = new Map<unknown, unknown>([
        [this.inputData, x],
        [this.initialState, state],
      ]);
      [state] = sess.run([this.finalState] as never, feed as never) as unknown as [unknown];
    }

    const weightedPick = (weights: ArrayLike<number>): number => {
      const t: number[] = [];
      let s = 0;
      for (let i = 0; i < weights.length; i++) t.push((s += weights[i] as number));
      const r = random() * s;
      const idx = t.findIndex((v) => v >= r);
      return idx === -1 ? t.length - 1 : idx;
    };

    let ret = prime;
    let char = prime[prime.length - 1] as string;
    for (let n = 0; n < num; n++) {
      const x = [[vocab[char] as number]];
      const feed = new Map<unknown, unknown>([
        [this.inputData, x],
        [this.initialState, state],
      ]);
      const [probs, nextState] = sess.run(
        [this.probs, this.finalState] as never,
        feed as never,
      ) as unknown as [tf.NDArray, unknown];
      state = nextState;
      const p = (probs.data as Float32Array).subarray(0, this.args.vocabSize);

      let sample: number;
      if (samplingType === 0) sample = p.indexOf(Math.max(...p));
      else if (samplingType === 2) sample = char === ' ' ? weightedPick(p) : p.indexOf(Math.max(...p));
      else sample = weightedPick(p); // sampling_type == 1 default

      const pred = chars[sample] as string;
      ret += pred;
      char = pred;
    }
    return ret;
  }
}

export interface CharRnnTrainResult {
  /** train_loss of every batch, in order. */
  losses: number[];
  /** Every trainable variable's value before each batch's update (for replays), by name. */
  weightsBefore: Record<string, Float32Array>[];
  batches: { x: number[][]; y: number[][] }[];
  model: Model;
  sess: tf.Session;
}

/**
 * train.py's loop for `numEpochs` over `text` (char-rnn's TextLoader: vocabulary sorted by frequency,
 * batches of [batch_size, seq_length] with targets shifted by one, wrapping the last target to the first
 * input): the learning rate assigned as learning_rate · decay_rate^e each epoch, and the state carried
 * from batch to batch through `feed[c] = state[i].c; feed[h] = state[i].h` (LSTM) or `feed[s] = state[i]`.
 * The session is left open (the caller closes it).
 */
export function trainCharRnn(
  args: CharRnnArgs & { numEpochs: number; learningRate: number; decayRate: number },
  text: string,
): CharRnnTrainResult {
  tf.resetDefaultGraph();
  // TextLoader.preprocess: characters by decreasing count (ties by first appearance here).
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const chars = [...counts.keys()].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number));
  const vocab = Object.fromEntries(chars.map((c, i) => [c, i])) as Record<string, number>;
  const tensor = Array.from(text, (c) => vocab[c] as number);
  const numBatches = Math.floor(tensor.length / (args.batchSize * args.seqLength));
  if (numBatches === 0) throw new Error('Not enough data. Make seq_length and batch_size small.');
  const xdata = tensor.slice(0, numBatches * args.batchSize * args.seqLength);
  const ydata = [...xdata.slice(1), xdata[0] as number];
  const rows = (d: number[]): number[][] =>
    Array.from({ length: args.batchSize }, (_, r) =>
      d.slice(r * numBatches * args.seqLength, (r + 1) * numBatches * args.seqLength),
    );
  const xRows = rows(xdata);
  const yRows = rows(ydata);
  const batches = Array.from({ length: numBatches }, (_, bIdx) => ({
    x: xRows.map((r) => r.slice(bIdx * args.seqLength, (bIdx + 1) * args.seqLength)),
    y: yRows.map((r) => r.slice(bIdx * args.seqLength, (bIdx + 1) * args.seqLength)),
  }));

  const model = new Model({ ...args, vocabSize: chars.length }, true);
  const summaries = tf.summary.mergeAll() as tf.Tensor;
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const losses: number[] = [];
  const weightsBefore: Record<string, Float32Array>[] = [];
  const used: { x: number[][]; y: number[][] }[] = [];
  for (let e = 0; e < args.numEpochs; e++) {
    sess.run(tf.assign(model.lr, args.learningRate * args.decayRate ** e));
    let state = sess.run(model.initialState as never) as unknown as unknown[];
    for (const { x, y } of batches) {
      const feed = new Map<tf.Tensor, unknown>([
        [model.inputData, x],
        [model.targets, y],
      ]);
      (model.initialState as unknown[]).forEach((s, i) => {
        if (s instanceof tf.nn.rnnCell.LSTMStateTuple) {
          const [c, h] = s as tf.nn.rnnCell.LSTMStateTuple;
          feed.set(c, (state[i] as { c: unknown }).c);
          feed.set(h, (state[i] as { h: unknown }).h);
        } else feed.set(s as tf.Tensor, state[i]);
      });
      weightsBefore.push(
        Object.fromEntries(
          tf.trainableVariables().map((v) => [v.name, (sess.run(v).data as Float32Array).slice()]),
        ),
      );
      // instrument for tensorboard
      const [, trainLoss, nextState] = sess.run(
        [summaries, model.cost, model.finalState, model.trainOp] as never,
        feed as never,
      ) as unknown as [unknown, tf.NDArray, unknown[]];
      state = nextState;
      losses.push(trainLoss.item() as number);
      used.push({ x, y });
    }
  }
  return { losses, weightsBefore, batches: used, model, sess };
}

if (require.main === module) {
  const text = 'the quick brown fox jumps over the lazy dog. '.repeat(20);
  const r = trainCharRnn(
    {
      model: 'lstm',
      rnnSize: 32,
      numLayers: 2,
      batchSize: 5,
      seqLength: 10,
      vocabSize: 0,
      gradClip: 5,
      outputKeepProb: 1,
      inputKeepProb: 1,
      numEpochs: 20,
      learningRate: 0.002,
      decayRate: 0.97,
    },
    text,
  );
  r.losses.forEach((l, i) => console.log(`${i}, train_loss = ${l.toFixed(3)}`));
  r.sess.close();
}
