/**
 * The bench workloads written with tensorgraph's public API (graph built once, Session.run per step).
 */
import * as tf from '../src';
import { GRU, LENET, MATMUL_SIZES, MLP, OVERHEAD_OPS, oneHot, uniform, weights, Workload } from './common';

export interface Prepared {
  step: () => void;
  /** Calls of `step` per timed repetition (tiny workloads are batched). */
  inner?: number;
  flops?: number;
  ops?: number;
  loss?: () => number;
}

let sessionBackend: tf.SessionOptions['backend'];
let sessionDevices = 1;
const newSession = (): tf.Session =>
  new tf.Session({ ...(sessionBackend ? { backend: sessionBackend } : {}), cpuDevices: sessionDevices });

const nd = (data: Float32Array, shape: number[]): tf.NDArray => tf.ndarray(data, shape, 'float32');
const variable = (data: Float32Array, shape: number[], name: string): tf.Variable =>
  new tf.Variable(tf.constant(nd(data, shape)), { name });

/**
 * Builds a workload's graph and session; `backend` overrides the session backend (profiling); `towers`
 * splits the MLP/LeNet batch over that many CPU devices (data parallelism, one session).
 */
export function prepare(workload: Workload, backend?: tf.SessionOptions['backend'], towers = 1): Prepared {
  tf.resetDefaultGraph();
  sessionBackend = backend;
  sessionDevices = towers;
  if (workload in MATMUL_SIZES) return matmul(MATMUL_SIZES[workload] as number);
  if (workload === 'mlp' || workload === 'mlp-towers') return mlp(towers);
  if (workload === 'lenet' || workload === 'lenet-towers') return lenet(towers);
  if (workload === 'gru') return gru();
  return overhead();
}

function matmul(n: number): Prepared {
  const a = variable(uniform(n * n, 1), [n, n], 'a');
  const b = variable(uniform(n * n, 2), [n, n], 'b');
  const c = tf.matmul(a, b);
  const sess = newSession();
  sess.run(tf.globalVariablesInitializer());
  return { step: () => void sess.run(c), flops: 2 * n * n * n };
}

function trainer(loss: tf.Tensor, train: tf.Operation, feed: Map<tf.Tensor, tf.NDArray>): Prepared {
  const sess = newSession();
  sess.run(tf.globalVariablesInitializer());
  let last = NaN;
  return {
    step: () => {
      const [l] = sess.run([loss, train], feed);
      last = l.item() as number;
    },
    loss: () => last,
  };
}

/**
 * The training op for `model`: one graph on '/cpu:0', or `towers` copies on '/cpu:0'…, each on its slice
 * of the batch, their gradients averaged and applied once (TF1's multi-tower pattern).
 */
function training(
  model: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  y: tf.Tensor,
  opt: tf.train.Optimizer,
  towers: number,
): { loss: tf.Tensor; train: tf.Operation } {
  if (towers === 1) {
    const loss = model(x, y);
    return { loss, train: opt.minimize(loss) };
  }
  const xs = tf.split(x, towers, 0);
  const ys = tf.split(y, towers, 0);
  const losses: tf.Tensor[] = [];
  const towerGrads: [tf.Tensor | null, tf.Variable][][] = [];
  for (let i = 0; i < towers; i++) {
    tf.device(`/cpu:${i}`, () =>
      tf.nameScope(`tower_${i}`, () => {
        const loss = model(xs[i] as tf.Tensor, ys[i] as tf.Tensor);
        losses.push(loss);
        towerGrads.push(opt.computeGradients(loss));
      }),
    );
  }
  const averaged = (towerGrads[0] as [tf.Tensor | null, tf.Variable][]).map(([, v], k) => {
    const gs = towerGrads.map((g) => (g[k] as [tf.Tensor | null, tf.Variable])[0] as tf.Tensor);
    return [tf.multiply(tf.addN(gs), 1 / towers), v] as [tf.Tensor, tf.Variable];
  });
  return { loss: tf.multiply(tf.addN(losses), 1 / towers), train: opt.applyGradients(averaged) };
}

function mlp(towers: number): Prepared {
  const { batch, input, hidden, classes, lr } = MLP;
  const x = tf.placeholder('float32', [null, input], 'x');
  const y = tf.placeholder('float32', [null, classes], 'y');
  const w1 = variable(weights(input * hidden, input, hidden, 11), [input, hidden], 'w1');
  const b1 = variable(new Float32Array(hidden), [hidden], 'b1');
  const w2 = variable(weights(hidden * classes, hidden, classes, 12), [hidden, classes], 'w2');
  const b2 = variable(new Float32Array(classes), [classes], 'b2');
  const model = (xb: tf.Tensor, yb: tf.Tensor): tf.Tensor => {
    const h = tf.nn.relu(tf.add(tf.matmul(xb, w1), b1));
    const logits = tf.add(tf.matmul(h, w2), b2);
    return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: yb, logits }));
  };
  const { loss, train } = training(model, x, y, new tf.train.AdamOptimizer(lr), towers);
  const feed = new Map([
    [x, nd(uniform(batch * input, 3, 0, 1), [batch, input])],
    [y, nd(oneHot(batch, classes), [batch, classes])],
  ]);
  return trainer(loss, train, feed);
}

function lenet(towers: number): Prepared {
  const { batch, size, classes, lr } = LENET;
  const x = tf.placeholder('float32', [null, size, size, 1], 'x');
  const y = tf.placeholder('float32', [null, classes], 'y');
  const c1 = variable(weights(5 * 5 * 6, 25, 6 * 25, 21), [5, 5, 1, 6], 'c1');
  const cb1 = variable(new Float32Array(6), [6], 'cb1');
  const c2 = variable(weights(5 * 5 * 6 * 16, 150, 400, 22), [5, 5, 6, 16], 'c2');
  const cb2 = variable(new Float32Array(16), [16], 'cb2');
  const f1 = variable(weights(400 * 120, 400, 120, 23), [400, 120], 'f1');
  const fb1 = variable(new Float32Array(120), [120], 'fb1');
  const f2 = variable(weights(120 * 84, 120, 84, 24), [120, 84], 'f2');
  const fb2 = variable(new Float32Array(84), [84], 'fb2');
  const f3 = variable(weights(84 * classes, 84, classes, 25), [84, classes], 'f3');
  const fb3 = variable(new Float32Array(classes), [classes], 'fb3');
  const pool = (t: tf.Tensor): tf.Tensor => tf.nn.maxPool(t, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID');
  const model = (xb: tf.Tensor, yb: tf.Tensor): tf.Tensor => {
    let h = pool(tf.nn.relu(tf.add(tf.nn.conv2d(xb, c1, [1, 1, 1, 1], 'SAME'), cb1))); // [?,14,14,6]
    h = pool(tf.nn.relu(tf.add(tf.nn.conv2d(h, c2, [1, 1, 1, 1], 'VALID'), cb2))); // [?,5,5,16]
    h = tf.reshape(h, [-1, 400]);
    h = tf.nn.relu(tf.add(tf.matmul(h, f1), fb1));
    h = tf.nn.relu(tf.add(tf.matmul(h, f2), fb2));
    const logits = tf.add(tf.matmul(h, f3), fb3);
    return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: yb, logits }));
  };
  const { loss, train } = training(model, x, y, new tf.train.GradientDescentOptimizer(lr), towers);
  const feed = new Map([
    [x, nd(uniform(batch * size * size, 4, 0, 1), [batch, size, size, 1])],
    [y, nd(oneHot(batch, classes), [batch, classes])],
  ]);
  return trainer(loss, train, feed);
}

/** GRU from its equations, unrolled over the sequence: z, r gates, candidate n, h = (1-z)·n + z·h. */
function gru(): Prepared {
  const { seq, batch, input, hidden, lr } = GRU;
  const x = tf.placeholder('float32', [seq, batch, input], 'x');
  const target = tf.placeholder('float32', [batch, hidden], 'target');
  const w = (name: string, rows: number, seed: number): tf.Variable =>
    variable(weights(rows * hidden, rows, hidden, seed), [rows, hidden], name);
  const bias = (name: string): tf.Variable => variable(new Float32Array(hidden), [hidden], name);
  const [wz, wr, wn] = [w('wz', input, 31), w('wr', input, 32), w('wn', input, 33)];
  const [uz, ur, un] = [w('uz', hidden, 34), w('ur', hidden, 35), w('un', hidden, 36)];
  const [bz, br, bn] = [bias('bz'), bias('br'), bias('bn')];
  const xs = tf.unstack(x);
  let h: tf.Tensor = tf.zeros([batch, hidden]);
  for (const xt of xs) {
    const z = tf.sigmoid(tf.add(tf.add(tf.matmul(xt, wz), tf.matmul(h, uz)), bz));
    const r = tf.sigmoid(tf.add(tf.add(tf.matmul(xt, wr), tf.matmul(h, ur)), br));
    const n = tf.tanh(tf.add(tf.add(tf.matmul(xt, wn), tf.matmul(tf.multiply(r, h), un)), bn));
    h = tf.add(tf.multiply(tf.subtract(1, z), n), tf.multiply(z, h));
  }
  const loss = tf.reduceMean(tf.square(tf.subtract(h, target)));
  const train = new tf.train.AdamOptimizer(lr).minimize(loss);
  const feed = new Map([
    [x, nd(uniform(seq * batch * input, 5), [seq, batch, input])],
    [target, nd(uniform(batch * hidden, 6, -0.5, 0.5), [batch, hidden])],
  ]);
  return trainer(loss, train, feed);
}

/**
 * Session.run on a chain of OVERHEAD_OPS tiny ops over [2, 2] tensors: binary elementwise ops separated by
 * softmax (not elementwise), so the fusion pass cannot merge them: the plan really runs 10 steps.
 */
function overhead(): Prepared {
  const x = tf.placeholder('float32', [2, 2], 'x');
  let t: tf.Tensor = x;
  const ops = [tf.add, tf.multiply, tf.subtract, tf.maximum, tf.add];
  for (let i = 0; i < OVERHEAD_OPS; i++) {
    t = i % 2 === 0 ? (ops[(i / 2) % ops.length] as typeof tf.add)(t, x) : tf.nn.softmax(t);
  }
  const sess = newSession();
  const feed = new Map([[x, nd(new Float32Array([0.1, 0.2, 0.3, 0.4]), [2, 2])]]);
  const plan = sess.plan(t, feed);
  if (plan.steps.length !== OVERHEAD_OPS) throw new Error(`overhead graph has ${plan.steps.length} steps`);
  return { step: () => void sess.run(t, feed), inner: 1000, ops: OVERHEAD_OPS };
}
