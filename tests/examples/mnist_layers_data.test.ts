// examples/mnist_layers_data.ts: tf.data + tf.layers + tf.losses + MonitoredTrainingSession on MNIST
// (reduced to 200 steps of 100 digits, about 2.5 epochs) reaches the accuracy such a model gets.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { runMnistLayersData } from '../../examples/mnist_layers_data';

test('MNIST with tf.layers, tf.losses, tf.data and MonitoredTrainingSession learns (200 steps)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-layers-data-test-'));
  try {
    const r = runMnistLayersData(200, () => undefined, dir);
    // The StopAtStepHook stops the loop at global step 200; the final checkpoint is step 200's.
    expect(r.steps).toBe(200);
    expect(tf.train.latestCheckpoint(dir)).toMatch(/model\.ckpt-200$/);
    // With small random weights the first batch costs about ln 10 per example.
    expect(r.firstLoss).toBeGreaterThan(1.5);
    expect(r.firstLoss).toBeLessThan(3.5);
    expect(r.lastLoss).toBeLessThan(0.6);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.85);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
