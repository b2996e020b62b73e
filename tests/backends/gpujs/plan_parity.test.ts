import * as tf from '../../../src';
import type { GpuMode } from '../../../src/backends/gpujs';
import { describeGpu, gpuSession } from './gpu_env';

/**
 * One pipeline (issue 12): the compile passes (no-op removal, constant folding, CSE) run for every
 * backend, so the MLP training step's plan has the same ops on the CPU and GPU backends; only
 * placement, transfers and the backend's elementwise fusion differ.
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
    const logits = tf.multiply(tf.add(tf.matmul(h, W2), b2), scale);
    const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogitsV2({ labels: y, logits }));
    const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
    const feed = { x: [new Array<number>(784).fill(0.1)], y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]] };
    return { g, fetches: [train, loss] as const, feed };
  });
}

type Step = { op: tf.Operation; fused?: readonly tf.Operation[] };

/** Names of the graph ops a plan runs (fused groups by their members; transfer steps left out). */
function opNames(plan: tf.ExecutionPlan): string[] {
  return (plan.steps as readonly Step[])
    .filter((s) => s.op.type !== '_HostToDevice' && s.op.type !== '_DeviceToHost')
    .flatMap((s) => (s.fused ? s.fused.map((m) => m.name) : [s.op.name]))
    .sort();
}

describeGpu('the same passes on every backend', (mode: GpuMode) => {
  test('the MLP training step: the same pass results and the same ops on the CPU and GPU backends', () => {
    const { g, fetches, feed } = mlpStep();
    const cpuPlan = new tf.Session({ graph: g }).plan([...fetches], feed);
    const gpuPlan = gpuSession(g, mode).plan([...fetches], feed);
    const passes = (p: tf.ExecutionPlan) => (p.passes ?? '').split('; ').slice(0, 3).join('; ');
    expect(passes(cpuPlan)).toMatch(/[1-9]\d* no-op .* [1-9]\d* ops folded/);
    expect(passes(gpuPlan)).toBe(passes(cpuPlan));
    const cpuOps = new Set(opNames(cpuPlan));
    const gpuOps = opNames(gpuPlan);
    expect(gpuOps.filter((n) => !cpuOps.has(n))).toEqual([]);
    // The GPU's fused kernels take scalar constants as literals: those are the only ops it does not run.
    const constants = new Set(
      (cpuPlan.steps as readonly Step[]).filter((s) => s.op.type === 'Const').map((s) => s.op.name),
    );
    const cpuOnly = [...cpuOps].filter((n) => !gpuOps.includes(n));
    expect(cpuOnly.filter((n) => !constants.has(n))).toEqual([]);
    expect(gpuPlan.toString()).toContain(cpuPlan.passes?.split('; ')[0] as string);
  });
});
