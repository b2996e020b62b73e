// TensorFlow-Examples' 4_Utils programs (tensorboard_advanced.py, save_restore_model.py), transliterated in
// examples/, run with reduced step counts. Numbers are checked against an independent float64 MLP
// (tests/examples/mlp_reference.ts); names and tags against TF1's rules.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { runSaveRestoreModel } from '../../examples/save_restore_model';
import { runTensorboardAdvanced } from '../../examples/tensorboard_advanced';
import { replay } from './mlp_reference';

/** Deterministic values in [-scale, scale) (a small LCG; independent of the library's RNG). */
function values(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

describe('tensorboard_advanced.py (tf.gradients + apply_gradients, summaries of variables and gradients)', () => {
  const logsPath = fs.mkdtempSync(path.join(os.tmpdir(), 'tensorboard_advanced-'));
  afterAll(() => fs.rmSync(logsPath, { recursive: true, force: true }));

  test("first step's loss, summaries and update equal a float64 replay; tags are TF1's cleaned names", () => {
    const dims = [784, 256, 256, 10];
    const W = [0, 1, 2].map((l) => values((dims[l] as number) * (dims[l + 1] as number), 31 + l, 0.1));
    const b = [0, 1, 2].map((l) => values(dims[l + 1] as number, 41 + l, 0.1));
    const r = runTensorboardAdvanced({
      trainingEpochs: 1,
      maxBatchesPerEpoch: 1,
      logsPath,
      overrides: { W1: W[0]!, W2: W[1]!, W3: W[2]!, b1: b[0]!, b2: b[1]!, b3: b[2]! },
    });
    expect(Object.keys(r.finalValues)).toEqual(['W1:0', 'W2:0', 'W3:0', 'b1:0', 'b2:0', 'b3:0']);
    // tf.gradients inside name_scope('SGD'): TF1's gradient names.
    expect(r.gradientNames.slice(0, 3)).toEqual([
      'SGD/gradients/Model/MatMul_grad/MatMul_1:0',
      'SGD/gradients/Model/MatMul_1_grad/MatMul_1:0',
      'SGD/gradients/Model/MatMul_2_grad/MatMul_1:0',
    ]);

    const { xs, ys } = r.firstBatch;
    const labels = Int32Array.from({ length: 100 }, (_, i) => ys.subarray(i * 10, (i + 1) * 10).indexOf(1));
    const ref = replay({ W: W as Float32Array[], b: b as Float32Array[], dims }, xs, labels, 0.01);
    expect(r.stepCosts).toHaveLength(1);
    expect(r.stepCosts[0]).toBeCloseTo(ref.loss, 4);
    // apply_gradients(grads_and_vars) with the hand-made tf.gradients: W ← W − 0.01·∂loss/∂W, every variable.
    ref.W1.forEach((w, l) =>
      expect(maxDiff(r.finalValues[`W${l + 1}:0`] as Float32Array, w)).toBeLessThan(1e-5),
    );
    ref.b1.forEach((v, l) =>
      expect(maxDiff(r.finalValues[`b${l + 1}:0`] as Float32Array, v)).toBeLessThan(1e-5),
    );

    // The summary written at iteration 0. TF1 cleans the illegal ':' of var.name ('W1:0' → 'W1_0') and
    // makes 'loss' / 'accuracy' unique against the name scopes 'Loss' / 'Accuracy' (case-insensitively).
    const events = tf.summary.readEvents(logsPath);
    expect(events.some((e) => e.graphDef)).toBe(true);
    const summaries = events.filter((e) => e.summary);
    expect(summaries.map((e) => e.step)).toEqual([0]);
    const vals = summaries[0]?.summary?.value ?? [];
    const names = ['W1_0', 'W2_0', 'W3_0', 'b1_0', 'b2_0', 'b3_0'];
    expect(vals.map((v) => v.tag)).toEqual([
      'Model/relu1',
      'Model/relu2',
      'loss_1',
      'accuracy_1',
      ...names,
      ...names.map((n) => `${n}/gradient`),
    ]);
    const tag = (t: string) => vals.find((v) => v.tag === t) as tf.summary.EventValue;
    expect(tag('loss_1').simpleValue).toBeCloseTo(ref.loss, 4);
    expect(tag('accuracy_1').simpleValue).toBeCloseTo(ref.correct / 100, 6);
    expect(tag('Model/relu1').histo?.num).toBe(100 * 256);
    expect(tag('Model/relu1').histo?.sum).toBeCloseTo(ref.actSums[0] as number, 1);
    expect(tag('Model/relu2').histo?.sum).toBeCloseTo(ref.actSums[1] as number, 1);
    // Gradient histograms hold the gradients of this step.
    expect(tag('W3_0/gradient').histo?.num).toBe(2560);
    expect(tag('W3_0/gradient').histo?.sum).toBeCloseTo(sum(ref.gW[2] as Float64Array), 4);
    expect(tag('b1_0/gradient').histo?.sum).toBeCloseTo(sum(ref.gb[0] as Float64Array), 4);
    expect(tag('W1_0').histo?.num).toBe(784 * 256);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
  });
});

describe('save_restore_model.py (Saver.save in one session, restore in a second one, Adam resumes)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'save_restore_model-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the second session resumes from exactly the saved weights, Adam slots and beta powers', () => {
    const modelPath = path.join(dir, 'model.ckpt');
    const r = runSaveRestoreModel({ epochs: [1, 1], maxBatchesPerEpoch: 3, modelPath });
    expect(r.savePath).toBe(modelPath);
    expect(tf.train.latestCheckpoint(dir)).toBe(modelPath);
    const vars = [0, 1, 2, 3, 4, 5].map((i) => (i === 0 ? 'Variable' : `Variable_${i}`));
    expect(Object.keys(r.saved)).toEqual([
      ...vars.map((v) => `${v}:0`),
      'beta1_power:0',
      'beta2_power:0',
      ...vars.flatMap((v) => [`${v}/Adam:0`, `${v}/Adam_1:0`]),
    ]);
    // sess.run(init) then saver.restore: every value, slots included, is the saved one.
    for (const [name, v] of Object.entries(r.saved))
      expect(maxDiff(r.restored[name] as Float32Array, v)).toBe(0);
    // Adam's beta powers: β after init, ×β per step; 3 steps before the save, 3 after the restore.
    expect(r.saved['beta1_power:0']?.[0]).toBeCloseTo(0.9 ** 4, 6);
    expect(r.saved['beta2_power:0']?.[0]).toBeCloseTo(0.999 ** 4, 6);
    expect(r.final['beta1_power:0']?.[0]).toBeCloseTo(0.9 ** 7, 6);
    // (A restore that did not happen would leave the second session's fresh random_normal values.)
    // Then 3 more Adam steps moved the weights.
    expect(r.stepCosts.map((c) => c.length)).toEqual([3, 3]);
    expect(
      maxDiff(r.final['Variable:0'] as Float32Array, r.saved['Variable:0'] as Float32Array),
    ).toBeGreaterThan(0);
  });
});
