// Tutorial — Data parallelism: the MNIST MLP trained with 1, 2 and N towers.
//
// TF1 trained one model on several GPUs inside one graph (the multi-GPU CIFAR-10 trainer): every
// device gets a "tower", a full copy of the model's computation on its slice of the batch; the towers
// share ONE set of variables (tf.getVariable in a variable scope that reuses them after the first
// tower), each computes its gradients, the gradients are averaged across towers and applied once.
// Averaging per-slice mean gradients over equal slices is exactly the gradient of the mean loss over
// the whole batch, so the training is the same as on one device — only the work is spread out.
//
// tensorgraph's CPU devices '/cpu:1', '/cpu:2', … are executors on worker threads ('/cpu:0' is the
// calling thread, where the variables live; SPEC §9), so the towers of one sess.run run concurrently.
// This tutorial trains the MLP of tutorial 6 (784-256-10, ReLU, Adam 1e-3) with the same total batch
// (120 images a step) split over 1, 2 and N towers — N being the CPU devices the session lists (one
// per core by default) — and prints each run's training speed and final test accuracy. With as many
// cores as towers, more towers means more steps per second; on fewer cores the towers take turns.
//
// Run it:  npm run tutorial -- mnist-towers [--steps STEPS]
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
import { CLASSES, loadMnist, PIXELS } from './lib/mnist_data';
import { accuracyOn, batchFeed, correctCount, MnistInputs } from './lib/mnist_eval';
import { ProgressBar } from './lib/progress';
import { averageGradients, splitBatch } from './lib/towers';

export interface MnistTowersOptions extends TutorialOptions {
  /** Tower counts to compare (default: 1, 2 and the session's device count). */
  towers?: number[];
  /** Total images per step, split evenly over the towers (default 120). */
  batch?: number;
  /** Hidden units (default 256, tutorial 6's; tests use fewer). */
  hidden?: number;
}

export interface TowerRow {
  towers: number;
  /** Training steps per second (after a few warm-up steps). */
  stepsPerSec: number;
  /** Training images per second. */
  examplesPerSec: number;
  testAccuracy: number;
  /** Mean training loss of the last 20 steps. */
  finalLoss: number;
}

export interface MnistTowersResult extends TutorialResult {
  /** The CPU (or GPU) devices the session listed. */
  devices: number;
  batch: number;
  steps: number;
  rows: TowerRow[];
  towers: number[];
  stepsPerSec: number[];
  testAccuracy: number[];
}

const HIDDEN = 256;
const LEARNING_RATE = 1e-3;
const BATCH = 120;
const WARMUP = 5;

/** The graph for `towers` towers of `perTower` images each on devices `/<kind>:i`. */
export function buildTowersModel(
  towers: number,
  perTower: number,
  deviceKind: 'cpu' | 'gpu' = 'cpu',
  hidden = HIDDEN,
) {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    tf.setRandomSeed(6); // fixed initial weights, the same for every tower count
    // The MLP of tutorial 6, its variables made with tf.getVariable so that the towers can share them.
    const inference = (images: tf.Tensor): tf.Tensor => {
      const hidden1 = tf.variableScope('hidden1', () => {
        const weights = tf.getVariable('weights', [PIXELS, hidden], {
          initializer: tf.truncatedNormalInitializer({ stddev: 0.1 }),
        });
        const biases = tf.getVariable('biases', [hidden], { initializer: tf.constantInitializer(0.1) });
        return tf.nn.relu(tf.add(tf.matmul(images, weights), biases));
      });
      return tf.variableScope('softmax_linear', () => {
        const weights = tf.getVariable('weights', [hidden, CLASSES], {
          initializer: tf.truncatedNormalInitializer({ stddev: 0.1 }),
        });
        const biases = tf.getVariable('biases', [CLASSES], { initializer: tf.constantInitializer(0.1) });
        return tf.add(tf.matmul(hidden1, weights), biases);
      });
    };

    const opt = new tf.train.AdamOptimizer(LEARNING_RATE);
    const towerGrads: tf.train.GradAndVar[][] = [];
    const inputs: MnistInputs[] = [];
    const losses: tf.Tensor[] = [];
    tf.variableScope(tf.getVariableScope(), () => {
      for (let i = 0; i < towers; i++) {
        tf.device(`/${deviceKind}:${i}`, () =>
          tf.nameScope(`tower_${i}`, () => {
            const x = tf.placeholder('float32', [perTower, PIXELS], 'x');
            const y_ = tf.placeholder('float32', [perTower, CLASSES], 'y_');
            const logits = inference(x);
            const loss = tf.reduceMean(
              tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }),
              undefined,
              'cross_entropy',
            );
            tf.getVariableScope().reuseVariables(); // the next towers share these variables
            towerGrads.push(opt.computeGradients(loss));
            inputs.push({ x, y_ });
            losses.push(loss);
          }),
        );
      }
    });
    const trainOp = opt.applyGradients(averageGradients(towerGrads));
    // The mean of the towers' losses is the loss of the whole batch.
    const meanLoss = tf.divide(tf.addN(losses), towers, 'mean_loss');

    // Evaluation: the same model (same variables) on a batch of any size.
    const evalInputs: MnistInputs = {
      x: tf.placeholder('float32', [null, PIXELS], 'eval_x'),
      y_: tf.placeholder('float32', [null, CLASSES], 'eval_y_'),
    };
    const logits = tf.variableScope(tf.getVariableScope(), { reuse: true }, () => inference(evalInputs.x));
    return {
      graph,
      inputs,
      meanLoss,
      trainOp,
      evalInputs,
      correct: correctCount(logits, evalInputs.y_),
      init: tf.globalVariablesInitializer(),
    };
  });
}

/** The devices of kind `kind` a session with these options lists. */
function deviceCount(options: TutorialOptions, kind: 'CPU' | 'GPU'): number {
  const sess = openSession(new tf.Graph(), options);
  const n = sess.listDevices().filter((d) => d.deviceType === kind).length;
  sess.close();
  return n;
}

export async function run(options: MnistTowersOptions = {}): Promise<MnistTowersResult> {
  const log = logger(options);
  const start = performance.now();
  const steps = stepsOption(options, 600);
  const kind = options.backend === 'gpu' ? 'gpu' : 'cpu';
  const devices = deviceCount(options, kind === 'gpu' ? 'GPU' : 'CPU');
  const counts = options.towers ?? [...new Set([1, 2, devices])].sort((a, b) => a - b);
  const lcm = counts.reduce((l, c) => (l * c) / gcd(l, c), 1);
  // The same total batch for every row: the default 120 rounded up to a multiple of every tower count.
  const batch = options.batch ?? Math.ceil(BATCH / lcm) * lcm;
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 1) throw new Error(`towers must be positive integers, got ${c}`);
    if (batch % c !== 0) throw new Error(`a batch of ${batch} does not split into ${c} equal towers`);
  }
  const mnist = loadMnist();
  log(`MNIST: ${mnist.train.size} training and ${mnist.test.size} test images (fixed split)`);
  log(`${devices} ${kind.toUpperCase()} device(s); ${steps} steps of ${batch} images for each tower count`);

  const rows: TowerRow[] = [];
  for (const towers of counts) {
    const data = loadMnist(); // the same batches, in the same order, for every tower count
    const m = buildTowersModel(towers, batch / towers, kind, options.hidden ?? HIDDEN);
    const sess = openSession(m.graph, options);
    if (rows.length === 0) log(describeBackend(sess));
    await sess.runAsync(m.init);
    const bar = new ProgressBar(steps, `${towers} tower(s)`, { enabled: showProgress(options) });
    let timedStart = performance.now();
    const losses: number[] = [];
    for (let step = 1; step <= steps; step++) {
      if (step === WARMUP + 1 || (steps <= WARMUP && step === 1)) timedStart = performance.now();
      const { xs, ys } = data.train.nextBatch(batch);
      const feed: Record<string, tf.FeedValue> = {};
      splitBatch(xs, ys, PIXELS, CLASSES, towers).forEach((slice, i) =>
        Object.assign(feed, batchFeed(m.inputs[i] as MnistInputs, slice.xs, slice.ys)),
      );
      const [l] = await sess.runAsync([m.meanLoss, m.trainOp], feed);
      const loss = l.item() as number;
      losses.push(loss);
      bar.update(step, `loss ${loss.toFixed(3)}`);
    }
    const timedSteps = steps > WARMUP ? steps - WARMUP : steps;
    const seconds = (performance.now() - timedStart) / 1000;
    const testAccuracy = await accuracyOn(sess, m.correct, m.evalInputs, mnist.test);
    sess.close();
    const stepsPerSec = timedSteps / seconds;
    const recent = losses.slice(-20);
    const loss = recent.reduce((s, l) => s + l, 0) / recent.length;
    rows.push({ towers, stepsPerSec, examplesPerSec: stepsPerSec * batch, testAccuracy, finalLoss: loss });
    log(
      `${towers} tower(s): ${stepsPerSec.toFixed(1)} steps/s, loss ${loss.toFixed(4)}, test accuracy ${percent(testAccuracy)}`,
    );
  }

  const table = [
    `towers | images/tower | steps/s | images/s | test accuracy`,
    `-------|--------------|---------|----------|--------------`,
    ...rows.map(
      (r) =>
        `${String(r.towers).padStart(6)} | ${String(batch / r.towers).padStart(12)} | ${r.stepsPerSec.toFixed(1).padStart(7)} | ${r.examplesPerSec.toFixed(0).padStart(8)} | ${percent(r.testAccuracy).padStart(13)}`,
    ),
  ].join('\n');
  log(`\n${table}`);
  return {
    devices,
    batch,
    steps,
    rows,
    towers: rows.map((r) => r.towers),
    stepsPerSec: rows.map((r) => r.stepsPerSec),
    testAccuracy: rows.map((r) => r.testAccuracy),
    seconds: secondsSince(start),
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
