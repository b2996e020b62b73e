// The sequence task of the RNN and GRU tutorials: RECALL THE MARKED SYMBOL.
//
// Each sequence has `length` steps. At every step the input is one of `symbols` symbols (one-hot) plus
// a MARKER unit, which is 1 at exactly one step, chosen at random among the first `window` steps. After
// the last step the network must name the marked symbol:
//
//     symbols  2 0 3 3 1 0 2 1 3 0 ... 1
//     marker   0 0 1 0 0 0 0 0 0 0 ... 0
//     target                             3
//
// So the network must (1) notice the marker, (2) store the symbol that came with it, and (3) keep it,
// unchanged by everything that follows, until the end: a dependency of length − window + 1 to
// `length` steps, which backpropagation through time has to bridge. Chance level is 1 / symbols.
import * as tf from '../../src';
import { mulberry32, randInt } from './rng';

export interface RecallTask {
  /** Sequence length T. */
  length: number;
  /** Alphabet size K. */
  symbols: number;
  /** The marker is at one of the first `window` steps. */
  window: number;
}

/** Input units per step: K symbols plus the marker. */
export function inputSize(task: RecallTask): number {
  return task.symbols + 1;
}

export interface RecallBatch {
  /** [batch, T, K + 1] inputs: a one-hot symbol and the marker unit at every step. */
  xs: tf.NDArray;
  /** [batch, K] one-hot targets. */
  ys: tf.NDArray;
}

/** A generator of batches driven by a seeded PRNG (the same sequences on every run). */
export function recallBatches(task: RecallTask, seed: number): (batch: number) => RecallBatch {
  const rand = mulberry32(seed);
  const { length: T, symbols: K } = task;
  const D = inputSize(task);
  return (batch) => {
    const xs = new Float32Array(batch * T * D);
    const ys = new Float32Array(batch * K);
    for (let b = 0; b < batch; b++) {
      const marked = randInt(rand, task.window);
      for (let t = 0; t < T; t++) {
        const s = randInt(rand, K);
        xs[(b * T + t) * D + s] = 1;
        if (t === marked) {
          xs[(b * T + t) * D + K] = 1; // the marker
          ys[b * K + s] = 1;
        }
      }
    }
    return { xs: tf.ndarray(xs, [batch, T, D]), ys: tf.ndarray(ys, [batch, K]) };
  };
}

/** One line describing the task, for the tutorials' output. */
export function describeTask(task: RecallTask): string {
  const chance = (100 / task.symbols).toFixed(0);
  return `task: ${task.length} random symbols out of ${task.symbols}, one of the first ${task.window} marked; name the marked symbol after the last step (chance ${chance} %)`;
}
