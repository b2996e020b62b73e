import * as tf from '../../src';

const f32 = Math.fround;
const ema1 = (s: number, v: number, d: number): number => f32(s - f32(f32(s - v) * f32(1 - f32(d))));

describe('tf.train.ExponentialMovingAverage', () => {
  test('shadow variables: names, collections, initial value, update formula', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const W = new tf.Variable([1, 2], { name: 'W' });
      const b = tf.variableScope('layer', () => new tf.Variable([0.5], { name: 'b' }));
      const ema = new tf.train.ExponentialMovingAverage(0.9);
      expect(ema.name).toBe('ExponentialMovingAverage');
      expect(ema.averageName(W)).toBe('W/ExponentialMovingAverage');
      const op = tf.controlDependencies([tf.noOp('before')], () => ema.apply([W, b]));
      expect(op.name).toBe('ExponentialMovingAverage');
      const sW = ema.average(W) as tf.Variable;
      const sb = ema.average(b) as tf.Variable;
      expect(sW.opName).toBe('W/ExponentialMovingAverage');
      expect(sb.opName).toBe('layer/b/ExponentialMovingAverage');
      expect(sW.initializer.controlInputs).toEqual([]);
      expect(sW.trainable).toBe(false);
      expect(tf.trainableVariables()).toEqual([W, b]);
      expect(tf.globalVariables()).toEqual([W, b, sW, sb]);
      expect(tf.getCollection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES)).toEqual([W, b]);
      expect(ema.average(tf.constant(1))).toBeNull();

      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(sW).toArray()).toEqual([1, 2]); // initialized with W's initial value
      sess.run(W.assign([3, 5]));
      sess.run(op);
      const got = sess.run(sW).toArray() as number[];
      expect(got[0]).toBe(ema1(1, 3, 0.9));
      expect(got[1]).toBe(ema1(2, 5, 0.9));
      sess.run(op);
      expect((sess.run(sW).toArray() as number[])[0]).toBe(ema1(ema1(1, 3, 0.9), 3, 0.9));
      expect(sess.run(sb).toArray()).toEqual([0.5]);
    });
  });

  test('numUpdates: decay = min(decay, (1 + n) / (10 + n))', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const step = tf.train.getOrCreateGlobalStep();
      const v = new tf.Variable(10, { name: 'v' });
      const ema = new tf.train.ExponentialMovingAverage(0.99, step);
      const op = ema.apply([v]);
      const shadow = ema.average(v) as tf.Variable;
      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      sess.run(v.assign(20));
      sess.run(op); // n = 0: decay 0.1
      let expected = ema1(10, 20, f32(1 / 10));
      expect(sess.run(shadow).item()).toBeCloseTo(expected, 5);
      sess.run(step.assign(1000));
      sess.run(op); // n = 1000: min(0.99, 1001/1010) = 0.99
      expected = ema1(expected, 20, 0.99);
      expect(sess.run(shadow).item()).toBeCloseTo(expected, 5);
    });
  });

  test('default varList is the trainable variables; tensors get zero-initialized shadows', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const a = new tf.Variable([1, 1], { name: 'a' });
      new tf.Variable(7, { name: 'frozen', trainable: false });
      const ema = new tf.train.ExponentialMovingAverage(0.5, { name: 'avg' });
      ema.apply();
      expect((ema.average(a) as tf.Variable).opName).toBe('a/avg');
      const loss = tf.reduceSum(a, null, false, 'loss');
      const op = ema.apply([loss]);
      const sl = ema.average(loss) as tf.Variable;
      expect(sl.opName).toBe('loss/avg');
      expect(tf.getCollection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES)).toEqual([a]);
      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(sl).item()).toBe(0);
      sess.run(op);
      expect(sess.run(sl).item()).toBe(1); // 0 - 0.5 * (0 - 2)
      expect(() =>
        new tf.train.ExponentialMovingAverage(0.5, null, true, 'zd').apply([tf.multiply(loss, 2)]),
      ).toThrow(/zero_debias/);
      expect(() =>
        new tf.train.ExponentialMovingAverage(0.5).apply([new tf.Variable(1, { dtype: 'int32' })]),
      ).toThrow('The variables must be half, float, or double');
    });
  });

  test('variablesToRestore maps average names to variables, others under their own names', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const W = new tf.Variable([1, 2], { name: 'W' });
      const step = tf.train.getOrCreateGlobalStep();
      const ema = new tf.train.ExponentialMovingAverage(0.9);
      ema.apply([W]);
      const map = ema.variablesToRestore();
      expect(Object.keys(map).sort()).toEqual(['W/ExponentialMovingAverage', 'global_step']);
      expect(map['W/ExponentialMovingAverage']).toBe(W);
      expect(map.global_step).toBe(step);
    });
  });
});
