// The sequence task of the RNN and GRU tutorials: RECALL THE FIRST SYMBOL.
//
// Each sequence has `length` steps; each step is one of `symbols` symbols, one-hot encoded. The target
// is the FIRST symbol, to be output after the LAST step:
//
//     input   2 0 3 3 1 0 2 ... 1      (random symbols; only the first one matters)
//     target                      2
//
// The network sees the first symbol, then length − 1 distracting ones, so it must carry what it saw
// in its hidden state across the whole sequence: the longer the sequence, the longer the dependency
// that backpropagation through time has to bridge. Chance level is 1 / symbols.
import * as tf from '../../src';
import { mulberry32, randInt } from './rng';

export interface RecallTask {
  /** Sequence length T (the dependency spans T − 1 steps). */
  length: number;
  /** Alphabet size K. */
  symbols: number;
}

export interface RecallBatch {
  /** [batch, T, K] one-hot inputs. */
  xs: tf.NDArray;
  /** [batch, K] one-hot targets. */
  ys: tf.NDArray;
}

/** A generator of batches driven by a seeded PRNG (the same sequences on every run). */
export function recallBatches(task: RecallTask, seed: number): (batch: number) => RecallBatch {
  const rand = mulberry32(seed);
  const { length: T, symbols: K } = task;
  return (batch) => {
    const xs = new Float32Array(batch * T * K);
    const ys = new Float32Array(batch * K);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < T; t++) {
        const s = randInt(rand, K);
        xs[(b * T + t) * K + s] = 1;
        if (t === 0) ys[b * K + s] = 1;
      }
    }
    return { xs: tf.ndarray(xs, [batch, T, K]), ys: tf.ndarray(ys, [batch, K]) };
  };
}
