// TensorFlow r1's MNIST tutorials (tensorflow/examples/tutorials/mnist: mnist.py + fully_connected_feed.py,
// mnist_with_summaries.py),
// transliterated in examples/mnist_tutorial/, run with reduced step counts. Names, collections, summary tags
// and checkpoints are TF1's; every number is checked against an independent float64 replay of the network.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { runFullyConnectedFeed } from '../../examples/mnist_tutorial/fully_connected_feed';
import { readDataSets } from '../../examples/mnist_tutorial/input_data';
import { checkMnistWithSummaries } from './mnist_with_summaries_check';
import { Mlp, replay } from './mlp_reference';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('fully_connected_feed.py with mnist.py (inference/loss/training/evaluation)', () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fully_connected_feed-'));
  afterAll(() => fs.rmSync(logDir, { recursive: true, force: true }));

  test('TF1 names, collections, summaries, checkpoint and evaluation counts; loss and one SGD step replayed', () => {
    const lines: string[] = [];
    const r = runFullyConnectedFeed({ maxSteps: 101, logDir }, (l) => lines.push(l));
    const { sess, graph, tensors } = r;
    try {
      graph.asDefault(() => {
        // Variables and collections exactly as TF1 names them.
        const names = ['hidden1', 'hidden2', 'softmax_linear'].flatMap((s) => [
          `${s}/weights:0`,
          `${s}/biases:0`,
        ]);
        expect(tf.trainableVariables().map((v) => v.name)).toEqual(names);
        expect(tf.globalVariables().map((v) => v.name)).toEqual([...names, 'global_step:0']);
        expect(tf.getCollection(tf.GraphKeys.SUMMARIES).map((t) => (t as tf.Tensor).name)).toEqual([
          'loss:0',
        ]);
        expect(tf.getCollection(tf.GraphKeys.LOSSES).map((t) => (t as tf.Tensor).name)).toEqual([
          'sparse_softmax_cross_entropy_loss/value:0',
        ]);
        expect(tensors.summary?.name).toBe('Merge/MergeSummary:0');
        expect(tensors.logits.name).toBe('softmax_linear/add:0');
        expect(tensors.imagesPlaceholder.shape).toEqual([100, 784]);
        expect(tensors.labelsPlaceholder.dtype).toBe('int32');
      });
      expect(lines[0]).toMatch(/^Step 0: loss = \d\.\d\d \(\d+\.\d{3} sec\)$/);
      expect(r.printed.map(([s]) => s)).toEqual([0, 100]);

      // minimize(loss, global_step=global_step) counted every step.
      const byName = new Map(graph.asDefault(() => tf.globalVariables()).map((v) => [v.name, v]));
      const globalStep = byName.get('global_step:0') as tf.Variable;
      expect(sess.run(globalStep).item()).toBe(101);

      // Summaries: the graph, then tag 'loss' at steps 0 and 100.
      const events = tf.summary.readEvents(logDir);
      expect(events.some((e) => e.graphDef !== undefined)).toBe(true);
      const scalars = events.flatMap((e) => (e.summary?.value ?? []).map((v) => [e.step, v.tag] as const));
      expect(scalars).toEqual([
        [0, 'loss'],
        [100, 'loss'],
      ]);

      // Checkpoint: log_dir/model.ckpt-100, recorded in log_dir/checkpoint as TF1 writes it.
      const ckpt = path.join(logDir, 'model.ckpt-100');
      expect(r.checkpoints).toEqual([ckpt]);
      expect(tf.train.latestCheckpoint(logDir)).toBe(ckpt);
      // The checkpoint's keys are the variables' op names (TF1's tf.train.list_variables).
      expect(tf.train.listVariables(logDir)).toEqual([
        ['global_step', []],
        ['hidden1/biases', [128]],
        ['hidden1/weights', [784, 128]],
        ['hidden2/biases', [32]],
        ['hidden2/weights', [128, 32]],
        ['softmax_linear/biases', [10]],
        ['softmax_linear/weights', [32, 10]],
      ]);
      expect(tf.train.loadVariable(logDir, 'global_step').item()).toBe(101);
      // (tensorgraph stores the paths relative to the directory, as TF1's save_relative_paths=True.)
      expect(fs.readFileSync(path.join(logDir, 'checkpoint'), 'utf8')).toBe(
        'model_checkpoint_path: "model.ckpt-100"\nall_model_checkpoint_paths: "model.ckpt-100"\n',
      );

      const varNames = ['hidden1', 'hidden2', 'softmax_linear'];
      const read = (s: tf.Session, n: string): Float32Array =>
        (s.run(byName.get(n) as tf.Variable).data as Float32Array).slice();
      const model = (s: tf.Session): Mlp => ({
        W: varNames.map((v) => read(s, `${v}/weights:0`)),
        b: varNames.map((v) => read(s, `${v}/biases:0`)),
        dims: [784, 128, 32, 10],
      });
      const m = model(sess);

      // do_eval on the test set: the same 19 batches of 100 (a fresh reader replays the same order),
      // counted here by argmax of a float64 forward pass.
      const fresh = readDataSets('');
      let jsCount = 0;
      for (let i = 0; i < 19; i++) {
        const [img, lab] = fresh.test.nextBatch(100);
        jsCount += replay(m, img.data as Float32Array, lab.data as Int32Array, 0).correct;
      }
      expect(r.evals.test.numExamples).toBe(1900);
      expect(r.evals.test.trueCount).toBe(jsCount);
      expect(r.evals.validation.numExamples).toBe(1000);
      expect(r.evals.train.numExamples).toBe(7000);
      expect(lines).toContain(
        `Num examples: 1900  Num correct: ${jsCount}  Precision @ 1: ${(jsCount / 1900).toFixed(4)}`,
      );

      // Saver round trip: a second session restores exactly the saved values.
      const sess2 = graph.asDefault(() => new tf.Session());
      tensors.saver.restore(sess2, ckpt);
      const m2 = model(sess2);
      m.W.forEach((w, l) => expect(maxDiff(m2.W[l] as Float32Array, w)).toBe(0));
      expect(sess2.run(globalStep).item()).toBe(101);
      sess2.close();

      // One more training step on a known batch: loss, in_top_k count and every updated weight.
      const [img, lab] = fresh.validation.nextBatch(100);
      const feed = new Map<tf.Tensor, tf.NDArray>([
        [tensors.imagesPlaceholder, img],
        [tensors.labelsPlaceholder, lab],
      ]);
      const expected = replay(m, img.data as Float32Array, lab.data as Int32Array, 0.01);
      const [, lossValue, correct] = sess.run([tensors.trainOp, tensors.loss, tensors.evalCorrect], {
        feedDict: feed,
      });
      expect(lossValue?.item()).toBeCloseTo(expected.loss, 5);
      expect(correct?.item()).toBe(expected.correct);
      const after = model(sess);
      after.W.forEach((w, l) => expect(maxDiff(w, expected.W1[l] as Float64Array)).toBeLessThan(1e-5));
      after.b.forEach((b, l) => expect(maxDiff(b, expected.b1[l] as Float64Array)).toBeLessThan(1e-5));
      expect(sess.run(globalStep).item()).toBe(102);

      // Restoring the checkpoint undoes that step.
      tensors.saver.restore(sess, ckpt);
      expect(maxDiff(model(sess).W[0] as Float32Array, m.W[0] as Float32Array)).toBe(0);
    } finally {
      sess.close();
    }
  });
});

describe('mnist_with_summaries.py (name scopes, variable_summaries, nn_layer, Adam, two FileWriters)', () => {
  // 11 steps: test evaluations at 0 and 10, Adam steps 1-9 (the 101-step run with the traced step 99 is
  // in classic_mnist_tutorials.slow.test.ts).
  test("TF1's variable names and summary tags; the last test summaries equal a float64 evaluation", () => {
    checkMnistWithSummaries(11);
  });
});
