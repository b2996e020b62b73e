// tf.layers against TF1's formulas computed here in float64: variable names, shapes, collections, reuse,
// call forms, dropout, pooling, flatten, gradients through layers.
import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

type M = number[][];
const arr = (a: NDArray): number[] => Array.from(a.data, Number);
function expectClose(actual: NDArray | number[], expected: number[], tol = 1e-9): void {
  const a = actual instanceof NDArray ? arr(actual) : actual;
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(tol));
}
const matmul = (x: M, w: M): M =>
  x.map((r) => w[0]!.map((_c, j) => r.reduce((s, v, k) => s + v * w[k]![j]!, 0)));
const names = (xs: { name: string }[]): string[] => xs.map((v) => v.name);
const inGraph = <T>(fn: (g: tf.Graph) => T): T => {
  const g = new tf.Graph();
  return g.asDefault(() => fn(g));
};

describe('tf.layers.dense', () => {
  test('TF1 positional form: relu(x·kernel + bias), variables dense/kernel [in, units] and dense/bias', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 4], 'x');
      const y = tf.layers.dense(x, 3, tf.nn.relu);
      expect(y.shape).toEqual([null, 3]);
      expect(y.op.name).toBe('dense/Relu');
      const vars = tf.globalVariables();
      expect(names(vars)).toEqual(['dense/kernel:0', 'dense/bias:0']);
      expect(vars.map((v) => v.shape)).toEqual([[4, 3], [3]]);
      expect(names(tf.trainableVariables())).toEqual(['dense/kernel:0', 'dense/bias:0']);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([5, 4], 11);
      const [W, b, out] = sess.run([vars[0]!, vars[1]!, y], { x: xv }) as NDArray[];
      expect(arr(b!)).toEqual([0, 0, 0]); // bias_initializer=zeros
      // glorot uniform: limit sqrt(6 / (fan_in + fan_out))
      const lim = Math.sqrt(6 / 7);
      arr(W!).forEach((w) => expect(Math.abs(w)).toBeLessThanOrEqual(lim));
      expect(new Set(arr(W!)).size).toBe(12);
      const ref = matmul(xv.toArray() as M, W!.toArray() as M).map((r) => r.map((v) => Math.max(0, v)));
      expectClose(out!, ref.flat());
    }));

  test('keyword options: initializers, useBias, trainable, unknown keys rejected', () =>
    inGraph((g) => {
      const x = tf.constant(randomArray([2, 3], 5));
      const y = tf.layers.dense(x, 2, {
        kernelInitializer: tf.initializers.constant([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        biasInitializer: tf.onesInitializer,
        activation: tf.tanh,
        name: 'fc',
      });
      const z = tf.layers.dense(x, 2, { useBias: false, trainable: false });
      expect(names(tf.globalVariables())).toEqual(['fc/kernel:0', 'fc/bias:0', 'dense/kernel:0']);
      expect(names(tf.trainableVariables())).toEqual(['fc/kernel:0', 'fc/bias:0']);
      expect(z.op.name).toBe('dense/MatMul');
      expect(() => tf.layers.dense(x, 2, { kernelInitialiser: null } as never)).toThrow(
        /dense\(\) got an unexpected keyword argument 'kernelInitialiser'/,
      );
      expect(() => tf.layers.dense(x, 2, { kernelConstraint: () => 0 } as never)).toThrow(TypeError);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = (x.op.attrs.value as NDArray).toArray() as M;
      const ref = matmul(xv, [
        [1, 2],
        [3, 4],
        [5, 6],
      ]).map((r) => r.map((v) => Math.tanh(v + 1)));
      expectClose(sess.run(y), ref.flat());
    }));

  test('naming: dense, dense_1, enclosing variable scope, names given', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 2]);
      tf.layers.dense(x, 2);
      tf.layers.dense(x, 2);
      tf.variableScope('outer', () => tf.layers.dense(x, 2));
      tf.layers.dense(x, 2, { name: 'logits' });
      expect(names(tf.globalVariables()).filter((n) => n.endsWith('kernel:0'))).toEqual([
        'dense/kernel:0',
        'dense_1/kernel:0',
        'outer/dense/kernel:0',
        'logits/kernel:0',
      ]);
    }));

  test('reuse: true shares the variables; without it TF1 raises "already exists"; AUTO_REUSE', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 2]);
      const a = tf.layers.dense(x, 3, { name: 'shared' });
      const b = tf.layers.dense(x, 3, { name: 'shared', reuse: true });
      expect(tf.globalVariables().length).toBe(2);
      expect(a.op.name).not.toBe(b.op.name);
      expect(() => tf.layers.dense(x, 3, { name: 'shared' })).toThrow(
        /Variable shared\/kernel already exists, disallowed/,
      );
      tf.layers.dense(x, 3, { name: 'auto', reuse: tf.AUTO_REUSE });
      tf.layers.dense(x, 3, { name: 'auto', reuse: tf.AUTO_REUSE });
      expect(tf.globalVariables().length).toBe(4);
      // reuse=True without a name: the default name 'dense' (TF1's layer base)
      tf.layers.dense(x, 3);
      tf.layers.dense(x, 3, { reuse: true });
      expect(tf.globalVariables().length).toBe(6);
      // an enclosing reusing scope
      tf.variableScope('m', () => tf.layers.dense(x, 3));
      tf.variableScope('m', { reuse: true }, () => tf.layers.dense(x, 3));
      expect(tf.globalVariables().length).toBe(8);
      expect(() => tf.layers.dense(x, 4, { name: 'shared', reuse: true })).toThrow(
        /Trying to share variable shared\/kernel/,
      );
    }));

  test('rank-3 inputs are multiplied along the last axis', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 3, 4], 'x');
      const y = tf.layers.dense(x, 2, { biasInitializer: tf.initializers.constant(0.5) });
      expect(y.shape).toEqual([null, 3, 2]);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([2, 3, 4], 3);
      const W = sess.run(tf.globalVariables()[0]!).toArray() as M;
      const ref = (xv.toArray() as number[][][]).map((m) => matmul(m, W).map((r) => r.map((v) => v + 0.5)));
      expectClose(sess.run(y, { x: xv }), ref.flat(2));
    }));

  test('errors: unknown last dimension, rank 1', () =>
    inGraph(() => {
      expect(() => tf.layers.dense(tf.placeholder('float32', [null, null]), 2)).toThrow(/should be defined/);
      expect(() => tf.layers.dense(tf.placeholder('float32', [3]), 2)).toThrow(/min_ndim=2/);
    }));
});

describe('regularizers', () => {
  test('kernelRegularizer / biasRegularizer go to REGULARIZATION_LOSSES with TF1 names and values', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 3]);
      tf.layers.dense(x, 2, {
        kernelRegularizer: tf.contrib.layers.l2Regularizer(0.1),
        biasRegularizer: tf.contrib.layers.l1Regularizer(0.5),
        biasInitializer: tf.initializers.constant([1, -2]),
      });
      const regs = tf.losses.getRegularizationLosses();
      expect(names(regs)).toEqual([
        'dense/kernel/Regularizer/l2_regularizer:0',
        'dense/bias/Regularizer/l1_regularizer:0',
      ]);
      expect(g.getCollection(tf.GraphKeys.REGULARIZATION_LOSSES)).toEqual(regs);
      // reuse adds no new regularization loss (TF1 adds it when the variable is created)
      tf.layers.dense(x, 2, {
        name: 'dense',
        reuse: true,
        kernelRegularizer: tf.contrib.layers.l2Regularizer(0.1),
      });
      expect(tf.losses.getRegularizationLosses().length).toBe(2);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const W = arr(sess.run(tf.globalVariables()[0]!));
      const l2 = (0.1 * W.reduce((s, w) => s + w * w, 0)) / 2;
      const [r0, r1, total] = sess.run([regs[0]!, regs[1]!, tf.losses.getRegularizationLoss()]) as NDArray[];
      expectClose(r0!, [l2]);
      expectClose(r1!, [0.5 * 3]);
      expectClose(total!, [l2 + 1.5]);
    }));

  test('tf.getVariable regularizer, l1L2Regularizer, scale 0 gives no loss, negative scale rejected', () =>
    inGraph((g) => {
      const w = tf.getVariable('w', [2, 2], {
        initializer: tf.initializers.constant([
          [1, -2],
          [3, -4],
        ]),
        regularizer: tf.contrib.layers.l1L2Regularizer(0.1, 0.2),
      });
      tf.getVariable('v', [2], { regularizer: tf.contrib.layers.l2Regularizer(0) });
      expect(() => tf.contrib.layers.l2Regularizer(-1)).toThrow(/scale less than 0/);
      const regs = tf.losses.getRegularizationLosses();
      expect(regs.length).toBe(1);
      expect(regs[0]!.op.name).toMatch(/^w\/Regularizer\//);
      const sess = float64Session(g);
      sess.run(w.initializer);
      expectClose(sess.run(regs[0]!), [0.1 * 10 + (0.2 * 30) / 2]);
      expectClose(sess.run(tf.losses.getRegularizationLoss()), [0.1 * 10 + 3]);
      const pen = tf.contrib.layers.applyRegularization(tf.contrib.layers.l2Regularizer(1), [w]);
      expectClose(sess.run(pen), [15]);
      expect(tf.losses.getRegularizationLosses().length).toBe(2);
    }));

  test('activityRegularizer: regularizer(output) / batch size', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 2], 'x');
      const y = tf.layers.dense(x, 2, {
        kernelInitializer: tf.initializers.constant([
          [1, 0],
          [0, 1],
        ]),
        activityRegularizer: tf.contrib.layers.l2Regularizer(1),
      });
      const [reg] = tf.losses.getRegularizationLosses();
      expect(reg!.op.name).toMatch(/^dense\/ActivityRegularizer\//);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = [
        [1, 2],
        [3, 4],
        [5, 6],
      ];
      expectClose(sess.run(y, { x: xv }), xv.flat());
      expectClose(sess.run(reg!, { x: xv }), [91 / 2 / 3]);
    }));
});

/** NHWC valid/same conv in float64. */
function conv(x: number[][][][], k: number[][][][], s: number, same: boolean): number[][][][] {
  const [H, W] = [x[0]!.length, x[0]![0]!.length];
  const [KH, KW, , O] = [k.length, k[0]!.length, k[0]![0]!.length, k[0]![0]![0]!.length];
  const outH = same ? Math.ceil(H / s) : Math.ceil((H - KH + 1) / s);
  const outW = same ? Math.ceil(W / s) : Math.ceil((W - KW + 1) / s);
  const padT = same ? Math.floor(Math.max((outH - 1) * s + KH - H, 0) / 2) : 0;
  const padL = same ? Math.floor(Math.max((outW - 1) * s + KW - W, 0) / 2) : 0;
  return x.map((img) =>
    Array.from({ length: outH }, (_a, i) =>
      Array.from({ length: outW }, (_b, j) =>
        Array.from({ length: O }, (_c, o) => {
          let sum = 0;
          for (let di = 0; di < KH; di++)
            for (let dj = 0; dj < KW; dj++) {
              const [r, c] = [i * s + di - padT, j * s + dj - padL];
              if (r < 0 || c < 0 || r >= H || c >= W) continue;
              img[r]![c]!.forEach((v, ci) => (sum += v * k[di]![dj]![ci]![o]!));
            }
          return sum;
        }),
      ),
    ),
  );
}

describe('tf.layers.conv2d', () => {
  test.each([
    ['same', 1],
    ['valid', 2],
    ['SAME', 2],
  ] as const)('padding %s, stride %d: values, names, shapes', (padding, stride) =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 5, 6, 2], 'x');
      const y = tf.layers.conv2d(x, 3, [3, 2], stride, padding, {
        biasInitializer: tf.initializers.constant([0.1, 0.2, 0.3]),
      });
      const same = padding.toLowerCase() === 'same';
      expect(y.op.name).toBe('conv2d/BiasAdd');
      expect(names(tf.globalVariables())).toEqual(['conv2d/kernel:0', 'conv2d/bias:0']);
      expect(tf.globalVariables()[0]!.shape).toEqual([3, 2, 2, 3]);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([2, 5, 6, 2], 21);
      const K = sess.run(tf.globalVariables()[0]!).toArray() as number[][][][];
      const ref = conv(xv.toArray() as number[][][][], K, stride, same).map((a) =>
        a.map((r) => r.map((c) => c.map((v, o) => v + [0.1, 0.2, 0.3][o]!))),
      );
      const out = sess.run(y, { x: xv });
      expect(out.shape).toEqual([2, ref[0]!.length, ref[0]![0]!.length, 3]);
      expect(y.shape).toEqual([null, ref[0]!.length, ref[0]![0]!.length, 3]);
      expectClose(out, ref.flat(3));
    }),
  );

  test('TF1 keyword form with activation; second layer conv2d_1; unsupported options rejected', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 8, 8, 1]);
      const c1 = tf.layers.conv2d(x, 4, [5, 5], { padding: 'same', activation: tf.nn.relu });
      const c2 = tf.layers.conv2d({ inputs: c1, filters: 2, kernelSize: 3 } as never);
      expect(c1.op.name).toBe('conv2d/Relu');
      expect(c2.shape).toEqual([null, 6, 6, 2]);
      expect(tf.globalVariables()[2]!.name).toBe('conv2d_1/kernel:0');
      expect(() => tf.layers.conv2d(x, 2, 3, { dataFormat: 'channels_first' })).toThrow(/channels_first/);
      expect(() => tf.layers.conv2d(x, 2, 3, { dilationRate: 2 })).toThrow(/dilation_rate/);
      expect(() => tf.layers.conv2d(x, 2, 3, { padding: 'full' } as never)).toThrow(TypeError);
      expect(() => tf.layers.conv2d(tf.placeholder('float32', [null, 8]), 2, 3)).toThrow(/expected ndim=4/);
    }));
});

describe('pooling, flatten', () => {
  test('maxPooling2d / averagePooling2d vs float64 windows (valid and same)', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 5, 5, 2], 'x');
      const mp = tf.layers.maxPooling2d(x, [2, 2], 2);
      const ap = tf.layers.averagePooling2d(x, 2, 2, 'Same');
      expect(mp.op.name).toBe('max_pooling2d/MaxPool');
      expect(ap.op.name).toBe('average_pooling2d/AvgPool');
      expect(mp.shape).toEqual([null, 2, 2, 2]);
      expect(ap.shape).toEqual([null, 3, 3, 2]);
      const xv = randomArray([1, 5, 5, 2], 9);
      const X = xv.toArray() as number[][][][];
      const pool = (n: number, f: (vs: number[]) => number) =>
        Array.from({ length: n }, (_a, i) =>
          Array.from({ length: n }, (_b, j) =>
            [0, 1].map((c) => {
              const vs: number[] = [];
              for (let di = 0; di < 2; di++)
                for (let dj = 0; dj < 2; dj++) {
                  const [r, s] = [2 * i + di, 2 * j + dj];
                  if (r < 5 && s < 5) vs.push(X[0]![r]![s]![c]!);
                }
              return f(vs);
            }),
          ),
        );
      const sess = float64Session(g);
      const [m, a] = sess.run([mp, ap], { x: xv }) as NDArray[];
      expectClose(m!, pool(2, (vs) => Math.max(...vs)).flat(2));
      expectClose(a!, pool(3, (vs) => vs.reduce((p, v) => p + v, 0) / vs.length).flat(2));
    }));

  test('flatten: [batch, rest] with static shape', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 2, 3, 2], 'x');
      const f = tf.layers.flatten(x);
      expect(f.shape).toEqual([null, 12]);
      expect(f.op.name).toBe('flatten/Reshape');
      const xv = randomArray([2, 2, 3, 2], 4);
      const out = float64Session(g).run(f, { x: xv });
      expect(out.shape).toEqual([2, 12]);
      expectClose(out, arr(xv));
    }));
});

describe('tf.layers.dropout', () => {
  test('training false (the default) is the identity; training true drops with rate and scales 1/(1-rate)', () =>
    inGraph((g) => {
      const xv = new NDArray(new Float64Array(2000).fill(1.5), [20, 100], 'float32');
      const x = tf.placeholder('float32', [20, 100], 'x');
      const off = tf.layers.dropout(x);
      const on = tf.layers.dropout(x, 0.25, { training: true, seed: 3 });
      const isTraining = tf.placeholder('bool', [], 'is_training');
      const fed = tf.layers.dropout(x, { rate: 0.25, training: isTraining, seed: 3 });
      const sess = float64Session(g);
      expectClose(sess.run(off, { x: xv }), arr(xv));
      expectClose(sess.run(fed, { x: xv, is_training: false }), arr(xv));
      for (const out of [sess.run(on, { x: xv }), sess.run(fed, { x: xv, is_training: true })]) {
        const vals = arr(out);
        vals.forEach((v) => expect(v === 0 || Math.abs(v - 1.5 / 0.75) < 1e-9).toBe(true));
        const dropped = vals.filter((v) => v === 0).length / vals.length;
        expect(dropped).toBeGreaterThan(0.2);
        expect(dropped).toBeLessThan(0.3);
      }
      expect(() => tf.layers.dropout(x, 1.0, { training: true })).toThrow(RangeError);
      expect(() => tf.layers.dropout(x, { keepProb: 0.5 } as never)).toThrow(
        /unexpected keyword argument 'keepProb'/,
      );
    }));
});

describe('gradients through layers', () => {
  test('a few gradient-descent steps on conv → pool → flatten → dense → softmax loss reduce the loss', () =>
    inGraph((g) => {
      tf.setRandomSeed(1);
      const x = tf.placeholder('float32', [null, 6, 6, 1], 'x');
      const labels = tf.placeholder('int32', [null], 'labels');
      const c = tf.layers.conv2d(x, 3, 3, { padding: 'same', activation: tf.nn.relu });
      const p = tf.layers.maxPooling2d(c, 2, 2);
      const h = tf.layers.dense(tf.layers.flatten(p), 8, tf.nn.relu);
      const logits = tf.layers.dense(h, 2);
      const loss = tf.losses.sparseSoftmaxCrossEntropy(labels, logits);
      const grads = tf.gradients(loss, tf.trainableVariables());
      expect(grads.every((gr) => gr !== null)).toBe(true);
      const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([4, 6, 6, 1], 17);
      const feed = { x: xv, labels: [0, 1, 1, 0] };
      const first = arr(sess.run(loss, feed))[0]!;
      for (let i = 0; i < 20; i++) sess.run(train, feed);
      const last = arr(sess.run(loss, feed))[0]!;
      expect(last).toBeLessThan(first * 0.5);
    }));
});
