// The training loop shared by the RNN and GRU tutorials: a recurrent network reads the whole sequence,
// its last output is classified by softmax, and the cross-entropy is minimized by backpropagation
// through time (tf.gradients through the unrolled graph) with Adam and gradient-norm clipping.
import * as tf from '../../src';
import { ProgressBar } from './progress';
import { RecallTask, recallBatches } from './recall_task';

export interface SequenceModel {
  x: tf.Tensor; // [batch, T, K]
  y_: tf.Tensor; // [batch, K]
  loss: tf.Tensor;
  train: tf.Operation;
  correct: tf.Tensor; // number of correct predictions in the batch
}

/**
 * Builds the loss/training ops around `logits` (the network's output at the last step). The gradient
 * norm is clipped at 5: an unlucky batch can make BPTT gradients explode, and one huge step undoes
 * everything learned.
 */
export function sequenceTraining(
  x: tf.Tensor,
  y_: tf.Tensor,
  logits: tf.Tensor,
  optimizer: tf.train.Optimizer,
  varList: tf.Variable[],
): SequenceModel {
  const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }), undefined, 'loss');
  const gradsAndVars = optimizer.computeGradients(loss, { varList });
  const [clipped] = tf.clipByGlobalNorm(
    gradsAndVars.map(([g]) => g),
    5,
  );
  const train = optimizer.applyGradients(gradsAndVars.map(([, v], i) => [clipped[i] ?? null, v]));
  const hits = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1));
  const correct = tf.reduceSum(tf.cast(hits, 'float32'), undefined, 'correct');
  return { x, y_, loss, train, correct };
}

export interface TrainOutcome {
  /** [step, batch loss] every step. */
  losses: [number, number][];
  /** [step, accuracy on the held-out sequences] at each evaluation. */
  accuracy: [number, number][];
  /** Accuracy on the held-out sequences at the end. */
  testAccuracy: number;
}

export interface TrainSettings {
  task: RecallTask;
  steps: number;
  batch: number;
  /** Seed of the training sequences. */
  seed: number;
  label: string;
  log: (line: string) => void;
  progress: boolean;
  /** Evaluations during training (default 10). */
  evaluations?: number;
}

/** Trains `model` on fresh random sequences each step, evaluating on 500 fixed held-out sequences. */
export async function trainSequenceModel(
  sess: tf.Session,
  model: SequenceModel,
  s: TrainSettings,
): Promise<TrainOutcome> {
  const nextBatch = recallBatches(s.task, s.seed);
  const heldOut = recallBatches(s.task, 999_999)(500); // the same 500 test sequences for every model
  const evaluate = async () =>
    ((
      await sess.runAsync(model.correct, [
        [model.x, heldOut.xs],
        [model.y_, heldOut.ys],
      ])
    ).item() as number) / 500;
  const losses: [number, number][] = [];
  const accuracy: [number, number][] = [[0, await evaluate()]];
  const bar = new ProgressBar(s.steps, s.label, { enabled: s.progress });
  const every = Math.max(1, Math.floor(s.steps / (s.evaluations ?? 10)));
  for (let step = 1; step <= s.steps; step++) {
    const { xs, ys } = nextBatch(s.batch);
    const [loss] = await sess.runAsync(
      [model.loss, model.train],
      [
        [model.x, xs],
        [model.y_, ys],
      ],
    );
    losses.push([step, loss.item() as number]);
    if (step % every === 0 || step === s.steps) {
      const acc = await evaluate();
      accuracy.push([step, acc]);
      s.log(
        `${s.label} step ${String(step).padStart(5)}: loss ${(loss.item() as number).toFixed(4)}, held-out accuracy ${(acc * 100).toFixed(1)} %`,
      );
    }
    bar.update(step, `loss ${(loss.item() as number).toFixed(3)}`);
  }
  return { losses, accuracy, testAccuracy: (accuracy[accuracy.length - 1] as [number, number])[1] };
}
