// Classic TF1 "Dynamic Recurrent Neural Network" (TensorFlow-Examples, tensorflow_v1/examples/
// 3_NeuralNetworks/dynamic_rnn.py), written line by line: a toy data generator of padded sequences of
// variable length (class 0: linear sequences, class 1: random ones); an LSTM over tf.unstack(x) with
// tf.contrib.rnn.static_rnn(..., sequence_length=seqlen); the last relevant output of each sequence picked
// with tf.gather(tf.reshape(outputs, [-1, n_hidden]), tf.range(0, batch_size) * seq_max_len + (seqlen-1));
// softmax_cross_entropy_with_logits, GradientDescentOptimizer(0.01).
// The original draws its data with Python's `random`; here a seeded generator plays that part.
//
// Run it:  npx ts-node --transpile-only examples/dynamic_rnn.ts [training_steps]
import * as tf from '../src';
import { mulberry32 } from '../tutorials/lib/rng';
import { applyOverrides, readVariables, WeightOverrides } from './lib/weight_overrides';

/** Python's `random.random()` and `random.randint(a, b)` (both ends included) over a seeded generator. */
class PyRandom {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  random(): number {
    return this.next();
  }
  randint(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
}

// ====================
//  TOY DATA GENERATOR
// ====================
/**
 * Generate sequence of data with dynamic length.
 * This class generate samples for training:
 * - Class 0: linear sequences (i.e. [0, 1, 2, 3,...])
 * - Class 1: random sequences (i.e. [1, 3, 10, 7,...])
 *
 * NOTICE:
 * We have to pad each sequence to reach 'max_seq_len' for TensorFlow
 * consistency (we cannot feed a numpy array with inconsistent
 * dimensions). The dynamic calculation will then be perform thanks to
 * 'seqlen' attribute that records every actual sequence length.
 */
export class ToySequenceData {
  data: number[][][] = [];
  labels: number[][] = [];
  seqlen: number[] = [];
  batchId = 0;

  constructor(nSamples = 1000, maxSeqLen = 20, minSeqLen = 3, maxValue = 1000, seed = 1) {
    const random = new PyRandom(seed);
    for (let i = 0; i < nSamples; i++) {
      // Random sequence length
      const len = random.randint(minSeqLen, maxSeqLen);
      // Monitor sequence length for TensorFlow dynamic calculation
      this.seqlen.push(len);
      // Add a random or linear int sequence (50% prob)
      let s: number[][];
      if (random.random() < 0.5) {
        // Generate a linear sequence
        const randStart = random.randint(0, maxValue - len);
        s = Array.from({ length: len }, (_, k) => [(randStart + k) / maxValue]);
        // Pad sequence for dimension consistency
        for (let k = 0; k < maxSeqLen - len; k++) s.push([0]);
        this.data.push(s);
        this.labels.push([1, 0]);
      } else {
        // Generate a random sequence
        s = Array.from({ length: len }, () => [random.randint(0, maxValue) / maxValue]);
        // Pad sequence for dimension consistency
        for (let k = 0; k < maxSeqLen - len; k++) s.push([0]);
        this.data.push(s);
        this.labels.push([0, 1]);
      }
    }
    this.batchId = 0;
  }

  /** Return a batch of data. When dataset end is reached, start over. */
  next(batchSize: number): [number[][][], number[][], number[]] {
    if (this.batchId === this.data.length) this.batchId = 0;
    const end = Math.min(this.batchId + batchSize, this.data.length);
    const batchData = this.data.slice(this.batchId, end);
    const batchLabels = this.labels.slice(this.batchId, end);
    const batchSeqlen = this.seqlen.slice(this.batchId, end);
    this.batchId = Math.min(this.batchId + batchSize, this.data.length);
    return [batchData, batchLabels, batchSeqlen];
  }
}

export interface DynamicRnnOptions {
  trainingSteps?: number;
  displayStep?: number;
  /** Seeds of the training and test sets' generators. */
  seeds?: [number, number];
  /** Values assigned (with tf.assign) to variables, by name, right after the initializer ran. */
  overrides?: WeightOverrides;
  log?: (line: string) => void;
}

export interface DynamicRnnResult {
  displayed: [number, number, number][];
  firstLoss: number;
  testAccuracy: number;
  variableNames: string[];
  finalValues: Record<string, Float32Array>;
  trainset: ToySequenceData;
  testset: ToySequenceData;
  /** The first training batch's gathered last relevant outputs [batch, n_hidden] and its feed. */
  firstGathered: tf.NDArray;
  firstBatch: [number[][][], number[][], number[]];
  /** The program's placeholders and tensors, for tests that fetch more (the graph stays the default). */
  graph: { x: tf.Tensor; y: tf.Tensor; seqlen: tf.Tensor; pred: tf.Tensor };
}

export function runDynamicRnn(options: DynamicRnnOptions = {}): DynamicRnnResult {
  tf.resetDefaultGraph();
  const print = options.log ?? (() => undefined);
  const [trainSeed, testSeed] = options.seeds ?? [1, 2];

  // ==========
  //   MODEL
  // ==========

  // Parameters
  const learningRate = 0.01;
  const trainingSteps = options.trainingSteps ?? 10000;
  const batchSize = 128;
  const displayStep = options.displayStep ?? 200;

  // Network Parameters
  const seqMaxLen = 20; // Sequence max length
  const nHidden = 64; // hidden layer num of features
  const nClasses = 2; // linear sequence or not

  const trainset = new ToySequenceData(1000, seqMaxLen, 3, 1000, trainSeed);
  const testset = new ToySequenceData(500, seqMaxLen, 3, 1000, testSeed);

  // tf Graph input
  const x = tf.placeholder('float', [null, seqMaxLen, 1]);
  const y = tf.placeholder('float', [null, nClasses]);
  // A placeholder for indicating each sequence length
  const seqlen = tf.placeholder(tf.int32, [null]);

  // Define weights
  const weights = {
    out: new tf.Variable(tf.randomNormal([nHidden, nClasses])),
  };
  const biases = {
    out: new tf.Variable(tf.randomNormal([nClasses])),
  };

  let gathered: tf.Tensor | undefined;
  function dynamicRNN(xIn: tf.Tensor, seqlenIn: tf.Tensor, w: typeof weights, b: typeof biases): tf.Tensor {
    // Prepare data shape to match `rnn` function requirements
    // Current data input shape: (batch_size, n_steps, n_input)
    // Required shape: 'n_steps' tensors list of shape (batch_size, n_input)

    // Unstack to get a list of 'n_steps' tensors of shape (batch_size, n_input)
    const xs = tf.unstack(xIn, seqMaxLen, 1);

    // Define a lstm cell with tensorflow
    const lstmCell = new tf.contrib.rnn.BasicLSTMCell(nHidden);

    // Get lstm cell output, providing 'sequence_length' will perform dynamic
    // calculation.
    const [outputList] = tf.contrib.rnn.staticRnn(lstmCell, xs, {
      dtype: tf.float32,
      sequenceLength: seqlenIn,
    });

    // When performing dynamic calculation, we must retrieve the last
    // dynamically computed output, i.e., if a sequence length is 10, we need
    // to retrieve the 10th output.
    // However TensorFlow doesn't support advanced indexing yet, so we build
    // a custom op that for each sample in batch size, get its length and
    // get the corresponding relevant output.

    // 'outputs' is a list of output at every timestep, we pack them in a Tensor
    // and change back dimension to [batch_size, n_step, n_input]
    let outputs = tf.stack(outputList);
    outputs = tf.transpose(outputs, [1, 0, 2]);

    // Hack to build the indexing and retrieve the right output.
    const batchSize = tf.shape(outputs).at(0);
    // Start indices for each sample
    const index = tf.add(tf.multiply(tf.range(0, batchSize), seqMaxLen), tf.subtract(seqlenIn, 1));
    // Indexing
    outputs = tf.gather(tf.reshape(outputs, [-1, nHidden]), index);
    gathered = outputs;

    // Linear activation, using outputs computed above
    return tf.add(tf.matmul(outputs, w.out), b.out);
  }

  const pred = dynamicRNN(x, seqlen, weights, biases);

  // Define loss and optimizer
  const cost = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: pred, labels: y }));
  const optimizer = new tf.train.GradientDescentOptimizer({ learningRate: learningRate }).minimize(cost);

  // Evaluate model
  const correctPred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1));
  const accuracy = tf.reduceMean(tf.cast(correctPred, tf.float32));

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const displayed: [number, number, number][] = [];
  let firstLoss = NaN;
  let testAccuracy = NaN;
  let finalValues: Record<string, Float32Array> = {};
  let firstGathered: tf.NDArray | undefined;
  let firstBatch: [number[][][], number[][], number[]] = [[], [], []];
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    applyOverrides(sess, options.overrides);

    for (let step = 1; step <= trainingSteps; step++) {
      const [batchX, batchY, batchSeqlen] = trainset.next(batchSize);
      const feed: [tf.Tensor, tf.NestedArray][] = [
        [x, batchX],
        [y, batchY],
        [seqlen, batchSeqlen],
      ];
      if (step === 1) {
        firstBatch = [batchX, batchY, batchSeqlen];
        const [l, g] = sess.run([cost, gathered as tf.Tensor], feed);
        firstLoss = l?.item() as number;
        firstGathered = g;
      }
      // Run optimization op (backprop)
      sess.run(optimizer, feed);
      if (step % displayStep === 0 || step === 1) {
        // Calculate batch accuracy & loss
        const [acc, loss] = sess.run([accuracy, cost], feed);
        const a = acc?.item() as number;
        const l = loss?.item() as number;
        displayed.push([step, l, a]);
        print(
          `Step ${step * batchSize}, Minibatch Loss= ${l.toFixed(6)}, Training Accuracy= ${a.toFixed(5)}`,
        );
      }
    }

    print('Optimization Finished!');

    // Calculate accuracy
    const testData = testset.data;
    const testLabel = testset.labels;
    const testSeqlen = testset.seqlen;
    testAccuracy = sess
      .run(accuracy, [
        [x, testData],
        [y, testLabel],
        [seqlen, testSeqlen],
      ])
      .item() as number;
    print(`Testing Accuracy: ${testAccuracy}`);
    finalValues = readVariables(sess);
  } finally {
    sess.close();
  }
  return {
    displayed,
    firstLoss,
    testAccuracy,
    variableNames: tf.globalVariables().map((v) => v.name),
    finalValues,
    trainset,
    testset,
    firstGathered: firstGathered as tf.NDArray,
    firstBatch,
    graph: { x, y, seqlen, pred },
  };
}

if (require.main === module) {
  runDynamicRnn({ trainingSteps: Number(process.argv[2] ?? 10000), log: console.log });
}
