// TF1's checkpoint inspection: tf.train.list_variables / load_variable / load_checkpoint /
// NewCheckpointReader, on a directory (its latest checkpoint) or a prefix.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';

let dir: string;
beforeEach(() => {
  tf.resetDefaultGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint_utils-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('listVariables / loadVariable / loadCheckpoint / NewCheckpointReader read what Saver wrote', () => {
  const w = tf.nameScope(
    'hidden1',
    () =>
      new tf.Variable(
        tf.constant([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { name: 'weights' },
      ),
  );
  tf.train.getOrCreateGlobalStep();
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const saver = new tf.train.Saver();
  saver.save(sess, path.join(dir, 'model.ckpt'), { globalStep: 7 });
  sess.run(tf.assign(w, tf.zeros([2, 3])));
  const second = saver.save(sess, path.join(dir, 'model.ckpt'), { globalStep: 8 });
  sess.close();

  // A directory means its latest checkpoint (model.ckpt-8, where the weights are zeros).
  expect(tf.train.listVariables(dir)).toEqual([
    ['global_step', []],
    ['hidden1/weights', [2, 3]],
  ]);
  expect(Array.from(tf.train.loadVariable(dir, 'hidden1/weights').data)).toEqual([0, 0, 0, 0, 0, 0]);
  // A prefix reads that checkpoint; ':0' is dropped as in TF1.
  const first = path.join(dir, 'model.ckpt-7');
  expect(tf.train.loadVariable(first, 'hidden1/weights:0').toArray()).toEqual([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  expect(tf.train.loadVariable(first, 'global_step').item()).toBe(0);
  const reader = tf.train.loadCheckpoint(second);
  expect(reader.getVariableToShapeMap()).toEqual({ global_step: [], 'hidden1/weights': [2, 3] });
  expect(reader.getVariableToDtypeMap()).toEqual({ global_step: 'int32', 'hidden1/weights': 'float32' });
  expect(reader.hasTensor('hidden1/weights')).toBe(true);
  expect(reader.hasTensor('nope')).toBe(false);
  expect(() => reader.getTensor('nope')).toThrow('Key nope not found in checkpoint');
  expect(tf.train.NewCheckpointReader(first).getTensor('hidden1/weights').shape).toEqual([2, 3]);

  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint_utils_empty-'));
  expect(() => tf.train.listVariables(empty)).toThrow(/Couldn't find 'checkpoint' file or checkpoints/);
  fs.rmSync(empty, { recursive: true, force: true });
  expect(() => tf.train.loadVariable(path.join(dir, 'missing'), 'x')).toThrow(/Unsuccessful checkpoint read/);
});
