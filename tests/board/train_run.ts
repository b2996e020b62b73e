import * as tf from '../../src';

/**
 * A short training run for the board tests: linear regression y = 2x + 1 by gradient descent under a
 * name scope, writing a scalar (`loss`), a histogram (`weights/W`) and the graph to `logdir` through
 * `tf.summary.FileWriter`. `continueRun` trains further and appends to the same event file.
 */
export interface TrainRun {
  writer: tf.summary.FileWriter;
  graph: tf.Graph;
  /** Trains `steps` more steps, writing one summary per step; returns the losses logged. */
  train(steps: number): Promise<number[]>;
  step: number;
  close(): void;
}

export function startTrainRun(logdir: string, seed = 1): TrainRun {
  const graph = new tf.Graph();
  const m = graph.asDefault(() => {
    tf.setRandomSeed(seed);
    const x = tf.placeholder('float32', [null, 1], 'x');
    const y = tf.placeholder('float32', [null, 1], 'y');
    const { W, pred } = tf.nameScope('model', () => {
      const W = new tf.Variable(tf.randomNormal([1, 1]), { name: 'W' });
      const b = new tf.Variable(tf.zeros([1]), { name: 'b' });
      return { W, pred: tf.add(tf.matmul(x, W), b, 'pred') };
    });
    const loss = tf.reduceMean(tf.square(tf.subtract(pred, y)), undefined, 'mse');
    const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss);
    tf.summary.scalar('loss', loss);
    tf.summary.histogram('weights/W', W);
    return {
      x,
      y,
      loss,
      train,
      merged: tf.summary.mergeAll() as tf.Tensor,
      init: tf.globalVariablesInitializer(),
    };
  });
  const sess = new tf.Session({ graph });
  sess.run(m.init);
  const writer = new tf.summary.FileWriter(logdir, graph);
  const xs = [[0], [1], [2], [3]];
  const ys = xs.map(([v]) => [2 * (v as number) + 1]);
  const run: TrainRun = {
    writer,
    graph,
    step: 0,
    async train(steps: number): Promise<number[]> {
      const losses: number[] = [];
      for (let i = 0; i < steps; i++) {
        const [s, l] = sess.run(
          [m.merged, m.loss, m.train],
          new Map<tf.Tensor, number[][]>([
            [m.x, xs],
            [m.y, ys],
          ]),
        );
        writer.addSummary(s, run.step++);
        losses.push(l.item() as number);
      }
      writer.flush();
      return losses;
    },
    close(): void {
      writer.close();
      sess.close();
    },
  };
  return run;
}
