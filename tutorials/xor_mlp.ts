// Tutorial 4 — XOR: why one layer is not enough, and backpropagation through two.
//
//     x1 x2 | XOR
//      0  0 |  0
//      0  1 |  1
//      1  0 |  1
//      1  1 |  0
//
// A single layer of sigmoid units, y = σ(x·W + b), draws ONE straight line through the input plane:
// no line puts (0,1) and (1,0) on one side and (0,0), (1,1) on the other, so at least one of the four
// points is always wrong. Gradient descent on it stalls: the best it can do under squared error is to
// hedge, pushing every output towards 0.5.
//
// A multilayer perceptron adds a hidden layer, h = σ(x·W1 + b1), y = σ(h·W2 + b2). The hidden units
// bend the input space so that the output unit CAN separate it. Its weights are trained by
// backpropagation: the chain rule applied from the loss back through each layer. In TensorFlow that is
// `tf.gradients` (what `optimizer.minimize` calls): it adds the backward pass to the graph as ops.
//
// Run it:  npm run tutorial -- xor-mlp [--steps STEPS]
import * as tf from '../src';
import {
  describeBackend,
  fmtVec,
  logger,
  openSession,
  secondsSince,
  showProgress,
  stepsOption,
  TutorialOptions,
  TutorialResult,
} from './lib/common';
import { boardCommand, logdirFor, writeRuns } from './lib/events';
import { plotPath, writeSvgChart } from './lib/plot';
import { ProgressBar } from './lib/progress';

export interface XorModelResult {
  /** The four outputs for (0,0), (0,1), (1,0), (1,1). */
  outputs: number[];
  /** How many of the four are on the right side of 0.5. */
  correct: number;
  /** Mean squared error at the end. */
  loss: number;
}

export interface XorResult extends TutorialResult {
  singleLayer: XorModelResult;
  mlp: XorModelResult;
  /** The same, flat (for the CLI summary). */
  singleLayerCorrect: number;
  singleLayerLoss: number;
  mlpCorrect: number;
  mlpLoss: number;
}

const INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const TARGETS = [[0], [1], [1], [0]];
const HIDDEN = 4;
const LEARNING_RATE = 2.0;

interface Model {
  y: tf.Tensor;
  loss: tf.Tensor;
  train: tf.Operation;
}

export async function run(options: TutorialOptions = {}): Promise<XorResult> {
  const log = logger(options);
  const start = performance.now();
  const steps = stepsOption(options, 3000);

  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    tf.setRandomSeed(2016); // fixed initial weights: every run learns the same way
    const x = tf.placeholder('float32', [null, 2], 'x');
    const target = tf.placeholder('float32', [null, 1], 'target');
    const squaredError = (y: tf.Tensor) =>
      tf.reduceMean(tf.square(tf.subtract(y, target)), undefined, 'loss');

    const single = tf.nameScope('single_layer', (): Model => {
      const W = new tf.Variable(tf.randomNormal([2, 1]), { name: 'W' });
      const b = new tf.Variable(tf.zeros([1]), { name: 'b' });
      const y = tf.sigmoid(tf.add(tf.matmul(x, W), b), 'y');
      const loss = squaredError(y);
      return {
        y,
        loss,
        train: new tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss, { varList: [W, b] }),
      };
    });

    const mlp = tf.nameScope('mlp', (): Model => {
      const W1 = new tf.Variable(tf.randomNormal([2, HIDDEN]), { name: 'W1' });
      const b1 = new tf.Variable(tf.zeros([HIDDEN]), { name: 'b1' });
      const W2 = new tf.Variable(tf.randomNormal([HIDDEN, 1]), { name: 'W2' });
      const b2 = new tf.Variable(tf.zeros([1]), { name: 'b2' });
      const h = tf.sigmoid(tf.add(tf.matmul(x, W1), b1), 'hidden');
      const y = tf.sigmoid(tf.add(tf.matmul(h, W2), b2), 'y');
      const loss = squaredError(y);
      // minimize = tf.gradients(loss, [W1, b1, W2, b2]) (backprop, as graph ops) + one update op per
      // variable: W ← W − learning_rate · ∂loss/∂W.
      return {
        y,
        loss,
        train: new tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss, {
          varList: [W1, b1, W2, b2],
        }),
      };
    });
    return { single, mlp, init: tf.globalVariablesInitializer() };
  });
  const sess = openSession(graph, options);
  log(describeBackend(sess));
  await sess.runAsync(m.init);
  const feed = { x: INPUTS, target: TARGETS };

  const curves: Record<string, [number, number][]> = {};
  const train = async (name: string, model: Model): Promise<XorModelResult> => {
    log(`\n== ${name} ==`);
    const curve: [number, number][] = [];
    curves[name] = curve;
    const bar = new ProgressBar(steps, name, { enabled: showProgress(options) });
    for (let step = 0; step <= steps; step++) {
      if (step % 10 === 0 || step === steps) {
        const loss = (await sess.runAsync(model.loss, feed)).item() as number;
        curve.push([step, loss]);
        bar.update(step, `loss ${loss.toFixed(4)}`);
        if (step % Math.max(1, Math.floor(steps / 5)) === 0) log(`step ${step}: loss ${loss.toFixed(4)}`);
      }
      if (step < steps) await sess.runAsync(model.train, feed);
    }
    const [y, loss] = await sess.runAsync([model.y, model.loss], feed);
    const outputs = Array.from(y.data);
    const correct = outputs.filter((v, i) => v > 0.5 === ((TARGETS[i] as number[])[0] === 1)).length;
    INPUTS.forEach((inp, i) =>
      log(
        `  XOR(${inp.join(', ')}) = ${(TARGETS[i] as number[])[0]}   output ${(outputs[i] as number).toFixed(3)}`,
      ),
    );
    log(`${correct} of 4 correct, loss ${(loss.item() as number).toFixed(4)}`);
    return { outputs, correct, loss: loss.item() as number };
  };

  const singleLayer = await train('single layer', m.single);
  log('→ a single layer stalls: no straight line separates XOR.');
  const mlp = await train('2-layer MLP', m.mlp);
  log(`→ with ${HIDDEN} hidden units and backprop, all four are right: outputs ${fmtVec(mlp.outputs)}`);
  sess.close();

  const plot = plotPath(options.outDir, 'xor-mlp');
  if (plot) {
    writeSvgChart(plot, {
      title: 'XOR: single layer vs 2-layer MLP (mean squared error)',
      panels: [
        { yLabel: 'loss', series: Object.entries(curves).map(([name, points]) => ({ name, points })) },
      ],
    });
  }
  const logdir = logdirFor(options.outDir, 'xor-mlp');
  if (logdir) {
    writeRuns(
      logdir,
      graph,
      Object.fromEntries(Object.entries(curves).map(([n, points]) => [n, { loss: points }])),
    );
    log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  }
  return {
    singleLayer,
    mlp,
    singleLayerCorrect: singleLayer.correct,
    singleLayerLoss: singleLayer.loss,
    mlpCorrect: mlp.correct,
    mlpLoss: mlp.loss,
    plot,
    logdir,
    seconds: secondsSince(start),
  };
}
