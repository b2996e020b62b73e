import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

describe('global step', () => {
  test('getOrCreateGlobalStep creates one int32 scalar, non-trainable, in the global_step collection', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(tf.train.getGlobalStep()).toBeNull();
      const step = tf.nameScope('somewhere', () =>
        tf.controlDependencies([tf.noOp()], () => tf.train.getOrCreateGlobalStep()),
      );
      expect(step.opName).toBe('global_step');
      expect(step.name).toBe('global_step:0');
      expect(step.dtype).toBe('int32');
      expect(step.shape).toEqual([]);
      expect(step.trainable).toBe(false);
      expect(step.op.controlInputs).toEqual([]);
      expect(g.getCollection(tf.GraphKeys.GLOBAL_STEP)).toEqual([step]);
      expect(tf.globalVariables()).toContain(step);
      expect(tf.trainableVariables()).not.toContain(step);
      expect(tf.train.getOrCreateGlobalStep()).toBe(step);
      expect(tf.train.getGlobalStep(g)).toBe(step);
      expect(() => tf.train.createGlobalStep()).toThrow('"global_step" already exists.');
      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      const v = sess.run(step);
      expect(v.dtype).toBe('int32');
      expect(v.item()).toBe(0);
    });
  });

  test('each graph has its own global step', () => {
    const g1 = new tf.Graph();
    const g2 = new tf.Graph();
    const s1 = tf.train.getOrCreateGlobalStep(g1);
    const s2 = g2.asDefault(() => tf.train.getOrCreateGlobalStep());
    expect(s1.graph).toBe(g1);
    expect(s2.graph).toBe(g2);
    expect(s1).not.toBe(s2);
  });
});

describe('tf.train.exponentialDecay', () => {
  const lr0 = 0.1;
  const rate = 0.5;
  const steps = 4;

  function decayed(staircase: boolean, stepValues: number[], positional = false): number[] {
    const g = new tf.Graph();
    return g.asDefault(() => {
      const step = tf.train.getOrCreateGlobalStep();
      const lr = positional
        ? tf.train.exponentialDecay(lr0, step, steps, rate, staircase)
        : tf.train.exponentialDecay(lr0, step, steps, rate, { staircase });
      expect(lr.op.name).toBe('ExponentialDecay');
      expect(lr.dtype).toBe('float32');
      expect(lr.shape).toEqual([]);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      return stepValues.map((s) => {
        sess.run(step.assign(tf.constant(s, 'int32')));
        return sess.run(lr).item() as number;
      });
    });
  }

  test('continuous: lr · rate^(step / decaySteps)', () => {
    const stepsToTry = [0, 1, 3, 4, 6, 10];
    const got = decayed(false, stepsToTry);
    stepsToTry.forEach((s, i) => expect(got[i]).toBeCloseTo(lr0 * rate ** (s / steps), 7));
    expect(got[1]).not.toBeCloseTo(got[0] as number, 5);
  });

  test('staircase: lr · rate^floor(step / decaySteps)', () => {
    const stepsToTry = [0, 1, 3, 4, 6, 8, 11];
    const got = decayed(true, stepsToTry);
    stepsToTry.forEach((s, i) => expect(got[i]).toBeCloseTo(lr0 * rate ** Math.floor(s / steps), 7));
    expect(got.slice(0, 3)).toEqual([got[0], got[0], got[0]]);
    expect(decayed(true, stepsToTry, true)).toEqual(got);
  });

  test('drives an optimizer whose minimize increments the step', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const W = new tf.Variable([1, -2], { name: 'W' });
      const globalStep = tf.train.getOrCreateGlobalStep();
      const lr = tf.train.exponentialDecay(0.25, globalStep, 1, 0.5, { staircase: true });
      const train = new tf.train.GradientDescentOptimizer(lr).minimize(tf.square(W), { globalStep });
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      let w = [1, -2];
      for (let t = 0; t < 4; t++) {
        const rateT = 0.25 * 0.5 ** t; // the step is read before its increment
        w = w.map((x) => x - rateT * 2 * x);
        sess.run(train);
        Array.from(sess.run(W).data).forEach((v, i) => expect(v).toBeCloseTo(w[i] as number, 12));
      }
      expect(sess.run(globalStep).item()).toBe(4);
    });
  });

  test('tensor arguments and a missing global step', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const step = tf.placeholder('int32', [], 'step');
      const lr = tf.train.exponentialDecay(tf.constant(2), step, tf.constant(3, 'int32'), 0.25, 'decayed');
      expect(lr.op.name).toBe('decayed');
      expect(new tf.Session({ graph: g }).run(lr, { step: 6 }).item()).toBeCloseTo(2 * 0.25 ** 2, 6);
      expect(() => tf.train.exponentialDecay(0.1, null, 10, 0.9)).toThrow(
        'global_step is required for exponential_decay.',
      );
    });
  });
});

describe('exponentialDecay TF1 call forms', () => {
  test('staircase given positionally (TF1: exponential_decay(lr, step, 100, 0.96, True)) is honoured', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const step = tf.train.getOrCreateGlobalStep();
      const stair = tf.train.exponentialDecay(0.1, step, 4, 0.5, true, 'stair');
      const smooth = tf.train.exponentialDecay(0.1, step, 4, 0.5, false);
      expect(stair.op.name).toBe('stair');
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      sess.run(step.assign(tf.constant(6, 'int32')));
      // floor(6 / 4) = 1 → 0.05; continuous: 0.1 · 0.5^1.5.
      expect(sess.run(stair).item()).toBeCloseTo(0.05, 9);
      expect(sess.run(smooth).item()).toBeCloseTo(0.1 * 0.5 ** 1.5, 9);
    });
  });

  test('keyword names, snake_case, unknown keys and wrong types', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const step = tf.train.getOrCreateGlobalStep();
      const lr = tf.train.exponentialDecay({
        learning_rate: 0.1,
        global_step: step,
        decay_steps: 4,
        decay_rate: 0.5,
        staircase: true,
      } as never);
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      sess.run(step.assign(tf.constant(5, 'int32')));
      expect(sess.run(lr).item()).toBeCloseTo(0.05, 9);
      expect(() => tf.train.exponentialDecay(0.1, step, 4, 0.5, { stairs: true } as never)).toThrow(
        /unexpected keyword argument 'stairs'/,
      );
      expect(() => tf.train.exponentialDecay(0.1, step, 4, 0.5, 1 as never)).toThrow(
        /argument 'staircase' must be a boolean/,
      );
    });
  });
});
