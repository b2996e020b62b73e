// TF1's layer classes: one object, many calls sharing variables; names, updates, losses.
import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

const arr = (a: NDArray): number[] => Array.from(a.data, Number);
const inGraph = <T>(fn: (g: tf.Graph) => T): T => {
  const g = new tf.Graph();
  return g.asDefault(() => fn(g));
};

describe('tf.layers classes', () => {
  test('Dense: apply twice shares kernel/bias and equals the functional form', () =>
    inGraph((g) => {
      const x1 = tf.placeholder('float32', [null, 3], 'x1');
      const x2 = tf.placeholder('float32', [null, 3], 'x2');
      const layer = new tf.layers.Dense(2, tf.nn.relu, {
        kernelRegularizer: tf.contrib.layers.l2Regularizer(0.1),
      });
      expect(layer.built).toBe(false);
      const y1 = layer.apply(x1);
      const y2 = layer.call(x2);
      expect(layer.built).toBe(true);
      expect(layer.name).toBe('dense');
      expect(tf.globalVariables().map((v) => v.name)).toEqual(['dense/kernel:0', 'dense/bias:0']);
      expect(layer.kernel!.name).toBe('dense/kernel:0');
      expect(layer.trainableVariables.length).toBe(2);
      expect(layer.losses.map((t) => t.name)).toEqual(['dense/kernel/Regularizer/l2_regularizer:0']);
      const other = new tf.layers.Dense(4);
      other.apply(x1);
      expect(other.name).toBe('dense_1');
      const ref = tf.layers.dense(x2, 2, tf.nn.relu, { name: 'dense', reuse: true });
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const v = randomArray([3, 3], 2);
      const [a, b, c] = sess.run([y1, y2, ref], { x1: v, x2: v }) as NDArray[];
      expect(arr(a!)).toEqual(arr(c!));
      expect(arr(b!)).toEqual(arr(c!));
      expect(() => new tf.layers.Dense(2, { reuse: true } as never)).toThrow(
        /unexpected keyword argument 'reuse'/,
      );
    }));

  test('Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, BatchNormalization', () =>
    inGraph((g) => {
      const x = tf.placeholder('float32', [null, 4, 4, 1], 'x');
      const conv = new tf.layers.Conv2D(2, [3, 3], { padding: 'same', name: 'c1' });
      const h = conv.apply(x);
      conv.apply(x);
      expect(tf.globalVariables().length).toBe(2);
      expect(conv.kernel!.shape).toEqual([3, 3, 1, 2]);
      const p = new tf.layers.MaxPooling2D(2, 2).apply(h);
      const q = new tf.layers.AveragePooling2D([2, 2], 2, 'same').apply(h);
      expect(p.op.name).toBe('max_pooling2d/MaxPool');
      expect(q.shape).toEqual([null, 2, 2, 2]);
      const f = new tf.layers.Flatten().apply(p);
      expect(f.shape).toEqual([null, 8]);
      const drop = new tf.layers.Dropout(0.5, { seed: 1 });
      const d0 = drop.apply(f);
      const d1 = drop.apply(f, true);
      const bn = new tf.layers.BatchNormalization({ momentum: 0.5 });
      const isTraining = tf.placeholder('bool', [], 't');
      const n = bn.apply(f, isTraining);
      expect(bn.updates.length).toBe(2);
      expect(bn.nonTrainableVariables.map((v) => v.name)).toEqual([
        'batch_normalization/moving_mean:0',
        'batch_normalization/moving_variance:0',
      ]);
      bn.apply(f, false);
      expect(bn.variables.length).toBe(4);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([2, 4, 4, 1], 3);
      const [fv, d0v, d1v] = sess.run([f, d0, d1], { x: xv }) as NDArray[];
      expect(arr(d0v!)).toEqual(arr(fv!));
      arr(d1v!).forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * arr(fv!)[i]!) < 1e-9).toBe(true));
      expect(sess.run(n, { x: xv, t: true }).shape).toEqual([2, 8]);
    }));
});
