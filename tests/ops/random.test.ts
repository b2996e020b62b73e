import * as tf from '../../src';
import { NDArray } from '../../src';
import { describeCases } from '../helpers/cases';
import { float64Session } from '../helpers/gradcheck';
import { randomCases } from './cases/random';

describeCases('random ops (exact rows)', randomCases);

/** Builds `build()` in a fresh graph (with an optional graph seed) and fetches it in a new Session. */
function sample(build: () => tf.Tensor, graphSeed?: number): NDArray {
  const g = new tf.Graph();
  return g.asDefault(() => {
    if (graphSeed !== undefined) tf.setRandomSeed(graphSeed);
    const t = build();
    return new tf.Session({ graph: g }).run(t);
  });
}

function stats(a: NDArray): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(a.data);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

const builders: [string, (seed?: number) => tf.Tensor][] = [
  ['randomNormal', (seed) => tf.randomNormal([4, 3], { seed })],
  ['truncatedNormal', (seed) => tf.truncatedNormal([4, 3], { seed })],
  ['randomUniform', (seed) => tf.randomUniform([4, 3], { seed })],
  ['randomUniform int32', (seed) => tf.randomUniform([4, 3], { seed, maxval: 1000, dtype: 'int32' })],
];

describe.each(builders)('%s seeding', (_name, build) => {
  test('the same op seed gives the same values in two new Sessions', () => {
    const a = sample(() => build(7));
    const b = sample(() => build(7));
    expect(a.shape).toEqual([4, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(sample(() => build(8)).data)).not.toEqual(Array.from(a.data));
  });

  test('the graph seed alone makes values reproducible; two ops differ', () => {
    const pair = (seed: number) =>
      new tf.Graph().asDefault(() => {
        tf.setRandomSeed(seed);
        const r1 = build();
        const r2 = build();
        return new tf.Session().run([r1, r2]).map((x) => Array.from(x.data));
      });
    const [a1, a2] = pair(3);
    const [b1, b2] = pair(3);
    expect(a1).toEqual(b1);
    expect(a2).toEqual(b2);
    expect(a1).not.toEqual(a2);
    expect(pair(4)[0]).not.toEqual(a1);
  });

  test('without any seed, two Sessions differ; successive runs differ', () => {
    expect(Array.from(sample(() => build()).data)).not.toEqual(Array.from(sample(() => build()).data));
    new tf.Graph().asDefault(() => {
      const r = build(5);
      const sess = new tf.Session();
      expect(Array.from(sess.run(r).data)).not.toEqual(Array.from(sess.run(r).data));
    });
  });
});

describe('random distributions (10k samples)', () => {
  test('randomNormal: mean and stddev', () => {
    const s = stats(sample(() => tf.randomNormal([100, 100], { mean: 2, stddev: 3, seed: 1 })));
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(s.std - 3)).toBeLessThan(0.1);
    expect(s.max - s.min).toBeGreaterThan(6 * 3); // real tails, not truncated
  });

  test('truncatedNormal: nothing beyond two stddevs; stddev of the truncated law (0.8796σ)', () => {
    const s = stats(sample(() => tf.truncatedNormal([10000], { mean: -1, stddev: 0.5, seed: 2 })));
    expect(s.min).toBeGreaterThanOrEqual(-1 - 2 * 0.5);
    expect(s.max).toBeLessThanOrEqual(-1 + 2 * 0.5);
    expect(s.min).toBeLessThan(-1.9);
    expect(s.max).toBeGreaterThan(-0.1);
    expect(Math.abs(s.mean + 1)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 0.8796 * 0.5)).toBeLessThan(0.02);
    const std = stats(sample(() => tf.truncatedNormal([10000], { seed: 3 })));
    expect(std.min).toBeGreaterThanOrEqual(-2);
    expect(std.max).toBeLessThanOrEqual(2);
  });

  test('randomUniform float: range [minval, maxval), mean and variance', () => {
    const s = stats(sample(() => tf.randomUniform([10000], { minval: -1, maxval: 3, seed: 4 })));
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(s.std - 4 / Math.sqrt(12))).toBeLessThan(0.03);
  });

  test('randomUniform int32: integers in [minval, maxval), every value about equally often', () => {
    const a = sample(() => tf.randomUniform([12000], { minval: -2, maxval: 4, dtype: 'int32', seed: 5 }));
    expect(a.dtype).toBe('int32');
    const counts = new Map<number, number>();
    for (const v of a.data) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('random ops in graphs', () => {
  test('a random tensor read by two fetches in one run gives one value', () => {
    new tf.Graph().asDefault(() => {
      const r = tf.randomNormal([5]);
      const [a, b, c] = new tf.Session().run([r, r.add(0), r]);
      expect(Array.from(b?.data ?? [])).toEqual(Array.from(a?.data ?? []));
      expect(Array.from(c?.data ?? [])).toEqual(Array.from(a?.data ?? []));
    });
  });

  test('names, static shapes and a shape given as an int32 tensor', () => {
    new tf.Graph().asDefault(() => {
      const ops = [tf.randomNormal([2]), tf.truncatedNormal([2]), tf.randomUniform([2])].map((t) => t.op);
      expect(ops.map((o) => o.name)).toEqual(['random_normal', 'truncated_normal', 'random_uniform']);
      expect(ops.map((o) => o.type)).toEqual(['RandomStandardNormal', 'TruncatedNormal', 'RandomUniform']);
      expect(tf.randomNormal([3, 4], 'w_init').op.name).toBe('w_init');
      const x = tf.placeholder('float32', [null, 3]);
      const r = tf.randomUniform(tf.shape(x), { seed: 1 });
      expect(r.shape).toEqual([null, 3]); // TF1 reads tf.shape(x) as x's static dims
      const out = new tf.Session().run(r, new Map([[x, tf.ndarray(new Float32Array(21), [7, 3])]]));
      expect(out.shape).toEqual([7, 3]);
      expect(tf.randomNormal([]).shape).toEqual([]);
    });
  });

  test('tensor-valued mean/stddev are applied with Mul/Add (same stream as the numeric form)', () => {
    new tf.Graph().asDefault(() => {
      const m = tf.placeholder('float32', []);
      const a = tf.randomNormal([6], { seed: 9 });
      const b = tf.randomNormal([6], { seed: 9, mean: m, stddev: tf.constant(2), name: 'shifted' });
      expect(b.op.name).toBe('shifted');
      const [va, vb] = float64Session(m.graph).run(
        [a, b],
        new Map([[m, tf.ndarray(new Float64Array([10]), [], 'float32')]]),
      );
      (va?.data ?? []).forEach((v, i) => expect(vb?.data[i]).toBeCloseTo(10 + 2 * v, 12));
      const [dm] = tf.gradients(tf.reduceSum(b), m);
      expect(
        new tf.Session().run(dm as tf.Tensor, new Map([[m, tf.ndarray(new Float32Array([1]), [])]])).item(),
      ).toBe(6);
      const lo = tf.placeholder('float32', []);
      const u = tf.randomUniform([1000], { minval: lo, maxval: tf.add(lo, 0.5), seed: 3 });
      const s = stats(new tf.Session().run(u, new Map([[lo, tf.ndarray(new Float32Array([4]), [])]])));
      expect(s.min).toBeGreaterThanOrEqual(4);
      expect(s.max).toBeLessThan(4.5);
    });
  });

  test('errors: dtypes, int32 bounds, bad shapes', () => {
    new tf.Graph().asDefault(() => {
      expect(() => tf.randomNormal([2], { dtype: 'int32' })).toThrow(
        /Value for attr 'dtype' of int32 is not in the list of allowed values: float32 for 'random_normal' \(op: 'RandomStandardNormal'\)/,
      );
      expect(() => tf.randomUniform([2], { dtype: 'int32' })).toThrow(
        'Must specify maxval for integer dtype int32',
      );
      expect(() => tf.randomUniform([2], { dtype: 'int32', minval: 3, maxval: 3 })).toThrow(
        'Need minval < maxval: 3 >= 3',
      );
      expect(() => tf.randomUniform([2], { dtype: 'bool' })).toThrow(/attr 'dtype' of bool/);
      expect(() => tf.truncatedNormal([2, -3])).toThrow(/shape entries must be non-negative integers/);
      expect(() => tf.randomNormal(tf.constant([[2]], 'int32'))).toThrow(
        /shape must be a vector, but is rank 2/,
      );
      expect(() => tf.randomNormal([2], { seed: 1.5 })).toThrow(
        "randomNormal(): argument 'seed' must be an integer, or null, got 1.5 (number)",
      );
    });
  });
});

describe('TF1 call forms (positional order, keywords, defaults)', () => {
  test('randomUniform(shape, minval, maxval): positional bounds are honoured', () => {
    const s = stats(sample(() => tf.randomUniform([20000], -1, 1, 'float32', 11)));
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(1);
    expect(s.min).toBeLessThan(-0.99);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    // Var of U(-1, 1) is 4/12.
    expect(Math.abs(s.std - Math.sqrt(4 / 12))).toBeLessThan(0.01);
  });

  test('randomUniform: maxval null means 1 for floats; positional int32 range', () => {
    const s = stats(sample(() => tf.randomUniform([5000], 0.5, null, 'float32', 1)));
    expect(s.min).toBeGreaterThanOrEqual(0.5);
    expect(s.max).toBeLessThan(1);
    const d = sample(() => tf.randomUniform([3000], 0, 6, 'int32', 2));
    expect(d.dtype).toBe('int32');
    expect(new Set(Array.from(d.data))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  test('truncatedNormal(shape, mean, stddev): positional stddev is honoured', () => {
    const s = stats(sample(() => tf.truncatedNormal([20000], 0, 0.1, 'float32', 5)));
    expect(s.min).toBeGreaterThanOrEqual(-0.2);
    expect(s.max).toBeLessThanOrEqual(0.2);
    // Std of N(0, 1) truncated to [-2, 2] is 0.87962566103423978.
    expect(Math.abs(s.std - 0.087962566)).toBeLessThan(0.002);
  });

  test('randomNormal(shape, mean, stddev, dtype, seed, name) in full', () => {
    new tf.Graph().asDefault(() => {
      const t = tf.randomNormal([30000], 3, 0.5, 'float32', 9, 'noise');
      expect(t.op.name).toBe('noise');
      const s = stats(new tf.Session().run(t));
      expect(Math.abs(s.mean - 3)).toBeLessThan(0.02);
      expect(Math.abs(s.std - 0.5)).toBeLessThan(0.01);
    });
    // The same seed positionally and by keyword gives the same values.
    const a = sample(() => tf.randomNormal([5], 0, 1, 'float32', 4));
    const b = sample(() => tf.randomNormal([5], { seed: 4 }));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  test('keywords in snake_case and a trailing name string', () => {
    new tf.Graph().asDefault(() => {
      expect(tf.randomUniform([2], -1, 1, 'float32', null, 'u').op.name).toBe('u');
      expect(tf.randomNormal([2], 0, 'n').op.name).toBe('n');
      expect(() => tf.randomUniform([2], -1, 1, 'u')).toThrow(/argument 'dtype' must be a dtype/);
      expect(tf.truncatedNormal([2], { stddev: 0.1, name: 't' }).op.name).toBe('t');
    });
  });

  test('unknown keys, wrong types and duplicates are TypeErrors', () => {
    new tf.Graph().asDefault(() => {
      expect(() => tf.randomNormal([2], { std: 0.1 } as never)).toThrow(
        /randomNormal\(\) got an unexpected keyword argument 'std'/,
      );
      expect(() => tf.randomUniform([2], -1, { minval: 0 })).toThrow(
        "randomUniform() got multiple values for argument 'minval'",
      );
      expect(() => tf.randomUniform([2], { dtype: 'float64' as never })).toThrow(
        /argument 'dtype' must be a dtype/,
      );
      expect(() => tf.randomNormal('x' as never)).toThrow(TypeError);
    });
  });
});
