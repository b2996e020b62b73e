// Tutorial 3 — One sigmoid unit and its gradient-descent rule.
//
// A sigmoid unit computes f = σ(W·X) with σ(s) = 1 / (1 + e^(−s)) (X carries a constant 1 as its last
// entry, so W's last weight is the bias). For one example with desired output d, the squared error is
//
//     ε = (d − f)²
//
// and by the chain rule, since σ'(s) = σ(s)(1 − σ(s)):
//
//     ∂ε/∂W = −2 (d − f) · f (1 − f) · X
//
// Stepping against the gradient, with the 2 folded into the learning rate c, gives the tutorial's rule:
//
//     W ← W + c (d − f) f (1 − f) X
//
// This script trains two copies of the unit side by side, from the same initial weights on the same
// sequence of examples:
//   * W_rule is updated by the rule above, written by hand as graph ops;
//   * W_grad is updated by W ← W − (c/2) ∂ε/∂W, with ∂ε/∂W computed by tf.gradients (the same
//     differentiation machinery the optimizers use).
// They should agree to float32 rounding at every step.
//
// Run it:  npm run tutorial -- sigmoid-unit [--steps UPDATES]
import * as tf from '../src';
import {
  describeBackend,
  fmtVec,
  logger,
  openSession,
  percent,
  secondsSince,
  showProgress,
  stepsOption,
  TutorialOptions,
  TutorialResult,
} from './lib/common';
import { boardCommand, logdirFor, writeRuns } from './lib/events';
import { plotPath, writeSvgChart } from './lib/plot';
import { ProgressBar } from './lib/progress';
import { mulberry32, randInt } from './lib/rng';
import { separableData } from './perceptron';

export interface SigmoidUnitResult extends TutorialResult {
  /** Largest |Δ_rule − Δ_grad| over all updates (the two updates' difference). */
  maxUpdateDifference: number;
  /** Largest |update| seen, for scale. */
  maxUpdate: number;
  /** |W_rule − W_grad| at the end. */
  finalWeightDifference: number;
  /** Mean (d − f)² over the data set, before and after training (hand rule). */
  initialLoss: number;
  finalLoss: number;
  /** Fraction of the data set with (f > 0.5) = d at the end. */
  accuracy: number;
}

const LEARNING_RATE = 1.0; // c

export async function run(options: TutorialOptions = {}): Promise<SigmoidUnitResult> {
  const log = logger(options);
  const start = performance.now();
  const steps = stepsOption(options, 2000);
  // The perceptron's 2-D data set, with desired outputs d = 1 for P and 0 for N.
  const data = separableData();
  const desired = data.inP.map((p) => (p ? 1 : 0));

  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    const X = tf.placeholder('float32', [3], 'X');
    const d = tf.placeholder('float32', [], 'd');
    const W0 = [0.3, -0.2, 0.1]; // the same starting point for both copies
    const Wrule = new tf.Variable(W0, { name: 'W_rule' });
    const Wgrad = new tf.Variable(W0, { name: 'W_grad' });

    // 1) The hand-derived rule: Δ = c (d − f) f (1 − f) X.
    const deltaRule = tf.nameScope('hand_rule', () => {
      const f = tf.sigmoid(tf.reduceSum(tf.multiply(Wrule, X)), 'f');
      const err = tf.subtract(d, f, 'd_minus_f');
      const slope = tf.multiply(f, tf.subtract(1, f), 'f_1_minus_f'); // σ'(s) = f(1 − f)
      return tf.multiply(tf.multiply(LEARNING_RATE, tf.multiply(err, slope)), X, 'delta');
    });
    const applyRule = Wrule.assignAdd(deltaRule, 'apply_rule');

    // 2) The same unit, differentiated by tf.gradients: Δ = −(c/2) ∂ε/∂W.
    const { deltaGrad, lossGrad } = tf.nameScope('autodiff', () => {
      const f = tf.sigmoid(tf.reduceSum(tf.multiply(Wgrad, X)), 'f');
      const loss = tf.square(tf.subtract(d, f), 'loss'); // ε = (d − f)²
      const [dLossdW] = tf.gradients(loss, [Wgrad]);
      if (!dLossdW) throw new Error('W_grad is not connected to the loss');
      return { deltaGrad: tf.multiply(-LEARNING_RATE / 2, dLossdW, 'delta'), lossGrad: loss };
    });
    const applyGrad = Wgrad.assignAdd(deltaGrad, 'apply_grad');

    // Over the whole data set: mean squared error and accuracy of each copy.
    const allX = tf.placeholder('float32', [null, 3], 'all_X');
    const allD = tf.placeholder('float32', [null], 'all_d');
    const evaluate = (W: tf.Tensor) => {
      const f = tf.sigmoid(tf.reshape(tf.matmul(allX, tf.reshape(W, [3, 1])), [-1]));
      const mse = tf.reduceMean(tf.square(tf.subtract(allD, f)));
      const correct = tf.equal(tf.greater(f, 0.5), tf.greater(allD, 0.5));
      return { mse, accuracy: tf.reduceMean(tf.cast(correct, 'float32')) };
    };
    return {
      X,
      d,
      Wrule,
      Wgrad,
      deltaRule,
      deltaGrad,
      applyRule,
      applyGrad,
      lossGrad,
      allX,
      allD,
      rule: evaluate(Wrule),
      grad: evaluate(Wgrad),
      init: tf.globalVariablesInitializer(),
    };
  });

  const sess = openSession(graph, options);
  log(describeBackend(sess));
  await sess.runAsync(m.init);
  const all = { [m.allX.name]: data.points, [m.allD.name]: desired };
  const evaluate = async () => {
    const r = await sess.runAsync({ rule: m.rule, grad: m.grad }, all);
    return {
      ruleLoss: r.rule.mse.item() as number,
      gradLoss: r.grad.mse.item() as number,
      accuracy: r.rule.accuracy.item() as number,
    };
  };

  const first = await evaluate();
  log(`before training: mean (d − f)² = ${first.ruleLoss.toFixed(4)}, accuracy ${percent(first.accuracy)}`);
  const lossRule: [number, number][] = [[0, first.ruleLoss]];
  const lossGrad: [number, number][] = [[0, first.gradLoss]];
  const accuracy: [number, number][] = [[0, first.accuracy]];
  const rand = mulberry32(3);
  let maxUpdateDifference = 0;
  let maxUpdate = 0;
  const bar = new ProgressBar(steps, 'training', { enabled: showProgress(options) });
  for (let step = 1; step <= steps; step++) {
    const i = randInt(rand, data.points.length); // online learning: one random example per update
    const feed = { X: data.points[i] as number[], d: desired[i] as number };
    // One run computes both updates from the current weights and applies both.
    const [dRule, dGrad] = await sess.runAsync([m.deltaRule, m.deltaGrad, m.applyRule, m.applyGrad], feed);
    for (let k = 0; k < 3; k++) {
      const a = dRule.data[k] as number;
      const b = dGrad.data[k] as number;
      maxUpdateDifference = Math.max(maxUpdateDifference, Math.abs(a - b));
      maxUpdate = Math.max(maxUpdate, Math.abs(a));
    }
    if (step <= 3) {
      log(`update ${step}: example ${i} (d = ${feed.d})`);
      log(`    hand rule     Δ = ${fmtVec(dRule.data, 6)}`);
      log(`    tf.gradients  Δ = ${fmtVec(dGrad.data, 6)}`);
    }
    if (step % 50 === 0 || step === steps) {
      const e = await evaluate();
      lossRule.push([step, e.ruleLoss]);
      lossGrad.push([step, e.gradLoss]);
      accuracy.push([step, e.accuracy]);
      bar.update(step, `loss ${e.ruleLoss.toFixed(4)}`);
      if (step % 500 === 0 || step === steps) {
        log(
          `step ${step}: mean (d − f)² = ${e.ruleLoss.toFixed(4)} (hand rule) / ${e.gradLoss.toFixed(4)} (tf.gradients), accuracy ${percent(e.accuracy)}`,
        );
      }
    }
  }
  const [Wr, Wg] = await sess.runAsync([m.Wrule, m.Wgrad]);
  sess.close();
  const finalWeightDifference = Math.max(
    ...Array.from(Wr.data, (v, k) => Math.abs(v - (Wg.data[k] as number))),
  );
  const last = accuracy[accuracy.length - 1] as [number, number];
  const finalLoss = (lossRule[lossRule.length - 1] as [number, number])[1];

  log(`\nW_rule = ${fmtVec(Wr.data, 5)}`);
  log(`W_grad = ${fmtVec(Wg.data, 5)}`);
  log(
    `largest difference between the two updates over ${steps} steps: ${maxUpdateDifference.toExponential(2)} (largest update ${maxUpdate.toFixed(3)})`,
  );
  log(`→ the hand-derived rule IS gradient descent on (d − f)²; accuracy ${percent(last[1])}`);

  const plot = plotPath(options.outDir, 'sigmoid-unit');
  if (plot) {
    writeSvgChart(plot, {
      title: 'Sigmoid unit: hand-derived rule vs tf.gradients',
      panels: [
        {
          yLabel: 'mean (d − f)²',
          xLabel: 'update',
          series: [
            { name: 'hand rule', points: lossRule },
            { name: 'tf.gradients', points: lossGrad },
          ],
        },
        {
          yLabel: 'accuracy',
          xLabel: 'update',
          yRange: [0, 1],
          series: [{ name: 'accuracy', points: accuracy }],
        },
      ],
    });
  }
  const logdir = logdirFor(options.outDir, 'sigmoid-unit');
  if (logdir) {
    writeRuns(logdir, graph, { hand_rule: { loss: lossRule }, tf_gradients: { loss: lossGrad, accuracy } });
    log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  }
  return {
    maxUpdateDifference,
    maxUpdate,
    finalWeightDifference,
    initialLoss: first.ruleLoss,
    finalLoss,
    accuracy: last[1],
    plot,
    logdir,
    seconds: secondsSince(start),
  };
}
