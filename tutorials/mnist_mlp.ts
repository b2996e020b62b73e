// Tutorial 6 — A multilayer perceptron on MNIST.
//
// Softmax regression (tutorial 5) is one linear layer: it can only weigh pixels. A hidden layer of
// ReLU units, relu(s) = max(0, s), first learns HIDDEN features of the image and the output layer weighs
// those:
//
//     h = relu(x·W1 + b1)          W1: [784, 256]
//     y = softmax(h·W2 + b2)       W2: [256, 10]
//
// The weights start small and random (truncated normal, stddev 0.1 — the TF1 tutorials' habit; all
// zeros would make every hidden unit identical forever) and the biases at 0.1 (so ReLUs start active).
// Training uses TF1's Adam optimizer (learning rate 1e-3) on mini-batches of 100, for 1500 steps
// (~19 passes over the 8,004 training images); the test accuracy passes 94 % after ~600 steps.
//
// Run it:  npm run tutorial -- mnist-mlp [--steps STEPS] [--backend cpu|gpu]
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
import { boardCommand, logdirFor, writeCurves } from './lib/events';
import { plotPath, smooth, writeSvgChart } from './lib/plot';
import { ProgressBar } from './lib/progress';

export interface MnistMlpResult extends TutorialResult {
  testAccuracy: number;
  trainAccuracy: number;
  finalLoss: number;
  steps: number;
}

const HIDDEN = 256;
const LEARNING_RATE = 1e-3;
const BATCH = 100;

export async function run(options: TutorialOptions = {}): Promise<MnistMlpResult> {
  const log = logger(options);
  const start = performance.now();
  const steps = stepsOption(options, 1500);
  const mnist = loadMnist();
  log(`MNIST: ${mnist.train.size} training and ${mnist.test.size} test images (fixed split)`);

  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    tf.setRandomSeed(6); // fixed initial weights
    const x = tf.placeholder('float32', [null, 784], 'x');
    const y_ = tf.placeholder('float32', [null, 10], 'y_');
    const weight = (shape: number[], name: string) =>
      new tf.Variable(tf.truncatedNormal(shape, { stddev: 0.1 }), { name });
    const bias = (n: number, name: string) => new tf.Variable(tf.constant(0.1, 'float32', [n]), { name });

    const hidden = tf.nameScope('hidden', () =>
      tf.nn.relu(tf.add(tf.matmul(x, weight([784, HIDDEN], 'W1')), bias(HIDDEN, 'b1'))),
    );
    const logits = tf.nameScope('output', () =>
      tf.add(tf.matmul(hidden, weight([HIDDEN, 10], 'W2')), bias(10, 'b2')),
    );
    const crossEntropy = tf.reduceMean(
      tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }),
      undefined,
      'cross_entropy',
    );
    const trainStep = new tf.train.AdamOptimizer(LEARNING_RATE).minimize(crossEntropy);
    return {
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
  const losses: [number, number][] = [];
  const testAcc: [number, number][] = [];
  const bar = new ProgressBar(steps, 'training', { enabled: showProgress(options) });
  const evalEvery = Math.max(1, Math.floor(steps / 10));
  for (let step = 1; step <= steps; step++) {
    const { xs, ys } = mnist.train.nextBatch(BATCH);
    const [loss] = await sess.runAsync([m.crossEntropy, m.trainStep], batchFeed(m.inputs, xs, ys));
    losses.push([step, loss.item() as number]);
    if (step % evalEvery === 0 || step === steps) {
      const acc = await accuracyOn(sess, m.correct, m.inputs, mnist.test);
      testAcc.push([step, acc]);
      log(
        `step ${String(step).padStart(5)} (epoch ${mnist.train.epochsCompleted}): loss ${(loss.item() as number).toFixed(4)}, test accuracy ${percent(acc)}`,
      );
    }
    bar.update(step, `loss ${(loss.item() as number).toFixed(3)}`);
  }
  const testAccuracy = (testAcc[testAcc.length - 1] as [number, number])[1];
  const trainAccuracy = await accuracyOn(sess, m.correct, m.inputs, mnist.train);
  sess.close();
  const recent = losses.slice(-100);
  const finalLoss = recent.reduce((s, [, l]) => s + l, 0) / recent.length;
  log(`\nTest accuracy: ${percent(testAccuracy)} (training set: ${percent(trainAccuracy)})`);

  const plot = plotPath(options.outDir, 'mnist-mlp');
  if (plot) {
    writeSvgChart(plot, {
      title: `MNIST MLP 784-${HIDDEN}-10 (ReLU, Adam ${LEARNING_RATE}, batch ${BATCH})`,
      panels: [
        {
          yLabel: 'cross-entropy (batch)',
          series: [
            { name: 'training loss', points: losses },
            { name: 'moving average', points: smooth(losses, 50) },
          ],
        },
        { yLabel: 'accuracy', series: [{ name: 'test accuracy', points: testAcc }] },
      ],
    });
  }
  const logdir = logdirFor(options.outDir, 'mnist-mlp');
  if (logdir) {
    writeCurves(logdir, graph, { loss: losses, test_accuracy: testAcc });
    log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  }
  return { testAccuracy, trainAccuracy, finalLoss, steps, plot, logdir, seconds: secondsSince(start) };
}
