import * as tf from '../../../src';
import type { GpuMode } from '../../../src/backends/gpujs';
import { describeGpu, gpuSession } from './gpu_env';

/**
 * One pipeline (issue 12): the compile passes (no-op removal, constant folding, CSE, elementwise
 * fusion) run for every backend, so the MLP training step's plan runs the same ops on the CPU and GPU
 * backends, in the same order; only placement (each step's device) and the transfer steps differ.
 */
function mlpStep() {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(1);
    const x = tf.placeholder(tf.float32, [null, 784], 'x');
    const y = tf.placeholder(tf.float32, [null, 10], 'y');
    const W1 = new tf.Variable(tf.truncatedNormal([784, 32], { stddev: 0.1 }), { name: 'W1' });
    const b1 = new tf.Variable(tf.zeros([32]), { name: 'b1' });
    const W2 = new tf.Variable(tf.truncatedNormal([32, 10], { stddev: 0.1 }), { name: 'W2' });
    const b2 = new tf.Variable(tf.zeros([10]), { name: 'b2' });
    // Identity and a constant sub-expression give the passes something to do on both backends.
    const h = tf.identity(tf.nn.relu(tf.add(tf.matmul(x, W1), b1)));
    const scale = tf.multiply(tf.constant(0.5), tf.constant(2));
    // add → tanh is an elementwise chain the fusion pass merges, on both backends.
    const logits = tf.multiply(tf.tanh(tf.add(tf.matmul(h, W2), b2)), scale);
    const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogitsV2({ labels: y, logits }));
    const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
    const feed = { x: [new Array<number>(784).fill(0.1)], y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]] };
    return { g, fetches: [train, loss] as const, feed };
  });
}

/** What a plan runs, in order (transfer steps left out): op type and name per step. */
function opList(plan: tf.ExecutionPlan): string[] {
  return plan.steps
    .filter((s) => s.op.type !== '_HostToDevice' && s.op.type !== '_DeviceToHost')
    .map((s) => `${s.op.type} ${s.op.name}`);
}

describeGpu('the same passes on every backend', (mode: GpuMode) => {
  test('the MLP training step: the same pass results and the same ops on the CPU and GPU backends', () => {
    const { g, fetches, feed } = mlpStep();
    const cpuPlan = new tf.Session({ graph: g }).plan([...fetches], feed);
    const gpuPlan = gpuSession(g, mode).plan([...fetches], feed);
    const passes = (p: tf.ExecutionPlan) => (p.passes ?? '').split('; ').slice(0, 4).join('; ');
    expect(passes(cpuPlan)).toMatch(/[1-9]\d* no-op .* [1-9]\d* ops folded/);
    expect(passes(gpuPlan)).toBe(passes(cpuPlan));
    expect(passes(gpuPlan)).toMatch(/[1-9]\d* fused loops/);
    expect(opList(gpuPlan)).toEqual(opList(cpuPlan));
    // Placement: every GPU-plan step names its device; the CPU plan's steps run on the one host device.
    expect(gpuPlan.steps.every((s) => s.device === '/gpu:0' || s.device === '/cpu:0')).toBe(true);
    expect(cpuPlan.steps.every((s) => s.device === undefined)).toBe(true);
    expect(gpuPlan.toString()).toContain(cpuPlan.passes?.split('; ')[0] as string);
  });
});
