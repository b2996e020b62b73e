// Data and model parallelism as TF1 programs write them (examples/multi_tower_mnist.ts, the multi-GPU
// CIFAR-10 trainer's structure; examples/model_parallel.ts): towers over a split batch give the
// gradients of the whole batch on one device, share one set of variables, and a model split across
// devices computes what the unsplit model computes. The expected numbers come from a separate
// single-device graph and from plain float64 JS, never from the towers themselves.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import {
  averageGradients as exampleAverageGradients,
  buildGraph,
  MultiTowerGraph,
  train,
} from '../../examples/multi_tower_mnist';
import { buildMlp, runModelParallel } from '../../examples/model_parallel';
import { CLASSES, loadMnist, PIXELS } from '../../tutorials/lib/mnist_data';
import { averageGradients, splitBatch } from '../../tutorials/lib/towers';

const BATCH = 12; // divisible by 1, 2 and 3 towers
const HIDDEN = 8;
const WD = 0.01;
const VAR_NAMES = ['hidden1/weights', 'hidden1/biases', 'softmax_linear/weights', 'softmax_linear/biases'];

const batch = (() => {
  const s = loadMnist().train.slice(100, 100 + BATCH);
  return { xs: Float32Array.from(s.xs), ys: Float32Array.from(s.ys) };
})();

/** Feeds the towers of `m` their equal slices of `batch`. */
function towerFeed(m: MultiTowerGraph): [tf.Tensor, tf.NDArray][] {
  const slices = splitBatch(batch.xs, batch.ys, PIXELS, CLASSES, m.towers.length);
  return m.towers.flatMap((t, i) => {
    const s = slices[i] as { xs: Float32Array; ys: Float32Array; n: number };
    return [
      [t.images, tf.ndarray(s.xs, [s.n, PIXELS])],
      [t.labels, tf.ndarray(s.ys, [s.n, CLASSES])],
    ] as [tf.Tensor, tf.NDArray][];
  });
}

/** Values by variable name ('hidden1/weights', …). */
type Values = Record<string, tf.NDArray>;

/** The gradient of mean cross entropy + WD·l2Loss(hidden1/weights) over the whole batch, in its own graph. */
function singleDeviceGradients(vars: Values): { grads: Values; loss: number } {
  const g = new tf.Graph();
  const out = g.asDefault(() => {
    const c = (name: string) => tf.constant(vars[name] as tf.NDArray);
    const [W1, b1, W2, b2] = VAR_NAMES.map(c) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const x = tf.constant(tf.ndarray(batch.xs, [BATCH, PIXELS]));
    const y = tf.constant(tf.ndarray(batch.ys, [BATCH, CLASSES]));
    const logits = tf.add(tf.matmul(tf.nn.relu(tf.add(tf.matmul(x, W1), b1)), W2), b2);
    const loss = tf.add(
      tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y, logits })),
      tf.multiply(tf.nn.l2Loss(W1), WD),
    );
    return { loss, grads: tf.gradients(loss, [W1, b1, W2, b2]) as tf.Tensor[] };
  });
  const sess = new tf.Session({ graph: g });
  const [loss, ...grads] = sess.run([out.loss, ...out.grads]);
  sess.close();
  return {
    loss: loss?.item() as number,
    grads: Object.fromEntries(VAR_NAMES.map((n, i) => [n, grads[i] as tf.NDArray])),
  };
}

/** The same gradients in plain float64 JS (forward and backward pass written out). */
function plainJsGradients(vars: Values): Record<string, Float64Array> {
  const W1 = vars['hidden1/weights']?.data as Float32Array;
  const b1 = vars['hidden1/biases']?.data as Float32Array;
  const W2 = vars['softmax_linear/weights']?.data as Float32Array;
  const b2 = vars['softmax_linear/biases']?.data as Float32Array;
  const x = batch.xs;
  const y = batch.ys;
  const dW1 = new Float64Array(PIXELS * HIDDEN);
  const db1 = new Float64Array(HIDDEN);
  const dW2 = new Float64Array(HIDDEN * CLASSES);
  const db2 = new Float64Array(CLASSES);
  for (let b = 0; b < BATCH; b++) {
    const pre = new Float64Array(HIDDEN);
    for (let j = 0; j < HIDDEN; j++) {
      let s = b1[j] as number;
      for (let i = 0; i < PIXELS; i++) s += (x[b * PIXELS + i] as number) * (W1[i * HIDDEN + j] as number);
      pre[j] = s;
    }
    const h = pre.map((v) => Math.max(0, v));
    const logits = new Float64Array(CLASSES);
    for (let k = 0; k < CLASSES; k++) {
      let s = b2[k] as number;
      for (let j = 0; j < HIDDEN; j++) s += (h[j] as number) * (W2[j * CLASSES + k] as number);
      logits[k] = s;
    }
    const max = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    const dLogits = e.map((v, k) => (v / sum - (y[b * CLASSES + k] as number)) / BATCH);
    const dh = new Float64Array(HIDDEN);
    for (let k = 0; k < CLASSES; k++) {
      db2[k] = (db2[k] as number) + (dLogits[k] as number);
      for (let j = 0; j < HIDDEN; j++) {
        dW2[j * CLASSES + k] = (dW2[j * CLASSES + k] as number) + (h[j] as number) * (dLogits[k] as number);
        dh[j] = (dh[j] as number) + (dLogits[k] as number) * (W2[j * CLASSES + k] as number);
      }
    }
    for (let j = 0; j < HIDDEN; j++) {
      if ((pre[j] as number) <= 0) continue;
      db1[j] = (db1[j] as number) + (dh[j] as number);
      for (let i = 0; i < PIXELS; i++)
        dW1[i * HIDDEN + j] =
          (dW1[i * HIDDEN + j] as number) + (x[b * PIXELS + i] as number) * (dh[j] as number);
    }
  }
  for (let i = 0; i < dW1.length; i++) dW1[i] = (dW1[i] as number) + WD * (W1[i] as number);
  return {
    'hidden1/weights': dW1,
    'hidden1/biases': db1,
    'softmax_linear/weights': dW2,
    'softmax_linear/biases': db2,
  };
}

/** Every element within `rel` of the expected tensor's largest magnitude. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(rel * scale);
}

/** Builds the example with `towers` towers, initializes it and returns its variables' values. */
function openTowers(towers: number): { m: MultiTowerGraph; sess: tf.Session; vars: Values } {
  const m = buildGraph({ numGpus: towers, batchSize: BATCH / towers, hidden1Units: HIDDEN, weightDecay: WD });
  const sess = new tf.Session({ graph: m.graph });
  sess.run(m.init);
  const byName = new Map(m.grads.map(([, v]) => [v.op.name, v]));
  const values = sess.run(VAR_NAMES.map((n) => byName.get(n) as tf.Variable));
  return { m, sess, vars: Object.fromEntries(VAR_NAMES.map((n, i) => [n, values[i] as tf.NDArray])) };
}

describe('multi-tower training (TF1 cifar10_multi_gpu_train structure)', () => {
  test.each([1, 2, 3])(
    '%i tower(s) over a split batch: averaged gradients = the whole batch on one device',
    (towers) => {
      const { m, sess, vars } = openTowers(towers);
      const feed = towerFeed(m);
      const fetched = sess.run(
        [...m.grads.map(([g]) => g as tf.Tensor), ...m.towers.map((t) => t.loss)],
        feed,
      );
      const ref = singleDeviceGradients(vars);
      m.grads.forEach(([, v], i) => {
        const expected = ref.grads[v.op.name] as tf.NDArray;
        expect((fetched[i] as tf.NDArray).shape).toEqual(expected.shape);
        expectClose((fetched[i] as tf.NDArray).data as Float32Array, expected.data as Float32Array);
      });
      // Each tower's loss is its slice's cross entropy + the weight decay: their mean is the batch's loss.
      const towerLosses = fetched.slice(m.grads.length).map((l) => l?.item() as number);
      expect(towerLosses).toHaveLength(towers);
      const mean = towerLosses.reduce((s, l) => s + l, 0) / towers;
      expect(Math.abs(mean - ref.loss)).toBeLessThan(1e-5 * ref.loss);

      // The train op applies the average once: GradientDescent with lr 0.1 at step 0, global_step += 1.
      sess.run(m.trainOp, feed);
      const after = sess.run([...m.grads.map(([, v]) => v), m.globalStep]);
      m.grads.forEach(([, v], i) => {
        const before = vars[v.op.name]?.data as Float32Array;
        const g = ref.grads[v.op.name]?.data as Float32Array;
        expectClose(
          (after[i] as tf.NDArray).data as Float32Array,
          before.map((w, k) => w - 0.1 * (g[k] as number)),
          1e-6,
        );
      });
      expect(after[m.grads.length]?.item()).toBe(1);
      sess.close();
    },
  );

  test('two towers agree with a plain float64 JS forward/backward pass on every gradient entry', () => {
    const { m, sess, vars } = openTowers(2);
    const fetched = sess.run(
      m.grads.map(([g]) => g as tf.Tensor),
      towerFeed(m),
    );
    const js = plainJsGradients(vars);
    m.grads.forEach(([, v], i) => {
      expectClose((fetched[i] as tf.NDArray).data as Float32Array, js[v.op.name] as Float64Array, 2e-5);
    });
    sess.close();
  });

  test('the towers share one set of variables, named as in TF1; each tower has its own losses', () => {
    const m = buildGraph({ numGpus: 3, batchSize: 4, hidden1Units: HIDDEN, weightDecay: WD });
    m.graph.asDefault(() => {
      expect(tf.trainableVariables().map((v) => v.op.name)).toEqual(VAR_NAMES);
      const all = tf.globalVariables().map((v) => v.op.name);
      expect(all.filter((n) => n.startsWith('tower_'))).toEqual([]);
      expect(all).toContain('global_step');
      expect(all).toContain('hidden1/weights/ExponentialMovingAverage');
      // Every tower's gradients are for the very same Variable objects.
      for (const t of m.towers) expect(t.grads.map(([, v]) => v)).toEqual(m.grads.map(([, v]) => v));
      // The name scope's `as scope` string, and the per-tower 'losses' (weight decay + cross entropy).
      expect(m.towers.map((t) => t.scope)).toEqual(['tower_0/', 'tower_1/', 'tower_2/']);
      for (const t of m.towers) {
        const own = (tf.getCollection('losses', t.scope) as tf.Tensor[]).map((l) => l.op.name);
        expect(own).toEqual([`${t.scope}hidden1/weight_loss`, `${t.scope}cross_entropy`]);
        // cifar10.loss() made `${scope}total_loss` (all towers so far); tower_loss adds `…total_loss_1`, as in TF1.
        expect(t.loss.op.name).toBe(`${t.scope}total_loss_1`);
      }
      // 2 per tower, and the evaluation model's weight decay (cifar10's inference always adds it).
      expect(tf.getCollection('losses')).toHaveLength(7);
      // The scope reopened by the towers reused variables; the top-level scope itself still does not.
      expect(tf.getVariableScope().reuse).toBe(false);
    });
  });

  test('ops carry the device strings given: tower i on /cpu:i, variables and the update on /cpu:0', () => {
    const m = buildGraph({ numGpus: 3, batchSize: 4, hidden1Units: HIDDEN });
    const ops = m.graph.getOperations();
    for (const op of ops) {
      const tower = /^tower_(\d+)\//.exec(op.name);
      expect([op.name, op.device]).toEqual([op.name, tower ? `/cpu:${tower[1]}` : '/cpu:0']);
    }
    // Each tower has its forward and backward pass.
    for (let i = 0; i < 3; i++) {
      expect(ops.some((op) => op.name === `tower_${i}/hidden1/MatMul`)).toBe(true);
      expect(ops.some((op) => op.name.startsWith(`tower_${i}/gradients/`))).toBe(true);
    }
  });

  test("tutorials/lib averageGradients = the example's (TF1's) on the same towers; splitBatch", () => {
    const { m, sess } = openTowers(3);
    const lib = m.graph.asDefault(() => averageGradients(m.towers.map((t) => t.grads)));
    const again = m.graph.asDefault(() => exampleAverageGradients(m.towers.map((t) => t.grads)));
    expect(lib.map(([, v]) => v)).toEqual(m.grads.map(([, v]) => v));
    const feed = towerFeed(m);
    const a = sess.run(
      lib.map(([g]) => g as tf.Tensor),
      feed,
    );
    const b = sess.run(
      again.map(([g]) => g as tf.Tensor),
      feed,
    );
    a.forEach((x, i) =>
      expect(Array.from(x?.data as Float32Array)).toEqual(Array.from(b[i]?.data as Float32Array)),
    );
    sess.close();
    const [t0, t1] = m.towers as [MultiTowerGraph['towers'][0], MultiTowerGraph['towers'][0]];
    expect(() => averageGradients([t0.grads, [...t1.grads].reverse()])).toThrow(/position 0/);
    expect(() => averageGradients([])).toThrow(/empty/);

    const xs = Float32Array.from({ length: 6 * 2 }, (_, i) => i);
    const ys = Float32Array.from({ length: 6 }, (_, i) => i);
    const parts = splitBatch(xs, ys, 2, 1, 3);
    expect(parts.map((p) => [Array.from(p.xs), Array.from(p.ys), p.n])).toEqual([
      [[0, 1, 2, 3], [0, 1], 2],
      [[4, 5, 6, 7], [2, 3], 2],
      [[8, 9, 10, 11], [4, 5], 2],
    ]);
    expect(parts[1]?.xs.buffer).toBe(xs.buffer); // views, not copies
    expect(() => splitBatch(xs, ys, 2, 1, 4)).toThrow(/6 does not split into 4/);
  });

  test('tf.nameScope passes its full name to the function, like `with tf.name_scope(...) as scope`', () => {
    new tf.Graph().asDefault(() => {
      const seen: string[] = [];
      tf.nameScope('a', (s) => {
        seen.push(s);
        tf.nameScope('b', (s2) => seen.push(s2));
      });
      tf.nameScope('a', (s) => seen.push(s));
      tf.nameScope(null, (s) => seen.push(s));
      expect(seen).toEqual(['a/', 'a/b/', 'a_1/', '']);
    });
  });

  test('training (reduced: 2 towers, 60 steps of 2×50 images) learns MNIST', () => {
    const lines: string[] = [];
    const r = train({ numGpus: 2, batchSize: 50, maxSteps: 60, hidden1Units: 64, log: (l) => lines.push(l) });
    expect(r.variables).toEqual(VAR_NAMES);
    expect(
      lines.filter((l) => /step \d+, loss = [\d.]+ \([\d.]+ examples\/sec; [\d.]+ sec\/batch\)/.test(l)),
    ).toHaveLength(6);
    const first = r.losses.slice(0, 5).reduce((s, l) => s + l, 0) / 5;
    const last = r.losses.slice(-5).reduce((s, l) => s + l, 0) / 5;
    expect(last).toBeLessThan(first / 2);
    expect(r.testAccuracy).toBeGreaterThan(0.8);
  });
});

test('with a train dir: summaries of the last tower only, the learning rate and gradients; checkpoints', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-tower-'));
  train({ numGpus: 2, batchSize: 10, maxSteps: 3, hidden1Units: 16, trainDir: dir, log: () => undefined });
  const files = fs.readdirSync(dir);
  expect(files.filter((f) => f.startsWith('model.ckpt-')).sort()).toEqual([
    'model.ckpt-0.tgckpt',
    'model.ckpt-2.tgckpt',
  ]);
  expect(fs.readFileSync(path.join(dir, 'checkpoint'), 'utf8')).toContain(
    'model_checkpoint_path: "model.ckpt-2"',
  );
  const events = files.filter((f) => f.startsWith('events.out.tfevents.'));
  expect(events).toHaveLength(1);
  const tags = tf.summary
    .readEvents(path.join(dir, events[0] as string))
    .flatMap((e) => e.summary?.value.map((v) => v.tag) ?? []);
  // TF1's tags carry the name scope they were made in (tower_1/...), uniquified against the op names.
  expect(tags).toEqual(
    expect.arrayContaining([
      'tower_1/cross_entropy_1',
      // cifar10's _activation_summary: histogram and tf.nn.zeroFraction sparsity of each layer.
      'tower_1/hidden1/hidden1/hidden1/activations',
      'tower_1/hidden1/hidden1/hidden1/sparsity',
      'learning_rate',
      'hidden1/weights/gradients',
      'softmax_linear/biases/gradients',
    ]),
  );
  expect(tags.some((t) => t.startsWith('tower_0/'))).toBe(false);
});

test('TensorFlow-Examples multigpu_cnn structure: assign_to_device, sliced batch, tf.layers reuse', () => {
  const g = new tf.Graph();
  const bs = 4;
  const m = g.asDefault(() => {
    tf.setRandomSeed(3);
    const convNet = (x: tf.Tensor, reuse: boolean, isTraining: boolean) =>
      tf.variableScope('ConvNet', { reuse }, () => {
        let h = tf.reshape(x, [-1, 28, 28, 1]);
        h = tf.layers.conv2d(h, 4, 5, { activation: tf.nn.relu });
        h = tf.layers.maxPooling2d(h, 2, 2);
        h = tf.contrib.layers.flatten(h);
        h = tf.layers.dense(h, 16);
        h = tf.layers.dropout(h, { rate: 0, training: isTraining });
        return tf.layers.dense(h, CLASSES);
      });
    const PS_OPS = ['Variable', 'VariableV2', 'AutoReloadVariable'];
    const assignToDevice =
      (device: string, psDevice = '/cpu:0') =>
      (op: { nodeDef: { op: string } }) =>
        PS_OPS.includes(op.nodeDef.op) ? psDevice : device;
    return tf.device('/cpu:0', () => {
      const X = tf.placeholder(tf.float32, [null, PIXELS]);
      const Y = tf.placeholder(tf.float32, [null, CLASSES]);
      const towerGrads: tf.train.GradAndVar[][] = [];
      let reuseVars = false;
      let optimizer!: tf.train.Optimizer;
      for (let i = 0; i < 2; i++) {
        tf.device(assignToDevice(`/cpu:${i}`, '/cpu:0'), () => {
          const x = tf.slice(X, [i * bs, 0], [bs, -1]);
          const y = tf.slice(Y, [i * bs, 0], [bs, -1]);
          const logitsTrain = convNet(x, reuseVars, true);
          const lossOp = tf.reduceMean(
            tf.nn.softmaxCrossEntropyWithLogits({ logits: logitsTrain, labels: y }),
          );
          optimizer = new tf.train.AdamOptimizer({ learningRate: 0.001 });
          towerGrads.push(optimizer.computeGradients(lossOp));
          reuseVars = true;
        });
      }
      const grads = averageGradients(towerGrads);
      const trainOp = optimizer.applyGradients(grads);
      // The whole batch through the same (reused) network, differentiated in the same graph.
      const whole = tf.reduceMean(
        tf.nn.softmaxCrossEntropyWithLogits({ logits: convNet(X, true, false), labels: Y }),
      );
      const direct = tf.gradients(
        whole,
        grads.map(([, v]) => v),
      );
      return { X, Y, grads, direct, trainOp, init: tf.globalVariablesInitializer() };
    });
  });
  const vars = m.grads.map(([, v]) => v);
  expect(vars.map((v) => `${v.opName}@${v.op.device}`)).toEqual(
    ['conv2d/kernel', 'conv2d/bias', 'dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'].map(
      (n) => `ConvNet/${n}@/cpu:0`,
    ),
  );
  const convOps = g.getOperations().filter((op) => op.type === 'Conv2D');
  expect(convOps.map((op) => op.device)).toEqual(['/cpu:0', '/cpu:1', '/cpu:0']);
  const sess = new tf.Session({ graph: g });
  sess.run(m.init);
  const s = loadMnist().train.slice(0, 2 * bs);
  const feed: [tf.Tensor, tf.NDArray][] = [
    [m.X, tf.ndarray(s.xs, [2 * bs, PIXELS])],
    [m.Y, tf.ndarray(s.ys, [2 * bs, CLASSES])],
  ];
  const averaged = sess.run(
    m.grads.map(([gr]) => gr as tf.Tensor),
    feed,
  );
  const direct = sess.run(m.direct as tf.Tensor[], feed);
  averaged.forEach((a, i) => expectClose(a?.data as Float32Array, direct[i]?.data as Float32Array, 2e-5));
  const before = sess.run(vars);
  sess.run(m.trainOp, feed);
  sess.run(vars).forEach((v, i) => expect(v?.data).not.toEqual(before[i]?.data));
  sess.close();
});

describe('variable scopes as multi-tower programs reopen them (TF1 variable_scope_test cases)', () => {
  const ns = (name: string) => tf.nameScope(name, (s) => s);
  const w = (name = 'w') => tf.getVariable(name, []).opName;

  test('reopening a scope object: its variable names, a new name scope per reopening', () => {
    new tf.Graph().asDefault(() => {
      // testVarScopeOuterScope
      const outer = tf.variableScope('outer', (s) => s);
      tf.variableScope(outer, () => {
        expect(w()).toBe('outer/w');
        expect(ns('scope2')).toBe('outer_1/scope2/');
        tf.variableScope('default', () => {
          expect(w()).toBe('outer/default/w');
          expect(ns('scope2')).toBe('outer_1/default/scope2/');
        });
      });
      tf.variableScope(outer, { reuse: true }, () => {
        expect(w()).toBe('outer/w');
        expect(ns('scope2')).toBe('outer_2/scope2/');
        tf.variableScope('default', { reuse: true }, () => {
          expect(w()).toBe('outer/default/w');
          expect(ns('scope2')).toBe('outer_2/default/scope2/');
        });
      });
    });
    new tf.Graph().asDefault(() => {
      // testVarScopeNestedOuterScope
      tf.variableScope('outer', (outer) => {
        tf.variableScope(outer, () => {
          expect(w()).toBe('outer/w');
          expect(ns('scope2')).toBe('outer/outer/scope2/');
        });
        tf.variableScope('default', () => {
          expect(w()).toBe('outer/default/w');
          expect(ns('scope2')).toBe('outer/default/scope2/');
        });
        tf.variableScope(outer, { reuse: true }, () => {
          expect(w()).toBe('outer/w');
          expect(ns('scope2')).toBe('outer/outer_1/scope2/');
        });
        tf.variableScope('default', { reuse: true }, () => {
          expect(w()).toBe('outer/default/w');
          expect(ns('scope2')).toBe('outer/default_1/scope2/');
        });
      });
    });
  });

  test("towers: nameScope('tower_i') then variableScope(getVariableScope(), { reuse: i > 0 }) keeps 'tower_i/'", () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder(tf.float32, [null, 3]);
      const outs = [0, 1, 2].map((i) =>
        tf.device(`/cpu:${i}`, () =>
          tf.nameScope(`tower_${i}`, (scope) =>
            tf.variableScope(tf.getVariableScope(), { reuse: i > 0 }, () => {
              const y = tf.layers.dense(x, 4, { name: 'fc' });
              tf.addToCollection('losses', tf.reduceMean(y, undefined, 'loss'));
              return { y, own: tf.getCollection('losses', scope) as tf.Tensor[] };
            }),
          ),
        ),
      );
      expect(outs.map((o) => o.y.op.name)).toEqual([
        'tower_0/fc/BiasAdd',
        'tower_1/fc/BiasAdd',
        'tower_2/fc/BiasAdd',
      ]);
      expect(outs.map((o) => o.own.map((l) => l.op.name))).toEqual([
        ['tower_0/loss'],
        ['tower_1/loss'],
        ['tower_2/loss'],
      ]);
      expect(tf.trainableVariables().map((v) => v.opName)).toEqual(['fc/kernel', 'fc/bias']);
      expect(tf.getVariableScope().reuse).toBe(false);
    });
  });

  test('auxiliaryNameScope: false keeps the current name scope (the TF1 docstring example)', () => {
    new tf.Graph().asDefault(() => {
      const vs = tf.variableScope('foo', (s) => s);
      tf.variableScope(vs, { auxiliaryNameScope: false }, (vs1) => {
        expect(vs1.originalNameScope).toBe('foo/');
        tf.nameScope(vs1.originalNameScope, () => {
          expect(w('v')).toBe('foo/v');
          expect(tf.constant([1], undefined, undefined, 'c').op.name).toBe('foo/c');
        });
        expect(tf.constant(1, undefined, undefined, 'top').op.name).toBe('top');
      });
      tf.variableScope('bar', { auxiliaryNameScope: false }, () => {
        expect(w('u')).toBe('bar/u');
        expect(tf.constant(1, undefined, undefined, 'c2').op.name).toBe('c2');
      });
      expect(() => tf.variableScope('baz', { auxiliaryNameScope: 1 as never }, () => 0)).toThrow(
        /auxiliaryNameScope must be a boolean/,
      );
    });
  });

  test("a tf.layers object's second call puts its ops in its original name scope (dense/MatMul_1)", () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder(tf.float32, [null, 3]);
      const layer = new tf.layers.Dense(2);
      const a = layer.apply(x);
      const b = layer.apply(x);
      expect([a.op.name, b.op.name]).toEqual(['dense/BiasAdd', 'dense/BiasAdd_1']);
      expect(tf.trainableVariables().map((v) => v.opName)).toEqual(['dense/kernel', 'dense/bias']);
    });
  });
});

describe('model parallelism: an MLP split across /cpu:0 and /cpu:1', () => {
  const opts = { hiddenUnits: 16, learningRate: 0.5 };
  const feedOf = (m: ReturnType<typeof buildMlp>): [tf.Tensor, tf.NDArray][] => [
    [m.x, tf.ndarray(batch.xs, [BATCH, PIXELS])],
    [m.y_, tf.ndarray(batch.ys, [BATCH, CLASSES])],
  ];

  test('the split model gives the outputs, gradients and updates of the unsplit one', () => {
    const split = buildMlp(['/cpu:0', '/cpu:1'], opts);
    const whole = buildMlp(null, opts);
    const sessions = [split, whole].map((m) => {
      const sess = new tf.Session({ graph: m.graph });
      sess.run(m.init);
      return sess;
    });
    const [sSplit, sWhole] = sessions as [tf.Session, tf.Session];
    const vars = (m: typeof split, s: tf.Session) => s.run(m.gradsAndVars.map(([, v]) => v));
    const v0 = vars(whole, sWhole);
    // Same seed, same construction: the same initial weights.
    vars(split, sSplit).forEach((v, i) => expect(v?.data).toEqual(v0[i]?.data));

    const fetch = (m: typeof split, s: tf.Session) =>
      s.run([m.logits, m.crossEntropy, ...m.gradsAndVars.map(([g]) => g as tf.Tensor)], feedOf(m));
    const a = fetch(split, sSplit);
    const b = fetch(whole, sWhole);
    expect(a).toHaveLength(6);
    a.forEach((x, i) => expectClose(x?.data as Float32Array, b[i]?.data as Float32Array, 1e-6));

    for (let step = 0; step < 5; step++) {
      sSplit.run(split.trainOp, feedOf(split));
      sWhole.run(whole.trainOp, feedOf(whole));
    }
    const after = vars(whole, sWhole);
    vars(split, sSplit).forEach((v, i) => {
      expect(v?.data).not.toEqual(v0[i]?.data); // trained
      expectClose(v?.data as Float32Array, after[i]?.data as Float32Array, 1e-5);
    });
    sessions.forEach((s) => s.close());
  });

  test('layers and (colocated) gradients carry their devices; the unsplit model none', () => {
    const split = buildMlp(['/cpu:0', '/cpu:1'], opts);
    const device = (m: typeof split, name: string) =>
      m.graph.getOperations().find((op) => op.name === name)?.device;
    for (const [name, d] of [
      ['hidden1/MatMul', '/cpu:0'],
      ['hidden1/weights', '/cpu:0'],
      ['softmax_linear/MatMul', '/cpu:1'],
      ['softmax_linear/weights', '/cpu:1'],
      ['cross_entropy', '/cpu:1'],
      // colocateGradientsWithOps: each gradient op goes where its forward op is.
      ['gradients/softmax_linear/MatMul_grad/MatMul', '/cpu:1'],
      ['gradients/softmax_linear/MatMul_grad/MatMul_1', '/cpu:1'],
      ['gradients/hidden1/MatMul_grad/MatMul_1', '/cpu:0'],
    ] as const) {
      expect([name, device(split, name)]).toEqual([name, d]);
    }
    const whole = buildMlp(null, opts);
    expect(whole.graph.getOperations().every((op) => op.device === '')).toBe(true);
  });

  test('tf.gradients(colocateGradientsWithOps) places each gradient op with its forward op', () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder(tf.float32, [2]);
      const y = tf.device('/cpu:1', () => tf.square(x));
      const z = tf.device('/cpu:2', () => tf.reduceSum(y));
      const [colocated] = tf.gradients(z, [x], { colocateGradientsWithOps: true });
      const [plain] = tf.device('/cpu:3', () => tf.gradients(z, [x]));
      expect(colocated?.op.device).toBe('/cpu:1'); // the gradient of Square
      expect(plain?.op.device).toBe('/cpu:3'); // the enclosing device
      const sumGrad = tf
        .getDefaultGraph()
        .getOperations()
        .filter((op) => op.name.startsWith('gradients/Sum_grad/'));
      expect(sumGrad.length).toBeGreaterThan(0);
      expect(sumGrad.every((op) => op.device === '/cpu:2')).toBe(true);
    });
  });

  test('training with logDevicePlacement prints where each op runs and learns', () => {
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      logged.push(a.map(String).join(' '));
    });
    let r: ReturnType<typeof runModelParallel>;
    try {
      r = runModelParallel(40, 50);
    } finally {
      spy.mockRestore();
    }
    const text = logged.join('\n');
    const line = text.split('\n').find((l) => l.startsWith('softmax_linear/MatMul:'));
    expect(line).toBeDefined();
    const probe = new tf.Session({ graph: new tf.Graph() });
    const cpus = probe.listDevices().filter((d) => d.deviceType === 'CPU').length;
    probe.close();
    // With a second CPU device the layer runs there; with one, soft placement keeps it on CPU:0.
    expect(line).toMatch(cpus > 1 ? /device:CPU:1$/ : /device:CPU:0/);
    expect(text).toMatch(/^hidden1\/MatMul: \(MatMul\): .*device:CPU:0$/m);
    expect((r.losses.at(-1) as number) < (r.losses[0] as number) / 2).toBe(true);
    expect(r.testAccuracy).toBeGreaterThan(0.75);
  });
});
