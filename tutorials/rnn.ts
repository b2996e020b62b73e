// Tutorial 8 — A recurrent neural network, trained by backpropagation through time.
//
// A recurrent network reads a sequence x(1), x(2), … one step at a time and keeps a hidden state h
// that summarizes what it has seen. The tutorial's equations, for t = 1 … T (with h(0) = 0):
//
//     a(t) = b + W·h(t−1) + U·x(t)        W: hidden→hidden, U: input→hidden
//     h(t) = tanh(a(t))
//     o(t) = c + V·h(t)                   V: hidden→output
//     ŷ(t) = softmax(o(t))
//
// The SAME W, U, b (and V, c) are used at every step. In code we process a batch of sequences at once,
// with each example a ROW vector, so W·h is written `matmul(h, W)` (W is stored transposed).
//
// Unrolling: as in TF1's static_rnn, a loop builds T copies of the step into the graph (sharing the
// variables). The graph is then an ordinary, very deep feed-forward graph, and tf.gradients through it
// IS backpropagation through time: the error at the last step flows back through every h(t).
//
// The task (tutorials/lib/recall_task.ts) needs memory: read T = 8 symbols, one of the first 4 of them
// flagged by a marker input, then name the marked symbol. Only the last output o(T) is scored, so the
// network must carry the marked symbol across 4 to 7 steps. Training: Adam (learning rate 0.01) on
// batches of 32 fresh random sequences, with the gradient's global norm clipped at 5.
//
// Run it:  npm run tutorial -- rnn [--steps STEPS]
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
import { boardCommand, logdirFor, writeCurves } from './lib/events';
import { plotPath, smooth, writeSvgChart } from './lib/plot';
import { describeTask, inputSize, RecallTask } from './lib/recall_task';
import { sequenceTraining, trainSequenceModel } from './lib/sequence_training';

export interface RnnResult extends TutorialResult {
  /** Accuracy on 500 held-out sequences (chance: 1 / symbols). */
  testAccuracy: number;
  chance: number;
  sequenceLength: number;
  steps: number;
}

/** Weight initialization of both recurrent tutorials. */
export const INIT_STDDEV = 0.1;

/** The settings of this tutorial (the GRU tutorial reuses the model with a longer sequence). */
export const RNN_SETTINGS = {
  hidden: 32,
  symbols: 4,
  length: 8,
  window: 4,
  steps: 800,
  batch: 32,
  learningRate: 0.01,
};

/** The variables of a vanilla RNN layer plus its output layer. */
export interface VanillaRnnParams {
  W: tf.Variable;
  U: tf.Variable;
  b: tf.Variable;
  V: tf.Variable;
  c: tf.Variable;
}

/** Creates the parameters (under the current name scope). Seeded through the graph seed. */
export function vanillaRnnParams(inputSize: number, hidden: number, outputSize: number): VanillaRnnParams {
  // Small random weights, as in the other TF1 tutorials: truncated normal with stddev 0.1.
  const init = (rows: number, cols: number) => tf.truncatedNormal([rows, cols], { stddev: INIT_STDDEV });
  return {
    W: new tf.Variable(init(hidden, hidden), { name: 'W' }),
    U: new tf.Variable(init(inputSize, hidden), { name: 'U' }),
    b: new tf.Variable(tf.zeros([hidden]), { name: 'b' }),
    V: new tf.Variable(init(hidden, outputSize), { name: 'V' }),
    c: new tf.Variable(tf.zeros([outputSize]), { name: 'c' }),
  };
}

/**
 * Unrolls the vanilla RNN over `inputs` (one [batch, K] tensor per step) and returns o(T), the output
 * logits after the last step; ŷ(T) = softmax(o(T)) is applied inside the loss.
 */
export function vanillaRnn(inputs: tf.Tensor[], p: VanillaRnnParams): tf.Tensor {
  let h: tf.Tensor | null = null; // h(0) = 0, so the first step's W·h(0) term is zero and is skipped
  inputs.forEach((x, t) => {
    h = tf.nameScope(`step${t + 1}`, () => {
      const Ux = tf.matmul(x, p.U);
      const a = h === null ? tf.add(p.b, Ux, 'a') : tf.add(tf.add(p.b, tf.matmul(h, p.W)), Ux, 'a'); // a = b + W·h + U·x
      return tf.tanh(a, 'h'); // h = tanh(a)
    });
  });
  if (h === null) throw new Error('vanillaRnn needs at least one input step');
  return tf.add(p.c, tf.matmul(h, p.V), 'o'); // o = c + V·h
}

/** Builds input placeholders, the unrolled RNN and its training ops for a task. */
export function buildRnnModel(task: RecallTask, hidden: number, optimizer: tf.train.Optimizer) {
  const x = tf.placeholder('float32', [null, task.length, inputSize(task)], 'x');
  const y_ = tf.placeholder('float32', [null, task.symbols], 'y_');
  const steps = tf.unstack(x, { axis: 1 }); // T tensors of [batch, K], like TF1's static_rnn input list
  const params = tf.nameScope('rnn', () => vanillaRnnParams(inputSize(task), hidden, task.symbols));
  const logits = tf.nameScope('rnn', () => vanillaRnn(steps, params));
  return sequenceTraining(x, y_, logits, optimizer, Object.values(params));
}

export async function run(options: TutorialOptions = {}): Promise<RnnResult> {
  const log = logger(options);
  const start = performance.now();
  const { hidden, symbols, length, window, batch, learningRate } = RNN_SETTINGS;
  const steps = stepsOption(options, RNN_SETTINGS.steps);
  const task: RecallTask = { length, symbols, window };
  log(describeTask(task));

  const graph = new tf.Graph();
  const { model, init } = graph.asDefault(() => {
    tf.setRandomSeed(8);
    const model = buildRnnModel(task, hidden, new tf.train.AdamOptimizer(learningRate));
    return { model, init: tf.globalVariablesInitializer() };
  });
  log(
    `unrolled graph: ${graph.getOperations().length} ops for ${length} time steps (forward, backward and Adam)`,
  );
  const sess = openSession(graph, options);
  log(describeBackend(sess));
  await sess.runAsync(init);
  const outcome = await trainSequenceModel(sess, model, {
    task,
    steps,
    batch,
    seed: 1,
    label: 'RNN',
    log,
    progress: showProgress(options),
  });
  sess.close();
  log(
    `\nHeld-out accuracy after ${steps} steps: ${percent(outcome.testAccuracy)} (chance ${percent(1 / symbols)})`,
  );

  const plot = plotPath(options.outDir, 'rnn');
  if (plot) {
    writeSvgChart(plot, {
      title: `Vanilla RNN: recall the marked symbol (T = ${length}, marker in the first ${window})`,
      panels: [
        {
          yLabel: 'cross-entropy (batch)',
          series: [
            { name: 'training loss', points: outcome.losses },
            { name: 'moving average', points: smooth(outcome.losses, 20) },
          ],
        },
        { yLabel: 'held-out accuracy', yRange: [0, 1], series: [{ name: 'RNN', points: outcome.accuracy }] },
      ],
    });
  }
  const logdir = logdirFor(options.outDir, 'rnn');
  if (logdir) {
    writeCurves(logdir, graph, { loss: outcome.losses, heldout_accuracy: outcome.accuracy });
    log(`Summaries written to ${logdir}; view them with: ${boardCommand(logdir)}`);
  }
  return {
    testAccuracy: outcome.testAccuracy,
    chance: 1 / symbols,
    sequenceLength: length,
    steps,
    plot,
    logdir,
    seconds: secondsSince(start),
  };
}
