// Tutorial 2 — The perceptron learning rule.
//
// A perceptron classifies a point x by the sign of w·x. With P the positive and N the negative
// examples, the tutorial's learning rule is:
//
//     initialize w randomly
//     repeat until every point is classified correctly:
//         pick a random x from P ∪ N
//         if x ∈ P and w·x < 0:  w ← w + x
//         if x ∈ N and w·x ≥ 0:  w ← w − x
//
// If P and N are linearly separable, this stops after finitely many updates (the perceptron
// convergence theorem). The rule has no bias term, so each 2-D point (x1, x2) is given a constant third
// coordinate 1: a separating line w1·x1 + w2·x2 + w3 = 0 need not pass through the origin.
//
// Here the rule itself is a graph op: one `sess.run` feeds one point and applies the update.
//
// Run it:  npm run tutorial -- perceptron [--steps MAX_ITERATIONS]
import * as tf from '../src';
import {
  describeBackend,
  fmtVec,
  logger,
  openSession,
  secondsSince,
  stepsOption,
  TutorialOptions,
  TutorialResult,
} from './lib/common';
import { boardCommand, logdirFor, writeCurves } from './lib/events';
import { writeSvgChart, plotPath } from './lib/plot';
import { mulberry32, randInt } from './lib/rng';

export interface PerceptronResult extends TutorialResult {
  converged: boolean;
  /** Points drawn (loop iterations) until every point was classified, or the limit. */
  iterations: number;
  /** How many of those iterations changed w. */
  updates: number;
  /** Misclassified points at the end (0 when converged). */
  misclassified: number;
  /** The final weights [w1, w2, w3]. */
  w: number[];
}

/** A linearly separable set: 100 points in [-1, 1]², labelled by a hidden line, with a margin. */
export function separableData(seed = 7, count = 100): { points: number[][]; inP: boolean[] } {
  const rand = mulberry32(seed);
  const points: number[][] = [];
  const inP: boolean[] = [];
  // The hidden separator 0.6·x1 − 0.8·x2 + 0.2 = 0 (a unit normal, so |score| is the distance).
  while (points.length < count) {
    const x1 = rand() * 2 - 1;
    const x2 = rand() * 2 - 1;
    const score = 0.6 * x1 - 0.8 * x2 + 0.2;
    if (Math.abs(score) < 0.05) continue; // keep a margin around the line
    points.push([x1, x2, 1]); // the constant 1 plays the role of a bias input
    inP.push(score > 0);
  }
  return { points, inP };
}

export async function run(options: TutorialOptions = {}): Promise<PerceptronResult> {
  const log = logger(options);
  const start = performance.now();
  const maxIterations = stepsOption(options, 1000);
  const data = separableData();
  log(
    `${data.points.length} points, ${data.inP.filter(Boolean).length} in P and ${data.inP.filter((p) => !p).length} in N`,
  );

  // ---- Construction: the learning rule as graph ops ----
  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    // One example per run: x (with its constant 1) and whether it belongs to P.
    const x = tf.placeholder('float32', [3], 'x');
    const inP = tf.placeholder('bool', [], 'in_P');
    // Random initial weights, from a fixed seed so every run is the same.
    const w = new tf.Variable(tf.randomNormal([3], { seed: 1 }), { name: 'w' });

    const wx = tf.reduceSum(tf.multiply(w, x), undefined, 'w_dot_x');
    const missedP = tf.logicalAnd(inP, tf.less(wx, 0), 'missed_P'); // x ∈ P but w·x < 0
    const missedN = tf.logicalAnd(tf.logicalNot(inP), tf.greaterEqual(wx, 0), 'missed_N'); // x ∈ N but w·x ≥ 0
    // +1 → w + x, −1 → w − x, 0 → no change.
    const sign = tf.subtract(tf.cast(missedP, 'float32'), tf.cast(missedN, 'float32'), 'sign');
    const update = w.assignAdd(tf.multiply(sign, x), 'update');

    // How many points of the whole set are misclassified (to know when to stop).
    const allX = tf.placeholder('float32', [null, 3], 'all_x');
    const allInP = tf.placeholder('bool', [null], 'all_in_P');
    const scores = tf.reshape(tf.matmul(allX, tf.reshape(w, [3, 1])), [-1]);
    const saysP = tf.greaterEqual(scores, 0);
    const errors = tf.reduceSum(tf.cast(tf.notEqual(saysP, allInP), 'float32'), undefined, 'errors');
    return { x, inP, w, wx, sign, update, allX, allInP, errors, init: tf.globalVariablesInitializer() };
  });

  // ---- Execution ----
  const sess = openSession(graph, options);
  log(describeBackend(sess));
  await sess.runAsync(m.init);
  const everything = { [m.allX.name]: data.points, [m.allInP.name]: data.inP };
  const countErrors = async () => (await sess.runAsync(m.errors, everything)).item() as number;

  let w = Array.from((await sess.runAsync(m.w)).data);
  let misclassified = await countErrors();
  log(`initial w = ${fmtVec(w)}, ${misclassified} points misclassified`);
  const curve: [number, number][] = [[0, misclassified]];
  const rand = mulberry32(42); // which point to pick: seeded too
  let iterations = 0;
  let updates = 0;
  while (misclassified > 0 && iterations < maxIterations) {
    iterations++;
    const i = randInt(rand, data.points.length);
    const point = data.points[i] as number[];
    const inP = data.inP[i] as boolean;
    // One run = one step of the rule: evaluate w·x, decide, and update w (or leave it alone).
    const [wx, sign, newW] = await sess.runAsync([m.wx, m.sign, m.update], { x: point, in_P: inP });
    const s = sign.item() as number;
    if (s === 0) continue; // correctly classified: nothing to do
    updates++;
    w = Array.from(newW.data);
    curve.push([iterations, misclassified]); // the count only changes at an update: a step curve
    misclassified = await countErrors();
    curve.push([iterations, misclassified]);
    const which = inP ? 'P' : 'N';
    const rule = s > 0 ? 'w ← w + x' : 'w ← w − x';
    log(
      `iteration ${String(iterations).padStart(4)}: x = ${fmtVec(point.slice(0, 2), 2)} ∈ ${which}, w·x = ${(wx.item() as number).toFixed(3)} → ${rule} = ${fmtVec(w)}; ${misclassified} misclassified`,
    );
  }
  sess.close();
  curve.push([iterations, misclassified]);
  const converged = misclassified === 0;
  if (converged) {
    log(
      `\nConverged after ${iterations} iterations (${updates} updates): every point is classified correctly.`,
    );
    log(`Separating line: ${w[0]?.toFixed(3)}·x1 + ${w[1]?.toFixed(3)}·x2 + ${w[2]?.toFixed(3)} = 0`);
  } else {
    log(`\nStopped after ${iterations} iterations with ${misclassified} points still misclassified.`);
  }

  const plot = plotPath(options.outDir, 'perceptron');
  if (plot) {
    writeSvgChart(plot, {
      title: 'Perceptron learning rule',
      panels: [
        {
          yLabel: 'misclassified points',
          xLabel: 'iteration',
          series: [{ name: 'misclassified', points: curve }],
        },
      ],
    });
  }
  const logdir = logdirFor(options.outDir, 'perceptron');
  if (logdir) {
    writeCurves(logdir, graph, { misclassified: curve });
    log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  }
  return { converged, iterations, updates, misclassified, w, plot, logdir, seconds: secondsSince(start) };
}
