// tf.initializers with TF1's signatures and defaults (init_ops r1.15); expected values from TF1's
// documentation, checked statistically on seeded samples.
import * as tf from '../../src';
import { NDArray } from '../../src';

function run(init: tf.initializers.Initializer, shape: number[], dtype?: tf.DType): NDArray {
  const g = new tf.Graph();
  return g.asDefault(() => new tf.Session({ graph: g }).run(init(shape, dtype)));
}

function stats(a: NDArray): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(a.data);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

/** Std of a standard normal truncated to [-2, 2] (TF1's constant .87962566103423978). */
const TRUNC = 0.87962566103423978;

describe('random initializers: TF1 defaults and positional order', () => {
  test('randomUniform(-0.1, 0.1) samples [-0.1, 0.1)', () => {
    const s = stats(run(tf.initializers.randomUniform(-0.1, 0.1, 1), [20000]));
    expect(s.min).toBeGreaterThanOrEqual(-0.1);
    expect(s.max).toBeLessThan(0.1);
    expect(s.min).toBeLessThan(-0.099);
    expect(Math.abs(s.std - 0.2 / Math.sqrt(12))).toBeLessThan(0.002);
  });

  test('randomUniform() defaults to [0, 1)', () => {
    const s = stats(run(tf.initializers.randomUniform({ seed: 2 }), [20000]));
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(1);
    expect(s.max).toBeGreaterThan(0.99);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.01);
  });

  test('randomUniform int32 needs maxval; with it, integers in range', () => {
    expect(() => run(tf.initializers.randomUniform(0, null, 3, 'int32'), [4])).toThrow(
      'Must specify maxval for integer dtype int32',
    );
    const d = run(tf.initializers.randomUniform(0, 4, 3, 'int32'), [1000]);
    expect(d.dtype).toBe('int32');
    expect(new Set(Array.from(d.data))).toEqual(new Set([0, 1, 2, 3]));
  });

  test('randomNormal() has stddev 1.0; randomNormal(mean, stddev) positionally', () => {
    const d = stats(run(tf.initializers.randomNormal({ seed: 4 }), [30000]));
    expect(Math.abs(d.mean)).toBeLessThan(0.03);
    expect(Math.abs(d.std - 1)).toBeLessThan(0.02);
    const s = stats(run(tf.randomNormalInitializer(2, 0.1, 5), [30000]));
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.003);
    expect(Math.abs(s.std - 0.1)).toBeLessThan(0.002);
  });

  test('truncatedNormal() has stddev 1.0 before truncation; positional (mean, stddev)', () => {
    const d = stats(run(tf.initializers.truncatedNormal({ seed: 6 }), [30000]));
    expect(d.min).toBeGreaterThanOrEqual(-2);
    expect(d.max).toBeLessThanOrEqual(2);
    expect(Math.abs(d.std - TRUNC)).toBeLessThan(0.02);
    const s = stats(run(tf.truncatedNormalInitializer(0, 0.1, 7), [30000]));
    expect(s.max).toBeLessThanOrEqual(0.2);
    expect(Math.abs(s.std - 0.1 * TRUNC)).toBeLessThan(0.002);
  });

  test('the initializer dtype is the default of the call; float-only initializers reject int32', () => {
    expect(run(tf.initializers.zeros('int32'), [2]).dtype).toBe('int32');
    expect(run(tf.initializers.zeros(), [2], 'int32').dtype).toBe('int32');
    expect(() => tf.initializers.randomNormal(0, 1, null, 'int32')).toThrow(
      'Expected floating point type, got int32.',
    );
    expect(() => tf.initializers.glorotUniform({ dtype: 'int32' })).toThrow(TypeError);
  });
});

describe('scaling initializers', () => {
  test('glorotUniform: uniform in ±sqrt(6 / (fanIn + fanOut))', () => {
    const limit = Math.sqrt(6 / (100 + 300));
    const s = stats(run(tf.glorotUniformInitializer(1), [100, 300]));
    expect(s.max).toBeLessThan(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(limit * 0.99);
    expect(Math.abs(s.std - limit / Math.sqrt(3))).toBeLessThan(0.001);
  });

  test('glorotNormal: variance 2 / (fanIn + fanOut) after the truncation correction', () => {
    const s = stats(run(tf.glorotNormalInitializer(2), [200, 200]));
    expect(Math.abs(s.std - Math.sqrt(2 / 400)) / Math.sqrt(2 / 400)).toBeLessThan(0.02);
  });

  test('varianceScaling(scale, mode, distribution) positionally', () => {
    // Default: fan_in, truncated normal corrected by 0.8796…: std sqrt(scale / fanIn).
    const he = stats(run(tf.initializers.varianceScaling(2.0, 'fan_in', 'truncated_normal', 3), [500, 100]));
    expect(Math.abs(he.std - Math.sqrt(2 / 500)) / Math.sqrt(2 / 500)).toBeLessThan(0.02);
    const out = stats(run(tf.varianceScalingInitializer(1, 'fan_out', 'untruncated_normal', 4), [50, 400]));
    expect(Math.abs(out.std - Math.sqrt(1 / 400)) / Math.sqrt(1 / 400)).toBeLessThan(0.02);
    // Conv kernel [3, 3, 16, 32]: fan_avg = (144 + 288) / 2.
    const lim = Math.sqrt((3 * 3) / 216);
    const u = stats(
      run(
        tf.initializers.varianceScaling({ scale: 3, mode: 'fan_avg', distribution: 'uniform', seed: 5 }),
        [3, 3, 16, 32],
      ),
    );
    expect(u.max).toBeLessThan(lim);
    expect(u.min).toBeGreaterThanOrEqual(-lim);
    expect(u.max).toBeGreaterThan(lim * 0.98);
  });

  test('varianceScaling errors: scale, mode, distribution', () => {
    expect(() => tf.initializers.varianceScaling(0)).toThrow('`scale` must be positive float.');
    expect(() => tf.initializers.varianceScaling(1, 'fan_sum' as never)).toThrow(/argument 'mode' must be/);
    expect(() => tf.initializers.varianceScaling(1, 'fan_in', 'gaussian' as never)).toThrow(
      /argument 'distribution' must be/,
    );
  });

  test('he/lecun and uniformUnitScaling', () => {
    const he = stats(run(tf.initializers.heUniform(1), [600, 10]));
    expect(he.max).toBeLessThan(Math.sqrt(6 / 600));
    expect(he.max).toBeGreaterThan(Math.sqrt(6 / 600) * 0.99);
    const lim = 1.43 * Math.sqrt(3 / 100);
    const uu = stats(run(tf.initializers.uniformUnitScaling(1.43, 2), [100, 50]));
    expect(uu.max).toBeLessThan(lim);
    expect(uu.max).toBeGreaterThan(lim * 0.99);
  });
});

describe('constant, zeros, ones, identity', () => {
  test('constant(): value defaults to 0; scalars fill the shape', () => {
    expect(run(tf.initializers.constant(), [2]).toArray()).toEqual([0, 0]);
    expect(run(tf.constantInitializer(3), [2, 2]).toArray()).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });

  test('a list fills row-major; fewer elements repeat the last (TF1 docs); more is an error', () => {
    expect(run(tf.initializers.constant([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // TF1's docstring example: value [0, 1, 2, 3, 4, 5, 6, 7], shape [2, 3] → too many; shape [3, 4] pads with 7.
    expect(run(tf.initializers.constant([0, 1, 2, 3, 4, 5, 6, 7]), [3, 4]).toArray()).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [7, 7, 7, 7],
    ]);
    expect(() => run(tf.initializers.constant([0, 1, 2, 3, 4, 5, 6, 7]), [2, 3])).toThrow(
      'Too many elements provided. Needed at most 6, but received 8',
    );
  });

  test('verifyShape (third positional) requires the exact shape', () => {
    expect(() => run(tf.initializers.constant([1, 2, 3, 4], 'float32', true), [4, 1])).toThrow(
      "Expected Tensor's shape: (4, 1), got (4).",
    );
    expect(run(tf.initializers.constant([[1], [2]], 'float32', true), [2, 1]).toArray()).toEqual([[1], [2]]);
  });

  test('constant: an int32 value that is not an integer is an error; a Tensor is rejected', () => {
    expect(() => run(tf.initializers.constant(0.5, 'int32'), [2])).toThrow(
      "Expected int32, got 0.5 of type 'float' instead.",
    );
    new tf.Graph().asDefault(() => {
      expect(() => tf.initializers.constant(tf.constant(1) as never)).toThrow(TypeError);
    });
  });

  test('zeros/ones/identity', () => {
    expect(run(tf.zerosInitializer(), [3]).toArray()).toEqual([0, 0, 0]);
    expect(run(tf.onesInitializer('int32'), [2]).toArray()).toEqual([1, 1]);
    expect(run(tf.initializers.identity(2), [2, 3]).toArray()).toEqual([
      [2, 0, 0],
      [0, 2, 0],
    ]);
    expect(() => run(tf.initializers.identity(), [3])).toThrow('2D matrices');
  });

  test('top-level TF1 names are the same functions; unknown keys are TypeErrors', () => {
    expect(tf.zerosInitializer).toBe(tf.initializers.zeros);
    expect(tf.randomUniformInitializer).toBe(tf.initializers.randomUniform);
    expect(tf.truncatedNormalInitializer).toBe(tf.initializers.truncatedNormal);
    expect(() => tf.initializers.truncatedNormal({ std: 1 } as never)).toThrow(
      /unexpected keyword argument 'std'/,
    );
    expect(() => tf.initializers.randomUniform(-1, 1, 0.5 as never)).toThrow(
      /argument 'seed' must be an integer/,
    );
  });
});
