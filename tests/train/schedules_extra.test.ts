import * as tf from '../../src';

/** Evaluates `build(step)` at each step with the step fed through a float32-free int32 placeholder. */
function atSteps(build: (step: tf.Tensor) => tf.Tensor, steps: number[]): number[] {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const step = tf.placeholder('int32', [], 'step');
    const lr = build(step);
    expect(lr.dtype).toBe('float32');
    const sess = new tf.Session({ graph: g });
    return steps.map((s) => sess.run(lr, new Map([[step, tf.ndarray(s, [], 'int32')]])).item() as number);
  });
}

const f32 = Math.fround;
const STEPS = [0, 1, 5, 10, 37, 100, 250];

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i] as number, 6));
}

describe('piecewiseConstant', () => {
  test('values[i] on (b[i-1], b[i]], last value past the last boundary', () => {
    const out = atSteps(
      (s) => tf.train.piecewiseConstant(s, [10, 100], [1.0, 0.5, 0.1]),
      [0, 9, 10, 11, 100, 101, 1000],
    );
    expect(out).toEqual([1, 1, 1, 0.5, 0.5, f32(0.1), f32(0.1)]);
  });
  test('name, int values and errors', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const s = tf.placeholder('int32', [], 'step');
      const lr = tf.train.piecewiseConstant(s, [3], [1.0, 2.0], 'lr_sched');
      expect(lr.op.name).toBe('lr_sched');
      const ints = tf.train.piecewiseConstant(s, [3], [tf.constant(7, 'int32'), tf.constant(9, 'int32')]);
      expect(ints.dtype).toBe('int32');
      expect(() => tf.train.piecewiseConstant(s, [3, 4], [1.0, 2.0])).toThrow(
        'The length of boundaries should be 1 less than the length of values',
      );
      expect(() => tf.train.piecewiseConstant(s, [3], [tf.constant(1, 'int32'), tf.constant(2.5)])).toThrow(
        'same dtype',
      );
    });
  });
});

describe('polynomialDecay', () => {
  const ref = (lr: number, step: number, ds: number, end = 0.0001, power = 1, cycle = false): number => {
    let d = ds;
    let s = step;
    if (cycle) d = ds * (s === 0 ? 1 : Math.ceil(s / ds));
    else s = Math.min(s, ds);
    return (lr - end) * Math.pow(1 - s / d, power) + end;
  };
  test('defaults (end 0.0001, power 1)', () => {
    expectClose(
      atSteps((s) => tf.train.polynomialDecay(0.1, s, 100), STEPS),
      STEPS.map((s) => ref(0.1, s, 100)),
    );
  });
  test('power, end and cycle (keyword form)', () => {
    expectClose(
      atSteps(
        (s) => tf.train.polynomialDecay(0.1, s, 30, { endLearningRate: 0.01, power: 0.5, cycle: true }),
        STEPS,
      ),
      STEPS.map((s) => ref(0.1, s, 30, 0.01, 0.5, true)),
    );
    expectClose(
      atSteps((s) => tf.train.polynomialDecay(0.1, s, 30, 0.01, 2.0), STEPS),
      STEPS.map((s) => ref(0.1, s, 30, 0.01, 2)),
    );
  });
  test('name and missing global step', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const s = tf.placeholder('int32', [], 'step');
      expect(tf.train.polynomialDecay(0.1, s, 10).op.name).toBe('PolynomialDecay');
      expect(() => tf.train.polynomialDecay(0.1, null, 10)).toThrow(
        'global_step is required for polynomial_decay.',
      );
    });
  });
});

describe('inverseTimeDecay / naturalExpDecay / cosineDecay', () => {
  test('inverseTimeDecay', () => {
    expectClose(
      atSteps((s) => tf.train.inverseTimeDecay(0.1, s, 10, 0.5), STEPS),
      STEPS.map((s) => 0.1 / (1 + (0.5 * s) / 10)),
    );
    expectClose(
      atSteps((s) => tf.train.inverseTimeDecay(0.1, s, 10, 0.5, true), STEPS),
      STEPS.map((s) => 0.1 / (1 + 0.5 * Math.floor(s / 10))),
    );
  });
  test('naturalExpDecay', () => {
    expectClose(
      atSteps((s) => tf.train.naturalExpDecay(0.1, s, 50, 0.3), STEPS),
      STEPS.map((s) => 0.1 * Math.exp((-0.3 * s) / 50)),
    );
    expectClose(
      atSteps((s) => tf.train.naturalExpDecay(0.1, s, 50, 0.3, { staircase: true }), STEPS),
      STEPS.map((s) => 0.1 * Math.exp(-0.3 * Math.floor(s / 50))),
    );
  });
  test('cosineDecay (alpha default 0, and alpha)', () => {
    const ref = (s: number, ds: number, alpha: number): number => {
      const frac = Math.min(s, ds) / ds;
      return 0.1 * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * frac)) + alpha);
    };
    expectClose(
      atSteps((s) => tf.train.cosineDecay(0.1, s, 100), STEPS),
      STEPS.map((s) => ref(s, 100, 0)),
    );
    expectClose(
      atSteps((s) => tf.train.cosineDecay(0.1, s, 100, 0.2), STEPS),
      STEPS.map((s) => ref(s, 100, 0.2)),
    );
  });
  test('op names follow TF1', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const s = tf.placeholder('int32', [], 'step');
      expect(tf.train.inverseTimeDecay(0.1, s, 1, 0.5).op.name).toBe('InverseTimeDecay');
      expect(tf.train.naturalExpDecay(0.1, s, 1, 0.5).op.name).toBe('NaturalExpDecay');
      expect(tf.train.cosineDecay(0.1, s, 1).op.name).toBe('CosineDecay');
    });
  });
});
