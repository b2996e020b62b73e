// Checks of mnist_with_summaries.py (examples/mnist_tutorial/mnist_with_summaries.ts) shared by the
// reduced run in classic_mnist_tutorials.test.ts and the 101-step run (with the traced step 99) in
// classic_mnist_tutorials.slow.test.ts: TF1's variable names and summary tags, and the last test-set
// summaries against an independent float64 evaluation of the final weights.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { readDataSets } from '../../examples/mnist_tutorial/input_data';
import { runMnistWithSummaries } from '../../examples/mnist_tutorial/mnist_with_summaries';

/** Runs the program for `maxSteps` (a multiple of 10, plus 1: the last step is a test evaluation). */
export function checkMnistWithSummaries(maxSteps: number): void {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist_with_summaries-'));
  try {
    const lines: string[] = [];
    const r = runMnistWithSummaries({ maxSteps, logDir }, (l) => lines.push(l));
    const evalSteps = Array.from({ length: maxSteps }, (_, i) => i).filter((i) => i % 10 === 0);
    expect(r.accuracies.map(([s]) => s)).toEqual(evalSteps);
    const tracedSteps = Array.from({ length: maxSteps }, (_, i) => i).filter((i) => i % 100 === 99);
    expect(r.traced).toEqual(tracedSteps);
    for (const i of tracedSteps) expect(lines).toContain(`Adding run metadata for ${i}`);
    const layers = ['layer1/weights', 'layer1/biases', 'layer2/weights', 'layer2/biases'];
    expect(Object.keys(r.finalValues)).toEqual([
      ...layers.map((l) => `${l}/Variable:0`),
      'train/beta1_power:0',
      'train/beta2_power:0',
      ...layers.flatMap((l) => [`${l}/Variable/Adam:0`, `${l}/Variable/Adam_1:0`]),
    ]);
    expect(r.tensors.x.name).toBe('input/x-input:0');
    expect(r.tensors.y_.name).toBe('input/y-input:0');
    expect(r.tensors.y.name).toBe('layer2/activation:0');

    // Test writer: 11 evaluations; the last holds every summary with TF1's tags (a scalar's name is made
    // unique against ops too, case-insensitively: 'Mean' takes 'mean', so the tag is 'mean_1').
    const testEvents = tf.summary.readEvents(path.join(logDir, 'test')).filter((e) => e.summary);
    expect(testEvents.map((e) => e.step)).toEqual(evalSteps);
    const last = testEvents[testEvents.length - 1]?.summary?.value ?? [];
    const stats = (p: string): string[] =>
      ['mean_1', 'stddev_1', 'max_1', 'min_1', 'histogram'].map((s) => `${p}/summaries/${s}`);
    const layerTags = (l: string): string[] => [
      ...stats(`${l}/weights`),
      ...stats(`${l}/biases`),
      `${l}/Wx_plus_b/pre_activations`,
      `${l}/activations`,
    ];
    expect(last.map((v) => v.tag)).toEqual([
      ...layerTags('layer1'),
      'dropout/dropout_keep_probability',
      ...layerTags('layer2'),
      'cross_entropy_1',
      'accuracy_1',
    ]);
    const value = (tag: string) => last.find((v) => v.tag === tag) as tf.summary.EventValue;

    // Independent float64 evaluation of the final weights on the whole test set (keep_prob 1).
    const W1 = r.finalValues['layer1/weights/Variable:0'] as Float32Array;
    const b1 = r.finalValues['layer1/biases/Variable:0'] as Float32Array;
    const W2 = r.finalValues['layer2/weights/Variable:0'] as Float32Array;
    const b2 = r.finalValues['layer2/biases/Variable:0'] as Float32Array;
    const test = readDataSets('').test;
    const images = test.images.data as Float32Array;
    const labels = test.labels.data as Int32Array;
    let correct = 0;
    let xent = 0;
    const n = labels.length;
    for (let i = 0; i < n; i++) {
      const x = images.subarray(i * 784, (i + 1) * 784);
      const h = Float64Array.from(b1);
      for (let p = 0; p < 784; p++) {
        const v = x[p] as number;
        if (v !== 0) for (let o = 0; o < 500; o++) h[o] = (h[o] as number) + v * (W1[p * 500 + o] as number);
      }
      const logits = Float64Array.from(b2);
      for (let q = 0; q < 500; q++) {
        const v = Math.max(0, h[q] as number);
        if (v !== 0)
          for (let o = 0; o < 10; o++) logits[o] = (logits[o] as number) + v * (W2[q * 10 + o] as number);
      }
      const mx = Math.max(...logits);
      const s = Array.from(logits).reduce((a, v) => a + Math.exp(v - mx), 0);
      xent -= ((logits[labels[i] as number] as number) - mx - Math.log(s)) / n;
      if (logits.indexOf(mx) === labels[i]) correct++;
    }
    const acc = r.accuracies[r.accuracies.length - 1]?.[1] as number;
    expect(Math.abs(acc * n - correct)).toBeLessThanOrEqual(1);
    expect(value('accuracy_1').simpleValue).toBeCloseTo(acc, 6);
    expect(value('cross_entropy_1').simpleValue).toBeCloseTo(xent, 4);
    expect(value('dropout/dropout_keep_probability').simpleValue).toBe(1);
    // variable_summaries of layer1's weights: mean, stddev, max, min and the histogram's count and sum.
    const w = Array.from(W1);
    const mean = w.reduce((a, v) => a + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, v) => a + (v - mean) ** 2, 0) / w.length);
    expect(value('layer1/weights/summaries/mean_1').simpleValue).toBeCloseTo(mean, 6);
    expect(value('layer1/weights/summaries/stddev_1').simpleValue).toBeCloseTo(std, 6);
    expect(value('layer1/weights/summaries/max_1').simpleValue).toBe(w.reduce((a, v) => Math.max(a, v)));
    expect(value('layer1/weights/summaries/min_1').simpleValue).toBe(w.reduce((a, v) => Math.min(a, v)));
    const histo = value('layer1/weights/summaries/histogram').histo;
    expect(histo?.num).toBe(784 * 500);
    expect(histo?.sum).toBeCloseTo(mean * w.length, 2);
    expect(value('layer1/Wx_plus_b/pre_activations').histo?.num).toBe(n * 500);

    // Train writer: the graph, summaries at every training step, dropout 0.9, and the traced run.
    const trainEvents = tf.summary.readEvents(path.join(logDir, 'train'));
    expect(trainEvents.some((e) => e.graphDef)).toBe(true);
    const trainSteps = trainEvents.filter((e) => e.summary).map((e) => e.step);
    expect(trainSteps).toEqual(Array.from({ length: maxSteps }, (_, i) => i).filter((i) => i % 10 !== 0));
    const keep = trainEvents[trainEvents.length - 1]?.summary?.value.find(
      (v) => v.tag === 'dropout/dropout_keep_probability',
    );
    expect(keep?.simpleValue).toBeCloseTo(0.9, 6);
    const tracedEvents = trainEvents.filter((e) => e.taggedRunMetadata);
    // add_run_metadata(run_metadata, 'step%03d' % i): no global_step, so the event's step is 0.
    expect(tracedEvents.map((e) => [e.taggedRunMetadata?.tag, e.step])).toEqual(
      tracedSteps.map((i) => [`step${String(i).padStart(3, '0')}`, 0]),
    );
    for (const e of tracedEvents) {
      const meta = tf.summary.decodeRunMetadata(e.taggedRunMetadata?.runMetadata as Uint8Array);
      const traced = meta.stepStats.devStats.flatMap((d) => d.nodeStats.map((n) => n.nodeName));
      expect(traced).toContain('train/Adam');
    }
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}
