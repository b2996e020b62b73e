/**
 * The same bench workloads written with TensorFlow.js (eager ops, optimizer.minimize per step), run on
 * its pure-JS CPU backend or its WebAssembly (XNNPACK, SIMD) backend.
 */
// The umbrella package: tfjs-core's own bundles register no gradients, @tensorflow/tfjs does (and the CPU backend).
import * as tf from '@tensorflow/tfjs';
import { GRU, LENET, MATMUL_SIZES, MLP, OVERHEAD_OPS, oneHot, uniform, weights, Workload } from './common';
import type { Prepared } from './tensorgraph';

/** Selects and initializes a backend; returns its thread count. */
export async function initTfjs(backend: 'cpu' | 'wasm', threads: number): Promise<number> {
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (threads > 1) {
      // The threaded XNNPACK build needs browser-style Workers; tfjs only tries it when asked to.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasm.setThreadsCount(threads);
    }
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialize');
    await tf.ready();
    return wasm.getThreadsCount();
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend failed to initialize');
  await tf.ready();
  return 1;
}

const variable = (data: Float32Array, shape: number[]): tf.Variable => tf.variable(tf.tensor(data, shape));

export function prepareTfjs(workload: Workload): Prepared {
  if (workload in MATMUL_SIZES) return matmul(MATMUL_SIZES[workload] as number);
  if (workload === 'mlp' || workload === 'mlp-towers') return mlp();
  if (workload === 'lenet' || workload === 'lenet-towers') return lenet();
  if (workload === 'gru') return gru();
  return overhead();
}

function matmul(n: number): Prepared {
  const a = tf.tensor(uniform(n * n, 1), [n, n]);
  const b = tf.tensor(uniform(n * n, 2), [n, n]);
  return {
    step: () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    flops: 2 * n * n * n,
  };
}

function trainer(lossFn: () => tf.Scalar, opt: tf.Optimizer): Prepared {
  let last = NaN;
  return {
    step: () => {
      const cost = opt.minimize(lossFn, true) as tf.Scalar;
      last = cost.dataSync()[0] as number;
      cost.dispose();
    },
    loss: () => last,
  };
}

const xent = (labels: tf.Tensor, logits: tf.Tensor): tf.Scalar =>
  tf.mean(tf.losses.softmaxCrossEntropy(labels, logits, undefined, undefined, tf.Reduction.NONE));

function mlp(): Prepared {
  const { batch, input, hidden, classes, lr } = MLP;
  const x = tf.tensor(uniform(batch * input, 3, 0, 1), [batch, input]);
  const y = tf.tensor(oneHot(batch, classes), [batch, classes]);
  const w1 = variable(weights(input * hidden, input, hidden, 11), [input, hidden]);
  const b1 = variable(new Float32Array(hidden), [hidden]);
  const w2 = variable(weights(hidden * classes, hidden, classes, 12), [hidden, classes]);
  const b2 = variable(new Float32Array(classes), [classes]);
  const loss = (): tf.Scalar => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    return xent(y, tf.add(tf.matMul(h, w2), b2));
  };
  return trainer(loss, tf.train.adam(lr));
}

function lenet(): Prepared {
  const { batch, size, classes, lr } = LENET;
  const x = tf.tensor(uniform(batch * size * size, 4, 0, 1), [batch, size, size, 1]) as tf.Tensor4D;
  const y = tf.tensor(oneHot(batch, classes), [batch, classes]);
  const c1 = variable(weights(5 * 5 * 6, 25, 6 * 25, 21), [5, 5, 1, 6]) as tf.Variable<tf.Rank.R4>;
  const cb1 = variable(new Float32Array(6), [6]);
  const c2 = variable(weights(5 * 5 * 6 * 16, 150, 400, 22), [5, 5, 6, 16]) as tf.Variable<tf.Rank.R4>;
  const cb2 = variable(new Float32Array(16), [16]);
  const f1 = variable(weights(400 * 120, 400, 120, 23), [400, 120]);
  const fb1 = variable(new Float32Array(120), [120]);
  const f2 = variable(weights(120 * 84, 120, 84, 24), [120, 84]);
  const fb2 = variable(new Float32Array(84), [84]);
  const f3 = variable(weights(84 * classes, 84, classes, 25), [84, classes]);
  const fb3 = variable(new Float32Array(classes), [classes]);
  const pool = (t: tf.Tensor): tf.Tensor4D => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid');
  const loss = (): tf.Scalar => {
    let h: tf.Tensor4D = pool(tf.relu(tf.add(tf.conv2d(x, c1, 1, 'same'), cb1)));
    h = pool(tf.relu(tf.add(tf.conv2d(h, c2, 1, 'valid'), cb2)));
    let f: tf.Tensor = tf.reshape(h, [-1, 400]);
    f = tf.relu(tf.add(tf.matMul(f, f1), fb1));
    f = tf.relu(tf.add(tf.matMul(f, f2), fb2));
    return xent(y, tf.add(tf.matMul(f, f3), fb3));
  };
  return trainer(loss, tf.train.sgd(lr));
}

function gru(): Prepared {
  const { seq, batch, input, hidden, lr } = GRU;
  const x = tf.tensor(uniform(seq * batch * input, 5), [seq, batch, input]);
  const target = tf.tensor(uniform(batch * hidden, 6, -0.5, 0.5), [batch, hidden]);
  const w = (rows: number, seed: number): tf.Variable =>
    variable(weights(rows * hidden, rows, hidden, seed), [rows, hidden]);
  const bias = (): tf.Variable => variable(new Float32Array(hidden), [hidden]);
  const [wz, wr, wn] = [w(input, 31), w(input, 32), w(input, 33)];
  const [uz, ur, un] = [w(hidden, 34), w(hidden, 35), w(hidden, 36)];
  const [bz, br, bn] = [bias(), bias(), bias()];
  const xs = tf.unstack(x);
  const loss = (): tf.Scalar => {
    let h: tf.Tensor = tf.zeros([batch, hidden]);
    for (const xt of xs) {
      const z = tf.sigmoid(tf.add(tf.add(tf.matMul(xt, wz), tf.matMul(h, uz)), bz));
      const r = tf.sigmoid(tf.add(tf.add(tf.matMul(xt, wr), tf.matMul(h, ur)), br));
      const n = tf.tanh(tf.add(tf.add(tf.matMul(xt, wn), tf.matMul(tf.mul(r, h), un)), bn));
      h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    }
    return tf.mean(tf.square(tf.sub(h, target)));
  };
  return trainer(loss, tf.train.adam(lr));
}

/** The same 10-op chain as tensorgraph's overhead graph (elementwise ops and softmax), executed eagerly, result read back. */
function overhead(): Prepared {
  const x = tf.tensor([0.1, 0.2, 0.3, 0.4], [2, 2]);
  const ops = [tf.add, tf.mul, tf.sub, tf.maximum, tf.add] as ((a: tf.Tensor, b: tf.Tensor) => tf.Tensor)[];
  return {
    step: () => {
      const out = tf.tidy(() => {
        let t = x;
        for (let i = 0; i < OVERHEAD_OPS; i++) {
          t =
            i % 2 === 0
              ? (ops[(i / 2) % ops.length] as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(t, x)
              : tf.softmax(t);
        }
        return t;
      });
      out.dataSync();
      out.dispose();
    },
    inner: 1000,
    ops: OVERHEAD_OPS,
  };
}
